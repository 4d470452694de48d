internal import ArrowCore
internal import Testing

/// The message of the error `body` throws, or `nil`.
func validationMessage(_ data: ArrayData) -> String? {
  do {
    try data.validate()
    return nil
  } catch {
    return error.description
  }
}

func int32Buffer(_ values: [Int32]) -> Buffer {
  Buffer(copying: values.flatMap { value in withUnsafeBytes(of: value.littleEndian) { Array($0) } })
}

@Suite struct ValidationTests {
  @Test func shortDataBuffer() {
    let data = ArrayData(type: .int64, length: 2, buffers: [nil, Buffer.zeroed(count: 8)])
    #expect(
      validationMessage(data)
        == "invalid: int64 array: data buffer has 8 bytes, needs at least 16 for offset 0 + length 2")
  }

  @Test func wrongBufferCount() {
    let data = ArrayData(type: .string, length: 0, buffers: [nil])
    #expect(validationMessage(data)?.contains("expected 3 buffers, got 1") == true)
  }

  @Test func nullCountMismatch() {
    let data = ArrayData(
      type: .int8, length: 2, nullCount: 0, buffers: [Bitmap.buffer(from: [true, false]), Buffer.zeroed(count: 2)])
    #expect(validationMessage(data)?.contains("null count 0 differs from the validity bitmap's 1 nulls") == true)
  }

  @Test func decreasingOffsets() {
    let data = ArrayData(
      type: .string, length: 2, buffers: [nil, int32Buffer([0, 3, 1]), Buffer(copying: Array("abc".utf8))])
    #expect(validationMessage(data)?.contains("offsets decrease: offset 2 (1) is less than offset 1 (3)") == true)
  }

  @Test func offsetsBeyondData() {
    let data = ArrayData(type: .binary, length: 1, buffers: [nil, int32Buffer([0, 9]), Buffer(copying: [1, 2])])
    #expect(validationMessage(data)?.contains("last offset 9 is beyond the data buffer size 2") == true)
  }

  @Test func invalidUTF8() {
    let data = ArrayData(
      type: .string, length: 2, buffers: [nil, int32Buffer([0, 1, 3]), Buffer(copying: [0x61, 0xC3, 0x28])])
    #expect(validationMessage(data)?.contains("invalid UTF-8 in slot 1") == true)
    // Valid as a whole, but slot 1 starts inside "é".
    let split = ArrayData(
      type: .string, length: 2, buffers: [nil, int32Buffer([0, 1, 2]), Buffer(copying: [0xC3, 0xA9])])
    #expect(validationMessage(split)?.contains("starts inside a multi-byte character") == true)
  }

  @Test func listOffsetsBeyondChild() {
    let child = Int32Array([1, 2]).data
    let data = ArrayData(type: .list(of: .int32), length: 1, buffers: [nil, int32Buffer([0, 3])], children: [child])
    #expect(validationMessage(data)?.contains("last offset 3 is beyond the values length 2") == true)
  }

  @Test func childErrorsNameTheChild() {
    let badChild = ArrayData(type: .int32, length: 2, buffers: [nil, Buffer.zeroed(count: 4)])
    let data = ArrayData(type: .struct([Field("a", .int32)]), length: 1, buffers: [nil], children: [badChild])
    #expect(validationMessage(data)?.contains("child 0 (a)") == true)
    let wrongType = ArrayData(
      type: .struct([Field("a", .int64)]), length: 1, buffers: [nil], children: [Int32Array([1]).data])
    #expect(validationMessage(wrongType)?.contains("child 0 (a) has type int32, expected int64") == true)
  }

  @Test func dictionaryIndexOutOfRange() {
    let data = ArrayData(
      type: .dictionary(index: .int32, value: .string, ordered: false), length: 2,
      buffers: [nil, int32Buffer([0, 5])],
      dictionary: StringArray(["a", "b"]).data)
    #expect(validationMessage(data)?.contains("slot 1 has index 5, outside the dictionary of length 2") == true)
  }

  @Test func unionBadTypeId() {
    let data = ArrayData(
      type: .union(.sparse, [Field("a", .int32)]), length: 1, buffers: [Buffer(copying: [3])],
      children: [Int32Array([1]).data])
    #expect(validationMessage(data)?.contains("slot 0 has type id 3") == true)
  }

  @Test func runEndsNotIncreasing() {
    let data = ArrayData(
      type: .runEndEncoded(runEnds: .int32, values: .int64), length: 3, buffers: [],
      children: [Int32Array([2, 2]).data, Int64Array([1, 2]).data])
    #expect(validationMessage(data)?.contains("run ends are not strictly increasing") == true)
    let short = ArrayData(
      type: .runEndEncoded(runEnds: .int32, values: .int64), length: 5, buffers: [],
      children: [Int32Array([2, 3]).data, Int64Array([1, 2]).data])
    #expect(validationMessage(short)?.contains("does not cover") == true)
  }

  @Test func viewsOutOfBounds() {
    let good = StringViewArray(["a string longer than twelve bytes"]).data
    let bad = ArrayData(type: .stringView, length: 1, buffers: [nil, good.buffers[1], Buffer(copying: [1, 2])])
    #expect(validationMessage(bad)?.contains("outside data buffer 0") == true)
  }

  @Test func typedInitRejectsWrongType() {
    #expect(throws: ArrowError.typeMismatch("GenericStringArray<Int32> cannot hold an array of type int64")) {
      try StringArray(Int64Array([1]).data)
    }
  }
}

@Suite struct IPCShapedDataTests {
  @Test func emptyValidityBufferMeansNoNulls() throws {
    let data = ArrayData(type: .int32, length: 2, nullCount: 0, buffers: [Buffer(), int32Buffer([1, 2])])
    try data.validate()
    #expect(data.validity == nil)
    #expect(Int32Array(unchecked: data) == Int32Array([1, 2]))
    let lying = ArrayData(type: .int32, length: 2, nullCount: 1, buffers: [Buffer(), int32Buffer([1, 2])])
    #expect(validationMessage(lying)?.contains("null count 1 but no validity bitmap") == true)
  }

  @Test func arraysViewForeignMemoryWithoutCopying() throws {
    // A received message: one foreign block holding a misaligned int32 body.
    let block = UnsafeMutableRawPointer.allocate(byteCount: 9, alignment: 8)
    for index in 0..<9 { block.storeBytes(of: UInt8(index), toByteOffset: index, as: UInt8.self) }
    nonisolated(unsafe) let owned = block
    let message = Buffer(unsafeForeignMemory: UnsafeRawPointer(block), count: 9) { owned.deallocate() }
    let body = message.slice(1..<9)
    let array = try Int32Array(ArrayData(type: .int32, length: 2, buffers: [nil, body]))
    #expect(array[0] == 0x0403_0201)
    #expect(array.valuesBuffer.isIdentical(to: body))
  }
}

@Suite struct UnionValidationTests {
  @Test func denseOffsetsMustIncreasePerChild() {
    let bad = UnionArray(
      denseTypeIds: [0, 0], offsets: [1, 0], children: [("i", Int32Array([1, 2]))])
    #expect(validationMessage(bad.data)?.contains("below an earlier 1") == true)
    let shared = UnionArray(denseTypeIds: [0, 0], offsets: [1, 1], children: [("i", Int32Array([1, 2]))])
    #expect(validationMessage(shared.data) == nil)
  }
}
