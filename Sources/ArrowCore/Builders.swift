// Incremental builders, including nested ones.

/// Builds an array value by value. Builders are reference types so nested builders can hand
/// out their children; they are not `Sendable` (use one builder from one task at a time).
///
/// ```swift
/// let lists = ListBuilder(values: Int64Builder())
/// lists.values.append(1)
/// lists.values.append(2)
/// lists.append()            // closes [1, 2]
/// lists.appendNull()        // null
/// let array = lists.finish()  // ListArray [[1, 2], null]
/// ```
public protocol ArrayBuilder: AnyObject {
  /// The typed array this builder produces.
  associatedtype Output: ArrowArray
  /// The type of the array being built.
  var type: DataType { get }
  /// The number of slots appended so far.
  var length: Int { get }
  /// Appends a null slot (nested builders also append a null to children that need one).
  func appendNull()
  /// Returns the array built so far as data and resets the builder.
  func finishData() -> ArrayData
}

extension ArrayBuilder {
  /// Returns the array built so far and resets the builder.
  public func finish() -> Output { Output(unchecked: finishData()) }
  /// Appends `count` null slots.
  public func appendNulls(_ count: Int) { for _ in 0..<count { appendNull() } }
}

/// Builds a ``PrimitiveArray`` of `T`.
public final class PrimitiveBuilder<T: ArrowPrimitiveType>: ArrayBuilder {
  /// The array type built.
  public typealias Output = PrimitiveArray<T>
  /// The type of the array being built.
  public let type: DataType
  private var values = ByteStorage()
  private var validity = ValidityBuilder()

  /// A builder of `type` (default: `T.defaultType`).
  public init(type: DataType? = nil) {
    guard let resolved = type ?? T.defaultType else { preconditionFailure("\(T.self) needs an explicit DataType") }
    self.type = resolved
  }
  /// The number of slots appended.
  public var length: Int { validity.length }
  /// Appends a value.
  public func append(_ value: T.Native) {
    values.append(value)
    validity.append(true)
  }
  /// Appends a value or a null.
  public func append(_ value: T.Native?) {
    if let value { append(value) } else { appendNull() }
  }
  /// Appends values.
  public func append<S: Sequence>(contentsOf elements: S) where S.Element == T.Native {
    for element in elements { append(element) }
  }
  /// Appends a null slot.
  public func appendNull() {
    values.appendZeros(MemoryLayout<T.Native>.stride)
    validity.append(false)
  }
  /// Returns the data built so far and resets the builder.
  public func finishData() -> ArrayData {
    let data = ArrayData(
      type: type, length: validity.length, nullCount: validity.nullCount, buffers: [validity.finish(), values.finish()])
    values = ByteStorage()
    validity = ValidityBuilder()
    return data
  }
}

/// Builds `int8` arrays.
public typealias Int8Builder = PrimitiveBuilder<Int8Type>
/// Builds `int16` arrays.
public typealias Int16Builder = PrimitiveBuilder<Int16Type>
/// Builds `int32` arrays.
public typealias Int32Builder = PrimitiveBuilder<Int32Type>
/// Builds `int64` arrays.
public typealias Int64Builder = PrimitiveBuilder<Int64Type>
/// Builds `uint8` arrays.
public typealias UInt8Builder = PrimitiveBuilder<UInt8Type>
/// Builds `uint16` arrays.
public typealias UInt16Builder = PrimitiveBuilder<UInt16Type>
/// Builds `uint32` arrays.
public typealias UInt32Builder = PrimitiveBuilder<UInt32Type>
/// Builds `uint64` arrays.
public typealias UInt64Builder = PrimitiveBuilder<UInt64Type>
/// Builds `halffloat` arrays.
public typealias Float16Builder = PrimitiveBuilder<Float16Type>
/// Builds `float` arrays.
public typealias Float32Builder = PrimitiveBuilder<Float32Type>
/// Builds `double` arrays.
public typealias Float64Builder = PrimitiveBuilder<Float64Type>

/// Builds ``BooleanArray``s.
public final class BooleanBuilder: ArrayBuilder {
  /// The array type built.
  public typealias Output = BooleanArray
  /// `bool`.
  public var type: DataType { .bool }
  private var values = BitmapBuilder()
  private var validity = ValidityBuilder()
  /// An empty builder.
  public init() {}
  /// The number of slots appended.
  public var length: Int { validity.length }
  /// Appends a value.
  public func append(_ value: Bool) {
    values.append(value)
    validity.append(true)
  }
  /// Appends a value or a null.
  public func append(_ value: Bool?) {
    if let value { append(value) } else { appendNull() }
  }
  /// Appends a null slot.
  public func appendNull() {
    values.append(false)
    validity.append(false)
  }
  /// Returns the data built so far and resets the builder.
  public func finishData() -> ArrayData {
    let data = ArrayData(
      type: .bool, length: validity.length, nullCount: validity.nullCount,
      buffers: [validity.finish(), values.finish()])
    values = BitmapBuilder()
    validity = ValidityBuilder()
    return data
  }
}

/// Builds variable-size binary or string arrays with `O` offsets.
public final class GenericVariableBuilder<O: ArrowOffset, Output: ArrowArray>: ArrayBuilder {
  /// The type of the array being built.
  public let type: DataType
  private var offsets = ByteStorage()
  private var bytes = ByteStorage()
  private var validity = ValidityBuilder()

  init(type: DataType) {
    self.type = type
    offsets.append(O(0))
  }
  /// The number of slots appended.
  public var length: Int { validity.length }
  /// Appends raw bytes as one value.
  public func append(bytes value: UnsafeRawBufferPointer) {
    bytes.append(contentsOf: value)
    offsets.append(O(bytes.count))
    validity.append(true)
  }
  /// Appends a null slot.
  public func appendNull() {
    offsets.append(O(bytes.count))
    validity.append(false)
  }
  /// Returns the data built so far and resets the builder.
  public func finishData() -> ArrayData {
    let data = ArrayData(
      type: type, length: validity.length, nullCount: validity.nullCount,
      buffers: [validity.finish(), offsets.finish(), bytes.finish()])
    offsets = ByteStorage()
    offsets.append(O(0))
    bytes = ByteStorage()
    validity = ValidityBuilder()
    return data
  }
}

extension GenericVariableBuilder where Output == GenericStringArray<O> {
  /// A string builder.
  public convenience init() { self.init(type: O.self == Int32.self ? .string : .largeString) }
  /// Appends a string.
  public func append(_ value: String) {
    var copy = value
    copy.withUTF8 { append(bytes: UnsafeRawBufferPointer($0)) }
  }
  /// Appends a string or a null.
  public func append(_ value: String?) {
    if let value { append(value) } else { appendNull() }
  }
}

extension GenericVariableBuilder where Output == GenericBinaryArray<O> {
  /// A binary builder.
  public convenience init() { self.init(type: O.self == Int32.self ? .binary : .largeBinary) }
  /// Appends bytes.
  public func append(_ value: [UInt8]) { value.withUnsafeBytes { append(bytes: $0) } }
  /// Appends bytes or a null.
  public func append(_ value: [UInt8]?) {
    if let value { append(value) } else { appendNull() }
  }
}

/// Builds `string` arrays.
public typealias StringBuilder = GenericVariableBuilder<Int32, StringArray>
/// Builds `large_string` arrays.
public typealias LargeStringBuilder = GenericVariableBuilder<Int64, LargeStringArray>
/// Builds `binary` arrays.
public typealias BinaryBuilder = GenericVariableBuilder<Int32, BinaryArray>
/// Builds `large_binary` arrays.
public typealias LargeBinaryBuilder = GenericVariableBuilder<Int64, LargeBinaryArray>

/// Builds list arrays (`list` or `large_list`) whose elements go into ``values``.
public final class GenericListBuilder<O: ArrowOffset, Values: ArrayBuilder>: ArrayBuilder {
  /// The array type built.
  public typealias Output = GenericListArray<O>
  /// The element builder: append a list's elements here, then call ``append(_:)``.
  public let values: Values
  private let field: Field
  private var offsets = ByteStorage()
  private var validity = ValidityBuilder()

  /// A list builder over an element builder (child field named `item`).
  public init(values: Values, field: Field? = nil) {
    self.values = values
    self.field = field ?? Field("item", values.type)
    offsets.append(O(0))
  }
  /// `list<...>` or `large_list<...>`.
  public var type: DataType { O.self == Int32.self ? .list(field) : .largeList(field) }
  /// The number of lists appended.
  public var length: Int { validity.length }
  /// Closes the current list: the elements appended to ``values`` since the previous one.
  public func append(_ valid: Bool = true) {
    offsets.append(O(values.length))
    validity.append(valid)
  }
  /// Appends a null list.
  public func appendNull() { append(false) }
  /// Returns the data built so far and resets the builder.
  public func finishData() -> ArrayData {
    let data = ArrayData(
      type: type, length: validity.length, nullCount: validity.nullCount,
      buffers: [validity.finish(), offsets.finish()], children: [values.finishData()])
    offsets = ByteStorage()
    offsets.append(O(0))
    validity = ValidityBuilder()
    return data
  }
}

/// Builds `list` arrays.
public typealias ListBuilder<Values: ArrayBuilder> = GenericListBuilder<Int32, Values>
/// Builds `large_list` arrays.
public typealias LargeListBuilder<Values: ArrayBuilder> = GenericListBuilder<Int64, Values>

/// Builds `fixed_size_list` arrays: append exactly `listSize` elements to ``values`` per list.
public final class FixedSizeListBuilder<Values: ArrayBuilder>: ArrayBuilder {
  /// The array type built.
  public typealias Output = FixedSizeListArray
  /// The element builder.
  public let values: Values
  /// The number of elements per list.
  public let listSize: Int
  private let field: Field
  private var validity = ValidityBuilder()
  /// A builder of lists of `listSize` elements.
  public init(values: Values, listSize: Int, field: Field? = nil) {
    self.values = values
    self.listSize = listSize
    self.field = field ?? Field("item", values.type)
  }
  /// `fixed_size_list<...>[n]`.
  public var type: DataType { .fixedSizeList(field, listSize) }
  /// The number of lists appended.
  public var length: Int { validity.length }
  /// Closes the current list.
  ///
  /// - Precondition: ``values`` holds exactly `listSize` elements per list.
  public func append(_ valid: Bool = true) {
    validity.append(valid)
    precondition(values.length == validity.length * listSize, "a fixed-size list needs \(listSize) elements")
  }
  /// Appends a null list (and `listSize` null elements).
  public func appendNull() {
    values.appendNulls(listSize)
    append(false)
  }
  /// Returns the data built so far and resets the builder.
  public func finishData() -> ArrayData {
    let data = ArrayData(
      type: type, length: validity.length, nullCount: validity.nullCount, buffers: [validity.finish()],
      children: [values.finishData()])
    validity = ValidityBuilder()
    return data
  }
}

/// Builds `struct` arrays: append one value to every field builder, then call ``append(_:)``.
public final class StructBuilder: ArrayBuilder {
  /// The array type built.
  public typealias Output = StructArray
  /// The fields' builders, in field order.
  public let fields: [any ArrayBuilder]
  private let names: [String]
  private var validity = ValidityBuilder()

  /// A struct builder of named field builders.
  public init(_ fields: [(String, any ArrayBuilder)]) {
    self.fields = fields.map { $0.1 }
    self.names = fields.map { $0.0 }
  }
  /// `struct<...>`.
  public var type: DataType { .struct(zip(names, fields).map { Field($0, $1.type) }) }
  /// The number of structs appended.
  public var length: Int { validity.length }
  /// The builder of field `index`, typed.
  public func field<B: ArrayBuilder>(at index: Int, as: B.Type) -> B {
    guard let builder = fields[index] as? B else { preconditionFailure("field \(index) is not a \(B.self)") }
    return builder
  }
  /// Closes the current struct.
  ///
  /// - Precondition: every field builder has one value per struct.
  public func append(_ valid: Bool = true) {
    validity.append(valid)
    for (name, field) in zip(names, fields) {
      precondition(
        field.length == validity.length, "field \(name) has \(field.length) values for \(validity.length) structs")
    }
  }
  /// Appends a null struct (and a null to every field).
  public func appendNull() {
    for field in fields { field.appendNull() }
    append(false)
  }
  /// Returns the data built so far and resets the builder.
  public func finishData() -> ArrayData {
    let type = self.type
    let data = ArrayData(
      type: type, length: validity.length, nullCount: validity.nullCount, buffers: [validity.finish()],
      children: fields.map { $0.finishData() })
    validity = ValidityBuilder()
    return data
  }
}

/// Builds `map` arrays: append entries to ``keys`` and ``items``, then call ``append(_:)``.
public final class MapBuilder<Keys: ArrayBuilder, Items: ArrayBuilder>: ArrayBuilder {
  /// The array type built.
  public typealias Output = MapArray
  /// The key builder.
  public let keys: Keys
  /// The item builder.
  public let items: Items
  /// Whether the keys of each map are declared sorted.
  public let keysSorted: Bool
  private var offsets = ByteStorage()
  private var validity = ValidityBuilder()

  /// A map builder.
  public init(keys: Keys, items: Items, keysSorted: Bool = false) {
    self.keys = keys
    self.items = items
    self.keysSorted = keysSorted
    offsets.append(Int32(0))
  }
  /// `map<key, value>`.
  public var type: DataType { .map(key: keys.type, item: items.type, keysSorted: keysSorted) }
  /// The number of maps appended.
  public var length: Int { validity.length }
  /// Closes the current map.
  public func append(_ valid: Bool = true) {
    precondition(keys.length == items.length, "maps need as many items as keys")
    offsets.append(Int32(keys.length))
    validity.append(valid)
  }
  /// Appends a null map.
  public func appendNull() { append(false) }
  /// Returns the data built so far and resets the builder.
  public func finishData() -> ArrayData {
    let type = self.type
    guard case .map(let entries, _) = type else { preconditionFailure() }
    let count = keys.length
    let entryData = ArrayData(
      type: entries.type, length: count, nullCount: 0, buffers: [nil],
      children: [keys.finishData(), items.finishData()])
    let data = ArrayData(
      type: type, length: validity.length, nullCount: validity.nullCount,
      buffers: [validity.finish(), offsets.finish()], children: [entryData])
    offsets = ByteStorage()
    offsets.append(Int32(0))
    validity = ValidityBuilder()
    return data
  }
}

/// Builds dictionary-encoded strings (`dictionary<values=string, indices=int32>`), deduplicating values.
public final class StringDictionaryBuilder: ArrayBuilder {
  /// The array type built.
  public typealias Output = DictionaryArray
  private var positions: [String: Int32] = [:]
  private var values: [String?] = []
  private let indices = Int32Builder()
  /// An empty builder.
  public init() {}
  /// `dictionary<values=string, indices=int32, ordered=0>`.
  public var type: DataType { .dictionary(index: .int32, value: .string, ordered: false) }
  /// The number of slots appended.
  public var length: Int { indices.length }
  /// Appends a string (reusing its dictionary entry when seen before).
  public func append(_ value: String) {
    if let known = positions[value] {
      indices.append(known)
    } else {
      let position = Int32(values.count)
      positions[value] = position
      values.append(value)
      indices.append(position)
    }
  }
  /// Appends a string or a null.
  public func append(_ value: String?) {
    if let value { append(value) } else { appendNull() }
  }
  /// Appends a null slot.
  public func appendNull() { indices.appendNull() }
  /// Returns the data built so far and resets the builder.
  public func finishData() -> ArrayData {
    let data = indices.finishData()
    let dictionary = StringArray(values).data
    positions = [:]
    values = []
    return ArrayData(
      type: type, length: data.length, nullCount: data.nullCount, buffers: data.buffers, dictionary: dictionary)
  }
}

/// Builds decimal arrays of a decimal type.
public final class DecimalBuilder: ArrayBuilder {
  /// The array type built.
  public typealias Output = DecimalArray
  /// The decimal type.
  public let type: DataType
  private var values: [ArrowDecimal?] = []
  /// A builder of decimal `type`.
  public init(type: DataType) {
    precondition(type.isDecimal, "\(type) is not a decimal type")
    self.type = type
  }
  /// The number of slots appended.
  public var length: Int { values.count }
  /// Appends a value (rescaled to the type's scale).
  public func append(_ value: ArrowDecimal?) { values.append(value) }
  /// Appends a null slot.
  public func appendNull() { values.append(nil) }
  /// Returns the data built so far and resets the builder.
  public func finishData() -> ArrayData {
    let data = DecimalArray(values, type: type).data
    values = []
    return data
  }
}

/// Builds `null` arrays.
public final class NullBuilder: ArrayBuilder {
  /// The array type built.
  public typealias Output = NullArray
  /// `null`.
  public var type: DataType { .null }
  /// The number of slots appended.
  public private(set) var length = 0
  /// An empty builder.
  public init() {}
  /// Appends a null slot.
  public func appendNull() { length += 1 }
  /// Returns the data built so far and resets the builder.
  public func finishData() -> ArrayData {
    defer { length = 0 }
    return NullArray(length: length).data
  }
}

/// A builder for `type`, for the types with a builder here (primitives, temporal types,
/// bool, strings, binaries, views, fixed-size binaries, decimals, null, lists, fixed-size
/// lists, structs, maps, and `int32`-indexed string dictionaries). Other types (unions, list
/// views, run-end encoded, other dictionaries) are built from their parts with their array
/// initializers; for them this throws ``ArrowError/Kind/notImplemented``.
public func makeBuilder(for type: DataType) throws(ArrowError) -> any ArrayBuilder {
  switch type {
  case .null: return NullBuilder()
  case .bool: return BooleanBuilder()
  case .int8: return Int8Builder()
  case .int16: return Int16Builder()
  case .int32: return Int32Builder()
  case .int64: return Int64Builder()
  case .uint8: return UInt8Builder()
  case .uint16: return UInt16Builder()
  case .uint32: return UInt32Builder()
  case .uint64: return UInt64Builder()
  case .float16: return Float16Builder()
  case .float32: return Float32Builder()
  case .float64: return Float64Builder()
  case .date32: return PrimitiveBuilder<Date32Type>()
  case .date64: return PrimitiveBuilder<Date64Type>()
  case .time32: return PrimitiveBuilder<Time32Type>(type: type)
  case .time64: return PrimitiveBuilder<Time64Type>(type: type)
  case .timestamp: return PrimitiveBuilder<TimestampType>(type: type)
  case .duration: return PrimitiveBuilder<DurationType>(type: type)
  case .interval(.yearMonth): return PrimitiveBuilder<YearMonthIntervalType>()
  case .interval(.dayTime): return PrimitiveBuilder<DayTimeIntervalType>()
  case .interval(.monthDayNano): return PrimitiveBuilder<MonthDayNanoIntervalType>()
  case .decimal32, .decimal64, .decimal128, .decimal256: return DecimalBuilder(type: type)
  case .string: return StringBuilder()
  case .largeString: return LargeStringBuilder()
  case .binary: return BinaryBuilder()
  case .stringView: return StringViewBuilder()
  case .binaryView: return BinaryViewBuilder()
  case .fixedSizeBinary(let width): return FixedSizeBinaryBuilder(byteWidth: width)
  case .largeBinary: return LargeBinaryBuilder()
  case .list(let field): return listBuilder(try makeBuilder(for: field.type), Int32.self, field)
  case .largeList(let field): return listBuilder(try makeBuilder(for: field.type), Int64.self, field)
  case .fixedSizeList(let field, let size):
    return fixedSizeListBuilder(try makeBuilder(for: field.type), size, field)
  case .struct(let fields):
    var builders: [(String, any ArrayBuilder)] = []
    for field in fields { builders.append((field.name, try makeBuilder(for: field.type))) }
    return StructBuilder(builders)
  case .map(let entries, let keysSorted):
    let children = entries.type.children
    guard children.count == 2 else { throw .invalid("map entries must have two fields") }
    return mapBuilder(try makeBuilder(for: children[0].type), try makeBuilder(for: children[1].type), keysSorted)
  case .dictionary(.int32, .string, false): return StringDictionaryBuilder()
  default:
    throw .notImplemented("no builder for \(type) yet")
  }
}

private func listBuilder<B: ArrayBuilder, O: ArrowOffset>(_ values: B, _: O.Type, _ field: Field) -> any ArrayBuilder {
  GenericListBuilder<O, B>(values: values, field: field)
}

private func fixedSizeListBuilder<B: ArrayBuilder>(_ values: B, _ size: Int, _ field: Field) -> any ArrayBuilder {
  FixedSizeListBuilder(values: values, listSize: size, field: field)
}

private func mapBuilder<K: ArrayBuilder, V: ArrayBuilder>(_ keys: K, _ items: V, _ sorted: Bool) -> any ArrayBuilder {
  MapBuilder(keys: keys, items: items, keysSorted: sorted)
}

/// Builds `fixed_size_binary[n]` arrays.
public final class FixedSizeBinaryBuilder: ArrayBuilder {
  /// The array type built.
  public typealias Output = FixedSizeBinaryArray
  /// The width of every value.
  public let byteWidth: Int
  private var bytes = ByteStorage()
  private var validity = ValidityBuilder()
  /// A builder of `byteWidth`-byte values.
  public init(byteWidth: Int) { self.byteWidth = byteWidth }
  /// `fixed_size_binary[n]`.
  public var type: DataType { .fixedSizeBinary(byteWidth) }
  /// The number of slots appended.
  public var length: Int { validity.length }
  /// Appends a value.
  ///
  /// - Precondition: `value` has ``byteWidth`` bytes.
  public func append(_ value: [UInt8]) {
    precondition(value.count == byteWidth, "value of \(value.count) bytes in fixed_size_binary[\(byteWidth)]")
    value.withUnsafeBytes { bytes.append(contentsOf: $0) }
    validity.append(true)
  }
  /// Appends a null slot.
  public func appendNull() {
    bytes.appendZeros(byteWidth)
    validity.append(false)
  }
  /// Returns the data built so far and resets the builder.
  public func finishData() -> ArrayData {
    let data = ArrayData(
      type: type, length: validity.length, nullCount: validity.nullCount, buffers: [validity.finish(), bytes.finish()])
    bytes = ByteStorage()
    validity = ValidityBuilder()
    return data
  }
}

/// Builds `string_view` or `binary_view` arrays (values over 12 bytes go into one data buffer).
public final class GenericViewBuilder<Output: ArrowArray>: ArrayBuilder {
  /// The type of the array being built.
  public let type: DataType
  private var views = ByteStorage()
  private var bytes = ByteStorage()
  private var validity = ValidityBuilder()

  init(type: DataType) { self.type = type }
  /// The number of slots appended.
  public var length: Int { validity.length }
  /// Appends raw bytes as one value.
  public func append(bytes value: UnsafeRawBufferPointer) {
    views.append(Int32(value.count))
    if value.count <= 12 {
      views.append(contentsOf: value)
      views.appendZeros(12 - value.count)
    } else {
      views.append(contentsOf: UnsafeRawBufferPointer(rebasing: value[0..<4]))
      views.append(Int32(0))
      views.append(Int32(bytes.count))
      bytes.append(contentsOf: value)
    }
    validity.append(true)
  }
  /// Appends a null slot.
  public func appendNull() {
    views.appendZeros(16)
    validity.append(false)
  }
  /// Returns the data built so far and resets the builder.
  public func finishData() -> ArrayData {
    let data = ArrayData(
      type: type, length: validity.length, nullCount: validity.nullCount,
      buffers: [validity.finish(), views.finish(), bytes.finish()])
    views = ByteStorage()
    bytes = ByteStorage()
    validity = ValidityBuilder()
    return data
  }
}

extension GenericViewBuilder where Output == StringViewArray {
  /// A `string_view` builder.
  public convenience init() { self.init(type: .stringView) }
  /// Appends a string.
  public func append(_ value: String) {
    var copy = value
    copy.withUTF8 { append(bytes: UnsafeRawBufferPointer($0)) }
  }
  /// Appends a string or a null.
  public func append(_ value: String?) {
    if let value { append(value) } else { appendNull() }
  }
}

extension GenericViewBuilder where Output == BinaryViewArray {
  /// A `binary_view` builder.
  public convenience init() { self.init(type: .binaryView) }
  /// Appends bytes.
  public func append(_ value: [UInt8]) { value.withUnsafeBytes { append(bytes: $0) } }
  /// Appends bytes or a null.
  public func append(_ value: [UInt8]?) {
    if let value { append(value) } else { appendNull() }
  }
}

/// Builds `string_view` arrays.
public typealias StringViewBuilder = GenericViewBuilder<StringViewArray>
/// Builds `binary_view` arrays.
public typealias BinaryViewBuilder = GenericViewBuilder<BinaryViewArray>
