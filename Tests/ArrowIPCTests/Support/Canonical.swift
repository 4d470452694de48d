// A canonical text form of array values, written the same way by the Python side of the interop
// tests: both sides dump their values and the strings are compared.
//
// null "N"; bool "T"/"F"; integers and temporal values as decimal integers; floats as the hex
// of their little-endian bits; decimals as the unscaled integer; intervals "m/d/n" or "d/ms";
// binary and strings as the hex of their bytes; lists "[a,b]"; structs "(a,b)"; maps "{k:v}";
// unions "U<code>:value"; dictionaries and run-end encoded arrays as their decoded value.

internal import ArrowCore

private func hex(_ bytes: some Sequence<UInt8>) -> String {
  bytes.map { byte in
    let digits = String(byte, radix: 16)
    return byte < 16 ? "0" + digits : digits
  }.joined()
}

private func hexBits<T: FixedWidthInteger>(_ value: T) -> String {
  hex((0..<MemoryLayout<T>.size).map { UInt8(truncatingIfNeeded: value >> ($0 * 8)) })
}

/// The canonical form of logical slot `slot` of `data`.
func canonical(_ data: ArrayData, _ slot: Int) -> String {
  switch data.type {
  case .union:
    let union = UnionArray(unchecked: data)
    let child = data.children[union.childIndex(at: slot)]
    return "U\(union.typeId(at: slot)):" + canonical(child, union.childOffset(at: slot))
  case .runEndEncoded:
    let ree = RunEndEncodedArray(unchecked: data)
    return canonical(data.children[1], ree.value(at: slot))
  default: break
  }
  if data.isNull(slot) { return "N" }
  let array = makeArray(data)
  switch data.type {
  case .null: return "N"
  case .bool: return (array as! BooleanArray).value(at: slot) ? "T" : "F"
  case .int8: return "\((array as! Int8Array).value(at: slot))"
  case .int16: return "\((array as! Int16Array).value(at: slot))"
  case .int32: return "\((array as! Int32Array).value(at: slot))"
  case .int64: return "\((array as! Int64Array).value(at: slot))"
  case .uint8: return "\((array as! UInt8Array).value(at: slot))"
  case .uint16: return "\((array as! UInt16Array).value(at: slot))"
  case .uint32: return "\((array as! UInt32Array).value(at: slot))"
  case .uint64: return "\((array as! UInt64Array).value(at: slot))"
  case .float16: return hexBits((array as! Float16Array).value(at: slot).bitPattern)
  case .float32: return hexBits((array as! Float32Array).value(at: slot).bitPattern)
  case .float64: return hexBits((array as! Float64Array).value(at: slot).bitPattern)
  case .decimal32, .decimal64, .decimal128, .decimal256:
    return (array as! DecimalArray).value(at: slot).integerDescription
  case .date32: return "\((array as! Date32Array).value(at: slot))"
  case .date64: return "\((array as! Date64Array).value(at: slot))"
  case .time32: return "\((array as! Time32Array).value(at: slot))"
  case .time64: return "\((array as! Time64Array).value(at: slot))"
  case .timestamp: return "\((array as! TimestampArray).value(at: slot))"
  case .duration: return "\((array as! DurationArray).value(at: slot))"
  case .interval(.yearMonth): return "\((array as! YearMonthIntervalArray).value(at: slot))"
  case .interval(.dayTime):
    let value = (array as! DayTimeIntervalArray).value(at: slot)
    return "\(value.days)/\(value.milliseconds)"
  case .interval(.monthDayNano):
    let value = (array as! MonthDayNanoIntervalArray).value(at: slot)
    return "\(value.months)/\(value.days)/\(value.nanoseconds)"
  case .binary: return hex((array as! BinaryArray).value(at: slot))
  case .largeBinary: return hex((array as! LargeBinaryArray).value(at: slot))
  case .binaryView: return hex((array as! BinaryViewArray).value(at: slot))
  case .fixedSizeBinary: return hex((array as! FixedSizeBinaryArray).value(at: slot))
  case .string: return hex((array as! StringArray).value(at: slot).utf8)
  case .largeString: return hex((array as! LargeStringArray).value(at: slot).utf8)
  case .stringView: return hex((array as! StringViewArray).value(at: slot).utf8)
  case .list, .largeList, .listView, .largeListView, .fixedSizeList:
    let values: any ArrowArray
    switch array {
    case let list as ListArray: values = list.value(at: slot)
    case let list as LargeListArray: values = list.value(at: slot)
    case let list as ListViewArray: values = list.value(at: slot)
    case let list as LargeListViewArray: values = list.value(at: slot)
    case let list as FixedSizeListArray: values = list.value(at: slot)
    default: return "?"
    }
    return "[" + (0..<values.length).map { canonical(values.data, $0) }.joined(separator: ",") + "]"
  case .struct:
    return "(" + data.children.map { canonical($0, data.offset + slot) }.joined(separator: ",") + ")"
  case .map:
    let value = (array as! MapArray).value(at: slot)
    let pairs = (0..<value.count).map { canonical(value.keys.data, $0) + ":" + canonical(value.items.data, $0) }
    return "{" + pairs.joined(separator: ",") + "}"
  case .dictionary:
    guard let dictionary = data.dictionary else { return "?" }
    return canonical(dictionary, (array as! DictionaryArray).value(at: slot))
  default:
    return "?"
  }
}

/// The canonical values of every column of `batches`, rows concatenated, by column name.
func canonicalColumns(_ batches: [RecordBatch], schema: Schema) -> [String: [String]] {
  var result: [String: [String]] = [:]
  for (index, field) in schema.fields.enumerated() {
    result[field.name] = batches.flatMap { batch in
      (0..<batch.length).map { canonical(batch.columns[index].data, $0) }
    }
  }
  return result
}
