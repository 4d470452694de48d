// The FlatBuffers builder and reader on their own: layout, defaults, vectors, unions, vtables.

internal import ArrowCore
internal import Testing

@testable internal import ArrowIPC

@Suite struct FlatBufferTests {
  @Test func tinySchemaMessageHasHandCheckedBytes() throws {
    let message = IPCMessage(version: .v5, header: .schema(IPCSchema(fields: [])), bodyLength: 0)
    let bytes = message.flatBuffer()
    // Checked by hand against the FlatBuffers layout rules:
    let expected: [UInt8] = [
      0x10, 0, 0, 0,  // root uoffset -> Message table at 16
      0, 0,  // padding so the total is a multiple of 8
      0x0A, 0, 0x0C, 0, 0x0A, 0, 0x09, 0, 0x04, 0,  // Message vtable at 6: size 10, table 12, slots 10, 9, 4
      0x0A, 0, 0, 0,  // Message table at 16: soffset 10 -> vtable at 6
      0x10, 0, 0, 0,  // slot 2 (header) at 20: uoffset 16 -> Schema table at 36
      0x00,  // padding
      0x01,  // slot 1 (header_type) at 25: Schema
      0x04, 0,  // slot 0 (version) at 26: V5
      0x08, 0, 0x08, 0, 0, 0, 0x04, 0,  // Schema vtable at 28: size 8, table 8, endianness absent, fields at 4
      0x08, 0, 0, 0,  // Schema table at 36: soffset 8 -> vtable at 28
      0x04, 0, 0, 0,  // slot 1 (fields) at 40: uoffset 4 -> vector at 44
      0, 0, 0, 0,  // empty fields vector
    ]
    #expect(bytes == expected)
    let decoded = try IPCMessage(flatBuffer: Buffer(copying: bytes))
    #expect(decoded == message)
  }

  @Test func scalarsDefaultsStringsAndVectors() throws {
    var builder = FlatBufferBuilder(capacity: 1)  // forces growth
    let text = builder.createString("héllo, wörld")
    let bytes = builder.createVector([UInt8](0..<7))
    let shorts = builder.createVector([Int16.min, -1, 0, Int16.max])
    let longs = builder.createVector([Int64.min, 0, Int64.max])
    let strings = builder.createStringVector(["a", "", "ccc"])
    builder.startTable()
    builder.add(slot: 0, Int8(-5))
    builder.add(slot: 1, UInt16(65000), default: 0)
    builder.add(slot: 2, Int32(7), default: 7)  // omitted: equal to its default
    builder.add(slot: 3, Int64.min, default: 0)
    builder.add(slot: 4, true, default: false)
    builder.addOffset(slot: 5, text)
    builder.addOffset(slot: 6, bytes)
    builder.addOffset(slot: 7, shorts)
    builder.addOffset(slot: 8, longs)
    builder.addOffset(slot: 9, strings)
    builder.add(slot: 11, Double(1.5).bitPattern)
    let root = builder.endTable()
    let result = builder.finish(root: root)
    #expect(result.count % 8 == 0)

    let table = try FlatBufferReader(Buffer(copying: result)).rootTable()
    #expect(try table.scalar(0, default: Int8(0)) == -5)
    #expect(try table.scalar(1, default: UInt16(0)) == 65000)
    #expect(!table.has(2))
    #expect(try table.scalar(2, default: Int32(7)) == 7)
    #expect(try table.scalar(3, default: Int64(0)) == Int64.min)
    #expect(try table.bool(4, default: false))
    #expect(try table.string(5) == "héllo, wörld")
    #expect(try table.scalarVector(6, of: UInt8.self) == [0, 1, 2, 3, 4, 5, 6])
    #expect(try table.scalarVector(7, of: Int16.self) == [Int16.min, -1, 0, Int16.max])
    #expect(try table.scalarVector(8, of: Int64.self) == [Int64.min, 0, Int64.max])
    #expect(try table.stringVector(9) == ["a", "", "ccc"])
    #expect(try table.string(10) == nil)
    #expect(try Double(bitPattern: table.scalar(11, default: UInt64(0))) == 1.5)
    #expect(try table.scalar(40, default: Int16(-3)) == -3)  // slot past the vtable: default
  }

  @Test func alignmentHoldsFromTheStart() throws {
    // 8-byte vectors and scalars must be 8-aligned relative to the buffer's start.
    var builder = FlatBufferBuilder()
    let odd = builder.createString("abc")
    let longs = builder.createVector([Int64(1), 2, 3])
    builder.startTable()
    builder.add(slot: 0, UInt8(1))
    builder.add(slot: 1, Int64(9))
    builder.addOffset(slot: 2, odd)
    builder.addOffset(slot: 3, longs)
    let root = builder.endTable()
    let bytes = builder.finish(root: root)
    let table = try FlatBufferReader(Buffer(copying: bytes)).rootTable()
    #expect(try table.fieldPosition(1, size: 8)! % 8 == 0)
    let vector = try #require(try table.vector(3, elementSize: 8))
    #expect(vector.start % 8 == 0)
    #expect(table.position % 4 == 0)
  }

  @Test func identicalVtablesAreShared() throws {
    var builder = FlatBufferBuilder()
    var tables: [FBOffset] = []
    for value in 1...3 {
      builder.startTable()
      builder.add(slot: 0, Int32(value))
      tables.append(builder.endTable())
    }
    let vector = builder.createOffsetVector(tables)
    builder.startTable()
    builder.addOffset(slot: 0, vector)
    let root = builder.endTable()
    let bytes = builder.finish(root: root)
    let table = try FlatBufferReader(Buffer(copying: bytes)).rootTable()
    let list = try #require(try table.tableVector(0))
    let children = try (0..<list.count).map { try list.table(at: $0) }
    #expect(try children.map { try $0.scalar(0, default: Int32(0)) } == [1, 2, 3])
    // Alignment padding can make one table's inline size differ, but vtables are reused.
    #expect(Set(children.map(\.vtable)).count < 3)
    // The later tables point at a vtable written before them (a negative soffset).
    #expect(children.contains { $0.vtable > $0.position })
  }

  @Test func unionsReadTypeAndValue() throws {
    var builder = FlatBufferBuilder()
    let member = builder.createType(.fixedSizeBinary(byteWidth: 12))
    builder.startTable()
    builder.add(slot: 0, TypeTag.fixedSizeBinary.rawValue)
    builder.addOffset(slot: 1, member)
    let root = builder.endTable()
    let bytes = builder.finish(root: root)
    let table = try FlatBufferReader(Buffer(copying: bytes)).rootTable()
    let (type, value) = try table.union(typeSlot: 0)
    #expect(type == TypeTag.fixedSizeBinary.rawValue)
    #expect(try decodeType(number: type, table: value) == .fixedSizeBinary(byteWidth: 12))
    #expect(value?.depth == 1)
  }

  @Test func readsAMisalignedBuffer() throws {
    let bytes = sampleMessageBytes()
    // Put the flatbuffer at an odd address: every load is unaligned.
    let shifted = Buffer(copying: [0xAA] + bytes).slice(1..<(bytes.count + 1))
    #expect(!shifted.isAligned(to: 2))
    let decoded = try IPCMessage(flatBuffer: shifted)
    #expect(decoded == IPCMessage(header: .schema(sampleSchema()), bodyLength: 0))
  }
}
