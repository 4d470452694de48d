// Swift-only round trips through the encoder and decoder, the stream and the file format.

internal import ArrowCore
internal import Foundation
internal import Testing

@testable internal import ArrowIPC

/// Checks that `read` equals `expected` column by column (naming the first differing column).
func expectEqual(
  _ read: RecordBatch, _ expected: RecordBatch, _ context: String = "",
  sourceLocation: SourceLocation = #_sourceLocation
) {
  #expect(read.schema == expected.schema, "\(context): schema", sourceLocation: sourceLocation)
  #expect(read.length == expected.length, "\(context): length", sourceLocation: sourceLocation)
  for (index, (a, b)) in zip(read.columns, expected.columns).enumerated() where a.data != b.data {
    Issue.record(
      "\(context): column \(expected.schema.fields[index].name) differs:\n\(a)\nexpected\n\(b)",
      sourceLocation: sourceLocation)
  }
}

/// Decodes the messages of `encoder` for `batches` with a fresh decoder.
func pushRoundTrip(_ batches: [RecordBatch], options: IPCWriteOptions = IPCWriteOptions()) throws -> [RecordBatch] {
  var encoder = try IPCEncoder(schema: batches[0].schema, options: options)
  var decoder = IPCDecoder()
  let schemaMessage = encoder.encodeSchema()
  guard case .schema(let schema) = try decoder.decode(metadata: schemaMessage.metadata, body: Buffer()) else {
    throw ArrowError.invalid("no schema")
  }
  #expect(schema == batches[0].schema)
  var result: [RecordBatch] = []
  for batch in batches {
    for message in try encoder.encode(batch) {
      #expect(message.bodyBuffers.reduce(0) { $0 + $1.count } == message.bodyLength)
      if case .recordBatch(let read, _) = try decoder.decode(metadata: message.metadata, body: message.contiguousBody())
      {
        result.append(read)
      }
    }
  }
  return result
}

@Suite struct RoundTripTests {
  @Test func everyTypeRoundTripsWithEveryOption() throws {
    let batch = try allTypesBatch()
    try batch.validate()
    for options in [
      IPCWriteOptions(), IPCWriteOptions(compression: .lz4Frame), IPCWriteOptions(compression: .zstd, alignment: 64),
      IPCWriteOptions(alignment: 64),
    ] {
      let read = try pushRoundTrip([batch], options: options)
      #expect(read.count == 1)
      expectEqual(read[0], batch, "\(options)")
    }
  }

  @Test func slicesAtEveryOffsetRoundTrip() throws {
    let batch = try allTypesBatch()
    for offset in 0..<batch.length {
      for length in [0, 1, batch.length - offset] where offset + length <= batch.length {
        let slice = batch.slice(offset: offset, length: length)
        let read = try pushRoundTrip([slice], options: IPCWriteOptions(compression: offset % 2 == 0 ? nil : .zstd))
        expectEqual(read[0], slice, "slice \(offset)+\(length)")
      }
    }
  }

  @Test func nestedCombinationsRoundTrip() throws {
    let batch = try nestedBatch()
    try batch.validate()
    let read = try pushRoundTrip([batch, batch.slice(offset: 1, length: 4)])
    expectEqual(read[0], batch, "nested")
    expectEqual(read[1], batch.slice(offset: 1, length: 4), "nested slice")
  }

  @Test func dictionariesNestedInDictionaryValuesRoundTrip() throws {
    let words = DictionaryArray(indices: Int8Array([0, 1, 1, 2, nil]), dictionary: StringArray(["x", "y", "z"]))
    let lists = ListArray(values: words, offsets: [0, 2, 2, 5], field: Field("item", words.type))
    let outer = DictionaryArray(indices: Int32Array([2, 0, nil, 1, 2]), dictionary: lists)
    let batch = try RecordBatch([("nested_dict", outer)])
    var encoder = try IPCEncoder(schema: batch.schema)
    let messages = try encoder.encode(batch)
    #expect(messages.map(\.kind) == [.dictionaryBatch, .dictionaryBatch, .recordBatch])
    let read = try pushRoundTrip([batch, batch.slice(offset: 1, length: 3)])
    expectEqual(read[0], batch, "nested dictionaries")
    expectEqual(read[1], batch.slice(offset: 1, length: 3), "nested dictionaries, sliced")
  }

  @Test func misalignedBodiesAreReadInPlace() throws {
    let batch = try allTypesBatch()
    var encoder = try IPCEncoder(schema: batch.schema)
    var decoder = IPCDecoder()
    _ = try decoder.decode(metadata: encoder.encodeSchema().metadata, body: Buffer())
    for message in try encoder.encode(batch) {
      let body = message.contiguousBody()
      let shifted = Buffer(copying: [0, 0, 0] + Array(body)).slice(3..<(3 + body.count))
      #expect(!shifted.isAligned(to: 4))
      if case .recordBatch(let read, _) = try decoder.decode(metadata: message.metadata, body: shifted) {
        expectEqual(read, batch, "misaligned")
        // Zero copy: the int64 column's data buffer lies inside the shifted body.
        let values = try #require(read.column(named: "i64")?.data.buffers[1])
        let inside = shifted.withUnsafeBytes { body in
          values.withUnsafeBytes { v in
            v.baseAddress! >= body.baseAddress! && v.baseAddress! + v.count <= body.baseAddress! + body.count
          }
        }
        #expect(inside)
      }
    }
  }

  @Test func encoderReferencesArrayBuffers() throws {
    let values = Int64Array((0..<100).map { Int64($0) })
    let batch = try RecordBatch([("x", values)])
    let encoder = try IPCEncoder(schema: batch.schema)
    let message = try encoder.encodeRecordBatch(batch)
    let data = try #require(values.data.buffers[1])
    #expect(message.bodyBuffers.contains { $0.isIdentical(to: data) })
    #expect(message.bodyLength == 800)
  }

  @Test func streamWriterAndReaderOverMemoryPathsAndHandles() throws {
    let batch = try allTypesBatch()
    let nested = try nestedBatch()
    let bytes = try IPCStreamWriter.serialize([batch, batch.slice(offset: 3, length: 5)], schema: batch.schema)
    var reader = try IPCStreamReader(bytes)
    #expect(reader.schema == batch.schema)
    let batches = try reader.readAll()
    #expect(batches.count == 2)
    expectEqual(batches[0], batch)
    expectEqual(batches[1], batch.slice(offset: 3, length: 5))

    let directory = FileManager.default.temporaryDirectory.appendingPathComponent("ipc-rt-\(UUID().uuidString)")
    try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
    defer { try? FileManager.default.removeItem(at: directory) }
    let path = directory.appendingPathComponent("nested.arrows").path
    let writer = try IPCStreamWriter(
      schema: nested.schema, path: path, options: IPCWriteOptions(compression: .lz4Frame))
    try writer.write(nested, customMetadata: ["batch": "1"])
    try writer.write(nested.slice(offset: 2, length: 3))
    try writer.finish()
    var fromPath = try IPCStreamReader(contentsOfFile: path)
    expectEqual(try #require(try fromPath.next()), nested)
    #expect(fromPath.lastCustomMetadata["batch"] == "1")
    expectEqual(try #require(try fromPath.next()), nested.slice(offset: 2, length: 3))
    #expect(try fromPath.next() == nil)

    let handle = try FileHandle(forReadingFrom: URL(fileURLWithPath: path))
    defer { try? handle.close() }
    var fromHandle = try IPCStreamReader(fileHandle: handle)
    #expect(try fromHandle.readAll().count == 2)

    // Legacy framing.
    let legacy = try IPCStreamWriter.serialize(
      [batch], schema: batch.schema, options: IPCWriteOptions(legacyFraming: true))
    #expect(legacy.prefix(4).elementsEqual([0xFF, 0xFF, 0xFF, 0xFF]) == false)
    var legacyReader = try IPCStreamReader(legacy)
    expectEqual(try #require(try legacyReader.next()), batch)
  }

  @Test func alignment64PutsEveryBodyBufferOnA64ByteBoundary() throws {
    let batch = try allTypesBatch()
    for legacy in [false, true] {
      let options = IPCWriteOptions(alignment: 64, legacyFraming: legacy)
      let stream = try IPCStreamWriter.serialize(
        [batch, batch.slice(offset: 1, length: 7)], schema: batch.schema, options: options)
      var offset = 0
      var bodies = 0
      while let framed = try MessageFraming.readMessage(from: stream, at: offset) {
        let bodyStart = framed.offset + framed.metadataLengthWithPrefix
        #expect(bodyStart % 64 == 0)
        if case .recordBatch(let record) = try framed.message.decode().header {
          bodies += 1
          for spec in record.buffers { #expect(spec.offset % 64 == 0) }
        }
        offset = framed.nextOffset
      }
      #expect(bodies == 2)
      var reader = try IPCStreamReader(stream)
      #expect(try reader.readAll().count == 2)
    }
    let file = try IPCFileWriter.serialize([batch], schema: batch.schema, options: IPCWriteOptions(alignment: 64))
    let reader = try IPCFileReader(file)
    expectEqual(try reader.recordBatch(at: 0), batch)
    let footer = try IPCFooter(flatBuffer: try ArrowFileFormat.footer(in: file))
    for block in footer.recordBatches { #expect((block.offset + Int64(block.metaDataLength)) % 64 == 0) }
  }

  @Test func zeroBatchStreamsAndEmptyBatches() throws {
    let schema = try allTypesBatch().schema
    var reader = try IPCStreamReader(try IPCStreamWriter.serialize([], schema: schema))
    #expect(reader.schema == schema)
    #expect(try reader.next() == nil)
    let empty = try allTypesBatch().slice(offset: 4, length: 0)
    let read = try pushRoundTrip([empty, empty], options: IPCWriteOptions(compression: .zstd))
    expectEqual(read[1], empty)
    let file = try IPCFileReader(try IPCFileWriter.serialize([], schema: schema))
    #expect(file.recordBatchCount == 0)
    #expect(file.schema == schema)
  }

  @Test func fileWriterAndRandomAccess() throws {
    let batch = try allTypesBatch()
    let parts = [
      batch.slice(offset: 0, length: 3), batch.slice(offset: 3, length: 4), batch.slice(offset: 7, length: 3),
    ]
    let writer = try IPCFileWriter(
      schema: batch.schema, options: IPCWriteOptions(compression: .zstd), footerMetadata: ["f": "1"])
    for (index, part) in parts.enumerated() { try writer.write(part, customMetadata: ["index": "\(index)"]) }
    let bytes = try writer.finish()
    let reader = try IPCFileReader(bytes)
    #expect(reader.recordBatchCount == 3)
    #expect(reader.footerMetadata["f"] == "1")
    for index in [2, 0, 1] {
      let (read, metadata) = try reader.recordBatchWithMetadata(at: index)
      expectEqual(read, parts[index], "batch \(index)")
      #expect(metadata["index"] == "\(index)")
    }
    #expect(arrowError { _ = try reader.recordBatch(at: 3) }?.kind == .outOfBounds)
    // The file also reads as a stream after its 8-byte header.
    var stream = try IPCStreamReader(bytes.slice(8..<bytes.count))
    #expect(try stream.readAll().count == 3)
  }

  @Test func dictionaryReplacementsAndDeltas() throws {
    func batch(_ values: [String?], _ indices: [Int32?]) throws -> RecordBatch {
      try RecordBatch([("d", DictionaryArray(indices: Int32Array(indices), dictionary: StringArray(values)))])
    }
    let first = try batch(["a", "b"], [0, 1, nil, 1])
    let same = try batch(["a", "b"], [1, 1])
    let grown = try batch(["a", "b", "c"], [2, 0])
    let replaced = try batch(["x", "y"], [0, 1, 0])
    let all = [first, same, grown, replaced]

    for deltas in [false, true] {
      var encoder = try IPCEncoder(schema: first.schema, options: IPCWriteOptions(emitDictionaryDeltas: deltas))
      var decoder = IPCDecoder()
      _ = try decoder.decode(metadata: encoder.encodeSchema().metadata, body: Buffer())
      var kinds: [String] = []
      for (index, batch) in all.enumerated() {
        for message in try encoder.encode(batch) {
          switch try decoder.decode(metadata: message.metadata, body: message.contiguousBody()) {
          case .dictionaryBatch(let id, let isDelta):
            #expect(id == 0)
            kinds.append(isDelta ? "delta" : "full")
          case .recordBatch(let read, _):
            expectEqual(read, batch, "batch \(index), deltas \(deltas)")
            kinds.append("batch")
          case .schema: Issue.record("unexpected schema")
          }
        }
      }
      #expect(kinds == ["full", "batch", "batch", deltas ? "delta" : "full", "batch", "full", "batch"])
      #expect(decoder.dictionaries[0]?.length == 2)
    }

    // Files take deltas but refuse replacements.
    let writer = try IPCFileWriter(schema: first.schema, options: IPCWriteOptions(emitDictionaryDeltas: true))
    try writer.write(first)
    try writer.write(grown)
    #expect(arrowError { try writer.write(replaced) } != nil)
    try writer.write(grown)  // the refused batch left the dictionary state unchanged
    let reader = try IPCFileReader(try writer.finish())
    #expect(reader.recordBatchCount == 3)
    expectEqual(try reader.recordBatch(at: 0), first)
    expectEqual(try reader.recordBatch(at: 1), grown)
    expectEqual(try reader.recordBatch(at: 2), grown)
  }

  @Test func schemaMappingOfEveryTypeRoundTrips() throws {
    let schema = try allTypesBatch().schema
    let nested = try nestedBatch().schema
    for original in [schema, nested] {
      let (ipc, _) = try SchemaMapping.encode(original)
      let message = IPCMessage(header: .schema(ipc), bodyLength: 0)
      let reread = try IPCMessage(flatBuffer: Buffer(copying: message.flatBuffer()))
      guard case .schema(let decodedIPC) = reread.header else { throw ArrowError.invalid("not a schema") }
      let plan = try SchemaMapping.decode(decodedIPC, allowUnknownFeatures: false)
      #expect(plan.schema == original)
    }
    // Dictionary ids are assigned depth first.
    let (ipc, plan) = try SchemaMapping.encode(nested)
    #expect(plan.dictionaryOrder == [0, 1])
    #expect(ipc.fields[2].children[0].dictionary?.id == 0)
    #expect(ipc.fields[3].children[0].dictionary?.id == 1)
    #expect(ipc.fields[3].children[0].type == .utf8)
  }

  @Test func unknownEndiannessReadsAsBigAndUnknownFeaturesAreRefused() throws {
    let field = IPCField(name: "x", nullable: true, type: .int(bitWidth: 32, isSigned: true))
    var decoder = IPCDecoder()
    // Any endianness but Little is Big, as Arrow C++ (and so pyarrow) reads it.
    let odd = IPCMessage(header: .schema(IPCSchema(fields: [field], endianness: 2)), bodyLength: 0)
    let oddPlan = try SchemaMapping.decode(IPCSchema(fields: [field], endianness: 2), allowUnknownFeatures: false)
    #expect(oddPlan.isBigEndian)
    guard case .schema = try decoder.decode(metadata: Buffer(copying: odd.flatBuffer()), body: Buffer()) else {
      Issue.record("schema with endianness 2 not decoded")
      return
    }
    let future = IPCMessage(header: .schema(IPCSchema(fields: [field], features: [1, 2, 99])), bodyLength: 0)
    #expect(
      arrowError { _ = try decoder.decode(metadata: Buffer(copying: future.flatBuffer()), body: Buffer()) } != nil)
    var tolerant = IPCDecoder(options: IPCReadOptions(allowUnknownFeatures: true))
    guard case .schema = try tolerant.decode(metadata: Buffer(copying: future.flatBuffer()), body: Buffer()) else {
      Issue.record("schema not decoded")
      return
    }
    // A union without type ids gets 0..n-1.
    let union = IPCField(name: "u", nullable: true, type: .union(.dense, typeIds: nil), children: [field, field])
    let plan = try SchemaMapping.decode(IPCSchema(fields: [union]), allowUnknownFeatures: false)
    #expect(plan.schema.fields[0].type == .union(.dense, [Field("x", .int32), Field("x", .int32)], typeIds: [0, 1]))
  }
}
