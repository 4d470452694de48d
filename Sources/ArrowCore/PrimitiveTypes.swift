// The marker types of fixed-width values (the `T` of PrimitiveArray) and the interval values.

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
