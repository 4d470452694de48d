// expiration_time:do_get, :list_actions, :cancel_flight_info and :renew_flight_endpoint.

internal import FlightRPC
internal import Synchronization

/// The server of the expiration time scenarios. GetFlightInfo answers with three endpoints,
/// `0: No expiration time`, `1: 5 seconds` and `2: 6 seconds` (expiring 5 and 6 seconds
/// later). The first can be read once; the others until they expire. CancelFlightInfo cancels
/// endpoints (later reads fail); RenewFlightEndpoint extends one by 10 seconds.
final class ExpirationTimeService: FlightService {
  private struct EndpointStatus {
    var expirationTime: Timestamp?
    var gets = 0
    var cancelled = false
  }

  private let statuses = Mutex<[EndpointStatus]>([])
  static let schema = Schema([Field("number", .uint32, nullable: false)])

  /// The standard action types, as Arrow C++ describes them.
  static let cancelFlightInfoAction = ActionType(
    type: Action.cancelFlightInfoType,
    description:
      "Explicitly cancel a running FlightInfo.\nRequest Message: CancelFlightInfoRequest\nResponse Message: CancelFlightInfoResult"
  )
  static let renewFlightEndpointAction = ActionType(
    type: Action.renewFlightEndpointType,
    description:
      "Extend expiration time of the given FlightEndpoint.\nRequest Message: RenewFlightEndpointRequest\nResponse Message: Renewed FlightEndpoint"
  )

  func getFlightInfo(_ descriptor: FlightDescriptor, context: ServerCallContext) async throws -> FlightInfo {
    let now = Timestamp.now()
    let plan: [(String, Timestamp?)] = [
      ("No expiration time", nil), ("5 seconds", now.advanced(by: .seconds(5))),
      ("6 seconds", now.advanced(by: .seconds(6))),
    ]
    let endpoints = statuses.withLock { statuses in
      statuses = plan.map { EndpointStatus(expirationTime: $0.1) }
      return plan.enumerated().map { index, entry in
        FlightEndpoint(ticket: Ticket("\(index): \(entry.0)"), expirationTime: entry.1)
      }
    }
    return try FlightInfo(schema: Self.schema, descriptor: descriptor, endpoints: endpoints)
  }

  func doGet(_ ticket: Ticket, context: ServerCallContext) async throws -> any FlightDataStream {
    let text = String(decoding: ticket.ticket, as: UTF8.self)
    let index = try statuses.withLock { statuses throws(FlightError) -> Int in
      let index = try Self.index(of: text, count: statuses.count)
      if statuses[index].cancelled { throw FlightError(.notFound, "Invalid flight: canceled: \(text)") }
      if let expiration = statuses[index].expirationTime {
        if expiration < Timestamp.now() { throw FlightError(.notFound, "Invalid flight: expired: \(text)") }
      } else if statuses[index].gets > 0 {
        throw FlightError(.notFound, "Invalid flight: can't read multiple times: \(text)")
      }
      statuses[index].gets += 1
      return index
    }
    return RecordBatchStream(try numberTable(.uint32, [UInt32(index)], as: UInt32Type.self))
  }

  func listActions(context: ServerCallContext) async throws -> [ActionType] {
    [Self.cancelFlightInfoAction, Self.renewFlightEndpointAction]
  }

  func doAction(_ action: Action, writer: FlightResponseWriter<FlightResult>, context: ServerCallContext)
    async throws
  {
    throw FlightError(.invalidArgument, "Unknown action: \(action.type)")
  }

  func cancelFlightInfo(_ request: CancelFlightInfoRequest, context: ServerCallContext) async throws
    -> CancelFlightInfoResult
  {
    let status = statuses.withLock { statuses -> CancelStatus in
      var status = CancelStatus.unspecified
      for endpoint in request.info.endpoints {
        guard
          let index = try? Self.index(
            of: String(decoding: endpoint.ticket.ticket, as: UTF8.self), count: statuses.count)
        else {
          status = .notCancellable
          continue
        }
        if statuses[index].cancelled {
          status = .notCancellable
        } else {
          statuses[index].cancelled = true
          if status == .unspecified { status = .cancelled }
        }
      }
      return status
    }
    return CancelFlightInfoResult(status: status)
  }

  func renewFlightEndpoint(_ request: RenewFlightEndpointRequest, context: ServerCallContext) async throws
    -> FlightEndpoint
  {
    var endpoint = request.endpoint
    let text = String(decoding: endpoint.ticket.ticket, as: UTF8.self)
    let expiration = Timestamp.now().advanced(by: .seconds(10))
    try statuses.withLock { statuses throws(FlightError) in
      let index = try Self.index(of: text, count: statuses.count)
      if statuses[index].cancelled { throw FlightError(.invalidArgument, "Invalid flight: canceled: \(text)") }
      statuses[index].expirationTime = expiration
    }
    endpoint.ticket = Ticket(text + ": renewed (+ 10 seconds)")
    endpoint.expirationTime = expiration
    return endpoint
  }

  /// The endpoint index a ticket starts with (`<index>: ...`).
  private static func index(of ticket: String, count: Int) throws(FlightError) -> Int {
    let prefix = ticket.split(separator: ":", maxSplits: 1, omittingEmptySubsequences: false).first ?? ""
    guard !prefix.isEmpty, prefix.allSatisfy(\.isASCII), let index = UInt32(prefix) else {
      throw FlightError(.notFound, "Invalid flight: no index: \(ticket)")
    }
    guard Int(index) < count else { throw FlightError(.notFound, "Invalid flight: out of index: \(ticket)") }
    return Int(index)
  }
}

/// The expiration time scenarios share the server; each has its own client.
protocol ExpirationTimeScenario: Scenario {}

extension ExpirationTimeScenario {
  func makeServer() throws -> (service: any FlightService, options: FlightServerOptions) {
    (ExpirationTimeService(), FlightServerOptions())
  }
}

/// Reads every endpoint (the first has no expiration time, the others have one); the data
/// is 0, 1, 2.
struct ExpirationTimeDoGetScenario: ExpirationTimeScenario {
  func runClient(location: Location) async throws {
    let client = try connect(location)
    defer { client.close() }
    let info = try await client.getFlightInfo(.command(Array("expiration_time".utf8)))
    var tables: [Table] = []
    for endpoint in info.endpoints {
      if tables.isEmpty {
        try expect(endpoint.expirationTime == nil, "endpoints[0] must not have expiration time")
      } else {
        try expect(endpoint.expirationTime != nil, "endpoints[\(tables.count)] must have expiration time")
      }
      tables.append(try await client.doGet(endpoint.ticket).readAll())
    }
    let table = try Table.concatenate(tables)
    let expected = try numberTable(.uint32, [0, 1, 2], as: UInt32Type.self)
    try expect(table == expected, "Read data isn't expected. Expected: \(expected) Actual: \(table)")
  }
}

/// ListActions answers with exactly CancelFlightInfo and RenewFlightEndpoint.
struct ExpirationTimeListActionsScenario: ExpirationTimeScenario {
  func runClient(location: Location) async throws {
    let client = try connect(location)
    defer { client.close() }
    let actual = try await client.listActions().map(\.type).sorted()
    let expected = ["CancelFlightInfo", "RenewFlightEndpoint"]
    try expect(
      actual == expected,
      "Invalid ListActions response: expected=[\(expected.joined(separator: ", "))] actual=[\(actual.joined(separator: ", "))]"
    )
  }
}

/// CancelFlightInfo answers CANCELLED; afterwards DoGet fails for every endpoint.
struct ExpirationTimeCancelFlightInfoScenario: ExpirationTimeScenario {
  func runClient(location: Location) async throws {
    let client = try connect(location)
    defer { client.close() }
    let info = try await client.getFlightInfo(.command(Array("expiration".utf8)))
    let result = try await client.cancelFlightInfo(CancelFlightInfoRequest(info: info))
    try expect(
      result.status == .cancelled, "CancelFlightInfo must return CANCEL_STATUS_CANCELLED: \(result.status)")
    for endpoint in info.endpoints {
      do {
        _ = try await client.doGet(endpoint.ticket).readAll()
      } catch is FlightError {
        continue
      }
      throw ScenarioFailure("DoGet after CancelFlightInfo must be failed")
    }
  }
}

/// RenewFlightEndpoint of each endpoint with an expiration time answers with a later one.
struct ExpirationTimeRenewFlightEndpointScenario: ExpirationTimeScenario {
  func runClient(location: Location) async throws {
    let client = try connect(location)
    defer { client.close() }
    let info = try await client.getFlightInfo(.command(Array("expiration".utf8)))
    for endpoint in info.endpoints {
      guard let expiration = endpoint.expirationTime else { continue }
      let renewed = try await client.renewFlightEndpoint(RenewFlightEndpointRequest(endpoint: endpoint))
      guard let renewedExpiration = renewed.expirationTime else {
        throw ScenarioFailure("Renewed endpoint must have expiration time: \(renewed)")
      }
      try expect(
        renewedExpiration > expiration,
        "Renewed endpoint must have newer expiration time. Original: \(endpoint) Renewed: \(renewed)")
    }
  }
}
