// Decimal values (up to 256-bit two's complement integers with a scale) and decimal arrays.

/// A decimal value: a signed integer of up to 256 bits (two's complement, four little-endian
/// words) and a scale, the number of digits after the point.
///
/// ```swift
/// let price = ArrowDecimal("123.45")!   // integer 12345, scale 2
/// price.description                     // "123.45"
/// ```
public struct ArrowDecimal: Sendable, Hashable, CustomStringConvertible {
  /// The integer's 64-bit words, least significant first (two's complement over 256 bits).
  public var words: [UInt64] { [w0, w1, w2, w3] }
  private var w0: UInt64
  private var w1: UInt64
  private var w2: UInt64
  private var w3: UInt64
  /// Digits after the decimal point.
  public var scale: Int

  /// The decimal `integer × 10^-scale`.
  public init(_ integer: Int64, scale: Int = 0) {
    let fill: UInt64 = integer < 0 ? .max : 0
    w0 = UInt64(bitPattern: integer)
    w1 = fill
    w2 = fill
    w3 = fill
    self.scale = scale
  }

  /// The decimal `integer × 10^-scale`, from a 128-bit integer.
  public init(_ integer: Int128, scale: Int = 0) {
    let fill: UInt64 = integer < 0 ? .max : 0
    w0 = UInt64(truncatingIfNeeded: integer)
    w1 = UInt64(truncatingIfNeeded: integer >> 64)
    w2 = fill
    w3 = fill
    self.scale = scale
  }

  /// The decimal from four two's complement words (least significant first) and a scale.
  public init(words: (UInt64, UInt64, UInt64, UInt64), scale: Int) {
    (w0, w1, w2, w3) = words
    self.scale = scale
  }

  /// Parses `-123.45`-style text; the scale is the number of digits after the point.
  /// Returns `nil` for malformed text or values beyond 256 bits.
  public init?(_ text: String) {
    var digits = Substring(text)
    var negative = false
    if digits.first == "-" || digits.first == "+" {
      negative = digits.first == "-"
      digits = digits.dropFirst()
    }
    guard !digits.isEmpty else { return nil }
    self.init(0 as Int64)
    var seenPoint = false
    var scale = 0
    var anyDigit = false
    for character in digits {
      if character == "." {
        guard !seenPoint else { return nil }
        seenPoint = true
        continue
      }
      guard let digit = character.wholeNumberValue, character.isASCII else { return nil }
      guard multiplyAdd(10, UInt64(digit)) else { return nil }
      anyDigit = true
      if seenPoint { scale += 1 }
    }
    guard anyDigit, w3 >> 63 == 0 else { return nil }
    if negative { negate() }
    self.scale = scale
  }

  /// Whether the value is below zero.
  public var isNegative: Bool { w3 >> 63 == 1 }

  /// The integer (unscaled) value as `Int128`, or `nil` when it does not fit.
  public var int128Value: Int128? {
    let fill: UInt64 = w1 >> 63 == 1 ? .max : 0
    guard w2 == fill, w3 == fill else { return nil }
    return Int128(bitPattern: UInt128(w1) << 64 | UInt128(w0))
  }

  /// The value as a `Double` (approximate).
  public var doubleValue: Double {
    var magnitude = self
    if isNegative { magnitude.negate() }
    var result = 0.0
    for word in [magnitude.w3, magnitude.w2, magnitude.w1, magnitude.w0] {
      result = result * 18_446_744_073_709_551_616.0 + Double(word)
    }
    var value = result
    for _ in 0..<max(scale, 0) { value /= 10 }
    return isNegative ? -value : value
  }

  mutating func negate() {
    w0 = ~w0
    w1 = ~w1
    w2 = ~w2
    w3 = ~w3
    var carry: Bool
    (w0, carry) = w0.addingReportingOverflow(1)
    if carry { (w1, carry) = w1.addingReportingOverflow(1) }
    if carry { (w2, carry) = w2.addingReportingOverflow(1) }
    if carry { w3 = w3 &+ 1 }
  }

  /// self = self × factor + addend on the unsigned 256-bit value; false on overflow.
  mutating func multiplyAdd(_ factor: UInt64, _ addend: UInt64) -> Bool {
    var carry = addend
    var words = [w0, w1, w2, w3]
    for index in 0..<4 {
      let (high, low) = words[index].multipliedFullWidth(by: factor)
      let (sum, overflow) = low.addingReportingOverflow(carry)
      words[index] = sum
      carry = high &+ (overflow ? 1 : 0)
    }
    (w0, w1, w2, w3) = (words[0], words[1], words[2], words[3])
    return carry == 0
  }

  /// self /= divisor on the unsigned 256-bit value; returns the remainder.
  mutating func divide(by divisor: UInt64) -> UInt64 {
    var words = [w3, w2, w1, w0]
    var remainder: UInt64 = 0
    for index in 0..<4 {
      let (quotient, rest) = divisor.dividingFullWidth((remainder, words[index]))
      words[index] = quotient
      remainder = rest
    }
    (w3, w2, w1, w0) = (words[0], words[1], words[2], words[3])
    return remainder
  }

  /// The unscaled integer in decimal digits (sign included).
  public var integerDescription: String {
    var magnitude = self
    if isNegative { magnitude.negate() }
    var chunks: [UInt64] = []
    repeat {
      chunks.append(magnitude.divide(by: 10_000_000_000_000_000_000))
    } while magnitude.w0 != 0 || magnitude.w1 != 0 || magnitude.w2 != 0 || magnitude.w3 != 0
    var text = String(chunks.last!)
    for chunk in chunks.dropLast().reversed() {
      let part = String(chunk)
      text += String(repeating: "0", count: 19 - part.count) + part
    }
    return (isNegative ? "-" : "") + text
  }

  /// The value with its point: `123.45`, `-0.05`, `100` (scale 0), `1200` (scale -2).
  public var description: String {
    var digits = integerDescription
    let negative = digits.hasPrefix("-")
    if negative { digits.removeFirst() }
    if scale <= 0 {
      if digits != "0" { digits += String(repeating: "0", count: -scale) }
    } else {
      if digits.count <= scale { digits = String(repeating: "0", count: scale - digits.count + 1) + digits }
      digits.insert(".", at: digits.index(digits.endIndex, offsetBy: -scale))
    }
    return (negative ? "-" : "") + digits
  }

  /// The same value at a larger `newScale` (multiplied by 10 per extra digit), or `nil` on overflow
  /// or when `newScale` is smaller.
  public func rescaled(to newScale: Int) -> ArrowDecimal? {
    guard newScale >= scale else { return nil }
    var result = self
    let negative = isNegative
    if negative { result.negate() }
    for _ in scale..<newScale {
      guard result.multiplyAdd(10, 0) else { return nil }
    }
    guard result.w3 >> 63 == 0 else { return nil }
    if negative { result.negate() }
    result.scale = newScale
    return result
  }

  /// `10^exponent` as an unsigned 256-bit value (exponent up to 76).
  static func powerOfTen(_ exponent: Int) -> ArrowDecimal {
    var result = ArrowDecimal(1 as Int64)
    for _ in 0..<exponent { _ = result.multiplyAdd(10, 0) }
    return result
  }

  /// Whether the absolute value of the integer is below `limit` (a non-negative value).
  func magnitudeIsBelow(_ limit: ArrowDecimal) -> Bool {
    var magnitude = self
    if isNegative { magnitude.negate() }
    let left = [magnitude.w3, magnitude.w2, magnitude.w1, magnitude.w0]
    let right = [limit.w3, limit.w2, limit.w1, limit.w0]
    for (a, b) in zip(left, right) where a != b {
      return a < b
    }
    return false
  }

  /// Reads a `width`-byte little-endian two's complement integer (4, 8, 16 or 32 bytes).
  static func load(from buffer: Buffer, byteOffset: Int, width: Int, scale: Int) -> ArrowDecimal {
    switch width {
    case 4: return ArrowDecimal(Int64(buffer.loadUnaligned(fromByteOffset: byteOffset, as: Int32.self)), scale: scale)
    case 8: return ArrowDecimal(buffer.loadUnaligned(fromByteOffset: byteOffset, as: Int64.self), scale: scale)
    case 16:
      let low = buffer.loadUnaligned(fromByteOffset: byteOffset, as: UInt64.self)
      let high = buffer.loadUnaligned(fromByteOffset: byteOffset + 8, as: UInt64.self)
      let fill: UInt64 = high >> 63 == 1 ? .max : 0
      return ArrowDecimal(words: (low, high, fill, fill), scale: scale)
    default:
      return ArrowDecimal(
        words: (
          buffer.loadUnaligned(fromByteOffset: byteOffset, as: UInt64.self),
          buffer.loadUnaligned(fromByteOffset: byteOffset + 8, as: UInt64.self),
          buffer.loadUnaligned(fromByteOffset: byteOffset + 16, as: UInt64.self),
          buffer.loadUnaligned(fromByteOffset: byteOffset + 24, as: UInt64.self)
        ), scale: scale)
    }
  }

  /// Appends the low `width` bytes of the integer.
  func store(into storage: ByteStorage, width: Int) {
    switch width {
    case 4: storage.append(UInt32(truncatingIfNeeded: w0))
    case 8: storage.append(w0)
    case 16:
      storage.append(w0)
      storage.append(w1)
    default:
      for word in [w0, w1, w2, w3] { storage.append(word) }
    }
  }
}

extension DataType {
  /// The precision and scale of a decimal type.
  public var decimalParameters: (precision: Int, scale: Int)? {
    switch self {
    case .decimal32(let p, let s), .decimal64(let p, let s), .decimal128(let p, let s), .decimal256(let p, let s):
      (p, s)
    default: nil
    }
  }
}

/// `decimal32`, `decimal64`, `decimal128` and `decimal256` values.
public struct DecimalArray: ArrowArray {
  /// A decimal with the type's scale.
  public typealias Value = ArrowDecimal
  /// The underlying data.
  public let data: ArrayData
  /// The bytes per value (4, 8, 16 or 32).
  public let byteWidth: Int
  /// The precision of the type.
  public let precision: Int
  /// The scale of the type.
  public let scale: Int

  /// Wraps `data` without checks.
  public init(unchecked data: ArrayData) {
    self.data = data
    byteWidth = data.type.byteWidth ?? 16
    (precision, scale) = data.type.decimalParameters ?? (0, 0)
  }
  /// Accepts every decimal type.
  public static func accepts(_ type: DataType) -> Bool { type.isDecimal }
  /// The decimal of slot `index`.
  public func value(at index: Int) -> ArrowDecimal {
    precondition(index >= 0 && index < data.length, "index \(index) is outside 0..<\(data.length)")
    return ArrowDecimal.load(
      from: data.buffer(1), byteOffset: (data.offset + index) * byteWidth, width: byteWidth, scale: scale)
  }
  /// `123.45`.
  public func formatValue(at index: Int) -> String { value(at: index).description }

  /// Builds an array of a decimal `type`; values are rescaled to its scale.
  ///
  /// - Precondition: every value fits the type's scale (its own scale is not larger).
  public init(_ elements: [ArrowDecimal?], type: DataType) {
    precondition(type.isDecimal, "\(type) is not a decimal type")
    let width = type.byteWidth!
    let targetScale = type.decimalParameters!.scale
    let storage = ByteStorage(capacity: elements.count * width)
    var validity = ValidityBuilder()
    for element in elements {
      let value = element.map { value in
        guard let scaled = value.rescaled(to: targetScale) else {
          preconditionFailure("\(value) does not fit scale \(targetScale)")
        }
        return scaled
      }
      (value ?? ArrowDecimal(0 as Int64)).store(into: storage, width: width)
      validity.append(element != nil)
    }
    self.init(
      unchecked: ArrayData(
        type: type, length: elements.count, nullCount: validity.nullCount,
        buffers: [validity.finish(), storage.finish()]))
  }

  /// Builds an array of a decimal `type` from text such as `"123.45"` (`nil` for nulls).
  public init(strings: [String?], type: DataType) {
    self.init(
      strings.map { text in
        text.map { text in
          guard let value = ArrowDecimal(text) else { preconditionFailure("\"\(text)\" is not a decimal") }
          return value
        }
      }, type: type)
  }
}
