// pyarrow checks the metadata Swift writes, and Swift reads what pyarrow writes: schema
// messages, compressed streams (LZ4_FRAME, ZSTD), the legacy framing and the file format.

internal import ArrowCore
internal import Foundation
internal import InteropSupport
internal import Testing

@testable internal import ArrowIPC

/// The Python half: `produce DIR` writes pyarrow's bytes into DIR; `check FILE` reads a schema
/// message that Swift wrote and prints OK when it equals the expected schema.
private let pythonScript = #"""
  import sys
  import pyarrow as pa

  item = pa.field("item", pa.int32())
  fields = [
      pa.field("null", pa.null()),
      pa.field("i8", pa.int8(), nullable=False),
      pa.field("u64", pa.uint64()),
      pa.field("f16", pa.float16()),
      pa.field("f32", pa.float32()),
      pa.field("f64", pa.float64()),
      pa.field("bin", pa.binary()),
      pa.field("str", pa.utf8()),
      pa.field("bool", pa.bool_()),
      pa.field("d32", pa.decimal32(9, 2)),
      pa.field("d64", pa.decimal64(18, 3)),
      pa.field("d128", pa.decimal128(38, 10)),
      pa.field("d256", pa.decimal256(76, 20)),
      pa.field("date32", pa.date32()),
      pa.field("date64", pa.date64()),
      pa.field("t32s", pa.time32("s")),
      pa.field("t32ms", pa.time32("ms")),
      pa.field("t64us", pa.time64("us")),
      pa.field("t64ns", pa.time64("ns")),
      pa.field("ts", pa.timestamp("s")),
      pa.field("tstz", pa.timestamp("us", tz="Europe/Paris")),
      pa.field("interval", pa.month_day_nano_interval()),
      pa.field("dur_ms", pa.duration("ms")),
      pa.field("dur_ns", pa.duration("ns")),
      pa.field("fsb", pa.binary(16)),
      pa.field("lbin", pa.large_binary()),
      pa.field("lstr", pa.large_utf8()),
      pa.field("bview", pa.binary_view()),
      pa.field("sview", pa.string_view()),
      pa.field("list", pa.list_(item)),
      pa.field("llist", pa.large_list(item)),
      pa.field("lview", pa.list_view(item)),
      pa.field("llview", pa.large_list_view(item)),
      pa.field("fsl", pa.list_(item, 3)),
      pa.field("map", pa.map_(pa.utf8(), pa.list_(item), keys_sorted=True)),
      pa.field("sparse", pa.sparse_union([item, pa.field("s", pa.utf8())])),
      pa.field("dense", pa.dense_union([item, pa.field("s", pa.utf8())], [5, 7])),
      pa.field("ree", pa.run_end_encoded(pa.int32(), pa.utf8())),
      pa.field("dict", pa.dictionary(pa.int16(), pa.utf8(), ordered=True), metadata={"k": "v", "k2": "w"}),
      pa.field("struct", pa.struct([
          pa.field("a", pa.bool_(), metadata={"x": "y"}),
          pa.field("b", pa.dictionary(pa.uint8(), pa.binary())),
      ])),
  ]
  schema = pa.schema(fields, metadata={"pandas": '{"x": 1}', "ü": "ß"})

  table = pa.table({
      "x": pa.array([None if i % 7 == 3 else i % 10 for i in range(10000)], pa.int64()),
      "s": pa.array(["v%d" % (i % 5) for i in range(10000)], pa.utf8()),
      "r": pa.array([(i * 0x9E3779B97F4A7C15) % (1 << 63) for i in range(10000)], pa.int64()),
  })

  if sys.argv[1] in ("verify-stream", "verify-file"):
      if sys.argv[1] == "verify-stream":
          read = pa.ipc.open_stream(sys.argv[2]).read_all()
      else:
          read = pa.ipc.open_file(sys.argv[2]).read_all()
      print("OK" if read.equals(table) else "MISMATCH\n" + str(read))
      sys.exit(0)

  if sys.argv[1] == "check":
      with open(sys.argv[2], "rb") as f:
          data = f.read()
      read = pa.ipc.read_schema(pa.py_buffer(data))
      if read.equals(schema, check_metadata=True):
          print("OK")
      else:
          print("MISMATCH")
          print(read.to_string(show_field_metadata=True, show_schema_metadata=True))
      sys.exit(0)

  out = sys.argv[2]
  with open(out + "/schema.bin", "wb") as f:
      f.write(schema.serialize().to_pybytes())
  for name, options in [
      ("zstd", pa.ipc.IpcWriteOptions(compression="zstd")),
      ("lz4", pa.ipc.IpcWriteOptions(compression="lz4")),
      ("plain", pa.ipc.IpcWriteOptions()),
      ("legacy", pa.ipc.IpcWriteOptions(use_legacy_format=True)),
  ]:
      with pa.ipc.new_stream(out + "/" + name + ".arrows", table.schema, options=options) as writer:
          writer.write_table(table, max_chunksize=6000)
  with pa.ipc.new_file(out + "/file.arrow", table.schema) as writer:
      writer.write_table(table, max_chunksize=6000)
  print("OK")
  """#

/// The schema of the Python script, as Swift values (dictionary ids as pyarrow numbers them).
private func interopSchema() -> IPCSchema {
  let item = IPCField(name: "item", nullable: true, type: .int(bitWidth: 32, isSigned: true))
  func field(_ name: String, _ type: IPCType, nullable: Bool = true, _ children: [IPCField] = []) -> IPCField {
    IPCField(name: name, nullable: nullable, type: type, children: children)
  }
  let fields: [IPCField] = [
    field("null", .null),
    field("i8", .int(bitWidth: 8, isSigned: true), nullable: false),
    field("u64", .int(bitWidth: 64, isSigned: false)),
    field("f16", .floatingPoint(.half)),
    field("f32", .floatingPoint(.single)),
    field("f64", .floatingPoint(.double)),
    field("bin", .binary),
    field("str", .utf8),
    field("bool", .bool),
    field("d32", .decimal(precision: 9, scale: 2, bitWidth: 32)),
    field("d64", .decimal(precision: 18, scale: 3, bitWidth: 64)),
    field("d128", .decimal(precision: 38, scale: 10, bitWidth: 128)),
    field("d256", .decimal(precision: 76, scale: 20, bitWidth: 256)),
    field("date32", .date(.day)),
    field("date64", .date(.millisecond)),
    field("t32s", .time(.second, bitWidth: 32)),
    field("t32ms", .time(.millisecond, bitWidth: 32)),
    field("t64us", .time(.microsecond, bitWidth: 64)),
    field("t64ns", .time(.nanosecond, bitWidth: 64)),
    field("ts", .timestamp(.second, timezone: nil)),
    field("tstz", .timestamp(.microsecond, timezone: "Europe/Paris")),
    field("interval", .interval(.monthDayNano)),
    field("dur_ms", .duration(.millisecond)),
    field("dur_ns", .duration(.nanosecond)),
    field("fsb", .fixedSizeBinary(byteWidth: 16)),
    field("lbin", .largeBinary),
    field("lstr", .largeUtf8),
    field("bview", .binaryView),
    field("sview", .utf8View),
    field("list", .list, [item]),
    field("llist", .largeList, [item]),
    field("lview", .listView, [item]),
    field("llview", .largeListView, [item]),
    field("fsl", .fixedSizeList(listSize: 3), [item]),
    field(
      "map", .map(keysSorted: true),
      [
        field(
          "entries", .struct, nullable: false,
          [field("key", .utf8, nullable: false), field("value", .list, [item])])
      ]),
    field("sparse", .union(.sparse, typeIds: [0, 1]), [item, field("s", .utf8)]),
    field("dense", .union(.dense, typeIds: [5, 7]), [item, field("s", .utf8)]),
    field(
      "ree", .runEndEncoded,
      [field("run_ends", .int(bitWidth: 32, isSigned: true), nullable: false), field("values", .utf8)]),
    IPCField(
      name: "dict", nullable: true, type: .utf8,
      dictionary: IPCDictionaryEncoding(id: 0, indexType: IPCIntType(bitWidth: 16, isSigned: true), isOrdered: true),
      metadata: [IPCKeyValue("k", "v"), IPCKeyValue("k2", "w")]),
    field(
      "struct", .struct,
      [
        IPCField(name: "a", nullable: true, type: .bool, metadata: [IPCKeyValue("x", "y")]),
        IPCField(
          name: "b", nullable: true, type: .binary,
          dictionary: IPCDictionaryEncoding(id: 1, indexType: IPCIntType(bitWidth: 8, isSigned: false))),
      ]),
  ]
  return IPCSchema(fields: fields, metadata: [IPCKeyValue("pandas", "{\"x\": 1}"), IPCKeyValue("ü", "ß")])
}

@Suite(.serialized) struct PyArrowInteropTests {
  @Test func pyarrowReadsTheSchemaSwiftWrites() async throws {
    try await InteropLock.run {
      let message = IPCMessage(header: .schema(interopSchema()), bodyLength: 0)
      let framed = MessageFraming.encapsulate(message.flatBuffer())
      let directory = FileManager.default.temporaryDirectory.appendingPathComponent("ipc-\(UUID().uuidString)")
      try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
      defer { try? FileManager.default.removeItem(at: directory) }
      let file = directory.appendingPathComponent("swift_schema.bin")
      try Data(framed).write(to: file)
      let output = try await runPython(["-c", pythonScript, "check", file.path])
      #expect(output.trimmingCharacters(in: .whitespacesAndNewlines) == "OK", "\(output)")
    }
  }

  @Test func swiftReadsWhatPyarrowWrites() async throws {
    try await InteropLock.run {
      let directory = FileManager.default.temporaryDirectory.appendingPathComponent("ipc-\(UUID().uuidString)")
      try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
      defer { try? FileManager.default.removeItem(at: directory) }
      _ = try await runPython(["-c", pythonScript, "produce", directory.path])
      func load(_ name: String) throws -> Buffer {
        Buffer(copying: try Data(contentsOf: directory.appendingPathComponent(name)))
      }

      // The schema message, every type.
      let schemaBytes = try load("schema.bin")
      let schemaMessage = try #require(try MessageFraming.readMessage(from: schemaBytes, at: 0))
      let decoded = try schemaMessage.message.decode()
      #expect(decoded.version == .v5)
      guard case .schema(let schema) = decoded.header else {
        Issue.record("not a schema message")
        return
      }
      #expect(schema.fields.count == interopSchema().fields.count)
      for (read, expected) in zip(schema.fields, interopSchema().fields) {
        #expect(read == expected)
      }
      #expect(schema.metadata == interopSchema().metadata)
      #expect(schema.endianness == 0)

      // Streams: compressed, plain and legacy-framed.
      for (name, codec) in [
        ("zstd.arrows", CompressionCodec.zstd), ("lz4.arrows", .lz4Frame), ("plain.arrows", nil),
        ("legacy.arrows", nil),
      ] {
        let stream = try load(name)
        var offset = 0
        var messages: [FramedMessage] = []
        while let message = try MessageFraming.readMessage(from: stream, at: offset) {
          messages.append(message)
          offset = message.nextOffset
        }
        #expect(messages.count == 3, "\(name)")
        let values = try messages.dropFirst().flatMap { try int64Column(of: $0, codec: codec) }
        #expect(values == expectedColumn(0..<10000), "\(name)")
      }

      // The file format: footer, blocks, random access.
      let file = try load("file.arrow")
      let footer = try IPCFooter(flatBuffer: try ArrowFileFormat.footer(in: file))
      #expect(footer.schema?.fields.map(\.name) == ["x", "s", "r"])
      #expect(footer.recordBatches.count == 2)
      let last = try ArrowFileFormat.readMessage(in: file, block: footer.recordBatches[1])
      let values = try int64Column(of: last, codec: nil)
      #expect(values == expectedColumn(6000..<10000))
    }
  }
}

/// Re-encodes a pyarrow stream with Swift: every message's metadata goes through the decoder and
/// the builder again, and every body buffer is compressed with `codec` (when not nil) and laid
/// out again at 8-byte aligned offsets. Returns the messages (framed metadata plus body).
private func reencode(stream: Buffer, codec: CompressionCodec?) throws -> [(metadata: [UInt8], body: [UInt8])] {
  var messages: [(metadata: [UInt8], body: [UInt8])] = []
  var offset = 0
  while let framed = try MessageFraming.readMessage(from: stream, at: offset) {
    offset = framed.nextOffset
    var message = try framed.message.decode()
    var body: [UInt8] = []
    if case .recordBatch(var batch) = message.header {
      var specs: [IPCBufferSpec] = []
      for spec in batch.buffers {
        var bytes = try #require(framed.body.slice(from: Int(spec.offset), count: Int(spec.length)))
        if let codec { bytes = try BodyBufferCompression.compress(bytes, codec: codec) }
        specs.append(IPCBufferSpec(offset: Int64(body.count), length: Int64(bytes.count)))
        body += Array(bytes)
        body += [UInt8](repeating: 0, count: MessageFraming.padding(for: body.count))
      }
      batch.buffers = specs
      batch.compression = codec.map { IPCBodyCompression(codec: $0) }
      message.header = .recordBatch(batch)
      message.bodyLength = Int64(body.count)
    }
    messages.append((MessageFraming.encapsulate(message.flatBuffer()), body))
  }
  return messages
}

@Suite(.serialized) struct PyArrowReadsSwiftStreamsTests {
  @Test func pyarrowReadsStreamsAndFilesSwiftWrites() async throws {
    try await InteropLock.run {
      let directory = FileManager.default.temporaryDirectory.appendingPathComponent("ipc-\(UUID().uuidString)")
      try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
      defer { try? FileManager.default.removeItem(at: directory) }
      _ = try await runPython(["-c", pythonScript, "produce", directory.path])
      let plain = Buffer(copying: try Data(contentsOf: directory.appendingPathComponent("plain.arrows")))

      for codec in [CompressionCodec.lz4Frame, .zstd, nil] {
        let messages = try reencode(stream: plain, codec: codec)
        #expect(messages.count == 3)
        if codec != nil {
          // Column r's data does not compress: it travels behind the -1 prefix.
          let batchMessage = try IPCMessage(flatBuffer: Buffer(copying: messages[1].metadata.dropFirst(8)))
          guard case .recordBatch(let batch) = batchMessage.header else {
            Issue.record("the second message is not a record batch")
            return
          }
          let prefix = Buffer(copying: messages[1].body).loadUnaligned(
            fromByteOffset: Int(batch.buffers[6].offset), as: Int64.self)
          #expect(prefix == -1)
        }
        // The stream format.
        let stream = messages.flatMap { $0.metadata + $0.body } + MessageFraming.endOfStreamBytes
        let streamURL = directory.appendingPathComponent("swift.arrows")
        try Data(stream).write(to: streamURL)
        let streamResult = try await runPython(["-c", pythonScript, "verify-stream", streamURL.path])
        #expect(
          streamResult.trimmingCharacters(in: .whitespacesAndNewlines) == "OK",
          "\(String(describing: codec)) \(streamResult)")

        // The file format: the same messages, then a footer naming the record batch blocks.
        var file = ArrowFileFormat.header
        var blocks: [IPCBlock] = []
        for (index, message) in messages.enumerated() {
          if index > 0 {
            blocks.append(
              IPCBlock(
                offset: Int64(file.count), metaDataLength: Int32(message.metadata.count),
                bodyLength: Int64(message.body.count)))
          }
          file += message.metadata + message.body
        }
        file += MessageFraming.endOfStreamBytes
        let schemaMessage = try IPCMessage(flatBuffer: Buffer(copying: messages[0].metadata.dropFirst(8)))
        guard case .schema(let schema) = schemaMessage.header else {
          Issue.record("the first message is not a schema")
          return
        }
        let footer = IPCFooter(schema: schema, dictionaries: [], recordBatches: blocks).flatBuffer()
        file += footer + ArrowFileFormat.trailer(footerLength: footer.count)
        let fileURL = directory.appendingPathComponent("swift.arrow")
        try Data(file).write(to: fileURL)
        let fileResult = try await runPython(["-c", pythonScript, "verify-file", fileURL.path])
        #expect(
          fileResult.trimmingCharacters(in: .whitespacesAndNewlines) == "OK",
          "\(String(describing: codec)) \(fileResult)")

        // And Swift reads its own file back through the footer.
        let written = Buffer(copying: file)
        let readFooter = try IPCFooter(flatBuffer: try ArrowFileFormat.footer(in: written))
        #expect(readFooter.recordBatches == blocks)
        let first = try ArrowFileFormat.readMessage(in: written, block: blocks[0])
        #expect(try int64Column(of: first, codec: codec) == expectedColumn(0..<6000))
      }
    }
  }
}

/// The values the Python script puts in column `x` at `rows`.
private func expectedColumn(_ rows: Range<Int>) -> [Int64?] {
  rows.map { row -> Int64? in row % 7 == 3 ? nil : Int64(row % 10) }
}

/// The first column (int64) of a record batch message, decompressing its buffers when needed.
private func int64Column(of framed: FramedMessage, codec: CompressionCodec?) throws -> [Int64?] {
  guard case .recordBatch(let batch) = try framed.message.decode().header else {
    throw ArrowError.invalid("not a record batch")
  }
  #expect(batch.compression?.codec == codec)
  #expect(batch.nodes.count == 3)
  #expect(batch.buffers.count == 7)  // x: validity, data; s: validity, offsets, data; r: validity, data
  func body(_ index: Int) throws -> Buffer {
    let spec = batch.buffers[index]
    guard let raw = framed.body.slice(from: Int(spec.offset), count: Int(spec.length)) else {
      throw ArrowError.invalid("buffer \(index) lies outside the body")
    }
    guard let codec else { return raw }
    return try BodyBufferCompression.decompress(raw, codec: codec)
  }
  let validity = try body(0)
  let data = try body(1)
  let length = Int(batch.length)
  #expect(data.count == length * 8)
  return (0..<length).map { row in
    let valid = validity.isEmpty || validity[row / 8] & (1 << (row % 8)) != 0
    return valid ? data.loadUnaligned(fromByteOffset: row * 8, as: Int64.self) : nil
  }
}
