// gRPC metadata (headers and trailers) as Swift values.

/// One metadata entry. Keys are lowercase ASCII; keys ending in `-bin` carry binary values
/// (gRPC encodes them in base64 on the wire), other values must be printable ASCII.
package struct GRPCMetadataEntry: Sendable, Hashable {
  /// The lowercase key.
  package var key: String
  /// The raw value.
  package var value: [UInt8]

  /// An entry with raw bytes.
  package init(key: String, value: [UInt8]) {
    self.key = key.lowercased()
    self.value = value
  }

  /// The value as a UTF-8 string, when it is one.
  package var stringValue: String? {
    String(validating: value, as: UTF8.self)
  }
}

/// An ordered list of metadata entries; a key may repeat.
package struct GRPCMetadata: Sendable, Hashable, Sequence, ExpressibleByDictionaryLiteral {
  /// The entries, in order.
  package var entries: [GRPCMetadataEntry]

  /// Metadata with the given entries.
  package init(_ entries: [GRPCMetadataEntry] = []) {
    self.entries = entries
  }

  /// Metadata from string pairs.
  package init(dictionaryLiteral elements: (String, String)...) {
    self.entries = elements.map { GRPCMetadataEntry(key: $0.0, value: Array($0.1.utf8)) }
  }

  /// Appends an entry with a string value.
  package mutating func add(_ key: String, _ value: String) {
    entries.append(GRPCMetadataEntry(key: key, value: Array(value.utf8)))
  }

  /// Appends an entry with a binary value.
  package mutating func add(_ key: String, bytes: [UInt8]) {
    entries.append(GRPCMetadataEntry(key: key, value: bytes))
  }

  /// Every value stored under `key`.
  package func values(for key: String) -> [[UInt8]] {
    let key = key.lowercased()
    return entries.filter { $0.key == key }.map(\.value)
  }

  /// The first value stored under `key`.
  package func first(_ key: String) -> [UInt8]? {
    let key = key.lowercased()
    return entries.first { $0.key == key }?.value
  }

  /// The first value stored under `key`, as a string.
  package func string(for key: String) -> String? {
    first(key).flatMap { String(validating: $0, as: UTF8.self) }
  }

  /// Whether there are no entries.
  package var isEmpty: Bool { entries.isEmpty }

  /// Iterates over the entries in order.
  package func makeIterator() -> IndexingIterator<[GRPCMetadataEntry]> {
    entries.makeIterator()
  }
}
