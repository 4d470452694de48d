// auth:basic_proto and middleware.

internal import FlightRPC
internal import Synchronization

// MARK: - auth:basic_proto

/// The user name of the basic auth scenario.
let authUsername = "arrow"
/// The password of the basic auth scenario.
let authPassword = "flight"

/// Handshake authentication with a `BasicAuth` message: the client sends it, the server checks
/// it and answers with the user name, which is then the token of every call; DoAction answers
/// with the caller's peer identity. An unauthenticated call fails `UNAUTHENTICATED`.
struct AuthBasicProtoScenario: Scenario {
  struct Service: FlightService {
    func doAction(_ action: Action, writer: FlightResponseWriter<FlightResult>, context: ServerCallContext)
      async throws
    {
      try await writer.write(FlightResult(body: Array(context.peerIdentity.utf8)))
    }
  }

  /// Accepts the one user; the token is the user name.
  struct ServerHandler: ServerAuthHandler {
    let username: String
    let password: String

    func authenticate(incoming: AuthPayloadReader, outgoing: AuthPayloadWriter, context: ServerCallContext)
      async throws
    {
      guard let payload = try await incoming.read() else {
        throw FlightError(.unauthenticated, "Invalid token")
      }
      let credentials: BasicAuth
      do {
        credentials = try BasicAuth(serializedBytes: payload)
      } catch {
        throw FlightError(.invalidArgument, "malformed BasicAuth: \(error)")
      }
      guard credentials.username == username, credentials.password == password else {
        throw FlightError(.unauthenticated, "Invalid token")
      }
      try await outgoing.write(Array(username.utf8))
    }

    func isValid(token: [UInt8], context: ServerCallContext) async throws -> String? {
      token == Array(username.utf8) ? username : nil
    }
  }

  /// Sends the credentials as a `BasicAuth` message; keeps the token the server answers.
  final class ClientHandler: ClientAuthHandler {
    let credentials: BasicAuth
    private let received = Mutex<[UInt8]?>(nil)

    init(username: String, password: String) {
      credentials = BasicAuth(username: username, password: password)
    }

    func authenticate(outgoing: AuthPayloadWriter, incoming: AuthPayloadReader) async throws {
      try await outgoing.write(credentials.serialized())
      let token = try await incoming.read()
      received.withLock { $0 = token }
    }

    func token() async throws -> [UInt8]? {
      received.withLock { $0 }
    }
  }

  func makeServer() throws -> (service: any FlightService, options: FlightServerOptions) {
    (Service(), FlightServerOptions(authHandler: ServerHandler(username: authUsername, password: authPassword)))
  }

  func runClient(location: Location) async throws {
    let client = try connect(location)
    defer { client.close() }
    let action = Action(type: "")
    do {
      _ = try await client.doAction(action).collect()
      throw ScenarioFailure("Expected UNAUTHENTICATED but got OK")
    } catch let error as FlightError {
      try expect(error.kind == .unauthenticated, "Expected UNAUTHENTICATED but got \(error)")
    }
    try await client.authenticate(ClientHandler(username: authUsername, password: authPassword))
    let results = try await client.doAction(action).collect()
    try expect(!results.isEmpty, "Action result stream ended early")
    let actual = String(decoding: results[0].body, as: UTF8.self)
    try expect(actual == authUsername, "Got wrong result; expected \(authUsername) but got \(actual)")
    try expect(results.count == 1, "Action result stream had too many entries")
  }
}

// MARK: - middleware

/// Server middleware echoes the client's `x-middleware` header as a response header, on a call
/// that fails (GetFlightInfo CMD "") and on one that succeeds (CMD "success").
struct MiddlewareScenario: Scenario {
  struct Service: FlightService {
    func getFlightInfo(_ descriptor: FlightDescriptor, context: ServerCallContext) async throws -> FlightInfo {
      guard descriptor == .command(Array("success".utf8)) else {
        throw FlightError(.serverError, "Unknown")
      }
      // A fake location: the client does not read it.
      let endpoint = FlightEndpoint(
        ticket: Ticket("foo"), locations: [try Location.forGRPCTCP(host: "localhost", port: 10010)])
      return try FlightInfo(schema: Schema([]), descriptor: descriptor, endpoints: [endpoint])
    }
  }

  /// Echoes the incoming `x-middleware` header (empty when absent).
  struct EchoFactory: ServerMiddlewareFactory {
    func startCall(_ info: CallInfo, headers: FlightHeaders, context: ServerCallContext) async throws
      -> (any ServerMiddleware)?
    {
      EchoMiddleware(received: headers["x-middleware"] ?? "")
    }
  }

  struct EchoMiddleware: ServerMiddleware {
    let received: String

    func sendingHeaders(_ headers: inout FlightHeaders) {
      headers.add("x-middleware", received)
    }
  }

  func makeServer() throws -> (service: any FlightService, options: FlightServerOptions) {
    (Service(), FlightServerOptions(middleware: [KeyedServerMiddleware("grpc_trailers", EchoFactory())]))
  }

  func runClient(location: Location) async throws {
    let recorder = CallRecorder()
    let client = try connect(location, options: FlightClientOptions(middleware: [HeaderFactory(recorder: recorder)]))
    defer { client.close() }

    // Fails: a server may send the header in the trailers only (Java does); both count.
    // Client middleware has seen a call's headers and trailers when the call returns.
    do {
      _ = try await client.getFlightInfo(.command([]))
      throw ScenarioFailure("Expected call to fail")
    } catch is FlightError {}
    var received = recorder.lastValue
    try expect(
      received == "expected value",
      "Expected to receive header 'x-middleware: expected value', but instead got: '\(received ?? "")'")
    writeError("Headers received successfully on failing call.")

    // Succeeds.
    recorder.reset()
    _ = try await client.getFlightInfo(.command(Array("success".utf8)))
    received = recorder.lastValue
    try expect(
      received == "expected value",
      "Expected to receive header 'x-middleware: expected value', but instead got '\(received ?? "")'")
    writeError("Headers received successfully on passing call.")
  }

  /// Sends `x-middleware: expected value` on every call and records the value received.
  struct HeaderFactory: ClientMiddlewareFactory {
    let recorder: CallRecorder

    func startCall(_ info: CallInfo) -> (any ClientMiddleware)? {
      HeaderMiddleware(recorder: recorder)
    }
  }

  struct HeaderMiddleware: ClientMiddleware {
    let recorder: CallRecorder

    func sendingHeaders(_ headers: inout FlightHeaders) {
      headers.add("x-middleware", "expected value")
    }

    func receivedHeaders(_ headers: FlightHeaders) {
      if let value = headers["x-middleware"] { recorder.record(value) }
    }

    func receivedTrailers(_ trailers: FlightHeaders) {
      if let value = trailers["x-middleware"], recorder.lastValue == nil { recorder.record(value) }
    }
  }
}

/// The header value client middleware saw, shared with the scenario.
final class CallRecorder: Sendable {
  private let value = Mutex<String?>(nil)

  /// The last header value recorded since ``reset()``.
  var lastValue: String? { value.withLock { $0 } }

  func record(_ value: String) {
    self.value.withLock { $0 = value }
  }

  func reset() {
    value.withLock { $0 = nil }
  }
}
