// The session option messages whose Swift shape differs from the proto's (Generated/Flight.swift
// declares the others). EXPERIMENTAL: actions SetSessionOptions, GetSessionOptions and
// CloseSession; the session travels in the `arrow_flight_session_id` cookie.

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

/// The result of the `SetSessionOptions` action: the options that could not be set.
public struct SetSessionOptionsResult: Hashable, Sendable {
  /// The options that failed, by name, with the reason (the protocol's `Error` message,
  /// which holds only this value). A name absent here was set.
  public var errors: [String: ErrorValue]

  /// Creates a result.
  public init(errors: [String: ErrorValue] = [:]) {
    self.errors = errors
  }
}
