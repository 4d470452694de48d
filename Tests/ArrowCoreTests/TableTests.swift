internal import ArrowCore
internal import Testing

@Suite struct TableTests {
  func makeBatch(_ ids: [Int64?], _ names: [String?]) throws -> RecordBatch {
    try RecordBatch([("id", Int64Array(ids)), ("name", StringArray(names))])
  }

  @Test func recordBatchBasics() throws {
    let batch = try makeBatch([1, 2, nil], ["a", nil, "c"])
    #expect(batch.length == 3)
    #expect(batch.column(named: "name", as: StringArray.self)?[2] == "c")
    #expect(batch.column(named: "missing") == nil)
    #expect(
      batch.description == """
        pyarrow.RecordBatch
        id: int64
        name: string
        ----
        id: [1,2,null]
        name: ["a",null,"c"]
        """)
    let slice = batch.slice(offset: 1, length: 2)
    #expect(slice == (try makeBatch([2, nil], [nil, "c"])))
    try batch.validate()
  }

  @Test func recordBatchRejectsMismatches() {
    #expect(throws: ArrowError.self) { try RecordBatch([("a", Int64Array([1])), ("b", Int64Array([1, 2]))]) }
    #expect(throws: ArrowError.self) {
      try RecordBatch(schema: Schema([Field("a", .int32)]), columns: [Int64Array([1])])
    }
    #expect(throws: ArrowError.self) {
      try RecordBatch(schema: Schema([Field("a", .int64, nullable: false)]), columns: [Int64Array([nil])])
    }
  }

  @Test func tableFromAndToBatches() throws {
    let first = try makeBatch([1, 2], ["a", "b"])
    let second = try makeBatch([3], [nil])
    let table = try Table(batches: [first, second])
    #expect(table.length == 3)
    #expect(table.column(named: "id")?.value(at: 2, as: Int64Array.self) == 3)
    #expect(table.toBatches() == [first, second])
    #expect(
      table.description == """
        pyarrow.Table
        id: int64
        name: string
        ----
        id: [[1,2],[3]]
        name: [["a","b"],[null]]
        """)
    let sliced = table.slice(offset: 1, length: 2)
    #expect(sliced.column(named: "name")?.description == "[[\"b\"],[null]]")
    #expect(sliced == (try Table(batches: [try makeBatch([2, 3], ["b", nil])])))
    let doubled = try Table.concatenate([table, table])
    #expect(doubled.length == 6)
    #expect(doubled.column(at: 0).chunks.count == 4)
    #expect(throws: ArrowError.self) { try Table(batches: []) }
    let empty = try Table(batches: [], schema: first.schema)
    #expect(empty.length == 0)
    #expect(empty.toBatches().isEmpty)
  }

  @Test func tableRejectsDifferentSchemas() throws {
    let first = try makeBatch([1], ["a"])
    let other = try RecordBatch([("id", Int32Array([1]))])
    #expect(throws: ArrowError.self) { try Table(batches: [first, other]) }
  }

  @Test func chunkedEqualityIgnoresChunking() throws {
    let a = try ChunkedArray([Int64Array([1, 2]), Int64Array([3])])
    let b = try ChunkedArray([Int64Array([1]), Int64Array([2, 3])])
    #expect(a == b)
    #expect(a.slice(offset: 1, length: 2) == (try ChunkedArray([Int64Array([2, 3])])))
  }

  @Test func arrayDescription() {
    #expect(Int64Array([1, nil]).description == "[\n  1,\n  null\n]")
    let long = Int64Array((0..<30).map { Int64($0) })
    #expect(long.description.contains("  ...\n"))
    #expect(long.inlineDescription.contains(",...,"))
  }
}
