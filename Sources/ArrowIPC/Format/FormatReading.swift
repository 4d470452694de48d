// Typed, lazy views over the flatbuffer tables of Arrow IPC metadata, and their decoding into
// the plain values of FormatValues.swift. Slot numbers follow the declaration order in
// Schema.fbs, Message.fbs and File.fbs (a union takes two slots: its type, then its value).

package import ArrowCore

/// The vtable slots of the Arrow tables.
enum Slot {
  enum Message {
    static let version = 0, headerType = 1, bodyLength = 3, customMetadata = 4
  }
  enum Schema {
    static let endianness = 0, fields = 1, customMetadata = 2, features = 3
  }
  enum Field {
    static let name = 0, nullable = 1, typeType = 2, dictionary = 4, children = 5, customMetadata = 6
  }
  enum KeyValue {
    static let key = 0, value = 1
  }
  enum DictionaryEncoding {
    static let id = 0, indexType = 1, isOrdered = 2, dictionaryKind = 3
  }
  enum RecordBatch {
    static let length = 0, nodes = 1, buffers = 2, compression = 3, variadicBufferCounts = 4
  }
  enum DictionaryBatch {
    static let id = 0, data = 1, isDelta = 2
  }
  enum BodyCompression {
    static let codec = 0, method = 1
  }
  enum Footer {
    static let version = 0, schema = 1, dictionaries = 2, recordBatches = 3, customMetadata = 4
  }
  enum IntType {
    static let bitWidth = 0, isSigned = 1
  }
  enum Decimal {
    static let precision = 0, scale = 1, bitWidth = 2
  }
  enum Time {
    static let unit = 0, bitWidth = 1
  }
  enum Timestamp {
    static let unit = 0, timezone = 1
  }
  enum Union {
    static let mode = 0, typeIds = 1
  }
  /// The single slot of FloatingPoint, Date, Duration, Interval, FixedSizeBinary, FixedSizeList, Map.
  static let only = 0
}

/// Caps the number of tables a recursive decode visits, so that shared or cyclic offsets cannot
/// make decoding take time exponential in the input size.
package struct DecodeBudget {
  private var remaining: Int

  /// A budget proportional to `buffer`'s size: no valid flatbuffer holds more tables than that.
  package init(for buffer: Buffer) {
    remaining = buffer.count / 4 + 64
  }

  mutating func spend() throws(ArrowError) {
    remaining -= 1
    guard remaining >= 0 else {
      throw .invalid("flatbuffer visits more tables than its size allows (shared or cyclic offsets)")
    }
  }
}

// MARK: Structs in vectors

/// A FlatBuffers struct stored inline in a vector.
package protocol FBStruct: Sendable {
  /// The struct's size in bytes.
  static var size: Int { get }
  /// Reads element `index` of `vector`, whose bounds were already checked.
  init(vector: FBVector, index: Int)
}

extension IPCFieldNode: FBStruct {
  package static var size: Int { 16 }
  package init(vector: FBVector, index: Int) {
    self.init(
      length: vector.structField(index, at: 0, as: Int64.self),
      nullCount: vector.structField(index, at: 8, as: Int64.self))
  }
}

extension IPCBufferSpec: FBStruct {
  package static var size: Int { 16 }
  package init(vector: FBVector, index: Int) {
    self.init(
      offset: vector.structField(index, at: 0, as: Int64.self),
      length: vector.structField(index, at: 8, as: Int64.self))
  }
}

extension IPCBlock: FBStruct {
  package static var size: Int { 24 }
  package init(vector: FBVector, index: Int) {
    self.init(
      offset: vector.structField(index, at: 0, as: Int64.self),
      metaDataLength: vector.structField(index, at: 8, as: Int32.self),
      bodyLength: vector.structField(index, at: 16, as: Int64.self))
  }
}

/// A lazily read vector of structs (an absent vector reads as empty).
package struct FBStructList<Element: FBStruct>: RandomAccessCollection, Sendable {
  let vector: FBVector?

  init(_ table: FBTable, slot: Int) throws(ArrowError) {
    vector = try table.vector(slot, elementSize: Element.size)
  }

  package var startIndex: Int { 0 }
  package var endIndex: Int { vector?.count ?? 0 }

  package subscript(position: Int) -> Element {
    guard let vector else { preconditionFailure("index \(position) of an empty vector") }
    return Element(vector: vector, index: position)
  }

  /// Element `index`, or an error naming `what` when the vector is too short (for indices that
  /// come from other parts of the input, such as a field's position in the schema).
  package func element(_ index: Int, _ what: @autoclosure () -> String) throws(ArrowError) -> Element {
    guard index >= 0, index < count else {
      throw .invalid("\(what()) \(index) is missing: the message has only \(count)")
    }
    return self[index]
  }
}

// MARK: Key-value metadata

func decodeKeyValues(_ table: FBTable, slot: Int) throws(ArrowError) -> [IPCKeyValue] {
  guard let vector = try table.tableVector(slot) else { return [] }
  var entries: [IPCKeyValue] = []
  entries.reserveCapacity(vector.count)
  for index in 0..<vector.count {
    let entry = try vector.table(at: index)
    entries.append(
      IPCKeyValue(try entry.string(Slot.KeyValue.key) ?? "", try entry.string(Slot.KeyValue.value) ?? ""))
  }
  return entries
}

// MARK: Message

/// The root `Message` table of an encapsulated message's metadata.
package struct MessageView: Sendable {
  package let table: FBTable

  /// Reads the `Message` at the root of `metadata`.
  package init(_ metadata: Buffer) throws(ArrowError) {
    table = try FlatBufferReader(metadata).rootTable()
  }

  package func version() throws(ArrowError) -> MetadataVersion {
    try decodeEnum(MetadataVersion.self, table.scalar(Slot.Message.version, default: 0), "metadata version")
  }

  /// The raw header type number (0 is NONE).
  package func headerTypeNumber() throws(ArrowError) -> UInt8 {
    try table.scalar(Slot.Message.headerType, default: 0)
  }

  package func header() throws(ArrowError) -> MessageHeaderView {
    let (type, value) = try table.union(typeSlot: Slot.Message.headerType)
    if type == 0 { throw .invalid("message has no header") }
    let headerType = try decodeEnum(MessageHeaderType.self, type, "message header type")
    guard let value else { throw .invalid("message header of type \(headerType) is missing") }
    switch headerType {
    case .schema: return .schema(SchemaView(table: value))
    case .dictionaryBatch: return .dictionaryBatch(DictionaryBatchView(table: value))
    case .recordBatch: return .recordBatch(RecordBatchView(table: value))
    case .tensor, .sparseTensor: throw .notImplemented("\(headerType) messages are not supported")
    }
  }

  /// The body length, refused when negative.
  package func bodyLength() throws(ArrowError) -> Int64 {
    let length = try table.scalar(Slot.Message.bodyLength, default: Int64(0))
    guard length >= 0 else { throw .invalid("message body length \(length) is negative") }
    return length
  }

  package func customMetadata() throws(ArrowError) -> [IPCKeyValue] {
    try decodeKeyValues(table, slot: Slot.Message.customMetadata)
  }

  /// The whole message as plain values.
  package func decode() throws(ArrowError) -> IPCMessage {
    let header: IPCMessageHeader
    switch try self.header() {
    case .schema(let schema): header = .schema(try schema.decode())
    case .dictionaryBatch(let batch): header = .dictionaryBatch(try batch.decode())
    case .recordBatch(let batch): header = .recordBatch(try batch.decode())
    }
    return IPCMessage(
      version: try version(), header: header, bodyLength: try bodyLength(), metadata: try customMetadata())
  }
}

/// The header table of a message.
package enum MessageHeaderView: Sendable {
  case schema(SchemaView)
  case dictionaryBatch(DictionaryBatchView)
  case recordBatch(RecordBatchView)
}

// MARK: Schema and Field

/// A `Schema` table.
package struct SchemaView: Sendable {
  package let table: FBTable

  package func endianness() throws(ArrowError) -> Int16 {
    try table.scalar(Slot.Schema.endianness, default: 0)
  }

  /// The top-level fields (absent reads as none).
  package func fields() throws(ArrowError) -> [FieldView] {
    guard let vector = try table.tableVector(Slot.Schema.fields) else { return [] }
    var fields: [FieldView] = []
    fields.reserveCapacity(vector.count)
    for index in 0..<vector.count { fields.append(FieldView(table: try vector.table(at: index))) }
    return fields
  }

  package func customMetadata() throws(ArrowError) -> [IPCKeyValue] {
    try decodeKeyValues(table, slot: Slot.Schema.customMetadata)
  }

  package func features() throws(ArrowError) -> [Int64] {
    try table.scalarVector(Slot.Schema.features, of: Int64.self) ?? []
  }

  /// The whole schema as plain values.
  package func decode() throws(ArrowError) -> IPCSchema {
    var budget = DecodeBudget(for: table.reader.buffer)
    return try decode(budget: &budget)
  }

  func decode(budget: inout DecodeBudget) throws(ArrowError) -> IPCSchema {
    var fields: [IPCField] = []
    for field in try self.fields() { fields.append(try field.decode(budget: &budget)) }
    return IPCSchema(
      fields: fields, metadata: try customMetadata(), endianness: try endianness(), features: try features())
  }
}

/// A `Field` table.
package struct FieldView: Sendable {
  package let table: FBTable

  /// The name (absent reads as "").
  package func name() throws(ArrowError) -> String {
    try table.string(Slot.Field.name) ?? ""
  }

  package func nullable() throws(ArrowError) -> Bool {
    try table.bool(Slot.Field.nullable, default: false)
  }

  /// The raw `Type` union number (0 is NONE).
  package func typeNumber() throws(ArrowError) -> UInt8 {
    try table.scalar(Slot.Field.typeType, default: 0)
  }

  /// The field's type, decoded from the `Type` union.
  package func type() throws(ArrowError) -> IPCType {
    let (number, member) = try table.union(typeSlot: Slot.Field.typeType)
    return try decodeType(number: number, table: member)
  }

  package func dictionary() throws(ArrowError) -> IPCDictionaryEncoding? {
    guard let encoding = try table.table(Slot.Field.dictionary) else { return nil }
    var indexType: IPCIntType?
    if let int = try encoding.table(Slot.DictionaryEncoding.indexType) {
      indexType = IPCIntType(
        bitWidth: try int.scalar(Slot.IntType.bitWidth, default: 0),
        isSigned: try int.bool(Slot.IntType.isSigned, default: false))
    }
    return IPCDictionaryEncoding(
      id: try encoding.scalar(Slot.DictionaryEncoding.id, default: 0),
      indexType: indexType,
      isOrdered: try encoding.bool(Slot.DictionaryEncoding.isOrdered, default: false),
      kind: try decodeEnum(
        DictionaryKind.self, encoding.scalar(Slot.DictionaryEncoding.dictionaryKind, default: 0), "dictionary kind"))
  }

  package func children() throws(ArrowError) -> [FieldView] {
    guard let vector = try table.tableVector(Slot.Field.children) else { return [] }
    var children: [FieldView] = []
    children.reserveCapacity(vector.count)
    for index in 0..<vector.count { children.append(FieldView(table: try vector.table(at: index))) }
    return children
  }

  package func customMetadata() throws(ArrowError) -> [IPCKeyValue] {
    try decodeKeyValues(table, slot: Slot.Field.customMetadata)
  }

  /// The field and its descendants as plain values.
  package func decode() throws(ArrowError) -> IPCField {
    var budget = DecodeBudget(for: table.reader.buffer)
    return try decode(budget: &budget)
  }

  func decode(budget: inout DecodeBudget) throws(ArrowError) -> IPCField {
    try budget.spend()
    var children: [IPCField] = []
    for child in try self.children() { children.append(try child.decode(budget: &budget)) }
    return IPCField(
      name: try name(), nullable: try nullable(), type: try type(), dictionary: try dictionary(),
      children: children, metadata: try customMetadata())
  }
}

/// Decodes a `Type` union member.
func decodeType(number: UInt8, table: FBTable?) throws(ArrowError) -> IPCType {
  if number == 0 { throw .invalid("field has no type") }
  let tag = try decodeEnum(TypeTag.self, number, "type id")
  switch tag {
  case .null: return .null
  case .binary: return .binary
  case .utf8: return .utf8
  case .bool: return .bool
  case .list: return .list
  case .struct: return .struct
  case .largeBinary: return .largeBinary
  case .largeUtf8: return .largeUtf8
  case .largeList: return .largeList
  case .runEndEncoded: return .runEndEncoded
  case .binaryView: return .binaryView
  case .utf8View: return .utf8View
  case .listView: return .listView
  case .largeListView: return .largeListView
  default: break
  }
  guard let table else { throw .invalid("the \(tag) type table is missing") }
  switch tag {
  case .int:
    return .int(
      bitWidth: try table.scalar(Slot.IntType.bitWidth, default: 0),
      isSigned: try table.bool(Slot.IntType.isSigned, default: false))
  case .floatingPoint:
    return .floatingPoint(
      try decodeEnum(FloatPrecision.self, table.scalar(Slot.only, default: 0), "floating point precision"))
  case .decimal:
    return .decimal(
      precision: try table.scalar(Slot.Decimal.precision, default: 0),
      scale: try table.scalar(Slot.Decimal.scale, default: 0),
      bitWidth: try table.scalar(Slot.Decimal.bitWidth, default: 128))
  case .date:
    // As Arrow C++ reads it: any unit but DAY is MILLISECOND.
    return .date(try table.scalar(Slot.only, default: Int16(1)) == DateUnit.day.rawValue ? .day : .millisecond)
  case .time:
    return .time(
      try timeUnit(table.scalar(Slot.Time.unit, default: 1)),
      bitWidth: try table.scalar(Slot.Time.bitWidth, default: 32))
  case .timestamp:
    return .timestamp(
      try timeUnit(table.scalar(Slot.Timestamp.unit, default: 0)),
      timezone: try table.string(Slot.Timestamp.timezone))
  case .interval:
    return .interval(try decodeEnum(IntervalUnit.self, table.scalar(Slot.only, default: 0), "interval unit"))
  case .union:
    return .union(
      try decodeEnum(UnionMode.self, table.scalar(Slot.Union.mode, default: 0), "union mode"),
      typeIds: try table.scalarVector(Slot.Union.typeIds, of: Int32.self))
  case .fixedSizeBinary:
    return .fixedSizeBinary(byteWidth: try table.scalar(Slot.only, default: 0))
  case .fixedSizeList:
    return .fixedSizeList(listSize: try table.scalar(Slot.only, default: 0))
  case .map:
    return .map(keysSorted: try table.bool(Slot.only, default: false))
  case .duration:
    return .duration(try timeUnit(table.scalar(Slot.only, default: 1)))
  default:
    preconditionFailure("parameterless type \(tag) handled above")
  }
}

/// A time unit as Arrow C++ (and so pyarrow) reads it: an unknown number is SECOND. OSS-Fuzz
/// inputs that pyarrow reads as valid streams carry such numbers.
private func timeUnit(_ raw: Int16) -> TimeUnit {
  TimeUnit(rawValue: raw) ?? .second
}

// MARK: Batches

/// A `RecordBatch` table.
package struct RecordBatchView: Sendable {
  package let table: FBTable

  package func length() throws(ArrowError) -> Int64 {
    try table.scalar(Slot.RecordBatch.length, default: 0)
  }

  /// The field nodes, read lazily (absent reads as empty).
  package func nodes() throws(ArrowError) -> FBStructList<IPCFieldNode> {
    try FBStructList(table, slot: Slot.RecordBatch.nodes)
  }

  /// The body buffer locations, read lazily (absent reads as empty).
  package func buffers() throws(ArrowError) -> FBStructList<IPCBufferSpec> {
    try FBStructList(table, slot: Slot.RecordBatch.buffers)
  }

  package func compression() throws(ArrowError) -> IPCBodyCompression? {
    guard let compression = try table.table(Slot.RecordBatch.compression) else { return nil }
    return IPCBodyCompression(
      codec: try decodeEnum(
        CompressionCodec.self, compression.scalar(Slot.BodyCompression.codec, default: 0), "compression codec"),
      method: try decodeEnum(
        BodyCompressionMethod.self, compression.scalar(Slot.BodyCompression.method, default: 0),
        "body compression method"))
  }

  package func variadicBufferCounts() throws(ArrowError) -> [Int64]? {
    try table.scalarVector(Slot.RecordBatch.variadicBufferCounts, of: Int64.self)
  }

  package func decode() throws(ArrowError) -> IPCRecordBatch {
    IPCRecordBatch(
      length: try length(), nodes: Array(try nodes()), buffers: Array(try buffers()),
      compression: try compression(), variadicBufferCounts: try variadicBufferCounts())
  }
}

/// A `DictionaryBatch` table.
package struct DictionaryBatchView: Sendable {
  package let table: FBTable

  package func id() throws(ArrowError) -> Int64 {
    try table.scalar(Slot.DictionaryBatch.id, default: 0)
  }

  package func data() throws(ArrowError) -> RecordBatchView {
    guard let data = try table.table(Slot.DictionaryBatch.data) else {
      throw .invalid("dictionary batch has no record batch")
    }
    return RecordBatchView(table: data)
  }

  package func isDelta() throws(ArrowError) -> Bool {
    try table.bool(Slot.DictionaryBatch.isDelta, default: false)
  }

  package func decode() throws(ArrowError) -> IPCDictionaryBatch {
    IPCDictionaryBatch(id: try id(), data: try data().decode(), isDelta: try isDelta())
  }
}

// MARK: Footer

/// The root `Footer` table of the file format.
package struct FooterView: Sendable {
  package let table: FBTable

  /// Reads the `Footer` at the root of `footer`.
  package init(_ footer: Buffer) throws(ArrowError) {
    table = try FlatBufferReader(footer).rootTable()
  }

  package func version() throws(ArrowError) -> MetadataVersion {
    try decodeEnum(MetadataVersion.self, table.scalar(Slot.Footer.version, default: 0), "metadata version")
  }

  package func schema() throws(ArrowError) -> SchemaView? {
    guard let schema = try table.table(Slot.Footer.schema) else { return nil }
    return SchemaView(table: schema)
  }

  package func dictionaries() throws(ArrowError) -> FBStructList<IPCBlock> {
    try FBStructList(table, slot: Slot.Footer.dictionaries)
  }

  package func recordBatches() throws(ArrowError) -> FBStructList<IPCBlock> {
    try FBStructList(table, slot: Slot.Footer.recordBatches)
  }

  package func customMetadata() throws(ArrowError) -> [IPCKeyValue] {
    try decodeKeyValues(table, slot: Slot.Footer.customMetadata)
  }

  package func decode() throws(ArrowError) -> IPCFooter {
    IPCFooter(
      version: try version(), schema: try schema()?.decode(), dictionaries: Array(try dictionaries()),
      recordBatches: Array(try recordBatches()), metadata: try customMetadata())
  }
}
