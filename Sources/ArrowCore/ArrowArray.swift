// The protocol shared by every typed array, and the type-erased factory.

/// A typed Arrow array: a collection of optional values over an ``ArrayData``.
///
/// Every array is a `RandomAccessCollection` whose elements are `Value?` (`nil` for nulls):
///
/// ```swift
/// let numbers = Int64Array([1, nil, 3])
/// numbers[1]                          // nil
/// numbers.slice(offset: 1, length: 2) // [nil, 3], no copy
/// Array(numbers)                      // [Optional(1), nil, Optional(3)]
/// ```
public protocol ArrowArray: RandomAccessCollection, Sendable, Equatable, CustomStringConvertible
where Index == Int, Element == Value? {
  /// The Swift type of one non-null value.
  associatedtype Value

  /// The underlying type-erased data.
  var data: ArrayData { get }

  /// Wraps `data` without checking it; `data.type` must be accepted by ``accepts(_:)``.
  ///
  /// Use the throwing ``init(_:)`` for data from outside (it validates).
  init(unchecked data: ArrayData)

  /// Whether arrays of this Swift type can hold data of `type`.
  static func accepts(_ type: DataType) -> Bool

  /// The value of slot `index`, which must be valid (non-null).
  func value(at index: Int) -> Value

  /// The value of valid slot `index` as pyarrow's `to_string()` prints it.
  func formatValue(at index: Int) -> String
}

extension ArrowArray {
  /// Wraps `data` after checking its type and validating it fully.
  public init(_ data: ArrayData) throws(ArrowError) {
    guard Self.accepts(data.type) else {
      throw .typeMismatch("\(Self.self) cannot hold an array of type \(data.type)")
    }
    try data.validate()
    self.init(unchecked: data)
  }

  /// The logical type.
  public var type: DataType { data.type }
  /// The number of slots.
  public var length: Int { data.length }
  /// The slot offset into the buffers.
  public var offset: Int { data.offset }
  /// The number of null slots.
  public var nullCount: Int { data.nullCount }
  /// The validity bitmap, when present.
  public var validity: Buffer? { data.validity }

  /// The first index (0).
  public var startIndex: Int { 0 }
  /// The number of slots.
  public var endIndex: Int { data.length }

  /// The value at `position`, or `nil` when the slot is null.
  public subscript(position: Int) -> Value? {
    precondition(position >= 0 && position < data.length, "index \(position) is outside 0..<\(data.length)")
    return isNull(position) ? nil : value(at: position)
  }

  /// Whether slot `index` is null.
  public func isNull(_ index: Int) -> Bool { data.isNull(index) }

  /// Whether slot `index` is valid.
  public func isValid(_ index: Int) -> Bool { !isNull(index) }

  /// A zero-copy view of `length` slots starting at `offset`.
  public func slice(offset: Int, length: Int) -> Self {
    Self(unchecked: data.slice(offset: offset, length: length))
  }

  /// Validates the underlying data fully (see ``ArrayData/validate(_:)``).
  public func validate() throws(ArrowError) { try data.validate() }

  /// Logical equality: same type and length, same nulls and same valid values (offsets and
  /// the contents of null slots are ignored).
  public static func == (lhs: Self, rhs: Self) -> Bool { lhs.data == rhs.data }

  /// Logical equality with an array of any Swift type.
  public func isEqual(to other: any ArrowArray) -> Bool { data == other.data }

  /// Slot `index` as `to_string()` prints it (`null` for nulls).
  public func formatSlot(_ index: Int) -> String { isNull(index) ? "null" : formatValue(at: index) }

  /// The values in pyarrow's array layout: `[` then one indented value per line then `]`,
  /// eliding the middle of long arrays.
  public var description: String { formatArray(self, indent: 0, window: 10) }
}

/// The array window pyarrow prints: the first and last `window` slots.
func formatArray(_ array: some ArrowArray, indent: Int, window: Int) -> String {
  let pad = String(repeating: " ", count: indent)
  guard array.length > 0 else { return pad + "[]" }
  var lines = [pad + "["]
  func add(_ index: Int, last: Bool) {
    lines.append(pad + "  " + array.formatSlot(index) + (last ? "" : ","))
  }
  if array.length <= 2 * window {
    for index in 0..<array.length { add(index, last: index == array.length - 1) }
  } else {
    for index in 0..<window { add(index, last: false) }
    lines.append(pad + "  ...")
    for index in (array.length - window)..<array.length { add(index, last: index == array.length - 1) }
  }
  lines.append(pad + "]")
  return lines.joined(separator: "\n")
}

/// The compact form pyarrow's `to_string()` uses inside tables: `[1,null,3]`.
func formatInline(_ array: any ArrowArray, window: Int = 10) -> String {
  let length = array.length
  if length <= 2 * window {
    return "[" + (0..<length).map { array.formatSlot($0) }.joined(separator: ",") + "]"
  }
  let head = (0..<window).map { array.formatSlot($0) }
  let tail = ((length - window)..<length).map { array.formatSlot($0) }
  return "[" + head.joined(separator: ",") + ",...," + tail.joined(separator: ",") + "]"
}

extension ArrowArray {
  /// The compact one-line form used inside tables and nested values: `[1,null,3]`.
  public var inlineDescription: String { formatInline(self) }
}

/// Wraps `data` in the typed array for its type, without checks.
public func makeArray(_ data: ArrayData) -> any ArrowArray {
  switch data.type {
  case .null: return NullArray(unchecked: data)
  case .bool: return BooleanArray(unchecked: data)
  case .int8: return Int8Array(unchecked: data)
  case .int16: return Int16Array(unchecked: data)
  case .int32: return Int32Array(unchecked: data)
  case .int64: return Int64Array(unchecked: data)
  case .uint8: return UInt8Array(unchecked: data)
  case .uint16: return UInt16Array(unchecked: data)
  case .uint32: return UInt32Array(unchecked: data)
  case .uint64: return UInt64Array(unchecked: data)
  case .float16: return Float16Array(unchecked: data)
  case .float32: return Float32Array(unchecked: data)
  case .float64: return Float64Array(unchecked: data)
  case .decimal32, .decimal64, .decimal128, .decimal256: return DecimalArray(unchecked: data)
  case .date32: return Date32Array(unchecked: data)
  case .date64: return Date64Array(unchecked: data)
  case .time32: return Time32Array(unchecked: data)
  case .time64: return Time64Array(unchecked: data)
  case .timestamp: return TimestampArray(unchecked: data)
  case .duration: return DurationArray(unchecked: data)
  case .interval(.yearMonth): return YearMonthIntervalArray(unchecked: data)
  case .interval(.dayTime): return DayTimeIntervalArray(unchecked: data)
  case .interval(.monthDayNano): return MonthDayNanoIntervalArray(unchecked: data)
  case .binary: return BinaryArray(unchecked: data)
  case .largeBinary: return LargeBinaryArray(unchecked: data)
  case .string: return StringArray(unchecked: data)
  case .largeString: return LargeStringArray(unchecked: data)
  case .binaryView: return BinaryViewArray(unchecked: data)
  case .stringView: return StringViewArray(unchecked: data)
  case .fixedSizeBinary: return FixedSizeBinaryArray(unchecked: data)
  case .list: return ListArray(unchecked: data)
  case .largeList: return LargeListArray(unchecked: data)
  case .listView: return ListViewArray(unchecked: data)
  case .largeListView: return LargeListViewArray(unchecked: data)
  case .fixedSizeList: return FixedSizeListArray(unchecked: data)
  case .struct: return StructArray(unchecked: data)
  case .map: return MapArray(unchecked: data)
  case .union: return UnionArray(unchecked: data)
  case .dictionary: return DictionaryArray(unchecked: data)
  case .runEndEncoded: return RunEndEncodedArray(unchecked: data)
  case .extension: return ExtensionArray(unchecked: data)
  }
}

/// Validates `data` fully, then wraps it in the typed array for its type.
public func makeValidatedArray(_ data: ArrayData) throws(ArrowError) -> any ArrowArray {
  try data.validate()
  return makeArray(data)
}
