internal import ArrowCore
internal import Testing

@Suite struct BuilderTests {
  @Test func primitivesAndStrings() throws {
    let numbers = Int64Builder()
    numbers.append(1)
    numbers.appendNull()
    numbers.append(contentsOf: [3, 4])
    let array = numbers.finish()
    #expect(array == Int64Array([1, nil, 3, 4]))
    #expect(numbers.length == 0)
    let strings = StringBuilder()
    strings.append("a")
    strings.append(nil as String?)
    strings.append("ü")
    #expect(strings.finish() == StringArray(["a", nil, "ü"]))
    let binary = LargeBinaryBuilder()
    binary.append([1, 2])
    #expect(binary.finish()[0] == [1, 2])
    let booleans = BooleanBuilder()
    booleans.append(true)
    booleans.appendNull()
    #expect(booleans.finish() == [true, nil])
  }

  @Test func listOfStruct() throws {
    let points = StructBuilder([("x", Int32Builder()), ("label", StringBuilder())])
    let lists = ListBuilder(values: points)
    for (x, label) in [(1, "a"), (2, "b")] {
      points.field(at: 0, as: Int32Builder.self).append(Int32(x))
      points.field(at: 1, as: StringBuilder.self).append(label)
      points.append()
    }
    lists.append()
    lists.appendNull()
    points.appendNull()
    lists.append()
    let array = lists.finish()
    try array.validate()
    #expect(array.type.description == "list<item: struct<x: int32, label: string>>")
    #expect(array.formatSlot(0) == "[{x: 1, label: \"a\"},{x: 2, label: \"b\"}]")
    #expect(array[1] == nil)
    #expect(array.formatSlot(2) == "[null]")
  }

  @Test func mapsAndFixedSizeLists() throws {
    let maps = MapBuilder(keys: StringBuilder(), items: Int64Builder())
    maps.keys.append("a")
    maps.items.append(1)
    maps.append()
    maps.appendNull()
    let map = maps.finish()
    try map.validate()
    #expect(map.formatSlot(0) == "{\"a\": 1}")
    let fixed = FixedSizeListBuilder(values: Float64Builder(), listSize: 2)
    fixed.values.append(contentsOf: [1, 2])
    fixed.append()
    fixed.appendNull()
    let pairs = fixed.finish()
    try pairs.validate()
    #expect(pairs.formatSlot(0) == "[1,2]")
    #expect(pairs[1] == nil)
  }

  @Test func dictionaryAndDecimalBuilders() throws {
    let colors = StringDictionaryBuilder()
    for color in ["red", "blue", nil, "red"] { colors.append(color) }
    let encoded = colors.finish()
    try encoded.validate()
    #expect(encoded == DictionaryArray(encoding: ["red", "blue", nil, "red"]))
    #expect(encoded.dictionary.length == 2)
    let decimals = DecimalBuilder(type: .decimal64(precision: 10, scale: 3))
    decimals.append(ArrowDecimal("1.5"))
    decimals.appendNull()
    #expect(decimals.finish().formatSlot(0) == "1.500")
  }

  @Test func builderFactory() throws {
    let type = DataType.struct([
      Field("a", .list(of: .timestamp(.second, nil))), Field("b", .map(key: .string, item: .bool)),
    ])
    let builder = try makeBuilder(for: type)
    builder.appendNull()
    let data = builder.finishData()
    #expect(data.type == type)
    try data.validate()
    #expect(throws: ArrowError.self) { try makeBuilder(for: .union(.sparse, [Field("a", .int8)])) }
  }
}

@Suite struct MoreBuilderTests {
  @Test func viewsAndFixedSizeBinary() throws {
    let strings = StringViewBuilder()
    strings.append("short")
    strings.append(nil as String?)
    strings.append("a string longer than twelve bytes")
    let views = strings.finish()
    try views.validate()
    #expect(views == StringViewArray(["short", nil, "a string longer than twelve bytes"]))
    let binary = BinaryViewBuilder()
    binary.append(Array(repeating: 1, count: 13))
    #expect(binary.finish()[0]?.count == 13)
    let fixed = FixedSizeBinaryBuilder(byteWidth: 3)
    fixed.append([1, 2, 3])
    fixed.appendNull()
    let array = fixed.finish()
    try array.validate()
    #expect(array == FixedSizeBinaryArray(byteWidth: 3, [[1, 2, 3], nil]))
  }

  @Test func runEndEncoding() throws {
    let encoded = try RunEndEncodedArray(encoding: StringArray(["a", "a", nil, nil, "b", "a"]))
    try encoded.validate()
    #expect(encoded.runEnds as? Int32Array == Int32Array([2, 4, 5, 6]))
    #expect(encoded.values as? StringArray == StringArray(["a", nil, "b", "a"]))
    #expect((0..<6).map { encoded.formatSlot($0) } == ["\"a\"", "\"a\"", "null", "null", "\"b\"", "\"a\""])
    let empty = try RunEndEncodedArray(encoding: Int64Array([]), runEndType: .int16)
    #expect(empty.length == 0)
    try empty.validate()
  }

  @Test func decimalPrecisionIsValidated() {
    let tooWide = DecimalArray(strings: ["12345"], type: .decimal128(precision: 4, scale: 0))
    #expect(throws: ArrowError.self) { try tooWide.validate() }
    let fits = DecimalArray(strings: ["-9999"], type: .decimal128(precision: 4, scale: 0))
    #expect(throws: Never.self) { try fits.validate() }
  }
}
