/// An error decoding a Flight protocol message.
///
/// The description names the message type and the problem, for example
/// `cannot decode FlightInfo: truncated varint at byte 3`.
public struct ProtoError: Error, Hashable, Sendable, CustomStringConvertible {
  /// The protobuf name of the message that could not be decoded, such as `FlightInfo`.
  public let messageType: String
  /// What was wrong with the bytes.
  public let reason: String

  /// Creates an error for `messageType` explaining `reason`.
  public init(messageType: String, reason: String) {
    self.messageType = messageType
    self.reason = reason
  }

  /// A one-line description naming the message type and the problem.
  public var description: String { "cannot decode \(messageType): \(reason)" }
}

/// A problem found while converting a decoded message tree; ``ProtoError`` adds the name of
/// the outermost message.
struct FieldError: Error {
  let reason: String
}
