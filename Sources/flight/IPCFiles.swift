// Arrow IPC files and streams on disk: what `flight put` reads and `flight get` writes.

import ArrowIPC
import FlightRPC
import Foundation

#if canImport(Glibc)
  import Glibc
#elseif canImport(Musl)
  import Musl
#elseif canImport(Darwin)
  import Darwin
#endif

/// Reads the batches of an Arrow IPC file (it starts with `ARROW1`) or stream (it does not).
struct IPCInput {
  private enum Source {
    case file(IPCFileReader, next: Int)
    case stream(IPCStreamReader)
  }

  /// The schema of the data.
  let schema: Schema
  private var source: Source

  init(path: String) throws {
    guard FileManager.default.isReadableFile(atPath: path) else {
      throw CLIError.io("cannot read \(path): no such readable file")
    }
    let magic: Data
    do {
      let handle = try FileHandle(forReadingFrom: URL(fileURLWithPath: path))
      defer { try? handle.close() }
      magic = try handle.read(upToCount: 6) ?? Data()
    } catch {
      throw CLIError.io("cannot read \(path): \(error.localizedDescription)")
    }
    do {
      if magic == Data("ARROW1".utf8) {
        let reader = try IPCFileReader(contentsOfFile: path)
        schema = reader.schema
        source = .file(reader, next: 0)
      } else {
        let reader = try IPCStreamReader(contentsOfFile: path)
        schema = reader.schema
        source = .stream(reader)
      }
    } catch {
      throw CLIError.invalid("\(path) is not an Arrow IPC file or stream: \(error.message)")
    }
  }

  /// The next record batch, or nil at the end.
  mutating func next() throws -> RecordBatch? {
    try nextWithMetadata()?.batch
  }

  /// The next record batch with the custom metadata of its IPC message, or nil at the end.
  mutating func nextWithMetadata() throws -> (batch: RecordBatch, metadata: KeyValueMetadata)? {
    switch source {
    case .file(let reader, let next):
      guard next < reader.recordBatchCount else { return nil }
      source = .file(reader, next: next + 1)
      return try reader.recordBatchWithMetadata(at: next)
    case .stream(var reader):
      let batch = try reader.next()
      source = .stream(reader)
      guard let batch else { return nil }
      return (batch, reader.lastCustomMetadata)
    }
  }
}

/// Writes an Arrow IPC file or stream to a temporary file beside `path`, renamed over `path`
/// by ``commit()``: a failed transfer leaves no partial file behind.
final class IPCOutput {
  private enum Writer {
    case file(IPCFileWriter)
    case stream(IPCStreamWriter)
  }

  let path: String
  let format: OutputFormat
  private let temporary: String
  private var writer: Writer?

  init(path: String, format: OutputFormat) throws {
    self.path = path
    self.format = format
    let url = URL(fileURLWithPath: path)
    temporary =
      url.deletingLastPathComponent().appendingPathComponent(".\(url.lastPathComponent).\(getpid()).partial").path
    guard FileManager.default.isWritableFile(atPath: url.deletingLastPathComponent().path) else {
      throw CLIError.io("cannot write \(path): its directory does not exist or is not writable")
    }
  }

  /// Starts the file with `schema` (once; later calls do nothing).
  func begin(_ schema: Schema) throws {
    guard writer == nil else { return }
    do {
      switch format {
      case .file: writer = .file(try IPCFileWriter(schema: schema, path: temporary))
      case .stream: writer = .stream(try IPCStreamWriter(schema: schema, path: temporary))
      }
    } catch {
      throw CLIError.io("cannot write \(path): \(error.message)")
    }
  }

  /// Writes `batch`, its IPC message carrying `customMetadata`.
  func write(_ batch: RecordBatch, customMetadata: KeyValueMetadata = KeyValueMetadata()) throws {
    switch writer {
    case .file(let writer):
      do {
        try writer.write(batch, customMetadata: customMetadata)
      } catch {
        throw Self.fileFormatError(error)
      }
    case .stream(let writer): try writer.write(batch, customMetadata: customMetadata)
    case nil: throw CLIError.invalid("the output was not begun")
    }
  }

  /// The error to report for a failed write to the file format: a replaced dictionary (which
  /// the file format cannot hold) says to use the stream format.
  private static func fileFormatError(_ error: ArrowError) -> any Error {
    guard error.message.contains(IPCFileWriter.dictionaryReplacementRefusal) else { return error }
    let message = error.message + "; the IPC file format holds one dictionary per field: fetch it with --format stream"
    return CLIError.invalid(message)
  }

  /// Finishes the file and moves it to `path`.
  func commit() throws {
    switch writer {
    case .file(let writer): try writer.finish()
    case .stream(let writer): try writer.finish()
    case nil: throw CLIError.invalid("the output was not begun")
    }
    guard rename(temporary, path) == 0 else {
      let reason = String(cString: strerror(errno))
      unlink(temporary)
      throw CLIError.io("cannot write \(path): \(reason)")
    }
  }

  /// Removes the temporary file.
  func discard() {
    unlink(temporary)
  }
}
