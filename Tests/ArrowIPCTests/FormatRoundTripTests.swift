// Build-then-read round trips for every Arrow metadata table.

internal import ArrowCore
internal import Testing

@testable internal import ArrowIPC

@Suite struct FormatRoundTripTests {
  @Test func schemaMessageRoundTrips() throws {
    let message = IPCMessage(
      version: .v5, header: .schema(sampleSchema()), bodyLength: 0, metadata: [IPCKeyValue("m", "1")])
    let decoded = try IPCMessage(flatBuffer: Buffer(copying: message.flatBuffer()))
    #expect(decoded == message)
  }

  @Test func everyTypeRoundTripsAlone() throws {
    for field in sampleSchema().fields {
      let schema = IPCSchema(fields: [field])
      let message = IPCMessage(version: .v4, header: .schema(schema), bodyLength: 0)
      let decoded = try IPCMessage(flatBuffer: Buffer(copying: message.flatBuffer()))
      #expect(decoded == message, "field \(field.name) of type \(field.type)")
    }
  }

  @Test func schemaViewsReadLazily() throws {
    let view = try MessageView(Buffer(copying: sampleMessageBytes()))
    #expect(try view.version() == .v5)
    #expect(try view.headerTypeNumber() == MessageHeaderType.schema.rawValue)
    guard case .schema(let schema) = try view.header() else {
      Issue.record("not a schema")
      return
    }
    #expect(try schema.endianness() == 0)
    #expect(try schema.features() == [1, 2])
    let fields = try schema.fields()
    #expect(fields.count == sampleSchema().fields.count)
    let dictionary = try #require(fields.first { try $0.name() == "dict" })
    #expect(try dictionary.typeNumber() == TypeTag.utf8.rawValue)
    #expect(try dictionary.type() == .utf8)
    #expect(try dictionary.dictionary()?.indexType == IPCIntType(bitWidth: 16, isSigned: true))
    #expect(try dictionary.customMetadata().map(\.key) == ["k", "", "k"])
    let map = try #require(fields.first { try $0.name() == "map" })
    #expect(try map.children().first?.children().map { try $0.name() } == ["key", "value"])
  }

  @Test func recordBatchMessageRoundTrips() throws {
    let message = IPCMessage(header: .recordBatch(sampleRecordBatch()), bodyLength: 48)
    let bytes = message.flatBuffer()
    #expect(try IPCMessage(flatBuffer: Buffer(copying: bytes)) == message)

    let view = try MessageView(Buffer(copying: bytes))
    #expect(try view.bodyLength() == 48)
    guard case .recordBatch(let batch) = try view.header() else {
      Issue.record("not a record batch")
      return
    }
    let nodes = try batch.nodes()
    #expect(nodes.count == 2)
    #expect(nodes[0] == IPCFieldNode(length: 3, nullCount: 1))
    #expect(try nodes.element(1, "field node") == IPCFieldNode(length: 3, nullCount: 0))
    #expect(
      arrowError { _ = try nodes.element(2, "field node") }?.message
        == "field node 2 is missing: the message has only 2")
    let buffers = try batch.buffers()
    #expect(Array(buffers) == sampleRecordBatch().buffers)
    #expect(try batch.compression() == IPCBodyCompression(codec: .zstd, method: .buffer))
    #expect(try batch.variadicBufferCounts() == [2, 0])
  }

  @Test func minimalRecordBatchUsesDefaults() throws {
    let batch = IPCRecordBatch(length: 0, nodes: [], buffers: [])
    let message = IPCMessage(header: .recordBatch(batch), bodyLength: 0)
    let decoded = try IPCMessage(flatBuffer: Buffer(copying: message.flatBuffer()))
    #expect(decoded == message)
    let lz4 = IPCRecordBatch(
      length: Int64.max, nodes: [IPCFieldNode(length: Int64.max, nullCount: -1)], buffers: [],
      compression: IPCBodyCompression(codec: .lz4Frame))
    let withLZ4 = IPCMessage(header: .recordBatch(lz4), bodyLength: 0)
    #expect(try IPCMessage(flatBuffer: Buffer(copying: withLZ4.flatBuffer())) == withLZ4)
  }

  @Test func dictionaryBatchRoundTrips() throws {
    for isDelta in [false, true] {
      let batch = IPCDictionaryBatch(id: -9, data: sampleRecordBatch(), isDelta: isDelta)
      let message = IPCMessage(header: .dictionaryBatch(batch), bodyLength: 1024)
      let decoded = try IPCMessage(flatBuffer: Buffer(copying: message.flatBuffer()))
      #expect(decoded == message)
    }
  }

  @Test func footerRoundTrips() throws {
    let footer = IPCFooter(
      version: .v5, schema: sampleSchema(),
      dictionaries: [IPCBlock(offset: 8, metaDataLength: 200, bodyLength: 64)],
      recordBatches: [
        IPCBlock(offset: 272, metaDataLength: 136, bodyLength: 1 << 40),
        IPCBlock(offset: Int64.max, metaDataLength: Int32.max, bodyLength: 0),
      ],
      metadata: [IPCKeyValue("writer", "swift")])
    let bytes = footer.flatBuffer()
    #expect(try IPCFooter(flatBuffer: Buffer(copying: bytes)) == footer)
    let view = try FooterView(Buffer(copying: bytes))
    #expect(try view.recordBatches()[1].metaDataLength == Int32.max)
    let empty = IPCFooter(schema: nil, dictionaries: [], recordBatches: [])
    #expect(try IPCFooter(flatBuffer: Buffer(copying: empty.flatBuffer())) == empty)
  }

  @Test func blockStructHasPaddingAfterMetadataLength() throws {
    var builder = FlatBufferBuilder()
    let blocks = builder.createBlocks([IPCBlock(offset: 1, metaDataLength: 2, bodyLength: 3)])
    builder.startTable()
    builder.addOffset(slot: 0, blocks)
    let root = builder.endTable()
    let table = try FlatBufferReader(Buffer(copying: builder.finish(root: root))).rootTable()
    let vector = try #require(try table.vector(0, elementSize: 24))
    #expect(vector.structField(0, at: 0, as: Int64.self) == 1)
    #expect(vector.structField(0, at: 8, as: Int32.self) == 2)
    #expect(vector.structField(0, at: 12, as: Int32.self) == 0)
    #expect(vector.structField(0, at: 16, as: Int64.self) == 3)
  }

  @Test func typeTablesUseSchemaDefaultsWhenFieldsAreAbsent() throws {
    // Empty member tables read with the defaults of Schema.fbs.
    let expectations: [(TypeTag, IPCType)] = [
      (.int, .int(bitWidth: 0, isSigned: false)),
      (.floatingPoint, .floatingPoint(.half)),
      (.decimal, .decimal(precision: 0, scale: 0, bitWidth: 128)),
      (.date, .date(.millisecond)),
      (.time, .time(.millisecond, bitWidth: 32)),
      (.timestamp, .timestamp(.second, timezone: nil)),
      (.duration, .duration(.millisecond)),
      (.interval, .interval(.yearMonth)),
      (.union, .union(.sparse, typeIds: nil)),
      (.fixedSizeBinary, .fixedSizeBinary(byteWidth: 0)),
      (.fixedSizeList, .fixedSizeList(listSize: 0)),
      (.map, .map(keysSorted: false)),
    ]
    for (tag, expected) in expectations {
      var builder = FlatBufferBuilder()
      builder.startTable()
      let empty = builder.endTable()
      builder.startTable()
      builder.add(slot: 0, tag.rawValue)
      builder.addOffset(slot: 1, empty)
      let root = builder.endTable()
      let table = try FlatBufferReader(Buffer(copying: builder.finish(root: root))).rootTable()
      let (number, member) = try table.union(typeSlot: 0)
      #expect(try decodeType(number: number, table: member) == expected)
    }
  }
}
