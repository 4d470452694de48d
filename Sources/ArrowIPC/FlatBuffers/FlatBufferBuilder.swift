// A small FlatBuffers builder, writing back to front as the format expects (children before
// the tables that point to them, so every `uoffset` points forward).
//
// Positions are tracked as distances from the end of the finished buffer ("offsets from the
// end"), which do not change as more bytes are prepended. Every scalar is aligned to its size
// relative to the end; `finish` pads the whole buffer to the largest alignment used, so the
// alignment also holds relative to the start, as FlatBuffers verifiers (Arrow C++) require.

internal import ArrowCore

/// A reference to an object already written by a ``FlatBufferBuilder``.
package struct FBOffset: Sendable, Hashable {
  /// The object's distance from the end of the buffer.
  package let fromEnd: Int
}

/// Builds one flatbuffer: strings, vectors, and tables with deduplicated vtables.
///
/// ```swift
/// var builder = FlatBufferBuilder()
/// let name = builder.createString("x")
/// builder.startTable()
/// builder.addOffset(slot: 0, name)
/// builder.add(slot: 1, true, default: false)
/// let root = builder.endTable()
/// let bytes = builder.finish(root: root)
/// ```
package struct FlatBufferBuilder {
  /// Bytes live in `storage[head...]`; the front is free space to prepend into.
  private var storage: [UInt8]
  private var head: Int
  private var minimumAlignment = 1
  /// The fields of the table being built: slot and offset from the end.
  private var tableFields: [(slot: Int, fromEnd: Int)] = []
  /// The size of the buffer when the current table started, or nil outside a table.
  private var tableStart: Int?
  /// Vtables written so far, for deduplication: their bytes and offset from the end.
  private var vtables: [(bytes: [UInt8], fromEnd: Int)] = []
  private var finished = false

  /// An empty builder with room for `capacity` bytes before it grows.
  package init(capacity: Int = 1024) {
    storage = [UInt8](repeating: 0, count: max(capacity, 16))
    head = storage.count
  }

  /// The number of bytes written so far.
  package var size: Int { storage.count - head }

  // MARK: Raw writing

  private mutating func reserve(_ byteCount: Int) {
    if head >= byteCount { return }
    let used = size
    var newCapacity = max(storage.count, 16)
    while newCapacity - used < byteCount { newCapacity *= 2 }
    var grown = [UInt8](repeating: 0, count: newCapacity)
    let newHead = newCapacity - used
    grown.withUnsafeMutableBytes { destination in
      storage.withUnsafeBytes { source in
        UnsafeMutableRawBufferPointer(rebasing: destination[newHead...])
          .copyMemory(from: UnsafeRawBufferPointer(rebasing: source[head...]))
      }
    }
    storage = grown
    head = newHead
  }

  /// Pads with zeros so that, after `additional` more bytes, the size is a multiple of `alignment`.
  private mutating func align(_ alignment: Int, additional: Int = 0) {
    if alignment > minimumAlignment { minimumAlignment = alignment }
    let padding = (alignment - ((size + additional) & (alignment - 1))) & (alignment - 1)
    reserve(padding)
    for _ in 0..<padding {
      head -= 1
      storage[head] = 0
    }
  }

  private mutating func pushScalar<T: FixedWidthInteger>(_ value: T) {
    let width = MemoryLayout<T>.size
    reserve(width)
    head -= width
    let position = head
    storage.withUnsafeMutableBytes { bytes in
      bytes.storeBytes(of: value.littleEndian, toByteOffset: position, as: T.self)
    }
  }

  private mutating func pushBytes(_ bytes: some Collection<UInt8>) {
    let count = bytes.count
    reserve(count)
    head -= count
    var position = head
    for byte in bytes {
      storage[position] = byte
      position += 1
    }
  }

  /// Writes a `uoffset` to `target` at the current (4-aligned) position.
  private mutating func pushOffset(_ target: FBOffset) {
    align(4)
    precondition(target.fromEnd <= size, "offset to an object not yet written")
    pushScalar(UInt32(size + 4 - target.fromEnd))
  }

  // MARK: Objects

  /// Writes a string (length, UTF-8 bytes, NUL terminator).
  package mutating func createString(_ string: String) -> FBOffset {
    createString(bytes: Array(string.utf8))
  }

  /// Writes a string from raw bytes.
  package mutating func createString(bytes: [UInt8]) -> FBOffset {
    precondition(tableStart == nil, "strings must be created outside a table")
    align(4, additional: bytes.count + 1)
    pushScalar(UInt8(0))
    pushBytes(bytes)
    pushScalar(UInt32(bytes.count))
    return FBOffset(fromEnd: size)
  }

  /// Writes a vector of little-endian integers.
  package mutating func createVector<T: FixedWidthInteger>(_ elements: [T]) -> FBOffset {
    precondition(tableStart == nil, "vectors must be created outside a table")
    let width = MemoryLayout<T>.size
    align(4, additional: elements.count * width)
    align(width, additional: elements.count * width)
    for element in elements.reversed() { pushScalar(element) }
    pushScalar(UInt32(elements.count))
    return FBOffset(fromEnd: size)
  }

  /// Writes a vector of `count` structs given as their concatenated little-endian bytes.
  package mutating func createStructVector(bytes: [UInt8], count: Int, alignment: Int) -> FBOffset {
    precondition(tableStart == nil, "vectors must be created outside a table")
    precondition(count == 0 ? bytes.isEmpty : bytes.count % count == 0, "struct bytes do not divide into \(count)")
    align(4, additional: bytes.count)
    align(alignment, additional: bytes.count)
    pushBytes(bytes)
    pushScalar(UInt32(count))
    return FBOffset(fromEnd: size)
  }

  /// Writes a vector of references to tables or strings.
  package mutating func createOffsetVector(_ elements: [FBOffset]) -> FBOffset {
    precondition(tableStart == nil, "vectors must be created outside a table")
    align(4, additional: elements.count * 4)
    for element in elements.reversed() { pushOffset(element) }
    pushScalar(UInt32(elements.count))
    return FBOffset(fromEnd: size)
  }

  /// Writes a vector of strings.
  package mutating func createStringVector(_ strings: [String]) -> FBOffset {
    let offsets = strings.map { createString($0) }
    return createOffsetVector(offsets)
  }

  // MARK: Tables

  /// Starts a table; add its fields, then call ``endTable()``.
  package mutating func startTable() {
    precondition(tableStart == nil, "tables cannot be nested while being built")
    tableFields.removeAll(keepingCapacity: true)
    tableStart = size
  }

  /// Adds integer field `slot`, omitted when equal to `defaultValue` (readers then use the default).
  package mutating func add<T: FixedWidthInteger>(slot: Int, _ value: T, default defaultValue: T) {
    if value == defaultValue { return }
    add(slot: slot, value)
  }

  /// Adds integer field `slot`, always written.
  package mutating func add<T: FixedWidthInteger>(slot: Int, _ value: T) {
    precondition(tableStart != nil, "add outside a table")
    align(MemoryLayout<T>.size)
    pushScalar(value)
    tableFields.append((slot, size))
  }

  /// Adds boolean field `slot`, omitted when equal to `defaultValue`.
  package mutating func add(slot: Int, _ value: Bool, default defaultValue: Bool) {
    if value == defaultValue { return }
    add(slot: slot, UInt8(value ? 1 : 0))
  }

  /// Adds reference field `slot` (a string, vector or table written before this table started).
  package mutating func addOffset(slot: Int, _ target: FBOffset) {
    precondition(tableStart != nil, "addOffset outside a table")
    pushOffset(target)
    tableFields.append((slot, size))
  }

  /// Adds reference field `slot` when `target` is not nil.
  package mutating func addOffset(slot: Int, _ target: FBOffset?) {
    if let target { addOffset(slot: slot, target) }
  }

  /// Finishes the current table, writing (or reusing) its vtable.
  package mutating func endTable() -> FBOffset {
    guard let start = tableStart else { preconditionFailure("endTable without startTable") }
    align(4)
    pushScalar(Int32(0))  // soffset to the vtable, patched below
    let table = size
    let slotCount = (tableFields.map(\.slot).max() ?? -1) + 1
    var entries = [UInt16](repeating: 0, count: slotCount)
    for field in tableFields {
      entries[field.slot] = UInt16(table - field.fromEnd)
    }
    var vtable: [UInt8] = []
    vtable.reserveCapacity(4 + 2 * slotCount)
    for value in [UInt16(4 + 2 * slotCount), UInt16(table - start)] + entries {
      vtable.append(UInt8(truncatingIfNeeded: value))
      vtable.append(UInt8(truncatingIfNeeded: value >> 8))
    }
    let vtableOffset: Int
    if let existing = vtables.first(where: { $0.bytes == vtable }) {
      vtableOffset = existing.fromEnd
    } else {
      pushBytes(vtable)
      vtableOffset = size
      vtables.append((vtable, vtableOffset))
    }
    // soffset = table position - vtable position, in absolute positions (end - fromEnd).
    let soffset = Int32(vtableOffset - table)
    let position = storage.count - table
    storage.withUnsafeMutableBytes { bytes in
      bytes.storeBytes(of: soffset.littleEndian, toByteOffset: position, as: Int32.self)
    }
    tableStart = nil
    tableFields.removeAll(keepingCapacity: true)
    return FBOffset(fromEnd: table)
  }

  /// Writes the root offset and returns the finished flatbuffer's bytes.
  package mutating func finish(root: FBOffset) -> [UInt8] {
    precondition(tableStart == nil && !finished, "finish inside a table or twice")
    align(max(minimumAlignment, 8), additional: 4)
    pushOffset(root)
    finished = true
    return Array(storage[head...])
  }
}
