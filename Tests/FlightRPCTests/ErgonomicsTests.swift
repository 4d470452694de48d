// What a Swift developer expects of the public API: `import FlightRPC` alone (no ArrowIPC
// import in this file), record-batch sources of every kind, handing a DoGet stream on,
// statistics as pyarrow reports them, compressed DoExchange answers, field metadata ignored
// by the write-side schema check, buildable header entries and named request headers.

internal import FlightRPC
internal import Foundation
internal import InteropSupport
internal import Synchronization
internal import Testing

/// Four batches of a column `n`: 0..<10, 10..<20, 20..<30, 30..<40.
private func numberBatch(_ index: Int) -> RecordBatch {
  // A column of ten int64 values cannot fail to make a batch.
  try! RecordBatch([("n", Int64Array((0..<10).map { Int64(index * 10 + $0) }))])
}

private let numberSchema = numberBatch(0).schema

/// A batch of dictionary column `d` with `indices` into `values`.
private func dictionaryBatch(_ indices: [Int32], _ values: [String]) -> RecordBatch {
  let column = DictionaryArray(indices: Int32Array(indices), dictionary: StringArray(values))
  return try! RecordBatch([("d", column)])
}

/// A lazy sequence that makes its batches as they are taken, counting them.
private struct CountingBatches: Sequence, Sendable {
  let count: Int
  let made: Counter

  final class Counter: Sendable {
    let value = Mutex(0)
  }

  struct Iterator: IteratorProtocol {
    var position = 0
    let count: Int
    let made: Counter

    mutating func next() -> RecordBatch? {
      guard position < count else { return nil }
      defer { position += 1 }
      made.value.withLock { $0 += 1 }
      return numberBatch(position)
    }
  }

  func makeIterator() -> Iterator { Iterator(count: count, made: made) }
}

/// Sends a new dictionary, a delta and a replacement, then records what its writer counted.
private struct DictionaryStream: FlightDataStream {
  let service: ErgonomicsService
  var schema: Schema { dictionaryBatch([0], ["a"]).schema }
  var writeOptions: IPCWriteOptions { IPCWriteOptions(emitDictionaryDeltas: true) }

  func writeChunks(to writer: FlightStreamWriter) async throws {
    for batch in ErgonomicsService.dictionaryBatches { try await writer.write(batch) }
    service.writeStatistics.withLock { $0["dictionaries"] = writer.statistics }
  }
}

/// Serves batches from IPC files and streams, a lazy sequence and an async sequence; records
/// the statistics of its readers and writers; answers DoExchange compressed.
private final class ErgonomicsService: FlightService {
  static let dictionaryBatches = [
    dictionaryBatch([0, 1], ["a", "b"]),  // new dictionary
    dictionaryBatch([2, 0], ["a", "b", "c"]),  // grows by appending: a delta
    dictionaryBatch([0], ["x"]),  // replaced
  ]

  let writeStatistics = Mutex<[String: FlightStreamStatistics]>([:])
  let readStatistics = Mutex<[String: FlightStreamStatistics]>([:])
  let made = CountingBatches.Counter()

  func doGet(_ ticket: Ticket, context: ServerCallContext) async throws -> any FlightDataStream {
    let batches = (0..<4).map(numberBatch)
    switch String(decoding: ticket.ticket, as: UTF8.self) {
    case "file":
      let file = try IPCFileReader(IPCFileWriter.serialize(batches, schema: numberSchema))
      return RecordBatchStream(RecordBatchReader(file))
    case "stream":
      let stream = try IPCStreamReader(
        IPCStreamWriter.serialize(batches, schema: numberSchema, options: IPCWriteOptions(compression: .lz4Frame)))
      return RecordBatchStream(RecordBatchReader(stream))
    case "generator":
      return RecordBatchStream(schema: numberSchema, batches: CountingBatches(count: 4, made: made))
    case "async":
      let source = AsyncStream<RecordBatch> { continuation in
        for batch in batches { continuation.yield(batch) }
        continuation.finish()
      }
      return RecordBatchStream(RecordBatchReader(schema: numberSchema, source))
    case "dictionaries":
      return DictionaryStream(service: self)
    default:
      throw FlightError(.notFound, "no such ticket")
    }
  }

  func doPut(
    _ descriptor: FlightDescriptor, reader: FlightStreamReader, writer: FlightMetadataWriter,
    context: ServerCallContext
  ) async throws {
    let table = try await reader.readAll()
    readStatistics.withLock { $0["put"] = reader.statistics }
    try await writer.write(Array("\(table.length)".utf8))
  }

  /// Echoes the client's batches, compressed with ZSTD whatever the client used.
  func doExchange(
    _ descriptor: FlightDescriptor, reader: FlightStreamReader, writer: FlightStreamWriter,
    context: ServerCallContext
  ) async throws {
    for try await chunk in reader {
      if writer.schema == nil, let schema = reader.schema {
        try await writer.begin(schema, options: IPCWriteOptions(compression: .zstd))
      }
      try await chunk.write(to: writer)
    }
    writeStatistics.withLock { $0["compress"] = writer.statistics }
  }

  func doAction(_ action: Action, writer: FlightResponseWriter<FlightResult>, context: ServerCallContext) async throws {
    try await writer.write(FlightResult(body: context.requestHeaders.first("trace-bin") ?? []))
  }
}

/// Serves four batches from a RecordBatchReader that fails instead of yielding batch `failAt`
/// (4: at the end, after the last batch).
private struct FailingSourceService: FlightService {
  func doGet(_ ticket: Ticket, context: ServerCallContext) async throws -> any FlightDataStream {
    let failAt = Int(String(decoding: ticket.ticket, as: UTF8.self)) ?? 0
    let position = CountingBatches.Counter()
    let reader = RecordBatchReader(schema: numberSchema) {
      let index = position.value.withLock { index in
        defer { index += 1 }
        return index
      }
      if index == failAt { throw FlightError(.internal, "source failed at batch \(index)") }
      return index < 4 ? numberBatch(index) : nil
    }
    return RecordBatchStream(reader)
  }
}

/// The counts of `statistics` (bytes aside), as the pyarrow script reports them.
private func counts(_ statistics: FlightStreamStatistics) -> [String: Int] {
  [
    "numMessages": statistics.numMessages, "numRecordBatches": statistics.numRecordBatches,
    "numDictionaryBatches": statistics.numDictionaryBatches, "numDictionaryDeltas": statistics.numDictionaryDeltas,
    "numReplacedDictionaries": statistics.numReplacedDictionaries,
  ]
}

/// Relays DoGet to another server: the upstream stream is handed on as it arrives.
private struct RelayService: FlightService {
  let upstream: FlightClient

  func doGet(_ ticket: Ticket, context: ServerCallContext) async throws -> any FlightDataStream {
    RecordBatchStream(try await upstream.doGet(ticket).recordBatchReader())
  }
}

@Suite("Ergonomics", .serialized)
struct ErgonomicsTests {
  /// A pyarrow client reads every kind of source, reports its read stats (equal to what the
  /// Swift writer counted), uploads dictionaries (its write stats equal what the Swift reader
  /// counted), and gets a compressed DoExchange answer back intact.
  @Test func pyarrowAgainstRecordBatchSourcesAndStatistics() async throws {
    let service = ErgonomicsService()
    let server = try FlightServer(service, location: .forGRPCTCP(host: "localhost", port: 0))
    let output = try await InteropLock.run {
      try await runPythonScript("pyarrow_ergonomics_checks.py", arguments: ["--location", server.location.uri])
    }
    #expect(output.contains("all checks passed"), "\(output)")
    let line = try #require(output.split(separator: "\n").first { $0.hasPrefix("result: ") })
    let result = try #require(
      try JSONSerialization.jsonObject(with: Data(line.dropFirst("result: ".count).utf8)) as? [String: Any])
    #expect(service.made.value.withLock { $0 } == 4)

    let expected = [
      "numMessages": 7, "numRecordBatches": 3, "numDictionaryBatches": 3, "numDictionaryDeltas": 1,
      "numReplacedDictionaries": 1,
    ]
    let sent = try #require(service.writeStatistics.withLock { $0["dictionaries"] })
    #expect(counts(sent) == expected)
    #expect(result["readStats"] as? [String: Int] == expected)
    #expect(result["dictionaryValues"] as? [String] == ["a", "b", "c", "a", "x"])

    let received = try #require(service.readStatistics.withLock { $0["put"] })
    #expect(counts(received) == expected)
    #expect(result["writeStats"] as? [String: Int] == expected)

    // 10 000 int64 zeros are 80 000 bytes uncompressed; ZSTD leaves a few dozen.
    let compressed = try #require(service.writeStatistics.withLock { $0["compress"] })
    #expect(compressed.numRecordBatches >= 1 && compressed.bytes < 10_000, "\(compressed)")
    await server.shutdown()
  }

  /// Swift to Swift: both ends count the same messages and the same bytes.
  @Test func readerAndWriterStatisticsAgree() async throws {
    let service = ErgonomicsService()
    let server = try FlightServer(service, location: .forGRPCTCP(host: "localhost", port: 0))
    let client = try FlightClient(location: server.location)

    let reader = try await client.doGet(Ticket("dictionaries"))
    let table = try await reader.readAll()
    #expect(table.length == 5)
    let sent = try #require(service.writeStatistics.withLock { $0["dictionaries"] })
    #expect(reader.statistics == sent)
    #expect(sent.bytes > 0)

    var options = FlightCallOptions()
    options.writeOptions = IPCWriteOptions(emitDictionaryDeltas: true)
    let (writer, results) = try await client.doPut(
      .forPath("dict"), schema: ErgonomicsService.dictionaryBatches[0].schema, options: options)
    try await writer.write(contentsOf: ErgonomicsService.dictionaryBatches)
    try await writer.doneWriting()
    #expect(try await results.read().map { String(decoding: $0, as: UTF8.self) } == "5")
    try await writer.close()
    #expect(writer.statistics.numMessages == 7 && writer.statistics.numDictionaryDeltas == 1)
    #expect(service.readStatistics.withLock { $0["put"] } == writer.statistics)

    // The exchange answer is compressed (begin(_:options:)): fewer bytes than the request.
    let zeros = try RecordBatch([("zeros", Int64Array(Array(repeating: 0, count: 10_000)))])
    let (exchangeWriter, exchangeReader) = try await client.doExchange(.forPath("compress"))
    try await exchangeWriter.begin(zeros.schema)
    try await exchangeWriter.write(zeros)
    try await exchangeWriter.doneWriting()
    let echoed = try await exchangeReader.readAll()
    try await exchangeWriter.close()
    #expect(echoed == (try Table(batches: [zeros])))
    #expect(exchangeWriter.statistics.bytes > 80_000)
    #expect(exchangeReader.statistics.bytes < 10_000, "\(exchangeReader.statistics)")
    await server.shutdown()
  }

  /// A DoGet reader handed on (pyarrow's to_reader): from a pyarrow server, through a Swift
  /// relay server's RecordBatchStream, and into a DoPut writer.
  @Test func doGetReaderIsARecordBatchSource() async throws {
    try await InteropLock.run {
      try await withPeer("pyarrow_server.py") { peer in
        let upstream = try FlightClient(peer.location)
        let direct = try await upstream.doGet(Ticket("dataset/sales")).readAll()

        let relay = try FlightServer(
          RelayService(upstream: upstream), location: .forGRPCTCP(host: "localhost", port: 0))
        let relayed = try await FlightClient(location: relay.location).doGet(Ticket("dataset/sales")).readAll()
        #expect(relayed == direct)
        await relay.shutdown()

        let store = TestStoreService()
        let storeServer = try FlightServer(store, location: .forGRPCTCP(host: "localhost", port: 0))
        let source = try await upstream.doGet(Ticket("dataset/sales")).recordBatchReader()
        let (writer, _) = try await FlightClient(location: storeServer.location).doPut(
          .forPath("copy"), schema: source.schema)
        try await writer.write(contentsOf: source)
        try await writer.close()
        #expect(store.tables.withLock { $0["copy"] } == direct)
        await storeServer.shutdown()
      }
    }
  }

  /// RecordBatchReader over each kind of source, read directly.
  @Test func recordBatchReaderSources() async throws {
    let batches = (0..<4).map(numberBatch)
    let expected = try Table(batches: batches)
    let file = try IPCFileReader(IPCFileWriter.serialize(batches, schema: numberSchema))
    let stream = try IPCStreamReader(IPCStreamWriter.serialize(batches, schema: numberSchema))
    let made = CountingBatches.Counter()
    let readers = [
      RecordBatchReader(file), RecordBatchReader(stream), RecordBatchReader(expected),
      RecordBatchReader(schema: numberSchema, batches: CountingBatches(count: 4, made: made)),
      RecordBatchReader(schema: numberSchema, batches: batches),
    ]
    for reader in readers {
      #expect(reader.schema == numberSchema)
      #expect(try await reader.readAll() == expected)
      #expect(try await reader.next() == nil)
    }
    // The lazy sequence makes a batch only when one is read.
    let lazy = RecordBatchReader(schema: numberSchema, batches: CountingBatches(count: 4, made: made))
    let before = made.value.withLock { $0 }
    _ = try await lazy.next()
    #expect(made.value.withLock { $0 } == before + 1)
  }

  /// The write-side schema check ignores field metadata, as Arrow C++ does: a pyarrow server
  /// stores the stream under the schema it was begun with. A different type is still refused.
  @Test func writeSchemaCheckIgnoresFieldMetadata() async throws {
    try await InteropLock.run {
      try await withPeer("pyarrow_server.py") { peer in
        let client = try FlightClient(peer.location)
        let annotated = Schema(
          [Field("n", .int64, metadata: ["origin": "sensor 7"])], metadata: ["source": "test"])
        let (writer, _) = try await client.doPut(.forPath("annotated"), schema: annotated)
        try await writer.write(numberBatch(0))  // no metadata at all
        await #expect {
          try await writer.write(try RecordBatch([("n", Int32Array([1]))]))
        } throws: { ($0 as? FlightError)?.kind == .invalidArgument }
        try await writer.write(numberBatch(1))
        try await writer.close()
        let stored = try await client.doGet(Ticket("annotated")).readAll()
        #expect(stored.schema.fields[0].metadata == ["origin": "sensor 7"])
        #expect(stored.length == 20)
      }
    }
  }

  /// A source that fails at the first, a middle or after the last batch ends the call with
  /// its error; the client has the batches sent before it and nothing waits.
  @Test(arguments: [0, 2, 4]) func failingSourceEndsTheCall(failAt: Int) async throws {
    let server = try FlightServer(FailingSourceService(), location: .forGRPCTCP(host: "localhost", port: 0))
    let client = try FlightClient(location: server.location)
    let reader = try await client.doGet(Ticket("\(failAt)"))
    var received = 0
    await #expect {
      for try await chunk in reader where chunk.data != nil { received += 1 }
    } throws: { error in
      let error = error as? FlightError
      return error?.kind == .internal && error?.message.contains("source failed at batch \(failAt)") == true
    }
    #expect(received == failAt)
    await server.shutdown()
  }

  /// Header entries built by hand, and the request headers a handler reads by that name.
  @Test func headerEntriesAndRequestHeaders() async throws {
    let entries = [
      FlightHeaders.Entry("X-Middleware", "built"), FlightHeaders.Entry(key: "Trace-BIN", value: [0, 255]),
    ]
    #expect(entries.map(\.key) == ["x-middleware", "trace-bin"])
    let server = try FlightServer(
      ErgonomicsService(), location: .forGRPCTCP(host: "localhost", port: 0),
      options: FlightServerOptions(middleware: [KeyedServerMiddleware("echo", EchoServerMiddlewareFactory())]))
    let client = try FlightClient(location: server.location)
    let results = try await client.doAction(
      Action(type: "headers"), options: FlightCallOptions(headers: FlightHeaders(entries)))
    #expect(try await results.collect().map(\.body) == [[0, 255]])
    #expect(await results.headers()["x-middleware"] == "built")
    await server.shutdown()
  }
}
