// Whole-table traversals cost O(rows + chunks): chunk visits counted (no timing) on a table
// of 100,000 chunks, where a quadratic path would make billions.

@_spi(Testing) internal import ArrowCore
internal import Testing

/// A table of `rows` rows: column `a` in chunks of one row, column `b` in chunks of three
/// (so batch boundaries come from both), every chunk a slice of one array.
func manyChunkTable(rows: Int = 100_000) throws -> Table {
  let values = Int64Array((0..<Int64(rows)).map { $0 })
  func chunks(_ size: Int) -> [any ArrowArray] {
    stride(from: 0, to: rows, by: size).map { values.sliceErased(offset: $0, length: min(size, rows - $0)) }
  }
  return try Table(
    schema: Schema([Field("a", .int64), Field("b", .int64)]),
    columns: [ChunkedArray(chunks(1), type: .int64), ChunkedArray(chunks(3), type: .int64)])
}

@Suite(.enabled(if: ChunkVisits.isAvailable, "chunk visits are counted in debug builds only"))
struct TraversalCostTests {
  static let rows = 100_000
  /// The chunks of the table: 100,000 in `a` plus 33,334 in `b`.
  static let chunks = rows + (rows + 2) / 3

  @Test func toBatchesVisitsEachChunkOnce() throws {
    let table = try manyChunkTable()
    let (batches, visits) = ChunkVisits.counting { table.toBatches() }
    #expect(batches.count == Self.rows)
    #expect(batches.last?.column(at: 1).length == 1)
    #expect(visits <= 4 * Self.chunks, "\(visits) visits for \(Self.chunks) chunks")
    #expect(visits >= Self.chunks, "the counter counts")
    let (rebuilt, buildVisits) = try ChunkVisits.counting { try Table(batches: batches) }
    #expect(rebuilt.length == Self.rows)
    #expect(buildVisits <= 4 * Self.rows)
  }

  @Test func slicingVisitsOnlyTheChunksItKeeps() throws {
    let column = try manyChunkTable().column(at: 0)
    let (sum, visits) = ChunkVisits.counting {
      stride(from: 0, to: Self.rows - 5, by: 100).reduce(0) { $0 + column.slice(offset: $1, length: 5).length }
    }
    let slices = (Self.rows - 5 + 99) / 100
    #expect(sum == 5 * slices)
    // A binary search (17 steps) plus the 5 chunks kept, plus the 5 of the new array.
    #expect(visits <= slices * 30, "\(visits) visits for \(slices) slices")
    let (value, locateVisits) = ChunkVisits.counting { column.value(at: 76_543, as: Int64Array.self) }
    #expect(value == 76_543)
    #expect(locateVisits <= 20)
  }

  @Test func equalityWalksBothChunkListsOnce() throws {
    let table = try manyChunkTable()
    let single = try table.combineChunks()
    let (equal, visits) = ChunkVisits.counting { table == single && single == table && table == table }
    #expect(equal)
    #expect(visits <= 4 * 3 * Self.chunks, "\(visits) visits")
    let shifted = ChunkVisits.counting {
      table.slice(offset: 1, length: Self.rows - 1) == single.slice(offset: 0, length: Self.rows - 1)
    }
    #expect(!shifted.result)
    #expect(shifted.visits <= 4 * Self.chunks)
  }

  @Test func concatenationAndPrintingVisitEachChunkOnce() throws {
    let table = try manyChunkTable()
    let (doubled, visits) = try ChunkVisits.counting { try Table.concatenate([table, table]) }
    #expect(doubled.length == 2 * Self.rows)
    #expect(visits <= 2 * 2 * Self.chunks)
    let (text, printVisits) = ChunkVisits.counting { table.description }
    #expect(text.hasPrefix("pyarrow.Table"))
    #expect(printVisits <= 2 * Self.chunks)
    let (bytes, countVisits) = ChunkVisits.counting { table.bufferByteCount }
    #expect(bytes > 0)
    #expect(countVisits <= Self.chunks)
  }
}
