#if canImport(Glibc)
  internal import Glibc
#elseif canImport(Musl)
  internal import Musl
#elseif canImport(Darwin)
  internal import Darwin
#endif

/// A point in time: `google.protobuf.Timestamp`, seconds and nanoseconds since the Unix epoch
/// (1970-01-01T00:00:00Z), without a dependency on Foundation.
///
/// Values built here are normalized (`nanos` in `0..<1_000_000_000`); decoded values are kept
/// as received.
public struct Timestamp: Hashable, Sendable, Comparable, CustomStringConvertible {
  /// Whole seconds since the Unix epoch; negative before 1970.
  public var seconds: Int64
  /// Nanoseconds added to `seconds`, normally `0..<1_000_000_000`.
  public var nanos: Int32

  /// Creates a timestamp from its fields as they are, without normalizing.
  public init(seconds: Int64, nanos: Int32 = 0) {
    self.seconds = seconds
    self.nanos = nanos
  }

  /// Creates the timestamp a duration after the Unix epoch (negative: before it).
  public init(sinceEpoch duration: Duration) {
    let (wholeSeconds, attoseconds) = duration.components
    var seconds = wholeSeconds
    var nanos = attoseconds / 1_000_000_000
    if nanos < 0 {
      seconds -= 1
      nanos += 1_000_000_000
    }
    self.init(seconds: seconds, nanos: Int32(nanos))
  }

  /// Creates a timestamp from fractional seconds since the Unix epoch, rounded to the
  /// nearest nanosecond.
  public init(secondsSinceEpoch: Double) {
    let whole = secondsSinceEpoch.rounded(.down)
    var nanos = ((secondsSinceEpoch - whole) * 1e9).rounded()
    var seconds = Int64(whole)
    if nanos >= 1e9 {
      seconds += 1
      nanos -= 1e9
    }
    self.init(seconds: seconds, nanos: Int32(nanos))
  }

  /// The current wall-clock time.
  public static func now() -> Timestamp {
    var spec = timespec()
    clock_gettime(CLOCK_REALTIME, &spec)
    return Timestamp(seconds: Int64(spec.tv_sec), nanos: Int32(spec.tv_nsec))
  }

  /// The time since the Unix epoch as a `Duration`.
  public var sinceEpoch: Duration {
    .seconds(seconds) + .nanoseconds(Int64(nanos))
  }

  /// The time since the Unix epoch in fractional seconds.
  public var secondsSinceEpoch: Double {
    Double(seconds) + Double(nanos) / 1e9
  }

  /// The timestamp `duration` later (earlier when negative).
  public func advanced(by duration: Duration) -> Timestamp {
    Timestamp(sinceEpoch: sinceEpoch + duration)
  }

  /// The duration from this timestamp to `other`.
  public func duration(to other: Timestamp) -> Duration {
    other.sinceEpoch - sinceEpoch
  }

  /// Orders timestamps by time.
  public static func < (lhs: Timestamp, rhs: Timestamp) -> Bool {
    lhs.sinceEpoch < rhs.sinceEpoch
  }

  /// The fields, such as `Timestamp(seconds: 1700000000, nanos: 250000000)`.
  public var description: String {
    "Timestamp(seconds: \(seconds), nanos: \(nanos))"
  }
}
