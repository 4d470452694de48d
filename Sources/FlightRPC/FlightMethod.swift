// The Flight RPC methods and per-call information.

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

/// Information about a call, given to middleware.
public struct CallInfo: Sendable, Hashable {
  /// The method called.
  public var method: FlightMethod

  /// Information for a call of `method`.
  public init(method: FlightMethod) {
    self.method = method
  }
}

/// Call headers or trailers: an ordered list of key-value pairs; keys are lowercase and may
/// repeat. Keys ending in `-bin` carry binary values.
public struct FlightHeaders: Sendable, Hashable, Sequence, ExpressibleByDictionaryLiteral {
  /// One header.
  public struct Entry: Sendable, Hashable {
    /// The lowercase key.
    public var key: String
    /// The value's bytes.
    public var value: [UInt8]
    /// The value as text, when it is UTF-8.
    public var stringValue: String? { String(validating: value, as: UTF8.self) }

    /// A header with a binary value (its key should end in `-bin`); the key is lowercased,
    /// as gRPC requires.
    public init(key: String, value: [UInt8]) {
      self.key = key.lowercased()
      self.value = value
    }

    /// A header with a text value; the key is lowercased, as gRPC requires.
    public init(_ key: String, _ value: String) {
      self.init(key: key, value: Array(value.utf8))
    }
  }

  /// The entries, in order.
  public var entries: [Entry]

  /// Headers from entries.
  public init(_ entries: [Entry] = []) {
    self.entries = entries
  }

  /// Headers from string pairs.
  public init(dictionaryLiteral elements: (String, String)...) {
    self.entries = elements.map { Entry(key: $0.0.lowercased(), value: Array($0.1.utf8)) }
  }

  /// Appends a text header.
  public mutating func add(_ key: String, _ value: String) {
    entries.append(Entry(key: key.lowercased(), value: Array(value.utf8)))
  }

  /// Appends a binary header (its key should end in `-bin`).
  public mutating func add(_ key: String, bytes: [UInt8]) {
    entries.append(Entry(key: key.lowercased(), value: bytes))
  }

  /// The first value of `key`, as text.
  public subscript(key: String) -> String? {
    first(key).flatMap { String(validating: $0, as: UTF8.self) }
  }

  /// The first value of `key`.
  public func first(_ key: String) -> [UInt8]? {
    let key = key.lowercased()
    return entries.first { $0.key == key }?.value
  }

  /// Every value of `key`.
  public func values(_ key: String) -> [[UInt8]] {
    let key = key.lowercased()
    return entries.filter { $0.key == key }.map(\.value)
  }

  /// Whether there are no headers.
  public var isEmpty: Bool { entries.isEmpty }

  /// Iterates over the entries.
  public func makeIterator() -> IndexingIterator<[Entry]> { entries.makeIterator() }
}
