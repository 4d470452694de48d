// Running a Python script of Tests/Peers to completion, for interop checks driven from Python.

import Foundation

/// Runs `Tests/Peers/<script>` with the interop Python and `arguments`; returns its stdout.
///
/// The script's stdin is closed. It must finish within `timeout` seconds.
///
/// - Throws: ``InteropError`` with the script's stdout and stderr when it exits non-zero or
///   runs out of time.
public func runPythonScript(_ script: String, arguments: [String] = [], timeout: TimeInterval = 120) async throws
  -> String
{
  let python = try InteropEnvironment.python
  let scriptPath = try InteropEnvironment.peersDirectory.appendingPathComponent(script).path
  return try await withCheckedThrowingContinuation { continuation in
    let thread = Thread {
      do {
        continuation.resume(returning: try runToCompletion(python, [scriptPath] + arguments, timeout: timeout))
      } catch {
        continuation.resume(throwing: error)
      }
    }
    thread.start()
  }
}

/// Runs a process to completion on the calling thread; returns its stdout.
private func runToCompletion(_ executable: URL, _ arguments: [String], timeout: TimeInterval) throws -> String {
  let process = Process()
  process.executableURL = executable
  process.arguments = arguments
  let output = Pipe()
  let errors = Pipe()
  process.standardOutput = output
  process.standardError = errors
  process.standardInput = FileHandle.nullDevice
  try process.run()
  let timer = DispatchWorkItem { if process.isRunning { process.terminate() } }
  DispatchQueue.global().asyncAfter(deadline: .now() + timeout, execute: timer)
  // Drain stderr on its own thread so neither pipe can fill up and block the child.
  let errorData = LockedData()
  let errorReader = Thread { errorData.set(errors.fileHandleForReading.readDataToEndOfFile()) }
  errorReader.start()
  let outputData = output.fileHandleForReading.readDataToEndOfFile()
  process.waitUntilExit()
  timer.cancel()
  while !errorData.isSet { usleep(1000) }
  let stdout = String(decoding: outputData, as: UTF8.self)
  guard process.terminationStatus == 0, process.terminationReason == .exit else {
    let stderr = String(decoding: errorData.value, as: UTF8.self)
    throw InteropError(
      """
      \(arguments.first ?? "script") failed (status \(process.terminationStatus)\
      \(process.terminationReason == .uncaughtSignal ? ", killed after \(Int(timeout)) s or by a signal" : ""))
      --- stdout ---
      \(stdout)
      --- stderr ---
      \(stderr)
      """)
  }
  return stdout
}

/// Data set once by one thread and read by another.
private final class LockedData: @unchecked Sendable {
  private let lock = NSLock()
  private var data: Data?

  func set(_ value: Data) {
    lock.lock()
    data = value
    lock.unlock()
  }

  var isSet: Bool {
    lock.lock()
    defer { lock.unlock() }
    return data != nil
  }

  var value: Data {
    lock.lock()
    defer { lock.unlock() }
    return data ?? Data()
  }
}
