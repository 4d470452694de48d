// `flight-bench serve`: a Flight server for throughput measurements.
//
// DoGet streams pre-built int64 batches (the same batch over and over, so the transport is
// measured and not data generation); DoPut reads and discards; GetFlightInfo answers a
// tiny FlightInfo.

internal import ArrowCore
internal import FlightRPC
internal import Foundation
internal import Synchronization

/// The benchmark service.
final class BenchService: FlightService {
  private let defaultBytes: Int
  private let defaultRows: Int
  private let batches = Mutex<[Int: RecordBatch]>([:])

  init(defaultBytes: Int, defaultRows: Int) {
    self.defaultBytes = defaultBytes
    self.defaultRows = defaultRows
  }

  /// The int64 batch of `rows` rows, built once.
  private func batch(rows: Int) -> RecordBatch {
    if let batch = batches.withLock({ $0[rows] }) { return batch }
    let batch = BenchData.int64Batch(rows: rows)
    batches.withLock { $0[rows] = batch }
    return batch
  }

  func getFlightInfo(_ descriptor: FlightDescriptor, context: ServerCallContext) async throws -> FlightInfo {
    let ticket = Ticket(BenchData.ticket(totalBytes: defaultBytes, rows: defaultRows))
    return try FlightInfo(
      schema: BenchData.int64Schema, descriptor: descriptor, endpoints: [FlightEndpoint(ticket: ticket)],
      totalRecords: Int64(defaultBytes / 32), totalBytes: Int64(defaultBytes))
  }

  func doGet(_ ticket: Ticket, context: ServerCallContext) async throws -> any FlightDataStream {
    let (totalBytes, rows) = BenchData.parseTicket(ticket.ticket) ?? (defaultBytes, defaultRows)
    let batch = self.batch(rows: rows)
    let count = BenchData.batchCount(totalBytes: totalBytes, batchBytes: batch.bufferByteCount)
    return RecordBatchStream(schema: batch.schema, batches: Array(repeating: batch, count: count))
  }

  func doPut(
    _ descriptor: FlightDescriptor, reader: FlightStreamReader, writer: FlightMetadataWriter,
    context: ServerCallContext
  ) async throws {
    for try await _ in reader {}
  }
}

enum Serve {
  /// Serves until stdin reaches end of file.
  static func run(port: Int, sizeMiB: Int, rowsPerBatch: Int) async throws {
    let service = BenchService(defaultBytes: sizeMiB << 20, defaultRows: rowsPerBatch)
    let server = try FlightServer(
      service, location: try Location.forGRPCTCP(host: "localhost", port: port),
      options: FlightServerOptions(shutdownGracePeriod: .seconds(1)))
    print("Server listening on localhost:\(server.port)")
    fflush(nil)
    await withCheckedContinuation { (continuation: CheckedContinuation<Void, Never>) in
      let thread = Thread {
        while !FileHandle.standardInput.availableData.isEmpty {}
        continuation.resume()
      }
      thread.start()
    }
    await server.shutdown()
  }
}
