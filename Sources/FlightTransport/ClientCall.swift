// A client call: one bidirectional stream that serves all four gRPC call shapes.

import ArrowCore
internal import CGRPC

/// The gRPC call handle and what its batches report; kept alive by every batch in flight.
final class CallCore: @unchecked Sendable {
  // Sendable: `call` is an immutable handle. gRPC core wants sends serialized and receives
  // serialized per call; the public API awaits each operation before the next of its kind.
  let call: OpaquePointer
  let queue: CompletionQueue
  let owner: AnyObject
  let initialMetadata = OneShot<Metadata>()
  let status = OneShot<CallStatus>()

  init(call: OpaquePointer, queue: CompletionQueue, owner: AnyObject) {
    self.call = call
    self.queue = queue
    self.owner = owner
  }

  deinit {
    grpc_call_unref(call)
  }

  /// Starts a batch of `count` ops; `completion` runs on the queue's thread with the batch's
  /// success, after which `ops` is freed. The ops array must come from `CGRPC_ops_alloc`.
  func startBatch(
    _ ops: UnsafeMutablePointer<grpc_op>, count: Int, completion: @escaping (Bool) -> Void
  ) throws(TransportError) {
    let tag = CompletionTag { success in
      completion(success)
      gpr_free(ops)
      _ = self  // the call stays alive until every batch has completed
    }
    let pointer = tag.retainedPointer()
    let result = grpc_call_start_batch(call, ops, count, pointer, nil)
    if result != GRPC_CALL_OK {
      CompletionTag.release(pointer)
      gpr_free(ops)
      throw TransportError(.internal, "gRPC core refused a batch (grpc_call_error \(result.rawValue))")
    }
  }

  /// Starts a batch and waits for its completion; task cancellation cancels the call.
  func run(_ ops: UnsafeMutablePointer<grpc_op>, count: Int) async throws(TransportError) -> Bool {
    let outcome: Result<Bool, TransportError> = await withTaskCancellationHandler {
      await withCheckedContinuation { continuation in
        do throws(TransportError) {
          try startBatch(ops, count: count) { continuation.resume(returning: .success($0)) }
        } catch {
          continuation.resume(returning: .failure(error))
        }
      }
    } onCancel: {
      self.cancel()
    }
    return try outcome.get()
  }

  /// Cancels the call; pending and later operations fail promptly.
  func cancel() {
    grpc_call_cancel(call, nil)
  }
}

/// A client call of any shape: initial metadata out and in, messages both ways, and the
/// final status with trailers.
///
/// Sends are one at a time (each `send` waits for the previous to be taken by gRPC: that is
/// the backpressure), and so are receives; a send and a receive may run concurrently.
/// Dropping the last reference to an unfinished call cancels it.
package final class ClientCall: Sendable {
  let core: CallCore

  init(channel: GRPCChannel, method: String, metadata: Metadata, timeout: Duration?) throws(TransportError) {
    let queue = channel.runtime.nextQueue()
    let deadline: gpr_timespec
    if let timeout {
      let (seconds, attoseconds) = timeout.components
      deadline = CGRPC_deadline_in_millis(max(0, seconds * 1000 + attoseconds / 1_000_000_000_000_000))
    } else {
      deadline = CGRPC_inf_future()
    }
    let methodSlice = grpc_slice_from_copied_string(method)
    defer { grpc_slice_unref(methodSlice) }
    var methodSliceCopy = methodSlice
    guard
      let call = grpc_channel_create_call(
        channel.channel, nil, CGRPC_propagate_defaults(), queue.queue, methodSliceCopy, nil, deadline, nil)
    else {
      throw TransportError(.internal, "gRPC core could not create a call for \(method)")
    }
    _ = withUnsafeMutablePointer(to: &methodSliceCopy) { $0 }
    core = CallCore(call: call, queue: queue, owner: channel)
    try startCall(metadata: metadata)
  }

  /// Sends the initial metadata and posts the receives for initial metadata and status.
  private func startCall(metadata: Metadata) throws(TransportError) {
    let core = self.core
    // Initial metadata out.
    let outgoing = OutgoingMetadata(metadata)
    let sendOps = CGRPC_ops_alloc(1)!
    sendOps[0].op = GRPC_OP_SEND_INITIAL_METADATA
    sendOps[0].data.send_initial_metadata.count = outgoing.count
    sendOps[0].data.send_initial_metadata.metadata = outgoing.pointer
    try core.startBatch(sendOps, count: 1) { _ in _ = outgoing }

    // Initial metadata in.
    let headers = IncomingMetadata()
    let headerOps = CGRPC_ops_alloc(1)!
    headerOps[0].op = GRPC_OP_RECV_INITIAL_METADATA
    headerOps[0].data.recv_initial_metadata.recv_initial_metadata = headers.pointer
    try core.startBatch(headerOps, count: 1) { _ in core.initialMetadata.fulfill(headers.metadata) }

    // Status and trailers in: completes when the call is over, whichever way it ends.
    let trailers = IncomingMetadata()
    let statusStorage = StatusStorage()
    let statusOps = CGRPC_ops_alloc(1)!
    statusOps[0].op = GRPC_OP_RECV_STATUS_ON_CLIENT
    statusOps[0].data.recv_status_on_client.trailing_metadata = trailers.pointer
    statusOps[0].data.recv_status_on_client.status = statusStorage.code
    statusOps[0].data.recv_status_on_client.status_details = statusStorage.details
    statusOps[0].data.recv_status_on_client.error_string = statusStorage.errorString
    try core.startBatch(statusOps, count: 1) { success in
      let status =
        success
        ? CallStatus(
          code: StatusCode(rawCode: Int(statusStorage.code.pointee.rawValue)),
          message: Bridging.string(of: statusStorage.details.pointee),
          trailers: trailers.metadata)
        : CallStatus(code: .internal, message: "gRPC core failed to deliver the call's status")
      core.initialMetadata.fulfill(Metadata())  // a call that ends early never sends headers
      core.status.fulfill(status)
    }
  }

  deinit {
    if core.status.current == nil { core.cancel() }
  }

  /// Sends one message made of `parts` (concatenated on the wire; large parts are not copied).
  package func send(_ parts: [Buffer]) async throws(TransportError) {
    let byteBuffer = Bridging.byteBuffer(for: parts)
    defer { grpc_byte_buffer_destroy(byteBuffer) }
    let ops = CGRPC_ops_alloc(1)!
    ops[0].op = GRPC_OP_SEND_MESSAGE
    ops[0].data.send_message.send_message = byteBuffer
    guard try await core.run(ops, count: 1) else { throw await failure(doing: "send a message") }
  }

  /// Sends one message of `bytes`.
  package func send(_ bytes: [UInt8]) async throws(TransportError) {
    try await send([Buffer(copying: bytes)])
  }

  /// Tells the server that the client will send no more messages.
  package func closeSend() async throws(TransportError) {
    let ops = CGRPC_ops_alloc(1)!
    ops[0].op = GRPC_OP_SEND_CLOSE_FROM_CLIENT
    guard try await core.run(ops, count: 1) else { throw await failure(doing: "close the stream") }
  }

  /// Receives the next message as one `Buffer` per received slice (no copy), or nil when the
  /// server has finished the stream with status OK. A non-OK status is thrown.
  package func receive() async throws(TransportError) -> [Buffer]? {
    let slot = UnsafeMutablePointer<UnsafeMutablePointer<grpc_byte_buffer>?>.allocate(capacity: 1)
    slot.initialize(to: nil)
    defer { slot.deallocate() }
    let ops = CGRPC_ops_alloc(1)!
    ops[0].op = GRPC_OP_RECV_MESSAGE
    ops[0].data.recv_message.recv_message = slot
    let success = try await core.run(ops, count: 1)
    if let byteBuffer = slot.pointee {
      defer { grpc_byte_buffer_destroy(byteBuffer) }
      if success { return Bridging.buffers(from: byteBuffer) }
    }
    let status = await core.status.wait()
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
  package func initialMetadata() async -> Metadata {
    await core.initialMetadata.wait()
  }

  /// The final status, with trailers; waits until the call is over.
  package func finalStatus() async -> CallStatus {
    await core.status.wait()
  }

  /// Cancels the call: the server sees the cancellation; pending operations fail.
  package func cancel() {
    core.cancel()
  }

  /// The error for a failed send: the call's status, or a clear message when it ended OK.
  private func failure(doing action: String) async -> TransportError {
    let status = await core.status.wait()
    if status.code == .ok {
      return TransportError(.unavailable, "could not \(action): the server already finished the call")
    }
    return TransportError(status)
  }
}

/// Heap storage that RECV_STATUS_ON_CLIENT writes into.
private final class StatusStorage: @unchecked Sendable {
  let code = UnsafeMutablePointer<grpc_status_code>.allocate(capacity: 1)
  let details = UnsafeMutablePointer<grpc_slice>.allocate(capacity: 1)
  let errorString = UnsafeMutablePointer<UnsafePointer<CChar>?>.allocate(capacity: 1)

  init() {
    code.initialize(to: GRPC_STATUS_UNKNOWN)
    details.initialize(to: grpc_empty_slice())
    errorString.initialize(to: nil)
  }

  deinit {
    grpc_slice_unref(details.pointee)
    if let message = errorString.pointee { gpr_free(UnsafeMutableRawPointer(mutating: message)) }
    code.deallocate()
    details.deallocate()
    errorString.deallocate()
  }
}
