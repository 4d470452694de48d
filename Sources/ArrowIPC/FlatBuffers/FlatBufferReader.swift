// A hand-written, bounds-checked FlatBuffers reader over `Buffer`.
//
// Every offset and length read from the bytes is checked before use: malformed input gives an
// `ArrowError`, never a crash. Arithmetic on values from the input is overflow-checked, and
// nested table access is limited in depth so that cyclic offsets cannot recurse forever.
//
// Binary format (little-endian throughout):
// - the buffer starts with a `uoffset` (u32) to the root table, relative to position 0;
// - a table starts with an `soffset` (i32): its vtable lies at `table - soffset`;
// - a vtable is `u16 vtableSize, u16 tableSize, u16 fieldOffset[n]`, a field offset of 0 (or a
//   slot past the vtable's end) meaning "absent, use the default";
// - a reference field (string, vector, table) holds a `uoffset` relative to the field itself;
// - a vector (and a string) is `u32 count` followed by its elements (a string also has a NUL);
//   a vector of tables or strings holds `uoffset`s relative to each element's own position.

package import ArrowCore

/// Checked reading of FlatBuffers data held in a ``Buffer``.
package struct FlatBufferReader: Sendable {
  /// The default limit on table nesting (each table reached through another adds one level).
  package static let defaultMaximumDepth = 64

  /// The bytes of the flatbuffer.
  package let buffer: Buffer
  /// The deepest nesting of tables this reader follows before it throws.
  package let maximumDepth: Int

  /// A reader over `buffer`, following tables at most `maximumDepth` levels deep.
  package init(_ buffer: Buffer, maximumDepth: Int = FlatBufferReader.defaultMaximumDepth) {
    self.buffer = buffer
    self.maximumDepth = maximumDepth
  }

  /// The root table: the one the `uoffset` at position 0 points to.
  package func rootTable() throws(ArrowError) -> FBTable {
    guard buffer.count >= 8 else {
      throw .invalid("flatbuffer of \(buffer.count) bytes is too short to hold a root table")
    }
    let target = try followOffset(at: 0)
    return try table(at: target, depth: 0)
  }

  // MARK: Checked loads

  /// Throws unless `size` bytes at `position` lie inside the buffer.
  @inline(__always)
  package func checkRange(_ position: Int, _ size: Int, _ what: @autoclosure () -> String) throws(ArrowError) {
    guard position >= 0, size >= 0, position <= buffer.count, size <= buffer.count - position else {
      throw .invalid("flatbuffer \(what()) at \(position) (\(size) bytes) is outside the \(buffer.count)-byte buffer")
    }
  }

  /// Loads a little-endian integer at `position`, checking bounds.
  @inline(__always)
  package func load<T: FixedWidthInteger & BitwiseCopyable>(_ type: T.Type, at position: Int) throws(ArrowError) -> T {
    try checkRange(position, MemoryLayout<T>.size, "\(T.self)")
    return uncheckedLoad(T.self, at: position)
  }

  /// Loads a little-endian integer at `position`, which the caller has already checked.
  @inline(__always)
  package func uncheckedLoad<T: FixedWidthInteger & BitwiseCopyable>(_ type: T.Type, at position: Int) -> T {
    buffer.withUnsafeBytes { bytes in T(littleEndian: bytes.loadUnaligned(fromByteOffset: position, as: T.self)) }
  }

  /// The absolute position a `uoffset` stored at `position` points to.
  package func followOffset(at position: Int) throws(ArrowError) -> Int {
    let relative = try load(UInt32.self, at: position)
    let (target, overflow) = position.addingReportingOverflow(Int(relative))
    guard !overflow, target < buffer.count else {
      throw .invalid("flatbuffer offset \(relative) at \(position) points outside the \(buffer.count)-byte buffer")
    }
    return target
  }

  /// The table at absolute `position`, with its vtable checked.
  package func table(at position: Int, depth: Int) throws(ArrowError) -> FBTable {
    guard depth <= maximumDepth else {
      throw .invalid("flatbuffer tables nest deeper than \(maximumDepth) levels")
    }
    let soffset = try load(Int32.self, at: position)
    let (vtable, overflow) = position.subtractingReportingOverflow(Int(soffset))
    guard !overflow else { throw .invalid("flatbuffer vtable offset \(soffset) at \(position) overflows") }
    try checkRange(vtable, 4, "vtable header")
    let vtableSize = Int(uncheckedLoad(UInt16.self, at: vtable))
    let tableSize = Int(uncheckedLoad(UInt16.self, at: vtable + 2))
    guard vtableSize >= 4, vtableSize % 2 == 0 else {
      throw .invalid("flatbuffer vtable at \(vtable) has an invalid size \(vtableSize)")
    }
    try checkRange(vtable, vtableSize, "vtable")
    // The table's inline size is not checked: as in FlatBuffers' own verifier, each field is
    // checked against the buffer where it is read (writers do not all fill the size in exactly).
    return FBTable(
      reader: self, position: position, vtable: vtable, vtableSize: vtableSize, tableSize: tableSize, depth: depth)
  }

  /// The bytes of the string at absolute `position` (its `u32` length, then the bytes).
  package func stringBytes(at position: Int) throws(ArrowError) -> Buffer {
    let length = Int(try load(UInt32.self, at: position))
    try checkRange(position + 4, length + 1, "string")  // with its NUL terminator
    guard uncheckedLoad(UInt8.self, at: position + 4 + length) == 0 else {
      throw .invalid("flatbuffer string at \(position) lacks its NUL terminator")
    }
    return buffer.slice((position + 4)..<(position + 4 + length))
  }

  /// The string at absolute `position`, validated as UTF-8.
  package func string(at position: Int) throws(ArrowError) -> String {
    let bytes = try stringBytes(at: position)
    let decoded: String? = bytes.withUnsafeBytes { raw in
      String(validating: raw.bindMemory(to: UInt8.self), as: UTF8.self)
    }
    guard let decoded else { throw .invalid("flatbuffer string at \(position) is not valid UTF-8") }
    return decoded
  }

  /// The vector at absolute `position`, whose elements are `elementSize` bytes each.
  package func vector(at position: Int, elementSize: Int, depth: Int) throws(ArrowError) -> FBVector {
    let count = Int(try load(UInt32.self, at: position))
    let (byteCount, overflow) = count.multipliedReportingOverflow(by: elementSize)
    guard !overflow else { throw .invalid("flatbuffer vector of \(count) elements at \(position) overflows") }
    try checkRange(position + 4, byteCount, "vector of \(count) elements")
    return FBVector(reader: self, start: position + 4, count: count, elementSize: elementSize, depth: depth)
  }
}

/// A table of a flatbuffer, with its vtable already checked to lie inside the buffer.
package struct FBTable: Sendable {
  /// The reader this table belongs to.
  package let reader: FlatBufferReader
  /// The absolute position of the table (its `soffset`).
  package let position: Int
  /// The absolute position of its vtable.
  package let vtable: Int
  /// The size of the vtable in bytes.
  package let vtableSize: Int
  /// The inline size of the table in bytes.
  package let tableSize: Int
  /// How many tables were followed to reach this one (the root is 0).
  package let depth: Int

  /// The absolute position of field `slot` when present, checking that `size` bytes there lie
  /// inside the buffer (FlatBuffers' verifier checks fields against the buffer, not the table's
  /// declared inline size, and Arrow writers rely on it).
  package func fieldPosition(_ slot: Int, size: Int) throws(ArrowError) -> Int? {
    let entry = 4 + 2 * slot
    guard slot >= 0, entry + 2 <= vtableSize else { return nil }
    let offset = Int(reader.uncheckedLoad(UInt16.self, at: vtable + entry))
    if offset == 0 { return nil }
    let field = position + offset
    guard size <= reader.buffer.count, field <= reader.buffer.count - size else {
      throw .invalid(
        "flatbuffer field \(slot) at offset \(offset) of the table at \(position) overruns the "
          + "\(reader.buffer.count)-byte buffer")
    }
    return field
  }

  /// Whether field `slot` is present.
  package func has(_ slot: Int) -> Bool {
    let entry = 4 + 2 * slot
    guard slot >= 0, entry + 2 <= vtableSize else { return false }
    return reader.uncheckedLoad(UInt16.self, at: vtable + entry) != 0
  }

  /// The integer in field `slot`, or `defaultValue` when absent.
  package func scalar<T: FixedWidthInteger & BitwiseCopyable>(
    _ slot: Int, default defaultValue: T
  ) throws(ArrowError) -> T {
    guard let field = try fieldPosition(slot, size: MemoryLayout<T>.size) else { return defaultValue }
    return reader.uncheckedLoad(T.self, at: field)
  }

  /// The boolean in field `slot`, or `defaultValue` when absent (any non-zero byte is true).
  package func bool(_ slot: Int, default defaultValue: Bool) throws(ArrowError) -> Bool {
    guard let field = try fieldPosition(slot, size: 1) else { return defaultValue }
    return reader.uncheckedLoad(UInt8.self, at: field) != 0
  }

  /// The absolute position that the reference field `slot` points to, if present.
  package func referencePosition(_ slot: Int) throws(ArrowError) -> Int? {
    guard let field = try fieldPosition(slot, size: 4) else { return nil }
    return try reader.followOffset(at: field)
  }

  /// The string in field `slot`, validated as UTF-8, or `nil` when absent.
  package func string(_ slot: Int) throws(ArrowError) -> String? {
    guard let target = try referencePosition(slot) else { return nil }
    return try reader.string(at: target)
  }

  /// The raw bytes of the string in field `slot` (no UTF-8 check), or `nil` when absent.
  package func stringBytes(_ slot: Int) throws(ArrowError) -> Buffer? {
    guard let target = try referencePosition(slot) else { return nil }
    return try reader.stringBytes(at: target)
  }

  /// The table in field `slot`, or `nil` when absent.
  package func table(_ slot: Int) throws(ArrowError) -> FBTable? {
    guard let target = try referencePosition(slot) else { return nil }
    return try reader.table(at: target, depth: depth + 1)
  }

  /// The vector in field `slot` with elements of `elementSize` bytes, or `nil` when absent.
  package func vector(_ slot: Int, elementSize: Int) throws(ArrowError) -> FBVector? {
    guard let target = try referencePosition(slot) else { return nil }
    return try reader.vector(at: target, elementSize: elementSize, depth: depth)
  }

  /// The vector of integers in field `slot`, or `nil` when absent.
  package func scalarVector<T: FixedWidthInteger & BitwiseCopyable>(
    _ slot: Int, of type: T.Type
  ) throws(ArrowError) -> [T]? {
    guard let vector = try vector(slot, elementSize: MemoryLayout<T>.size) else { return nil }
    return vector.scalars(T.self)
  }

  /// The vector of tables in field `slot`, or `nil` when absent.
  package func tableVector(_ slot: Int) throws(ArrowError) -> FBVector? {
    try vector(slot, elementSize: 4)
  }

  /// The vector of strings in field `slot`, each validated as UTF-8, or `nil` when absent.
  package func stringVector(_ slot: Int) throws(ArrowError) -> [String]? {
    guard let vector = try vector(slot, elementSize: 4) else { return nil }
    var strings: [String] = []
    strings.reserveCapacity(vector.count)
    for index in 0..<vector.count { strings.append(try vector.string(at: index)) }
    return strings
  }

  /// A union stored in two slots: its type byte in `typeSlot` (0 is NONE) and its table in the next.
  package func union(typeSlot: Int) throws(ArrowError) -> (type: UInt8, table: FBTable?) {
    let type = try scalar(typeSlot, default: UInt8(0))
    if type == 0 { return (0, nil) }
    return (type, try table(typeSlot + 1))
  }
}

/// A vector of a flatbuffer, with its elements already checked to lie inside the buffer.
package struct FBVector: Sendable {
  /// The reader this vector belongs to.
  package let reader: FlatBufferReader
  /// The absolute position of the first element.
  package let start: Int
  /// The number of elements.
  package let count: Int
  /// The size of one element in bytes (4 for tables and strings, the struct size for structs).
  package let elementSize: Int
  /// The depth of the table that holds this vector.
  package let depth: Int

  /// The absolute position of element `index`.
  ///
  /// - Precondition: `index` is in `0..<count` (a caller error, not an input error).
  package func position(of index: Int) -> Int {
    precondition(index >= 0 && index < count, "vector index \(index) is outside 0..<\(count)")
    return start + index * elementSize
  }

  /// All elements read as little-endian integers of type `T`.
  package func scalars<T: FixedWidthInteger & BitwiseCopyable>(_ type: T.Type) -> [T] {
    precondition(MemoryLayout<T>.size == elementSize, "element size mismatch")
    guard count > 0 else { return [] }
    return reader.buffer.withUnsafeBytes { bytes in
      (0..<count).map { index in
        T(littleEndian: bytes.loadUnaligned(fromByteOffset: start + index * elementSize, as: T.self))
      }
    }
  }

  /// A little-endian integer at `byteOffset` inside struct element `index`.
  package func structField<T: FixedWidthInteger & BitwiseCopyable>(
    _ index: Int, at byteOffset: Int, as type: T.Type
  ) -> T {
    precondition(byteOffset >= 0 && byteOffset + MemoryLayout<T>.size <= elementSize, "struct field outside element")
    return reader.uncheckedLoad(T.self, at: position(of: index) + byteOffset)
  }

  /// The table that element `index` (a `uoffset`) points to.
  package func table(at index: Int) throws(ArrowError) -> FBTable {
    let target = try reader.followOffset(at: position(of: index))
    return try reader.table(at: target, depth: depth + 1)
  }

  /// The string that element `index` (a `uoffset`) points to, validated as UTF-8.
  package func string(at index: Int) throws(ArrowError) -> String {
    let target = try reader.followOffset(at: position(of: index))
    return try reader.string(at: target)
  }
}
