// A client call: one bidirectional stream that serves all four gRPC call shapes.

package import ArrowCore
internal import Synchronization

/// A client call of any shape: initial metadata out and in, messages both ways, and the
/// final status with trailers.
///
/// Sends are one at a time (each `send` waits for the previous to be taken by gRPC: that is
/// the backpressure); a send and a receive may run concurrently. Receives from several tasks
/// are safe: they take turns (gRPC core allows one receive in flight per call).
/// Dropping the last reference to an unfinished call cancels it.
package final class ClientCall: Sendable {
  let engine: CallEngine
  private let initialMetadataValue = OneShot<GRPCMetadata>()
  let statusValue = OneShot<CallStatus>()
  private let observer: ObserverDelivery?
  /// Serializes receives: gRPC core refuses a second receive while one is in flight.
  private let receiving = AsyncLock()

  init(
    channel: GRPCChannel, method: String, metadata: GRPCMetadata, timeout: Duration?,
    observer: (any ClientCallObserver)? = nil
  ) throws(TransportError) {
    self.observer = observer.map(ObserverDelivery.init)
    engine = CallEngine(
      try CallHandle(channel: channel.handle, method: method, queue: channel.runtime.nextQueue(), timeout: timeout))
    try startCall(metadata: metadata)
    if let delivery = self.observer {
      // Calls that are never read to their end still report how they ended.
      let initialMetadataValue = self.initialMetadataValue
      let statusValue = self.statusValue
      Task {
        await delivery.headers(await initialMetadataValue.wait())
        await delivery.finished(await statusValue.wait())
      }
    }
  }

  /// Tells the observer about the headers (once), before a receive returns anything.
  private func deliverHeaders() async {
    guard let observer, !observer.headersDelivered else { return }
    await observer.headers(await initialMetadataValue.wait())
  }

  /// Sends the initial metadata and posts the receives for initial metadata and status.
  private func startCall(metadata: GRPCMetadata) throws(TransportError) {
    let call = engine.call
    let initialMetadataValue = self.initialMetadataValue
    let statusValue = self.statusValue
    // Initial metadata out.
    try OpBatch.send(headers: metadata).start(on: call) { _, _ in }

    // Initial metadata in.
    try OpBatch.receiveInitialMetadata().start(on: call) { batch, _ in
      initialMetadataValue.fulfill(batch.receivedMetadata)
    }

    // Status and trailers in: completes when the call is over, whichever way it ends.
    try OpBatch.receiveStatusOnClient().start(on: call) { batch, success in
      let status =
        success
        ? batch.receivedStatus : CallStatus(code: .internal, message: "gRPC core failed to deliver the call's status")
      initialMetadataValue.fulfill(GRPCMetadata())  // a call that ends early never sends headers
      statusValue.fulfill(status)
    }
  }

  deinit {
    if statusValue.current == nil { engine.cancel() }
  }

  /// Sends one message made of `parts` (concatenated on the wire; large parts are not copied).
  package func send(_ parts: [Buffer]) async throws(TransportError) {
    guard try await engine.sendMessage(parts) else { throw await failure(doing: "send a message") }
  }

  /// Sends `messages` in order, each started from the completion of the previous one (no task
  /// switch per message).
  package func send(all messages: [[Buffer]]) async throws(TransportError) {
    guard await engine.sendMessages(messages, initialMetadata: nil) else {
      throw await failure(doing: "send a message")
    }
  }

  /// Sends one message of `bytes`.
  package func send(_ bytes: [UInt8]) async throws(TransportError) {
    try await send([Buffer(copying: bytes)])
  }

  /// Sends the last message and half-closes, in one batch (unary and server-streaming calls).
  package func sendLast(_ bytes: [UInt8]) async throws(TransportError) {
    guard try await engine.sendMessage([Buffer(copying: bytes)], closing: true) else {
      throw await failure(doing: "send the request")
    }
  }

  /// Tells the server that the client will send no more messages.
  package func closeSend() async throws(TransportError) {
    guard try await engine.run(OpBatch.send(closing: true)) else { throw await failure(doing: "close the stream") }
  }

  /// Receives the next message as one `Buffer` per received slice (no copy), or nil when the
  /// server has finished the stream with status OK. A non-OK status is thrown.
  package func receive() async throws(TransportError) -> [Buffer]? {
    let received: (success: Bool, message: [Buffer]?)
    do {
      received = try await receiving.withLock { () async throws(TransportError) in try await engine.receiveMessage() }
    } catch {
      await deliverHeaders()
      await observer?.finished(await statusValue.wait())
      throw error
    }
    let (success, message) = received
    await deliverHeaders()
    if let message { return message }
    let status = await statusValue.wait()
    await observer?.finished(status)
    if success && status.code == .ok { return nil }
    throw TransportError(status.code == .ok ? CallStatus(code: .internal, message: "receive failed") : status)
  }

  /// Receives every remaining message, each joined into one `Buffer`.
  package func receiveAll() async throws(TransportError) -> [Buffer] {
    var messages: [Buffer] = []
    while let parts = try await receive() { messages.append(Buffer.concatenating(parts)) }
    return messages
  }

  /// The server's initial metadata (empty when the call ended without any).
  package func initialMetadata() async -> GRPCMetadata {
    await initialMetadataValue.wait()
  }

  /// Waits until the call is over without reading further messages (unary calls, after
  /// their one response); the observer sees the status before this returns it.
  package func waitForEnd() async -> CallStatus {
    await deliverHeaders()
    let status = await statusValue.wait()
    await observer?.finished(status)
    return status
  }

  /// The final status, with trailers; waits until the call is over.
  package func finalStatus() async -> CallStatus {
    await statusValue.wait()
  }

  /// Cancels the call: the server sees the cancellation; pending operations fail.
  package func cancel() {
    engine.cancel()
  }

  /// The server's address as gRPC reports it.
  package var peer: String { engine.peer }

  /// The error for a failed send: the server's status when it ended the call with an error;
  /// when it ended the call OK (without reading on), Arrow C++'s I/O error for a message, as
  /// `.dataLoss`, which nothing retries: the server did not take the data, and sending it
  /// again to a call that is over cannot help.
  private func failure(doing action: String) async -> TransportError {
    let status = await statusValue.wait()
    guard status.code == .ok else { return TransportError(status) }
    let message =
      action == "send a message"
      ? "Could not write record batch to stream (server disconnect?)"
      : "could not \(action): the server already finished the call"
    return TransportError(.dataLoss, message)
  }
}

/// Sees a client call's response headers before any message is returned to the caller, and
/// its final status before the end of the stream (or its error) is.
package protocol ClientCallObserver: Sendable {
  /// The server's initial metadata (empty when the call ended without any).
  func receivedHeaders(_ headers: GRPCMetadata)
  /// The call's final status with its trailers.
  func finished(_ status: CallStatus)
}

/// Delivers each observation once, whichever path gets there first; a path that finds the
/// observation taken waits until the observer has returned from it, so that nothing reaches
/// the caller before the observer has seen it (a middleware storing a cookie from the headers
/// has stored it when the call returns).
private final class ObserverDelivery: Sendable {
  let observer: any ClientCallObserver
  private let headersClaimed = Atomic<Bool>(false)
  private let finishClaimed = Atomic<Bool>(false)
  private let headersSeen = OneShot<Bool>()
  private let finishSeen = OneShot<Bool>()
  /// Set once the observer has returned from the headers: the per-message check, lock free.
  private let headersReturned = Atomic<Bool>(false)

  init(_ observer: any ClientCallObserver) {
    self.observer = observer
  }

  /// Whether the observer has returned from the headers.
  var headersDelivered: Bool { headersReturned.load(ordering: .acquiring) }

  func headers(_ metadata: GRPCMetadata) async {
    if !headersClaimed.exchange(true, ordering: .acquiringAndReleasing) {
      observer.receivedHeaders(metadata)
      headersReturned.store(true, ordering: .releasing)
      headersSeen.fulfill(true)
    } else {
      _ = await headersSeen.wait()
    }
  }

  func finished(_ status: CallStatus) async {
    if !finishClaimed.exchange(true, ordering: .acquiringAndReleasing) {
      observer.finished(status)
      finishSeen.fulfill(true)
    } else {
      _ = await finishSeen.wait()
    }
  }
}
