// Call headers and trailers.

/// Call headers or trailers: an ordered list of key-value pairs; keys are lowercase and may
/// repeat. Keys ending in `-bin` carry binary values.
public struct FlightHeaders: Sendable, Hashable, Sequence, ExpressibleByDictionaryLiteral {
  /// One header.
  public struct Entry: Sendable, Hashable {
    /// The lowercase key.
    public var key: String
    /// The value's bytes.
    public var value: [UInt8]
    /// The value as text, when it is UTF-8.
    public var stringValue: String? { String(validating: value, as: UTF8.self) }

    /// A header with a binary value (its key should end in `-bin`); the key is lowercased,
    /// as gRPC requires.
    public init(key: String, value: [UInt8]) {
      self.key = key.lowercased()
      self.value = value
    }

    /// A header with a text value; the key is lowercased, as gRPC requires.
    public init(_ key: String, _ value: String) {
      self.init(key: key, value: Array(value.utf8))
    }
  }

  /// The entries, in order.
  public var entries: [Entry]

  /// Headers from entries.
  public init(_ entries: [Entry] = []) {
    self.entries = entries
  }

  /// Headers from string pairs.
  public init(dictionaryLiteral elements: (String, String)...) {
    self.entries = elements.map { Entry(key: $0.0.lowercased(), value: Array($0.1.utf8)) }
  }

  /// Appends a text header.
  public mutating func add(_ key: String, _ value: String) {
    entries.append(Entry(key: key.lowercased(), value: Array(value.utf8)))
  }

  /// Appends a binary header (its key should end in `-bin`).
  public mutating func add(_ key: String, bytes: [UInt8]) {
    entries.append(Entry(key: key.lowercased(), value: bytes))
  }

  /// The first value of `key`, as text.
  public subscript(key: String) -> String? {
    first(key).flatMap { String(validating: $0, as: UTF8.self) }
  }

  /// The first value of `key`.
  public func first(_ key: String) -> [UInt8]? {
    let key = key.lowercased()
    return entries.first { $0.key == key }?.value
  }

  /// Every value of `key`.
  public func values(_ key: String) -> [[UInt8]] {
    let key = key.lowercased()
    return entries.filter { $0.key == key }.map(\.value)
  }

  /// Whether there are no headers.
  public var isEmpty: Bool { entries.isEmpty }

  /// Iterates over the entries.
  public func makeIterator() -> IndexingIterator<[Entry]> { entries.makeIterator() }
}
