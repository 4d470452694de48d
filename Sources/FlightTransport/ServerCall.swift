// A server call: the request's metadata, messages both ways, and the final status.

package import ArrowCore
internal import Synchronization

/// One call accepted by a ``GRPCServer``.
///
/// Receives are one at a time, and so are sends; a send and a receive may run concurrently.
/// Initial metadata goes out with the first message, or with the status, unless sent earlier.
/// Finish every call with ``finish(_:)``; a call dropped unfinished is cancelled.
package final class ServerCall: Sendable {
  let engine: CallEngine
  /// The method path, e.g. `/arrow.flight.protocol.FlightService/DoGet`.
  package let method: String
  /// The client's initial metadata.
  package let requestMetadata: GRPCMetadata
  /// The client's address, e.g. `ipv4:127.0.0.1:50051`.
  package let peer: String
  /// The identity of the client's TLS certificate (its subject alternative names or common
  /// name), empty without a verified client certificate.
  package let peerIdentity: [String]

  private struct State {
    var headersSent = false
    var finished = false
    var pendingHeaders = GRPCMetadata()
  }
  private let state = Mutex(State())
  private let closed = OneShot<Bool>()

  init(engine: CallEngine, method: String, requestMetadata: GRPCMetadata) throws(TransportError) {
    self.engine = engine
    self.method = method
    self.requestMetadata = requestMetadata
    self.peer = engine.call.peer
    self.peerIdentity = engine.call.peerIdentity
    // Watch for the end of the call (client cancellation included) from the start.
    let closed = self.closed
    try OpBatch.receiveCloseOnServer().start(on: engine.call) { batch, success in
      closed.fulfill(!success || batch.cancelled)
    }
  }

  deinit {
    if !state.withLock({ $0.finished }) { engine.cancel() }
  }

  /// Whether the client cancelled the call (or it failed for another reason than a status).
  package var isCancelled: Bool { closed.current == true }

  /// Waits until the call is over; true when it was cancelled rather than finished.
  package func waitForClose() async -> Bool { await closed.wait() }

  /// Runs `body` when the call is over (on gRPC's thread: keep it short), with true when it
  /// was cancelled rather than finished.
  package func onClose(_ body: @escaping @Sendable (Bool) -> Void) { closed.whenFulfilled(body) }

  /// Adds headers to send with the initial metadata (before the first message).
  package func addHeaders(_ metadata: GRPCMetadata) {
    state.withLock { $0.pendingHeaders.entries += metadata.entries }
  }

  /// The headers still to send, marking them sent; nil when they went already.
  private func takeHeaders() -> GRPCMetadata? {
    state.withLock { state in
      guard !state.headersSent else { return nil }
      state.headersSent = true
      return state.pendingHeaders
    }
  }

  /// Receives the next message, or nil when the client has finished sending.
  package func receive() async throws(TransportError) -> [Buffer]? {
    let (success, message) = try await engine.receiveMessage()
    if let message { return message }
    // A client that cancels (or goes away) can end the stream just as a half-close does, before
    // the call's close says it was cancelled; gRPC core knows at once which it was, so that a
    // cancelled upload is never taken for a complete one.
    if !success || isCancelled || engine.receiveFailed {
      throw TransportError(.cancelled, "the client cancelled the call")
    }
    return nil
  }

  /// Sends one message made of `parts` (large parts are not copied), after the queued ones.
  package func send(_ parts: [Buffer]) async throws(TransportError) {
    guard await engine.drainQueued(), try await engine.sendMessage(parts, initialMetadata: takeHeaders()) else {
      throw TransportError(.cancelled, "the client cancelled the call")
    }
  }

  /// Sends `messages` in order, as fast as gRPC takes them: each send starts from the
  /// completion of the previous one, without a task switch per message.
  package func send(all messages: [[Buffer]]) async throws(TransportError) {
    guard !messages.isEmpty else { return }
    guard await engine.drainQueued(), await engine.sendMessages(messages, initialMetadata: takeHeaders()) else {
      throw TransportError(.cancelled, "the client cancelled the call")
    }
  }

  /// Queues one message made of `parts` after those sent or queued before, without waiting
  /// for gRPC to take it (unless many wait already): for small messages the handler need not
  /// wait for, such as DoPut's acknowledgements. A failure shows at a later send.
  package func sendQueued(_ parts: [Buffer]) async throws(TransportError) {
    guard await engine.sendQueued(parts, initialMetadata: takeHeaders()) else {
      throw TransportError(.cancelled, "the client cancelled the call")
    }
  }

  /// Ends the call with `status` and its trailers. Later calls are ignored.
  package func finish(_ status: CallStatus) async {
    await finish(status, lastMessage: nil)
  }

  /// Ends the call with `status`, sending `lastMessage` first in the same gRPC batch (a unary
  /// response and its status go out together). Later calls are ignored.
  package func finish(_ status: CallStatus, lastMessage: [Buffer]?) async {
    let first = state.withLock { state -> Bool in
      defer { state.finished = true }
      return !state.finished
    }
    guard first else { return }
    _ = await engine.drainQueued()  // the status goes after every queued message
    _ = try? await engine.run(OpBatch.send(headers: takeHeaders(), message: lastMessage, status: status))
  }

  /// Cancels the call.
  package func cancel() {
    engine.cancel()
  }
}
