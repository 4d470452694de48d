// Record batches, chunked arrays and tables.

/// Columns of equal length under a ``Schema``.
///
/// ```swift
/// let batch = try RecordBatch([("id", Int64Array([1, 2])), ("name", StringArray(["a", nil]))])
/// print(batch)
/// // pyarrow.RecordBatch
/// // id: int64
/// // name: string
/// // ----
/// // id: [1,2]
/// // name: ["a",null]
/// ```
public struct RecordBatch: Sendable, Equatable, CustomStringConvertible {
  /// The schema.
  public let schema: Schema
  /// The columns, in schema order.
  public let columns: [any ArrowArray]
  /// The number of rows.
  public let length: Int

  /// A batch of `columns` under `schema`.
  ///
  /// Throws when the column count, a column type or a column length does not match, or a
  /// non-nullable field has nulls. `length` is needed only for a batch without columns.
  public init(schema: Schema, columns: [any ArrowArray], length: Int? = nil) throws(ArrowError) {
    guard schema.fields.count == columns.count else {
      throw .invalid("schema has \(schema.fields.count) fields but \(columns.count) columns were given")
    }
    let rows = length ?? columns.first?.length ?? 0
    for (field, column) in zip(schema.fields, columns) {
      guard column.type == field.type else {
        throw .typeMismatch("column \"\(field.name)\" has type \(column.type), the schema says \(field.type)")
      }
      guard column.length == rows else {
        throw .invalid("column \"\(field.name)\" has \(column.length) rows, expected \(rows)")
      }
      guard field.nullable || column.nullCount == 0 else {
        throw .invalid("column \"\(field.name)\" is not nullable but has \(column.nullCount) nulls")
      }
    }
    self.schema = schema
    self.columns = columns
    self.length = rows
  }

  /// A batch of named columns (nullable fields of the columns' types).
  public init(_ columns: [(String, any ArrowArray)], metadata: KeyValueMetadata = KeyValueMetadata()) throws(ArrowError)
  {
    try self.init(
      schema: Schema(columns.map { Field($0.0, $0.1.type) }, metadata: metadata), columns: columns.map { $0.1 })
  }

  /// A batch from a struct array's fields (its validity is ignored).
  public init(_ structArray: StructArray) throws(ArrowError) {
    try self.init(schema: Schema(structArray.fields), columns: structArray.columns, length: structArray.length)
  }

  /// The number of columns.
  public var columnCount: Int { columns.count }

  /// Column `index`.
  public func column(at index: Int) -> any ArrowArray { columns[index] }

  /// The first column named `name`, or `nil`.
  public func column(named name: String) -> (any ArrowArray)? { schema.index(of: name).map { columns[$0] } }

  /// The first column named `name` as an `A`, or `nil` when absent or of another type.
  public func column<A: ArrowArray>(named name: String, as: A.Type) -> A? { column(named: name) as? A }

  /// A zero-copy view of `length` rows starting at `offset`.
  public func slice(offset: Int, length: Int) -> RecordBatch {
    precondition(offset >= 0 && length >= 0 && offset + length <= self.length, "slice outside 0..<\(self.length)")
    return RecordBatch(
      uncheckedSchema: schema, columns: columns.map { $0.sliceErased(offset: offset, length: length) }, length: length)
  }

  init(uncheckedSchema schema: Schema, columns: [any ArrowArray], length: Int) {
    self.schema = schema
    self.columns = columns
    self.length = length
  }

  /// Validates every column fully.
  public func validate() throws(ArrowError) {
    for (field, column) in zip(schema.fields, columns) {
      do { try column.validate() } catch { throw ArrowError(error.kind, "column \"\(field.name)\": \(error.message)") }
    }
  }

  /// The batch as one struct array (no copy of the columns).
  public func toStructArray() -> StructArray {
    StructArray(fields: schema.fields, columns: columns, length: length)
  }

  /// A copy with other schema metadata.
  public func withMetadata(_ metadata: KeyValueMetadata) -> RecordBatch {
    RecordBatch(uncheckedSchema: Schema(schema.fields, metadata: metadata), columns: columns, length: length)
  }

  /// Same schema (metadata included) and logically equal columns.
  public static func == (lhs: RecordBatch, rhs: RecordBatch) -> Bool {
    lhs.schema == rhs.schema && lhs.length == rhs.length
      && zip(lhs.columns, rhs.columns).allSatisfy { $0.data == $1.data }
  }

  /// pyarrow's `to_string()`: the type header, the schema, `----`, then one line per column.
  public func toString(window: Int = 10) -> String {
    var lines = ["pyarrow.RecordBatch", schema.description, "----"]
    for (field, column) in zip(schema.fields, columns) {
      lines.append("\(field.name): \(formatInline(column, window: window))")
    }
    return lines.joined(separator: "\n")
  }

  /// ``toString(window:)``.
  public var description: String { toString() }
}

/// A logical column made of chunks (arrays of one type).
public struct ChunkedArray: Sendable, Equatable, CustomStringConvertible {
  /// The type of every chunk.
  public let type: DataType
  /// The chunks.
  public let chunks: [any ArrowArray]
  /// The total number of slots.
  public let length: Int
  /// The first logical slot of each chunk, then ``length``: `chunks.count + 1` ascending
  /// values, so finding the chunk of a slot is a binary search.
  let starts: [Int]

  /// Chunks of `type` (needed when there are no chunks).
  public init(_ chunks: [any ArrowArray], type: DataType? = nil) throws(ArrowError) {
    guard let resolved = type ?? chunks.first?.type else {
      throw .invalid("a chunked array without chunks needs a type")
    }
    for (index, chunk) in chunks.enumerated() where chunk.type != resolved {
      throw .typeMismatch("chunk \(index) has type \(chunk.type), expected \(resolved)")
    }
    self.init(unchecked: chunks, type: resolved)
  }

  init(unchecked chunks: [any ArrowArray], type: DataType) {
    ChunkVisits.record(chunks.count)
    var starts: [Int] = []
    starts.reserveCapacity(chunks.count + 1)
    var position = 0
    for chunk in chunks {
      starts.append(position)
      position += chunk.length
    }
    starts.append(position)
    self.type = type
    self.chunks = chunks
    self.length = position
    self.starts = starts
  }

  /// The total number of nulls.
  public var nullCount: Int {
    ChunkVisits.record(chunks.count)
    return chunks.reduce(0) { $0 + $1.nullCount }
  }

  /// The index of the chunk holding logical slot `index` (`0 <= index < length`): the last
  /// chunk starting at or before it, empty chunks skipped. O(log chunks).
  func chunkIndex(_ index: Int) -> Int {
    var low = 0
    var high = chunks.count  // starts[high] > index
    while high - low > 1 {
      ChunkVisits.record()
      let middle = (low + high) / 2
      if starts[middle] <= index { low = middle } else { high = middle }
    }
    return low
  }

  /// The chunk and the slot within it of logical slot `index`.
  public func locate(_ index: Int) -> (chunk: Int, slot: Int) {
    precondition(index >= 0 && index < length, "index \(index) is outside 0..<\(length)")
    let chunk = chunkIndex(index)
    return (chunk, index - starts[chunk])
  }

  /// Whether logical slot `index` is null.
  public func isNull(_ index: Int) -> Bool {
    let (chunk, slot) = locate(index)
    return chunks[chunk].isNull(slot)
  }

  /// Slot `index` as it prints.
  public func formatSlot(_ index: Int) -> String {
    let (chunk, slot) = locate(index)
    return chunks[chunk].formatSlot(slot)
  }

  /// The value of slot `index`, typed, or `nil` when null or of another array type.
  public func value<A: ArrowArray>(at index: Int, as: A.Type) -> A.Value? {
    let (chunk, slot) = locate(index)
    return (chunks[chunk] as? A)?[slot] ?? nil
  }

  /// A zero-copy view of `length` slots starting at `offset` (chunks are sliced, empty ones
  /// dropped). O(log chunks + the chunks it keeps).
  public func slice(offset: Int, length: Int) -> ChunkedArray {
    precondition(offset >= 0 && length >= 0 && offset + length <= self.length, "slice outside 0..<\(self.length)")
    var result: [any ArrowArray] = []
    guard length > 0 else { return ChunkedArray(unchecked: result, type: type) }
    var chunk = chunkIndex(offset)
    var skip = offset - starts[chunk]
    var remaining = length
    while remaining > 0 {
      ChunkVisits.record()
      let current = chunks[chunk]
      let take = min(current.length - skip, remaining)
      if take > 0 {
        result.append(skip == 0 && take == current.length ? current : current.sliceErased(offset: skip, length: take))
      }
      remaining -= take
      skip = 0
      chunk += 1
    }
    return ChunkedArray(unchecked: result, type: type)
  }

  /// Equivalent types and logically equal slots, whatever the chunking. O(slots + chunks).
  public static func == (lhs: ChunkedArray, rhs: ChunkedArray) -> Bool {
    guard lhs.length == rhs.length, lhs.type.isEquivalent(to: rhs.type) else { return false }
    // Walk both chunk lists at once, comparing the runs where a chunk of each overlaps.
    var (left, right) = (0, 0)
    var (leftSlot, rightSlot) = (0, 0)
    var remaining = lhs.length
    while remaining > 0 {
      ChunkVisits.record()
      let a = lhs.chunks[left]
      let b = rhs.chunks[right]
      let run = min(a.length - leftSlot, b.length - rightSlot)
      if run > 0 {
        let whole = leftSlot == 0 && rightSlot == 0 && run == a.length && run == b.length
        let equal =
          whole
          ? a.data == b.data
          : a.sliceErased(offset: leftSlot, length: run).data == b.sliceErased(offset: rightSlot, length: run).data
        if !equal { return false }
      }
      leftSlot += run
      rightSlot += run
      remaining -= run
      if leftSlot == a.length { (left, leftSlot) = (left + 1, 0) }
      if rightSlot == b.length { (right, rightSlot) = (right + 1, 0) }
    }
    return true
  }

  /// `[[1,2],[3]]`: one inline list per chunk.
  public var description: String { "[" + chunks.map { formatChunk($0) }.joined(separator: ",") + "]" }

  /// One chunk inline (a visit, for the counter).
  func formatChunk(_ chunk: any ArrowArray, window: Int = 10) -> String {
    ChunkVisits.record()
    return formatInline(chunk, window: window)
  }
}

/// A schema plus chunked columns of equal length.
///
/// ```swift
/// let table = try Table(batches: [batch1, batch2])
/// table.column(named: "id")?.length
/// try table.toBatches()
/// ```
public struct Table: Sendable, Equatable, CustomStringConvertible {
  /// The schema.
  public let schema: Schema
  /// The columns, in schema order.
  public let columns: [ChunkedArray]
  /// The number of rows.
  public let length: Int

  /// A table of `columns` under `schema`; throws when counts, types or lengths differ.
  public init(schema: Schema, columns: [ChunkedArray]) throws(ArrowError) {
    guard schema.fields.count == columns.count else {
      throw .invalid("schema has \(schema.fields.count) fields but \(columns.count) columns were given")
    }
    let rows = columns.first?.length ?? 0
    for (field, column) in zip(schema.fields, columns) {
      guard column.type == field.type else {
        throw .typeMismatch("column \"\(field.name)\" has type \(column.type), the schema says \(field.type)")
      }
      guard column.length == rows else {
        throw .invalid("column \"\(field.name)\" has \(column.length) rows, expected \(rows)")
      }
    }
    self.schema = schema
    self.columns = columns
    self.length = rows
  }

  /// A table of the `batches`, which must share one schema (`schema` is needed when there are none).
  public init(batches: [RecordBatch], schema: Schema? = nil) throws(ArrowError) {
    guard let resolved = schema ?? batches.first?.schema else {
      throw .invalid("a table without batches needs a schema")
    }
    for (index, batch) in batches.enumerated() where batch.schema.fields != resolved.fields {
      throw .typeMismatch("batch \(index) has schema \(batch.schema.names), expected \(resolved.names)")
    }
    let columns = resolved.fields.indices.map { column in
      ChunkedArray(unchecked: batches.map { $0.columns[column] }, type: resolved.fields[column].type)
    }
    try self.init(schema: resolved, columns: columns)
  }

  /// A table of named single-chunk columns.
  public init(_ columns: [(String, any ArrowArray)]) throws(ArrowError) {
    try self.init(batches: [RecordBatch(columns)])
  }

  /// The number of columns.
  public var columnCount: Int { columns.count }

  /// The first column named `name`, or `nil`.
  public func column(named name: String) -> ChunkedArray? { schema.index(of: name).map { columns[$0] } }

  /// Column `index`.
  public func column(at index: Int) -> ChunkedArray { columns[index] }

  /// The rows as record batches, split wherever any column's chunk ends (no copy).
  /// O(columns × chunks): one cursor per column walks its chunks once.
  public func toBatches() -> [RecordBatch] {
    guard !columns.isEmpty else { return [] }
    var chunk = [Int](repeating: 0, count: columns.count)  // the current chunk of each column
    var batches: [RecordBatch] = []
    var start = 0
    while start < length {
      // Skip empty chunks, and find where the first chunk to end ends.
      var end = length
      for column in columns.indices {
        let starts = columns[column].starts
        while starts[chunk[column] + 1] <= start {
          ChunkVisits.record()
          chunk[column] += 1
        }
        end = min(end, starts[chunk[column] + 1])
      }
      var sliced: [any ArrowArray] = []
      sliced.reserveCapacity(columns.count)
      for column in columns.indices {
        ChunkVisits.record()
        let current = columns[column].chunks[chunk[column]]
        let skip = start - columns[column].starts[chunk[column]]
        let take = end - start
        sliced.append(skip == 0 && take == current.length ? current : current.sliceErased(offset: skip, length: take))
      }
      batches.append(RecordBatch(uncheckedSchema: schema, columns: sliced, length: end - start))
      start = end
    }
    return batches
  }

  /// A zero-copy view of `length` rows starting at `offset`.
  public func slice(offset: Int, length: Int) -> Table {
    precondition(offset >= 0 && length >= 0 && offset + length <= self.length, "slice outside 0..<\(self.length)")
    return Table(
      unchecked: schema, columns: columns.map { $0.slice(offset: offset, length: length) }, length: length)
  }

  init(unchecked schema: Schema, columns: [ChunkedArray], length: Int) {
    self.schema = schema
    self.columns = columns
    self.length = length
  }

  /// The rows of `tables` one after another (chunks are appended, not copied); the field
  /// lists must be equal, and the first table's metadata is kept.
  public static func concatenate(_ tables: [Table]) throws(ArrowError) -> Table {
    guard let first = tables.first else { throw .invalid("nothing to concatenate") }
    for (index, table) in tables.enumerated() where table.schema.fields != first.schema.fields {
      throw .typeMismatch("table \(index) has schema \(table.schema.names), expected \(first.schema.names)")
    }
    let columns = first.schema.fields.indices.map { column in
      ChunkedArray(unchecked: tables.flatMap { $0.columns[column].chunks }, type: first.schema.fields[column].type)
    }
    return Table(unchecked: first.schema, columns: columns, length: tables.reduce(0) { $0 + $1.length })
  }

  /// Same schema and logically equal columns, whatever the chunking.
  public static func == (lhs: Table, rhs: Table) -> Bool {
    lhs.schema == rhs.schema && lhs.columns == rhs.columns
  }

  /// pyarrow's `to_string()`: `pyarrow.Table`, the schema, `----`, then `name: [[chunk],[chunk]]`.
  public func toString(window: Int = 10) -> String {
    var lines = ["pyarrow.Table", schema.description, "----"]
    for (field, column) in zip(schema.fields, columns) {
      lines.append(
        "\(field.name): [" + column.chunks.map { column.formatChunk($0, window: window) }.joined(separator: ",") + "]")
    }
    return lines.joined(separator: "\n")
  }

  /// ``toString(window:)``.
  public var description: String { toString() }
}

extension RecordBatch {
  /// A batch of the columns named `names`, in that order; throws when one is missing.
  public func select(_ names: [String]) throws(ArrowError) -> RecordBatch {
    var fields: [Field] = []
    var picked: [any ArrowArray] = []
    let byName = schema.firstIndexByName()  // one pass: select costs O(fields + names)
    for name in names {
      guard let index = byName[name] else { throw .invalid("no column named \"\(name)\"") }
      fields.append(schema.fields[index])
      picked.append(columns[index])
    }
    return RecordBatch(
      uncheckedSchema: Schema(fields, metadata: schema.metadata), columns: picked, length: length)
  }

  /// A batch with `column` appended as field `field`; throws when the length or type differs.
  public func appending(_ field: Field, _ column: any ArrowArray) throws(ArrowError) -> RecordBatch {
    try RecordBatch(
      schema: Schema(schema.fields + [field], metadata: schema.metadata), columns: columns + [column], length: length)
  }

  /// A batch without column `index`.
  public func removing(columnAt index: Int) -> RecordBatch {
    var fields = schema.fields
    var remaining = columns
    fields.remove(at: index)
    remaining.remove(at: index)
    return RecordBatch(uncheckedSchema: Schema(fields, metadata: schema.metadata), columns: remaining, length: length)
  }

  /// The batch with every column in compact form (offset 0, exact children): what the IPC
  /// writer sends. Columns already compact are kept as they are (no copy).
  public func compacted() -> RecordBatch {
    RecordBatch(
      uncheckedSchema: schema, columns: columns.map { makeArray($0.data.compacted()) }, length: length)
  }
}

extension Table {
  /// A table of the columns named `names`, in that order; throws when one is missing.
  public func select(_ names: [String]) throws(ArrowError) -> Table {
    var fields: [Field] = []
    var picked: [ChunkedArray] = []
    let byName = schema.firstIndexByName()  // one pass: select costs O(fields + names)
    for name in names {
      guard let index = byName[name] else { throw .invalid("no column named \"\(name)\"") }
      fields.append(schema.fields[index])
      picked.append(columns[index])
    }
    return Table(unchecked: Schema(fields, metadata: schema.metadata), columns: picked, length: length)
  }

  /// A table with `column` appended as field `field`; throws when the length or type differs.
  public func appending(_ field: Field, _ column: ChunkedArray) throws(ArrowError) -> Table {
    try Table(schema: Schema(schema.fields + [field], metadata: schema.metadata), columns: columns + [column])
  }

  /// A table without column `index`.
  public func removing(columnAt index: Int) -> Table {
    var fields = schema.fields
    var remaining = columns
    fields.remove(at: index)
    remaining.remove(at: index)
    return Table(unchecked: Schema(fields, metadata: schema.metadata), columns: remaining, length: length)
  }

  /// A table whose columns are renamed to `names` (same count required).
  public func renamingColumns(_ names: [String]) throws(ArrowError) -> Table {
    guard names.count == schema.fields.count else {
      throw .invalid("\(names.count) names for \(schema.fields.count) columns")
    }
    let fields = zip(schema.fields, names).map { $0.withName($1) }
    return Table(unchecked: Schema(fields, metadata: schema.metadata), columns: columns, length: length)
  }

  /// Validates every chunk fully.
  public func validate() throws(ArrowError) {
    for (field, column) in zip(schema.fields, columns) {
      for (index, chunk) in column.chunks.enumerated() {
        do { try chunk.validate() } catch {
          throw ArrowError(error.kind, "column \"\(field.name)\", chunk \(index): \(error.message)")
        }
      }
    }
  }
}

extension ArrayData {
  /// The bytes of every buffer this array references, children and dictionary included
  /// (pyarrow's `nbytes` counts the same way for unsliced data).
  public var bufferByteCount: Int {
    buffers.reduce(0) { $0 + ($1?.count ?? 0) } + children.reduce(0) { $0 + $1.bufferByteCount }
      + (dictionary?.bufferByteCount ?? 0)
  }
}

extension RecordBatch {
  /// The bytes of every buffer the batch's columns reference.
  public var bufferByteCount: Int { columns.reduce(0) { $0 + $1.data.bufferByteCount } }
}

extension ChunkedArray {
  /// The bytes of every buffer the chunks reference.
  public var bufferByteCount: Int {
    ChunkVisits.record(chunks.count)
    return chunks.reduce(0) { $0 + $1.data.bufferByteCount }
  }
}

extension Table {
  /// The bytes of every buffer the table's columns reference.
  public var bufferByteCount: Int { columns.reduce(0) { $0 + $1.bufferByteCount } }
}
