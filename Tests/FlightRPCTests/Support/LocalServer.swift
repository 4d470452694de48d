// The setup most FlightRPC tests share: a Swift server on a free localhost port with a client
// of it, or a client of a Python peer under the interop lock; torn down however the test ends.

internal import FlightRPC
internal import Foundation
internal import InteropSupport

/// Serves `service` on a free localhost port, runs `body` with the server and a client of it,
/// then closes the client and shuts the server down, however `body` ends.
func withLocalServer<Result>(
  _ service: some FlightService, options: FlightServerOptions = FlightServerOptions(),
  isolation: isolated (any Actor)? = #isolation,
  _ body: (FlightServer, FlightClient) async throws -> Result
) async throws -> Result {
  let server = try FlightServer(service, location: .forGRPCTCP(host: "localhost", port: 0), options: options)
  let client: FlightClient
  do {
    client = try FlightClient(location: server.location)
  } catch {
    await server.shutdown()
    throw error
  }
  do {
    let result = try await body(server, client)
    client.close()
    await server.shutdown()
    return result
  } catch {
    client.close()
    await server.shutdown()
    throw error
  }
}

/// Starts the Python peer `script` (`Tests/Peers`) under the interop lock, runs `body` with a
/// client of it, then closes the client and stops the peer, however `body` ends.
///
/// - Parameters:
///   - script: The peer, such as `pyarrow_edge_server.py`.
///   - args: Arguments for the script.
///   - waitForAvailable: Whether to wait (up to 10 s) for the client's channel to connect first.
///   - isolation: The caller's actor isolation, inherited by `body`.
///   - body: The test work.
func withPeerClient<Result>(
  _ script: String, args: [String] = [], waitForAvailable: Bool = false,
  isolation: isolated (any Actor)? = #isolation,
  _ body: (FlightClient) async throws -> Result
) async throws -> Result {
  try await InteropLock.run {
    try await withPeer(script, args: args) { peer in
      let client = try FlightClient(peer.location)
      defer { client.close() }
      if waitForAvailable { try await client.waitForAvailable(timeout: .seconds(10)) }
      return try await body(client)
    }
  }
}
