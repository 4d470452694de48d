// Basic-to-Bearer token authentication for a Flight server.

internal import Foundation
internal import Synchronization

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
