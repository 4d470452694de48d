// gRPC core's runtime and everything it reports on a completion queue: the one process-wide
// initialisation, the completion queues with their threads, and the events in flight (op
// batches, call requests, notifications). The only place where batches of ops are built.
//
// The threading model (queues, their threads, what runs on them) is described in
// ARCHITECTURE.md, "Threading".

internal import ArrowCore
internal import CGRPC
internal import Foundation
internal import Synchronization

/// The process-wide gRPC core runtime.
///
/// Initialises gRPC core once and owns the shared completion queues.
package final class GRPCRuntime: Sendable {
  /// The runtime of this process, created on first use.
  package static let shared = GRPCRuntime()

  let queues: [CompletionQueue]
  private let next = Atomic<Int>(0)

  private init() {
    // gRPC core logs failed TLS handshakes and the like to stderr; errors reach callers as
    // statuses instead. GRPC_VERBOSITY (gRPC's own switch) brings its logging back.
    // setenv does not overwrite a value the user set.
    setenv("GRPC_VERBOSITY", "NONE", 0)
    grpc_init()
    let count = max(2, min(4, ProcessInfo.processInfo.activeProcessorCount))
    queues = (0..<count).map { CompletionQueue(name: "grpc-cq-\($0)") }
  }

  /// A queue for a new call, round robin.
  func nextQueue() -> CompletionQueue {
    let index = next.wrappingAdd(1, ordering: .relaxed).oldValue
    return queues[index % queues.count]
  }
}

/// A completion queue pointer that may cross to the draining thread.
private struct QueuePointer: @unchecked Sendable {
  // Sendable: gRPC core's completion queue functions are thread safe.
  let queue: OpaquePointer
}

/// One completion queue created for `next`, drained by its own thread.
final class CompletionQueue: @unchecked Sendable {
  // Sendable: `queue` is an immutable handle; gRPC core's queue functions are thread safe.
  let queue: OpaquePointer

  init(name: String) {
    guard let queue = grpc_completion_queue_create_for_next(nil) else {
      fatalError("gRPC core could not create a completion queue")
    }
    self.queue = queue
    let pointer = QueuePointer(queue: queue)
    // The queues live as long as the process: their threads drain them until it exits.
    let thread = Thread { CompletionQueue.drain(pointer.queue) }
    thread.name = name
    thread.stackSize = 256 * 1024
    thread.start()
  }

  private static func drain(_ queue: OpaquePointer) {
    while true {
      let event = grpc_completion_queue_next(queue, CGRPC_inf_future(), nil)
      switch event.type {
      case GRPC_OP_COMPLETE:
        guard let tag = event.tag else { continue }
        Unmanaged<CompletionTag>.fromOpaque(tag).takeRetainedValue().complete(success: event.success != 0)
      case GRPC_QUEUE_SHUTDOWN:
        return
      default:
        continue
      }
    }
  }
}

/// Something gRPC core reports on a completion queue; holds one retain while it is pending.
class CompletionTag: @unchecked Sendable {
  // Sendable: a tag is set up before gRPC core has it, then completed once, by the draining
  // thread; subclasses keep to that.

  /// Runs on the queue's thread when the event arrives.
  func complete(success: Bool) {}

  /// The tag pointer for gRPC core; holds one retain until the completion arrives.
  final func retainedPointer() -> UnsafeMutableRawPointer {
    Unmanaged.passRetained(self).toOpaque()
  }

  /// Balances `retainedPointer()` when gRPC refused the tag (no completion will come).
  static func release(_ pointer: UnsafeMutableRawPointer) {
    Unmanaged<CompletionTag>.fromOpaque(pointer).release()
  }
}

/// A tag that runs a closure: server shutdown notifications.
final class CallbackTag: CompletionTag, @unchecked Sendable {
  // Sendable: `handler` is set once in init and run once, by the draining thread.
  private let handler: (Bool) -> Void

  init(_ handler: @escaping (Bool) -> Void) {
    self.handler = handler
  }

  override func complete(success: Bool) {
    handler(success)
  }
}

/// One batch of ops on a call: the only type that builds an array of `grpc_op`.
///
/// A batch owns its ops and every C value they point to (the message's byte buffer, metadata
/// arrays, status slots) in one allocation, and frees them in `deinit`. It is its own
/// completion tag: started, it holds the call and itself until gRPC core reports it done, then
/// its completion reads the results (`takeMessage()`, `receivedStatus`...). Sends come in
/// gRPC's order: initial metadata, message, the client's half-close, the server's status.
final class OpBatch: CompletionTag, @unchecked Sendable {
  // Sendable: built by one thread before it starts; then written by gRPC core and read by the
  // completion, on the queue's thread; deinit runs once no thread holds the batch.
  private let storage: UnsafeMutablePointer<CGRPC_batch>
  /// The number of ops.
  private(set) var count = 0
  private var headers: OutgoingMetadata?
  private var trailers: OutgoingMetadata?
  /// The call, kept alive while the batch is in flight.
  private var call: CallHandle?
  private var completion: ((OpBatch, Bool) -> Void)?

  #if DEBUG
    /// Batches allocated and not yet freed, in the process (for the tests: a batch leaked by
    /// a refusal shows here).
    static let live = Atomic<Int>(0)
  #endif

  private override init() {
    storage = .allocate(capacity: 1)
    storage.initialize(to: CGRPC_batch())
    #if DEBUG
      OpBatch.live.add(1, ordering: .relaxed)
    #endif
  }

  deinit {
    if let message = storage.pointee.message { grpc_byte_buffer_destroy(message) }
    if storage.pointee.received_metadata.capacity > 0 {
      grpc_metadata_array_destroy(field(\.received_metadata))
    }
    if storage.pointee.status_details.refcount != nil { grpc_slice_unref(storage.pointee.status_details) }
    if let errorString = storage.pointee.error_string { gpr_free(UnsafeMutableRawPointer(mutating: errorString)) }
    storage.deinitialize(count: 1)
    storage.deallocate()
    #if DEBUG
      OpBatch.live.subtract(1, ordering: .relaxed)
    #endif
  }

  /// The next op, zeroed, of type `type`.
  private func append(_ type: grpc_op_type) -> UnsafeMutablePointer<grpc_op> {
    precondition(count < 4, "a batch holds at most 4 ops")
    let op = UnsafeMutableRawPointer(storage).assumingMemoryBound(to: grpc_op.self) + count
    op.pointee.op = type
    count += 1
    return op
  }

  /// A pointer to a field of the storage, valid while the batch lives.
  private func field<T>(_ key: WritableKeyPath<CGRPC_batch, T>) -> UnsafeMutablePointer<T> {
    storage.pointer(to: key)!
  }

  // MARK: Building

  /// A sending batch: initial metadata, a message made of `message`'s parts (large parts are
  /// referenced, not copied), the client's half-close and the server's status, each optional.
  static func send(
    headers: GRPCMetadata? = nil, message: [Buffer]? = nil, closing: Bool = false, status: CallStatus? = nil
  ) -> OpBatch {
    let batch = OpBatch()
    if let headers {
      let metadata = OutgoingMetadata(headers)
      batch.headers = metadata
      let op = batch.append(GRPC_OP_SEND_INITIAL_METADATA)
      op.pointee.data.send_initial_metadata.count = metadata.count
      op.pointee.data.send_initial_metadata.metadata = metadata.pointer
    }
    if let message {
      let byteBuffer = Conversions.byteBuffer(for: message)
      batch.storage.pointee.message = byteBuffer
      let op = batch.append(GRPC_OP_SEND_MESSAGE)
      op.pointee.data.send_message.send_message = byteBuffer
    }
    if closing {
      _ = batch.append(GRPC_OP_SEND_CLOSE_FROM_CLIENT)
    }
    if let status {
      let trailers = OutgoingMetadata(status.trailers)
      batch.trailers = trailers
      batch.storage.pointee.status_details = Conversions.copiedSlice(Array(status.message.utf8))
      let op = batch.append(GRPC_OP_SEND_STATUS_FROM_SERVER)
      op.pointee.data.send_status_from_server.status = Conversions.grpcStatus(status.code)
      op.pointee.data.send_status_from_server.status_details = batch.field(\.status_details)
      op.pointee.data.send_status_from_server.trailing_metadata_count = trailers.count
      op.pointee.data.send_status_from_server.trailing_metadata = trailers.pointer
    }
    return batch
  }

  /// A batch receiving one message (read it with ``takeMessage()``).
  static func receiveMessage() -> OpBatch {
    let batch = OpBatch()
    let op = batch.append(GRPC_OP_RECV_MESSAGE)
    op.pointee.data.recv_message.recv_message = batch.field(\.message)
    return batch
  }

  /// A batch receiving the server's initial metadata (read it with ``receivedMetadata``).
  static func receiveInitialMetadata() -> OpBatch {
    let batch = OpBatch()
    let metadata = batch.field(\.received_metadata)
    grpc_metadata_array_init(metadata)
    let op = batch.append(GRPC_OP_RECV_INITIAL_METADATA)
    op.pointee.data.recv_initial_metadata.recv_initial_metadata = metadata
    return batch
  }

  /// A batch receiving a client call's status and trailers (read them with ``receivedStatus``);
  /// it completes when the call is over, whichever way it ends.
  static func receiveStatusOnClient() -> OpBatch {
    let batch = OpBatch()
    let metadata = batch.field(\.received_metadata)
    grpc_metadata_array_init(metadata)
    batch.storage.pointee.status = GRPC_STATUS_UNKNOWN
    let op = batch.append(GRPC_OP_RECV_STATUS_ON_CLIENT)
    op.pointee.data.recv_status_on_client.trailing_metadata = metadata
    op.pointee.data.recv_status_on_client.status = batch.field(\.status)
    op.pointee.data.recv_status_on_client.status_details = batch.field(\.status_details)
    op.pointee.data.recv_status_on_client.error_string = batch.field(\.error_string)
    return batch
  }

  /// A batch that completes when a server call is over (read ``cancelled`` then).
  static func receiveCloseOnServer() -> OpBatch {
    let batch = OpBatch()
    let op = batch.append(GRPC_OP_RECV_CLOSE_ON_SERVER)
    op.pointee.data.recv_close_on_server.cancelled = batch.field(\.cancelled)
    return batch
  }

  // MARK: Running

  /// Starts the batch on `call`; `completion` runs on the call's queue thread with the batch
  /// and its success. Throws when gRPC core refuses the batch (no completion comes then).
  /// A batch starts once.
  func start(on call: CallHandle, completion: @escaping (OpBatch, Bool) -> Void) throws(TransportError) {
    self.call = call
    self.completion = completion
    let tag = retainedPointer()
    let ops = UnsafeMutableRawPointer(storage).assumingMemoryBound(to: grpc_op.self)
    let result = grpc_call_start_batch(call.pointer, ops, count, tag, nil)
    if result != GRPC_CALL_OK {
      self.call = nil
      self.completion = nil
      CompletionTag.release(tag)
      throw TransportError(.internal, "gRPC core refused a batch (grpc_call_error \(result.rawValue))")
    }
  }

  override func complete(success: Bool) {
    let completion = self.completion
    self.completion = nil
    completion?(self, success)
    call = nil  // the call may go now: every batch started on it holds it until here
  }

  // MARK: Results

  /// The received message as one `Buffer` per slice (reference-counted slices are not copied),
  /// or nil at the end of the stream; taken once.
  func takeMessage() -> [Buffer]? {
    guard let byteBuffer = storage.pointee.message else { return nil }
    storage.pointee.message = nil
    defer { grpc_byte_buffer_destroy(byteBuffer) }  // the buffers hold their own slice references
    return Conversions.buffers(from: byteBuffer)
  }

  /// The received initial metadata, or a client call's trailers.
  var receivedMetadata: GRPCMetadata {
    Conversions.metadata(from: field(\.received_metadata))
  }

  /// A client call's received status, with its trailers.
  var receivedStatus: CallStatus {
    CallStatus(
      code: StatusCode(rawCode: Int(storage.pointee.status.rawValue)),
      message: Conversions.string(of: storage.pointee.status_details), trailers: receivedMetadata)
  }

  /// Whether a server call ended by cancellation rather than with a status.
  var cancelled: Bool { storage.pointee.cancelled != 0 }
}

/// One request for a new server call: owns what `grpc_server_request_call` fills, and is its
/// completion tag.
final class CallRequest: CompletionTag, @unchecked Sendable {
  // Sendable: filled by gRPC core, then read by the completion on the queue's thread.
  private let storage: UnsafeMutablePointer<CGRPC_call_request>
  private let handler: (CallRequest, Bool) -> Void

  init(_ handler: @escaping (CallRequest, Bool) -> Void) {
    self.handler = handler
    storage = .allocate(capacity: 1)
    storage.initialize(to: CGRPC_call_request())
    grpc_call_details_init(storage.pointer(to: \.details)!)
    grpc_metadata_array_init(storage.pointer(to: \.metadata)!)
  }

  deinit {
    if let call = storage.pointee.call { grpc_call_unref(call) }  // a call never taken
    grpc_call_details_destroy(storage.pointer(to: \.details)!)
    grpc_metadata_array_destroy(storage.pointer(to: \.metadata)!)
    storage.deinitialize(count: 1)
    storage.deallocate()
  }

  /// Posts the request on `server`: the next new call is reported on `queue`. False when
  /// gRPC core refused (the server is shutting down).
  func post(on server: ServerHandle, queue: CompletionQueue) -> Bool {
    let tag = retainedPointer()
    let result = grpc_server_request_call(
      server.pointer, storage.pointer(to: \.call)!, storage.pointer(to: \.details)!,
      storage.pointer(to: \.metadata)!, queue.queue, queue.queue, tag)
    if result != GRPC_CALL_OK { CompletionTag.release(tag) }
    return result == GRPC_CALL_OK
  }

  override func complete(success: Bool) {
    handler(self, success)
  }

  /// The new call, reporting on `queue` and keeping `server` alive; taken once.
  func takeCall(queue: CompletionQueue, server: ServerHandle) -> CallHandle? {
    guard let call = storage.pointee.call else { return nil }
    storage.pointee.call = nil
    return CallHandle(pointer: call, queue: queue, owner: server)
  }

  /// The method path of the call.
  var method: String { Conversions.string(of: storage.pointee.details.method) }

  /// The client's initial metadata.
  var metadata: GRPCMetadata { Conversions.metadata(from: storage.pointer(to: \.metadata)!) }
}
