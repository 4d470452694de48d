// Authentication (Handshake handlers, Basic-to-Bearer) and middleware, Swift against Swift
// and against pyarrow in both directions.

internal import FlightRPC
internal import Foundation
internal import InteropSupport
internal import Synchronization
internal import Testing

/// Sends credentials and keeps the token the server answers.
final class TestClientAuthHandler: ClientAuthHandler {
  let credentials: [UInt8]
  let received = Mutex<[UInt8]?>(nil)

  init(_ credentials: String) { self.credentials = Array(credentials.utf8) }

  func authenticate(outgoing: AuthPayloadWriter, incoming: AuthPayloadReader) async throws {
    try await outgoing.write(credentials)
    let token = try await incoming.read()
    received.withLock { $0 = token }
  }

  func token() async throws -> [UInt8]? { received.withLock { $0 } }
}

/// Sends `x-middleware` and records the headers and outcome of every call.
final class RecordingClientMiddlewareFactory: ClientMiddlewareFactory {
  let headers = Mutex<[String?]>([])
  let outcomes = Mutex<[FlightError.Kind?]>([])

  struct Recorder: ClientMiddleware {
    let factory: RecordingClientMiddlewareFactory

    func sendingHeaders(_ headers: inout FlightHeaders) { headers.add("x-middleware", "expected value") }
    func receivedHeaders(_ headers: FlightHeaders) { factory.headers.withLock { $0.append(headers["x-middleware"]) } }
    func callCompleted(_ error: FlightError?) { factory.outcomes.withLock { $0.append(error?.kind) } }
  }

  func startCall(_ info: CallInfo) -> (any ClientMiddleware)? { Recorder(factory: self) }

  /// Waits (bounded) until `count` calls have completed: completion is reported asynchronously.
  func waitForOutcomes(_ count: Int) async {
    let deadline = ContinuousClock.now + .seconds(10)
    while outcomes.withLock({ $0.count }) < count && ContinuousClock.now < deadline { await Task.yield() }
  }
}

/// The Basic validator of the tests: arrow/flight valid, "blocked" forbidden.
let testBasicAuth = BasicAuthServerMiddlewareFactory { username, password in
  if username == "blocked" { return .forbidden }
  return username == "arrow" && password == "flight" ? .authenticated(identity: "arrow") : .invalidCredentials
}

@Suite("Authentication and middleware", .serialized)
struct AuthMiddlewareTests {
  @Test func handshakeAuthSwiftToSwift() async throws {
    let server = try FlightServer(
      TestStoreService(), location: .forGRPCTCP(host: "localhost", port: 0),
      options: FlightServerOptions(authHandler: TestServerAuthHandler()))
    let client = try FlightClient(location: server.location)
    await #expect {
      _ = try await client.doAction(Action(type: "whoami")).collect()
    } throws: { ($0 as? FlightError)?.kind == .unauthenticated }
    await #expect {
      try await client.authenticate(TestClientAuthHandler("arrow:wrong"))
    } throws: { ($0 as? FlightError)?.kind == .unauthenticated }
    try await client.authenticate(TestClientAuthHandler("arrow:flight"))
    let identity = try await client.doAction(Action(type: "whoami")).collect()
    #expect(identity.map { String(decoding: $0.body, as: UTF8.self) } == ["arrow"])
    await server.shutdown()
  }

  @Test func handshakeWithoutHandlerIsUnimplemented() async throws {
    let server = try FlightServer(TestStoreService(), location: .forGRPCTCP(host: "localhost", port: 0))
    let client = try FlightClient(location: server.location)
    await #expect {
      try await client.authenticate(TestClientAuthHandler("arrow:flight"))
    } throws: { ($0 as? FlightError)?.kind == .notImplemented }
    await server.shutdown()
  }

  @Test func basicAuthSwiftToSwift() async throws {
    let server = try FlightServer(
      TestStoreService(), location: .forGRPCTCP(host: "localhost", port: 0),
      options: FlightServerOptions(middleware: [KeyedServerMiddleware("auth", testBasicAuth)]))
    let client = try FlightClient(location: server.location)
    await #expect {
      _ = try await client.authenticateBasicToken(username: "arrow", password: "nope")
    } throws: { ($0 as? FlightError)?.kind == .unauthenticated }
    await #expect {
      _ = try await client.authenticateBasicToken(username: "blocked", password: "x")
    } throws: { ($0 as? FlightError)?.kind == .unauthorized }
    let (key, value) = try await client.authenticateBasicToken(username: "arrow", password: "flight")
    #expect(key == "authorization" && value.hasPrefix("Bearer "))
    var options = FlightCallOptions()
    options.headers.add(key, value)
    let identity = try await client.doAction(Action(type: "whoami"), options: options).collect()
    #expect(identity.map { String(decoding: $0.body, as: UTF8.self) } == ["arrow"])
    var forged = FlightCallOptions()
    forged.headers.add("authorization", "Bearer forged")
    await #expect {
      _ = try await client.doAction(Action(type: "whoami"), options: forged).collect()
    } throws: { ($0 as? FlightError)?.kind == .unauthenticated }
    await #expect {
      _ = try await client.listActions()
    } throws: { ($0 as? FlightError)?.kind == .unauthenticated }
    await server.shutdown()
  }

  @Test func middlewareEchoesHeadersOnFailingAndSucceedingCalls() async throws {
    let serverMiddleware = EchoServerMiddlewareFactory()
    let server = try FlightServer(
      TestStoreService(), location: .forGRPCTCP(host: "localhost", port: 0),
      options: FlightServerOptions(middleware: [KeyedServerMiddleware("echo", serverMiddleware)]))
    let recorder = RecordingClientMiddlewareFactory()
    let client = try FlightClient(location: server.location, options: FlightClientOptions(middleware: [recorder]))
    await #expect(throws: FlightError.self) { _ = try await client.getFlightInfo(.forCommand("")) }
    _ = try await client.listActions()
    await recorder.waitForOutcomes(2)
    #expect(recorder.headers.withLock { $0 } == ["expected value", "expected value"])
    // Completions are reported as each call ends, in whatever order that is.
    #expect(Set(recorder.outcomes.withLock { $0 }) == [.invalidArgument, nil])
    // The server reports completion after the status went out: wait for it (bounded).
    let deadline = ContinuousClock.now + .seconds(10)
    while serverMiddleware.completions.withLock({ $0.count }) < 2 && ContinuousClock.now < deadline {
      await Task.yield()
    }
    #expect(Set(serverMiddleware.completions.withLock { $0.map { $0?.kind } }) == [.invalidArgument, nil])
    await server.shutdown()
  }

  @Test func pyarrowClientAgainstSwiftAuthAndMiddleware() async throws {
    let echo = EchoServerMiddlewareFactory()
    let handshakeServer = try FlightServer(
      TestStoreService(), location: .forGRPCTCP(host: "localhost", port: 0),
      options: FlightServerOptions(
        authHandler: TestServerAuthHandler(), middleware: [KeyedServerMiddleware("echo", echo)]))
    let basicServer = try FlightServer(
      TestStoreService(), location: .forGRPCTCP(host: "localhost", port: 0),
      options: FlightServerOptions(
        middleware: [KeyedServerMiddleware("echo", echo), KeyedServerMiddleware("auth", testBasicAuth)]))
    try await InteropLock.run {
      for (mode, server) in [("handshake", handshakeServer), ("basic", basicServer)] {
        let output = try await runPythonScript(
          "pyarrow_auth_client_checks.py", arguments: ["--location", server.location.uri, "--mode", mode])
        #expect(output.contains("all checks passed"), "\(output)")
      }
    }
    await handshakeServer.shutdown()
    await basicServer.shutdown()
  }

  @Test func swiftClientAgainstPyarrowAuthAndMiddleware() async throws {
    try await InteropLock.run {
      try await withPeer("pyarrow_auth_server.py", args: ["--mode", "handshake"]) { peer in
        let recorder = RecordingClientMiddlewareFactory()
        let client = try FlightClient(peer.location, options: FlightClientOptions(middleware: [recorder]))
        await #expect {
          _ = try await client.doAction(Action(type: "whoami")).collect()
        } throws: { ($0 as? FlightError)?.kind == .unauthenticated }
        await #expect {
          try await client.authenticate(TestClientAuthHandler("arrow:wrong"))
        } throws: { ($0 as? FlightError)?.kind == .unauthenticated }
        try await client.authenticate(TestClientAuthHandler("arrow:flight"))
        let identity = try await client.doAction(Action(type: "whoami")).collect()
        #expect(identity.map { String(decoding: $0.body, as: UTF8.self) } == ["arrow"])
        await #expect(throws: FlightError.self) { _ = try await client.doAction(Action(type: "fail")).collect() }
        await recorder.waitForOutcomes(5)
        #expect(recorder.headers.withLock { $0 }.filter { $0 == "expected value" }.count >= 2)
        #expect(recorder.outcomes.withLock { $0 }.contains(.serverError))
      }
      try await withPeer("pyarrow_auth_server.py", args: ["--mode", "basic"]) { peer in
        let client = try FlightClient(peer.location)
        await #expect {
          _ = try await client.authenticateBasicToken(username: "arrow", password: "wrong")
        } throws: { ($0 as? FlightError)?.kind == .unauthenticated }
        let (key, value) = try await client.authenticateBasicToken(username: "arrow", password: "flight")
        #expect(key == "authorization" && value == "Bearer token-arrow")
        var options = FlightCallOptions()
        options.headers.add(key, value)
        #expect(try await client.listActions(options: options).map(\.type) == ["whoami"])
      }
    }
  }
}
