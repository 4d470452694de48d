// Authentication and client middleware as Arrow C++ does them: the auth handler's token is
// asked on every call, a Basic handshake without a token answers the empty pair, the
// server's auth handler runs before its middleware, and client middleware may await.

internal import FlightRPC
internal import Foundation
internal import InteropSupport
internal import Synchronization
internal import Testing

/// Hands out a new token on every call: `rot-1`, `rot-2`, ...
final class RotatingClientAuthHandler: ClientAuthHandler {
  let issued = Mutex(0)

  func authenticate(outgoing: AuthPayloadWriter, incoming: AuthPayloadReader) async throws {}

  func token() async throws -> [UInt8]? {
    let next = issued.withLock { count in
      count += 1
      return count
    }
    return Array("rot-\(next)".utf8)
  }
}

/// Records the peer identity each call's context holds when the middleware starts.
final class IdentityRecordingMiddlewareFactory: ServerMiddlewareFactory {
  let seen = Mutex<[(method: FlightMethod, identity: String)]>([])

  func startCall(_ info: CallInfo, headers: FlightHeaders, context: ServerCallContext) async throws
    -> (any ServerMiddleware)?
  {
    seen.withLock { $0.append((info.method, context.peerIdentity)) }
    return nil
  }
}

/// Gets a Bearer token by a Basic handshake on its own client, once, then hands it out.
actor BearerTokenSource {
  let client: FlightClient
  private(set) var refreshes = 0
  private var token: String?

  init(client: FlightClient) { self.client = client }

  func current() async throws -> String {
    if let token { return token }
    let (_, value) = try await client.authenticateBasicToken(username: "arrow", password: "flight")
    refreshes += 1
    token = value
    return value
  }
}

/// Client middleware that awaits a token refresh before the headers go out.
struct RefreshingBearerMiddlewareFactory: ClientMiddlewareFactory {
  let source: BearerTokenSource

  struct Middleware: ClientMiddleware {
    let source: BearerTokenSource

    func sendingHeaders(_ headers: inout FlightHeaders) async throws {
      headers.add("authorization", try await source.current())
    }
  }

  func startCall(_ info: CallInfo) -> (any ClientMiddleware)? { Middleware(source: source) }
}

/// Client middleware whose header work fails; records what `callCompleted` saw.
final class FailingMiddlewareFactory: ClientMiddlewareFactory {
  let completions = Mutex<[FlightError?]>([])

  struct Middleware: ClientMiddleware {
    let factory: FailingMiddlewareFactory

    func sendingHeaders(_ headers: inout FlightHeaders) async throws {
      await Task.yield()
      throw FlightError(.unauthenticated, "the token service is down")
    }

    func callCompleted(_ error: FlightError?) { factory.completions.withLock { $0.append(error) } }
  }

  func startCall(_ info: CallInfo) -> (any ClientMiddleware)? { Middleware(factory: self) }
}

@Suite("Authentication and middleware at the edges", .serialized)
struct AuthEdgeTests {
  /// pyarrow's server takes any `rot-` token and answers `whoami` with it: each call carries
  /// the token the handler gives at that moment.
  @Test func tokenIsAskedOnEveryCall() async throws {
    try await InteropLock.run {
      try await withPeer("pyarrow_auth_server.py", args: ["--mode", "rotating"]) { peer in
        let client = try FlightClient(peer.location)
        let handler = RotatingClientAuthHandler()
        try await client.authenticate(handler)
        var identities: [String] = []
        for _ in 0..<3 {
          let results = try await client.doAction(Action(type: "whoami")).collect()
          identities += results.map { String(decoding: $0.body, as: UTF8.self) }
        }
        #expect(identities == ["rot-1", "rot-2", "rot-3"])
        #expect(handler.issued.withLock { $0 } == 3)
      }
    }
  }

  /// A handler whose token() throws fails that call with its error, before anything is sent.
  @Test func tokenErrorFailsTheCall() async throws {
    struct Expiring: ClientAuthHandler {
      func authenticate(outgoing: AuthPayloadWriter, incoming: AuthPayloadReader) async throws {
        try await outgoing.write(Array("arrow:flight".utf8))
        _ = try await incoming.read()
      }
      func token() async throws -> [UInt8]? { throw FlightError(.unauthenticated, "token expired, no refresh") }
    }
    let server = try FlightServer(
      TestStoreService(), location: .forGRPCTCP(host: "localhost", port: 0),
      options: FlightServerOptions(authHandler: TestServerAuthHandler()))
    let client = try FlightClient(location: server.location)
    try await client.authenticate(Expiring())
    await #expect {
      _ = try await client.listActions()
    } throws: { ($0 as? FlightError)?.message.contains("token expired") == true }
    await server.shutdown()
  }

  /// pyarrow's Basic server answers the user `quiet` without a token: the empty pair, as
  /// Arrow C++ returns (today's code threw).
  @Test func basicWithoutTokenIsTheEmptyPair() async throws {
    try await InteropLock.run {
      try await withPeer("pyarrow_auth_server.py", args: ["--mode", "basic"]) { peer in
        let client = try FlightClient(peer.location)
        let (key, value) = try await client.authenticateBasicToken(username: "quiet", password: "hush")
        #expect(key == "" && value == "")
        let (bearerKey, bearerValue) = try await client.authenticateBasicToken(username: "arrow", password: "flight")
        #expect(bearerKey == "authorization" && bearerValue == "Bearer token-arrow")
      }
    }
  }

  /// A pyarrow client authenticates against a Swift server with an auth handler and a
  /// middleware: the middleware sees the identity (it ran after the handler), and calls the
  /// handler refused never reached it.
  @Test func serverMiddlewareSeesTheAuthenticatedIdentity() async throws {
    let recorder = IdentityRecordingMiddlewareFactory()
    let server = try FlightServer(
      TestStoreService(), location: .forGRPCTCP(host: "localhost", port: 0),
      options: FlightServerOptions(
        authHandler: TestServerAuthHandler(),
        middleware: [
          KeyedServerMiddleware("identity", recorder), KeyedServerMiddleware("echo", EchoServerMiddlewareFactory()),
        ]))
    try await InteropLock.run {
      let output = try await runPythonScript(
        "pyarrow_auth_client_checks.py", arguments: ["--location", server.location.uri, "--mode", "handshake"])
      #expect(output.contains("all checks passed"), "\(output)")
    }
    let seen = recorder.seen.withLock { $0 }
    let calls = seen.filter { $0.method != .handshake }
    // The script's unauthenticated whoami was refused by the handler, before any middleware.
    #expect(calls.count >= 1)
    #expect(calls.allSatisfy { $0.identity == "arrow" }, "\(seen)")
    await server.shutdown()
  }

  /// Client middleware awaits a real Basic handshake (on another client) before the headers
  /// of the first call go out; pyarrow's server requires the Bearer header it yields.
  @Test func clientMiddlewareMayAwaitBeforeHeaders() async throws {
    try await InteropLock.run {
      try await withPeer("pyarrow_auth_server.py", args: ["--mode", "basic"]) { peer in
        let source = BearerTokenSource(client: try FlightClient(peer.location))
        let client = try FlightClient(
          peer.location, options: FlightClientOptions(middleware: [RefreshingBearerMiddlewareFactory(source: source)]))
        #expect(try await client.listActions().map(\.type) == ["whoami"])
        #expect(try await client.listActions().map(\.type) == ["whoami"])
        #expect(await source.refreshes == 1)
      }
    }
  }

  /// An error thrown while preparing headers fails the call with that error, and the
  /// middleware's callCompleted sees it.
  @Test func clientMiddlewareErrorFailsTheCall() async throws {
    let server = try FlightServer(TestStoreService(), location: .forGRPCTCP(host: "localhost", port: 0))
    let failing = FailingMiddlewareFactory()
    let client = try FlightClient(location: server.location, options: FlightClientOptions(middleware: [failing]))
    await #expect {
      _ = try await client.listActions()
    } throws: { error in
      let error = error as? FlightError
      return error?.kind == .unauthenticated && error?.message.contains("token service is down") == true
    }
    #expect(failing.completions.withLock { $0.map { $0?.kind } } == [.unauthenticated])
    await server.shutdown()
  }
}
