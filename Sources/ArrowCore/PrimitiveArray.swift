// Fixed-width arrays: integers, floats, dates, times, timestamps, durations, intervals.

/// A marker type describing one kind of fixed-width Arrow values (the `T` of ``PrimitiveArray``).
public protocol ArrowPrimitiveType: Sendable {
  /// The Swift type of one value, stored little-endian in the data buffer.
  associatedtype Native: BitwiseCopyable & Sendable & Equatable
  /// The Arrow type used when none is given, `nil` for parameterized types (timestamps...).
  static var defaultType: DataType? { get }
  /// Whether arrays of this kind can hold data of `type`.
  static func accepts(_ type: DataType) -> Bool
  /// `value` as pyarrow prints it, for an array of `type`.
  static func format(_ value: Native, type: DataType) -> String
}

extension ArrowPrimitiveType {
  /// Accepts exactly ``defaultType``.
  public static func accepts(_ type: DataType) -> Bool { type == defaultType }
  /// The value's Swift description.
  public static func format(_ value: Native, type: DataType) -> String { "\(value)" }
}

/// `Int8` values.
public enum Int8Type: ArrowPrimitiveType {
  /// The Swift value type.
  public typealias Native = Int8
  /// `int8`.
  public static let defaultType: DataType? = .int8
}
/// `Int16` values.
public enum Int16Type: ArrowPrimitiveType {
  /// The Swift value type.
  public typealias Native = Int16
  /// `int16`.
  public static let defaultType: DataType? = .int16
}
/// `Int32` values.
public enum Int32Type: ArrowPrimitiveType {
  /// The Swift value type.
  public typealias Native = Int32
  /// `int32`.
  public static let defaultType: DataType? = .int32
}
/// `Int64` values.
public enum Int64Type: ArrowPrimitiveType {
  /// The Swift value type.
  public typealias Native = Int64
  /// `int64`.
  public static let defaultType: DataType? = .int64
}
/// `UInt8` values.
public enum UInt8Type: ArrowPrimitiveType {
  /// The Swift value type.
  public typealias Native = UInt8
  /// `uint8`.
  public static let defaultType: DataType? = .uint8
}
/// `UInt16` values.
public enum UInt16Type: ArrowPrimitiveType {
  /// The Swift value type.
  public typealias Native = UInt16
  /// `uint16`.
  public static let defaultType: DataType? = .uint16
}
/// `UInt32` values.
public enum UInt32Type: ArrowPrimitiveType {
  /// The Swift value type.
  public typealias Native = UInt32
  /// `uint32`.
  public static let defaultType: DataType? = .uint32
}
/// `UInt64` values.
public enum UInt64Type: ArrowPrimitiveType {
  /// The Swift value type.
  public typealias Native = UInt64
  /// `uint64`.
  public static let defaultType: DataType? = .uint64
}
/// Half-precision floats (Swift `Float16`).
public enum Float16Type: ArrowPrimitiveType {
  /// The Swift value type.
  public typealias Native = Float16
  /// `halffloat`.
  public static let defaultType: DataType? = .float16
  /// pyarrow's float formatting.
  public static func format(_ value: Float16, type: DataType) -> String { formatFloat(Double(value)) }
}
/// Single-precision floats.
public enum Float32Type: ArrowPrimitiveType {
  /// The Swift value type.
  public typealias Native = Float
  /// `float`.
  public static let defaultType: DataType? = .float32
  /// pyarrow's float formatting.
  public static func format(_ value: Float, type: DataType) -> String {
    if value.isFinite && value == value.rounded() && abs(value) < 1e15 { return "\(Int64(value))" }
    return "\(value)".replacingExponentPadding()
  }
}
/// Double-precision floats.
public enum Float64Type: ArrowPrimitiveType {
  /// The Swift value type.
  public typealias Native = Double
  /// `double`.
  public static let defaultType: DataType? = .float64
  /// pyarrow's float formatting.
  public static func format(_ value: Double, type: DataType) -> String { formatFloat(value) }
}

func formatFloat(_ value: Double) -> String {
  if value.isFinite && value == value.rounded() && abs(value) < 1e15 { return "\(Int64(value))" }
  return "\(value)".replacingExponentPadding()
}

extension String {
  /// `1e-07` → `1e-7`, `1e+20` stays: the exponent form pyarrow prints.
  func replacingExponentPadding() -> String {
    guard let e = firstIndex(of: "e") else { return self }
    var exponent = self[index(after: e)...]
    var sign = "+"
    if let first = exponent.first, first == "-" || first == "+" {
      sign = String(first)
      exponent = exponent.dropFirst()
    }
    while exponent.count > 1 && exponent.first == "0" { exponent = exponent.dropFirst() }
    return self[..<e] + "e" + sign + exponent
  }
}

/// Days since 1970-01-01 (`date32`).
public enum Date32Type: ArrowPrimitiveType {
  /// Days since the epoch.
  public typealias Native = Int32
  /// `date32[day]`.
  public static let defaultType: DataType? = .date32
  /// `YYYY-MM-DD`.
  public static func format(_ value: Int32, type: DataType) -> String { formatDate(days: Int64(value)) }
}
/// Milliseconds since 1970-01-01 (`date64`).
public enum Date64Type: ArrowPrimitiveType {
  /// Milliseconds since the epoch.
  public typealias Native = Int64
  /// `date64[ms]`.
  public static let defaultType: DataType? = .date64
  /// `YYYY-MM-DD`.
  public static func format(_ value: Int64, type: DataType) -> String {
    formatDate(days: floorDivide(value, 86_400_000))
  }
}
/// Time of day as `Int32` seconds or milliseconds (`time32`).
public enum Time32Type: ArrowPrimitiveType {
  /// Seconds or milliseconds since midnight.
  public typealias Native = Int32
  /// None: the unit is a parameter.
  public static let defaultType: DataType? = nil
  /// Any `time32`.
  public static func accepts(_ type: DataType) -> Bool {
    if case .time32 = type { return true }
    return false
  }
  /// `HH:MM:SS[.fff]`.
  public static func format(_ value: Int32, type: DataType) -> String {
    guard case .time32(let unit) = type else { return "\(value)" }
    return formatTimeOfDay(Int64(value), unit: unit)
  }
}
/// Time of day as `Int64` microseconds or nanoseconds (`time64`).
public enum Time64Type: ArrowPrimitiveType {
  /// Microseconds or nanoseconds since midnight.
  public typealias Native = Int64
  /// None: the unit is a parameter.
  public static let defaultType: DataType? = nil
  /// Any `time64`.
  public static func accepts(_ type: DataType) -> Bool {
    if case .time64 = type { return true }
    return false
  }
  /// `HH:MM:SS.ffffff[fff]`.
  public static func format(_ value: Int64, type: DataType) -> String {
    guard case .time64(let unit) = type else { return "\(value)" }
    return formatTimeOfDay(value, unit: unit)
  }
}
/// Time since the epoch as `Int64` in the type's unit (`timestamp`).
public enum TimestampType: ArrowPrimitiveType {
  /// Units since 1970-01-01T00:00:00 (UTC when the type has a time zone).
  public typealias Native = Int64
  /// None: unit and zone are parameters.
  public static let defaultType: DataType? = nil
  /// Any `timestamp`.
  public static func accepts(_ type: DataType) -> Bool {
    if case .timestamp = type { return true }
    return false
  }
  /// `YYYY-MM-DD HH:MM:SS[.fff]`, with a `Z` suffix when the type has a time zone.
  public static func format(_ value: Int64, type: DataType) -> String {
    guard case .timestamp(let unit, let zone) = type else { return "\(value)" }
    let perDay = unit.perSecond * 86_400
    let days = floorDivide(value, perDay)
    let rest = value - days * perDay
    return formatDate(days: days) + " " + formatTimeOfDay(rest, unit: unit) + (zone == nil ? "" : "Z")
  }
}
/// An elapsed time as `Int64` in the type's unit (`duration`).
public enum DurationType: ArrowPrimitiveType {
  /// Units of elapsed time.
  public typealias Native = Int64
  /// None: the unit is a parameter.
  public static let defaultType: DataType? = nil
  /// Any `duration`.
  public static func accepts(_ type: DataType) -> Bool {
    if case .duration = type { return true }
    return false
  }
}
/// Whole months (`month_interval`).
public enum YearMonthIntervalType: ArrowPrimitiveType {
  /// Months.
  public typealias Native = Int32
  /// `month_interval`.
  public static let defaultType: DataType? = .interval(.yearMonth)
  /// `NM`.
  public static func format(_ value: Int32, type: DataType) -> String { "\(value)M" }
}
/// Days and milliseconds (`day_time_interval`).
public enum DayTimeIntervalType: ArrowPrimitiveType {
  /// Days and milliseconds.
  public typealias Native = DayTimeInterval
  /// `day_time_interval`.
  public static let defaultType: DataType? = .interval(.dayTime)
  /// `Nd Mms`.
  public static func format(_ value: DayTimeInterval, type: DataType) -> String {
    "\(value.days)d\(value.milliseconds)ms"
  }
}
/// Months, days and nanoseconds (`month_day_nano_interval`).
public enum MonthDayNanoIntervalType: ArrowPrimitiveType {
  /// Months, days and nanoseconds.
  public typealias Native = MonthDayNanoInterval
  /// `month_day_nano_interval`.
  public static let defaultType: DataType? = .interval(.monthDayNano)
  /// `NMNdNns`, as pyarrow prints it.
  public static func format(_ value: MonthDayNanoInterval, type: DataType) -> String {
    "\(value.months)M\(value.days)d\(value.nanoseconds)ns"
  }
}

/// A `day_time_interval` value: days and milliseconds (8 bytes, little-endian).
public struct DayTimeInterval: Sendable, Hashable, BitwiseCopyable {
  /// Days.
  public var days: Int32
  /// Milliseconds.
  public var milliseconds: Int32
  /// Creates a value.
  public init(days: Int32, milliseconds: Int32) {
    self.days = days
    self.milliseconds = milliseconds
  }
}

/// A `month_day_nano_interval` value: months, days and nanoseconds (16 bytes, little-endian).
public struct MonthDayNanoInterval: Sendable, Hashable, BitwiseCopyable {
  /// Months.
  public var months: Int32
  /// Days.
  public var days: Int32
  /// Nanoseconds.
  public var nanoseconds: Int64
  /// Creates a value.
  public init(months: Int32, days: Int32, nanoseconds: Int64) {
    self.months = months
    self.days = days
    self.nanoseconds = nanoseconds
  }
}

/// An array of fixed-width values described by the marker type `T` (see ``Int64Array`` and friends).
///
/// ```swift
/// let a = Int64Array([1, nil, 3])
/// let t = TimestampArray([0, 1_000], type: .timestamp(.millisecond, "UTC"))
/// ```
public struct PrimitiveArray<T: ArrowPrimitiveType>: ArrowArray {
  /// The Swift type of one value.
  public typealias Value = T.Native
  /// The underlying data.
  public let data: ArrayData
  @usableFromInline let values: Buffer

  /// Wraps `data` without checks.
  public init(unchecked data: ArrayData) {
    self.data = data
    self.values = data.buffer(1)
  }

  /// Whether `type` can back this array.
  public static func accepts(_ type: DataType) -> Bool { T.accepts(type) }

  /// The value of slot `index` (read unaligned; meaningless for null slots).
  @inlinable public func value(at index: Int) -> T.Native {
    precondition(index >= 0 && index < data.length, "index \(index) is outside 0..<\(data.length)")
    return values.loadUnaligned(
      fromByteOffset: (data.offset + index) * MemoryLayout<T.Native>.stride, as: T.Native.self)
  }

  /// The value as pyarrow prints it.
  public func formatValue(at index: Int) -> String { T.format(value(at: index), type: data.type) }

  /// The data buffer (values of every slot, nulls included, from slot 0 of the buffers).
  public var valuesBuffer: Buffer { values }

  /// Builds an array of `type` (default: `T.defaultType`) from optional values.
  public init(_ elements: [T.Native?], type: DataType? = nil) {
    guard let resolved = type ?? T.defaultType else {
      preconditionFailure("\(T.self) needs an explicit DataType")
    }
    precondition(T.accepts(resolved), "\(T.self) cannot hold \(resolved)")
    let count = elements.count
    let stride = MemoryLayout<T.Native>.stride
    var nulls = 0
    let values = Buffer(unsafeUninitializedCount: count * stride) { memory in
      for (index, element) in elements.enumerated() {
        if let element {
          memory.storeBytes(of: element, toByteOffset: index * stride, as: T.Native.self)
        } else {
          (memory.baseAddress! + index * stride).initializeMemory(as: UInt8.self, repeating: 0, count: stride)
          nulls += 1
        }
      }
    }
    let validity =
      nulls == 0
      ? nil
      : Buffer.bitmap(count: count) { index in elements[index] != nil }
    self.init(
      unchecked: ArrayData(type: resolved, length: count, nullCount: nulls, buffers: [validity, values]))
  }

  /// Builds an array without nulls (one copy of the values).
  public init<S: Sequence>(values elements: S, type: DataType? = nil) where S.Element == T.Native {
    guard let resolved = type ?? T.defaultType else {
      preconditionFailure("\(T.self) needs an explicit DataType")
    }
    precondition(T.accepts(resolved), "\(T.self) cannot hold \(resolved)")
    let array = Array(elements)
    let values = array.withUnsafeBytes { Buffer(copyingRawBytes: $0) }
    self.init(unchecked: ArrayData(type: resolved, length: array.count, nullCount: 0, buffers: [nil, values]))
  }

  /// Wraps a values buffer and an optional validity bitmap (no copy).
  public init(type: DataType? = nil, length: Int, values: Buffer, validity: Buffer? = nil, offset: Int = 0) {
    guard let resolved = type ?? T.defaultType else { preconditionFailure("\(T.self) needs an explicit DataType") }
    self.init(unchecked: ArrayData(type: resolved, length: length, offset: offset, buffers: [validity, values]))
  }
}

extension PrimitiveArray: ExpressibleByArrayLiteral {
  /// An array of the listed values (`nil` for nulls), of ``ArrowPrimitiveType/defaultType``.
  public init(arrayLiteral elements: T.Native?...) { self.init(elements) }
}

/// `int8` values.
public typealias Int8Array = PrimitiveArray<Int8Type>
/// `int16` values.
public typealias Int16Array = PrimitiveArray<Int16Type>
/// `int32` values.
public typealias Int32Array = PrimitiveArray<Int32Type>
/// `int64` values.
public typealias Int64Array = PrimitiveArray<Int64Type>
/// `uint8` values.
public typealias UInt8Array = PrimitiveArray<UInt8Type>
/// `uint16` values.
public typealias UInt16Array = PrimitiveArray<UInt16Type>
/// `uint32` values.
public typealias UInt32Array = PrimitiveArray<UInt32Type>
/// `uint64` values.
public typealias UInt64Array = PrimitiveArray<UInt64Type>
/// `halffloat` values (Swift `Float16`).
public typealias Float16Array = PrimitiveArray<Float16Type>
/// `float` values.
public typealias Float32Array = PrimitiveArray<Float32Type>
/// `double` values.
public typealias Float64Array = PrimitiveArray<Float64Type>
/// `date32[day]` values (days since the epoch).
public typealias Date32Array = PrimitiveArray<Date32Type>
/// `date64[ms]` values (milliseconds since the epoch).
public typealias Date64Array = PrimitiveArray<Date64Type>
/// `time32` values.
public typealias Time32Array = PrimitiveArray<Time32Type>
/// `time64` values.
public typealias Time64Array = PrimitiveArray<Time64Type>
/// `timestamp` values.
public typealias TimestampArray = PrimitiveArray<TimestampType>
/// `duration` values.
public typealias DurationArray = PrimitiveArray<DurationType>
/// `month_interval` values.
public typealias YearMonthIntervalArray = PrimitiveArray<YearMonthIntervalType>
/// `day_time_interval` values.
public typealias DayTimeIntervalArray = PrimitiveArray<DayTimeIntervalType>
/// `month_day_nano_interval` values.
public typealias MonthDayNanoIntervalArray = PrimitiveArray<MonthDayNanoIntervalType>

// MARK: - Calendar arithmetic (proleptic Gregorian, UTC)

func floorDivide(_ a: Int64, _ b: Int64) -> Int64 {
  let q = a / b
  return (a % b != 0 && (a < 0) != (b < 0)) ? q - 1 : q
}

/// The civil date (year, month 1...12, day 1...31) of `days` since 1970-01-01.
public func civilDate(fromDaysSinceEpoch days: Int64) -> (year: Int64, month: Int, day: Int) {
  let z = days + 719_468
  let era = floorDivide(z, 146_097)
  let doe = z - era * 146_097
  let yoe = (doe - doe / 1460 + doe / 36524 - doe / 146_096) / 365
  let doy = doe - (365 * yoe + yoe / 4 - yoe / 100)
  let mp = (5 * doy + 2) / 153
  let day = Int(doy - (153 * mp + 2) / 5 + 1)
  let month = Int(mp < 10 ? mp + 3 : mp - 9)
  return (yoe + era * 400 + (month <= 2 ? 1 : 0), month, day)
}

/// The days since 1970-01-01 of a civil date (month 1...12).
public func daysSinceEpoch(year: Int64, month: Int, day: Int) -> Int64 {
  let y = month <= 2 ? year - 1 : year
  let era = floorDivide(y, 400)
  let yoe = y - era * 400
  let m = Int64(month)
  let doy = (153 * (m > 2 ? m - 3 : m + 9) + 2) / 5 + Int64(day) - 1
  let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy
  return era * 146_097 + doe - 719_468
}

func pad(_ value: Int64, _ width: Int) -> String {
  let text = String(value)
  return text.count >= width ? text : String(repeating: "0", count: width - text.count) + text
}

func formatDate(days: Int64) -> String {
  let (year, month, day) = civilDate(fromDaysSinceEpoch: days)
  return "\(pad(year, 4))-\(pad(Int64(month), 2))-\(pad(Int64(day), 2))"
}

func formatTimeOfDay(_ value: Int64, unit: TimeUnit) -> String {
  let perSecond = unit.perSecond
  let seconds = floorDivide(value, perSecond)
  let fraction = value - seconds * perSecond
  var text = "\(pad(seconds / 3600, 2)):\(pad(seconds / 60 % 60, 2)):\(pad(seconds % 60, 2))"
  switch unit {
  case .second: break
  case .millisecond: text += "." + pad(fraction, 3)
  case .microsecond: text += "." + pad(fraction, 6)
  case .nanosecond: text += "." + pad(fraction, 9)
  }
  return text
}

extension PrimitiveArray where T == Date32Type {
  /// The civil date of slot `index`, or `nil` when null.
  public func civilDate(at index: Int) -> (year: Int64, month: Int, day: Int)? {
    self[index].map { ArrowCore.civilDate(fromDaysSinceEpoch: Int64($0)) }
  }
}

extension PrimitiveArray where T == TimestampType {
  /// The unit of the timestamps.
  public var unit: TimeUnit {
    guard case .timestamp(let unit, _) = type else { return .second }
    return unit
  }
  /// The time zone, when the type has one.
  public var timeZone: String? {
    guard case .timestamp(_, let zone) = type else { return nil }
    return zone
  }
  /// Slot `index` as seconds since the epoch (fractional), or `nil` when null.
  public func secondsSinceEpoch(at index: Int) -> Double? {
    self[index].map { Double($0) / Double(unit.perSecond) }
  }
}

extension PrimitiveArray {
  /// Calls `body` with the values of every slot (nulls hold unspecified values) as typed memory.
  ///
  /// Zero-copy when the data buffer is suitably aligned; otherwise the values are first
  /// copied into aligned memory (received buffers may be misaligned).
  public func withUnsafeValues<R, E: Error>(_ body: (UnsafeBufferPointer<T.Native>) throws(E) -> R) throws(E) -> R {
    let stride = MemoryLayout<T.Native>.stride
    let start = data.offset * stride
    let count = data.length
    let view = count == 0 ? Buffer.empty : values.slice(start..<(start + count * stride))
    let aligned = view.isAligned(to: MemoryLayout<T.Native>.alignment) ? view : view.copy()
    return try aligned.withUnsafeBytes { (raw) throws(E) -> R in
      guard let base = raw.baseAddress else { return try body(UnsafeBufferPointer(start: nil, count: 0)) }
      return try body(UnsafeBufferPointer(start: base.assumingMemoryBound(to: T.Native.self), count: count))
    }
  }

  /// The values of every slot, nulls replaced by `defaultValue`.
  public func values(replacingNullsWith defaultValue: T.Native) -> [T.Native] {
    (0..<length).map { isNull($0) ? defaultValue : value(at: $0) }
  }
}
