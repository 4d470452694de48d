// swift-tools-version:6.0
// libFuzzer targets for the readers of untrusted bytes. A package of its own, depending on the
// root package by path, so that `swift build` and CI never build it. Run one with
// `Scripts/fuzz.sh TARGET SECONDS` (see README.md here).

import PackageDescription

/// The root package's strict settings (see its Package.swift): every `import` says its access
/// level, a file sees only the members of modules it imports, existentials are spelled `any P`.
let strictSettings: [SwiftSetting] = [
  .enableUpcomingFeature("ExistentialAny"),
  .enableUpcomingFeature("InternalImportsByDefault"),
  .enableUpcomingFeature("MemberImportVisibility"),
]

let package = Package(
  name: "swift-arrow-flight-fuzz",
  dependencies: [.package(name: "swift-arrow-flight", path: "..")],
  targets: [
    .target(
      name: "FuzzSupport",
      dependencies: [
        .product(name: "ArrowCore", package: "swift-arrow-flight"),
        .product(name: "ArrowIPC", package: "swift-arrow-flight"),
        .product(name: "FlightRPC", package: "swift-arrow-flight"),
      ]
    ),
    .executableTarget(name: "FuzzIPCStream", dependencies: ["FuzzSupport"]),
    .executableTarget(name: "FuzzIPCFile", dependencies: ["FuzzSupport"]),
    .executableTarget(name: "FuzzFlatBuffers", dependencies: ["FuzzSupport"]),
    .executableTarget(name: "FuzzFlightData", dependencies: ["FuzzSupport"]),
  ],
  swiftLanguageModes: [.v6]
)

for target in package.targets {
  target.swiftSettings = (target.swiftSettings ?? []) + strictSettings
}
