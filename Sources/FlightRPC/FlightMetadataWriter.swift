// Writing PutResults back to a DoPut client.

internal import ArrowCore
internal import FlightProto
internal import FlightTransport

/// Writes application metadata back to a DoPut client (each becomes one PutResult).
public struct FlightMetadataWriter: Sendable {
  let context: ServerCallContext

  /// Sends one PutResult carrying `appMetadata`, after those written before. Returns without
  /// waiting for gRPC to take it unless many wait already, so reading the next upload message
  /// need not wait for an acknowledgement to go out; a failure to send shows at a later write
  /// (or ends the call).
  public func write(_ appMetadata: [UInt8]) async throws {
    context.flushHeaders()
    do {
      try await context.call.sendQueued([Buffer(copying: PutResult(appMetadata: appMetadata).serialized())])
    } catch {
      throw FlightError(error)
    }
  }

  /// Sends one PutResult carrying `appMetadata`.
  public func write(_ appMetadata: Buffer) async throws {
    try await write(Array(appMetadata))
  }
}
