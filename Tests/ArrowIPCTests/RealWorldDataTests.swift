// What Arrow implementations write that a reader must accept (or refuse clearly), without
// the arrow-testing files: decimals wider than their precision, shared dictionaries,
// big-endian buffers, pre-V5 union validity slots.

internal import ArrowCore
internal import Foundation
internal import Testing

@testable internal import ArrowIPC

/// The schema message of `ipc` as a decoder receives it.
private func schemaMessage(_ ipc: IPCSchema, version: MetadataVersion = .v5) -> Buffer {
  Buffer(copying: IPCMessage(version: version, header: .schema(ipc), bodyLength: 0).flatBuffer())
}

@Suite struct RealWorldDataTests {
  @Test func decimalsWiderThanTheirPrecisionAreReadUnchanged() throws {
    // Arrow's integration generator writes decimal128(3, 2) values of 5 digits.
    let type = DataType.decimal128(precision: 3, scale: 2)
    let wide = DecimalArray(
      [ArrowDecimal(-11697 as Int64, scale: 2), nil, ArrowDecimal(12 as Int64, scale: 2)], type: type)
    let batch = try RecordBatch([("d", wide)])
    var reader = try IPCStreamReader(try IPCStreamWriter.serialize([batch], schema: batch.schema))
    let read = try #require(try reader.next())
    let column = try #require(read.columns[0] as? DecimalArray)
    #expect(column.value(at: 0) == ArrowDecimal(-11697 as Int64, scale: 2))
    #expect(column.value(at: 2) == ArrowDecimal(12 as Int64, scale: 2))
    // Only an explicit full validation reports them.
    try column.data.validate(.safe)
    let error = arrowError { try read.validate() }
    #expect(error?.message.contains("more than 3 digits") == true)
    // And the file format reads them too.
    let file = try IPCFileReader(try IPCFileWriter.serialize([batch], schema: batch.schema))
    #expect(try file.recordBatch(at: 0).columns[0].isEqual(to: wide))
  }

  @Test func fieldsSharingOneDictionaryReadWithIt() throws {
    let words = StringArray(["x", "y", "z"])
    let a = DictionaryArray(indices: Int8Array([0, 1, nil, 2]), dictionary: words)
    let b = DictionaryArray(indices: Int8Array([2, 2, 0, nil]), dictionary: words)
    let batch = try RecordBatch([("a", a), ("b", b)])
    // Written with one id per field (as pyarrow and this encoder do)...
    var encoder = try IPCEncoder(schema: batch.schema)
    let messages = try encoder.encode(batch)
    #expect(messages.map(\.kind) == [.dictionaryBatch, .dictionaryBatch, .recordBatch])
    // ...and read under a schema where both fields use dictionary 0 (as Arrow 4.0 wrote them).
    var shared = encoder.ipcSchema
    shared.fields[1].dictionary?.id = 0
    var decoder = IPCDecoder()
    _ = try decoder.decode(metadata: schemaMessage(shared), body: Buffer())
    #expect(decoder.schemaPlan?.dictionaryOrder == [0])
    _ = try decoder.decode(metadata: messages[0].metadata, body: messages[0].contiguousBody())
    guard
      case .recordBatch(let read, _) = try decoder.decode(
        metadata: messages[2].metadata, body: messages[2].contiguousBody())
    else {
      Issue.record("no record batch")
      return
    }
    #expect(read.columns[0].isEqual(to: a))
    #expect(read.columns[1].isEqual(to: b))
    // Written again, each field gets its own id.
    let (ipc, plan) = try SchemaMapping.encode(read.schema)
    #expect(ipc.fields.map { $0.dictionary?.id } == [0, 1])
    #expect(plan.dictionaryOrder == [0, 1])
    // Fields that share an id must agree on the value type.
    var conflicting = shared
    conflicting.fields[1].type = .binary
    let error = arrowError { _ = try SchemaMapping.decode(conflicting, allowUnknownFeatures: false) }
    #expect(error?.message.contains("dictionary id 0 is used by fields of value types") == true)
  }

  @Test func byteOrderSwapsEveryWordOfAnElement() {
    let bytes = Buffer(copying: Array(0..<18 as Range<UInt8>))
    #expect(
      Array(ByteOrder.swapped(bytes, words: [4])) == [3, 2, 1, 0, 7, 6, 5, 4, 11, 10, 9, 8, 15, 14, 13, 12, 16, 17])
    #expect(Array(ByteOrder.swapped(bytes, words: [16])) == Array((0..<16).reversed()) + [16, 17])
    #expect(
      Array(ByteOrder.swapped(bytes, words: [4, 4, 8])) == [
        3, 2, 1, 0, 7, 6, 5, 4, 15, 14, 13, 12, 11, 10, 9, 8, 16, 17,
      ])
    #expect(ByteOrder.words(.fixedWidth(16), type: .fixedSizeBinary(16)) == nil)
    #expect(ByteOrder.words(.fixedWidth(16), type: .decimal128(precision: 5, scale: 0)) == [16])
    #expect(ByteOrder.words(.fixedWidth(16), type: .interval(.monthDayNano)) == [4, 4, 8])
    #expect(ByteOrder.words(.bitmap, type: .bool) == nil)
    #expect(ByteOrder.words(.offsets64, type: .largeString) == [8])
    // Views: the length always; buffer index and offset only when the data is not inline.
    let inline: [UInt8] = [0, 0, 0, 3] + Array("abc".utf8) + [UInt8](repeating: 0, count: 9)
    let outOfLine: [UInt8] = [0, 0, 0, 20] + Array("abcd".utf8) + [0, 0, 0, 1] + [0, 0, 0, 7]
    let views = ByteOrder.swappedViews(Buffer(copying: inline + outOfLine))
    #expect(
      Array(views) == [3, 0, 0, 0] + inline[4...] + [20, 0, 0, 0] + Array("abcd".utf8) + [1, 0, 0, 0, 7, 0, 0, 0])
  }

  @Test func bigEndianBatchesReadInNativeOrder() throws {
    let batch = try RecordBatch([
      ("i", Int32Array([1, nil, -3])), ("s", StringArray(["a", "bc", nil])),
      (
        "d",
        DecimalArray(
          [ArrowDecimal(-5 as Int64), nil, ArrowDecimal(7 as Int64)], type: .decimal128(precision: 9, scale: 0))
      ),
    ])
    var encoder = try IPCEncoder(schema: batch.schema)
    let message = try encoder.encode(batch)[0]
    let record = try IPCMessage(flatBuffer: message.metadata)
    guard case .recordBatch(let layout) = record.header else { throw ArrowError.invalid("not a batch") }
    // The same body in big-endian order: int32 values, int32 offsets, 16-byte decimals.
    var body = Array(message.contiguousBody())
    for (index, words) in [(1, 4), (3, 4), (6, 16)] {
      let spec = layout.buffers[index]
      for start in stride(from: Int(spec.offset), to: Int(spec.offset + spec.length), by: words) {
        body[start..<start + words].reverse()
      }
    }
    var big = encoder.ipcSchema
    big.endianness = 1
    var decoder = IPCDecoder()
    _ = try decoder.decode(metadata: schemaMessage(big), body: Buffer())
    guard case .recordBatch(let read, _) = try decoder.decode(metadata: message.metadata, body: Buffer(copying: body))
    else {
      Issue.record("no record batch")
      return
    }
    #expect(read == batch)
  }

  @Test func preV5UnionValiditySlotsAreSkippedOrRefused() throws {
    let union = UnionArray(
      sparseTypeIds: [0, 1, 0], children: [("i", Int32Array([1, 0, nil])), ("s", StringArray(["", "x", ""]))])
    let batch = try RecordBatch([("u", union)])
    var encoder = try IPCEncoder(schema: batch.schema)
    let message = try encoder.encode(batch)[0]
    var record = try IPCMessage(flatBuffer: message.metadata)
    guard case .recordBatch(var layout) = record.header else { throw ArrowError.invalid("not a batch") }
    // V4: a validity buffer slot before the type ids.
    record.version = .v4
    layout.buffers.insert(IPCBufferSpec(offset: 0, length: 0), at: 0)
    func decode(_ layout: IPCRecordBatch) throws -> RecordBatch? {
      var edited = record
      edited.header = .recordBatch(layout)
      var decoder = IPCDecoder()
      _ = try decoder.decode(metadata: schemaMessage(encoder.ipcSchema, version: .v4), body: Buffer())
      let decoded = try decoder.decode(metadata: Buffer(copying: edited.flatBuffer()), body: message.contiguousBody())
      guard case .recordBatch(let read, _) = decoded else { return nil }
      return read
    }
    #expect(try decode(layout) == batch)
    layout.nodes[0].nullCount = 1
    let error = arrowError { _ = try decode(layout) }
    #expect(error?.kind == .notImplemented)
    #expect(error?.message.contains("top-level nulls") == true)
  }
}
