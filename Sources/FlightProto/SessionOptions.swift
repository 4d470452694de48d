// EXPERIMENTAL session option messages (actions SetSessionOptions, GetSessionOptions and
// CloseSession). The session travels in the `arrow_flight_session_id` cookie.

/// The value of a session option.
public enum SessionOptionValue: Hashable, Sendable {
  /// A string.
  case string(String)
  /// A Boolean.
  case bool(Bool)
  /// A 64-bit integer.
  case int64(Int64)
  /// A double.
  case double(Double)
  /// A list of strings.
  case stringList([String])
  /// No value: in `SetSessionOptions`, asks the server to unset the option.
  case unset
}

/// The body of the `SetSessionOptions` action.
public struct SetSessionOptionsRequest: Hashable, Sendable {
  /// The options to set, by name; ``SessionOptionValue/unset`` removes an option.
  public var sessionOptions: [String: SessionOptionValue]

  /// Creates a request.
  public init(sessionOptions: [String: SessionOptionValue]) {
    self.sessionOptions = sessionOptions
  }
}

/// The result of the `SetSessionOptions` action: the options that could not be set.
public struct SetSessionOptionsResult: Hashable, Sendable {
  /// Why an option could not be set.
  public enum ErrorValue: Int32, Hashable, Sendable, CaseIterable {
    /// Unknown; also what unrecognized values decode as.
    case unspecified = 0
    /// The option name is invalid.
    case invalidName = 1
    /// The option value or its type is invalid.
    case invalidValue = 2
    /// The option cannot be set.
    case error = 3
  }

  /// The options that failed, by name, with the reason (the protocol's `Error` message,
  /// which holds only this value). A name absent here was set.
  public var errors: [String: ErrorValue]

  /// Creates a result.
  public init(errors: [String: ErrorValue] = [:]) {
    self.errors = errors
  }
}

/// The body of the `GetSessionOptions` action.
public struct GetSessionOptionsRequest: Hashable, Sendable {
  /// Creates the request.
  public init() {}
}

/// The result of the `GetSessionOptions` action.
public struct GetSessionOptionsResult: Hashable, Sendable {
  /// The session's options, by name.
  public var sessionOptions: [String: SessionOptionValue]

  /// Creates a result.
  public init(sessionOptions: [String: SessionOptionValue] = [:]) {
    self.sessionOptions = sessionOptions
  }
}

/// The body of the `CloseSession` action.
public struct CloseSessionRequest: Hashable, Sendable {
  /// Creates the request.
  public init() {}
}

/// The result of the `CloseSession` action.
public struct CloseSessionResult: Hashable, Sendable {
  /// The outcome of closing a session.
  public enum Status: Int32, Hashable, Sendable, CaseIterable {
    /// Unknown; also what unrecognized values decode as.
    case unspecified = 0
    /// The session is closed; later requests with it fail with NOT_FOUND.
    case closed = 1
    /// Closing is under way; the client may retry.
    case closing = 2
    /// The session cannot be closed; the client should not retry.
    case notCloseable = 3
  }

  /// The outcome.
  public var status: Status

  /// Creates a result.
  public init(status: Status) {
    self.status = status
  }
}
