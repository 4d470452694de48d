// Arrow IPC inside Flight: FlightData messages to and from schemas and record batches, and
// the encapsulated schema bytes of FlightInfo and SchemaResult.

import ArrowCore
import ArrowIPC
import FlightProto

/// Turns a schema and its batches into FlightData messages (bodies referenced, not copied).
struct FlightDataEncoder: Sendable {
  private var encoder: IPCEncoder

  init(schema: Schema, options: IPCWriteOptions) throws(FlightError) {
    do {
      encoder = try IPCEncoder(schema: schema, options: options)
    } catch {
      throw FlightError(.invalidArgument, "cannot encode the schema: \(error)", cause: error)
    }
  }

  var schema: Schema { encoder.schema }

  /// The schema message.
  func schemaMessage() -> FlightData {
    FlightData(dataHeader: encoder.encodeSchema().metadata)
  }

  /// The messages of `batch`: dictionary batches it needs, then the record batch (last).
  mutating func encode(_ batch: RecordBatch) throws(FlightError) -> [FlightData] {
    do {
      return try encoder.encode(batch).map { FlightData(dataHeader: $0.metadata, body: $0.bodyBuffers) }
    } catch {
      throw FlightError(.invalidArgument, "cannot encode the record batch: \(error)", cause: error)
    }
  }
}

/// What one data message of a stream decoded to.
enum DecodedFlightData {
  case schema(Schema)
  case dictionary
  case batch(RecordBatch)
}

/// Decodes the data messages of a stream (schema, dictionaries, batches), verifying them.
struct FlightDataDecoder: Sendable {
  private var decoder: IPCDecoder

  init(options: IPCReadOptions) {
    decoder = IPCDecoder(options: options)
  }

  mutating func decode(_ data: FlightData) throws(FlightError) -> DecodedFlightData {
    guard let header = data.dataHeader else { throw FlightError(.invalidArgument, "a data message has no header") }
    do {
      switch try decoder.decode(metadata: header, body: MessageBody(parts: data.body)) {
      case .schema(let schema): return .schema(schema)
      case .dictionaryBatch: return .dictionary
      case .recordBatch(let batch, _): return .batch(batch)
      }
    } catch {
      throw FlightError(.invalidArgument, "invalid Arrow data in the stream: \(error)", cause: error)
    }
  }
}

/// The encapsulated IPC schema message (continuation marker, length, flatbuffer, padding),
/// the form FlightInfo and SchemaResult carry.
func encapsulatedSchema(_ schema: Schema) throws(FlightError) -> [UInt8] {
  do {
    return Array(try IPCEncoder(schema: schema).encodeSchema().framedMetadata())
  } catch {
    throw FlightError(.invalidArgument, "cannot encode the schema: \(error)", cause: error)
  }
}

/// The schema in encapsulated IPC bytes (with or without the continuation marker).
func decodeEncapsulatedSchema(_ bytes: [UInt8]) throws(FlightError) -> Schema {
  do {
    guard let framed = try MessageFraming.readMessage(from: Buffer(copying: bytes), at: 0) else {
      throw FlightError(.invalidArgument, "the schema bytes are empty")
    }
    var decoder = IPCDecoder()
    guard case .schema(let schema) = try decoder.decode(metadata: framed.metadata, body: framed.body) else {
      throw FlightError(.invalidArgument, "the schema bytes hold another kind of IPC message")
    }
    return schema
  } catch let error as FlightError {
    throw error
  } catch {
    throw FlightError(.invalidArgument, "invalid schema bytes: \(error)", cause: error)
  }
}

extension FlightInfo {
  /// A FlightInfo for data of `schema`: the schema in its encapsulated IPC form, the
  /// descriptor, endpoints and totals (-1 for unknown), as pyarrow's `FlightInfo(...)` builds it.
  public init(
    schema: Schema, descriptor: FlightDescriptor, endpoints: [FlightEndpoint], totalRecords: Int64 = -1,
    totalBytes: Int64 = -1, ordered: Bool = false, appMetadata: [UInt8] = []
  ) throws {
    self.init(
      schema: try encapsulatedSchema(schema), flightDescriptor: descriptor, endpoints: endpoints,
      totalRecords: totalRecords, totalBytes: totalBytes, ordered: ordered, appMetadata: appMetadata)
  }

  /// A FlightInfo for `table`: its schema, its row count and its size in bytes.
  public init(
    table: Table, descriptor: FlightDescriptor, endpoints: [FlightEndpoint], ordered: Bool = false,
    appMetadata: [UInt8] = []
  ) throws {
    try self.init(
      schema: table.schema, descriptor: descriptor, endpoints: endpoints, totalRecords: Int64(table.length),
      totalBytes: Int64(table.bufferByteCount), ordered: ordered, appMetadata: appMetadata)
  }

  /// The schema of the flight, decoded; nil when the info carries none.
  public func decodedSchema() throws -> Schema? {
    schema.isEmpty ? nil : try decodeEncapsulatedSchema(schema)
  }
}

extension SchemaResult {
  /// A SchemaResult holding `schema` in its encapsulated IPC form.
  public init(_ schema: Schema) throws {
    self.init(schema: try encapsulatedSchema(schema))
  }

  /// The schema, decoded.
  public func decodedSchema() throws -> Schema {
    try decodeEncapsulatedSchema(schema)
  }
}

extension ArrayData {
  /// The bytes of every buffer this array references, children and dictionary included.
  var bufferByteCount: Int {
    buffers.reduce(0) { $0 + ($1?.count ?? 0) } + children.reduce(0) { $0 + $1.bufferByteCount }
      + (dictionary?.bufferByteCount ?? 0)
  }
}

extension Table {
  /// The bytes of every buffer the table references (pyarrow's `nbytes` counts the same way
  /// for unsliced data).
  var bufferByteCount: Int {
    columns.reduce(0) { total, column in total + column.chunks.reduce(0) { $0 + $1.data.bufferByteCount } }
  }
}
