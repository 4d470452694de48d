// Python scripts and peers of Tests/Peers, run by the interop Python (see InteropEnvironment)
// through TestProcess.

public import Foundation

/// Runs the interop Python with `arguments` (a script path, or `-c` and a program, then its
/// arguments) to completion; returns its stdout.
///
/// The interpreter's stdin is closed. It must finish within `timeout` seconds.
///
/// - Throws: ``InteropError`` with the interpreter's stdout and stderr when it exits non-zero or
///   runs out of time.
public func runPython(_ arguments: [String], timeout: TimeInterval = 120) async throws -> String {
  let result = try await TestProcess.run(try InteropEnvironment.python, arguments, timeout: timeout)
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

/// Starts the Python peer `Tests/Peers/<script>` and waits for it to announce its port.
///
/// The peer protocol (see `Tests/Peers/README.md`): the peer's first stdout line is
/// `Server listening on localhost:<port>`, flushed once it accepts connections, and the peer
/// exits when its stdin reaches end of file, which ``TestProcess/stop(signal:grace:)`` closes.
/// Prefer ``withPeer(_:args:startupTimeout:isolation:body:)``, which stops the peer however its
/// body ends.
///
/// - Parameters:
///   - script: The file name of the peer in `Tests/Peers`, such as `pyarrow_server.py`.
///   - args: Arguments for the script, such as `["--port", "0"]`.
///   - startupTimeout: Seconds to wait for the peer to announce its port.
/// - Returns: The running peer (``TestProcess/location`` is its plaintext location).
/// - Throws: ``InteropError`` when the environment is incomplete or the peer does not start (see
///   ``TestProcess/startServer(_:_:environment:input:readyTimeout:)``).
public func startPeer(
  _ script: String, args: [String] = [], startupTimeout: TimeInterval = TestProcess.defaultReadyTimeout
) async throws -> TestProcess {
  let scriptURL = try InteropEnvironment.peersDirectory.appendingPathComponent(script)
  guard FileManager.default.fileExists(atPath: scriptURL.path) else {
    throw InteropError("Python peer \(scriptURL.path) does not exist")
  }
  return try await TestProcess.startServer(
    try InteropEnvironment.python, [scriptURL.path] + args, environment: ["PYTHONUNBUFFERED": "1"], input: .pipe,
    readyTimeout: startupTimeout)
}

/// Starts a Python peer, runs `body` with it, and stops the peer however `body` ends.
///
/// ```swift
/// try await withPeer("pyarrow_server.py") { peer in
///   let client = try FlightClient(peer.location)
///   ...
/// }
/// ```
///
/// - Parameters:
///   - script: The file name of the peer in `Tests/Peers`, such as `pyarrow_server.py`.
///   - args: Arguments for the script.
///   - startupTimeout: Seconds to wait for the peer to announce its port.
///   - isolation: The caller's actor isolation, inherited by `body`.
///   - body: The work to do while the peer runs.
/// - Returns: What `body` returns.
/// - Throws: What ``startPeer(_:args:startupTimeout:)`` throws, or what `body` throws.
public func withPeer<Result>(
  _ script: String,
  args: [String] = [],
  startupTimeout: TimeInterval = TestProcess.defaultReadyTimeout,
  isolation: isolated (any Actor)? = #isolation,
  body: (TestProcess) async throws -> Result
) async throws -> Result {
  let peer = try await startPeer(script, args: args, startupTimeout: startupTimeout)
  do {
    let result = try await body(peer)
    await peer.stop()
    return result
  } catch {
    await peer.stop()
    throw error
  }
}
