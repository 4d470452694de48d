// Locations as clients and servers use them: a server location needs a port, Unix socket
// paths survive percent-encoding both ways, unbracketed IPv6 is refused.

internal import FlightRPC
internal import Foundation
internal import Testing

@Suite("Locations in use")
struct LocationServingTests {
  /// As Arrow C++: a TCP server location names its port; `:0` asks for a free one (today's
  /// code silently picked one when the port was missing).
  @Test func serverLocationNeedsAPort() async throws {
    for uri in ["grpc+tcp://localhost", "grpc://localhost:", "grpc+tcp://[::1]"] {
      #expect {
        _ = try FlightServer(TestStoreService(), location: Location(uri: uri))
      } throws: { error in
        let error = error as? FlightError
        return error?.kind == .invalidArgument && error?.message.contains("port") == true
      }
    }
    let server = try FlightServer(TestStoreService(), location: Location(uri: "grpc+tcp://localhost:0"))
    #expect(server.port > 0 && server.location.port == server.port)
    let client = try FlightClient(location: server.location)
    #expect(try await client.listActions().map(\.type) == ["echo", "fail"])
    await server.shutdown()
  }

  /// A socket path with a space, `%` and non-ASCII: the server listens on the decoded path
  /// given as `grpc+unix:/…` (no authority), and a client finds it through `forGRPCUnix`.
  @Test func unixSocketPathsArePercentDecoded() async throws {
    let directory = FileManager.default.temporaryDirectory
      .appendingPathComponent("flight dir 100% é-\(UUID().uuidString.prefix(8))").path
    try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
    defer { try? FileManager.default.removeItem(atPath: directory) }
    let path = directory + "/s.sock"
    let encoded = try Location.forGRPCUnix(path: path)
    #expect(encoded.uri.contains("%20") && encoded.uri.contains("%25"))
    let noAuthority = try Location(uri: "grpc+unix:" + encoded.uri.dropFirst("grpc+unix://".count))
    #expect(noAuthority.host == nil && noAuthority.path == path)

    let server = try FlightServer(TestStoreService(), location: noAuthority)
    #expect(FileManager.default.fileExists(atPath: path), "the socket is at the decoded path")
    let client = try FlightClient(location: encoded)
    #expect(try await client.listActions().map(\.type) == ["echo", "fail"])
    await server.shutdown()
  }

  /// `grpc://::1:8815` is refused instead of being read as host `::1`, port 8815.
  @Test func unbracketedIPv6IsRefused() throws {
    #expect {
      _ = try FlightClient("grpc://::1:8815")
    } throws: { error in
      let error = error as? FlightError
      return error?.kind == .invalidArgument && error?.message.contains("brackets") == true
    }
    #expect(try FlightClient("grpc://[::1]:8815").location.host == "::1")
  }
}
