// Extension types: the canonical constructors check their storage, every extension type
// round-trips exactly through IPC, and pyarrow reads Swift's as its own classes (and back).

internal import ArrowCore
internal import Foundation
internal import InteropSupport
internal import Testing

@testable internal import ArrowIPC

/// A batch with one column of each canonical extension type, a custom one, and nested ones.
private func extensionBatch() throws -> RecordBatch {
  let uuids = FixedSizeBinaryArray(byteWidth: 16, [Array(0..<16), nil, [UInt8](repeating: 0xAB, count: 16)])
  let json = StringArray(["{\"a\":1}", nil, "[]"])
  let flags = Int8Array([1, 0, nil])
  let tensorType = try ExtensionType.fixedShapeTensor(valueType: .float32, shape: [2, 3], dimensionNames: ["x", "y"])
  let tensors = FixedSizeListArray(
    values: Float32Array((0..<18).map { Float($0) }), listSize: 6, validity: [true, true, false])
  let opaqueType = try ExtensionType.opaque(storage: .binary, typeName: "geometry", vendorName: "postgis")
  let opaque = BinaryArray([Array("p1".utf8), nil, Array("p3".utf8)])
  let custom = try ExtensionType(name: "my.point", storage: .int64, metadata: "{\"crs\": \"x\"}")
  let lists = ListArray(
    values: ExtensionArray(storage: Int8Array([1, 0, 1, 1]), type: .bool8), offsets: [0, 1, 1, 4] as [Int32])
  let schema = Schema(
    [
      Field("uuid", .uuid), Field("json", .extension(try .json())), Field("bool8", .bool8),
      Field("tensor", .extension(tensorType)), Field("opaque", .extension(opaqueType)),
      Field("custom", .extension(custom), metadata: ["own": "kept"]), Field("lists", lists.type),
    ], metadata: ["m": "1"])
  return try RecordBatch(
    schema: schema,
    columns: [
      ExtensionArray(storage: uuids, type: .uuid), ExtensionArray(storage: json, type: try .json()),
      ExtensionArray(storage: flags, type: .bool8), ExtensionArray(storage: tensors, type: tensorType),
      ExtensionArray(storage: opaque, type: opaqueType),
      ExtensionArray(storage: Int64Array([7, nil, 9]), type: custom), lists,
    ])
}

@Suite(.serialized) struct ExtensionTypeTests {
  @Test func canonicalConstructorsCheckTheirStorage() throws {
    #expect(ExtensionType.uuid.storage == .fixedSizeBinary(16))
    #expect(ExtensionType.bool8.storage == .int8)
    #expect(try ExtensionType.json(storage: .largeString).storage == .largeString)
    #expect(arrowError { _ = try ExtensionType.json(storage: .binary) }?.message.contains("string type") == true)
    #expect(arrowError { _ = try ExtensionType(name: "arrow.uuid", storage: .fixedSizeBinary(8)) } != nil)
    #expect(arrowError { _ = try ExtensionType(name: "arrow.bool8", storage: .uint8) } != nil)
    #expect(arrowError { _ = try ExtensionType(name: "", storage: .int8) } != nil)
    #expect(arrowError { _ = try ExtensionType(name: "a", storage: .uuid) } != nil)
    let tensor = try ExtensionType.fixedShapeTensor(valueType: .int16, shape: [2, 3, 4], permutation: [2, 0, 1])
    #expect(tensor.storage == .fixedSizeList(Field("item", .int16), 24))
    #expect(tensor.metadata == "{\"shape\":[2,3,4],\"permutation\":[2,0,1]}")
    #expect(
      arrowError { _ = try ExtensionType.fixedShapeTensor(valueType: .int16, shape: [2], permutation: [1]) } != nil)
    #expect(arrowError { _ = try ExtensionType(name: "arrow.fixed_shape_tensor", storage: .int32) } != nil)
    let variable = try ExtensionType.variableShapeTensor(valueType: .float64, dimensions: 2, uniformShape: [nil, 3])
    #expect(variable.metadata == "{\"uniform_shape\":[null,3]}")
    #expect(try ExtensionType(name: variable.name, storage: variable.storage).storage == variable.storage)
    #expect(arrowError { _ = try ExtensionType(name: "arrow.variable_shape_tensor", storage: .int32) } != nil)
    let opaque = try ExtensionType.opaque(storage: .null, typeName: "a\"b", vendorName: "v")
    #expect(opaque.metadata == "{\"type_name\":\"a\\\"b\",\"vendor_name\":\"v\"}")
    #expect(DataType.uuid.description == "extension<arrow.uuid>")
    #expect(DataType.uuid.storageType == .fixedSizeBinary(16))
    #expect(DataType.uuid.bufferLayout == DataType.fixedSizeBinary(16).bufferLayout)
  }

  @Test func extensionArraysValidateAsTheirStorage() throws {
    let json = try ExtensionType.json()
    let bad = ArrayData(
      type: .extension(json), length: 1, nullCount: 0,
      buffers: [
        nil, Buffer(copying: littleEndianBytes(Int32(0)) + littleEndianBytes(Int32(1))), Buffer(copying: [0xFF]),
      ])
    #expect(arrowError { try bad.validate() }?.message.contains("UTF-8") == true)
    let batch = try extensionBatch()
    try batch.validate()
    let column = try #require(batch.columns[0] as? ExtensionArray)
    #expect(column.extensionType == .uuid)
    #expect(column.storage.type == .fixedSizeBinary(16))
    #expect(column.isNull(1))
    let joined = try ArrayData.concatenate([column.data, column.data])
    #expect(joined.type == .uuid)
    #expect(joined.length == 6)
    #expect(ArrayData.empty(.uuid).type == .uuid)
  }

  @Test func extensionTypesRoundTripExactlyThroughIPC() throws {
    let batch = try extensionBatch()
    let (ipc, _) = try SchemaMapping.encode(batch.schema)
    #expect(ipc.fields[0].type == .fixedSizeBinary(byteWidth: 16))
    #expect(
      ipc.fields[0].metadata == [
        IPCKeyValue(ExtensionType.nameKey, "arrow.uuid"), IPCKeyValue(ExtensionType.metadataKey, ""),
      ])
    #expect(ipc.fields[5].metadata.first == IPCKeyValue("own", "kept"))
    #expect(ipc.fields[6].children[0].metadata.first == IPCKeyValue(ExtensionType.nameKey, "arrow.bool8"))
    for bytes in [
      try IPCStreamWriter.serialize([batch], schema: batch.schema),
      try IPCFileWriter.serialize([batch], schema: batch.schema),
    ] {
      let read: [RecordBatch]
      if ArrowFileFormat.hasMagic(bytes, at: 0) {
        read = try IPCFileReader(bytes).readAll()
      } else {
        var reader = try IPCStreamReader(bytes)
        read = try reader.readAll()
      }
      #expect(read.count == 1)
      #expect(read.first?.schema == batch.schema)
      #expect(read.first == batch)
    }
    // A field that names a canonical type over the wrong storage keeps its metadata.
    let wrong = IPCField(
      name: "w", nullable: true, type: .binary,
      metadata: [IPCKeyValue(ExtensionType.nameKey, "arrow.uuid"), IPCKeyValue(ExtensionType.metadataKey, "")])
    let plan = try SchemaMapping.decode(IPCSchema(fields: [wrong]), allowUnknownFeatures: false)
    #expect(plan.schema.fields[0].type == .binary)
    #expect(plan.schema.fields[0].metadata[ExtensionType.nameKey] == "arrow.uuid")
  }

  @Test func pyarrowReadsSwiftExtensionTypesAsItsOwnAndBack() async throws {
    let directory = FileManager.default.temporaryDirectory.appendingPathComponent("ext-\(UUID().uuidString)")
    try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
    defer { try? FileManager.default.removeItem(at: directory) }
    let batch = try extensionBatch()
    let swiftPath = directory.appendingPathComponent("swift.arrows").path
    let writer = try IPCStreamWriter(schema: batch.schema, path: swiftPath)
    try writer.write(batch)
    try writer.finish()
    let pythonPath = directory.appendingPathComponent("python.arrows").path
    let output = try await runPython([
      "-c",
      """
      import sys, pyarrow as pa
      table = pa.ipc.open_stream(sys.argv[1]).read_all()
      t = table.schema
      assert t.field("uuid").type == pa.uuid(), t.field("uuid").type
      assert t.field("json").type == pa.json_(), t.field("json").type
      assert t.field("bool8").type == pa.bool8(), t.field("bool8").type
      assert t.field("tensor").type == pa.fixed_shape_tensor(pa.float32(), [2, 3], dim_names=["x", "y"]), t.field("tensor").type
      assert t.field("opaque").type == pa.opaque(pa.binary(), "geometry", "postgis"), t.field("opaque").type
      assert t.field("custom").type == pa.int64(), t.field("custom").type
      assert t.field("custom").metadata[b"ARROW:extension:name"] == b"my.point"
      assert t.field("custom").metadata[b"own"] == b"kept"
      assert t.field("lists").type.value_type == pa.bool8()
      assert table.column("uuid").to_pylist()[2] == __import__("uuid").UUID(bytes=b"\\xab" * 16)
      assert table.column("bool8").to_pylist() == [True, False, None]
      assert table.column("json").to_pylist() == ['{"a":1}', None, "[]"]
      with pa.ipc.new_stream(sys.argv[2], table.schema) as writer:
          writer.write_table(table)
      print("OK")
      """,
      swiftPath, pythonPath,
    ])
    #expect(output.trimmingCharacters(in: .whitespacesAndNewlines) == "OK")
    var reader = try IPCStreamReader(contentsOfFile: pythonPath)
    #expect(reader.schema.fields.map(\.type) == batch.schema.fields.map(\.type))
    #expect(try reader.next() == batch)
  }
}
