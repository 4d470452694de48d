// The protobuf wire reader of FlightProto: FlightData's codec decodes with it, and the
// protobuf-c bridge explains with it why protobuf-c refused bytes.

internal import ArrowCore

/// Reads protobuf primitives from a message split into buffers, tracking the absolute byte
/// position for error messages.
struct WireReader {
  /// The maximum nesting of groups inside unknown fields.
  static let maximumGroupDepth = 100

  /// The message named in errors.
  let messageType: String
  let parts: [Buffer]
  /// The absolute position of the end of `parts`.
  let total: Int
  /// The absolute position of the next byte: `origin` at the start.
  private(set) var position: Int
  /// The part holding the next byte (or `parts.count` at the end).
  private var partIndex = 0
  /// The offset of the next byte in `parts[partIndex]`.
  private var offset = 0

  /// A reader of `parts`, whose first byte is at absolute position `origin` (non-zero for a
  /// message nested in another).
  init(_ parts: [Buffer], messageType: String, origin: Int = 0) throws(ProtoError) {
    var total = origin
    for part in parts {
      let (sum, overflow) = total.addingReportingOverflow(part.count)
      guard !overflow else {
        throw ProtoError(messageType: messageType, reason: "the message parts are too large")
      }
      total = sum
    }
    self.messageType = messageType
    self.parts = parts
    self.total = total
    self.position = origin
    normalize()
  }

  var isAtEnd: Bool { position == total }

  func error(_ reason: String) -> ProtoError {
    ProtoError(messageType: messageType, reason: reason)
  }

  /// Moves past exhausted (and empty) parts so that `offset` is inside `parts[partIndex]`,
  /// unless at the end.
  private mutating func normalize() {
    while partIndex < parts.count, offset == parts[partIndex].count {
      partIndex += 1
      offset = 0
    }
  }

  mutating func readByte() -> UInt8? {
    guard partIndex < parts.count else { return nil }
    let byte = parts[partIndex][offset]
    offset += 1
    position += 1
    normalize()
    return byte
  }

  /// Reads a varint of at most 10 bytes; bits beyond 64 are dropped, as protobuf does.
  mutating func readVarint(_ what: String) throws(ProtoError) -> UInt64 {
    let start = position
    var value: UInt64 = 0
    for index in 0..<10 {
      guard let byte = readByte() else {
        throw error("truncated varint (\(what)) at byte \(start)")
      }
      value |= UInt64(byte & 0x7F) << UInt64(7 * index)
      if byte < 0x80 { return value }
    }
    throw error("varint (\(what)) at byte \(start) is longer than 10 bytes")
  }

  /// Reads a field tag: the field number (1 ... 2^29 - 1) and the wire type.
  mutating func readTag() throws(ProtoError) -> (field: UInt64, wireType: UInt64) {
    let start = position
    let tag = try readVarint("field tag")
    guard tag <= UInt64(UInt32.max) else {
      throw error("tag \(tag) at byte \(start) is larger than 32 bits")
    }
    let field = tag >> 3
    guard field != 0 else { throw error("invalid field number 0 at byte \(start)") }
    return (field, tag & 7)
  }

  /// Reads a length and checks that that many bytes remain.
  mutating func readLength(_ what: String, at start: Int) throws(ProtoError) -> Int {
    let length = try readVarint("length of \(what)")
    let remaining = total - position
    guard length <= UInt64(remaining) else {
      throw error("\(what) at byte \(start) claims \(length) bytes, only \(remaining) remain")
    }
    return Int(length)
  }

  /// Reads a length-delimited value: a view of its part when it lies inside one, else a
  /// copy of the pieces.
  mutating func readLengthDelimited(_ what: String, at start: Int) throws(ProtoError) -> Buffer {
    let pieces = try readLengthDelimitedPieces(what, at: start)
    return pieces.count == 1 ? pieces[0] : Buffer.concatenating(pieces)
  }

  /// Reads a length-delimited value as views of the parts it spans (no copy).
  mutating func readLengthDelimitedPieces(_ what: String, at start: Int) throws(ProtoError) -> [Buffer] {
    let length = try readLength(what, at: start)
    var pieces: [Buffer] = []
    advance(length) { part, range in pieces.append(part.slice(range)) }
    return pieces
  }

  /// Moves `length` bytes on (which the caller checked are there), passing the range taken
  /// from each part to `visit`.
  private mutating func advance(_ length: Int, _ visit: (Buffer, Range<Int>) -> Void = { _, _ in }) {
    var needed = length
    while needed > 0 {
      let current = parts[partIndex]
      let count = min(needed, current.count - offset)
      visit(current, offset..<offset + count)
      offset += count
      position += count
      needed -= count
      normalize()
    }
  }

  /// Skips the value of a field whose tag was just read.
  mutating func skipField(_ field: UInt64, wireType: UInt64, at start: Int, depth: Int) throws(ProtoError) {
    switch wireType {
    case 0:
      _ = try readVarint("field \(field)")
    case 1, 5:
      let size = wireType == 1 ? 8 : 4
      let remaining = total - position
      guard size <= remaining else {
        throw error("field \(field) at byte \(start) needs \(size) bytes, only \(remaining) remain")
      }
      advance(size)
    case 2:
      advance(try readLength("field \(field)", at: start))
    case 3:
      guard depth < Self.maximumGroupDepth else {
        throw error("groups nested deeper than \(Self.maximumGroupDepth) at byte \(start)")
      }
      while true {
        guard !isAtEnd else { throw error("group of field \(field) at byte \(start) is not closed") }
        let innerStart = position
        let (inner, innerType) = try readTag()
        if innerType == 4 {
          guard inner == field else {
            throw error("group of field \(field) at byte \(start) closed by field \(inner) at byte \(innerStart)")
          }
          return
        }
        try skipField(inner, wireType: innerType, at: innerStart, depth: depth + 1)
      }
    case 4:
      throw error("end of group of field \(field) at byte \(start) without a start")
    default:
      throw error("invalid wire type \(wireType) at byte \(start)")
    }
  }
}
