// An in-memory Flight service for tests: DoPut stores, DoGet serves, DoExchange echoes.

internal import FlightRPC
internal import Foundation
internal import Synchronization

/// A small store: tables by descriptor path, actions, and an error trigger.
final class TestStoreService: FlightService {
  let tables = Mutex<[String: Table]>([:])

  static func key(_ descriptor: FlightDescriptor) throws -> String {
    guard case .path(let components) = descriptor else {
      throw FlightError(.invalidArgument, "this store uses path descriptors")
    }
    return components.joined(separator: "/")
  }

  func info(_ key: String, _ table: Table) throws -> FlightInfo {
    try FlightInfo(
      table: table, descriptor: .forPath(key.split(separator: "/").map(String.init)),
      endpoints: [FlightEndpoint(ticket: Ticket(key), locations: [])])
  }

  func listFlights(_ criteria: Criteria, writer: FlightResponseWriter<FlightInfo>, context: ServerCallContext)
    async throws
  {
    let prefix = String(decoding: criteria.expression, as: UTF8.self)
    let all = tables.withLock { $0 }.sorted { $0.key < $1.key }
    for (key, table) in all where key.hasPrefix(prefix) { try await writer.write(try info(key, table)) }
  }

  func getFlightInfo(_ descriptor: FlightDescriptor, context: ServerCallContext) async throws -> FlightInfo {
    let key = try Self.key(descriptor)
    guard let table = tables.withLock({ $0[key] }) else { throw FlightError(.notFound, "no table at \(key)") }
    return try info(key, table)
  }

  func getSchema(_ descriptor: FlightDescriptor, context: ServerCallContext) async throws -> Schema {
    try await getFlightInfo(descriptor, context: context).decodedSchema()!
  }

  func doGet(_ ticket: Ticket, context: ServerCallContext) async throws -> any FlightDataStream {
    let key = String(decoding: ticket.ticket, as: UTF8.self)
    guard let table = tables.withLock({ $0[key] }) else { throw FlightError(.notFound, "no ticket \(key)") }
    return RecordBatchStream(table)
  }

  func doPut(
    _ descriptor: FlightDescriptor, reader: FlightStreamReader, writer: FlightMetadataWriter,
    context: ServerCallContext
  ) async throws {
    let key = try Self.key(descriptor)
    var batches: [RecordBatch] = []
    for try await chunk in reader {
      if let batch = chunk.data { batches.append(batch) }
      if let metadata = chunk.appMetadata { try await writer.write(metadata) }
    }
    guard let schema = reader.schema else { throw FlightError(.invalidArgument, "no schema") }
    let table = try Table(batches: batches, schema: schema)
    tables.withLock { $0[key] = table }
  }

  func doExchange(
    _ descriptor: FlightDescriptor, reader: FlightStreamReader, writer: FlightStreamWriter,
    context: ServerCallContext
  ) async throws {
    for try await chunk in reader {
      if writer.schema == nil, let schema = reader.schema { try await writer.begin(schema) }
      try await chunk.write(to: writer)
    }
  }

  func listActions(context: ServerCallContext) async throws -> [ActionType] {
    [ActionType(type: "echo", description: "Echo the body"), ActionType(type: "fail", description: "Fail on purpose")]
  }

  func doAction(_ action: Action, writer: FlightResponseWriter<FlightResult>, context: ServerCallContext) async throws {
    switch action.type {
    case "echo":
      try await writer.write(FlightResult(body: action.body))
    case "trace":
      let span = (context.middleware("tracing") as? TracingServerMiddleware)?.traceContext
      let text = span.map { "\($0.traceID) \($0.parentSpanID ?? "-")" } ?? "none"
      try await writer.write(FlightResult(body: Array(text.utf8)))
    case "whoami":
      try await writer.write(FlightResult(body: Array(context.peerIdentity.utf8)))
    case "fail":
      let kind = FlightError.Kind(rawValue: String(decoding: action.body, as: UTF8.self)) ?? .internal
      throw FlightError(kind, "failed on purpose: \(kind)", extraInfo: Array("extra".utf8))
    case "throw":
      struct Oops: Error {}
      throw Oops()
    default:
      throw FlightError(.notImplemented, "unknown action \(action.type)")
    }
  }
}

/// A sample table of a few types.
func sampleTable(rows: Int = 5) throws -> Table {
  try Table([
    ("id", Int64Array((0..<rows).map { Int64($0) })),
    ("name", StringArray((0..<rows).map { $0 % 3 == 0 ? nil : "row \($0)" })),
    ("score", Float64Array((0..<rows).map { Double($0) * 1.5 })),
  ])
}
