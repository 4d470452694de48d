// The Flight service of `flight serve`: a table store reached through the Flight RPCs.

internal import FlightRPC
internal import Foundation
internal import Synchronization

/// Serves a ``TableStore``: DoPut stores, DoGet serves, ListFlights lists by path prefix,
/// DoExchange `echo` echoes, and a few actions.
final class StoreService: FlightService {
  let store: TableStore
  private let calls = Mutex<[String: Int]>([:])

  /// The actions this service offers, in `ListActions` order.
  static let actions = [
    ActionType(type: "list_tables", description: "List all stored tables: one result per table path"),
    ActionType(type: "get_stats", description: "Get server statistics (JSON)"),
    ActionType(type: "drop_table", description: "Drop the table whose path (a/b) is the body"),
    ActionType(type: Action.cancelFlightInfoType, description: "Explicitly cancel a running FlightInfo."),
    ActionType(
      type: Action.renewFlightEndpointType, description: "Extend expiration time of the given FlightEndpoint."),
  ]

  init(store: TableStore) {
    self.store = store
  }

  private func count(_ method: String) {
    calls.withLock { $0[method, default: 0] += 1 }
  }

  /// The ticket of the table at `path`. Opaque to clients; only this server reads it.
  static func ticket(_ path: TablePath) -> Ticket {
    Ticket("table:" + path.description)
  }

  /// The table path a ticket names.
  static func path(_ ticket: Ticket) throws(FlightError) -> TablePath {
    guard let text = String(validating: ticket.ticket, as: UTF8.self), text.hasPrefix("table:") else {
      throw FlightError(.notFound, "unknown ticket")
    }
    do {
      return try TablePath(text.dropFirst("table:".count).split(separator: "/").map(String.init))
    } catch {
      throw FlightError(.notFound, "unknown ticket")
    }
  }

  /// The FlightInfo of a table: one endpoint without a location (this server).
  func info(_ path: TablePath, _ stored: StoredTable, descriptor: FlightDescriptor? = nil) throws -> FlightInfo {
    try FlightInfo(
      schema: stored.table.schema, descriptor: descriptor ?? path.descriptor,
      endpoints: [FlightEndpoint(ticket: Self.ticket(path), locations: [])],
      totalRecords: Int64(stored.table.length), totalBytes: Int64(stored.byteCount))
  }

  /// The table a descriptor names, or NOT_FOUND.
  private func lookup(_ descriptor: FlightDescriptor) throws -> (TablePath, StoredTable) {
    let path: TablePath
    do {
      path = try TablePath(descriptor)
    } catch {
      throw FlightError(.notFound, "no table at \(Self.show(descriptor))")
    }
    guard let table = store.table(path) else { throw FlightError(.notFound, "no table at \(path)") }
    return (path, table)
  }

  static func show(_ descriptor: FlightDescriptor) -> String {
    if let components = descriptor.pathComponents { return components.joined(separator: "/") }
    return String(decoding: descriptor.commandBytes ?? [], as: UTF8.self)
  }

  // MARK: RPCs

  func listFlights(_ criteria: Criteria, writer: FlightResponseWriter<FlightInfo>, context: ServerCallContext)
    async throws
  {
    count("ListFlights")
    let prefix = String(decoding: criteria.expression, as: UTF8.self)
    for (path, table) in store.all() where path.description.hasPrefix(prefix) {
      try await writer.write(try info(path, table))
    }
  }

  func getFlightInfo(_ descriptor: FlightDescriptor, context: ServerCallContext) async throws -> FlightInfo {
    count("GetFlightInfo")
    let (path, table) = try lookup(descriptor)
    return try info(path, table, descriptor: descriptor)
  }

  func pollFlightInfo(_ descriptor: FlightDescriptor, context: ServerCallContext) async throws -> PollInfo {
    count("PollFlightInfo")
    let (path, table) = try lookup(descriptor)
    return PollInfo(info: try info(path, table, descriptor: descriptor), flightDescriptor: nil, progress: 1.0)
  }

  func getSchema(_ descriptor: FlightDescriptor, context: ServerCallContext) async throws -> Schema {
    count("GetSchema")
    return try lookup(descriptor).1.table.schema
  }

  func doGet(_ ticket: Ticket, context: ServerCallContext) async throws -> any FlightDataStream {
    count("DoGet")
    let path = try Self.path(ticket)
    guard let stored = store.table(path) else { throw FlightError(.notFound, "no table at \(path)") }
    return RecordBatchStream(schema: stored.table.schema, batches: stored.batches, batchMetadata: stored.batchMetadata)
  }

  func doPut(
    _ descriptor: FlightDescriptor, reader: FlightStreamReader, writer: FlightMetadataWriter,
    context: ServerCallContext
  ) async throws {
    count("DoPut")
    guard let components = descriptor.pathComponents else {
      throw FlightError(.invalidArgument, "DoPut needs a PATH descriptor")
    }
    let path = try TablePath(components)
    var batches: [RecordBatch] = []
    var batchMetadata: [KeyValueMetadata] = []
    for try await chunk in reader {
      if let batch = chunk.data {
        batches.append(batch)
        batchMetadata.append(chunk.customMetadata)
      }
      // One PutResult per message, with its metadata or none: a client that waits for an
      // acknowledgement of each batch never waits in vain.
      try await writer.write(chunk.appMetadata.map { Array($0) } ?? [])
    }
    guard let schema = try await reader.readSchema() else {
      throw FlightError(.invalidArgument, "the upload has no schema")
    }
    let table: StoredTable
    do {
      table = try StoredTable(schema: schema, batches: batches, batchMetadata: batchMetadata)
    } catch {
      throw FlightError(.invalidArgument, "the uploaded batches do not form a table: \(error)")
    }
    try store.put(table, at: path)
  }

  func doExchange(
    _ descriptor: FlightDescriptor, reader: FlightStreamReader, writer: FlightStreamWriter,
    context: ServerCallContext
  ) async throws {
    count("DoExchange")
    guard descriptor.commandBytes == Array("echo".utf8) else {
      throw FlightError(.notImplemented, "DoExchange supports only the command \"echo\"")
    }
    for try await chunk in reader {
      if writer.schema == nil, chunk.data != nil, let schema = reader.schema { try await writer.begin(schema) }
      try await chunk.write(to: writer)
    }
    if writer.schema == nil, let schema = reader.schema { try await writer.begin(schema) }
  }

  func listActions(context: ServerCallContext) async throws -> [ActionType] {
    count("ListActions")
    return Self.actions
  }

  func doAction(_ action: Action, writer: FlightResponseWriter<FlightResult>, context: ServerCallContext) async throws {
    count("DoAction")
    switch action.type {
    case "list_tables":
      for (path, _) in store.all() { try await writer.write(FlightResult(body: Array(path.description.utf8))) }
    case "get_stats":
      try await writer.write(FlightResult(body: try statistics()))
    case "drop_table":
      guard let text = String(validating: action.body, as: UTF8.self) else {
        throw FlightError(.invalidArgument, "the drop_table body must be a UTF-8 path such as dataset/sales")
      }
      let path = try TablePath(text.split(separator: "/", omittingEmptySubsequences: false).map(String.init))
      guard try store.drop(path) else { throw FlightError(.notFound, "no table at \(path)") }
      try await writer.write(FlightResult(body: Array("dropped \(path)".utf8)))
    default:
      throw FlightError(.notImplemented, "unknown action \(action.type)")
    }
  }

  /// `get_stats`: `{"calls": {method: n}, "tables": n, "total_rows": n, "total_bytes": n}`.
  private func statistics() throws -> [UInt8] {
    let tables = store.all()
    let object: [String: Any] = [
      "tables": tables.count,
      "total_rows": tables.reduce(0) { $0 + $1.table.table.length },
      "total_bytes": tables.reduce(0) { $0 + $1.table.byteCount },
      "calls": calls.withLock { $0 },
      "persistent": store.directory != nil,
    ]
    return Array(try JSONSerialization.data(withJSONObject: object, options: [.sortedKeys]))
  }

  /// Tickets never expire and tables are complete: nothing to cancel.
  func cancelFlightInfo(_ request: CancelFlightInfoRequest, context: ServerCallContext) async throws
    -> CancelFlightInfoResult
  {
    count("CancelFlightInfo")
    for endpoint in request.info.endpoints {
      let path = try Self.path(endpoint.ticket)
      guard store.table(path) != nil else { throw FlightError(.notFound, "no table at \(path)") }
    }
    return CancelFlightInfoResult(status: .notCancellable)
  }

  /// Tickets never expire: the endpoint comes back as it is (no expiration time).
  func renewFlightEndpoint(_ request: RenewFlightEndpointRequest, context: ServerCallContext) async throws
    -> FlightEndpoint
  {
    count("RenewFlightEndpoint")
    let path = try Self.path(request.endpoint.ticket)
    guard store.table(path) != nil else { throw FlightError(.notFound, "no table at \(path)") }
    var endpoint = request.endpoint
    endpoint.expirationTime = nil
    return endpoint
  }
}
