// Running the built `flight` executable as a user would, through TestProcess: one-shot
// commands, and `flight serve` as a long-running process that announces its port on its first
// stdout line.

internal import Foundation
internal import InteropSupport

/// The built `flight` executable.
func flightExecutable() throws -> URL {
  try InteropEnvironment.executable("flight")
}

/// Runs `flight <arguments>` to completion (stdin closed) and returns what it printed.
func flight(_ arguments: [String], environment: [String: String] = [:], timeout: TimeInterval = 60) async throws
  -> ProcessResult
{
  try await TestProcess.run(try flightExecutable(), arguments, environment: environment, timeout: timeout)
}

/// Starts `flight serve <arguments>` and waits, without sleeping, for its first line. Stop it
/// with `stop(signal:)` (SIGTERM by default); it is killed on deinit.
func startFlightServer(_ arguments: [String], environment: [String: String] = [:]) async throws -> TestProcess {
  try await TestProcess.startServer(try flightExecutable(), ["serve"] + arguments, environment: environment)
}

/// Starts `flight serve <arguments>`, runs `body`, and stops the server (SIGTERM) however
/// `body` ends.
func withFlightServer<Result>(
  _ arguments: [String], environment: [String: String] = [:],
  isolation: isolated (any Actor)? = #isolation,
  _ body: (TestProcess) async throws -> Result
) async throws -> Result {
  try await withServerProcess(try flightExecutable(), ["serve"] + arguments, environment: environment, body: body)
}

/// A fresh temporary directory, removed by the caller.
func temporaryDirectory(_ name: String = "flight-cli") throws -> URL {
  let url = FileManager.default.temporaryDirectory.appendingPathComponent("\(name)-\(UUID().uuidString)")
  try FileManager.default.createDirectory(at: url, withIntermediateDirectories: true)
  return url
}
