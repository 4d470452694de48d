// Record batches: columns of equal length under a schema.

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
