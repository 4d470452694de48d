import Testing

@testable import FlightProto

@Suite("Location")
struct LocationTests {
  @Test func grpcTCP() throws {
    let location = try Location.forGRPCTCP(host: "localhost", port: 8815)
    #expect(location.uri == "grpc+tcp://localhost:8815")
    #expect(location.scheme == "grpc+tcp")
    #expect(location.host == "localhost")
    #expect(location.port == 8815)
    #expect(location.path == "")
    #expect(location.isGRPC)
    #expect(try Location(uri: "grpc+tcp://localhost:8815") == location)
  }

  @Test func grpcSynonymAndTLS() throws {
    let plain = try Location(uri: "grpc://127.0.0.1:1")
    #expect(plain.scheme == "grpc" && plain.host == "127.0.0.1" && plain.port == 1 && plain.isGRPC)
    let tls = try Location.forGRPCTLS(host: "example.com", port: 443)
    #expect(tls.uri == "grpc+tls://example.com:443")
    #expect(tls.scheme == "grpc+tls")
  }

  @Test func ipv6() throws {
    let location = try Location.forGRPCTCP(host: "::1", port: 9000)
    #expect(location.uri == "grpc+tcp://[::1]:9000")
    #expect(location.host == "::1")
    #expect(location.port == 9000)
  }

  @Test func unix() throws {
    let location = try Location.forGRPCUnix(path: "/tmp/flight.sock")
    #expect(location.uri == "grpc+unix:///tmp/flight.sock")
    #expect(location.host == "")
    #expect(location.path == "/tmp/flight.sock")
    #expect(location.port == nil)
    #expect(throws: LocationError.self) { try Location.forGRPCUnix(path: "relative.sock") }
  }

  @Test func reuseConnection() throws {
    #expect(Location.reuseConnection.uri == "arrow-flight-reuse-connection://?")
    #expect(Location.reuseConnection.isReuseConnection)
    #expect(!Location.reuseConnection.isGRPC)
    #expect(try Location(serializedBytes: Location.reuseConnection.serialized()) == .reuseConnection)
  }

  @Test func otherSchemesAreKept() throws {
    let location = try Location(uri: "HTTPS://user@data.example.com/bucket/file?x=1#frag")
    #expect(location.scheme == "https")
    #expect(location.host == "data.example.com")
    #expect(location.port == nil)
    #expect(location.path == "/bucket/file")
  }

  @Test(arguments: [
    "", "localhost:8815x", "no-scheme", "://host", "1grpc://host", "grpc+tcp://", "grpc+tcp://:8815",
    "grpc+tcp://host:99999", "grpc+tcp://host:port", "grpc+tcp://[::1", "grpc+unix://", "grpc+tcp://ho st:1",
    "grpc+tcp://hé:1",
  ])
  func invalid(uri: String) {
    do {
      _ = try Location(uri: uri)
      Issue.record("accepted '\(uri)'")
    } catch {
      #expect(error.uri == uri)
      #expect(error.description.contains("'\(uri)'"))
    }
  }

  @Test func constructorsValidate() {
    #expect(throws: LocationError.self) { try Location.forGRPCTCP(host: "", port: 1) }
    #expect(throws: LocationError.self) { try Location.forGRPCTCP(host: "h", port: 70000) }
    #expect(throws: LocationError.self) { try Location.forGRPCTLS(host: "a/b", port: 1) }
  }
}

@Suite("Timestamp")
struct TimestampTests {
  @Test func durationConversions() {
    let timestamp = Timestamp(sinceEpoch: .seconds(10) + .milliseconds(250))
    #expect(timestamp == Timestamp(seconds: 10, nanos: 250_000_000))
    #expect(timestamp.sinceEpoch == .milliseconds(10_250))
    // Before the epoch, nanos stay non-negative.
    #expect(Timestamp(sinceEpoch: .milliseconds(-1500)) == Timestamp(seconds: -2, nanos: 500_000_000))
    #expect(Timestamp(secondsSinceEpoch: -1.5) == Timestamp(seconds: -2, nanos: 500_000_000))
    #expect(Timestamp(secondsSinceEpoch: 2.25).secondsSinceEpoch == 2.25)
  }

  @Test func arithmeticAndOrder() {
    let start = Timestamp(seconds: 100, nanos: 900_000_000)
    let later = start.advanced(by: .milliseconds(200))
    #expect(later == Timestamp(seconds: 101, nanos: 100_000_000))
    #expect(start < later)
    #expect(start.duration(to: later) == .milliseconds(200))
  }

  @Test func nowIsRecent() {
    let now = Timestamp.now()
    #expect(now.seconds > 1_700_000_000)
    #expect((0..<1_000_000_000).contains(now.nanos))
  }
}
