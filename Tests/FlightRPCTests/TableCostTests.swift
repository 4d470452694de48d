// Serving a table of 100,000 chunks costs O(chunks): its FlightInfo and its DoGet stream,
// chunk visits counted (no timing).

@_spi(Testing) internal import ArrowCore
internal import FlightRPC
internal import Testing

@Suite(.enabled(if: ChunkVisits.isAvailable, "chunk visits are counted in debug builds only"))
struct TableCostTests {
  @Test func flightInfoAndStreamOfATableVisitEachChunkOnce() throws {
    let rows = 100_000
    let values = Int64Array((0..<Int64(rows)).map { $0 })
    let chunks = (0..<rows).map { values.sliceErased(offset: $0, length: 1) }
    let table = try Table(schema: Schema([Field("a", .int64)]), columns: [ChunkedArray(chunks, type: .int64)])

    let (info, infoVisits) = try ChunkVisits.counting {
      try FlightInfo(table: table, descriptor: .forPath(["t"]), endpoints: [])
    }
    #expect(info.totalRecords == Int64(rows))
    #expect(infoVisits <= 2 * rows, "\(infoVisits) visits for \(rows) chunks")

    let (stream, streamVisits) = ChunkVisits.counting { RecordBatchStream(table) }
    #expect(stream.schema == table.schema)
    #expect(streamVisits <= 4 * rows, "\(streamVisits) visits for \(rows) chunks")
    let (batches, batchVisits) = ChunkVisits.counting { table.toBatches() }
    #expect(batches.count == rows)
    #expect(batchVisits <= 4 * rows, "\(batchVisits) visits for \(rows) chunks")
  }
}
