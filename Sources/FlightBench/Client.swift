// `flight-bench client`: one measured operation against any Flight server.

internal import ArrowCore
internal import FlightRPC

enum Client {
  enum Operation: String {
    case doget
    case doput
    case getflightinfo
  }

  static func run(
    location: String, operation: Operation, sizeMiB: Int, rowsPerBatch: Int, calls: Int, path: String = "bench/info",
    concurrency: Int = 1
  ) async throws {
    let client = try FlightClient(location)
    defer { client.close() }
    try await client.waitForAvailable()
    let clock = ContinuousClock()
    let totalBytes = sizeMiB << 20
    switch operation {
    case .doget:
      let ticket = Ticket(BenchData.ticket(totalBytes: totalBytes, rows: rowsPerBatch))
      let start = clock.now
      let reader = try await client.doGet(ticket)
      var batches = 0
      var bytes = 0
      while let chunk = try await reader.next() {
        guard let batch = chunk.data else { continue }
        batches += 1
        bytes += batch.bufferByteCount
      }
      let elapsed = seconds(clock.now - start)
      reportTransfer("doget", rowsPerBatch: rowsPerBatch, batches: batches, bytes: bytes, elapsed: elapsed)
    case .doput:
      let batch = BenchData.int64Batch(rows: rowsPerBatch)
      let batchBytes = batch.bufferByteCount
      let count = BenchData.batchCount(totalBytes: totalBytes, batchBytes: batchBytes)
      let start = clock.now
      let (writer, _) = try await client.doPut(.forPath("bench", "put"), schema: batch.schema)
      for _ in 0..<count { try await writer.write(batch) }
      try await writer.close()
      let elapsed = seconds(clock.now - start)
      reportTransfer("doput", rowsPerBatch: rowsPerBatch, batches: count, bytes: count * batchBytes, elapsed: elapsed)
    case .getflightinfo:
      let descriptor = FlightDescriptor.forPath(path.split(separator: "/").map(String.init))
      for _ in 0..<min(calls, 20) { _ = try await client.getFlightInfo(descriptor) }
      let perCaller = max(1, calls / concurrency)
      let start = clock.now
      try await withThrowingTaskGroup(of: Void.self) { group in
        for _ in 0..<concurrency {
          group.addTask { for _ in 0..<perCaller { _ = try await client.getFlightInfo(descriptor) } }
        }
        try await group.waitForAll()
      }
      let elapsed = seconds(clock.now - start)
      let total = perCaller * concurrency
      report([
        "impl": .string("swift"), "op": .string("getflightinfo"), "calls": .int(total),
        "concurrency": .int(concurrency), "seconds": .double(elapsed), "calls_per_s": .double(Double(total) / elapsed),
      ])
    }
  }

  private static func reportTransfer(_ op: String, rowsPerBatch: Int, batches: Int, bytes: Int, elapsed: Double) {
    report([
      "impl": .string("swift"), "op": .string(op), "rows_per_batch": .int(rowsPerBatch), "batches": .int(batches),
      "bytes": .int(bytes), "seconds": .double(elapsed), "mb_per_s": .double(megabytesPerSecond(bytes, elapsed)),
      "batches_per_s": .double(Double(batches) / elapsed),
    ])
  }
}
