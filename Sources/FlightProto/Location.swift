/// A URI naming where a ticket can be redeemed, such as `grpc+tcp://localhost:8815`.
///
/// Flight's own schemes are `grpc` and `grpc+tcp` (plain TCP), `grpc+tls`, `grpc+unix`
/// (`grpc+unix:///path/to/socket` or `grpc+unix:/path/to/socket`) and
/// `arrow-flight-reuse-connection://?` ("fetch from the server you asked"). Other schemes
/// (`https`, `s3`, ...) are accepted as long as the URI is well formed, since servers may
/// point at data outside Flight.
///
/// Parsing follows RFC 3986 as Arrow C++ does (`arrow::util::Uri`, on uriparser): the host
/// and the path are percent-decoded (`grpc+unix:///tmp/my%20dir/s.sock` names the socket
/// `/tmp/my dir/s.sock`), an IPv6 host must be in brackets (`grpc://[::1]:8815`; `grpc://::1:8815`
/// is refused rather than misread), the port is a number in `0...65535` or absent, and user
/// information, query and fragment are checked and ignored. A client needs a port for TCP and
/// TLS locations; so does a server, where port `0` picks a free one.
public struct Location: Hashable, Sendable, CustomStringConvertible {
  /// The URI exactly as given or received.
  public let uri: String
  /// The scheme, lowercased, such as `grpc+tcp`.
  public let scheme: String
  /// The host, percent-decoded, without the brackets of an IPv6 literal; `nil` when the URI
  /// has no authority (`//...`) part, as in `grpc+unix:/path`; empty for `grpc+unix:///path`.
  public let host: String?
  /// The port, when the URI names one.
  public let port: Int?
  /// The path, percent-decoded, such as `/tmp/flight.sock` for `grpc+unix:///tmp/flight.sock`;
  /// may be empty.
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
  ///   when a `grpc` scheme lacks what it needs (a host for TCP and TLS, a path for Unix, and
  ///   for Unix no host other than `localhost`).
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

  /// A Unix domain socket gRPC location, `grpc+unix:///absolute/path`; characters a URI path
  /// cannot hold (spaces, `%`, `?`, `#`, non-ASCII) are percent-encoded, so ``path`` gives
  /// back `path` exactly.
  ///
  /// - Throws: ``LocationError`` when the path is not absolute or holds a NUL character.
  public static func forGRPCUnix(path: String) throws(LocationError) -> Location {
    let uri = "\(grpcUnixScheme)://\(URIParts.percentEncodingPath(path))"
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
    // A host with '/', '?', '#', '@' or '%' would parse as something else.
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

  /// The gRPC core target (and server address) of a `grpc+unix` location: `unix:` and the
  /// path, percent-encoded again, since gRPC parses the target as a URI and decodes it.
  package var grpcUnixTarget: String {
    "unix:\(URIParts.percentEncodingPath(path))"
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

/// The components of an absolute URI (RFC 3986), host and path percent-decoded.
///
/// The grammar checked (RFC 3986 appendix A, as uriparser checks it for Arrow C++):
///
///     URI         = scheme ":" hier-part [ "?" query ] [ "#" fragment ]
///     hier-part   = "//" authority path-abempty / path-absolute / path-rootless / path-empty
///     authority   = [ userinfo "@" ] host [ ":" port ]
///     host        = "[" ( IPv6address / IPvFuture ) "]" / reg-name      (IPv4 is a reg-name)
///     reg-name    = *( unreserved / pct-encoded / sub-delims )
///     port        = *DIGIT
///     segment     = *pchar,  pchar = unreserved / pct-encoded / sub-delims / ":" / "@"
///     query, fragment = *( pchar / "/" / "?" )
struct URIParts {
  var scheme: String
  var host: String?
  var port: Int?
  var path: String

  static func parse(_ uri: String) throws(LocationError) -> URIParts {
    func fail(_ reason: String) -> LocationError { LocationError(uri: uri, reason: reason) }

    let bytes = Array(uri.utf8)
    if bytes.isEmpty { throw fail("the URI is empty") }
    for (index, byte) in bytes.enumerated() where byte <= 0x20 || byte >= 0x7F {
      throw fail("byte \(index) is a space, a control character or not ASCII (percent-encode it)")
    }
    // scheme = ALPHA *( ALPHA / DIGIT / "+" / "-" / "." ), then ":".
    guard
      let colon = bytes.firstIndex(where: {
        $0 == ascii(":") || $0 == ascii("/") || $0 == ascii("?") || $0 == ascii("#")
      }),
      bytes[colon] == ascii(":")
    else {
      throw fail("no scheme (expected scheme://host:port or scheme:/path)")
    }
    let schemeBytes = bytes[..<colon]
    guard let first = schemeBytes.first, isAlpha(first),
      schemeBytes.allSatisfy({ isAlpha($0) || isDigit($0) || $0 == ascii("+") || $0 == ascii("-") || $0 == ascii(".") })
    else {
      throw fail("the scheme is empty or has characters other than letters, digits, '+', '-', '.'")
    }
    let scheme = String(decoding: schemeBytes, as: UTF8.self).lowercased()

    var rest = bytes[(colon + 1)...]
    // The fragment, then the query: checked, then ignored.
    if let hash = rest.firstIndex(of: ascii("#")) {
      let fragment = rest[(hash + 1)...]
      if let bad = fragment.first(where: { !isPChar($0) && $0 != ascii("/") && $0 != ascii("?") }) {
        throw fail("the fragment has the character '\(character(bad))'")
      }
      rest = rest[..<hash]
    }
    if let question = rest.firstIndex(of: ascii("?")) {
      let query = rest[(question + 1)...]
      if let bad = query.first(where: { !isPChar($0) && $0 != ascii("/") && $0 != ascii("?") }) {
        throw fail("the query has the character '\(character(bad))'")
      }
      rest = rest[..<question]
    }
    var host: String?
    var port: Int?
    if rest.starts(with: [ascii("/"), ascii("/")]) {
      rest = rest.dropFirst(2)
      let authorityEnd = rest.firstIndex(of: ascii("/")) ?? rest.endIndex
      (host, port) = try parseAuthority(rest[..<authorityEnd], fail)
      rest = rest[authorityEnd...]
    }
    if let bad = rest.first(where: { !isPChar($0) && $0 != ascii("/") }) {
      throw fail("the path has the character '\(character(bad))'")
    }
    try checkPercentEncoding(rest, "the path", fail)
    let path = try decoded(rest, "the path", fail)

    switch scheme {
    case "grpc", Location.grpcTCPScheme, Location.grpcTLSScheme:
      guard let host, !host.isEmpty else { throw fail("a \(scheme) location needs a host (\(scheme)://host:port)") }
    case Location.grpcUnixScheme:
      guard !path.isEmpty else { throw fail("a grpc+unix location needs a socket path") }
      // Arrow C++ ignores the host; another host than this one would silently mean a local socket.
      guard host == nil || host == "" || host?.lowercased() == "localhost" else {
        throw fail("a grpc+unix location names a local socket: no host but localhost")
      }
    default:
      break
    }
    return URIParts(scheme: scheme, host: host, port: port, path: path)
  }

  /// The host (decoded) and port of an authority.
  private static func parseAuthority(
    _ authority: ArraySlice<UInt8>, _ fail: (String) -> LocationError
  ) throws(LocationError) -> (String, Int?) {
    var authority = authority
    if let at = authority.firstIndex(of: ascii("@")) {
      let userinfo = authority[..<at]
      if let bad = userinfo.first(where: {
        !isUnreserved($0) && !isSubDelim($0) && $0 != ascii("%") && $0 != ascii(":")
      }) {
        throw fail("the user information has the character '\(character(bad))'")
      }
      try checkPercentEncoding(userinfo, "the user information", fail)
      authority = authority[(at + 1)...]
    }
    let host: String
    var portBytes: ArraySlice<UInt8> = []
    if authority.first == ascii("[") {
      guard let close = authority.firstIndex(of: ascii("]")) else {
        throw fail("an IPv6 host has no closing ']'")
      }
      let literal = authority[(authority.startIndex + 1)..<close]
      guard isIPv6Address(literal) || isIPvFuture(literal) else {
        throw fail("'[\(String(decoding: literal, as: UTF8.self))]' is not an IPv6 address")
      }
      host = String(decoding: literal, as: UTF8.self)
      let after = authority[(close + 1)...]
      if let first = after.first {
        guard first == ascii(":") else { throw fail("unexpected characters after ']'") }
        portBytes = after.dropFirst()
      }
    } else {
      let colon = authority.firstIndex(of: ascii(":")) ?? authority.endIndex
      let name = authority[..<colon]
      portBytes = colon < authority.endIndex ? authority[(colon + 1)...] : []
      if portBytes.contains(ascii(":")) {
        throw fail("an IPv6 host must be in brackets, as in grpc://[::1]:8815")
      }
      if let bad = name.first(where: { !isUnreserved($0) && !isSubDelim($0) && $0 != ascii("%") }) {
        throw fail("the host has the character '\(character(bad))'")
      }
      try checkPercentEncoding(name, "the host", fail)
      host = try decoded(name, "the host", fail)
    }
    guard !portBytes.isEmpty else { return (host, nil) }
    guard portBytes.allSatisfy(isDigit), let value = Int(String(decoding: portBytes, as: UTF8.self)), value <= 65535
    else {
      throw fail("the port '\(String(decoding: portBytes, as: UTF8.self))' is not a number in 0...65535")
    }
    return (host, value)
  }

  /// Throws unless every `%` starts a `%XX` escape.
  private static func checkPercentEncoding(
    _ bytes: ArraySlice<UInt8>, _ what: String, _ fail: (String) -> LocationError
  ) throws(LocationError) {
    var index = bytes.startIndex
    while let percent = bytes[index...].firstIndex(of: ascii("%")) {
      guard percent + 2 < bytes.endIndex, isHexDigit(bytes[percent + 1]), isHexDigit(bytes[percent + 2]) else {
        throw fail("\(what) has a '%' that is not followed by two hexadecimal digits")
      }
      index = percent + 3
    }
  }

  /// The percent-decoded text, which must be UTF-8 without NUL.
  private static func decoded(
    _ bytes: ArraySlice<UInt8>, _ what: String, _ fail: (String) -> LocationError
  ) throws(LocationError) -> String {
    var result: [UInt8] = []
    result.reserveCapacity(bytes.count)
    var index = bytes.startIndex
    while index < bytes.endIndex {
      if bytes[index] == ascii("%") {
        result.append(hexValue(bytes[index + 1]) << 4 | hexValue(bytes[index + 2]))
        index += 3
      } else {
        result.append(bytes[index])
        index += 1
      }
    }
    guard !result.contains(0), let text = String(validating: result, as: UTF8.self) else {
      throw fail("\(what) decodes to bytes that are not UTF-8 text without NUL")
    }
    return text
  }

  /// `path` with every byte that is not a path character (pchar or '/') percent-encoded.
  static func percentEncodingPath(_ path: String) -> String {
    var result = ""
    for byte in path.utf8 {
      if byte != ascii("%") && (isPChar(byte) || byte == ascii("/")) {
        result.unicodeScalars.append(Unicode.Scalar(byte))
      } else {
        result += "%" + String(byte >> 4, radix: 16, uppercase: true) + String(byte & 0xF, radix: 16, uppercase: true)
      }
    }
    return result
  }

  /// RFC 3986 IPv6address: eight groups of 1 to 4 hex digits, the last two possibly an IPv4
  /// address, with at most one `::` standing for one or more zero groups.
  static func isIPv6Address(_ text: ArraySlice<UInt8>) -> Bool {
    // Split at the one "::" allowed, if any.
    var doubleColon: Int?
    var index = text.startIndex
    while index + 1 < text.endIndex {
      if text[index] == ascii(":") && text[index + 1] == ascii(":") {
        guard doubleColon == nil else { return false }
        doubleColon = index
        index += 2
      } else {
        index += 1
      }
    }
    /// The number of 16-bit groups `part` stands for, or nil when it is malformed.
    func groups(_ part: ArraySlice<UInt8>, last: Bool) -> Int? {
      if part.isEmpty { return 0 }
      let pieces = part.split(separator: ascii(":"), omittingEmptySubsequences: false)
      var count = 0
      for (index, piece) in pieces.enumerated() {
        if last && index == pieces.count - 1 && piece.contains(ascii(".")) {
          guard isIPv4Address(piece) else { return nil }
          count += 2
        } else {
          guard (1...4).contains(piece.count), piece.allSatisfy(isHexDigit) else { return nil }
          count += 1
        }
      }
      return count
    }
    guard let doubleColon else { return groups(text, last: true) == 8 }
    guard let before = groups(text[..<doubleColon], last: false),
      let after = groups(text[(doubleColon + 2)...], last: true)
    else { return false }
    return before + after <= 7
  }

  /// RFC 3986 IPv4address: four decimal octets without leading zeros.
  private static func isIPv4Address(_ text: ArraySlice<UInt8>) -> Bool {
    let octets = text.split(separator: ascii("."), omittingEmptySubsequences: false)
    return octets.count == 4
      && octets.allSatisfy { octet in
        guard (1...3).contains(octet.count), octet.allSatisfy(isDigit), octet.count == 1 || octet.first != ascii("0")
        else { return false }
        return octet.reduce(0) { $0 * 10 + Int($1 - ascii("0")) } <= 255
      }
  }

  /// RFC 3986 IPvFuture: "v" 1*HEXDIG "." 1*( unreserved / sub-delims / ":" ).
  private static func isIPvFuture(_ text: ArraySlice<UInt8>) -> Bool {
    guard text.first == ascii("v") || text.first == ascii("V"), let dot = text.firstIndex(of: ascii(".")) else {
      return false
    }
    let version = text[(text.startIndex + 1)..<dot]
    let rest = text[(dot + 1)...]
    return !version.isEmpty && version.allSatisfy(isHexDigit) && !rest.isEmpty
      && rest.allSatisfy { isUnreserved($0) || isSubDelim($0) || $0 == ascii(":") }
  }

  private static func ascii(_ character: Unicode.Scalar) -> UInt8 { UInt8(ascii: character) }

  private static func character(_ byte: UInt8) -> Character { Character(Unicode.Scalar(byte)) }

  private static func isAlpha(_ byte: UInt8) -> Bool {
    (UInt8(ascii: "a")...UInt8(ascii: "z")).contains(byte | 0x20)
  }

  private static func isDigit(_ byte: UInt8) -> Bool {
    (UInt8(ascii: "0")...UInt8(ascii: "9")).contains(byte)
  }

  private static func isHexDigit(_ byte: UInt8) -> Bool {
    isDigit(byte) || (UInt8(ascii: "a")...UInt8(ascii: "f")).contains(byte | 0x20)
  }

  private static func hexValue(_ byte: UInt8) -> UInt8 {
    isDigit(byte) ? byte - UInt8(ascii: "0") : (byte | 0x20) - UInt8(ascii: "a") + 10
  }

  /// ALPHA / DIGIT / "-" / "." / "_" / "~".
  private static func isUnreserved(_ byte: UInt8) -> Bool {
    isAlpha(byte) || isDigit(byte) || "-._~".utf8.contains(byte)
  }

  /// "!" / "$" / "&" / "'" / "(" / ")" / "*" / "+" / "," / ";" / "=".
  private static func isSubDelim(_ byte: UInt8) -> Bool {
    "!$&'()*+,;=".utf8.contains(byte)
  }

  /// unreserved / pct-encoded ('%', checked apart) / sub-delims / ":" / "@".
  private static func isPChar(_ byte: UInt8) -> Bool {
    isUnreserved(byte) || isSubDelim(byte) || byte == ascii("%") || byte == ascii(":") || byte == ascii("@")
  }
}

extension String {
  /// The string without the brackets of an IPv6 literal.
  fileprivate var trimmingBrackets: String {
    hasPrefix("[") && hasSuffix("]") ? String(dropFirst().dropLast()) : self
  }
}
