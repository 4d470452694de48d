// Encapsulated message framing and the file format's magic and footer.

internal import ArrowCore
internal import Testing

@testable internal import ArrowIPC

@Suite struct FramingTests {
  private func batchMessage(bodyLength: Int64) -> [UInt8] {
    IPCMessage(header: .recordBatch(sampleRecordBatch()), bodyLength: bodyLength).flatBuffer()
  }

  @Test func encapsulationPadsToEightBytes() {
    for size in [0, 1, 4, 7, 8, 9, 100] {
      let flat = [UInt8](repeating: 0xAB, count: size)
      let framed = MessageFraming.encapsulate(flat)
      #expect(framed.count % 8 == 0)
      #expect(Array(framed[0..<4]) == [0xFF, 0xFF, 0xFF, 0xFF])
      #expect(Array(framed[4..<8]) == littleEndianBytes(UInt32(framed.count - 8)))
      #expect(Array(framed[8..<(8 + size)]) == flat)
      #expect(framed[(8 + size)...].allSatisfy { $0 == 0 })
      let legacy = MessageFraming.encapsulate(flat, legacy: true)
      #expect(legacy.count % 8 == 0)
      #expect(Array(legacy[0..<4]) == littleEndianBytes(UInt32(legacy.count - 4)))
    }
  }

  @Test func readsAStreamOfMessagesWithoutCopying() throws {
    let body1 = [UInt8](0..<48)
    let body2 = [UInt8](repeating: 7, count: 16)
    let schema = MessageFraming.encapsulate(sampleMessageBytes())
    let first = MessageFraming.encapsulate(batchMessage(bodyLength: 48)) + body1
    let second = MessageFraming.encapsulate(batchMessage(bodyLength: 16), legacy: true) + body2
    let stream = Buffer(copying: schema + first + second + MessageFraming.endOfStreamBytes)

    let message0 = try #require(try MessageFraming.readMessage(from: stream, at: 0))
    guard case .schema = try message0.message.header() else {
      Issue.record("expected a schema")
      return
    }
    #expect(message0.body.isEmpty)
    #expect(message0.metadataLengthWithPrefix == schema.count)
    let message1 = try #require(try MessageFraming.readMessage(from: stream, at: message0.nextOffset))
    #expect(Array(message1.body) == body1)
    #expect(
      message1.body.isIdentical(to: stream.slice((schema.count + first.count - 48)..<(schema.count + first.count))))
    let message2 = try #require(try MessageFraming.readMessage(from: stream, at: message1.nextOffset))
    #expect(Array(message2.body) == body2)
    #expect(message2.metadataLengthWithPrefix % 8 == 0)
    #expect(stream[message2.offset] != 0xFF)  // legacy: no continuation marker
    #expect(try MessageFraming.readMessage(from: stream, at: message2.nextOffset) == nil)
    #expect(try MessageFraming.readMessage(from: stream, at: stream.count) == nil)
  }

  @Test func prefixesAndEndOfStream() throws {
    let eos = Buffer(copying: MessageFraming.endOfStreamBytes)
    #expect(try MessageFraming.readPrefix(eos, at: 0) == .endOfStream(prefixLength: 8))
    #expect(try MessageFraming.readPrefix(Buffer(copying: [0, 0, 0, 0]), at: 0) == .endOfStream(prefixLength: 4))
    #expect(try MessageFraming.readPrefix(eos.slice(0..<5), at: 0) == nil)  // wait for more bytes
    #expect(try MessageFraming.readPrefix(eos.slice(0..<3), at: 0) == nil)
    let prefix = Buffer(copying: [0xFF, 0xFF, 0xFF, 0xFF, 16, 0, 0, 0])
    #expect(try MessageFraming.readPrefix(prefix, at: 0) == .message(metadataLength: 16, prefixLength: 8))
    let negative = Buffer(copying: [0xFF, 0xFF, 0xFF, 0xFF, 0xF0, 0xFF, 0xFF, 0xFF])
    #expect(arrowError { _ = try MessageFraming.readPrefix(negative, at: 0) } != nil)
    #expect(arrowError { _ = try MessageFraming.readPrefix(prefix, at: 9) }?.kind == .outOfBounds)
  }

  @Test func rejectsTruncatedMessages() throws {
    let message = MessageFraming.encapsulate(batchMessage(bodyLength: 48)) + [UInt8](repeating: 1, count: 48)
    for length in 1..<message.count {
      let error = arrowError { _ = try MessageFraming.readMessage(from: Buffer(copying: message[..<length]), at: 0) }
      #expect(error != nil, "accepted a message truncated to \(length) bytes")
      #expect(error?.message.hasPrefix("NOT AN") != true)
    }
    // A body length that lies (larger than what follows).
    let lying = MessageFraming.encapsulate(batchMessage(bodyLength: Int64.max)) + [1, 2, 3]
    #expect(arrowError { _ = try MessageFraming.readMessage(from: Buffer(copying: lying), at: 0) } != nil)
    let negative = MessageFraming.encapsulate(batchMessage(bodyLength: -8))
    #expect(arrowError { _ = try MessageFraming.readMessage(from: Buffer(copying: negative), at: 0) } != nil)
  }

  @Test func fileFooterAndBlocks() throws {
    let schemaFrame = MessageFraming.encapsulate(sampleMessageBytes())
    let batchFrame = MessageFraming.encapsulate(batchMessage(bodyLength: 16))
    let body = [UInt8](repeating: 9, count: 16)
    var file = ArrowFileFormat.header + schemaFrame
    let batchOffset = file.count
    file += batchFrame + body + MessageFraming.endOfStreamBytes
    let block = IPCBlock(offset: Int64(batchOffset), metaDataLength: Int32(batchFrame.count), bodyLength: 16)
    let footer = IPCFooter(schema: sampleSchema(), dictionaries: [], recordBatches: [block]).flatBuffer()
    file += footer + ArrowFileFormat.trailer(footerLength: footer.count)
    let buffer = Buffer(copying: file)

    #expect(ArrowFileFormat.hasMagic(buffer, at: 0))
    let footerBytes = try ArrowFileFormat.footer(in: buffer)
    #expect(Array(footerBytes) == footer)
    let decoded = try IPCFooter(flatBuffer: footerBytes)
    #expect(decoded.schema == sampleSchema())
    let framed = try ArrowFileFormat.readMessage(in: buffer, block: decoded.recordBatches[0])
    #expect(Array(framed.body) == body)
    #expect(framed.offset == batchOffset)
    #expect(framed.nextOffset == batchOffset + batchFrame.count + 16)

    // Blocks that disagree with their message, or lie outside the file.
    for bad in [
      IPCBlock(offset: block.offset, metaDataLength: block.metaDataLength, bodyLength: 8),
      IPCBlock(offset: block.offset, metaDataLength: block.metaDataLength + 8, bodyLength: 8),
      IPCBlock(offset: -1, metaDataLength: block.metaDataLength, bodyLength: 16),
      IPCBlock(offset: Int64.max, metaDataLength: block.metaDataLength, bodyLength: 16),
      IPCBlock(offset: block.offset, metaDataLength: Int32.max, bodyLength: Int64.max),
      IPCBlock(offset: block.offset, metaDataLength: 0, bodyLength: 16),
      IPCBlock(offset: 1, metaDataLength: block.metaDataLength, bodyLength: 16),
    ] {
      #expect(arrowError { _ = try ArrowFileFormat.readMessage(in: buffer, block: bad) } != nil, "\(bad)")
    }

    // Damaged magics and footer lengths.
    var noLeading = file
    noLeading[0] = UInt8(ascii: "B")
    #expect(arrowError { _ = try ArrowFileFormat.footer(in: Buffer(copying: noLeading)) } != nil)
    var noTrailing = file
    noTrailing[noTrailing.count - 1] = 0
    #expect(arrowError { _ = try ArrowFileFormat.footer(in: Buffer(copying: noTrailing)) } != nil)
    for length: Int32 in [0, -1, Int32.max, Int32(file.count)] {
      var bad = file
      bad.replaceSubrange((bad.count - 10)..<(bad.count - 6), with: littleEndianBytes(length))
      #expect(arrowError { _ = try ArrowFileFormat.footer(in: Buffer(copying: bad)) } != nil)
    }
    #expect(arrowError { _ = try ArrowFileFormat.footer(in: Buffer(copying: Array("ARROW1ARROW1".utf8))) } != nil)
  }
}
