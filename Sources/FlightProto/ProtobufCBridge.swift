// The protobuf-c bridge: with the generated Generated/Flight.protobuf-c.swift, the only code of
// FlightProto with unsafe pointers.
//
// A message converts to a tree of the C structs generated from Protos/Flight.proto (allocated
// in a `CArena` and freed after packing) and back from the tree that protobuf-c unpacks. Packing
// and unpacking are generic over protobuf-c's runtime message descriptors; the generated glue
// gives each Swift type its C struct, and, field by field, its `fill` and `init(c:)`. The
// messages whose Swift shape differs from the proto's (an enum, a dictionary, a validated
// value) have them written here.

internal import ArrowCore
internal import CFlightProto

// MARK: - Machinery

/// Owns the C memory of one message tree built for packing and frees it all at once.
final class CArena {
  private var blocks: [UnsafeMutableRawPointer] = []

  init() {}

  deinit {
    for block in blocks { block.deallocate() }
  }

  /// Allocates `count` values of `T` that live until `deinit`.
  private func allocate<T>(_ type: T.Type, _ count: Int) -> UnsafeMutablePointer<T> {
    let pointer = UnsafeMutablePointer<T>.allocate(capacity: count)
    blocks.append(UnsafeMutableRawPointer(pointer))
    return pointer
  }

  /// A C struct that `initialize` (a generated `*__init`, then field assignments) sets up.
  func make<T>(_ initialize: (UnsafeMutablePointer<T>) -> Void) -> UnsafeMutablePointer<T> {
    let pointer = allocate(T.self, 1)
    initialize(pointer)
    return pointer
  }

  /// A C struct for `value`: initialized by the generated `*__init`, then filled.
  func message<Value: CBridged>(_ value: Value) -> UnsafeMutablePointer<Value.CMessage> {
    make { pointer in
      Value.cInit(pointer)
      value.fill(pointer, self)
    }
  }

  /// A message field: a C struct for `value`, or `nil` (absent) for `nil`.
  func field<Value: CBridged>(_ value: Value?) -> UnsafeMutablePointer<Value.CMessage>? {
    value.map { message($0) }
  }

  /// A repeated field: the count and the C array of the converted `values` (`nil` when empty).
  func array<Value, C>(_ values: [Value], _ convert: (Value) -> C) -> (Int, UnsafeMutablePointer<C>?) {
    guard !values.isEmpty else { return (0, nil) }
    let pointer = allocate(C.self, values.count)
    pointer.initialize(from: values.map(convert), count: values.count)
    return (values.count, pointer)
  }

  /// A `map<K, V>` field as its wire form, repeated entry messages, sorted by key (so
  /// encoding is deterministic): each entry is initialized by `entryInit` (the generated
  /// `*__init`), then `fill` sets its key and value.
  func map<Key: Comparable, Value, Entry>(
    _ map: [Key: Value], _ entryInit: (UnsafeMutablePointer<Entry>) -> Void,
    _ fill: (UnsafeMutablePointer<Entry>, Key, Value) -> Void
  ) -> (Int, UnsafeMutablePointer<UnsafeMutablePointer<Entry>?>?) {
    array(map.sorted { $0.key < $1.key }) { key, value in
      make { (entry: UnsafeMutablePointer<Entry>) in
        entryInit(entry)
        fill(entry, key, value)
      }
    }
  }

  /// Copies bytes into a `ProtobufCBinaryData` (protobuf-c skips empty proto3 bytes fields).
  func binary(_ bytes: [UInt8]) -> ProtobufCBinaryData {
    guard !bytes.isEmpty else { return ProtobufCBinaryData(len: 0, data: nil) }
    let pointer = allocate(UInt8.self, bytes.count)
    pointer.initialize(from: bytes, count: bytes.count)
    return ProtobufCBinaryData(len: bytes.count, data: pointer)
  }

  /// Copies the UTF-8 bytes of a string (a `bytes` field in our proto) without a NUL.
  func binary(_ string: String) -> ProtobufCBinaryData {
    binary(Array(string.utf8))
  }
}

/// A Swift message type bound to a generated protobuf-c struct (the generated glue conforms).
protocol CBridged: FlightProtoMessage {
  /// The generated C struct, which starts with its `ProtobufCMessage base`.
  associatedtype CMessage
  /// Calls the generated `*__init`.
  static func cInit(_ message: UnsafeMutablePointer<CMessage>)
  /// Sets the fields of an initialized struct, allocating nested data in `arena`.
  func fill(_ message: UnsafeMutablePointer<CMessage>, _ arena: CArena)
  /// Reads an unpacked struct.
  init(c message: UnsafePointer<CMessage>) throws(FieldError)
}

/// The `ProtobufCMessage` that a generated struct starts with.
private func base<T>(_ message: UnsafePointer<T>) -> UnsafePointer<ProtobufCMessage> {
  UnsafeRawPointer(message).assumingMemoryBound(to: ProtobufCMessage.self)
}

// The members of FlightProtoMessage, for every bound message type.
extension CBridged {
  /// The message name in the .proto, such as `"FlightInfo"` (or `"Result"` for
  /// ``FlightResult``).
  public static var protoName: String { String(cString: cDescriptor.pointee.short_name) }

  /// Encodes the message in its protobuf wire form.
  public func serialized() -> [UInt8] { encode() }

  /// Decodes a message from its protobuf wire form.
  ///
  /// - Throws: ``ProtoError`` naming the message type and the problem.
  public init(serializedBytes bytes: some Collection<UInt8>) throws {
    self = try Self.decode(bytes)
  }

  /// Packs the value with protobuf-c.
  func encode() -> [UInt8] {
    let arena = CArena()
    // The arena owns the C tree: it must live until packing is done, not only to its last use.
    return withExtendedLifetime(arena) {
      let message = base(arena.message(self))
      let size = protobuf_c_message_get_packed_size(message)
      return [UInt8](unsafeUninitializedCapacity: size) { buffer, initializedCount in
        guard let start = buffer.baseAddress, size > 0 else {
          initializedCount = 0
          return
        }
        let written = protobuf_c_message_pack(message, start)
        precondition(written == size, "protobuf-c packed \(written) bytes of \(Self.protoName), expected \(size)")
        initializedCount = written
      }
    }
  }

  /// Unpacks bytes with protobuf-c and converts the tree; explains a refusal with the wire
  /// reader.
  static func decode(_ bytes: some Collection<UInt8>) throws(ProtoError) -> Self {
    let result: Swift.Result<Self, ProtoError>
    if let contiguous = bytes.withContiguousStorageIfAvailable({ decode(buffer: $0) }) {
      result = contiguous
    } else {
      result = Array(bytes).withUnsafeBufferPointer { decode(buffer: $0) }
    }
    return try result.get()
  }

  /// The protobuf-c descriptor of `CMessage`, which its `*__init` sets.
  static var cDescriptor: UnsafePointer<ProtobufCMessageDescriptor> {
    withUnsafeTemporaryAllocation(of: CMessage.self, capacity: 1) { buffer in
      cInit(buffer.baseAddress!)
      return base(buffer.baseAddress!).pointee.descriptor
    }
  }

  private static func decode(buffer: UnsafeBufferPointer<UInt8>) -> Swift.Result<Self, ProtoError> {
    let unpacked = protobuf_c_message_unpack(cDescriptor, nil, buffer.count, buffer.baseAddress)
    guard let unpacked else {
      let reason = wireProblem(in: buffer, descriptor: cDescriptor) ?? "protobuf-c rejected the \(buffer.count) bytes"
      return .failure(ProtoError(messageType: protoName, reason: reason))
    }
    defer { protobuf_c_message_free_unpacked(unpacked, nil) }
    do {
      return .success(try Self(c: UnsafeRawPointer(unpacked).assumingMemoryBound(to: CMessage.self)))
    } catch {
      return .failure(ProtoError(messageType: protoName, reason: error.reason))
    }
  }
}

// MARK: - Field conversions (the generated glue calls these)

func cBool(_ value: Bool) -> protobuf_c_boolean { value ? 1 : 0 }

/// A Swift enum as the C enum of the same numbers.
func cEnum<Value: RawRepresentable, C: RawRepresentable>(_ value: Value) -> C
where Value.RawValue: FixedWidthInteger, C.RawValue: FixedWidthInteger {
  C(rawValue: C.RawValue(truncatingIfNeeded: value.rawValue))!
}

/// A C enum as the Swift enum of the same numbers; an unknown number is the zero value (proto3
/// enums' first value, `UNSPECIFIED` in Flight).
func swiftEnum<C: RawRepresentable, Value: RawRepresentable>(_ value: C) -> Value
where Value.RawValue: FixedWidthInteger, C.RawValue: FixedWidthInteger {
  Value(rawValue: Value.RawValue(truncatingIfNeeded: value.rawValue)) ?? Value(rawValue: 0)!
}

/// The bytes of a bytes field.
func swiftBytes(_ data: ProtobufCBinaryData, _ field: String) throws(FieldError) -> [UInt8] {
  guard data.len > 0, let start = data.data else { return [] }
  return Array(UnsafeBufferPointer(start: start, count: data.len))
}

/// A `string` field (declared `bytes` in our proto), checked to be UTF-8.
func swiftBytes(_ data: ProtobufCBinaryData, _ field: String) throws(FieldError) -> String {
  guard let value = String(validating: try swiftBytes(data, field) as [UInt8], as: UTF8.self) else {
    throw FieldError(reason: "\(field) is not valid UTF-8")
  }
  return value
}

/// An optional message field: `nil` when absent.
func swiftMessage<Value: CBridged>(_ value: UnsafeMutablePointer<Value.CMessage>?, _ field: String)
  throws(FieldError) -> Value?
{
  guard let value else { return nil }
  return try Value(c: value)
}

/// A message field read as its default value when absent, as protobuf does.
func swiftMessage<Value: CBridged>(_ value: UnsafeMutablePointer<Value.CMessage>?, _ field: String)
  throws(FieldError) -> Value
{
  if let value { return try Value(c: value) }
  let empty = UnsafeMutablePointer<Value.CMessage>.allocate(capacity: 1)
  defer { empty.deallocate() }
  Value.cInit(empty)
  return try Value(c: empty)
}

/// A message field whose absence is an error.
func swiftRequired<Value: CBridged>(_ value: UnsafeMutablePointer<Value.CMessage>?, _ field: String)
  throws(FieldError) -> Value
{
  guard let value else { throw FieldError(reason: "\(field) is missing") }
  return try Value(c: value)
}

/// A repeated field: `convert` gets each C value and its index.
func swiftArray<C, Value>(
  _ values: UnsafeMutablePointer<C>?, _ count: Int, _ convert: (C, Int) throws(FieldError) -> Value
) throws(FieldError) -> [Value] {
  guard count > 0, let values else { return [] }
  var result: [Value] = []
  result.reserveCapacity(count)
  for index in 0..<count {
    result.append(try convert(values[index], index))
  }
  return result
}

/// A `map<K, V>` field from its entries; `convert` gets each entry and its index and
/// returns its key and value. A repeated key keeps the last value, as protobuf specifies.
func swiftMap<Entry, Key: Hashable, Value>(
  _ entries: UnsafeMutablePointer<UnsafeMutablePointer<Entry>?>?, _ count: Int,
  _ convert: (UnsafeMutablePointer<Entry>, Int) throws(FieldError) -> (Key, Value)
) throws(FieldError) -> [Key: Value] {
  var map: [Key: Value] = [:]
  guard count > 0, let entries else { return map }
  for index in 0..<count {
    guard let entry = entries[index] else { continue }
    let (key, value) = try convert(entry, index)
    map[key] = value
  }
  return map
}

// MARK: - Messages whose Swift shape differs from the proto's

extension FlightDescriptor {
  func fill(_ message: UnsafeMutablePointer<CMessage>, _ arena: CArena) {
    switch self {
    case .path(let path):
      message.pointee.type = ARROW__FLIGHT__PROTOCOL__FLIGHT_DESCRIPTOR__DESCRIPTOR_TYPE__PATH
      (message.pointee.n_path, message.pointee.path) = arena.array(path) { arena.binary($0) }
    case .command(let command):
      message.pointee.type = ARROW__FLIGHT__PROTOCOL__FLIGHT_DESCRIPTOR__DESCRIPTOR_TYPE__CMD
      message.pointee.cmd = arena.binary(command)
    }
  }

  init(c message: UnsafePointer<CMessage>) throws(FieldError) {
    switch message.pointee.type {
    case ARROW__FLIGHT__PROTOCOL__FLIGHT_DESCRIPTOR__DESCRIPTOR_TYPE__PATH:
      self = .path(
        try swiftArray(message.pointee.path, message.pointee.n_path) { (value, index) throws(FieldError) in
          try swiftBytes(value, "FlightDescriptor.path[\(index)]")
        })
    case ARROW__FLIGHT__PROTOCOL__FLIGHT_DESCRIPTOR__DESCRIPTOR_TYPE__CMD:
      self = .command(try swiftBytes(message.pointee.cmd, "FlightDescriptor.cmd"))
    default:
      let raw = message.pointee.type.rawValue
      let name = raw == 0 ? " (UNKNOWN)" : ""
      throw FieldError(reason: "FlightDescriptor.type is \(raw)\(name); expected PATH (1) or CMD (2)")
    }
  }
}

extension Location {
  func fill(_ message: UnsafeMutablePointer<CMessage>, _ arena: CArena) {
    message.pointee.uri = arena.binary(uri)
  }

  init(c message: UnsafePointer<CMessage>) throws(FieldError) {
    let uri: String = try swiftBytes(message.pointee.uri, "Location.uri")
    do {
      try self.init(uri: uri)
    } catch {
      throw FieldError(reason: "Location.uri: \(error)")
    }
  }
}

extension SessionOptionValue {
  func fill(_ message: UnsafeMutablePointer<CMessage>, _ arena: CArena) {
    switch self {
    case .string(let value):
      message.pointee.option_value_case = ARROW__FLIGHT__PROTOCOL__SESSION_OPTION_VALUE__OPTION_VALUE_STRING_VALUE
      message.pointee.string_value = arena.binary(value)
    case .bool(let value):
      message.pointee.option_value_case = ARROW__FLIGHT__PROTOCOL__SESSION_OPTION_VALUE__OPTION_VALUE_BOOL_VALUE
      message.pointee.bool_value = cBool(value)
    case .int64(let value):
      message.pointee.option_value_case = ARROW__FLIGHT__PROTOCOL__SESSION_OPTION_VALUE__OPTION_VALUE_INT64_VALUE
      message.pointee.int64_value = value
    case .double(let value):
      message.pointee.option_value_case = ARROW__FLIGHT__PROTOCOL__SESSION_OPTION_VALUE__OPTION_VALUE_DOUBLE_VALUE
      message.pointee.double_value = value
    case .stringList(let values):
      message.pointee.option_value_case =
        ARROW__FLIGHT__PROTOCOL__SESSION_OPTION_VALUE__OPTION_VALUE_STRING_LIST_VALUE
      message.pointee.string_list_value = arena.make { list in
        arrow__flight__protocol__session_option_value__string_list_value__init(list)
        (list.pointee.n_values, list.pointee.values) = arena.array(values) { arena.binary($0) }
      }
    case .unset:
      message.pointee.option_value_case = ARROW__FLIGHT__PROTOCOL__SESSION_OPTION_VALUE__OPTION_VALUE__NOT_SET
    }
  }

  init(c message: UnsafePointer<CMessage>) throws(FieldError) {
    switch message.pointee.option_value_case {
    case ARROW__FLIGHT__PROTOCOL__SESSION_OPTION_VALUE__OPTION_VALUE_STRING_VALUE:
      self = .string(try swiftBytes(message.pointee.string_value, "SessionOptionValue.string_value"))
    case ARROW__FLIGHT__PROTOCOL__SESSION_OPTION_VALUE__OPTION_VALUE_BOOL_VALUE:
      self = .bool(message.pointee.bool_value != 0)
    case ARROW__FLIGHT__PROTOCOL__SESSION_OPTION_VALUE__OPTION_VALUE_INT64_VALUE:
      self = .int64(message.pointee.int64_value)
    case ARROW__FLIGHT__PROTOCOL__SESSION_OPTION_VALUE__OPTION_VALUE_DOUBLE_VALUE:
      self = .double(message.pointee.double_value)
    case ARROW__FLIGHT__PROTOCOL__SESSION_OPTION_VALUE__OPTION_VALUE_STRING_LIST_VALUE:
      let list = message.pointee.string_list_value
      self = .stringList(
        try swiftArray(list?.pointee.values, list?.pointee.n_values ?? 0) { (value, index) throws(FieldError) in
          try swiftBytes(value, "SessionOptionValue.string_list_value.values[\(index)]")
        })
    default:
      self = .unset
    }
  }
}

extension SetSessionOptionsResult {
  // The proto's map<string, Error> holds Error messages of one enum field; the Swift
  // dictionary holds the enum.
  func fill(_ message: UnsafeMutablePointer<CMessage>, _ arena: CArena) {
    (message.pointee.n_errors, message.pointee.errors) = arena.map(
      errors, arrow__flight__protocol__set_session_options_result__errors_entry__init
    ) { entry, key, value in
      entry.pointee.key = arena.binary(key)
      entry.pointee.value = arena.make { error in
        arrow__flight__protocol__set_session_options_result__error__init(error)
        error.pointee.value = cEnum(value)
      }
    }
  }

  init(c message: UnsafePointer<CMessage>) throws(FieldError) {
    errors = try swiftMap(message.pointee.errors, message.pointee.n_errors) { (entry, index) throws(FieldError) in
      let key: String = try swiftBytes(entry.pointee.key, "SetSessionOptionsResult.errors[\(index)].key")
      return (key, entry.pointee.value.map { swiftEnum($0.pointee.value) } ?? .unspecified)
    }
  }
}

// MARK: - Explaining what protobuf-c refused

/// Walks `bytes` against a message descriptor with the wire reader and names the first
/// problem: a truncated or overlong varint, a length past the end, an invalid or mismatched
/// wire type, in nested messages too. `nil` when it finds none (protobuf-c may have objected to
/// something else).
private func wireProblem(
  in bytes: UnsafeBufferPointer<UInt8>, descriptor: UnsafePointer<ProtobufCMessageDescriptor>
) -> String? {
  do {
    try checkWire([Buffer(copying: bytes)], origin: 0, descriptor: descriptor)
    return nil
  } catch {
    return error.reason
  }
}

private func checkWire(
  _ parts: [Buffer], origin: Int, descriptor: UnsafePointer<ProtobufCMessageDescriptor>
) throws(ProtoError) {
  var reader = try WireReader(parts, messageType: "", origin: origin)
  while !reader.isAtEnd {
    let start = reader.position
    let (number, wireType) = try reader.readTag()
    let field = protobuf_c_message_descriptor_get_field(descriptor, UInt32(number))
    let label = field.map { "field \(number) (\(String(cString: $0.pointee.name)))" } ?? "field \(number)"
    if wireType == 3 || wireType == 4 {
      throw reader.error("\(label) at byte \(start) uses the group wire type \(wireType), which proto3 does not have")
    }
    if wireType > 5 {
      throw reader.error("\(label) at byte \(start) has invalid wire type \(wireType)")
    }
    if let field, let expected = expectedWireTypes(field.pointee), !expected.contains(wireType) {
      throw reader.error("\(label) at byte \(start) has wire type \(wireType), expected \(expected[0])")
    }
    guard let field, field.pointee.type == PROTOBUF_C_TYPE_MESSAGE,
      let nested = field.pointee.descriptor?.assumingMemoryBound(to: ProtobufCMessageDescriptor.self)
    else {
      try reader.skipField(number, wireType: wireType, at: start, depth: 0)
      continue
    }
    let body = try reader.readLengthDelimited(label, at: start)
    do {
      try checkWire([body], origin: reader.position - body.count, descriptor: nested)
    } catch {
      throw reader.error("in \(label): \(error.reason)")
    }
  }
}

/// The wire types protobuf-c accepts for a field, the usual one first.
private func expectedWireTypes(_ field: ProtobufCFieldDescriptor) -> [UInt64]? {
  let scalar: UInt64
  switch field.type {
  case PROTOBUF_C_TYPE_INT32, PROTOBUF_C_TYPE_SINT32, PROTOBUF_C_TYPE_INT64, PROTOBUF_C_TYPE_SINT64,
    PROTOBUF_C_TYPE_UINT32, PROTOBUF_C_TYPE_UINT64, PROTOBUF_C_TYPE_BOOL, PROTOBUF_C_TYPE_ENUM:
    scalar = 0
  case PROTOBUF_C_TYPE_SFIXED64, PROTOBUF_C_TYPE_FIXED64, PROTOBUF_C_TYPE_DOUBLE:
    scalar = 1
  case PROTOBUF_C_TYPE_SFIXED32, PROTOBUF_C_TYPE_FIXED32, PROTOBUF_C_TYPE_FLOAT:
    scalar = 5
  case PROTOBUF_C_TYPE_STRING, PROTOBUF_C_TYPE_BYTES, PROTOBUF_C_TYPE_MESSAGE:
    return [2]
  default:
    return nil
  }
  return field.label == PROTOBUF_C_LABEL_REPEATED ? [scalar, 2] : [scalar]
}
