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
    try await run(SendBatch(headers: initialMetadata, message: parts, closing: closing))
  }

  /// Runs a send batch and waits for its completion.
  func run(_ batch: SendBatch) async throws(TransportError) -> Bool {
    let success = try await run(batch.makeOps(), count: batch.count)
    withExtendedLifetime(batch) {}
    return success
  }

  /// Sends `messages` one after the other, each started by the completion of the previous one
  /// on the completion-queue thread (no task switch per message); true when all were sent.
  /// Task cancellation cancels the call.
  func sendMessages(_ messages: [[Buffer]], initialMetadata: GRPCMetadata?) async -> Bool {
    guard !messages.isEmpty else { return true }
    let sender = ChainedSender(handle: self, messages: messages, initialMetadata: initialMetadata)
    return await withTaskCancellationHandler {
      await withCheckedContinuation { continuation in sender.start { continuation.resume(returning: $0) } }
    } onCancel: {
      self.cancel()
    }
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

/// The deadline `timeout` from now, or none (nil or negative, as Arrow C++'s -1).
func makeDeadline(_ timeout: Duration?) -> gpr_timespec {
  guard let millis = deadlineMilliseconds(timeout) else { return CGRPC_inf_future() }
  return CGRPC_deadline_in_millis(millis)
}

/// The milliseconds of a deadline `timeout` from now: nil for none (nil, negative, or too far
/// to count); a positive timeout under a millisecond rounds up to one, never down to zero.
package func deadlineMilliseconds(_ timeout: Duration?) -> Int64? {
  guard let timeout, timeout >= .zero else { return nil }
  let (seconds, attoseconds) = timeout.components
  let millis = seconds.multipliedReportingOverflow(by: 1000)
  if millis.overflow { return nil }
  let attosecondsPerMillisecond: Int64 = 1_000_000_000_000_000
  let (whole, rest) = attoseconds.quotientAndRemainder(dividingBy: attosecondsPerMillisecond)
  let total = millis.partialValue.addingReportingOverflow(whole + (rest > 0 ? 1 : 0))
  return total.overflow ? nil : total.partialValue
}

/// Sends a list of messages, starting each from the completion of the previous one.
private final class ChainedSender: @unchecked Sendable {
  // Sendable: `next` is touched by one batch completion at a time (each starts the next).
  let handle: CallHandle
  let messages: [[Buffer]]
  let initialMetadata: GRPCMetadata?
  var next = 0

  init(handle: CallHandle, messages: [[Buffer]], initialMetadata: GRPCMetadata?) {
    self.handle = handle
    self.messages = messages
    self.initialMetadata = initialMetadata
  }

  /// Sends from the first message; `done` runs once, with whether every message went out.
  func start(_ done: @escaping (Bool) -> Void) {
    sendNext(done)
  }

  private func sendNext(_ done: @escaping (Bool) -> Void) {
    guard next < messages.count else { return done(true) }
    let batch = SendBatch(headers: next == 0 ? initialMetadata : nil, message: messages[next])
    next += 1
    do {
      try handle.startBatch(batch.makeOps(), count: batch.count) { success in
        withExtendedLifetime(batch) {}
        if success { self.sendNext(done) } else { done(false) }
      }
    } catch {
      done(false)
    }
  }
}
