// One JSON object per line on stdout: the measurement of one operation.

internal import Foundation

#if canImport(Glibc)
  internal import Glibc
#elseif canImport(Musl)
  internal import Musl
#elseif canImport(Darwin)
  internal import Darwin
#endif

/// A JSON value of a report line.
enum ReportValue {
  case string(String)
  case int(Int)
  case double(Double)

  var json: String {
    switch self {
    case .string(let text):
      return "\"" + text.replacingOccurrences(of: "\\", with: "\\\\").replacingOccurrences(of: "\"", with: "\\\"")
        + "\""
    case .int(let value):
      return String(value)
    case .double(let value):
      guard value.isFinite else { return "null" }
      return String((value * 1e6).rounded() / 1e6)
    }
  }
}

/// Prints `fields` as one JSON object on one line, flushed.
func report(_ fields: KeyValuePairs<String, ReportValue>) {
  let body = fields.map { "\"\($0.key)\": \($0.value.json)" }.joined(separator: ", ")
  print("{" + body + "}")
  fflush(nil)
}

/// Seconds elapsed between two instants.
func seconds(_ duration: Duration) -> Double {
  let (whole, attoseconds) = duration.components
  return Double(whole) + Double(attoseconds) / 1e18
}

/// Megabytes (10^6 bytes) per second.
func megabytesPerSecond(_ bytes: Int, _ elapsed: Double) -> Double { Double(bytes) / 1e6 / elapsed }
