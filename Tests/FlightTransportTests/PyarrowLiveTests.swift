// The transport against a live pyarrow Flight server: raw Flight calls over our gRPC runtime,
// messages decoded with FlightProto.

internal import ArrowCore
internal import FlightProto
internal import InteropSupport
internal import Testing

@testable internal import FlightTransport

@Suite("Transport against a live pyarrow server", .serialized)
struct PyarrowLiveTests {
  @Test func listActionsReturnsThePeersActionTypes() async throws {
    try await InteropLock.run {
      try await withPeer("pyarrow_server.py") { peer in
        let channel = GRPCChannel(target: "localhost:\(peer.port)")
        let call = try channel.makeCall(method: flightMethod("ListActions"), timeout: callWatchdog)
        try await call.send(Empty().serialized())
        try await call.closeSend()
        let actions = try await call.receiveAll().map { try ActionType(serializedBytes: $0) }
        #expect(
          actions == [
            ActionType(type: "list_tables", description: "List all stored tables"),
            ActionType(type: "get_stats", description: "Get server statistics"),
            ActionType(type: "echo", description: "Echo the action body back"),
          ])
        #expect(await call.finalStatus().code == .ok)
      }
    }
  }

  @Test func doActionEchoesTheBody() async throws {
    try await InteropLock.run {
      try await withPeer("pyarrow_server.py") { peer in
        let channel = GRPCChannel(target: "localhost:\(peer.port)")
        let call = try channel.makeCall(method: flightMethod("DoAction"), timeout: callWatchdog)
        try await call.send(Action(type: "echo", body: Array("ping \u{1F6EB}".utf8)).serialized())
        try await call.closeSend()
        let results = try await call.receiveAll().map { try FlightResult(serializedBytes: $0) }
        #expect(results.map(\.body) == [Array("ping \u{1F6EB}".utf8)])
      }
    }
  }

  @Test func getFlightInfoForAMissingPathIsNotFound() async throws {
    try await InteropLock.run {
      try await withPeer("pyarrow_server.py") { peer in
        let channel = GRPCChannel(target: "localhost:\(peer.port)")
        let call = try channel.makeCall(method: flightMethod("GetFlightInfo"), timeout: callWatchdog)
        try await call.send(FlightDescriptor.forPath("no", "such", "table").serialized())
        try await call.closeSend()
        await #expect(throws: TransportError.self) { _ = try await call.receiveAll() }
        #expect(await call.finalStatus().code == .notFound)
      }
    }
  }
}
