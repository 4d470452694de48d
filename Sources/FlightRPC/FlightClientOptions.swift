// Options of a Flight client and of its calls.

internal import ArrowIPC

/// Options of one Flight call.
///
/// A call's options merge field by field with the client's defaults
/// (``FlightClientOptions/callOptions``): a field left nil takes the client's value, so a
/// per-call timeout keeps the client's compression and read limits. Headers add up: the
/// client's first, then the call's.
///
/// ```swift
/// var defaults = FlightCallOptions(timeout: .seconds(30))
/// defaults.writeOptions = IPCWriteOptions(compression: .zstd)
/// let client = try FlightClient("grpc://localhost:8815", options: FlightClientOptions(callOptions: defaults))
/// // Compressed, with no deadline at all:
/// try await client.doPut(descriptor, schema: schema, options: FlightCallOptions(timeout: FlightCallOptions.noTimeout))
/// ```
public struct FlightCallOptions: Sendable {
  /// The call's deadline, measured from its start; nil takes the client's. A negative
  /// duration (such as ``noTimeout``) means no deadline, as in Arrow C++; a positive one
  /// shorter than a millisecond rounds up to one millisecond.
  public var timeout: Duration?
  /// Headers sent with the call, after the client's.
  public var headers: FlightHeaders
  /// How batches are encoded on DoPut and DoExchange (compression, alignment); nil takes the
  /// client's.
  public var writeOptions: IPCWriteOptions?
  /// How received batches are decoded; nil takes the client's.
  public var readOptions: IPCReadOptions?

  /// A timeout that means "no deadline", overriding a client's default timeout.
  public static let noTimeout: Duration = .seconds(-1)

  /// Options with the given values; nil fields take the client's.
  public init(
    timeout: Duration? = nil, headers: FlightHeaders = FlightHeaders(), writeOptions: IPCWriteOptions? = nil,
    readOptions: IPCReadOptions? = nil
  ) {
    self.timeout = timeout
    self.headers = headers
    self.writeOptions = writeOptions
    self.readOptions = readOptions
  }

  /// These options over `defaults`: each field set here wins; headers are the defaults'
  /// followed by these.
  public func merged(over defaults: FlightCallOptions) -> FlightCallOptions {
    FlightCallOptions(
      timeout: timeout ?? defaults.timeout, headers: FlightHeaders(defaults.headers.entries + headers.entries),
      writeOptions: writeOptions ?? defaults.writeOptions, readOptions: readOptions ?? defaults.readOptions)
  }

  /// The deadline to give gRPC: nil for none (no timeout, or a negative one).
  var deadline: Duration? {
    guard let timeout, timeout >= .zero else { return nil }
    return timeout
  }
}

/// Settings of a Flight client connection.
public struct FlightClientOptions: Sendable {
  /// Root certificates (PEM) to verify a TLS server with; nil uses the system's roots.
  public var tlsRootCertificates: String?
  /// The client's certificate chain (PEM), for mutual TLS.
  public var certificateChain: String?
  /// The client's private key (PEM), for mutual TLS.
  public var privateKey: String?
  /// The name to verify the server's certificate against, instead of the location's host.
  public var overrideHostname: String?
  /// Accept any server certificate. For tests and trusted networks only.
  public var disableServerVerification: Bool
  /// The largest message a writer sends, in bytes (IPC metadata, body, app metadata, and the
  /// descriptor on the first message, as Arrow C++ counts); nil, zero or less for no limit (as
  /// pyarrow and Arrow C++). A larger one fails with
  /// ``FlightError/Kind-swift.struct/writeSizeExceeded`` and is not sent; the dictionaries it
  /// would have sent go with the next batch written.
  public var writeSizeLimitBytes: Int?
  /// Options applied to every call (a call's own options override them).
  public var callOptions: FlightCallOptions
  /// Middleware that sees every call.
  public var middleware: [any ClientMiddlewareFactory]

  /// The defaults: system roots, no client certificate, no write limit.
  public init(
    tlsRootCertificates: String? = nil, certificateChain: String? = nil, privateKey: String? = nil,
    overrideHostname: String? = nil, disableServerVerification: Bool = false, writeSizeLimitBytes: Int? = nil,
    callOptions: FlightCallOptions = FlightCallOptions(), middleware: [any ClientMiddlewareFactory] = []
  ) {
    self.tlsRootCertificates = tlsRootCertificates
    self.certificateChain = certificateChain
    self.privateKey = privateKey
    self.overrideHostname = overrideHostname
    self.disableServerVerification = disableServerVerification
    self.writeSizeLimitBytes = writeSizeLimitBytes
    self.callOptions = callOptions
    self.middleware = middleware
  }
}
