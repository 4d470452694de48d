// Fixed-width arrays of integers, floats, dates, times, timestamps, durations and intervals.

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
