// Client middleware sees a call's headers, then its end, and both before the caller sees the
// outcome: a cookie or token taken from response headers is there for the next call.

internal import FlightRPC
internal import Foundation
internal import Synchronization
internal import Testing

/// Answers GetFlightInfo and DoAction with a response header.
private struct HeaderService: FlightService {
  func getFlightInfo(_ descriptor: FlightDescriptor, context: ServerCallContext) async throws -> FlightInfo {
    context.addHeader("x-session", "s1")
    return FlightInfo(flightDescriptor: descriptor)
  }

  func doAction(_ action: Action, writer: FlightResponseWriter<FlightResult>, context: ServerCallContext)
    async throws
  {
    context.addHeader("x-session", "s1")
    try await writer.write(FlightResult(body: [1]))
  }
}

/// What the middleware saw, in order.
private final class Observations: Sendable {
  struct State {
    var headersReturned = 0
    var completedBeforeHeaders = 0
    var completed = 0
  }
  let state = Mutex(State())
}

/// Slow to take the headers (as a middleware that stores a cookie may be), so that any path
/// that ends the call without waiting for it shows.
private struct SlowHeadersMiddleware: ClientMiddleware {
  let seen: Observations

  func sendingHeaders(_ headers: inout FlightHeaders) {}

  func receivedHeaders(_ headers: FlightHeaders) {
    Thread.sleep(forTimeInterval: 0.02)  // widens the window of the race this test guards
    seen.state.withLock { $0.headersReturned += 1 }
  }

  func callCompleted(_ error: FlightError?) {
    seen.state.withLock { state in
      if state.headersReturned <= state.completed { state.completedBeforeHeaders += 1 }
      state.completed += 1
    }
  }
}

private struct SlowHeadersFactory: ClientMiddlewareFactory {
  let seen: Observations
  func startCall(_ info: CallInfo) -> (any ClientMiddleware)? { SlowHeadersMiddleware(seen: seen) }
}

@Suite("Client middleware order") struct MiddlewareOrderTests {
  @Test func headersAndEndReachMiddlewareBeforeTheCallReturns() async throws {
    try await withLocalServer(HeaderService()) { server, _ in
      let seen = Observations()
      let client = try FlightClient(
        location: server.location, options: FlightClientOptions(middleware: [SlowHeadersFactory(seen: seen)]))
      defer { client.close() }
      for round in 1...10 {
        _ = try await client.getFlightInfo(.forPath("t"))
        var state = seen.state.withLock { $0 }
        #expect(state.headersReturned == 2 * round - 1, "GetFlightInfo returned before its headers were seen")
        #expect(state.completed == 2 * round - 1, "GetFlightInfo returned before its end was seen")
        _ = try await client.doAction(Action(type: "x")).collect()
        state = seen.state.withLock { $0 }
        #expect(state.headersReturned == 2 * round, "DoAction returned before its headers were seen")
        #expect(state.completed == 2 * round, "DoAction returned before its end was seen")
      }
      #expect(seen.state.withLock { $0.completedBeforeHeaders } == 0, "a call ended before its headers were seen")
    }
  }
}
