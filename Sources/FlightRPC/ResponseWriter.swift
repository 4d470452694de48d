// Writers that stream response messages of the Flight RPCs from a server handler.

internal import ArrowCore
internal import FlightProto
internal import FlightTransport

/// Streams response messages of one type (FlightInfo for ListFlights, Result for DoAction,
/// HandshakeResponse for Handshake) to the client, one at a time with backpressure.
public struct FlightResponseWriter<Message: FlightProtoMessage>: Sendable {
  let context: ServerCallContext

  /// Sends one message; waits until gRPC has taken it.
  public func write(_ message: Message) async throws {
    context.flushHeaders()
    do {
      try await context.call.send([Buffer(copying: message.serialized())])
    } catch {
      throw FlightError(error)
    }
  }

  /// Sends every message of `messages` in order.
  public func write(contentsOf messages: some Sequence<Message>) async throws {
    for message in messages { try await write(message) }
  }
}

/// Incoming request messages of one type (HandshakeRequest for Handshake), as an async sequence.
public struct FlightRequestStream<Message: FlightProtoMessage>: AsyncSequence, Sendable {
  /// The element type.
  public typealias Element = Message
  let call: ServerCall

  /// The iterator.
  public struct AsyncIterator: AsyncIteratorProtocol {
    let call: ServerCall

    /// The next message, or nil when the client has finished sending.
    public mutating func next() async throws -> Message? {
      do {
        guard let parts = try await call.receive() else { return nil }
        return try Message(serializedBytes: Buffer.concatenating(parts))
      } catch let error as TransportError {
        throw FlightError(error)
      } catch let error as ProtoError {
        throw FlightError(.invalidArgument, "malformed \(Message.protoName): \(error)", cause: error)
      }
    }
  }

  /// Makes the iterator.
  public func makeAsyncIterator() -> AsyncIterator { AsyncIterator(call: call) }
}
