// RecordBatchReader: batches of one schema read one at a time (pyarrow's RecordBatchReader),
// from anything that yields them: arrays, sequences, generators, IPC files and streams, and
// Flight streams (pyarrow's to_reader).

internal import ArrowCore
internal import ArrowIPC
internal import Synchronization

/// Record batches of one schema, read one at a time: pyarrow's `RecordBatchReader`.
///
/// Anything that yields batches makes one: any `Sequence` (an array, a lazy map, read as
/// needed), an `AsyncSequence` (a generator), an IPC file or stream, a table, or a Flight
/// data stream (``FlightStreamReader/recordBatchReader()``, pyarrow's `to_reader()`). Serve
/// it from `DoGet` with `RecordBatchStream(reader)`, upload it with
/// `writer.write(contentsOf: reader)`.
///
/// ```swift
/// // Relay a flight from one server to another, batch by batch.
/// let source = try await origin.doGet(ticket).recordBatchReader()
/// let (writer, _) = try await destination.doPut(descriptor, schema: source.schema)
/// try await writer.write(contentsOf: source)
/// try await writer.close()
/// ```
///
/// A reader is read once; one task reads at a time.
public struct RecordBatchReader: AsyncSequence, Sendable {
  /// The element type.
  public typealias Element = RecordBatch

  /// The schema of every batch.
  public let schema: Schema
  private let produce: @Sendable () async throws -> RecordBatch?

  /// A reader whose batches `next` produces, until it returns nil.
  public init(schema: Schema, next: @escaping @Sendable () async throws -> RecordBatch?) {
    self.schema = schema
    self.produce = next
  }

  /// A reader of `batches` under `schema`, taken from the sequence as they are read.
  public init<Batches: Sequence & Sendable>(schema: Schema, batches: Batches) where Batches.Element == RecordBatch {
    let iterator = Locked(batches.makeIterator())
    self.init(schema: schema) { iterator.value.withLock { $0.next() } }
  }

  /// A reader of what `source` produces under `schema` (a generator: nothing is produced
  /// ahead of what is read).
  public init<Source: AsyncSequence & Sendable>(schema: Schema, _ source: Source)
  where Source.Element == RecordBatch {
    let iterator = AsyncBatchIterator(source.makeAsyncIterator())
    self.init(schema: schema) { try await iterator.next() }
  }

  /// A reader of the table's batches (its chunks, as they are).
  public init(_ table: Table) {
    self.init(schema: table.schema, batches: table.toBatches())
  }

  /// A reader of an IPC file's batches, each decoded when it is read.
  public init(_ file: IPCFileReader) {
    let index = Locked(0)
    self.init(schema: file.schema) {
      let next = index.value.withLock { index in
        defer { index += 1 }
        return index
      }
      return next < file.recordBatchCount ? try file.recordBatch(at: next) : nil
    }
  }

  /// A reader of an IPC stream's batches, each read and decoded when it is read.
  public init(_ stream: consuming sending IPCStreamReader) {
    let schema = stream.schema
    let reader = Locked(stream)
    self.init(schema: schema) { try reader.value.withLock { reader throws(ArrowError) in try reader.next() } }
  }

  /// The next batch, or nil at the end.
  public func next() async throws -> RecordBatch? {
    try await produce()
  }

  /// Every remaining batch, as a table.
  public func readAll() async throws -> Table {
    var batches: [RecordBatch] = []
    while let batch = try await next() { batches.append(batch) }
    return try Table(batches: batches, schema: schema)
  }

  /// The iterator.
  public struct AsyncIterator: AsyncIteratorProtocol {
    let reader: RecordBatchReader

    /// The next batch, or nil at the end.
    public mutating func next() async throws -> RecordBatch? {
      try await reader.next()
    }
  }

  /// Makes the iterator (every iterator reads from the same single pass).
  public func makeAsyncIterator() -> AsyncIterator { AsyncIterator(reader: self) }
}

extension FlightStreamReader {
  /// This stream as a ``RecordBatchReader`` (pyarrow's `to_reader()`): its batches, without
  /// application metadata (metadata-only messages are skipped). Waits for the schema.
  ///
  /// - Throws: ``FlightError`` when the stream ends without a schema or fails.
  public func recordBatchReader() async throws -> RecordBatchReader {
    guard let schema = try await readSchema() else {
      throw FlightError(.invalidArgument, "the stream ended without a schema")
    }
    return RecordBatchReader(schema: schema) {
      while let chunk = try await self.next() {
        if let batch = chunk.data { return batch }
      }
      return nil
    }
  }
}

/// A value behind a lock, shared by the closures of a reader.
private final class Locked<Value>: Sendable {
  let value: Mutex<Value>

  init(_ value: consuming sending Value) {
    self.value = Mutex(value)
  }
}

/// Steps an async iterator from whichever task reads.
private actor AsyncBatchIterator<Base: AsyncIteratorProtocol> where Base.Element == RecordBatch {
  private var base: Base

  init(_ base: consuming sending Base) {
    self.base = base
  }

  func next() async throws -> RecordBatch? {
    // A mutating async call cannot run on the stored property itself: step a copy, store it
    // back (readers read from one task at a time, so no other step interleaves).
    var iterator = base
    let batch = try await iterator.next(isolation: self)
    base = iterator
    return batch
  }
}
