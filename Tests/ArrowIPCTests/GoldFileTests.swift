// Every file that Arrow implementations wrote (arrow-testing's integration "gold" files, found
// through ARROW_TEST_DATA) and pyarrow-made stand-ins for the pre-0.15 format read through
// ArrowIPC exactly as pyarrow 26 reads them: the schema compared field by field at the IPC
// level, the values and batch metadata compared by pyarrow after Swift writes what it read.

internal import ArrowCore
internal import Foundation
internal import InteropSupport
internal import Testing

@testable internal import ArrowIPC

/// What Swift read from one file: schema, batches and each batch's custom metadata.
struct SwiftReading {
  var schema: Schema
  var batches: [(RecordBatch, KeyValueMetadata)]

  /// Reads an IPC file (it starts with `ARROW1`) or stream.
  init(path: String) throws {
    let bytes = try mapFile(path)
    if ArrowFileFormat.hasMagic(bytes, at: 0) {
      let reader = try IPCFileReader(bytes)
      schema = reader.schema
      batches = try (0..<reader.recordBatchCount).map { try reader.recordBatchWithMetadata(at: $0) }
    } else {
      var reader = try IPCStreamReader(bytes)
      schema = reader.schema
      batches = []
      while let batch = try reader.next() { batches.append((batch, reader.lastCustomMetadata)) }
    }
  }

  /// Writes the reading as a stream at `path`.
  func writeStream(to path: String) throws {
    let writer = try IPCStreamWriter(schema: schema, path: path)
    for (batch, metadata) in batches { try writer.write(batch, customMetadata: metadata) }
    try writer.finish()
  }

  /// Writes the reading as a file at `path`.
  func writeFile(to path: String) throws {
    let writer = try IPCFileWriter(schema: schema, path: path)
    for (batch, metadata) in batches { try writer.write(batch, customMetadata: metadata) }
    try writer.finish()
  }
}

/// A schema in the form `arrow_gold.py` dumps pyarrow's.
func goldSchema(_ schema: Schema) -> GoldSchema {
  func pairs(_ metadata: KeyValueMetadata) -> [[String]] { metadata.map { [$0.key, $0.value] } }
  func typeName(_ type: DataType) -> String {
    switch type {
    case .list: "list"
    case .largeList: "large_list"
    case .listView: "list_view"
    case .largeListView: "large_list_view"
    case .fixedSizeList(_, let size): "fixed_size_list[\(size)]"
    case .map(_, let keysSorted): keysSorted ? "map[keys_sorted]" : "map"
    case .struct: "struct"
    case .union(let mode, _, let ids): "\(mode)_union[\(ids.map { String($0) }.joined(separator: ", "))]"
    case .runEndEncoded: "run_end_encoded"
    default: type.description
    }
  }
  func field(_ field: Field) -> GoldField {
    var type = field.type
    var metadata = pairs(field.metadata)
    func expand(_ type: inout DataType) {
      guard case .extension(let ext) = type else { return }
      metadata += [[ExtensionType.nameKey, ext.name], [ExtensionType.metadataKey, ext.metadata]]
      type = ext.storage
    }
    expand(&type)
    var dictionary: String?
    if case .dictionary(let index, let value, let ordered) = type {
      dictionary = "\(index)\(ordered ? " ordered" : "")"
      type = value
      expand(&type)
    }
    return GoldField(
      name: field.name, nullable: field.nullable, type: typeName(type), dictionary: dictionary, metadata: metadata,
      children: type.children.map(goldField))
  }
  func goldField(_ child: Field) -> GoldField { field(child) }
  return GoldSchema(fields: schema.fields.map(field), metadata: pairs(schema.metadata))
}

/// Reads each file with Swift, writes what it read as a stream (and as a file where the format
/// can hold it), and has pyarrow compare both with its own reading of the original.
func checkAgainstPyArrow(_ files: [URL], label: (URL) -> String) async throws {
  let directory = FileManager.default.temporaryDirectory.appendingPathComponent("gold-\(UUID().uuidString)")
  try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
  defer { try? FileManager.default.removeItem(at: directory) }
  var pairs: [(original: String, candidate: String)] = []
  var readings: [String: SwiftReading] = [:]
  for (index, file) in files.enumerated() {
    let reading: SwiftReading
    do { reading = try SwiftReading(path: file.path) } catch {
      Issue.record("\(label(file)): ArrowIPC cannot read it: \(error)")
      continue
    }
    readings[file.path] = reading
    let stream = directory.appendingPathComponent("\(index).stream").path
    do {
      try reading.writeStream(to: stream)
      pairs.append((file.path, stream))
    } catch {
      Issue.record("\(label(file)): writing what was read as a stream failed: \(error)")
    }
    let fileCopy = directory.appendingPathComponent("\(index).arrow_file").path
    do {
      try reading.writeFile(to: fileCopy)
      pairs.append((file.path, fileCopy))
    } catch let error as ArrowError where error.message.contains("cannot replace a dictionary") {
      // A stream replacing a dictionary: the file format cannot hold it, and says so.
    } catch {
      Issue.record("\(label(file)): writing what was read as a file failed: \(error)")
    }
  }
  let results = try await comparePyArrowReadings(pairs)
  for (pair, result) in zip(pairs, results) {
    let name =
      "\(label(URL(fileURLWithPath: pair.original))) (written as \(pair.candidate.hasSuffix(".stream") ? "stream" : "file"))"
    for problem in result.problems { Issue.record("\(name): \(problem)") }
    guard let reading = readings[pair.original] else { continue }
    if let expected = result.schema {
      let got = goldSchema(reading.schema)
      #expect(
        got.normalized == expected.normalized, "\(name): schema\n--- pyarrow ---\n\(expected)\n--- Swift ---\n\(got)")
    }
    #expect(result.batches == reading.batches.map(\.0.length), "\(name): batch lengths")
  }
}

@Suite(.serialized) struct GoldFileTests {
  @Test(
    "Every arrow-testing integration file reads as pyarrow reads it",
    .enabled(if: ArrowTestData.isAvailable, "ARROW_TEST_DATA is not set"))
  func integrationFiles() async throws {
    let files = try ArrowTestData.integrationFiles()
    try await checkAgainstPyArrow(files, label: ArrowTestData.label)
    // The extension files come out with real extension types (arrow.uuid over 16 bytes).
    for file in files where file.lastPathComponent.hasPrefix("generated_extension.") {
      let schema = try SwiftReading(path: file.path).schema
      let names = schema.fields.compactMap { field -> String? in
        if case .extension(let ext) = field.type { return ext.name }
        return nil
      }
      #expect(!names.isEmpty, "\(ArrowTestData.label(file)): no extension type in \(schema)")
    }
  }

  @Test("Stand-ins for Arrow before 0.15 (legacy framing, V4 metadata) read as pyarrow reads them")
  func legacyFormat() async throws {
    let directory = FileManager.default.temporaryDirectory.appendingPathComponent("legacy-\(UUID().uuidString)")
    try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
    defer { try? FileManager.default.removeItem(at: directory) }
    struct Output: Decodable { var files: [String] }
    let output = try await runPythonScript("arrow_gold.py", arguments: ["legacy", directory.path])
    let names = try JSONDecoder().decode(Output.self, from: Data(output.utf8)).files
    #expect(names.count == 4)
    let files = names.map { directory.appendingPathComponent($0) }
    // They really are in the old format: no continuation marker, V4 metadata.
    for file in files where file.pathExtension == "stream" {
      let bytes = try mapFile(file.path)
      let prefix = try MessageFraming.readPrefix(bytes, at: 0)
      guard case .message(_, let prefixLength) = prefix else {
        Issue.record("\(file.lastPathComponent) does not start with a message")
        continue
      }
      #expect(prefixLength == 4)
      let framed = try #require(try MessageFraming.readMessage(from: bytes, at: 0))
      #expect(try framed.message.version() == .v4)
    }
    try await checkAgainstPyArrow(files) { $0.lastPathComponent }
  }
}
