// Writing and reading a table of 100,000 chunks as IPC costs O(chunks): chunk visits counted
// (no timing).

@_spi(Testing) import ArrowCore
import ArrowIPC
import Testing

@Suite(.enabled(if: ChunkVisits.isAvailable, "chunk visits are counted in debug builds only"))
struct TableWriteCostTests {
  @Test func streamAndFileWritingOfATableVisitEachChunkOnce() throws {
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

    let (file, fileVisits) = try ChunkVisits.counting { () throws(ArrowError) -> Buffer in
      let writer = try IPCFileWriter(schema: table.schema)
      try writer.write(table)
      return try writer.finish()
    }
    #expect(fileVisits <= 4 * rows, "\(fileVisits) visits writing \(rows) chunks")
    let (loaded, loadVisits) = try ChunkVisits.counting { try IPCFileReader(file).readTable() }
    #expect(loaded.column(at: 0).chunks.count == rows)
    #expect(loadVisits <= 4 * rows)
  }
}
