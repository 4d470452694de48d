// The small Flight messages: each a few scalar or byte fields.

/// An opaque identifier of a data stream, redeemed with `DoGet`.
public struct Ticket: Hashable, Sendable {
  /// The opaque ticket bytes.
  public var ticket: [UInt8]

  /// Creates a ticket from its bytes.
  public init(_ ticket: [UInt8]) {
    self.ticket = ticket
  }

  /// Creates a ticket from the UTF-8 bytes of a string.
  public init(_ ticket: String) {
    self.ticket = Array(ticket.utf8)
  }
}

/// The request message of the `Handshake` stream.
public struct HandshakeRequest: Hashable, Sendable {
  /// A protocol version defined by the auth mechanism.
  public var protocolVersion: UInt64
  /// Opaque auth or handshake data.
  public var payload: [UInt8]

  /// Creates a handshake request.
  public init(protocolVersion: UInt64 = 0, payload: [UInt8] = []) {
    self.protocolVersion = protocolVersion
    self.payload = payload
  }
}

/// The response message of the `Handshake` stream.
public struct HandshakeResponse: Hashable, Sendable {
  /// A protocol version defined by the auth mechanism.
  public var protocolVersion: UInt64
  /// Opaque auth or handshake data.
  public var payload: [UInt8]

  /// Creates a handshake response.
  public init(protocolVersion: UInt64 = 0, payload: [UInt8] = []) {
    self.protocolVersion = protocolVersion
    self.payload = payload
  }
}

/// A username and password, as sent by simple handshake-based auth.
public struct BasicAuth: Hashable, Sendable {
  /// The user name.
  public var username: String
  /// The password.
  public var password: String

  /// Creates a basic auth message.
  public init(username: String, password: String) {
    self.username = username
    self.password = password
  }
}

/// The message with no fields: the request of `ListActions`.
public struct Empty: Hashable, Sendable {
  /// Creates the empty message.
  public init() {}
}

/// An action the server offers: its name and a short description (the stream items of
/// `ListActions`).
public struct ActionType: Hashable, Sendable {
  /// The name used to run the action with `DoAction`.
  public var type: String
  /// A human-readable description of the action.
  public var description: String

  /// Creates an action type.
  public init(type: String, description: String = "") {
    self.type = type
    self.description = description
  }
}

/// An application-defined expression that filters the flights listed by `ListFlights`.
public struct Criteria: Hashable, Sendable {
  /// The opaque filter expression; empty means "all flights".
  public var expression: [UInt8]

  /// Creates criteria from an expression.
  public init(expression: [UInt8] = []) {
    self.expression = expression
  }
}

/// An action to run with `DoAction`: its name and an opaque body.
public struct Action: Hashable, Sendable {
  /// The action name, one of those listed by `ListActions` or a standard action.
  public var type: String
  /// The action's argument bytes.
  public var body: [UInt8]

  /// Creates an action.
  public init(type: String, body: [UInt8] = []) {
    self.type = type
    self.body = body
  }

  /// The standard action that cancels a `FlightInfo`; its body is a `CancelFlightInfoRequest`.
  public static let cancelFlightInfoType = "CancelFlightInfo"
  /// The standard action that renews a `FlightEndpoint`; its body is a
  /// `RenewFlightEndpointRequest`.
  public static let renewFlightEndpointType = "RenewFlightEndpoint"
  /// The standard action that sets session options; its body is a `SetSessionOptionsRequest`.
  public static let setSessionOptionsType = "SetSessionOptions"
  /// The standard action that reads session options; its body is a `GetSessionOptionsRequest`.
  public static let getSessionOptionsType = "GetSessionOptions"
  /// The standard action that closes the session; its body is a `CloseSessionRequest`.
  public static let closeSessionType = "CloseSession"
}

/// One result of `DoAction` (the protocol's `Result` message, renamed to stay clear of
/// `Swift.Result`).
public struct FlightResult: Hashable, Sendable {
  /// The opaque result bytes.
  public var body: [UInt8]

  /// Creates a result.
  public init(body: [UInt8] = []) {
    self.body = body
  }
}

/// The reply of `GetSchema`.
public struct SchemaResult: Hashable, Sendable {
  /// The schema as an encapsulated Arrow IPC Schema message; empty means "no schema".
  public var schema: [UInt8]

  /// Creates a schema result.
  public init(schema: [UInt8] = []) {
    self.schema = schema
  }
}

/// The server's reply to one `DoPut` message.
public struct PutResult: Hashable, Sendable {
  /// Application-defined metadata.
  public var appMetadata: [UInt8]

  /// Creates a put result.
  public init(appMetadata: [UInt8] = []) {
    self.appMetadata = appMetadata
  }
}
