// session_options: SetSessionOptions, GetSessionOptions and CloseSession in a session that
// travels in the `arrow_flight_session_id` cookie.

internal import FlightRPC
internal import Synchronization

/// The session cookie's name.
let sessionCookieName = "arrow_flight_session_id"

/// The client sets options of each value type, two of which the server refuses (the name
/// `lol_invalid`, and the value "lol_invalid"); reads them back; unsets one and changes the
/// type of another; reads them back; and closes the session.
struct SessionOptionsScenario: Scenario {
  static let invalidName = "lol_invalid"
  static let invalidValue = SessionOptionValue.string("lol_invalid")
  static let stringList = ["a", "b", "sea", "dee", " ", "  ", "geee", "(づ｡◕‿‿◕｡)づ"]

  // MARK: Server

  struct Service: FlightService {
    func session(_ context: ServerCallContext) throws -> (SessionMiddleware, Session) {
      guard let middleware = context.middleware(SessionMiddlewareFactory.key) as? SessionMiddleware else {
        throw FlightError(.internal, "the session middleware is missing")
      }
      return (middleware, try middleware.session())
    }

    func setSessionOptions(_ request: SetSessionOptionsRequest, context: ServerCallContext) async throws
      -> SetSessionOptionsResult
    {
      let (_, session) = try session(context)
      var errors: [String: SetSessionOptionsResult.ErrorValue] = [:]
      session.options.withLock { options in
        for (name, value) in request.sessionOptions {
          if name == SessionOptionsScenario.invalidName {
            errors[name] = .invalidName
          } else if value == SessionOptionsScenario.invalidValue {
            errors[name] = .invalidValue
          } else if value == .unset {
            options[name] = nil
          } else {
            options[name] = value
          }
        }
      }
      return SetSessionOptionsResult(errors: errors)
    }

    func getSessionOptions(_ request: GetSessionOptionsRequest, context: ServerCallContext) async throws
      -> GetSessionOptionsResult
    {
      let (_, session) = try session(context)
      return GetSessionOptionsResult(sessionOptions: session.options.withLock { $0 })
    }

    func closeSession(_ request: CloseSessionRequest, context: ServerCallContext) async throws -> CloseSessionResult {
      guard let middleware = context.middleware(SessionMiddlewareFactory.key) as? SessionMiddleware else {
        throw FlightError(.internal, "the session middleware is missing")
      }
      try middleware.close()
      return CloseSessionResult(status: .closed)
    }
  }

  func makeServer() throws -> (service: any FlightService, options: FlightServerOptions) {
    (
      Service(),
      FlightServerOptions(middleware: [KeyedServerMiddleware(SessionMiddlewareFactory.key, SessionMiddlewareFactory())])
    )
  }

  // MARK: Client

  func runClient(location: Location) async throws {
    let cookies = CookieJar()
    let client = try connect(
      location, options: FlightClientOptions(middleware: [CookieMiddlewareFactory(jar: cookies)]))
    defer { client.close() }

    // Client middleware has seen a call's headers (the set-cookie) when the call returns.
    let result1 = try await client.setSessionOptions(
      SetSessionOptionsRequest(sessionOptions: [
        "foolong": .int64(123),
        "bardouble": .double(456.0),
        "lol_invalid": .string("this won't get set"),
        "key_with_invalid_value": .string("lol_invalid"),
        "big_ol_string_list": .stringList(Self.stringList),
      ]))
    let expectedErrors: [String: SetSessionOptionsResult.ErrorValue] = [
      "lol_invalid": .invalidName, "key_with_invalid_value": .invalidValue,
    ]
    try expect(
      result1.errors == expectedErrors, "res1 incorrect: expected errors \(expectedErrors), got \(result1.errors)")

    let result2 = try await client.getSessionOptions()
    let expected2: [String: SessionOptionValue] = [
      "foolong": .int64(123), "bardouble": .double(456.0), "big_ol_string_list": .stringList(Self.stringList),
    ]
    try expect(
      result2.sessionOptions == expected2, "res2 incorrect: expected \(expected2), got \(result2.sessionOptions)")

    let joined = Self.stringList.joined(separator: ",")
    _ = try await client.setSessionOptions(
      SetSessionOptionsRequest(sessionOptions: ["foolong": .unset, "big_ol_string_list": .string(joined)]))
    let result4 = try await client.getSessionOptions()
    let expected4: [String: SessionOptionValue] = ["bardouble": .double(456.0), "big_ol_string_list": .string(joined)]
    try expect(
      result4.sessionOptions == expected4, "res4 incorrect: expected \(expected4), got \(result4.sessionOptions)")

    let result5 = try await client.closeSession()
    try expect(result5.status == .closed, "CloseSession must return CLOSED, got \(result5.status)")
  }
}

// MARK: - Server sessions

/// One session's options.
final class Session: Sendable {
  let options = Mutex<[String: SessionOptionValue]>([:])
}

/// The sessions of a server, by id.
final class SessionStore: Sendable {
  private struct State {
    var sessions: [String: Session] = [:]
    var nextID = 1000
  }

  private let state = Mutex(State())

  func find(_ id: String) -> Session? {
    state.withLock { $0.sessions[id] }
  }

  func create() -> (id: String, session: Session) {
    state.withLock { state in
      let id = String(state.nextID)
      state.nextID += 1
      let session = Session()
      state.sessions[id] = session
      return (id, session)
    }
  }

  func remove(_ id: String) {
    state.withLock { state in state.sessions[id] = nil }
  }
}

/// Finds the caller's session from its `arrow_flight_session_id` cookie; an unknown id fails
/// the call (INVALID_ARGUMENT).
struct SessionMiddlewareFactory: ServerMiddlewareFactory {
  static let key = "session_middleware"
  let store = SessionStore()

  func startCall(_ info: CallInfo, headers: FlightHeaders, context: ServerCallContext) async throws
    -> (any ServerMiddleware)?
  {
    let cookies = headers.values("cookie").flatMap { parseCookieHeader(String(decoding: $0, as: UTF8.self)) }
    guard let id = cookies.first(where: { $0.name == sessionCookieName })?.value else {
      return SessionMiddleware(store: store, id: nil, session: nil)
    }
    guard let session = store.find(id) else {
      throw FlightError(.invalidArgument, "Invalid or expired \(sessionCookieName) cookie.")
    }
    return SessionMiddleware(store: store, id: id, session: session)
  }
}

/// The session of one call: created on first use (then sent to the client in `set-cookie`),
/// and closed by CloseSession (then the cookie is expired).
final class SessionMiddleware: ServerMiddleware {
  private struct State {
    var id: String?
    var session: Session?
    var created = false
    var closed = false
  }

  private let store: SessionStore
  private let state: Mutex<State>

  init(store: SessionStore, id: String?, session: Session?) {
    self.store = store
    self.state = Mutex(State(id: id, session: session))
  }

  /// The call's session, created if the client has none.
  func session() throws -> Session {
    try state.withLock { state throws(FlightError) -> Session in
      if state.closed { throw FlightError(.invalidArgument, "the session is closed") }
      if let session = state.session { return session }
      let (id, session) = store.create()
      state.id = id
      state.session = session
      state.created = true
      return session
    }
  }

  /// Closes the call's session.
  func close() throws {
    try state.withLock { state throws(FlightError) in
      guard let id = state.id, !state.closed else { throw FlightError(.notFound, "there is no session to close") }
      store.remove(id)
      state.closed = true
    }
  }

  func sendingHeaders(_ headers: inout FlightHeaders) {
    let (id, created, closed) = state.withLock { ($0.id, $0.created, $0.closed) }
    guard let id else { return }
    if closed {
      headers.add("set-cookie", "\(sessionCookieName)=\(id); Max-Age=0")
    } else if created {
      headers.add("set-cookie", "\(sessionCookieName)=\(id)")
    }
  }
}

/// The `name=value` pairs of a `cookie` header.
func parseCookieHeader(_ header: String) -> [(name: String, value: String)] {
  header.split(separator: ";").compactMap { part in
    let pair = part.trimmingSpaces
    guard let equals = pair.firstIndex(of: "=") else { return nil }
    var value = String(pair[pair.index(after: equals)...]).trimmingSpaces
    if value.count >= 2, value.hasPrefix("\""), value.hasSuffix("\"") { value = String(value.dropFirst().dropLast()) }
    return (String(pair[..<equals]).trimmingSpaces, value)
  }
}

extension StringProtocol {
  /// Without leading and trailing spaces and tabs.
  var trimmingSpaces: String {
    let isSpace: (Character) -> Bool = { $0 == " " || $0 == "\t" }
    guard let first = firstIndex(where: { !isSpace($0) }), let last = lastIndex(where: { !isSpace($0) }) else {
      return ""
    }
    return String(self[first...last])
  }
}

// MARK: - Client cookies

/// The cookies a client received (`set-cookie`) and sends back (`cookie`).
final class CookieJar: Sendable {
  private let cookies = Mutex<[(name: String, value: String)]>([])

  /// The `cookie` header value, or nil without cookies.
  var header: String? {
    cookies.withLock { cookies in
      cookies.isEmpty ? nil : cookies.map { "\($0.name)=\($0.value)" }.joined(separator: "; ")
    }
  }

  /// Stores or, with `Max-Age=0` or less, removes the cookie of a `set-cookie` header.
  func receive(_ setCookie: String) {
    let parts = parseCookieHeader(setCookie)
    guard let cookie = parts.first else { return }
    let expired = parts.dropFirst().contains { $0.name.lowercased() == "max-age" && (Int($0.value) ?? 1) <= 0 }
    cookies.withLock { cookies in
      cookies.removeAll { $0.name == cookie.name }
      if !expired { cookies.append(cookie) }
    }
  }
}

/// Client middleware that keeps cookies, like Arrow's client cookie middleware.
struct CookieMiddlewareFactory: ClientMiddlewareFactory {
  let jar: CookieJar

  func startCall(_ info: CallInfo) -> (any ClientMiddleware)? {
    CookieMiddleware(jar: jar)
  }
}

struct CookieMiddleware: ClientMiddleware {
  let jar: CookieJar

  func sendingHeaders(_ headers: inout FlightHeaders) {
    if let header = jar.header { headers.add("cookie", header) }
  }

  func receivedHeaders(_ headers: FlightHeaders) {
    for value in headers.values("set-cookie") { jar.receive(String(decoding: value, as: UTF8.self)) }
  }
}
