/// A message of the Flight protocol (`Protos/Flight.proto`) that converts to and from its
/// protobuf wire form.
///
/// Every message type of FlightProto except `FlightData` conforms; `FlightData` has its own
/// zero-copy codec.
public protocol FlightProtoMessage: Sendable {
  /// The message name in `Protos/Flight.proto`, such as `"FlightInfo"`.
  static var protoName: String { get }

  /// Decodes a message from its protobuf wire form.
  ///
  /// - Throws: ``ProtoError`` when the bytes are not a valid encoding of this message, a
  ///   string field is not UTF-8, or a value is out of its domain (such as a
  ///   `FlightDescriptor` of type `UNKNOWN`).
  init(serializedBytes bytes: some Collection<UInt8>) throws

  /// Encodes the message in its protobuf wire form. Encoding is deterministic: the same
  /// value always gives the same bytes (map entries are written sorted by key).
  func serialized() -> [UInt8]
}
