// The FlightData message streams of a call, on either side, independent of Arrow.

internal import ArrowCore
internal import FlightProto
internal import FlightTransport

/// Where FlightData messages come from: a client call's responses or a server call's requests.
protocol FlightDataSource: Sendable {
  /// The next message, or nil at the end of the stream.
  func next() async throws(FlightError) -> FlightData?
  /// Cancels the call.
  func cancel()
  /// The reader failed on a message (or the stream failed): ends this side's part. A client
  /// cancels the call so the server stops sending; a server does nothing, because the
  /// handler's error ends the call with a status that says what was wrong.
  func abandon()
}

/// Where FlightData messages go: a client call's requests or a server call's responses.
protocol FlightDataSink: Sendable {
  /// Sends one message; waits until gRPC has taken it.
  func send(_ data: FlightData) async throws(FlightError)
  /// Sends messages in order, each started as soon as gRPC has taken the previous one.
  func send(all messages: [FlightData]) async throws(FlightError)
  /// Ends the stream (client: half-close; server: nothing until the status).
  func finish() async throws(FlightError)
  /// Cancels the call: the peer sees it cancelled, and pending sends and receives fail.
  func cancel()
}

/// Decodes one received FlightData message.
func decodeFlightData(_ parts: [Buffer]) throws(FlightError) -> FlightData {
  do {
    return try FlightData(decoding: parts)
  } catch {
    throw FlightError(.invalidArgument, "malformed FlightData message: \(error)", cause: error)
  }
}

extension ClientCall: FlightDataSource, FlightDataSink {
  func next() async throws(FlightError) -> FlightData? {
    let parts: [Buffer]?
    do {
      parts = try await receive()
    } catch {
      throw FlightError(error)
    }
    guard let parts else { return nil }
    return try decodeFlightData(parts)
  }

  func abandon() { cancel() }

  func send(_ data: FlightData) async throws(FlightError) {
    do {
      try await send(data.encoded())
    } catch {
      throw FlightError(error)
    }
  }

  func send(all messages: [FlightData]) async throws(FlightError) {
    do {
      try await send(all: messages.map { $0.encoded() })
    } catch {
      throw FlightError(error)
    }
  }

  func finish() async throws(FlightError) {
    do {
      try await closeSend()
    } catch {
      throw FlightError(error)
    }
  }
}

/// A server call's request stream as a FlightData source.
struct ServerDataSource: FlightDataSource {
  let call: ServerCall

  func next() async throws(FlightError) -> FlightData? {
    let parts: [Buffer]?
    do {
      parts = try await call.receive()
    } catch {
      throw FlightError(error)
    }
    guard let parts else { return nil }
    return try decodeFlightData(parts)
  }

  func cancel() { call.cancel() }

  func abandon() {}
}

/// A server call's response stream as a FlightData sink.
struct ServerDataSink: FlightDataSink {
  let context: ServerCallContext

  func send(_ data: FlightData) async throws(FlightError) {
    context.flushHeaders()
    do {
      try await context.call.send(data.encoded())
    } catch {
      throw FlightError(error)
    }
  }

  func send(all messages: [FlightData]) async throws(FlightError) {
    context.flushHeaders()
    do {
      try await context.call.send(all: messages.map { $0.encoded() })
    } catch {
      throw FlightError(error)
    }
  }

  func finish() async throws(FlightError) {}

  func cancel() { context.call.cancel() }
}
