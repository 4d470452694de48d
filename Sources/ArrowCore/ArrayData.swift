// The type-erased form of every Arrow array: a type, a window (offset, length) and buffers.

/// The type-erased form of an Arrow array: its ``DataType``, a window (`offset`, `length`)
/// over its buffers, its null count, buffers, child arrays and (for dictionary-encoded
/// arrays) the dictionary.
///
/// This is the form the IPC layer builds from received buffers, without copying. The
/// initializer does not check anything; call ``validate(_:)`` on untrusted data before
/// wrapping it in a typed array.
///
/// Buffers follow ``DataType/bufferLayout``: for example `[validity, offsets, data]` for
/// strings, `[validity, views, data0, data1...]` for view types. A `nil` validity buffer
/// means every slot is valid. Children are not sliced by `offset`: slot `i` of a struct is
/// slot `offset + i` of each child, as in Arrow C++.
public struct ArrayData: Sendable {
  /// The logical type.
  public let type: DataType
  /// The number of slots.
  public let length: Int
  /// The slot offset into the buffers (non-zero after slicing).
  public let offset: Int
  /// The number of null slots.
  public let nullCount: Int
  /// The buffers, in ``DataType/bufferLayout`` order.
  public let buffers: [Buffer?]
  /// The child arrays (list values, struct fields, union members, run ends and values).
  public let children: [ArrayData]
  private let dictionaryStorage: [ArrayData]

  /// The dictionary of a dictionary-encoded array, `nil` otherwise.
  public var dictionary: ArrayData? { dictionaryStorage.first }

  /// Creates array data from its parts, without copying and without checks.
  ///
  /// When `nullCount` is `nil` it is counted from the validity bitmap (0 for unions and
  /// run-end encoded arrays, `length` for the null type).
  public init(
    type: DataType,
    length: Int,
    offset: Int = 0,
    nullCount: Int? = nil,
    buffers: [Buffer?],
    children: [ArrayData] = [],
    dictionary: ArrayData? = nil
  ) {
    self.type = type
    self.length = length
    self.offset = offset
    self.buffers = buffers
    self.children = children
    self.dictionaryStorage = dictionary.map { [$0] } ?? []
    if let nullCount {
      self.nullCount = nullCount
    } else {
      self.nullCount = ArrayData.countNulls(type: type, length: length, offset: offset, buffers: buffers)
    }
  }

  private static func countNulls(type: DataType, length: Int, offset: Int, buffers: [Buffer?]) -> Int {
    switch type {
    case .null: return length
    case .union, .runEndEncoded: return 0
    default: break
    }
    guard length > 0, offset >= 0, let first = buffers.first, let validity = first,
      (offset + length + 7) / 8 <= validity.count
    else { return 0 }
    return length - validity.withUnsafeBytes { countSetBits($0, offset: offset, length: length) }
  }

  /// Whether slots of this type carry a validity bitmap (buffer 0).
  public var hasValidityBuffer: Bool { type.bufferLayout.first == .validity }

  /// The validity bitmap (buffer 0), or `nil` when absent or when the type has none.
  ///
  /// An empty buffer counts as absent (IPC writers send a 0-byte validity buffer when there are no nulls).
  public var validity: Buffer? {
    guard hasValidityBuffer, let first = buffers.first, let buffer = first, !buffer.isEmpty else { return nil }
    return buffer
  }

  /// Whether slot `index` is null according to the validity bitmap (always for the null type).
  ///
  /// Unions and run-end encoded arrays have no validity: their nulls live in their children.
  @inlinable public func isNull(_ index: Int) -> Bool {
    precondition(index >= 0 && index < length, "index \(index) is outside 0..<\(length)")
    if case .null = type { return true }
    guard nullCount > 0, let validity else { return false }
    return validity.withUnsafeBytes { !bitIsSet($0, offset + index) }
  }

  /// Whether slot `index` is valid (not null).
  @inlinable public func isValid(_ index: Int) -> Bool { !isNull(index) }

  /// A zero-copy view of `length` slots starting at slot `offset` of this array.
  ///
  /// - Precondition: the range lies within `0..<self.length`.
  public func slice(offset start: Int, length count: Int) -> ArrayData {
    precondition(
      start >= 0 && count >= 0 && start + count <= length, "slice \(start)..<\(start + count) is outside 0..<\(length)")
    let nulls: Int? =
      switch type {
      case .null: count
      default: nullCount == 0 ? 0 : (nullCount == length && hasValidityBuffer ? count : nil)
      }
    return ArrayData(
      type: type, length: count, offset: offset + start, nullCount: nulls, buffers: buffers, children: children,
      dictionary: dictionary)
  }

  /// A copy with another type of the same physical layout (for example a field rename).
  public func withType(_ newType: DataType) -> ArrayData {
    ArrayData(
      type: newType, length: length, offset: offset, nullCount: nullCount, buffers: buffers, children: children,
      dictionary: dictionary)
  }

  /// A copy with another dictionary (dictionary-encoded arrays).
  public func withDictionary(_ newDictionary: ArrayData?) -> ArrayData {
    ArrayData(
      type: type, length: length, offset: offset, nullCount: nullCount, buffers: buffers, children: children,
      dictionary: newDictionary)
  }

  /// The `Int` value of slot `index` (absolute, offset included) of an integer buffer of `width` bytes.
  @inlinable func integer(_ buffer: Buffer, _ index: Int, width: Int, signed: Bool = true) -> Int {
    switch (width, signed) {
    case (1, true): Int(buffer.loadUnaligned(fromByteOffset: index, as: Int8.self))
    case (1, false): Int(buffer.loadUnaligned(fromByteOffset: index, as: UInt8.self))
    case (2, true): Int(buffer.loadUnaligned(fromByteOffset: index * 2, as: Int16.self))
    case (2, false): Int(buffer.loadUnaligned(fromByteOffset: index * 2, as: UInt16.self))
    case (4, true): Int(buffer.loadUnaligned(fromByteOffset: index * 4, as: Int32.self))
    case (4, false): Int(buffer.loadUnaligned(fromByteOffset: index * 4, as: UInt32.self))
    case (_, true): Int(buffer.loadUnaligned(fromByteOffset: index * 8, as: Int64.self))
    default: Int(truncatingIfNeeded: buffer.loadUnaligned(fromByteOffset: index * 8, as: UInt64.self))
    }
  }

  /// Buffer `index`, or an empty buffer when it is absent (`nil` or beyond ``buffers``).
  @inlinable public func buffer(_ index: Int) -> Buffer {
    index < buffers.count ? (buffers[index] ?? Buffer.empty) : Buffer.empty
  }
}

// MARK: - Validation

/// `a × b`, or an error when it overflows.
private func product(_ a: Int, _ b: Int) throws(ArrowError) -> Int {
  let (result, overflow) = a.multipliedReportingOverflow(by: b)
  guard !overflow else { throw .invalid("size \(a) × \(b) overflows") }
  return result
}

/// Reads integers of a fixed width from raw bytes.
private struct IntReader {
  let bytes: UnsafeRawBufferPointer
  let width: Int
  let signed: Bool

  subscript(index: Int) -> Int {
    switch (width, signed) {
    case (1, true): Int(bytes.loadUnaligned(fromByteOffset: index, as: Int8.self))
    case (1, false): Int(bytes.loadUnaligned(fromByteOffset: index, as: UInt8.self))
    case (2, true): Int(bytes.loadUnaligned(fromByteOffset: index * 2, as: Int16.self))
    case (2, false): Int(bytes.loadUnaligned(fromByteOffset: index * 2, as: UInt16.self))
    case (4, true): Int(bytes.loadUnaligned(fromByteOffset: index * 4, as: Int32.self))
    case (4, false): Int(bytes.loadUnaligned(fromByteOffset: index * 4, as: UInt32.self))
    case (_, true): Int(bytes.loadUnaligned(fromByteOffset: index * 8, as: Int64.self))
    default:
      // Values above Int.max show up as negative and fail the bounds checks.
      Int(truncatingIfNeeded: bytes.loadUnaligned(fromByteOffset: index * 8, as: UInt64.self))
    }
  }
}

/// How much ``ArrayData/validate(_:)`` checks.
public enum ValidationLevel: Sendable, Hashable {
  /// Everything that reading the array relies on (buffers, offsets, UTF-8, indices, type ids,
  /// run ends), but not whether decimal values fit their declared precision: Arrow C++ checks
  /// that only in full validation, and Arrow's own generators write wider values, so readers
  /// pass them on unchanged.
  case safe
  /// Also that every decimal value fits its precision.
  case full
}

extension ArrayData {
  /// Checks everything: the type's parameters, the buffer count and sizes, the null count
  /// against the validity bitmap, offsets (non-negative, increasing, in bounds), UTF-8 of
  /// strings, view buffers, child lengths and types, dictionary indices, union type ids and
  /// offsets, run ends (positive, increasing, covering the array), recursively; with
  /// ``ValidationLevel/full`` (the default) also that decimal values fit their precision.
  ///
  /// Throws an ``ArrowError`` of kind ``ArrowError/Kind/invalid`` naming the problem.
  public func validate(_ level: ValidationLevel = .full) throws(ArrowError) {
    if case .extension(let type) = type {
      // The storage's rules, on the same buffers and children.
      do { try type.validate() } catch { throw fail(error.message) }
      return try withType(type.storage).validate(level)
    }
    try validateStructure()
    try validateContent(level)
  }

  private func fail(_ message: String) -> ArrowError {
    .invalid("\(type) array: \(message)")
  }

  private func childContext(_ error: ArrowError, _ index: Int, _ name: String) -> ArrowError {
    ArrowError(error.kind, "\(type) array, child \(index) (\(name)): \(error.message)")
  }

  /// The expected number of children.
  private var expectedChildFields: [Field] { type.children }

  private func validateStructure() throws(ArrowError) {
    do { try type.validate() } catch { throw fail(error.message) }
    guard length >= 0 else { throw fail("negative length \(length)") }
    guard offset >= 0 else { throw fail("negative offset \(offset)") }
    guard offset <= Int.max / 32 - length else { throw fail("offset \(offset) + length \(length) overflows") }
    let end = offset + length
    let layout = type.bufferLayout
    let fixedCount = layout.last == .variadicData ? layout.count - 1 : layout.count
    if layout.last == .variadicData {
      guard buffers.count >= fixedCount else {
        throw fail("expected at least \(fixedCount) buffers, got \(buffers.count)")
      }
    } else {
      guard buffers.count == layout.count else { throw fail("expected \(layout.count) buffers, got \(buffers.count)") }
    }
    let fields = expectedChildFields
    guard children.count == fields.count else { throw fail("expected \(fields.count) children, got \(children.count)") }
    for (index, (child, field)) in zip(children, fields).enumerated() where child.type != field.type {
      throw fail("child \(index) (\(field.name)) has type \(child.type), expected \(field.type)")
    }
    if case .dictionary(_, let valueType, _) = type {
      guard let dictionary else { throw fail("no dictionary") }
      guard dictionary.type == valueType else {
        throw fail("dictionary has type \(dictionary.type), expected \(valueType)")
      }
    }
    // Null count.
    switch type {
    case .null:
      guard nullCount == length else { throw fail("null count \(nullCount) differs from length \(length)") }
    case .union, .runEndEncoded:
      guard nullCount == 0 else { throw fail("null count must be 0, got \(nullCount)") }
    default:
      guard nullCount >= 0 && nullCount <= length else {
        throw fail("null count \(nullCount) is outside 0...\(length)")
      }
    }
    // Buffer sizes.
    for (index, kind) in layout.prefix(fixedCount).enumerated() {
      let buffer = buffers[index]
      let size = buffer?.count ?? 0
      func need(_ bytes: Int, _ what: String) throws(ArrowError) {
        guard size >= bytes else {
          throw fail(
            "\(what) buffer has \(size) bytes, needs at least \(bytes) for offset \(offset) + length \(length)")
        }
      }
      switch kind {
      case .validity:
        if let buffer, !buffer.isEmpty {
          guard buffer.count >= (end + 7) / 8 else {
            throw fail(
              "validity bitmap has \(buffer.count) bytes, needs \((end + 7) / 8) for offset \(offset) + length \(length)"
            )
          }
          let valid = buffer.withUnsafeBytes { countSetBits($0, offset: offset, length: length) }
          guard length - valid == nullCount else {
            throw fail("null count \(nullCount) differs from the validity bitmap's \(length - valid) nulls")
          }
        } else if nullCount != 0 {
          throw fail("null count \(nullCount) but no validity bitmap")
        }
      case .bitmap: try need((end + 7) / 8, "boolean data")
      case .fixedWidth(let width): try need(try product(end, width), "data")
      case .offsets32, .offsets64:
        let width = kind == .offsets32 ? 4 : 8
        switch type {
        case .listView, .largeListView: try need(end * width, "offsets")  // one per slot
        default: if length > 0 || size > 0 { try need((end + 1) * width, "offsets") }
        }
      case .sizes32: try need(end * 4, "sizes")
      case .sizes64: try need(end * 8, "sizes")
      case .views: try need(end * 16, "views")
      case .typeIds: try need(end, "type ids")
      case .unionOffsets: try need(end * 4, "union offsets")
      case .data, .variadicData: break
      }
    }
    // Child lengths for types whose children follow the parent's slots.
    switch type {
    case .struct(let fields):
      for (index, child) in children.enumerated() where child.length < end {
        throw fail("child \(index) (\(fields[index].name)) has length \(child.length), needs at least \(end)")
      }
    case .union(.sparse, let fields, _):
      for (index, child) in children.enumerated() where child.length < end {
        throw fail("child \(index) (\(fields[index].name)) has length \(child.length), needs at least \(end)")
      }
    case .fixedSizeList(_, let size):
      guard children[0].length >= (try product(end, size)) else {
        throw fail("values have length \(children[0].length), need at least \(end * size) (\(end) lists of \(size))")
      }
    case .runEndEncoded:
      guard children[0].nullCount == 0 else { throw fail("run ends contain \(children[0].nullCount) nulls") }
      guard children[1].length >= children[0].length else {
        throw fail("values have length \(children[1].length), fewer than the \(children[0].length) run ends")
      }
    default: break
    }
  }

  private func validateContent(_ level: ValidationLevel) throws(ArrowError) {
    // Children first: the checks below read their buffers.
    for (index, child) in children.enumerated() {
      do { try child.validate(level) } catch { throw childContext(error, index, type.children[index].name) }
    }
    if let dictionary {
      do { try dictionary.validate(level) } catch {
        throw ArrowError(error.kind, "\(type) array, dictionary: \(error.message)")
      }
    }
    let end = offset + length
    switch type {
    case .binary, .string, .largeBinary, .largeString:
      let width = (type == .binary || type == .string) ? 4 : 8
      guard length > 0 else { break }
      let data = buffer(2)
      let (first, last) = try checkOffsets(buffer(1), width: width, limit: data.count, limitName: "data buffer size")
      if type == .string || type == .largeString {
        try buffer(1).withUnsafeBytes { (offsets) throws(ArrowError) in
          try data.withUnsafeBytes { (bytes) throws(ArrowError) in
            let reader = IntReader(bytes: offsets, width: width, signed: true)
            let range = UnsafeRawBufferPointer(rebasing: bytes[first..<last])
            if let bad = firstInvalidUTF8(range) {
              let position = first + bad
              var slot = offset
              while slot < end && reader[slot + 1] <= position { slot += 1 }
              throw fail("invalid UTF-8 in slot \(slot - offset) at byte \(position)")
            }
            for slot in offset...end {
              let position = reader[slot]
              if position < last, isUTF8Continuation(bytes[position]) {
                throw fail("invalid UTF-8: slot \(slot - offset) starts inside a multi-byte character")
              }
            }
          }
        }
      }
    case .list, .largeList, .map:
      guard length > 0 else { break }
      let width = type.bufferLayout[1] == .offsets32 ? 4 : 8
      _ = try checkOffsets(buffer(1), width: width, limit: children[0].length, limitName: "values length")
    case .listView, .largeListView:
      let width = type.bufferLayout[1] == .offsets32 ? 4 : 8
      let limit = children[0].length
      for slot in 0..<length where isValid(slot) {
        let start = integer(buffer(1), offset + slot, width: width)
        let size = integer(buffer(2), offset + slot, width: width)
        guard start >= 0, size >= 0, start <= limit - size else {
          throw fail("slot \(slot) has offset \(start) and size \(size), outside values of length \(limit)")
        }
      }
    case .binaryView, .stringView:
      try validateViews()
    case .decimal32(let precision, _), .decimal64(let precision, _), .decimal128(let precision, _),
      .decimal256(let precision, _):
      guard level == .full else { break }
      let limit = ArrowDecimal.powerOfTen(precision)
      let width = type.byteWidth ?? 16
      let values = buffer(1)
      for slot in 0..<length where isValid(slot) {
        let value = ArrowDecimal.load(from: values, byteOffset: (offset + slot) * width, width: width, scale: 0)
        guard value.magnitudeIsBelow(limit) else {
          throw fail("slot \(slot) holds \(value.integerDescription), which has more than \(precision) digits")
        }
      }
    case .union(let mode, _, let typeIds):
      var childOf = [Int](repeating: -1, count: 128)
      for (index, id) in typeIds.enumerated() { childOf[Int(id)] = index }
      let ids = buffer(0)
      var lastOffset = [Int](repeating: 0, count: typeIds.count)
      for slot in 0..<length {
        let id = Int(ids.loadUnaligned(fromByteOffset: offset + slot, as: Int8.self))
        guard id >= 0, childOf[id] >= 0 else {
          throw fail("slot \(slot) has type id \(id), which is not one of \(typeIds)")
        }
        if mode == .dense {
          let childOffset = integer(buffer(1), offset + slot, width: 4)
          let child = children[childOf[id]]
          guard childOffset >= 0 && childOffset < child.length else {
            throw fail("slot \(slot) has offset \(childOffset) outside child \(childOf[id]) of length \(child.length)")
          }
          // The spec: each child's offsets are in order (non-strictly increasing).
          guard childOffset >= lastOffset[childOf[id]] else {
            throw fail(
              "slot \(slot) has offset \(childOffset) into child \(childOf[id]), below an earlier \(lastOffset[childOf[id]])"
            )
          }
          lastOffset[childOf[id]] = childOffset
        }
      }
    case .dictionary(let indexType, _, _):
      guard let dictionary else { break }
      let width = indexType.byteWidth ?? 4
      let signed = indexType.isSignedInteger
      let indices = buffer(1)
      for slot in 0..<length where isValid(slot) {
        let index = integer(indices, offset + slot, width: width, signed: signed)
        guard index >= 0 && index < dictionary.length else {
          throw fail("slot \(slot) has index \(index), outside the dictionary of length \(dictionary.length)")
        }
      }
    case .runEndEncoded:
      let runEnds = children[0]
      let width = runEnds.type.byteWidth ?? 4
      let ends = runEnds.buffer(1)
      var previous = 0
      for run in 0..<runEnds.length {
        let value = integer(ends, runEnds.offset + run, width: width)
        guard value > previous else {
          throw fail(
            run == 0
              ? "run end 0 is \(value), must be positive"
              : "run ends are not strictly increasing: run end \(run) is \(value) after \(previous)")
        }
        previous = value
      }
      guard length == 0 || previous >= end else {
        throw fail("the last run end \(previous) does not cover offset \(offset) + length \(length)")
      }
    default: break
    }
    if case .map = type, length > 0 {
      let start = offsetRange(buffer(1), offset, Int32.self).lowerBound
      let stop = offsetRange(buffer(1), end - 1, Int32.self).upperBound
      let entries = children[0]
      for slot in start..<stop where entries.children[0].isNull(entries.offset + slot) {
        throw fail("map key \(slot) is null")
      }
    }
  }

  /// Checks offsets `offset...offset+length`: first non-negative, increasing, last within `limit`.
  private func checkOffsets(_ buffer: Buffer, width: Int, limit: Int, limitName: String) throws(ArrowError) -> (
    Int, Int
  ) {
    let end = offset + length
    return try buffer.withUnsafeBytes { (bytes) throws(ArrowError) -> (Int, Int) in
      let reader = IntReader(bytes: bytes, width: width, signed: true)
      let first = reader[offset]
      guard first >= 0 else { throw fail("offset 0 is negative (\(first))") }
      var previous = first
      for slot in (offset + 1)..<(end + 1) {
        let value = reader[slot]
        guard value >= previous else {
          throw fail(
            "offsets decrease: offset \(slot - offset) (\(value)) is less than offset \(slot - offset - 1) (\(previous))"
          )
        }
        previous = value
      }
      guard previous <= limit else {
        throw fail("last offset \(previous) is beyond the \(limitName) \(limit)")
      }
      return (first, previous)
    }
  }

  private func validateViews() throws(ArrowError) {
    let views = buffer(1)
    let variadic = Array(buffers.dropFirst(2))
    let isString = type == .stringView
    for slot in 0..<length where isValid(slot) {
      let base = (offset + slot) * 16
      let size = Int(views.loadUnaligned(fromByteOffset: base, as: Int32.self))
      guard size >= 0 else { throw fail("slot \(slot) has negative size \(size)") }
      if size <= 12 {
        if isString {
          try views.withUnsafeBytes { (bytes) throws(ArrowError) in
            if firstInvalidUTF8(UnsafeRawBufferPointer(rebasing: bytes[(base + 4)..<(base + 4 + size)])) != nil {
              throw fail("invalid UTF-8 in slot \(slot)")
            }
          }
        }
        continue
      }
      let bufferIndex = Int(views.loadUnaligned(fromByteOffset: base + 8, as: Int32.self))
      let start = Int(views.loadUnaligned(fromByteOffset: base + 12, as: Int32.self))
      guard bufferIndex >= 0 && bufferIndex < variadic.count else {
        throw fail("slot \(slot) refers to data buffer \(bufferIndex), but there are \(variadic.count)")
      }
      let data = variadic[bufferIndex] ?? Buffer.empty
      guard start >= 0 && start <= data.count - size else {
        throw fail(
          "slot \(slot) views bytes \(start)..<\(start + size) outside data buffer \(bufferIndex) of \(data.count) bytes"
        )
      }
      let prefixMatches =
        views.loadUnaligned(fromByteOffset: base + 4, as: UInt32.self)
        == data.loadUnaligned(fromByteOffset: start, as: UInt32.self)
      guard prefixMatches else { throw fail("slot \(slot) has a prefix that differs from its data") }
      if isString {
        try data.withUnsafeBytes { (bytes) throws(ArrowError) in
          if firstInvalidUTF8(UnsafeRawBufferPointer(rebasing: bytes[start..<(start + size)])) != nil {
            throw fail("invalid UTF-8 in slot \(slot)")
          }
        }
      }
    }
  }
}
