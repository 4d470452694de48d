// The one way the tests run processes: Swift tools (`flight`, `flight-integration`), Python
// peers and scripts, openssl, shells. A process runs to completion (`TestProcess.run`), or
// serves until stopped (`TestProcess.startServer`, `withServerProcess`).

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

  /// The stdout lines, without the empty one after the last newline.
  public var lines: [String] {
    let lines = stdout.split(separator: "\n", omittingEmptySubsequences: false).map(String.init)
    return lines.last == "" ? Array(lines.dropLast()) : lines
  }

  /// The status, stdout and stderr, for a test failure.
  public var description: String { "status \(status)\n--- stdout ---\n\(stdout)\n--- stderr ---\n\(stderr)" }
}

/// A child process of a test: started with arguments, environment and a stdin, its stdout and
/// stderr collected by a thread each (so it never blocks on a full pipe), awaited under
/// watchdogs, and always reaped.
///
/// - A *ready line* is the first stdout line; servers (the Python peers, `flight serve`,
///   `flight-integration server`) print `Server listening on …` once they accept connections.
///   ``readyLine(timeout:)`` waits for it with a blocking read on a thread of its own: no test
///   sleeps or polls to find out whether a server is ready. (Polling is left for state that a
///   peer reports only when asked: ``poll(timeout:every:until:)``.)
/// - Every wait has a deadline. When it passes, the process gets SIGTERM and, 5 s later,
///   SIGKILL (children inherit this process's blocked signals, so a hung child may never see
///   the SIGTERM).
/// - The process is always reaped: ``stop(signal:grace:)`` ends it, and `deinit` kills a process
///   still running, so a failing test cannot leave one behind. Prefer
///   ``withServerProcess(_:_:environment:input:readyTimeout:isolation:body:)``, which stops the
///   server however its body ends.
public final class TestProcess: Sendable {
  /// What the process reads on stdin.
  public enum Input: Sendable {
    /// The null device: end of file at once.
    case closed
    /// A pipe kept open until ``closeInput()`` or ``stop(signal:grace:)``: peers and
    /// `flight-integration server` exit when it reaches end of file.
    case pipe
  }

  /// How long ``startServer(_:_:environment:input:readyTimeout:)`` waits for the ready line by default.
  public static let defaultReadyTimeout: TimeInterval = 60

  /// The executable's file name and the arguments, for messages.
  public let command: String

  /// The process identifier.
  public let processIdentifier: Int32

  private let process: Process
  private let input: FileHandle?
  private let output = CollectedOutput()
  private let errors = CollectedOutput()
  private let exit: Latch<TestProcessExit>
  private let inputClosed = LockedState(false)

  private init(process: Process, command: String, input: FileHandle?, exit: Latch<TestProcessExit>) {
    self.process = process
    self.exit = exit
    self.command = command
    self.input = input
    self.processIdentifier = process.processIdentifier
  }

  /// Starts `executable arguments`.
  ///
  /// - Parameters:
  ///   - executable: The program to run.
  ///   - arguments: Its arguments.
  ///   - environment: Variables added to (or replacing those of) this process's environment.
  ///   - input: What the process reads on stdin.
  ///   - watchdog: Seconds after which the process is ended (SIGTERM, then SIGKILL) whatever
  ///     it is doing; nil for none.
  /// - Throws: ``InteropError`` when the process cannot be started.
  public static func start(
    _ executable: URL, _ arguments: [String], environment: [String: String] = [:], input: Input = .closed,
    watchdog: TimeInterval? = nil
  ) throws -> TestProcess {
    let process = Process()
    process.executableURL = executable
    process.arguments = arguments
    if !environment.isEmpty {
      process.environment = ProcessInfo.processInfo.environment.merging(environment) { $1 }
    }
    let inputPipe: Pipe?
    switch input {
    case .closed:
      inputPipe = nil
      process.standardInput = FileHandle.nullDevice
    case .pipe:
      inputPipe = Pipe()
      process.standardInput = inputPipe
    }
    let outputPipe = Pipe()
    let errorPipe = Pipe()
    process.standardOutput = outputPipe
    process.standardError = errorPipe
    let exit = Latch<TestProcessExit>()
    process.terminationHandler = { process in
      let signaled = process.terminationReason == .uncaughtSignal
      exit.set(
        TestProcessExit(
          status: signaled ? 128 + process.terminationStatus : process.terminationStatus, signaled: signaled))
    }
    let command = ([executable.lastPathComponent] + arguments).joined(separator: " ")
    do {
      try process.run()
    } catch {
      throw InteropError("could not start \(executable.path): \(error)")
    }
    let started = TestProcess(process: process, command: command, input: inputPipe?.fileHandleForWriting, exit: exit)
    started.output.drain(outputPipe.fileHandleForReading, name: "\(executable.lastPathComponent) stdout")
    started.errors.drain(errorPipe.fileHandleForReading, name: "\(executable.lastPathComponent) stderr")
    if let watchdog {
      let escalation = Escalation(processIdentifier: process.processIdentifier, exit: exit)
      DispatchQueue.global().asyncAfter(deadline: .now() + watchdog) { escalation.run() }
    }
    return started
  }

  /// Runs `executable arguments` to completion on a thread of its own (never blocking the
  /// cooperative pool) and returns what it printed, whatever its exit status.
  ///
  /// - Parameters:
  ///   - executable: The program to run.
  ///   - arguments: Its arguments.
  ///   - environment: Variables added to this process's environment.
  ///   - timeout: Seconds after which the process is ended (SIGTERM, then SIGKILL).
  /// - Throws: ``InteropError`` when the process cannot be started.
  public static func run(
    _ executable: URL, _ arguments: [String], environment: [String: String] = [:], timeout: TimeInterval
  ) async throws -> ProcessResult {
    try await runOnThread(named: "run \(executable.lastPathComponent)") {
      try runBlocking(executable, arguments, environment: environment, timeout: timeout)
    }
  }

  /// ``run(_:_:environment:timeout:)`` on the calling thread, for synchronous code.
  ///
  /// - Throws: ``InteropError`` when the process cannot be started.
  public static func runBlocking(
    _ executable: URL, _ arguments: [String], environment: [String: String] = [:], timeout: TimeInterval
  ) throws -> ProcessResult {
    let process = try start(executable, arguments, environment: environment, watchdog: timeout)
    // The watchdog ends the process; the bound here only guards against a process that even
    // SIGKILL cannot end.
    return process.waitBlocking(timeout: timeout + 30)
  }

  /// Starts a server and waits for its ready line, `Server listening on localhost:<port>` or
  /// `Server listening on unix:<path>`.
  ///
  /// - Parameters:
  ///   - executable: The program to run.
  ///   - arguments: Its arguments.
  ///   - environment: Variables added to this process's environment.
  ///   - input: What the server reads on stdin (`.pipe` for servers that stop at its end).
  ///   - readyTimeout: Seconds to wait for the ready line.
  /// - Returns: The running server; ``port`` and ``location`` say where it listens.
  /// - Throws: ``InteropError`` with the server's stderr when it cannot start, or exits, prints
  ///   something else or stays silent instead of its ready line; the process is reaped first.
  public static func startServer(
    _ executable: URL, _ arguments: [String], environment: [String: String] = [:], input: Input = .closed,
    readyTimeout: TimeInterval = defaultReadyTimeout
  ) async throws -> TestProcess {
    // Started on a thread of its own, as every blocking step here: the cooperative pool is small.
    let server = try await runOnThread(named: "start \(executable.lastPathComponent)") {
      try start(executable, arguments, environment: environment, input: input)
    }
    let line = try await server.readyLine(timeout: readyTimeout)
    guard server.announcedPort(line) != nil else {
      let result = await server.stop()
      throw InteropError(
        """
        \(server.command) printed \(String(reflecting: line)) instead of "Server listening on localhost:<port>"
        --- stderr ---
        \(result.stderr)
        """)
    }
    return server
  }

  /// The first stdout line, without its newline, once it has come.
  ///
  /// - Parameter timeout: Seconds to wait for it.
  /// - Throws: ``InteropError`` with the process's stderr when the process ends its stdout
  ///   first or the line does not come in time; the process is stopped and reaped first.
  public func readyLine(timeout: TimeInterval) async throws -> String {
    let line = try await runOnThread(named: "ready \(command.prefix(40))") { [output] in
      output.firstLine.wait(timeout: timeout)
    }
    if case .some(.some(let line)) = line { return line }
    let result = await stop()
    let problem =
      line == nil
      ? "did not print its first line within \(Int(timeout)) s"
      : "exited (status \(result.status)) before its first line"
    throw InteropError(
      """
      \(command) \(problem)
      --- stderr ---
      \(result.stderr)
      """)
  }

  /// The ready line, or empty before it has come.
  public var firstLine: String { (output.firstLine.current ?? nil) ?? "" }

  /// The TCP port of the ready line `Server listening on localhost:<port>`, else 0 (such as for
  /// a Unix socket).
  public var port: Int { announcedPort(firstLine) ?? 0 }

  /// `grpc://localhost:<port>`.
  public var location: String { "grpc://localhost:\(port)" }

  /// Everything the process has written to stdout so far (its ready line included).
  public var stdout: String { output.text }

  /// Everything the process has written to stderr so far.
  public var stderr: String { errors.text }

  /// Closes the process's stdin (when it is a pipe): peers stop at its end.
  public func closeInput() {
    let close = inputClosed.withLock { closed in
      defer { closed = true }
      return !closed
    }
    if close { try? input?.close() }
  }

  /// Sends `signal` to the process unless it has exited.
  public func send(_ signal: Int32) {
    if exit.current == nil { kill(processIdentifier, signal) }
  }

  /// Waits for the process to exit and its output to end; after `timeout` seconds sends SIGTERM,
  /// and SIGKILL 5 s later.
  ///
  /// - Parameter timeout: Seconds to wait before ending the process.
  /// - Returns: How the process ended and everything it printed.
  public func wait(timeout: TimeInterval) async -> ProcessResult {
    (try? await runOnThread(named: "wait \(command.prefix(40))") { self.waitBlocking(timeout: timeout) })
      ?? ProcessResult(status: -1, signaled: false, stdout: stdout, stderr: stderr)
  }

  /// Ends the process and waits for it: sends `signal`, or without one closes its stdin (when
  /// it is a pipe) or sends SIGTERM (when it is not); after `grace` seconds sends SIGTERM, and
  /// SIGKILL 5 s later.
  ///
  /// Idempotent: a process that has exited is not signalled again.
  ///
  /// - Parameters:
  ///   - signal: The signal that ends the process, such as `SIGINT`.
  ///   - grace: Seconds to wait before forcing the end.
  /// - Returns: How the process ended (``ProcessResult/status`` is 0 for a clean stop) and
  ///   everything it printed.
  @discardableResult
  public func stop(signal: Int32? = nil, grace: TimeInterval = 10) async -> ProcessResult {
    if let signal {
      send(signal)
    } else if input != nil {
      closeInput()
    } else {
      send(SIGTERM)
    }
    return await wait(timeout: grace)
  }

  func waitBlocking(timeout: TimeInterval) -> ProcessResult {
    if exit.wait(timeout: timeout) == nil {
      Escalation(processIdentifier: processIdentifier, exit: exit).run()
    }
    let ending = exit.wait(timeout: 30) ?? TestProcessExit(status: -1, signaled: true)
    // A grandchild may hold the pipes open: wait for their end, but not forever.
    output.waitForEnd(timeout: 5)
    errors.waitForEnd(timeout: 5)
    closeInput()
    return ProcessResult(status: ending.status, signaled: ending.signaled, stdout: stdout, stderr: stderr)
  }

  private func announcedPort(_ line: String) -> Int? {
    if line.hasPrefix("Server listening on unix:") { return 0 }
    let prefix = "Server listening on localhost:"
    guard line.hasPrefix(prefix), let port = Int(line.dropFirst(prefix.count)), port > 0 else { return nil }
    return port
  }

  deinit {
    closeInput()
    if exit.current == nil {
      kill(processIdentifier, SIGKILL)
      _ = exit.wait(timeout: 10)
    }
  }
}

/// Starts a server (see ``TestProcess/startServer(_:_:environment:input:readyTimeout:)``), runs
/// `body` with it, and stops it (``TestProcess/stop(signal:grace:)``) however `body` ends.
///
/// - Parameters:
///   - executable: The program to run.
///   - arguments: Its arguments.
///   - environment: Variables added to this process's environment.
///   - input: What the server reads on stdin (`.pipe` for servers that stop at its end).
///   - readyTimeout: Seconds to wait for the ready line.
///   - isolation: The caller's actor isolation, inherited by `body`.
///   - body: The work to do while the server runs.
/// - Returns: What `body` returns.
/// - Throws: What starting the server throws, or what `body` throws.
public func withServerProcess<Result>(
  _ executable: URL, _ arguments: [String], environment: [String: String] = [:],
  input: TestProcess.Input = .closed, readyTimeout: TimeInterval = TestProcess.defaultReadyTimeout,
  isolation: isolated (any Actor)? = #isolation,
  body: (TestProcess) async throws -> Result
) async throws -> Result {
  let server = try await TestProcess.startServer(
    executable, arguments, environment: environment, input: input, readyTimeout: readyTimeout)
  do {
    let result = try await body(server)
    await server.stop()
    return result
  } catch {
    await server.stop()
    throw error
  }
}

/// How a process ended: its status (128 + the signal number for a signal) and whether a signal ended it.
private struct TestProcessExit: Sendable {
  var status: Int32
  var signaled: Bool
}

/// Ends a process that overran a deadline: SIGTERM, then SIGKILL 5 s later, unless it exits.
private struct Escalation: Sendable {
  let processIdentifier: Int32
  let exit: Latch<TestProcessExit>

  func run() {
    guard exit.current == nil else { return }
    kill(processIdentifier, SIGTERM)
    if exit.wait(timeout: 5) == nil { kill(processIdentifier, SIGKILL) }
  }
}

/// The collected bytes of one output of a process, drained by a thread of its own; the first
/// line is also kept apart, for ready lines.
private final class CollectedOutput: Sendable {
  private let bytes = LockedState(Data())
  private let ended = Latch<Bool>()
  /// The first line without its newline; nil when the output ended before a whole line.
  let firstLine = Latch<String?>()

  var text: String {
    bytes.withLock { String(decoding: $0, as: UTF8.self) }
  }

  func waitForEnd(timeout: TimeInterval) {
    _ = ended.wait(timeout: timeout)
  }

  /// Reads `handle` on a new thread until end of file.
  func drain(_ handle: FileHandle, name: String) {
    let thread = Thread { [self] in
      var head: Data? = Data()  // the bytes before the first newline, until it comes
      var buffer = [UInt8](repeating: 0, count: 64 * 1024)
      while true {
        // read(2) returns what the pipe holds now; FileHandle.read(upToCount:) would wait
        // for the whole count or end of file.
        let count = buffer.withUnsafeMutableBytes { systemRead(handle.fileDescriptor, $0.baseAddress, $0.count) }
        if count < 0, errno == EINTR { continue }
        guard count > 0 else { break }
        let chunk = Data(buffer[0..<count])
        bytes.withLock { $0.append(chunk) }
        guard var pending = head else { continue }
        if let newline = chunk.firstIndex(of: UInt8(ascii: "\n")) {
          pending.append(chunk[..<newline])
          var line = String(decoding: pending, as: UTF8.self)
          if line.hasSuffix("\r") { line.removeLast() }
          firstLine.set(line)
          head = nil
        } else {
          pending.append(chunk)
          head = pending
        }
      }
      firstLine.set(nil)
      try? handle.close()
      ended.set(true)
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
