// A Flight service for the edge-case interop tests: the test store plus special tickets
// (generator streams with metadata, schema-only and compressed streams, an endless stream, a
// slow stream), a slow action and a counting exchange. A probe records what the handlers saw.

internal import ArrowIPC
internal import FlightRPC
internal import Foundation
internal import InteropSupport
internal import Synchronization

/// What the edge service's handlers observed, for the Swift side of the interop tests.
final class EdgeProbe: Sendable {
  struct State {
    /// Batches the endless stream produced.
    var endlessProduced = 0
    /// How the endless stream's writing ended: nil while running, "" when it completed.
    var endlessOutcome: String?
    /// Whether the endless stream's call was cancelled when its writing ended.
    var endlessSawCancellation = false
    /// Whether a slow handler saw its call cancelled (deadline passed), per handler.
    var slowSawCancellation: [String: Bool] = [:]
  }

  let state = Mutex(State())

  /// Waits (bounded by `timeout`) until `condition` holds on the state; returns the state.
  func wait(timeout: Duration = .seconds(10), until condition: (State) -> Bool) async -> State {
    var current = state.withLock { $0 }
    _ = await poll(timeout: timeout, every: .milliseconds(10)) {
      current = state.withLock { $0 }
      return condition(current)
    }
    return current
  }
}

/// Yields `batch` up to `limit` times, produced only as the client reads (one in flight).
struct RepeatedBatches: AsyncSequence, Sendable {
  let batch: RecordBatch
  let limit: Int
  let probe: EdgeProbe

  struct AsyncIterator: AsyncIteratorProtocol {
    let batch: RecordBatch
    let limit: Int
    let probe: EdgeProbe
    var produced = 0

    mutating func next() async throws -> RecordBatch? {
      guard produced < limit else { return nil }
      produced += 1
      probe.state.withLock { $0.endlessProduced += 1 }
      return batch
    }
  }

  func makeAsyncIterator() -> AsyncIterator { AsyncIterator(batch: batch, limit: limit, probe: probe) }
}

/// Yields one batch, then waits until the call is cancelled (or 10 s pass) and ends.
struct StallingBatches: AsyncSequence, Sendable {
  let batch: RecordBatch
  let context: ServerCallContext
  let probe: EdgeProbe

  struct AsyncIterator: AsyncIteratorProtocol {
    let batch: RecordBatch
    let context: ServerCallContext
    let probe: EdgeProbe
    var sent = false

    mutating func next() async throws -> RecordBatch? {
      if !sent {
        sent = true
        return batch
      }
      let saw = await waitForCancellation(context)
      probe.state.withLock { $0.slowSawCancellation["doGet"] = saw }
      return nil
    }
  }

  func makeAsyncIterator() -> AsyncIterator { AsyncIterator(batch: batch, context: context, probe: probe) }
}

/// Polls the call's cancellation (the deadline passing cancels it) for at most 10 s.
func waitForCancellation(_ context: ServerCallContext) async -> Bool {
  await poll(timeout: .seconds(10), every: .milliseconds(10)) { context.isCancelled }
}

/// A data stream that records how another stream's writing ended.
struct ObservedStream: FlightDataStream {
  let inner: any FlightDataStream
  let context: ServerCallContext
  let probe: EdgeProbe

  var schema: Schema { inner.schema }
  var writeOptions: IPCWriteOptions { inner.writeOptions }

  func writeChunks(to writer: FlightStreamWriter) async throws {
    do {
      try await inner.writeChunks(to: writer)
      probe.state.withLock { $0.endlessOutcome = "" }
    } catch {
      // The failed send and the call's close are separate completions: wait (bounded) for
      // the close to be seen.
      let cancelled = await waitForCancellation(context)
      probe.state.withLock {
        $0.endlessOutcome = "\(error)"
        $0.endlessSawCancellation = cancelled
      }
      throw error
    }
  }
}

/// The schema of the edge streams: `n: int64`, `label: string`.
let edgeSchema = Schema([Field("n", .int64), Field("label", .string)])

/// A batch of the edge schema: `n` counts from `start`, `label` is `"<prefix><n>"`.
func edgeBatch(start: Int, count: Int, prefix: String = "row ") throws -> RecordBatch {
  try RecordBatch([
    ("n", Int64Array((start..<start + count).map { Int64($0) })),
    ("label", StringArray((start..<start + count).map { "\(prefix)\($0)" })),
  ])
}

/// The edge service: special tickets and actions on top of the test store.
final class EdgeService: FlightService {
  let store = TestStoreService()
  let probe = EdgeProbe()

  func listFlights(_ criteria: Criteria, writer: FlightResponseWriter<FlightInfo>, context: ServerCallContext)
    async throws
  {
    try await store.listFlights(criteria, writer: writer, context: context)
  }

  func getFlightInfo(_ descriptor: FlightDescriptor, context: ServerCallContext) async throws -> FlightInfo {
    try await store.getFlightInfo(descriptor, context: context)
  }

  func getSchema(_ descriptor: FlightDescriptor, context: ServerCallContext) async throws -> Schema {
    try await store.getSchema(descriptor, context: context)
  }

  func doPut(
    _ descriptor: FlightDescriptor, reader: FlightStreamReader, writer: FlightMetadataWriter,
    context: ServerCallContext
  ) async throws {
    try await store.doPut(descriptor, reader: reader, writer: writer, context: context)
  }

  func doGet(_ ticket: Ticket, context: ServerCallContext) async throws -> any FlightDataStream {
    let name = String(decoding: ticket.ticket, as: UTF8.self)
    switch name {
    case "metadata":
      // Batches with and without metadata, and metadata-only chunks, in a fixed order.
      let chunks: [FlightStreamChunk] = [
        FlightStreamChunk(data: try edgeBatch(start: 0, count: 3), appMetadata: Buffer(copying: Array("m0".utf8))),
        FlightStreamChunk(data: nil, appMetadata: Buffer(copying: Array("only-1".utf8))),
        FlightStreamChunk(data: try edgeBatch(start: 3, count: 2)),
        FlightStreamChunk(data: try edgeBatch(start: 5, count: 4), appMetadata: Buffer(copying: Array("m3".utf8))),
        FlightStreamChunk(data: nil, appMetadata: Buffer(copying: Array("only-4".utf8))),
      ]
      return GeneratorStream(
        schema: edgeSchema,
        AsyncStream { continuation in
          for chunk in chunks { continuation.yield(chunk) }
          continuation.finish()
        })
    case "schema-only":
      return RecordBatchStream(schema: edgeSchema, batches: [])
    case "schema-only-generator":
      return GeneratorStream(schema: edgeSchema, AsyncStream<RecordBatch> { $0.finish() })
    case "endless":
      let stream = GeneratorStream(
        schema: edgeSchema, RepeatedBatches(batch: try edgeBatch(start: 0, count: 1000), limit: 1_000_000, probe: probe)
      )
      return ObservedStream(inner: stream, context: context, probe: probe)
    case "slow":
      return GeneratorStream(
        schema: edgeSchema, StallingBatches(batch: try edgeBatch(start: 0, count: 2), context: context, probe: probe))
    default:
      // "<codec>:<key>": the stored table with compressed bodies (zstd or lz4).
      let parts = name.split(separator: ":", maxSplits: 1).map(String.init)
      if parts.count == 2, let codec = ["zstd": IPCCompressionCodec.zstd, "lz4": .lz4Frame][parts[0]] {
        guard let table = store.tables.withLock({ $0[parts[1]] }) else {
          throw FlightError(.notFound, "no ticket \(parts[1])")
        }
        return RecordBatchStream(table, options: IPCWriteOptions(compression: codec))
      }
      return try await store.doGet(ticket, context: context)
    }
  }

  func doExchange(
    _ descriptor: FlightDescriptor, reader: FlightStreamReader, writer: FlightStreamWriter,
    context: ServerCallContext
  ) async throws {
    guard descriptor == .forCommand("count") else {
      try await store.doExchange(descriptor, reader: reader, writer: writer, context: context)
      return
    }
    // Answers every batch at once with a one-row batch of its row count (another schema),
    // and every metadata-only message with the same metadata reversed.
    let countSchema = Schema([Field("rows", .int64)])
    try await writer.begin(countSchema)
    for try await chunk in reader {
      if let batch = chunk.data {
        try await writer.write(
          try RecordBatch([("rows", Int64Array([Int64(batch.length)]))]), appMetadata: chunk.appMetadata)
      } else if let metadata = chunk.appMetadata {
        try await writer.writeMetadata(Array(Array(metadata).reversed()))
      }
    }
  }

  func listActions(context: ServerCallContext) async throws -> [ActionType] {
    try await store.listActions(context: context) + [ActionType(type: "slow", description: "Wait for cancellation")]
  }

  func doAction(_ action: Action, writer: FlightResponseWriter<FlightResult>, context: ServerCallContext) async throws {
    guard action.type == "slow" else {
      try await store.doAction(action, writer: writer, context: context)
      return
    }
    let saw = await waitForCancellation(context)
    probe.state.withLock { $0.slowSawCancellation["doAction"] = saw }
    if !saw { try await writer.write(FlightResult(body: Array("not cancelled".utf8))) }
  }
}

/// A service that implements nothing: every RPC answers UNIMPLEMENTED.
struct NothingService: FlightService {}
