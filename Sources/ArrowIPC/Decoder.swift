// The push-based IPC decoder: one message (metadata plus body) in, a schema, a dictionary
// update or a record batch out. Arrays view the body in place; everything is verified.

public import ArrowCore

/// What an ``IPCDecoder`` made of one message (the result of its `decode(metadata:body:)`).
public enum DecodedMessage: Sendable {
  /// The stream's schema.
  case schema(Schema)
  /// A dictionary batch for dictionary `id` was stored (appended to the previous values when
  /// `isDelta`, replacing them otherwise).
  case dictionaryBatch(id: Int64, isDelta: Bool)
  /// A record batch, with the custom metadata of its message.
  case recordBatch(RecordBatch, customMetadata: KeyValueMetadata)
}

/// Decodes IPC messages pushed one at a time: the schema first, then dictionary batches and
/// record batches in stream order.
///
/// Arrays view the body `Buffer` in place (no copy) even when it is misaligned; only
/// compressed buffers are materialized. Every message is verified: the flatbuffer's offsets,
/// the node and buffer counts for each type, buffers lying inside the body, lengths, null
/// counts, offsets, UTF-8, dictionary indices, union ids and run ends (ArrowCore's full
/// validation). Bad input gives an `ArrowError`, never a crash.
///
/// ```swift
/// var decoder = IPCDecoder()
/// for (metadata, body) in messages {
///   if case .recordBatch(let batch, _) = try decoder.decode(metadata: metadata, body: body) {
///     print(batch)
///   }
/// }
/// ```
public struct IPCDecoder: Sendable {
  /// The read options.
  public let options: IPCReadOptions
  private var plan: SchemaPlan?
  private var dictionaryValues: [Int64: ArrayData] = [:]

  /// A decoder that expects a schema message first.
  public init(options: IPCReadOptions = IPCReadOptions()) {
    self.options = options
  }

  /// A decoder for a stream whose schema is already known (such as a file's footer schema).
  ///
  /// Dictionary ids are numbered depth first, as ``IPCEncoder`` and pyarrow number them.
  public init(schema: Schema, options: IPCReadOptions = IPCReadOptions()) throws(ArrowError) {
    self.options = options
    self.plan = try SchemaMapping.encode(schema).1
  }

  init(ipcSchema: IPCSchema, options: IPCReadOptions) throws(ArrowError) {
    self.options = options
    self.plan = try SchemaMapping.decode(ipcSchema, allowUnknownFeatures: options.allowUnknownFeatures)
  }

  /// The schema, once a schema message was decoded.
  public var schema: Schema? { plan?.schema }

  /// The current dictionary of each dictionary id received so far.
  public var dictionaries: [Int64: ArrayData] { dictionaryValues }

  /// Decodes one message.
  ///
  /// - Parameters:
  ///   - metadata: The `Message` flatbuffer (padding after it is allowed).
  ///   - body: The message body, at least `bodyLength` bytes (only those are used); it may
  ///     have any alignment.
  public mutating func decode(metadata: Buffer, body: Buffer) throws(ArrowError) -> DecodedMessage {
    let message = try MessageView(metadata)
    return try decode(message, body: MessageBody(body))
  }

  /// Decodes one message whose body arrived in pieces (such as a network message's slices):
  /// each Arrow buffer is a view of the piece that holds it; only one that straddles two
  /// pieces is copied.
  public mutating func decode(metadata: Buffer, body: MessageBody) throws(ArrowError) -> DecodedMessage {
    try decode(try MessageView(metadata), body: body)
  }

  mutating func decode(_ message: MessageView, body fullBody: Buffer) throws(ArrowError) -> DecodedMessage {
    try decode(message, body: MessageBody(fullBody))
  }

  mutating func decode(_ message: MessageView, body fullBody: MessageBody) throws(ArrowError) -> DecodedMessage {
    let version = try message.version()
    guard version == .v4 || version == .v5 else {
      throw .notImplemented("IPC metadata version \(version) is not supported (V4 and V5 are)")
    }
    let bodyLength = try message.bodyLength()
    guard bodyLength <= Int64(fullBody.count) else {
      throw .invalid("message declares a body of \(bodyLength) bytes but the body has \(fullBody.count)")
    }
    let body = fullBody.prefix(Int(bodyLength))
    switch try message.header() {
    case .schema(let view):
      guard plan == nil else { throw .invalid("a second schema message arrived") }
      let ipc = try view.decode()
      let decoded = try SchemaMapping.decode(ipc, allowUnknownFeatures: options.allowUnknownFeatures)
      plan = decoded
      return .schema(decoded.schema)
    case .dictionaryBatch(let view):
      guard let plan else { throw .invalid("a dictionary batch arrived before the schema") }
      let id = try view.id()
      guard let valuePlan = plan.dictionaries[id] else {
        throw .invalid("dictionary batch for id \(id), which no schema field uses")
      }
      let isDelta = try view.isDelta()
      var reader = try BatchReader(
        view: try view.data(), body: body, version: version, dictionaries: dictionaryValues,
        bigEndian: plan.isBigEndian, options: options)
      let values: ArrayData
      do {
        values = try reader.readColumns([valuePlan])[0]
        try values.validate(.safe)
      } catch {
        throw ArrowError(error.kind, "dictionary \(id): \(error.message)")
      }
      if isDelta {
        guard let previous = dictionaryValues[id] else {
          throw .invalid("delta dictionary batch for id \(id), which has no dictionary yet")
        }
        dictionaryValues[id] = try ArrayData.concatenate([previous, values])
      } else {
        dictionaryValues[id] = values
      }
      return .dictionaryBatch(id: id, isDelta: isDelta)
    case .recordBatch(let view):
      guard let plan else { throw .invalid("a record batch arrived before the schema") }
      let batch = try decodeRecordBatch(view, body: body, version: version, plan: plan)
      return .recordBatch(batch, customMetadata: SchemaMapping.metadata(try message.customMetadata()))
    }
  }

  /// Decodes a record batch with the current dictionaries (no state changes).
  func decodeRecordBatch(
    _ view: RecordBatchView, body: MessageBody, version: MetadataVersion, plan: SchemaPlan
  ) throws(ArrowError) -> RecordBatch {
    var reader = try BatchReader(
      view: view, body: body, version: version, dictionaries: dictionaryValues, bigEndian: plan.isBigEndian,
      options: options)
    let columns = try reader.readColumns(plan.fields)
    let length = reader.length
    var arrays: [any ArrowArray] = []
    arrays.reserveCapacity(columns.count)
    for (column, field) in zip(columns, plan.schema.fields) {
      guard column.length == length else {
        throw .invalid("column \"\(field.name)\" has \(column.length) rows but the batch has \(length)")
      }
      do { try column.validate(.safe) } catch {
        throw ArrowError(error.kind, "column \"\(field.name)\": \(error.message)")
      }
      arrays.append(makeArray(column))
    }
    return try RecordBatch(schema: plan.schema, columns: arrays, length: length)
  }

  /// Replaces the decoder's state with `plan` (file readers use the footer's schema).
  mutating func setPlan(_ plan: SchemaPlan) {
    self.plan = plan
  }

  var schemaPlan: SchemaPlan? { plan }
}

/// Reads the nodes and buffers of one record batch, depth first, checking each against the body.
struct BatchReader {
  let body: MessageBody
  let nodes: FBStructList<IPCFieldNode>
  let specs: FBStructList<IPCBufferSpec>
  let variadicCounts: [Int64]?
  let codec: CompressionCodec?
  let buffersBeforeV5: Bool
  /// Whether the buffers are big-endian: they are converted to native order as they are read.
  let bigEndian: Bool
  let dictionaries: [Int64: ArrayData]
  let length: Int
  var nodeIndex = 0
  var bufferIndex = 0
  var variadicIndex = 0
  var decompressionBudget: Int

  /// The largest length accepted for a batch or a node (keeps size arithmetic far from overflow).
  static let maximumLength = 1 << 48

  init(
    view: RecordBatchView, body: MessageBody, version: MetadataVersion, dictionaries: [Int64: ArrayData],
    bigEndian: Bool, options: IPCReadOptions
  ) throws(ArrowError) {
    self.body = body
    self.bigEndian = bigEndian
    nodes = try view.nodes()
    specs = try view.buffers()
    variadicCounts = try view.variadicBufferCounts()
    codec = try view.compression()?.codec
    buffersBeforeV5 = version < .v5
    self.dictionaries = dictionaries
    let length = try view.length()
    guard length >= 0, length <= Int64(BatchReader.maximumLength) else {
      throw .invalid("record batch length \(length) is out of range")
    }
    self.length = Int(length)
    decompressionBudget = options.maximumDecompressedBatchBytes
  }

  /// Reads one array per plan, then checks that every node, buffer and variadic count was used.
  mutating func readColumns(_ plans: [FieldPlan]) throws(ArrowError) -> [ArrayData] {
    var columns: [ArrayData] = []
    columns.reserveCapacity(plans.count)
    for plan in plans {
      do { columns.append(try readArray(plan, depth: 0)) } catch {
        throw ArrowError(error.kind, "field \"\(plan.field.name)\": \(error.message)")
      }
    }
    guard nodeIndex == nodes.count else {
      throw .invalid("record batch has \(nodes.count) field nodes but the schema uses \(nodeIndex)")
    }
    guard bufferIndex == specs.count else {
      throw .invalid("record batch has \(specs.count) buffers but the schema uses \(bufferIndex)")
    }
    if let variadicCounts, variadicIndex != variadicCounts.count {
      throw .invalid(
        "record batch has \(variadicCounts.count) variadic buffer counts but the schema uses \(variadicIndex)")
    }
    return columns
  }

  /// The next field node: its length and null count, nil when the writer left it unknown (-1,
  /// Arrow C++'s kUnknownNullCount; the reader counts it from the validity bitmap).
  private mutating func nextNode(_ type: DataType) throws(ArrowError) -> (length: Int, nullCount: Int?) {
    let node = try nodes.element(nodeIndex, "field node")
    nodeIndex += 1
    guard node.length >= 0, node.length <= Int64(BatchReader.maximumLength) else {
      throw .invalid("field node \(nodeIndex - 1) has length \(node.length), out of range")
    }
    if node.nullCount == -1 { return (Int(node.length), nil) }
    guard node.nullCount >= 0, node.nullCount <= node.length else {
      throw .invalid("field node \(nodeIndex - 1) has null count \(node.nullCount) for length \(node.length)")
    }
    return (Int(node.length), Int(node.nullCount))
  }

  /// The next body buffer, decompressed when the batch is compressed. `expected` is the size
  /// the layout needs (nil for variable-size data): it bounds what decompression may produce.
  private mutating func nextBuffer(expected: Int?) throws(ArrowError) -> Buffer {
    let spec = try specs.element(bufferIndex, "buffer")
    let index = bufferIndex
    bufferIndex += 1
    guard spec.offset >= 0, spec.length >= 0, spec.offset <= Int64(body.count),
      spec.length <= Int64(body.count) - spec.offset
    else {
      throw .invalid(
        "buffer \(index) (offset \(spec.offset), length \(spec.length)) lies outside the body of \(body.count) bytes")
    }
    let raw = body.slice(Int(spec.offset)..<Int(spec.offset + spec.length))
    guard let codec, !raw.isEmpty else { return raw }
    var limits = DecompressionLimits.default
    limits.maximumLength = min(limits.maximumLength, decompressionBudget)
    if let expected { limits.maximumLength = min(limits.maximumLength, max(expected * 2, expected + 4096)) }
    let decompressed: Buffer
    do { decompressed = try BodyBufferCompression.decompress(raw, codec: codec, limits: limits) } catch {
      throw ArrowError(error.kind, "buffer \(index): \(error.message)")
    }
    decompressionBudget -= decompressed.count
    return decompressed
  }

  private mutating func readArray(_ plan: FieldPlan, depth: Int) throws(ArrowError) -> ArrayData {
    guard depth < maximumNestingDepth else { throw .invalid("arrays are nested too deeply") }
    // An extension array is read as its storage; it keeps the extension type.
    let fieldType = plan.field.type
    let type = fieldType.storageType
    let (length, nodeNullCount) = try nextNode(type)
    var nullCount = nodeNullCount
    var buffers: [Buffer?] = []
    var children: [ArrayData] = []
    var dictionary: ArrayData?

    switch type {
    case .union, .runEndEncoded:
      // Before V5, every type but null had a validity buffer slot: unions and run-end encoded
      // arrays carry one, skipped when the node has no nulls. Top-level union nulls have no
      // V5 equivalent (Arrow C++, Go and nanoarrow refuse them too).
      if buffersBeforeV5 {
        guard nodeNullCount == 0 else {
          let nulls = nodeNullCount.map(String.init) ?? "an unknown number"
          throw .notImplemented(
            "cannot read a pre-1.0 (V4 metadata) \(type) array with top-level nulls (\(nulls) of \(length) "
              + "slots): the union validity bitmap was removed in V5")
        }
        _ = try nextBuffer(expected: (length + 7) / 8)
      }
    default: break
    }
    for kind in type.bufferLayout {
      switch kind {
      case .validity:
        let validity = try nextBuffer(expected: (length + 7) / 8)
        buffers.append(nodeNullCount == 0 || validity.isEmpty ? nil : validity)
      case .variadicData:
        guard let variadicCounts else {
          throw .invalid("\(type) array needs variadic buffer counts, but the batch has none")
        }
        guard variadicIndex < variadicCounts.count else {
          throw .invalid("the batch has \(variadicCounts.count) variadic buffer counts, too few for its view arrays")
        }
        let count = variadicCounts[variadicIndex]
        variadicIndex += 1
        guard count >= 0, count <= Int64(specs.count - bufferIndex) else {
          throw .invalid("variadic buffer count \(count) exceeds the \(specs.count - bufferIndex) buffers left")
        }
        for _ in 0..<Int(count) { buffers.append(try nextBuffer(expected: nil)) }
      default:
        let buffer = try nextBuffer(expected: try expectedSize(kind, type: type, length: length))
        buffers.append(bigEndian ? ByteOrder.toNative(buffer, kind: kind, type: type) : buffer)
      }
    }

    switch type {
    case .null:
      nullCount = length
    case .fixedSizeList(_, let size):
      let (values, overflow) = length.multipliedReportingOverflow(by: size)
      guard !overflow, values <= BatchReader.maximumLength else {
        throw .invalid("fixed-size list array of length \(length) and size \(size) is too large")
      }
    case .union, .runEndEncoded:
      nullCount = 0
    case .dictionary:
      guard let id = plan.dictionaryID, let values = dictionaries[id] else {
        throw .invalid("dictionary \(plan.dictionaryID ?? -1) has not been received")
      }
      dictionary = values
    default:
      break
    }
    for child in plan.children where plan.dictionaryID == nil {
      children.append(try readArray(child, depth: depth + 1))
    }
    if case .runEndEncoded = type, let runEnds = children.first {
      // ArrowCore reads the run ends while checking their parent: check them on their own first.
      try runEnds.validate(.safe)
    }
    return ArrayData(
      type: fieldType, length: length, offset: 0, nullCount: nullCount, buffers: buffers, children: children,
      dictionary: dictionary)
  }

  private func expectedSize(_ kind: BufferKind, type: DataType, length: Int) throws(ArrowError) -> Int? {
    switch kind {
    case .validity, .bitmap: return (length + 7) / 8
    case .fixedWidth(let width):
      let (size, overflow) = length.multipliedReportingOverflow(by: width)
      guard !overflow, size <= BatchReader.maximumLength else {
        throw .invalid("\(type) array of length \(length) would need more than \(BatchReader.maximumLength) bytes")
      }
      return size
    case .offsets32, .offsets64:
      let width = kind == .offsets32 ? 4 : 8
      switch type {
      case .listView, .largeListView: return length * width
      default: return (length + 1) * width
      }
    case .sizes32: return length * 4
    case .sizes64: return length * 8
    case .views: return length * 16
    case .typeIds: return length
    case .unionOffsets: return length * 4
    case .data, .variadicData: return nil
    }
  }
}

extension MetadataVersion: Comparable {
  package static func < (lhs: MetadataVersion, rhs: MetadataVersion) -> Bool { lhs.rawValue < rhs.rawValue }
}
