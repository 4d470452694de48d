internal import Testing

@testable internal import FlightProto

/// Bad bytes throw a ProtoError naming the message and the problem; they never crash.
@Suite("Malformed input")
struct MalformedTests {
  func expectError<M: FlightProtoMessage>(
    _ type: M.Type, _ bytes: [UInt8], containing fragment: String,
    sourceLocation: SourceLocation = #_sourceLocation
  ) {
    do {
      _ = try M(serializedBytes: bytes)
      Issue.record("\(M.protoName) accepted \(bytes)", sourceLocation: sourceLocation)
    } catch let error as ProtoError {
      #expect(error.messageType == M.protoName, sourceLocation: sourceLocation)
      #expect(
        error.description.contains(fragment), "\(error.description) lacks '\(fragment)'",
        sourceLocation: sourceLocation)
    } catch {
      Issue.record("unexpected error \(error)", sourceLocation: sourceLocation)
    }
  }

  @Test func truncatedVarint() {
    expectError(Timestamp.self, [0x08, 0x80], containing: "truncated varint")
    expectError(Timestamp.self, [0x88], containing: "truncated varint (field tag) at byte 0")
  }

  @Test func overlongVarint() {
    expectError(Timestamp.self, [0x08] + [UInt8](repeating: 0xFF, count: 10) + [0x01], containing: "longer than 10")
  }

  @Test func wrongWireType() {
    // ticket is bytes (wire type 2); a varint is given.
    expectError(Ticket.self, [0x08, 0x01], containing: "field 1 (ticket) at byte 0 has wire type 0, expected 2")
    // seconds is int64 (wire type 0); a fixed64 is given.
    expectError(Timestamp.self, [0x09, 0, 0, 0, 0, 0, 0, 0, 0], containing: "wire type 1, expected 0")
  }

  @Test func lengthPastTheEnd() {
    expectError(Ticket.self, [0x0A, 0x05, 0x61], containing: "claims 5 bytes, only 1 remain")
    expectError(SessionOptionValue.self, [0x19, 1, 2], containing: "needs 8 bytes")
  }

  @Test func invalidWireTypes() {
    expectError(Ticket.self, [0x0B], containing: "group wire type")
    expectError(Ticket.self, [0x0E, 0x00], containing: "invalid wire type 6")
    expectError(Ticket.self, [0x00, 0x00], containing: "invalid field number 0")
  }

  @Test func nestedProblemsAreLocated() {
    // FlightInfo.endpoint[0].ticket with a wrong wire type inside.
    expectError(FlightInfo.self, [0x1A, 0x04, 0x0A, 0x02, 0x08, 0x01], containing: "in field 3 (endpoint)")
  }

  @Test func badUTF8() {
    expectError(Location.self, [0x0A, 0x02, 0xC3, 0x28], containing: "Location.uri is not valid UTF-8")
    expectError(BasicAuth.self, [0x12, 0x01, 0xFF], containing: "BasicAuth.username is not valid UTF-8")
    expectError(Action.self, [0x0A, 0x01, 0x80], containing: "Action.type is not valid UTF-8")
    expectError(ActionType.self, [0x12, 0x01, 0xFE], containing: "ActionType.description is not valid UTF-8")
    // Path component inside a FlightInfo's descriptor.
    expectError(FlightInfo.self, [0x12, 0x05, 0x08, 0x01, 0x1A, 0x01, 0xFF], containing: "FlightDescriptor.path[0]")
    expectError(SessionOptionValue.self, [0x0A, 0x01, 0xFF], containing: "string_value is not valid UTF-8")
    expectError(
      SetSessionOptionsRequest.self, [0x0A, 0x03, 0x0A, 0x01, 0xFF], containing: "session_options[0].key")
  }

  @Test func unknownDescriptorTypeIsRejected() {
    expectError(FlightDescriptor.self, [], containing: "UNKNOWN")
    expectError(FlightDescriptor.self, [0x12, 0x01, 0x61], containing: "UNKNOWN")
    expectError(FlightDescriptor.self, [0x08, 0x07], containing: "FlightDescriptor.type is 7")
    // Also inside a FlightInfo and a PollInfo.
    expectError(FlightInfo.self, [0x12, 0x00], containing: "UNKNOWN")
    expectError(PollInfo.self, [0x12, 0x00], containing: "UNKNOWN")
  }

  @Test func invalidLocationIsRejected() {
    expectError(Location.self, [], containing: "empty")
    expectError(Location.self, [0x0A, 0x03] + Array("abc".utf8), containing: "'abc'")
    // Inside an endpoint.
    expectError(FlightEndpoint.self, [0x12, 0x02, 0x0A, 0x00], containing: "Location.uri")
  }

  @Test func requiredSubmessages() {
    expectError(CancelFlightInfoRequest.self, [], containing: "info is missing")
    expectError(RenewFlightEndpointRequest.self, [], containing: "endpoint is missing")
  }

  @Test func errorDescriptionNamesTheType() throws {
    let error = ProtoError(messageType: "Ticket", reason: "bad")
    #expect(error.description == "cannot decode Ticket: bad")
  }
}
