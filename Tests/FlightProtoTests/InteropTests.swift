// Byte equality with independent encoders: pyarrow's `serialize()` for the messages it can
// serialize, and the `protobuf` Python runtime (message classes built from a descriptor written
// in Tests/Peers/proto_vectors.py) for the rest and for FlightData.

internal import ArrowCore
internal import Foundation
internal import InteropSupport
internal import Testing

@testable internal import FlightProto

/// The expected bytes printed by `Tests/Peers/proto_vectors.py <mode>`: one Python process per
/// mode, run once per test process and shared by the tests of a suite.
enum ProtoVectors {
  private static let pyarrowVectors = Task { try await run("pyarrow") }
  private static let protobufVectors = Task { try await run("protobuf") }

  /// The vectors of pyarrow's `serialize()`.
  static func pyarrow() async throws -> Vectors { try await pyarrowVectors.value }

  /// The vectors of the `protobuf` runtime.
  static func protobuf() async throws -> Vectors { try await protobufVectors.value }

  /// Runs the script and parses its JSON output.
  private static func run(_ mode: String) async throws -> Vectors {
    let output = try await runPythonScript("proto_vectors.py", arguments: [mode])
    guard let object = try JSONSerialization.jsonObject(with: Data(output.utf8)) as? [String: String] else {
      throw InteropError("proto_vectors.py \(mode) did not print a JSON object of hex strings")
    }
    var vectors: [String: [UInt8]] = [:]
    for (name, hex) in object {
      vectors[name] = try decodeHex(hex, name: name)
    }
    return Vectors(mode: mode, values: vectors)
  }

  private static func decodeHex(_ hex: String, name: String) throws -> [UInt8] {
    let digits = Array(hex.utf8)
    guard digits.count % 2 == 0 else { throw InteropError("vector \(name) has odd hex length") }
    return try stride(from: 0, to: digits.count, by: 2).map { index in
      guard let byte = UInt8(String(decoding: digits[index..<index + 2], as: UTF8.self), radix: 16) else {
        throw InteropError("vector \(name) is not hex")
      }
      return byte
    }
  }

  /// Named expected bytes.
  struct Vectors: Sendable {
    let mode: String
    let values: [String: [UInt8]]

    /// The bytes of vector `name`; fails the test when the script did not print it.
    subscript(name: String) -> [UInt8] {
      get throws {
        guard let value = values[name] else {
          throw InteropError("proto_vectors.py \(mode) printed no vector \(name)")
        }
        return value
      }
    }
  }
}

/// Checks that `message` serializes to `expected` and that `expected` parses to `message`.
func expectSameBytes<M: FlightProtoMessage & Equatable>(
  _ message: M, _ expected: [UInt8], _ name: String, sourceLocation: SourceLocation = #_sourceLocation
) {
  let actual = message.serialized()
  #expect(
    actual == expected,
    "\(name): Swift \(hex(actual)) differs from Python \(hex(expected))", sourceLocation: sourceLocation)
  do {
    let parsed = try M(serializedBytes: expected)
    #expect(parsed == message, "\(name): parsed \(parsed), expected \(message)", sourceLocation: sourceLocation)
  } catch {
    Issue.record("\(name): Swift cannot parse Python's bytes: \(error)", sourceLocation: sourceLocation)
  }
}

func hex(_ bytes: [UInt8]) -> String {
  bytes.map { ($0 < 16 ? "0" : "") + String($0, radix: 16) }.joined()
}

private func utf8(_ text: String) -> [UInt8] { Array(text.utf8) }

/// The endpoint of the pyarrow vectors.
private func pyarrowEndpoint() throws -> FlightEndpoint {
  FlightEndpoint(
    ticket: Ticket("ticket-1"),
    locations: [try Location(uri: "grpc+tcp://localhost:8815"), try Location(uri: "grpc+tls://example.com:443")],
    expirationTime: Timestamp(seconds: 1_700_000_000, nanos: 123_456_789),
    appMetadata: utf8("endpoint-meta"))
}

@Suite("pyarrow serialize() byte equality", .serialized)
struct PyArrowBytesTests {
  @Test func actionBasicAuthResultTicket() async throws {
    try await InteropLock.run {
      let vectors = try await ProtoVectors.pyarrow()
      expectSameBytes(Action(type: "do-thing", body: [0] + utf8("body") + [0xFF]), try vectors["action"], "action")
      expectSameBytes(Action(type: "list"), try vectors["action_empty_body"], "action_empty_body")
      expectSameBytes(BasicAuth(username: "user", password: "p\u{E4}ssword"), try vectors["basic_auth"], "basic_auth")
      expectSameBytes(FlightResult(body: utf8("result-body")), try vectors["result"], "result")
      expectSameBytes(Ticket(utf8("tick") + [0] + utf8("et")), try vectors["ticket"], "ticket")
    }
  }

  @Test func descriptors() async throws {
    try await InteropLock.run {
      let vectors = try await ProtoVectors.pyarrow()
      expectSameBytes(FlightDescriptor.forPath("a", "b/c", "\u{E9}"), try vectors["descriptor_path"], "path")
      expectSameBytes(
        FlightDescriptor.forCommand(utf8("SELECT 1") + [0, 0xFF]), try vectors["descriptor_cmd"], "command")
    }
  }

  @Test func endpoints() async throws {
    try await InteropLock.run {
      let vectors = try await ProtoVectors.pyarrow()
      expectSameBytes(try pyarrowEndpoint(), try vectors["endpoint"], "endpoint")
      expectSameBytes(FlightEndpoint(ticket: Ticket("t2")), try vectors["endpoint_plain"], "endpoint_plain")
    }
  }

  @Test func flightInfoAndSchemaResult() async throws {
    try await InteropLock.run {
      let vectors = try await ProtoVectors.pyarrow()
      let schema = try vectors["schema"]
      #expect(schema.starts(with: [0xFF, 0xFF, 0xFF, 0xFF]), "pyarrow embeds the encapsulated IPC schema")
      let info = FlightInfo(
        schema: schema,
        flightDescriptor: .forPath("examples", "ints"),
        endpoints: [try pyarrowEndpoint(), FlightEndpoint(ticket: Ticket("t2"))],
        totalRecords: -1,
        totalBytes: -1,
        ordered: true,
        appMetadata: utf8("info-meta"))
      expectSameBytes(info, try vectors["info"], "info")
      let sized = FlightInfo(
        schema: schema,
        flightDescriptor: .forCommand("SELECT 1"),
        endpoints: [FlightEndpoint(ticket: Ticket("t2"))],
        totalRecords: 1000,
        totalBytes: 8000)
      expectSameBytes(sized, try vectors["info_sized"], "info_sized")
      expectSameBytes(SchemaResult(schema: schema), try vectors["schema_result"], "schema_result")
    }
  }
}

@Suite("protobuf runtime byte equality", .serialized)
struct ProtobufRuntimeBytesTests {
  static let endpoint = FlightEndpoint(
    ticket: Ticket("ticket-1"),
    locations: [try! Location(uri: "grpc+tcp://localhost:8815"), Location.reuseConnection],
    expirationTime: Timestamp(seconds: 1_700_000_000, nanos: 5),
    appMetadata: Array("endpoint-meta".utf8))

  static let info = FlightInfo(
    schema: [0xFF, 0xFF, 0xFF, 0xFF, 0x08, 0x00, 0x00, 0x00] + Array("schema!!".utf8),
    flightDescriptor: .forPath("examples", "ints"),
    endpoints: [endpoint, FlightEndpoint(ticket: Ticket("t2"))],
    totalRecords: -1,
    totalBytes: -1,
    ordered: true,
    appMetadata: Array("info-meta".utf8))

  @Test func pollInfo() async throws {
    try await InteropLock.run {
      let vectors = try await ProtoVectors.protobuf()
      expectSameBytes(
        PollInfo(
          info: Self.info, flightDescriptor: .forCommand("poll"), progress: 0.1,
          expirationTime: Timestamp(seconds: 1_700_000_100)),
        try vectors["poll_info_running"], "poll_info_running")
      expectSameBytes(PollInfo(info: Self.info, progress: 1.0), try vectors["poll_info_done"], "poll_info_done")
      expectSameBytes(
        PollInfo(info: Self.info, progress: 0.0), try vectors["poll_info_zero_progress"], "poll_info_zero_progress")
    }
  }

  @Test func standardActions() async throws {
    try await InteropLock.run {
      let vectors = try await ProtoVectors.protobuf()
      expectSameBytes(CancelFlightInfoRequest(info: Self.info), try vectors["cancel_request"], "cancel_request")
      expectSameBytes(CancelFlightInfoResult(status: .cancelling), try vectors["cancel_result"], "cancel_result")
      expectSameBytes(
        CancelFlightInfoResult(status: .unspecified), try vectors["cancel_result_unspecified"],
        "cancel_result_unspecified")
      expectSameBytes(RenewFlightEndpointRequest(endpoint: Self.endpoint), try vectors["renew_request"], "renew")
    }
  }

  @Test func sessionOptions() async throws {
    try await InteropLock.run {
      let vectors = try await ProtoVectors.protobuf()
      let request = SetSessionOptionsRequest(sessionOptions: [
        "a.string": .string("text"),
        "b.bool": .bool(true),
        "c.int": .int64(-42),
        "d.double": .double(2.5),
        "e.list": .stringList(["x", "", "z"]),
        "f.unset": .unset,
      ])
      expectSameBytes(request, try vectors["set_session_request"], "set_session_request")
      expectSameBytes(
        SetSessionOptionsResult(errors: [
          "bad.name": .invalidName, "bad.value": .invalidValue, "unspecified": .unspecified,
        ]),
        try vectors["set_session_result"], "set_session_result")
      expectSameBytes(GetSessionOptionsRequest(), try vectors["get_session_request"], "get_session_request")
      expectSameBytes(
        GetSessionOptionsResult(sessionOptions: ["k": .string("v"), "n": .int64(7)]),
        try vectors["get_session_result"], "get_session_result")
      expectSameBytes(CloseSessionRequest(), try vectors["close_session_request"], "close_session_request")
      expectSameBytes(CloseSessionResult(status: .notCloseable), try vectors["close_session_result"], "close_session")
      let list = SessionOptionValue.stringList(["a", "\u{E9}"])
      expectSameBytes(list, try vectors["session_value_list"], "session_value_list")
      expectSameBytes(SessionOptionValue.double(-0.5), try vectors["session_value_double"], "session_value_double")
    }
  }

  @Test func smallMessages() async throws {
    try await InteropLock.run {
      let vectors = try await ProtoVectors.protobuf()
      expectSameBytes(
        HandshakeRequest(protocolVersion: 300, payload: [0] + Array("hello".utf8)), try vectors["handshake_request"],
        "handshake_request")
      expectSameBytes(
        HandshakeResponse(protocolVersion: .max, payload: Array("token".utf8)), try vectors["handshake_response"],
        "handshake_response")
      expectSameBytes(PutResult(appMetadata: Array("ack-0".utf8)), try vectors["put_result"], "put_result")
      expectSameBytes(
        ActionType(type: "echo", description: "Echo the action body back \u{2713}"), try vectors["action_type"],
        "action_type")
      expectSameBytes(Criteria(expression: Array("name = 'x'".utf8)), try vectors["criteria"], "criteria")
      expectSameBytes(Empty(), try vectors["empty"], "empty")
      expectSameBytes(
        try Location(uri: "grpc+unix:///tmp/flight.sock"), try vectors["location"], "location")
      expectSameBytes(Timestamp(seconds: -1, nanos: 999_999_999), try vectors["timestamp_negative"], "timestamp")
    }
  }

  /// Checks a FlightData against the runtime's bytes: encoding, decoding whole, and decoding
  /// the bytes cut into parts every `chunk` bytes.
  func expectSameFlightData(
    _ message: FlightData, _ expected: [UInt8], _ name: String, sourceLocation: SourceLocation = #_sourceLocation
  ) {
    let actual = wireBytes(message.encoded())
    #expect(
      actual == expected,
      "\(name): Swift \(hex(Array(actual.prefix(64)))) differs from Python \(hex(Array(expected.prefix(64))))",
      sourceLocation: sourceLocation)
    for chunk in [expected.count + 1, 7, 1] where chunk <= expected.count + 1 {
      let cuts = Array(stride(from: chunk, to: expected.count, by: chunk))
      do {
        let decoded = try FlightData(decoding: split(expected, at: cuts))
        #expect(decoded == message, "\(name) in parts of \(chunk)", sourceLocation: sourceLocation)
      } catch {
        Issue.record("\(name): Swift cannot decode Python's bytes: \(error)", sourceLocation: sourceLocation)
      }
    }
  }

  @Test func flightData() async throws {
    try await InteropLock.run {
      let vectors = try await ProtoVectors.protobuf()
      let body = (0..<3).map { _ in Buffer(copying: (0..<256).map { UInt8($0) }) }
      expectSameFlightData(
        FlightData(
          flightDescriptor: .forPath("upload", "t"),
          dataHeader: Buffer(copying: [0x10, 0, 0, 0] + Array("header-flatbuffer".utf8)),
          appMetadata: Buffer(copying: Array("meta".utf8)),
          body: body),
        try vectors["flight_data_full"], "flight_data_full")
      expectSameFlightData(
        FlightData(appMetadata: Buffer(copying: Array("progress: 50%".utf8))),
        try vectors["flight_data_metadata_only"], "flight_data_metadata_only")
      expectSameFlightData(
        FlightData(flightDescriptor: .forCommand("exchange")),
        try vectors["flight_data_descriptor_only"], "flight_data_descriptor_only")
      expectSameFlightData(
        FlightData(dataHeader: Buffer(copying: Array("schema-message".utf8))),
        try vectors["flight_data_schema"], "flight_data_schema")
      let big = try vectors["flight_data_big_body"]
      expectSameFlightData(
        FlightData(
          dataHeader: [0x68],
          body: [
            Buffer(copying: [UInt8](repeating: 0xAB, count: 100_000)),
            Buffer(copying: [UInt8](repeating: 0xAB, count: 200_000)),
          ]),
        big, "flight_data_big_body")
    }
  }
}
