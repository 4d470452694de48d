// Bad bytes must give an ArrowError: never a crash, a trap or a hang.

internal import ArrowCore
internal import InteropSupport
internal import Testing

@testable internal import ArrowIPC

/// Little-endian bytes of several 32-bit words.
private func words(_ values: [UInt32]) -> [UInt8] {
  values.flatMap { littleEndianBytes($0) }
}

@Suite struct MalformedInputTests {
  @Test func rejectsBuffersTooShortForARoot() {
    for count in 0..<8 {
      let error = arrowError {
        _ = try FlatBufferReader(Buffer(copying: [UInt8](repeating: 0, count: count))).rootTable()
      }
      #expect(error?.kind == .invalid)
    }
  }

  @Test func rejectsRootOffsetOutOfBounds() {
    let error = arrowError { _ = try FlatBufferReader(Buffer(copying: words([0xFFFF_FFF0, 0]))).rootTable() }
    #expect(error?.message.contains("outside") == true)
    #expect(arrowError { _ = try FlatBufferReader(Buffer(copying: words([8, 0]))).rootTable() } != nil)
  }

  @Test func rejectsBadVtables() {
    // Root -> table at 8 whose soffset points far outside.
    #expect(arrowError { _ = try FlatBufferReader(Buffer(copying: words([8, 0, 0x7FFF_FFFF, 0]))).rootTable() } != nil)
    // soffset = Int32.min: table - soffset overflows nothing in Int, but is out of bounds.
    #expect(arrowError { _ = try FlatBufferReader(Buffer(copying: words([8, 0, 0x8000_0000, 0]))).rootTable() } != nil)
    // vtable at 4 (soffset 4): vtable size 3 is odd.
    let odd: [UInt8] = words([8]) + [3, 0, 4, 0] + words([4, 0])
    #expect(
      arrowError { _ = try FlatBufferReader(Buffer(copying: odd)).rootTable() }?.message.contains("vtable") == true)
    // vtable size 2 is too small.
    let small: [UInt8] = words([8]) + [2, 0, 4, 0] + words([4, 0])
    #expect(arrowError { _ = try FlatBufferReader(Buffer(copying: small)).rootTable() } != nil)
    // vtable size 200 runs past the end.
    let long: [UInt8] = words([8]) + [200, 0, 4, 0] + words([4, 0])
    #expect(arrowError { _ = try FlatBufferReader(Buffer(copying: long)).rootTable() } != nil)
    // The table's inline size is not checked (FlatBuffers' verifier ignores it too; a
    // clusterfuzz input that pyarrow reads as a valid 0-batch stream understates it): 100 and 2
    // both read, and each field is checked against the buffer instead.
    let wide: [UInt8] = words([8]) + [4, 0, 100, 0] + words([4, 0])
    #expect(arrowError { _ = try FlatBufferReader(Buffer(copying: wide)).rootTable() } == nil)
    let narrow: [UInt8] = words([8]) + [4, 0, 2, 0] + words([4, 0])
    #expect(arrowError { _ = try FlatBufferReader(Buffer(copying: narrow)).rootTable() } == nil)
  }

  /// A root table at 12 with a 6-byte vtable at 4 (one slot at `fieldOffset`) and 8 inline bytes
  /// holding `field`, then `tail`.
  private func oneFieldTable(fieldOffset: UInt16, field: UInt32, tail: [UInt8] = []) -> Buffer {
    let vtable: [UInt8] = [6, 0, 8, 0] + littleEndianBytes(fieldOffset) + [0, 0]
    return Buffer(copying: words([12]) + vtable + words([8, field]) + tail)
  }

  @Test func rejectsFieldsOutsideTheBuffer() throws {
    // The 20-byte buffer: a 4-byte field at offset 6 of the table at 12 ends at 22, past the end.
    let table = try FlatBufferReader(oneFieldTable(fieldOffset: 6, field: 0)).rootTable()
    #expect(arrowError { _ = try table.scalar(0, default: UInt32(0)) } != nil)
    #expect(try table.scalar(0, default: UInt16(0)) == 0)  // 2 bytes at 18 fit
    let inside = try FlatBufferReader(oneFieldTable(fieldOffset: 4, field: 77)).rootTable()
    #expect(try inside.scalar(0, default: UInt32(0)) == 77)
    // Past the table's declared 8 bytes but inside the buffer: read, as FlatBuffers reads it.
    let beyond = try FlatBufferReader(oneFieldTable(fieldOffset: 8, field: 0, tail: words([99]))).rootTable()
    #expect(try beyond.scalar(0, default: UInt32(0)) == 99)
    // An offset far past the end of the buffer.
    let far = try FlatBufferReader(oneFieldTable(fieldOffset: 0xFFF0, field: 0)).rootTable()
    #expect(arrowError { _ = try far.scalar(0, default: UInt8(0)) } != nil)
  }

  @Test func rejectsReferencesOutOfBounds() throws {
    // Field at 16 holds an offset far past the end.
    let table = try FlatBufferReader(oneFieldTable(fieldOffset: 4, field: 0x7FFF_FFFF)).rootTable()
    #expect(arrowError { _ = try table.string(0) } != nil)
    #expect(arrowError { _ = try table.table(0) } != nil)
    #expect(arrowError { _ = try table.tableVector(0) } != nil)
    // Offset 4 -> 20, a string of length 1000 in a 28-byte buffer.
    let longString = try FlatBufferReader(oneFieldTable(fieldOffset: 4, field: 4, tail: words([1000, 0]))).rootTable()
    #expect(arrowError { _ = try longString.string(0) } != nil)
    // A vector of 0xFFFFFFFF 24-byte structs.
    let hugeVector = try FlatBufferReader(oneFieldTable(fieldOffset: 4, field: 4, tail: words([0xFFFF_FFFF, 0])))
      .rootTable()
    #expect(arrowError { _ = try hugeVector.vector(0, elementSize: 24) } != nil)
    #expect(arrowError { _ = try hugeVector.scalarVector(0, of: Int64.self) } != nil)
    // A vector of one table offset pointing past the end.
    let badElement = try FlatBufferReader(oneFieldTable(fieldOffset: 4, field: 4, tail: words([1, 0xFFFF])))
      .rootTable()
    let vector = try #require(try badElement.tableVector(0))
    #expect(arrowError { _ = try vector.table(at: 0) } != nil)
    #expect(arrowError { _ = try vector.string(at: 0) } != nil)
  }

  @Test func rejectsInvalidUTF8() throws {
    let bytes = words([12]) + [6, 0, 8, 0, 4, 0, 0, 0] + words([8, 4]) + words([2]) + [0xC3, 0x28, 0, 0]
    let table = try FlatBufferReader(Buffer(copying: bytes)).rootTable()
    #expect(arrowError { _ = try table.string(0) }?.message.contains("UTF-8") == true)
    #expect(try table.stringBytes(0)?.count == 2)
    // A field name in invalid UTF-8, through the whole message decoder.
    var message = IPCMessage(
      header: .schema(IPCSchema(fields: [IPCField(name: "éé", nullable: true, type: .null)])),
      bodyLength: 0
    ).flatBuffer()
    let index = try #require(message.firstIndex(of: 0xC3))
    message[index + 1] = 0xFF
    #expect(arrowError { _ = try IPCMessage(flatBuffer: Buffer(copying: message)) }?.message.contains("UTF-8") == true)
  }

  @Test func rejectsUnknownNumbers() throws {
    // Unknown type id, header type and version, written through the raw builder.
    func message(version: Int16, headerType: UInt8, typeNumber: UInt8) -> Buffer {
      var builder = FlatBufferBuilder()
      let name = builder.createString("x")
      builder.startTable()
      let empty = builder.endTable()
      let children = builder.createOffsetVector([])
      builder.startTable()
      builder.addOffset(slot: 0, name)
      builder.add(slot: 2, typeNumber)
      builder.addOffset(slot: 3, empty)
      builder.addOffset(slot: 5, children)
      let field = builder.endTable()
      let fields = builder.createOffsetVector([field])
      builder.startTable()
      builder.addOffset(slot: 1, fields)
      let schema = builder.endTable()
      builder.startTable()
      builder.add(slot: 0, version)
      builder.add(slot: 1, headerType)
      builder.addOffset(slot: 2, schema)
      let root = builder.endTable()
      return Buffer(copying: builder.finish(root: root))
    }
    #expect(try IPCMessage(flatBuffer: message(version: 4, headerType: 1, typeNumber: 5)).version == .v5)
    #expect(
      arrowError { _ = try IPCMessage(flatBuffer: message(version: 4, headerType: 1, typeNumber: 27)) }?
        .message == "unknown type id 27")
    #expect(
      arrowError { _ = try IPCMessage(flatBuffer: message(version: 4, headerType: 1, typeNumber: 0)) }?
        .message == "field has no type")
    #expect(
      arrowError { _ = try IPCMessage(flatBuffer: message(version: 4, headerType: 9, typeNumber: 5)) }?
        .message == "unknown message header type 9")
    #expect(
      arrowError { _ = try IPCMessage(flatBuffer: message(version: 4, headerType: 4, typeNumber: 5)) }?
        .kind == .notImplemented)
    #expect(
      arrowError { _ = try IPCMessage(flatBuffer: message(version: 4, headerType: 0, typeNumber: 5)) }?
        .message == "message has no header")
    #expect(
      arrowError { _ = try IPCMessage(flatBuffer: message(version: 5, headerType: 1, typeNumber: 5)) }?
        .message == "unknown metadata version 5")
    #expect(arrowError { _ = try IPCMessage(flatBuffer: message(version: 3, headerType: 1, typeNumber: 2)) } == nil)
  }

  @Test func rejectsMissingParameterTables() throws {
    #expect(arrowError { _ = try decodeType(number: TypeTag.int.rawValue, table: nil) } != nil)
    #expect(try decodeType(number: TypeTag.utf8.rawValue, table: nil) == .utf8)
  }

  @Test func rejectsDeepNesting() throws {
    func nested(_ depth: Int) -> IPCField {
      var field = IPCField(name: "leaf", nullable: true, type: .int(bitWidth: 8, isSigned: true))
      for _ in 0..<depth { field = IPCField(name: "l", nullable: true, type: .list, children: [field]) }
      return field
    }
    let shallow = IPCMessage(header: .schema(IPCSchema(fields: [nested(40)])), bodyLength: 0)
    #expect(try IPCMessage(flatBuffer: Buffer(copying: shallow.flatBuffer())) == shallow)
    let deep = IPCMessage(header: .schema(IPCSchema(fields: [nested(200)])), bodyLength: 0)
    let error = arrowError { _ = try IPCMessage(flatBuffer: Buffer(copying: deep.flatBuffer())) }
    #expect(error?.message.contains("deeper") == true)
  }

  @Test func rejectsSharedSubtreesThatWouldTakeExponentialTime() throws {
    // Each level's children vector names the same child table twice: 2^50 visits if followed naively.
    var builder = FlatBufferBuilder()
    let empty = builder.createOffsetVector([])
    builder.startTable()
    builder.add(slot: 2, TypeTag.null.rawValue)
    builder.addOffset(slot: 5, empty)
    var child = builder.endTable()
    for _ in 0..<50 {
      let children = builder.createOffsetVector([child, child])
      builder.startTable()
      builder.add(slot: 2, TypeTag.struct.rawValue)
      builder.addOffset(slot: 5, children)
      child = builder.endTable()
    }
    let fields = builder.createOffsetVector([child])
    builder.startTable()
    builder.addOffset(slot: 1, fields)
    let schema = builder.endTable()
    builder.startTable()
    builder.add(slot: 0, Int16(4))
    builder.add(slot: 1, MessageHeaderType.schema.rawValue)
    builder.addOffset(slot: 2, schema)
    let root = builder.endTable()
    let bytes = Buffer(copying: builder.finish(root: root))
    let clock = ContinuousClock()
    let start = clock.now
    let error = arrowError { _ = try IPCMessage(flatBuffer: bytes) }
    #expect(error?.message.contains("visits more tables") == true)
    #expect(clock.now - start < .seconds(5))
  }

  @Test func everyTruncationOfAMessageIsRejectedOrHarmless() throws {
    let bytes = sampleMessageBytes()
    let original = try IPCMessage(flatBuffer: Buffer(copying: bytes))
    var rejected = 0
    for length in 0..<bytes.count {
      do {
        // Only trailing padding can go unnoticed: then the message must read unchanged.
        let decoded = try IPCMessage(flatBuffer: Buffer(copying: bytes[..<length]))
        #expect(decoded == original, "truncation to \(length) bytes changed the message")
        #expect(bytes[length...].allSatisfy { $0 == 0 })
      } catch {
        rejected += 1
      }
    }
    #expect(rejected >= bytes.count - 4)
  }

  @Test func mutationFuzzNeverCrashes() {
    let schemaMessage = sampleMessageBytes()
    let batchMessage = IPCMessage(header: .recordBatch(sampleRecordBatch()), bodyLength: 48).flatBuffer()
    let dictionaryMessage = IPCMessage(
      header: .dictionaryBatch(IPCDictionaryBatch(id: 3, data: sampleRecordBatch(), isDelta: true)), bodyLength: 48
    ).flatBuffer()
    let footer = IPCFooter(
      schema: sampleSchema(), dictionaries: [IPCBlock(offset: 8, metaDataLength: 16, bodyLength: 0)],
      recordBatches: [IPCBlock(offset: 24, metaDataLength: 16, bodyLength: 8)]
    ).flatBuffer()
    var random = SplitMix64(seed: 0xA770_1FC)
    var accepted = 0
    var rejected = 0
    let clock = ContinuousClock()
    let start = clock.now
    for (index, original) in [schemaMessage, batchMessage, dictionaryMessage, footer].enumerated() {
      for _ in 0..<1500 {
        var bytes = original
        switch random.next() % 4 {
        case 0:  // flip one to four random bytes
          for _ in 0...(random.next() % 4) {
            bytes[Int(random.next() % UInt64(bytes.count))] = UInt8(truncatingIfNeeded: random.next())
          }
        case 1:  // flip bits in the first 64 bytes, where the offsets and vtables concentrate
          let position = Int(random.next() % UInt64(min(64, bytes.count)))
          bytes[position] ^= UInt8(1) << (random.next() % 8)
        case 2:  // truncate
          bytes.removeLast(Int(random.next() % UInt64(bytes.count)))
        default:  // overwrite a 32-bit word with an extreme value
          let position = Int(random.next() % UInt64(bytes.count - 3))
          let value: UInt32 = [0, 1, 0x7FFF_FFFF, 0x8000_0000, 0xFFFF_FFFF, 0xFFFC][Int(random.next() % 6)]
          bytes.replaceSubrange(position..<(position + 4), with: littleEndianBytes(value))
        }
        let error = arrowError {
          if index == 3 {
            _ = try IPCFooter(flatBuffer: Buffer(copying: bytes))
          } else {
            let framed = MessageFraming.encapsulate(bytes) + [UInt8](repeating: 0, count: 48)
            guard let message = try MessageFraming.readMessage(from: Buffer(copying: framed), at: 0) else { return }
            _ = try message.message.decode()
          }
        }
        if let error {
          #expect(!error.message.hasPrefix("NOT AN"), "\(error)")
          rejected += 1
        } else {
          accepted += 1
        }
      }
    }
    #expect(rejected > 1000)
    #expect(accepted + rejected == 6000)
    #expect(clock.now - start < .seconds(60))
  }
}
