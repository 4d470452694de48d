// Options of a Flight server: TLS, authentication and middleware.

internal import ArrowIPC

/// TLS settings of a Flight server.
public struct FlightServerTLS: Sendable, Hashable {
  /// The server's certificate chain (PEM).
  public var certificateChain: String
  /// The server's private key (PEM).
  public var privateKey: String
  /// When set, clients must present a certificate signed by these roots (mutual TLS); the
  /// certificate's name becomes the call's ``ServerCallContext/peerIdentity``.
  public var clientRootCertificates: String?

  /// TLS with a certificate and key; `clientRootCertificates` turns on mutual TLS.
  public init(certificateChain: String, privateKey: String, clientRootCertificates: String? = nil) {
    self.certificateChain = certificateChain
    self.privateKey = privateKey
    self.clientRootCertificates = clientRootCertificates
  }
}

/// Settings of a Flight server.
public struct FlightServerOptions: Sendable {
  /// TLS, required for `grpc+tls` locations.
  public var tls: FlightServerTLS?
  /// The largest message accepted, in bytes; nil is unlimited (Arrow C++'s setting).
  public var maxReceiveMessageLength: Int?
  /// How long ``FlightServer/shutdown()`` lets calls in flight finish before cancelling them.
  public var shutdownGracePeriod: Duration
  /// Handshake authentication: validates the `auth-token-bin` of every call.
  public var authHandler: (any ServerAuthHandler)?
  /// Middleware run on every call, in order, before the handler.
  public var middleware: [KeyedServerMiddleware]

  /// The defaults: plain, unlimited messages, 5 s shutdown grace, no authentication.
  public init(
    tls: FlightServerTLS? = nil, maxReceiveMessageLength: Int? = nil, shutdownGracePeriod: Duration = .seconds(5),
    authHandler: (any ServerAuthHandler)? = nil, middleware: [KeyedServerMiddleware] = []
  ) {
    self.tls = tls
    self.maxReceiveMessageLength = maxReceiveMessageLength
    self.shutdownGracePeriod = shutdownGracePeriod
    self.authHandler = authHandler
    self.middleware = middleware
  }
}
