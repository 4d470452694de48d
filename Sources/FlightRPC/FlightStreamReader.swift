// Reading a stream of Arrow record batches (and application metadata) from FlightData.

internal import ArrowCore
internal import ArrowIPC
internal import FlightProto
internal import Synchronization

/// One element of a Flight data stream: a record batch, application metadata, or both.
public struct FlightStreamChunk: Sendable {
  /// The record batch, or nil for a metadata-only message.
  public var data: RecordBatch?
  /// The application metadata sent with the batch, or nil.
  public var appMetadata: Buffer?
  /// The custom metadata of the batch's IPC message (empty when there is none or no batch).
  public var customMetadata: KeyValueMetadata

  /// A chunk.
  public init(data: RecordBatch?, appMetadata: Buffer? = nil, customMetadata: KeyValueMetadata = KeyValueMetadata()) {
    self.data = data
    self.appMetadata = appMetadata
    self.customMetadata = customMetadata
  }
}

/// Reads a Flight data stream: an async sequence of ``FlightStreamChunk``s, with the stream's
/// schema. Pull based: nothing is read ahead of what you consume (backpressure).
///
/// A message that cannot be decoded (or a failed call) ends the stream: that read and every
/// later one throw the error. On the client side the call is cancelled at once, so the server
/// stops sending; on the server side the handler's error ends the call with its status.
///
/// One task reads at a time.
public final class FlightStreamReader: AsyncSequence, Sendable {
  /// The element type.
  public typealias Element = FlightStreamChunk

  private let source: any FlightDataSource
  private let state: Mutex<State>

  private struct State {
    var decoder: FlightDataDecoder
    var schema: Schema?
    var finished = false
    /// The error the stream failed with; every later read throws it again.
    var failure: FlightError?
    /// A data message received before the schema was asked for, kept for `next()`.
    var pending: [FlightData] = []
    /// The payload bytes received.
    var bytesReceived = 0

    /// True once the stream has ended; throws the failure it ended with, if it failed.
    func checkFailure() throws(FlightError) -> Bool {
      if let failure { throw failure }
      return finished
    }
  }

  init(source: any FlightDataSource, options: IPCReadOptions, first: FlightData? = nil) {
    self.source = source
    self.state = Mutex(
      State(
        decoder: FlightDataDecoder(options: options), pending: first.map { [$0] } ?? [],
        bytesReceived: first?.dataSize ?? 0))
  }

  /// What has been read so far (pyarrow's `reader.stats`, plus bytes): IPC messages as
  /// decoded, bytes as received.
  public var statistics: FlightStreamStatistics {
    state.withLock { state in
      var statistics = state.decoder.statistics
      statistics.bytes = state.bytesReceived
      return statistics
    }
  }

  /// The schema, once the stream has sent it; nil before that.
  public var schema: Schema? {
    state.withLock { $0.schema }
  }

  /// Reads until the schema arrives (keeping metadata-only messages that come before it for
  /// ``next()``); nil when the stream ends without one.
  ///
  /// - Throws: ``FlightError`` when the call fails or the first data message is not a schema.
  public func readSchema() async throws -> Schema? {
    while true {
      if let schema = try takeSchemaFromPending() { return schema }
      if try state.withLock({ state throws(FlightError) in try state.checkFailure() }) { return nil }
      guard let message = try await receive() else { return nil }
      state.withLock { $0.pending.append(message) }
    }
  }

  /// The next message from the source, or nil at the end. A failure ends the stream: it is
  /// kept for later reads and the source is abandoned (a client cancels the call).
  private func receive() async throws(FlightError) -> FlightData? {
    do {
      guard let message = try await source.next() else {
        state.withLock { $0.finished = true }
        return nil
      }
      state.withLock { $0.bytesReceived += message.dataSize }
      return message
    } catch {
      throw fail(error)
    }
  }

  /// Records `error` as the stream's failure, abandons the source, and returns the error.
  private func fail(_ error: FlightError) -> FlightError {
    state.withLock { state in
      if state.failure == nil { state.failure = error }
      state.finished = true
    }
    source.abandon()
    return error
  }

  /// Decodes the first data message among the pending ones, which must be the schema, and
  /// removes it (keeping its app metadata, if any, as a metadata-only message).
  func takeSchemaFromPending() throws(FlightError) -> Schema? {
    let taken = state.withLock { state -> Result<Schema?, FlightError> in
      if let schema = state.schema { return .success(schema) }
      if let failure = state.failure { return .failure(failure) }
      guard let index = state.pending.firstIndex(where: { $0.dataHeader != nil }) else { return .success(nil) }
      let message = state.pending[index]
      let decoded: DecodedFlightData
      do throws(FlightError) {
        decoded = try state.decoder.decode(message)
      } catch {
        return .failure(error)
      }
      guard case .schema(let schema) = decoded else {
        return .failure(FlightError(.invalidArgument, "the stream's first data message is not a schema"))
      }
      state.schema = schema
      if let metadata = message.appMetadata {
        state.pending[index] = FlightData(appMetadata: metadata)
      } else {
        state.pending.remove(at: index)
      }
      return .success(schema)
    }
    switch taken {
    case .success(let schema): return schema
    case .failure(let error): throw fail(error)
    }
  }

  /// The next chunk, or nil at the end of the stream.
  public func next() async throws -> FlightStreamChunk? {
    while true {
      let message: FlightData
      if let pending = state.withLock({ $0.pending.isEmpty ? nil : $0.pending.removeFirst() }) {
        message = pending
      } else if try state.withLock({ state throws(FlightError) in try state.checkFailure() }) {
        return nil
      } else if let received = try await receive() {
        message = received
      } else {
        return nil
      }
      if message.dataHeader == nil {
        if let metadata = message.appMetadata { return FlightStreamChunk(data: nil, appMetadata: metadata) }
        continue  // a descriptor-only message (DoExchange's first) carries nothing to read
      }
      let decoded: DecodedFlightData
      do {
        decoded = try state.withLock { state throws(FlightError) in try state.decoder.decode(message) }
      } catch {
        throw fail(error)
      }
      switch decoded {
      case .schema(let schema):
        state.withLock { $0.schema = schema }
        if let metadata = message.appMetadata { return FlightStreamChunk(data: nil, appMetadata: metadata) }
      case .dictionary:
        continue
      case .batch(let batch, let metadata):
        return FlightStreamChunk(data: batch, appMetadata: message.appMetadata, customMetadata: metadata)
      }
    }
  }

  /// Reads every remaining record batch into a table (metadata-only messages are skipped).
  public func readAll() async throws -> Table {
    var batches: [RecordBatch] = []
    while let chunk = try await next() {
      if let batch = chunk.data { batches.append(batch) }
    }
    guard let schema = try await readSchema() ?? batches.first?.schema else {
      throw FlightError(.invalidArgument, "the stream ended without a schema")
    }
    do {
      return try Table(batches: batches, schema: schema)
    } catch {
      throw FlightError(.invalidArgument, "the stream's batches do not form a table: \(error)", cause: error)
    }
  }

  /// Stops reading: cancels the call.
  public func cancel() {
    source.cancel()
  }

  /// The iterator: reads chunk by chunk.
  public struct AsyncIterator: AsyncIteratorProtocol {
    let reader: FlightStreamReader

    /// The next chunk, or nil at the end.
    public mutating func next() async throws -> FlightStreamChunk? {
      try await reader.next()
    }
  }

  /// Makes the iterator.
  public func makeAsyncIterator() -> AsyncIterator { AsyncIterator(reader: self) }
}
