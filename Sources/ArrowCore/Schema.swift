// Fields and schemas, and the key-value metadata they carry.

/// Ordered key-value metadata, as carried by fields and schemas (order is kept, keys may repeat).
public struct KeyValueMetadata: Sendable, Hashable, RandomAccessCollection, ExpressibleByDictionaryLiteral,
  CustomStringConvertible
{
  /// One key-value pair.
  public struct Entry: Sendable, Hashable {
    /// The key.
    public var key: String
    /// The value.
    public var value: String
    /// Creates a pair.
    public init(key: String, value: String) {
      self.key = key
      self.value = value
    }
  }

  /// The pairs, in order.
  public var entries: [Entry]

  /// Empty metadata.
  public init() { entries = [] }

  /// Metadata holding `pairs` in order.
  public init(_ pairs: [(String, String)]) { entries = pairs.map { Entry(key: $0.0, value: $0.1) } }

  /// Metadata holding the listed pairs in order.
  public init(dictionaryLiteral elements: (String, String)...) { self.init(elements) }

  /// The first index (0).
  public var startIndex: Int { 0 }
  /// The number of pairs.
  public var endIndex: Int { entries.count }
  /// The pair at `position`.
  public subscript(position: Int) -> Entry { entries[position] }

  /// The value of the first pair with `key`, or `nil`; setting replaces it or appends a pair
  /// (`nil` removes every pair with `key`).
  public subscript(key: String) -> String? {
    get { entries.first { $0.key == key }?.value }
    set {
      if let newValue {
        if let index = entries.firstIndex(where: { $0.key == key }) {
          entries[index].value = newValue
        } else {
          entries.append(Entry(key: key, value: newValue))
        }
      } else {
        entries.removeAll { $0.key == key }
      }
    }
  }

  /// The pairs as tuples.
  public var pairs: [(String, String)] { entries.map { ($0.key, $0.value) } }

  /// `{key: value, ...}`.
  public var description: String {
    "{" + entries.map { "\($0.key): \($0.value)" }.joined(separator: ", ") + "}"
  }
}

/// A named, typed column or child: name, ``DataType``, nullability and metadata.
public struct Field: Sendable, Hashable, CustomStringConvertible {
  /// The name.
  public var name: String
  /// The type.
  public var type: DataType
  /// Whether values may be null.
  public var nullable: Bool
  /// Key-value metadata.
  public var metadata: KeyValueMetadata

  /// Creates a field.
  public init(_ name: String, _ type: DataType, nullable: Bool = true, metadata: KeyValueMetadata = KeyValueMetadata())
  {
    self.name = name
    self.type = type
    self.nullable = nullable
    self.metadata = metadata
  }

  /// `name: type`, plus ` not null` when not nullable (pyarrow's form inside nested types).
  public var typeDescription: String { "\(name): \(type)\(nullable ? "" : " not null")" }

  /// `pyarrow.Field<name: type>` as pyarrow prints it.
  public var description: String { "pyarrow.Field<\(typeDescription)>" }

  /// A copy with another name.
  public func withName(_ name: String) -> Field {
    var copy = self
    copy.name = name
    return copy
  }

  /// A copy with another type.
  public func withType(_ type: DataType) -> Field {
    var copy = self
    copy.type = type
    return copy
  }

  /// Equality without metadata, as Arrow C++'s `Field::Equals(other, check_metadata=false)`:
  /// the same name and nullability and equivalent types (``DataType/isEquivalent(to:)``).
  public func isEquivalent(to other: Field) -> Bool {
    name == other.name && nullable == other.nullable && type.isEquivalent(to: other.type)
  }
}

/// The fields of a record batch or table, plus schema-level metadata.
public struct Schema: Sendable, Hashable, CustomStringConvertible {
  /// The fields, in column order.
  public var fields: [Field]
  /// Schema-level key-value metadata.
  public var metadata: KeyValueMetadata

  /// Creates a schema.
  public init(_ fields: [Field], metadata: KeyValueMetadata = KeyValueMetadata()) {
    self.fields = fields
    self.metadata = metadata
  }

  /// The field names, in order.
  public var names: [String] { fields.map(\.name) }

  /// The number of fields.
  public var count: Int { fields.count }

  /// The first field named `name`, or `nil`.
  public func field(named name: String) -> Field? { fields.first { $0.name == name } }

  /// The index of the first field named `name`, or `nil`.
  public func index(of name: String) -> Int? { fields.firstIndex { $0.name == name } }

  /// The index of the first field of each name: one pass, for looking up many names.
  func firstIndexByName() -> [String: Int] {
    var indices: [String: Int] = [:]
    for (index, field) in fields.enumerated() where indices[field.name] == nil { indices[field.name] = index }
    return indices
  }

  /// The indices of every field named `name`.
  public func indices(of name: String) -> [Int] { fields.indices.filter { fields[$0].name == name } }

  /// The field at `index`.
  public subscript(index: Int) -> Field { fields[index] }

  /// Equality without metadata, as Arrow C++'s `Schema::Equals(other, check_metadata=false)`
  /// (what its IPC writers check every batch against): the same fields in order, each
  /// ``Field/isEquivalent(to:)``; schema and field metadata are ignored.
  public func isEquivalent(to other: Schema) -> Bool {
    fields.count == other.fields.count && zip(fields, other.fields).allSatisfy { $0.isEquivalent(to: $1) }
  }

  /// pyarrow's rendering: one `name: type` line per field, nested children indented below
  /// (`  child 0, item: int64`), field metadata, then the schema metadata.
  public var description: String {
    var lines: [String] = []
    func addChildren(_ type: DataType, indent: Int) {
      for (index, child) in type.children.enumerated() {
        lines.append(String(repeating: " ", count: indent) + "child \(index), \(child.typeDescription)")
        addChildren(child.type, indent: indent + 4)
      }
    }
    for field in fields {
      lines.append(field.typeDescription)
      addChildren(field.type, indent: 2)
      if !field.metadata.isEmpty {
        lines.append("  -- field metadata --")
        lines += field.metadata.map { "  \($0.key): '\($0.value)'" }
      }
    }
    if !metadata.isEmpty {
      lines.append("-- schema metadata --")
      lines += metadata.map { "\($0.key): '\($0.value)'" }
    }
    return lines.joined(separator: "\n")
  }
}
