// FlightClient: calls any Flight server (Swift, pyarrow, Arrow C++, ...).

internal import ArrowCore
internal import ArrowIPC
internal import FlightProto
internal import FlightTransport
internal import Synchronization

/// A client of a Flight service.
///
/// ```swift
/// let client = try FlightClient(location: Location(uri: "grpc://localhost:8815"))
/// let info = try await client.getFlightInfo(.forPath("dataset", "sales"))
/// let table = try await client.doGet(info.endpoints[0].ticket).readAll()
/// ```
///
/// A client is cheap to share between tasks: calls multiplex over one connection.
public final class FlightClient: Sendable {
  let channel: GRPCChannel
  /// The location this client connects to.
  public let location: Location
  /// The options it was made with.
  public let options: FlightClientOptions
  /// The Handshake handler whose token every call carries, after ``authenticate(_:options:)``.
  let authHandler = Mutex<(any ClientAuthHandler)?>(nil)

  /// Connects to `location` (`grpc`, `grpc+tcp`, `grpc+tls` or `grpc+unix`). The connection
  /// is made on the first call; see ``waitForAvailable(timeout:)``.
  public init(location: Location, options: FlightClientOptions = FlightClientOptions()) throws {
    self.location = location
    self.options = options
    var channelOptions = ChannelOptions()
    channelOptions.tlsHostnameOverride = options.overrideHostname
    let target: String
    let security: ChannelSecurity
    switch location.scheme {
    case "grpc", Location.grpcTCPScheme, Location.grpcTLSScheme:
      guard let host = location.host, !host.isEmpty, let port = location.port else {
        throw FlightError(.invalidArgument, "\(location.uri) needs a host and a port")
      }
      target = "\(host.contains(":") ? "[\(host)]" : host):\(port)"
      security =
        location.scheme == Location.grpcTLSScheme
        ? .tls(
          ClientTLSConfiguration(
            rootCertificates: options.tlsRootCertificates, certificateChain: options.certificateChain,
            privateKey: options.privateKey, disableServerVerification: options.disableServerVerification))
        : .insecure
    case Location.grpcUnixScheme:
      target = location.grpcUnixTarget
      security = .insecure
    default:
      throw FlightError(
        .invalidArgument, "cannot connect to \(location.uri): use grpc, grpc+tcp, grpc+tls or grpc+unix")
    }
    channel = GRPCChannel(target: target, security: security, options: channelOptions)
  }

  /// Connects to the location given as a URI string.
  public convenience init(_ uri: String, options: FlightClientOptions = FlightClientOptions()) throws {
    let location: Location
    do {
      location = try Location(uri: uri)
    } catch {
      throw FlightError(.invalidArgument, "\(error)", cause: error)
    }
    try self.init(location: location, options: options)
  }

  /// Closes the client. Calls in flight end; later calls fail.
  public func close() {
    channel.close()
  }

  // MARK: Calls

  /// Starts a call of `method` with the merged options, the auth handler's token (asked on
  /// every call, unless `authenticating`: tokens may rotate) and the middleware's headers;
  /// middleware then sees how it ends.
  func startCall(_ method: FlightMethod, _ callOptions: FlightCallOptions?, authenticating: Bool = false)
    async throws(FlightError) -> ClientCall
  {
    let merged = effectiveOptions(callOptions)
    var headers = merged.headers
    if !authenticating, let handler = authHandler.withLock({ $0 }) {
      let token: [UInt8]?
      do {
        token = try await handler.token()
      } catch {
        throw FlightError.wrapping(error)
      }
      if let token { headers.add(authTokenHeader, bytes: token) }
    }
    let middleware = options.middleware.compactMap { $0.startCall(CallInfo(method: method)) }
    do {
      for entry in middleware { try await entry.sendingHeaders(&headers) }
      // A header gRPC would refuse fails here, clearly, before anything is sent.
      try headers.validate()
    } catch {
      let failure = FlightError.wrapping(error)
      for entry in middleware { entry.callCompleted(failure) }
      throw failure
    }
    do {
      return try channel.makeCall(
        method: method.path, metadata: headers.grpcMetadata, timeout: merged.deadline,
        observer: middleware.isEmpty ? nil : MiddlewareObserver(middleware: middleware))
    } catch {
      let failure = FlightError.wrapping(error)
      for entry in middleware { entry.callCompleted(failure) }
      throw failure
    }
  }

  /// A call's options merged over the client's defaults.
  func effectiveOptions(_ callOptions: FlightCallOptions?) -> FlightCallOptions {
    callOptions?.merged(over: options.callOptions) ?? options.callOptions
  }

  /// Sends one request and half-closes; the call's responses follow.
  func requestCall(
    _ method: FlightMethod, _ request: some FlightProtoMessage, _ callOptions: FlightCallOptions?
  ) async throws(FlightError) -> ClientCall {
    let call = try await startCall(method, callOptions)
    do {
      try await call.sendLast(request.serialized())
    } catch {
      throw FlightError(status: await call.finalStatus())
    }
    return call
  }

  /// A unary call: one request, exactly one response.
  func unary<Response: FlightProtoMessage>(
    _ method: FlightMethod, _ request: some FlightProtoMessage, _ callOptions: FlightCallOptions?
  ) async throws(FlightError) -> Response {
    let call = try await requestCall(method, request, callOptions)
    var responses = FlightResponseStream<Response>(call: call).makeAsyncIterator()
    guard let response = try await responses.next() else {
      throw FlightError(.internal, "the server sent no \(Response.protoName) for \(method)")
    }
    // Wait for the status: the call (and its middleware) is complete when this returns.
    let status = await call.waitForEnd()
    guard status.code == .ok else { throw FlightError(status: status) }
    return response
  }

  /// Waits until the server answers, polling `ListFlights` (an `UNIMPLEMENTED` answer counts
  /// as up, as pyarrow's `wait_for_available` does).
  ///
  /// - Throws: ``FlightError`` (`.unavailable`) when the server does not answer in time.
  public func waitForAvailable(timeout: Duration = .seconds(5)) async throws {
    let deadline = ContinuousClock.now + timeout
    var lastError = FlightError(.unavailable, "the server did not answer within \(timeout)")
    while ContinuousClock.now < deadline {
      do {
        var options = FlightCallOptions()
        options.timeout = max(min(deadline - ContinuousClock.now, .seconds(1)), .milliseconds(1))
        let call = try await requestCall(.listFlights, Criteria(), options)
        call.cancel()
        let status = await call.finalStatus()
        if status.code != .unavailable && status.code != .deadlineExceeded { return }
        lastError = FlightError(status: status)
      } catch {
        if error.kind != .unavailable && error.kind != .timedOut { return }
        lastError = error
      }
      try await Task.sleep(for: .milliseconds(50))
    }
    throw FlightError(.unavailable, "the server at \(location.uri) is not available: \(lastError.message)")
  }

  /// `ListFlights`: the flights matching `criteria`, as they arrive.
  public func listFlights(criteria: [UInt8] = [], options: FlightCallOptions? = nil) async throws
    -> FlightResponseStream<FlightInfo>
  {
    FlightResponseStream(call: try await requestCall(.listFlights, Criteria(expression: criteria), options))
  }

  /// `GetFlightInfo`: how to fetch the flight `descriptor` names.
  public func getFlightInfo(_ descriptor: FlightDescriptor, options: FlightCallOptions? = nil) async throws
    -> FlightInfo
  {
    try await unary(.getFlightInfo, descriptor, options)
  }

  /// `PollFlightInfo`: the progress of a long-running query.
  public func pollFlightInfo(_ descriptor: FlightDescriptor, options: FlightCallOptions? = nil) async throws
    -> PollInfo
  {
    try await unary(.pollFlightInfo, descriptor, options)
  }

  /// `GetSchema`: the schema of the flight `descriptor` names.
  public func getSchema(_ descriptor: FlightDescriptor, options: FlightCallOptions? = nil) async throws -> Schema {
    let result: SchemaResult = try await unary(.getSchema, descriptor, options)
    return try decodeEncapsulatedSchema(result.schema)
  }

  /// `ListActions`: the actions the server offers.
  public func listActions(options: FlightCallOptions? = nil) async throws -> [ActionType] {
    var actions: [ActionType] = []
    for try await action in FlightResponseStream<ActionType>(
      call: try await requestCall(.listActions, Empty(), options))
    {
      actions.append(action)
    }
    return actions
  }

  /// `DoAction`: runs `action`; its results, as they arrive.
  public func doAction(_ action: Action, options: FlightCallOptions? = nil) async throws
    -> FlightResponseStream<FlightResult>
  {
    FlightResponseStream(call: try await requestCall(.doAction, action, options))
  }

  /// Runs a standard action and decodes its single result.
  func standardAction<Response: FlightProtoMessage>(
    _ type: String, _ request: some FlightProtoMessage, _ options: FlightCallOptions?
  ) async throws -> Response {
    var results = try await doAction(Action(type: type, body: request.serialized()), options: options)
      .makeAsyncIterator()
    guard let result = try await results.next() else {
      throw FlightError(.internal, "the server sent no result for the \(type) action")
    }
    let response: Response
    do {
      response = try Response(serializedBytes: result.body)
    } catch {
      results.call.cancel()
      throw FlightError(.internal, "malformed \(Response.protoName) in the \(type) result: \(error)", cause: error)
    }
    // Read to the final status, as Arrow C++ drains the stream: an error the server sends
    // after the result must not be lost.
    while try await results.next() != nil {}
    return response
  }

  /// The standard `CancelFlightInfo` action.
  public func cancelFlightInfo(_ request: CancelFlightInfoRequest, options: FlightCallOptions? = nil) async throws
    -> CancelFlightInfoResult
  {
    try await standardAction(Action.cancelFlightInfoType, request, options)
  }

  /// The standard `RenewFlightEndpoint` action: the endpoint with a later expiration time.
  public func renewFlightEndpoint(_ request: RenewFlightEndpointRequest, options: FlightCallOptions? = nil)
    async throws -> FlightEndpoint
  {
    try await standardAction(Action.renewFlightEndpointType, request, options)
  }

  /// The standard `SetSessionOptions` action.
  public func setSessionOptions(_ request: SetSessionOptionsRequest, options: FlightCallOptions? = nil) async throws
    -> SetSessionOptionsResult
  {
    try await standardAction(Action.setSessionOptionsType, request, options)
  }

  /// The standard `GetSessionOptions` action.
  public func getSessionOptions(options: FlightCallOptions? = nil) async throws -> GetSessionOptionsResult {
    try await standardAction(Action.getSessionOptionsType, GetSessionOptionsRequest(), options)
  }

  /// The standard `CloseSession` action.
  public func closeSession(options: FlightCallOptions? = nil) async throws -> CloseSessionResult {
    try await standardAction(Action.closeSessionType, CloseSessionRequest(), options)
  }

  // MARK: Data streams

  /// `DoGet`: the data stream `ticket` redeems. Returns once the schema has arrived.
  ///
  /// - Throws: ``FlightError`` when the call fails or the stream ends without a data message.
  public func doGet(_ ticket: Ticket, options: FlightCallOptions? = nil) async throws -> FlightStreamReader {
    let call = try await requestCall(.doGet, ticket, options)
    let reader = FlightStreamReader(source: call, options: effectiveOptions(options).readOptions ?? IPCReadOptions())
    guard try await reader.readSchema() != nil else {
      throw FlightError(.internal, "Server never sent a data message")
    }
    return reader
  }

  /// `DoPut`: uploads a data stream under `descriptor` with `schema`, in a scope: runs `body`
  /// with the writer and the reader of the server's PutResult metadata, then closes the upload
  /// and returns what `body` returns.
  ///
  /// ```swift
  /// try await client.withDoPut(.forPath("uploads", "sales"), schema: table.schema) { writer, _ in
  ///   try await writer.write(table)
  /// }
  /// ```
  ///
  /// When `body` returns, the upload is closed (``FlightStreamWriter/close()``): writing ends,
  /// unread results are read and dropped, and the server's status is awaited, so a server
  /// error is thrown here. When `body` throws (or its task is cancelled), the call is
  /// cancelled, so that the server never takes a half-written upload for a whole one, and
  /// `body`'s error is rethrown. `results` may be read by another task while this one closes.
  ///
  /// - Throws: ``FlightError`` when the call fails, or what `body` throws.
  public func withDoPut<Result>(
    _ descriptor: FlightDescriptor, schema: Schema, options: FlightCallOptions? = nil,
    _ body: (_ writer: FlightStreamWriter, _ results: FlightMetadataReader) async throws -> Result
  ) async throws -> Result {
    let (writer, results) = try await doPut(descriptor, schema: schema, options: options)
    return try await writer.scoped { try await body(writer, results) }
  }

  /// `DoExchange` in a scope: runs `body` with the writer and the reader, then closes the
  /// exchange (ends writing, reads and drops what `body` left unread, awaits the status) and
  /// returns what `body` returns. When `body` throws, the call is cancelled and the error
  /// rethrown. See ``withDoPut(_:schema:options:_:)``.
  ///
  /// - Throws: ``FlightError`` when the call fails, or what `body` throws.
  public func withDoExchange<Result>(
    _ descriptor: FlightDescriptor, options: FlightCallOptions? = nil,
    _ body: (_ writer: FlightStreamWriter, _ reader: FlightStreamReader) async throws -> Result
  ) async throws -> Result {
    let (writer, reader) = try await doExchange(descriptor, options: options)
    return try await writer.scoped { try await body(writer, reader) }
  }

  /// `DoPut`: uploads a data stream under `descriptor` with `schema` (sent at once, with the
  /// descriptor). Returns the writer and the reader of the server's PutResult metadata.
  ///
  /// Prefer ``withDoPut(_:schema:options:_:)``, which cannot forget to close. With this form,
  /// finish the upload with ``FlightStreamWriter/close()``: a writer dropped without `close()`
  /// cancels the call, and the server sees the upload cancelled, not complete (Arrow C++
  /// closes in its destructor instead, which a Swift `deinit` cannot do: closing waits for
  /// the server).
  public func doPut(_ descriptor: FlightDescriptor, schema: Schema, options: FlightCallOptions? = nil) async throws
    -> (writer: FlightStreamWriter, results: FlightMetadataReader)
  {
    let call = try await startCall(.doPut, options)
    let writer = FlightStreamWriter(
      sink: call, options: effectiveOptions(options).writeOptions ?? IPCWriteOptions(),
      writeSizeLimit: self.options.writeSizeLimitBytes, descriptor: descriptor)
    try await writer.begin(schema)
    return (writer, FlightMetadataReader(call: call))
  }

  /// `DoExchange`: a data stream each way under `descriptor`. The descriptor goes out at
  /// once; begin the writer with a schema when you have data to send.
  ///
  /// Prefer ``withDoExchange(_:options:_:)``. With this form, finish with
  /// ``FlightStreamWriter/close()``: dropping the writer and reader without it cancels the call.
  public func doExchange(_ descriptor: FlightDescriptor, options: FlightCallOptions? = nil) async throws
    -> (writer: FlightStreamWriter, reader: FlightStreamReader)
  {
    let call = try await startCall(.doExchange, options)
    let writer = FlightStreamWriter(
      sink: call, options: effectiveOptions(options).writeOptions ?? IPCWriteOptions(),
      writeSizeLimit: self.options.writeSizeLimitBytes, descriptor: descriptor)
    try await writer.sendDescriptorOnly()
    let reader = FlightStreamReader(source: call, options: effectiveOptions(options).readOptions ?? IPCReadOptions())
    return (writer, reader)
  }
}

extension FlightStreamWriter {
  /// Finishes the upload (DoPut) or the exchange: ends writing, reads what the server still
  /// sends, and waits for the call's status. Safe while another task reads the results: the
  /// reads take turns, and what this one reads is dropped.
  ///
  /// - Throws: the server's error, if the call failed.
  public func close() async throws {
    guard let call = sink as? ClientCall else { return try await doneWriting() }
    do {
      try await doneWriting()
    } catch {
      // The server may have ended the call before the half-close went out: its status decides.
      let status = await call.finalStatus()
      guard status.code == .ok else { throw FlightError(status: status) }
    }
    while true {
      do {
        guard try await call.receive() != nil else { break }
      } catch {
        throw FlightError(error)
      }
    }
  }

  /// Runs `body`, then closes; when `body` throws, cancels the call instead and rethrows.
  func scoped<Result>(_ body: () async throws -> Result) async throws -> Result {
    let result: Result
    do {
      result = try await body()
    } catch {
      (sink as? ClientCall)?.cancel()
      throw error
    }
    try await close()
    return result
  }
}

/// Hands a call's headers, trailers and outcome to its client middleware, in that order,
/// before the caller sees the first response or the end of the call.
private struct MiddlewareObserver: ClientCallObserver {
  let middleware: [any ClientMiddleware]

  func receivedHeaders(_ headers: GRPCMetadata) {
    let headers = FlightHeaders(headers)
    for entry in middleware { entry.receivedHeaders(headers) }
  }

  func finished(_ status: CallStatus) {
    let trailers = FlightHeaders(status.trailers)
    let error = status.code == .ok ? nil : FlightError(status: status)
    for entry in middleware {
      entry.receivedTrailers(trailers)
      entry.callCompleted(error)
    }
  }
}
