// The gRPC core runtime: one process-wide initialisation and a small fixed set of
// completion queues, each drained by one dedicated OS thread.
//
// Threading model (see docs in README "Architecture"):
// - gRPC core reports every finished batch on a completion queue. We create queues for
//   `next` (not callback queues: on gRPC core 1.51 those starve at ~50 messages/s because
//   nothing drives I/O between timer ticks) and park one `Thread` per queue in
//   `grpc_completion_queue_next` with an infinite deadline. No polling, no timeouts.
// - A batch's tag is a retained `CompletionTag` holding a closure; the draining thread takes
//   the retain back and runs the closure, which usually resumes a continuation. The thread
//   never runs user code beyond that resume.
// - Calls are spread over the queues round robin; there is no thread per call and no
//   global lock around `grpc_call_start_batch`.

internal import CGRPC
internal import Foundation
internal import Synchronization

#if canImport(Glibc)
  internal import CMalloc
#endif

/// The completion callback of one gRPC batch; retained while the batch is in flight.
final class CompletionTag: @unchecked Sendable {
  // Sendable: `handler` is set once in init and run once, by the draining thread.
  let handler: (Bool) -> Void

  init(_ handler: @escaping (Bool) -> Void) {
    self.handler = handler
  }

  /// The tag pointer for gRPC core; holds one retain until the completion arrives.
  func retainedPointer() -> UnsafeMutableRawPointer {
    Unmanaged.passRetained(self).toOpaque()
  }

  /// Balances `retainedPointer()` when gRPC refused the batch (no completion will come).
  static func release(_ pointer: UnsafeMutableRawPointer) {
    Unmanaged<CompletionTag>.fromOpaque(pointer).release()
  }
}

/// A completion queue pointer that may cross to the draining thread.
private struct QueueHandle: @unchecked Sendable {
  // Sendable: gRPC core's completion queue functions are thread safe.
  let queue: OpaquePointer
}

/// One completion queue created for `next`, drained by its own thread.
final class CompletionQueue: @unchecked Sendable {
  // Sendable: `queue` is an immutable handle; gRPC core's queue functions are thread safe.
  let queue: OpaquePointer
  private let finished = DispatchSemaphore(value: 0)

  init(name: String) {
    guard let queue = grpc_completion_queue_create_for_next(nil) else {
      fatalError("gRPC core could not create a completion queue")
    }
    self.queue = queue
    let handle = QueueHandle(queue: queue)
    let thread = Thread { [finished] in
      CompletionQueue.drain(handle.queue)
      finished.signal()
    }
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
        let completion = Unmanaged<CompletionTag>.fromOpaque(tag).takeRetainedValue()
        completion.handler(event.success != 0)
      case GRPC_QUEUE_SHUTDOWN:
        return
      default:
        continue
      }
    }
  }

  /// Shuts the queue down and waits until its thread has drained every event.
  func shutdown() {
    grpc_completion_queue_shutdown(queue)
    finished.wait()
    grpc_completion_queue_destroy(queue)
  }
}

/// The process-wide gRPC core runtime.
///
/// Initialises gRPC core once and owns the shared completion queues. Everything in
/// FlightTransport reaches gRPC through it.
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
    GRPCRuntime.tuneMalloc()
    grpc_init()
    let count = max(2, min(4, ProcessInfo.processInfo.activeProcessorCount))
    queues = (0..<count).map { CompletionQueue(name: "grpc-cq-\($0)") }
  }

  /// Keeps glibc malloc from mapping and unmapping memory for every large gRPC read buffer.
  ///
  /// gRPC core allocates its receive buffers with malloc; above glibc's mmap threshold each one
  /// is a fresh mapping, so every received megabyte page-faults in and is unmapped again.
  /// Raising the mmap threshold to 32 MiB and the trim threshold to 128 MiB (process-wide)
  /// measured DoGet at 1.5–2.3 GB/s instead of 1.1–1.2 GB/s here. Skipped when the user set
  /// either through glibc's own variables (`MALLOC_MMAP_THRESHOLD_`, `MALLOC_TRIM_THRESHOLD_`)
  /// or set `FLIGHT_KEEP_MALLOC_SETTINGS`.
  private static func tuneMalloc() {
    #if canImport(Glibc)
      let environment = ProcessInfo.processInfo.environment
      let userSet = ["MALLOC_MMAP_THRESHOLD_", "MALLOC_TRIM_THRESHOLD_", "FLIGHT_KEEP_MALLOC_SETTINGS"]
      guard !userSet.contains(where: { environment[$0] != nil }) else { return }
      _ = mallopt(CMalloc_mmap_threshold, 32 << 20)
      _ = mallopt(CMalloc_trim_threshold, 128 << 20)
    #endif
  }

  /// Returns free heap memory to the system, so that resident memory measures what is in use
  /// (the raised trim threshold otherwise keeps up to 128 MiB of freed memory mapped).
  package static func releaseFreeMemory() {
    _ = malloc_trim(0)
  }

  /// A queue for a new call, round robin.
  func nextQueue() -> CompletionQueue {
    let index = next.wrappingAdd(1, ordering: .relaxed).oldValue
    return queues[index % queues.count]
  }
}
