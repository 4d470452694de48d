// What a client reads back from streaming calls: decoded responses and DoPut's PutResults.

internal import ArrowCore
internal import FlightProto
internal import FlightTransport

/// The responses of a server-streaming call, decoded, as an async sequence.
public struct FlightResponseStream<Element: FlightProtoMessage>: AsyncSequence, Sendable {
  let call: ClientCall

  /// The iterator.
  public struct AsyncIterator: AsyncIteratorProtocol {
    let call: ClientCall

    /// The next response, or nil when the server has finished.
    public mutating func next() async throws(FlightError) -> Element? {
      let parts: [Buffer]?
      do {
        parts = try await call.receive()
      } catch {
        throw FlightError(error)
      }
      guard let parts else { return nil }
      do {
        return try Element(serializedBytes: Buffer.concatenating(parts))
      } catch {
        call.cancel()
        throw FlightError(.internal, "malformed \(Element.protoName) from the server: \(error)", cause: error)
      }
    }
  }

  /// Makes the iterator.
  public func makeAsyncIterator() -> AsyncIterator { AsyncIterator(call: call) }

  /// Every remaining response.
  public func collect() async throws -> [Element] {
    var elements: [Element] = []
    for try await element in self { elements.append(element) }
    return elements
  }

  /// The headers the server sent.
  public func headers() async -> FlightHeaders { FlightHeaders(await call.initialMetadata()) }

  /// Cancels the call.
  public func cancel() { call.cancel() }
}

/// Reads the application metadata a DoPut server writes back (one per PutResult).
public struct FlightMetadataReader: AsyncSequence, Sendable {
  let call: ClientCall

  /// The iterator.
  public struct AsyncIterator: AsyncIteratorProtocol {
    var results: FlightResponseStream<PutResult>.AsyncIterator

    /// The next metadata, or nil when the server has finished.
    public mutating func next() async throws(FlightError) -> Buffer? {
      try await results.next().map { Buffer(copying: $0.appMetadata) }
    }
  }

  /// Makes the iterator.
  public func makeAsyncIterator() -> AsyncIterator {
    AsyncIterator(results: FlightResponseStream<PutResult>(call: call).makeAsyncIterator())
  }

  /// Reads the next metadata (pyarrow's `read()`), or nil when the server has finished.
  public func read() async throws -> Buffer? {
    var iterator = makeAsyncIterator()
    return try await iterator.next()
  }
}
