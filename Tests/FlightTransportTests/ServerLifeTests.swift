// The server's life at the transport: a released server stops serving; the last reference to
// a server dropped on a completion-queue thread neither waits nor deadlocks; a call's handler
// task is cancelled when the call is.

internal import ArrowCore
internal import Foundation
internal import InteropSupport
internal import Synchronization
internal import Testing

@testable internal import FlightTransport

@Suite("Server life at the transport", .serialized)
struct ServerLifeTests {
  /// Drops the last reference to a server's pointer inside a completion on each queue's own
  /// thread. The old `ServerHandle.deinit` waited there for an event of queue 0, which only
  /// that thread delivers: queue 0 deadlocked.
  @Test func lastServerReferenceDroppedOnEachQueueThread() async throws {
    let queues = GRPCRuntime.shared.queues
    for queueIndex in queues.indices {
      // The server whose pointer is released: bound, never started (no request of its own
      // holds the pointer), released: then only `box` holds its pointer.
      let box = Mutex<ServerHandle?>(nil)
      do {
        let doomed = GRPCServer { call in await call.finish(.ok) }
        _ = try doomed.bind("127.0.0.1:0")
        box.withLock { $0 = doomed.server }
      }
      // A call on the wanted queue (calls take the queues in turn) to a handler that waits for
      // the cancellation; the call's status completion, on that queue's thread, drops `box`.
      let host = GRPCServer { call in
        _ = await call.waitForClose()
        await call.finish(.ok)
      }
      let port = try host.bind("127.0.0.1:0")
      host.start()
      let channel = GRPCChannel(target: "127.0.0.1:\(port)")
      var call = try channel.makeCall(method: "/hang")
      while call.engine.queue !== queues[queueIndex] { call = try channel.makeCall(method: "/hang") }
      let released = OneShot<String>()
      // Registered before the call ends: runs inside the status completion, on the queue's thread.
      #expect(call.statusValue.current == nil, "the call ended early")
      call.statusValue.whenFulfilled { _ in
        var handle = box.withLock { $0.take() }
        let wasLast = isKnownUniquelyReferenced(&handle)
        handle = nil  // the last reference: ServerHandle.deinit runs here, on the queue's thread
        released.fulfill(wasLast ? "released" : "not the last reference")
      }
      call.cancel()
      let done = await boundedWait { await released.wait() }
      #expect(done == "released", "queue \(queueIndex): \(String(describing: done))")
      channel.close()
      await host.shutdown(deadline: .now)
    }
  }

  /// A handler's task is cancelled when the client cancels the call.
  @Test func handlerTaskCancelledWhenClientCancels() async throws {
    let entered = OneShot<Void>()
    let sawCancellation = OneShot<Bool>()
    let server = GRPCServer { call in
      let cancelled = Signal<Void>()
      await withTaskCancellationHandler {
        entered.fulfill(())
        _ = await cancelled.wait(timeout: .seconds(30))  // only the task's cancellation ends this
      } onCancel: {
        sawCancellation.fulfill(true)
        cancelled.fulfill(())
      }
      await call.finish(.ok)
    }
    let port = try server.bind("127.0.0.1:0")
    server.start()
    let channel = GRPCChannel(target: "127.0.0.1:\(port)")
    let call = try channel.makeCall(method: "/hang")
    try await call.send([1])
    _ = await boundedWait { await entered.wait() }
    call.cancel()
    let cancelled = await boundedWait { await sawCancellation.wait() }
    #expect(cancelled == true, "the handler's cancellation handler did not run")
    channel.close()
    await server.shutdown(deadline: .now)
  }

  /// A `GRPCServer` released without `shutdown` stops serving: its port refuses calls.
  @Test func releasedServerStopsServing() async throws {
    var server: GRPCServer? = GRPCServer { call in await call.finish(.ok) }
    let port = try #require(server).bind("127.0.0.1:0")
    server?.start()
    let channel = GRPCChannel(target: "127.0.0.1:\(port)")
    let before = try channel.makeCall(method: "/any", timeout: callWatchdog)
    try await before.sendLast([])
    #expect(await before.finalStatus().code == .ok)
    server = nil
    channel.close()
    let fresh = GRPCChannel(target: "127.0.0.1:\(port)")
    let after = try fresh.makeCall(method: "/any", timeout: callWatchdog)
    try? await after.sendLast([])
    let status = await after.finalStatus()
    #expect(status.code == .unavailable, "a released server still answers: \(status.code) \(status.message)")
    fresh.close()
  }

  /// A batch gRPC refuses frees what was allocated for it: watching a call's close twice is
  /// refused (one RECV_CLOSE_ON_SERVER per call), 20,000 times; each refusal used to leak the
  /// slot gRPC would have written into. Counted (live op batches), not measured: calls of
  /// tests running alongside hold a few batches each only while they last.
  @Test func refusedCloseWatchFreesItsSlot() async throws {
    let growth = OneShot<[Int]>()  // [refused, batches more than before]
    let server = GRPCServer { call in
      let before = OpBatch.live.load(ordering: .relaxed)
      var refused = 0
      for index in 0..<20_000 {
        if index % 500 == 0 { await Task.yield() }  // leave the cooperative pool to other tests
        do {
          _ = try ServerCall(engine: call.engine, method: call.method, requestMetadata: GRPCMetadata())
        } catch {
          refused += 1
        }
      }
      growth.fulfill([refused, OpBatch.live.load(ordering: .relaxed) - before])
      await call.finish(.ok)
    }
    let port = try server.bind("127.0.0.1:0")
    server.start()
    let channel = GRPCChannel(target: "127.0.0.1:\(port)")
    let call = try channel.makeCall(method: "/refuse", timeout: callWatchdog)
    try? await call.sendLast([])
    let outcome = try #require(await boundedWait(.seconds(120)) { await growth.wait() })
    #expect(outcome[0] == 20_000, "gRPC accepted a second close watch")
    #expect(outcome[1] < 5_000, "\(outcome[1]) op batches more after 20,000 refused batches")
    _ = await call.finalStatus()
    channel.close()
    await server.shutdown(deadline: .now)
  }
}
