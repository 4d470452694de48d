// The IPC file format: `ARROW1`, the stream's messages, a footer indexing the dictionary and
// record batch messages, and `ARROW1` again. Random access to batches through the footer.

public import ArrowCore
public import Foundation

/// Writes the Arrow IPC file format to memory or to a file.
///
/// A file may carry one dictionary per dictionary field, plus deltas
/// (``IPCWriteOptions/emitDictionaryDeltas``); a batch whose dictionary was replaced by
/// another is refused, as the format cannot express replacements.
///
/// ```swift
/// let writer = try IPCFileWriter(schema: schema, path: "data.arrow")
/// try writer.write(batch)
/// try writer.finish()
/// ```
public final class IPCFileWriter {
  /// The schema of every batch.
  public let schema: Schema
  private var encoder: IPCEncoder
  private let sink: ByteSink
  private var dictionaryBlocks: [IPCBlock] = []
  private var batchBlocks: [IPCBlock] = []
  private let footerMetadata: KeyValueMetadata
  private var finished = false

  /// The words of the error ``write(_:customMetadata:)`` throws for a replaced dictionary.
  package static let dictionaryReplacementRefusal = "the IPC file format cannot replace a dictionary"

  private init(
    schema: Schema, sink: ByteSink, options: IPCWriteOptions, metadata: KeyValueMetadata
  ) throws(ArrowError) {
    var fileOptions = options
    fileOptions.legacyFraming = false
    self.schema = schema
    self.sink = sink
    footerMetadata = metadata
    encoder = try IPCEncoder(schema: schema, options: fileOptions)
    try sink.write(ArrowFileFormat.header)
    try sink.write(encoder.encodeSchema(), legacy: false, alignment: fileOptions.alignment)
  }

  /// A writer that collects the file in memory; ``finish()`` returns it.
  public convenience init(
    schema: Schema, options: IPCWriteOptions = IPCWriteOptions(), footerMetadata: KeyValueMetadata = KeyValueMetadata()
  ) throws(ArrowError) {
    try self.init(schema: schema, sink: ByteSink(), options: options, metadata: footerMetadata)
  }

  /// A writer to an open file handle positioned at the start of the file (left open by ``finish()``).
  public convenience init(
    schema: Schema, fileHandle: FileHandle, options: IPCWriteOptions = IPCWriteOptions(),
    footerMetadata: KeyValueMetadata = KeyValueMetadata()
  ) throws(ArrowError) {
    try self.init(
      schema: schema, sink: ByteSink(handle: fileHandle, closeWhenDone: false), options: options,
      metadata: footerMetadata)
  }

  /// A writer to the file at `path` (created or truncated; closed by ``finish()``).
  public convenience init(
    schema: Schema, path: String, options: IPCWriteOptions = IPCWriteOptions(),
    footerMetadata: KeyValueMetadata = KeyValueMetadata()
  ) throws(ArrowError) {
    try self.init(schema: schema, sink: try ByteSink(path: path), options: options, metadata: footerMetadata)
  }

  private func writeMessage(_ message: EncodedMessage) throws(ArrowError) -> IPCBlock {
    let offset = sink.position
    let metadataLength = try sink.write(message, legacy: false, alignment: encoder.options.alignment)
    return IPCBlock(
      offset: Int64(offset), metaDataLength: Int32(metadataLength), bodyLength: Int64(message.bodyLength))
  }

  /// Writes `batch`, preceded by the dictionary batches it needs.
  public func write(_ batch: RecordBatch, customMetadata: KeyValueMetadata = KeyValueMetadata()) throws(ArrowError) {
    guard !finished else { throw .invalid("the file writer is finished") }
    var next = encoder  // the encoder's dictionary state changes only when the batch is accepted
    let updates = try next.dictionaryUpdates(for: batch)
    if let replaced = updates.first(where: \.isReplacement) {
      throw .invalid(
        "dictionary \(replaced.id) changed between batches: \(Self.dictionaryReplacementRefusal) "
          + "(only deltas, with emitDictionaryDeltas, when values are appended)")
    }
    let batchMessage = try next.encodeRecordBatch(batch, customMetadata: customMetadata)
    encoder = next
    for update in updates { dictionaryBlocks.append(try writeMessage(update.message)) }
    batchBlocks.append(try writeMessage(batchMessage))
  }

  /// Writes every batch of `table`.
  public func write(_ table: Table) throws(ArrowError) {
    for batch in table.toBatches() { try write(batch) }
  }

  /// Writes the end-of-stream marker, the footer and the trailer, and flushes. Returns the
  /// whole file for an in-memory writer, an empty buffer for a file writer.
  @discardableResult public func finish() throws(ArrowError) -> Buffer {
    guard !finished else { throw .invalid("the file writer is already finished") }
    finished = true
    try sink.write(MessageFraming.endOfStreamBytes)
    let footer = IPCFooter(
      version: .v5, schema: encoder.ipcSchema, dictionaries: dictionaryBlocks, recordBatches: batchBlocks,
      metadata: SchemaMapping.keyValues(footerMetadata)
    ).flatBuffer()
    try sink.write(footer)
    try sink.write(ArrowFileFormat.trailer(footerLength: footer.count))
    return try sink.finish()
  }

  /// Writes `batches` of `schema` as one file and returns its bytes.
  public static func serialize(
    _ batches: [RecordBatch], schema: Schema, options: IPCWriteOptions = IPCWriteOptions()
  ) throws(ArrowError) -> Buffer {
    let writer = try IPCFileWriter(schema: schema, options: options)
    for batch in batches { try writer.write(batch) }
    return try writer.finish()
  }
}

/// Reads the Arrow IPC file format with random access to its record batches.
///
/// The footer's schema and every dictionary are read at creation; ``recordBatch(at:)`` then
/// decodes any batch on its own. Arrays view the file's bytes in place (no copy).
///
/// ```swift
/// let reader = try IPCFileReader(contentsOfFile: "data.arrow")
/// let last = try reader.recordBatch(at: reader.recordBatchCount - 1)
/// ```
public struct IPCFileReader: Sendable {
  /// The file's schema (from the footer).
  public let schema: Schema
  /// The footer's custom metadata.
  public let footerMetadata: KeyValueMetadata
  private let file: Buffer
  private let blocks: [IPCBlock]
  private let decoder: IPCDecoder
  private let plan: SchemaPlan

  /// A reader over the file in `buffer`.
  public init(_ buffer: Buffer, options: IPCReadOptions = IPCReadOptions()) throws(ArrowError) {
    file = buffer
    let footer = try FooterView(try ArrowFileFormat.footer(in: buffer))
    guard let schemaView = try footer.schema() else { throw .invalid("the file footer has no schema") }
    var decoder = try IPCDecoder(ipcSchema: try schemaView.decode(), options: options)
    guard let plan = decoder.schemaPlan else { throw .invalid("the file footer has no schema") }
    for (index, block) in try footer.dictionaries().enumerated() {
      let framed = try ArrowFileFormat.readMessage(in: buffer, block: block)
      guard case .dictionaryBatch = try framed.message.header() else {
        throw .invalid("file dictionary block \(index) does not hold a dictionary batch")
      }
      _ = try decoder.decode(framed.message, body: framed.body)
    }
    self.decoder = decoder
    self.plan = plan
    schema = plan.schema
    blocks = Array(try footer.recordBatches())
    footerMetadata = SchemaMapping.metadata(try footer.customMetadata())
  }

  /// A reader over a copy of `bytes`.
  public init(bytes: [UInt8], options: IPCReadOptions = IPCReadOptions()) throws(ArrowError) {
    try self.init(Buffer(copying: bytes), options: options)
  }

  /// A reader over the file at `path`, mapped into memory (the arrays view the mapping).
  public init(contentsOfFile path: String, options: IPCReadOptions = IPCReadOptions()) throws(ArrowError) {
    try self.init(try mapFile(path), options: options)
  }

  /// The number of record batches.
  public var recordBatchCount: Int { blocks.count }

  /// Record batch `index` with the custom metadata of its message.
  public func recordBatchWithMetadata(at index: Int) throws(ArrowError) -> (RecordBatch, KeyValueMetadata) {
    guard index >= 0, index < blocks.count else {
      throw .outOfBounds("record batch \(index) is outside 0..<\(blocks.count)")
    }
    let framed = try ArrowFileFormat.readMessage(in: file, block: blocks[index])
    guard case .recordBatch(let view) = try framed.message.header() else {
      throw .invalid("file record batch block \(index) does not hold a record batch")
    }
    let version = try framed.message.version()
    guard version == .v4 || version == .v5 else {
      throw .notImplemented("IPC metadata version \(version) is not supported (V4 and V5 are)")
    }
    let bodyLength = try framed.message.bodyLength()
    let batch = try decoder.decodeRecordBatch(
      view, body: MessageBody(framed.body.slice(0..<Int(bodyLength))), version: version, plan: plan)
    return (batch, SchemaMapping.metadata(try framed.message.customMetadata()))
  }

  /// Record batch `index`.
  public func recordBatch(at index: Int) throws(ArrowError) -> RecordBatch {
    try recordBatchWithMetadata(at: index).0
  }

  /// Every record batch, in order.
  public func readAll() throws(ArrowError) -> [RecordBatch] {
    var batches: [RecordBatch] = []
    for index in 0..<blocks.count { batches.append(try recordBatch(at: index)) }
    return batches
  }

  /// Every record batch as a table.
  public func readTable() throws(ArrowError) -> Table {
    try Table(batches: try readAll(), schema: schema)
  }
}

/// The file format's magic and footer.
package enum ArrowFileFormat {
  /// `ARROW1`.
  package static let magic: [UInt8] = Array("ARROW1".utf8)
  /// What a file starts with: the magic and two padding bytes.
  package static let header: [UInt8] = magic + [0, 0]

  /// Whether the magic lies at `offset` of `buffer`.
  package static func hasMagic(_ buffer: Buffer, at offset: Int) -> Bool {
    guard let window = buffer.slice(from: offset, count: magic.count) else { return false }
    return window.elementsEqual(magic)
  }

  /// What a file ends with after the footer flatbuffer: its int32 length, then the magic.
  package static func trailer(footerLength: Int) -> [UInt8] {
    let length = UInt32(footerLength)
    return (0..<4).map { UInt8(truncatingIfNeeded: length >> ($0 * 8)) } + magic
  }

  /// The footer flatbuffer of `file`, checking both magics and the footer length.
  package static func footer(in file: Buffer) throws(ArrowError) -> Buffer {
    let trailerLength = 4 + magic.count
    guard file.count >= header.count + trailerLength else {
      throw .invalid("file of \(file.count) bytes is too short for the Arrow file format")
    }
    guard hasMagic(file, at: 0) else { throw .invalid("file does not start with the ARROW1 magic") }
    guard hasMagic(file, at: file.count - magic.count) else {
      throw .invalid("file does not end with the ARROW1 magic")
    }
    let lengthOffset = file.count - trailerLength
    let length = Int32(littleEndian: file.loadUnaligned(fromByteOffset: lengthOffset, as: Int32.self))
    guard length > 0, Int(length) <= lengthOffset - header.count else {
      throw .invalid("file footer length \(length) does not fit in a \(file.count)-byte file")
    }
    return file.slice((lengthOffset - Int(length))..<lengthOffset)
  }

  /// Reads the message that `block` of a file's footer points to, checking it matches the block.
  package static func readMessage(in file: Buffer, block: IPCBlock) throws(ArrowError) -> FramedMessage {
    guard block.offset >= 0, block.metaDataLength > 0, block.bodyLength >= 0,
      block.offset <= Int64(file.count),
      Int64(block.metaDataLength) <= Int64(file.count) - block.offset,
      block.bodyLength <= Int64(file.count) - block.offset - Int64(block.metaDataLength)
    else {
      throw .invalid(
        "file block (offset \(block.offset), metadata \(block.metaDataLength), body \(block.bodyLength)) "
          + "lies outside the \(file.count)-byte file")
    }
    let start = Int(block.offset)
    let window = file.slice(start..<(start + Int(block.metaDataLength) + Int(block.bodyLength)))
    guard var framed = try MessageFraming.readMessage(from: window, at: 0) else {
      throw .invalid("file block at \(block.offset) holds no message")
    }
    guard framed.metadataLengthWithPrefix == Int(block.metaDataLength), framed.body.count == Int(block.bodyLength)
    else {
      throw .invalid(
        "file block at \(block.offset) declares metadata \(block.metaDataLength) and body \(block.bodyLength) "
          + "but its message has \(framed.metadataLengthWithPrefix) and \(framed.body.count)")
    }
    framed.offset = start
    framed.nextOffset = start + framed.nextOffset
    return framed
  }
}
