// The Swift client against a pyarrow server (Tests/Peers/pyarrow_edge_server.py): generator
// streams with metadata, metadata-only messages, schema-only streams, every exception class
// raised in every kind of handler, timeouts, Task cancellation mid-stream, and a 1 GiB stream
// read chunk by chunk in bounded memory.

internal import FlightRPC
internal import Foundation
internal import InteropSupport
internal import Testing

/// The state the edge server reports through its `state` action.
struct PeerState: Decodable {
  var endlessProduced: Int
  var endlessClosed: Bool
  var slowCancelled: Bool?

  enum CodingKeys: String, CodingKey {
    case endlessProduced = "endless_produced"
    case endlessClosed = "endless_closed"
    case slowCancelled = "slow_cancelled"
  }
}

extension FlightClient {
  /// The pyarrow edge server's `state` action, decoded.
  func peerState() async throws -> PeerState {
    let results = try await doAction(Action(type: "state")).collect()
    return try JSONDecoder().decode(PeerState.self, from: Data(try #require(results.first).body))
  }

  /// Polls the peer's state (bounded) until `condition` holds; returns the last state seen.
  func waitForPeerState(timeout: Duration = .seconds(10), _ condition: (PeerState) -> Bool) async throws -> PeerState {
    var state: PeerState?
    _ = try await poll(timeout: timeout) {
      let current = try await peerState()
      state = current
      return condition(current)
    }
    return try #require(state, "poll checks at least once")
  }
}

@Suite("Swift client against a pyarrow server: edge cases", .serialized)
struct SwiftClientEdgeTests {
  @Test func generatorStreamWithMetadata() async throws {
    try await withPeerClient("pyarrow_edge_server.py", waitForAvailable: true) { client in
      let reader = try await client.doGet(Ticket("gen-metadata"))
      #expect(reader.schema == edgeSchema, "the generator stream's schema: \(String(describing: reader.schema))")
      // (start, rows, metadata) of each chunk: tuples, a bare batch, a table's two batches.
      let expected: [(Int, Int, [UInt8]?)] = [
        (0, 3, Array("m0".utf8)), (3, 2, nil), (5, 1, nil), (6, 1, nil), (7, 4, Array("m4".utf8)),
        (11, 1, [0] + Array("binary".utf8) + [0xFF]),
      ]
      var index = 0
      for try await chunk in reader {
        guard index < expected.count else {
          Issue.record("an extra chunk arrived after the \(expected.count) expected: \(chunk)")
          break
        }
        let (start, rows, metadata) = expected[index]
        #expect(chunk.data == (try edgeBatch(start: start, count: rows)), "chunk \(index) holds the wrong batch")
        #expect(chunk.appMetadata.map { Array($0) } == metadata, "chunk \(index) carries the wrong app_metadata")
        index += 1
      }
      #expect(index == expected.count, "the stream ended after \(index) of \(expected.count) chunks")
    }
  }

  @Test func metadataOnlyMessagesAroundBatches() async throws {
    try await withPeerClient("pyarrow_edge_server.py", waitForAvailable: true) { client in
      let (writer, reader) = try await client.doExchange(.forCommand("metadata"))
      var chunks: [(Int?, String?)] = []
      for try await chunk in reader {
        chunks.append((chunk.data?.length, chunk.appMetadata.map { String(decoding: $0, as: UTF8.self) }))
        if let batch = chunk.data {
          let start = Int((batch.column(named: "n") as? Int64Array)?.value(at: 0) ?? -1)
          #expect(batch == (try edgeBatch(start: start, count: batch.length)), "a batch arrived altered")
        }
      }
      try await writer.close()
      let expected: [(Int?, String?)] = [(nil, "first"), (2, "with"), (nil, "between"), (3, nil), (nil, "last")]
      #expect(
        chunks.map { "\($0.0.map(String.init) ?? "-")/\($0.1 ?? "-")" }
          == expected.map { "\($0.0.map(String.init) ?? "-")/\($0.1 ?? "-")" },
        "metadata-only messages and batches arrived out of order or altered")
      #expect(reader.schema == edgeSchema)
    }
  }

  @Test func schemaOnlyStreams() async throws {
    try await withPeerClient("pyarrow_edge_server.py", waitForAvailable: true) { client in
      for ticket in ["schema-only", "schema-only-generator"] {
        let reader = try await client.doGet(Ticket(ticket))
        #expect(reader.schema == edgeSchema, "\(ticket): the schema did not arrive")
        let first = try await reader.next()
        #expect(first == nil, "\(ticket): a chunk arrived from a stream with no batches")
        let table = try await client.doGet(Ticket(ticket)).readAll()
        #expect(table.length == 0, "\(ticket): readAll gave \(table.length) rows")
        #expect(table.schema == edgeSchema, "\(ticket): readAll lost the schema")
      }
    }
  }

  /// Every exception class the edge server raises, with the kind a Swift client must report
  /// (Arrow C++'s mapping) and whether it carries `extra_info`.
  static let raisedKinds: [(String, FlightError.Kind, Bool)] = [
    ("unauthenticated", .unauthenticated, true), ("unauthorized", .unauthorized, true),
    ("unavailable", .unavailable, true), ("internal", .internal, true), ("timedOut", .timedOut, true),
    ("cancelled", .cancelled, true), ("serverError", .serverError, true), ("keyError", .notFound, false),
    ("valueError", .invalidArgument, false), ("arrowInvalid", .invalidArgument, false),
    ("writeSizeExceeded", .invalidArgument, false), ("notImplemented", .notImplemented, false),
    ("arrowNotImplemented", .notImplemented, false), ("typeError", .serverError, false),
    ("indexError", .serverError, false), ("runtimeError", .serverError, false), ("flightError", .serverError, false),
  ]

  @Test func everyExceptionClassInEveryHandler() async throws {
    try await withPeerClient("pyarrow_edge_server.py", waitForAvailable: true) { client in
      let batch = try edgeBatch(start: 0, count: 2)
      // Each place runs a call that the server fails with the kind named `name`.
      let places: [(String, @Sendable (FlightClient, String) async throws -> Void)] = [
        (
          "DoAction",
          { client, name in _ = try await client.doAction(Action(type: "raise", body: Array(name.utf8))).collect() }
        ),
        ("GetFlightInfo", { client, name in _ = try await client.getFlightInfo(.forCommand("raise:\(name)")) }),
        (
          "ListFlights",
          { client, name in _ = try await client.listFlights(criteria: Array("raise:\(name)".utf8)).collect() }
        ),
        ("DoGet before the stream", { client, name in _ = try await client.doGet(Ticket("raise:\(name)")) }),
        (
          "DoGet mid-stream",
          { client, name in
            let reader = try await client.doGet(Ticket("raise-mid:\(name)"))
            guard try await reader.next()?.data?.length == 2 else {
              throw FlightError(.internal, "TEST: the first batch did not arrive before the error")
            }
            _ = try await reader.next()
          }
        ),
        (
          "DoPut",
          { client, name in
            let (writer, results) = try await client.doPut(.forCommand("raise:\(name)"), schema: edgeSchema)
            try await writer.write(batch)
            try await writer.close()
            _ = try await results.read()
          }
        ),
        (
          "DoExchange",
          { client, name in
            let (writer, reader) = try await client.doExchange(.forCommand("raise:\(name)"))
            try await writer.begin(edgeSchema)
            try await writer.write(batch)
            _ = try await reader.next()
            try await writer.close()
          }
        ),
      ]
      for (place, call) in places {
        for (name, kind, carriesExtraInfo) in Self.raisedKinds {
          do {
            try await call(client, name)
            Issue.record("\(place): the server raised \(name) but the call succeeded")
          } catch let error as FlightError {
            #expect(error.kind == kind, "\(place): \(name) arrived as \(error.kind), not \(kind): \(error)")
            #expect(error.message.contains("raised \(name)"), "\(place): \(name) lost its message: \(error)")
            #expect(
              error.extraInfo == (carriesExtraInfo ? Array("extra".utf8) : []),
              "\(place): \(name) carried extra info \(error.extraInfo)")
          }
        }
      }
      // The server serves after all of that.
      #expect(try await client.listActions().map(\.type) == ["slow", "state", "raise"])
    }
  }

  @Test func timeoutsArriveAsTimedOut() async throws {
    try await withPeerClient("pyarrow_edge_server.py", waitForAvailable: true) { client in
      let options = FlightCallOptions(timeout: .milliseconds(300))
      var started = ContinuousClock.now
      await #expect {
        _ = try await client.doAction(Action(type: "slow"), options: options).collect()
      } throws: { error in
        (error as? FlightError)?.kind == .timedOut
      }
      #expect(ContinuousClock.now - started < .seconds(5), "the DoAction deadline fired late")

      started = ContinuousClock.now
      let reader = try await client.doGet(Ticket("slow"), options: FlightCallOptions(timeout: .milliseconds(500)))
      let first = try await reader.next()
      #expect(first?.data == (try edgeBatch(start: 0, count: 2)), "the slow stream's first batch did not arrive")
      do {
        _ = try await reader.next()
        Issue.record("the slow DoGet went on past its deadline")
      } catch let error as FlightError {
        #expect(error.kind == .timedOut, "the slow DoGet failed with \(error), not timedOut")
      }
      #expect(ContinuousClock.now - started < .seconds(5), "the DoGet deadline fired late")
      let state = try await client.waitForPeerState { $0.slowCancelled != nil }
      #expect(state.slowCancelled == true, "the pyarrow handler did not see the call cancelled at the deadline")
    }
  }

  @Test func taskCancellationMidStream() async throws {
    try await withPeerClient("pyarrow_edge_server.py", waitForAvailable: true) { client in
      let (readThree, signal) = AsyncStream<Void>.makeStream()
      let reading = Task {
        let reader = try await client.doGet(Ticket("endless"))
        var count = 0
        for try await chunk in reader {
          guard chunk.data?.length == 1000 else { throw FlightError(.internal, "TEST: a wrong chunk arrived") }
          count += 1
          if count == 3 { signal.yield() }
        }
        return count
      }
      for await _ in readThree { break }
      let cancelled = ContinuousClock.now
      reading.cancel()
      switch await reading.result {
      case .success(let count):
        Issue.record("the cancelled reader ran to the end of the endless stream (\(count) chunks)")
      case .failure(let error as FlightError):
        #expect(error.kind == .cancelled, "the cancelled reader failed with \(error), not cancelled")
      case .failure(let error):
        #expect(error is CancellationError, "the cancelled reader failed with \(error)")
      }
      #expect(ContinuousClock.now - cancelled < .seconds(5), "the reader took long to stop after Task.cancel()")
      let state = try await client.waitForPeerState { $0.endlessClosed }
      #expect(state.endlessClosed, "the pyarrow generator was not closed after the client cancelled")
      #expect(state.endlessProduced < 1_000_000, "the pyarrow generator produced every batch")
      // The server and the client keep working.
      let table = try await client.doGet(Ticket("schema-only")).readAll()
      #expect(table.schema == edgeSchema)
    }
  }

  @Test func largeStreamReadChunkByChunkInBoundedMemory() async throws {
    // 1 GiB: a debug build reads it in about 2 s here, so it runs by default.
    let total = 1 << 30
    let rowsPerBatch = 65_536
    let batches = total / (rowsPerBatch * 8 * 4)
    try await withPeerClient("pyarrow_edge_server.py", waitForAvailable: true) { client in
      let baseline = residentMemory()
      var peak = baseline
      let started = ContinuousClock.now
      let reader = try await client.doGet(Ticket("big:\(total)"))
      #expect(reader.schema?.fields.map(\.name) == ["a", "b", "c", "d"])
      var index = 0
      var rows = 0
      for try await chunk in reader {
        let batch = try #require(chunk.data, "chunk \(index) has no batch")
        #expect(batch.length == rowsPerBatch, "batch \(index) has \(batch.length) rows")
        let columns = (0..<4).map { batch.column(at: $0) as? Int64Array }
        let a = try #require(columns[0], "column a of batch \(index) is not int64")
        let b = try #require(columns[1])
        let c = try #require(columns[2])
        let d = try #require(columns[3])
        let first = Int64(index * rowsPerBatch)
        let last = rowsPerBatch - 1
        if a.value(at: 0) != first || a.value(at: last) != first + Int64(last)
          || b.value(at: last) != 2 * a.value(at: last)
          || c.value(at: 17) != -a.value(at: 17) || d.value(at: last) != Int64(index)
        {
          Issue.record("batch \(index) holds the wrong values: a[0] = \(a.value(at: 0)), d = \(d.value(at: last))")
          break
        }
        rows += batch.length
        index += 1
        peak = max(peak, residentMemory())
      }
      let elapsed = ContinuousClock.now - started
      #expect(index == batches, "\(index) of \(batches) batches arrived")
      #expect(rows == batches * rowsPerBatch)
      let growth = peak - baseline
      #expect(
        growth < 400 << 20,
        "resident memory grew by \(growth >> 20) MiB while reading \(total >> 20) MiB: the stream is being held")
      print("read \(total >> 20) MiB in \(batches) batches in \(elapsed); resident growth \(growth >> 20) MiB")
    }
  }
}
