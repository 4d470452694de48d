internal import ArrowCore

/// One array of every layout, with nulls, for tests that must hold for all types.
func sampleArrays() -> [(String, any ArrowArray)] {
  let longText = "a string longer than twelve bytes"
  return [
    ("null", NullArray(length: 5)),
    ("bool", BooleanArray([true, nil, false, true, false])),
    ("int8", Int8Array([1, nil, -3, 4, 5])),
    ("uint64", UInt64Array([1, 2, nil, .max, 0])),
    ("float64", Float64Array([1.5, nil, -2, 0, 3])),
    ("float16", Float16Array([1.5, nil, -2, 0, 3])),
    ("date32", Date32Array([0, 18262, nil, -1, 5])),
    ("timestamp", TimestampArray([0, nil, 1, 2, 3], type: .timestamp(.nanosecond, "UTC"))),
    (
      "interval",
      DayTimeIntervalArray([
        DayTimeInterval(days: 1, milliseconds: 2), nil, nil, DayTimeInterval(days: 0, milliseconds: 0), nil,
      ])
    ),
    (
      "decimal128",
      DecimalArray(strings: ["1.25", nil, "-3.5", "0", "99.99"], type: .decimal128(precision: 5, scale: 2))
    ),
    ("decimal256", DecimalArray(strings: ["1", nil, "-3", "0", "9"], type: .decimal256(precision: 40, scale: 0))),
    ("string", StringArray(["a", nil, "héllo", "", "z"])),
    ("large_binary", LargeBinaryArray([[1], nil, [], [2, 3], [4]])),
    ("string_view", StringViewArray(["short", nil, longText, longText + "!", ""])),
    ("binary_view", BinaryViewArray([[1], nil, Array(repeating: 7, count: 20), [], [2]])),
    ("fixed_size_binary", FixedSizeBinaryArray(byteWidth: 2, [[1, 2], nil, [3, 4], [5, 6], [7, 8]])),
    ("list", ListArray([[1, 2], nil, [], [3], [4, nil]], of: Int64Array.self)),
    ("large_list", LargeListArray([["a"], nil, [], ["b", nil], ["c"]], of: StringArray.self)),
    (
      "list_view",
      ListViewArray(
        values: Int32Array([1, 2, 3, 4]), offsets: [2, 0, 1, 0, 3], sizes: [2, 1, 0, 4, 1],
        validity: [true, true, false, true, true])
    ),
    (
      "fixed_size_list",
      FixedSizeListArray(
        values: Int32Array([1, 2, 3, nil, 5, 6, 7, 8, 9, 10]), listSize: 2, validity: [true, false, true, true, true])
    ),
    (
      "struct",
      StructArray(
        [("a", Int64Array([1, 2, nil, 4, 5])), ("b", StringArray(["x", nil, "z", "w", "v"]))],
        validity: [true, true, false, true, true])
    ),
    (
      "map",
      MapArray(
        keys: StringArray(["a", "b", "c", "d"]), items: Int64Array([1, nil, 3, 4]), offsets: [0, 2, 2, 3, 3, 4],
        validity: [true, false, true, true, true])
    ),
    (
      "sparse_union",
      UnionArray(
        sparseTypeIds: [0, 1, 0, 1, 0],
        children: [("i", Int32Array([1, 0, nil, 0, 5])), ("s", StringArray(["", "x", "", nil, ""]))])
    ),
    (
      "dense_union",
      UnionArray(
        denseTypeIds: [0, 1, 0, 1, 0], offsets: [0, 0, 1, 1, 2],
        children: [("i", Int32Array([1, nil, 3])), ("s", StringArray(["x", "y"]))])
    ),
    ("dictionary", DictionaryArray(encoding: ["red", "blue", nil, "red", "green"])),
    ("run_end_encoded", RunEndEncodedArray(runEnds: Int32Array([2, 3, 5]), values: StringArray(["a", nil, "b"]))),
  ]
}
