internal import Testing

@testable internal import FlightProto

/// Exact encodings, written by hand from the protobuf encoding rules.
@Suite("Wire format")
struct WireFormatTests {
  @Test func ticketBytes() throws {
    let ticket = Ticket("abc")
    #expect(ticket.serialized() == [0x0A, 0x03, 0x61, 0x62, 0x63])
    #expect(try Ticket(serializedBytes: [0x0A, 0x03, 0x61, 0x62, 0x63]) == ticket)
  }

  @Test func emptyMessagesEncodeToNothing() {
    #expect(Empty().serialized() == [])
    #expect(Ticket([UInt8]()).serialized() == [])
    #expect(GetSessionOptionsRequest().serialized() == [])
    #expect(CloseSessionRequest().serialized() == [])
    #expect(SessionOptionValue.unset.serialized() == [])
  }

  @Test func descriptorBytes() throws {
    // type = PATH (field 1 varint 1), path "a", "b" (field 3, length-delimited).
    let path: [UInt8] = [0x08, 0x01, 0x1A, 0x01, 0x61, 0x1A, 0x01, 0x62]
    #expect(FlightDescriptor.forPath("a", "b").serialized() == path)
    #expect(try FlightDescriptor(serializedBytes: path) == .path(["a", "b"]))
    // type = CMD, cmd "x" (field 2).
    let command: [UInt8] = [0x08, 0x02, 0x12, 0x01, 0x78]
    #expect(FlightDescriptor.forCommand("x").serialized() == command)
    #expect(try FlightDescriptor(serializedBytes: command) == .command([0x78]))
  }

  @Test func timestampBytes() throws {
    #expect(Timestamp(seconds: 1, nanos: 2).serialized() == [0x08, 0x01, 0x10, 0x02])
    // Negative int64 is a 10-byte varint.
    let minusOne: [UInt8] = [0x08, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0x01]
    #expect(Timestamp(seconds: -1).serialized() == minusOne)
    #expect(try Timestamp(serializedBytes: minusOne) == Timestamp(seconds: -1))
  }

  @Test func handshakeBytes() {
    #expect(HandshakeRequest(protocolVersion: 1, payload: [0xFF]).serialized() == [0x08, 0x01, 0x12, 0x01, 0xFF])
  }

  @Test func basicAuthUsesFieldsTwoAndThree() {
    #expect(BasicAuth(username: "u", password: "p").serialized() == [0x12, 0x01, 0x75, 0x1A, 0x01, 0x70])
  }

  @Test func flightInfoUnknownSizesAreMinusOne() throws {
    let info = FlightInfo(flightDescriptor: .forCommand("c"))
    let minusOne: [UInt8] = [0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0x01]
    let expected: [UInt8] = [0x12, 0x05, 0x08, 0x02, 0x12, 0x01, 0x63] + [0x20] + minusOne + [0x28] + minusOne
    #expect(info.serialized() == expected)
    let decoded = try FlightInfo(serializedBytes: expected)
    #expect(decoded.totalRecords == -1 && decoded.totalBytes == -1)
    #expect(decoded == info)
  }

  @Test func endpointAlwaysCarriesTicket() {
    // An empty ticket is still a present sub-message: field 1, length 0.
    #expect(FlightEndpoint(ticket: Ticket([UInt8]())).serialized() == [0x0A, 0x00])
  }

  @Test func pollInfoProgressKeepsPresence() throws {
    // progress 0.0 is written (field 3, wire type 1) because it is set.
    let zero = PollInfo(info: nil, progress: 0).serialized()
    #expect(zero == [0x19, 0, 0, 0, 0, 0, 0, 0, 0])
    #expect(try PollInfo(serializedBytes: zero).progress == 0)
    #expect(try PollInfo(serializedBytes: []).progress == nil)
    // 1.0 = 0x3FF0000000000000, little endian.
    #expect(PollInfo(info: nil, progress: 1).serialized() == [0x19, 0, 0, 0, 0, 0, 0, 0xF0, 0x3F])
  }

  @Test func sessionOptionValueBytes() {
    // int64_value is sfixed64: field 3, wire type 1, eight little-endian bytes.
    #expect(SessionOptionValue.int64(1).serialized() == [0x19, 1, 0, 0, 0, 0, 0, 0, 0])
    // A oneof member is written even when it holds the default value.
    #expect(SessionOptionValue.bool(false).serialized() == [0x10, 0x00])
    #expect(SessionOptionValue.string("").serialized() == [0x0A, 0x00])
    #expect(SessionOptionValue.stringList(["a"]).serialized() == [0x2A, 0x03, 0x0A, 0x01, 0x61])
  }

  @Test func sessionOptionMapIsSortedByKey() {
    let request = SetSessionOptionsRequest(sessionOptions: ["b": .bool(true), "a": .unset])
    // Entry "a" with an empty value message, then entry "b" with bool_value = true.
    let expected: [UInt8] = [
      0x0A, 0x05, 0x0A, 0x01, 0x61, 0x12, 0x00,
      0x0A, 0x07, 0x0A, 0x01, 0x62, 0x12, 0x02, 0x10, 0x01,
    ]
    #expect(request.serialized() == expected)
  }

  @Test func enumBytes() throws {
    #expect(CancelFlightInfoResult(status: .cancelled).serialized() == [0x08, 0x01])
    #expect(CloseSessionResult(status: .notCloseable).serialized() == [0x08, 0x03])
    #expect(
      SetSessionOptionsResult(errors: ["x": .invalidName]).serialized()
        == [0x0A, 0x07, 0x0A, 0x01, 0x78, 0x12, 0x02, 0x08, 0x01])
    // Unrecognized values decode as UNSPECIFIED.
    #expect(try CancelFlightInfoResult(serializedBytes: [0x08, 0x09]).status == .unspecified)
  }

  @Test func unknownFieldsAreSkipped() throws {
    // Field 99 (varint) before the ticket.
    let bytes: [UInt8] = [0x98, 0x06, 0x05, 0x0A, 0x01, 0x7A]
    #expect(try Ticket(serializedBytes: bytes) == Ticket("z"))
  }

  @Test func acceptsAnyCollection() throws {
    let bytes: [UInt8] = [0xEE, 0x0A, 0x03, 0x61, 0x62, 0x63]
    #expect(try Ticket(serializedBytes: bytes[1...]) == Ticket("abc"))
    #expect(try Ticket(serializedBytes: AnyCollection(bytes.dropFirst())) == Ticket("abc"))
  }

  @Test func stringsKeepEmbeddedNUL() throws {
    let action = Action(type: "a\u{0}b", body: [0])
    #expect(try Action(serializedBytes: action.serialized()) == action)
  }
}
