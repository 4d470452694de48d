// Chunked arrays: one logical column made of several arrays of one type.

/// A logical column made of chunks (arrays of one type).
public struct ChunkedArray: Sendable, Equatable, CustomStringConvertible {
  /// The type of every chunk.
  public let type: DataType
  /// The chunks.
  public let chunks: [any ArrowArray]
  /// The total number of slots.
  public let length: Int
  /// The first logical slot of each chunk, then ``length``: `chunks.count + 1` ascending
  /// values, so finding the chunk of a slot is a binary search.
  let starts: [Int]

  /// Chunks of `type` (needed when there are no chunks).
  public init(_ chunks: [any ArrowArray], type: DataType? = nil) throws(ArrowError) {
    guard let resolved = type ?? chunks.first?.type else {
      throw .invalid("a chunked array without chunks needs a type")
    }
    for (index, chunk) in chunks.enumerated() where chunk.type != resolved {
      throw .typeMismatch("chunk \(index) has type \(chunk.type), expected \(resolved)")
    }
    self.init(unchecked: chunks, type: resolved)
  }

  init(unchecked chunks: [any ArrowArray], type: DataType) {
    ChunkVisits.record(chunks.count)
    var starts: [Int] = []
    starts.reserveCapacity(chunks.count + 1)
    var position = 0
    for chunk in chunks {
      starts.append(position)
      position += chunk.length
    }
    starts.append(position)
    self.type = type
    self.chunks = chunks
    self.length = position
    self.starts = starts
  }

  /// The total number of nulls.
  public var nullCount: Int {
    ChunkVisits.record(chunks.count)
    return chunks.reduce(0) { $0 + $1.nullCount }
  }

  /// The index of the chunk holding logical slot `index` (`0 <= index < length`): the last
  /// chunk starting at or before it, empty chunks skipped. O(log chunks).
  func chunkIndex(_ index: Int) -> Int {
    var low = 0
    var high = chunks.count  // starts[high] > index
    while high - low > 1 {
      ChunkVisits.record()
      let middle = (low + high) / 2
      if starts[middle] <= index { low = middle } else { high = middle }
    }
    return low
  }

  /// The chunk and the slot within it of logical slot `index`.
  public func locate(_ index: Int) -> (chunk: Int, slot: Int) {
    precondition(index >= 0 && index < length, "index \(index) is outside 0..<\(length)")
    let chunk = chunkIndex(index)
    return (chunk, index - starts[chunk])
  }

  /// Whether logical slot `index` is null.
  public func isNull(_ index: Int) -> Bool {
    let (chunk, slot) = locate(index)
    return chunks[chunk].isNull(slot)
  }

  /// Slot `index` as it prints.
  public func formatSlot(_ index: Int) -> String {
    let (chunk, slot) = locate(index)
    return chunks[chunk].formatSlot(slot)
  }

  /// The value of slot `index`, typed, or `nil` when null or of another array type.
  public func value<A: ArrowArray>(at index: Int, as: A.Type) -> A.Value? {
    let (chunk, slot) = locate(index)
    return (chunks[chunk] as? A)?[slot] ?? nil
  }

  /// A zero-copy view of `length` slots starting at `offset` (chunks are sliced, empty ones
  /// dropped). O(log chunks + the chunks it keeps).
  public func slice(offset: Int, length: Int) -> ChunkedArray {
    precondition(offset >= 0 && length >= 0 && offset + length <= self.length, "slice outside 0..<\(self.length)")
    var result: [any ArrowArray] = []
    guard length > 0 else { return ChunkedArray(unchecked: result, type: type) }
    var chunk = chunkIndex(offset)
    var skip = offset - starts[chunk]
    var remaining = length
    while remaining > 0 {
      ChunkVisits.record()
      let current = chunks[chunk]
      let take = min(current.length - skip, remaining)
      if take > 0 {
        result.append(skip == 0 && take == current.length ? current : current.sliceErased(offset: skip, length: take))
      }
      remaining -= take
      skip = 0
      chunk += 1
    }
    return ChunkedArray(unchecked: result, type: type)
  }

  /// Equivalent types and logically equal slots, whatever the chunking. O(slots + chunks).
  public static func == (lhs: ChunkedArray, rhs: ChunkedArray) -> Bool {
    guard lhs.length == rhs.length, lhs.type.isEquivalent(to: rhs.type) else { return false }
    // Walk both chunk lists at once, comparing the runs where a chunk of each overlaps.
    var (left, right) = (0, 0)
    var (leftSlot, rightSlot) = (0, 0)
    var remaining = lhs.length
    while remaining > 0 {
      ChunkVisits.record()
      let a = lhs.chunks[left]
      let b = rhs.chunks[right]
      let run = min(a.length - leftSlot, b.length - rightSlot)
      if run > 0 {
        let whole = leftSlot == 0 && rightSlot == 0 && run == a.length && run == b.length
        let equal =
          whole
          ? a.data == b.data
          : a.sliceErased(offset: leftSlot, length: run).data == b.sliceErased(offset: rightSlot, length: run).data
        if !equal { return false }
      }
      leftSlot += run
      rightSlot += run
      remaining -= run
      if leftSlot == a.length { (left, leftSlot) = (left + 1, 0) }
      if rightSlot == b.length { (right, rightSlot) = (right + 1, 0) }
    }
    return true
  }

  /// `[[1,2],[3]]`: one inline list per chunk.
  public var description: String { "[" + chunks.map { formatChunk($0) }.joined(separator: ",") + "]" }

  /// One chunk inline (a visit, for the counter).
  func formatChunk(_ chunk: any ArrowArray, window: Int = 10) -> String {
    ChunkVisits.record()
    return formatInline(chunk, window: window)
  }
}

extension ChunkedArray {
  /// The bytes of every buffer the chunks reference.
  public var bufferByteCount: Int {
    ChunkVisits.record(chunks.count)
    return chunks.reduce(0) { $0 + $1.data.bufferByteCount }
  }
}
