// Handshake authentication (pyarrow's ClientAuthHandler / ServerAuthHandler) and Basic/Bearer
// token authentication.

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

/// What a Basic-auth validator says about a user name and password.
public enum BasicAuthDecision: Sendable, Hashable {
  /// Valid: the identity calls made with the issued token run as.
  case authenticated(identity: String)
  /// Wrong user name or password: `UNAUTHENTICATED`.
  case invalidCredentials
  /// Known user without access: `PERMISSION_DENIED`.
  case forbidden
}

/// Basic-to-Bearer authentication for a Flight server (beyond pyarrow, which has the client
/// half only): a `Handshake` with `authorization: Basic …` is checked by your validator and
/// answered with `authorization: Bearer <token>`; every other call must carry that Bearer
/// header, else it fails `UNAUTHENTICATED`.
///
/// Tokens are 32 random bytes, expire after ``tokenLifetime``, and are compared in constant
/// time. The call's ``ServerCallContext/peerIdentity`` is the validator's identity.
public final class BasicAuthServerMiddlewareFactory: ServerMiddlewareFactory {
  /// Checks a user name and password.
  public typealias Validator = @Sendable (_ username: String, _ password: String) async throws -> BasicAuthDecision

  private let validator: Validator
  /// How long an issued token stays valid.
  public let tokenLifetime: Duration
  private let tokens = Mutex<[(token: [UInt8], identity: String, expires: ContinuousClock.Instant)]>([])

  /// Authentication through `validator`.
  public init(tokenLifetime: Duration = .seconds(3600), validator: @escaping Validator) {
    self.tokenLifetime = tokenLifetime
    self.validator = validator
  }

  /// Authentication against fixed credentials (user name to password); identity = user name.
  public convenience init(credentials: [String: String], tokenLifetime: Duration = .seconds(3600)) {
    self.init(tokenLifetime: tokenLifetime) { username, password in
      guard let expected = credentials[username] else { return .invalidCredentials }
      return constantTimeEqual(Array(expected.utf8), Array(password.utf8))
        ? .authenticated(identity: username) : .invalidCredentials
    }
  }

  /// Checks the call's `authorization` header.
  public func startCall(_ info: CallInfo, headers: FlightHeaders, context: ServerCallContext) async throws
    -> (any ServerMiddleware)?
  {
    guard let authorization = headers["authorization"] else {
      throw FlightError(.unauthenticated, "missing authorization header")
    }
    if info.method == .handshake {
      guard authorization.hasPrefix("Basic "),
        let decoded = Data(base64Encoded: String(authorization.dropFirst(6))),
        let text = String(data: decoded, encoding: .utf8), let colon = text.firstIndex(of: ":")
      else {
        throw FlightError(.unauthenticated, "the handshake needs an authorization: Basic header")
      }
      switch try await validator(String(text[..<colon]), String(text[text.index(after: colon)...])) {
      case .authenticated(let identity):
        let token = issueToken(for: identity)
        context.setPeerIdentity(identity)
        return BearerHeaderMiddleware(value: "Bearer \(token)")
      case .invalidCredentials:
        throw FlightError(.unauthenticated, "invalid user name or password")
      case .forbidden:
        throw FlightError(.unauthorized, "this user may not use this server")
      }
    }
    guard authorization.hasPrefix("Bearer ") else {
      throw FlightError(.unauthenticated, "expected an authorization: Bearer header")
    }
    guard let identity = identity(forToken: String(authorization.dropFirst(7))) else {
      throw FlightError(.unauthenticated, "invalid or expired token")
    }
    context.setPeerIdentity(identity)
    return nil
  }

  /// Issues a random token for `identity`, dropping expired ones.
  private func issueToken(for identity: String) -> String {
    var generator = SystemRandomNumberGenerator()
    let bytes = (0..<32).map { _ in UInt8.random(in: 0...255, using: &generator) }
    let token = Data(bytes).base64EncodedString()
    let now = ContinuousClock.now
    tokens.withLock { tokens in
      tokens.removeAll { $0.expires < now }
      tokens.append((Array(token.utf8), identity, now + tokenLifetime))
    }
    return token
  }

  /// The identity of a valid, unexpired token; every stored token is compared in full.
  private func identity(forToken token: String) -> String? {
    let candidate = Array(token.utf8)
    let now = ContinuousClock.now
    return tokens.withLock { tokens in
      var found: String?
      for entry in tokens where constantTimeEqual(entry.token, candidate) && entry.expires >= now {
        found = entry.identity
      }
      return found
    }
  }
}

/// Middleware that completes a `Handshake` by itself: the service's handshake is not called.
protocol AnswersHandshake {}

/// Sends `authorization: Bearer …` with the handshake's response headers.
private struct BearerHeaderMiddleware: ServerMiddleware, AnswersHandshake {
  let value: String

  func sendingHeaders(_ headers: inout FlightHeaders) {
    headers.add("authorization", value)
  }
}

/// Compares two byte strings in time that depends only on their lengths.
func constantTimeEqual(_ lhs: [UInt8], _ rhs: [UInt8]) -> Bool {
  guard lhs.count == rhs.count else { return false }
  var difference: UInt8 = 0
  for index in lhs.indices { difference |= lhs[index] ^ rhs[index] }
  return difference == 0
}
