// The array of the `null` type.

/// An array of the `null` type: every slot is null, and there are no buffers.
public struct NullArray: ArrowArray {
  /// Null arrays have no values.
  public typealias Value = Never
  /// The underlying data.
  public let data: ArrayData
  /// Wraps `data` without checks.
  public init(unchecked data: ArrayData) { self.data = data }
  /// Accepts `null`.
  public static func accepts(_ type: DataType) -> Bool { type == .null }
  /// Never called: every slot is null.
  public func value(at index: Int) -> Never { preconditionFailure("a null array has no values") }
  /// Never called: every slot is null.
  public func formatValue(at index: Int) -> String { "null" }
  /// `length` nulls.
  public init(length: Int) { self.init(unchecked: ArrayData(type: .null, length: length, buffers: [])) }
}
