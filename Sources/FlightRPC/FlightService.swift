// FlightService: the server side of Flight, one method per RPC.

internal import ArrowCore
internal import FlightProto

/// A Flight service: implement the RPCs you serve; every other one (`ListActions` included)
/// answers `UNIMPLEMENTED`.
///
/// Throw a ``FlightError`` to choose the status the client sees (a pyarrow client raises the
/// matching exception, with your message and extra info); any other error becomes a server
/// error. Errors never take the server down.
///
/// ```swift
/// struct Store: FlightService {
///   func getFlightInfo(_ descriptor: FlightDescriptor, context: ServerCallContext) async throws -> FlightInfo {
///     throw FlightError(.notFound, "no flight \(descriptor)")
///   }
/// }
/// ```
public protocol FlightService: Sendable {
  /// `Handshake`: reads the client's requests and writes responses (authentication).
  func handshake(
    _ requests: FlightRequestStream<HandshakeRequest>, responses: FlightResponseWriter<HandshakeResponse>,
    context: ServerCallContext) async throws

  /// `ListFlights`: writes the flights that match `criteria`.
  func listFlights(_ criteria: Criteria, writer: FlightResponseWriter<FlightInfo>, context: ServerCallContext)
    async throws

  /// `GetFlightInfo`: how to fetch the flight `descriptor` names.
  func getFlightInfo(_ descriptor: FlightDescriptor, context: ServerCallContext) async throws -> FlightInfo

  /// `PollFlightInfo`: the progress of a long-running query.
  func pollFlightInfo(_ descriptor: FlightDescriptor, context: ServerCallContext) async throws -> PollInfo

  /// `GetSchema`: the schema of the flight `descriptor` names.
  func getSchema(_ descriptor: FlightDescriptor, context: ServerCallContext) async throws -> Schema

  /// `DoGet`: the data stream `ticket` redeems.
  func doGet(_ ticket: Ticket, context: ServerCallContext) async throws -> any FlightDataStream

  /// `DoPut`: reads the client's data stream; may write application metadata back.
  func doPut(
    _ descriptor: FlightDescriptor, reader: FlightStreamReader, writer: FlightMetadataWriter,
    context: ServerCallContext) async throws

  /// `DoExchange`: reads and writes data streams, interleaved as the application likes.
  func doExchange(
    _ descriptor: FlightDescriptor, reader: FlightStreamReader, writer: FlightStreamWriter,
    context: ServerCallContext) async throws

  /// `ListActions`: the actions this service offers.
  func listActions(context: ServerCallContext) async throws -> [ActionType]

  /// `DoAction`: runs `action`, writing its results.
  func doAction(_ action: Action, writer: FlightResponseWriter<FlightResult>, context: ServerCallContext) async throws

  /// The standard `CancelFlightInfo` action.
  func cancelFlightInfo(_ request: CancelFlightInfoRequest, context: ServerCallContext) async throws
    -> CancelFlightInfoResult

  /// The standard `RenewFlightEndpoint` action: the endpoint with a later expiration time.
  func renewFlightEndpoint(_ request: RenewFlightEndpointRequest, context: ServerCallContext) async throws
    -> FlightEndpoint

  /// The standard `SetSessionOptions` action.
  func setSessionOptions(_ request: SetSessionOptionsRequest, context: ServerCallContext) async throws
    -> SetSessionOptionsResult

  /// The standard `GetSessionOptions` action.
  func getSessionOptions(_ request: GetSessionOptionsRequest, context: ServerCallContext) async throws
    -> GetSessionOptionsResult

  /// The standard `CloseSession` action.
  func closeSession(_ request: CloseSessionRequest, context: ServerCallContext) async throws -> CloseSessionResult
}

/// The error of an RPC the service does not implement.
func unimplemented(_ method: String) -> FlightError {
  FlightError(.notImplemented, "\(method) is not implemented by this server")
}

extension FlightService {
  /// Default: `UNIMPLEMENTED`.
  public func handshake(
    _ requests: FlightRequestStream<HandshakeRequest>, responses: FlightResponseWriter<HandshakeResponse>,
    context: ServerCallContext
  ) async throws {
    throw unimplemented("Handshake")
  }

  /// Default: `UNIMPLEMENTED`.
  public func listFlights(_ criteria: Criteria, writer: FlightResponseWriter<FlightInfo>, context: ServerCallContext)
    async throws
  {
    throw unimplemented("ListFlights")
  }

  /// Default: `UNIMPLEMENTED`.
  public func getFlightInfo(_ descriptor: FlightDescriptor, context: ServerCallContext) async throws -> FlightInfo {
    throw unimplemented("GetFlightInfo")
  }

  /// Default: `UNIMPLEMENTED`.
  public func pollFlightInfo(_ descriptor: FlightDescriptor, context: ServerCallContext) async throws -> PollInfo {
    throw unimplemented("PollFlightInfo")
  }

  /// Default: `UNIMPLEMENTED`.
  public func getSchema(_ descriptor: FlightDescriptor, context: ServerCallContext) async throws -> Schema {
    throw unimplemented("GetSchema")
  }

  /// Default: `UNIMPLEMENTED`.
  public func doGet(_ ticket: Ticket, context: ServerCallContext) async throws -> any FlightDataStream {
    throw unimplemented("DoGet")
  }

  /// Default: `UNIMPLEMENTED`.
  public func doPut(
    _ descriptor: FlightDescriptor, reader: FlightStreamReader, writer: FlightMetadataWriter,
    context: ServerCallContext
  ) async throws {
    throw unimplemented("DoPut")
  }

  /// Default: `UNIMPLEMENTED`.
  public func doExchange(
    _ descriptor: FlightDescriptor, reader: FlightStreamReader, writer: FlightStreamWriter,
    context: ServerCallContext
  ) async throws {
    throw unimplemented("DoExchange")
  }

  /// Default: `UNIMPLEMENTED`, as in Arrow C++ and pyarrow.
  public func listActions(context: ServerCallContext) async throws -> [ActionType] {
    throw unimplemented("ListActions")
  }

  /// Default: `UNIMPLEMENTED`.
  public func doAction(_ action: Action, writer: FlightResponseWriter<FlightResult>, context: ServerCallContext)
    async throws
  {
    throw unimplemented("DoAction \(action.type)")
  }

  /// Default: `UNIMPLEMENTED`.
  public func cancelFlightInfo(_ request: CancelFlightInfoRequest, context: ServerCallContext) async throws
    -> CancelFlightInfoResult
  {
    throw unimplemented("CancelFlightInfo")
  }

  /// Default: `UNIMPLEMENTED`.
  public func renewFlightEndpoint(_ request: RenewFlightEndpointRequest, context: ServerCallContext) async throws
    -> FlightEndpoint
  {
    throw unimplemented("RenewFlightEndpoint")
  }

  /// Default: `UNIMPLEMENTED`.
  public func setSessionOptions(_ request: SetSessionOptionsRequest, context: ServerCallContext) async throws
    -> SetSessionOptionsResult
  {
    throw unimplemented("SetSessionOptions")
  }

  /// Default: `UNIMPLEMENTED`.
  public func getSessionOptions(_ request: GetSessionOptionsRequest, context: ServerCallContext) async throws
    -> GetSessionOptionsResult
  {
    throw unimplemented("GetSessionOptions")
  }

  /// Default: `UNIMPLEMENTED`.
  public func closeSession(_ request: CloseSessionRequest, context: ServerCallContext) async throws
    -> CloseSessionResult
  {
    throw unimplemented("CloseSession")
  }
}
