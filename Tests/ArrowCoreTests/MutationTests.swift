internal import ArrowCore
internal import InteropSupport
internal import Testing

/// Rebuilds `data` with one random change somewhere in its tree.
func mutate(_ data: ArrayData, _ rng: inout SplitMix64, depth: Int = 0) -> ArrayData {
  var buffers = data.buffers
  var children = data.children
  var dictionary = data.dictionary
  var length = data.length
  var offset = data.offset
  var nullCount: Int? = data.nullCount
  let descend = !children.isEmpty && Int.random(in: 0..<3, using: &rng) == 0
  if descend {
    let index = Int.random(in: 0..<children.count, using: &rng)
    children[index] = mutate(children[index], &rng, depth: depth + 1)
  } else if dictionary != nil && Int.random(in: 0..<4, using: &rng) == 0 {
    dictionary = mutate(dictionary!, &rng, depth: depth + 1)
  } else {
    switch Int.random(in: 0..<8, using: &rng) {
    case 0, 1, 2:
      // Flip bits of one byte of one buffer.
      let candidates = buffers.indices.filter { (buffers[$0]?.count ?? 0) > 0 }
      if let index = candidates.randomElement(using: &rng), let buffer = buffers[index] {
        var bytes = Array(buffer)
        let position = Int.random(in: 0..<bytes.count, using: &rng)
        bytes[position] ^= UInt8.random(in: 1...255, using: &rng)
        buffers[index] = Buffer(copying: bytes)
      }
    case 3:
      // Truncate a buffer.
      if let index = buffers.indices.randomElement(using: &rng), let buffer = buffers[index], buffer.count > 0 {
        buffers[index] = buffer.slice(0..<Int.random(in: 0..<buffer.count, using: &rng))
      }
    case 4: length = max(0, length + Int.random(in: -2...3, using: &rng))
    case 5: offset = max(0, offset + Int.random(in: -1...3, using: &rng))
    case 6: nullCount = Bool.random(using: &rng) ? nil : Int.random(in: -1...(length + 1), using: &rng)
    default:
      if Bool.random(using: &rng), !buffers.isEmpty {
        buffers[Int.random(in: 0..<buffers.count, using: &rng)] = nil
      } else {
        buffers.append(Buffer.zeroed(count: 8))
      }
    }
  }
  return ArrayData(
    type: data.type, length: length, offset: offset, nullCount: nullCount, buffers: buffers, children: children,
    dictionary: dictionary)
}

@Suite struct MutationTests {
  /// Thousands of corrupted arrays: validation either throws an ArrowError or the array is
  /// safe to read, print, compare and concatenate. A crash fails the run.
  @Test(arguments: sampleArrays().map(\.0))
  func corruptedArraysNeverCrashAfterValidation(name: String) throws {
    let original = try #require(sampleArrays().first { $0.0 == name }?.1)
    var rng = SplitMix64(seed: UInt64(name.utf8.reduce(0) { $0 &* 31 &+ Int($1) }.magnitude))
    var accepted = 0
    var rejected = 0
    for round in 0..<400 {
      var data = original.data
      for _ in 0...(round % 3) { data = mutate(data, &rng) }
      do {
        try data.validate()
        accepted += 1
        let array = makeArray(data)
        for index in 0..<array.length { _ = array.formatSlot(index) }
        _ = array.isEqual(to: original)
        _ = array.description
        _ = try concatenate([array, array])
        if array.length > 1 { _ = array.sliceErased(offset: 1, length: array.length - 1).inlineDescription }
      } catch {
        #expect(!error.message.isEmpty)
        rejected += 1
      }
    }
    #expect(rejected > 0)
  }
}
