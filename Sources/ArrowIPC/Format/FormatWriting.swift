// Writing the Arrow metadata tables with FlatBufferBuilder. Defaults declared in the schema
// files are omitted, as flatc-generated writers do; readers apply the same defaults.

package import ArrowCore

extension FlatBufferBuilder {
  /// Writes a vector of `KeyValue` tables, or returns nil for an empty list (the field is then omitted).
  package mutating func createKeyValues(_ entries: [IPCKeyValue]) -> FBOffset? {
    if entries.isEmpty { return nil }
    var tables: [FBOffset] = []
    tables.reserveCapacity(entries.count)
    for entry in entries {
      let key = createString(entry.key)
      let value = createString(entry.value)
      startTable()
      addOffset(slot: Slot.KeyValue.key, key)
      addOffset(slot: Slot.KeyValue.value, value)
      tables.append(endTable())
    }
    return createOffsetVector(tables)
  }

  /// Writes an `Int` table.
  package mutating func createIntType(_ int: IPCIntType) -> FBOffset {
    startTable()
    add(slot: Slot.IntType.bitWidth, int.bitWidth, default: 0)
    add(slot: Slot.IntType.isSigned, int.isSigned, default: false)
    return endTable()
  }

  /// Writes the member table of the `Type` union for `type`.
  package mutating func createType(_ type: IPCType) -> FBOffset {
    switch type {
    case .int(let bitWidth, let isSigned):
      return createIntType(IPCIntType(bitWidth: bitWidth, isSigned: isSigned))
    case .timestamp(let unit, let timezone):
      let zone = timezone.map { createString($0) }
      startTable()
      add(slot: Slot.Timestamp.unit, unit.rawValue, default: 0)
      addOffset(slot: Slot.Timestamp.timezone, zone)
      return endTable()
    case .union(let mode, let typeIds):
      let ids = typeIds.map { createVector($0) }
      startTable()
      add(slot: Slot.Union.mode, mode.rawValue, default: 0)
      addOffset(slot: Slot.Union.typeIds, ids)
      return endTable()
    default:
      break
    }
    startTable()
    switch type {
    case .floatingPoint(let precision):
      add(slot: Slot.only, precision.rawValue, default: 0)
    case .decimal(let precision, let scale, let bitWidth):
      add(slot: Slot.Decimal.precision, precision, default: 0)
      add(slot: Slot.Decimal.scale, scale, default: 0)
      add(slot: Slot.Decimal.bitWidth, bitWidth, default: 128)
    case .date(let unit):
      add(slot: Slot.only, unit.rawValue, default: 1)
    case .time(let unit, let bitWidth):
      add(slot: Slot.Time.unit, unit.rawValue, default: 1)
      add(slot: Slot.Time.bitWidth, bitWidth, default: 32)
    case .interval(let unit):
      add(slot: Slot.only, unit.rawValue, default: 0)
    case .fixedSizeBinary(let byteWidth):
      add(slot: Slot.only, byteWidth, default: 0)
    case .fixedSizeList(let listSize):
      add(slot: Slot.only, listSize, default: 0)
    case .map(let keysSorted):
      add(slot: Slot.only, keysSorted, default: false)
    case .duration(let unit):
      add(slot: Slot.only, unit.rawValue, default: 1)
    case .null, .binary, .utf8, .bool, .list, .struct, .largeBinary, .largeUtf8, .largeList, .runEndEncoded,
      .binaryView, .utf8View, .listView, .largeListView:
      break  // empty tables
    case .int, .timestamp, .union:
      preconditionFailure("handled above")
    }
    return endTable()
  }

  /// Writes a `Field` table and its children.
  package mutating func createField(_ field: IPCField) -> FBOffset {
    let name = createString(field.name)
    let type = createType(field.type)
    var dictionary: FBOffset?
    if let encoding = field.dictionary {
      let indexType = encoding.indexType.map { createIntType($0) }
      startTable()
      add(slot: Slot.DictionaryEncoding.id, encoding.id, default: 0)
      addOffset(slot: Slot.DictionaryEncoding.indexType, indexType)
      add(slot: Slot.DictionaryEncoding.isOrdered, encoding.isOrdered, default: false)
      add(slot: Slot.DictionaryEncoding.dictionaryKind, encoding.kind.rawValue, default: 0)
      dictionary = endTable()
    }
    let childOffsets = field.children.map { createField($0) }
    let children = createOffsetVector(childOffsets)
    let metadata = createKeyValues(field.metadata)
    startTable()
    addOffset(slot: Slot.Field.name, name)
    add(slot: Slot.Field.nullable, field.nullable, default: false)
    add(slot: Slot.Field.typeType, field.type.tag.rawValue)
    addOffset(slot: Slot.Field.typeType + 1, type)
    addOffset(slot: Slot.Field.dictionary, dictionary)
    addOffset(slot: Slot.Field.children, children)
    addOffset(slot: Slot.Field.customMetadata, metadata)
    return endTable()
  }

  /// Writes a `Schema` table and its fields.
  package mutating func createSchema(_ schema: IPCSchema) -> FBOffset {
    let fieldOffsets = schema.fields.map { createField($0) }
    let fields = createOffsetVector(fieldOffsets)
    let metadata = createKeyValues(schema.metadata)
    let features = schema.features.isEmpty ? nil : createVector(schema.features)
    startTable()
    add(slot: Slot.Schema.endianness, schema.endianness, default: 0)
    addOffset(slot: Slot.Schema.fields, fields)
    addOffset(slot: Slot.Schema.customMetadata, metadata)
    addOffset(slot: Slot.Schema.features, features)
    return endTable()
  }

  /// Writes a vector of `FieldNode` structs.
  package mutating func createFieldNodes(_ nodes: [IPCFieldNode]) -> FBOffset {
    var bytes: [UInt8] = []
    bytes.reserveCapacity(nodes.count * IPCFieldNode.size)
    for node in nodes {
      appendLittleEndian(node.length, to: &bytes)
      appendLittleEndian(node.nullCount, to: &bytes)
    }
    return createStructVector(bytes: bytes, count: nodes.count, alignment: 8)
  }

  /// Writes a vector of `Buffer` structs.
  package mutating func createBufferSpecs(_ buffers: [IPCBufferSpec]) -> FBOffset {
    var bytes: [UInt8] = []
    bytes.reserveCapacity(buffers.count * IPCBufferSpec.size)
    for buffer in buffers {
      appendLittleEndian(buffer.offset, to: &bytes)
      appendLittleEndian(buffer.length, to: &bytes)
    }
    return createStructVector(bytes: bytes, count: buffers.count, alignment: 8)
  }

  /// Writes a vector of `Block` structs (with the 4 padding bytes after `metaDataLength`).
  package mutating func createBlocks(_ blocks: [IPCBlock]) -> FBOffset {
    var bytes: [UInt8] = []
    bytes.reserveCapacity(blocks.count * IPCBlock.size)
    for block in blocks {
      appendLittleEndian(block.offset, to: &bytes)
      appendLittleEndian(block.metaDataLength, to: &bytes)
      appendLittleEndian(Int32(0), to: &bytes)
      appendLittleEndian(block.bodyLength, to: &bytes)
    }
    return createStructVector(bytes: bytes, count: blocks.count, alignment: 8)
  }

  /// Writes a `RecordBatch` table.
  package mutating func createRecordBatch(_ batch: IPCRecordBatch) -> FBOffset {
    let nodes = createFieldNodes(batch.nodes)
    let buffers = createBufferSpecs(batch.buffers)
    var compression: FBOffset?
    if let codec = batch.compression {
      startTable()
      add(slot: Slot.BodyCompression.codec, codec.codec.rawValue, default: 0)
      add(slot: Slot.BodyCompression.method, codec.method.rawValue, default: 0)
      compression = endTable()
    }
    let variadic = batch.variadicBufferCounts.map { createVector($0) }
    startTable()
    add(slot: Slot.RecordBatch.length, batch.length, default: 0)
    addOffset(slot: Slot.RecordBatch.nodes, nodes)
    addOffset(slot: Slot.RecordBatch.buffers, buffers)
    addOffset(slot: Slot.RecordBatch.compression, compression)
    addOffset(slot: Slot.RecordBatch.variadicBufferCounts, variadic)
    return endTable()
  }

  /// Writes a `DictionaryBatch` table.
  package mutating func createDictionaryBatch(_ batch: IPCDictionaryBatch) -> FBOffset {
    let data = createRecordBatch(batch.data)
    startTable()
    add(slot: Slot.DictionaryBatch.id, batch.id, default: 0)
    addOffset(slot: Slot.DictionaryBatch.data, data)
    add(slot: Slot.DictionaryBatch.isDelta, batch.isDelta, default: false)
    return endTable()
  }

  /// Writes a `Message` table.
  package mutating func createMessage(_ message: IPCMessage) -> FBOffset {
    let header: FBOffset
    switch message.header {
    case .schema(let schema): header = createSchema(schema)
    case .dictionaryBatch(let batch): header = createDictionaryBatch(batch)
    case .recordBatch(let batch): header = createRecordBatch(batch)
    }
    let metadata = createKeyValues(message.metadata)
    startTable()
    add(slot: Slot.Message.version, message.version.rawValue, default: 0)
    add(slot: Slot.Message.headerType, message.header.type.rawValue)
    addOffset(slot: Slot.Message.headerType + 1, header)
    add(slot: Slot.Message.bodyLength, message.bodyLength, default: 0)
    addOffset(slot: Slot.Message.customMetadata, metadata)
    return endTable()
  }

  /// Writes a `Footer` table.
  package mutating func createFooter(_ footer: IPCFooter) -> FBOffset {
    let schema = footer.schema.map { createSchema($0) }
    let dictionaries = createBlocks(footer.dictionaries)
    let recordBatches = createBlocks(footer.recordBatches)
    let metadata = createKeyValues(footer.metadata)
    startTable()
    add(slot: Slot.Footer.version, footer.version.rawValue, default: 0)
    addOffset(slot: Slot.Footer.schema, schema)
    addOffset(slot: Slot.Footer.dictionaries, dictionaries)
    addOffset(slot: Slot.Footer.recordBatches, recordBatches)
    addOffset(slot: Slot.Footer.customMetadata, metadata)
    return endTable()
  }
}

private func appendLittleEndian<T: FixedWidthInteger>(_ value: T, to bytes: inout [UInt8]) {
  for index in 0..<MemoryLayout<T>.size {
    bytes.append(UInt8(truncatingIfNeeded: value >> (index * 8)))
  }
}

extension IPCMessage {
  /// This message as a finished flatbuffer (the metadata of an encapsulated message, unpadded).
  package func flatBuffer() -> [UInt8] {
    var builder = FlatBufferBuilder()
    let root = builder.createMessage(self)
    return builder.finish(root: root)
  }

  /// Reads a message from the flatbuffer `metadata`.
  package init(flatBuffer metadata: Buffer) throws(ArrowError) {
    self = try MessageView(metadata).decode()
  }
}

extension IPCFooter {
  /// This footer as a finished flatbuffer.
  package func flatBuffer() -> [UInt8] {
    var builder = FlatBufferBuilder()
    let root = builder.createFooter(self)
    return builder.finish(root: root)
  }

  /// Reads a footer from the flatbuffer `footer`.
  package init(flatBuffer footer: Buffer) throws(ArrowError) {
    self = try FooterView(footer).decode()
  }
}
