// The IPC stream format: a schema message, dictionary and record batch messages, and an
// end-of-stream marker.

public import ArrowCore
public import Foundation

/// Writes the Arrow IPC stream format to memory or to a file.
///
/// The schema message is written at creation, so a writer finished without batches makes a
/// valid zero-batch stream.
///
/// ```swift
/// let writer = try IPCStreamWriter(schema: batch.schema, options: IPCWriteOptions(compression: .zstd))
/// try writer.write(batch)
/// let bytes = try writer.finish()     // the whole stream
/// ```
public final class IPCStreamWriter {
  /// The schema of every batch.
  public let schema: Schema
  private var encoder: IPCEncoder
  private let sink: ByteSink
  private var finished = false

  private init(schema: Schema, sink: ByteSink, options: IPCWriteOptions) throws(ArrowError) {
    self.schema = schema
    self.sink = sink
    encoder = try IPCEncoder(schema: schema, options: options)
    try sink.write(encoder.encodeSchema(), legacy: options.legacyFraming, alignment: options.alignment)
  }

  /// A writer that collects the stream in memory; ``finish()`` returns it.
  public convenience init(schema: Schema, options: IPCWriteOptions = IPCWriteOptions()) throws(ArrowError) {
    try self.init(schema: schema, sink: ByteSink(), options: options)
  }

  /// A writer to an open file handle (left open by ``finish()``).
  public convenience init(
    schema: Schema, fileHandle: FileHandle, options: IPCWriteOptions = IPCWriteOptions()
  ) throws(ArrowError) {
    try self.init(schema: schema, sink: ByteSink(handle: fileHandle, closeWhenDone: false), options: options)
  }

  /// A writer to the file at `path` (created or truncated; closed by ``finish()``).
  public convenience init(schema: Schema, path: String, options: IPCWriteOptions = IPCWriteOptions()) throws(ArrowError)
  {
    try self.init(schema: schema, sink: try ByteSink(path: path), options: options)
  }

  /// Writes `batch`, preceded by the dictionary batches it needs.
  public func write(_ batch: RecordBatch, customMetadata: KeyValueMetadata = KeyValueMetadata()) throws(ArrowError) {
    guard !finished else { throw .invalid("the stream writer is finished") }
    for message in try encoder.encode(batch, customMetadata: customMetadata) {
      try sink.write(message, legacy: encoder.options.legacyFraming, alignment: encoder.options.alignment)
    }
  }

  /// Writes every batch of `table`.
  public func write(_ table: Table) throws(ArrowError) {
    for batch in table.toBatches() { try write(batch) }
  }

  /// Writes the end-of-stream marker and flushes. Returns the whole stream for an in-memory
  /// writer, an empty buffer for a file writer.
  @discardableResult public func finish() throws(ArrowError) -> Buffer {
    guard !finished else { throw .invalid("the stream writer is already finished") }
    finished = true
    try sink.write(encoder.options.legacyFraming ? [0, 0, 0, 0] : MessageFraming.endOfStreamBytes)
    return try sink.finish()
  }

  /// Writes `batches` of `schema` as one stream and returns its bytes.
  public static func serialize(
    _ batches: [RecordBatch], schema: Schema, options: IPCWriteOptions = IPCWriteOptions()
  ) throws(ArrowError) -> Buffer {
    let writer = try IPCStreamWriter(schema: schema, options: options)
    for batch in batches { try writer.write(batch) }
    return try writer.finish()
  }
}

/// Reads the Arrow IPC stream format (both framings) from a buffer, a file or a file handle.
///
/// The schema is read at creation; ``next()`` returns the batches one by one. Over a buffer
/// or a mapped file, the arrays view the bytes in place (no copy).
///
/// ```swift
/// var reader = try IPCStreamReader(contentsOfFile: "data.arrows")
/// while let batch = try reader.next() { print(batch.length) }
/// ```
public struct IPCStreamReader {
  /// The stream's schema.
  public let schema: Schema
  private var decoder: IPCDecoder
  private var source: MessageSource
  /// The custom metadata of the last record batch message returned by ``next()``.
  public private(set) var lastCustomMetadata = KeyValueMetadata()

  private init(source: MessageSource, options: IPCReadOptions) throws(ArrowError) {
    self.source = source
    decoder = IPCDecoder(options: options)
    guard let (message, body) = try self.source.next(options: options) else {
      throw .invalid("the stream has no schema message")
    }
    guard case .schema(let schema) = try decoder.decode(message, body: body) else {
      throw .invalid("the stream does not start with a schema message")
    }
    self.schema = schema
  }

  /// A reader over the stream in `buffer` (the arrays view it in place).
  public init(_ buffer: Buffer, options: IPCReadOptions = IPCReadOptions()) throws(ArrowError) {
    try self.init(source: .buffer(buffer, offset: 0), options: options)
  }

  /// A reader over a copy of `bytes`.
  public init(bytes: [UInt8], options: IPCReadOptions = IPCReadOptions()) throws(ArrowError) {
    try self.init(Buffer(copying: bytes), options: options)
  }

  /// A reader over the file at `path`, mapped into memory (the arrays view the mapping).
  public init(contentsOfFile path: String, options: IPCReadOptions = IPCReadOptions()) throws(ArrowError) {
    try self.init(try mapFile(path), options: options)
  }

  /// A reader that reads messages from `fileHandle` as they are needed (a pipe works too).
  public init(fileHandle: FileHandle, options: IPCReadOptions = IPCReadOptions()) throws(ArrowError) {
    try self.init(source: .handle(fileHandle), options: options)
  }

  /// The next record batch (applying the dictionary batches before it), or nil at the end.
  public mutating func next() throws(ArrowError) -> RecordBatch? {
    while let (message, body) = try source.next(options: decoder.options) {
      switch try decoder.decode(message, body: body) {
      case .schema: throw .invalid("a second schema message in the stream")
      case .dictionaryBatch: continue
      case .recordBatch(let batch, let metadata):
        lastCustomMetadata = metadata
        return batch
      }
    }
    return nil
  }

  /// Every remaining record batch.
  public mutating func readAll() throws(ArrowError) -> [RecordBatch] {
    var batches: [RecordBatch] = []
    while let batch = try next() { batches.append(batch) }
    return batches
  }

  /// Every remaining record batch as a table.
  public mutating func readTable() throws(ArrowError) -> Table {
    try Table(batches: try readAll(), schema: schema)
  }
}
