// The hand-written small messages (Generated/Flight.swift declares the others).

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

/// The standard actions' names.
extension Action {
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
