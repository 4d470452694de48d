// Run-end encoded arrays whose run ends lie about their buffer are refused, not read past.

internal import ArrowCore
internal import Testing

@Suite("Run-end validation")
struct RunEndValidationTests {
  @Test func shortRunEndsBufferIsAnErrorNotACrash() {
    // Three run ends claimed, but the buffer holds one int32.
    let runEnds = ArrayData(
      type: .int32, length: 3, offset: 0, nullCount: 0, buffers: [nil, Buffer(copying: [6, 0, 0, 0])], children: [])
    let values = Int64Array([1, 2, 3]).data
    let array = ArrayData(
      type: .runEndEncoded(runEnds: .int32, values: .int64), length: 6, offset: 0, nullCount: 0, buffers: [],
      children: [runEnds, values])
    #expect(throws: ArrowError.self) { try array.validate() }
  }
}
