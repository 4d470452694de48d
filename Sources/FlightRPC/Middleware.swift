// Client and server middleware: code that sees every call's headers, trailers and outcome, and
// the call information it is given.

/// Client middleware for one call: adds headers, sees what the server sent back, and learns
/// how the call ended. Every method has an empty default.
///
/// The order is fixed: ``receivedHeaders(_:)`` has returned before the caller sees the first
/// response, and ``receivedTrailers(_:)`` and ``callCompleted(_:)`` have returned before the
/// caller sees the end of the call (its last result or its error). So a cookie or token that
/// middleware takes from a response is in place for the caller's next call. A call the caller
/// abandons still reports its headers and end, later.
public protocol ClientMiddleware: Sendable {
  /// Called before the call starts: add headers to send. It may do asynchronous work first
  /// (refresh a token, ask a credentials service); the call waits for it. An error fails
  /// the call before anything is sent: the caller gets it as a ``FlightError`` (a
  /// `FlightError` thrown here as it is) and ``callCompleted(_:)`` sees the same error.
  ///
  /// A synchronous, non-throwing `func sendingHeaders(_ headers: inout FlightHeaders)`
  /// satisfies this requirement too.
  func sendingHeaders(_ headers: inout FlightHeaders) async throws
  /// The server's headers (initial metadata).
  func receivedHeaders(_ headers: FlightHeaders)
  /// The server's trailers.
  func receivedTrailers(_ trailers: FlightHeaders)
  /// The call ended: nil on success, else the error the caller sees.
  func callCompleted(_ error: FlightError?)
}

extension ClientMiddleware {
  /// Default: adds nothing.
  public func sendingHeaders(_ headers: inout FlightHeaders) async throws {}
  /// Default: ignores them.
  public func receivedHeaders(_ headers: FlightHeaders) {}
  /// Default: ignores them.
  public func receivedTrailers(_ trailers: FlightHeaders) {}
  /// Default: ignores it.
  public func callCompleted(_ error: FlightError?) {}
}

/// Makes the client middleware of each call.
public protocol ClientMiddlewareFactory: Sendable {
  /// The middleware for a call of `info.method`, or nil to stay out of it.
  func startCall(_ info: CallInfo) -> (any ClientMiddleware)?
}

/// Server middleware for one call: adds response headers and trailers and learns how the
/// call ended. Every method has an empty default.
public protocol ServerMiddleware: Sendable {
  /// Called once, before the response headers go out: add headers.
  func sendingHeaders(_ headers: inout FlightHeaders)
  /// Called once, before the status goes out: add trailers.
  func sendingTrailers(_ trailers: inout FlightHeaders)
  /// The call ended: nil on success, else the error sent to the client.
  func callCompleted(_ error: FlightError?)
}

extension ServerMiddleware {
  /// Default: adds nothing.
  public func sendingHeaders(_ headers: inout FlightHeaders) {}
  /// Default: adds nothing.
  public func sendingTrailers(_ trailers: inout FlightHeaders) {}
  /// Default: ignores it.
  public func callCompleted(_ error: FlightError?) {}
}

/// Makes the server middleware of each call, and may refuse the call.
public protocol ServerMiddlewareFactory: Sendable {
  /// The middleware for a call, or nil to stay out of it.
  ///
  /// - Parameters:
  ///   - info: The method called.
  ///   - headers: The request headers.
  ///   - context: The call's context (to record the peer identity, for instance).
  /// - Throws: a ``FlightError`` to refuse the call with that status (the handler never runs).
  func startCall(_ info: CallInfo, headers: FlightHeaders, context: ServerCallContext) async throws
    -> (any ServerMiddleware)?
}

/// A server middleware factory registered under a key, by which handlers find the call's
/// middleware (``ServerCallContext/middleware(_:)``).
public struct KeyedServerMiddleware: Sendable {
  /// The key.
  public var key: String
  /// The factory.
  public var factory: any ServerMiddlewareFactory

  /// A factory under `key`.
  public init(_ key: String, _ factory: any ServerMiddlewareFactory) {
    self.key = key
    self.factory = factory
  }
}

/// Information about a call, given to middleware.
public struct CallInfo: Sendable, Hashable {
  /// The method called.
  public var method: FlightMethod

  /// Information for a call of `method`.
  public init(method: FlightMethod) {
    self.method = method
  }
}
