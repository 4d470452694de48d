internal import ArrowCore
internal import Testing

@Suite struct PrimitiveArrayTests {
  @Test func constructionAndAccess() {
    let array = Int64Array([1, nil, 3])
    #expect(array.length == 3)
    #expect(array.nullCount == 1)
    #expect(array[0] == 1)
    #expect(array[1] == nil)
    #expect(Array(array) == [1, nil, 3])
    #expect(array.type == .int64)
    #expect(throws: Never.self) { try array.validate() }
    let literal: Float64Array = [1.5, nil]
    #expect(literal[0] == 1.5)
    let halves = Float16Array([1.5, nil])
    #expect(halves[0] == 1.5)
  }

  @Test func slicingWithOffsets() {
    let array = Int32Array([0, 1, nil, 3, 4])
    let slice = array.slice(offset: 1, length: 3)
    #expect(slice.offset == 1)
    #expect(Array(slice) == [1, nil, 3])
    #expect(slice.nullCount == 1)
    #expect(slice == Int32Array([1, nil, 3]))
    #expect(slice.valuesBuffer.isIdentical(to: array.valuesBuffer))
    #expect(slice.slice(offset: 2, length: 1) == Int32Array([3]))
  }

  @Test func equalityIgnoresNullSlotContent() {
    let values = Buffer(copying: [1, 0, 0, 0, 99, 0, 0, 0] as [UInt8])
    let validity = Bitmap.buffer(from: [true, false])
    let a = Int32Array(length: 2, values: values, validity: validity)
    #expect(a == Int32Array([1, nil]))
    #expect(a != Int32Array([1, 99]))
    #expect(Int32Array([1, 2]) != Int32Array([1, 2, 3]))
  }

  @Test func misalignedBuffersAreRead() {
    let bytes = Buffer(copying: [0] + (0..<16).map { UInt8($0) })
    let array = Int64Array(length: 2, values: bytes.slice(1..<17))
    #expect(array[0] == 0x0706_0504_0302_0100)
    #expect(array[1] == 0x0F0E_0D0C_0B0A_0908)
  }

  @Test func temporalValues() {
    let dates = Date32Array([0, 18262, nil])
    #expect(dates.formatSlot(1) == "2020-01-01")
    #expect(dates.civilDate(at: 1)! == (2020, 1, 1))
    let stamps = TimestampArray([1_577_836_800_123], type: .timestamp(.millisecond, "UTC"))
    #expect(stamps.formatSlot(0) == "2020-01-01 00:00:00.123Z")
    #expect(stamps.timeZone == "UTC")
    let times = Time64Array([3_661_000_000], type: .time64(.microsecond))
    #expect(times.formatSlot(0) == "01:01:01.000000")
    #expect(daysSinceEpoch(year: 2020, month: 1, day: 1) == 18262)
    #expect(Date64Array([-86_400_000]).formatSlot(0) == "1969-12-31")
    let intervals = MonthDayNanoIntervalArray([MonthDayNanoInterval(months: 1, days: 2, nanoseconds: 3)])
    #expect(intervals[0]?.days == 2)
    #expect(throws: Never.self) { try intervals.validate() }
  }
}

@Suite struct VariableArrayTests {
  @Test func strings() throws {
    let array = StringArray(["a", nil, "héllo", ""])
    #expect(Array(array) == ["a", nil, "héllo", ""])
    #expect(array.slice(offset: 2, length: 2) == StringArray(["héllo", ""]))
    #expect(LargeStringArray(["x", nil])[0] == "x")
    try array.validate()
  }

  @Test func binaryAndFixedSize() {
    let binary = BinaryArray([[1, 2], nil, []])
    #expect(binary[0] == [1, 2])
    #expect(binary[2] == [])
    #expect(binary.formatSlot(0) == "0102")
    let fixed = FixedSizeBinaryArray(byteWidth: 2, [[1, 2], nil, [3, 4]])
    #expect(fixed[2] == [3, 4])
    #expect(fixed.slice(offset: 1, length: 2)[1] == [3, 4])
  }

  @Test func views() throws {
    let strings = StringViewArray(["short", nil, "a string longer than twelve bytes"])
    #expect(Array(strings) == ["short", nil, "a string longer than twelve bytes"])
    try strings.validate()
    let binary = BinaryViewArray([[1], Array(repeating: 9, count: 20)])
    #expect(binary[1]?.count == 20)
    try binary.validate()
  }

  @Test func booleans() {
    let array = BooleanArray([true, nil, false, true])
    #expect(Array(array) == [true, nil, false, true])
    #expect(array.slice(offset: 1, length: 3) == [nil, false, true])
  }

  @Test func decimals() throws {
    #expect(ArrowDecimal("123.45")?.description == "123.45")
    #expect(ArrowDecimal("-0.05")?.description == "-0.05")
    #expect(ArrowDecimal(Int64(-12345), scale: 2).description == "-123.45")
    let big = "123456789012345678901234567890123456789012345678901234567890"
    #expect(ArrowDecimal(big)?.description == big)
    let array = DecimalArray(strings: ["1.5", nil, "-2.25"], type: .decimal128(precision: 10, scale: 2))
    #expect(array[0]?.description == "1.50")
    #expect(array[2]?.description == "-2.25")
    #expect(array[2]?.int128Value == -225)
    let wide = DecimalArray(strings: [big], type: .decimal256(precision: 76, scale: 0))
    #expect(wide[0]?.description == big)
    let small = DecimalArray(strings: ["-9.99"], type: .decimal32(precision: 3, scale: 2))
    #expect(small[0]?.description == "-9.99")
    try array.validate()
  }
}

@Suite struct NestedArrayTests {
  @Test func lists() throws {
    let lists = ListArray([[1, 2], nil, [], [3]], of: Int64Array.self)
    #expect(lists.length == 4)
    #expect(lists.nullCount == 1)
    #expect(lists.values(at: 0, as: Int64Array.self) == Int64Array([1, 2]))
    #expect(lists[1] == nil)
    #expect(lists[2]?.length == 0)
    #expect(lists.formatSlot(0) == "[1,2]")
    let slice = lists.slice(offset: 2, length: 2)
    #expect(slice == ListArray([[], [3]], of: Int64Array.self))
    try lists.validate()
    #expect(LargeListArray([["a"], nil], of: StringArray.self).formatSlot(0) == "[\"a\"]")
  }

  @Test func listViewsAndFixedSizeLists() throws {
    let values = Int32Array([1, 2, 3, 4])
    let views = ListViewArray(values: values, offsets: [2, 0], sizes: [2, 1])
    #expect(views.formatSlot(0) == "[3,4]")
    #expect(views.formatSlot(1) == "[1]")
    try views.validate()
    let fixed = FixedSizeListArray(values: values, listSize: 2, validity: [true, false])
    #expect(fixed.formatSlot(0) == "[1,2]")
    #expect(fixed[1] == nil)
    #expect(fixed.slice(offset: 1, length: 1).isNull(0))
    try fixed.validate()
  }

  @Test func structs() throws {
    let array = StructArray(
      [("a", Int64Array([1, 2, 3])), ("b", StringArray(["x", nil, "z"]))], validity: [true, true, false])
    #expect(array[2] == nil)
    #expect(array[0]?.value("b", as: StringArray.self) == "x")
    #expect(array.formatSlot(1) == "{a: 2, b: null}")
    let slice = array.slice(offset: 1, length: 2)
    #expect(slice.field(named: "a") as? Int64Array == Int64Array([2, 3]))
    #expect(slice[0]?.value("a", as: Int64Array.self) == 2)
    try array.validate()
  }

  @Test func maps() throws {
    let map = MapArray(
      keys: StringArray(["a", "b", "c"]), items: Int64Array([1, nil, 3]), offsets: [0, 2, 2, 3],
      validity: [true, false, true])
    #expect(map.formatSlot(0) == "{\"a\": 1, \"b\": null}")
    #expect(map[1] == nil)
    #expect(map[2]?.count == 1)
    #expect(map.type.description == "map<string, int64>")
    try map.validate()
  }

  @Test func unions() throws {
    let sparse = UnionArray(
      sparseTypeIds: [0, 1, 0], children: [("i", Int32Array([1, 0, nil])), ("s", StringArray(["", "x", ""]))])
    #expect(sparse.formatSlot(1) == "\"x\"")
    #expect(sparse.isLogicallyNull(2))
    try sparse.validate()
    let dense = UnionArray(
      denseTypeIds: [0, 1, 0], offsets: [0, 0, 1], children: [("i", Int32Array([1, 2])), ("s", StringArray(["x"]))])
    #expect((0..<3).map { dense.formatSlot($0) } == ["1", "\"x\"", "2"])
    #expect(dense.slice(offset: 1, length: 2).formatSlot(1) == "2")
    try dense.validate()
  }

  @Test func dictionaries() throws {
    let colors = DictionaryArray(encoding: ["red", "blue", nil, "red"])
    #expect(colors[3] == 0)
    #expect(colors.value(at: 1, as: StringArray.self) == "blue")
    #expect(colors.formatSlot(3) == "\"red\"")
    #expect(colors.type.description == "dictionary<values=string, indices=int32, ordered=0>")
    try colors.validate()
    let other = DictionaryArray(indices: Int8Array([1, 0, nil, 1]), dictionary: StringArray(["blue", "red"]))
    #expect(other.type != colors.type)
    let same = DictionaryArray(indices: Int32Array([1, 0, nil, 1]), dictionary: StringArray(["blue", "red"]))
    #expect(same == colors)
  }

  @Test func runEndEncoded() throws {
    let array = RunEndEncodedArray(runEnds: Int32Array([2, 3, 6]), values: StringArray(["a", nil, "b"]))
    #expect(array.length == 6)
    #expect((0..<6).map { array.formatSlot($0) } == ["\"a\"", "\"a\"", "null", "\"b\"", "\"b\"", "\"b\""])
    #expect(array.value(at: 4, as: StringArray.self) == "b")
    #expect(array.slice(offset: 1, length: 3).formatSlot(2) == "\"b\"")
    try array.validate()
  }

  @Test func nulls() throws {
    let array = NullArray(length: 3)
    #expect(array.nullCount == 3)
    #expect(Array(array).allSatisfy { $0 == nil })
    try array.validate()
  }

  @Test func typeErasedFactory() throws {
    let data = StringArray(["a"]).data
    let array = try makeValidatedArray(data)
    #expect(array is StringArray)
    #expect(throws: ArrowError.self) { try Int64Array(data) }
  }
}
