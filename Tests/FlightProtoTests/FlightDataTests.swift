internal import ArrowCore
internal import InteropSupport
internal import Testing

@testable internal import FlightProto

/// The address of a buffer's first byte, to prove that two buffers share memory.
func address(of buffer: Buffer) -> UnsafeRawPointer? {
  buffer.withUnsafeBytes { $0.baseAddress }
}

private func bytes(_ text: String) -> Buffer {
  Buffer(copying: Array(text.utf8))
}

@Suite("FlightData codec")
struct FlightDataTests {
  static let samples: [FlightData] = [
    FlightData(),
    FlightData(appMetadata: bytes("only metadata")),
    FlightData(flightDescriptor: .forPath("a", "b")),
    FlightData(flightDescriptor: .forCommand("cmd"), dataHeader: bytes("schema")),
    FlightData(dataHeader: bytes("batch"), body: [Buffer.zeroed(count: 8), bytes("values!!")]),
    FlightData(
      flightDescriptor: .forCommand([0, 1, 2]), dataHeader: bytes("header"), appMetadata: bytes("meta"),
      body: [bytes("0123456789abcdef"), Buffer(), Buffer(copying: [UInt8](repeating: 7, count: 300))]),
    FlightData(dataHeader: Buffer(), appMetadata: Buffer(), body: [Buffer()]),
    FlightData(dataHeader: bytes("h"), body: [Buffer(copying: (0..<70_000).map { UInt8(truncatingIfNeeded: $0) })]),
  ]

  @Test func exactBytes() throws {
    let value = bytes("values")
    let padding = Buffer.zeroed(count: 2)
    let message = FlightData(
      flightDescriptor: .forCommand("x"), dataHeader: [1, 2], appMetadata: [3], body: [value, padding])
    let parts = message.encoded()
    #expect(parts.count == 3)
    #expect(
      Array(parts[0]) == [
        0x0A, 0x05, 0x08, 0x02, 0x12, 0x01, 0x78,  // flight_descriptor: CMD "x"
        0x12, 0x02, 0x01, 0x02,  // data_header
        0x1A, 0x01, 0x03,  // app_metadata
        0xC2, 0x3E, 0x08,  // data_body tag, 8 bytes
      ])
    // The body buffers are sent themselves, not copies.
    #expect(parts[1].isIdentical(to: value))
    #expect(parts[2].isIdentical(to: padding))
  }

  @Test func noBodyMeansNoBodyField() {
    let schema = FlightData(dataHeader: [9])
    #expect(schema.encoded().count == 1)
    #expect(wireBytes(schema.encoded()) == [0x12, 0x01, 0x09])
    #expect(FlightData().encoded().map(\.count) == [0])
    // A present but empty body (a zero-length record batch, as C++ writes it).
    #expect(wireBytes(FlightData(dataHeader: [9], body: [Buffer()]).encoded()) == [0x12, 0x01, 0x09, 0xC2, 0x3E, 0x00])
  }

  @Test func metadataOnlyHasNoDataHeader() throws {
    let message = FlightData(appMetadata: [0x61])
    #expect(wireBytes(message.encoded()) == [0x1A, 0x01, 0x61])
    let decoded = try FlightData(decoding: message.encoded())
    #expect(decoded.dataHeader == nil)
    #expect(decoded.isMetadataOnly)
    #expect(decoded.body.isEmpty)
    // A present, empty data_header is not metadata-only.
    let empty = try FlightData(decoding: [[0x12, 0x00, 0x1A, 0x01, 0x61]])
    #expect(empty.dataHeader == Buffer())
    #expect(!empty.isMetadataOnly)
  }

  @Test(arguments: samples)
  func roundTrip(_ message: FlightData) throws {
    let parts = message.encoded()
    let decoded = try FlightData(decoding: parts)
    #expect(decoded == message)
    // Received as encoded, the body keeps its non-empty pieces (an empty body stays present).
    let pieces = message.body.filter { !$0.isEmpty }.count
    #expect(decoded.body.count == (message.body.isEmpty ? 0 : max(1, pieces)))
    #expect(wireBytes(decoded.encoded()) == wireBytes(parts))
    // The same bytes in one part decode the same.
    #expect(try FlightData(decoding: [Buffer(copying: wireBytes(parts))]) == message)
  }

  @Test func bodyInsideOnePartIsNotCopied() throws {
    let body = Buffer(copying: (0..<1_000_000).map { UInt8(truncatingIfNeeded: $0 &* 31) })
    let message = FlightData(
      flightDescriptor: .forPath("p"), dataHeader: bytes("header"), appMetadata: bytes("meta"), body: [body])
    let whole = Buffer(copying: wireBytes(message.encoded()))
    let decoded = try FlightData(decoding: [whole])
    let decodedBody = try #require(decoded.body.first)
    #expect(decodedBody == body)
    let headerSize = message.encoded()[0].count
    #expect(address(of: decodedBody) == address(of: whole)! + headerSize)
    let dataHeader = try #require(decoded.dataHeader)
    let appMetadata = try #require(decoded.appMetadata)
    #expect(address(of: dataHeader) == address(of: whole)! + 7 + 2)  // after the descriptor field
    #expect(address(of: appMetadata) == address(of: dataHeader)! + 6 + 2)
    #expect(decoded.contiguousBody.isIdentical(to: decodedBody))

    // As the transport receives it: one slice for the header, one for the body.
    let parts = message.encoded()
    let received = try FlightData(decoding: parts)
    #expect(received.body[0].isIdentical(to: body))
  }

  @Test func bodySpanningPartsIsNotCopied() throws {
    let chunks = (0..<50).map { index in Buffer(copying: [UInt8](repeating: UInt8(index), count: 1000 + index)) }
    let message = FlightData(dataHeader: bytes("h"), body: chunks)
    let parts = message.encoded()
    #expect(parts.count == 51)
    let decoded = try FlightData(decoding: parts)
    // The body keeps the pieces it arrived in, each a view of its part.
    #expect(decoded.body.count == chunks.count)
    for (piece, chunk) in zip(decoded.body, chunks) {
      #expect(piece.isIdentical(to: chunk))
    }
    #expect(decoded.contiguousBody == Buffer.concatenating(chunks))
    #expect(decoded == message)
  }

  @Test func everySplitPointDecodes() throws {
    let message = FlightData(
      flightDescriptor: .forPath("ab", "cd"), dataHeader: bytes("header bytes"), appMetadata: bytes("app"),
      body: [bytes("0123456789"), bytes("abcdef")])
    let wire = wireBytes(message.encoded())
    for first in 0...wire.count {
      #expect(try FlightData(decoding: split(wire, at: [first])) == message, "split at \(first)")
      for second in stride(from: first, through: wire.count, by: 3) {
        #expect(try FlightData(decoding: split(wire, at: [first, second, second])) == message)
      }
    }
    // One byte per part, with empty parts in between.
    let tiny = wire.flatMap { [Buffer(), Buffer(copying: [$0])] } + [Buffer()]
    #expect(try FlightData(decoding: tiny) == message)
    #expect(try FlightData(decoding: []) == FlightData())
  }

  @Test func fieldsInReverseOrder() throws {
    let wire: [UInt8] =
      [0xC2, 0x3E, 0x03, 7, 8, 9]  // data_body
      + [0x1A, 0x02, 0x6D, 0x6D]  // app_metadata "mm"
      + [0x12, 0x01, 0x68]  // data_header "h"
      + [0x0A, 0x05, 0x08, 0x02, 0x12, 0x01, 0x63]  // descriptor CMD "c"
    let decoded = try FlightData(decoding: split(wire, at: [4, 11]))
    #expect(
      decoded
        == FlightData(
          flightDescriptor: .forCommand("c"), dataHeader: bytes("h"), appMetadata: bytes("mm"), body: [[7, 8, 9]]))
    // Re-encoding puts the fields in the canonical order.
    #expect(wireBytes(decoded.encoded()).prefix(7) == [0x0A, 0x05, 0x08, 0x02, 0x12, 0x01, 0x63])
  }

  @Test func unknownFieldsAreSkipped() throws {
    let wire: [UInt8] =
      [0x20, 0x96, 0x01]  // field 4 varint 150
      + [0x12, 0x01, 0x68]  // data_header "h"
      + [0x29, 1, 2, 3, 4, 5, 6, 7, 8]  // field 5 fixed64
      + [0x35, 1, 2, 3, 4]  // field 6 fixed32
      + [0x3A, 0x02, 0xFF, 0xFF]  // field 7 bytes
      + [0x43, 0x08, 0x01, 0x4B, 0x12, 0x00, 0x4C, 0x44]  // field 8 group { 1: 1, group 9 { 2: "" } }
      + [0xFA, 0xFF, 0xFF, 0xFF, 0x0F, 0x01, 0x00]  // field 536870911 bytes [0]
      + [0xC8, 0x3E, 0x05]  // field 1001 varint
      + [0xC2, 0x3E, 0x02, 0xAA, 0xBB]  // data_body
      + [0x1A, 0x00]  // app_metadata ""
    let decoded = try FlightData(decoding: split(wire, at: [2, 10, 30]))
    #expect(decoded == FlightData(dataHeader: bytes("h"), appMetadata: Buffer(), body: [[0xAA, 0xBB]]))
  }

  @Test func repeatedFieldsFollowProtobuf() throws {
    let wire: [UInt8] =
      [0x12, 0x01, 0x61, 0x12, 0x01, 0x62]  // data_header "a" then "b"
      + [0xC2, 0x3E, 0x01, 0x01, 0xC2, 0x3E, 0x02, 0x02, 0x03]  // two bodies
      + [0x0A, 0x05, 0x08, 0x01, 0x1A, 0x01, 0x78]  // descriptor PATH ["x"]
      + [0x0A, 0x03, 0x1A, 0x01, 0x79]  // descriptor path ["y"], merged
    let decoded = try FlightData(decoding: [Buffer(copying: wire)])
    #expect(decoded.dataHeader == bytes("b"))
    #expect(decoded.body == [[0x02, 0x03]])
    #expect(decoded.flightDescriptor == .forPath("x", "y"))
  }

  @Test func equalityIgnoresHowTheBodyIsSplit() {
    let one = FlightData(dataHeader: [1], body: [[1, 2, 3, 4]])
    let two = FlightData(dataHeader: [1], body: [[1], [], [2, 3], [4]])
    #expect(one == two)
    #expect(one.hashValue == two.hashValue)
    #expect(one != FlightData(dataHeader: [1], body: [[1, 2, 3, 5]]))
    #expect(one != FlightData(dataHeader: [1], body: [[1, 2, 3]]))
    #expect(FlightData(dataHeader: [1]) != FlightData(dataHeader: [1], body: [Buffer()]))
    #expect(FlightData(appMetadata: Buffer()) != FlightData())
    #expect(two.bodyLength == 4)
    #expect(two.contiguousBody == [1, 2, 3, 4])
  }

  func expectError(_ wire: [UInt8], containing fragment: String, sourceLocation: SourceLocation = #_sourceLocation) {
    for parts in [[Buffer(copying: wire)], split(wire, at: [wire.count / 2])] {
      do {
        let decoded = try FlightData(decoding: parts)
        Issue.record("accepted \(wire) as \(decoded)", sourceLocation: sourceLocation)
      } catch {
        #expect(error.messageType == "FlightData", sourceLocation: sourceLocation)
        #expect(
          error.description.contains(fragment), "\(error.description) lacks '\(fragment)'",
          sourceLocation: sourceLocation)
      }
    }
  }

  @Test func malformedInputIsRejected() {
    expectError([0xC2], containing: "truncated varint (field tag) at byte 0")
    expectError([0x12], containing: "truncated varint (length of field 2 (data_header)) at byte 1")
    expectError([0x12, 0x01, 0x61, 0x1A, 0x80], containing: "truncated varint (length of field 3")
    expectError([0x12, 0x05, 0x61], containing: "field 2 (data_header) at byte 0 claims 5 bytes, only 1 remain")
    expectError([0xC2, 0x3E, 0x0A] + [UInt8](repeating: 0, count: 9), containing: "claims 10 bytes, only 9 remain")
    expectError(
      [0xC2, 0x3E] + [UInt8](repeating: 0xFF, count: 9) + [0x01], containing: "claims 18446744073709551615 bytes")
    expectError([0x10, 0x01], containing: "field 2 (data_header) at byte 0 has wire type 0, expected 2")
    expectError([0xC0, 0x3E, 0x01], containing: "field 1000 (data_body) at byte 0 has wire type 0, expected 2")
    expectError([0x0D, 1, 2, 3, 4], containing: "field 1 (flight_descriptor) at byte 0 has wire type 5")
    expectError([0x20] + [UInt8](repeating: 0x80, count: 10) + [0x01], containing: "longer than 10 bytes")
    expectError([0x00, 0x00], containing: "invalid field number 0")
    expectError([0x26], containing: "invalid wire type 6")
    expectError([0x27], containing: "invalid wire type 7")
    expectError([0x80, 0x80, 0x80, 0x80, 0x80, 0x01], containing: "larger than 32 bits")
    expectError([0x29, 1, 2, 3], containing: "needs 8 bytes, only 3 remain")
    expectError([0x35, 1], containing: "needs 4 bytes, only 1 remain")
    expectError([0x2A, 0x03, 1], containing: "claims 3 bytes")
    expectError([0x43, 0x08, 0x01], containing: "group of field 8 at byte 0 is not closed")
    expectError([0x43, 0x54], containing: "closed by field 10")
    expectError([0x44], containing: "end of group of field 8")
    expectError([UInt8](repeating: 0x43, count: 200), containing: "nested deeper")
    // A descriptor of type UNKNOWN (an empty message) is rejected, as in C++.
    expectError([0x0A, 0x00], containing: "in field 1 (flight_descriptor)")
    expectError([0x0A, 0x02, 0x08, 0x05], containing: "in field 1 (flight_descriptor)")
    expectError([0x0A, 0x05, 0x08, 0x01, 0x1A, 0x01, 0xFF], containing: "not valid UTF-8")
  }

  @Test func mutationFuzzNeverCrashes() {
    var random = SplitMix64(seed: 0xF1_1647)
    let seeds = Self.samples.map { wireBytes($0.encoded()) }.filter { !$0.isEmpty && $0.count < 2000 }
    var accepted = 0
    var rejected = 0
    for round in 0..<2000 {
      var wire = seeds[round % seeds.count]
      for _ in 0...Int.random(in: 0..<4, using: &random) {
        guard !wire.isEmpty else { break }
        let position = Int.random(in: 0..<wire.count, using: &random)
        switch Int.random(in: 0..<6, using: &random) {
        case 0: wire[position] ^= UInt8(1) << UInt8.random(in: 0..<8, using: &random)
        case 1: wire[position] = UInt8.random(in: 0...255, using: &random)
        case 2: wire.removeSubrange(position...)
        case 3: wire.insert(UInt8.random(in: 0...255, using: &random), at: position)
        case 4: wire.remove(at: position)
        default: wire[position] = [0x00, 0x7F, 0x80, 0xFF, 0xC2, 0x3E][Int.random(in: 0..<6, using: &random)]
        }
      }
      let cuts = (0..<Int.random(in: 0..<4, using: &random)).map { _ in Int.random(in: 0...wire.count, using: &random) }
      let parts = split(wire, at: cuts)
      do {
        let decoded = try FlightData(decoding: parts)
        // Whatever decodes re-encodes to something that decodes to the same value.
        #expect(try FlightData(decoding: decoded.encoded()) == decoded)
        accepted += 1
      } catch {
        #expect(error.messageType == "FlightData")
        rejected += 1
      }
    }
    #expect(accepted + rejected == 2000)
    #expect(accepted > 0 && rejected > 0)
  }
}
