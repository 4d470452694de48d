// Conversions between the public FlightHeaders and the transport's metadata.

internal import FlightTransport

extension FlightHeaders {
  /// The transport's form.
  var grpcMetadata: GRPCMetadata {
    GRPCMetadata(entries.map { GRPCMetadataEntry(key: $0.key, value: $0.value) })
  }

  /// Headers from the transport's form.
  init(_ metadata: GRPCMetadata) {
    self.init(metadata.entries.map { Entry(key: $0.key, value: $0.value) })
  }
}

// MARK: - What gRPC accepts

extension FlightHeaders {
  /// Why gRPC would refuse the entry `key: value`, or nil when it accepts it: a key of
  /// lowercase letters, digits, `-`, `_` and `.`; a value of printable ASCII unless the key
  /// ends in `-bin` (then any bytes).
  static func problem(key: String, value: [UInt8]) -> String? {
    guard !key.isEmpty else { return "a header key is empty" }
    let legal = key.utf8.allSatisfy { byte in
      (UInt8(ascii: "a")...UInt8(ascii: "z")).contains(byte) || (UInt8(ascii: "0")...UInt8(ascii: "9")).contains(byte)
        || byte == UInt8(ascii: "-") || byte == UInt8(ascii: "_") || byte == UInt8(ascii: ".")
    }
    guard legal else {
      return "header key \"\(key)\" has a character gRPC refuses (keys are a-z, 0-9, '-', '_' and '.')"
    }
    if key.hasSuffix("-bin") { return nil }
    if let index = value.firstIndex(where: { $0 < 0x20 || $0 > 0x7E }) {
      return "the value of header \"\(key)\" has a byte gRPC refuses in text (0x\(String(value[index], radix: 16)) "
        + "at \(index)): text values are printable ASCII; send bytes under a key ending in -bin"
    }
    return nil
  }

  /// Checks every entry against what gRPC accepts.
  ///
  /// A client checks its call's headers (its own, the client's defaults and the middleware's)
  /// before anything is sent, so a header gRPC would refuse fails the call with this error
  /// rather than an opaque transport error.
  ///
  /// - Throws: ``FlightError`` (`.invalidArgument`) naming the first entry gRPC would refuse.
  public func validate() throws(FlightError) {
    for entry in entries {
      if let problem = Self.problem(key: entry.key, value: entry.value) {
        throw FlightError(.invalidArgument, problem)
      }
    }
  }

  /// The entries gRPC accepts, and the problem with the first one it would refuse, if any.
  func partitioned() -> (valid: FlightHeaders, problem: String?) {
    var problem: String?
    let valid = entries.filter { entry in
      guard let found = Self.problem(key: entry.key, value: entry.value) else { return true }
      if problem == nil { problem = found }
      return false
    }
    return (FlightHeaders(valid), problem)
  }
}
