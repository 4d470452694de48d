// Generated, do not edit: Scripts/generate-protos.sh writes this file from Protos/Flight.proto
// (with Scripts/generate-swift.py). The plain message types; the hand-written ones and the
// glue to protobuf-c are beside it.

/// The request that a client provides to a server on handshake.
public struct HandshakeRequest: Hashable, Sendable {
  /// A defined protocol version
  public var protocolVersion: UInt64
  /// Arbitrary auth/handshake info.
  public var payload: [UInt8]

  /// Creates the message; a field not given has its protocol default.
  public init(protocolVersion: UInt64 = 0, payload: [UInt8] = []) {
    self.protocolVersion = protocolVersion
    self.payload = payload
  }
}

/// The response that a server provides to a client on handshake.
public struct HandshakeResponse: Hashable, Sendable {
  /// A defined protocol version
  public var protocolVersion: UInt64
  /// Arbitrary auth/handshake info.
  public var payload: [UInt8]

  /// Creates the message; a field not given has its protocol default.
  public init(protocolVersion: UInt64 = 0, payload: [UInt8] = []) {
    self.protocolVersion = protocolVersion
    self.payload = payload
  }
}

/// A message for doing simple auth.
public struct BasicAuth: Hashable, Sendable {
  /// The user name.
  public var username: String
  /// The password.
  public var password: String

  /// Creates the message; a field not given has its protocol default.
  public init(username: String = "", password: String = "") {
    self.username = username
    self.password = password
  }
}

/// The message with no fields.
public struct Empty: Hashable, Sendable {
  /// Creates the message; a field not given has its protocol default.
  public init() {}
}

/// Describes an available action, including both the name used for execution
/// along with a short description of the purpose of the action.
public struct ActionType: Hashable, Sendable {
  /// The name used to run the action with `DoAction`.
  public var type: String
  /// A human-readable description of the action.
  public var description: String

  /// Creates the message; a field not given has its protocol default.
  public init(type: String = "", description: String = "") {
    self.type = type
    self.description = description
  }
}

/// A service specific expression that can be used to return a limited set
/// of available Arrow Flight streams.
public struct Criteria: Hashable, Sendable {
  /// The opaque filter expression; empty means "all flights".
  public var expression: [UInt8]

  /// Creates the message; a field not given has its protocol default.
  public init(expression: [UInt8] = []) {
    self.expression = expression
  }
}

/// An opaque action specific for the service.
public struct Action: Hashable, Sendable {
  /// The action name, one of those listed by `ListActions` or a standard action.
  public var type: String
  /// The action's argument bytes.
  public var body: [UInt8]

  /// Creates the message; a field not given has its protocol default.
  public init(type: String = "", body: [UInt8] = []) {
    self.type = type
    self.body = body
  }
}

/// An opaque result returned after executing an action.
///
/// (The protocol's `Result` message, renamed to stay clear of `Swift.Result`.)
public struct FlightResult: Hashable, Sendable {
  /// The opaque result bytes.
  public var body: [UInt8]

  /// Creates the message; a field not given has its protocol default.
  public init(body: [UInt8] = []) {
    self.body = body
  }
}

/// Wrap the result of a getSchema call
public struct SchemaResult: Hashable, Sendable {
  /// The schema of the dataset in its IPC form:
  /// 4 bytes - an optional IPC_CONTINUATION_TOKEN prefix
  /// 4 bytes - the byte length of the payload
  /// a flatbuffer Message whose header is the Schema
  public var schema: [UInt8]

  /// Creates the message; a field not given has its protocol default.
  public init(schema: [UInt8] = []) {
    self.schema = schema
  }
}

/// The request of the CancelFlightInfo action.
///
/// The request should be stored in Action.body.
public struct CancelFlightInfoRequest: Hashable, Sendable {
  /// The flight to cancel. Decoding requires it.
  public var info: FlightInfo

  /// Creates the message; a field not given has its protocol default.
  public init(info: FlightInfo) {
    self.info = info
  }
}

/// The result of the CancelFlightInfo action.
///
/// The result should be stored in Result.body.
public struct CancelFlightInfoResult: Hashable, Sendable {
  /// The outcome.
  public var status: CancelStatus

  /// Creates the message; a field not given has its protocol default.
  public init(status: CancelStatus = .unspecified) {
    self.status = status
  }
}

/// The request of the RenewFlightEndpoint action.
///
/// The request should be stored in Action.body.
public struct RenewFlightEndpointRequest: Hashable, Sendable {
  /// The endpoint to renew. Decoding requires it.
  public var endpoint: FlightEndpoint

  /// Creates the message; a field not given has its protocol default.
  public init(endpoint: FlightEndpoint) {
    self.endpoint = endpoint
  }
}

/// The response message associated with the submission of a DoPut.
public struct PutResult: Hashable, Sendable {
  /// Application-defined metadata.
  public var appMetadata: [UInt8]

  /// Creates the message; a field not given has its protocol default.
  public init(appMetadata: [UInt8] = []) {
    self.appMetadata = appMetadata
  }
}

/// EXPERIMENTAL: A request to set session options for an existing or new (implicit)
/// server session.
///
/// Sessions are persisted and referenced via a transport-level state management, typically
/// RFC 6265 HTTP cookies when using an HTTP transport.  The suggested cookie name or state
/// context key is 'arrow_flight_session_id', although implementations may freely choose their
/// own name.
///
/// Session creation (if one does not already exist) is implied by this RPC request, however
/// server implementations may choose to initiate a session that also contains client-provided
/// session options at any other time, e.g. on authentication, or when any other call is made
/// and the server wishes to use a session to persist any state (or lack thereof).
public struct SetSessionOptionsRequest: Hashable, Sendable {
  /// The options to set, by name; ``SessionOptionValue/unset`` removes an option.
  public var sessionOptions: [String: SessionOptionValue]

  /// Creates the message; a field not given has its protocol default.
  public init(sessionOptions: [String: SessionOptionValue] = [:]) {
    self.sessionOptions = sessionOptions
  }
}

/// EXPERIMENTAL: A request to access the session options for the current server session.
///
/// The existing session is referenced via a cookie header or similar (see
/// SetSessionOptionsRequest above); it is an error to make this request with a missing,
/// invalid, or expired session cookie header or other implementation-defined session
/// reference token.
public struct GetSessionOptionsRequest: Hashable, Sendable {
  /// Creates the message; a field not given has its protocol default.
  public init() {}
}

/// EXPERIMENTAL: The result containing the current server session options.
public struct GetSessionOptionsResult: Hashable, Sendable {
  /// The session's options, by name.
  public var sessionOptions: [String: SessionOptionValue]

  /// Creates the message; a field not given has its protocol default.
  public init(sessionOptions: [String: SessionOptionValue] = [:]) {
    self.sessionOptions = sessionOptions
  }
}

/// Request message for the "Close Session" action.
///
/// The existing session is referenced via a cookie header.
public struct CloseSessionRequest: Hashable, Sendable {
  /// Creates the message; a field not given has its protocol default.
  public init() {}
}

/// The result of closing a session.
public struct CloseSessionResult: Hashable, Sendable {
  /// The values of `CloseSessionResult.Status`.
  public enum Status: Int32, Hashable, Sendable, CaseIterable {
    /// Protobuf deserialization fallback value: The session close status is unknown or
    /// not recognized. Servers should avoid using this value (send a NOT_FOUND error if
    /// the requested session is not known or expired). Clients can retry the request.
    case unspecified = 0
    /// The session close request is complete. Subsequent requests with
    /// the same session produce a NOT_FOUND error.
    case closed = 1
    /// The session close request is in progress. The client may retry
    /// the close request.
    case closing = 2
    /// The session is not closeable. The client should not retry the
    /// close request.
    case notCloseable = 3

    /// The case with the proto number `rawValue`, or nil for a number this enum does not declare.
    public init?(rawValue: Int32) {
      switch rawValue {
      case 0: self = .unspecified
      case 1: self = .closed
      case 2: self = .closing
      case 3: self = .notCloseable
      default: return nil
      }
    }
  }

  /// The outcome.
  public var status: Status

  /// Creates the message; a field not given has its protocol default.
  public init(status: Status = .unspecified) {
    self.status = status
  }
}

extension SetSessionOptionsResult {
  /// The values of `SetSessionOptionsResult.ErrorValue`.
  public enum ErrorValue: Int32, Hashable, Sendable, CaseIterable {
    /// Protobuf deserialization fallback value: The status is unknown or unrecognized.
    /// Servers should avoid using this value. The request may be retried by the client.
    case unspecified = 0
    /// The given session option name is invalid.
    case invalidName = 1
    /// The session option value or type is invalid.
    case invalidValue = 2
    /// The session option cannot be set.
    case error = 3

    /// The case with the proto number `rawValue`, or nil for a number this enum does not declare.
    public init?(rawValue: Int32) {
      switch rawValue {
      case 0: self = .unspecified
      case 1: self = .invalidName
      case 2: self = .invalidValue
      case 3: self = .error
      default: return nil
      }
    }
  }
}

/// The result of a cancel operation.
///
/// This is used by CancelFlightInfoResult.status.
public enum CancelStatus: Int32, Hashable, Sendable, CaseIterable {
  /// The cancellation status is unknown. Servers should avoid using
  /// this value (send a NOT_FOUND error if the requested query is
  /// not known). Clients can retry the request.
  case unspecified = 0
  /// The cancellation request is complete. Subsequent requests with
  /// the same payload may return CANCELLED or a NOT_FOUND error.
  case cancelled = 1
  /// The cancellation request is in progress. The client may retry
  /// the cancellation request.
  case cancelling = 2
  /// The query is not cancellable. The client should not retry the
  /// cancellation request.
  case notCancellable = 3

  /// The case with the proto number `rawValue`, or nil for a number this enum does not declare.
  public init?(rawValue: Int32) {
    switch rawValue {
    case 0: self = .unspecified
    case 1: self = .cancelled
    case 2: self = .cancelling
    case 3: self = .notCancellable
    default: return nil
    }
  }
}
