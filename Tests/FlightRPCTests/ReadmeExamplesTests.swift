// The README's examples, compiled and run: if this file changes, update the README too.

internal import FlightRPC
internal import Foundation
internal import Synchronization
internal import Testing

// MARK: Server example (README "A server")

/// An in-memory table store, like the seed's DataFlightServer.
final class DataFlightServer: FlightService {
  let store = Mutex<[String: Table]>([:])

  init() throws {
    let sales = try Table([
      ("date", StringArray(["2023-01-01", "2023-01-02", "2023-01-03"])),
      ("amount", Float64Array([100.0, 150.0, 200.0])),
      ("region", StringArray(["North", "South", "East"])),
    ])
    store.withLock { $0["dataset/sales"] = sales }
  }

  private func table(_ path: String) throws -> Table {
    guard let table = store.withLock({ $0[path] }) else { throw FlightError(.notFound, "Unknown path: \(path)") }
    return table
  }

  private func info(_ path: String) throws -> FlightInfo {
    try FlightInfo(
      table: table(path), descriptor: .forPath(path.split(separator: "/").map(String.init)),
      endpoints: [FlightEndpoint(ticket: Ticket(path), locations: [])])
  }

  func listFlights(_ criteria: Criteria, writer: FlightResponseWriter<FlightInfo>, context: ServerCallContext)
    async throws
  {
    for path in store.withLock({ $0.keys.sorted() }) { try await writer.write(try info(path)) }
  }

  func getFlightInfo(_ descriptor: FlightDescriptor, context: ServerCallContext) async throws -> FlightInfo {
    guard case .path(let components) = descriptor else { throw FlightError(.invalidArgument, "path descriptors only") }
    return try info(components.joined(separator: "/"))
  }

  func doGet(_ ticket: Ticket, context: ServerCallContext) async throws -> any FlightDataStream {
    RecordBatchStream(try table(String(decoding: ticket.ticket, as: UTF8.self)))
  }

  func doPut(
    _ descriptor: FlightDescriptor, reader: FlightStreamReader, writer: FlightMetadataWriter,
    context: ServerCallContext
  ) async throws {
    guard case .path(let components) = descriptor else { throw FlightError(.invalidArgument, "path descriptors only") }
    let table = try await reader.readAll()
    store.withLock { $0[components.joined(separator: "/")] = table }
  }

  func listActions(context: ServerCallContext) async throws -> [ActionType] {
    [ActionType(type: "list_tables", description: "List all stored tables")]
  }

  func doAction(_ action: Action, writer: FlightResponseWriter<FlightResult>, context: ServerCallContext) async throws {
    guard action.type == "list_tables" else { throw FlightError(.notImplemented, "Unknown action: \(action.type)") }
    let names = store.withLock { $0.keys.sorted() }
    try await writer.write(FlightResult(body: Array(names.joined(separator: "\n").utf8)))
  }
}

@Suite("README examples", .serialized)
struct ReadmeExamplesTests {
  @Test func clientAndServerExamples() async throws {
    let server = try FlightServer(DataFlightServer(), location: .forGRPCTCP(host: "localhost", port: 0))

    // MARK: Client example (README "A client")
    let client = try FlightClient("grpc://localhost:\(server.port)")
    for try await info in try await client.listFlights() {
      print("Flight: \(info.flightDescriptor?.description ?? "-")")
      print("  Records: \(info.totalRecords), bytes: \(info.totalBytes)")
    }
    let info = try await client.getFlightInfo(.forPath("dataset", "sales"))
    for endpoint in info.endpoints {
      let table = try await client.doGet(endpoint.ticket).readAll()
      print("Retrieved table: \(table.length) rows, \(table.columnCount) columns")
      #expect(table.length == 3)
    }

    let upload = try Table([
      ("id", Int64Array([1, 2, 3, 4, 5])),
      ("value", Float64Array([10.5, 20.3, 30.1, 40.7, 50.2])),
    ])
    try await client.withDoPut(.forPath("uploads", "new_data"), schema: upload.schema) { writer, results in
      try await writer.write(upload)  // or write(batch, appMetadata:) and read `results`
    }  // closed here; a throw cancels the upload instead

    for try await result in try await client.doAction(Action(type: "list_tables")) {
      print("Action result: \(String(decoding: result.body, as: UTF8.self))")
    }
    client.close()
    // MARK: end of client example

    let check = try FlightClient(location: server.location)
    #expect(try await check.doGet(Ticket("uploads/new_data")).readAll() == upload)
    await server.shutdown()
  }
}

// MARK: The README's short server example, kept compiling.

final class ReadmeStore: FlightService {
  let store = Mutex<[String: Table]>([:])

  func getFlightInfo(_ descriptor: FlightDescriptor, context: ServerCallContext) async throws -> FlightInfo {
    guard case .path(let components) = descriptor, let table = store.withLock({ $0[components.joined(separator: "/")] })
    else { throw FlightError(.notFound, "Unknown path: \(descriptor)") }
    return try FlightInfo(
      table: table, descriptor: descriptor,
      endpoints: [FlightEndpoint(ticket: Ticket(components.joined(separator: "/")), locations: [])])
  }

  func doGet(_ ticket: Ticket, context: ServerCallContext) async throws -> any FlightDataStream {
    guard let table = store.withLock({ $0[String(decoding: ticket.ticket, as: UTF8.self)] })
    else { throw FlightError(.notFound, "Unknown ticket") }
    return RecordBatchStream(table)
  }

  func doPut(
    _ descriptor: FlightDescriptor, reader: FlightStreamReader, writer: FlightMetadataWriter,
    context: ServerCallContext
  ) async throws {
    guard case .path(let components) = descriptor else { throw FlightError(.invalidArgument, "paths only") }
    let table = try await reader.readAll()
    store.withLock { $0[components.joined(separator: "/")] = table }
  }
}

/// The README's middleware example.
struct Timing: ClientMiddlewareFactory {
  func startCall(_ info: CallInfo) -> (any ClientMiddleware)? { Recorder(method: info.method, start: .now) }
  struct Recorder: ClientMiddleware {
    let method: FlightMethod
    let start: ContinuousClock.Instant
    func callCompleted(_ error: FlightError?) { print("\(method) took \(ContinuousClock.now - start)") }
  }
}

extension ReadmeExamplesTests {
  @Test func shortServerExampleRoundTrips() async throws {
    let server = try FlightServer(ReadmeStore(), location: .forGRPCTCP(host: "localhost", port: 0))
    let client = try FlightClient(
      "grpc://localhost:\(server.port)", options: FlightClientOptions(middleware: [Timing()]))
    let table = try Table([("x", Int64Array([1, 2, 3]))])
    let (writer, _) = try await client.doPut(.forPath("a", "b"), schema: table.schema)
    try await writer.write(table)
    try await writer.close()
    let info = try await client.getFlightInfo(.forPath("a", "b"))
    #expect(try await client.doGet(info.endpoints[0].ticket).readAll() == table)
    await server.shutdown()
  }
}
