// The tables `flight serve` holds: in memory, keyed by descriptor path, optionally persisted
// as Arrow IPC files under a data directory.

internal import ArrowIPC
internal import FlightRPC
internal import Foundation
internal import Synchronization

#if canImport(Glibc)
  internal import Glibc
#elseif canImport(Musl)
  internal import Musl
#elseif canImport(Darwin)
  internal import Darwin
#endif

/// A table path: the components of a PATH descriptor, validated so that, as file names under
/// the data directory, they can never leave it.
struct TablePath: Hashable, Sendable, Comparable, CustomStringConvertible {
  let components: [String]

  /// The file name suffix of a stored table.
  static let fileExtension = ".arrow"
  /// The longest component: a file name (with the suffix) must fit in NAME_MAX.
  static let maxComponentBytes = 255 - TablePath.fileExtension.utf8.count

  /// Validates `components`.
  ///
  /// - Throws: ``FlightError`` (`.invalidArgument`) for no component, an empty one, one that
  ///   contains `/` or NUL, one that starts with `.` (`.`, `..`, hidden and temporary files),
  ///   or one too long for a file name.
  init(_ components: [String]) throws(FlightError) {
    guard !components.isEmpty else { throw FlightError(.invalidArgument, "the descriptor path is empty") }
    for component in components {
      let shown = String(reflecting: component)
      guard !component.isEmpty else {
        throw FlightError(.invalidArgument, "the descriptor path \(components) has an empty component")
      }
      guard !component.contains("/"), !component.contains("\0") else {
        throw FlightError(.invalidArgument, "the path component \(shown) contains '/' or NUL")
      }
      guard !component.hasPrefix(".") else {
        throw FlightError(.invalidArgument, "the path component \(shown) starts with '.'")
      }
      guard component.utf8.count <= Self.maxComponentBytes else {
        throw FlightError(
          .invalidArgument, "the path component \(shown) is longer than \(Self.maxComponentBytes) bytes")
      }
    }
    self.components = components
  }

  /// The path of a PATH descriptor, or of a CMD descriptor holding `a/b` as UTF-8.
  init(_ descriptor: FlightDescriptor) throws(FlightError) {
    if let components = descriptor.pathComponents {
      try self.init(components)
    } else if let command = descriptor.commandBytes, let text = String(validating: command, as: UTF8.self) {
      try self.init(text.split(separator: "/", omittingEmptySubsequences: false).map(String.init))
    } else {
      throw FlightError(.invalidArgument, "the descriptor is neither a path nor a UTF-8 command")
    }
  }

  /// The components joined with `/` (unambiguous: no component contains `/`).
  var description: String { components.joined(separator: "/") }

  /// The PATH descriptor.
  var descriptor: FlightDescriptor { .forPath(components) }

  static func < (lhs: TablePath, rhs: TablePath) -> Bool { lhs.description < rhs.description }
}

/// A stored table with what serving it needs, worked out once when it is stored (so a
/// GetFlightInfo or a DoGet does not walk the table's chunks again): its batches as they were
/// uploaded (zero-length ones included), the custom metadata of each batch's IPC message, and
/// the table they form.
struct StoredTable: Sendable {
  let table: Table
  /// The batches DoGet sends.
  let batches: [RecordBatch]
  /// The custom metadata of batch `i`'s message (as many as there are batches).
  let batchMetadata: [KeyValueMetadata]
  /// The bytes of the table's buffers (FlightInfo's total_bytes).
  let byteCount: Int

  /// The batches under `schema`, with their metadata (none past the end of the list).
  init(schema: Schema, batches: [RecordBatch], batchMetadata: [KeyValueMetadata] = []) throws(ArrowError) {
    table = try Table(batches: batches, schema: schema)
    self.batches = batches
    self.batchMetadata = batches.indices.map { $0 < batchMetadata.count ? batchMetadata[$0] : KeyValueMetadata() }
    byteCount = table.bufferByteCount
  }

  /// A table's batches (its chunks), without metadata.
  init(_ table: Table) {
    self.table = table
    batches = table.toBatches()
    batchMetadata = Array(repeating: KeyValueMetadata(), count: batches.count)
    byteCount = table.bufferByteCount
  }
}

/// The tables of the server. Reads never wait for a write to disk; writes (puts and drops)
/// are serialized, and each reaches the disk (temporary file, fsync, rename) before memory.
final class TableStore: Sendable {
  private let tables = Mutex<[TablePath: StoredTable]>([:])
  /// Serializes puts and drops so that disk and memory always agree on the last writer.
  private let writes = Mutex<Void>(())
  /// Where tables persist, if they do.
  let directory: URL?

  /// The marker file telling that the data directory was seeded once (so a dropped sample
  /// table stays dropped).
  static let seededMarker = ".flight-seeded"

  /// An in-memory store holding `seed`, or, with a data directory, the tables found there
  /// (the seed is written there the first time).
  init(directory: URL?, seed: [(TablePath, Table)]) throws {
    self.directory = directory
    guard let directory else {
      tables.withLock { tables in for (path, table) in seed { tables[path] = StoredTable(table) } }
      return
    }
    try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
    let marker = directory.appendingPathComponent(Self.seededMarker)
    if !FileManager.default.fileExists(atPath: marker.path) {
      for (path, table) in seed { try persist(StoredTable(table), at: path) }
      try writeAtomically(to: marker) { _ in }
    }
    let loaded = try Self.load(directory)
    tables.withLock { $0 = loaded }
  }

  /// The table at `path`, if any.
  func table(_ path: TablePath) -> StoredTable? {
    tables.withLock { $0[path] }
  }

  /// Every table, sorted by path.
  func all() -> [(path: TablePath, table: StoredTable)] {
    tables.withLock { $0 }.map { (path: $0.key, table: $0.value) }.sorted { $0.path < $1.path }
  }

  /// Stores `table` at `path`, replacing what was there; on disk first when persistent.
  func put(_ table: StoredTable, at path: TablePath) throws {
    try writes.withLock { _ in
      try persist(table, at: path)
      tables.withLock { $0[path] = table }
    }
  }

  /// Removes the table at `path`; false when there was none.
  func drop(_ path: TablePath) throws -> Bool {
    try writes.withLock { _ in
      guard tables.withLock({ $0[path] }) != nil else { return false }
      if let directory {
        let file = Self.fileURL(directory, path)
        if unlink(file.path) != 0 && errno != ENOENT {
          throw FlightError(.internal, "cannot remove \(file.path): \(String(cString: strerror(errno)))")
        }
        syncDirectory(file.deletingLastPathComponent().path)
      }
      tables.withLock { $0[path] = nil }
      return true
    }
  }

  // MARK: Files

  /// `<directory>/<c1>/<c2>/…/<cn>.arrow`.
  static func fileURL(_ directory: URL, _ path: TablePath) -> URL {
    var url = directory
    for component in path.components.dropLast() { url.appendPathComponent(component, isDirectory: true) }
    return url.appendingPathComponent(path.components.last! + TablePath.fileExtension, isDirectory: false)
  }

  /// Writes `table` as an Arrow IPC file at its place under the data directory, atomically.
  private func persist(_ stored: StoredTable, at path: TablePath) throws {
    guard let directory else { return }
    let file = Self.fileURL(directory, path)
    do {
      try FileManager.default.createDirectory(
        at: file.deletingLastPathComponent(), withIntermediateDirectories: true)
    } catch {
      throw FlightError(.internal, "cannot store \(path): \(error.localizedDescription)")
    }
    try writeAtomically(to: file) { handle in
      do {
        let writer = try IPCFileWriter(schema: stored.table.schema, fileHandle: handle)
        for (batch, metadata) in zip(stored.batches, stored.batchMetadata) {
          try writer.write(batch, customMetadata: metadata)
        }
        try writer.finish()
      } catch {
        throw FlightError(.internal, "cannot write \(path) as an Arrow file: \(error)")
      }
    }
  }

  /// Writes `url` with `contents` as a ``ReplacementFile``: whatever `url` named before (a
  /// symbolic link included) is replaced, never written through.
  private func writeAtomically(to url: URL, contents: (FileHandle) throws -> Void) throws {
    do {
      let file = try ReplacementFile(replacing: url.path, newFileMode: 0o644)
      do {
        try contents(file.handle)
      } catch {
        file.discard()
        throw FileWriteError(message: "cannot write \(url.path): \((error as? FlightError)?.message ?? "\(error)")")
      }
      try file.commit()
    } catch let error as FileWriteError {
      throw FlightError(.internal, error.message)
    }
  }

  /// Every table file under `directory`; leftover temporary files are removed.
  private static func load(_ directory: URL) throws -> [TablePath: StoredTable] {
    var tables: [TablePath: StoredTable] = [:]
    let base = directory.standardizedFileURL.pathComponents
    guard
      let enumerator = FileManager.default.enumerator(
        at: directory, includingPropertiesForKeys: [.isRegularFileKey], options: [])
    else { return tables }
    for case let url as URL in enumerator {
      let name = url.lastPathComponent
      guard (try? url.resourceValues(forKeys: [.isRegularFileKey]).isRegularFile) == true else { continue }
      if name.hasPrefix("."), name.hasSuffix(".tmp") {
        try? FileManager.default.removeItem(at: url)
        continue
      }
      guard !name.hasPrefix("."), name.hasSuffix(TablePath.fileExtension) else { continue }
      var components = Array(url.standardizedFileURL.pathComponents.dropFirst(base.count))
      components[components.count - 1] = String(name.dropLast(TablePath.fileExtension.utf8.count))
      guard let path = try? TablePath(components) else { continue }
      do {
        let reader = try IPCFileReader(contentsOfFile: url.path)
        let read = try (0..<reader.recordBatchCount).map { try reader.recordBatchWithMetadata(at: $0) }
        tables[path] = try StoredTable(schema: reader.schema, batches: read.map(\.0), batchMetadata: read.map(\.1))
      } catch {
        throw FlightError(.internal, "cannot load \(url.path): \(error)")
      }
    }
    return tables
  }
}
