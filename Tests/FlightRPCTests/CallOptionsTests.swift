// Per-call options merge field by field with the client's defaults; timeouts as Arrow C++
// reads them (negative: no deadline; under a millisecond: rounded up).

internal import ArrowCore
internal import ArrowIPC
internal import FlightRPC
internal import Foundation
internal import InteropSupport
internal import Testing

// A hang watchdog; it also counts the wait in InteropLock's queue (over 90 s on a loaded machine).
@Suite("Call options: merging and timeouts", .serialized, .timeLimit(.minutes(5)))
struct CallOptionsTests {
  /// A batch that compresses well: a million zeros and a counter.
  func compressibleBatch() throws -> RecordBatch {
    try RecordBatch([("zeros", Int64Array([Int64](repeating: 0, count: 100_000)))])
  }

  /// What the raw peer saw of a call: its remaining deadline (nil for none).
  struct Echo: Decodable {
    var timeRemaining: Double?
    var metadata: [[String]]

    enum CodingKeys: String, CodingKey {
      case timeRemaining = "time_remaining"
      case metadata
    }
  }

  func echo(_ client: FlightClient, _ options: FlightCallOptions?) async throws -> Echo {
    let results = try await client.doAction(Action(type: "echo"), options: options).collect()
    return try JSONDecoder().decode(Echo.self, from: Data(try #require(results.first).body))
  }

  /// The bytes of FlightData the raw peer received for one DoPut of `batch`.
  func uploadedBytes(_ client: FlightClient, _ batch: RecordBatch, _ options: FlightCallOptions?) async throws -> Int {
    let (writer, results) = try await client.doPut(.forPath("x"), schema: batch.schema, options: options)
    try await writer.write(batch)
    try await writer.doneWriting()
    let reply = try #require(try await results.read())
    try await writer.close()
    struct Counts: Decodable { var bytes: Int }
    return try JSONDecoder().decode(Counts.self, from: Data(Array(reply))).bytes
  }

  @Test func perCallOptionsKeepTheClientsOtherDefaults() async throws {
    try await InteropLock.run {
      try await withPeer("grpc_raw_server.py") { peer in
        var defaults = FlightCallOptions(timeout: .seconds(60), headers: ["x-client": "default"])
        defaults.writeOptions = IPCWriteOptions(compression: .zstd)
        let client = try FlightClient(peer.location, options: FlightClientOptions(callOptions: defaults))
        let batch = try compressibleBatch()

        // A per-call timeout keeps the client's compression.
        let compressed = try await uploadedBytes(client, batch, FlightCallOptions(timeout: .seconds(30)))
        let plain = try await uploadedBytes(
          client, batch, FlightCallOptions(timeout: .seconds(30), writeOptions: IPCWriteOptions()))
        #expect(
          compressed * 10 < plain,
          "a per-call timeout dropped the client's compression: \(compressed) vs \(plain) bytes")

        // Headers add up; the per-call timeout replaces the client's; `noTimeout` removes it.
        var options = FlightCallOptions(timeout: .seconds(5))
        options.headers.add("x-call", "mine")
        let seen = try await echo(client, options)
        #expect(seen.metadata.contains(["x-client", "default"]) && seen.metadata.contains(["x-call", "mine"]))
        let remaining = try #require(seen.timeRemaining, "the call carried no deadline")
        #expect(remaining < 5.5, "the per-call 5 s deadline arrived as \(remaining) s")
        #expect(try await echo(client, nil).timeRemaining.map { $0 > 30 } == true, "the client's 60 s were lost")
        let none = try await echo(client, FlightCallOptions(timeout: FlightCallOptions.noTimeout))
        #expect(none.timeRemaining == nil, "noTimeout still sent a deadline of \(none.timeRemaining ?? 0) s")
        #expect(none.metadata.contains(["x-client", "default"]))
        // Any negative duration means no deadline, as in Arrow C++ (not an expired one).
        let negative = try await echo(client, FlightCallOptions(timeout: .milliseconds(-250)))
        #expect(negative.timeRemaining == nil)
        client.close()
      }
    }
  }

  /// Serves one compressed batch on DoGet.
  struct CompressedService: FlightService {
    let batch: RecordBatch
    func doGet(_ ticket: Ticket, context: ServerCallContext) async throws -> any FlightDataStream {
      RecordBatchStream(schema: batch.schema, batches: [batch], options: IPCWriteOptions(compression: .zstd))
    }
  }

  @Test func perCallTimeoutKeepsTheClientsReadOptions() async throws {
    let batch = try compressibleBatch()
    let server = try FlightServer(
      CompressedService(batch: batch), location: .forGRPCTCP(host: "localhost", port: 0))
    var defaults = FlightCallOptions()
    defaults.readOptions = IPCReadOptions(maximumDecompressedBatchBytes: 1024)
    let client = try FlightClient(location: server.location, options: FlightClientOptions(callOptions: defaults))
    await #expect(throws: FlightError.self, "a per-call timeout dropped the client's read limit") {
      _ = try await client.doGet(Ticket("t"), options: FlightCallOptions(timeout: .seconds(30))).readAll()
    }
    // The call's own read options win.
    let table = try await client.doGet(
      Ticket("t"), options: FlightCallOptions(timeout: .seconds(30), readOptions: IPCReadOptions())
    ).readAll()
    #expect(table.length == batch.length)
    client.close()
    await server.shutdown()
  }

  @Test func mergeIsFieldByField() {
    var defaults = FlightCallOptions(timeout: .seconds(9), headers: ["a": "1"])
    defaults.writeOptions = IPCWriteOptions(compression: .lz4Frame)
    defaults.readOptions = IPCReadOptions(maximumMessageBytes: 77)
    let merged = FlightCallOptions(headers: ["b": "2"]).merged(over: defaults)
    #expect(merged.timeout == .seconds(9))
    #expect(merged.writeOptions?.compression == .lz4Frame)
    #expect(merged.readOptions?.maximumMessageBytes == 77)
    #expect(merged.headers.entries.map(\.key) == ["a", "b"])
    let explicit = FlightCallOptions(timeout: FlightCallOptions.noTimeout, writeOptions: IPCWriteOptions())
      .merged(over: defaults)
    #expect(explicit.timeout == FlightCallOptions.noTimeout)
    #expect(explicit.writeOptions?.compression == nil)
  }
}
