// Running the built `flight-integration` executable as real processes: a server that
// announces its port on its first stdout line, and clients run to completion.

internal import Foundation
internal import InteropSupport

#if canImport(Glibc)
  internal import Glibc
#elseif canImport(Musl)
  internal import Musl
#endif

/// The scenarios, by the names of the Arrow integration harness.
let scenarioNames = [
  "auth:basic_proto",
  "middleware",
  "ordered",
  "expiration_time:do_get",
  "expiration_time:list_actions",
  "expiration_time:cancel_flight_info",
  "expiration_time:renew_flight_endpoint",
  "do_exchange:echo",
  "location:reuse_connection",
  "poll_flight_info",
  "app_metadata_flight_info_endpoint",
  "session_options",
]

/// The pyarrow peer playing the scenarios.
let pythonScenarios = "integration_scenarios.py"

/// The built `flight-integration` executable.
func integrationExecutable() throws -> URL {
  try InteropEnvironment.executable("flight-integration")
}

/// Runs `flight-integration <arguments>` to completion.
func runIntegration(_ arguments: [String], timeout: TimeInterval = 90) async throws -> ProcessResult {
  try await runProcess(try integrationExecutable(), arguments, timeout: timeout)
}

/// A running `flight-integration server`: started with ``start(scenario:arguments:)``, which
/// waits (blocking read, no sleeping) for its first line; stopped by closing its stdin.
final class ScenarioServer: @unchecked Sendable {
  let process: Process
  /// The first stdout line.
  let firstLine: String
  /// The announced port.
  let port: Int
  private let stdin: FileHandle
  private let errors: DataBox

  /// What the server wrote on stderr (complete once it has stopped).
  var stderr: String { String(decoding: errors.current, as: UTF8.self) }

  /// Starts `flight-integration server --scenario NAME --port 0` (or the given arguments).
  static func start(scenario: String, arguments: [String]? = nil, timeout: TimeInterval = 60) async throws
    -> ScenarioServer
  {
    let executable = try integrationExecutable()
    let arguments = arguments ?? ["server", "--scenario", scenario, "--port", "0"]
    return try await runOnThread(named: "start flight-integration") {
      try ScenarioServer(executable: executable, arguments: arguments, timeout: timeout)
    }
  }

  private init(executable: URL, arguments: [String], timeout: TimeInterval) throws {
    let process = Process()
    process.executableURL = executable
    process.arguments = arguments
    let input = Pipe()
    let output = Pipe()
    let errorPipe = Pipe()
    process.standardInput = input
    process.standardOutput = output
    process.standardError = errorPipe
    try process.run()
    self.process = process
    self.stdin = input.fileHandleForWriting
    let errors = DataBox()
    self.errors = errors
    let errorReader = Thread {
      errors.set(errorPipe.fileHandleForReading.readDataToEndOfFile())
    }
    errorReader.start()

    firstLine = readFirstLine(of: process, from: output, timeout: timeout)
    let prefix = "Server listening on localhost:"
    guard firstLine.hasPrefix(prefix), let port = Int(firstLine.dropFirst(prefix.count)), port > 0 else {
      try? input.fileHandleForWriting.close()
      if process.isRunning { process.terminate() }
      process.waitUntilExit()
      throw InteropError(
        "flight-integration \(arguments.joined(separator: " ")) printed \(String(reflecting: firstLine)) first\n"
          + "--- stderr ---\n\(String(decoding: errors.wait(), as: UTF8.self))")
    }
    self.port = port
  }

  /// Closes the server's stdin and waits for it to exit (SIGTERM after 10 s, SIGKILL after
  /// 15 s); returns its exit status.
  @discardableResult
  func stop() async -> Int32 {
    try? stdin.close()
    return await waitForExit()
  }

  /// Sends `signal` and waits for the server to exit; returns its exit status.
  @discardableResult
  func stop(signal: Int32) async -> Int32 {
    if process.isRunning { kill(process.processIdentifier, signal) }
    return await waitForExit()
  }

  private func waitForExit() async -> Int32 {
    let process = self.process
    let status = try? await runOnThread(named: "stop flight-integration") { () -> Int32 in
      let terminate = DispatchWorkItem { if process.isRunning { process.terminate() } }
      let killer = DispatchWorkItem { if process.isRunning { kill(process.processIdentifier, SIGKILL) } }
      DispatchQueue.global().asyncAfter(deadline: .now() + 10, execute: terminate)
      DispatchQueue.global().asyncAfter(deadline: .now() + 15, execute: killer)
      process.waitUntilExit()
      terminate.cancel()
      killer.cancel()
      return process.terminationReason == .exit ? process.terminationStatus : 128 + process.terminationStatus
    }
    return status ?? -1
  }

  deinit {
    try? stdin.close()
    if process.isRunning { process.terminate() }
  }
}

/// Starts the Swift server of `scenario`, runs `body` with it, and stops it however `body` ends.
func withScenarioServer<T>(
  _ scenario: String, isolation: isolated (any Actor)? = #isolation, _ body: (ScenarioServer) async throws -> T
) async throws -> T {
  let server = try await ScenarioServer.start(scenario: scenario)
  do {
    let result = try await body(server)
    await server.stop()
    return result
  } catch {
    await server.stop()
    throw error
  }
}

/// Data written once by one thread and read by others.
final class DataBox: @unchecked Sendable {
  private let condition = NSCondition()
  private var data: Data?

  func set(_ value: Data) {
    condition.lock()
    data = value
    condition.broadcast()
    condition.unlock()
  }

  /// The data, once set.
  func wait() -> Data {
    condition.lock()
    defer { condition.unlock() }
    while data == nil { condition.wait() }
    return data ?? Data()
  }

  /// The data if set, else empty.
  var current: Data {
    condition.lock()
    defer { condition.unlock() }
    return data ?? Data()
  }
}
