// The server's defaults as Arrow C++ and pyarrow have them: an unimplemented ListActions
// answers UNIMPLEMENTED (not an empty list), seen from a pyarrow client.

internal import FlightRPC
internal import Foundation
internal import InteropSupport
internal import Testing

/// A service that implements nothing.
private struct EmptyService: FlightService {}

// A hang watchdog; it also counts the wait in InteropLock's queue (over 90 s on a loaded machine).
@Suite("Server defaults", .serialized, .timeLimit(.minutes(5)))
struct ServerDefaultsTests {
  @Test func defaultListActionsIsUnimplementedForPyarrow() async throws {
    let server = try FlightServer(EmptyService(), location: .forGRPCTCP(host: "localhost", port: 0))
    let program = """
      import sys
      import pyarrow as pa, pyarrow.flight as flight
      client = flight.connect(sys.argv[1])
      try:
          print("listed", list(client.list_actions()))
      except NotImplementedError as error:
          print("unimplemented", type(error).__name__)
      """
    let output: String
    do {
      output = try await InteropLock.run { try await runPython(["-c", program, server.location.uri]) }
    } catch {
      await server.shutdown()
      throw error
    }
    #expect(output.contains("unimplemented ArrowNotImplementedError"), "pyarrow saw: \(output)")

    let client = try FlightClient(location: server.location)
    await #expect {
      _ = try await client.listActions()
    } throws: { ($0 as? FlightError)?.kind == .notImplemented }
    client.close()
    await server.shutdown()
  }
}
