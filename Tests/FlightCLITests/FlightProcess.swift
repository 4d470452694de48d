// Running the built `flight` executable as a user would: one-shot commands, and `flight serve`
// as a long-running process that announces its port on its first stdout line.

internal import Foundation
internal import InteropSupport

#if canImport(Glibc)
  internal import Glibc
#elseif canImport(Musl)
  internal import Musl
#endif

extension ProcessResult {
  /// The stdout lines, without the trailing empty one.
  var lines: [String] {
    let lines = stdout.split(separator: "\n", omittingEmptySubsequences: false).map(String.init)
    return lines.last == "" ? Array(lines.dropLast()) : lines
  }
}

/// The built `flight` executable.
func flightExecutable() throws -> URL {
  try InteropEnvironment.executable("flight")
}

/// Runs `flight <arguments>` to completion (stdin closed) and returns what it printed.
func flight(_ arguments: [String], environment: [String: String] = [:], timeout: TimeInterval = 60) async throws
  -> ProcessResult
{
  try await runProcess(try flightExecutable(), arguments, environment: environment, timeout: timeout)
}

/// A running `flight serve`. Stopped (SIGTERM, then SIGKILL) by ``stop(signal:)`` or on deinit.
final class FlightServeProcess: @unchecked Sendable {
  let process: Process
  /// The first stdout line, such as `Server listening on localhost:40123`.
  let firstLine: String
  /// The TCP port announced, or 0 for a Unix socket.
  let port: Int
  private let errors: Box<Data>
  private let lock = NSLock()
  private var exitStatus: Int32?

  /// `grpc://localhost:<port>`.
  var location: String { "grpc://localhost:\(port)" }

  /// What the server printed on stderr (complete once it has stopped).
  var stderr: String { String(decoding: errors.current ?? Data(), as: UTF8.self) }

  /// Starts `flight serve <arguments>` and waits, without sleeping, for its first line.
  static func start(_ arguments: [String], environment: [String: String] = [:], timeout: TimeInterval = 60)
    async throws -> FlightServeProcess
  {
    let executable = try flightExecutable()
    return try await runOnThread(named: "flight serve") {
      try FlightServeProcess(executable: executable, arguments: arguments, environment: environment, timeout: timeout)
    }
  }

  private init(executable: URL, arguments: [String], environment: [String: String], timeout: TimeInterval) throws {
    let process = Process()
    process.executableURL = executable
    process.arguments = ["serve"] + arguments
    process.environment = ProcessInfo.processInfo.environment.merging(environment) { $1 }
    let output = Pipe()
    let errorPipe = Pipe()
    process.standardOutput = output
    process.standardError = errorPipe
    process.standardInput = FileHandle.nullDevice
    try process.run()
    self.process = process
    let errors = Box<Data>()
    self.errors = errors
    let errorReader = Thread {
      var collected = Data()
      let handle = errorPipe.fileHandleForReading
      while true {
        let chunk = handle.availableData
        if chunk.isEmpty { break }
        collected.append(chunk)
        errors.update(collected)
      }
      errors.set(collected)
    }
    errorReader.start()

    firstLine = readFirstLine(of: process, from: output, timeout: timeout)
    if firstLine.hasPrefix("Server listening on unix:") {
      port = 0
    } else if firstLine.hasPrefix("Server listening on "), let port = Int(firstLine.split(separator: ":").last ?? "") {
      self.port = port
    } else {
      if process.isRunning { process.terminate() }
      process.waitUntilExit()
      let stderr = String(decoding: errors.wait(), as: UTF8.self)
      throw InteropError(
        "flight serve \(arguments.joined(separator: " ")) printed \(String(reflecting: firstLine)) first\n"
          + "--- stderr ---\n\(stderr)")
    }
  }

  /// Sends `signal` and waits for the process to exit (SIGKILL after 10 s); returns its exit status.
  @discardableResult func stop(signal: Int32 = SIGTERM) async -> Int32 {
    if let status = lock.withLock({ exitStatus }) { return status }
    let status: Int32 =
      (try? await runOnThread(named: "stop flight serve") { [process, errors] in
        if process.isRunning { kill(process.processIdentifier, signal) }
        let killer = DispatchWorkItem { if process.isRunning { kill(process.processIdentifier, SIGKILL) } }
        DispatchQueue.global().asyncAfter(deadline: .now() + 10, execute: killer)
        process.waitUntilExit()
        killer.cancel()
        _ = errors.wait()
        return process.terminationReason == .exit ? process.terminationStatus : 128 + process.terminationStatus
      }) ?? -1
    lock.withLock { exitStatus = status }
    return status
  }

  deinit {
    if process.isRunning {
      kill(process.processIdentifier, SIGKILL)
      process.waitUntilExit()
    }
  }
}

/// Starts `flight serve <arguments>`, runs `body`, and stops the server however `body` ends.
func withFlightServer<Result>(
  _ arguments: [String], environment: [String: String] = [:],
  isolation: isolated (any Actor)? = #isolation,
  _ body: (FlightServeProcess) async throws -> Result
) async throws -> Result {
  let server = try await FlightServeProcess.start(arguments, environment: environment)
  do {
    let result = try await body(server)
    await server.stop()
    return result
  } catch {
    await server.stop()
    throw error
  }
}

/// A fresh temporary directory, removed by the caller.
func temporaryDirectory(_ name: String = "flight-cli") throws -> URL {
  let url = FileManager.default.temporaryDirectory.appendingPathComponent("\(name)-\(UUID().uuidString)")
  try FileManager.default.createDirectory(at: url, withIntermediateDirectories: true)
  return url
}

/// A value set by one thread and awaited by another.
final class Box<Value: Sendable>: @unchecked Sendable {
  private let condition = NSCondition()
  private var value: Value?
  private var partial: Value?
  private var done = false

  func set(_ newValue: Value) {
    condition.lock()
    value = newValue
    done = true
    condition.broadcast()
    condition.unlock()
  }

  func update(_ newValue: Value) {
    condition.lock()
    partial = newValue
    condition.unlock()
  }

  var current: Value? {
    condition.lock()
    defer { condition.unlock() }
    return value ?? partial
  }

  func wait() -> Value {
    condition.lock()
    defer { condition.unlock() }
    while !done { condition.wait() }
    return value!
  }
}
