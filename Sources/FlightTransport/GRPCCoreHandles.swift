// gRPC core's handles: final classes that each own one C pointer (a call, a channel, a server,
// credentials), make it, answer what gRPC core knows about it, and release it in `deinit`.
// A `deinit` here only releases: no waiting, no locking. The server's release takes two steps,
// since gRPC core destroys a server only after a completed shutdown (see ServerHandle).

internal import CGRPC

/// A gRPC call pointer. Every batch in flight holds the handle, and the handle holds the
/// channel or server the call was made on, so each C object outlives its users.
final class CallHandle: @unchecked Sendable {
  // Sendable: `pointer` is immutable, and gRPC core's call functions are thread safe as long
  // as sends and receives are each serialized (the callers' contract).
  let pointer: OpaquePointer
  /// The queue the call's batches report on.
  let queue: CompletionQueue
  /// The channel or server handle the call was made on.
  private let owner: AnyObject

  /// Takes over `pointer`, a call made on `owner` (released after the call).
  init(pointer: OpaquePointer, queue: CompletionQueue, owner: AnyObject) {
    self.pointer = pointer
    self.queue = queue
    self.owner = owner
  }

  /// A new client call of `method` on `channel`, reporting on `queue`, with a deadline
  /// `timeout` from now (none when nil or negative).
  convenience init(
    channel: ChannelHandle, method: String, queue: CompletionQueue, timeout: Duration?
  ) throws(TransportError) {
    let methodSlice = grpc_slice_from_copied_string(method)
    defer { grpc_slice_unref(methodSlice) }
    guard
      let call = grpc_channel_create_call(
        channel.pointer, nil, CGRPC_propagate_defaults(), queue.queue, methodSlice, nil,
        Conversions.deadline(timeout), nil)
    else {
      throw TransportError(.internal, "gRPC core could not create a call for \(method)")
    }
    self.init(pointer: call, queue: queue, owner: channel)
  }

  deinit {
    grpc_call_unref(pointer)
  }

  /// Cancels the call; pending and later operations fail promptly.
  func cancel() {
    grpc_call_cancel(pointer, nil)
  }

  /// Whether the end of the received stream came from an error (a cancellation, a lost
  /// connection) rather than the peer's graceful half-close.
  var failedBeforeReceivingMessage: Bool {
    grpc_call_failed_before_recv_message(pointer) != 0
  }

  /// The peer's address, e.g. `ipv4:127.0.0.1:50051`.
  var peer: String {
    guard let peer = grpc_call_get_peer(pointer) else { return "" }
    defer { gpr_free(peer) }
    return String(cString: peer)
  }

  /// The identities of the authenticated peer (TLS client certificate names), if any.
  var peerIdentity: [String] {
    guard let context = grpc_call_auth_context(pointer) else { return [] }
    defer { grpc_auth_context_release(context) }
    var iterator = grpc_auth_context_peer_identity(context)
    var names: [String] = []
    while let property = grpc_auth_property_iterator_next(&iterator) {
      guard let value = property.pointee.value else { continue }
      names.append(
        String(decoding: UnsafeRawBufferPointer(start: value, count: property.pointee.value_length), as: UTF8.self))
    }
    return names
  }
}

/// A client channel pointer.
final class ChannelHandle: @unchecked Sendable {
  // Sendable: `pointer` is immutable; gRPC core's channel functions are thread safe.
  let pointer: OpaquePointer

  /// A channel to `target` (`host:port` or `unix:/path`); gRPC connects lazily, on the first call.
  init(target: String, credentials: ChannelCredentialsHandle, arguments: [ChannelArgument]) {
    pointer = Conversions.withChannelArguments(arguments) { args in
      grpc_channel_create(target, credentials.pointer, args)
    }
  }

  deinit {
    grpc_channel_destroy(pointer)
  }
}

/// Client channel credentials.
final class ChannelCredentialsHandle {
  let pointer: OpaquePointer

  /// Credentials for `security`.
  init(_ security: ChannelSecurity) {
    switch security {
    case .insecure:
      pointer = grpc_insecure_credentials_create()
    case .tls(let tls) where tls.disableServerVerification:
      // The TLS credentials API is the one that can skip verification: a no-op verifier.
      let options = grpc_tls_credentials_options_create()!
      if let chain = tls.certificateChain, let key = tls.privateKey {
        let pairs = grpc_tls_identity_pairs_create()!
        grpc_tls_identity_pairs_add_pair(pairs, key, chain)
        let provider = grpc_tls_certificate_provider_static_data_create(nil, pairs)
        grpc_tls_credentials_options_set_certificate_provider(options, provider)
        grpc_tls_credentials_options_watch_identity_key_cert_pairs(options)
        grpc_tls_certificate_provider_release(provider)
      }
      grpc_tls_credentials_options_set_verify_server_cert(options, 0)
      grpc_tls_credentials_options_set_check_call_host(options, 0)
      let verifier = grpc_tls_certificate_verifier_no_op_create()
      grpc_tls_credentials_options_set_certificate_verifier(options, verifier)
      grpc_tls_certificate_verifier_release(verifier)
      pointer = grpc_tls_credentials_create(options)  // takes `options`
    case .tls(let tls):
      if let chain = tls.certificateChain, let key = tls.privateKey {
        pointer = chain.withCString { chainPointer in
          key.withCString { keyPointer in
            var pair = grpc_ssl_pem_key_cert_pair(private_key: keyPointer, cert_chain: chainPointer)
            return withOptionalCString(tls.rootCertificates) { grpc_ssl_credentials_create($0, &pair, nil, nil) }
          }
        }
      } else {
        pointer = withOptionalCString(tls.rootCertificates) { grpc_ssl_credentials_create($0, nil, nil, nil) }
      }
    }
  }

  deinit {
    grpc_channel_credentials_release(pointer)
  }
}

/// Server credentials.
final class ServerCredentialsHandle {
  let pointer: OpaquePointer

  /// Credentials for `security`.
  init(_ security: ServerSecurity) {
    switch security {
    case .insecure:
      pointer = grpc_insecure_server_credentials_create()
    case .tls(let chain, let key, let clientRoots):
      pointer = chain.withCString { chainPointer in
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

  deinit {
    grpc_server_credentials_release(pointer)
  }
}

/// Calls `body` with a C string for `string`, or nil.
private func withOptionalCString<R>(_ string: String?, _ body: (UnsafePointer<CChar>?) -> R) -> R {
  guard let string else { return body(nil) }
  return string.withCString(body)
}

/// A server pointer; destroyed when the server and every call made through it are gone.
final class ServerHandle: @unchecked Sendable {
  // Sendable: `pointer` is immutable; gRPC core's server functions are thread safe.
  let pointer: OpaquePointer
  /// The queue of the shutdown notification that destroys the server.
  private let releaseQueue: CompletionQueue

  /// A server with `arguments`, reporting on every queue of `queues`.
  init(arguments: [ChannelArgument], queues: [CompletionQueue]) {
    pointer = Conversions.withChannelArguments(arguments) { grpc_server_create($0, nil)! }
    for queue in queues {
      grpc_server_register_completion_queue(pointer, queue.queue, nil)
    }
    releaseQueue = queues[0]
  }

  deinit {
    // gRPC core destroys a server only after a completed shutdown. The release asks for (another)
    // shutdown notification and destroys the server when it arrives, on the queue's thread,
    // instead of waiting here: this deinit may itself run on that thread (the last call's
    // completion), where waiting deadlocks.
    let server = UncheckedServerPointer(pointer: pointer)
    let tag = CallbackTag { _ in grpc_server_destroy(server.pointer) }
    grpc_server_shutdown_and_notify(pointer, releaseQueue.queue, tag.retainedPointer())
    grpc_server_cancel_all_calls(pointer)
  }

  /// Binds `address` with `credentials`; the port bound, 0 for a Unix socket, or a negative
  /// number (or 0 for TCP) on failure.
  func addPort(_ address: String, credentials: ServerCredentialsHandle) -> Int {
    Int(grpc_server_add_http2_port(pointer, address, credentials.pointer))
  }

  /// Starts the server.
  func start() {
    grpc_server_start(pointer)
  }

  /// Stops accepting calls; `notify` runs on `queue`'s thread once every call is over.
  func shutdown(notifying queue: CompletionQueue, _ notify: @escaping (Bool) -> Void) {
    grpc_server_shutdown_and_notify(pointer, queue.queue, CallbackTag(notify).retainedPointer())
  }

  /// Cancels every call in flight.
  func cancelAllCalls() {
    grpc_server_cancel_all_calls(pointer)
  }
}

/// A server pointer that may cross to the queue thread that destroys it.
private struct UncheckedServerPointer: @unchecked Sendable {
  // Sendable: used once, by the completion that destroys the server.
  let pointer: OpaquePointer
}
