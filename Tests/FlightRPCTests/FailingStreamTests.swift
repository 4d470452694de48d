// A failing producer or consumer on either side of DoGet, DoPut and DoExchange ends the call
// with an error status; nothing waits forever. Each failure is put at the first, a middle and
// the last batch of five. Misbehaving peers that no Flight library would be come from
// Tests/Peers/failing_streams.py (raw grpcio: a DoGet server and a DoPut/DoExchange client
// that send a corrupt batch). The suite's time limit is the watchdog against hangs.

internal import FlightRPC
internal import Foundation
internal import InteropSupport
internal import Synchronization
internal import Testing

/// Where a failure is put, of five batches: first, middle, last.
private let failurePositions = [0, 2, 4]
private let batchCount = 5

/// A service whose handlers fail on demand and record how each call's handler ended.
///
/// - DoGet `throw`: the handler throws; `throw-at:K`: a generator that throws at batch K.
/// - DoPut path `[name, K]`: reads the upload, throwing after batch K (K < 0: never), and
///   stores the row count under `name` once the upload is complete.
/// - DoExchange path `[name, K]`: echoes each batch, throwing at batch K (K < 0: never).
private final class FailingService: FlightService {
  /// How each handler ended, by name: "completed", or the kind of the error it ended with.
  let outcomes = Mutex<[String: String]>([:])
  /// Rows stored by completed uploads, by name.
  let stored = Mutex<[String: Int]>([:])

  static func batch(_ index: Int) throws -> RecordBatch {
    try sampleTable(rows: 3).slice(offset: 0, length: 3).toBatches()[0].withRowsShifted(index)
  }

  func record(_ name: String, _ outcome: String) {
    outcomes.withLock { $0[name] = outcome }
  }

  /// Waits (bounded) until the handler `name` has ended; its outcome, or nil.
  func outcome(_ name: String) async -> String? {
    await wait { $0[name] }
  }

  /// Waits (bounded) until the handler `name` runs (a call cancelled before the server took
  /// it up never reaches its handler); false if it never did.
  func started(_ name: String) async -> Bool {
    await wait { $0[name + ":started"] } != nil
  }

  /// Polls the outcomes for at most 20 s (a watchdog, not a timing) until `value` gives one.
  private func wait(_ value: ([String: String]) -> String?) async -> String? {
    var found: String?
    _ = await poll(timeout: .seconds(20), every: .milliseconds(10)) {
      found = outcomes.withLock { value($0) }
      return found != nil
    }
    return found
  }

  func doGet(_ ticket: Ticket, context: ServerCallContext) async throws -> any FlightDataStream {
    let text = String(decoding: ticket.ticket, as: UTF8.self)
    if text == "throw" { throw FlightError(.unavailable, "the handler failed before the stream") }
    guard text.hasPrefix("throw-at:"), let failAt = Int(text.dropFirst("throw-at:".count)) else {
      throw FlightError(.notFound, "no ticket \(text)")
    }
    let schema = try Self.batch(0).schema
    return GeneratorStream(schema: schema, FailingBatches(failAt: failAt))
  }

  func doPut(
    _ descriptor: FlightDescriptor, reader: FlightStreamReader, writer: FlightMetadataWriter,
    context: ServerCallContext
  ) async throws {
    let (name, failAt) = try Self.parse(descriptor)
    record(name + ":started", "yes")
    var rows = 0
    var index = 0
    do {
      for try await chunk in reader {
        guard let batch = chunk.data else { continue }
        if index == failAt { throw FlightError(.invalidArgument, "the handler failed at batch \(index)") }
        rows += batch.length
        index += 1
      }
    } catch {
      record(name, (error as? FlightError)?.kind.rawValue ?? "not a FlightError: \(error)")
      throw error
    }
    stored.withLock { $0[name] = rows }
    record(name, "completed")
  }

  func doExchange(
    _ descriptor: FlightDescriptor, reader: FlightStreamReader, writer: FlightStreamWriter,
    context: ServerCallContext
  ) async throws {
    let (name, failAt) = try Self.parse(descriptor)
    record(name + ":started", "yes")
    var index = 0
    do {
      for try await chunk in reader {
        guard let batch = chunk.data else { continue }
        if index == failAt { throw FlightError(.invalidArgument, "the handler failed at batch \(index)") }
        if writer.schema == nil { try await writer.begin(batch.schema) }
        try await writer.write(batch)
        index += 1
      }
    } catch {
      record(name, (error as? FlightError)?.kind.rawValue ?? "not a FlightError: \(error)")
      throw error
    }
    record(name, "completed")
  }

  static func parse(_ descriptor: FlightDescriptor) throws -> (String, Int) {
    guard let components = descriptor.pathComponents, components.count == 2, let failAt = Int(components[1]) else {
      throw FlightError(.invalidArgument, "expected the path [name, failAt]")
    }
    return (components[0], failAt)
  }
}

/// Five batches, throwing instead of producing batch `failAt`.
private struct FailingBatches: AsyncSequence, Sendable {
  let failAt: Int

  struct AsyncIterator: AsyncIteratorProtocol {
    let failAt: Int
    var index = 0

    mutating func next() async throws -> RecordBatch? {
      guard index < batchCount else { return nil }
      if index == failAt { throw FlightError(.invalidArgument, "the producer failed at batch \(index)") }
      defer { index += 1 }
      return try FailingService.batch(index)
    }
  }

  func makeAsyncIterator() -> AsyncIterator { AsyncIterator(failAt: failAt) }
}

extension RecordBatch {
  /// The batch with its int64 `id` column offset by `shift` (so batches differ).
  fileprivate func withRowsShifted(_ shift: Int) throws -> RecordBatch {
    let ids = Int64Array((0..<Int64(length)).map { $0 + Int64(shift) * 10 })
    var columns = self.columns
    columns[0] = ids
    return try RecordBatch(schema: schema, columns: columns)
  }
}

/// `error` as the FlightError the API throws (anything else becomes an `unknown` one).
private func asFlightError(_ error: any Error) -> FlightError {
  (error as? FlightError) ?? FlightError(.serverError, "not a FlightError: \(error)")
}

/// Reads `reader` to its end; the batches read before it failed, and the error.
private func readUntilFailure(_ reader: FlightStreamReader) async -> (batches: Int, error: FlightError?) {
  var batches = 0
  do {
    while let chunk = try await reader.next() {
      if chunk.data != nil { batches += 1 }
    }
    return (batches, nil)
  } catch {
    return (batches, asFlightError(error))
  }
}

@Suite("A failure on either side ends the streaming call", .serialized, .timeLimit(.minutes(3)))
struct FailingStreamTests {
  private let service = FailingService()

  @Test func serverProducerThatThrowsEndsDoGetWithItsError() async throws {
    try await withLocalServer(service) { server, client in
      for position in failurePositions {
        let reader = try await client.doGet(Ticket("throw-at:\(position)"))
        let (batches, error) = await readUntilFailure(reader)
        #expect(batches == position)
        #expect(error?.kind == .invalidArgument, "\(String(describing: error))")
        #expect(error?.message.contains("the producer failed at batch \(position)") == true)
      }
      await #expect(throws: FlightError.self) { _ = try await client.doGet(Ticket("throw")) }
      // The server goes on serving.
      let whole = try await client.doGet(Ticket("throw-at:-1"))
      #expect(await readUntilFailure(whole).batches == batchCount)
    }
  }

  @Test func serverHandlerThatThrowsEndsDoPutAndDoExchange() async throws {
    try await withLocalServer(service) { server, client in
      for position in failurePositions {
        // DoPut: the client writes everything; a write or the close reports the handler's error.
        let name = "put-fails-\(position)"
        let (writer, _) = try await client.doPut(
          .forPath(name, String(position)), schema: try FailingService.batch(0).schema)
        var failure: (any Error)?
        do {
          for index in 0..<batchCount { try await writer.write(try FailingService.batch(index)) }
          try await writer.close()
        } catch {
          failure = error
        }
        let error = failure.map(asFlightError)
        #expect(error?.kind == .invalidArgument, "\(String(describing: error))")
        #expect(
          error?.message.contains("the handler failed at batch \(position)") == true, "\(String(describing: error))")
        #expect(await service.outcome(name) == "invalidArgument")

        // DoExchange: the client reads the echo of each batch it writes until the error comes.
        let exchange = "exchange-fails-\(position)"
        let (exchangeWriter, reader) = try await client.doExchange(.forPath(exchange, String(position)))
        try await exchangeWriter.begin(try FailingService.batch(0).schema)
        var echoed = 0
        var exchangeError: FlightError?
        do {
          for index in 0..<batchCount {
            try await exchangeWriter.write(try FailingService.batch(index))
            guard try await reader.next() != nil else { break }
            echoed += 1
          }
        } catch {
          exchangeError = asFlightError(error)
        }
        if exchangeError == nil { exchangeError = await readUntilFailure(reader).error }
        #expect(echoed == position)
        #expect(exchangeError?.kind == .invalidArgument, "\(String(describing: exchangeError))")
        #expect(await service.outcome(exchange) == "invalidArgument")
      }
      #expect(service.stored.withLock { $0 }.isEmpty)
    }
  }

  @Test func clientThatFailsWhileWritingCancelsTheCall() async throws {
    try await withLocalServer(service) { server, client in
      let schema = try FailingService.batch(0).schema
      for position in failurePositions {
        // DoPut, reading the acknowledgements on another task (as `flight put` does): after
        // `cancel()` both sides end; the server's handler sees the cancellation; nothing is stored.
        let name = "put-cancelled-\(position)"
        let (writer, results) = try await client.doPut(.forPath(name, "-1"), schema: schema)
        let acknowledgements = Task { () async throws -> Int in
          var count = 0
          for try await _ in results { count += 1 }
          return count
        }
        for index in 0..<position { try await writer.write(try FailingService.batch(index)) }
        #expect(await service.started(name))
        writer.cancel()
        await #expect(throws: FlightError.self) { _ = try await acknowledgements.value }
        await #expect(throws: FlightError.self) { try await writer.write(try FailingService.batch(0)) }
        #expect(await service.outcome(name) == "cancelled")

        // DoExchange: the client cancels after echoes; the server's handler sees the cancellation.
        let exchange = "exchange-cancelled-\(position)"
        let (exchangeWriter, reader) = try await client.doExchange(.forPath(exchange, "-1"))
        try await exchangeWriter.begin(schema)
        for index in 0..<position {
          try await exchangeWriter.write(try FailingService.batch(index))
          _ = try await reader.next()
        }
        #expect(await service.started(exchange))
        exchangeWriter.cancel()
        #expect(await readUntilFailure(reader).error?.kind == .cancelled)
        #expect(await service.outcome(exchange) == "cancelled")
      }
      // A writer dropped half way (the client threw and let go of the call) cancels it too.
      do {
        let (writer, _) = try await client.doPut(.forPath("put-dropped", "-1"), schema: schema)
        for index in 0..<2 { try await writer.write(try FailingService.batch(index)) }
        #expect(await service.started("put-dropped"))
      }
      #expect(await service.outcome("put-dropped") == "cancelled")
      #expect(service.stored.withLock { $0 }.isEmpty)

      // A complete upload is stored: the service itself works.
      let (writer, _) = try await client.doPut(.forPath("put-whole", "-1"), schema: schema)
      for index in 0..<batchCount { try await writer.write(try FailingService.batch(index)) }
      try await writer.close()
      #expect(await service.outcome("put-whole") == "completed")
      #expect(service.stored.withLock { $0["put-whole"] } == 3 * batchCount)
    }
  }

  @Test func serverReaderThatHitsABadBatchEndsDoPutAndDoExchange() async throws {
    try await withLocalServer(service) { server, client in
      try await InteropLock.run {
        for method in ["DoPut", "DoExchange"] {
          for position in failurePositions {
            let name = "\(method)-bad-\(position)"
            let status = try await runPythonScript(
              "failing_streams.py",
              arguments: [
                "send", server.location.uri, "--method", method, "--path", "\(name)/-1", "--bad-at", String(position),
              ])
            #expect(status.hasPrefix("INVALID_ARGUMENT: "), "\(method) with batch \(position) bad: \(status)")
            #expect(status.contains("beyond the data buffer"), "\(status)")
            #expect(await service.outcome(name) == "invalidArgument")
          }
        }
      }
      #expect(service.stored.withLock { $0 }.isEmpty)
    }
  }

  @Test func clientReaderThatHitsABadBatchCancelsDoGet() async throws {
    try await withPeerClient("failing_streams.py", args: ["serve"]) { client in
      // -1: good batches keep coming after the bad one until the client cancels.
      for (count, position) in failurePositions.map({ (batchCount, $0) }) + [(-1, 2)] {
        let ticket = #"{"batches": \#(count), "bad_at": \#(position)}"#
        let reader = try await client.doGet(Ticket(ticket))
        let (batches, error) = await readUntilFailure(reader)
        #expect(batches == position)
        #expect(error?.kind == .invalidArgument, "\(String(describing: error))")
        #expect(error?.message.contains("beyond the data buffer") == true, "\(String(describing: error))")
        // The stream stays failed: reading again throws again and reads nothing more.
        await #expect(throws: FlightError.self) { _ = try await reader.next() }
        if count < 0 {
          // The reader is still held: the server stopped because the client cancelled the call.
          #expect(
            await poll(timeout: .seconds(20)) { (try? await events(client))?.contains("\(ticket): cancelled") == true })
          withExtendedLifetime(reader) {}
        }
      }
    }
  }
}

/// The peer's record of how each DoGet ended.
private func events(_ client: FlightClient) async throws -> [String] {
  let results = try await client.doAction(Action(type: "events", body: [])).collect()
  let body = try #require(results.first).body
  return try JSONDecoder().decode([String].self, from: Data(body))
}
