// Request and result messages of the standard actions CancelFlightInfo and RenewFlightEndpoint.

/// The body of the `CancelFlightInfo` action.
public struct CancelFlightInfoRequest: Hashable, Sendable {
  /// The flight to cancel. Decoding requires it.
  public var info: FlightInfo

  /// Creates a cancel request.
  public init(info: FlightInfo) {
    self.info = info
  }
}

/// The outcome of a cancellation.
public enum CancelStatus: Int32, Hashable, Sendable, CaseIterable {
  /// The status is unknown; also what unrecognized values decode as.
  case unspecified = 0
  /// The flight was cancelled; later requests for it fail.
  case cancelled = 1
  /// The cancellation is under way; the client may retry to learn its outcome.
  case cancelling = 2
  /// The flight cannot be cancelled.
  case notCancellable = 3
}

/// The result of the `CancelFlightInfo` action.
public struct CancelFlightInfoResult: Hashable, Sendable {
  /// The outcome.
  public var status: CancelStatus

  /// Creates a cancel result.
  public init(status: CancelStatus) {
    self.status = status
  }
}

/// The body of the `RenewFlightEndpoint` action; the reply is the renewed `FlightEndpoint`.
public struct RenewFlightEndpointRequest: Hashable, Sendable {
  /// The endpoint to renew. Decoding requires it.
  public var endpoint: FlightEndpoint

  /// Creates a renew request.
  public init(endpoint: FlightEndpoint) {
    self.endpoint = endpoint
  }
}
