// Progress of a transfer (rows, bytes, rate) on stderr, shown only on a terminal and only
// when the transfer takes more than a moment.

internal import Foundation

#if canImport(Glibc)
  internal import Glibc
#elseif canImport(Musl)
  internal import Musl
#elseif canImport(Darwin)
  internal import Darwin
#endif

/// Counts rows and bytes of a transfer and redraws one status line on stderr, at most a few
/// times a second, once a second has passed, and only when stdout is a terminal.
final class TransferProgress {
  private let verb: String
  private let start = ContinuousClock.now
  private var lastDrawn: ContinuousClock.Instant?
  private let enabled: Bool
  private(set) var rows = 0
  private(set) var bytes = 0
  private(set) var batches = 0

  /// How long a transfer runs before progress appears.
  static let delay = Duration.seconds(1)
  /// The shortest time between two redraws.
  static let interval = Duration.milliseconds(200)

  init(_ verb: String) {
    self.verb = verb
    enabled = isatty(STDOUT_FILENO) == 1 && isatty(STDERR_FILENO) == 1
  }

  /// Counts one batch.
  func add(rows: Int, bytes: Int) {
    self.rows += rows
    self.bytes += bytes
    batches += 1
    guard enabled else { return }
    let now = ContinuousClock.now
    guard now - start >= Self.delay else { return }
    if let lastDrawn, now - lastDrawn < Self.interval { return }
    lastDrawn = now
    draw(now)
  }

  /// Draws the final figures and ends the line, if progress was shown.
  func finish() {
    guard enabled, lastDrawn != nil else { return }
    draw(ContinuousClock.now)
    writeStandardError("\n")
  }

  /// Seconds since the start.
  var elapsed: Double {
    let duration = ContinuousClock.now - start
    return Double(duration.components.seconds) + Double(duration.components.attoseconds) / 1e18
  }

  private func draw(_ now: ContinuousClock.Instant) {
    let seconds = max(elapsed, 1e-9)
    writeStandardError(
      "\r\u{1B}[K\(verb) \(rows) rows, \(formatBytes(bytes)), \(formatBytes(Int(Double(bytes) / seconds)))/s")
  }
}

/// `123 B`, `4.5 KiB`, `6.7 MiB`, `8.9 GiB`.
func formatBytes(_ count: Int) -> String {
  let units = ["B", "KiB", "MiB", "GiB", "TiB"]
  var value = Double(count)
  var unit = 0
  while value >= 1024 && unit < units.count - 1 {
    value /= 1024
    unit += 1
  }
  return unit == 0 ? "\(count) B" : String(format: "%.1f", value) + " " + units[unit]
}
