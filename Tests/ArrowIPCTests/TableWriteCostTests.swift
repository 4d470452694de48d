// Writing and reading a table of 100,000 chunks as IPC costs O(chunks): chunk visits counted
// (no timing). The file writer takes a table the same way (`write(_ table:)` walks
// `toBatches()`), and the file reader's `readTable()` builds it with `Table(batches:)`, whose
// cost ArrowCoreTests count; the stream is checked here, once, to keep this test short.

@_spi(Testing) internal import ArrowCore
internal import ArrowIPC
internal import Testing

@Suite(.enabled(if: ChunkVisits.isAvailable, "chunk visits are counted in debug builds only"))
struct TableWriteCostTests {
  @Test func streamWritingAndReadingOfATableVisitEachChunkOnce() throws {
    let rows = 100_000
    let values = Int64Array((0..<Int64(rows)).map { $0 })
    let chunks = (0..<rows).map { values.sliceErased(offset: $0, length: 1) }
    let table = try Table(schema: Schema([Field("a", .int64)]), columns: [ChunkedArray(chunks, type: .int64)])

    let (stream, streamVisits) = try ChunkVisits.counting { () throws(ArrowError) -> Buffer in
      let writer = try IPCStreamWriter(schema: table.schema)
      try writer.write(table)
      return try writer.finish()
    }
    #expect(streamVisits <= 4 * rows, "\(streamVisits) visits writing \(rows) chunks")
    var reader = try IPCStreamReader(stream)
    let (read, readVisits) = try ChunkVisits.counting { try reader.readTable() }
    #expect(read.length == rows)
    #expect(readVisits <= 4 * rows)
  }
}
