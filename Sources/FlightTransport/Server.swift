// A gRPC server: ports, the request loop, dispatch to a handler, graceful shutdown.

internal import ArrowCore
internal import Synchronization

/// How a server port is secured.
package enum ServerSecurity: Sendable, Hashable {
  /// Plain TCP or a Unix domain socket.
  case insecure
  /// TLS with a certificate chain and private key (PEM). With `clientRootCertificates`, the
  /// server requires client certificates signed by those roots (mutual TLS).
  case tls(certificateChain: String, privateKey: String, clientRootCertificates: String? = nil)
}

/// A gRPC server that hands every call, whatever its method, to one handler.
package final class GRPCServer: Sendable {
  /// Handles one call; must finish it (``ServerCall/finish(_:)``).
  package typealias Handler = @Sendable (ServerCall) async -> Void

  let server: ServerHandle
  private let runtime: GRPCRuntime
  private let handler: Handler
  private struct State {
    var started = false
    var shuttingDown = false
  }
  private let state = Mutex(State())
  private let stopped = OneShot<Void>()

  /// A server with `handler`; add ports, then ``start()``.
  package init(maxReceiveMessageLength: Int32 = -1, maxMetadataSize: Int32 = 1 << 20, handler: @escaping Handler) {
    runtime = GRPCRuntime.shared
    self.handler = handler
    let arguments = [
      ChannelArgument(key: "grpc.max_receive_message_length", value: .integer(maxReceiveMessageLength)),
      ChannelArgument(key: "grpc.max_send_message_length", value: .integer(-1)),
      ChannelArgument(key: "grpc.max_metadata_size", value: .integer(maxMetadataSize)),
      ChannelArgument(key: "grpc.absolute_max_metadata_size", value: .integer(maxMetadataSize)),
      ChannelArgument(key: "grpc.so_reuseport", value: .integer(0)),
    ]
    server = ServerHandle(arguments: arguments, queues: runtime.queues)
  }

  /// Binds `address` (`host:port`, port 0 for any free port, or `unix:/path`); returns the
  /// port bound (0 for a Unix socket).
  package func bind(_ address: String, security: ServerSecurity = .insecure) throws(TransportError) -> Int {
    let port = server.addPort(address, credentials: ServerCredentialsHandle(security))
    if port <= 0 && !address.hasPrefix("unix:") {
      throw TransportError(.unavailable, "could not bind \(address): the address is in use or invalid")
    }
    if address.hasPrefix("unix:") && port < 0 {
      throw TransportError(.unavailable, "could not bind \(address)")
    }
    return port
  }

  /// Starts serving: calls go to the handler from now on.
  package func start() {
    let first = state.withLock { state -> Bool in
      defer { state.started = true }
      return !state.started
    }
    guard first else { return }
    server.start()
    // Keep a few requests posted on each queue so new calls are picked up at once.
    for queue in runtime.queues {
      for _ in 0..<4 { GRPCServer.requestCall(on: queue, server: server, owner: self) }
    }
  }

  /// Posts one request for a new call; re-posts itself when a call arrives. The request holds
  /// the server pointer, not the `GRPCServer`: a released server shuts down (its `deinit`),
  /// which fails the posted requests and so lets the pointer go.
  private static func requestCall(on queue: CompletionQueue, server: ServerHandle, owner: GRPCServer) {
    let request = CallRequest { [weak owner] request, success in
      guard success, let call = request.takeCall(queue: queue, server: server) else { return }  // shutting down
      guard let owner else { return call.cancel() }  // released while the call arrived
      let method = request.method
      let metadata = request.metadata
      if !owner.state.withLock({ $0.shuttingDown }) { requestCall(on: queue, server: server, owner: owner) }
      owner.serve(CallEngine(call), method: method, metadata: metadata)
    }
    _ = request.post(on: server, queue: queue)
  }

  /// Runs the handler on a new call in its own task, which is cancelled when the call is (the
  /// client cancels, its deadline passes, or shutdown cancels it), so that handlers see
  /// `Task.isCancelled` and run their cancellation handlers.
  private func serve(_ engine: CallEngine, method: String, metadata: GRPCMetadata) {
    let serverCall: ServerCall
    do {
      serverCall = try ServerCall(engine: engine, method: method, requestMetadata: metadata)
    } catch {
      return engine.cancel()
    }
    let handler = self.handler
    let task = Task {
      await handler(serverCall)
      await serverCall.finish(CallStatus(code: .unknown, message: "the handler ended without a status"))
    }
    serverCall.onClose { cancelled in if cancelled { task.cancel() } }
  }

  /// Stops accepting calls, lets calls in flight finish for up to `grace`, then cancels them.
  package func shutdown(grace: Duration = .seconds(5)) async {
    await shutdown(deadline: .now + grace)
  }

  /// Stops accepting calls, lets calls in flight finish until `deadline`, then cancels those
  /// left (gRPC's and Arrow C++'s `Shutdown(deadline)`). Returns once every call is over. A
  /// later call with an earlier deadline cancels at its own deadline.
  package func shutdown(deadline: ContinuousClock.Instant) async {
    let first = state.withLock { state -> Bool in
      defer { state.shuttingDown = true }
      return !state.shuttingDown
    }
    let server = self.server
    let stopped = self.stopped
    if first {
      server.shutdown(notifying: runtime.queues[0]) { _ in stopped.fulfill(()) }
    }
    let timer = Task {
      try? await Task.sleep(until: deadline)
      if stopped.current == nil { server.cancelAllCalls() }
    }
    await stopped.wait()
    timer.cancel()
  }

  /// Waits until the server has shut down.
  package func wait() async {
    await stopped.wait()
  }

  deinit {
    // A released server shuts down: stop accepting and cancel the calls in flight, without
    // waiting (a deinit may run on a completion-queue thread, which must not block).
    let shuttingDown = state.withLock { $0.shuttingDown }
    guard !shuttingDown else { return }
    server.shutdown(notifying: runtime.queues[0]) { _ in }
    server.cancelAllCalls()
  }
}
