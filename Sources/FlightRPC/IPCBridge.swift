// Arrow IPC inside Flight: FlightData messages to and from schemas and record batches, and
// the encapsulated schema bytes of FlightInfo and SchemaResult.

internal import ArrowCore
internal import ArrowIPC
internal import FlightProto

/// Turns a schema and its batches into FlightData messages (bodies referenced, not copied),
/// counting them.
struct FlightDataEncoder: Sendable {
  private var encoder: IPCEncoder
  /// The messages encoded so far (bytes aside: the writer counts what it sends).
  private(set) var statistics = FlightStreamStatistics()
  private var sentDictionaries: Set<Int64> = []

  init(schema: Schema, options: IPCWriteOptions) throws(FlightError) {
    do {
      encoder = try IPCEncoder(schema: schema, options: options)
    } catch {
      throw FlightError(.invalidArgument, "cannot encode the schema: \(error)", cause: error)
    }
  }

  var schema: Schema { encoder.schema }

  /// The schema message.
  mutating func schemaMessage() -> FlightData {
    statistics.countMessage(dictionaryID: nil, isDelta: false, isRecordBatch: false, seen: &sentDictionaries)
    return FlightData(dataHeader: encoder.encodeSchema().metadata)
  }

  /// The messages of `batch`: dictionary batches it needs, then the record batch (last),
  /// whose IPC message carries `customMetadata`.
  mutating func encode(
    _ batch: RecordBatch, customMetadata: KeyValueMetadata = KeyValueMetadata()
  ) throws(FlightError) -> [FlightData] {
    let encoded: [EncodedMessage]
    do {
      encoded = try encoder.encode(batch, customMetadata: customMetadata)
    } catch {
      throw FlightError(.invalidArgument, "cannot encode the record batch: \(error)", cause: error)
    }
    for message in encoded {
      statistics.countMessage(
        dictionaryID: message.dictionaryID, isDelta: message.isDelta, isRecordBatch: message.kind == .recordBatch,
        seen: &sentDictionaries)
    }
    return encoded.map { FlightData(dataHeader: $0.metadata, body: $0.bodyBuffers) }
  }
}

/// What one data message of a stream decoded to.
enum DecodedFlightData {
  case schema(Schema)
  case dictionary
  /// A record batch with the custom metadata of its IPC message.
  case batch(RecordBatch, KeyValueMetadata)
}

/// Decodes the data messages of a stream (schema, dictionaries, batches), verifying and
/// counting them.
struct FlightDataDecoder: Sendable {
  private var decoder: IPCDecoder
  /// The messages decoded so far (bytes aside: the reader counts what it receives).
  private(set) var statistics = FlightStreamStatistics()
  private var receivedDictionaries: Set<Int64> = []

  init(options: IPCReadOptions) {
    decoder = IPCDecoder(options: options)
  }

  mutating func decode(_ data: FlightData) throws(FlightError) -> DecodedFlightData {
    guard let header = data.dataHeader else { throw FlightError(.invalidArgument, "a data message has no header") }
    // A body that arrived in several gRPC slices is copied once into one buffer (as Arrow C++
    // does), so the arrays view it and gRPC's read buffers go back to be reused at once:
    // keeping some slices alive for zero-copy columns made gRPC read into fresh memory.
    let body = data.body.count > 1 ? [Buffer.concatenating(data.body)] : data.body
    let decoded: DecodedMessage
    do {
      decoded = try decoder.decode(metadata: header, body: MessageBody(parts: body))
    } catch {
      throw FlightError(.invalidArgument, "invalid Arrow data in the stream: \(error)", cause: error)
    }
    switch decoded {
    case .schema(let schema):
      statistics.countMessage(dictionaryID: nil, isDelta: false, isRecordBatch: false, seen: &receivedDictionaries)
      return .schema(schema)
    case .dictionaryBatch(let id, let isDelta):
      statistics.countMessage(dictionaryID: id, isDelta: isDelta, isRecordBatch: false, seen: &receivedDictionaries)
      return .dictionary
    case .recordBatch(let batch, let metadata):
      statistics.countMessage(dictionaryID: nil, isDelta: false, isRecordBatch: true, seen: &receivedDictionaries)
      return .batch(batch, metadata)
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
