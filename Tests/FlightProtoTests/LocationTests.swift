internal import Testing

@testable internal import FlightProto

@Suite("Location")
struct LocationTests {
  @Test func grpcTCP() throws {
    let location = try Location.forGRPCTCP(host: "localhost", port: 8815)
    expectParts(location, uri: "grpc+tcp://localhost:8815", scheme: "grpc+tcp", host: "localhost", port: 8815, path: "")
    #expect(location.isGRPC)
    #expect(try Location(uri: "grpc+tcp://localhost:8815") == location)
  }

  @Test func grpcSynonymAndTLS() throws {
    let plain = try Location(uri: "grpc://127.0.0.1:1")
    expectParts(plain, scheme: "grpc", host: "127.0.0.1", port: 1, path: "")
    #expect(plain.isGRPC)
    let tls = try Location.forGRPCTLS(host: "example.com", port: 443)
    #expect(tls.uri == "grpc+tls://example.com:443")
    #expect(tls.scheme == "grpc+tls")
  }

  @Test func ipv6() throws {
    let location = try Location.forGRPCTCP(host: "::1", port: 9000)
    expectParts(location, uri: "grpc+tcp://[::1]:9000", scheme: "grpc+tcp", host: "::1", port: 9000, path: "")
  }

  @Test func unix() throws {
    let location = try Location.forGRPCUnix(path: "/tmp/flight.sock")
    expectParts(
      location, uri: "grpc+unix:///tmp/flight.sock", scheme: "grpc+unix", host: "", port: nil, path: "/tmp/flight.sock")
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
    expectParts(location, scheme: "https", host: "data.example.com", port: nil, path: "/bucket/file")
  }

  /// Every scheme and form, parsed as Arrow C++ parses them (RFC 3986 through uriparser,
  /// host and path percent-decoded): scheme, host (nil: no authority), port, path.
  static let accepted: [(uri: String, scheme: String, host: String?, port: Int?, path: String)] = [
    ("grpc://localhost:8815", "grpc", "localhost", 8815, ""),
    ("grpc+tcp://127.0.0.1:1", "grpc+tcp", "127.0.0.1", 1, ""),
    ("GRPC+TLS://Example.COM:443", "grpc+tls", "Example.COM", 443, ""),
    ("grpc+tcp://[::1]:9000", "grpc+tcp", "::1", 9000, ""),
    ("grpc+tcp://[2001:db8::8a2e:370:7334]:1", "grpc+tcp", "2001:db8::8a2e:370:7334", 1, ""),
    ("grpc+tcp://[1:2:3:4:5:6:7:8]:1", "grpc+tcp", "1:2:3:4:5:6:7:8", 1, ""),
    ("grpc+tcp://[::ffff:192.0.2.1]:1", "grpc+tcp", "::ffff:192.0.2.1", 1, ""),
    ("grpc+tcp://[::]:0", "grpc+tcp", "::", 0, ""),
    ("grpc+tcp://[v7.fe80::1+en0]:1", "grpc+tcp", "v7.fe80::1+en0", 1, ""),
    ("grpc+tcp://localhost", "grpc+tcp", "localhost", nil, ""),
    ("grpc+tcp://localhost:", "grpc+tcp", "localhost", nil, ""),
    ("grpc+tcp://[::1]:", "grpc+tcp", "::1", nil, ""),
    ("grpc+tcp://host:08815", "grpc+tcp", "host", 8815, ""),
    ("grpc+tcp://host:65535/", "grpc+tcp", "host", 65535, "/"),
    ("grpc+tcp://local%68ost:1", "grpc+tcp", "localhost", 1, ""),
    ("grpc+tcp://some%20host:1", "grpc+tcp", "some host", 1, ""),
    ("grpc+tcp://us%20er:p%40ss@host:1", "grpc+tcp", "host", 1, ""),
    ("grpc+tls://h.example.com:443/ignored/path?q=1#f", "grpc+tls", "h.example.com", 443, "/ignored/path"),
    ("grpc+unix:///tmp/flight.sock", "grpc+unix", "", nil, "/tmp/flight.sock"),
    ("grpc+unix:/tmp/flight.sock", "grpc+unix", nil, nil, "/tmp/flight.sock"),
    ("grpc+unix://localhost/tmp/flight.sock", "grpc+unix", "localhost", nil, "/tmp/flight.sock"),
    ("grpc+unix:relative/flight.sock", "grpc+unix", nil, nil, "relative/flight.sock"),
    ("grpc+unix:///tmp/flight.sock?x=1#frag", "grpc+unix", "", nil, "/tmp/flight.sock"),
    (
      "grpc+unix:///tmp/some%20path/100%25%20%C3%A9l%C3%A9phant", "grpc+unix", "", nil,
      "/tmp/some path/100% éléphant"
    ),
    ("arrow-flight-reuse-connection://?", "arrow-flight-reuse-connection", "", nil, ""),
    ("https://user@data.example.com/bucket/file?x=1#frag", "https", "data.example.com", nil, "/bucket/file"),
    ("s3:/bucket/key", "s3", nil, nil, "/bucket/key"),
    ("file:///data/a.arrow", "file", "", nil, "/data/a.arrow"),
    ("mailto:someone@example.com", "mailto", nil, nil, "someone@example.com"),
    // A valid URI of scheme "localhost" (Arrow parses it so too); clients refuse the scheme.
    ("localhost:8815", "localhost", nil, nil, "8815"),
  ]

  @Test func acceptedForms() throws {
    for row in Self.accepted {
      expectParts(
        try Location(uri: row.uri), uri: row.uri, scheme: row.scheme, host: row.host, port: row.port, path: row.path)
    }
  }

  /// Refused forms, each with the part of the reason that says why.
  static let refused: [(uri: String, reason: String)] = [
    ("", "empty"),
    ("no-scheme", "no scheme"),
    ("/tmp/flight.sock", "no scheme"),
    ("://host", "scheme"),
    ("1grpc://host", "scheme"),
    ("grpc+tcp://", "needs a host"),
    ("grpc+tcp://:8815", "needs a host"),
    ("grpc:/no/authority", "needs a host"),
    ("grpc+tcp://host:99999", "0...65535"),
    ("grpc+tcp://host:port", "0...65535"),
    ("grpc+tcp://host:-1", "0...65535"),
    ("grpc+tcp://[::1", "closing ']'"),
    ("grpc+tcp://[::1]x:1", "after ']'"),
    ("grpc+tcp://::1:8815", "in brackets"),
    ("grpc+tcp://fe80::1", "in brackets"),
    ("grpc+tcp://2001:db8::1:8815", "in brackets"),
    ("grpc+tcp://[not:ipv6]:1", "not an IPv6 address"),
    ("grpc+tcp://[1:2:3:4:5:6:7:8:9]:1", "not an IPv6 address"),
    ("grpc+tcp://[1::2::3]:1", "not an IPv6 address"),
    ("grpc+tcp://[12345::1]:1", "not an IPv6 address"),
    ("grpc+tcp://[::256.0.0.1]:1", "not an IPv6 address"),
    ("grpc+tcp://[fe80::1%25eth0]:1", "not an IPv6 address"),
    ("grpc+unix://", "socket path"),
    ("grpc+unix:", "socket path"),
    ("grpc+unix://otherhost/tmp/flight.sock", "no host but localhost"),
    ("grpc+tcp://ho st:1", "space"),
    ("grpc+tcp://hé:1", "not ASCII"),
    ("grpc+tcp://host%:1", "hexadecimal"),
    ("grpc+tcp://host%zz:1", "hexadecimal"),
    ("grpc+unix:///tmp/bad%2", "hexadecimal"),
    ("grpc+unix:///tmp/%00x", "NUL"),
    ("grpc+unix:///tmp/%FF", "UTF-8"),
    ("grpc+tcp://a@b@c:1", "host has the character '@'"),
    ("grpc+tcp://a<b:1", "host has the character '<'"),
    ("grpc+tcp://u[s@host:1", "user information"),
    ("grpc+tcp://host:1/a[b", "path has the character '['"),
    ("https://host/x?a=<b>", "query"),
    ("https://host/x#a#b", "fragment"),
  ]

  @Test func refusedForms() {
    for row in Self.refused {
      do {
        let location = try Location(uri: row.uri)
        Issue.record(
          "accepted '\(row.uri)' as \(location.scheme) \(String(describing: location.host)) \(location.path)")
      } catch {
        #expect(error.uri == row.uri)
        #expect(error.description.contains("'\(row.uri)'"))
        #expect(error.reason.contains(row.reason), "\(row.uri): \(error.reason)")
      }
    }
  }

  @Test func unixPathsRoundTripThroughTheURI() throws {
    for path in ["/tmp/flight.sock", "/tmp/a b/100% éléphant?#.sock", "/tmp/[x]:@!$&'()*+,;=.sock"] {
      let location = try Location.forGRPCUnix(path: path)
      #expect(location.path == path, "\(location.uri)")
      #expect(location.host == "")
      #expect(try Location(uri: location.uri) == location)
    }
    #expect(try Location.forGRPCUnix(path: "/tmp/a b").uri == "grpc+unix:///tmp/a%20b")
    #expect(throws: LocationError.self) { try Location.forGRPCUnix(path: "/tmp/nul\u{0}") }
  }

  @Test func constructorsValidate() {
    #expect(throws: LocationError.self) { try Location.forGRPCTCP(host: "", port: 1) }
    #expect(throws: LocationError.self) { try Location.forGRPCTCP(host: "h", port: 70000) }
    #expect(throws: LocationError.self) { try Location.forGRPCTLS(host: "a/b", port: 1) }
    #expect(throws: LocationError.self) { try Location.forGRPCTCP(host: "a%20b", port: 1) }
    #expect(throws: LocationError.self) { try Location.forGRPCTCP(host: "::1::2", port: 1) }
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
