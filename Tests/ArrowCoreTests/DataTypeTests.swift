internal import ArrowCore
internal import Testing

@Suite struct DataTypeTests {
  @Test func pyarrowNames() {
    let cases: [(DataType, String)] = [
      (.int64, "int64"), (.uint8, "uint8"), (.float16, "halffloat"), (.float32, "float"), (.float64, "double"),
      (.string, "string"), (.largeBinary, "large_binary"), (.stringView, "string_view"),
      (.decimal128(precision: 10, scale: 2), "decimal128(10, 2)"),
      (.date32, "date32[day]"), (.date64, "date64[ms]"), (.time32(.second), "time32[s]"),
      (.time64(.nanosecond), "time64[ns]"), (.timestamp(.millisecond, "UTC"), "timestamp[ms, tz=UTC]"),
      (.timestamp(.microsecond, nil), "timestamp[us]"), (.duration(.second), "duration[s]"),
      (.interval(.monthDayNano), "month_day_nano_interval"), (.fixedSizeBinary(4), "fixed_size_binary[4]"),
      (.list(of: .int32), "list<item: int32>"),
      (.largeList(Field("item", .int32, nullable: false)), "large_list<item: int32 not null>"),
      (.fixedSizeList(Field("item", .int32), 3), "fixed_size_list<item: int32>[3]"),
      (.struct([Field("a", .int32), Field("b", .string)]), "struct<a: int32, b: string>"),
      (.map(key: .string, item: .int32), "map<string, int32>"),
      (.map(key: .string, item: .int32, keysSorted: true), "map<string, int32, keys_sorted>"),
      (.union(.sparse, [Field("a", .int32), Field("b", .string)]), "sparse_union<a: int32=0, b: string=1>"),
      (
        .dictionary(index: .int32, value: .string, ordered: false),
        "dictionary<values=string, indices=int32, ordered=0>"
      ),
      (.runEndEncoded(runEnds: .int32, values: .string), "run_end_encoded<run_ends: int32, values: string>"),
    ]
    for (type, name) in cases {
      #expect(type.description == name)
    }
  }

  @Test func widthsAndLayouts() {
    #expect(DataType.bool.bitWidth == 1)
    #expect(DataType.bool.byteWidth == nil)
    #expect(DataType.decimal256(precision: 40, scale: 2).byteWidth == 32)
    #expect(DataType.interval(.monthDayNano).byteWidth == 16)
    #expect(DataType.string.byteWidth == nil)
    #expect(DataType.string.bufferLayout == [.validity, .offsets32, .data])
    #expect(DataType.union(.dense, [Field("a", .int8)]).bufferLayout == [.typeIds, .unionOffsets])
    #expect(DataType.list(of: .int8).isNested)
    #expect(!DataType.dictionary(index: .int8, value: .string, ordered: false).isNested)
    #expect(DataType.null.layoutDescription == "no buffers")
  }

  @Test func typeValidation() {
    #expect(throws: ArrowError.self) { try DataType.decimal32(precision: 10, scale: 2).validate() }
    #expect(throws: ArrowError.self) { try DataType.time32(.nanosecond).validate() }
    #expect(throws: ArrowError.self) {
      try DataType.dictionary(index: .string, value: .string, ordered: false).validate()
    }
    #expect(throws: ArrowError.self) { try DataType.runEndEncoded(runEnds: .int8, values: .string).validate() }
    #expect(throws: Never.self) { try DataType.map(key: .string, item: .int64).validate() }
  }

  @Test func schemaLookupsAndMetadata() {
    var metadata: KeyValueMetadata = ["b": "2", "a": "1"]
    #expect(metadata.map(\.key) == ["b", "a"])
    metadata["c"] = "3"
    #expect(metadata["c"] == "3")
    let schema = Schema(
      [Field("x", .int64), Field("y", .string, nullable: false), Field("x", .bool)], metadata: metadata)
    #expect(schema.field(named: "y")?.type == .string)
    #expect(schema.index(of: "x") == 0)
    #expect(schema.indices(of: "x") == [0, 2])
    #expect(
      schema.description == "x: int64\ny: string not null\nx: bool\n-- schema metadata --\nb: '2'\na: '1'\nc: '3'")
  }

  @Test func schemaRendersLikePyarrow() {
    let item = DataType.struct([Field("x", .int64), Field("y", .list(of: .string))])
    let schema = Schema(
      [
        Field("l", .list(of: item), nullable: false, metadata: ["fk": "fv"]),
        Field("m", .map(key: .string, item: .int64)),
        Field("r", .runEndEncoded(runEnds: .int32, values: .string)),
        Field("d", .dictionary(index: .int32, value: .string, ordered: false)),
      ], metadata: ["k": "v"])
    // The text pyarrow 26 prints for the same schema.
    let expected = """
      l: list<item: struct<x: int64, y: list<item: string>>> not null
        child 0, item: struct<x: int64, y: list<item: string>>
            child 0, x: int64
            child 1, y: list<item: string>
                child 0, item: string
        -- field metadata --
        fk: 'fv'
      m: map<string, int64>
        child 0, entries: struct<key: string not null, value: int64> not null
            child 0, key: string not null
            child 1, value: int64
      r: run_end_encoded<run_ends: int32, values: string>
        child 0, run_ends: int32 not null
        child 1, values: string
      d: dictionary<values=string, indices=int32, ordered=0>
      -- schema metadata --
      k: 'v'
      """
    #expect(schema.description == expected)
  }

  @Test func floatsPrintLikePyarrow() {
    let array = Float64Array([1e20, 0.1, 1e-7, 123456789.5, 2, .nan])
    #expect((0..<6).map { array.formatSlot($0) } == ["1e+20", "0.1", "1e-7", "123456789.5", "2", "nan"])
  }
}

@Suite struct EquivalenceTests {
  @Test func pyarrowEqualitySemantics() {
    // As pyarrow 26: list child names and field metadata do not count, nullability does.
    #expect(DataType.list(Field("x", .int32)).isEquivalent(to: .list(of: .int32)))
    #expect(DataType.list(Field("item", .int32, metadata: ["a": "b"])).isEquivalent(to: .list(of: .int32)))
    #expect(!DataType.list(Field("item", .int32, nullable: false)).isEquivalent(to: .list(of: .int32)))
    #expect(!DataType.struct([Field("a", .int32)]).isEquivalent(to: .struct([Field("b", .int32)])))
    #expect(
      DataType.struct([Field("a", .int32, metadata: ["k": "v"])]).isEquivalent(to: .struct([Field("a", .int32)])))
    let rustMap = DataType.map(
      Field("entries", .struct([Field("keys", .string, nullable: false), Field("values", .int64)]), nullable: false),
      keysSorted: false)
    #expect(rustMap.isEquivalent(to: .map(key: .string, item: .int64)))
    #expect(rustMap != .map(key: .string, item: .int64))
  }

  @Test func arraysWithDifferentlyNamedChildrenAreEqual() {
    let a = ListArray([[1, 2]], of: Int64Array.self)
    let b = ListArray(values: Int64Array([1, 2]), offsets: [0, 2], field: Field("element", .int64))
    #expect(a.data == b.data)
  }
}
