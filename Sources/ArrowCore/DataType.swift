// The Arrow logical types.

/// The unit of a time, timestamp or duration type.
public enum TimeUnit: Int, Sendable, Hashable, CaseIterable, CustomStringConvertible {
  /// Seconds.
  case second = 0
  /// Milliseconds.
  case millisecond = 1
  /// Microseconds.
  case microsecond = 2
  /// Nanoseconds.
  case nanosecond = 3

  /// The short name pyarrow prints: `s`, `ms`, `us`, `ns`.
  public var description: String {
    switch self {
    case .second: "s"
    case .millisecond: "ms"
    case .microsecond: "us"
    case .nanosecond: "ns"
    }
  }

  /// How many of this unit make one second.
  public var perSecond: Int64 {
    switch self {
    case .second: 1
    case .millisecond: 1_000
    case .microsecond: 1_000_000
    case .nanosecond: 1_000_000_000
    }
  }
}

/// The unit of an interval type.
public enum IntervalUnit: Int, Sendable, Hashable, CaseIterable, CustomStringConvertible {
  /// Whole months, one `Int32`.
  case yearMonth = 0
  /// Days and milliseconds, two `Int32`.
  case dayTime = 1
  /// Months, days (`Int32` each) and nanoseconds (`Int64`).
  case monthDayNano = 2

  /// The pyarrow type name: `month_interval`, `day_time_interval`, `month_day_nano_interval`.
  public var description: String {
    switch self {
    case .yearMonth: "month_interval"
    case .dayTime: "day_time_interval"
    case .monthDayNano: "month_day_nano_interval"
    }
  }
}

/// Whether a union stores its children at full length (sparse) or packed with offsets (dense).
public enum UnionMode: Int, Sendable, Hashable, CaseIterable, CustomStringConvertible {
  /// Every child has the union's length; slot `i` of the union is slot `i` of the chosen child.
  case sparse = 0
  /// Children are packed; an `Int32` offsets buffer says where each slot lives in its child.
  case dense = 1

  /// `sparse` or `dense`.
  public var description: String {
    switch self {
    case .sparse: "sparse"
    case .dense: "dense"
    }
  }
}

/// One buffer of an array's physical layout, as listed by ``DataType/bufferLayout``.
public enum BufferKind: Sendable, Hashable, CustomStringConvertible {
  /// The validity bitmap (one bit per slot, 1 = valid); may be absent when there are no nulls.
  case validity
  /// Bit-packed boolean values.
  case bitmap
  /// Fixed-width values of the given byte width.
  case fixedWidth(Int)
  /// `Int32` offsets, one more than the length.
  case offsets32
  /// `Int64` offsets, one more than the length.
  case offsets64
  /// `Int32` sizes of list views.
  case sizes32
  /// `Int64` sizes of large list views.
  case sizes64
  /// The variable-size bytes addressed by offsets.
  case data
  /// 16-byte views of binary view and string view arrays.
  case views
  /// The variadic data buffers of view arrays (zero or more buffers).
  case variadicData
  /// `Int8` union type ids.
  case typeIds
  /// `Int32` dense union offsets.
  case unionOffsets

  /// A short name of the buffer kind.
  public var description: String {
    switch self {
    case .validity: "validity"
    case .bitmap: "bitmap"
    case .fixedWidth(let width): "data(\(width) bytes each)"
    case .offsets32: "offsets(int32)"
    case .offsets64: "offsets(int64)"
    case .sizes32: "sizes(int32)"
    case .sizes64: "sizes(int64)"
    case .data: "data"
    case .views: "views(16 bytes each)"
    case .variadicData: "variadic data..."
    case .typeIds: "type ids(int8)"
    case .unionOffsets: "offsets(int32)"
    }
  }
}

/// An Arrow logical type: every type of the Arrow columnar format.
///
/// ```swift
/// let type = DataType.list(Field("item", .int32))
/// print(type)                                  // list<item: int32>
/// print(DataType.timestamp(.millisecond, "UTC"))  // timestamp[ms, tz=UTC]
/// ```
public indirect enum DataType: Sendable, Hashable, CustomStringConvertible {
  /// No values: every slot is null.
  case null
  /// Booleans, bit packed.
  case bool
  /// Signed 8-bit integers.
  case int8
  /// Signed 16-bit integers.
  case int16
  /// Signed 32-bit integers.
  case int32
  /// Signed 64-bit integers.
  case int64
  /// Unsigned 8-bit integers.
  case uint8
  /// Unsigned 16-bit integers.
  case uint16
  /// Unsigned 32-bit integers.
  case uint32
  /// Unsigned 64-bit integers.
  case uint64
  /// IEEE half-precision floats.
  case float16
  /// IEEE single-precision floats.
  case float32
  /// IEEE double-precision floats.
  case float64
  /// Decimals stored as 32-bit integers (precision 1...9).
  case decimal32(precision: Int, scale: Int)
  /// Decimals stored as 64-bit integers (precision 1...18).
  case decimal64(precision: Int, scale: Int)
  /// Decimals stored as 128-bit integers (precision 1...38).
  case decimal128(precision: Int, scale: Int)
  /// Decimals stored as 256-bit integers (precision 1...76).
  case decimal256(precision: Int, scale: Int)
  /// Days since the UNIX epoch, `Int32`.
  case date32
  /// Milliseconds since the UNIX epoch, `Int64`.
  case date64
  /// Time of day, `Int32`, in seconds or milliseconds.
  case time32(TimeUnit)
  /// Time of day, `Int64`, in microseconds or nanoseconds.
  case time64(TimeUnit)
  /// Time since the UNIX epoch, `Int64`, with an optional time zone name.
  case timestamp(TimeUnit, String?)
  /// An elapsed time, `Int64`.
  case duration(TimeUnit)
  /// A calendar interval.
  case interval(IntervalUnit)
  /// Variable-size bytes with `Int32` offsets.
  case binary
  /// Variable-size bytes with `Int64` offsets.
  case largeBinary
  /// UTF-8 strings with `Int32` offsets.
  case string
  /// UTF-8 strings with `Int64` offsets.
  case largeString
  /// Variable-size bytes as 16-byte views.
  case binaryView
  /// UTF-8 strings as 16-byte views.
  case stringView
  /// Fixed-size bytes of the given width.
  case fixedSizeBinary(Int)
  /// Lists with `Int32` offsets; the field describes the elements.
  case list(Field)
  /// Lists with `Int64` offsets.
  case largeList(Field)
  /// Lists as `Int32` offsets and sizes.
  case listView(Field)
  /// Lists as `Int64` offsets and sizes.
  case largeListView(Field)
  /// Lists of exactly `size` elements.
  case fixedSizeList(Field, Int)
  /// A struct of named fields.
  case `struct`([Field])
  /// A map: a list of `entries` structs holding a non-nullable `key` and an `value` field.
  case map(Field, keysSorted: Bool)
  /// A union of the given fields; child `i` has type id `typeIds[i]`.
  case union(UnionMode, [Field], typeIds: [Int8])
  /// Dictionary-encoded values: integer indices into a dictionary of `value` type.
  case dictionary(index: DataType, value: DataType, ordered: Bool)
  /// Run-end encoded values: `runEnds` (int16/32/64) and `values` children.
  case runEndEncoded(runEnds: Field, values: Field)
  /// An extension type: arrays hold the buffers and children of its storage type.
  case `extension`(ExtensionType)

  // MARK: Convenience constructors

  /// A map type from its key and item types, with pyarrow's child names.
  public static func map(key: DataType, item: DataType, keysSorted: Bool = false, itemNullable: Bool = true)
    -> DataType
  {
    .map(
      Field(
        "entries", .struct([Field("key", key, nullable: false), Field("value", item, nullable: itemNullable)]),
        nullable: false),
      keysSorted: keysSorted)
  }

  /// A list type of `element` items (child named `item`, nullable).
  public static func list(of element: DataType) -> DataType { .list(Field("item", element)) }

  /// A union whose type ids are `0..<fields.count`.
  public static func union(_ mode: UnionMode, _ fields: [Field]) -> DataType {
    .union(mode, fields, typeIds: (0..<fields.count).map { Int8($0) })
  }

  /// A run-end encoded type with pyarrow's child names.
  public static func runEndEncoded(runEnds: DataType, values: DataType) -> DataType {
    .runEndEncoded(runEnds: Field("run_ends", runEnds, nullable: false), values: Field("values", values))
  }

  /// An extension type as a data type.
  public static func `extension`(
    _ name: String, storage: DataType, metadata: String = ""
  ) throws(ArrowError) -> DataType {
    .extension(try ExtensionType(name: name, storage: storage, metadata: metadata))
  }

  /// The canonical `arrow.uuid` type (over `fixed_size_binary[16]`).
  public static var uuid: DataType { .extension(.uuid) }

  /// The canonical `arrow.bool8` type (over `int8`).
  public static var bool8: DataType { .extension(.bool8) }

  /// The type that holds this type's data: the storage type of an extension type (of its
  /// storage, recursively), this type otherwise.
  public var storageType: DataType {
    if case .extension(let type) = self { return type.storage.storageType }
    return self
  }

  // MARK: Properties

  /// The width in bits of one value for fixed-width types (1 for bool), `nil` otherwise.
  public var bitWidth: Int? {
    switch self {
    case .bool: 1
    case .int8, .uint8: 8
    case .int16, .uint16, .float16: 16
    case .int32, .uint32, .float32, .date32, .time32, .decimal32: 32
    case .int64, .uint64, .float64, .date64, .time64, .timestamp, .duration, .decimal64: 64
    case .decimal128: 128
    case .decimal256: 256
    case .interval(let unit):
      switch unit {
      case .yearMonth: 32
      case .dayTime: 64
      case .monthDayNano: 128
      }
    case .fixedSizeBinary(let width): width * 8
    case .dictionary(let index, _, _): index.bitWidth
    case .extension(let type): type.storage.bitWidth
    default: nil
    }
  }

  /// The width in bytes of one value for fixed-width types of whole bytes, `nil` otherwise (bool included).
  public var byteWidth: Int? {
    guard case .bool = self else {
      return bitWidth.map { $0 / 8 }
    }
    return nil
  }

  /// Whether this is a signed or unsigned integer type.
  public var isInteger: Bool {
    switch self {
    case .int8, .int16, .int32, .int64, .uint8, .uint16, .uint32, .uint64: true
    default: false
    }
  }

  /// Whether this is a signed integer type.
  public var isSignedInteger: Bool {
    switch self {
    case .int8, .int16, .int32, .int64: true
    default: false
    }
  }

  /// Whether this is a floating-point type.
  public var isFloatingPoint: Bool {
    switch self {
    case .float16, .float32, .float64: true
    default: false
    }
  }

  /// Whether this is a decimal type.
  public var isDecimal: Bool {
    switch self {
    case .decimal32, .decimal64, .decimal128, .decimal256: true
    default: false
    }
  }

  /// Whether this is a date, time, timestamp, duration or interval type.
  public var isTemporal: Bool {
    switch self {
    case .date32, .date64, .time32, .time64, .timestamp, .duration, .interval: true
    default: false
    }
  }

  /// Whether values of this type hold child arrays (lists, structs, maps, unions, run-end encoded).
  public var isNested: Bool {
    switch self {
    case .list, .largeList, .listView, .largeListView, .fixedSizeList, .struct, .map, .union, .runEndEncoded: true
    case .extension(let type): type.storage.isNested
    default: false
    }
  }

  /// The child fields of a nested type (empty for others; a dictionary has none, its values live apart).
  public var children: [Field] {
    switch self {
    case .list(let field), .largeList(let field), .listView(let field), .largeListView(let field),
      .fixedSizeList(let field, _), .map(let field, _):
      [field]
    case .struct(let fields), .union(_, let fields, _): fields
    case .runEndEncoded(let runEnds, let values): [runEnds, values]
    case .extension(let type): type.storage.children
    default: []
    }
  }

  /// The buffers of an array of this type, in order (the IPC body order).
  ///
  /// View types end with ``BufferKind/variadicData``, which stands for zero or more buffers.
  /// A dictionary-encoded array has its index type's layout; the dictionary is separate.
  public var bufferLayout: [BufferKind] {
    switch self {
    case .null: []
    case .bool: [.validity, .bitmap]
    case .binary, .string: [.validity, .offsets32, .data]
    case .largeBinary, .largeString: [.validity, .offsets64, .data]
    case .binaryView, .stringView: [.validity, .views, .variadicData]
    case .list, .map: [.validity, .offsets32]
    case .largeList: [.validity, .offsets64]
    case .listView: [.validity, .offsets32, .sizes32]
    case .largeListView: [.validity, .offsets64, .sizes64]
    case .fixedSizeList, .struct: [.validity]
    case .union(let mode, _, _): mode == .sparse ? [.typeIds] : [.typeIds, .unionOffsets]
    case .dictionary(let index, _, _): index.bufferLayout
    case .runEndEncoded: []
    case .extension(let type): type.storage.bufferLayout
    default: [.validity, .fixedWidth(byteWidth ?? 0)]
    }
  }

  /// A description of ``bufferLayout``, such as `validity, offsets(int32), data`.
  public var layoutDescription: String {
    let layout = bufferLayout
    return layout.isEmpty ? "no buffers" : layout.map(\.description).joined(separator: ", ")
  }

  /// The name pyarrow prints for this type, such as `int64`, `list<item: int32>` or
  /// `timestamp[ms, tz=UTC]`.
  public var description: String {
    switch self {
    case .null: return "null"
    case .bool: return "bool"
    case .int8: return "int8"
    case .int16: return "int16"
    case .int32: return "int32"
    case .int64: return "int64"
    case .uint8: return "uint8"
    case .uint16: return "uint16"
    case .uint32: return "uint32"
    case .uint64: return "uint64"
    case .float16: return "halffloat"
    case .float32: return "float"
    case .float64: return "double"
    case .decimal32(let p, let s): return "decimal32(\(p), \(s))"
    case .decimal64(let p, let s): return "decimal64(\(p), \(s))"
    case .decimal128(let p, let s): return "decimal128(\(p), \(s))"
    case .decimal256(let p, let s): return "decimal256(\(p), \(s))"
    case .date32: return "date32[day]"
    case .date64: return "date64[ms]"
    case .time32(let unit): return "time32[\(unit)]"
    case .time64(let unit): return "time64[\(unit)]"
    case .timestamp(let unit, let zone):
      if let zone { return "timestamp[\(unit), tz=\(zone)]" }
      return "timestamp[\(unit)]"
    case .duration(let unit): return "duration[\(unit)]"
    case .interval(let unit): return unit.description
    case .binary: return "binary"
    case .largeBinary: return "large_binary"
    case .string: return "string"
    case .largeString: return "large_string"
    case .binaryView: return "binary_view"
    case .stringView: return "string_view"
    case .fixedSizeBinary(let width): return "fixed_size_binary[\(width)]"
    case .list(let field): return "list<\(field.typeDescription)>"
    case .largeList(let field): return "large_list<\(field.typeDescription)>"
    case .listView(let field): return "list_view<\(field.typeDescription)>"
    case .largeListView(let field): return "large_list_view<\(field.typeDescription)>"
    case .fixedSizeList(let field, let size): return "fixed_size_list<\(field.typeDescription)>[\(size)]"
    case .struct(let fields): return "struct<\(fields.map(\.typeDescription).joined(separator: ", "))>"
    case .map(let entries, let keysSorted):
      let kids = entries.type.children
      let key = kids.first.map { "\($0.type)" } ?? "?"
      var item = kids.count > 1 ? "\(kids[1].type)" : "?"
      if kids.count > 1, !kids[1].nullable { item += " not null" }
      return "map<\(key), \(item)\(keysSorted ? ", keys_sorted" : "")>"
    case .union(let mode, let fields, let typeIds):
      let parts = fields.enumerated().map { index, field in
        "\(field.typeDescription)=\(index < typeIds.count ? Int(typeIds[index]) : index)"
      }
      return "\(mode)_union<\(parts.joined(separator: ", "))>"
    case .dictionary(let index, let value, let ordered):
      return "dictionary<values=\(value), indices=\(index), ordered=\(ordered ? 1 : 0)>"
    case .runEndEncoded(let runEnds, let values):
      return "run_end_encoded<run_ends: \(runEnds.type), values: \(values.type)>"
    case .extension(let type): return type.description
    }
  }

  /// Equality as pyarrow's `DataType.equals` sees it: field metadata is ignored, and so are
  /// the child names of list, list view, fixed-size list, map and run-end encoded types
  /// (writers name them differently); struct and union field names, nullability and every
  /// parameter still count.
  public func isEquivalent(to other: DataType) -> Bool {
    func same(_ a: Field, _ b: Field, names: Bool) -> Bool {
      (!names || a.name == b.name) && a.nullable == b.nullable && a.type.isEquivalent(to: b.type)
    }
    func sameAll(_ a: [Field], _ b: [Field], names: Bool) -> Bool {
      a.count == b.count && zip(a, b).allSatisfy { same($0, $1, names: names) }
    }
    switch (self, other) {
    case (.list(let a), .list(let b)), (.largeList(let a), .largeList(let b)), (.listView(let a), .listView(let b)),
      (.largeListView(let a), .largeListView(let b)):
      return same(a, b, names: false)
    case (.fixedSizeList(let a, let n), .fixedSizeList(let b, let m)):
      return n == m && same(a, b, names: false)
    case (.map(let a, let sortedA), .map(let b, let sortedB)):
      return sortedA == sortedB && a.nullable == b.nullable
        && sameAll(a.type.children, b.type.children, names: false)
    case (.struct(let a), .struct(let b)):
      return sameAll(a, b, names: true)
    case (.union(let modeA, let a, let idsA), .union(let modeB, let b, let idsB)):
      return modeA == modeB && idsA == idsB && sameAll(a, b, names: true)
    case (.dictionary(let indexA, let valueA, let orderedA), .dictionary(let indexB, let valueB, let orderedB)):
      return indexA == indexB && orderedA == orderedB && valueA.isEquivalent(to: valueB)
    case (.runEndEncoded(let endsA, let valuesA), .runEndEncoded(let endsB, let valuesB)):
      return endsA.type == endsB.type && same(valuesA, valuesB, names: false)
    case (.extension(let a), .extension(let b)):
      return a.name == b.name && a.metadata == b.metadata && a.storage.isEquivalent(to: b.storage)
    default:
      return self == other
    }
  }

  /// Checks the type's own parameters (decimal precision, widths, child counts, union ids,
  /// dictionary index type, run-end type), recursively.
  public func validate() throws(ArrowError) {
    func checkDecimal(_ precision: Int, _ scale: Int, max: Int, _ name: String) throws(ArrowError) {
      guard (1...max).contains(precision) else {
        throw .invalid("\(name) precision \(precision) is outside 1...\(max)")
      }
      guard scale <= precision else {
        throw .invalid("\(name) scale \(scale) is greater than its precision \(precision)")
      }
    }
    switch self {
    case .decimal32(let p, let s): try checkDecimal(p, s, max: 9, "decimal32")
    case .decimal64(let p, let s): try checkDecimal(p, s, max: 18, "decimal64")
    case .decimal128(let p, let s): try checkDecimal(p, s, max: 38, "decimal128")
    case .decimal256(let p, let s): try checkDecimal(p, s, max: 76, "decimal256")
    case .time32(let unit):
      guard unit == .second || unit == .millisecond else { throw .invalid("time32 cannot have unit \(unit)") }
    case .time64(let unit):
      guard unit == .microsecond || unit == .nanosecond else { throw .invalid("time64 cannot have unit \(unit)") }
    case .fixedSizeBinary(let width):
      guard width >= 0 else { throw .invalid("fixed_size_binary width \(width) is negative") }
    case .fixedSizeList(_, let size):
      guard size >= 0 else { throw .invalid("fixed_size_list size \(size) is negative") }
    case .map(let entries, _):
      guard case .struct(let kids) = entries.type, kids.count == 2 else {
        throw .invalid("map entries must be a struct of two fields (key, value), got \(entries.type)")
      }
      guard !entries.nullable else { throw .invalid("map entries field must not be nullable") }
      guard !kids[0].nullable else { throw .invalid("map key field must not be nullable") }
    case .union(_, let fields, let typeIds):
      guard fields.count == typeIds.count else {
        throw .invalid("union has \(fields.count) fields but \(typeIds.count) type ids")
      }
      guard Set(typeIds).count == typeIds.count else { throw .invalid("union type ids \(typeIds) repeat") }
      for id in typeIds where id < 0 {
        throw .invalid("union type id \(id) is negative")
      }
    case .dictionary(let index, let value, _):
      guard index.isInteger else { throw .invalid("dictionary index type must be an integer, got \(index)") }
      try value.validate()
    case .runEndEncoded(let runEnds, _):
      switch runEnds.type {
      case .int16, .int32, .int64: break
      default: throw .invalid("run ends must be int16, int32 or int64, got \(runEnds.type)")
      }
      guard !runEnds.nullable else { throw .invalid("run ends field must not be nullable") }
    case .extension(let type):
      try type.validate()
      return  // the storage's children were checked
    default: break
    }
    for child in children { try child.type.validate() }
  }
}
