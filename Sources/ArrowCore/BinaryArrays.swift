// Variable-size binary and string, view and fixed-size binary arrays.

/// The offset integer of variable-size layouts: `Int32` (regular) or `Int64` (large).
public protocol ArrowOffset: FixedWidthInteger, BitwiseCopyable, Sendable {}
extension Int32: ArrowOffset {}
extension Int64: ArrowOffset {}

/// Reads the `[start, end)` byte range of slot `index` from an offsets buffer.
@inline(__always)
func offsetRange<O: ArrowOffset>(_ offsets: Buffer, _ slot: Int, _: O.Type) -> Range<Int> {
  let width = MemoryLayout<O>.size
  let start = Int(offsets.loadUnaligned(fromByteOffset: slot * width, as: O.self))
  let end = Int(offsets.loadUnaligned(fromByteOffset: (slot + 1) * width, as: O.self))
  return start..<end
}

/// Builds offsets and data for a variable-size binary layout.
func buildVariable<O: ArrowOffset>(_ count: Int, _ offsetType: O.Type, _ element: (Int) -> [UInt8]?) -> (
  Buffer?, Buffer, Buffer, Int
) {
  let offsets = ByteStorage(capacity: (count + 1) * MemoryLayout<O>.size)
  let bytes = ByteStorage()
  var validity = ValidityBuilder()
  offsets.append(O(0))
  for index in 0..<count {
    let value = element(index)
    if let value { value.withUnsafeBytes { bytes.append(contentsOf: $0) } }
    validity.append(value != nil)
    offsets.append(O(bytes.count))
  }
  return (validity.finish(), offsets.finish(), bytes.finish(), validity.nullCount)
}

/// Variable-size bytes with `O` offsets: ``BinaryArray`` (`binary`), ``LargeBinaryArray`` (`large_binary`).
///
/// Values are zero-copy ``Buffer`` slices of the data buffer.
public struct GenericBinaryArray<O: ArrowOffset>: ArrowArray, ExpressibleByArrayLiteral {
  /// The bytes of one value (a view of the data buffer).
  public typealias Value = Buffer
  /// The underlying data.
  public let data: ArrayData
  private let offsets: Buffer
  private let bytes: Buffer
  /// Wraps `data` without checks.
  public init(unchecked data: ArrayData) {
    self.data = data
    self.offsets = data.buffer(1)
    self.bytes = data.buffer(2)
  }
  /// Accepts `binary` (Int32 offsets) or `large_binary` (Int64 offsets).
  public static func accepts(_ type: DataType) -> Bool { type == (O.self == Int32.self ? .binary : .largeBinary) }
  /// The byte range of slot `index` in the data buffer.
  public func range(at index: Int) -> Range<Int> { offsetRange(offsets, data.offset + index, O.self) }
  /// The bytes of slot `index`, without a copy.
  public func value(at index: Int) -> Buffer {
    precondition(index >= 0 && index < data.length, "index \(index) is outside 0..<\(data.length)")
    return bytes.slice(range(at: index))
  }
  /// pyarrow's form: the bytes as hex.
  public func formatValue(at index: Int) -> String { formatBytes(value(at: index)) }

  /// Builds an array from optional byte arrays.
  public init(_ elements: [[UInt8]?]) {
    let type: DataType = O.self == Int32.self ? .binary : .largeBinary
    let (validity, offsets, bytes, nulls) = buildVariable(elements.count, O.self) { elements[$0] }
    self.init(
      unchecked: ArrayData(type: type, length: elements.count, nullCount: nulls, buffers: [validity, offsets, bytes]))
  }
  /// An array of the listed byte arrays (`nil` for nulls).
  public init(arrayLiteral elements: [UInt8]?...) { self.init(elements) }
}

func formatBytes(_ bytes: Buffer) -> String {
  bytes.map { byte in
    let hex = String(byte, radix: 16, uppercase: true)
    return byte < 16 ? "0" + hex : hex
  }.joined()
}

func quote(_ string: String) -> String { "\"" + string + "\"" }

/// UTF-8 strings with `O` offsets: ``StringArray`` (`string`), ``LargeStringArray`` (`large_string`).
public struct GenericStringArray<O: ArrowOffset>: ArrowArray, ExpressibleByArrayLiteral {
  /// A string.
  public typealias Value = String
  /// The underlying data.
  public let data: ArrayData
  private let offsets: Buffer
  private let bytes: Buffer
  /// Wraps `data` without checks.
  public init(unchecked data: ArrayData) {
    self.data = data
    self.offsets = data.buffer(1)
    self.bytes = data.buffer(2)
  }
  /// Accepts `string` (Int32 offsets) or `large_string` (Int64 offsets).
  public static func accepts(_ type: DataType) -> Bool { type == (O.self == Int32.self ? .string : .largeString) }
  /// The byte range of slot `index` in the data buffer.
  public func range(at index: Int) -> Range<Int> { offsetRange(offsets, data.offset + index, O.self) }
  /// The UTF-8 bytes of slot `index`, without a copy.
  public func bytes(at index: Int) -> Buffer {
    precondition(index >= 0 && index < data.length, "index \(index) is outside 0..<\(data.length)")
    return bytes.slice(range(at: index))
  }
  /// The string of slot `index` (decoded from UTF-8; invalid bytes are replaced, run `validate()` first).
  public func value(at index: Int) -> String {
    bytes(at: index).withUnsafeBytes { String(decoding: $0, as: UTF8.self) }
  }
  /// The string in double quotes.
  public func formatValue(at index: Int) -> String { quote(value(at: index)) }

  /// Builds an array from optional strings.
  public init(_ elements: [String?]) {
    let type: DataType = O.self == Int32.self ? .string : .largeString
    let (validity, offsets, bytes, nulls) = buildVariable(elements.count, O.self) {
      elements[$0].map { Array($0.utf8) }
    }
    self.init(
      unchecked: ArrayData(type: type, length: elements.count, nullCount: nulls, buffers: [validity, offsets, bytes]))
  }
  /// An array of the listed strings (`nil` for nulls).
  public init(arrayLiteral elements: String?...) { self.init(elements) }
}

/// `binary` values (Int32 offsets).
public typealias BinaryArray = GenericBinaryArray<Int32>
/// `large_binary` values (Int64 offsets).
public typealias LargeBinaryArray = GenericBinaryArray<Int64>
/// `string` values (Int32 offsets).
public typealias StringArray = GenericStringArray<Int32>
/// `large_string` values (Int64 offsets).
public typealias LargeStringArray = GenericStringArray<Int64>

/// Reads one 16-byte view: inline bytes (up to 12) or a reference into a variadic buffer.
func viewBytes(_ data: ArrayData, _ views: Buffer, _ slot: Int) -> Buffer {
  let base = slot * 16
  let size = Int(views.loadUnaligned(fromByteOffset: base, as: Int32.self))
  if size <= 12 { return views.slice((base + 4)..<(base + 4 + size)) }
  let bufferIndex = Int(views.loadUnaligned(fromByteOffset: base + 8, as: Int32.self))
  let start = Int(views.loadUnaligned(fromByteOffset: base + 12, as: Int32.self))
  return data.buffer(2 + bufferIndex).slice(start..<(start + size))
}

/// Builds views plus one data buffer for a view layout.
func buildViews(_ count: Int, _ element: (Int) -> [UInt8]?) -> (Buffer?, Buffer, Buffer, Int) {
  let views = ByteStorage(capacity: count * 16)
  let bytes = ByteStorage()
  var validity = ValidityBuilder()
  for index in 0..<count {
    let value = element(index) ?? []
    validity.append(element(index) != nil)
    views.append(Int32(value.count))
    if value.count <= 12 {
      value.withUnsafeBytes { views.append(contentsOf: $0) }
      views.appendZeros(12 - value.count)
    } else {
      value.withUnsafeBytes { views.append(contentsOf: UnsafeRawBufferPointer(rebasing: $0[0..<4])) }
      views.append(Int32(0))
      views.append(Int32(bytes.count))
      value.withUnsafeBytes { bytes.append(contentsOf: $0) }
    }
  }
  return (validity.finish(), views.finish(), bytes.finish(), validity.nullCount)
}

/// `binary_view` values: 16-byte views, inline up to 12 bytes, else into variadic buffers.
public struct BinaryViewArray: ArrowArray, ExpressibleByArrayLiteral {
  /// The bytes of one value (a view of the views or data buffers).
  public typealias Value = Buffer
  /// The underlying data.
  public let data: ArrayData
  /// Wraps `data` without checks.
  public init(unchecked data: ArrayData) { self.data = data }
  /// Accepts `binary_view`.
  public static func accepts(_ type: DataType) -> Bool { type == .binaryView }
  /// The bytes of slot `index`, without a copy.
  public func value(at index: Int) -> Buffer {
    precondition(index >= 0 && index < data.length, "index \(index) is outside 0..<\(data.length)")
    return viewBytes(data, data.buffer(1), data.offset + index)
  }
  /// The bytes as hex.
  public func formatValue(at index: Int) -> String { formatBytes(value(at: index)) }
  /// Builds an array from optional byte arrays (long values go into one data buffer).
  public init(_ elements: [[UInt8]?]) {
    let (validity, views, bytes, nulls) = buildViews(elements.count) { elements[$0] }
    self.init(
      unchecked: ArrayData(
        type: .binaryView, length: elements.count, nullCount: nulls, buffers: [validity, views, bytes]))
  }
  /// An array of the listed byte arrays.
  public init(arrayLiteral elements: [UInt8]?...) { self.init(elements) }
}

/// `string_view` values: 16-byte views, inline up to 12 bytes, else into variadic buffers.
public struct StringViewArray: ArrowArray, ExpressibleByArrayLiteral {
  /// A string.
  public typealias Value = String
  /// The underlying data.
  public let data: ArrayData
  /// Wraps `data` without checks.
  public init(unchecked data: ArrayData) { self.data = data }
  /// Accepts `string_view`.
  public static func accepts(_ type: DataType) -> Bool { type == .stringView }
  /// The UTF-8 bytes of slot `index`, without a copy.
  public func bytes(at index: Int) -> Buffer {
    precondition(index >= 0 && index < data.length, "index \(index) is outside 0..<\(data.length)")
    return viewBytes(data, data.buffer(1), data.offset + index)
  }
  /// The string of slot `index`.
  public func value(at index: Int) -> String {
    bytes(at: index).withUnsafeBytes { String(decoding: $0, as: UTF8.self) }
  }
  /// The string in double quotes.
  public func formatValue(at index: Int) -> String { quote(value(at: index)) }
  /// Builds an array from optional strings.
  public init(_ elements: [String?]) {
    let (validity, views, bytes, nulls) = buildViews(elements.count) { elements[$0].map { Array($0.utf8) } }
    self.init(
      unchecked: ArrayData(
        type: .stringView, length: elements.count, nullCount: nulls, buffers: [validity, views, bytes]))
  }
  /// An array of the listed strings.
  public init(arrayLiteral elements: String?...) { self.init(elements) }
}

/// `fixed_size_binary[n]` values.
public struct FixedSizeBinaryArray: ArrowArray {
  /// The bytes of one value (a view of the data buffer).
  public typealias Value = Buffer
  /// The underlying data.
  public let data: ArrayData
  /// The width of every value in bytes.
  public let byteWidth: Int
  /// Wraps `data` without checks.
  public init(unchecked data: ArrayData) {
    self.data = data
    if case .fixedSizeBinary(let width) = data.type { byteWidth = width } else { byteWidth = 0 }
  }
  /// Accepts any `fixed_size_binary`.
  public static func accepts(_ type: DataType) -> Bool {
    if case .fixedSizeBinary = type { return true }
    return false
  }
  /// The bytes of slot `index`, without a copy.
  public func value(at index: Int) -> Buffer {
    precondition(index >= 0 && index < data.length, "index \(index) is outside 0..<\(data.length)")
    let start = (data.offset + index) * byteWidth
    return data.buffer(1).slice(start..<(start + byteWidth))
  }
  /// The bytes as hex.
  public func formatValue(at index: Int) -> String { formatBytes(value(at: index)) }
  /// Builds an array of `byteWidth`-byte values.
  ///
  /// - Precondition: every value has `byteWidth` bytes.
  public init(byteWidth: Int, _ elements: [[UInt8]?]) {
    let bytes = ByteStorage(capacity: elements.count * byteWidth)
    var validity = ValidityBuilder()
    for element in elements {
      if let element {
        precondition(element.count == byteWidth, "value of \(element.count) bytes in fixed_size_binary[\(byteWidth)]")
        element.withUnsafeBytes { bytes.append(contentsOf: $0) }
      } else {
        bytes.appendZeros(byteWidth)
      }
      validity.append(element != nil)
    }
    self.init(
      unchecked: ArrayData(
        type: .fixedSizeBinary(byteWidth), length: elements.count, nullCount: validity.nullCount,
        buffers: [validity.finish(), bytes.finish()]))
  }
}
