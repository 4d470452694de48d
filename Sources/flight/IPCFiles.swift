// Arrow IPC files and streams on disk: what `flight put` reads and `flight get` writes.

internal import ArrowIPC
internal import FlightRPC
internal import Foundation

#if canImport(Glibc)
  internal import Glibc
#elseif canImport(Musl)
  internal import Musl
#elseif canImport(Darwin)
  internal import Darwin
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
    try nextWithMetadata()?.batch
  }

  /// The next record batch with the custom metadata of its IPC message, or nil at the end.
  mutating func nextWithMetadata() throws(ArrowError) -> (batch: RecordBatch, metadata: KeyValueMetadata)? {
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

/// Writes an Arrow IPC file or stream where `flight get --output` says:
/// - `-`: standard output;
/// - an existing device, FIFO or other non-regular file: written through, in place (it is
///   opened at once, so a FIFO's reader sees the end of the data, even when the transfer fails);
/// - a symbolic link: the file it points to (through any chain of links), as below; the link stays;
/// - a regular file or a new one: a ``ReplacementFile`` renamed over it by ``commit()``, so a
///   failed transfer leaves no partial file behind; an existing file keeps its permissions.
final class IPCOutput {
  private enum Writer {
    case file(IPCFileWriter)
    case stream(IPCStreamWriter)
  }

  private enum Destination {
    case standardOutput
    case inPlace(FileHandle)
    case replacement(ReplacementFile)
  }

  /// The path as given.
  let path: String
  let format: OutputFormat
  private let destination: Destination
  private var writer: Writer?

  init(path: String, format: OutputFormat) throws {
    self.path = path
    self.format = format
    if path == "-" {
      destination = .standardOutput
      return
    }
    let target = try Self.followingLinks(path)
    var status = stat()
    guard stat(target, &status) == 0 else {
      guard errno == ENOENT else { throw CLIError.io("cannot write \(path): \(errnoText())") }
      do {
        destination = .replacement(try ReplacementFile(replacing: target))
      } catch {
        throw CLIError.io(error.message)
      }
      return
    }
    switch status.st_mode & S_IFMT {
    case S_IFREG:
      do {
        destination = .replacement(try ReplacementFile(replacing: target, existing: status))
      } catch {
        throw CLIError.io(error.message)
      }
    case S_IFDIR:
      throw CLIError.io("cannot write \(path): it is a directory")
    default:
      let descriptor = open(target, O_WRONLY | O_CLOEXEC)
      guard descriptor >= 0 else { throw CLIError.io("cannot write \(path): \(errnoText())") }
      destination = .inPlace(FileHandle(fileDescriptor: descriptor, closeOnDealloc: true))
    }
  }

  /// The path `path` leads to through symbolic links (itself when it is none); the last
  /// link's target need not exist.
  private static func followingLinks(_ path: String) throws -> String {
    var current = path
    for _ in 0..<40 {
      var status = stat()
      guard lstat(current, &status) == 0, status.st_mode & S_IFMT == S_IFLNK else { return current }
      var buffer = [UInt8](repeating: 0, count: Int(PATH_MAX) + 1)
      let count = buffer.withUnsafeMutableBufferPointer { bytes in
        bytes.withMemoryRebound(to: CChar.self) { readlink(current, $0.baseAddress!, $0.count - 1) }
      }
      guard count >= 0 else {
        throw CLIError.io("cannot write \(path): cannot read the link \(current): \(errnoText())")
      }
      let destination = String(decoding: buffer[..<count], as: UTF8.self)
      if destination.hasPrefix("/") {
        current = destination
      } else if let slash = current.lastIndex(of: "/") {
        current = String(current[...slash]) + destination
      } else {
        current = destination
      }
    }
    throw CLIError.io("cannot write \(path): too many levels of symbolic links")
  }

  /// Starts the file with `schema` (once; later calls do nothing).
  func begin(_ schema: Schema) throws {
    guard writer == nil else { return }
    let handle: FileHandle
    switch destination {
    case .standardOutput: handle = FileHandle.standardOutput
    case .inPlace(let file): handle = file
    case .replacement(let file): handle = file.handle
    }
    do {
      switch format {
      case .file: writer = .file(try IPCFileWriter(schema: schema, fileHandle: handle))
      case .stream: writer = .stream(try IPCStreamWriter(schema: schema, fileHandle: handle))
      }
    } catch {
      throw CLIError.io("cannot write \(path): \(error.message)")
    }
  }

  /// Writes `batch`, its IPC message carrying `customMetadata`.
  func write(_ batch: RecordBatch, customMetadata: KeyValueMetadata = KeyValueMetadata()) throws {
    do {
      switch writer {
      case .file(let writer): try writer.write(batch, customMetadata: customMetadata)
      case .stream(let writer): try writer.write(batch, customMetadata: customMetadata)
      case nil: throw CLIError.invalid("the output was not begun")
      }
    } catch let error as ArrowError where error.message.contains(IPCFileWriter.dictionaryReplacementRefusal) {
      // A replaced dictionary, which the file format cannot hold: say to use the stream format.
      throw CLIError.invalid(
        error.message + "; the IPC file format holds one dictionary per field: fetch it with --format stream")
    } catch let error as ArrowError where error.kind == .ioError {
      throw CLIError.io("cannot write \(path): \(error.message)")
    }
  }

  /// Finishes the data; a replacement file is moved to its path.
  func commit() throws {
    do {
      switch writer {
      case .file(let writer): try writer.finish()
      case .stream(let writer): try writer.finish()
      case nil: throw CLIError.invalid("the output was not begun")
      }
    } catch let error as ArrowError {
      throw CLIError.io("cannot write \(path): \(error.message)")
    }
    switch destination {
    case .standardOutput:
      break
    case .inPlace(let file):
      do {
        try file.close()
      } catch {
        throw CLIError.io("cannot write \(path): \(error.localizedDescription)")
      }
    case .replacement(let file):
      do {
        try file.commit()
      } catch {
        throw CLIError.io(error.message)
      }
    }
  }

  /// Abandons the output: a replacement file is removed (its path stays as it was); a device
  /// or FIFO is closed.
  func discard() {
    switch destination {
    case .standardOutput: break
    case .inPlace(let file): try? file.close()
    case .replacement(let file): file.discard()
    }
  }
}
