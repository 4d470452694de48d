// Bitmaps (validity and boolean data) and the growable byte storage that builders write into.

/// A read-only view of `length` bits of a ``Buffer``, starting at bit `offset` (LSB first).
public struct Bitmap: Sendable, RandomAccessCollection {
  /// The bytes holding the bits.
  public let buffer: Buffer
  /// The bit offset of the first bit of the view.
  public let offset: Int
  /// The number of bits in the view.
  public let length: Int

  /// A view of `length` bits of `buffer` starting at bit `offset`.
  ///
  /// - Precondition: the bits lie inside the buffer.
  public init(_ buffer: Buffer, offset: Int = 0, length: Int) {
    precondition(offset >= 0 && length >= 0 && (offset + length + 7) / 8 <= buffer.count, "bitmap outside its buffer")
    self.buffer = buffer
    self.offset = offset
    self.length = length
  }

  /// The first index (0).
  public var startIndex: Int { 0 }
  /// The number of bits.
  public var endIndex: Int { length }

  /// The bit at `position`.
  public subscript(position: Int) -> Bool {
    precondition(position >= 0 && position < length, "bit \(position) is outside 0..<\(length)")
    return buffer.withUnsafeBytes { bitIsSet($0, offset + position) }
  }

  /// The number of set bits.
  public var setBitCount: Int { buffer.withUnsafeBytes { countSetBits($0, offset: offset, length: length) } }

  /// A bitmap buffer (starting at bit 0) holding `bits`.
  public static func buffer<Bits: Sequence>(from bits: Bits) -> Buffer where Bits.Element == Bool {
    var builder = BitmapBuilder()
    for bit in bits { builder.append(bit) }
    return builder.finish()
  }
}

@inlinable @inline(__always)
func bitIsSet(_ bytes: UnsafeRawBufferPointer, _ index: Int) -> Bool {
  (bytes[index >> 3] >> UInt8(index & 7)) & 1 == 1
}

/// The number of set bits in `bytes` from bit `offset` for `length` bits.
func countSetBits(_ bytes: UnsafeRawBufferPointer, offset: Int, length: Int) -> Int {
  guard length > 0 else { return 0 }
  var count = 0
  var index = offset
  let end = offset + length
  while index < end && index & 63 != 0 {
    if bitIsSet(bytes, index) { count += 1 }
    index += 1
  }
  while index + 64 <= end {
    count += bytes.loadUnaligned(fromByteOffset: index >> 3, as: UInt64.self).nonzeroBitCount
    index += 64
  }
  while index < end {
    if bitIsSet(bytes, index) { count += 1 }
    index += 1
  }
  return count
}

/// Growable, 64-byte aligned memory that turns into a ``Buffer`` without a copy.
final class ByteStorage {
  private(set) var pointer: UnsafeMutableRawPointer?
  private(set) var capacity = 0
  private(set) var count = 0

  init(capacity: Int = 0) {
    if capacity > 0 { reserve(capacity) }
  }

  deinit { pointer?.deallocate() }

  func reserve(_ needed: Int) {
    guard needed > capacity else { return }
    var newCapacity = Swift.max(64, capacity * 2)
    while newCapacity < needed { newCapacity *= 2 }
    newCapacity = (newCapacity + 63) & ~63
    let memory = UnsafeMutableRawPointer.allocate(byteCount: newCapacity, alignment: bufferAlignment)
    if let pointer {
      memory.copyMemory(from: pointer, byteCount: count)
      pointer.deallocate()
    }
    pointer = memory
    capacity = newCapacity
  }

  func append<T: BitwiseCopyable>(_ value: T) {
    let size = MemoryLayout<T>.size
    reserve(count + size)
    pointer!.storeBytes(of: value, toByteOffset: count, as: T.self)
    count += size
  }

  func append(contentsOf bytes: UnsafeRawBufferPointer) {
    guard bytes.count > 0 else { return }
    reserve(count + bytes.count)
    (pointer! + count).copyMemory(from: bytes.baseAddress!, byteCount: bytes.count)
    count += bytes.count
  }

  func appendZeros(_ n: Int) {
    guard n > 0 else { return }
    reserve(count + n)
    (pointer! + count).initializeMemory(as: UInt8.self, repeating: 0, count: n)
    count += n
  }

  /// Sets byte `index` (which must be below `count`).
  func withMutableByte(_ index: Int, _ body: (inout UInt8) -> Void) {
    var byte = pointer!.load(fromByteOffset: index, as: UInt8.self)
    body(&byte)
    pointer!.storeBytes(of: byte, toByteOffset: index, as: UInt8.self)
  }

  /// Hands the bytes over to a ``Buffer`` (no copy) and empties this storage.
  func finish() -> Buffer {
    guard let pointer, count > 0 else {
      return Buffer()
    }
    nonisolated(unsafe) let owned = pointer
    let buffer = Buffer(unsafeForeignMemory: UnsafeRawPointer(pointer), count: count) { owned.deallocate() }
    self.pointer = nil
    capacity = 0
    count = 0
    return buffer
  }
}

/// Builds a bitmap bit by bit.
struct BitmapBuilder {
  private let storage = ByteStorage()
  private(set) var length = 0
  private(set) var setCount = 0

  mutating func append(_ bit: Bool) {
    if length & 7 == 0 { storage.append(UInt8(0)) }
    if bit {
      let shift = UInt8(length & 7)
      storage.withMutableByte(length >> 3) { $0 |= 1 << shift }
      setCount += 1
    }
    length += 1
  }

  mutating func append(_ bit: Bool, count n: Int) {
    for _ in 0..<n { append(bit) }
  }

  func finish() -> Buffer { storage.finish() }
}

/// Builds a validity bitmap lazily: no buffer at all while every slot is valid.
struct ValidityBuilder {
  private var bits: BitmapBuilder?
  private(set) var length = 0
  private(set) var nullCount = 0

  mutating func append(_ valid: Bool) {
    if !valid && bits == nil {
      var builder = BitmapBuilder()
      builder.append(true, count: length)
      bits = builder
    }
    bits?.append(valid)
    if !valid { nullCount += 1 }
    length += 1
  }

  /// The validity buffer, or `nil` when every slot is valid.
  func finish() -> Buffer? { bits?.finish() }
}

extension Buffer {
  /// A bitmap of `count` bits (LSB first) where bit `i` is `bit(i)`; trailing bits are zero.
  static func bitmap(count: Int, _ bit: (Int) -> Bool) -> Buffer {
    let byteCount = (count + 7) / 8
    return Buffer(unsafeUninitializedCount: byteCount) { memory in
      var index = 0
      for byteIndex in 0..<byteCount {
        var byte: UInt8 = 0
        for shift in 0..<8 where index + shift < count && bit(index + shift) {
          byte |= 1 << UInt8(shift)
        }
        memory[byteIndex] = byte
        index += 8
      }
    }
  }
}
