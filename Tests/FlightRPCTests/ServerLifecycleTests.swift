// The server's life, Swift client and Swift server: a released FlightServer shuts down;
// shutdown(deadline:) lets calls in flight finish until the deadline, then cancels them; a
// handler's task is cancelled when its client cancels.

internal import FlightRPC
internal import Foundation
internal import InteropSupport
internal import Synchronization
internal import Testing

/// A service whose actions wait: `hang` until its task is cancelled (in a cancellation
/// handler), `gate` until the test opens the gate.
final class WaitingService: FlightService {
  let entered = Signal<String>()
  let handlerCancelled = Signal<Bool>()
  let gate = Signal<Void>()

  func doAction(_ action: Action, writer: FlightResponseWriter<FlightResult>, context: ServerCallContext) async throws {
    entered.fulfill(action.type)
    switch action.type {
    case "hang":
      let cancelled = Signal<Void>()
      await withTaskCancellationHandler {
        _ = await cancelled.wait(timeout: .seconds(30))
      } onCancel: {
        cancelled.fulfill(())
      }
      handlerCancelled.fulfill(Task.isCancelled)
      throw FlightError(.cancelled, "cancelled")
    case "gate":
      _ = await gate.wait(timeout: .seconds(30))
      try await writer.write(FlightResult(body: Array("passed".utf8)))
    default:
      throw FlightError(.notImplemented, action.type)
    }
  }
}

@Suite("Server life", .serialized)
struct ServerLifecycleTests {
  @Test func handlerTaskIsCancelledWhenTheClientCancels() async throws {
    let service = WaitingService()
    try await withLocalServer(service) { server, client in
      let call = Task {
        try await client.doAction(Action(type: "hang"), options: FlightCallOptions(timeout: .seconds(60))).collect()
      }
      #expect(await service.entered.wait() == "hang")
      call.cancel()
      #expect(await service.handlerCancelled.wait() == true, "the handler's task was not cancelled")
      _ = await call.result
    }
  }

  @Test func releasedServerShutsDown() async throws {
    let service = WaitingService()
    var server: FlightServer? = try FlightServer(service, location: .forGRPCTCP(host: "localhost", port: 0))
    let location = try #require(server).location
    let client = try FlightClient(location: location)
    let call = Task {
      try await client.doAction(Action(type: "hang"), options: FlightCallOptions(timeout: .seconds(60))).collect()
    }
    #expect(await service.entered.wait() == "hang")
    server = nil
    // The call in flight is cancelled, and so is its handler's task.
    #expect(await service.handlerCancelled.wait() == true, "the released server's handler was not cancelled")
    let outcome = await call.result
    #expect(throws: FlightError.self) { try outcome.get() }
    if case .failure(let error as FlightError) = outcome { #expect(error.kind != .timedOut, "\(error)") }
    client.close()
    // Nothing listens any more.
    let fresh = try FlightClient(location: location)
    await #expect(throws: FlightError.self) {
      _ = try await fresh.listActions(options: FlightCallOptions(timeout: .seconds(120)))
    }
    fresh.close()
  }

  @Test func shutdownLetsCallsInFlightFinishBeforeTheDeadline() async throws {
    let service = WaitingService()
    try await withLocalServer(service) { server, client in
      let call = Task {
        try await client.doAction(Action(type: "gate"), options: FlightCallOptions(timeout: .seconds(60))).collect()
      }
      #expect(await service.entered.wait() == "gate")
      let shutdown = Task { await server.shutdown(deadline: .now + .seconds(60)) }
      // New calls are refused while the call in flight goes on.
      let late = try FlightClient(location: server.location)
      var refused = false
      for _ in 0..<200 where !refused {
        do {
          _ = try await late.listActions(options: FlightCallOptions(timeout: .seconds(120)))
        } catch let error as FlightError {
          refused = error.kind == .unavailable
        }
      }
      #expect(refused, "the shutting-down server still accepted calls")
      service.gate.fulfill(())
      let results = try await call.value
      #expect(results.map { String(decoding: $0.body, as: UTF8.self) } == ["passed"])
      await shutdown.value
      late.close()
    }
  }

  @Test func shutdownCancelsCallsInFlightAtTheDeadline() async throws {
    let service = WaitingService()
    try await withLocalServer(service) { server, client in
      let call = Task {
        try await client.doAction(Action(type: "hang"), options: FlightCallOptions(timeout: .seconds(60))).collect()
      }
      #expect(await service.entered.wait() == "hang")
      await server.shutdown(deadline: .now)
      #expect(await service.handlerCancelled.wait() == true, "the handler was not cancelled at the deadline")
      let outcome = await call.result
      #expect(throws: FlightError.self) { try outcome.get() }
    }
  }
}
