// Handshake authentication (pyarrow's ClientAuthHandler / ServerAuthHandler).

internal import ArrowCore
internal import FlightProto
internal import FlightTransport
internal import Foundation
internal import Synchronization

/// Reads the other side's Handshake payloads.
public struct AuthPayloadReader: Sendable {
  let next: @Sendable () async throws -> [UInt8]?

  /// The next payload, or nil when the other side has finished.
  public func read() async throws -> [UInt8]? {
    try await next()
  }
}

/// Writes Handshake payloads to the other side.
public struct AuthPayloadWriter: Sendable {
  let send: @Sendable ([UInt8]) async throws -> Void

  /// Sends one payload.
  public func write(_ payload: [UInt8]) async throws {
    try await send(payload)
  }
}

/// The server half of Handshake authentication: exchanges payloads with the client in
/// `Handshake`, then validates the token every later call carries in `auth-token-bin`.
public protocol ServerAuthHandler: Sendable {
  /// Authenticates a client over the Handshake stream (typically: read credentials, write a
  /// token). Throw ``FlightError`` `.unauthenticated` to refuse.
  func authenticate(
    incoming: AuthPayloadReader, outgoing: AuthPayloadWriter, context: ServerCallContext) async throws

  /// The peer identity for `token`, or nil when the token is not valid (the call then fails
  /// `UNAUTHENTICATED`).
  func isValid(token: [UInt8], context: ServerCallContext) async throws -> String?
}

/// The client half of Handshake authentication.
public protocol ClientAuthHandler: Sendable {
  /// Authenticates over the Handshake stream (typically: write credentials, read a token).
  func authenticate(outgoing: AuthPayloadWriter, incoming: AuthPayloadReader) async throws

  /// The token to send with a call (`auth-token-bin`), or nil for none. Asked before every
  /// call, as Arrow C++ asks `GetToken`, so a handler can rotate or refresh its token; an
  /// error fails that call.
  func token() async throws -> [UInt8]?
}

/// The header that carries a Handshake token on every call.
let authTokenHeader = "auth-token-bin"

extension FlightClient {
  /// Authenticates with `handler` over `Handshake`; afterwards every call of this client
  /// carries the token ``ClientAuthHandler/token()`` gives for that call.
  ///
  /// The handler takes over only when the handshake succeeds: after a failure, calls go on
  /// with the previous handler's tokens, if any (Arrow C++ installs the handler before the
  /// handshake, failed or not).
  ///
  /// - Throws: ``FlightError`` from the server (e.g. `.unauthenticated`) or the handler.
  public func authenticate(_ handler: some ClientAuthHandler, options: FlightCallOptions? = nil) async throws {
    let call = try await startCall(.handshake, options, authenticating: true)
    let writer = AuthPayloadWriter { payload in
      do {
        try await call.send(HandshakeRequest(payload: payload).serialized())
      } catch {
        throw FlightError(status: await call.finalStatus())
      }
    }
    let responses = FlightResponseStream<HandshakeResponse>(call: call)
    let reader = AuthPayloadReader {
      var iterator = responses.makeAsyncIterator()
      return try await iterator.next()?.payload
    }
    do {
      try await handler.authenticate(outgoing: writer, incoming: reader)
      try await call.finish()
      _ = try await responses.collect()
    } catch {
      call.cancel()
      throw FlightError.wrapping(error)
    }
    authHandler.withLock { $0 = handler }
  }

  /// Basic authentication (pyarrow's `authenticate_basic_token`): sends
  /// `authorization: Basic base64(username:password)` in a `Handshake` and returns the header
  /// the server answers with, `("authorization", "Bearer <token>")`, to pass in
  /// ``FlightCallOptions/headers`` of later calls. The answer is looked for in the trailers
  /// first, then in the headers.
  ///
  /// As in Arrow C++, a server need not issue a token: when it answers without an
  /// `authorization: Bearer …` header, the result is the empty pair `("", "")` (check
  /// `key.isEmpty` before adding it to headers).
  ///
  /// - Throws: ``FlightError`` (`.unauthenticated` for wrong credentials).
  public func authenticateBasicToken(username: String, password: String, options: FlightCallOptions? = nil)
    async throws -> (key: String, value: String)
  {
    var callOptions = options ?? FlightCallOptions()
    let credentials = Data("\(username):\(password)".utf8).base64EncodedString()
    callOptions.headers.add("authorization", "Basic \(credentials)")
    let call = try await startCall(.handshake, callOptions, authenticating: true)
    do {
      try await call.finish()
      _ = try await FlightResponseStream<HandshakeResponse>(call: call).collect()
    } catch {
      throw FlightError.wrapping(error)
    }
    let status = await call.finalStatus()
    let headers = await call.initialMetadata()
    // The first authorization value, trailers first; only a Bearer token counts (the prefix
    // compared without case, as Arrow C++ does).
    let value = status.trailers.string(for: "authorization") ?? headers.string(for: "authorization") ?? ""
    let prefix = "bearer "
    guard value.utf8.count > prefix.utf8.count, value.lowercased().hasPrefix(prefix) else {
      return ("", "")
    }
    return ("authorization", value)
  }
}
