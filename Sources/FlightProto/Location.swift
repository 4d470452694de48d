/// A URI naming where a ticket can be redeemed, such as `grpc+tcp://localhost:8815`.
///
/// Flight's own schemes are `grpc` and `grpc+tcp` (plain TCP), `grpc+tls`, `grpc+unix`
/// (`grpc+unix:///path/to/socket`) and `arrow-flight-reuse-connection://?` ("fetch from the
/// server you asked"). Other schemes (`https`, `s3`, ...) are accepted as long as the URI is
/// well formed, since servers may point at data outside Flight.
public struct Location: Hashable, Sendable, CustomStringConvertible {
  /// The URI exactly as given or received.
  public let uri: String
  /// The scheme, lowercased, such as `grpc+tcp`.
  public let scheme: String
  /// The host, without the brackets of an IPv6 literal; `nil` when the URI has no authority
  /// (`//...`) part; empty for `grpc+unix:///path`.
  public let host: String?
  /// The port, when the URI names one.
  public let port: Int?
  /// The path, such as `/tmp/flight.sock` for `grpc+unix:///tmp/flight.sock`; may be empty.
  public let path: String

  /// The scheme of plain-TCP gRPC locations (`grpc` is a synonym).
  public static let grpcTCPScheme = "grpc+tcp"
  /// The scheme of TLS gRPC locations.
  public static let grpcTLSScheme = "grpc+tls"
  /// The scheme of Unix domain socket gRPC locations.
  public static let grpcUnixScheme = "grpc+unix"
  /// The scheme of ``reuseConnection``.
  public static let reuseConnectionScheme = "arrow-flight-reuse-connection"

  /// The location meaning "the server that answered `GetFlightInfo`, over the same
  /// connection": `arrow-flight-reuse-connection://?`.
  public static let reuseConnection: Location = {
    do {
      return try Location(uri: "arrow-flight-reuse-connection://?")
    } catch {
      preconditionFailure("the reuse-connection URI must parse: \(error)")
    }
  }()

  /// Parses and validates a location URI.
  ///
  /// - Throws: ``LocationError`` naming the URI when it is not a well-formed absolute URI, or
  ///   when a `grpc` scheme lacks what it needs (a host for TCP and TLS, a path for Unix).
  public init(uri: String) throws(LocationError) {
    let parts = try URIParts.parse(uri)
    self.uri = uri
    self.scheme = parts.scheme
    self.host = parts.host
    self.port = parts.port
    self.path = parts.path
  }

  /// A plain-TCP gRPC location, `grpc+tcp://host:port`.
  ///
  /// - Throws: ``LocationError`` when the host is empty or not a valid URI host, or the port
  ///   is outside `0...65535`.
  public static func forGRPCTCP(host: String, port: Int) throws(LocationError) -> Location {
    try hostAndPort(scheme: grpcTCPScheme, host: host, port: port)
  }

  /// A TLS gRPC location, `grpc+tls://host:port`.
  ///
  /// - Throws: ``LocationError`` when the host is empty or not a valid URI host, or the port
  ///   is outside `0...65535`.
  public static func forGRPCTLS(host: String, port: Int) throws(LocationError) -> Location {
    try hostAndPort(scheme: grpcTLSScheme, host: host, port: port)
  }

  /// A Unix domain socket gRPC location, `grpc+unix:///absolute/path`.
  ///
  /// - Throws: ``LocationError`` when the path is not absolute or not valid in a URI.
  public static func forGRPCUnix(path: String) throws(LocationError) -> Location {
    let uri = "\(grpcUnixScheme)://\(path)"
    guard path.hasPrefix("/") else {
      throw LocationError(uri: uri, reason: "a Unix socket path must be absolute")
    }
    return try Location(uri: uri)
  }

  private static func hostAndPort(scheme: String, host: String, port: Int) throws(LocationError) -> Location {
    let bare = host.trimmingBrackets
    let uri = "\(scheme)://\(bare.contains(":") ? "[\(bare)]" : bare):\(port)"
    guard (0...65535).contains(port) else {
      throw LocationError(uri: uri, reason: "port \(port) is outside 0...65535")
    }
    let location = try Location(uri: uri)
    // A host with '/', '?', '#' or '@' would parse as something else.
    guard !bare.isEmpty, location.host == bare, location.port == port, location.path.isEmpty else {
      throw LocationError(uri: uri, reason: "'\(host)' is not a host name or address")
    }
    return location
  }

  /// True for the `grpc`, `grpc+tcp`, `grpc+tls` and `grpc+unix` schemes.
  public var isGRPC: Bool {
    scheme == "grpc" || scheme == Location.grpcTCPScheme || scheme == Location.grpcTLSScheme
      || scheme == Location.grpcUnixScheme
  }

  /// True for ``reuseConnection`` (any URI with the `arrow-flight-reuse-connection` scheme).
  public var isReuseConnection: Bool { scheme == Location.reuseConnectionScheme }

  /// The URI.
  public var description: String { uri }
}

/// A location URI that is not well formed or not usable for its scheme.
public struct LocationError: Error, Hashable, Sendable, CustomStringConvertible {
  /// The offending URI.
  public let uri: String
  /// What is wrong with it.
  public let reason: String

  /// Creates an error for `uri` explaining `reason`.
  public init(uri: String, reason: String) {
    self.uri = uri
    self.reason = reason
  }

  /// A one-line description naming the URI and the problem.
  public var description: String { "invalid Flight location '\(uri)': \(reason)" }
}

/// The components of an absolute URI (RFC 3986, without percent-decoding).
private struct URIParts {
  var scheme: String
  var host: String?
  var port: Int?
  var path: String

  static func parse(_ uri: String) throws(LocationError) -> URIParts {
    func fail(_ reason: String) -> LocationError { LocationError(uri: uri, reason: reason) }

    let bytes = Array(uri.utf8)
    if bytes.isEmpty { throw fail("the URI is empty") }
    for (index, byte) in bytes.enumerated() where byte <= 0x20 || byte >= 0x7F {
      throw fail("byte \(index) is a space, a control character or not ASCII")
    }
    // scheme = ALPHA *( ALPHA / DIGIT / "+" / "-" / "." ), then ":".
    guard let colon = bytes.firstIndex(of: UInt8(ascii: ":")) else {
      throw fail("no scheme (expected scheme://...)")
    }
    let schemeBytes = bytes[..<colon]
    guard let first = schemeBytes.first, isAlpha(first),
      schemeBytes.allSatisfy({ isAlpha($0) || isDigit($0) || $0 == 0x2B || $0 == 0x2D || $0 == 0x2E })
    else {
      throw fail("the scheme is empty or has characters other than letters, digits, '+', '-', '.'")
    }
    let scheme = String(decoding: schemeBytes, as: UTF8.self).lowercased()

    var rest = bytes[(colon + 1)...]
    guard rest.starts(with: [UInt8(ascii: "/"), UInt8(ascii: "/")]) else {
      throw fail("no authority: Flight locations look like scheme://host:port or scheme:///path")
    }
    // Cut off the query and the fragment.
    if let end = rest.firstIndex(where: { $0 == UInt8(ascii: "?") || $0 == UInt8(ascii: "#") }) {
      rest = rest[..<end]
    }
    var host: String?
    var port: Int?
    rest = rest.dropFirst(2)  // the "//" before the authority
    let authorityEnd = rest.firstIndex(of: UInt8(ascii: "/")) ?? rest.endIndex
    var authority = rest[..<authorityEnd]
    rest = rest[authorityEnd...]
    if let at = authority.lastIndex(of: UInt8(ascii: "@")) {
      authority = authority[(at + 1)...]
    }
    var portBytes: ArraySlice<UInt8>?
    if authority.first == UInt8(ascii: "[") {
      guard let close = authority.firstIndex(of: UInt8(ascii: "]")) else {
        throw fail("an IPv6 host has no closing ']'")
      }
      host = String(decoding: authority[(authority.startIndex + 1)..<close], as: UTF8.self)
      let after = authority[(close + 1)...]
      if let colon = after.first {
        guard colon == UInt8(ascii: ":") else { throw fail("unexpected characters after ']'") }
        portBytes = after.dropFirst()
      }
    } else if let colon = authority.lastIndex(of: UInt8(ascii: ":")) {
      host = String(decoding: authority[..<colon], as: UTF8.self)
      portBytes = authority[(colon + 1)...]
    } else {
      host = String(decoding: authority, as: UTF8.self)
    }
    if let hostText = host, hostText.utf8.contains(where: { "[]/:".utf8.contains($0) }) && !isIPv6(hostText) {
      throw fail("the host '\(hostText)' is not valid")
    }
    if let portBytes, !portBytes.isEmpty {
      guard portBytes.count <= 5, portBytes.allSatisfy(isDigit),
        let value = Int(String(decoding: portBytes, as: UTF8.self)), value <= 65535
      else {
        throw fail("the port '\(String(decoding: portBytes, as: UTF8.self))' is not a number in 0...65535")
      }
      port = value
    }
    let path = String(decoding: rest, as: UTF8.self)

    switch scheme {
    case "grpc", Location.grpcTCPScheme, Location.grpcTLSScheme:
      guard let host, !host.isEmpty else { throw fail("a \(scheme) location needs a host") }
    case Location.grpcUnixScheme:
      guard !path.isEmpty else { throw fail("a grpc+unix location needs a socket path") }
    default:
      break
    }
    return URIParts(scheme: scheme, host: host, port: port, path: path)
  }

  private static func isAlpha(_ byte: UInt8) -> Bool {
    (UInt8(ascii: "a")...UInt8(ascii: "z")).contains(byte | 0x20)
  }

  private static func isDigit(_ byte: UInt8) -> Bool {
    (UInt8(ascii: "0")...UInt8(ascii: "9")).contains(byte)
  }

  private static func isIPv6(_ host: String) -> Bool {
    host.contains(":")
      && host.utf8.allSatisfy {
        isDigit($0) || isAlpha($0) || $0 == UInt8(ascii: ":") || $0 == UInt8(ascii: ".") || $0 == UInt8(ascii: "%")
      }
  }
}

extension String {
  /// The string without the brackets of an IPv6 literal.
  fileprivate var trimmingBrackets: String {
    hasPrefix("[") && hasSuffix("]") ? String(dropFirst().dropLast()) : self
  }
}
