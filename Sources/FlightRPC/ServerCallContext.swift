// What a server handler knows about its call, and what it can add to the response.

internal import FlightTransport
internal import Synchronization

/// The context of one server call: who is calling, which method, the request headers, and
/// the response headers and trailers the handler wants to add.
public final class ServerCallContext: Sendable {
  let call: ServerCall
  /// The method called.
  public let method: FlightMethod
  /// The headers the client sent with the call (its initial metadata); pyarrow's
  /// `ServerCallContext.headers`. Response headers are added with ``addHeader(_:_:)``.
  public let requestHeaders: FlightHeaders

  /// The request headers.
  @available(*, deprecated, renamed: "requestHeaders")
  public var headers: FlightHeaders { requestHeaders }
  private let state = Mutex(ResponseState())

  private struct ResponseState {
    var headers = FlightHeaders()
    var trailers = FlightHeaders()
    var peerIdentity: String?
    var headersSent = false
    /// Why a response header was left out (gRPC would refuse it), if one was.
    var headerProblem: String?
    var middleware: [(key: String, middleware: any ServerMiddleware)] = []
  }

  init(call: ServerCall, method: FlightMethod) {
    self.call = call
    self.method = method
    self.requestHeaders = FlightHeaders(call.requestMetadata)
  }

  /// The client's address, e.g. `ipv4:127.0.0.1:50051`, `ipv6:[::1]:50051` or `unix:/path`.
  public var peer: String { call.peer }

  /// The authenticated identity of the client: what an authentication handler or middleware
  /// established, else the client's TLS certificate name (mutual TLS), else empty.
  public var peerIdentity: String {
    state.withLock { $0.peerIdentity } ?? call.peerIdentity.first ?? ""
  }

  /// The names in the client's verified TLS certificate (empty without mutual TLS).
  public var certificateIdentities: [String] { call.peerIdentity }

  /// Records the authenticated identity of the client (authentication handlers and
  /// middleware call this; handlers read it as ``peerIdentity``).
  public func setPeerIdentity(_ identity: String) {
    state.withLock { $0.peerIdentity = identity }
  }

  /// The middleware of this call registered under `key`, if its factory took part.
  public func middleware(_ key: String) -> (any ServerMiddleware)? {
    state.withLock { state in state.middleware.first { $0.key == key }?.middleware }
  }

  /// Adds the call's middleware, in factory order.
  func addMiddleware(_ middleware: any ServerMiddleware, key: String) {
    state.withLock { $0.middleware.append((key, middleware)) }
  }

  /// Whether a middleware of this call answers the Handshake itself (Basic auth).
  var hasMiddlewareAnsweringHandshake: Bool {
    state.withLock { state in state.middleware.contains { $0.middleware is any AnswersHandshake } }
  }

  /// Tells every middleware how the call ended.
  func completed(_ error: FlightError?) {
    for entry in state.withLock({ $0.middleware }) { entry.middleware.callCompleted(error) }
  }

  /// Whether the client cancelled the call (or it ended for another reason than a status).
  public var isCancelled: Bool { call.isCancelled }

  /// Adds a response header; headers go out before the first response message (later ones
  /// are ignored).
  public func addHeader(_ key: String, _ value: String) {
    state.withLock { $0.headers.add(key, value) }
  }

  /// Adds a binary response header (its key should end in `-bin`).
  public func addHeader(_ key: String, bytes: [UInt8]) {
    state.withLock { $0.headers.add(key, bytes: bytes) }
  }

  /// Adds a response trailer; trailers go out with the final status.
  public func addTrailer(_ key: String, _ value: String) {
    state.withLock { $0.trailers.add(key, value) }
  }

  /// Adds a binary response trailer (its key should end in `-bin`).
  public func addTrailer(_ key: String, bytes: [UInt8]) {
    state.withLock { $0.trailers.add(key, bytes: bytes) }
  }

  /// Hands the headers (the handler's and the middleware's) to the transport, once, before
  /// the first message or the status goes out.
  func flushHeaders() {
    let pending = state.withLock { state -> (FlightHeaders, [any ServerMiddleware])? in
      guard !state.headersSent else { return nil }
      state.headersSent = true
      return (state.headers, state.middleware.map(\.middleware))
    }
    guard let (handlerHeaders, middleware) = pending else { return }
    var headers = handlerHeaders
    for entry in middleware { entry.sendingHeaders(&headers) }
    let (valid, problem) = headers.partitioned()
    if let problem { state.withLock { $0.headerProblem = $0.headerProblem ?? problem } }
    if !valid.isEmpty { call.addHeaders(valid.grpcMetadata) }
  }

  /// Why a response header was left out, if one was: the call then fails saying so.
  var headerProblem: String? { state.withLock { $0.headerProblem } }

  /// The trailers to send with the status: the handler's, then the middleware's.
  func finalTrailers() -> FlightHeaders {
    let (handlerTrailers, middleware) = state.withLock { ($0.trailers, $0.middleware.map(\.middleware)) }
    var trailers = handlerTrailers
    for entry in middleware { entry.sendingTrailers(&trailers) }
    return trailers
  }
}
