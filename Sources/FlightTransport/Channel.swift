// Client channels: insecure TCP, TLS, mutual TLS and Unix domain sockets.

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

/// A client channel to one target (`host:port` or `unix:/path`).
///
/// Channels are cheap to share: every call made on one multiplexes over its connections.
package final class GRPCChannel: Sendable {
  let handle: ChannelHandle
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
    handle = ChannelHandle(target: target, credentials: ChannelCredentialsHandle(security), arguments: arguments)
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
