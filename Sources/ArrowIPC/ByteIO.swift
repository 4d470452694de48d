// Where writers put bytes (memory or a file) and where readers get messages from (a buffer,
// a memory-mapped file, or a file handle read incrementally).

internal import ArrowCore
internal import Foundation

#if canImport(Glibc)
  internal import Glibc
#elseif canImport(Darwin)
  internal import Darwin
#endif

/// An I/O error for a failed system call: `what`, the system's text, and the POSIX error as
/// the cause.
func systemError(_ what: String, _ code: Int32) -> ArrowError {
  .ioError("\(what): \(String(cString: strerror(code)))", cause: POSIXErrorCode(rawValue: code).map { POSIXError($0) })
}

/// Maps the file at `path` into memory read-only: the returned buffer unmaps it when released.
func mapFile(_ path: String) throws(ArrowError) -> Buffer {
  let descriptor = open(path, O_RDONLY)
  guard descriptor >= 0 else { throw systemError("cannot open \(path)", errno) }
  defer { close(descriptor) }
  var status = stat()
  guard fstat(descriptor, &status) == 0 else {
    throw systemError("cannot stat \(path)", errno)
  }
  let size = Int(status.st_size)
  if size == 0 { return Buffer.empty }
  guard let address = mmap(nil, size, PROT_READ, MAP_PRIVATE, descriptor, 0), address != MAP_FAILED else {
    throw systemError("cannot map \(path)", errno)
  }
  let bits = Int(bitPattern: address)
  return Buffer(unsafeForeignMemory: UnsafeRawPointer(address), count: size) {
    _ = munmap(UnsafeMutableRawPointer(bitPattern: bits), size)
  }
}

/// The destination of a writer: memory (collected buffers) or a file handle (small pieces are
/// staged and written together; large buffers are written directly, without a copy).
final class ByteSink {
  private let handle: FileHandle?
  private let closeWhenDone: Bool
  private var parts: [Buffer] = []
  private var staging: [UInt8] = []
  /// The number of bytes written so far.
  private(set) var position = 0

  private static let stagingLimit = 1 << 16

  init() {
    handle = nil
    closeWhenDone = false
  }

  init(handle: FileHandle, closeWhenDone: Bool) {
    self.handle = handle
    self.closeWhenDone = closeWhenDone
  }

  init(path: String) throws(ArrowError) {
    guard FileManager.default.createFile(atPath: path, contents: nil) else {
      throw .ioError("cannot create \(path)")
    }
    do { handle = try FileHandle(forWritingTo: URL(fileURLWithPath: path)) } catch {
      throw .ioError("cannot open \(path) for writing: \(error)", cause: error)
    }
    closeWhenDone = true
  }

  func write(_ bytes: [UInt8]) throws(ArrowError) {
    position += bytes.count
    if handle == nil {
      parts.append(Buffer(copying: bytes))
      return
    }
    staging += bytes
    if staging.count >= ByteSink.stagingLimit { try flush() }
  }

  func write(_ buffer: Buffer) throws(ArrowError) {
    if buffer.isEmpty { return }
    position += buffer.count
    guard let handle else {
      parts.append(buffer)
      return
    }
    if buffer.count < ByteSink.stagingLimit {
      buffer.withUnsafeBytes { staging.append(contentsOf: $0) }
      if staging.count >= ByteSink.stagingLimit { try flush() }
      return
    }
    try flush()
    do {
      try buffer.withUnsafeBytes { bytes in
        let data = Data(
          bytesNoCopy: UnsafeMutableRawPointer(mutating: bytes.baseAddress!), count: bytes.count, deallocator: .none)
        try handle.write(contentsOf: data)
      }
    } catch {
      throw .ioError("write failed: \(error)", cause: error)
    }
  }

  /// Writes a framed message; returns the length of its prefix, metadata and padding.
  @discardableResult
  func write(_ message: EncodedMessage, legacy: Bool, alignment: Int) throws(ArrowError) -> Int {
    let framed = MessageFraming.encapsulate(
      Array(message.metadata), legacy: legacy, position: position, alignment: alignment)
    try write(framed)
    for buffer in message.bodyBuffers { try write(buffer) }
    return framed.count
  }

  func flush() throws(ArrowError) {
    guard let handle, !staging.isEmpty else { return }
    do { try handle.write(contentsOf: staging) } catch { throw .ioError("write failed: \(error)", cause: error) }
    staging.removeAll(keepingCapacity: true)
  }

  /// Flushes, closes an owned file, and returns the bytes written to memory (empty for files).
  func finish() throws(ArrowError) -> Buffer {
    try flush()
    if let handle, closeWhenDone {
      do { try handle.close() } catch { throw .ioError("close failed: \(error)", cause: error) }
    }
    let bytes = Buffer.concatenating(parts)
    parts = [bytes]
    return bytes
  }
}

/// Where a stream reader gets its messages.
enum MessageSource {
  case buffer(Buffer, offset: Int)
  case handle(FileHandle)

  /// The most bytes a reader over a file handle allocates ahead of the bytes it has received:
  /// a longer message is read in pieces of this size, so a lying length costs at most this.
  static let readChunk = 1 << 24

  /// The next message's metadata and body, or nil at the end of the stream. A message longer
  /// than `options.maximumMessageBytes` is refused before its body is read.
  mutating func next(options: IPCReadOptions) throws(ArrowError) -> (MessageView, MessageBody)? {
    switch self {
    case .buffer(let buffer, let offset):
      guard let framed = try MessageFraming.readMessage(from: buffer, at: offset) else {
        self = .buffer(buffer, offset: buffer.count)
        return nil
      }
      try options.checkMessageSize(metadataLength: framed.metadata.count, bodyLength: Int64(framed.body.count))
      self = .buffer(buffer, offset: framed.nextOffset)
      return (framed.message, MessageBody(framed.body))
    case .handle(let handle):
      guard let first = try read(handle, count: 4, allowEnd: true) else { return nil }
      var length = Int32(littleEndian: first.loadUnaligned(as: Int32.self))
      if UInt32(bitPattern: length) == MessageFraming.continuationMarker {
        guard let second = try read(handle, count: 4, allowEnd: false) else { return nil }
        length = Int32(littleEndian: second.loadUnaligned(as: Int32.self))
      }
      guard length >= 0 else { throw .invalid("message metadata length \(length) is negative") }
      if length == 0 { return nil }
      try options.checkMessageSize(metadataLength: Int(length), bodyLength: 0)
      guard let metadata = try read(handle, count: Int(length), allowEnd: false) else { return nil }
      let message = try MessageView(metadata)
      let bodyLength = try message.bodyLength()
      try options.checkMessageSize(metadataLength: Int(length), bodyLength: bodyLength)
      return (message, MessageBody(parts: try readPieces(handle, count: Int(bodyLength))))
    }
  }

  /// Reads exactly `count` bytes into one buffer: nil at a clean end when `allowEnd`, an
  /// error at a truncated message.
  private func read(_ handle: FileHandle, count: Int, allowEnd: Bool) throws(ArrowError) -> Buffer? {
    if count <= MessageSource.readChunk {
      return try readInPlace(handle.fileDescriptor, count: count, allowEnd: allowEnd, total: count, before: 0)
    }
    return Buffer.concatenating(try readPieces(handle, count: count))
  }

  /// Reads exactly `count` bytes in pieces of at most ``readChunk`` bytes, each allocated only
  /// once the previous one is full.
  private func readPieces(_ handle: FileHandle, count: Int) throws(ArrowError) -> [Buffer] {
    var pieces: [Buffer] = []
    var received = 0
    while received < count {
      let size = min(count - received, MessageSource.readChunk)
      if let piece = try readInPlace(
        handle.fileDescriptor, count: size, allowEnd: false, total: count, before: received)
      {
        pieces.append(piece)
      }
      received += size
    }
    return pieces
  }

  /// Reads `count` bytes straight into a new buffer (one copy, from the kernel); `total` and
  /// `before` place them in the message for the error of a truncated stream.
  private func readInPlace(
    _ descriptor: Int32, count: Int, allowEnd: Bool, total: Int, before: Int
  ) throws(ArrowError) -> Buffer? {
    if count == 0 { return Buffer.empty }
    var filled = 0
    var failure: Int32 = 0
    let buffer = Buffer(unsafeUninitializedCount: count) { memory in
      while filled < count {
        let result = systemRead(descriptor, memory.baseAddress! + filled, count - filled)
        if result < 0 {
          if errno == EINTR { continue }
          failure = errno
          return
        }
        if result == 0 { return }
        filled += result
      }
    }
    if failure != 0 { throw systemError("read failed", failure) }
    if filled < count {
      if filled == 0 && allowEnd { return nil }
      throw .invalid("the stream ends inside a message (\(before + filled) of \(total) bytes)")
    }
    return buffer
  }
}

private func systemRead(_ descriptor: Int32, _ buffer: UnsafeMutableRawPointer, _ count: Int) -> Int {
  #if canImport(Glibc)
    Glibc.read(descriptor, buffer, count)
  #else
    Darwin.read(descriptor, buffer, count)
  #endif
}
