// The IPC encoder: schemas, record batches and dictionaries into encoded messages whose
// bodies reference the arrays' own buffers (no copy of the data).

public import ArrowCore

/// The kind of an encoded or decoded IPC message.
public enum IPCMessageKind: Sendable, Hashable {
  /// A `Schema` message.
  case schema
  /// A `DictionaryBatch` message.
  case dictionaryBatch
  /// A `RecordBatch` message.
  case recordBatch
}

/// One encoded IPC message: the `Message` flatbuffer and the body as a list of buffers.
///
/// The body buffers reference the arrays' memory: the encoder copies nothing but the small
/// pieces it must rewrite (offsets of sliced arrays, bitmaps at offsets that are not a multiple
/// of 8, compressed buffers). Each data buffer is followed by its zero padding as a separate
/// small buffer, so that concatenating ``bodyBuffers`` gives exactly ``bodyLength`` bytes.
///
/// ```swift
/// var encoder = try IPCEncoder(schema: batch.schema)
/// let schemaMessage = encoder.encodeSchema()
/// for message in try encoder.encode(batch) {
///   send(message.metadata, message.bodyBuffers)   // e.g. one FlightData each
/// }
/// ```
public struct EncodedMessage: Sendable {
  /// What the message carries.
  public var kind: IPCMessageKind
  /// The `Message` flatbuffer (unframed and unpadded: Flight's `data_header`).
  public var metadata: Buffer
  /// The body: buffers and their zero padding, in order.
  public var bodyBuffers: [Buffer]
  /// The total size of ``bodyBuffers`` (the `bodyLength` written in the metadata).
  public var bodyLength: Int
  /// The dictionary id of a dictionary batch; nil for other messages.
  public var dictionaryID: Int64?
  /// Whether a dictionary batch is a delta (appends to the dictionary) rather than the
  /// dictionary in full.
  public var isDelta: Bool

  /// Creates an encoded message from its parts.
  public init(
    kind: IPCMessageKind, metadata: Buffer, bodyBuffers: [Buffer], bodyLength: Int, dictionaryID: Int64? = nil,
    isDelta: Bool = false
  ) {
    self.kind = kind
    self.metadata = metadata
    self.bodyBuffers = bodyBuffers
    self.bodyLength = bodyLength
    self.dictionaryID = dictionaryID
    self.isDelta = isDelta
  }

  /// The encapsulated prefix and metadata: continuation marker (absent when `legacy`), the
  /// int32 metadata length, the flatbuffer and its zero padding to a multiple of 8 bytes.
  public func framedMetadata(legacy: Bool = false) -> Buffer {
    Buffer(copying: MessageFraming.encapsulate(Array(metadata), legacy: legacy))
  }

  /// The body in one contiguous buffer (a copy, unless it is a single buffer).
  public func contiguousBody() -> Buffer {
    Buffer.concatenating(bodyBuffers)
  }
}

/// The zero bytes that padding slices come from.
let zeroPadding = Buffer.zeroed(count: 64)

/// Turns a `Schema` and its `RecordBatch`es into IPC messages.
///
/// The encoder numbers the dictionary-encoded fields of the schema depth first (0, 1, 2...,
/// as pyarrow does) and keeps, per dictionary id, the last dictionary it sent: ``encode(_:customMetadata:)``
/// emits a dictionary batch the first time, nothing while the dictionary stays the same, a
/// delta when it grew by appending (with ``IPCWriteOptions/emitDictionaryDeltas``), and a
/// replacement otherwise.
public struct IPCEncoder: Sendable {
  /// The schema of every batch.
  public let schema: Schema
  /// The write options.
  public let options: IPCWriteOptions
  let ipcSchema: IPCSchema
  let plan: SchemaPlan
  /// The last dictionary sent, by id.
  private var sentDictionaries: [Int64: ArrayData] = [:]

  /// An encoder for batches of `schema`.
  ///
  /// Throws when the options are invalid or the schema cannot be written (a dictionary of
  /// dictionaries, a non-integer index type).
  public init(schema: Schema, options: IPCWriteOptions = IPCWriteOptions()) throws(ArrowError) {
    try options.check()
    self.schema = schema
    self.options = options
    (ipcSchema, plan) = try SchemaMapping.encode(schema)
  }

  private var version: MetadataVersion { .v5 }

  /// The schema message.
  public func encodeSchema() -> EncodedMessage {
    let message = IPCMessage(version: version, header: .schema(ipcSchema), bodyLength: 0)
    return EncodedMessage(
      kind: .schema, metadata: Buffer(copying: message.flatBuffer()), bodyBuffers: [], bodyLength: 0)
  }

  /// The messages for `batch`: the dictionary batches it needs first (if any), then the record
  /// batch itself (always last).
  ///
  /// - Parameters:
  ///   - batch: A batch of the encoder's schema (field and schema metadata may differ).
  ///   - customMetadata: Key-value metadata of the record batch message.
  public mutating func encode(
    _ batch: RecordBatch, customMetadata: KeyValueMetadata = KeyValueMetadata()
  ) throws(ArrowError) -> [EncodedMessage] {
    // On a copy, so that a failure leaves the dictionary state as it was.
    var next = self
    var messages = try next.encodeDictionaries(for: batch)
    messages.append(try next.encodeRecordBatch(batch, customMetadata: customMetadata))
    self = next
    return messages
  }

  /// The dictionary batches `batch` needs before its record batch: new dictionaries,
  /// replacements and deltas (nested dictionaries come before the dictionaries that use them).
  public mutating func encodeDictionaries(for batch: RecordBatch) throws(ArrowError) -> [EncodedMessage] {
    try checkSchema(batch)
    return try dictionaryUpdates(for: batch).map { update throws(ArrowError) in update.message }
  }

  struct DictionaryUpdate {
    var id: Int64
    var isDelta: Bool
    var isReplacement: Bool
    var message: EncodedMessage
  }

  /// The dictionary messages `batch` needs, with what they are (the file writer refuses replacements).
  mutating func dictionaryUpdates(for batch: RecordBatch) throws(ArrowError) -> [DictionaryUpdate] {
    guard !plan.dictionaryOrder.isEmpty else { return [] }
    var found: [(Int64, ArrayData)] = []
    func collect(_ plan: FieldPlan, _ data: ArrayData) throws(ArrowError) {
      if let id = plan.dictionaryID {
        guard let dictionary = data.dictionary else {
          throw .invalid("dictionary field \"\(plan.field.name)\" has no dictionary")
        }
        for (child, childData) in zip(plan.children, dictionary.children) { try collect(child, childData) }
        found.append((id, dictionary))
      } else {
        for (child, childData) in zip(plan.children, data.children) { try collect(child, childData) }
      }
    }
    for (fieldPlan, column) in zip(plan.fields, batch.columns) { try collect(fieldPlan, column.data) }
    var updates: [DictionaryUpdate] = []
    var sentDictionaries = self.sentDictionaries  // committed only when every update is encoded
    for (id, dictionary) in found {
      guard let valuePlan = plan.dictionaries[id] else { continue }
      if let previous = sentDictionaries[id] {
        if previous.isIdenticalView(of: dictionary) || previous == dictionary { continue }
        if options.emitDictionaryDeltas, dictionary.length > previous.length,
          dictionary.slice(offset: 0, length: previous.length) == previous
        {
          let delta = dictionary.slice(offset: previous.length, length: dictionary.length - previous.length)
          let message = try encodeDictionary(id: id, values: delta, plan: valuePlan, isDelta: true)
          updates.append(DictionaryUpdate(id: id, isDelta: true, isReplacement: false, message: message))
          sentDictionaries[id] = dictionary
          continue
        }
        let message = try encodeDictionary(id: id, values: dictionary, plan: valuePlan, isDelta: false)
        updates.append(DictionaryUpdate(id: id, isDelta: false, isReplacement: true, message: message))
      } else {
        let message = try encodeDictionary(id: id, values: dictionary, plan: valuePlan, isDelta: false)
        updates.append(DictionaryUpdate(id: id, isDelta: false, isReplacement: false, message: message))
      }
      sentDictionaries[id] = dictionary
    }
    self.sentDictionaries = sentDictionaries
    return updates
  }

  /// The record batch message of `batch` alone (its dictionaries must have been sent already,
  /// see ``encodeDictionaries(for:)``).
  public func encodeRecordBatch(
    _ batch: RecordBatch, customMetadata: KeyValueMetadata = KeyValueMetadata()
  ) throws(ArrowError) -> EncodedMessage {
    try checkSchema(batch)
    var body = BodyWriter(options: options)
    for (fieldPlan, column) in zip(plan.fields, batch.columns) {
      do { try body.append(column.data, fieldPlan) } catch {
        throw ArrowError(error.kind, "column \"\(fieldPlan.field.name)\": \(error.message)")
      }
    }
    return body.finish(
      kind: .recordBatch, length: batch.length, version: version, customMetadata: customMetadata, dictionary: nil)
  }

  private func encodeDictionary(
    id: Int64, values: ArrayData, plan: FieldPlan, isDelta: Bool
  ) throws(ArrowError) -> EncodedMessage {
    var body = BodyWriter(options: options)
    do { try body.append(values, plan) } catch {
      throw ArrowError(error.kind, "dictionary \(id): \(error.message)")
    }
    return body.finish(
      kind: .dictionaryBatch, length: values.length, version: version, customMetadata: KeyValueMetadata(),
      dictionary: (id, isDelta))
  }

  /// The batch must have the encoder's schema, metadata aside (as Arrow C++'s writers check).
  private func checkSchema(_ batch: RecordBatch) throws(ArrowError) {
    guard batch.schema.isEquivalent(to: schema) else {
      throw .typeMismatch(
        "the batch's schema differs from the encoder's schema:\n\(batch.schema)\nexpected:\n\(schema)")
    }
  }
}

extension ArrayData {
  /// Whether both view the same buffers with the same window (a cheap "unchanged" test).
  func isIdenticalView(of other: ArrayData) -> Bool {
    guard type == other.type, length == other.length, offset == other.offset,
      buffers.count == other.buffers.count, children.count == other.children.count
    else { return false }
    for (a, b) in zip(buffers, other.buffers) {
      switch (a, b) {
      case (nil, nil): continue
      case (let a?, let b?) where a.isIdentical(to: b): continue
      default: return false
      }
    }
    for (a, b) in zip(children, other.children) where !a.isIdenticalView(of: b) { return false }
    switch (dictionary, other.dictionary) {
    case (nil, nil): return true
    case (let a?, let b?): return a.isIdenticalView(of: b)
    default: return false
    }
  }
}

// MARK: - Body writing

/// Lays out the field nodes and body buffers of one record batch.
struct BodyWriter {
  let alignment: Int
  let codec: CompressionCodec?
  let level: Int32?
  var nodes: [IPCFieldNode] = []
  var specs: [IPCBufferSpec] = []
  var parts: [Buffer] = []
  var position = 0
  var variadicCounts: [Int64] = []
  var hasViews = false

  init(options: IPCWriteOptions) {
    alignment = options.alignment
    codec = options.compression?.codec
    level = options.compressionLevel
  }

  mutating func addBuffer(_ buffer: Buffer) throws(ArrowError) {
    let stored =
      try codec.map { codec throws(ArrowError) in
        try BodyBufferCompression.compress(buffer, codec: codec, level: level)
      } ?? buffer
    specs.append(IPCBufferSpec(offset: Int64(position), length: Int64(stored.count)))
    if !stored.isEmpty { parts.append(stored) }
    position += stored.count
    let pad = MessageFraming.padding(for: stored.count, alignment: alignment)
    if pad > 0 {
      parts.append(zeroPadding.slice(0..<pad))
      position += pad
    }
  }

  func finish(
    kind: IPCMessageKind, length: Int, version: MetadataVersion, customMetadata: KeyValueMetadata,
    dictionary: (id: Int64, isDelta: Bool)?
  ) -> EncodedMessage {
    let batch = IPCRecordBatch(
      length: Int64(length), nodes: nodes, buffers: specs, compression: codec.map { IPCBodyCompression(codec: $0) },
      variadicBufferCounts: hasViews ? variadicCounts : nil)
    let header: IPCMessageHeader =
      if let dictionary {
        .dictionaryBatch(IPCDictionaryBatch(id: dictionary.id, data: batch, isDelta: dictionary.isDelta))
      } else {
        .recordBatch(batch)
      }
    let message = IPCMessage(
      version: version, header: header, bodyLength: Int64(position),
      metadata: SchemaMapping.keyValues(customMetadata))
    return EncodedMessage(
      kind: kind, metadata: Buffer(copying: message.flatBuffer()), bodyBuffers: parts, bodyLength: position,
      dictionaryID: dictionary?.id, isDelta: dictionary?.isDelta ?? false)
  }

  /// Appends the node and buffers of `data` (and of its children), depth first.
  mutating func append(_ data: ArrayData, _ plan: FieldPlan) throws(ArrowError) {
    let length = data.length
    let offset = data.offset
    guard length >= 0, offset >= 0 else { throw .invalid("array has length \(length) and offset \(offset)") }
    let type = data.type.storageType  // an extension array is written as its storage
    switch type {
    case .null:
      nodes.append(IPCFieldNode(length: Int64(length), nullCount: Int64(length)))
    case .union, .runEndEncoded:
      nodes.append(IPCFieldNode(length: Int64(length), nullCount: 0))
    default:
      nodes.append(IPCFieldNode(length: Int64(length), nullCount: Int64(data.nullCount)))
    }
    func children(_ expected: Int) throws(ArrowError) {
      guard data.children.count == expected, plan.children.count == expected else {
        throw .invalid("\(type) array has \(data.children.count) children, expected \(expected)")
      }
    }
    switch type {
    case .null:
      return
    case .bool:
      try addBuffer(validity(data))
      try addBuffer(bitmapSlice(data.buffer(1), offset: offset, length: length, what: "boolean data"))
    case .binary, .string, .largeBinary, .largeString:
      let width = (type == .binary || type == .string) ? 4 : 8
      try addBuffer(validity(data))
      let (offsets, range) = try zeroBasedOffsets(data, width: width)
      try addBuffer(offsets)
      try addBuffer(checkedSlice(data.buffer(2), range.lowerBound, range.count, "data"))
    case .binaryView, .stringView:
      try addBuffer(validity(data))
      try addBuffer(checkedSlice(data.buffer(1), offset * 16, length * 16, "views"))
      let variadic = data.buffers.dropFirst(2)
      for buffer in variadic { try addBuffer(buffer ?? Buffer.empty) }
      hasViews = true
      variadicCounts.append(Int64(variadic.count))
    case .list, .largeList, .map:
      try children(1)
      let width = type.bufferLayout[1] == .offsets32 ? 4 : 8
      try addBuffer(validity(data))
      let (offsets, range) = try zeroBasedOffsets(data, width: width)
      try addBuffer(offsets)
      try append(checkedSlice(data.children[0], range.lowerBound, range.count), plan.children[0])
    case .listView, .largeListView:
      try children(1)
      let width = type.bufferLayout[1] == .offsets32 ? 4 : 8
      try addBuffer(validity(data))
      try addBuffer(checkedSlice(data.buffer(1), offset * width, length * width, "offsets"))
      try addBuffer(checkedSlice(data.buffer(2), offset * width, length * width, "sizes"))
      try append(data.children[0], plan.children[0])
    case .fixedSizeList(_, let size):
      try children(1)
      try addBuffer(validity(data))
      try append(checkedSlice(data.children[0], offset * size, length * size), plan.children[0])
    case .struct(let fields):
      try children(fields.count)
      try addBuffer(validity(data))
      for (child, childPlan) in zip(data.children, plan.children) {
        try append(checkedSlice(child, offset, length), childPlan)
      }
    case .union(let mode, let fields, _):
      try children(fields.count)
      try addBuffer(checkedSlice(data.buffer(0), offset, length, "type ids"))
      if mode == .sparse {
        for (child, childPlan) in zip(data.children, plan.children) {
          try append(checkedSlice(child, offset, length), childPlan)
        }
      } else {
        try addBuffer(checkedSlice(data.buffer(1), offset * 4, length * 4, "union offsets"))
        for (child, childPlan) in zip(data.children, plan.children) { try append(child, childPlan) }
      }
    case .runEndEncoded:
      try children(2)
      let (runEnds, values) = try trimmedRuns(data)
      try append(runEnds, plan.children[0])
      try append(values, plan.children[1])
    case .dictionary(let index, _, _):
      let width = index.byteWidth ?? 4
      try addBuffer(validity(data))
      try addBuffer(checkedSlice(data.buffer(1), offset * width, length * width, "indices"))
    default:
      guard let width = type.byteWidth else { throw .notImplemented("cannot encode arrays of type \(type)") }
      try addBuffer(validity(data))
      try addBuffer(checkedSlice(data.buffer(1), offset * width, length * width, "data"))
    }
  }
}

// MARK: - Slicing helpers

private func checkedSlice(_ buffer: Buffer, _ start: Int, _ count: Int, _ what: String) throws(ArrowError) -> Buffer {
  if count == 0 { return Buffer.empty }
  guard let slice = buffer.slice(from: start, count: count) else {
    throw .invalid("\(what) buffer of \(buffer.count) bytes is too short for bytes \(start)..<\(start + count)")
  }
  return slice
}

private func checkedSlice(_ data: ArrayData, _ start: Int, _ count: Int) throws(ArrowError) -> ArrayData {
  guard start >= 0, count >= 0, start <= data.length, count <= data.length - start else {
    throw .invalid("child of length \(data.length) is too short for slots \(start)..<\(start + count)")
  }
  if start == 0 && count == data.length { return data }
  return data.slice(offset: start, length: count)
}

/// The validity bitmap to send: empty when there are no nulls, re-aligned when the offset is
/// not a multiple of 8.
private func validity(_ data: ArrayData) throws(ArrowError) -> Buffer {
  guard data.nullCount > 0, let validity = data.validity else { return Buffer.empty }
  return try bitmapSlice(validity, offset: data.offset, length: data.length, what: "validity")
}

/// `length` bits of `buffer` from bit `offset`, as a bitmap starting at bit 0: a view when
/// `offset` is a multiple of 8, a shifted copy otherwise.
func bitmapSlice(_ buffer: Buffer, offset: Int, length: Int, what: String) throws(ArrowError) -> Buffer {
  if length == 0 { return Buffer.empty }
  let byteCount = (length + 7) / 8
  guard (offset + length + 7) / 8 <= buffer.count else {
    throw .invalid("\(what) bitmap of \(buffer.count) bytes is too short for bits \(offset)..<\(offset + length)")
  }
  if offset % 8 == 0 { return buffer.slice((offset / 8)..<(offset / 8 + byteCount)) }
  let shift = UInt8(offset % 8)
  let start = offset / 8
  return buffer.withUnsafeBytes { source in
    Buffer(unsafeUninitializedCount: byteCount) { output in
      for index in 0..<byteCount {
        let low = source[start + index] >> shift
        let high = start + index + 1 < source.count ? source[start + index + 1] << (8 - shift) : 0
        output[index] = low | high
      }
      if length % 8 != 0 { output[byteCount - 1] &= UInt8((1 << (length % 8)) - 1) }
    }
  }
}

/// The offsets of slots `offset...offset+length` starting at zero (a view when they already do,
/// a rebased copy otherwise), and the range of values they address.
private func zeroBasedOffsets(_ data: ArrayData, width: Int) throws(ArrowError) -> (Buffer, Range<Int>) {
  let length = data.length
  if length == 0 { return (Buffer.empty, 0..<0) }
  let offsets = data.buffer(1)
  let start = data.offset * width
  let count = (length + 1) * width
  guard let window = offsets.slice(from: start, count: count) else {
    throw .invalid(
      "offsets buffer of \(offsets.count) bytes is too short for slots \(data.offset)...\(data.offset + length)")
  }
  func read(_ index: Int) -> Int {
    width == 4
      ? Int(window.loadUnaligned(fromByteOffset: index * 4, as: Int32.self))
      : Int(window.loadUnaligned(fromByteOffset: index * 8, as: Int64.self))
  }
  let first = read(0)
  let last = read(length)
  guard first >= 0, last >= first else { throw .invalid("offsets \(first)...\(last) are not increasing") }
  if first == 0 { return (window, 0..<last) }
  let rebased = window.withUnsafeBytes { source in
    Buffer(unsafeUninitializedCount: count) { output in
      if width == 4 {
        let base = Int32(first)
        for index in 0...length {
          let value = source.loadUnaligned(fromByteOffset: index * 4, as: Int32.self) &- base
          output.storeBytes(of: value, toByteOffset: index * 4, as: Int32.self)
        }
      } else {
        let base = Int64(first)
        for index in 0...length {
          let value = source.loadUnaligned(fromByteOffset: index * 8, as: Int64.self) &- base
          output.storeBytes(of: value, toByteOffset: index * 8, as: Int64.self)
        }
      }
    }
  }
  return (rebased, first..<last)
}

/// The run ends and values of a run-end encoded array, rewritten to cover exactly slots
/// `offset..<offset+length` when the array is a slice (unchanged views otherwise).
private func trimmedRuns(_ data: ArrayData) throws(ArrowError) -> (ArrayData, ArrayData) {
  let runEnds = data.children[0]
  let values = data.children[1]
  if data.offset == 0 { return (runEnds, values) }
  let width = runEnds.type.byteWidth ?? 4
  let ends = runEnds.buffer(1)
  guard ends.count >= (runEnds.offset + runEnds.length) * width else {
    throw .invalid("run ends buffer is too short")
  }
  func end(_ run: Int) -> Int {
    let at = (runEnds.offset + run) * width
    switch width {
    case 2: return Int(ends.loadUnaligned(fromByteOffset: at, as: Int16.self))
    case 4: return Int(ends.loadUnaligned(fromByteOffset: at, as: Int32.self))
    default: return Int(ends.loadUnaligned(fromByteOffset: at, as: Int64.self))
    }
  }
  let first = data.offset
  let stop = data.offset + data.length
  // The first run ending after `first`, and the first run ending at or after `stop`.
  var low = 0
  while low < runEnds.length && end(low) <= first { low += 1 }
  var high = low
  while high < runEnds.length && end(high) < stop { high += 1 }
  let runCount = data.length == 0 ? 0 : min(high + 1, runEnds.length) - low
  guard runCount >= 0, low + runCount <= values.length else { throw .invalid("run ends do not cover the array") }
  let newEnds = Buffer(unsafeUninitializedCount: runCount * width) { output in
    for run in 0..<runCount {
      let value = min(end(low + run), stop) - first
      switch width {
      case 2: output.storeBytes(of: Int16(truncatingIfNeeded: value), toByteOffset: run * 2, as: Int16.self)
      case 4: output.storeBytes(of: Int32(truncatingIfNeeded: value), toByteOffset: run * 4, as: Int32.self)
      default: output.storeBytes(of: Int64(value), toByteOffset: run * 8, as: Int64.self)
      }
    }
  }
  let trimmedEnds = ArrayData(type: runEnds.type, length: runCount, nullCount: 0, buffers: [nil, newEnds])
  return (trimmedEnds, try checkedSlice(values, low, runCount))
}
