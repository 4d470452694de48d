// The Flight RPC methods.

/// An RPC method of the Flight service.
///
/// A struct with static members rather than an enum, so that methods the protocol gains
/// can be added without breaking code: compare with `==`, or `switch` with a `default`.
public struct FlightMethod: Sendable, Hashable, CaseIterable, RawRepresentable, CustomStringConvertible {
  /// The method's name, e.g. `DoGet`.
  public let name: String

  private init(_ name: String) {
    self.name = name
  }

  /// The method's name (the raw value it had as an enum).
  public var rawValue: String { name }

  /// The method named `rawValue`, or nil when this version of the library knows none.
  public init?(rawValue: String) {
    guard let method = FlightMethod.allCases.first(where: { $0.name == rawValue }) else { return nil }
    self = method
  }

  /// `Handshake`: authentication.
  public static let handshake = FlightMethod("Handshake")
  /// `ListFlights`.
  public static let listFlights = FlightMethod("ListFlights")
  /// `GetFlightInfo`.
  public static let getFlightInfo = FlightMethod("GetFlightInfo")
  /// `PollFlightInfo`.
  public static let pollFlightInfo = FlightMethod("PollFlightInfo")
  /// `GetSchema`.
  public static let getSchema = FlightMethod("GetSchema")
  /// `DoGet`.
  public static let doGet = FlightMethod("DoGet")
  /// `DoPut`.
  public static let doPut = FlightMethod("DoPut")
  /// `DoExchange`.
  public static let doExchange = FlightMethod("DoExchange")
  /// `DoAction`.
  public static let doAction = FlightMethod("DoAction")
  /// `ListActions`.
  public static let listActions = FlightMethod("ListActions")

  /// Every method this version of the library serves.
  public static let allCases: [FlightMethod] = [
    .handshake, .listFlights, .getFlightInfo, .pollFlightInfo, .getSchema, .doGet, .doPut, .doExchange, .doAction,
    .listActions,
  ]

  /// The gRPC method path, e.g. `/arrow.flight.protocol.FlightService/DoGet`.
  public var path: String { "/arrow.flight.protocol.FlightService/\(name)" }

  /// The method for a gRPC path, or nil when it is not a Flight method this library knows.
  public init?(path: String) {
    let prefix = "/arrow.flight.protocol.FlightService/"
    guard path.hasPrefix(prefix) else { return nil }
    self.init(rawValue: String(path.dropFirst(prefix.count)))
  }

  /// The method's name, e.g. `DoGet`.
  public var description: String { name }
}
