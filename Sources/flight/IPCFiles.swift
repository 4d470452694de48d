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
  mutating func next() throws(ArrowError) -> RecordBatch? {
    switch source {
    case .file(let reader, let next):
      guard next < reader.recordBatchCount else { return nil }
      source = .file(reader, next: next + 1)
      return try reader.recordBatch(at: next)
    case .stream(var reader):
      let batch = try reader.next()
      source = .stream(reader)
      return batch
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

  func write(_ batch: RecordBatch) throws {
    switch writer {
    case .file(let writer): try writer.write(batch)
    case .stream(let writer): try writer.write(batch)
    case nil: throw CLIError.invalid("the output was not begun")
    }
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
