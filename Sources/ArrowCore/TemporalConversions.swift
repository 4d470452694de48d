// Conversions between temporal arrays and Foundation's `Date`.

#if canImport(FoundationEssentials)
  public import FoundationEssentials
#else
  public import Foundation
#endif

extension PrimitiveArray where T == Date32Type {
  /// Slot `index` as a `Date` at midnight UTC, or `nil` when null.
  public func date(at index: Int) -> Date? {
    self[index].map { Date(timeIntervalSince1970: Double($0) * 86_400) }
  }

  /// An array of the UTC calendar days of `dates` (`nil` for nulls).
  public init(dates: [Date?]) {
    self.init(
      dates.map { date in
        date.map { Int32((($0.timeIntervalSince1970) / 86_400).rounded(.down)) }
      })
  }
}

extension PrimitiveArray where T == Date64Type {
  /// Slot `index` as a `Date`, or `nil` when null.
  public func date(at index: Int) -> Date? {
    self[index].map { Date(timeIntervalSince1970: Double($0) / 1_000) }
  }
}

extension PrimitiveArray where T == TimestampType {
  /// Slot `index` as a `Date` (an instant: UTC for zoned and naive timestamps alike), or `nil`.
  public func date(at index: Int) -> Date? {
    guard let value = self[index] else { return nil }
    let perSecond = unit.perSecond
    let seconds = floorDivide(value, perSecond)
    let fraction = Double(value - seconds * perSecond) / Double(perSecond)
    return Date(timeIntervalSince1970: Double(seconds) + fraction)
  }

  /// An array of `dates` as timestamps of `unit` (rounded down), with an optional time zone.
  public init(dates: [Date?], unit: TimeUnit, timeZone: String? = nil) {
    self.init(
      dates.map { date in
        date.map { Int64(($0.timeIntervalSince1970 * Double(unit.perSecond)).rounded(.down)) }
      }, type: .timestamp(unit, timeZone))
  }
}
