#if canImport(Glibc)
  internal import Glibc
#elseif canImport(Darwin)
  internal import Darwin
#endif

// Logical equality of arrays: same type, length, nulls and valid values.

extension ArrayData: Equatable {
  /// Logical equality: equivalent types (``DataType/isEquivalent(to:)``: child names of lists
  /// and field metadata do not count), same length, nulls in the same slots, and equal values
  /// in every valid slot. Offsets, buffer identity and the bytes under null slots are ignored;
  /// dictionary arrays compare by decoded value, run-end encoded arrays by logical value.
  public static func == (lhs: ArrayData, rhs: ArrayData) -> Bool {
    guard lhs.length == rhs.length, lhs.type.isEquivalent(to: rhs.type) else { return false }
    if case .extension(let left) = lhs.type, case .extension(let right) = rhs.type {
      return lhs.withType(left.storage) == rhs.withType(right.storage)
    }
    if lhs.hasValidityBuffer, lhs.nullCount != rhs.nullCount { return false }
    if let fast = fastEqual(lhs, rhs) { return fast }
    for index in 0..<lhs.length where !slotsEqual(lhs, index, rhs, index) {
      return false
    }
    return true
  }
}

/// Whether `count` slots starting at `l` of `lhs` equal those starting at `r` of `rhs`
/// (slot numbers are logical: 0 is the first slot of the array data, after its offset).
func rangesEqual(_ lhs: ArrayData, _ l: Int, _ rhs: ArrayData, _ r: Int, _ count: Int) -> Bool {
  for k in 0..<count where !slotsEqual(lhs, l + k, rhs, r + k) {
    return false
  }
  return true
}

/// Whether slot `l` of `lhs` equals slot `r` of `rhs` (same type assumed).
func slotsEqual(_ lhs: ArrayData, _ l: Int, _ rhs: ArrayData, _ r: Int) -> Bool {
  switch lhs.type {
  case .extension(let ext):
    return slotsEqual(lhs.withType(ext.storage), l, rhs.withType(rhs.type.storageType), r)
  case .null: return true
  case .union(let mode, _, let typeIds):
    let leftId = lhs.buffer(0).loadUnaligned(fromByteOffset: lhs.offset + l, as: Int8.self)
    let rightId = rhs.buffer(0).loadUnaligned(fromByteOffset: rhs.offset + r, as: Int8.self)
    guard leftId == rightId, let child = typeIds.firstIndex(of: leftId) else { return leftId == rightId }
    let leftSlot = mode == .sparse ? lhs.offset + l : lhs.integer(lhs.buffer(1), lhs.offset + l, width: 4)
    let rightSlot = mode == .sparse ? rhs.offset + r : rhs.integer(rhs.buffer(1), rhs.offset + r, width: 4)
    return slotsEqual(lhs.children[child], leftSlot, rhs.children[child], rightSlot)
  case .runEndEncoded:
    return slotsEqual(lhs.children[1], physicalIndex(lhs, l), rhs.children[1], physicalIndex(rhs, r))
  default: break
  }
  let leftNull = lhs.isNull(l)
  guard leftNull == rhs.isNull(r) else { return false }
  if leftNull { return true }
  let li = lhs.offset + l
  let ri = rhs.offset + r
  switch lhs.type {
  case .bool:
    let a = lhs.buffer(1).withUnsafeBytes { bitIsSet($0, li) }
    let b = rhs.buffer(1).withUnsafeBytes { bitIsSet($0, ri) }
    return a == b
  case .binary, .string:
    return lhs.buffer(2).slice(offsetRange(lhs.buffer(1), li, Int32.self))
      == rhs.buffer(2).slice(offsetRange(rhs.buffer(1), ri, Int32.self))
  case .largeBinary, .largeString:
    return lhs.buffer(2).slice(offsetRange(lhs.buffer(1), li, Int64.self))
      == rhs.buffer(2).slice(offsetRange(rhs.buffer(1), ri, Int64.self))
  case .binaryView, .stringView:
    return viewBytes(lhs, lhs.buffer(1), li) == viewBytes(rhs, rhs.buffer(1), ri)
  case .list, .map:
    let a = offsetRange(lhs.buffer(1), li, Int32.self)
    let b = offsetRange(rhs.buffer(1), ri, Int32.self)
    return a.count == b.count && rangesEqual(lhs.children[0], a.lowerBound, rhs.children[0], b.lowerBound, a.count)
  case .largeList:
    let a = offsetRange(lhs.buffer(1), li, Int64.self)
    let b = offsetRange(rhs.buffer(1), ri, Int64.self)
    return a.count == b.count && rangesEqual(lhs.children[0], a.lowerBound, rhs.children[0], b.lowerBound, a.count)
  case .listView, .largeListView:
    let width = lhs.type.bufferLayout[1] == .offsets32 ? 4 : 8
    let leftSize = lhs.integer(lhs.buffer(2), li, width: width)
    let rightSize = rhs.integer(rhs.buffer(2), ri, width: width)
    return leftSize == rightSize
      && rangesEqual(
        lhs.children[0], lhs.integer(lhs.buffer(1), li, width: width), rhs.children[0],
        rhs.integer(rhs.buffer(1), ri, width: width), leftSize)
  case .fixedSizeList(_, let size):
    return rangesEqual(lhs.children[0], li * size, rhs.children[0], ri * size, size)
  case .struct:
    for (left, right) in zip(lhs.children, rhs.children) where !slotsEqual(left, li, right, ri) {
      return false
    }
    return true
  case .dictionary(let index, _, _):
    guard let leftDictionary = lhs.dictionary, let rightDictionary = rhs.dictionary else { return false }
    let width = index.byteWidth ?? 4
    let a = lhs.integer(lhs.buffer(1), li, width: width, signed: index.isSignedInteger)
    let b = rhs.integer(rhs.buffer(1), ri, width: width, signed: index.isSignedInteger)
    return slotsEqual(leftDictionary, a, rightDictionary, b)
  default:
    guard let width = lhs.type.byteWidth else { return false }
    return lhs.buffer(1).slice((li * width)..<((li + 1) * width))
      == rhs.buffer(1).slice((ri * width)..<((ri + 1) * width))
  }
}

/// The run holding logical slot `slot` of a run-end encoded array.
func physicalIndex(_ data: ArrayData, _ slot: Int) -> Int {
  let ends = data.children[0]
  let width = ends.type.byteWidth ?? 4
  let logical = data.offset + slot
  var low = 0
  var high = ends.length
  while low < high {
    let middle = (low + high) / 2
    if data.integer(ends.buffer(1), ends.offset + middle, width: width) <= logical {
      low = middle + 1
    } else {
      high = middle
    }
  }
  return low
}

/// Equality of whole fixed-width or variable-size binary arrays over raw memory, or `nil`
/// when the type has no fast path (the per-slot comparison then decides).
private func fastEqual(_ lhs: ArrayData, _ rhs: ArrayData) -> Bool? {
  let length = lhs.length
  let noNulls = lhs.nullCount == 0 && rhs.nullCount == 0
  switch lhs.type {
  case .dictionary, .bool, .null: return nil
  case .binary, .string:
    return variableEqual(lhs, rhs, Int32.self, noNulls: noNulls)
  case .largeBinary, .largeString:
    return variableEqual(lhs, rhs, Int64.self, noNulls: noNulls)
  default:
    guard let width = lhs.type.byteWidth, lhs.type.bufferLayout.count == 2 else { return nil }
    return lhs.buffer(1).withUnsafeBytes { left in
      rhs.buffer(1).withUnsafeBytes { right in
        guard length > 0, width > 0 else { return true }
        let a = left.baseAddress! + lhs.offset * width
        let b = right.baseAddress! + rhs.offset * width
        if noNulls { return memcmp(a, b, length * width) == 0 }
        let leftValid = ValidityReader(lhs)
        let rightValid = ValidityReader(rhs)
        for slot in 0..<length {
          let valid = leftValid[slot]
          guard valid == rightValid[slot] else { return false }
          if valid, memcmp(a + slot * width, b + slot * width, width) != 0 { return false }
        }
        return true
      }
    }
  }
}

private func variableEqual<O: ArrowOffset>(_ lhs: ArrayData, _ rhs: ArrayData, _: O.Type, noNulls: Bool) -> Bool {
  let width = MemoryLayout<O>.size
  let leftValid = ValidityReader(lhs)
  let rightValid = ValidityReader(rhs)
  return lhs.buffer(1).withUnsafeBytes { leftOffsets in
    rhs.buffer(1).withUnsafeBytes { rightOffsets in
      lhs.buffer(2).withUnsafeBytes { leftData in
        rhs.buffer(2).withUnsafeBytes { rightData in
          for slot in 0..<lhs.length {
            if !noNulls {
              let valid = leftValid[slot]
              guard valid == rightValid[slot] else { return false }
              if !valid { continue }
            }
            let ls = Int(leftOffsets.loadUnaligned(fromByteOffset: (lhs.offset + slot) * width, as: O.self))
            let le = Int(leftOffsets.loadUnaligned(fromByteOffset: (lhs.offset + slot + 1) * width, as: O.self))
            let rs = Int(rightOffsets.loadUnaligned(fromByteOffset: (rhs.offset + slot) * width, as: O.self))
            let re = Int(rightOffsets.loadUnaligned(fromByteOffset: (rhs.offset + slot + 1) * width, as: O.self))
            guard le - ls == re - rs else { return false }
            if le > ls, memcmp(leftData.baseAddress! + ls, rightData.baseAddress! + rs, le - ls) != 0 { return false }
          }
          return true
        }
      }
    }
  }
}

/// Reads validity bits of an array quickly (all valid when there is no bitmap or no null).
struct ValidityReader {
  private let bits: Buffer?
  private let offset: Int

  init(_ data: ArrayData) {
    bits = data.nullCount > 0 ? data.validity : nil
    offset = data.offset
  }

  /// Whether slot `slot` (logical) is valid.
  subscript(slot: Int) -> Bool {
    guard let bits else { return true }
    let index = offset + slot
    return (bits[index >> 3] >> UInt8(index & 7)) & 1 == 1
  }
}
