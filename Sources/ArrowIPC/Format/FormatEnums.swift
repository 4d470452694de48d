// The enumerations of Arrow's Schema.fbs and Message.fbs, with their wire numbers.

internal import ArrowCore

/// `MetadataVersion` (short).
package enum MetadataVersion: Int16, Sendable, CaseIterable {
  case v1 = 0, v2, v3, v4, v5
}

/// `MessageHeader` union type numbers (0 is NONE).
package enum MessageHeaderType: UInt8, Sendable, CaseIterable {
  case schema = 1, dictionaryBatch, recordBatch, tensor, sparseTensor
}

/// `Type` union type numbers (0 is NONE).
package enum TypeTag: UInt8, Sendable, CaseIterable {
  case null = 1, int, floatingPoint, binary, utf8, bool, decimal, date, time, timestamp, interval
  case list, `struct`, union, fixedSizeBinary, fixedSizeList, map, duration, largeBinary, largeUtf8
  case largeList, runEndEncoded, binaryView, utf8View, listView, largeListView
}

/// `Endianness` (short).
package enum Endianness: Int16, Sendable {
  case little = 0, big
}

/// `Precision` of `FloatingPoint` (short).
package enum FloatPrecision: Int16, Sendable, CaseIterable {
  case half = 0, single, double
}

/// `DateUnit` (short).
package enum DateUnit: Int16, Sendable, CaseIterable {
  case day = 0, millisecond
}

/// `TimeUnit` (short).
package enum TimeUnit: Int16, Sendable, CaseIterable {
  case second = 0, millisecond, microsecond, nanosecond
}

/// `IntervalUnit` (short).
package enum IntervalUnit: Int16, Sendable, CaseIterable {
  case yearMonth = 0, dayTime, monthDayNano
}

/// `UnionMode` (short).
package enum UnionMode: Int16, Sendable, CaseIterable {
  case sparse = 0, dense
}

/// `DictionaryKind` (short).
package enum DictionaryKind: Int16, Sendable {
  case denseArray = 0
}

/// `CompressionType` (byte): the codec of a compressed body.
package enum CompressionCodec: Int8, Sendable, CaseIterable {
  case lz4Frame = 0, zstd
}

/// `BodyCompressionMethod` (byte).
package enum BodyCompressionMethod: Int8, Sendable {
  case buffer = 0
}

/// `Feature` (long): capabilities a schema's writer may use.
package enum Feature: Int64, Sendable {
  case unused = 0, dictionaryReplacement, compressedBody
}

/// Decodes the wire number `raw` of enumeration `E`, throwing a clear error for an unknown number.
@inline(__always)
func decodeEnum<E: RawRepresentable>(_ type: E.Type, _ raw: E.RawValue, _ what: String) throws(ArrowError) -> E {
  guard let value = E(rawValue: raw) else { throw .invalid("unknown \(what) \(raw)") }
  return value
}
