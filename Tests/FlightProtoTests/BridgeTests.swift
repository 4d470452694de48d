internal import Testing

@testable internal import FlightProto

/// The generic protobuf-c bridge and the generated glue: names, defaults for absent fields,
/// maps, and where the wire reader places a problem.
@Suite("protobuf-c bridge")
struct BridgeTests {
  /// Every message type bound to protobuf-c, with its name in Flight.proto.
  static let messageTypes: [(any FlightProtoMessage.Type, String)] = [
    (Timestamp.self, "Timestamp"), (HandshakeRequest.self, "HandshakeRequest"),
    (HandshakeResponse.self, "HandshakeResponse"), (BasicAuth.self, "BasicAuth"), (Empty.self, "Empty"),
    (ActionType.self, "ActionType"), (Criteria.self, "Criteria"), (Action.self, "Action"),
    (FlightResult.self, "Result"), (SchemaResult.self, "SchemaResult"), (FlightDescriptor.self, "FlightDescriptor"),
    (FlightInfo.self, "FlightInfo"), (PollInfo.self, "PollInfo"),
    (CancelFlightInfoRequest.self, "CancelFlightInfoRequest"), (CancelFlightInfoResult.self, "CancelFlightInfoResult"),
    (Ticket.self, "Ticket"), (Location.self, "Location"), (FlightEndpoint.self, "FlightEndpoint"),
    (RenewFlightEndpointRequest.self, "RenewFlightEndpointRequest"), (PutResult.self, "PutResult"),
    (SessionOptionValue.self, "SessionOptionValue"), (SetSessionOptionsRequest.self, "SetSessionOptionsRequest"),
    (SetSessionOptionsResult.self, "SetSessionOptionsResult"),
    (GetSessionOptionsRequest.self, "GetSessionOptionsRequest"),
    (GetSessionOptionsResult.self, "GetSessionOptionsResult"), (CloseSessionRequest.self, "CloseSessionRequest"),
    (CloseSessionResult.self, "CloseSessionResult"),
  ]

  @Test func everyMessageNamesItsProtoMessage() {
    for (type, name) in Self.messageTypes {
      #expect(type.protoName == name)
    }
    #expect(Set(Self.messageTypes.map(\.1)).count == 27)
  }

  @Test func everyMessageReportsItsNameInErrors() {
    // A truncated tag: every type refuses it and names itself.
    for (type, name) in Self.messageTypes {
      do {
        _ = try type.init(serializedBytes: [0x80])
        Issue.record("\(name) accepted a truncated tag")
      } catch let error as ProtoError {
        #expect(error.messageType == name)
        #expect(error.reason == "truncated varint (field tag) at byte 0")
      } catch {
        Issue.record("\(name): unexpected error \(error)")
      }
    }
  }

  @Test func absentMessageFieldsDecodeAsTheirDefault() throws {
    // FlightEndpoint without a ticket: an empty ticket (protobuf's default message).
    let endpoint = try FlightEndpoint(serializedBytes: [0x22, 0x01, 0x6D])
    #expect(endpoint == FlightEndpoint(ticket: Ticket([UInt8]()), appMetadata: [0x6D]))
    // A session option entry without a value: unset.
    let request = try SetSessionOptionsRequest(serializedBytes: [0x0A, 0x03, 0x0A, 0x01, 0x6B])
    #expect(request.sessionOptions == ["k": .unset])
    // An optional message field stays nil.
    #expect(try PollInfo(serializedBytes: []) == PollInfo(info: nil))
  }

  @Test func repeatedMapKeysKeepTheLastValue() throws {
    // errors = {"x": INVALID_NAME}, then {"x": ERROR}.
    let entry: (UInt8) -> [UInt8] = { [0x0A, 0x07, 0x0A, 0x01, 0x78, 0x12, 0x02, 0x08, $0] }
    let result = try SetSessionOptionsResult(serializedBytes: entry(1) + entry(3))
    #expect(result.errors == ["x": .error])
  }

  @Test func mapsEncodeSortedByKey() {
    let result = GetSessionOptionsResult(sessionOptions: ["b": .bool(false), "a": .int64(1)])
    let a: [UInt8] = [0x0A, 0x0E, 0x0A, 0x01, 0x61, 0x12, 0x09, 0x19, 1, 0, 0, 0, 0, 0, 0, 0]
    let b: [UInt8] = [0x0A, 0x07, 0x0A, 0x01, 0x62, 0x12, 0x02, 0x10, 0x00]
    #expect(result.serialized() == a + b)
  }

  @Test func nestedProblemsGiveAbsolutePositions() {
    // FlightInfo.endpoint[0] (at byte 0) holds a ticket (at byte 2) whose field 1 (at byte 4)
    // is a varint instead of bytes.
    do {
      _ = try FlightInfo(serializedBytes: [0x1A, 0x04, 0x0A, 0x02, 0x08, 0x01])
      Issue.record("accepted a varint ticket")
    } catch let error as ProtoError {
      #expect(
        error.reason
          == "in field 3 (endpoint): in field 1 (ticket): field 1 (ticket) at byte 4 has wire type 0, expected 2")
    } catch {
      Issue.record("unexpected error \(error)")
    }
    // A truncated length inside the second endpoint's ticket.
    do {
      _ = try FlightInfo(serializedBytes: [0x1A, 0x00, 0x1A, 0x04, 0x0A, 0x02, 0x0A, 0x80])
      Issue.record("accepted a truncated varint")
    } catch let error as ProtoError {
      #expect(error.reason.hasSuffix("in field 1 (ticket): truncated varint (length of field 1) at byte 7"))
    } catch {
      Issue.record("unexpected error \(error)")
    }
  }
}
