// A message body that may arrive in pieces (the slices of a network message).

public import ArrowCore

/// The body of one IPC message, as one buffer or as consecutive pieces (for example the
/// slices of a received gRPC message).
///
/// The decoder takes each Arrow buffer of the body as a view of the piece that holds it (no
/// copy); only an Arrow buffer that straddles two pieces is copied.
public struct MessageBody: Sendable {
  private let parts: [Buffer]
  /// The offset of each part in the body.
  private let starts: [Int]
  /// The size of the body in bytes.
  public let count: Int

  /// A body held in one buffer.
  public init(_ buffer: Buffer) {
    self.init(parts: [buffer])
  }

  /// A body made of `parts`, in order.
  public init(parts: [Buffer]) {
    var starts: [Int] = []
    starts.reserveCapacity(parts.count)
    var total = 0
    var kept: [Buffer] = []
    kept.reserveCapacity(parts.count)
    for part in parts where !part.isEmpty {
      starts.append(total)
      kept.append(part)
      total += part.count
    }
    self.parts = kept
    self.starts = starts
    self.count = total
  }

  /// The first `length` bytes (`length` at most ``count``).
  func prefix(_ length: Int) -> MessageBody {
    guard length < count else { return self }
    var pieces: [Buffer] = []
    for (part, start) in zip(parts, starts) where start < length {
      pieces.append(part.slice(0..<min(part.count, length - start)))
    }
    return MessageBody(parts: pieces)
  }

  /// The bytes of `range` (inside `0..<count`): a view when one part holds them, else a copy.
  func slice(_ range: Range<Int>) -> Buffer {
    guard !range.isEmpty else { return Buffer() }
    // The last part starting at or before the range.
    var low = 0
    var high = starts.count - 1
    while low < high {
      let middle = (low + high + 1) / 2
      if starts[middle] <= range.lowerBound { low = middle } else { high = middle - 1 }
    }
    let first = parts[low]
    let local = range.lowerBound - starts[low]
    if local + range.count <= first.count { return first.slice(local..<local + range.count) }
    var pieces: [Buffer] = []
    var index = low
    var position = range.lowerBound
    while position < range.upperBound {
      let part = parts[index]
      let from = position - starts[index]
      let to = min(part.count, range.upperBound - starts[index])
      pieces.append(part.slice(from..<to))
      position += to - from
      index += 1
    }
    return Buffer.concatenating(pieces)
  }
}
