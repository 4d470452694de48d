// ordered, poll_flight_info, app_metadata_flight_info_endpoint and location:reuse_connection.

internal import FlightRPC

/// A table of one non-nullable column `number`.
func numberTable<T: ArrowPrimitiveType>(_ type: DataType, _ values: [T.Native], as: T.Type) throws -> Table {
  let schema = Schema([Field("number", type, nullable: false)])
  return try Table(batches: [
    try RecordBatch(schema: schema, columns: [PrimitiveArray<T>(values.map { Optional($0) }, type: type)])
  ])
}

/// Reads every endpoint's stream from `client`, in order, into one table.
func readEndpoints(_ endpoints: [FlightEndpoint], from client: FlightClient) async throws -> Table {
  var tables: [Table] = []
  for endpoint in endpoints {
    tables.append(try await client.doGet(endpoint.ticket).readAll())
  }
  return try Table.concatenate(tables)
}

// MARK: - ordered

/// CMD "ordered": FlightInfo.ordered is set and the endpoints ("1", "2", "3", no locations)
/// must be read front to back; the client checks the concatenated data.
struct OrderedScenario: Scenario {
  static let schema = Schema([Field("number", .int32, nullable: false)])

  struct Service: FlightService {
    func getFlightInfo(_ descriptor: FlightDescriptor, context: ServerCallContext) async throws -> FlightInfo {
      let ordered = descriptor == .command(Array("ordered".utf8))
      let tickets = ordered ? ["1", "2", "3"] : ["1", "3", "2"]
      return try FlightInfo(
        schema: OrderedScenario.schema, descriptor: descriptor,
        endpoints: tickets.map { FlightEndpoint(ticket: Ticket($0)) }, ordered: ordered)
    }

    func doGet(_ ticket: Ticket, context: ServerCallContext) async throws -> any FlightDataStream {
      let values: [Int32]
      switch String(decoding: ticket.ticket, as: UTF8.self) {
      case "1": values = [1, 2, 3]
      case "2": values = [10, 20, 30]
      case "3": values = [100, 200, 300]
      default: throw FlightError(.notFound, "Could not find flight: \(String(decoding: ticket.ticket, as: UTF8.self))")
      }
      return RecordBatchStream(try numberTable(.int32, values, as: Int32Type.self))
    }
  }

  func makeServer() throws -> (service: any FlightService, options: FlightServerOptions) {
    (Service(), FlightServerOptions())
  }

  func runClient(location: Location) async throws {
    let client = try connect(location)
    defer { client.close() }
    let info = try await client.getFlightInfo(.command(Array("ordered".utf8)))
    try expect(info.ordered, "Server must return FlightInfo.ordered = true")
    for endpoint in info.endpoints {
      try expect(
        endpoint.locations.isEmpty,
        "Expected to receive empty locations to use the original service: \(endpoint.locations.map(\.uri))")
    }
    let table = try await readEndpoints(info.endpoints, from: client)
    let expected = try numberTable(.int32, [1, 2, 3, 10, 20, 30, 100, 200, 300], as: Int32Type.self)
    try expect(table == expected, "Read data isn't expected. Expected: \(expected) Actual: \(table)")
  }
}

// MARK: - poll_flight_info

/// PollFlightInfo of a long-running query: the first poll answers with a descriptor to poll
/// next (CMD "poll"), progress 0.1 and an expiration time; polling that answers without a
/// descriptor, progress 1.0 and no expiration time.
struct PollFlightInfoScenario: Scenario {
  struct Service: FlightService {
    func pollFlightInfo(_ descriptor: FlightDescriptor, context: ServerCallContext) async throws -> PollInfo {
      let schema = Schema([Field("number", .uint32, nullable: false)])
      let info = try FlightInfo(
        schema: schema, descriptor: descriptor, endpoints: [FlightEndpoint(ticket: Ticket("long-running query"))])
      if descriptor == .command(Array("poll".utf8)) {
        return PollInfo(info: info, flightDescriptor: nil, progress: 1.0, expirationTime: nil)
      }
      return PollInfo(
        info: info, flightDescriptor: .command(Array("poll".utf8)), progress: 0.1,
        expirationTime: Timestamp.now().advanced(by: .seconds(10)))
    }
  }

  func makeServer() throws -> (service: any FlightService, options: FlightServerOptions) {
    (Service(), FlightServerOptions())
  }

  func runClient(location: Location) async throws {
    let client = try connect(location)
    defer { client.close() }
    var info = try await client.pollFlightInfo(.command(Array("heavy query".utf8)))
    guard let next = info.flightDescriptor else { throw ScenarioFailure("Description is missing: \(info)") }
    guard let progress = info.progress else { throw ScenarioFailure("Progress is missing: \(info)") }
    try expect((0.0...1.0).contains(progress), "Invalid progress: \(info)")
    try expect(info.expirationTime != nil, "Expiration time is missing: \(info)")
    info = try await client.pollFlightInfo(next)
    try expect(info.flightDescriptor == nil, "Retried but not finished yet: \(info)")
    guard let finalProgress = info.progress else {
      throw ScenarioFailure("Progress is missing in finished query: \(info)")
    }
    try expect(abs(finalProgress - 1.0) <= 1e-5, "Progress for finished query isn't 1.0: \(info)")
    try expect(info.expirationTime == nil, "Expiration time must not be set for finished query: \(info)")
  }
}

// MARK: - app_metadata_flight_info_endpoint

/// GetFlightInfo echoes the command bytes as FlightInfo.app_metadata and as the app_metadata
/// of its one endpoint.
struct AppMetadataFlightInfoEndpointScenario: Scenario {
  struct Service: FlightService {
    func getFlightInfo(_ descriptor: FlightDescriptor, context: ServerCallContext) async throws -> FlightInfo {
      guard case .command(let command) = descriptor else {
        throw FlightError(.invalidArgument, "request descriptor should be of type CMD")
      }
      let schema = Schema([Field("number", .uint32, nullable: false)])
      return try FlightInfo(
        schema: schema, descriptor: descriptor, endpoints: [FlightEndpoint(ticket: Ticket([]), appMetadata: command)],
        appMetadata: command)
    }
  }

  func makeServer() throws -> (service: any FlightService, options: FlightServerOptions) {
    (Service(), FlightServerOptions())
  }

  func runClient(location: Location) async throws {
    let client = try connect(location)
    defer { client.close() }
    let info = try await client.getFlightInfo(.command(Array("foobar".utf8)))
    let metadata = String(decoding: info.appMetadata, as: UTF8.self)
    try expect(info.appMetadata == Array("foobar".utf8), "app_metadata should have been 'foobar', got: \(metadata)")
    try expect(
      info.endpoints.count == 1, "should have gotten exactly one FlightEndpoint back, got: \(info.endpoints.count)")
    let endpointMetadata = String(decoding: info.endpoints[0].appMetadata, as: UTF8.self)
    try expect(
      info.endpoints[0].appMetadata == Array("foobar".utf8),
      "FlightEndpoint app_metadata should be 'foobar', got: \(endpointMetadata)")
  }
}

// MARK: - location:reuse_connection

/// GetFlightInfo answers with one endpoint whose only location is
/// `arrow-flight-reuse-connection://?`.
struct LocationReuseConnectionScenario: Scenario {
  struct Service: FlightService {
    func getFlightInfo(_ descriptor: FlightDescriptor, context: ServerCallContext) async throws -> FlightInfo {
      try FlightInfo(
        schema: Schema([]), descriptor: descriptor,
        endpoints: [FlightEndpoint(ticket: Ticket("reuse"), locations: [Location.reuseConnection])])
    }
  }

  func makeServer() throws -> (service: any FlightService, options: FlightServerOptions) {
    (Service(), FlightServerOptions())
  }

  func runClient(location: Location) async throws {
    let client = try connect(location)
    defer { client.close() }
    let info = try await client.getFlightInfo(.command(Array("reuse".utf8)))
    try expect(info.endpoints.count == 1, "expected 1 endpoint, got \(info.endpoints.count)")
    let locations = info.endpoints[0].locations
    try expect(locations.count == 1, "expected 1 location, got \(locations.count): \(locations.map(\.uri))")
    try expect(
      locations[0].uri == Location.reuseConnection.uri,
      "expected location \(Location.reuseConnection.uri), got \(locations[0].uri)")
  }
}
