// What a DoGet handler returns: a schema and the batches to send.

import ArrowCore
import ArrowIPC

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

/// A stream of record batches you already have: a table or a list of batches.
public struct RecordBatchStream: FlightDataStream {
  /// The schema.
  public let schema: Schema
  /// The batches, in order.
  public let batches: [RecordBatch]
  /// The custom metadata of each batch's IPC message (empty: none).
  public let batchMetadata: [KeyValueMetadata]
  /// How to encode the stream.
  public var writeOptions: IPCWriteOptions

  /// A stream of the table's batches (its chunks, as they are).
  public init(_ table: Table, options: IPCWriteOptions = IPCWriteOptions()) {
    self.schema = table.schema
    self.batches = table.toBatches()
    self.batchMetadata = []
    self.writeOptions = options
  }

  /// A stream of `batches` under `schema`, batch `i`'s IPC message carrying
  /// `batchMetadata[i]` (none past the end of the list).
  public init(
    schema: Schema, batches: [RecordBatch], batchMetadata: [KeyValueMetadata] = [],
    options: IPCWriteOptions = IPCWriteOptions()
  ) {
    self.schema = schema
    self.batches = batches
    self.batchMetadata = batchMetadata
    self.writeOptions = options
  }

  /// Writes the batches.
  public func writeChunks(to writer: FlightStreamWriter) async throws {
    try await writer.write(contentsOf: batches, customMetadata: batchMetadata)
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
