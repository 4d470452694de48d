internal import Testing

@testable internal import FlightProto

/// Every message survives encode then decode.
@Suite("Round trips")
struct RoundTripTests {
  func roundTrip<M: FlightProtoMessage & Equatable>(_ message: M) throws {
    let bytes = message.serialized()
    let decoded = try M(serializedBytes: bytes)
    #expect(decoded == message, "\(M.protoName) did not round-trip")
    #expect(decoded.serialized() == bytes, "\(M.protoName) re-encoding differs")
  }

  static let endpoint = FlightEndpoint(
    ticket: Ticket("t1"),
    locations: [
      try! Location.forGRPCTCP(host: "localhost", port: 8815),
      try! Location(uri: "grpc+unix:///tmp/flight.sock"),
      Location.reuseConnection,
    ],
    expirationTime: Timestamp(seconds: 1_700_000_000, nanos: 123_456_789),
    appMetadata: [1, 2, 3]
  )

  static let info = FlightInfo(
    schema: [0xFF, 0xFF, 0xFF, 0xFF, 8, 0, 0, 0, 1, 2, 3, 4, 5, 6, 7, 8],
    flightDescriptor: .forPath("examples", "ints"),
    endpoints: [endpoint, FlightEndpoint(ticket: Ticket("t2"))],
    totalRecords: 1000,
    totalBytes: 8000,
    ordered: true,
    appMetadata: Array("meta".utf8)
  )

  @Test func smallMessages() throws {
    try roundTrip(Ticket("ticket"))
    try roundTrip(Ticket([0, 255, 0]))
    try roundTrip(HandshakeRequest(protocolVersion: 7, payload: [9, 8, 7]))
    try roundTrip(HandshakeResponse(protocolVersion: .max, payload: []))
    try roundTrip(BasicAuth(username: "arrow", password: "flight ✈︎"))
    try roundTrip(Empty())
    try roundTrip(ActionType(type: "CancelFlightInfo", description: "Explicitly cancel a running FlightInfo."))
    try roundTrip(Criteria(expression: [1, 2]))
    try roundTrip(Criteria())
    try roundTrip(Action(type: "echo", body: Array("hello".utf8)))
    try roundTrip(FlightResult(body: [0, 1, 2]))
    try roundTrip(SchemaResult(schema: [1, 2, 3, 4]))
    try roundTrip(PutResult(appMetadata: Array("0".utf8)))
    try roundTrip(Timestamp(seconds: -62_135_596_800, nanos: 999_999_999))
    try roundTrip(try Location(uri: "grpc+tls://example.com:443"))
  }

  @Test func descriptors() throws {
    try roundTrip(FlightDescriptor.forPath([]))
    try roundTrip(FlightDescriptor.forPath("a", "", "ü"))
    try roundTrip(FlightDescriptor.forCommand([]))
    try roundTrip(FlightDescriptor.forCommand([0, 1, 2, 0xFF]))
  }

  @Test func flightInfoAndEndpoints() throws {
    try roundTrip(Self.endpoint)
    try roundTrip(Self.info)
    try roundTrip(FlightInfo(flightDescriptor: nil))
    try roundTrip(FlightInfo(flightDescriptor: .forCommand("ordered"), totalRecords: 0, totalBytes: 0))
  }

  @Test func pollInfo() throws {
    try roundTrip(
      PollInfo(
        info: Self.info, flightDescriptor: .forCommand("poll"), progress: 0.1,
        expirationTime: Timestamp(seconds: 5)))
    try roundTrip(PollInfo(info: Self.info, progress: 1.0))
    try roundTrip(PollInfo(info: nil))
  }

  @Test func standardActions() throws {
    try roundTrip(CancelFlightInfoRequest(info: Self.info))
    for status in CancelStatus.allCases {
      try roundTrip(CancelFlightInfoResult(status: status))
    }
    try roundTrip(RenewFlightEndpointRequest(endpoint: Self.endpoint))
  }

  @Test func sessionOptions() throws {
    let values: [SessionOptionValue] = [
      .string("s"), .string(""), .bool(true), .bool(false), .int64(.min), .int64(0), .double(-2.5), .double(0),
      .stringList(["a", "b"]), .stringList([]), .unset,
    ]
    for value in values {
      try roundTrip(value)
    }
    let options = Dictionary(uniqueKeysWithValues: values.enumerated().map { ("key\($0.offset)", $0.element) })
    try roundTrip(SetSessionOptionsRequest(sessionOptions: options))
    try roundTrip(SetSessionOptionsRequest(sessionOptions: [:]))
    try roundTrip(GetSessionOptionsResult(sessionOptions: options))
    try roundTrip(GetSessionOptionsRequest())
    try roundTrip(
      SetSessionOptionsResult(errors: ["a": .unspecified, "b": .invalidName, "c": .invalidValue, "d": .error]))
    try roundTrip(CloseSessionRequest())
    for status in CloseSessionResult.Status.allCases {
      try roundTrip(CloseSessionResult(status: status))
    }
  }

  @Test func duplicateMapKeysKeepTheLast() throws {
    // Two entries for "k": bool true, then int64 via an empty value (unset).
    let bytes: [UInt8] = [
      0x0A, 0x07, 0x0A, 0x01, 0x6B, 0x12, 0x02, 0x10, 0x01,
      0x0A, 0x03, 0x0A, 0x01, 0x6B,
    ]
    let request = try SetSessionOptionsRequest(serializedBytes: bytes)
    #expect(request.sessionOptions == ["k": .unset])
  }
}
