// Record batches built in Swift with a column of every type, for the IPC round-trip tests.

internal import ArrowCore
internal import ArrowIPC

/// Ten rows of every Arrow type (nulls included), built with ArrowCore's constructors.
func allTypesBatch() throws -> RecordBatch {
  let n = 10
  func opt<T>(_ values: [T]) -> [T?] { values.enumerated().map { $0.offset % 4 == 1 ? nil : $0.element } }
  let ints = (0..<n).map { $0 * 3 - 7 }
  let strings = opt((0..<n).map { "s\($0)\(String(repeating: "é", count: $0))" })
  let item = Field("item", .int32)
  let listValues = Int32Array((0..<25).map { $0 % 6 == 5 ? nil : Int32($0) })
  let offsets: [Int32] = [0, 2, 2, 5, 6, 10, 10, 13, 20, 24, 25]
  let validity = (0..<n).map { $0 % 3 != 2 }
  let structColumn = StructArray(
    [("a", Int64Array(opt(ints.map { Int64($0) }))), ("b", StringArray(strings))], validity: validity)
  let mapKeys = StringArray((0..<12).map { "k\($0)" })
  let mapItems = Int64Array((0..<12).map { $0 % 5 == 0 ? nil : Int64($0) })
  let mapOffsets: [Int32] = [0, 1, 3, 3, 4, 6, 6, 8, 9, 11, 12]
  let sparse = UnionArray(
    sparseTypeIds: (0..<n).map { Int8($0 % 2 == 0 ? 5 : 9) },
    children: [("i", Int32Array(opt((0..<n).map { Int32($0) }))), ("s", StringArray(strings))], typeCodes: [5, 9])
  let dense = UnionArray(
    denseTypeIds: (0..<n).map { Int8($0 % 3 == 0 ? 0 : 1) }, offsets: (0..<n).map { Int32($0 / 2) },
    children: [("i", Int64Array((0..<n).map { Int64($0) })), ("s", StringArray(strings))])
  let dictionary = DictionaryArray(
    indices: Int16Array(opt((0..<n).map { Int16($0 % 3) })), dictionary: StringArray(["red", "green", "blue"]))
  let ree = RunEndEncodedArray(runEnds: Int32Array([2, 3, 7, 10]), values: StringArray(["a", nil, "b", "c"]))
  let columns: [(String, any ArrowArray)] = [
    ("null", NullArray(length: n)),
    ("bool", BooleanArray(opt((0..<n).map { $0 % 3 == 0 }))),
    ("i8", Int8Array(opt(ints.map { Int8($0) }))),
    ("i16", Int16Array(opt(ints.map { Int16($0 * 100) }))),
    ("i32", Int32Array(opt(ints.map { Int32($0 * 100_000) }))),
    ("i64", Int64Array(opt(ints.map { Int64($0) << 40 }))),
    ("u8", UInt8Array(opt((0..<n).map { UInt8($0 * 25) }))),
    ("u16", UInt16Array(opt((0..<n).map { UInt16($0 * 6000) }))),
    ("u32", UInt32Array(opt((0..<n).map { UInt32($0) * 400_000_000 }))),
    ("u64", UInt64Array(opt((0..<n).map { UInt64($0) << 60 }))),
    ("f16", Float16Array(opt((0..<n).map { Float16($0) / 4 }))),
    ("f32", Float32Array(opt((0..<n).map { Float($0) / 3 }))),
    ("f64", Float64Array(opt((0..<n).map { Double($0) / 7 }))),
    ("d32", DecimalArray(strings: opt((0..<n).map { "\($0 - 5).2\($0)" }), type: .decimal32(precision: 9, scale: 2))),
    (
      "d64",
      DecimalArray(strings: opt((0..<n).map { "\($0 * 1_000_000).25" }), type: .decimal64(precision: 18, scale: 2))
    ),
    (
      "d128",
      DecimalArray(
        strings: opt((0..<n).map { "-\($0)12345678901234567890.5" }), type: .decimal128(precision: 38, scale: 1))
    ),
    (
      "d256",
      DecimalArray(
        strings: opt((0..<n).map { "\($0)123456789012345678901234567890123456789.5" }),
        type: .decimal256(precision: 76, scale: 1))
    ),
    ("date32", Date32Array(opt((0..<n).map { Int32($0 * 1000) }))),
    ("date64", Date64Array(opt((0..<n).map { Int64($0) * 86_400_000 }))),
    ("t32", Time32Array(opt((0..<n).map { Int32($0 * 1000) }), type: .time32(.millisecond))),
    ("t64", Time64Array(opt((0..<n).map { Int64($0) * 1_000_000_007 }), type: .time64(.nanosecond))),
    ("ts", TimestampArray(opt((0..<n).map { Int64($0) * 1_000_000 }), type: .timestamp(.microsecond, nil))),
    ("tstz", TimestampArray(opt((0..<n).map { Int64($0) }), type: .timestamp(.second, "Europe/Paris"))),
    ("dur", DurationArray(opt((0..<n).map { Int64($0) - 3 }), type: .duration(.millisecond))),
    ("iym", YearMonthIntervalArray(opt((0..<n).map { Int32($0) }))),
    ("idt", DayTimeIntervalArray(opt((0..<n).map { DayTimeInterval(days: Int32($0), milliseconds: Int32($0 * 10)) }))),
    (
      "imdn",
      MonthDayNanoIntervalArray(
        opt((0..<n).map { MonthDayNanoInterval(months: Int32($0), days: -Int32($0), nanoseconds: Int64($0) << 33) }))
    ),
    ("bin", BinaryArray(opt((0..<n).map { Array(repeating: UInt8($0), count: $0) }))),
    ("lbin", LargeBinaryArray(opt((0..<n).map { Array(repeating: UInt8($0 + 1), count: $0 % 4) }))),
    ("str", StringArray(strings)),
    ("lstr", LargeStringArray(strings)),
    ("bview", BinaryViewArray(opt((0..<n).map { Array(repeating: UInt8($0), count: $0 * 3) }))),
    ("sview", StringViewArray(opt((0..<n).map { "view number \($0) is long enough" }))),
    ("fsb", FixedSizeBinaryArray(byteWidth: 3, opt((0..<n).map { [UInt8($0), 1, 2] }))),
    ("list", ListArray(values: listValues, offsets: offsets, validity: validity, field: item)),
    ("llist", LargeListArray(values: listValues, offsets: offsets.map { Int64($0) }, validity: validity, field: item)),
    (
      "lview",
      ListViewArray(
        values: listValues, offsets: (0..<n).map { Int32(20 - 2 * $0) }, sizes: (0..<n).map { Int32($0 % 4) },
        validity: validity, field: item)
    ),
    (
      "llview",
      LargeListViewArray(
        values: listValues, offsets: (0..<n).map { Int64($0) }, sizes: (0..<n).map { Int64($0 % 3) },
        validity: validity, field: item)
    ),
    (
      "fsl",
      FixedSizeListArray(values: listValues.slice(offset: 0, length: 20), listSize: 2, validity: validity, field: item)
    ),
    ("struct", structColumn),
    ("map", MapArray(keys: mapKeys, items: mapItems, offsets: mapOffsets, validity: validity)),
    ("sparse", sparse),
    ("dense", dense),
    ("dict", dictionary),
    ("ree", ree),
  ]
  return try RecordBatch(columns, metadata: ["origin": "swift", "ü": "ß"])
}

/// Nested combinations: list of struct, map of string to list, struct with a dictionary child,
/// list of dictionaries.
func nestedBatch() throws -> RecordBatch {
  let n = 6
  let points = StructArray([
    ("x", Int32Array((0..<9).map { Int32($0) })), ("y", StringArray((0..<9).map { $0 % 4 == 0 ? nil : "p\($0)" })),
  ])
  let listOfStruct = ListArray(
    values: points, offsets: [0, 2, 2, 5, 6, 9, 9], validity: [true, true, false, true, true, true],
    field: Field("item", points.type))
  let inner = ListArray([[1, 2], nil, [], [3], [4, 5, 6], [7], [8, nil]], of: Int64Array.self)
  let mapOfList = MapArray(
    keys: StringArray(["a", "b", "c", "d", "e", "f", "g"]), items: inner, offsets: [0, 1, 3, 3, 4, 6, 7])
  let colors = DictionaryArray(
    indices: Int8Array([0, 1, nil, 1, 0, 2]), dictionary: StringArray(["red", "green", "blue"]))
  let structWithDictionary = StructArray([("color", colors), ("n", UInt8Array([1, 2, 3, 4, 5, nil]))])
  let words = DictionaryArray(
    indices: UInt32Array([0, 1, 1, 0, 2, nil, 3, 3, 1]), dictionary: StringArray(["w", "x", "y", "z"]))
  let listOfDictionary = ListArray(
    values: words, offsets: [0, 3, 3, 5, 6, 8, 9], field: Field("item", words.type))
  return try RecordBatch([
    ("list_struct", listOfStruct), ("map_list", mapOfList), ("struct_dict", structWithDictionary),
    ("list_dict", listOfDictionary), ("i", Int64Array((0..<n).map { Int64($0) })),
  ])
}
