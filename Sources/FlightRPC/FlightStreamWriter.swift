// Writing a stream of Arrow record batches (and application metadata) as FlightData.

internal import ArrowCore
internal import ArrowIPC
internal import FlightProto
internal import FlightTransport
internal import Synchronization

/// Writes a Flight data stream: the schema, then record batches, each optionally with
/// application metadata, and metadata-only messages.
///
/// Each write waits until gRPC has taken the message (one message in flight per call): a
/// slow reader slows the writer down. Batch bodies are sent without being copied.
/// One task writes at a time.
public final class FlightStreamWriter: Sendable {
  let sink: any FlightDataSink
  private let writeSizeLimit: Int?
  private let state: Mutex<State>

  private struct State {
    var encoder: FlightDataEncoder?
    var options: IPCWriteOptions
    /// A descriptor to send with the first message (DoPut), if it has not gone yet.
    var descriptor: FlightDescriptor?
    var done = false
    /// The payload bytes gRPC has taken.
    var bytesSent = 0
  }

  init(
    sink: any FlightDataSink, options: IPCWriteOptions, writeSizeLimit: Int? = nil,
    descriptor: FlightDescriptor? = nil
  ) {
    self.sink = sink
    // Zero or less means no limit, as in pyarrow and Arrow C++.
    self.writeSizeLimit = writeSizeLimit.flatMap { $0 > 0 ? $0 : nil }
    self.state = Mutex(State(encoder: nil, options: options, descriptor: descriptor))
  }

  /// The schema the stream was begun with, if it was.
  public var schema: Schema? {
    state.withLock { $0.encoder?.schema }
  }

  /// What has been written so far (pyarrow's `writer.stats`, plus bytes): IPC messages as
  /// encoded, bytes as gRPC took them.
  public var statistics: FlightStreamStatistics {
    state.withLock { state in
      var statistics = state.encoder?.statistics ?? FlightStreamStatistics()
      statistics.bytes = state.bytesSent
      return statistics
    }
  }

  /// Starts the stream by sending `schema` (every data stream starts with its schema).
  ///
  /// - Parameters:
  ///   - schema: The schema of every batch the stream carries.
  ///   - options: How to encode the stream's batches (compression, alignment,
  ///     dictionary deltas), instead of the call's options: this is how a `DoExchange` handler
  ///     compresses its responses (pyarrow's `writer.begin(schema, options=...)`).
  /// - Throws: ``FlightError`` when the stream has begun already, the options are invalid or
  ///   the call failed.
  public func begin(_ schema: Schema, options: IPCWriteOptions? = nil) async throws {
    let message = try state.withLock { state throws(FlightError) -> FlightData in
      guard state.encoder == nil else { throw FlightError(.invalidArgument, "the stream has already begun") }
      guard !state.done else { throw FlightError(.invalidArgument, "the stream is closed for writing") }
      if let options { state.options = options }
      var encoder = try FlightDataEncoder(schema: schema, options: state.options)
      var message = encoder.schemaMessage()
      message.flightDescriptor = state.descriptor
      state.descriptor = nil
      state.encoder = encoder
      return message
    }
    try await send([message])
  }

  /// Writes one record batch.
  public func write(_ batch: RecordBatch) async throws {
    try await write(batch, appMetadata: nil)
  }

  /// Writes one record batch with application metadata.
  public func write(_ batch: RecordBatch, appMetadata: Buffer?) async throws {
    try await write(batch, customMetadata: KeyValueMetadata(), appMetadata: appMetadata)
  }

  /// Writes one record batch whose IPC message carries `customMetadata` (Arrow's per-batch
  /// key-value metadata, which readers such as pyarrow's `read_next_batch_with_custom_metadata`
  /// return), optionally with application metadata.
  public func write(_ batch: RecordBatch, customMetadata: KeyValueMetadata, appMetadata: Buffer? = nil) async throws {
    let (messages, failure) = try encode([batch], customMetadata: [customMetadata], appMetadata: appMetadata)
    if let failure { throw failure }
    try await sink.send(all: messages)
    countSent(messages)
  }

  /// Writes record batches in order. Batches are encoded a group at a time and each message
  /// goes out as soon as gRPC has taken the previous one: the fastest way to send batches that
  /// are all at hand.
  public func write(contentsOf batches: some Sequence<RecordBatch>) async throws {
    try await write(contentsOf: batches, customMetadata: [])
  }

  /// Writes record batches in order, batch `i`'s IPC message carrying `customMetadata[i]`
  /// (none past the end of the list), as fast as ``write(contentsOf:)-(Sequence<RecordBatch>)``.
  public func write(contentsOf batches: some Sequence<RecordBatch>, customMetadata: [KeyValueMetadata]) async throws {
    var pending = batches.makeIterator()
    var written = 0
    var exhausted = false
    while !exhausted {
      var group: [RecordBatch] = []
      while group.count < 256 {
        guard let batch = pending.next() else {
          exhausted = true
          break
        }
        group.append(batch)
      }
      guard !group.isEmpty else { break }
      let metadata = (written..<written + group.count).map {
        $0 < customMetadata.count ? customMetadata[$0] : KeyValueMetadata()
      }
      written += group.count
      // The batches before a refused one go out; then the refusal is thrown.
      let (messages, failure) = try encode(group, customMetadata: metadata)
      if !messages.isEmpty {
        try await sink.send(all: messages)
        countSent(messages)
      }
      if let failure { throw failure }
    }
  }

  /// Writes every batch `reader` yields, as they come: hands a ``RecordBatchReader`` (a
  /// DoGet's ``FlightStreamReader/recordBatchReader()``, a file, a generator) on to this
  /// stream. Begins the stream with the reader's schema if it has not begun.
  public func write(contentsOf reader: RecordBatchReader) async throws {
    if schema == nil { try await begin(reader.schema) }
    for try await batch in reader { try await write(batch) }
  }

  /// The messages of `batches` (dictionary batches before the record batch that needs them),
  /// batch `i` carrying `customMetadata[i]`, checking each batch against the stream's schema
  /// and each message against the write size limit. Encoding stops at the first batch that
  /// fails: the messages and dictionary state of the batches before it are kept, and the
  /// failure is returned with them, so a batch that is refused leaves the dictionaries to be
  /// sent with the next one. `appMetadata` goes with the last record batch.
  private func encode(
    _ batches: [RecordBatch], customMetadata: [KeyValueMetadata], appMetadata: Buffer? = nil
  ) throws(FlightError) -> (messages: [FlightData], failure: FlightError?) {
    try state.withLock { state throws(FlightError) -> ([FlightData], FlightError?) in
      guard !state.done else { throw FlightError(.invalidArgument, "the stream is closed for writing") }
      guard var encoder = state.encoder else {
        throw FlightError(.invalidArgument, "begin(_:) the stream with its schema before writing batches")
      }
      var messages: [FlightData] = []
      var failure: FlightError?
      for (index, batch) in batches.enumerated() {
        // Metadata aside, as Arrow C++ checks (Schema::Equals with check_metadata=false).
        guard batch.schema.isEquivalent(to: encoder.schema) else {
          failure = FlightError(
            .invalidArgument, "the batch's schema does not match the stream's:\n\(batch.schema)\nvs\n\(encoder.schema)")
          break
        }
        var next = encoder
        var batchMessages: [FlightData]
        do throws(FlightError) {
          batchMessages = try next.encode(
            batch, customMetadata: index < customMetadata.count ? customMetadata[index] : KeyValueMetadata())
        } catch {
          failure = error
          break
        }
        if let appMetadata { batchMessages[batchMessages.count - 1].appMetadata = appMetadata }
        if let refusal = writeSizeFailure(batchMessages) {
          failure = refusal
          break
        }
        encoder = next
        messages += batchMessages
      }
      state.encoder = encoder
      if messages.isEmpty, let failure { throw failure }
      return (messages, failure)
    }
  }

  /// Writes one record batch with application metadata given as bytes.
  public func write(_ batch: RecordBatch, appMetadata: [UInt8]) async throws {
    try await write(batch, appMetadata: Buffer(copying: appMetadata))
  }

  /// Writes a metadata-only message (no record batch).
  public func writeMetadata(_ appMetadata: Buffer) async throws {
    let message = try state.withLock { state throws(FlightError) -> FlightData in
      guard !state.done else { throw FlightError(.invalidArgument, "the stream is closed for writing") }
      var message = FlightData(appMetadata: appMetadata)
      message.flightDescriptor = state.descriptor
      state.descriptor = nil
      return message
    }
    try await send([message])
  }

  /// Writes a metadata-only message given as bytes.
  public func writeMetadata(_ appMetadata: [UInt8]) async throws {
    try await writeMetadata(Buffer(copying: appMetadata))
  }

  /// Writes every batch of `table`, split into batches of at most `maxChunkSize` rows
  /// (zero-copy slices). Begins the stream with the table's schema if it has not begun.
  public func write(_ table: Table, maxChunkSize: Int? = nil) async throws {
    if schema == nil { try await begin(table.schema) }
    let batches = table.toBatches().flatMap { batch -> [RecordBatch] in
      guard let maxChunkSize, maxChunkSize > 0, batch.length > maxChunkSize else { return [batch] }
      return stride(from: 0, to: batch.length, by: maxChunkSize).map { offset in
        batch.slice(offset: offset, length: min(maxChunkSize, batch.length - offset))
      }
    }
    try await write(contentsOf: batches)
  }

  /// Sends the descriptor on its own when nothing has been sent yet (DoExchange's opening).
  func sendDescriptorOnly() async throws(FlightError) {
    let message = state.withLock { state -> FlightData? in
      guard let descriptor = state.descriptor else { return nil }
      state.descriptor = nil
      var message = FlightData()
      message.flightDescriptor = descriptor
      return message
    }
    if let message { try await send([message]) }
  }

  /// Ends the writing half of the stream; reading (DoExchange, DoPut's metadata) goes on.
  public func doneWriting() async throws {
    let first = state.withLock { state -> Bool in
      defer { state.done = true }
      return !state.done
    }
    guard first else { return }
    try await sink.finish()
  }

  /// Abandons the stream: cancels the call. Use it when producing the data fails part way,
  /// so the peer sees the call cancelled instead of waiting for more (or taking a half-sent
  /// upload for a complete one); pending and later writes and reads of the call fail.
  public func cancel() {
    state.withLock { $0.done = true }
    sink.cancel()
  }

  /// Sends `messages` in order, checking the write size limit of each first.
  private func send(_ messages: [FlightData]) async throws(FlightError) {
    if let failure = writeSizeFailure(messages) { throw failure }
    for message in messages {
      try await sink.send(message)
      countSent([message])
    }
  }

  /// Adds the payload bytes of `messages`, which gRPC has taken, to the statistics.
  private func countSent(_ messages: [FlightData]) {
    let bytes = messages.reduce(0) { $0 + $1.dataSize }
    state.withLock { $0.bytesSent += bytes }
  }

  /// The write-size-exceeded error for the first message over the limit, if one is.
  private func writeSizeFailure(_ messages: [FlightData]) -> FlightError? {
    guard let writeSizeLimit else { return nil }
    for message in messages {
      let size = message.payloadSize
      if size > writeSizeLimit { return FlightError.writeSizeExceeded(limit: writeSizeLimit, actualSize: size) }
    }
    return nil
  }
}

extension FlightData {
  /// The size the write size limit is checked against, as Arrow C++ counts it: the data
  /// (``dataSize``) and the descriptor the first message carries.
  var payloadSize: Int {
    dataSize + (flightDescriptor.map { $0.serialized().count } ?? 0)
  }

  /// The bytes of data a message moves, as the stream statistics count them: IPC metadata,
  /// body and app metadata (the same on both sides, whoever keeps the descriptor).
  var dataSize: Int {
    (dataHeader?.count ?? 0) + bodyLength + (appMetadata?.count ?? 0)
  }
}
