// Encapsulated message framing (stream format).
//
// An encapsulated message is: 0xFFFFFFFF (continuation marker), int32 metadata length (the
// flatbuffer plus padding to 8 bytes), the `Message` flatbuffer, padding, then `bodyLength`
// bytes of body. Before Arrow 0.15 the marker was absent (legacy framing). A length of 0 ends
// the stream. A file is `ARROW1`, 2 padding bytes, the stream's messages, the `Footer`
// flatbuffer, int32 footer length, `ARROW1`.

package import ArrowCore

/// The prefix of an encapsulated message.
package enum MessagePrefix: Sendable, Equatable {
  /// A message whose metadata (flatbuffer plus padding) is `metadataLength` bytes, after a
  /// prefix of `prefixLength` bytes (8 with the continuation marker, 4 in the legacy framing).
  case message(metadataLength: Int, prefixLength: Int)
  /// The end-of-stream marker, `prefixLength` bytes long.
  case endOfStream(prefixLength: Int)
}

/// One message read from a buffer: views into that buffer, nothing copied.
package struct FramedMessage: Sendable {
  /// The `Message` flatbuffer, padding included.
  package var metadata: Buffer
  /// The message body (`bodyLength` bytes), possibly misaligned.
  package var body: Buffer
  /// The parsed `Message` table over ``metadata``.
  package var message: MessageView
  /// The offset of the message's first byte in the buffer it was read from.
  package var offset: Int
  /// The prefix and metadata length: what a file `Block` calls `metaDataLength`.
  package var metadataLengthWithPrefix: Int
  /// The offset just past the body, where the next message starts.
  package var nextOffset: Int
}

/// Reading and writing the encapsulated message framing.
package enum MessageFraming {
  /// The continuation marker that starts every message since Arrow 0.15.
  package static let continuationMarker: UInt32 = 0xFFFF_FFFF

  /// The bytes that end a stream: the marker and a zero length.
  package static let endOfStreamBytes: [UInt8] = [0xFF, 0xFF, 0xFF, 0xFF, 0, 0, 0, 0]

  /// Parses the message prefix at `offset`, or returns nil when the buffer ends before a whole
  /// prefix (a push-based reader then waits for more bytes).
  package static func readPrefix(_ buffer: Buffer, at offset: Int) throws(ArrowError) -> MessagePrefix? {
    guard offset >= 0, offset <= buffer.count else {
      throw .outOfBounds("message offset \(offset) is outside the \(buffer.count)-byte buffer")
    }
    let available = buffer.count - offset
    guard available >= 4 else { return nil }
    let first = UInt32(littleEndian: buffer.loadUnaligned(fromByteOffset: offset, as: UInt32.self))
    let length: Int32
    let prefixLength: Int
    if first == continuationMarker {
      guard available >= 8 else { return nil }
      length = Int32(littleEndian: buffer.loadUnaligned(fromByteOffset: offset + 4, as: Int32.self))
      prefixLength = 8
    } else {
      length = Int32(bitPattern: first)
      prefixLength = 4
    }
    guard length >= 0 else { throw .invalid("message metadata length \(length) is negative") }
    if length == 0 { return .endOfStream(prefixLength: prefixLength) }
    return .message(metadataLength: Int(length), prefixLength: prefixLength)
  }

  /// Reads the message at `offset` of `buffer`: nil at an end-of-stream marker or when `offset`
  /// is the end of the buffer; throws when the message is truncated or its metadata is invalid.
  package static func readMessage(from buffer: Buffer, at offset: Int) throws(ArrowError) -> FramedMessage? {
    if offset == buffer.count { return nil }
    guard let prefix = try readPrefix(buffer, at: offset) else {
      throw .invalid("message prefix at \(offset) is truncated (\(buffer.count - offset) bytes left)")
    }
    switch prefix {
    case .endOfStream:
      return nil
    case .message(let metadataLength, let prefixLength):
      let metadataStart = offset + prefixLength
      guard let metadata = buffer.slice(from: metadataStart, count: metadataLength) else {
        throw .invalid(
          "message metadata of \(metadataLength) bytes at \(metadataStart) is truncated "
            + "(\(buffer.count - metadataStart) bytes left)")
      }
      let message = try MessageView(metadata)
      let bodyLength = try message.bodyLength()
      let bodyStart = metadataStart + metadataLength
      guard bodyLength <= Int64(buffer.count - bodyStart),
        let body = buffer.slice(from: bodyStart, count: Int(bodyLength))
      else {
        throw .invalid(
          "message body of \(bodyLength) bytes at \(bodyStart) is truncated (\(buffer.count - bodyStart) bytes left)")
      }
      return FramedMessage(
        metadata: metadata, body: body, message: message, offset: offset,
        metadataLengthWithPrefix: prefixLength + metadataLength, nextOffset: bodyStart + body.count)
    }
  }

  /// The number of zero bytes that pad `length` to a multiple of `alignment` (a power of two).
  package static func padding(for length: Int, alignment: Int = 8) -> Int {
    (alignment - (length & (alignment - 1))) & (alignment - 1)
  }

  /// The framed metadata of a message: prefix, `flatBuffer`, and zero padding so that the whole
  /// is a multiple of 8 bytes. The legacy framing omits the continuation marker.
  ///
  /// With `alignment` 64 and the stream `position` where the message starts, the padding also
  /// makes the body that follows start 64-byte aligned in the stream.
  package static func encapsulate(
    _ flatBuffer: [UInt8], legacy: Bool = false, position: Int = 0, alignment: Int = 8
  ) -> [UInt8] {
    let prefixLength = legacy ? 4 : 8
    let padded = flatBuffer.count + padding(for: position + prefixLength + flatBuffer.count, alignment: alignment)
    var bytes: [UInt8] = []
    bytes.reserveCapacity(prefixLength + padded)
    if !legacy { bytes += [0xFF, 0xFF, 0xFF, 0xFF] }
    let length = UInt32(padded)
    for shift in stride(from: 0, to: 32, by: 8) { bytes.append(UInt8(truncatingIfNeeded: length >> shift)) }
    bytes += flatBuffer
    bytes += [UInt8](repeating: 0, count: padded - flatBuffer.count)
    return bytes
  }
}
