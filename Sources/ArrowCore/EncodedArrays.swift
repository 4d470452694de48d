// Unions, dictionary-encoded and run-end encoded arrays.

/// `sparse_union<...>` and `dense_union<...>` values.
///
/// Unions have no validity bitmap: a slot is null when its child's slot is null, so the
/// subscript never returns `nil`; check `value.isNull(0)` or ``isLogicallyNull(_:)``.
public struct UnionArray: ArrowArray {
  /// The slot's value as a one-slot array of the chosen child (no copy).
  public typealias Value = any ArrowArray
  /// The underlying data.
  public let data: ArrayData
  private let childIndexOfTypeId: [Int]
  /// Wraps `data` without checks.
  public init(unchecked data: ArrayData) {
    self.data = data
    var table = [Int](repeating: -1, count: 128)
    if case .union(_, _, let ids) = data.type {
      for (index, id) in ids.enumerated() where id >= 0 { table[Int(id)] = index }
    }
    childIndexOfTypeId = table
  }
  /// Accepts any union.
  public static func accepts(_ type: DataType) -> Bool {
    if case .union = type { return true }
    return false
  }
  /// Sparse or dense.
  public var mode: UnionMode {
    if case .union(let mode, _, _) = data.type { return mode }
    return .sparse
  }
  /// The type id of slot `index`.
  public func typeId(at index: Int) -> Int8 {
    data.buffer(0).loadUnaligned(fromByteOffset: data.offset + index, as: Int8.self)
  }
  /// The child index of slot `index`.
  public func childIndex(at index: Int) -> Int { childIndexOfTypeId[Int(typeId(at: index))] }
  /// The slot of the child that holds slot `index`.
  public func childOffset(at index: Int) -> Int {
    mode == .sparse
      ? data.offset + index
      : Int(data.buffer(1).loadUnaligned(fromByteOffset: (data.offset + index) * 4, as: Int32.self))
  }
  /// Child `index` as a whole array (unsliced).
  public func child(at index: Int) -> any ArrowArray { makeArray(data.children[index]) }
  /// The value of slot `index` as a one-slot array of its child.
  public func value(at index: Int) -> any ArrowArray {
    precondition(index >= 0 && index < data.length, "index \(index) is outside 0..<\(data.length)")
    return makeArray(data.children[childIndex(at: index)].slice(offset: childOffset(at: index), length: 1))
  }
  /// Whether the child value of slot `index` is null.
  public func isLogicallyNull(_ index: Int) -> Bool {
    data.children[childIndex(at: index)].isNull(childOffset(at: index))
  }
  /// The child's value, as it prints.
  public func formatValue(at index: Int) -> String {
    makeArray(data.children[childIndex(at: index)]).formatSlot(childOffset(at: index))
  }

  /// A sparse union: every child has `typeIds.count` slots.
  public init(sparseTypeIds typeIds: [Int8], children: [(String, any ArrowArray)], typeCodes: [Int8]? = nil) {
    let codes = typeCodes ?? (0..<children.count).map { Int8($0) }
    let ids = ByteStorage()
    for id in typeIds { ids.append(id) }
    self.init(
      unchecked: ArrayData(
        type: .union(.sparse, children.map { Field($0.0, $0.1.type) }, typeIds: codes), length: typeIds.count,
        nullCount: 0, buffers: [ids.finish()], children: children.map { $0.1.data }))
  }

  /// A dense union: slot `i` is slot `offsets[i]` of the child with type id `typeIds[i]`.
  public init(
    denseTypeIds typeIds: [Int8], offsets: [Int32], children: [(String, any ArrowArray)], typeCodes: [Int8]? = nil
  ) {
    precondition(typeIds.count == offsets.count, "type ids and offsets differ in count")
    let codes = typeCodes ?? (0..<children.count).map { Int8($0) }
    let ids = ByteStorage()
    for id in typeIds { ids.append(id) }
    let offsetStorage = ByteStorage()
    for offset in offsets { offsetStorage.append(offset) }
    self.init(
      unchecked: ArrayData(
        type: .union(.dense, children.map { Field($0.0, $0.1.type) }, typeIds: codes), length: typeIds.count,
        nullCount: 0, buffers: [ids.finish(), offsetStorage.finish()], children: children.map { $0.1.data }))
  }
}

/// Dictionary-encoded values: integer indices into a dictionary array.
///
/// The subscript gives the index; ``decoded(at:)`` and ``value(at:as:)`` give the value.
///
/// ```swift
/// let colors = DictionaryArray(encoding: ["red", "blue", nil, "red"])
/// colors[3]                                 // 0
/// colors.value(at: 3, as: StringArray.self) // "red"
/// ```
public struct DictionaryArray: ArrowArray {
  /// The dictionary index of a slot.
  public typealias Value = Int
  /// The underlying data (its `dictionary` holds the values).
  public let data: ArrayData
  /// Wraps `data` without checks.
  public init(unchecked data: ArrayData) { self.data = data }
  /// Accepts any dictionary type.
  public static func accepts(_ type: DataType) -> Bool {
    if case .dictionary = type { return true }
    return false
  }
  /// The index type.
  public var indexType: DataType {
    if case .dictionary(let index, _, _) = data.type { return index }
    return .int32
  }
  /// The dictionary values.
  public var dictionary: any ArrowArray {
    makeArray(data.dictionary ?? ArrayData(type: .null, length: 0, buffers: []))
  }
  /// The indices as an integer array of ``indexType`` (same slots, no copy).
  public var indices: any ArrowArray {
    makeArray(
      ArrayData(
        type: indexType, length: data.length, offset: data.offset, nullCount: data.nullCount, buffers: data.buffers))
  }
  /// The dictionary index of slot `index`.
  public func value(at index: Int) -> Int {
    precondition(index >= 0 && index < data.length, "index \(index) is outside 0..<\(data.length)")
    return data.integer(
      data.buffer(1), data.offset + index, width: indexType.byteWidth ?? 4, signed: indexType.isSignedInteger)
  }
  /// The decoded value of slot `index` as a one-slot slice of the dictionary, or `nil` when null.
  public func decoded(at index: Int) -> (any ArrowArray)? {
    self[index].map { dictionary.sliceErased(offset: $0, length: 1) }
  }
  /// The decoded value of slot `index`, typed.
  public func value<A: ArrowArray>(at index: Int, as: A.Type) -> A.Value? {
    guard let key = self[index], let values = dictionary as? A else { return nil }
    return values[key]
  }
  /// The decoded value, as it prints.
  public func formatValue(at index: Int) -> String { dictionary.formatSlot(value(at: index)) }

  /// Wraps integer `indices` and a `dictionary`.
  public init(indices: any ArrowArray, dictionary: any ArrowArray, ordered: Bool = false) {
    precondition(indices.type.isInteger, "dictionary indices must be integers, got \(indices.type)")
    self.init(
      unchecked: ArrayData(
        type: .dictionary(index: indices.type, value: dictionary.type, ordered: ordered), length: indices.length,
        offset: indices.offset, nullCount: indices.nullCount, buffers: indices.data.buffers,
        dictionary: dictionary.data))
  }

  /// Dictionary-encodes strings (first-seen order, `int32` indices).
  public init(encoding strings: [String?]) {
    var positions: [String: Int32] = [:]
    var unique: [String?] = []
    let keys: [Int32?] = strings.map { string in
      guard let string else { return nil }
      if let known = positions[string] { return known }
      let position = Int32(unique.count)
      positions[string] = position
      unique.append(string)
      return position
    }
    self.init(indices: Int32Array(keys), dictionary: StringArray(unique))
  }
}

/// Run-end encoded values: `run_ends` (strictly increasing) and `values` children.
///
/// The subscript gives the physical index into ``values``; ``formatValue(at:)`` and
/// ``value(at:as:)`` give the logical value.
public struct RunEndEncodedArray: ArrowArray {
  /// The physical index into ``values`` of a slot.
  public typealias Value = Int
  /// The underlying data.
  public let data: ArrayData
  /// Wraps `data` without checks.
  public init(unchecked data: ArrayData) { self.data = data }
  /// Accepts any run-end encoded type.
  public static func accepts(_ type: DataType) -> Bool {
    if case .runEndEncoded = type { return true }
    return false
  }
  /// The run ends (unsliced).
  public var runEnds: any ArrowArray { makeArray(data.children[0]) }
  /// The values, one per run (unsliced).
  public var values: any ArrowArray { makeArray(data.children[1]) }

  private func runEnd(_ run: Int) -> Int {
    let ends = data.children[0]
    return data.integer(ends.buffer(1), ends.offset + run, width: ends.type.byteWidth ?? 4)
  }

  /// The physical index (run) holding logical slot `index` (binary search).
  public func value(at index: Int) -> Int {
    precondition(index >= 0 && index < data.length, "index \(index) is outside 0..<\(data.length)")
    let logical = data.offset + index
    var low = 0
    var high = data.children[0].length
    while low < high {
      let middle = (low + high) / 2
      if runEnd(middle) <= logical { low = middle + 1 } else { high = middle }
    }
    return low
  }
  /// Whether the value of slot `index` is null.
  public func isLogicallyNull(_ index: Int) -> Bool { data.children[1].isNull(value(at: index)) }
  /// The logical value of slot `index`, typed.
  public func value<A: ArrowArray>(at index: Int, as: A.Type) -> A.Value? {
    (values as? A)?[value(at: index)] ?? nil
  }
  /// The logical value, as it prints.
  public func formatValue(at index: Int) -> String { values.formatSlot(value(at: index)) }

  /// Wraps `runEnds` (int16/32/64, strictly increasing) and `values` (one per run).
  public init(runEnds: any ArrowArray, values: any ArrowArray) {
    let count = runEnds.length
    let length = count == 0 ? 0 : data0(runEnds)
    self.init(
      unchecked: ArrayData(
        type: .runEndEncoded(runEnds: runEnds.type, values: values.type), length: length, nullCount: 0, buffers: [],
        children: [runEnds.data, values.data]))
    func data0(_ ends: any ArrowArray) -> Int {
      ends.data.integer(ends.data.buffer(1), ends.offset + ends.length - 1, width: ends.type.byteWidth ?? 4)
    }
  }
}

extension RunEndEncodedArray {
  /// Run-end encodes `values`: equal neighbouring slots (nulls included) become one run.
  ///
  /// `runEndType` is `int16`, `int32` (default) or `int64`; throws when the length does not fit it.
  public init(encoding values: any ArrowArray, runEndType: DataType = .int32) throws(ArrowError) {
    let data = values.data
    var starts: [Int] = []
    var ends: [Int] = []
    for slot in 0..<data.length where slot == 0 || !slotsEqual(data, slot - 1, data, slot) {
      if slot > 0 { ends.append(slot) }
      starts.append(slot)
    }
    if data.length > 0 { ends.append(data.length) }
    let runEnds: any ArrowArray
    switch runEndType {
    case .int16:
      guard data.length <= Int(Int16.max) else { throw .invalid("length \(data.length) does not fit int16 run ends") }
      runEnds = Int16Array(ends.map { Int16($0) })
    case .int32:
      guard data.length <= Int(Int32.max) else { throw .invalid("length \(data.length) does not fit int32 run ends") }
      runEnds = Int32Array(ends.map { Int32($0) })
    case .int64: runEnds = Int64Array(ends.map { Int64($0) })
    default: throw .invalid("run ends must be int16, int32 or int64, got \(runEndType)")
    }
    let runValues =
      starts.isEmpty
      ? ArrayData.empty(data.type)
      : try ArrayData.concatenate(starts.map { data.slice(offset: $0, length: 1) })
    self.init(runEnds: runEnds, values: makeArray(runValues))
  }
}
