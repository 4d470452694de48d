// A small UTF-8 validator over raw bytes (no allocation).

/// Returns the byte position of the first invalid UTF-8 sequence in `bytes`, or `nil` when all
/// of `bytes` is well-formed UTF-8 (no overlongs, no surrogates, nothing above U+10FFFF).
func firstInvalidUTF8(_ bytes: UnsafeRawBufferPointer) -> Int? {
  var index = 0
  let count = bytes.count
  while index < count {
    // ASCII fast path, 8 bytes at a time.
    if index + 8 <= count, bytes.loadUnaligned(fromByteOffset: index, as: UInt64.self) & 0x8080_8080_8080_8080 == 0 {
      index += 8
      continue
    }
    let lead = bytes[index]
    if lead < 0x80 {
      index += 1
      continue
    }
    let needed: Int
    var lower: UInt8 = 0x80
    var upper: UInt8 = 0xBF
    switch lead {
    case 0xC2...0xDF: needed = 1
    case 0xE0:
      needed = 2
      lower = 0xA0
    case 0xE1...0xEC, 0xEE...0xEF: needed = 2
    case 0xED:
      needed = 2
      upper = 0x9F
    case 0xF0:
      needed = 3
      lower = 0x90
    case 0xF1...0xF3: needed = 3
    case 0xF4:
      needed = 3
      upper = 0x8F
    default: return index
    }
    guard index + needed < count else { return index }
    let second = bytes[index + 1]
    guard second >= lower && second <= upper else { return index }
    for k in stride(from: 2, through: needed, by: 1) {
      guard bytes[index + k] & 0xC0 == 0x80 else { return index }
    }
    index += needed + 1
  }
  return nil
}

/// Whether `byte` is a UTF-8 continuation byte (so a string cannot start there).
@inline(__always) func isUTF8Continuation(_ byte: UInt8) -> Bool { byte & 0xC0 == 0x80 }
