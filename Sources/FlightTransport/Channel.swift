// Client channels: insecure TCP, TLS, mutual TLS and Unix domain sockets.

internal import CGRPC
internal import Foundation
internal import Synchronization

/// TLS settings of a client channel.
package struct ClientTLSConfiguration: Sendable, Hashable {
  /// Root certificates (PEM) to verify the server with; nil uses the system's roots.
  package var rootCertificates: String?
  /// The client's certificate chain (PEM), for mutual TLS.
  package var certificateChain: String?
  /// The client's private key (PEM), for mutual TLS.
  package var privateKey: String?
  /// Accept any server certificate: no chain or host name check. For tests and trusted networks only.
  package var disableServerVerification: Bool

  /// TLS settings; every part optional.
  package init(
    rootCertificates: String? = nil, certificateChain: String? = nil, privateKey: String? = nil,
    disableServerVerification: Bool = false
  ) {
    self.rootCertificates = rootCertificates
    self.certificateChain = certificateChain
    self.privateKey = privateKey
    self.disableServerVerification = disableServerVerification
  }
}

/// How a channel secures its connection.
package enum ChannelSecurity: Sendable, Hashable {
  /// Plain TCP or a Unix domain socket, no TLS.
  case insecure
  /// TLS, optionally mutual.
  case tls(ClientTLSConfiguration)
}

/// Channel settings beyond security.
package struct ChannelOptions: Sendable, Hashable {
  /// The largest message the channel accepts; -1 is unlimited (Arrow C++'s setting, the default).
  package var maxReceiveMessageLength: Int32 = -1
  /// The largest message the channel sends; -1 is unlimited.
  package var maxSendMessageLength: Int32 = -1
  /// The largest metadata (headers or trailers) accepted, in bytes: large enough for error details.
  package var maxMetadataSize: Int32 = 1 << 20
  /// The TLS server name to verify instead of the target's host name.
  package var tlsHostnameOverride: String? = nil

  /// The defaults: unlimited messages, 1 MiB metadata.
  package init() {}
}

/// One channel argument for gRPC core.
struct ChannelArgument {
  enum Value {
    case integer(Int32)
    case string(String)
  }
  var key: String
  var value: Value
}

/// Calls `body` with a `grpc_channel_args` built from `arguments`; gRPC copies what it keeps.
func withChannelArguments<R>(_ arguments: [ChannelArgument], _ body: (UnsafePointer<grpc_channel_args>) -> R) -> R {
  var owned: [UnsafeMutablePointer<CChar>] = []
  defer { for pointer in owned { free(pointer) } }
  var args: [grpc_arg] = arguments.map { argument in
    var arg = grpc_arg()
    let key = strdup(argument.key)!
    owned.append(key)
    arg.key = key
    switch argument.value {
    case .integer(let value):
      arg.type = GRPC_ARG_INTEGER
      arg.value.integer = value
    case .string(let value):
      let copy = strdup(value)!
      owned.append(copy)
      arg.type = GRPC_ARG_STRING
      arg.value.string = copy
    }
    return arg
  }
  return args.withUnsafeMutableBufferPointer { pointer in
    var channelArgs = grpc_channel_args(num_args: pointer.count, args: pointer.baseAddress)
    return body(&channelArgs)
  }
}

/// Makes gRPC credentials for `security`; the caller releases them.
func makeChannelCredentials(_ security: ChannelSecurity) -> OpaquePointer {
  switch security {
  case .insecure:
    return grpc_insecure_credentials_create()
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
    return grpc_tls_credentials_create(options)
  case .tls(let tls):
    if let chain = tls.certificateChain, let key = tls.privateKey {
      return chain.withCString { chainPointer in
        key.withCString { keyPointer in
          var pair = grpc_ssl_pem_key_cert_pair(private_key: keyPointer, cert_chain: chainPointer)
          return withOptionalCString(tls.rootCertificates) { grpc_ssl_credentials_create($0, &pair, nil, nil) }
        }
      }
    }
    return withOptionalCString(tls.rootCertificates) { grpc_ssl_credentials_create($0, nil, nil, nil) }
  }
}

/// Calls `body` with a C string for `string`, or nil.
func withOptionalCString<R>(_ string: String?, _ body: (UnsafePointer<CChar>?) -> R) -> R {
  guard let string else { return body(nil) }
  return string.withCString(body)
}

/// A client channel to one target (`host:port` or `unix:/path`).
///
/// Channels are cheap to share: every call made on one multiplexes over its connections.
package final class GRPCChannel: @unchecked Sendable {
  // Sendable: `channel` is an immutable handle; gRPC core's channel functions are thread safe.
  let channel: OpaquePointer
  let runtime: GRPCRuntime

  /// The target this channel connects to.
  package let target: String
  private let closed = Atomic<Bool>(false)

  /// Opens a channel. gRPC connects lazily, on the first call.
  package init(target: String, security: ChannelSecurity = .insecure, options: ChannelOptions = ChannelOptions()) {
    runtime = GRPCRuntime.shared
    self.target = target
    var arguments = [
      ChannelArgument(key: "grpc.max_receive_message_length", value: .integer(options.maxReceiveMessageLength)),
      ChannelArgument(key: "grpc.max_send_message_length", value: .integer(options.maxSendMessageLength)),
      ChannelArgument(key: "grpc.max_metadata_size", value: .integer(options.maxMetadataSize)),
      ChannelArgument(key: "grpc.absolute_max_metadata_size", value: .integer(options.maxMetadataSize)),
      ChannelArgument(key: "grpc.primary_user_agent", value: .string("arrow-flight-swift")),
    ]
    if let name = options.tlsHostnameOverride {
      arguments.append(ChannelArgument(key: "grpc.ssl_target_name_override", value: .string(name)))
    }
    let credentials = makeChannelCredentials(security)
    defer { grpc_channel_credentials_release(credentials) }
    channel = withChannelArguments(arguments) { args in
      grpc_channel_create(target, credentials, args)
    }
  }

  deinit {
    grpc_channel_destroy(channel)
  }

  /// Starts a call of `method` (e.g. `/arrow.flight.protocol.FlightService/ListActions`),
  /// sending `metadata` as its initial metadata.
  ///
  /// - Parameter timeout: the deadline, measured from now; nil for none.
  /// - Parameter observer: sees the response headers before any message is returned, and the
  ///   final status before the end of the stream is.
  package func makeCall(
    method: String, metadata: GRPCMetadata = GRPCMetadata(), timeout: Duration? = nil,
    observer: (any ClientCallObserver)? = nil
  ) throws(TransportError) -> ClientCall {
    if closed.load(ordering: .relaxed) { throw TransportError(.unavailable, "the channel to \(target) is closed") }
    return try ClientCall(channel: self, method: method, metadata: metadata, timeout: timeout, observer: observer)
  }

  /// Closes the channel for new calls; the connection goes when the last call is over.
  package func close() {
    closed.store(true, ordering: .relaxed)
  }
}
