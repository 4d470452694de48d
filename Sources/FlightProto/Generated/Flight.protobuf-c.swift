// Generated, do not edit: Scripts/generate-protos.sh writes this file from Protos/Flight.proto
// (with Scripts/generate-swift.py). It binds each Swift message type to the C that protoc-c
// generates; the generic packing and unpacking is in ProtobufCBridge.swift.

internal import CFlightProto

// MARK: Timestamp

extension Timestamp: CBridged {
  typealias CMessage = Google__Protobuf__Timestamp

  static func cInit(_ message: UnsafeMutablePointer<CMessage>) {
    google__protobuf__timestamp__init(message)
  }

  func fill(_ message: UnsafeMutablePointer<CMessage>, _ arena: CArena) {
    message.pointee.seconds = seconds
    message.pointee.nanos = nanos
  }

  init(c message: UnsafePointer<CMessage>) throws(FieldError) {
    seconds = message.pointee.seconds
    nanos = message.pointee.nanos
  }
}

// MARK: HandshakeRequest

extension HandshakeRequest: CBridged {
  typealias CMessage = Arrow__Flight__Protocol__HandshakeRequest

  static func cInit(_ message: UnsafeMutablePointer<CMessage>) {
    arrow__flight__protocol__handshake_request__init(message)
  }

  func fill(_ message: UnsafeMutablePointer<CMessage>, _ arena: CArena) {
    message.pointee.protocol_version = protocolVersion
    message.pointee.payload = arena.binary(payload)
  }

  init(c message: UnsafePointer<CMessage>) throws(FieldError) {
    protocolVersion = message.pointee.protocol_version
    payload = try swiftBytes(message.pointee.payload, "HandshakeRequest.payload")
  }
}

// MARK: HandshakeResponse

extension HandshakeResponse: CBridged {
  typealias CMessage = Arrow__Flight__Protocol__HandshakeResponse

  static func cInit(_ message: UnsafeMutablePointer<CMessage>) {
    arrow__flight__protocol__handshake_response__init(message)
  }

  func fill(_ message: UnsafeMutablePointer<CMessage>, _ arena: CArena) {
    message.pointee.protocol_version = protocolVersion
    message.pointee.payload = arena.binary(payload)
  }

  init(c message: UnsafePointer<CMessage>) throws(FieldError) {
    protocolVersion = message.pointee.protocol_version
    payload = try swiftBytes(message.pointee.payload, "HandshakeResponse.payload")
  }
}

// MARK: BasicAuth

extension BasicAuth: CBridged {
  typealias CMessage = Arrow__Flight__Protocol__BasicAuth

  static func cInit(_ message: UnsafeMutablePointer<CMessage>) {
    arrow__flight__protocol__basic_auth__init(message)
  }

  func fill(_ message: UnsafeMutablePointer<CMessage>, _ arena: CArena) {
    message.pointee.username = arena.binary(username)
    message.pointee.password = arena.binary(password)
  }

  init(c message: UnsafePointer<CMessage>) throws(FieldError) {
    username = try swiftBytes(message.pointee.username, "BasicAuth.username")
    password = try swiftBytes(message.pointee.password, "BasicAuth.password")
  }
}

// MARK: Empty

extension Empty: CBridged {
  typealias CMessage = Arrow__Flight__Protocol__Empty

  static func cInit(_ message: UnsafeMutablePointer<CMessage>) {
    arrow__flight__protocol__empty__init(message)
  }

  func fill(_ message: UnsafeMutablePointer<CMessage>, _ arena: CArena) {}

  init(c message: UnsafePointer<CMessage>) throws(FieldError) { self.init() }
}

// MARK: ActionType

extension ActionType: CBridged {
  typealias CMessage = Arrow__Flight__Protocol__ActionType

  static func cInit(_ message: UnsafeMutablePointer<CMessage>) {
    arrow__flight__protocol__action_type__init(message)
  }

  func fill(_ message: UnsafeMutablePointer<CMessage>, _ arena: CArena) {
    message.pointee.type = arena.binary(type)
    message.pointee.description = arena.binary(description)
  }

  init(c message: UnsafePointer<CMessage>) throws(FieldError) {
    type = try swiftBytes(message.pointee.type, "ActionType.type")
    description = try swiftBytes(message.pointee.description, "ActionType.description")
  }
}

// MARK: Criteria

extension Criteria: CBridged {
  typealias CMessage = Arrow__Flight__Protocol__Criteria

  static func cInit(_ message: UnsafeMutablePointer<CMessage>) {
    arrow__flight__protocol__criteria__init(message)
  }

  func fill(_ message: UnsafeMutablePointer<CMessage>, _ arena: CArena) {
    message.pointee.expression = arena.binary(expression)
  }

  init(c message: UnsafePointer<CMessage>) throws(FieldError) {
    expression = try swiftBytes(message.pointee.expression, "Criteria.expression")
  }
}

// MARK: Action

extension Action: CBridged {
  typealias CMessage = Arrow__Flight__Protocol__Action

  static func cInit(_ message: UnsafeMutablePointer<CMessage>) {
    arrow__flight__protocol__action__init(message)
  }

  func fill(_ message: UnsafeMutablePointer<CMessage>, _ arena: CArena) {
    message.pointee.type = arena.binary(type)
    message.pointee.body = arena.binary(body)
  }

  init(c message: UnsafePointer<CMessage>) throws(FieldError) {
    type = try swiftBytes(message.pointee.type, "Action.type")
    body = try swiftBytes(message.pointee.body, "Action.body")
  }
}

// MARK: Result

extension FlightResult: CBridged {
  typealias CMessage = Arrow__Flight__Protocol__Result

  static func cInit(_ message: UnsafeMutablePointer<CMessage>) {
    arrow__flight__protocol__result__init(message)
  }

  func fill(_ message: UnsafeMutablePointer<CMessage>, _ arena: CArena) {
    message.pointee.body = arena.binary(body)
  }

  init(c message: UnsafePointer<CMessage>) throws(FieldError) {
    body = try swiftBytes(message.pointee.body, "Result.body")
  }
}

// MARK: SchemaResult

extension SchemaResult: CBridged {
  typealias CMessage = Arrow__Flight__Protocol__SchemaResult

  static func cInit(_ message: UnsafeMutablePointer<CMessage>) {
    arrow__flight__protocol__schema_result__init(message)
  }

  func fill(_ message: UnsafeMutablePointer<CMessage>, _ arena: CArena) {
    message.pointee.schema = arena.binary(schema)
  }

  init(c message: UnsafePointer<CMessage>) throws(FieldError) {
    schema = try swiftBytes(message.pointee.schema, "SchemaResult.schema")
  }
}

// MARK: FlightDescriptor

extension FlightDescriptor: CBridged {
  typealias CMessage = Arrow__Flight__Protocol__FlightDescriptor

  static func cInit(_ message: UnsafeMutablePointer<CMessage>) {
    arrow__flight__protocol__flight_descriptor__init(message)
  }
}

// MARK: FlightInfo

extension FlightInfo: CBridged {
  typealias CMessage = Arrow__Flight__Protocol__FlightInfo

  static func cInit(_ message: UnsafeMutablePointer<CMessage>) {
    arrow__flight__protocol__flight_info__init(message)
  }

  func fill(_ message: UnsafeMutablePointer<CMessage>, _ arena: CArena) {
    message.pointee.schema = arena.binary(schema)
    message.pointee.flight_descriptor = arena.field(flightDescriptor)
    (message.pointee.n_endpoint, message.pointee.endpoint) = arena.array(endpoints) { arena.field($0) }
    message.pointee.total_records = totalRecords
    message.pointee.total_bytes = totalBytes
    message.pointee.ordered = cBool(ordered)
    message.pointee.app_metadata = arena.binary(appMetadata)
  }

  init(c message: UnsafePointer<CMessage>) throws(FieldError) {
    schema = try swiftBytes(message.pointee.schema, "FlightInfo.schema")
    flightDescriptor = try swiftMessage(message.pointee.flight_descriptor, "FlightInfo.flight_descriptor")
    endpoints = try swiftArray(message.pointee.endpoint, message.pointee.n_endpoint) {
      (value, index) throws(FieldError) in try swiftMessage(value, "FlightInfo.endpoint[\(index)]")
    }
    totalRecords = message.pointee.total_records
    totalBytes = message.pointee.total_bytes
    ordered = message.pointee.ordered != 0
    appMetadata = try swiftBytes(message.pointee.app_metadata, "FlightInfo.app_metadata")
  }
}

// MARK: PollInfo

extension PollInfo: CBridged {
  typealias CMessage = Arrow__Flight__Protocol__PollInfo

  static func cInit(_ message: UnsafeMutablePointer<CMessage>) {
    arrow__flight__protocol__poll_info__init(message)
  }

  func fill(_ message: UnsafeMutablePointer<CMessage>, _ arena: CArena) {
    message.pointee.info = arena.field(info)
    message.pointee.flight_descriptor = arena.field(flightDescriptor)
    if let progress {
      message.pointee._progress_case = ARROW__FLIGHT__PROTOCOL__POLL_INFO___PROGRESS_PROGRESS
      message.pointee.progress = progress
    }
    message.pointee.expiration_time = arena.field(expirationTime)
  }

  init(c message: UnsafePointer<CMessage>) throws(FieldError) {
    info = try swiftMessage(message.pointee.info, "PollInfo.info")
    flightDescriptor = try swiftMessage(message.pointee.flight_descriptor, "PollInfo.flight_descriptor")
    progress =
      message.pointee._progress_case == ARROW__FLIGHT__PROTOCOL__POLL_INFO___PROGRESS_PROGRESS
      ? message.pointee.progress : nil
    expirationTime = try swiftMessage(message.pointee.expiration_time, "PollInfo.expiration_time")
  }
}

// MARK: CancelFlightInfoRequest

extension CancelFlightInfoRequest: CBridged {
  typealias CMessage = Arrow__Flight__Protocol__CancelFlightInfoRequest

  static func cInit(_ message: UnsafeMutablePointer<CMessage>) {
    arrow__flight__protocol__cancel_flight_info_request__init(message)
  }

  func fill(_ message: UnsafeMutablePointer<CMessage>, _ arena: CArena) {
    message.pointee.info = arena.field(info)
  }

  init(c message: UnsafePointer<CMessage>) throws(FieldError) {
    info = try swiftRequired(message.pointee.info, "CancelFlightInfoRequest.info")
  }
}

// MARK: CancelFlightInfoResult

extension CancelFlightInfoResult: CBridged {
  typealias CMessage = Arrow__Flight__Protocol__CancelFlightInfoResult

  static func cInit(_ message: UnsafeMutablePointer<CMessage>) {
    arrow__flight__protocol__cancel_flight_info_result__init(message)
  }

  func fill(_ message: UnsafeMutablePointer<CMessage>, _ arena: CArena) {
    message.pointee.status = cEnum(status)
  }

  init(c message: UnsafePointer<CMessage>) throws(FieldError) {
    status = swiftEnum(message.pointee.status)
  }
}

// MARK: Ticket

extension Ticket: CBridged {
  typealias CMessage = Arrow__Flight__Protocol__Ticket

  static func cInit(_ message: UnsafeMutablePointer<CMessage>) {
    arrow__flight__protocol__ticket__init(message)
  }

  func fill(_ message: UnsafeMutablePointer<CMessage>, _ arena: CArena) {
    message.pointee.ticket = arena.binary(ticket)
  }

  init(c message: UnsafePointer<CMessage>) throws(FieldError) {
    ticket = try swiftBytes(message.pointee.ticket, "Ticket.ticket")
  }
}

// MARK: Location

extension Location: CBridged {
  typealias CMessage = Arrow__Flight__Protocol__Location

  static func cInit(_ message: UnsafeMutablePointer<CMessage>) {
    arrow__flight__protocol__location__init(message)
  }
}

// MARK: FlightEndpoint

extension FlightEndpoint: CBridged {
  typealias CMessage = Arrow__Flight__Protocol__FlightEndpoint

  static func cInit(_ message: UnsafeMutablePointer<CMessage>) {
    arrow__flight__protocol__flight_endpoint__init(message)
  }

  func fill(_ message: UnsafeMutablePointer<CMessage>, _ arena: CArena) {
    message.pointee.ticket = arena.field(ticket)
    (message.pointee.n_location, message.pointee.location) = arena.array(locations) { arena.field($0) }
    message.pointee.expiration_time = arena.field(expirationTime)
    message.pointee.app_metadata = arena.binary(appMetadata)
  }

  init(c message: UnsafePointer<CMessage>) throws(FieldError) {
    ticket = try swiftMessage(message.pointee.ticket, "FlightEndpoint.ticket")
    locations = try swiftArray(message.pointee.location, message.pointee.n_location) {
      (value, index) throws(FieldError) in try swiftMessage(value, "FlightEndpoint.location[\(index)]")
    }
    expirationTime = try swiftMessage(message.pointee.expiration_time, "FlightEndpoint.expiration_time")
    appMetadata = try swiftBytes(message.pointee.app_metadata, "FlightEndpoint.app_metadata")
  }
}

// MARK: RenewFlightEndpointRequest

extension RenewFlightEndpointRequest: CBridged {
  typealias CMessage = Arrow__Flight__Protocol__RenewFlightEndpointRequest

  static func cInit(_ message: UnsafeMutablePointer<CMessage>) {
    arrow__flight__protocol__renew_flight_endpoint_request__init(message)
  }

  func fill(_ message: UnsafeMutablePointer<CMessage>, _ arena: CArena) {
    message.pointee.endpoint = arena.field(endpoint)
  }

  init(c message: UnsafePointer<CMessage>) throws(FieldError) {
    endpoint = try swiftRequired(message.pointee.endpoint, "RenewFlightEndpointRequest.endpoint")
  }
}

// MARK: PutResult

extension PutResult: CBridged {
  typealias CMessage = Arrow__Flight__Protocol__PutResult

  static func cInit(_ message: UnsafeMutablePointer<CMessage>) {
    arrow__flight__protocol__put_result__init(message)
  }

  func fill(_ message: UnsafeMutablePointer<CMessage>, _ arena: CArena) {
    message.pointee.app_metadata = arena.binary(appMetadata)
  }

  init(c message: UnsafePointer<CMessage>) throws(FieldError) {
    appMetadata = try swiftBytes(message.pointee.app_metadata, "PutResult.app_metadata")
  }
}

// MARK: SessionOptionValue

extension SessionOptionValue: CBridged {
  typealias CMessage = Arrow__Flight__Protocol__SessionOptionValue

  static func cInit(_ message: UnsafeMutablePointer<CMessage>) {
    arrow__flight__protocol__session_option_value__init(message)
  }
}

// MARK: SetSessionOptionsRequest

extension SetSessionOptionsRequest: CBridged {
  typealias CMessage = Arrow__Flight__Protocol__SetSessionOptionsRequest

  static func cInit(_ message: UnsafeMutablePointer<CMessage>) {
    arrow__flight__protocol__set_session_options_request__init(message)
  }

  func fill(_ message: UnsafeMutablePointer<CMessage>, _ arena: CArena) {
    (message.pointee.n_session_options, message.pointee.session_options) = arena.map(
      sessionOptions, arrow__flight__protocol__set_session_options_request__session_options_entry__init
    ) { entry, key, value in
      entry.pointee.key = arena.binary(key)
      entry.pointee.value = arena.field(value)
    }
  }

  init(c message: UnsafePointer<CMessage>) throws(FieldError) {
    sessionOptions = try swiftMap(message.pointee.session_options, message.pointee.n_session_options) {
      (entry, index) throws(FieldError) in
      (
        try swiftBytes(entry.pointee.key, "SetSessionOptionsRequest.session_options[\(index)].key"),
        try swiftMessage(entry.pointee.value, "SetSessionOptionsRequest.session_options[\(index)].value")
      )
    }
  }
}

// MARK: SetSessionOptionsResult

extension SetSessionOptionsResult: CBridged {
  typealias CMessage = Arrow__Flight__Protocol__SetSessionOptionsResult

  static func cInit(_ message: UnsafeMutablePointer<CMessage>) {
    arrow__flight__protocol__set_session_options_result__init(message)
  }
}

// MARK: GetSessionOptionsRequest

extension GetSessionOptionsRequest: CBridged {
  typealias CMessage = Arrow__Flight__Protocol__GetSessionOptionsRequest

  static func cInit(_ message: UnsafeMutablePointer<CMessage>) {
    arrow__flight__protocol__get_session_options_request__init(message)
  }

  func fill(_ message: UnsafeMutablePointer<CMessage>, _ arena: CArena) {}

  init(c message: UnsafePointer<CMessage>) throws(FieldError) { self.init() }
}

// MARK: GetSessionOptionsResult

extension GetSessionOptionsResult: CBridged {
  typealias CMessage = Arrow__Flight__Protocol__GetSessionOptionsResult

  static func cInit(_ message: UnsafeMutablePointer<CMessage>) {
    arrow__flight__protocol__get_session_options_result__init(message)
  }

  func fill(_ message: UnsafeMutablePointer<CMessage>, _ arena: CArena) {
    (message.pointee.n_session_options, message.pointee.session_options) = arena.map(
      sessionOptions, arrow__flight__protocol__get_session_options_result__session_options_entry__init
    ) { entry, key, value in
      entry.pointee.key = arena.binary(key)
      entry.pointee.value = arena.field(value)
    }
  }

  init(c message: UnsafePointer<CMessage>) throws(FieldError) {
    sessionOptions = try swiftMap(message.pointee.session_options, message.pointee.n_session_options) {
      (entry, index) throws(FieldError) in
      (
        try swiftBytes(entry.pointee.key, "GetSessionOptionsResult.session_options[\(index)].key"),
        try swiftMessage(entry.pointee.value, "GetSessionOptionsResult.session_options[\(index)].value")
      )
    }
  }
}

// MARK: CloseSessionRequest

extension CloseSessionRequest: CBridged {
  typealias CMessage = Arrow__Flight__Protocol__CloseSessionRequest

  static func cInit(_ message: UnsafeMutablePointer<CMessage>) {
    arrow__flight__protocol__close_session_request__init(message)
  }

  func fill(_ message: UnsafeMutablePointer<CMessage>, _ arena: CArena) {}

  init(c message: UnsafePointer<CMessage>) throws(FieldError) { self.init() }
}

// MARK: CloseSessionResult

extension CloseSessionResult: CBridged {
  typealias CMessage = Arrow__Flight__Protocol__CloseSessionResult

  static func cInit(_ message: UnsafeMutablePointer<CMessage>) {
    arrow__flight__protocol__close_session_result__init(message)
  }

  func fill(_ message: UnsafeMutablePointer<CMessage>, _ arena: CArena) {
    message.pointee.status = cEnum(status)
  }

  init(c message: UnsafePointer<CMessage>) throws(FieldError) {
    status = swiftEnum(message.pointee.status)
  }
}
