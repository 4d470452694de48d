// What a DoGet handler returns: a schema and the batches to send.

internal import ArrowCore
internal import ArrowIPC

/// The data a `DoGet` handler returns: a schema and the chunks to send after it.
///
/// Use ``RecordBatchStream`` for data you have, ``GeneratorStream`` for data produced as the
/// client reads, or conform your own type.
public protocol FlightDataStream: Sendable {
  /// The schema of the stream, sent first.
  var schema: Schema { get }
  /// How to encode the stream (compression, alignment).
  var writeOptions: IPCWriteOptions { get }
  /// Writes the stream's chunks (the schema has been sent already).
  func writeChunks(to writer: FlightStreamWriter) async throws
}

extension FlightDataStream {
  /// Default: uncompressed.
  public var writeOptions: IPCWriteOptions { IPCWriteOptions() }
}

/// A stream of record batches: a table, any sequence of batches (an array, a lazy sequence
/// that makes them as it goes), or a ``RecordBatchReader`` (an IPC file or stream, a
/// generator, another Flight stream). Batches are taken as the client reads.
public struct RecordBatchStream: FlightDataStream {
  /// The schema.
  public let schema: Schema
  /// How to encode the stream.
  public var writeOptions: IPCWriteOptions
  private let source: Source

  private enum Source: Sendable {
    /// Written in groups (the fast path for batches at hand), batch `i` with `metadata[i]`.
    case batches(any Sequence<RecordBatch> & Sendable, metadata: [KeyValueMetadata])
    /// Written one batch at a time, as the reader yields them.
    case reader(RecordBatchReader)
  }

  /// A stream of the table's batches (its chunks, as they are).
  public init(_ table: Table, options: IPCWriteOptions = IPCWriteOptions()) {
    self.init(schema: table.schema, batches: table.toBatches(), options: options)
  }

  /// A stream of `batches` under `schema`: an array, or any sequence (iterated while the
  /// stream is written, a few hundred batches ahead at most); batch `i`'s IPC message carries
  /// `batchMetadata[i]` (none past the end of the list).
  public init(
    schema: Schema, batches: some Sequence<RecordBatch> & Sendable, batchMetadata: [KeyValueMetadata] = [],
    options: IPCWriteOptions = IPCWriteOptions()
  ) {
    self.schema = schema
    self.source = .batches(batches, metadata: batchMetadata)
    self.writeOptions = options
  }

  /// A stream of what `reader` yields, read batch by batch as the client reads: serve an IPC
  /// file (`RecordBatchReader(IPCFileReader(...))`), a generator, or a stream another server
  /// sent (``FlightStreamReader/recordBatchReader()``).
  public init(_ reader: RecordBatchReader, options: IPCWriteOptions = IPCWriteOptions()) {
    self.schema = reader.schema
    self.source = .reader(reader)
    self.writeOptions = options
  }

  /// Writes the batches.
  public func writeChunks(to writer: FlightStreamWriter) async throws {
    switch source {
    case .batches(let batches, let metadata): try await writer.write(contentsOf: batches, customMetadata: metadata)
    case .reader(let reader): try await writer.write(contentsOf: reader)
    }
  }
}

/// A stream produced while the client reads: any `AsyncSequence` of batches, tables or
/// chunks (a batch with application metadata, or metadata alone). Nothing is produced
/// ahead of what the client consumes.
public struct GeneratorStream<Source: AsyncSequence & Sendable>: FlightDataStream
where Source.Element: FlightStreamWritable {
  /// The schema.
  public let schema: Schema
  /// The producer.
  public let source: Source
  /// How to encode the stream.
  public var writeOptions: IPCWriteOptions

  /// A stream of what `source` produces, under `schema`.
  public init(schema: Schema, _ source: Source, options: IPCWriteOptions = IPCWriteOptions()) {
    self.schema = schema
    self.source = source
    self.writeOptions = options
  }

  /// Writes each element as the sequence produces it.
  public func writeChunks(to writer: FlightStreamWriter) async throws {
    for try await element in source { try await element.write(to: writer) }
  }
}

/// Something a ``GeneratorStream`` can send: a batch, a table, or a chunk.
public protocol FlightStreamWritable: Sendable {
  /// Writes this element to `writer`.
  func write(to writer: FlightStreamWriter) async throws
}

extension RecordBatch: FlightStreamWritable {
  /// Writes the batch.
  public func write(to writer: FlightStreamWriter) async throws { try await writer.write(self) }
}

extension Table: FlightStreamWritable {
  /// Writes the table's batches.
  public func write(to writer: FlightStreamWriter) async throws { try await writer.write(self) }
}

extension FlightStreamChunk: FlightStreamWritable {
  /// Writes the batch with its metadata, or the metadata alone.
  public func write(to writer: FlightStreamWriter) async throws {
    if let data {
      try await writer.write(data, customMetadata: customMetadata, appMetadata: appMetadata)
    } else if let appMetadata {
      try await writer.writeMetadata(appMetadata)
    }
  }
}
