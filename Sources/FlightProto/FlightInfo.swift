/// How to fetch a flight: its schema, its descriptor and the endpoints that hold its data.
public struct FlightInfo: Hashable, Sendable {
  /// The schema as an encapsulated Arrow IPC Schema message; empty means "no schema".
  public var schema: [UInt8]
  /// The descriptor this information describes.
  ///
  /// Arrow C++ (and so pyarrow) rejects a `FlightInfo` without a descriptor; other
  /// implementations may omit it, so decoding accepts its absence.
  public var flightDescriptor: FlightDescriptor?
  /// The endpoints that together hold the flight's data.
  public var endpoints: [FlightEndpoint]
  /// The number of records, or -1 when unknown.
  public var totalRecords: Int64
  /// The number of bytes, or -1 when unknown.
  public var totalBytes: Int64
  /// Whether the endpoints' data must be read in order to get the flight's order.
  public var ordered: Bool
  /// Application-defined metadata.
  public var appMetadata: [UInt8]

  /// Creates flight information; sizes default to -1 ("unknown").
  public init(
    schema: [UInt8] = [],
    flightDescriptor: FlightDescriptor?,
    endpoints: [FlightEndpoint] = [],
    totalRecords: Int64 = -1,
    totalBytes: Int64 = -1,
    ordered: Bool = false,
    appMetadata: [UInt8] = []
  ) {
    self.schema = schema
    self.flightDescriptor = flightDescriptor
    self.endpoints = endpoints
    self.totalRecords = totalRecords
    self.totalBytes = totalBytes
    self.ordered = ordered
    self.appMetadata = appMetadata
  }
}

/// A ticket and the locations that can serve it.
public struct FlightEndpoint: Hashable, Sendable {
  /// The ticket to redeem with `DoGet`. An absent ticket decodes as an empty one.
  public var ticket: Ticket
  /// Where the ticket can be redeemed; empty means "the server that answered", like
  /// ``Location/reuseConnection``.
  public var locations: [Location]
  /// When the ticket stops being valid, if it expires.
  public var expirationTime: Timestamp?
  /// Application-defined metadata.
  public var appMetadata: [UInt8]

  /// Creates an endpoint.
  public init(
    ticket: Ticket,
    locations: [Location] = [],
    expirationTime: Timestamp? = nil,
    appMetadata: [UInt8] = []
  ) {
    self.ticket = ticket
    self.locations = locations
    self.expirationTime = expirationTime
    self.appMetadata = appMetadata
  }
}

/// The state of a long-running query, the reply of `PollFlightInfo`.
public struct PollInfo: Hashable, Sendable {
  /// The flight information known so far (endpoints may be added as the query runs).
  public var info: FlightInfo?
  /// The descriptor to poll next; `nil` when the query is complete.
  public var flightDescriptor: FlightDescriptor?
  /// Progress in `0...1`, when known.
  public var progress: Double?
  /// When the descriptor stops being valid for polling, if it expires.
  public var expirationTime: Timestamp?

  /// Creates poll information.
  public init(
    info: FlightInfo?,
    flightDescriptor: FlightDescriptor? = nil,
    progress: Double? = nil,
    expirationTime: Timestamp? = nil
  ) {
    self.info = info
    self.flightDescriptor = flightDescriptor
    self.progress = progress
    self.expirationTime = expirationTime
  }
}
