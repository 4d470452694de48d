// Helpers shared by the ArrowIPC tests.

internal import ArrowCore
internal import ArrowIPC

/// Runs `body`, returning nil when it succeeds and the error when it throws an `ArrowError`;
/// any other error type fails the caller's expectation through the returned description.
func arrowError(_ body: () throws -> Void) -> ArrowError? {
  do {
    try body()
    return nil
  } catch let error as ArrowError {
    return error
  } catch {
    return ArrowError(.invalid, "NOT AN ArrowError: \(error)")
  }
}

/// Little-endian bytes of an integer.
func littleEndianBytes<T: FixedWidthInteger>(_ value: T) -> [UInt8] {
  (0..<MemoryLayout<T>.size).map { UInt8(truncatingIfNeeded: value >> ($0 * 8)) }
}

/// A schema exercising every `Type` union member, dictionaries, children and metadata.
func sampleSchema() -> IPCSchema {
  let types: [IPCType] = [
    .null, .int(bitWidth: 8, isSigned: true), .int(bitWidth: 64, isSigned: false),
    .floatingPoint(.half), .floatingPoint(.single), .floatingPoint(.double),
    .binary, .utf8, .bool,
    .decimal(precision: 38, scale: 10, bitWidth: 128), .decimal(precision: 76, scale: -3, bitWidth: 256),
    .decimal(precision: 9, scale: 2, bitWidth: 32),
    .date(.day), .date(.millisecond),
    .time(.second, bitWidth: 32), .time(.millisecond, bitWidth: 32), .time(.nanosecond, bitWidth: 64),
    .timestamp(.second, timezone: nil), .timestamp(.microsecond, timezone: "Europe/Paris"),
    .timestamp(.nanosecond, timezone: ""),
    .interval(.yearMonth), .interval(.dayTime), .interval(.monthDayNano),
    .fixedSizeBinary(byteWidth: 16), .duration(.second), .duration(.millisecond), .duration(.nanosecond),
    .largeBinary, .largeUtf8, .binaryView, .utf8View,
  ]
  var fields = types.enumerated().map { index, type in
    IPCField(name: "f\(index) é", nullable: index % 2 == 0, type: type)
  }
  let item = IPCField(name: "item", nullable: true, type: .int(bitWidth: 32, isSigned: true))
  fields.append(IPCField(name: "list", nullable: true, type: .list, children: [item]))
  fields.append(IPCField(name: "large_list", nullable: false, type: .largeList, children: [item]))
  fields.append(IPCField(name: "list_view", nullable: true, type: .listView, children: [item]))
  fields.append(IPCField(name: "large_list_view", nullable: true, type: .largeListView, children: [item]))
  fields.append(IPCField(name: "fsl", nullable: true, type: .fixedSizeList(listSize: 3), children: [item]))
  let entries = IPCField(
    name: "entries", nullable: false, type: .struct,
    children: [
      IPCField(name: "key", nullable: false, type: .utf8),
      IPCField(name: "value", nullable: true, type: .list, children: [item]),
    ])
  fields.append(IPCField(name: "map", nullable: true, type: .map(keysSorted: true), children: [entries]))
  fields.append(IPCField(name: "map2", nullable: true, type: .map(keysSorted: false), children: [entries]))
  fields.append(
    IPCField(
      name: "sparse", nullable: true, type: .union(.sparse, typeIds: nil),
      children: [item, IPCField(name: "s", nullable: true, type: .utf8)]))
  fields.append(
    IPCField(
      name: "dense", nullable: true, type: .union(.dense, typeIds: [5, 7]),
      children: [item, IPCField(name: "s", nullable: true, type: .utf8)]))
  fields.append(
    IPCField(
      name: "ree", nullable: true, type: .runEndEncoded,
      children: [
        IPCField(name: "run_ends", nullable: false, type: .int(bitWidth: 32, isSigned: true)),
        IPCField(name: "values", nullable: true, type: .utf8),
      ]))
  fields.append(
    IPCField(
      name: "dict", nullable: true, type: .utf8,
      dictionary: IPCDictionaryEncoding(id: 42, indexType: IPCIntType(bitWidth: 16, isSigned: true), isOrdered: true),
      metadata: [IPCKeyValue("k", "v"), IPCKeyValue("", "empty key"), IPCKeyValue("k", "dup")]))
  fields.append(
    IPCField(
      name: "dict_default_index", nullable: false, type: .binary,
      dictionary: IPCDictionaryEncoding(id: 0, indexType: nil)))
  fields.append(
    IPCField(
      name: "struct", nullable: true, type: .struct,
      children: [
        IPCField(name: "a", nullable: true, type: .bool, metadata: [IPCKeyValue("x", "y")]),
        IPCField(
          name: "b", nullable: true, type: .utf8,
          dictionary: IPCDictionaryEncoding(id: 7, indexType: IPCIntType(bitWidth: 8, isSigned: false))),
      ]))
  fields.append(IPCField(name: "", nullable: true, type: .utf8))
  return IPCSchema(
    fields: fields, metadata: [IPCKeyValue("pandas", "{\"x\": 1}"), IPCKeyValue("ü", "ß")], features: [1, 2])
}

/// The flatbuffer of a schema message carrying ``sampleSchema()``, with no body.
func sampleMessageBytes() -> [UInt8] {
  IPCMessage(header: .schema(sampleSchema()), bodyLength: 0).flatBuffer()
}

/// A record batch message with nodes, buffers and compression.
func sampleRecordBatch() -> IPCRecordBatch {
  IPCRecordBatch(
    length: 3,
    nodes: [IPCFieldNode(length: 3, nullCount: 1), IPCFieldNode(length: 3, nullCount: 0)],
    buffers: [
      IPCBufferSpec(offset: 0, length: 1), IPCBufferSpec(offset: 8, length: 24),
      IPCBufferSpec(offset: 32, length: 0), IPCBufferSpec(offset: 32, length: 16),
    ],
    compression: IPCBodyCompression(codec: .zstd),
    variadicBufferCounts: [2, 0])
}
