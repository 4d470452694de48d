// A message's bytes as the transport hands them over: cut into parts, and joined again.

internal import ArrowCore

/// The bytes of a message given as parts, concatenated.
func wireBytes(_ parts: [Buffer]) -> [UInt8] {
  parts.flatMap { Array($0) }
}

/// `bytes` cut into parts at the given positions (which may repeat, giving empty parts).
func split(_ bytes: [UInt8], at cuts: [Int]) -> [Buffer] {
  var parts: [Buffer] = []
  var start = 0
  for cut in cuts.sorted() {
    parts.append(Buffer(copying: bytes[start..<cut]))
    start = cut
  }
  parts.append(Buffer(copying: bytes[start...]))
  return parts
}
