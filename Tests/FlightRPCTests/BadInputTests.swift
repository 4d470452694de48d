// Bad input against the Swift server, sent with the raw grpcio package and hand-built protobuf
// bytes (Tests/Peers/grpc_bad_input_checks.py): every bad call gets INVALID_ARGUMENT with a
// clear message, and the server keeps serving with nothing stored lost.

internal import FlightRPC
internal import Foundation
internal import InteropSupport
internal import Synchronization
internal import Testing

@Suite("Bad input against the Swift server (raw grpcio)", .serialized)
struct BadInputTests {
  @Test func badStreamsAndMessagesGetClearErrorsAndTheServerKeepsServing() async throws {
    let service = TestStoreService()
    try await withLocalServer(service) { server, client in
      try await InteropLock.run {
        let output = try await runPythonScript(
          "grpc_bad_input_checks.py", arguments: ["--location", server.location.uri])
        #expect(output.contains("all checks passed"), "the bad-input checks did not all pass:\n\(output)")
      }
      // From Swift too: the server answers, and the table stored before the bad uploads is whole.
      let table = try await client.doGet(Ticket("bad/target")).readAll()
      #expect(table.length == 5, "bad/target holds \(table.length) rows after the bad uploads, not 5")
      #expect(service.tables.withLock { Array($0.keys) } == ["bad/target"], "a bad upload stored something")
    }
  }
}
