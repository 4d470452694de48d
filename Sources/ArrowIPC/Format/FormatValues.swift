// Plain Swift values mirroring the tables of Arrow's Schema.fbs, Message.fbs and File.fbs.
//
// They are what the flatbuffer views decode to and what the builder functions write, so that
// the Schema <-> ArrowCore mapping and the message encoder never touch flatbuffer offsets.

internal import ArrowCore

/// A `KeyValue` table: one custom metadata entry (order is kept in the lists that hold them).
package struct IPCKeyValue: Sendable, Hashable {
  package var key: String
  package var value: String

  package init(_ key: String, _ value: String) {
    self.key = key
    self.value = value
  }
}

/// The `Type` union of a field: the member table's parameters, with Schema.fbs defaults applied.
package enum IPCType: Sendable, Hashable {
  case null
  case int(bitWidth: Int32, isSigned: Bool)
  case floatingPoint(FloatPrecision)
  case binary
  case utf8
  case bool
  case decimal(precision: Int32, scale: Int32, bitWidth: Int32)
  case date(DateUnit)
  case time(TimeUnit, bitWidth: Int32)
  case timestamp(TimeUnit, timezone: String?)
  case interval(IntervalUnit)
  case list
  case `struct`
  /// `typeIds` absent means child `i` has type id `i`.
  case union(UnionMode, typeIds: [Int32]?)
  case fixedSizeBinary(byteWidth: Int32)
  case fixedSizeList(listSize: Int32)
  case map(keysSorted: Bool)
  case duration(TimeUnit)
  case largeBinary
  case largeUtf8
  case largeList
  case runEndEncoded
  case binaryView
  case utf8View
  case listView
  case largeListView

  /// The union type number of this type.
  package var tag: TypeTag {
    switch self {
    case .null: .null
    case .int: .int
    case .floatingPoint: .floatingPoint
    case .binary: .binary
    case .utf8: .utf8
    case .bool: .bool
    case .decimal: .decimal
    case .date: .date
    case .time: .time
    case .timestamp: .timestamp
    case .interval: .interval
    case .list: .list
    case .struct: .struct
    case .union: .union
    case .fixedSizeBinary: .fixedSizeBinary
    case .fixedSizeList: .fixedSizeList
    case .map: .map
    case .duration: .duration
    case .largeBinary: .largeBinary
    case .largeUtf8: .largeUtf8
    case .largeList: .largeList
    case .runEndEncoded: .runEndEncoded
    case .binaryView: .binaryView
    case .utf8View: .utf8View
    case .listView: .listView
    case .largeListView: .largeListView
    }
  }
}

/// An `Int` table used as a dictionary index type.
package struct IPCIntType: Sendable, Hashable {
  package var bitWidth: Int32
  package var isSigned: Bool

  package init(bitWidth: Int32, isSigned: Bool) {
    self.bitWidth = bitWidth
    self.isSigned = isSigned
  }
}

/// A `DictionaryEncoding` table.
package struct IPCDictionaryEncoding: Sendable, Hashable {
  package var id: Int64
  /// The index type; `nil` when absent (readers then use signed 32-bit).
  package var indexType: IPCIntType?
  package var isOrdered: Bool
  package var kind: DictionaryKind

  package init(id: Int64, indexType: IPCIntType?, isOrdered: Bool = false, kind: DictionaryKind = .denseArray) {
    self.id = id
    self.indexType = indexType
    self.isOrdered = isOrdered
    self.kind = kind
  }
}

/// A `Field` table.
package struct IPCField: Sendable, Hashable {
  /// The name; an absent name reads as "".
  package var name: String
  package var nullable: Bool
  /// The type; for a dictionary-encoded field, the type of the dictionary values.
  package var type: IPCType
  package var dictionary: IPCDictionaryEncoding?
  package var children: [IPCField]
  package var metadata: [IPCKeyValue]

  package init(
    name: String, nullable: Bool, type: IPCType, dictionary: IPCDictionaryEncoding? = nil,
    children: [IPCField] = [], metadata: [IPCKeyValue] = []
  ) {
    self.name = name
    self.nullable = nullable
    self.type = type
    self.dictionary = dictionary
    self.children = children
    self.metadata = metadata
  }
}

/// A `Schema` table.
package struct IPCSchema: Sendable, Hashable {
  /// The raw endianness number (0 little, 1 big); decoders refuse big-endian data.
  package var endianness: Int16
  package var fields: [IPCField]
  package var metadata: [IPCKeyValue]
  /// The raw `Feature` numbers.
  package var features: [Int64]

  package init(fields: [IPCField], metadata: [IPCKeyValue] = [], endianness: Int16 = 0, features: [Int64] = []) {
    self.endianness = endianness
    self.fields = fields
    self.metadata = metadata
    self.features = features
  }
}

/// A `FieldNode` struct: one per field in a record batch, children included, depth first.
package struct IPCFieldNode: Sendable, Hashable {
  package var length: Int64
  package var nullCount: Int64

  package init(length: Int64, nullCount: Int64) {
    self.length = length
    self.nullCount = nullCount
  }
}

/// A `Buffer` struct: where one buffer lies in a message body.
package struct IPCBufferSpec: Sendable, Hashable {
  package var offset: Int64
  package var length: Int64

  package init(offset: Int64, length: Int64) {
    self.offset = offset
    self.length = length
  }
}

/// A `Block` struct of a file footer: where one message lies in the file.
package struct IPCBlock: Sendable, Hashable {
  package var offset: Int64
  /// Prefix, flatbuffer and padding.
  package var metaDataLength: Int32
  package var bodyLength: Int64

  package init(offset: Int64, metaDataLength: Int32, bodyLength: Int64) {
    self.offset = offset
    self.metaDataLength = metaDataLength
    self.bodyLength = bodyLength
  }
}

/// A `BodyCompression` table.
package struct IPCBodyCompression: Sendable, Hashable {
  package var codec: CompressionCodec
  package var method: BodyCompressionMethod

  package init(codec: CompressionCodec, method: BodyCompressionMethod = .buffer) {
    self.codec = codec
    self.method = method
  }
}

/// A `RecordBatch` table.
package struct IPCRecordBatch: Sendable, Hashable {
  package var length: Int64
  package var nodes: [IPCFieldNode]
  package var buffers: [IPCBufferSpec]
  package var compression: IPCBodyCompression?
  package var variadicBufferCounts: [Int64]?

  package init(
    length: Int64, nodes: [IPCFieldNode], buffers: [IPCBufferSpec], compression: IPCBodyCompression? = nil,
    variadicBufferCounts: [Int64]? = nil
  ) {
    self.length = length
    self.nodes = nodes
    self.buffers = buffers
    self.compression = compression
    self.variadicBufferCounts = variadicBufferCounts
  }
}

/// A `DictionaryBatch` table.
package struct IPCDictionaryBatch: Sendable, Hashable {
  package var id: Int64
  package var data: IPCRecordBatch
  package var isDelta: Bool

  package init(id: Int64, data: IPCRecordBatch, isDelta: Bool = false) {
    self.id = id
    self.data = data
    self.isDelta = isDelta
  }
}

/// The header of a `Message`.
package enum IPCMessageHeader: Sendable, Hashable {
  case schema(IPCSchema)
  case dictionaryBatch(IPCDictionaryBatch)
  case recordBatch(IPCRecordBatch)

  package var type: MessageHeaderType {
    switch self {
    case .schema: .schema
    case .dictionaryBatch: .dictionaryBatch
    case .recordBatch: .recordBatch
    }
  }
}

/// A `Message` table.
package struct IPCMessage: Sendable, Hashable {
  package var version: MetadataVersion
  package var header: IPCMessageHeader
  package var bodyLength: Int64
  package var metadata: [IPCKeyValue]

  package init(
    version: MetadataVersion = .v5, header: IPCMessageHeader, bodyLength: Int64, metadata: [IPCKeyValue] = []
  ) {
    self.version = version
    self.header = header
    self.bodyLength = bodyLength
    self.metadata = metadata
  }
}

/// A `Footer` table of the file format.
package struct IPCFooter: Sendable, Hashable {
  package var version: MetadataVersion
  package var schema: IPCSchema?
  package var dictionaries: [IPCBlock]
  package var recordBatches: [IPCBlock]
  package var metadata: [IPCKeyValue]

  package init(
    version: MetadataVersion = .v5, schema: IPCSchema?, dictionaries: [IPCBlock], recordBatches: [IPCBlock],
    metadata: [IPCKeyValue] = []
  ) {
    self.version = version
    self.schema = schema
    self.dictionaries = dictionaries
    self.recordBatches = recordBatches
    self.metadata = metadata
  }
}
