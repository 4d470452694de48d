// `flight-bench ipc`: IPC stream write and read throughput, in memory.

internal import ArrowCore
internal import ArrowIPC

enum IPCBench {
  /// Writes and reads an in-memory stream of about `sizeMiB` MiB of int64 data, then of string
  /// data, and reports each direction.
  static func run(sizeMiB: Int, rowsPerBatch: Int) throws {
    let totalBytes = sizeMiB << 20
    for (name, batch) in [
      ("int64", BenchData.int64Batch(rows: rowsPerBatch)), ("string", BenchData.stringBatch(rows: rowsPerBatch)),
    ] {
      let batchBytes = batch.bufferByteCount
      let count = BenchData.batchCount(totalBytes: totalBytes, batchBytes: batchBytes)
      // Warm up (first-use costs: allocator, lazily initialized metadata).
      _ = try roundTrip(batch, count: 2)

      let clock = ContinuousClock()
      let start = clock.now
      let writer = try IPCStreamWriter(schema: batch.schema)
      for _ in 0..<count { try writer.write(batch) }
      let stream = try writer.finish()
      let written = clock.now
      var reader = try IPCStreamReader(stream)
      var batches = 0
      var bytes = 0
      while let read = try reader.next() {
        batches += 1
        bytes += read.bufferByteCount
      }
      let done = clock.now
      guard batches == count, bytes == count * batchBytes else {
        throw BenchError("read back \(batches) batches of \(bytes) bytes, wrote \(count) of \(count * batchBytes)")
      }
      for (op, elapsed) in [("ipc_write", seconds(written - start)), ("ipc_read", seconds(done - written))] {
        report([
          "impl": .string("swift"), "op": .string(op), "data": .string(name), "rows_per_batch": .int(rowsPerBatch),
          "batches": .int(count), "bytes": .int(count * batchBytes), "stream_bytes": .int(stream.count),
          "seconds": .double(elapsed), "mb_per_s": .double(megabytesPerSecond(count * batchBytes, elapsed)),
          "batches_per_s": .double(Double(count) / elapsed),
        ])
      }
    }
  }

  private static func roundTrip(_ batch: RecordBatch, count: Int) throws -> Int {
    let stream = try IPCStreamWriter.serialize(Array(repeating: batch, count: count), schema: batch.schema)
    var reader = try IPCStreamReader(stream)
    return try reader.readAll().count
  }
}

/// A benchmark failure (wrong data, bad arguments to a server).
struct BenchError: Error, CustomStringConvertible {
  let description: String
  init(_ description: String) { self.description = description }
}
