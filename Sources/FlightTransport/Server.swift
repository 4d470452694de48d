// A gRPC server: ports, the request loop, dispatch to a handler, graceful shutdown.

internal import ArrowCore
internal import CGRPC
internal import Dispatch
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
    let server = withChannelArguments(arguments) { grpc_server_create($0, nil)! }
    for queue in runtime.queues {
      grpc_server_register_completion_queue(server, queue.queue, nil)
    }
    self.server = ServerHandle(server: server)
  }

  /// Binds `address` (`host:port`, port 0 for any free port, or `unix:/path`); returns the
  /// port bound (0 for a Unix socket).
  package func bind(_ address: String, security: ServerSecurity = .insecure) throws(TransportError) -> Int {
    let credentials = makeServerCredentials(security)
    defer { grpc_server_credentials_release(credentials) }
    let port = grpc_server_add_http2_port(server.server, address, credentials)
    if port <= 0 && !address.hasPrefix("unix:") {
      throw TransportError(.unavailable, "could not bind \(address): the address is in use or invalid")
    }
    if address.hasPrefix("unix:") && port < 0 {
      throw TransportError(.unavailable, "could not bind \(address)")
    }
    return Int(port)
  }

  /// Starts serving: calls go to the handler from now on.
  package func start() {
    let first = state.withLock { state -> Bool in
      defer { state.started = true }
      return !state.started
    }
    guard first else { return }
    grpc_server_start(server.server)
    // Keep a few requests posted on each queue so new calls are picked up at once.
    for queue in runtime.queues {
      for _ in 0..<4 { GRPCServer.requestCall(on: queue, server: server, owner: self) }
    }
  }

  /// Posts one request for a new call; re-posts itself when a call arrives. The request holds
  /// the server pointer, not the `GRPCServer`: a released server shuts down (its `deinit`),
  /// which fails the posted requests and so lets the pointer go.
  private static func requestCall(on queue: CompletionQueue, server: ServerHandle, owner: GRPCServer) {
    let request = CallRequest()
    let tag = CompletionTag { [weak owner] success in
      guard success, let call = request.call.pointee else { return }  // shutting down
      let handle = CallHandle(call: call, queue: queue, keepAlive: server)
      guard let owner else { return handle.cancel() }  // released while the call arrived
      let method = Bridging.string(of: request.details.pointee.method)
      let metadata = request.metadata.metadata
      if !owner.state.withLock({ $0.shuttingDown }) { requestCall(on: queue, server: server, owner: owner) }
      owner.serve(handle, method: method, metadata: metadata)
    }
    let pointer = tag.retainedPointer()
    let result = grpc_server_request_call(
      server.server, request.call, request.details, request.metadata.pointer, queue.queue, queue.queue, pointer)
    if result != GRPC_CALL_OK { CompletionTag.release(pointer) }
  }

  /// Runs the handler on a new call in its own task, which is cancelled when the call is (the
  /// client cancels, its deadline passes, or shutdown cancels it), so that handlers see
  /// `Task.isCancelled` and run their cancellation handlers.
  private func serve(_ handle: CallHandle, method: String, metadata: GRPCMetadata) {
    let serverCall: ServerCall
    do {
      serverCall = try ServerCall(handle: handle, method: method, requestMetadata: metadata)
    } catch {
      return handle.cancel()
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
      let tag = CompletionTag { _ in stopped.fulfill(()) }
      grpc_server_shutdown_and_notify(server.server, runtime.queues[0].queue, tag.retainedPointer())
    }
    let timer = Task {
      try? await Task.sleep(until: deadline)
      if stopped.current == nil { grpc_server_cancel_all_calls(server.server) }
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
    let tag = CompletionTag { _ in }
    grpc_server_shutdown_and_notify(server.server, runtime.queues[0].queue, tag.retainedPointer())
    grpc_server_cancel_all_calls(server.server)
  }
}

/// The server pointer; destroyed when the server and every call made through it are gone.
final class ServerHandle: @unchecked Sendable {
  // Sendable: gRPC core's server functions are thread safe.
  let server: OpaquePointer

  init(server: OpaquePointer) { self.server = server }

  deinit {
    // gRPC requires a completed shutdown before destroy. Ask for (another) notification and
    // destroy when it arrives, on the queue's thread, instead of waiting here: this deinit
    // may itself run on that thread (the last call's completion), where waiting deadlocks.
    let server = UncheckedServerPointer(server: server)
    let tag = CompletionTag { _ in grpc_server_destroy(server.server) }
    grpc_server_shutdown_and_notify(server.server, GRPCRuntime.shared.queues[0].queue, tag.retainedPointer())
    grpc_server_cancel_all_calls(server.server)
  }
}

/// A server pointer that may cross to the queue thread that destroys it.
private struct UncheckedServerPointer: @unchecked Sendable {
  // Sendable: used once, by the completion that destroys the server.
  let server: OpaquePointer
}

/// Heap storage that `grpc_server_request_call` fills.
private final class CallRequest: @unchecked Sendable {
  let call = UnsafeMutablePointer<OpaquePointer?>.allocate(capacity: 1)
  let details = UnsafeMutablePointer<grpc_call_details>.allocate(capacity: 1)
  let metadata = IncomingMetadata()

  init() {
    call.initialize(to: nil)
    grpc_call_details_init(details)
  }

  deinit {
    grpc_call_details_destroy(details)
    details.deallocate()
    call.deallocate()
  }
}

/// Makes gRPC server credentials for `security`.
func makeServerCredentials(_ security: ServerSecurity) -> OpaquePointer {
  switch security {
  case .insecure:
    return grpc_insecure_server_credentials_create()
  case .tls(let chain, let key, let clientRoots):
    return chain.withCString { chainPointer in
      key.withCString { keyPointer in
        var pair = grpc_ssl_pem_key_cert_pair(private_key: keyPointer, cert_chain: chainPointer)
        let request =
          clientRoots == nil
          ? GRPC_SSL_DONT_REQUEST_CLIENT_CERTIFICATE : GRPC_SSL_REQUEST_AND_REQUIRE_CLIENT_CERTIFICATE_AND_VERIFY
        return withOptionalCString(clientRoots) { roots in
          grpc_ssl_server_credentials_create_ex(roots, &pair, 1, request, nil)
        }
      }
    }
  }
}
