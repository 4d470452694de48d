// The mapping between IPC schema values (IPCSchema, IPCField, IPCType) and ArrowCore's Schema,
// Field and DataType, with dictionary ids assigned depth first, as pyarrow numbers them.

internal import ArrowCore

/// The deepest nesting of types accepted from the wire (deeper input is refused, never a crash).
let maximumNestingDepth = 64

/// One field as the encoder and decoder walk it: the ArrowCore field, the dictionary id when
/// the field is dictionary encoded, and the plans of its IPC children (for a dictionary field,
/// the children of its value type: they travel in the dictionary batches, not the record batch).
struct FieldPlan: Sendable {
  var field: Field
  var dictionaryID: Int64?
  var children: [FieldPlan]

  /// For a dictionary field: the plan of its values (the one column of its dictionary batches).
  var valuePlan: FieldPlan? {
    guard case .dictionary(_, let value, _) = field.type else { return nil }
    return FieldPlan(field: Field(field.name, value, nullable: true), dictionaryID: nil, children: children)
  }
}

/// A schema with its field plans and the dictionary-encoded fields by id.
struct SchemaPlan: Sendable {
  var schema: Schema
  var fields: [FieldPlan]
  /// The value plan of each dictionary id.
  var dictionaries: [Int64: FieldPlan]
  /// The dictionary ids in depth-first order.
  var dictionaryOrder: [Int64]
  /// Whether the data is big-endian (readers convert it to native order; writers never set it).
  var isBigEndian = false

  init(schema: Schema, fields: [FieldPlan]) throws(ArrowError) {
    self.schema = schema
    self.fields = fields
    var dictionaries: [Int64: FieldPlan] = [:]
    var order: [Int64] = []
    func visit(_ plan: FieldPlan) throws(ArrowError) {
      if let id = plan.dictionaryID, let value = plan.valuePlan {
        if let shared = dictionaries[id] {
          // Several fields may share one dictionary (one id): their value types must agree.
          guard shared.field.type.isEquivalent(to: value.field.type) else {
            throw .invalid(
              "dictionary id \(id) is used by fields of value types \(shared.field.type) and \(value.field.type)")
          }
        } else {
          dictionaries[id] = value
          order.append(id)
        }
      }
      for child in plan.children { try visit(child) }
    }
    for plan in fields { try visit(plan) }
    self.dictionaries = dictionaries
    self.dictionaryOrder = order
  }
}

// MARK: - ArrowCore to IPC

enum SchemaMapping {
  static func keyValues(_ metadata: KeyValueMetadata) -> [IPCKeyValue] {
    metadata.entries.map { IPCKeyValue($0.key, $0.value) }
  }

  static func metadata(_ keyValues: [IPCKeyValue]) -> KeyValueMetadata {
    KeyValueMetadata(keyValues.map { ($0.key, $0.value) })
  }

  /// The IPC schema of `schema` with its plan; dictionary ids are 0, 1, 2... depth first.
  static func encode(_ schema: Schema) throws(ArrowError) -> (IPCSchema, SchemaPlan) {
    var nextID: Int64 = 0
    var fields: [IPCField] = []
    var plans: [FieldPlan] = []
    for field in schema.fields {
      let (ipc, plan) = try encode(field, nextID: &nextID, depth: 0)
      fields.append(ipc)
      plans.append(plan)
    }
    let ipc = IPCSchema(fields: fields, metadata: keyValues(schema.metadata))
    return (ipc, try SchemaPlan(schema: schema, fields: plans))
  }

  static func encode(_ field: Field, nextID: inout Int64, depth: Int) throws(ArrowError) -> (IPCField, FieldPlan) {
    guard depth < maximumNestingDepth else { throw .invalid("field \"\(field.name)\" is nested too deeply") }
    var valueType = field.type
    var metadata = field.metadata
    // An extension type travels as its storage type plus two metadata entries.
    func expandExtension(_ type: DataType) -> DataType {
      guard case .extension(let ext) = type else { return type }
      metadata[ExtensionType.nameKey] = ext.name
      metadata[ExtensionType.metadataKey] = ext.metadata
      return ext.storage
    }
    valueType = expandExtension(valueType)
    var dictionary: IPCDictionaryEncoding?
    if case .dictionary(let index, var value, let ordered) = valueType {
      guard let width = index.bitWidth, index.isInteger else {
        throw .invalid("dictionary field \"\(field.name)\" has a non-integer index type \(index)")
      }
      if case .dictionary = value {
        throw .notImplemented("dictionary field \"\(field.name)\" has dictionary values")
      }
      dictionary = IPCDictionaryEncoding(
        id: nextID, indexType: IPCIntType(bitWidth: Int32(width), isSigned: index.isSignedInteger),
        isOrdered: ordered)
      nextID += 1
      value = expandExtension(value)
      valueType = value
    }
    var children: [IPCField] = []
    var childPlans: [FieldPlan] = []
    for child in valueType.children {
      let (ipc, plan) = try encode(child, nextID: &nextID, depth: depth + 1)
      children.append(ipc)
      childPlans.append(plan)
    }
    let ipc = IPCField(
      name: field.name, nullable: field.nullable, type: try ipcType(valueType), dictionary: dictionary,
      children: children, metadata: keyValues(metadata))
    return (ipc, FieldPlan(field: field, dictionaryID: dictionary?.id, children: childPlans))
  }

  static func ipcType(_ type: DataType) throws(ArrowError) -> IPCType {
    func unit(_ unit: ArrowCore.TimeUnit) -> TimeUnit { TimeUnit(rawValue: Int16(unit.rawValue)) ?? .second }
    switch type {
    case .null: return .null
    case .bool: return .bool
    case .int8: return .int(bitWidth: 8, isSigned: true)
    case .int16: return .int(bitWidth: 16, isSigned: true)
    case .int32: return .int(bitWidth: 32, isSigned: true)
    case .int64: return .int(bitWidth: 64, isSigned: true)
    case .uint8: return .int(bitWidth: 8, isSigned: false)
    case .uint16: return .int(bitWidth: 16, isSigned: false)
    case .uint32: return .int(bitWidth: 32, isSigned: false)
    case .uint64: return .int(bitWidth: 64, isSigned: false)
    case .float16: return .floatingPoint(.half)
    case .float32: return .floatingPoint(.single)
    case .float64: return .floatingPoint(.double)
    case .decimal32(let p, let s): return .decimal(precision: Int32(p), scale: Int32(s), bitWidth: 32)
    case .decimal64(let p, let s): return .decimal(precision: Int32(p), scale: Int32(s), bitWidth: 64)
    case .decimal128(let p, let s): return .decimal(precision: Int32(p), scale: Int32(s), bitWidth: 128)
    case .decimal256(let p, let s): return .decimal(precision: Int32(p), scale: Int32(s), bitWidth: 256)
    case .date32: return .date(.day)
    case .date64: return .date(.millisecond)
    case .time32(let u): return .time(unit(u), bitWidth: 32)
    case .time64(let u): return .time(unit(u), bitWidth: 64)
    case .timestamp(let u, let zone): return .timestamp(unit(u), timezone: zone)
    case .duration(let u): return .duration(unit(u))
    case .interval(let u): return .interval(IntervalUnit(rawValue: Int16(u.rawValue)) ?? .yearMonth)
    case .binary: return .binary
    case .largeBinary: return .largeBinary
    case .string: return .utf8
    case .largeString: return .largeUtf8
    case .binaryView: return .binaryView
    case .stringView: return .utf8View
    case .fixedSizeBinary(let width): return .fixedSizeBinary(byteWidth: Int32(clamping: width))
    case .list: return .list
    case .largeList: return .largeList
    case .listView: return .listView
    case .largeListView: return .largeListView
    case .fixedSizeList(_, let size): return .fixedSizeList(listSize: Int32(clamping: size))
    case .struct: return .struct
    case .map(_, let keysSorted): return .map(keysSorted: keysSorted)
    case .union(let mode, _, let typeIds):
      return .union(mode == .sparse ? .sparse : .dense, typeIds: typeIds.map { Int32($0) })
    case .runEndEncoded: return .runEndEncoded
    case .dictionary:
      throw .invalid("a dictionary type cannot be nested directly in a dictionary")
    case .extension(let ext):
      throw .invalid("extension type \(ext.name) cannot be stored as another extension type")
    }
  }
}

// MARK: - IPC to ArrowCore

extension SchemaMapping {
  /// The ArrowCore schema of an IPC schema, with its plan (which says whether the data is
  /// big-endian). Refuses unknown features (unless allowed) and types that break the format's rules.
  static func decode(_ ipc: IPCSchema, allowUnknownFeatures: Bool) throws(ArrowError) -> SchemaPlan {
    // Any number but Little is Big, as Arrow C++ reads it (an OSS-Fuzz file pyarrow reads has 12).
    let isBigEndian = ipc.endianness != Endianness.little.rawValue
    if !allowUnknownFeatures {
      for feature in ipc.features where Feature(rawValue: feature) == nil {
        throw .notImplemented("the schema uses feature \(feature), unknown to this reader")
      }
    }
    var plans: [FieldPlan] = []
    for (index, field) in ipc.fields.enumerated() {
      do {
        plans.append(try decode(field, depth: 0))
      } catch {
        throw ArrowError(error.kind, "schema field \(index) (\"\(field.name)\"): \(error.message)")
      }
    }
    let schema = Schema(plans.map(\.field), metadata: metadata(ipc.metadata))
    var plan = try SchemaPlan(schema: schema, fields: plans)
    plan.isBigEndian = isBigEndian
    return plan
  }

  static func decode(_ ipc: IPCField, depth: Int) throws(ArrowError) -> FieldPlan {
    guard depth < maximumNestingDepth else { throw .invalid("fields are nested more than \(maximumNestingDepth) deep") }
    var children: [FieldPlan] = []
    for child in ipc.children { children.append(try decode(child, depth: depth + 1)) }
    // The children of a type that takes none are read, then ignored, as Arrow C++ does (OSS-Fuzz
    // inputs that pyarrow reads carry them).
    if !takesChildren(ipc.type) { children = [] }
    var type = try coreType(ipc.type, children: children.map(\.field), name: ipc.name)
    if case .map(let entries, _) = type, children.count == 1, children[0].children.count == 2 {
      // The plans follow the map's canonical child names.
      children[0].field = entries
      children[0].children[0].field.name = "key"
      children[0].children[1].field.name = "value"
    }
    if let encoding = ipc.dictionary {
      let index: DataType
      if let indexType = encoding.indexType {
        index = try integerType(bitWidth: indexType.bitWidth, signed: indexType.isSigned)
      } else {
        index = .int32
      }
      type = .dictionary(index: index, value: type, ordered: encoding.isOrdered)
    }
    var fieldMetadata = metadata(ipc.metadata)
    // A field naming an extension type (with both keys, as Arrow writes them) gets the
    // extension type, unless it is dictionary encoded or its storage does not suit a canonical
    // type: then the metadata stays, as pyarrow keeps extension types it does not know.
    if ipc.dictionary == nil, let name = fieldMetadata[ExtensionType.nameKey],
      let parameters = fieldMetadata[ExtensionType.metadataKey],
      let ext = try? ExtensionType(name: name, storage: type, metadata: parameters)
    {
      type = .extension(ext)
      fieldMetadata[ExtensionType.nameKey] = nil
      fieldMetadata[ExtensionType.metadataKey] = nil
    }
    do { try type.validate() } catch { throw ArrowError(error.kind, "field \"\(ipc.name)\": \(error.message)") }
    let field = Field(ipc.name, type, nullable: ipc.nullable, metadata: fieldMetadata)
    return FieldPlan(field: field, dictionaryID: ipc.dictionary?.id, children: children)
  }

  /// Whether `type` has child fields (nested types).
  static func takesChildren(_ type: IPCType) -> Bool {
    switch type {
    case .list, .largeList, .listView, .largeListView, .fixedSizeList, .map, .runEndEncoded, .struct, .union: true
    default: false
    }
  }

  static func integerType(bitWidth: Int32, signed: Bool) throws(ArrowError) -> DataType {
    switch (bitWidth, signed) {
    case (8, true): return .int8
    case (16, true): return .int16
    case (32, true): return .int32
    case (64, true): return .int64
    case (8, false): return .uint8
    case (16, false): return .uint16
    case (32, false): return .uint32
    case (64, false): return .uint64
    default: throw .invalid("integer bit width \(bitWidth) is not 8, 16, 32 or 64")
    }
  }

  static func coreType(_ type: IPCType, children: [Field], name: String) throws(ArrowError) -> DataType {
    func unit(_ unit: TimeUnit) -> ArrowCore.TimeUnit { ArrowCore.TimeUnit(rawValue: Int(unit.rawValue)) ?? .second }
    func expectChildren(_ count: Int) throws(ArrowError) {
      guard children.count == count else {
        throw .invalid("type \(type.tag) of field \"\(name)\" has \(children.count) children, expected \(count)")
      }
    }
    switch type {
    case .list, .largeList, .listView, .largeListView, .fixedSizeList, .map: try expectChildren(1)
    case .runEndEncoded: try expectChildren(2)
    case .struct, .union: break
    default: try expectChildren(0)
    }
    switch type {
    case .null: return .null
    case .bool: return .bool
    case .int(let bitWidth, let isSigned): return try integerType(bitWidth: bitWidth, signed: isSigned)
    case .floatingPoint(let precision):
      switch precision {
      case .half: return .float16
      case .single: return .float32
      case .double: return .float64
      }
    case .decimal(let precision, let scale, let bitWidth):
      let (p, s) = (Int(precision), Int(scale))
      switch bitWidth {
      case 32: return .decimal32(precision: p, scale: s)
      case 64: return .decimal64(precision: p, scale: s)
      case 128: return .decimal128(precision: p, scale: s)
      case 256: return .decimal256(precision: p, scale: s)
      default: throw .invalid("decimal bit width \(bitWidth) is not 32, 64, 128 or 256")
      }
    case .date(let dateUnit): return dateUnit == .day ? .date32 : .date64
    case .time(let timeUnit, let bitWidth):
      switch (timeUnit, bitWidth) {
      case (.second, 32), (.millisecond, 32): return .time32(unit(timeUnit))
      case (.microsecond, 64), (.nanosecond, 64): return .time64(unit(timeUnit))
      default: throw .invalid("time type with unit \(timeUnit) cannot have bit width \(bitWidth)")
      }
    case .timestamp(let timeUnit, let zone): return .timestamp(unit(timeUnit), zone)
    case .duration(let timeUnit): return .duration(unit(timeUnit))
    case .interval(let intervalUnit):
      return .interval(ArrowCore.IntervalUnit(rawValue: Int(intervalUnit.rawValue)) ?? .yearMonth)
    case .binary: return .binary
    case .utf8: return .string
    case .largeBinary: return .largeBinary
    case .largeUtf8: return .largeString
    case .binaryView: return .binaryView
    case .utf8View: return .stringView
    case .fixedSizeBinary(let width):
      guard width >= 0 else { throw .invalid("fixed-size binary width \(width) is negative") }
      return .fixedSizeBinary(Int(width))
    case .list: return .list(children[0])
    case .largeList: return .largeList(children[0])
    case .listView: return .listView(children[0])
    case .largeListView: return .largeListView(children[0])
    case .fixedSizeList(let size):
      guard size >= 0 else { throw .invalid("fixed-size list size \(size) is negative") }
      return .fixedSizeList(children[0], Int(size))
    case .struct: return .struct(children)
    case .map(let keysSorted):
      // Arrow C++ (so pyarrow) names a map's children entries, key and value whatever the
      // writer called them; the key and value fields keep their nullability and metadata.
      guard case .struct(let pair) = children[0].type, pair.count == 2 else {
        return .map(children[0], keysSorted: keysSorted)  // refused by validate()
      }
      let entries = Field(
        "entries", .struct([pair[0].withName("key"), pair[1].withName("value")]), nullable: children[0].nullable)
      return .map(entries, keysSorted: keysSorted)
    case .union(let mode, let typeIds):
      let ids = typeIds ?? (0..<Int32(children.count)).map { $0 }
      guard ids.count == children.count else {
        throw .invalid("union field \"\(name)\" has \(children.count) children but \(ids.count) type ids")
      }
      var narrow: [Int8] = []
      for id in ids {
        guard (0...127).contains(id) else { throw .invalid("union type id \(id) is outside 0...127") }
        narrow.append(Int8(id))
      }
      return .union(mode == .sparse ? .sparse : .dense, children, typeIds: narrow)
    case .runEndEncoded: return .runEndEncoded(runEnds: children[0], values: children[1])
    }
  }
}
