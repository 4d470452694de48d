// Big-endian IPC data converted to native (little-endian) byte order on read, as pyarrow does
// by default (Arrow C++ SwapEndianArrayData): every multi-byte value is swapped; bitmaps, type
// ids, fixed-size binary and variable-size bytes stay as they are.

internal import ArrowCore

enum ByteOrder {
  /// How one element of a buffer of `kind` (of an array of `type`) is swapped: the widths of
  /// the words it is made of, each reversed in place; nil when the buffer needs no swap.
  static func words(_ kind: BufferKind, type: DataType) -> [Int]? {
    switch kind {
    case .validity, .bitmap, .data, .variadicData, .typeIds: return nil
    case .offsets32, .sizes32, .unionOffsets: return [4]
    case .offsets64, .sizes64: return [8]
    case .views: return nil  // see swapViews
    case .fixedWidth(let width):
      switch type {
      case .fixedSizeBinary: return nil
      case .interval(.dayTime): return [4, 4]
      case .interval(.monthDayNano): return [4, 4, 8]
      case .dictionary(let index, _, _): return index.byteWidth.map { [$0] }
      default: return width > 1 ? [width] : nil  // decimals are one integer of 16 or 32 bytes
      }
    }
  }

  /// A native-order copy of `buffer`, whose elements are made of `words` big-endian words.
  /// A trailing partial element is copied unchanged (validation then refuses a short buffer).
  static func swapped(_ buffer: Buffer, words: [Int]) -> Buffer {
    let elementSize = words.reduce(0, +)
    let whole = buffer.count / elementSize * elementSize
    return buffer.withUnsafeBytes { source in
      Buffer(unsafeUninitializedCount: source.count) { target in
        guard source.count > 0 else { return }
        target.copyMemory(from: source)
        var position = 0
        while position < whole {
          for width in words {
            var low = position
            var high = position + width - 1
            while low < high {
              target.swapAt(low, high)
              low += 1
              high -= 1
            }
            position += width
          }
        }
      }
    }
  }

  /// A native-order copy of a view buffer: each 16-byte view has its int32 length swapped and,
  /// when the data is not inline (longer than 12 bytes), its int32 buffer index and offset too.
  static func swappedViews(_ buffer: Buffer) -> Buffer {
    let whole = buffer.count / 16 * 16
    return buffer.withUnsafeBytes { source in
      Buffer(unsafeUninitializedCount: source.count) { target in
        guard source.count > 0 else { return }
        target.copyMemory(from: source)
        for view in stride(from: 0, to: whole, by: 16) {
          let length = UInt32(bigEndian: source.loadUnaligned(fromByteOffset: view, as: UInt32.self))
          target.storeBytes(of: length.littleEndian, toByteOffset: view, as: UInt32.self)
          guard length > 12 else { continue }
          for field in [view + 8, view + 12] {
            let value = UInt32(bigEndian: source.loadUnaligned(fromByteOffset: field, as: UInt32.self))
            target.storeBytes(of: value.littleEndian, toByteOffset: field, as: UInt32.self)
          }
        }
      }
    }
  }

  /// `buffer` in native order when it is buffer `kind` of a big-endian array of `type`.
  static func toNative(_ buffer: Buffer, kind: BufferKind, type: DataType) -> Buffer {
    if kind == .views { return swappedViews(buffer) }
    guard let words = words(kind, type: type) else { return buffer }
    return swapped(buffer, words: words)
  }
}
