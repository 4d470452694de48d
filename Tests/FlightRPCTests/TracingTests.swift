// W3C traceparent propagation: parsing, and continuation from client to server.

internal import FlightRPC
internal import Testing

@Suite("Tracing")
struct TracingTests {
  @Test func parsesAndRejectsTraceparents() {
    let parsed = TraceContext(traceparent: "00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01")
    #expect(parsed?.traceID == "4bf92f3577b34da6a3ce929d0e0e4736")
    #expect(parsed?.parentSpanID == "00f067aa0ba902b7")
    #expect(parsed?.sampled == true)
    #expect(parsed?.spanID.count == 16 && parsed?.spanID != "00f067aa0ba902b7")
    for bad in [
      "", "00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7",
      "00-00000000000000000000000000000000-00f067aa0ba902b7-01",
      "00-4bf92f3577b34da6a3ce929d0e0e4736-0000000000000000-01",
      "ff-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01",
      "00-4BF92F3577B34DA6A3CE929D0E0E4736-00f067aa0ba902b7-01",
      "00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01-x",
    ] {
      #expect(TraceContext(traceparent: bad) == nil, "accepted \(bad)")
    }
    let fresh = TraceContext.newTrace()
    #expect(TraceContext(traceparent: fresh.traceparent)?.traceID == fresh.traceID)
  }

  @Test func clientTraceContinuesOnTheServer() async throws {
    let server = try FlightServer(
      TestStoreService(), location: .forGRPCTCP(host: "localhost", port: 0),
      options: FlightServerOptions(middleware: [KeyedServerMiddleware("tracing", TracingServerMiddlewareFactory())]))
    let client = try FlightClient(
      location: server.location, options: FlightClientOptions(middleware: [TracingClientMiddlewareFactory()]))
    let root = TraceContext.newTrace()
    let reply = try await TraceContext.$current.withValue(root) {
      try await client.doAction(Action(type: "trace")).collect()
    }
    let words = String(decoding: reply.first?.body ?? [], as: UTF8.self).split(separator: " ").map(String.init)
    #expect(words.first == root.traceID)
    #expect(words.count == 2 && words[1] != root.spanID && words[1].count == 16)

    // Without a client trace, the server starts one of its own.
    let plain = try FlightClient(location: server.location)
    let own = try await plain.doAction(Action(type: "trace")).collect()
    let ownWords = String(decoding: own.first?.body ?? [], as: UTF8.self).split(separator: " ")
    #expect(ownWords.first?.count == 32 && ownWords.last == "-")
    await server.shutdown()
  }
}
