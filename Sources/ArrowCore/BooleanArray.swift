// The boolean array, bit packed.

/// An array of booleans, bit packed.
public struct BooleanArray: ArrowArray, ExpressibleByArrayLiteral {
  /// A boolean.
  public typealias Value = Bool
  /// The underlying data.
  public let data: ArrayData
  private let bits: Buffer
  /// Wraps `data` without checks.
  public init(unchecked data: ArrayData) {
    self.data = data
    self.bits = data.buffer(1)
  }
  /// Accepts `bool`.
  public static func accepts(_ type: DataType) -> Bool { type == .bool }
  /// The bit of slot `index`.
  public func value(at index: Int) -> Bool {
    precondition(index >= 0 && index < data.length, "index \(index) is outside 0..<\(data.length)")
    return bits.withUnsafeBytes { bitIsSet($0, data.offset + index) }
  }
  /// `true` or `false`.
  public func formatValue(at index: Int) -> String { value(at: index) ? "true" : "false" }

  /// Builds an array from optional booleans.
  public init(_ elements: [Bool?]) {
    var values = BitmapBuilder()
    var validity = ValidityBuilder()
    for element in elements {
      values.append(element ?? false)
      validity.append(element != nil)
    }
    self.init(
      unchecked: ArrayData(
        type: .bool, length: elements.count, nullCount: validity.nullCount,
        buffers: [validity.finish(), values.finish()]))
  }
  /// An array of the listed values (`nil` for nulls).
  public init(arrayLiteral elements: Bool?...) { self.init(elements) }
}
