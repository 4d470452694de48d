// What a server handler knows about its call, and what it can add to the response.

import FlightTransport
import Synchronization

/// The context of one server call: who is calling, which method, the request headers, and
/// the response headers and trailers the handler wants to add.
public final class ServerCallContext: Sendable {
  let call: ServerCall
  /// The method called.
  public let method: FlightMethod
  /// The request headers (initial metadata).
  public let headers: FlightHeaders
  private let state = Mutex(ResponseState())

  private struct ResponseState {
    var headers = FlightHeaders()
    var trailers = FlightHeaders()
    var peerIdentity: String?
  }

  init(call: ServerCall, method: FlightMethod) {
    self.call = call
    self.method = method
    self.headers = FlightHeaders(call.requestMetadata)
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

  /// Sets the authenticated identity (used by authentication handlers and middleware).
  func setPeerIdentity(_ identity: String) {
    state.withLock { $0.peerIdentity = identity }
  }

  /// Whether the client cancelled the call (or it ended for another reason than a status).
  public var isCancelled: Bool { call.isCancelled }

  /// Adds a response header; headers go out before the first response message.
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

  /// Hands the added headers to the transport (called before the first message goes out).
  func flushHeaders() {
    let headers = state.withLock { state -> FlightHeaders in
      defer { state.headers = FlightHeaders() }
      return state.headers
    }
    if !headers.isEmpty { call.addHeaders(headers.grpcMetadata) }
  }

  /// The trailers added so far.
  var trailers: FlightHeaders { state.withLock { $0.trailers } }
}
