internal import ArrowCore
internal import Foundation
internal import Testing

@Suite struct ConvenienceTests {
  @Test func dates() {
    let day = Date(timeIntervalSince1970: 18262 * 86_400 + 3_600)
    let dates = Date32Array(dates: [day, nil])
    #expect(dates[0] == 18262)
    #expect(dates.date(at: 0) == Date(timeIntervalSince1970: 18262 * 86_400))
    let stamps = TimestampArray(dates: [Date(timeIntervalSince1970: 1.5), nil], unit: .millisecond, timeZone: "UTC")
    #expect(stamps[0] == 1_500)
    #expect(stamps.date(at: 0) == Date(timeIntervalSince1970: 1.5))
    #expect(stamps.date(at: 1) == nil)
    #expect(TimestampArray([-1], type: .timestamp(.second, nil)).date(at: 0) == Date(timeIntervalSince1970: -1))
    #expect(Date64Array([86_400_000]).date(at: 0) == Date(timeIntervalSince1970: 86_400))
  }

  @Test func bulkValuesOnMisalignedBuffers() {
    let bytes = Buffer(copying: [0] + (0..<24).map { UInt8($0) })
    let array = Int64Array(length: 3, values: bytes.slice(1..<25)).slice(offset: 1, length: 2)
    let sum = array.withUnsafeValues { $0.reduce(0, &+) }
    #expect(sum == 0x0F0E_0D0C_0B0A_0908 &+ 0x1716_1514_1312_1110)
    #expect(Int32Array([1, nil, 3]).values(replacingNullsWith: 0) == [1, 0, 3])
  }

  @Test func compaction() throws {
    let structs = StructArray([("a", Int64Array([1, 2, 3])), ("b", StringArray(["x", nil, "z"]))])
    #expect(structs.data.isCompact)
    #expect(structs.data.compacted().buffers.count == structs.data.buffers.count)
    let slice = structs.slice(offset: 1, length: 2)
    #expect(!slice.data.isCompact)
    let compact = slice.data.compacted()
    #expect(compact.isCompact)
    #expect(compact.offset == 0)
    #expect(compact.children[0].length == 2)
    #expect(compact == slice.data)
    try compact.validate()
    let batch = try RecordBatch([("s", slice)])
    #expect(batch.compacted().columns[0].data.isCompact)
    #expect(batch.compacted() == batch)
  }

  @Test func columnOperations() throws {
    let batch = try RecordBatch([("a", Int64Array([1, 2])), ("b", StringArray(["x", "y"]))])
    #expect(try batch.select(["b", "a"]).schema.names == ["b", "a"])
    #expect(throws: ArrowError.self) { try batch.select(["c"]) }
    #expect(try batch.appending(Field("c", .bool), BooleanArray([true, false])).columnCount == 3)
    #expect(throws: ArrowError.self) { try batch.appending(Field("c", .bool), BooleanArray([true])) }
    #expect(batch.removing(columnAt: 0).schema.names == ["b"])
    let table = try Table(batches: [batch, batch])
    #expect(try table.renamingColumns(["x", "y"]).schema.names == ["x", "y"])
    #expect(try table.select(["b"]).column(at: 0).length == 4)
    #expect(table.removing(columnAt: 1).columnCount == 1)
    try table.validate()
  }
}
