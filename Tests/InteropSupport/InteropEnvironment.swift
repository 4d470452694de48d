public import Foundation

/// An error of the interop test support: a missing setting or a peer that did not start or stop.
///
/// Its description is meant to be read in a test failure: it says what went wrong, what to do,
/// and, for a peer, what the peer printed on stderr.
public struct InteropError: Error, CustomStringConvertible, Sendable {
  /// What went wrong, with the peer's stderr when there is one.
  public let description: String

  /// Creates an error with the given description.
  public init(_ description: String) {
    self.description = description
  }
}

/// Where the interop tests find their tools, from the environment that `Scripts/test.sh` sets.
///
/// | Variable | Meaning | Fallback when unset |
/// | --- | --- | --- |
/// | `FLIGHT_TEST_PYTHON` | Python interpreter with pyarrow 26 (`<repo>/.venv/bin/python`) | `<repo>/.venv/bin/python` if it exists |
/// | `FLIGHT_TEST_PEERS` | directory of the Python peers (`<repo>/Tests/Peers`) | `<repo>/Tests/Peers` if it exists |
/// | `FLIGHT_BUILD_BIN` | `swift build --show-bin-path`, where executables are built | the directory of the running `.xctest` bundle |
///
/// `<repo>` is found from this file's `#filePath`, so running `swift test` by hand after one
/// `Scripts/bootstrap.sh` works without exporting anything.
public enum InteropEnvironment {
  /// The name of the variable holding the Python interpreter path.
  public static let pythonVariable = "FLIGHT_TEST_PYTHON"
  /// The name of the variable holding the Python peers directory.
  public static let peersVariable = "FLIGHT_TEST_PEERS"
  /// The name of the variable holding the build products directory.
  public static let buildBinVariable = "FLIGHT_BUILD_BIN"

  /// The repository root, derived from the location of this source file.
  public static let repositoryRoot: URL = URL(fileURLWithPath: #filePath)
    .deletingLastPathComponent()  // InteropSupport
    .deletingLastPathComponent()  // Tests
    .deletingLastPathComponent()

  /// The Python interpreter to run peers with (`FLIGHT_TEST_PYTHON`, else `<repo>/.venv/bin/python`).
  ///
  /// - Throws: `InteropError` when the variable is unset and there is no `.venv` interpreter.
  public static var python: URL {
    get throws {
      try resolve(
        pythonVariable,
        fallback: repositoryRoot.appendingPathComponent(".venv/bin/python"),
        hint: "run Scripts/test.sh, or export it to a Python with pyarrow 26 (Scripts/bootstrap.sh makes .venv)"
      )
    }
  }

  /// The directory of the Python peers (`FLIGHT_TEST_PEERS`, else `<repo>/Tests/Peers`).
  ///
  /// - Throws: `InteropError` when the variable is unset and the fallback does not exist.
  public static var peersDirectory: URL {
    get throws {
      try resolve(
        peersVariable,
        fallback: repositoryRoot.appendingPathComponent("Tests/Peers"),
        hint: "run Scripts/test.sh, or export it to <repo>/Tests/Peers"
      )
    }
  }

  /// The directory of the built executables (`FLIGHT_BUILD_BIN`, else the test bundle's directory).
  ///
  /// - Throws: `InteropError` when the variable is unset and the test binary's directory is unknown.
  public static var buildBin: URL {
    get throws {
      let fallback = URL(fileURLWithPath: CommandLine.arguments.first ?? "").resolvingSymlinksInPath()
      let inBundle = fallback.pathComponents.contains { $0.hasSuffix(".xctest") }
      var directory = fallback
      while directory.pathComponents.count > 1, !directory.lastPathComponent.hasSuffix(".xctest") {
        directory.deleteLastPathComponent()
      }
      return try resolve(
        buildBinVariable,
        fallback: inBundle ? directory.deletingLastPathComponent() : nil,
        hint: "run Scripts/test.sh, or export it to the output of `swift build --show-bin-path`"
      )
    }
  }

  /// The path of a built executable product, such as `flight`, in `buildBin`.
  ///
  /// - Throws: `InteropError` when `buildBin` is unknown or the executable is not there.
  public static func executable(_ name: String) throws -> URL {
    let url = try buildBin.appendingPathComponent(name)
    guard FileManager.default.isExecutableFile(atPath: url.path) else {
      throw InteropError("\(url.path) is not a built executable: build it with `swift build --product \(name)`")
    }
    return url
  }

  private static func resolve(_ variable: String, fallback: URL?, hint: String) throws -> URL {
    if let value = ProcessInfo.processInfo.environment[variable], !value.isEmpty {
      let url = URL(fileURLWithPath: value)
      guard FileManager.default.fileExists(atPath: url.path) else {
        throw InteropError("\(variable)=\(value) does not exist: \(hint)")
      }
      return url
    }
    if let fallback, FileManager.default.fileExists(atPath: fallback.path) {
      return fallback
    }
    throw InteropError("\(variable) is not set: \(hint)")
  }
}
