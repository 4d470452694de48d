public import Foundation

#if canImport(Glibc)
  internal import Glibc
#elseif canImport(Musl)
  internal import Musl
#elseif canImport(Darwin)
  internal import Darwin
#endif

/// A Python peer process from `Tests/Peers`, such as the pyarrow Flight server.
///
/// The peer protocol (see `Tests/Peers/README.md`): the peer's first stdout line is
/// `Server listening on localhost:<port>`, flushed once it accepts connections, and the peer
/// exits when its stdin reaches end of file.
///
/// Starting a peer runs `$FLIGHT_TEST_PYTHON $FLIGHT_TEST_PEERS/<script> <arguments>` (see
/// ``InteropEnvironment``) and waits for that first line. A dedicated thread reads it with a
/// blocking read; no test sleeps or polls. The peer's stderr is collected and shown in every
/// error, so a peer that fails to start says why.
///
/// The peer is always reaped: ``stop()`` closes its stdin and waits for it to exit (then sends
/// SIGTERM, then SIGKILL, if it does not), and `deinit` calls ``stop()``, so a failing test
/// cannot leave a server behind. Prefer ``withPeer(_:args:startupTimeout:isolation:body:)``,
/// which stops the peer when its body returns or throws.
public final class PythonPeer: Sendable {
  /// How long ``init(_:arguments:startupTimeout:)`` waits for the first line by default.
  public static let defaultStartupTimeout: TimeInterval = 60

  /// How long ``stop()`` waits for the peer to exit after closing its stdin, before SIGTERM.
  public static let exitGracePeriod: TimeInterval = 5

  /// The script's file name in the peers directory, such as `pyarrow_server.py`.
  public let script: String

  /// The TCP port the peer announced in its first line.
  public let port: Int

  /// The peer's process identifier.
  public let processIdentifier: Int32

  /// The peer's plaintext Flight location, `grpc://localhost:<port>`.
  public var location: String { "grpc://localhost:\(port)" }

  /// Everything the peer has written to stderr so far.
  public var standardError: String { output.stderr.text }

  /// What the peer has written to stdout after its first line, so far.
  public var standardOutput: String { output.stdout.text }

  /// The peer's exit status (or terminating signal) once it has exited, else `nil`.
  public var terminationStatus: Int32? { exited.current }

  private let process: Process
  private let stdin: FileHandle
  private let output: PeerOutput
  private let exited: Latch<Int32>
  private let stopState = LockedState(false)

  /// Starts a peer and blocks until it announces its port.
  ///
  /// In async code prefer ``start(_:arguments:startupTimeout:)``, which waits on a dedicated
  /// thread instead of the caller's.
  ///
  /// - Parameters:
  ///   - script: The file name of the peer in the peers directory, such as `pyarrow_server.py`.
  ///   - arguments: Arguments for the script, such as `["--port", "0"]`.
  ///   - startupTimeout: Seconds to wait for the first line before failing.
  /// - Throws: `InteropError` when the environment is incomplete, the process cannot start, or
  ///   it exits, prints something else or stays silent instead of announcing its port. The
  ///   error includes the peer's stderr; the failed process is reaped before the error is thrown.
  public init(
    _ script: String,
    arguments: [String] = [],
    startupTimeout: TimeInterval = PythonPeer.defaultStartupTimeout
  ) throws {
    let python = try InteropEnvironment.python
    let scriptURL = try InteropEnvironment.peersDirectory.appendingPathComponent(script)
    guard FileManager.default.fileExists(atPath: scriptURL.path) else {
      throw InteropError("Python peer \(scriptURL.path) does not exist")
    }

    let process = Process()
    process.executableURL = python
    process.arguments = [scriptURL.path] + arguments
    var environment = ProcessInfo.processInfo.environment
    environment["PYTHONUNBUFFERED"] = "1"
    process.environment = environment
    let stdinPipe = Pipe()
    let stdoutPipe = Pipe()
    let stderrPipe = Pipe()
    process.standardInput = stdinPipe
    process.standardOutput = stdoutPipe
    process.standardError = stderrPipe

    let exited = Latch<Int32>()
    process.terminationHandler = { process in
      exited.set(process.terminationStatus)
    }
    do {
      try process.run()
    } catch {
      throw InteropError("could not start \(python.path) \(scriptURL.path): \(error)")
    }

    let output = PeerOutput()
    let firstLine = Latch<String?>()
    output.drain(stdoutPipe.fileHandleForReading, into: output.stdout, name: "\(script) stdout") { line in
      firstLine.set(line)
    }
    output.drain(stderrPipe.fileHandleForReading, into: output.stderr, name: "\(script) stderr", firstLine: nil)

    self.script = script
    self.process = process
    self.processIdentifier = process.processIdentifier
    self.stdin = stdinPipe.fileHandleForWriting
    self.output = output
    self.exited = exited

    let prefix = "Server listening on localhost:"
    let problem: String
    switch firstLine.wait(timeout: startupTimeout) {
    case .some(.some(let line)):
      if line.hasPrefix(prefix), let port = Int(line.dropFirst(prefix.count)), port > 0 {
        self.port = port
        return
      }
      problem = "printed \(String(reflecting: line)) instead of \"\(prefix)<port>\""
    case .some(.none):
      _ = exited.wait(timeout: 5)
      problem = "exited (status \(exited.current.map(String.init) ?? "unknown")) before announcing its port"
    case .none:
      problem = "did not announce its port within \(startupTimeout) s"
    }
    self.port = 0
    stop()
    output.stderr.waitForEnd(timeout: 2)
    throw InteropError(
      """
      Python peer \(script) \(problem)
      command: \(python.path) \(([scriptURL.path] + arguments).joined(separator: " "))
      --- peer stderr ---
      \(output.stderr.text)
      """
    )
  }

  /// Starts a peer and waits, on a dedicated thread, until it announces its port.
  ///
  /// - Parameters:
  ///   - script: The file name of the peer in the peers directory, such as `pyarrow_server.py`.
  ///   - arguments: Arguments for the script.
  ///   - startupTimeout: Seconds to wait for the first line before failing.
  /// - Returns: The running peer. Stop it with ``stop()`` (or let it deinitialize).
  /// - Throws: What ``init(_:arguments:startupTimeout:)`` throws.
  public static func start(
    _ script: String,
    arguments: [String] = [],
    startupTimeout: TimeInterval = PythonPeer.defaultStartupTimeout
  ) async throws -> PythonPeer {
    try await runOnThread(named: "start \(script)") {
      try PythonPeer(script, arguments: arguments, startupTimeout: startupTimeout)
    }
  }

  /// Stops the peer: closes its stdin and waits for it to exit; after ``exitGracePeriod``
  /// sends SIGTERM, and two seconds later SIGKILL.
  ///
  /// Idempotent and thread-safe: later and concurrent calls return once the peer is stopped.
  /// Blocks the calling thread for as long as the peer takes to exit (usually milliseconds).
  public func stop() {
    stopState.withLock { stopped in
      guard !stopped else { return }
      stopped = true
      try? stdin.close()
      if exited.wait(timeout: Self.exitGracePeriod) != nil { return }
      if process.isRunning { process.terminate() }
      if exited.wait(timeout: 2) != nil { return }
      kill(processIdentifier, SIGKILL)
      _ = exited.wait(timeout: 5)
    }
  }

  /// Stops the peer like ``stop()``, waiting on a dedicated thread instead of the caller's.
  public func stopInBackground() async {
    _ = try? await runOnThread(named: "stop \(script)") { self.stop() }
  }

  deinit {
    stop()
  }
}

/// Starts a Python peer, runs `body` with it, and stops the peer however `body` ends.
///
/// ```swift
/// try await withPeer("pyarrow_server.py") { peer in
///   let client = try await FlightClient(location: peer.location)
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
/// - Throws: What starting the peer throws (see ``PythonPeer/init(_:arguments:startupTimeout:)``),
///   or what `body` throws.
public func withPeer<Result>(
  _ script: String,
  args: [String] = [],
  startupTimeout: TimeInterval = PythonPeer.defaultStartupTimeout,
  isolation: isolated (any Actor)? = #isolation,
  body: (PythonPeer) async throws -> Result
) async throws -> Result {
  let peer = try await PythonPeer.start(script, arguments: args, startupTimeout: startupTimeout)
  do {
    let result = try await body(peer)
    await peer.stopInBackground()
    return result
  } catch {
    await peer.stopInBackground()
    throw error
  }
}

/// The collected stdout and stderr of a peer, each drained by its own thread.
private final class PeerOutput: Sendable {
  let stdout = Stream()
  let stderr = Stream()

  /// One output stream: the bytes read so far and whether it has ended.
  final class Stream: Sendable {
    private let bytes = LockedState(Data())
    private let ended = Latch<Bool>()

    var text: String {
      bytes.withLock { String(decoding: $0, as: UTF8.self) }
    }

    func append(_ data: Data) {
      bytes.withLock { $0.append(data) }
    }

    func end() {
      ended.set(true)
    }

    func waitForEnd(timeout: TimeInterval) {
      _ = ended.wait(timeout: timeout)
    }
  }

  /// Reads `handle` on a new thread until end of file. With `firstLine`, the first line
  /// (without its newline) goes to `firstLine` and is not kept; end of file before a full first
  /// line gives `firstLine(nil)`. Everything else is appended to `stream`.
  func drain(
    _ handle: FileHandle,
    into stream: Stream,
    name: String,
    firstLine: (@Sendable (String?) -> Void)?
  ) {
    let thread = Thread {
      var pending: Data? = firstLine == nil ? nil : Data()
      var buffer = [UInt8](repeating: 0, count: 64 * 1024)
      while true {
        // read(2) returns what the pipe holds now; FileHandle.read(upToCount:) would wait
        // for the whole count or end of file.
        let count = buffer.withUnsafeMutableBytes { systemRead(handle.fileDescriptor, $0.baseAddress, $0.count) }
        if count < 0, errno == EINTR { continue }
        guard count > 0 else { break }
        let chunk = Data(buffer[0..<count])
        guard var head = pending else {
          stream.append(chunk)
          continue
        }
        head.append(chunk)
        if let newline = head.firstIndex(of: UInt8(ascii: "\n")) {
          var line = String(decoding: head[head.startIndex..<newline], as: UTF8.self)
          if line.hasSuffix("\r") { line.removeLast() }
          firstLine?(line)
          stream.append(head[head.index(after: newline)...])
          pending = nil
        } else {
          pending = head
        }
      }
      if let pending {
        stream.append(pending)
        firstLine?(nil)
      }
      try? handle.close()
      stream.end()
    }
    thread.name = name
    thread.start()
  }
}

private func systemRead(_ descriptor: Int32, _ buffer: UnsafeMutableRawPointer?, _ count: Int) -> Int {
  #if canImport(Glibc)
    Glibc.read(descriptor, buffer, count)
  #elseif canImport(Musl)
    Musl.read(descriptor, buffer, count)
  #else
    Darwin.read(descriptor, buffer, count)
  #endif
}
