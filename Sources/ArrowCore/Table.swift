// Tables: a schema plus chunked columns of equal length.

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

extension Table {
  /// The bytes of every buffer the table's columns reference.
  public var bufferByteCount: Int { columns.reduce(0) { $0 + $1.bufferByteCount } }
}
