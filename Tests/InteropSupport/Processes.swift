// Running processes for the tests: to completion (such as a Python script of Tests/Peers), or
// until they announce themselves on their first stdout line.

public import Foundation

#if canImport(Glibc)
  internal import Glibc
#elseif canImport(Musl)
  internal import Musl
#elseif canImport(Darwin)
  internal import Darwin
#endif

/// What a finished process printed, and how it ended.
public struct ProcessResult: Sendable, CustomStringConvertible {
  /// The exit status, or 128 + the signal number when a signal ended the process.
  public var status: Int32
  /// Whether a signal (such as the one sent when the process ran out of time) ended the process.
  public var signaled: Bool
  /// Everything the process wrote to stdout.
  public var stdout: String
  /// Everything the process wrote to stderr.
  public var stderr: String

  /// The status, stdout and stderr, for a test failure.
  public var description: String { "status \(status)\n--- stdout ---\n\(stdout)\n--- stderr ---\n\(stderr)" }
}

/// Runs `executable arguments` to completion on a thread of its own (never blocking the
/// cooperative pool) and returns what it printed, whatever its exit status.
///
/// The process's stdin is closed; `environment` is added to this process's environment. It is
/// terminated (SIGTERM, then SIGKILL) after `timeout` seconds.
///
/// - Throws: When the process cannot be started.
public func runProcess(
  _ executable: URL, _ arguments: [String], environment: [String: String] = [:], timeout: TimeInterval
) async throws -> ProcessResult {
  try await runOnThread(named: "run \(executable.lastPathComponent)") {
    let process = Process()
    process.executableURL = executable
    process.arguments = arguments
    if !environment.isEmpty {
      process.environment = ProcessInfo.processInfo.environment.merging(environment) { $1 }
    }
    let output = Pipe()
    let errors = Pipe()
    process.standardOutput = output
    process.standardError = errors
    process.standardInput = FileHandle.nullDevice
    try process.run()
    // The watchdog: SIGTERM, then SIGKILL 5 s later (children inherit this process's blocked
    // signals, so a hung child may never see the SIGTERM).
    let killer = DispatchWorkItem { if process.isRunning { kill(process.processIdentifier, SIGKILL) } }
    let timer = DispatchWorkItem {
      guard process.isRunning else { return }
      process.terminate()
      DispatchQueue.global().asyncAfter(deadline: .now() + 5, execute: killer)
    }
    DispatchQueue.global().asyncAfter(deadline: .now() + timeout, execute: timer)
    // Drain stderr on its own thread so neither pipe can fill up and block the child.
    let errorData = Latch<Data>()
    let errorReader = Thread { errorData.set(errors.fileHandleForReading.readDataToEndOfFile()) }
    errorReader.start()
    let outputData = output.fileHandleForReading.readDataToEndOfFile()
    process.waitUntilExit()
    timer.cancel()
    killer.cancel()
    let signaled = process.terminationReason == .uncaughtSignal
    return ProcessResult(
      status: signaled ? 128 + process.terminationStatus : process.terminationStatus, signaled: signaled,
      stdout: String(decoding: outputData, as: UTF8.self), stderr: String(decoding: errorData.wait(), as: UTF8.self))
  }
}

/// Runs the interop Python with `arguments` (a script path, or `-c` and a program, then its
/// arguments) to completion; returns its stdout.
///
/// The interpreter's stdin is closed. It must finish within `timeout` seconds.
///
/// - Throws: ``InteropError`` with the interpreter's stdout and stderr when it exits non-zero or
///   runs out of time.
public func runPython(_ arguments: [String], timeout: TimeInterval = 120) async throws -> String {
  let result = try await runProcess(try InteropEnvironment.python, arguments, timeout: timeout)
  guard result.status == 0 else {
    // An inline program (`-c`) is long: name it by its first line.
    let command = arguments.map { $0.contains("\n") ? "<\($0.prefix { $0 != "\n" })…>" : $0 }
    throw InteropError(
      """
      python \(command.joined(separator: " ")) failed (status \(result.status)\
      \(result.signaled ? ", killed after \(Int(timeout)) s or by a signal" : ""))
      --- stdout ---
      \(result.stdout)
      --- stderr ---
      \(result.stderr)
      """)
  }
  return result.stdout
}

/// Runs `Tests/Peers/<script>` with the interop Python and `arguments`; returns its stdout.
///
/// The script's stdin is closed. It must finish within `timeout` seconds.
///
/// - Throws: ``InteropError`` with the script's stdout and stderr when it exits non-zero or
///   runs out of time.
public func runPythonScript(_ script: String, arguments: [String] = [], timeout: TimeInterval = 120) async throws
  -> String
{
  let scriptPath = try InteropEnvironment.peersDirectory.appendingPathComponent(script).path
  return try await runPython([scriptPath] + arguments, timeout: timeout)
}

/// Reads the first line (without its newline) that a started `process` writes to `output`,
/// with a blocking read that ends the process (SIGTERM) if the line does not come within
/// `timeout` seconds; then drains the rest of `output` on a thread of its own, so the process
/// can never block on a full pipe. Returns what was read when the pipe ends first.
public func readFirstLine(of process: Process, from output: Pipe, timeout: TimeInterval) -> String {
  let timer = DispatchWorkItem { if process.isRunning { process.terminate() } }
  DispatchQueue.global().asyncAfter(deadline: .now() + timeout, execute: timer)
  let descriptor = output.fileHandleForReading.fileDescriptor
  var line: [UInt8] = []
  var byte: UInt8 = 0
  while true {
    let count = read(descriptor, &byte, 1)
    if count < 0 && errno == EINTR { continue }
    if count <= 0 || byte == UInt8(ascii: "\n") { break }
    line.append(byte)
  }
  timer.cancel()
  let outputReader = Thread { _ = output.fileHandleForReading.readDataToEndOfFile() }
  outputReader.start()
  return String(decoding: line, as: UTF8.self)
}
