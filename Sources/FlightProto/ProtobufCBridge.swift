// The protobuf-c bridge: the only file of FlightProto with unsafe pointer code.
//
// Each message type converts to a tree of the C structs generated from Protos/Flight.proto
// (allocated in a `CArena` and freed after packing) and back from the tree that protobuf-c
// unpacks (freed with the generated `*__free_unpacked`).

internal import CFlightProto

// MARK: - Machinery

/// Owns the C memory of one message tree built for packing and frees it all at once.
final class CArena {
  private var blocks: [UnsafeMutableRawPointer] = []

  init() {}

  deinit {
    for block in blocks { block.deallocate() }
  }

  /// Allocates one C struct, lets `initialize` set every field, and keeps it until `deinit`.
  func message<T>(_ initialize: (UnsafeMutablePointer<T>) -> Void) -> UnsafeMutablePointer<T> {
    let pointer = UnsafeMutablePointer<T>.allocate(capacity: 1)
    blocks.append(UnsafeMutableRawPointer(pointer))
    initialize(pointer)
    return pointer
  }

  /// Allocates a C array holding `items`; `nil` when there are none.
  func array<T>(_ items: [T]) -> UnsafeMutablePointer<T>? {
    guard !items.isEmpty else { return nil }
    let pointer = UnsafeMutablePointer<T>.allocate(capacity: items.count)
    blocks.append(UnsafeMutableRawPointer(pointer))
    pointer.initialize(from: items, count: items.count)
    return pointer
  }

  /// Copies bytes into a `ProtobufCBinaryData` (protobuf-c skips empty proto3 bytes fields).
  func binary(_ bytes: [UInt8]) -> ProtobufCBinaryData {
    guard !bytes.isEmpty else { return ProtobufCBinaryData(len: 0, data: nil) }
    let pointer = UnsafeMutablePointer<UInt8>.allocate(capacity: bytes.count)
    blocks.append(UnsafeMutableRawPointer(pointer))
    pointer.initialize(from: bytes, count: bytes.count)
    return ProtobufCBinaryData(len: bytes.count, data: pointer)
  }

  /// Copies the UTF-8 bytes of a string (a `bytes` field in our proto) without a NUL.
  func binary(_ string: String) -> ProtobufCBinaryData {
    binary(Array(string.utf8))
  }
}

/// A Swift value that converts to and from a generated protobuf-c struct.
protocol CBridged {
  /// The generated C struct.
  associatedtype CMessage
  /// Calls the generated `*__init`.
  static func cInit(_ message: UnsafeMutablePointer<CMessage>)
  /// Sets the fields of an initialized struct, allocating nested data in `arena`.
  func fill(_ message: UnsafeMutablePointer<CMessage>, _ arena: CArena)
  /// Reads an unpacked struct.
  init(c message: UnsafePointer<CMessage>) throws(FieldError)
}

extension CBridged {
  /// A C struct for this value, owned by `arena`.
  func cMessage(_ arena: CArena) -> UnsafeMutablePointer<CMessage> {
    arena.message { (message: UnsafeMutablePointer<CMessage>) in
      Self.cInit(message)
      fill(message, arena)
    }
  }
}

/// A top-level message, which has generated pack and unpack functions.
protocol CTopLevel: CBridged, FlightProtoMessage {
  static func cPackedSize(_ message: UnsafePointer<CMessage>) -> Int
  static func cPack(_ message: UnsafePointer<CMessage>, _ out: UnsafeMutablePointer<UInt8>) -> Int
  static func cUnpack(_ count: Int, _ data: UnsafePointer<UInt8>) -> UnsafeMutablePointer<CMessage>?
  static func cFree(_ message: UnsafeMutablePointer<CMessage>)
}

extension CTopLevel {
  /// Packs the value with the generated `*__get_packed_size` and `*__pack`.
  func encode() -> [UInt8] {
    let arena = CArena()
    let message = cMessage(arena)
    let size = Self.cPackedSize(message)
    return [UInt8](unsafeUninitializedCapacity: size) { buffer, initializedCount in
      guard let base = buffer.baseAddress, size > 0 else {
        initializedCount = 0
        return
      }
      let written = Self.cPack(message, base)
      precondition(written == size, "protobuf-c packed \(written) bytes of \(Self.protoName), expected \(size)")
      initializedCount = written
    }
  }

  /// Unpacks bytes with the generated `*__unpack` and converts the tree.
  static func decode(_ bytes: some Collection<UInt8>) throws(ProtoError) -> Self {
    let result: Swift.Result<Self, ProtoError>
    if let contiguous = bytes.withContiguousStorageIfAvailable({ decode(buffer: $0) }) {
      result = contiguous
    } else {
      result = Array(bytes).withUnsafeBufferPointer { decode(buffer: $0) }
    }
    return try result.get()
  }

  private static func decode(buffer: UnsafeBufferPointer<UInt8>) -> Swift.Result<Self, ProtoError> {
    let unpacked: UnsafeMutablePointer<CMessage>?
    if let base = buffer.baseAddress, buffer.count > 0 {
      unpacked = cUnpack(buffer.count, base)
    } else {
      var zero: UInt8 = 0
      unpacked = cUnpack(0, &zero)
    }
    guard let unpacked else {
      let reason = diagnoseWire(buffer, descriptor: messageDescriptor(), at: 0)
      return .failure(
        ProtoError(messageType: protoName, reason: reason ?? "protobuf-c rejected the \(buffer.count) bytes"))
    }
    defer { cFree(unpacked) }
    do {
      return .success(try Self(c: unpacked))
    } catch {
      return .failure(ProtoError(messageType: protoName, reason: error.reason))
    }
  }

  /// The protobuf-c descriptor of this message, read from an initialized struct.
  private static func messageDescriptor() -> UnsafePointer<ProtobufCMessageDescriptor>? {
    let arena = CArena()
    let message = arena.message { (message: UnsafeMutablePointer<CMessage>) in cInit(message) }
    // Every generated struct starts with its `ProtobufCMessage base`.
    return UnsafeRawPointer(message).assumingMemoryBound(to: ProtobufCMessage.self).pointee.descriptor
  }
}

// MARK: - Diagnosing bytes that protobuf-c rejects

/// Walks the wire form of `data` against a message descriptor and names the first problem:
/// truncated or overlong varints, lengths past the end, invalid or mismatched wire types.
/// Returns `nil` when it finds none (protobuf-c may still have objected to something else).
private func diagnoseWire(
  _ data: UnsafeBufferPointer<UInt8>,
  descriptor: UnsafePointer<ProtobufCMessageDescriptor>?,
  at origin: Int
) -> String? {
  var index = 0

  func readVarint(_ what: String) -> Swift.Result<UInt64, WireProblem> {
    let start = index
    var value: UInt64 = 0
    var shift: UInt64 = 0
    while index < data.count {
      let byte = data[index]
      index += 1
      if shift == 63 && byte > 1 || shift > 63 {
        return .failure(WireProblem("\(what) at byte \(origin + start) is a varint longer than 10 bytes"))
      }
      value |= UInt64(byte & 0x7F) << shift
      if byte & 0x80 == 0 { return .success(value) }
      shift += 7
    }
    return .failure(WireProblem("truncated varint (\(what)) at byte \(origin + start)"))
  }

  while index < data.count {
    let tagStart = index
    let tag: UInt64
    switch readVarint("field tag") {
    case .success(let value): tag = value
    case .failure(let problem): return problem.reason
    }
    let number = tag >> 3
    let wireType = Int(tag & 7)
    if number == 0 || number > 536_870_911 {
      return "invalid field number \(number) at byte \(origin + tagStart)"
    }
    let field = descriptor.flatMap { findField(UInt32(number), in: $0) }
    let label = field.map { "field \(number) (\(String(cString: $0.pointee.name)))" } ?? "field \(number)"
    if wireType == 3 || wireType == 4 {
      return "\(label) at byte \(origin + tagStart) uses the group wire type \(wireType), which proto3 does not have"
    }
    if wireType > 5 {
      return "\(label) at byte \(origin + tagStart) has invalid wire type \(wireType)"
    }
    if let field, let expected = expectedWireTypes(field.pointee), !expected.contains(wireType) {
      return "\(label) at byte \(origin + tagStart) has wire type \(wireType), expected \(expected[0])"
    }
    switch wireType {
    case 0:
      if case .failure(let problem) = readVarint("value of \(label)") { return problem.reason }
    case 1, 5:
      let size = wireType == 1 ? 8 : 4
      if data.count - index < size {
        return "\(label) at byte \(origin + tagStart) needs \(size) bytes, only \(data.count - index) remain"
      }
      index += size
    case 2:
      let length: UInt64
      switch readVarint("length of \(label)") {
      case .success(let value): length = value
      case .failure(let problem): return problem.reason
      }
      if length > UInt64(data.count - index) {
        return "\(label) at byte \(origin + tagStart) claims \(length) bytes, only \(data.count - index) remain"
      }
      let body = UnsafeBufferPointer(rebasing: data[index..<(index + Int(length))])
      if let field, field.pointee.type == PROTOBUF_C_TYPE_MESSAGE,
        let nested = field.pointee.descriptor?.assumingMemoryBound(to: ProtobufCMessageDescriptor.self),
        let problem = diagnoseWire(body, descriptor: nested, at: origin + index)
      {
        return "in \(label): \(problem)"
      }
      index += Int(length)
    default:
      return "\(label) at byte \(origin + tagStart) has invalid wire type \(wireType)"
    }
  }
  return nil
}

private struct WireProblem: Error {
  let reason: String
  init(_ reason: String) { self.reason = reason }
}

private func findField(
  _ number: UInt32,
  in descriptor: UnsafePointer<ProtobufCMessageDescriptor>
) -> UnsafePointer<ProtobufCFieldDescriptor>? {
  guard let fields = descriptor.pointee.fields else { return nil }
  for position in 0..<Int(descriptor.pointee.n_fields) where fields[position].id == number {
    return fields + position
  }
  return nil
}

/// The wire types protobuf-c accepts for a field, the usual one first.
private func expectedWireTypes(_ field: ProtobufCFieldDescriptor) -> [Int]? {
  let repeated = field.label == PROTOBUF_C_LABEL_REPEATED
  let scalar: Int
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
  return repeated ? [scalar, 2] : [scalar]
}

// MARK: - Field helpers

/// Copies the bytes of a binary field.
private func copyBytes(_ data: ProtobufCBinaryData) -> [UInt8] {
  guard data.len > 0, let base = data.data else { return [] }
  return Array(UnsafeBufferPointer(start: base, count: data.len))
}

/// Decodes a `string` field (declared `bytes` in our proto), checking UTF-8.
private func utf8String(_ data: ProtobufCBinaryData, _ field: String) throws(FieldError) -> String {
  guard let value = String(validating: copyBytes(data), as: UTF8.self) else {
    throw FieldError(reason: "\(field) is not valid UTF-8")
  }
  return value
}

/// Decodes a `repeated string` field.
private func utf8Strings(_ values: UnsafeMutablePointer<ProtobufCBinaryData>?, _ count: Int, _ field: String)
  throws(FieldError) -> [String]
{
  guard count > 0, let values else { return [] }
  var result: [String] = []
  result.reserveCapacity(count)
  for position in 0..<count {
    result.append(try utf8String(values[position], "\(field)[\(position)]"))
  }
  return result
}

/// Decodes a repeated message field.
private func decodeMessages<Value: CBridged>(
  _ values: UnsafeMutablePointer<UnsafeMutablePointer<Value.CMessage>?>?,
  _ count: Int,
  as type: Value.Type
) throws(FieldError) -> [Value] {
  guard count > 0, let values else { return [] }
  var result: [Value] = []
  result.reserveCapacity(count)
  for position in 0..<count {
    guard let value = values[position] else { continue }
    result.append(try Value(c: value))
  }
  return result
}

/// Decodes an optional message field.
private func decodeOptional<Value: CBridged>(
  _ value: UnsafeMutablePointer<Value.CMessage>?,
  as type: Value.Type
) throws(FieldError) -> Value? {
  guard let value else { return nil }
  return try Value(c: value)
}

/// A C enum value from a Swift raw value.
private func cEnum<E: RawRepresentable>(_ value: Int32, as type: E.Type) -> E where E.RawValue: FixedWidthInteger {
  E(rawValue: E.RawValue(truncatingIfNeeded: value))!
}

/// The raw value of a C enum, as protobuf's int32.
private func rawEnum<E: RawRepresentable>(_ value: E) -> Int32 where E.RawValue: FixedWidthInteger {
  Int32(truncatingIfNeeded: value.rawValue)
}

private func cBool(_ value: Bool) -> protobuf_c_boolean { value ? 1 : 0 }

// MARK: - Messages

extension Timestamp: CTopLevel {
  typealias CMessage = Arrow__Flight__Protocol__Timestamp

  /// The message name in `Protos/Flight.proto`.
  public static var protoName: String { "Timestamp" }

  static func cInit(_ message: UnsafeMutablePointer<CMessage>) {
    arrow__flight__protocol__timestamp__init(message)
  }

  static func cPackedSize(_ message: UnsafePointer<CMessage>) -> Int {
    arrow__flight__protocol__timestamp__get_packed_size(message)
  }

  static func cPack(_ message: UnsafePointer<CMessage>, _ out: UnsafeMutablePointer<UInt8>) -> Int {
    arrow__flight__protocol__timestamp__pack(message, out)
  }

  static func cUnpack(_ count: Int, _ data: UnsafePointer<UInt8>) -> UnsafeMutablePointer<CMessage>? {
    arrow__flight__protocol__timestamp__unpack(nil, count, data)
  }

  static func cFree(_ message: UnsafeMutablePointer<CMessage>) {
    arrow__flight__protocol__timestamp__free_unpacked(message, nil)
  }

  /// Encodes the message in its protobuf wire form.
  public func serialized() -> [UInt8] { encode() }

  /// Decodes a message from its protobuf wire form.
  ///
  /// - Throws: ``ProtoError`` naming the message type and the problem.
  public init(serializedBytes bytes: some Collection<UInt8>) throws {
    self = try Self.decode(bytes)
  }

  func fill(_ message: UnsafeMutablePointer<CMessage>, _ arena: CArena) {
    message.pointee.seconds = seconds
    message.pointee.nanos = nanos
  }

  init(c message: UnsafePointer<CMessage>) throws(FieldError) {
    self.init(seconds: message.pointee.seconds, nanos: message.pointee.nanos)
  }
}

extension HandshakeRequest: CTopLevel {
  typealias CMessage = Arrow__Flight__Protocol__HandshakeRequest

  /// The message name in `Protos/Flight.proto`.
  public static var protoName: String { "HandshakeRequest" }

  static func cInit(_ message: UnsafeMutablePointer<CMessage>) {
    arrow__flight__protocol__handshake_request__init(message)
  }

  static func cPackedSize(_ message: UnsafePointer<CMessage>) -> Int {
    arrow__flight__protocol__handshake_request__get_packed_size(message)
  }

  static func cPack(_ message: UnsafePointer<CMessage>, _ out: UnsafeMutablePointer<UInt8>) -> Int {
    arrow__flight__protocol__handshake_request__pack(message, out)
  }

  static func cUnpack(_ count: Int, _ data: UnsafePointer<UInt8>) -> UnsafeMutablePointer<CMessage>? {
    arrow__flight__protocol__handshake_request__unpack(nil, count, data)
  }

  static func cFree(_ message: UnsafeMutablePointer<CMessage>) {
    arrow__flight__protocol__handshake_request__free_unpacked(message, nil)
  }

  /// Encodes the message in its protobuf wire form.
  public func serialized() -> [UInt8] { encode() }

  /// Decodes a message from its protobuf wire form.
  ///
  /// - Throws: ``ProtoError`` naming the message type and the problem.
  public init(serializedBytes bytes: some Collection<UInt8>) throws {
    self = try Self.decode(bytes)
  }

  func fill(_ message: UnsafeMutablePointer<CMessage>, _ arena: CArena) {
    message.pointee.protocol_version = protocolVersion
    message.pointee.payload = arena.binary(payload)
  }

  init(c message: UnsafePointer<CMessage>) throws(FieldError) {
    self.init(protocolVersion: message.pointee.protocol_version, payload: copyBytes(message.pointee.payload))
  }
}

extension HandshakeResponse: CTopLevel {
  typealias CMessage = Arrow__Flight__Protocol__HandshakeResponse

  /// The message name in `Protos/Flight.proto`.
  public static var protoName: String { "HandshakeResponse" }

  static func cInit(_ message: UnsafeMutablePointer<CMessage>) {
    arrow__flight__protocol__handshake_response__init(message)
  }

  static func cPackedSize(_ message: UnsafePointer<CMessage>) -> Int {
    arrow__flight__protocol__handshake_response__get_packed_size(message)
  }

  static func cPack(_ message: UnsafePointer<CMessage>, _ out: UnsafeMutablePointer<UInt8>) -> Int {
    arrow__flight__protocol__handshake_response__pack(message, out)
  }

  static func cUnpack(_ count: Int, _ data: UnsafePointer<UInt8>) -> UnsafeMutablePointer<CMessage>? {
    arrow__flight__protocol__handshake_response__unpack(nil, count, data)
  }

  static func cFree(_ message: UnsafeMutablePointer<CMessage>) {
    arrow__flight__protocol__handshake_response__free_unpacked(message, nil)
  }

  /// Encodes the message in its protobuf wire form.
  public func serialized() -> [UInt8] { encode() }

  /// Decodes a message from its protobuf wire form.
  ///
  /// - Throws: ``ProtoError`` naming the message type and the problem.
  public init(serializedBytes bytes: some Collection<UInt8>) throws {
    self = try Self.decode(bytes)
  }

  func fill(_ message: UnsafeMutablePointer<CMessage>, _ arena: CArena) {
    message.pointee.protocol_version = protocolVersion
    message.pointee.payload = arena.binary(payload)
  }

  init(c message: UnsafePointer<CMessage>) throws(FieldError) {
    self.init(protocolVersion: message.pointee.protocol_version, payload: copyBytes(message.pointee.payload))
  }
}

extension BasicAuth: CTopLevel {
  typealias CMessage = Arrow__Flight__Protocol__BasicAuth

  /// The message name in `Protos/Flight.proto`.
  public static var protoName: String { "BasicAuth" }

  static func cInit(_ message: UnsafeMutablePointer<CMessage>) {
    arrow__flight__protocol__basic_auth__init(message)
  }

  static func cPackedSize(_ message: UnsafePointer<CMessage>) -> Int {
    arrow__flight__protocol__basic_auth__get_packed_size(message)
  }

  static func cPack(_ message: UnsafePointer<CMessage>, _ out: UnsafeMutablePointer<UInt8>) -> Int {
    arrow__flight__protocol__basic_auth__pack(message, out)
  }

  static func cUnpack(_ count: Int, _ data: UnsafePointer<UInt8>) -> UnsafeMutablePointer<CMessage>? {
    arrow__flight__protocol__basic_auth__unpack(nil, count, data)
  }

  static func cFree(_ message: UnsafeMutablePointer<CMessage>) {
    arrow__flight__protocol__basic_auth__free_unpacked(message, nil)
  }

  /// Encodes the message in its protobuf wire form.
  public func serialized() -> [UInt8] { encode() }

  /// Decodes a message from its protobuf wire form.
  ///
  /// - Throws: ``ProtoError`` naming the message type and the problem.
  public init(serializedBytes bytes: some Collection<UInt8>) throws {
    self = try Self.decode(bytes)
  }

  func fill(_ message: UnsafeMutablePointer<CMessage>, _ arena: CArena) {
    message.pointee.username = arena.binary(username)
    message.pointee.password = arena.binary(password)
  }

  init(c message: UnsafePointer<CMessage>) throws(FieldError) {
    self.init(
      username: try utf8String(message.pointee.username, "BasicAuth.username"),
      password: try utf8String(message.pointee.password, "BasicAuth.password")
    )
  }
}

extension Empty: CTopLevel {
  typealias CMessage = Arrow__Flight__Protocol__Empty

  /// The message name in `Protos/Flight.proto`.
  public static var protoName: String { "Empty" }

  static func cInit(_ message: UnsafeMutablePointer<CMessage>) {
    arrow__flight__protocol__empty__init(message)
  }

  static func cPackedSize(_ message: UnsafePointer<CMessage>) -> Int {
    arrow__flight__protocol__empty__get_packed_size(message)
  }

  static func cPack(_ message: UnsafePointer<CMessage>, _ out: UnsafeMutablePointer<UInt8>) -> Int {
    arrow__flight__protocol__empty__pack(message, out)
  }

  static func cUnpack(_ count: Int, _ data: UnsafePointer<UInt8>) -> UnsafeMutablePointer<CMessage>? {
    arrow__flight__protocol__empty__unpack(nil, count, data)
  }

  static func cFree(_ message: UnsafeMutablePointer<CMessage>) {
    arrow__flight__protocol__empty__free_unpacked(message, nil)
  }

  /// Encodes the message in its protobuf wire form.
  public func serialized() -> [UInt8] { encode() }

  /// Decodes a message from its protobuf wire form.
  ///
  /// - Throws: ``ProtoError`` naming the message type and the problem.
  public init(serializedBytes bytes: some Collection<UInt8>) throws {
    self = try Self.decode(bytes)
  }

  func fill(_ message: UnsafeMutablePointer<CMessage>, _ arena: CArena) {}

  init(c message: UnsafePointer<CMessage>) throws(FieldError) {
    self.init()
  }
}

extension ActionType: CTopLevel {
  typealias CMessage = Arrow__Flight__Protocol__ActionType

  /// The message name in `Protos/Flight.proto`.
  public static var protoName: String { "ActionType" }

  static func cInit(_ message: UnsafeMutablePointer<CMessage>) {
    arrow__flight__protocol__action_type__init(message)
  }

  static func cPackedSize(_ message: UnsafePointer<CMessage>) -> Int {
    arrow__flight__protocol__action_type__get_packed_size(message)
  }

  static func cPack(_ message: UnsafePointer<CMessage>, _ out: UnsafeMutablePointer<UInt8>) -> Int {
    arrow__flight__protocol__action_type__pack(message, out)
  }

  static func cUnpack(_ count: Int, _ data: UnsafePointer<UInt8>) -> UnsafeMutablePointer<CMessage>? {
    arrow__flight__protocol__action_type__unpack(nil, count, data)
  }

  static func cFree(_ message: UnsafeMutablePointer<CMessage>) {
    arrow__flight__protocol__action_type__free_unpacked(message, nil)
  }

  /// Encodes the message in its protobuf wire form.
  public func serialized() -> [UInt8] { encode() }

  /// Decodes a message from its protobuf wire form.
  ///
  /// - Throws: ``ProtoError`` naming the message type and the problem.
  public init(serializedBytes bytes: some Collection<UInt8>) throws {
    self = try Self.decode(bytes)
  }

  func fill(_ message: UnsafeMutablePointer<CMessage>, _ arena: CArena) {
    message.pointee.type = arena.binary(type)
    message.pointee.description = arena.binary(description)
  }

  init(c message: UnsafePointer<CMessage>) throws(FieldError) {
    self.init(
      type: try utf8String(message.pointee.type, "ActionType.type"),
      description: try utf8String(message.pointee.description, "ActionType.description")
    )
  }
}

extension Criteria: CTopLevel {
  typealias CMessage = Arrow__Flight__Protocol__Criteria

  /// The message name in `Protos/Flight.proto`.
  public static var protoName: String { "Criteria" }

  static func cInit(_ message: UnsafeMutablePointer<CMessage>) {
    arrow__flight__protocol__criteria__init(message)
  }

  static func cPackedSize(_ message: UnsafePointer<CMessage>) -> Int {
    arrow__flight__protocol__criteria__get_packed_size(message)
  }

  static func cPack(_ message: UnsafePointer<CMessage>, _ out: UnsafeMutablePointer<UInt8>) -> Int {
    arrow__flight__protocol__criteria__pack(message, out)
  }

  static func cUnpack(_ count: Int, _ data: UnsafePointer<UInt8>) -> UnsafeMutablePointer<CMessage>? {
    arrow__flight__protocol__criteria__unpack(nil, count, data)
  }

  static func cFree(_ message: UnsafeMutablePointer<CMessage>) {
    arrow__flight__protocol__criteria__free_unpacked(message, nil)
  }

  /// Encodes the message in its protobuf wire form.
  public func serialized() -> [UInt8] { encode() }

  /// Decodes a message from its protobuf wire form.
  ///
  /// - Throws: ``ProtoError`` naming the message type and the problem.
  public init(serializedBytes bytes: some Collection<UInt8>) throws {
    self = try Self.decode(bytes)
  }

  func fill(_ message: UnsafeMutablePointer<CMessage>, _ arena: CArena) {
    message.pointee.expression = arena.binary(expression)
  }

  init(c message: UnsafePointer<CMessage>) throws(FieldError) {
    self.init(expression: copyBytes(message.pointee.expression))
  }
}

extension Action: CTopLevel {
  typealias CMessage = Arrow__Flight__Protocol__Action

  /// The message name in `Protos/Flight.proto`.
  public static var protoName: String { "Action" }

  static func cInit(_ message: UnsafeMutablePointer<CMessage>) {
    arrow__flight__protocol__action__init(message)
  }

  static func cPackedSize(_ message: UnsafePointer<CMessage>) -> Int {
    arrow__flight__protocol__action__get_packed_size(message)
  }

  static func cPack(_ message: UnsafePointer<CMessage>, _ out: UnsafeMutablePointer<UInt8>) -> Int {
    arrow__flight__protocol__action__pack(message, out)
  }

  static func cUnpack(_ count: Int, _ data: UnsafePointer<UInt8>) -> UnsafeMutablePointer<CMessage>? {
    arrow__flight__protocol__action__unpack(nil, count, data)
  }

  static func cFree(_ message: UnsafeMutablePointer<CMessage>) {
    arrow__flight__protocol__action__free_unpacked(message, nil)
  }

  /// Encodes the message in its protobuf wire form.
  public func serialized() -> [UInt8] { encode() }

  /// Decodes a message from its protobuf wire form.
  ///
  /// - Throws: ``ProtoError`` naming the message type and the problem.
  public init(serializedBytes bytes: some Collection<UInt8>) throws {
    self = try Self.decode(bytes)
  }

  func fill(_ message: UnsafeMutablePointer<CMessage>, _ arena: CArena) {
    message.pointee.type = arena.binary(type)
    message.pointee.body = arena.binary(body)
  }

  init(c message: UnsafePointer<CMessage>) throws(FieldError) {
    self.init(type: try utf8String(message.pointee.type, "Action.type"), body: copyBytes(message.pointee.body))
  }
}

extension FlightResult: CTopLevel {
  typealias CMessage = Arrow__Flight__Protocol__Result

  /// The message name in `Protos/Flight.proto`.
  public static var protoName: String { "Result" }

  static func cInit(_ message: UnsafeMutablePointer<CMessage>) {
    arrow__flight__protocol__result__init(message)
  }

  static func cPackedSize(_ message: UnsafePointer<CMessage>) -> Int {
    arrow__flight__protocol__result__get_packed_size(message)
  }

  static func cPack(_ message: UnsafePointer<CMessage>, _ out: UnsafeMutablePointer<UInt8>) -> Int {
    arrow__flight__protocol__result__pack(message, out)
  }

  static func cUnpack(_ count: Int, _ data: UnsafePointer<UInt8>) -> UnsafeMutablePointer<CMessage>? {
    arrow__flight__protocol__result__unpack(nil, count, data)
  }

  static func cFree(_ message: UnsafeMutablePointer<CMessage>) {
    arrow__flight__protocol__result__free_unpacked(message, nil)
  }

  /// Encodes the message in its protobuf wire form.
  public func serialized() -> [UInt8] { encode() }

  /// Decodes a message from its protobuf wire form.
  ///
  /// - Throws: ``ProtoError`` naming the message type and the problem.
  public init(serializedBytes bytes: some Collection<UInt8>) throws {
    self = try Self.decode(bytes)
  }

  func fill(_ message: UnsafeMutablePointer<CMessage>, _ arena: CArena) {
    message.pointee.body = arena.binary(body)
  }

  init(c message: UnsafePointer<CMessage>) throws(FieldError) {
    self.init(body: copyBytes(message.pointee.body))
  }
}

extension SchemaResult: CTopLevel {
  typealias CMessage = Arrow__Flight__Protocol__SchemaResult

  /// The message name in `Protos/Flight.proto`.
  public static var protoName: String { "SchemaResult" }

  static func cInit(_ message: UnsafeMutablePointer<CMessage>) {
    arrow__flight__protocol__schema_result__init(message)
  }

  static func cPackedSize(_ message: UnsafePointer<CMessage>) -> Int {
    arrow__flight__protocol__schema_result__get_packed_size(message)
  }

  static func cPack(_ message: UnsafePointer<CMessage>, _ out: UnsafeMutablePointer<UInt8>) -> Int {
    arrow__flight__protocol__schema_result__pack(message, out)
  }

  static func cUnpack(_ count: Int, _ data: UnsafePointer<UInt8>) -> UnsafeMutablePointer<CMessage>? {
    arrow__flight__protocol__schema_result__unpack(nil, count, data)
  }

  static func cFree(_ message: UnsafeMutablePointer<CMessage>) {
    arrow__flight__protocol__schema_result__free_unpacked(message, nil)
  }

  /// Encodes the message in its protobuf wire form.
  public func serialized() -> [UInt8] { encode() }

  /// Decodes a message from its protobuf wire form.
  ///
  /// - Throws: ``ProtoError`` naming the message type and the problem.
  public init(serializedBytes bytes: some Collection<UInt8>) throws {
    self = try Self.decode(bytes)
  }

  func fill(_ message: UnsafeMutablePointer<CMessage>, _ arena: CArena) {
    message.pointee.schema = arena.binary(schema)
  }

  init(c message: UnsafePointer<CMessage>) throws(FieldError) {
    self.init(schema: copyBytes(message.pointee.schema))
  }
}

extension FlightDescriptor: CTopLevel {
  typealias CMessage = Arrow__Flight__Protocol__FlightDescriptor

  /// The message name in `Protos/Flight.proto`.
  public static var protoName: String { "FlightDescriptor" }

  static func cInit(_ message: UnsafeMutablePointer<CMessage>) {
    arrow__flight__protocol__flight_descriptor__init(message)
  }

  static func cPackedSize(_ message: UnsafePointer<CMessage>) -> Int {
    arrow__flight__protocol__flight_descriptor__get_packed_size(message)
  }

  static func cPack(_ message: UnsafePointer<CMessage>, _ out: UnsafeMutablePointer<UInt8>) -> Int {
    arrow__flight__protocol__flight_descriptor__pack(message, out)
  }

  static func cUnpack(_ count: Int, _ data: UnsafePointer<UInt8>) -> UnsafeMutablePointer<CMessage>? {
    arrow__flight__protocol__flight_descriptor__unpack(nil, count, data)
  }

  static func cFree(_ message: UnsafeMutablePointer<CMessage>) {
    arrow__flight__protocol__flight_descriptor__free_unpacked(message, nil)
  }

  /// Encodes the message in its protobuf wire form.
  public func serialized() -> [UInt8] { encode() }

  /// Decodes a message from its protobuf wire form.
  ///
  /// - Throws: ``ProtoError`` naming the message type and the problem.
  public init(serializedBytes bytes: some Collection<UInt8>) throws {
    self = try Self.decode(bytes)
  }

  func fill(_ message: UnsafeMutablePointer<CMessage>, _ arena: CArena) {
    switch self {
    case .path(let path):
      message.pointee.type = ARROW__FLIGHT__PROTOCOL__FLIGHT_DESCRIPTOR__DESCRIPTOR_TYPE__PATH
      message.pointee.n_path = path.count
      message.pointee.path = arena.array(path.map { arena.binary($0) })
    case .command(let command):
      message.pointee.type = ARROW__FLIGHT__PROTOCOL__FLIGHT_DESCRIPTOR__DESCRIPTOR_TYPE__CMD
      message.pointee.cmd = arena.binary(command)
    }
  }

  init(c message: UnsafePointer<CMessage>) throws(FieldError) {
    switch message.pointee.type {
    case ARROW__FLIGHT__PROTOCOL__FLIGHT_DESCRIPTOR__DESCRIPTOR_TYPE__PATH:
      self = .path(try utf8Strings(message.pointee.path, message.pointee.n_path, "FlightDescriptor.path"))
    case ARROW__FLIGHT__PROTOCOL__FLIGHT_DESCRIPTOR__DESCRIPTOR_TYPE__CMD:
      self = .command(copyBytes(message.pointee.cmd))
    default:
      let raw = rawEnum(message.pointee.type)
      let name = raw == 0 ? " (UNKNOWN)" : ""
      throw FieldError(reason: "FlightDescriptor.type is \(raw)\(name); expected PATH (1) or CMD (2)")
    }
  }
}

extension FlightInfo: CTopLevel {
  typealias CMessage = Arrow__Flight__Protocol__FlightInfo

  /// The message name in `Protos/Flight.proto`.
  public static var protoName: String { "FlightInfo" }

  static func cInit(_ message: UnsafeMutablePointer<CMessage>) {
    arrow__flight__protocol__flight_info__init(message)
  }

  static func cPackedSize(_ message: UnsafePointer<CMessage>) -> Int {
    arrow__flight__protocol__flight_info__get_packed_size(message)
  }

  static func cPack(_ message: UnsafePointer<CMessage>, _ out: UnsafeMutablePointer<UInt8>) -> Int {
    arrow__flight__protocol__flight_info__pack(message, out)
  }

  static func cUnpack(_ count: Int, _ data: UnsafePointer<UInt8>) -> UnsafeMutablePointer<CMessage>? {
    arrow__flight__protocol__flight_info__unpack(nil, count, data)
  }

  static func cFree(_ message: UnsafeMutablePointer<CMessage>) {
    arrow__flight__protocol__flight_info__free_unpacked(message, nil)
  }

  /// Encodes the message in its protobuf wire form.
  public func serialized() -> [UInt8] { encode() }

  /// Decodes a message from its protobuf wire form.
  ///
  /// - Throws: ``ProtoError`` naming the message type and the problem.
  public init(serializedBytes bytes: some Collection<UInt8>) throws {
    self = try Self.decode(bytes)
  }

  func fill(_ message: UnsafeMutablePointer<CMessage>, _ arena: CArena) {
    message.pointee.schema = arena.binary(schema)
    message.pointee.flight_descriptor = flightDescriptor?.cMessage(arena)
    message.pointee.n_endpoint = endpoints.count
    message.pointee.endpoint = arena.array(endpoints.map { Optional($0.cMessage(arena)) })
    message.pointee.total_records = totalRecords
    message.pointee.total_bytes = totalBytes
    message.pointee.ordered = cBool(ordered)
    message.pointee.app_metadata = arena.binary(appMetadata)
  }

  init(c message: UnsafePointer<CMessage>) throws(FieldError) {
    self.init(
      schema: copyBytes(message.pointee.schema),
      flightDescriptor: try decodeOptional(message.pointee.flight_descriptor, as: FlightDescriptor.self),
      endpoints: try decodeMessages(message.pointee.endpoint, message.pointee.n_endpoint, as: FlightEndpoint.self),
      totalRecords: message.pointee.total_records,
      totalBytes: message.pointee.total_bytes,
      ordered: message.pointee.ordered != 0,
      appMetadata: copyBytes(message.pointee.app_metadata)
    )
  }
}

extension PollInfo: CTopLevel {
  typealias CMessage = Arrow__Flight__Protocol__PollInfo

  /// The message name in `Protos/Flight.proto`.
  public static var protoName: String { "PollInfo" }

  static func cInit(_ message: UnsafeMutablePointer<CMessage>) {
    arrow__flight__protocol__poll_info__init(message)
  }

  static func cPackedSize(_ message: UnsafePointer<CMessage>) -> Int {
    arrow__flight__protocol__poll_info__get_packed_size(message)
  }

  static func cPack(_ message: UnsafePointer<CMessage>, _ out: UnsafeMutablePointer<UInt8>) -> Int {
    arrow__flight__protocol__poll_info__pack(message, out)
  }

  static func cUnpack(_ count: Int, _ data: UnsafePointer<UInt8>) -> UnsafeMutablePointer<CMessage>? {
    arrow__flight__protocol__poll_info__unpack(nil, count, data)
  }

  static func cFree(_ message: UnsafeMutablePointer<CMessage>) {
    arrow__flight__protocol__poll_info__free_unpacked(message, nil)
  }

  /// Encodes the message in its protobuf wire form.
  public func serialized() -> [UInt8] { encode() }

  /// Decodes a message from its protobuf wire form.
  ///
  /// - Throws: ``ProtoError`` naming the message type and the problem.
  public init(serializedBytes bytes: some Collection<UInt8>) throws {
    self = try Self.decode(bytes)
  }

  func fill(_ message: UnsafeMutablePointer<CMessage>, _ arena: CArena) {
    message.pointee.info = info?.cMessage(arena)
    message.pointee.flight_descriptor = flightDescriptor?.cMessage(arena)
    if let progress {
      message.pointee.progress_presence_case = ARROW__FLIGHT__PROTOCOL__POLL_INFO__PROGRESS_PRESENCE_PROGRESS
      message.pointee.progress = progress
    }
    message.pointee.expiration_time = expirationTime?.cMessage(arena)
  }

  init(c message: UnsafePointer<CMessage>) throws(FieldError) {
    let hasProgress =
      message.pointee.progress_presence_case == ARROW__FLIGHT__PROTOCOL__POLL_INFO__PROGRESS_PRESENCE_PROGRESS
    self.init(
      info: try decodeOptional(message.pointee.info, as: FlightInfo.self),
      flightDescriptor: try decodeOptional(message.pointee.flight_descriptor, as: FlightDescriptor.self),
      progress: hasProgress ? message.pointee.progress : nil,
      expirationTime: try decodeOptional(message.pointee.expiration_time, as: Timestamp.self)
    )
  }
}

extension CancelFlightInfoRequest: CTopLevel {
  typealias CMessage = Arrow__Flight__Protocol__CancelFlightInfoRequest

  /// The message name in `Protos/Flight.proto`.
  public static var protoName: String { "CancelFlightInfoRequest" }

  static func cInit(_ message: UnsafeMutablePointer<CMessage>) {
    arrow__flight__protocol__cancel_flight_info_request__init(message)
  }

  static func cPackedSize(_ message: UnsafePointer<CMessage>) -> Int {
    arrow__flight__protocol__cancel_flight_info_request__get_packed_size(message)
  }

  static func cPack(_ message: UnsafePointer<CMessage>, _ out: UnsafeMutablePointer<UInt8>) -> Int {
    arrow__flight__protocol__cancel_flight_info_request__pack(message, out)
  }

  static func cUnpack(_ count: Int, _ data: UnsafePointer<UInt8>) -> UnsafeMutablePointer<CMessage>? {
    arrow__flight__protocol__cancel_flight_info_request__unpack(nil, count, data)
  }

  static func cFree(_ message: UnsafeMutablePointer<CMessage>) {
    arrow__flight__protocol__cancel_flight_info_request__free_unpacked(message, nil)
  }

  /// Encodes the message in its protobuf wire form.
  public func serialized() -> [UInt8] { encode() }

  /// Decodes a message from its protobuf wire form.
  ///
  /// - Throws: ``ProtoError`` naming the message type and the problem.
  public init(serializedBytes bytes: some Collection<UInt8>) throws {
    self = try Self.decode(bytes)
  }

  func fill(_ message: UnsafeMutablePointer<CMessage>, _ arena: CArena) {
    message.pointee.info = info.cMessage(arena)
  }

  init(c message: UnsafePointer<CMessage>) throws(FieldError) {
    guard let info = try decodeOptional(message.pointee.info, as: FlightInfo.self) else {
      throw FieldError(reason: "CancelFlightInfoRequest.info is missing")
    }
    self.init(info: info)
  }
}

extension CancelFlightInfoResult: CTopLevel {
  typealias CMessage = Arrow__Flight__Protocol__CancelFlightInfoResult

  /// The message name in `Protos/Flight.proto`.
  public static var protoName: String { "CancelFlightInfoResult" }

  static func cInit(_ message: UnsafeMutablePointer<CMessage>) {
    arrow__flight__protocol__cancel_flight_info_result__init(message)
  }

  static func cPackedSize(_ message: UnsafePointer<CMessage>) -> Int {
    arrow__flight__protocol__cancel_flight_info_result__get_packed_size(message)
  }

  static func cPack(_ message: UnsafePointer<CMessage>, _ out: UnsafeMutablePointer<UInt8>) -> Int {
    arrow__flight__protocol__cancel_flight_info_result__pack(message, out)
  }

  static func cUnpack(_ count: Int, _ data: UnsafePointer<UInt8>) -> UnsafeMutablePointer<CMessage>? {
    arrow__flight__protocol__cancel_flight_info_result__unpack(nil, count, data)
  }

  static func cFree(_ message: UnsafeMutablePointer<CMessage>) {
    arrow__flight__protocol__cancel_flight_info_result__free_unpacked(message, nil)
  }

  /// Encodes the message in its protobuf wire form.
  public func serialized() -> [UInt8] { encode() }

  /// Decodes a message from its protobuf wire form.
  ///
  /// - Throws: ``ProtoError`` naming the message type and the problem.
  public init(serializedBytes bytes: some Collection<UInt8>) throws {
    self = try Self.decode(bytes)
  }

  func fill(_ message: UnsafeMutablePointer<CMessage>, _ arena: CArena) {
    message.pointee.status = cEnum(status.rawValue, as: Arrow__Flight__Protocol__CancelStatus.self)
  }

  init(c message: UnsafePointer<CMessage>) throws(FieldError) {
    self.init(status: CancelStatus(rawValue: rawEnum(message.pointee.status)) ?? .unspecified)
  }
}

extension Ticket: CTopLevel {
  typealias CMessage = Arrow__Flight__Protocol__Ticket

  /// The message name in `Protos/Flight.proto`.
  public static var protoName: String { "Ticket" }

  static func cInit(_ message: UnsafeMutablePointer<CMessage>) {
    arrow__flight__protocol__ticket__init(message)
  }

  static func cPackedSize(_ message: UnsafePointer<CMessage>) -> Int {
    arrow__flight__protocol__ticket__get_packed_size(message)
  }

  static func cPack(_ message: UnsafePointer<CMessage>, _ out: UnsafeMutablePointer<UInt8>) -> Int {
    arrow__flight__protocol__ticket__pack(message, out)
  }

  static func cUnpack(_ count: Int, _ data: UnsafePointer<UInt8>) -> UnsafeMutablePointer<CMessage>? {
    arrow__flight__protocol__ticket__unpack(nil, count, data)
  }

  static func cFree(_ message: UnsafeMutablePointer<CMessage>) {
    arrow__flight__protocol__ticket__free_unpacked(message, nil)
  }

  /// Encodes the message in its protobuf wire form.
  public func serialized() -> [UInt8] { encode() }

  /// Decodes a message from its protobuf wire form.
  ///
  /// - Throws: ``ProtoError`` naming the message type and the problem.
  public init(serializedBytes bytes: some Collection<UInt8>) throws {
    self = try Self.decode(bytes)
  }

  func fill(_ message: UnsafeMutablePointer<CMessage>, _ arena: CArena) {
    message.pointee.ticket = arena.binary(ticket)
  }

  init(c message: UnsafePointer<CMessage>) throws(FieldError) {
    self.init(copyBytes(message.pointee.ticket))
  }
}

extension Location: CTopLevel {
  typealias CMessage = Arrow__Flight__Protocol__Location

  /// The message name in `Protos/Flight.proto`.
  public static var protoName: String { "Location" }

  static func cInit(_ message: UnsafeMutablePointer<CMessage>) {
    arrow__flight__protocol__location__init(message)
  }

  static func cPackedSize(_ message: UnsafePointer<CMessage>) -> Int {
    arrow__flight__protocol__location__get_packed_size(message)
  }

  static func cPack(_ message: UnsafePointer<CMessage>, _ out: UnsafeMutablePointer<UInt8>) -> Int {
    arrow__flight__protocol__location__pack(message, out)
  }

  static func cUnpack(_ count: Int, _ data: UnsafePointer<UInt8>) -> UnsafeMutablePointer<CMessage>? {
    arrow__flight__protocol__location__unpack(nil, count, data)
  }

  static func cFree(_ message: UnsafeMutablePointer<CMessage>) {
    arrow__flight__protocol__location__free_unpacked(message, nil)
  }

  /// Encodes the message in its protobuf wire form.
  public func serialized() -> [UInt8] { encode() }

  /// Decodes a message from its protobuf wire form.
  ///
  /// - Throws: ``ProtoError`` naming the message type and the problem.
  public init(serializedBytes bytes: some Collection<UInt8>) throws {
    self = try Self.decode(bytes)
  }

  func fill(_ message: UnsafeMutablePointer<CMessage>, _ arena: CArena) {
    message.pointee.uri = arena.binary(uri)
  }

  init(c message: UnsafePointer<CMessage>) throws(FieldError) {
    let uri = try utf8String(message.pointee.uri, "Location.uri")
    do {
      try self.init(uri: uri)
    } catch {
      throw FieldError(reason: "Location.uri: \(error)")
    }
  }
}

extension FlightEndpoint: CTopLevel {
  typealias CMessage = Arrow__Flight__Protocol__FlightEndpoint

  /// The message name in `Protos/Flight.proto`.
  public static var protoName: String { "FlightEndpoint" }

  static func cInit(_ message: UnsafeMutablePointer<CMessage>) {
    arrow__flight__protocol__flight_endpoint__init(message)
  }

  static func cPackedSize(_ message: UnsafePointer<CMessage>) -> Int {
    arrow__flight__protocol__flight_endpoint__get_packed_size(message)
  }

  static func cPack(_ message: UnsafePointer<CMessage>, _ out: UnsafeMutablePointer<UInt8>) -> Int {
    arrow__flight__protocol__flight_endpoint__pack(message, out)
  }

  static func cUnpack(_ count: Int, _ data: UnsafePointer<UInt8>) -> UnsafeMutablePointer<CMessage>? {
    arrow__flight__protocol__flight_endpoint__unpack(nil, count, data)
  }

  static func cFree(_ message: UnsafeMutablePointer<CMessage>) {
    arrow__flight__protocol__flight_endpoint__free_unpacked(message, nil)
  }

  /// Encodes the message in its protobuf wire form.
  public func serialized() -> [UInt8] { encode() }

  /// Decodes a message from its protobuf wire form.
  ///
  /// - Throws: ``ProtoError`` naming the message type and the problem.
  public init(serializedBytes bytes: some Collection<UInt8>) throws {
    self = try Self.decode(bytes)
  }

  func fill(_ message: UnsafeMutablePointer<CMessage>, _ arena: CArena) {
    message.pointee.ticket = ticket.cMessage(arena)
    message.pointee.n_location = locations.count
    message.pointee.location = arena.array(locations.map { Optional($0.cMessage(arena)) })
    message.pointee.expiration_time = expirationTime?.cMessage(arena)
    message.pointee.app_metadata = arena.binary(appMetadata)
  }

  init(c message: UnsafePointer<CMessage>) throws(FieldError) {
    self.init(
      ticket: try decodeOptional(message.pointee.ticket, as: Ticket.self) ?? Ticket([UInt8]()),
      locations: try decodeMessages(message.pointee.location, message.pointee.n_location, as: Location.self),
      expirationTime: try decodeOptional(message.pointee.expiration_time, as: Timestamp.self),
      appMetadata: copyBytes(message.pointee.app_metadata)
    )
  }
}

extension RenewFlightEndpointRequest: CTopLevel {
  typealias CMessage = Arrow__Flight__Protocol__RenewFlightEndpointRequest

  /// The message name in `Protos/Flight.proto`.
  public static var protoName: String { "RenewFlightEndpointRequest" }

  static func cInit(_ message: UnsafeMutablePointer<CMessage>) {
    arrow__flight__protocol__renew_flight_endpoint_request__init(message)
  }

  static func cPackedSize(_ message: UnsafePointer<CMessage>) -> Int {
    arrow__flight__protocol__renew_flight_endpoint_request__get_packed_size(message)
  }

  static func cPack(_ message: UnsafePointer<CMessage>, _ out: UnsafeMutablePointer<UInt8>) -> Int {
    arrow__flight__protocol__renew_flight_endpoint_request__pack(message, out)
  }

  static func cUnpack(_ count: Int, _ data: UnsafePointer<UInt8>) -> UnsafeMutablePointer<CMessage>? {
    arrow__flight__protocol__renew_flight_endpoint_request__unpack(nil, count, data)
  }

  static func cFree(_ message: UnsafeMutablePointer<CMessage>) {
    arrow__flight__protocol__renew_flight_endpoint_request__free_unpacked(message, nil)
  }

  /// Encodes the message in its protobuf wire form.
  public func serialized() -> [UInt8] { encode() }

  /// Decodes a message from its protobuf wire form.
  ///
  /// - Throws: ``ProtoError`` naming the message type and the problem.
  public init(serializedBytes bytes: some Collection<UInt8>) throws {
    self = try Self.decode(bytes)
  }

  func fill(_ message: UnsafeMutablePointer<CMessage>, _ arena: CArena) {
    message.pointee.endpoint = endpoint.cMessage(arena)
  }

  init(c message: UnsafePointer<CMessage>) throws(FieldError) {
    guard let endpoint = try decodeOptional(message.pointee.endpoint, as: FlightEndpoint.self) else {
      throw FieldError(reason: "RenewFlightEndpointRequest.endpoint is missing")
    }
    self.init(endpoint: endpoint)
  }
}

extension PutResult: CTopLevel {
  typealias CMessage = Arrow__Flight__Protocol__PutResult

  /// The message name in `Protos/Flight.proto`.
  public static var protoName: String { "PutResult" }

  static func cInit(_ message: UnsafeMutablePointer<CMessage>) {
    arrow__flight__protocol__put_result__init(message)
  }

  static func cPackedSize(_ message: UnsafePointer<CMessage>) -> Int {
    arrow__flight__protocol__put_result__get_packed_size(message)
  }

  static func cPack(_ message: UnsafePointer<CMessage>, _ out: UnsafeMutablePointer<UInt8>) -> Int {
    arrow__flight__protocol__put_result__pack(message, out)
  }

  static func cUnpack(_ count: Int, _ data: UnsafePointer<UInt8>) -> UnsafeMutablePointer<CMessage>? {
    arrow__flight__protocol__put_result__unpack(nil, count, data)
  }

  static func cFree(_ message: UnsafeMutablePointer<CMessage>) {
    arrow__flight__protocol__put_result__free_unpacked(message, nil)
  }

  /// Encodes the message in its protobuf wire form.
  public func serialized() -> [UInt8] { encode() }

  /// Decodes a message from its protobuf wire form.
  ///
  /// - Throws: ``ProtoError`` naming the message type and the problem.
  public init(serializedBytes bytes: some Collection<UInt8>) throws {
    self = try Self.decode(bytes)
  }

  func fill(_ message: UnsafeMutablePointer<CMessage>, _ arena: CArena) {
    message.pointee.app_metadata = arena.binary(appMetadata)
  }

  init(c message: UnsafePointer<CMessage>) throws(FieldError) {
    self.init(appMetadata: copyBytes(message.pointee.app_metadata))
  }
}

extension SessionOptionValue: CTopLevel {
  typealias CMessage = Arrow__Flight__Protocol__SessionOptionValue

  /// The message name in `Protos/Flight.proto`.
  public static var protoName: String { "SessionOptionValue" }

  static func cInit(_ message: UnsafeMutablePointer<CMessage>) {
    arrow__flight__protocol__session_option_value__init(message)
  }

  static func cPackedSize(_ message: UnsafePointer<CMessage>) -> Int {
    arrow__flight__protocol__session_option_value__get_packed_size(message)
  }

  static func cPack(_ message: UnsafePointer<CMessage>, _ out: UnsafeMutablePointer<UInt8>) -> Int {
    arrow__flight__protocol__session_option_value__pack(message, out)
  }

  static func cUnpack(_ count: Int, _ data: UnsafePointer<UInt8>) -> UnsafeMutablePointer<CMessage>? {
    arrow__flight__protocol__session_option_value__unpack(nil, count, data)
  }

  static func cFree(_ message: UnsafeMutablePointer<CMessage>) {
    arrow__flight__protocol__session_option_value__free_unpacked(message, nil)
  }

  /// Encodes the message in its protobuf wire form.
  public func serialized() -> [UInt8] { encode() }

  /// Decodes a message from its protobuf wire form.
  ///
  /// - Throws: ``ProtoError`` naming the message type and the problem.
  public init(serializedBytes bytes: some Collection<UInt8>) throws {
    self = try Self.decode(bytes)
  }

  func fill(_ message: UnsafeMutablePointer<CMessage>, _ arena: CArena) {
    switch self {
    case .string(let value):
      message.pointee.option_value_case =
        ARROW__FLIGHT__PROTOCOL__SESSION_OPTION_VALUE__OPTION_VALUE_STRING_VALUE
      message.pointee.string_value = arena.binary(value)
    case .bool(let value):
      message.pointee.option_value_case = ARROW__FLIGHT__PROTOCOL__SESSION_OPTION_VALUE__OPTION_VALUE_BOOL_VALUE
      message.pointee.bool_value = cBool(value)
    case .int64(let value):
      message.pointee.option_value_case = ARROW__FLIGHT__PROTOCOL__SESSION_OPTION_VALUE__OPTION_VALUE_INT64_VALUE
      message.pointee.int64_value = value
    case .double(let value):
      message.pointee.option_value_case =
        ARROW__FLIGHT__PROTOCOL__SESSION_OPTION_VALUE__OPTION_VALUE_DOUBLE_VALUE
      message.pointee.double_value = value
    case .stringList(let values):
      message.pointee.option_value_case =
        ARROW__FLIGHT__PROTOCOL__SESSION_OPTION_VALUE__OPTION_VALUE_STRING_LIST_VALUE
      message.pointee.string_list_value = arena.message { list in
        arrow__flight__protocol__session_option_value__string_list_value__init(list)
        list.pointee.n_values = values.count
        list.pointee.values = arena.array(values.map { arena.binary($0) })
      }
    case .unset:
      message.pointee.option_value_case = ARROW__FLIGHT__PROTOCOL__SESSION_OPTION_VALUE__OPTION_VALUE__NOT_SET
    }
  }

  init(c message: UnsafePointer<CMessage>) throws(FieldError) {
    switch message.pointee.option_value_case {
    case ARROW__FLIGHT__PROTOCOL__SESSION_OPTION_VALUE__OPTION_VALUE_STRING_VALUE:
      self = .string(try utf8String(message.pointee.string_value, "SessionOptionValue.string_value"))
    case ARROW__FLIGHT__PROTOCOL__SESSION_OPTION_VALUE__OPTION_VALUE_BOOL_VALUE:
      self = .bool(message.pointee.bool_value != 0)
    case ARROW__FLIGHT__PROTOCOL__SESSION_OPTION_VALUE__OPTION_VALUE_INT64_VALUE:
      self = .int64(message.pointee.int64_value)
    case ARROW__FLIGHT__PROTOCOL__SESSION_OPTION_VALUE__OPTION_VALUE_DOUBLE_VALUE:
      self = .double(message.pointee.double_value)
    case ARROW__FLIGHT__PROTOCOL__SESSION_OPTION_VALUE__OPTION_VALUE_STRING_LIST_VALUE:
      guard let list = message.pointee.string_list_value else {
        self = .stringList([])
        return
      }
      self = .stringList(
        try utf8Strings(list.pointee.values, list.pointee.n_values, "SessionOptionValue.string_list_value.values")
      )
    default:
      self = .unset
    }
  }
}

extension SetSessionOptionsRequest: CTopLevel {
  typealias CMessage = Arrow__Flight__Protocol__SetSessionOptionsRequest

  /// The message name in `Protos/Flight.proto`.
  public static var protoName: String { "SetSessionOptionsRequest" }

  static func cInit(_ message: UnsafeMutablePointer<CMessage>) {
    arrow__flight__protocol__set_session_options_request__init(message)
  }

  static func cPackedSize(_ message: UnsafePointer<CMessage>) -> Int {
    arrow__flight__protocol__set_session_options_request__get_packed_size(message)
  }

  static func cPack(_ message: UnsafePointer<CMessage>, _ out: UnsafeMutablePointer<UInt8>) -> Int {
    arrow__flight__protocol__set_session_options_request__pack(message, out)
  }

  static func cUnpack(_ count: Int, _ data: UnsafePointer<UInt8>) -> UnsafeMutablePointer<CMessage>? {
    arrow__flight__protocol__set_session_options_request__unpack(nil, count, data)
  }

  static func cFree(_ message: UnsafeMutablePointer<CMessage>) {
    arrow__flight__protocol__set_session_options_request__free_unpacked(message, nil)
  }

  /// Encodes the message in its protobuf wire form.
  public func serialized() -> [UInt8] { encode() }

  /// Decodes a message from its protobuf wire form.
  ///
  /// - Throws: ``ProtoError`` naming the message type and the problem.
  public init(serializedBytes bytes: some Collection<UInt8>) throws {
    self = try Self.decode(bytes)
  }

  func fill(_ message: UnsafeMutablePointer<CMessage>, _ arena: CArena) {
    let entries = sessionOptions.sorted { $0.key < $1.key }.map { key, value in
      Optional(
        arena.message { entry in
          arrow__flight__protocol__set_session_options_request__session_options_entry__init(entry)
          entry.pointee.key = arena.binary(key)
          entry.pointee.value = value.cMessage(arena)
        })
    }
    message.pointee.n_session_options = entries.count
    message.pointee.session_options = arena.array(entries)
  }

  init(c message: UnsafePointer<CMessage>) throws(FieldError) {
    var options: [String: SessionOptionValue] = [:]
    let count = message.pointee.n_session_options
    if count > 0, let entries = message.pointee.session_options {
      for position in 0..<count {
        guard let entry = entries[position] else { continue }
        let key = try utf8String(entry.pointee.key, "SetSessionOptionsRequest.session_options[\(position)].key")
        options[key] = try decodeOptional(entry.pointee.value, as: SessionOptionValue.self) ?? .unset
      }
    }
    self.init(sessionOptions: options)
  }
}

extension SetSessionOptionsResult: CTopLevel {
  typealias CMessage = Arrow__Flight__Protocol__SetSessionOptionsResult

  /// The message name in `Protos/Flight.proto`.
  public static var protoName: String { "SetSessionOptionsResult" }

  static func cInit(_ message: UnsafeMutablePointer<CMessage>) {
    arrow__flight__protocol__set_session_options_result__init(message)
  }

  static func cPackedSize(_ message: UnsafePointer<CMessage>) -> Int {
    arrow__flight__protocol__set_session_options_result__get_packed_size(message)
  }

  static func cPack(_ message: UnsafePointer<CMessage>, _ out: UnsafeMutablePointer<UInt8>) -> Int {
    arrow__flight__protocol__set_session_options_result__pack(message, out)
  }

  static func cUnpack(_ count: Int, _ data: UnsafePointer<UInt8>) -> UnsafeMutablePointer<CMessage>? {
    arrow__flight__protocol__set_session_options_result__unpack(nil, count, data)
  }

  static func cFree(_ message: UnsafeMutablePointer<CMessage>) {
    arrow__flight__protocol__set_session_options_result__free_unpacked(message, nil)
  }

  /// Encodes the message in its protobuf wire form.
  public func serialized() -> [UInt8] { encode() }

  /// Decodes a message from its protobuf wire form.
  ///
  /// - Throws: ``ProtoError`` naming the message type and the problem.
  public init(serializedBytes bytes: some Collection<UInt8>) throws {
    self = try Self.decode(bytes)
  }

  func fill(_ message: UnsafeMutablePointer<CMessage>, _ arena: CArena) {
    let entries = errors.sorted { $0.key < $1.key }.map { key, value in
      Optional(
        arena.message { entry in
          arrow__flight__protocol__set_session_options_result__errors_entry__init(entry)
          entry.pointee.key = arena.binary(key)
          entry.pointee.value = arena.message { error in
            arrow__flight__protocol__set_session_options_result__error__init(error)
            error.pointee.value = cEnum(
              value.rawValue, as: Arrow__Flight__Protocol__SetSessionOptionsResult__ErrorValue.self)
          }
        })
    }
    message.pointee.n_errors = entries.count
    message.pointee.errors = arena.array(entries)
  }

  init(c message: UnsafePointer<CMessage>) throws(FieldError) {
    var errors: [String: ErrorValue] = [:]
    let count = message.pointee.n_errors
    if count > 0, let entries = message.pointee.errors {
      for position in 0..<count {
        guard let entry = entries[position] else { continue }
        let key = try utf8String(entry.pointee.key, "SetSessionOptionsResult.errors[\(position)].key")
        let raw = entry.pointee.value.map { rawEnum($0.pointee.value) } ?? 0
        errors[key] = ErrorValue(rawValue: raw) ?? .unspecified
      }
    }
    self.init(errors: errors)
  }
}

extension GetSessionOptionsRequest: CTopLevel {
  typealias CMessage = Arrow__Flight__Protocol__GetSessionOptionsRequest

  /// The message name in `Protos/Flight.proto`.
  public static var protoName: String { "GetSessionOptionsRequest" }

  static func cInit(_ message: UnsafeMutablePointer<CMessage>) {
    arrow__flight__protocol__get_session_options_request__init(message)
  }

  static func cPackedSize(_ message: UnsafePointer<CMessage>) -> Int {
    arrow__flight__protocol__get_session_options_request__get_packed_size(message)
  }

  static func cPack(_ message: UnsafePointer<CMessage>, _ out: UnsafeMutablePointer<UInt8>) -> Int {
    arrow__flight__protocol__get_session_options_request__pack(message, out)
  }

  static func cUnpack(_ count: Int, _ data: UnsafePointer<UInt8>) -> UnsafeMutablePointer<CMessage>? {
    arrow__flight__protocol__get_session_options_request__unpack(nil, count, data)
  }

  static func cFree(_ message: UnsafeMutablePointer<CMessage>) {
    arrow__flight__protocol__get_session_options_request__free_unpacked(message, nil)
  }

  /// Encodes the message in its protobuf wire form.
  public func serialized() -> [UInt8] { encode() }

  /// Decodes a message from its protobuf wire form.
  ///
  /// - Throws: ``ProtoError`` naming the message type and the problem.
  public init(serializedBytes bytes: some Collection<UInt8>) throws {
    self = try Self.decode(bytes)
  }

  func fill(_ message: UnsafeMutablePointer<CMessage>, _ arena: CArena) {}

  init(c message: UnsafePointer<CMessage>) throws(FieldError) {
    self.init()
  }
}

extension GetSessionOptionsResult: CTopLevel {
  typealias CMessage = Arrow__Flight__Protocol__GetSessionOptionsResult

  /// The message name in `Protos/Flight.proto`.
  public static var protoName: String { "GetSessionOptionsResult" }

  static func cInit(_ message: UnsafeMutablePointer<CMessage>) {
    arrow__flight__protocol__get_session_options_result__init(message)
  }

  static func cPackedSize(_ message: UnsafePointer<CMessage>) -> Int {
    arrow__flight__protocol__get_session_options_result__get_packed_size(message)
  }

  static func cPack(_ message: UnsafePointer<CMessage>, _ out: UnsafeMutablePointer<UInt8>) -> Int {
    arrow__flight__protocol__get_session_options_result__pack(message, out)
  }

  static func cUnpack(_ count: Int, _ data: UnsafePointer<UInt8>) -> UnsafeMutablePointer<CMessage>? {
    arrow__flight__protocol__get_session_options_result__unpack(nil, count, data)
  }

  static func cFree(_ message: UnsafeMutablePointer<CMessage>) {
    arrow__flight__protocol__get_session_options_result__free_unpacked(message, nil)
  }

  /// Encodes the message in its protobuf wire form.
  public func serialized() -> [UInt8] { encode() }

  /// Decodes a message from its protobuf wire form.
  ///
  /// - Throws: ``ProtoError`` naming the message type and the problem.
  public init(serializedBytes bytes: some Collection<UInt8>) throws {
    self = try Self.decode(bytes)
  }

  func fill(_ message: UnsafeMutablePointer<CMessage>, _ arena: CArena) {
    let entries = sessionOptions.sorted { $0.key < $1.key }.map { key, value in
      Optional(
        arena.message { entry in
          arrow__flight__protocol__get_session_options_result__session_options_entry__init(entry)
          entry.pointee.key = arena.binary(key)
          entry.pointee.value = value.cMessage(arena)
        })
    }
    message.pointee.n_session_options = entries.count
    message.pointee.session_options = arena.array(entries)
  }

  init(c message: UnsafePointer<CMessage>) throws(FieldError) {
    var options: [String: SessionOptionValue] = [:]
    let count = message.pointee.n_session_options
    if count > 0, let entries = message.pointee.session_options {
      for position in 0..<count {
        guard let entry = entries[position] else { continue }
        let key = try utf8String(entry.pointee.key, "GetSessionOptionsResult.session_options[\(position)].key")
        options[key] = try decodeOptional(entry.pointee.value, as: SessionOptionValue.self) ?? .unset
      }
    }
    self.init(sessionOptions: options)
  }
}

extension CloseSessionRequest: CTopLevel {
  typealias CMessage = Arrow__Flight__Protocol__CloseSessionRequest

  /// The message name in `Protos/Flight.proto`.
  public static var protoName: String { "CloseSessionRequest" }

  static func cInit(_ message: UnsafeMutablePointer<CMessage>) {
    arrow__flight__protocol__close_session_request__init(message)
  }

  static func cPackedSize(_ message: UnsafePointer<CMessage>) -> Int {
    arrow__flight__protocol__close_session_request__get_packed_size(message)
  }

  static func cPack(_ message: UnsafePointer<CMessage>, _ out: UnsafeMutablePointer<UInt8>) -> Int {
    arrow__flight__protocol__close_session_request__pack(message, out)
  }

  static func cUnpack(_ count: Int, _ data: UnsafePointer<UInt8>) -> UnsafeMutablePointer<CMessage>? {
    arrow__flight__protocol__close_session_request__unpack(nil, count, data)
  }

  static func cFree(_ message: UnsafeMutablePointer<CMessage>) {
    arrow__flight__protocol__close_session_request__free_unpacked(message, nil)
  }

  /// Encodes the message in its protobuf wire form.
  public func serialized() -> [UInt8] { encode() }

  /// Decodes a message from its protobuf wire form.
  ///
  /// - Throws: ``ProtoError`` naming the message type and the problem.
  public init(serializedBytes bytes: some Collection<UInt8>) throws {
    self = try Self.decode(bytes)
  }

  func fill(_ message: UnsafeMutablePointer<CMessage>, _ arena: CArena) {}

  init(c message: UnsafePointer<CMessage>) throws(FieldError) {
    self.init()
  }
}

extension CloseSessionResult: CTopLevel {
  typealias CMessage = Arrow__Flight__Protocol__CloseSessionResult

  /// The message name in `Protos/Flight.proto`.
  public static var protoName: String { "CloseSessionResult" }

  static func cInit(_ message: UnsafeMutablePointer<CMessage>) {
    arrow__flight__protocol__close_session_result__init(message)
  }

  static func cPackedSize(_ message: UnsafePointer<CMessage>) -> Int {
    arrow__flight__protocol__close_session_result__get_packed_size(message)
  }

  static func cPack(_ message: UnsafePointer<CMessage>, _ out: UnsafeMutablePointer<UInt8>) -> Int {
    arrow__flight__protocol__close_session_result__pack(message, out)
  }

  static func cUnpack(_ count: Int, _ data: UnsafePointer<UInt8>) -> UnsafeMutablePointer<CMessage>? {
    arrow__flight__protocol__close_session_result__unpack(nil, count, data)
  }

  static func cFree(_ message: UnsafeMutablePointer<CMessage>) {
    arrow__flight__protocol__close_session_result__free_unpacked(message, nil)
  }

  /// Encodes the message in its protobuf wire form.
  public func serialized() -> [UInt8] { encode() }

  /// Decodes a message from its protobuf wire form.
  ///
  /// - Throws: ``ProtoError`` naming the message type and the problem.
  public init(serializedBytes bytes: some Collection<UInt8>) throws {
    self = try Self.decode(bytes)
  }

  func fill(_ message: UnsafeMutablePointer<CMessage>, _ arena: CArena) {
    message.pointee.status = cEnum(status.rawValue, as: Arrow__Flight__Protocol__CloseSessionResult__Status.self)
  }

  init(c message: UnsafePointer<CMessage>) throws(FieldError) {
    self.init(status: Status(rawValue: rawEnum(message.pointee.status)) ?? .unspecified)
  }
}
