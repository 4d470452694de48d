// Routing a server's calls to the service's methods.

internal import ArrowCore
internal import ArrowIPC
internal import FlightProto
internal import FlightTransport

/// Routes each call to the service method for its path and ends it with the right status.
struct FlightDispatcher: Sendable {
  let service: any FlightService
  let authHandler: (any ServerAuthHandler)?
  let middleware: [KeyedServerMiddleware]

  func handle(_ call: ServerCall) async {
    guard let method = FlightMethod(path: call.method) else {
      await call.finish(FlightError(.notImplemented, "unknown method \(call.method)").callStatus())
      return
    }
    let context = ServerCallContext(call: call, method: method)
    var failure: FlightError?
    var response: [UInt8]?
    do {
      try await authorize(method, call: call, context: context)
      response = try await dispatch(method, call: call, context: context)
    } catch {
      failure = FlightError.wrapping(error)
    }
    context.flushHeaders()
    // Headers and trailers gRPC would refuse are left out, and the call fails saying so,
    // rather than the status being lost.
    let (trailers, trailerProblem) = context.finalTrailers().partitioned()
    if let problem = context.headerProblem ?? trailerProblem {
      let original = failure.map { ". The handler's own error: \($0)" } ?? ""
      failure = FlightError(.internal, "the server set a header or trailer gRPC refuses: \(problem)\(original)")
      response = nil
    }
    if let failure {
      await call.finish(failure.callStatus(adding: trailers.grpcMetadata).fittingTrailerLimit())
    } else {
      await call.finish(
        CallStatus(code: .ok, trailers: trailers.grpcMetadata).fittingTrailerLimit(),
        lastMessage: response.map { [Buffer(copying: $0)] })
    }
    context.completed(failure)
  }

  /// Checks the Handshake token, then runs the middleware factories (any may refuse the
  /// call), in Arrow C++'s order: middleware sees the identity the auth handler established,
  /// and a call the auth handler refuses reaches no middleware.
  private func authorize(_ method: FlightMethod, call: ServerCall, context: ServerCallContext) async throws {
    if let authHandler, method != .handshake {
      let token = context.requestHeaders.first(authTokenHeader) ?? []
      guard let identity = try await authHandler.isValid(token: token, context: context) else {
        throw FlightError(
          .unauthenticated, token.isEmpty ? "no authentication token" : "invalid authentication token")
      }
      if !identity.isEmpty { context.setPeerIdentity(identity) }
    }
    for keyed in middleware {
      if let instance = try await keyed.factory.startCall(
        CallInfo(method: method), headers: context.requestHeaders, context: context)
      {
        context.addMiddleware(instance, key: keyed.key)
      }
    }
  }

  /// Runs the Handshake: the auth handler's, or the middleware's answer, or the service's.
  private func handshake(_ call: ServerCall, context: ServerCallContext) async throws {
    if let authHandler {
      let requests = FlightRequestStream<HandshakeRequest>(call: call)
      let reader = AuthPayloadReader {
        var iterator = requests.makeAsyncIterator()
        return try await iterator.next()?.payload
      }
      let responses = FlightResponseWriter<HandshakeResponse>(context: context)
      let writer = AuthPayloadWriter { try await responses.write(HandshakeResponse(payload: $0)) }
      do {
        try await authHandler.authenticate(incoming: reader, outgoing: writer, context: context)
      } catch let error as FlightError {
        throw error
      } catch {
        throw FlightError(.unauthenticated, "authentication failed: \(error)", cause: error)
      }
      return
    }
    if context.hasMiddlewareAnsweringHandshake {
      for try await _ in FlightRequestStream<HandshakeRequest>(call: call) {}
      return
    }
    try await service.handshake(
      FlightRequestStream(call: call), responses: FlightResponseWriter(context: context), context: context)
  }

  /// Runs the call's method; returns the response of a unary method, which goes out with the
  /// status in one batch.
  private func dispatch(_ method: FlightMethod, call: ServerCall, context: ServerCallContext) async throws
    -> [UInt8]?
  {
    switch method {
    case .handshake:
      try await handshake(call, context: context)
    case .listFlights:
      let criteria: Criteria = try await singleRequest(call)
      try await service.listFlights(criteria, writer: FlightResponseWriter(context: context), context: context)
    case .getFlightInfo:
      return try await service.getFlightInfo(try await singleRequest(call), context: context).serialized()
    case .pollFlightInfo:
      return try await service.pollFlightInfo(try await singleRequest(call), context: context).serialized()
    case .getSchema:
      let schema = try await service.getSchema(try await singleRequest(call), context: context)
      return SchemaResult(schema: try encapsulatedSchema(schema)).serialized()
    case .doGet:
      let stream = try await service.doGet(try await singleRequest(call), context: context)
      let writer = FlightStreamWriter(sink: ServerDataSink(context: context), options: stream.writeOptions)
      try await writer.begin(stream.schema)
      try await stream.writeChunks(to: writer)
    case .doPut:
      let (descriptor, reader) = try await openDataStream(call)
      try await service.doPut(
        descriptor, reader: reader, writer: FlightMetadataWriter(context: context), context: context)
    case .doExchange:
      let (descriptor, reader) = try await openDataStream(call)
      let writer = FlightStreamWriter(sink: ServerDataSink(context: context), options: IPCWriteOptions())
      try await service.doExchange(descriptor, reader: reader, writer: writer, context: context)
    case .listActions:
      let _: Empty = try await singleRequest(call)
      try await FlightResponseWriter(context: context).write(
        contentsOf: try await service.listActions(context: context))
    case .doAction:
      let action: Action = try await singleRequest(call)
      let writer = FlightResponseWriter<FlightResult>(context: context)
      if let body = try await standardAction(action, context: context) {
        try await writer.write(FlightResult(body: body))
      } else {
        try await service.doAction(action, writer: writer, context: context)
      }
    default:
      throw FlightError(.notImplemented, "unknown method \(method)")
    }
    return nil
  }

  /// Runs a standard action through its typed method; nil when `action` is not standard or
  /// the service leaves the typed method unimplemented (then `doAction` gets it).
  private func standardAction(_ action: Action, context: ServerCallContext) async throws -> [UInt8]? {
    func parse<M: FlightProtoMessage>(_ type: M.Type) throws -> M {
      do {
        return try M(serializedBytes: action.body)
      } catch {
        throw FlightError(
          .invalidArgument, "malformed \(M.protoName) in the \(action.type) action: \(error)", cause: error)
      }
    }
    do {
      switch action.type {
      case Action.cancelFlightInfoType:
        return try await service.cancelFlightInfo(try parse(CancelFlightInfoRequest.self), context: context)
          .serialized()
      case Action.renewFlightEndpointType:
        return try await service.renewFlightEndpoint(try parse(RenewFlightEndpointRequest.self), context: context)
          .serialized()
      case Action.setSessionOptionsType:
        return try await service.setSessionOptions(try parse(SetSessionOptionsRequest.self), context: context)
          .serialized()
      case Action.getSessionOptionsType:
        return try await service.getSessionOptions(try parse(GetSessionOptionsRequest.self), context: context)
          .serialized()
      case Action.closeSessionType:
        return try await service.closeSession(try parse(CloseSessionRequest.self), context: context).serialized()
      default:
        return nil
      }
    } catch let error as FlightError where error.kind == .notImplemented {
      return nil
    }
  }

  /// Reads the one request message of a unary or server-streaming call.
  private func singleRequest<M: FlightProtoMessage>(_ call: ServerCall) async throws -> M {
    let parts: [Buffer]?
    do {
      parts = try await call.receive()
    } catch {
      throw FlightError(error)
    }
    guard let parts else { throw FlightError(.invalidArgument, "the client sent no \(M.protoName) request") }
    do {
      return try M(serializedBytes: Buffer.concatenating(parts))
    } catch {
      throw FlightError(.invalidArgument, "malformed \(M.protoName) request: \(error)", cause: error)
    }
  }

  /// Reads the first message of DoPut or DoExchange: it must carry the descriptor.
  private func openDataStream(_ call: ServerCall) async throws -> (FlightDescriptor, FlightStreamReader) {
    let source = ServerDataSource(call: call)
    // Arrow C++ fails these with a plain IOError: gRPC UNKNOWN, x-arrow-status 5.
    guard var first = try await source.next() else {
      throw FlightError.arrowIOError("Stream finished before first message sent")
    }
    guard let descriptor = first.flightDescriptor else {
      throw FlightError.arrowIOError("Descriptor missing on first message")
    }
    first.flightDescriptor = nil
    let pending = first.dataHeader != nil || first.appMetadata != nil ? first : nil
    let reader = FlightStreamReader(source: source, options: IPCReadOptions(), first: pending)
    _ = try reader.takeSchemaFromPending()  // DoPut's first message carries the schema: known at once
    return (descriptor, reader)
  }
}
