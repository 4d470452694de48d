// Lists, list views, fixed-size lists, structs, maps.

/// Arrays that can be built directly from Swift values (used by the nested builders).
public protocol ArrowArrayFromValues: ArrowArray {
  /// Builds an array of the values (`nil` for nulls), with the default type.
  static func fromValues(_ elements: [Value?]) -> Self
}

extension PrimitiveArray: ArrowArrayFromValues {
  /// Builds an array of `T.defaultType`.
  public static func fromValues(_ elements: [T.Native?]) -> Self { Self(elements) }
}
extension BooleanArray: ArrowArrayFromValues {
  /// Builds a `bool` array.
  public static func fromValues(_ elements: [Bool?]) -> Self { Self(elements) }
}
extension GenericStringArray: ArrowArrayFromValues {
  /// Builds a string array.
  public static func fromValues(_ elements: [String?]) -> Self { Self(elements) }
}
extension StringViewArray: ArrowArrayFromValues {
  /// Builds a `string_view` array.
  public static func fromValues(_ elements: [String?]) -> Self { Self(elements) }
}

/// Validity bits for `flags` (`nil` = all valid): the buffer (absent when all valid) and the null count.
func validityBuffer(_ flags: [Bool]?) -> (Buffer?, Int) {
  guard let flags, flags.contains(false) else { return (nil, 0) }
  return (Bitmap.buffer(from: flags), flags.lazy.filter { !$0 }.count)
}

/// Lists with `O` offsets: ``ListArray`` (`list`) and ``LargeListArray`` (`large_list`).
///
/// Each value is a zero-copy slice of the ``values`` array.
///
/// ```swift
/// let lists = ListArray([[1, 2], nil, [3]], of: Int64Array.self)
/// lists.values(at: 0, as: Int64Array.self)  // [1, 2]
/// ```
public struct GenericListArray<O: ArrowOffset>: ArrowArray {
  /// One list: a slice of the values array.
  public typealias Value = any ArrowArray
  /// The underlying data.
  public let data: ArrayData
  /// Wraps `data` without checks.
  public init(unchecked data: ArrayData) { self.data = data }
  /// Accepts `list` (Int32 offsets) or `large_list` (Int64 offsets).
  public static func accepts(_ type: DataType) -> Bool {
    switch type {
    case .list: O.self == Int32.self
    case .largeList: O.self == Int64.self
    default: false
    }
  }
  /// The element field.
  public var valueField: Field { data.type.children.first ?? Field("item", .null) }
  /// The whole child array (all lists' elements, unsliced).
  public var values: any ArrowArray { makeArray(data.children[0]) }
  /// The range of slot `index` in ``values``.
  public func valueRange(at index: Int) -> Range<Int> { offsetRange(data.buffer(1), data.offset + index, O.self) }
  /// The elements of slot `index`, without a copy.
  public func value(at index: Int) -> any ArrowArray {
    precondition(index >= 0 && index < data.length, "index \(index) is outside 0..<\(data.length)")
    let range = valueRange(at: index)
    return makeArray(data.children[0].slice(offset: range.lowerBound, length: range.count))
  }
  /// The elements of slot `index` as an `A`, or `nil` when null or of another type.
  public func values<A: ArrowArray>(at index: Int, as: A.Type) -> A? { self[index] as? A }
  /// `[1,2,3]`.
  public func formatValue(at index: Int) -> String { formatInline(value(at: index)) }

  /// A list array over `values` with `offsets` (one more than the number of lists).
  public init(values: any ArrowArray, offsets: [O], validity: [Bool]? = nil, field: Field? = nil) {
    precondition(!offsets.isEmpty, "offsets need at least one entry")
    let element = field ?? Field("item", values.type)
    let type: DataType = O.self == Int32.self ? .list(element) : .largeList(element)
    let storage = ByteStorage(capacity: offsets.count * MemoryLayout<O>.size)
    for offset in offsets { storage.append(offset) }
    let (bits, nulls) = validityBuffer(validity)
    self.init(
      unchecked: ArrayData(
        type: type, length: offsets.count - 1, nullCount: nulls, buffers: [bits, storage.finish()],
        children: [values.data]))
  }

  /// Builds lists of `A` values (`nil` for a null list).
  public init<A: ArrowArrayFromValues>(_ lists: [[A.Value?]?], of: A.Type) {
    var offsets: [O] = [0]
    var flat: [A.Value?] = []
    for list in lists {
      flat += list ?? []
      offsets.append(O(flat.count))
    }
    self.init(values: A.fromValues(flat), offsets: offsets, validity: lists.map { $0 != nil })
  }
}

/// `list` values (Int32 offsets).
public typealias ListArray = GenericListArray<Int32>
/// `large_list` values (Int64 offsets).
public typealias LargeListArray = GenericListArray<Int64>

/// List views with `O` offsets and sizes: ``ListViewArray`` and ``LargeListViewArray``.
public struct GenericListViewArray<O: ArrowOffset>: ArrowArray {
  /// One list: a slice of the values array.
  public typealias Value = any ArrowArray
  /// The underlying data.
  public let data: ArrayData
  /// Wraps `data` without checks.
  public init(unchecked data: ArrayData) { self.data = data }
  /// Accepts `list_view` (Int32) or `large_list_view` (Int64).
  public static func accepts(_ type: DataType) -> Bool {
    switch type {
    case .listView: O.self == Int32.self
    case .largeListView: O.self == Int64.self
    default: false
    }
  }
  /// The whole child array.
  public var values: any ArrowArray { makeArray(data.children[0]) }
  /// The range of slot `index` in ``values``.
  public func valueRange(at index: Int) -> Range<Int> {
    let width = MemoryLayout<O>.size
    let start = Int(data.buffer(1).loadUnaligned(fromByteOffset: (data.offset + index) * width, as: O.self))
    let size = Int(data.buffer(2).loadUnaligned(fromByteOffset: (data.offset + index) * width, as: O.self))
    return start..<(start + size)
  }
  /// The elements of slot `index`, without a copy.
  public func value(at index: Int) -> any ArrowArray {
    precondition(index >= 0 && index < data.length, "index \(index) is outside 0..<\(data.length)")
    let range = valueRange(at: index)
    return makeArray(data.children[0].slice(offset: range.lowerBound, length: range.count))
  }
  /// `[1,2,3]`.
  public func formatValue(at index: Int) -> String { formatInline(value(at: index)) }

  /// A list view array over `values` with per-slot `offsets` and `sizes`.
  public init(values: any ArrowArray, offsets: [O], sizes: [O], validity: [Bool]? = nil, field: Field? = nil) {
    precondition(offsets.count == sizes.count, "offsets and sizes differ in count")
    let element = field ?? Field("item", values.type)
    let type: DataType = O.self == Int32.self ? .listView(element) : .largeListView(element)
    let offsetStorage = ByteStorage()
    let sizeStorage = ByteStorage()
    for offset in offsets { offsetStorage.append(offset) }
    for size in sizes { sizeStorage.append(size) }
    let (bits, nulls) = validityBuffer(validity)
    self.init(
      unchecked: ArrayData(
        type: type, length: offsets.count, nullCount: nulls,
        buffers: [bits, offsetStorage.finish(), sizeStorage.finish()], children: [values.data]))
  }
}

/// `list_view` values.
public typealias ListViewArray = GenericListViewArray<Int32>
/// `large_list_view` values.
public typealias LargeListViewArray = GenericListViewArray<Int64>

/// `fixed_size_list<...>[n]` values: slot `i` is elements `i*n ..< (i+1)*n` of the child.
public struct FixedSizeListArray: ArrowArray {
  /// One list: a slice of the values array.
  public typealias Value = any ArrowArray
  /// The underlying data.
  public let data: ArrayData
  /// The number of elements per list.
  public let listSize: Int
  /// Wraps `data` without checks.
  public init(unchecked data: ArrayData) {
    self.data = data
    if case .fixedSizeList(_, let size) = data.type { listSize = size } else { listSize = 0 }
  }
  /// Accepts any `fixed_size_list`.
  public static func accepts(_ type: DataType) -> Bool {
    if case .fixedSizeList = type { return true }
    return false
  }
  /// The whole child array.
  public var values: any ArrowArray { makeArray(data.children[0]) }
  /// The elements of slot `index`, without a copy.
  public func value(at index: Int) -> any ArrowArray {
    precondition(index >= 0 && index < data.length, "index \(index) is outside 0..<\(data.length)")
    return makeArray(data.children[0].slice(offset: (data.offset + index) * listSize, length: listSize))
  }
  /// `[1,2,3]`.
  public func formatValue(at index: Int) -> String { formatInline(value(at: index)) }

  /// Groups `values` into lists of `listSize` elements.
  public init(values: any ArrowArray, listSize: Int, validity: [Bool]? = nil, field: Field? = nil) {
    precondition(listSize > 0 ? values.length % listSize == 0 : true, "values do not divide into lists of \(listSize)")
    let (bits, nulls) = validityBuffer(validity)
    let length = listSize > 0 ? values.length / listSize : (validity?.count ?? 0)
    self.init(
      unchecked: ArrayData(
        type: .fixedSizeList(field ?? Field("item", values.type), listSize), length: length, nullCount: nulls,
        buffers: [bits], children: [values.data]))
  }
}

/// One slot of a ``StructArray``: access its fields by name.
public struct StructRow: Sendable, CustomStringConvertible {
  /// The struct array.
  public let array: StructArray
  /// The slot.
  public let index: Int

  /// The field named `name` at this slot, as a one-slot array (no copy), or `nil` when absent.
  public subscript(name: String) -> (any ArrowArray)? {
    guard let column = array.field(named: name) else { return nil }
    return column.sliceErased(offset: index, length: 1)
  }

  /// The value of field `name` at this slot, typed as `A.Value`.
  public func value<A: ArrowArray>(_ name: String, as: A.Type) -> A.Value? {
    (array.field(named: name) as? A)?[index] ?? nil
  }

  /// `{a: 1, b: "x"}`.
  public var description: String { array.formatValue(at: index) }
}

extension ArrowArray {
  /// A zero-copy slice, type-erased.
  public func sliceErased(offset: Int, length: Int) -> any ArrowArray { slice(offset: offset, length: length) }
}

/// `struct<...>` values: one child array per field.
public struct StructArray: ArrowArray {
  /// One struct: its slot, with access to the fields.
  public typealias Value = StructRow
  /// The underlying data.
  public let data: ArrayData
  /// Wraps `data` without checks.
  public init(unchecked data: ArrayData) { self.data = data }
  /// Accepts any `struct`.
  public static func accepts(_ type: DataType) -> Bool {
    if case .struct = type { return true }
    return false
  }
  /// The fields.
  public var fields: [Field] { data.type.children }
  /// The child arrays aligned with this array's slots (sliced by its offset and length, no copy).
  public var columns: [any ArrowArray] { data.children.indices.map { field(at: $0) } }
  /// Field `index`'s array aligned with this array's slots.
  public func field(at index: Int) -> any ArrowArray {
    makeArray(data.children[index].slice(offset: data.offset, length: data.length))
  }
  /// The array of the first field named `name`, aligned with this array's slots.
  public func field(named name: String) -> (any ArrowArray)? {
    fields.firstIndex { $0.name == name }.map { field(at: $0) }
  }
  /// Slot `index`.
  public func value(at index: Int) -> StructRow { StructRow(array: self, index: index) }
  /// `{a: 1, b: "x"}`.
  public func formatValue(at index: Int) -> String {
    let parts = fields.indices.map { position in
      let child = makeArray(data.children[position])
      return "\(fields[position].name): \(child.formatSlot(data.offset + index))"
    }
    return "{" + parts.joined(separator: ", ") + "}"
  }

  /// A struct array of `fields`' arrays (all of one length), with optional validity.
  public init(_ columns: [(String, any ArrowArray)], validity: [Bool]? = nil) {
    self.init(fields: columns.map { Field($0.0, $0.1.type) }, columns: columns.map { $0.1 }, validity: validity)
  }

  /// A struct array from explicit fields and their arrays.
  public init(fields: [Field], columns: [any ArrowArray], validity: [Bool]? = nil, length: Int? = nil) {
    precondition(fields.count == columns.count, "\(fields.count) fields but \(columns.count) arrays")
    let count = length ?? columns.first?.length ?? validity?.count ?? 0
    precondition(columns.allSatisfy { $0.length == count }, "struct children differ in length")
    let (bits, nulls) = validityBuffer(validity)
    self.init(
      unchecked: ArrayData(
        type: .struct(fields), length: count, nullCount: nulls, buffers: [bits], children: columns.map(\.data)))
  }
}

/// The entries of one ``MapArray`` slot.
public struct MapValue: Sendable, CustomStringConvertible {
  /// The keys (a zero-copy slice).
  public let keys: any ArrowArray
  /// The items (a zero-copy slice).
  public let items: any ArrowArray
  /// The number of entries.
  public var count: Int { keys.length }
  /// `{"a": 1, "b": null}`.
  public var description: String {
    "{" + (0..<keys.length).map { "\(keys.formatSlot($0)): \(items.formatSlot($0))" }.joined(separator: ", ") + "}"
  }
}

/// `map<key, value>` values: a list of `entries` structs (`key`, `value`).
public struct MapArray: ArrowArray {
  /// One map.
  public typealias Value = MapValue
  /// The underlying data.
  public let data: ArrayData
  /// Wraps `data` without checks.
  public init(unchecked data: ArrayData) { self.data = data }
  /// Accepts any `map`.
  public static func accepts(_ type: DataType) -> Bool {
    if case .map = type { return true }
    return false
  }
  /// The entries struct array (all maps, unsliced).
  public var entries: StructArray { StructArray(unchecked: data.children[0]) }
  /// The range of slot `index` in ``entries``.
  public func valueRange(at index: Int) -> Range<Int> { offsetRange(data.buffer(1), data.offset + index, Int32.self) }
  /// The entries of slot `index`, without a copy.
  public func value(at index: Int) -> MapValue {
    precondition(index >= 0 && index < data.length, "index \(index) is outside 0..<\(data.length)")
    let range = valueRange(at: index)
    let entries = data.children[0]
    let keys = entries.children[0].slice(offset: entries.offset + range.lowerBound, length: range.count)
    let items = entries.children[1].slice(offset: entries.offset + range.lowerBound, length: range.count)
    return MapValue(keys: makeArray(keys), items: makeArray(items))
  }
  /// `{"a": 1}`.
  public func formatValue(at index: Int) -> String { value(at: index).description }

  /// A map array over `keys` and `items` (same length), with `offsets` (one more than the count).
  public init(
    keys: any ArrowArray, items: any ArrowArray, offsets: [Int32], validity: [Bool]? = nil, keysSorted: Bool = false
  ) {
    let type = DataType.map(key: keys.type, item: items.type, keysSorted: keysSorted)
    guard case .map(let entriesField, _) = type else { preconditionFailure() }
    let entries = StructArray(fields: entriesField.type.children, columns: [keys, items])
    let storage = ByteStorage()
    for offset in offsets { storage.append(offset) }
    let (bits, nulls) = validityBuffer(validity)
    self.init(
      unchecked: ArrayData(
        type: type, length: offsets.count - 1, nullCount: nulls, buffers: [bits, storage.finish()],
        children: [entries.data]))
  }
}
