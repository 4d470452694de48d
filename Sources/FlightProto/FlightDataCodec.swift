// The hand-written protobuf codec of FlightData over ArrowCore.Buffer: no protobuf-c, no copy
// of the body on either side.
//
// Wire form (`Protos/Flight.proto`): flight_descriptor = 1 (message), data_header = 2,
// app_metadata = 3, data_body = 1000 (bytes; tag bytes 0xC2 0x3E). Encoding writes the fields
// in that order, as Arrow C++ does (cpp/src/arrow/flight/transport/grpc/
// serialization_internal.cc, FlightDataSerialize): the descriptor when present, data_header
// when there is an IPC message, app_metadata, then the data_body tag and length followed by
// the body buffers as separate slices; data_body is omitted for a message without a body.

public import ArrowCore

#if canImport(Glibc)
  internal import Glibc
#elseif canImport(Musl)
  internal import Musl
#elseif canImport(Darwin)
  internal import Darwin
#endif

// MARK: - Encoding

extension FlightData {
  /// The field numbers of the message.
  enum Field {
    static let flightDescriptor: UInt64 = 1
    static let dataHeader: UInt64 = 2
    static let appMetadata: UInt64 = 3
    static let dataBody: UInt64 = 1000
  }

  /// The protobuf wire form of this message as a list of buffers to send in order.
  ///
  /// The first buffer is the header: the tag, length and bytes of the descriptor, of
  /// ``dataHeader`` and of ``appMetadata`` (each only when present), then, when ``body`` is not
  /// empty, the `data_body` tag and the total body length. The ``body`` buffers follow,
  /// themselves, not copied. The concatenation of the result is exactly the protobuf
  /// encoding of the message, with fields in the order Arrow C++ writes them (1, 2, 3, 1000).
  public func encoded() -> [Buffer] {
    let descriptor = flightDescriptor?.serialized()
    let bodyLength = self.bodyLength
    var headerSize = 0
    if let descriptor { headerSize += 1 + varintSize(UInt64(descriptor.count)) + descriptor.count }
    if let dataHeader { headerSize += 1 + varintSize(UInt64(dataHeader.count)) + dataHeader.count }
    if let appMetadata { headerSize += 1 + varintSize(UInt64(appMetadata.count)) + appMetadata.count }
    if !body.isEmpty { headerSize += 2 + varintSize(UInt64(bodyLength)) }

    let header = Buffer(unsafeUninitializedCount: headerSize) { memory in
      var writer = HeaderWriter(memory: memory)
      if let descriptor {
        writer.writeTag(Field.flightDescriptor)
        writer.writeVarint(UInt64(descriptor.count))
        descriptor.withUnsafeBytes { writer.writeBytes($0) }
      }
      if let dataHeader {
        writer.writeTag(Field.dataHeader)
        writer.writeVarint(UInt64(dataHeader.count))
        dataHeader.withUnsafeBytes { writer.writeBytes($0) }
      }
      if let appMetadata {
        writer.writeTag(Field.appMetadata)
        writer.writeVarint(UInt64(appMetadata.count))
        appMetadata.withUnsafeBytes { writer.writeBytes($0) }
      }
      if !body.isEmpty {
        writer.writeTag(Field.dataBody)
        writer.writeVarint(UInt64(bodyLength))
      }
      precondition(writer.position == headerSize, "FlightData header size mismatch")
    }
    return [header] + body
  }
}

/// The number of bytes of the varint encoding of `value`.
func varintSize(_ value: UInt64) -> Int {
  let bits = 64 - value.leadingZeroBitCount
  return bits == 0 ? 1 : (bits + 6) / 7
}

/// Writes protobuf primitives into memory sized beforehand.
private struct HeaderWriter {
  let memory: UnsafeMutableRawBufferPointer
  var position = 0

  mutating func writeVarint(_ value: UInt64) {
    var value = value
    while value >= 0x80 {
      memory[position] = UInt8(truncatingIfNeeded: value) | 0x80
      position += 1
      value >>= 7
    }
    memory[position] = UInt8(value)
    position += 1
  }

  /// A length-delimited field's tag (wire type 2).
  mutating func writeTag(_ field: UInt64) {
    writeVarint(field << 3 | 2)
  }

  mutating func writeBytes(_ bytes: UnsafeRawBufferPointer) {
    guard bytes.count > 0 else { return }
    UnsafeMutableRawBufferPointer(rebasing: memory[position..<position + bytes.count]).copyMemory(from: bytes)
    position += bytes.count
  }
}

// MARK: - Decoding

extension FlightData {
  /// Decodes a received message given as the buffers of its gRPC slices, in order.
  ///
  /// Fields may come in any order and split anywhere across the parts; empty parts are
  /// allowed. Unknown fields of every wire type are skipped. When a field occurs more than
  /// once, the last `data_header`, `app_metadata` and `data_body` win and repeated
  /// descriptors are merged, as protobuf specifies.
  ///
  /// A bytes field lying inside one part becomes a view of that part (`Buffer.slice(_:)`,
  /// no copy), which keeps the whole part alive; only a field spanning parts is copied. The
  /// decoded ``body`` is never copied: it holds the `data_body` as the views of the parts it
  /// spans (one element when one part holds it), or nothing when the field is absent.
  ///
  /// - Throws: ``ProtoError`` (message type `FlightData`) when the bytes are not a valid
  ///   encoding: a truncated or over-long varint, a length past the end, an invalid tag or
  ///   wire type, a known field with the wrong wire type, unbalanced groups, or an invalid
  ///   descriptor.
  public init(decoding parts: [Buffer]) throws(ProtoError) {
    var reader = try WireReader(parts, messageType: Self.protoName)
    var descriptorParts: [Buffer] = []
    var dataHeader: Buffer?
    var appMetadata: Buffer?
    var body: [Buffer] = []

    while !reader.isAtEnd {
      let start = reader.position
      let (field, wireType) = try reader.readTag()
      let name: String
      switch field {
      case Field.flightDescriptor: name = "flight_descriptor"
      case Field.dataHeader: name = "data_header"
      case Field.appMetadata: name = "app_metadata"
      case Field.dataBody: name = "data_body"
      default:
        try reader.skipField(field, wireType: wireType, at: start, depth: 0)
        continue
      }
      guard wireType == 2 else {
        throw reader.error("field \(field) (\(name)) at byte \(start) has wire type \(wireType), expected 2")
      }
      if field == Field.dataBody {
        // The body stays in the pieces it arrived in: no copy even when it spans slices.
        let pieces = try reader.readLengthDelimitedPieces("field \(field) (\(name))", at: start)
        body = pieces.isEmpty ? [Buffer()] : pieces
        continue
      }
      let value = try reader.readLengthDelimited("field \(field) (\(name))", at: start)
      switch field {
      case Field.flightDescriptor: descriptorParts.append(value)
      case Field.dataHeader: dataHeader = value
      default: appMetadata = value
      }
    }

    var flightDescriptor: FlightDescriptor?
    if !descriptorParts.isEmpty {
      // Concatenated encodings of a message parse as their merge.
      do {
        flightDescriptor = try FlightDescriptor.decode(Buffer.concatenating(descriptorParts))
      } catch {
        throw ProtoError(messageType: Self.protoName, reason: "in field 1 (flight_descriptor): \(error.reason)")
      }
    }
    self.init(flightDescriptor: flightDescriptor, dataHeader: dataHeader, appMetadata: appMetadata, body: body)
  }
}

// MARK: - Equality

/// Whether two bodies have the same presence and bytes, however they are split.
func bodiesEqual(_ lhs: [Buffer], _ rhs: [Buffer]) -> Bool {
  if lhs.isEmpty || rhs.isEmpty { return lhs.isEmpty && rhs.isEmpty }
  var leftIndex = 0
  var leftOffset = 0
  var rightIndex = 0
  var rightOffset = 0
  while true {
    while leftIndex < lhs.count, leftOffset == lhs[leftIndex].count {
      leftIndex += 1
      leftOffset = 0
    }
    while rightIndex < rhs.count, rightOffset == rhs[rightIndex].count {
      rightIndex += 1
      rightOffset = 0
    }
    let leftDone = leftIndex == lhs.count
    let rightDone = rightIndex == rhs.count
    if leftDone || rightDone { return leftDone && rightDone }
    let left = lhs[leftIndex]
    let right = rhs[rightIndex]
    let count = min(left.count - leftOffset, right.count - rightOffset)
    let same = left.withUnsafeBytes { leftBytes in
      right.withUnsafeBytes { rightBytes in
        memcmp(leftBytes.baseAddress! + leftOffset, rightBytes.baseAddress! + rightOffset, count) == 0
      }
    }
    guard same else { return false }
    leftOffset += count
    rightOffset += count
  }
}
