// The one byte-owner type of every layer: immutable, reference counted, sliceable without a copy.

#if canImport(Glibc)
  internal import Glibc
#elseif canImport(Darwin)
  internal import Darwin
#endif

/// The alignment, in bytes, of every buffer that ``Buffer`` allocates itself.
///
/// Arrow recommends 64-byte alignment so that SIMD loads never straddle cache lines.
public let bufferAlignment = 64

/// The memory behind one or more ``Buffer`` values.
///
/// Either memory allocated here (64-byte aligned, freed on `deinit`) or foreign memory
/// (a gRPC slice, a memory map) released through a hook when the last reference goes.
@usableFromInline
final class BufferStorage: @unchecked Sendable {
  // Sendable: the bytes are never mutated after construction, and `deinit` runs once.
  @usableFromInline let base: UnsafeRawPointer?
  @usableFromInline let capacity: Int
  /// Runs when the storage goes: frees our allocation, or the foreign owner's hook.
  private let release: (@Sendable () -> Void)?
  /// Whether `base` was allocated here (and is freed on `deinit`).
  private let ownsAllocation: Bool

  /// Allocates `capacity` bytes, aligned to ``bufferAlignment``, and lets `initialize` fill them.
  init(capacity: Int, initialize: (UnsafeMutableRawBufferPointer) throws -> Void) rethrows {
    precondition(capacity >= 0, "a buffer cannot have a negative size")
    if capacity == 0 {
      self.base = nil
      self.capacity = 0
      self.release = nil
      self.ownsAllocation = false
      try initialize(UnsafeMutableRawBufferPointer(start: nil, count: 0))
      return
    }
    let memory = UnsafeMutableRawPointer.allocate(byteCount: capacity, alignment: bufferAlignment)
    do {
      try initialize(UnsafeMutableRawBufferPointer(start: memory, count: capacity))
    } catch {
      memory.deallocate()
      throw error
    }
    self.base = UnsafeRawPointer(memory)
    self.capacity = capacity
    self.release = nil
    self.ownsAllocation = true
  }

  /// Wraps foreign memory; `release` runs exactly once, when the last reference goes.
  init(foreign base: UnsafeRawPointer?, count: Int, release: @escaping @Sendable () -> Void) {
    precondition(count >= 0, "a buffer cannot have a negative size")
    self.base = base
    self.capacity = count
    self.release = release
    self.ownsAllocation = false
  }

  deinit {
    if ownsAllocation, let base {
      UnsafeMutableRawPointer(mutating: base).deallocate()
    }
    release?()
  }
}

/// An immutable, reference-counted run of bytes: the one byte owner of ArrowCore, ArrowIPC,
/// FlightProto and FlightTransport.
///
/// A `Buffer` is a view (offset and count) over shared storage, so slicing never copies.
/// Storage is either allocated here, aligned to ``bufferAlignment`` bytes, or foreign memory
/// (a received gRPC slice, a memory-mapped file) that is released through a hook when the
/// last `Buffer` viewing it goes away.
///
/// ```swift
/// let buffer = Buffer(copying: [1, 2, 3, 4])
/// let tail = buffer.slice(2..<4)       // no copy
/// tail.withUnsafeBytes { Array($0) }   // [3, 4]
/// ```
public struct Buffer: Sendable {
  @usableFromInline let storage: BufferStorage
  @usableFromInline let offset: Int

  /// The number of bytes in this view.
  public let count: Int

  @inlinable init(storage: BufferStorage, offset: Int, count: Int) {
    self.storage = storage
    self.offset = offset
    self.count = count
  }

  /// An empty buffer.
  public init() {
    self = Buffer.empty
  }

  /// The shared empty buffer.
  public static let empty = Buffer(storage: BufferStorage(capacity: 0) { _ in }, offset: 0, count: 0)

  /// Allocates `count` aligned bytes and lets `initializer` write them.
  ///
  /// The initializer must write every byte it wants defined: the memory is not zeroed.
  /// Use ``zeroed(count:)`` for zero-filled memory.
  public init(
    unsafeUninitializedCount count: Int,
    initializingWith initializer: (UnsafeMutableRawBufferPointer) throws -> Void
  ) rethrows {
    let storage = try BufferStorage(capacity: count, initialize: initializer)
    self.init(storage: storage, offset: 0, count: count)
  }

  /// A buffer of `count` zero bytes.
  public static func zeroed(count: Int) -> Buffer {
    Buffer(unsafeUninitializedCount: count) { memory in
      if count > 0 { memory.baseAddress!.initializeMemory(as: UInt8.self, repeating: 0, count: count) }
    }
  }

  /// Copies `bytes` into a new aligned buffer.
  public init<Bytes: Sequence>(copying bytes: Bytes) where Bytes.Element == UInt8 {
    let array = Array(bytes)
    self.init(unsafeUninitializedCount: array.count) { memory in
      array.withUnsafeBytes { source in memory.copyMemory(from: source) }
    }
  }

  /// Copies the raw bytes of `source` into a new aligned buffer.
  public init(copyingRawBytes source: UnsafeRawBufferPointer) {
    self.init(unsafeUninitializedCount: source.count) { memory in
      if source.count > 0 { memory.copyMemory(from: source) }
    }
  }

  /// Wraps `count` bytes of foreign memory at `base` without copying them.
  ///
  /// `release` runs exactly once, when the last `Buffer` viewing this memory (slices
  /// included) is gone. The memory must stay valid and unchanged until then.
  public init(
    unsafeForeignMemory base: UnsafeRawPointer?,
    count: Int,
    release: @escaping @Sendable () -> Void
  ) {
    self.init(storage: BufferStorage(foreign: base, count: count, release: release), offset: 0, count: count)
  }

  /// Whether this buffer has no bytes.
  @inlinable public var isEmpty: Bool { count == 0 }

  /// A view of `range` of this buffer's bytes, sharing its storage (no copy).
  ///
  /// - Precondition: `range` lies within `0..<count`.
  @inlinable public func slice(_ range: Range<Int>) -> Buffer {
    precondition(range.lowerBound >= 0 && range.upperBound <= count, "slice \(range) is outside 0..<\(count)")
    return Buffer(storage: storage, offset: offset + range.lowerBound, count: range.count)
  }

  /// A view of `count` bytes starting at `start`, or `nil` when that range is not inside the buffer.
  ///
  /// The checked form for ranges that come from untrusted input.
  @inlinable public func slice(from start: Int, count length: Int) -> Buffer? {
    guard start >= 0, length >= 0, start <= count, length <= count - start else { return nil }
    return Buffer(storage: storage, offset: offset + start, count: length)
  }

  /// Calls `body` with the bytes of this view. The pointer must not escape `body`.
  @inlinable public func withUnsafeBytes<R, E: Error>(
    _ body: (UnsafeRawBufferPointer) throws(E) -> R
  ) throws(E) -> R {
    guard let base = storage.base else {
      return try body(UnsafeRawBufferPointer(start: nil, count: 0))
    }
    return try body(UnsafeRawBufferPointer(start: base + offset, count: count))
  }

  /// Whether the first byte of this view is aligned to `alignment` bytes (a power of two).
  public func isAligned(to alignment: Int) -> Bool {
    withUnsafeBytes { bytes in
      guard let base = bytes.baseAddress else { return true }
      return Int(bitPattern: base) & (alignment - 1) == 0
    }
  }

  /// Loads a value of `type` from `byteOffset`, with no alignment requirement.
  ///
  /// - Precondition: the value lies inside the buffer.
  @inlinable public func loadUnaligned<T: BitwiseCopyable>(fromByteOffset byteOffset: Int = 0, as type: T.Type) -> T {
    precondition(
      byteOffset >= 0 && byteOffset + MemoryLayout<T>.size <= count,
      "load of \(MemoryLayout<T>.size) bytes at \(byteOffset) is outside a buffer of \(count) bytes")
    return withUnsafeBytes { $0.loadUnaligned(fromByteOffset: byteOffset, as: T.self) }
  }

  /// A copy of this view in fresh aligned storage (use when a view must outlive a large parent).
  public func copy() -> Buffer {
    withUnsafeBytes { Buffer(copyingRawBytes: $0) }
  }

  /// Whether two buffers view the very same bytes of the same storage.
  public func isIdentical(to other: Buffer) -> Bool {
    storage === other.storage && offset == other.offset && count == other.count
  }

  /// Concatenates `buffers` into one new aligned buffer.
  public static func concatenating<Buffers: Sequence>(_ buffers: Buffers) -> Buffer where Buffers.Element == Buffer {
    let parts = Array(buffers)
    if parts.count == 1 { return parts[0] }
    let total = parts.reduce(0) { $0 + $1.count }
    return Buffer(unsafeUninitializedCount: total) { memory in
      var position = 0
      for part in parts {
        part.withUnsafeBytes { source in
          if source.count > 0 {
            UnsafeMutableRawBufferPointer(rebasing: memory[position..<position + source.count]).copyMemory(from: source)
          }
        }
        position += part.count
      }
    }
  }
}

extension Buffer: RandomAccessCollection {
  /// The first index, always 0: indices are relative to this view.
  @inlinable public var startIndex: Int { 0 }
  /// One past the last index: ``count``.
  @inlinable public var endIndex: Int { count }

  /// The byte at `position` (relative to this view).
  @inlinable public subscript(position: Int) -> UInt8 {
    precondition(position >= 0 && position < count, "index \(position) is outside 0..<\(count)")
    return storage.base!.load(fromByteOffset: offset + position, as: UInt8.self)
  }

  /// Calls `body` with the bytes as `UInt8`s: a buffer's storage is always contiguous.
  @inlinable public func withContiguousStorageIfAvailable<R>(
    _ body: (UnsafeBufferPointer<UInt8>) throws -> R
  ) rethrows -> R? {
    try withUnsafeBytes { raw in try body(raw.bindMemory(to: UInt8.self)) }
  }
}

extension Buffer: Equatable, Hashable {
  /// Buffers are equal when their bytes are equal, wherever they live.
  public static func == (lhs: Buffer, rhs: Buffer) -> Bool {
    guard lhs.count == rhs.count else { return false }
    if lhs.isIdentical(to: rhs) || lhs.count == 0 { return true }
    return lhs.withUnsafeBytes { left in
      rhs.withUnsafeBytes { right in memcmp(left.baseAddress!, right.baseAddress!, left.count) == 0 }
    }
  }

  /// Hashes the bytes of this view.
  public func hash(into hasher: inout Hasher) {
    withUnsafeBytes { hasher.combine(bytes: $0) }
  }
}

extension Buffer: ExpressibleByArrayLiteral {
  /// A buffer holding the listed bytes.
  public init(arrayLiteral elements: UInt8...) {
    self.init(copying: elements)
  }
}

extension Buffer: CustomStringConvertible {
  /// A short description: the size and the first bytes in hex.
  public var description: String {
    let shown = prefix(16).map { byte in
      let hex = String(byte, radix: 16)
      return byte < 16 ? "0" + hex : hex
    }
    return "Buffer(\(count) bytes: \(shown.joined(separator: " "))\(count > 16 ? " …" : ""))"
  }
}
