// Malformed messages and streams through the high layer (IPCDecoder, stream and file readers):
// every one gives an ArrowError, never a crash or a hang.

internal import ArrowCore
internal import Foundation
internal import InteropSupport
internal import Testing

@testable internal import ArrowIPC

/// A decoder that has read `schema`'s schema message.
private func schemaDecoder(for schema: Schema) throws -> IPCDecoder {
  var decoder = IPCDecoder()
  _ = try decoder.decode(metadata: try IPCEncoder(schema: schema).encodeSchema().metadata, body: Buffer())
  return decoder
}

/// The record batch message of `batch`, with its metadata decoded for editing.
private func batchMessage(_ batch: RecordBatch, options: IPCWriteOptions = IPCWriteOptions()) throws -> (
  IPCMessage, Buffer
) {
  let encoded = try IPCEncoder(schema: batch.schema, options: options).encodeRecordBatch(batch)
  return (try IPCMessage(flatBuffer: encoded.metadata), encoded.contiguousBody())
}

/// Decodes the record batch `message` (edited by `edit`) over `body`, returning the error.
private func decodeEdited(
  _ batch: RecordBatch, options: IPCWriteOptions = IPCWriteOptions(), body: ((Buffer) -> Buffer)? = nil,
  _ edit: (inout IPCRecordBatch, inout Int64) -> Void
) throws -> ArrowError? {
  var (message, originalBody) = try batchMessage(batch, options: options)
  guard case .recordBatch(var record) = message.header else { throw ArrowError.invalid("not a batch") }
  edit(&record, &message.bodyLength)
  message.header = .recordBatch(record)
  var decoder = try schemaDecoder(for: batch.schema)
  let metadata = Buffer(copying: message.flatBuffer())
  let bytes = body?(originalBody) ?? originalBody
  return arrowError { _ = try decoder.decode(metadata: metadata, body: bytes) }
}

@Suite struct DecoderMalformedTests {
  let ints = try! RecordBatch([("x", Int64Array([1, nil, 3, 4])), ("s", StringArray(["a", "bc", nil, "d"]))])

  @Test func lyingLengthsAreRejected() throws {
    // Node longer than its buffers.
    #expect(try decodeEdited(ints) { batch, _ in batch.nodes[0].length = 1000 } != nil)
    // Null count larger than the length, or different from the bitmap.
    #expect(try decodeEdited(ints) { batch, _ in batch.nodes[0].nullCount = 5 } != nil)
    #expect(try decodeEdited(ints) { batch, _ in batch.nodes[0].nullCount = 2 } != nil)
    #expect(try decodeEdited(ints) { batch, _ in batch.nodes[0].length = -1 } != nil)
    // Batch length that differs from the columns.
    #expect(try decodeEdited(ints) { batch, _ in batch.length = 3 } != nil)
    #expect(try decodeEdited(ints) { batch, _ in batch.length = -4 } != nil)
    // String offsets past the data.
    #expect(try decodeEdited(ints) { batch, _ in batch.buffers[4].length = 2 } != nil)
    // A body shorter than its declared length.
    #expect(try decodeEdited(ints) { _, bodyLength in bodyLength += 8 } != nil)
    // Too few or too many nodes and buffers.
    #expect(try decodeEdited(ints) { batch, _ in batch.nodes.removeLast() } != nil)
    #expect(try decodeEdited(ints) { batch, _ in batch.nodes.append(IPCFieldNode(length: 4, nullCount: 0)) } != nil)
    #expect(try decodeEdited(ints) { batch, _ in batch.buffers.removeLast() } != nil)
    #expect(try decodeEdited(ints) { batch, _ in batch.buffers.append(IPCBufferSpec(offset: 0, length: 0)) } != nil)
    // Variadic counts where no view array uses them.
    #expect(try decodeEdited(ints) { batch, _ in batch.variadicBufferCounts = [1] } != nil)
    // Unedited, the message decodes.
    #expect(try decodeEdited(ints) { _, _ in } == nil)
  }

  @Test func buffersOutsideTheBodyAreRejected() throws {
    for edit: (inout IPCBufferSpec) -> Void in [
      { $0.offset = 1 << 20 }, { $0.length = 1 << 20 }, { $0.offset = -8 }, { $0.length = -1 },
      { $0.offset = Int64.max - 2 }, { $0.length = Int64.max },
    ] {
      let error = try decodeEdited(ints) { batch, _ in edit(&batch.buffers[1]) }
      #expect(error != nil)
    }
  }

  @Test func viewVariadicCountsAreChecked() throws {
    let views = try RecordBatch([("v", StringViewArray(["short", "a much longer string value", nil]))])
    #expect(try decodeEdited(views) { _, _ in } == nil)
    #expect(try decodeEdited(views) { batch, _ in batch.variadicBufferCounts = nil } != nil)
    #expect(try decodeEdited(views) { batch, _ in batch.variadicBufferCounts = [5] } != nil)
    #expect(try decodeEdited(views) { batch, _ in batch.variadicBufferCounts = [-1] } != nil)
    #expect(try decodeEdited(views) { batch, _ in batch.variadicBufferCounts = [1, 0] } != nil)
  }

  @Test func compressedBuffersThatLieAreRejected() throws {
    let big = try RecordBatch([("x", Int64Array((0..<1000).map { Int64($0 % 3) }))])
    let options = IPCWriteOptions(compression: .zstd)
    #expect(try decodeEdited(big, options: options) { _, _ in } == nil)
    // The data buffer declares far more than an int64 column of 1000 rows needs.
    func hugeDeclaredLength(_ body: Buffer) -> Buffer {
      var bytes = Array(body)
      bytes.replaceSubrange(0..<8, with: littleEndianBytes(Int64(1 << 40)))  // the data buffer comes first
      return Buffer(copying: bytes)
    }
    let error = try decodeEdited(big, options: options, body: hugeDeclaredLength) { _, _ in }
    #expect(error != nil)
    // Corrupt compressed bytes.
    func corrupted(_ body: Buffer) -> Buffer {
      var bytes = Array(body)
      for index in 12..<min(40, bytes.count) { bytes[index] ^= 0x5A }
      return Buffer(copying: bytes)
    }
    let corrupt = try decodeEdited(big, options: options, body: corrupted) { _, _ in }
    #expect(corrupt != nil)
  }

  @Test func invalidUTF8IsRejected() throws {
    let bad: [[UInt8]?] = [Array("ok".utf8), [0xFF, 0xFE], nil]
    let schema = Schema([Field("s", .string)])
    for array in [BinaryArray(bad) as any ArrowArray, BinaryViewArray(bad + [Array(repeating: 0xC3, count: 20)])] {
      let batch = try RecordBatch([("s", array)])
      let message = try IPCEncoder(schema: batch.schema).encodeRecordBatch(batch)
      let type: DataType = array.type == .binary ? .string : .stringView
      var decoder = try schemaDecoder(for: Schema([Field("s", type)]))
      let error = arrowError { _ = try decoder.decode(metadata: message.metadata, body: message.contiguousBody()) }
      #expect(error?.message.contains("UTF-8") == true, "\(String(describing: error))")
    }
    _ = schema
  }

  @Test func badDictionaryIndicesAndIdsAreRejected() throws {
    let bad = DictionaryArray(indices: Int32Array([0, 5, nil]), dictionary: StringArray(["a", "b"]))
    let batch = try RecordBatch([("d", bad)])
    var encoder = try IPCEncoder(schema: batch.schema)
    var decoder = try schemaDecoder(for: batch.schema)
    let messages = try encoder.encode(batch)
    #expect(messages.count == 2)
    // The record batch before its dictionary.
    let early = arrowError {
      _ = try decoder.decode(metadata: messages[1].metadata, body: messages[1].contiguousBody())
    }
    #expect(early?.message.contains("has not been received") == true)
    _ = try decoder.decode(metadata: messages[0].metadata, body: messages[0].contiguousBody())
    let error = arrowError {
      _ = try decoder.decode(metadata: messages[1].metadata, body: messages[1].contiguousBody())
    }
    #expect(error?.message.contains("index 5") == true, "\(String(describing: error))")

    // A dictionary batch for an unknown id, and a delta with nothing to extend.
    var message = try IPCMessage(flatBuffer: messages[0].metadata)
    guard case .dictionaryBatch(var dictionary) = message.header else { throw ArrowError.invalid("no dictionary") }
    dictionary.id = 7
    message.header = .dictionaryBatch(dictionary)
    var fresh = try schemaDecoder(for: batch.schema)
    #expect(
      arrowError {
        _ = try fresh.decode(metadata: Buffer(copying: message.flatBuffer()), body: messages[0].contiguousBody())
      } != nil)
    dictionary.id = 0
    dictionary.isDelta = true
    message.header = .dictionaryBatch(dictionary)
    #expect(
      arrowError {
        _ = try fresh.decode(metadata: Buffer(copying: message.flatBuffer()), body: messages[0].contiguousBody())
      }?.message.contains("delta") == true)
  }

  @Test func badNestedContentIsRejected() throws {
    // Union type ids that the type does not declare.
    let union = UnionArray(sparseTypeIds: [0, 3], children: [("i", Int32Array([1, 2]))])
    #expect(try decodeEdited(try RecordBatch([("u", union)])) { _, _ in } != nil)
    // Dense offsets outside the child.
    let dense = UnionArray(denseTypeIds: [0, 0], offsets: [0, 9], children: [("i", Int32Array([1, 2]))])
    #expect(try decodeEdited(try RecordBatch([("u", dense)])) { _, _ in } != nil)
    // Run ends that decrease.
    let ree = RunEndEncodedArray(runEnds: Int32Array([3, 2, 4]), values: Int64Array([1, 2, 3]))
    #expect(try decodeEdited(try RecordBatch([("r", ree)])) { _, _ in } != nil)
    // Run ends whose buffer is too short for their node (they are checked before their parent).
    let good = RunEndEncodedArray(runEnds: Int32Array([2, 4]), values: Int64Array([1, 2]))
    let goodBatch = try RecordBatch([("r", good)])
    #expect(try decodeEdited(goodBatch) { _, _ in } == nil)
    #expect(try decodeEdited(goodBatch) { batch, _ in batch.nodes[1].length = 50 } != nil)
    // List offsets beyond the values.
    let list = ListArray(values: Int32Array([1, 2, 3]), offsets: [0, 2, 3])
    let listBatch = try RecordBatch([("l", list)])
    #expect(try decodeEdited(listBatch) { _, _ in } == nil)
    #expect(try decodeEdited(listBatch) { batch, _ in batch.nodes[1].length = 2 } != nil)
  }

  @Test func messagesOutOfOrderAreRejected() throws {
    var decoder = IPCDecoder()
    let (message, body) = try batchMessage(ints)
    let metadata = Buffer(copying: message.flatBuffer())
    #expect(arrowError { _ = try decoder.decode(metadata: metadata, body: body) }?.message.contains("before") == true)
    let schema = try IPCEncoder(schema: ints.schema).encodeSchema()
    _ = try decoder.decode(metadata: schema.metadata, body: Buffer())
    #expect(arrowError { _ = try decoder.decode(metadata: schema.metadata, body: Buffer()) } != nil)
    #expect(arrowError { _ = try decoder.decode(metadata: Buffer(copying: [1, 2, 3]), body: Buffer()) } != nil)
  }

  @Test func unknownTypeNumbersAreRejected() throws {
    var builder = FlatBufferBuilder()
    let name = builder.createString("x")
    builder.startTable()
    let empty = builder.endTable()
    builder.startTable()
    builder.addOffset(slot: 0, name)
    builder.add(slot: 2, UInt8(99))
    builder.addOffset(slot: 3, empty)
    let field = builder.endTable()
    let fields = builder.createOffsetVector([field])
    builder.startTable()
    builder.addOffset(slot: 1, fields)
    let schema = builder.endTable()
    builder.startTable()
    builder.add(slot: 0, Int16(4))
    builder.add(slot: 1, MessageHeaderType.schema.rawValue)
    builder.addOffset(slot: 2, schema)
    let root = builder.endTable()
    var decoder = IPCDecoder()
    let error = arrowError {
      _ = try decoder.decode(metadata: Buffer(copying: builder.finish(root: root)), body: Buffer())
    }
    #expect(error?.message.contains("99") == true, "\(String(describing: error))")
  }

  @Test func truncatedStreamsAndFilesAreRejected() throws {
    let batch = try allTypesBatch()
    let stream = Array(try IPCStreamWriter.serialize([batch, batch], schema: batch.schema))
    var accepted = 0
    for length in Swift.stride(from: 0, to: stream.count, by: 13) {
      let error = arrowError {
        var reader = try IPCStreamReader(bytes: Array(stream[..<length]))
        _ = try reader.readAll()
      }
      if error == nil { accepted += 1 }  // only a cut right after a whole message can read cleanly
      #expect(error.map { !$0.message.hasPrefix("NOT AN") } ?? true)
    }
    #expect(accepted <= 3)
    let file = Array(try IPCFileWriter.serialize([batch], schema: batch.schema))
    for length in Swift.stride(from: 0, to: file.count, by: 17) {
      #expect(arrowError { _ = try IPCFileReader(bytes: Array(file[..<length])).readAll() } != nil)
    }
  }

  @Test func mutatedMessagesNeverCrash() throws {
    let batch = try allTypesBatch()
    let nested = try nestedBatch()
    var corpus: [[UInt8]] = []
    for (source, options) in [
      (batch, IPCWriteOptions()), (nested, IPCWriteOptions()),
      (batch.slice(offset: 3, length: 5), IPCWriteOptions(compression: .lz4Frame)),
    ] {
      corpus.append(Array(try IPCStreamWriter.serialize([source], schema: source.schema, options: options)))
    }
    var random = SplitMix64(seed: 0x1BC_D00D)
    var outcomes = (accepted: 0, rejected: 0)
    let clock = ContinuousClock()
    let start = clock.now
    for round in 0..<5000 {
      var bytes = corpus[round % corpus.count]
      // Most of the interesting bytes (metadata) are in the first part of each message.
      let span = round % 2 == 0 ? min(bytes.count, 4096) : bytes.count
      switch random.next() % 4 {
      case 0:
        for _ in 0...(random.next() % 4) {
          bytes[Int(random.next() % UInt64(span))] = UInt8(truncatingIfNeeded: random.next())
        }
      case 1:
        let position = Int(random.next() % UInt64(span))
        bytes[position] ^= UInt8(1) << (random.next() % 8)
      case 2:
        let position = Int(random.next() % UInt64(span - 8)) & ~7
        let value: UInt64 = [0, 1, 0x7FFF_FFFF, 0xFFFF_FFFF, 1 << 40, UInt64.max, 0x8000_0000_0000_0000][
          Int(random.next() % 7)]
        bytes.replaceSubrange(position..<(position + 8), with: littleEndianBytes(value))
      default:
        let position = Int(random.next() % UInt64(span - 4))
        let value: UInt32 = [0, 1, 0x7FFF_FFFF, 0x8000_0000, 0xFFFF_FFFF, 0xFFFC][Int(random.next() % 6)]
        bytes.replaceSubrange(position..<(position + 4), with: littleEndianBytes(value))
      }
      let error = arrowError {
        var reader = try IPCStreamReader(bytes: bytes)
        _ = try reader.readAll()
      }
      if let error {
        #expect(!error.message.hasPrefix("NOT AN"), "\(error)")
        outcomes.rejected += 1
      } else {
        outcomes.accepted += 1
      }
    }
    // Files: mutations near the footer (and anywhere), read through the footer's blocks.
    let file = Array(try IPCFileWriter.serialize([nested, nested.slice(offset: 2, length: 3)], schema: nested.schema))
    for round in 0..<1500 {
      var bytes = file
      let low = round % 2 == 0 ? max(0, bytes.count - 600) : 0
      for _ in 0...(random.next() % 3) {
        let position = low + Int(random.next() % UInt64(bytes.count - low))
        bytes[position] = UInt8(truncatingIfNeeded: random.next())
      }
      if let error = arrowError({ _ = try IPCFileReader(bytes: bytes).readAll() }) {
        #expect(!error.message.hasPrefix("NOT AN"), "\(error)")
        outcomes.rejected += 1
      } else {
        outcomes.accepted += 1
      }
    }
    print("mutation corpus: \(outcomes.accepted) accepted, \(outcomes.rejected) rejected")
    #expect(outcomes.rejected > 500)
    #expect(clock.now - start < .seconds(120))
  }
}
