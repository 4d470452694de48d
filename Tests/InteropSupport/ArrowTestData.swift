// The arrow-testing data set ("gold" files that Arrow implementations wrote) and pyarrow's
// reading of it, for the tests that check the Swift reader against pyarrow.

public import Foundation

/// The arrow-testing `data/` directory, found as Arrow's implementations find it: through the
/// `ARROW_TEST_DATA` environment variable (`Scripts/test.sh` sets it to
/// `../shared/arrow-testing/data` when that exists).
public enum ArrowTestData {
  /// The name of the variable.
  public static let variable = "ARROW_TEST_DATA"

  /// The directory named by `ARROW_TEST_DATA`, or nil when the variable is unset or empty
  /// (the tests that need it are then skipped; `Scripts/test.sh` fails when they are).
  public static var directory: URL? {
    guard let value = ProcessInfo.processInfo.environment[variable], !value.isEmpty else { return nil }
    return URL(fileURLWithPath: value)
  }

  /// Whether `ARROW_TEST_DATA` is set.
  public static var isAvailable: Bool { directory != nil }

  /// Every integration file (`*.stream` and `*.arrow_file`) under
  /// `arrow-ipc-stream/integration/<version>/`, sorted by path.
  ///
  /// - Throws: ``InteropError`` when the variable is set but the folder holds no such file.
  public static func integrationFiles() throws -> [URL] {
    guard let directory else { throw InteropError("\(variable) is not set") }
    let root = directory.appendingPathComponent("arrow-ipc-stream/integration")
    let manager = FileManager.default
    var files: [URL] = []
    for version in (try? manager.contentsOfDirectory(atPath: root.path)) ?? [] {
      let folder = root.appendingPathComponent(version)
      for name in (try? manager.contentsOfDirectory(atPath: folder.path)) ?? []
      where name.hasSuffix(".stream") || name.hasSuffix(".arrow_file") {
        files.append(folder.appendingPathComponent(name))
      }
    }
    guard !files.isEmpty else {
      throw InteropError("\(variable)=\(directory.path) holds no arrow-ipc-stream/integration/*/ files")
    }
    return files.sorted { $0.path < $1.path }
  }

  /// A short name for a gold file: `<version>/<file>`.
  public static func label(_ file: URL) -> String {
    "\(file.deletingLastPathComponent().lastPathComponent)/\(file.lastPathComponent)"
  }
}

/// One field as `Tests/Peers/arrow_gold.py` dumps pyarrow's reading of it at the IPC level:
/// every extension type shown as its storage type plus its `ARROW:extension:*` metadata.
public struct GoldField: Codable, Equatable, Sendable, CustomStringConvertible {
  /// The name.
  public var name: String
  /// Whether the field is nullable.
  public var nullable: Bool
  /// The type without its children: pyarrow's name for a leaf type (`int32`,
  /// `timestamp[ms, tz=UTC]`), the kind for a nested one (`list`, `fixed_size_list[3]`,
  /// `map[keys_sorted]`, `dense_union[0, 1]`, `struct`, `run_end_encoded`); for a dictionary
  /// field, its value type.
  public var type: String
  /// For a dictionary field: its index type, then ` ordered` when ordered.
  public var dictionary: String?
  /// The key-value pairs, in order.
  public var metadata: [[String]]
  /// The children (for a dictionary field, those of its value type).
  public var children: [GoldField]

  /// Creates a field description.
  public init(
    name: String, nullable: Bool, type: String, dictionary: String?, metadata: [[String]], children: [GoldField]
  ) {
    self.name = name
    self.nullable = nullable
    self.type = type
    self.dictionary = dictionary
    self.metadata = metadata
    self.children = children
  }

  /// The same field with its metadata and its children's in one order (Arrow compares
  /// key-value metadata regardless of order).
  public var normalized: GoldField {
    var copy = self
    copy.metadata = metadata.sorted { $0.lexicographicallyPrecedes($1) }
    copy.children = children.map(\.normalized)
    return copy
  }

  /// One line per field, children indented.
  public var description: String { lines(indent: "").joined(separator: "\n") }

  func lines(indent: String) -> [String] {
    let head =
      "\(indent)\(name): \(type)\(dictionary.map { " dictionary(\($0))" } ?? "")\(nullable ? "" : " not null")"
      + (metadata.isEmpty ? "" : " \(metadata)")
    return [head] + children.flatMap { $0.lines(indent: indent + "  ") }
  }
}

/// A schema as `Tests/Peers/arrow_gold.py` dumps it.
public struct GoldSchema: Codable, Equatable, Sendable, CustomStringConvertible {
  /// The fields.
  public var fields: [GoldField]
  /// The schema's key-value metadata.
  public var metadata: [[String]]

  /// Creates a schema description.
  public init(fields: [GoldField], metadata: [[String]]) {
    self.fields = fields
    self.metadata = metadata
  }

  /// The same schema with every metadata list in one order.
  public var normalized: GoldSchema {
    GoldSchema(fields: fields.map(\.normalized), metadata: metadata.sorted { $0.lexicographicallyPrecedes($1) })
  }

  /// One line per field, then the metadata.
  public var description: String {
    (fields.map(\.description) + (metadata.isEmpty ? [] : ["metadata: \(metadata)"])).joined(separator: "\n")
  }
}

/// pyarrow's verdict on one file that Swift read and wrote again.
public struct GoldComparison: Codable, Sendable {
  /// The file pyarrow read as the reference.
  public var original: String
  /// What Swift wrote.
  public var candidate: String
  /// Every difference pyarrow found (empty when equal).
  public var problems: [String]
  /// pyarrow's reading of the original's schema at the IPC level (nil when pyarrow cannot read it).
  public var schema: GoldSchema?
  /// The number of rows of each batch pyarrow read from the original.
  public var batches: [Int]?
}

/// Runs `Tests/Peers/arrow_gold.py compare` on `pairs` of (original, candidate) paths in one
/// process and returns its verdict on each, in order.
public func comparePyArrowReadings(_ pairs: [(original: String, candidate: String)], timeout: TimeInterval = 600)
  async throws -> [GoldComparison]
{
  struct Output: Decodable { var results: [GoldComparison] }
  let output = try await runPythonScript(
    "arrow_gold.py", arguments: ["compare"] + pairs.flatMap { [$0.original, $0.candidate] }, timeout: timeout)
  let results = try JSONDecoder().decode(Output.self, from: Data(output.utf8)).results
  guard results.count == pairs.count else {
    throw InteropError("arrow_gold.py compared \(results.count) pairs, expected \(pairs.count)")
  }
  return results
}
