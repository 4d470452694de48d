// swift-tools-version:6.0
// Arrow Flight for Swift: a Flight RPC client and server over the system gRPC core.

import PackageDescription

/// Strict imports and existentials on every Swift target: each `import` says its access level
/// (`InternalImportsByDefault`; Scripts/check-imports.sh checks the tree), a file sees only the
/// members of modules it imports itself (`MemberImportVisibility`), and existential types are
/// spelled `any P` (`ExistentialAny`).
let strictSettings: [SwiftSetting] = [
  .enableUpcomingFeature("ExistentialAny"),
  .enableUpcomingFeature("InternalImportsByDefault"),
  .enableUpcomingFeature("MemberImportVisibility"),
]

let package = Package(
  name: "swift-arrow-flight",
  products: [
    .library(name: "FlightRPC", targets: ["FlightRPC"]),
    .library(name: "ArrowCore", targets: ["ArrowCore"]),
    .library(name: "ArrowIPC", targets: ["ArrowIPC"]),
    .executable(name: "flight", targets: ["flight"]),
    .executable(name: "flight-integration", targets: ["flight-integration"]),
    .executable(name: "flight-bench", targets: ["flight-bench"]),
  ],
  dependencies: [
    .package(url: "https://github.com/apple/swift-argument-parser", from: "1.8.2"),
    .package(url: "https://github.com/apple/swift-log", from: "1.16.2"),
    // Documentation only: `swift package generate-documentation` (Scripts/check-docs.sh).
    .package(url: "https://github.com/swiftlang/swift-docc-plugin", from: "1.5.0"),
  ],
  targets: [
    // C modules: system libraries and generated protobuf-c code.
    .systemLibrary(name: "CGRPC", path: "CModules/CGRPC"),
    .systemLibrary(name: "CLZ4", path: "CModules/CLZ4"),
    .systemLibrary(name: "CZstd", path: "CModules/CZstd"),
    .systemLibrary(name: "CMalloc", path: "CModules/CMalloc"),
    .target(
      name: "CFlightProto",
      path: "CModules/CFlightProto",
      sources: ["Generated"],
      publicHeadersPath: "Generated",
      linkerSettings: [.linkedLibrary("protobuf-c")]
    ),

    // Swift layers, bottom to top.
    .target(name: "ArrowCore"),
    .target(name: "ArrowIPC", dependencies: ["ArrowCore", "CLZ4", "CZstd"]),
    .target(name: "FlightProto", dependencies: ["ArrowCore", "CFlightProto"]),
    .target(name: "FlightTransport", dependencies: ["ArrowCore", "CGRPC", "CMalloc"]),
    .target(
      name: "FlightRPC",
      dependencies: [
        "ArrowCore", "ArrowIPC", "FlightProto", "FlightTransport", .product(name: "Logging", package: "swift-log"),
      ]
    ),

    // Executables.
    .executableTarget(
      name: "flight",
      dependencies: [
        "FlightRPC", "ArrowIPC", .product(name: "ArgumentParser", package: "swift-argument-parser"),
      ]
    ),
    .executableTarget(name: "flight-integration", dependencies: ["FlightRPC"], path: "Sources/FlightIntegration"),
    .executableTarget(
      name: "flight-bench", dependencies: ["FlightRPC", "ArrowIPC", "ArrowCore"], path: "Sources/FlightBench"),

    // Tests: one target per library target, plus the shared interop support.
    .target(name: "InteropSupport", path: "Tests/InteropSupport"),
    .testTarget(name: "ArrowCoreTests", dependencies: ["ArrowCore", "InteropSupport"]),
    .testTarget(name: "ArrowIPCTests", dependencies: ["ArrowIPC", "InteropSupport"]),
    .testTarget(name: "FlightProtoTests", dependencies: ["FlightProto", "InteropSupport"]),
    .testTarget(
      name: "FlightTransportTests",
      dependencies: ["FlightTransport", "FlightProto", "InteropSupport"]
    ),
    .testTarget(
      name: "FlightRPCTests",
      dependencies: ["FlightRPC", "InteropSupport", .product(name: "Logging", package: "swift-log")]
    ),
    .testTarget(name: "FlightCLITests", dependencies: ["InteropSupport"]),
    .testTarget(name: "FlightIntegrationTests", dependencies: ["InteropSupport"]),
  ],
  swiftLanguageModes: [.v6]
)

// Every Swift target builds with the strict settings, including targets added later (the C
// modules, all under CModules/, have no Swift to build).
for target in package.targets where !(target.path ?? "").hasPrefix("CModules/") {
  target.swiftSettings = (target.swiftSettings ?? []) + strictSettings
}
