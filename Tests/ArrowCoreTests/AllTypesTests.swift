internal import ArrowCore
internal import Testing

@Suite struct AllTypesTests {
  @Test(arguments: sampleArrays().map(\.0))
  func samplesValidateAndRoundTripThroughMakeArray(name: String) throws {
    let array = try #require(sampleArrays().first { $0.0 == name }?.1)
    try array.validate()
    let erased = try makeValidatedArray(array.data)
    #expect(erased.isEqual(to: array))
    #expect(type(of: erased) == type(of: array))
  }

  @Test(arguments: sampleArrays().map(\.0))
  func everySliceValidatesAndEqualsItsConcatenatedParts(name: String) throws {
    let array = try #require(sampleArrays().first { $0.0 == name }?.1)
    for offset in 0...array.length {
      for length in 0...(array.length - offset) {
        let slice = array.sliceErased(offset: offset, length: length)
        try slice.validate()
        let compact = slice.data.compacted()
        #expect(compact.isCompact)
        try compact.validate()
        #expect(compact == slice.data)
        #expect((0..<length).map { slice.formatSlot($0) } == (offset..<(offset + length)).map { array.formatSlot($0) })
      }
    }
    for split in 0...array.length {
      let parts = [
        array.sliceErased(offset: 0, length: split), array.sliceErased(offset: split, length: array.length - split),
      ]
      let joined = try concatenate(parts)
      try joined.validate()
      #expect(joined.isEqual(to: array), "split at \(split)")
      #expect(joined.offset == 0)
    }
    let doubled = try concatenate([array, array.sliceErased(offset: 1, length: array.length - 1)])
    try doubled.validate()
    #expect(doubled.length == 2 * array.length - 1)
    #expect(
      doubled.sliceErased(offset: array.length, length: array.length - 1).isEqual(
        to: array.sliceErased(offset: 1, length: array.length - 1)))
  }

  @Test(arguments: sampleArrays().map(\.0))
  func emptyArraysValidate(name: String) throws {
    let array = try #require(sampleArrays().first { $0.0 == name }?.1)
    let empty = ArrayData.empty(array.type)
    try empty.validate()
    #expect(empty.length == 0)
  }

  @Test func slicesDifferingOnlyInNullContentAreEqual() {
    for (name, array) in sampleArrays() where array.length >= 3 {
      #expect(array.sliceErased(offset: 1, length: 2).isEqual(to: array.sliceErased(offset: 1, length: 2)), "\(name)")
      if name != "null" {
        #expect(
          !array.sliceErased(offset: 0, length: 2).isEqual(to: array.sliceErased(offset: 1, length: 2)), "\(name)")
      }
    }
  }

  @Test func combineChunks() throws {
    let table = try Table.concatenate([
      try Table([("x", StringArray(["a", nil]))]), try Table([("x", StringArray(["b"]))]),
    ])
    let combined = try table.combineChunks()
    #expect(combined.column(at: 0).chunks.count == 1)
    #expect(combined == table)
  }
}
