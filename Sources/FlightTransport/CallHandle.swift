// One gRPC call handle and its batches, shared by client and server calls.

import ArrowCore
internal import CGRPC

/// The gRPC call handle; every batch in flight keeps it alive.
///
/// gRPC core wants the sends of one call serialized and its receives serialized; the call
/// types built on this await each operation before starting the next of its kind.
final class CallHandle: @unchecked Sendable {
  // Sendable: `call` is an immutable handle, and gRPC core's batch functions are thread safe
  // as long as sends and receives are each serialized (the callers' contract).
  let call: OpaquePointer
  let queue: CompletionQueue
  private let keepAlive: AnyObject?

  init(call: OpaquePointer, queue: CompletionQueue, keepAlive: AnyObject?) {
    self.call = call
    self.queue = queue
    self.keepAlive = keepAlive
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

  /// Sends one message made of `parts` (and, when `closing`, the client's half-close in the same
  /// batch); false when the call is already over.
  func sendMessage(_ parts: [Buffer], initialMetadata: GRPCMetadata? = nil, closing: Bool = false)
    async throws(TransportError) -> Bool
  {
    let byteBuffer = Bridging.byteBuffer(for: parts)
    defer { grpc_byte_buffer_destroy(byteBuffer) }
    let outgoing = initialMetadata.map(OutgoingMetadata.init)
    let count = 1 + (outgoing == nil ? 0 : 1) + (closing ? 1 : 0)
    let ops = CGRPC_ops_alloc(count)!
    var index = 0
    if let outgoing {
      ops[index].op = GRPC_OP_SEND_INITIAL_METADATA
      ops[index].data.send_initial_metadata.count = outgoing.count
      ops[index].data.send_initial_metadata.metadata = outgoing.pointer
      index += 1
    }
    ops[index].op = GRPC_OP_SEND_MESSAGE
    ops[index].data.send_message.send_message = byteBuffer
    if closing { ops[index + 1].op = GRPC_OP_SEND_CLOSE_FROM_CLIENT }
    let success = try await run(ops, count: count)
    withExtendedLifetime(outgoing) {}
    return success
  }

  /// Receives one message: its slices as `Buffer`s, or nil at the end of the stream or
  /// when the call failed (`success` tells which).
  func receiveMessage() async throws(TransportError) -> (success: Bool, message: [Buffer]?) {
    let slot = UnsafeMutablePointer<UnsafeMutablePointer<grpc_byte_buffer>?>.allocate(capacity: 1)
    slot.initialize(to: nil)
    defer { slot.deallocate() }
    let ops = CGRPC_ops_alloc(1)!
    ops[0].op = GRPC_OP_RECV_MESSAGE
    ops[0].data.recv_message.recv_message = slot
    let success = try await run(ops, count: 1)
    guard let byteBuffer = slot.pointee else { return (success, nil) }
    defer { grpc_byte_buffer_destroy(byteBuffer) }
    return success ? (true, Bridging.buffers(from: byteBuffer)) : (false, nil)
  }

  /// The peer's address, e.g. `ipv4:127.0.0.1:50051`.
  var peer: String {
    guard let peer = grpc_call_get_peer(call) else { return "" }
    defer { gpr_free(peer) }
    return String(cString: peer)
  }

  /// Cancels the call; pending and later operations fail promptly.
  func cancel() {
    grpc_call_cancel(call, nil)
  }
}

/// The deadline `timeout` from now, or none.
func makeDeadline(_ timeout: Duration?) -> gpr_timespec {
  guard let timeout else { return CGRPC_inf_future() }
  let (seconds, attoseconds) = timeout.components
  let millis = seconds.multipliedReportingOverflow(by: 1000)
  if millis.overflow { return CGRPC_inf_future() }
  return CGRPC_deadline_in_millis(max(0, millis.partialValue + attoseconds / 1_000_000_000_000_000))
}
