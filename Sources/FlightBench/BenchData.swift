// The benchmark data: 4 int64 columns (as Scripts/bench/store_client.py builds them), or
// 2 string columns of 16 to 24 ASCII bytes (20 on average), and batch counts for a size.

internal import ArrowCore

enum BenchData {
  /// The schema of the int64 data: columns c0...c3.
  static let int64Schema = Schema((0..<4).map { Field("c\($0)", .int64) })

  /// The schema of the string data: columns s0 and s1.
  static let stringSchema = Schema((0..<2).map { Field("s\($0)", .string) })

  /// A batch of `rows` rows of 4 int64 columns: column k holds `i * (k + 1)` at row i.
  static func int64Batch(rows: Int) -> RecordBatch {
    let columns: [any ArrowArray] = (0..<4).map { column in
      let values = Buffer(unsafeUninitializedCount: rows * 8) { memory in
        let typed = memory.bindMemory(to: Int64.self)
        for row in 0..<rows { typed[row] = Int64(row * (column + 1)) }
      }
      return Int64Array(length: rows, values: values)
    }
    return try! RecordBatch(schema: int64Schema, columns: columns)
  }

  private static let alphabet = Array("abcdefghijklmnopqrstuvwxyz012345".utf8)

  /// The length of the string at `row` of column `column`: 16 to 24 bytes.
  static func stringLength(row: Int, column: Int) -> Int { 16 + (row * 7 + column * 3) % 9 }

  /// A batch of `rows` rows of 2 string columns: byte j of the string at row i of column k
  /// is `alphabet[(i + j + k) % 32]`.
  static func stringBatch(rows: Int) -> RecordBatch {
    let columns: [any ArrowArray] = (0..<2).map { column in
      var total = 0
      for row in 0..<rows { total += stringLength(row: row, column: column) }
      let offsets = Buffer(unsafeUninitializedCount: (rows + 1) * 4) { memory in
        let typed = memory.bindMemory(to: Int32.self)
        var offset = 0
        typed[0] = 0
        for row in 0..<rows {
          offset += stringLength(row: row, column: column)
          typed[row + 1] = Int32(offset)
        }
      }
      let bytes = Buffer(unsafeUninitializedCount: total) { memory in
        var position = 0
        for row in 0..<rows {
          for index in 0..<stringLength(row: row, column: column) {
            memory[position] = alphabet[(row + index + column) % 32]
            position += 1
          }
        }
      }
      let data = ArrayData(type: .string, length: rows, nullCount: 0, buffers: [nil, offsets, bytes])
      return StringArray(unchecked: data)
    }
    return try! RecordBatch(schema: stringSchema, columns: columns)
  }

  /// How many batches of `batchBytes` bytes make `totalBytes`, rounded to the nearest (at least 1).
  static func batchCount(totalBytes: Int, batchBytes: Int) -> Int {
    max(1, Int((Double(totalBytes) / Double(batchBytes)).rounded()))
  }

  /// The DoGet ticket that asks a benchmark server for `totalBytes` in batches of `rows` rows.
  static func ticket(totalBytes: Int, rows: Int) -> String { "bench:\(totalBytes):\(rows)" }

  /// Parses a ticket made by ``ticket(totalBytes:rows:)``.
  static func parseTicket(_ bytes: [UInt8]) -> (totalBytes: Int, rows: Int)? {
    let parts = String(decoding: bytes, as: UTF8.self).split(separator: ":")
    guard parts.count == 3, parts[0] == "bench", let total = Int(parts[1]), let rows = Int(parts[2]), total > 0,
      rows > 0
    else { return nil }
    return (total, rows)
  }
}
