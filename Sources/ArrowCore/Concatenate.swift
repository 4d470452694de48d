// Concatenation of arrays of one type into one new array.

extension ArrayData {
  /// The slots of `arrays` one after another, in one new array (no offset, compact buffers).
  ///
  /// Works for every type. View arrays keep referencing their variadic data buffers (no copy
  /// of long values); dictionary arrays get the concatenated dictionaries with shifted
  /// indices. Throws ``ArrowError/Kind/typeMismatch`` when the types differ and
  /// ``ArrowError/Kind/invalid`` when offsets or dictionary indices would overflow.
  public static func concatenate(_ arrays: [ArrayData]) throws(ArrowError) -> ArrayData {
    guard let first = arrays.first else { throw .invalid("nothing to concatenate") }
    for (index, array) in arrays.enumerated() where array.type != first.type {
      throw .typeMismatch("array \(index) has type \(array.type), expected \(first.type)")
    }
    if arrays.count == 1, first.isCompact { return first }
    if case .extension(let ext) = first.type {
      return try concatenate(arrays.map { $0.withType(ext.storage) }).withType(first.type)
    }
    let type = first.type
    let length = arrays.reduce(0) { $0 + $1.length }

    func validity() -> (Buffer?, Int) {
      guard type.bufferLayout.first == .validity, arrays.contains(where: { $0.nullCount > 0 }) else { return (nil, 0) }
      var bits = BitmapBuilder()
      for array in arrays {
        for slot in 0..<array.length { bits.append(!array.isNull(slot)) }
      }
      return (bits.finish(), length - bits.setCount)
    }

    switch type {
    case .null:
      return ArrayData(type: type, length: length, buffers: [])
    case .bool:
      var bits = BitmapBuilder()
      for array in arrays {
        let data = array.buffer(1)
        data.withUnsafeBytes { bytes in
          for slot in 0..<array.length { bits.append(bitIsSet(bytes, array.offset + slot)) }
        }
      }
      let (valid, nulls) = validity()
      return ArrayData(type: type, length: length, nullCount: nulls, buffers: [valid, bits.finish()])
    case .binary, .string:
      return try concatenateVariable(arrays, Int32.self, validity())
    case .largeBinary, .largeString:
      return try concatenateVariable(arrays, Int64.self, validity())
    case .binaryView, .stringView:
      let views = ByteStorage(capacity: length * 16)
      var variadic: [Buffer?] = []
      for array in arrays {
        let base = Int32(variadic.count)
        let source = array.buffer(1)
        for slot in 0..<array.length {
          let start = (array.offset + slot) * 16
          let size = source.loadUnaligned(fromByteOffset: start, as: Int32.self)
          if size <= 12 {
            source.slice(start..<(start + 16)).withUnsafeBytes { views.append(contentsOf: $0) }
          } else {
            views.append(size)
            views.append(source.loadUnaligned(fromByteOffset: start + 4, as: UInt32.self))
            views.append(source.loadUnaligned(fromByteOffset: start + 8, as: Int32.self) + base)
            views.append(source.loadUnaligned(fromByteOffset: start + 12, as: Int32.self))
          }
        }
        variadic += array.buffers.dropFirst(2)
      }
      let (valid, nulls) = validity()
      return ArrayData(type: type, length: length, nullCount: nulls, buffers: [valid, views.finish()] + variadic)
    case .list, .map:
      return try concatenateLists(arrays, Int32.self, validity())
    case .largeList:
      return try concatenateLists(arrays, Int64.self, validity())
    case .listView, .largeListView:
      let width = type.bufferLayout[1] == .offsets32 ? 4 : 8
      let offsets = ByteStorage()
      let sizes = ByteStorage()
      var base = 0
      for array in arrays {
        for slot in 0..<array.length {
          let start = array.integer(array.buffer(1), array.offset + slot, width: width) + base
          let size = array.integer(array.buffer(2), array.offset + slot, width: width)
          if width == 4 {
            guard let narrow = Int32(exactly: start) else { throw .invalid("list view offsets overflow int32") }
            offsets.append(narrow)
            sizes.append(Int32(truncatingIfNeeded: size))
          } else {
            offsets.append(Int64(start))
            sizes.append(Int64(size))
          }
        }
        base += array.children[0].length
      }
      let child = try concatenate(arrays.map { $0.children[0] })
      let (valid, nulls) = validity()
      return ArrayData(
        type: type, length: length, nullCount: nulls, buffers: [valid, offsets.finish(), sizes.finish()],
        children: [child])
    case .fixedSizeList(_, let size):
      let child = try concatenate(
        arrays.map { $0.children[0].slice(offset: $0.offset * size, length: $0.length * size) })
      let (valid, nulls) = validity()
      return ArrayData(type: type, length: length, nullCount: nulls, buffers: [valid], children: [child])
    case .struct:
      var children: [ArrayData] = []
      for index in type.children.indices {
        children.append(try concatenate(arrays.map { $0.children[index].slice(offset: $0.offset, length: $0.length) }))
      }
      let (valid, nulls) = validity()
      return ArrayData(type: type, length: length, nullCount: nulls, buffers: [valid], children: children)
    case .union(let mode, let fields, let typeIds):
      let ids = ByteStorage(capacity: length)
      for array in arrays {
        array.buffer(0).slice(array.offset..<(array.offset + array.length)).withUnsafeBytes {
          ids.append(contentsOf: $0)
        }
      }
      if mode == .sparse {
        var children: [ArrayData] = []
        for index in fields.indices {
          children.append(
            try concatenate(arrays.map { $0.children[index].slice(offset: $0.offset, length: $0.length) }))
        }
        return ArrayData(type: type, length: length, nullCount: 0, buffers: [ids.finish()], children: children)
      }
      var childOf = [Int](repeating: 0, count: 128)
      for (index, id) in typeIds.enumerated() { childOf[Int(id)] = index }
      let offsets = ByteStorage(capacity: length * 4)
      var bases = [Int](repeating: 0, count: fields.count)
      for array in arrays {
        for slot in 0..<array.length {
          let id = Int(array.buffer(0).loadUnaligned(fromByteOffset: array.offset + slot, as: Int8.self))
          let value = array.integer(array.buffer(1), array.offset + slot, width: 4) + bases[childOf[id & 127]]
          guard let narrow = Int32(exactly: value) else { throw .invalid("dense union offsets overflow int32") }
          offsets.append(narrow)
        }
        for index in fields.indices { bases[index] += array.children[index].length }
      }
      var children: [ArrayData] = []
      for index in fields.indices { children.append(try concatenate(arrays.map { $0.children[index] })) }
      return ArrayData(
        type: type, length: length, nullCount: 0, buffers: [ids.finish(), offsets.finish()], children: children)
    case .dictionary(let indexType, _, _):
      let dictionaries = arrays.compactMap(\.dictionary)
      guard dictionaries.count == arrays.count else { throw .invalid("a dictionary array has no dictionary") }
      let sameDictionary = dictionaries.dropFirst().allSatisfy { $0 == dictionaries[0] }
      let dictionary = sameDictionary ? dictionaries[0] : try concatenate(dictionaries)
      let width = indexType.byteWidth ?? 4
      let indices = ByteStorage(capacity: length * width)
      var base = 0
      for (array, arrayDictionary) in zip(arrays, dictionaries) {
        for slot in 0..<array.length {
          let index =
            array.isNull(slot)
            ? 0
            : array.integer(array.buffer(1), array.offset + slot, width: width, signed: indexType.isSignedInteger)
              + base
          try appendInteger(index, width: width, signed: indexType.isSignedInteger, to: indices)
        }
        if !sameDictionary { base += arrayDictionary.length }
      }
      let (valid, nulls) = validity()
      return ArrayData(
        type: type, length: length, nullCount: nulls, buffers: [valid, indices.finish()], dictionary: dictionary)
    case .runEndEncoded(let runEndsField, _):
      let width = runEndsField.type.byteWidth ?? 4
      let ends = ByteStorage()
      var valueSlices: [ArrayData] = []
      var base = 0
      for array in arrays where array.length > 0 {
        let first = physicalIndex(array, 0)
        let last = physicalIndex(array, array.length - 1)
        let runEnds = array.children[0]
        for run in first...last {
          let end = array.integer(runEnds.buffer(1), runEnds.offset + run, width: width)
          try appendInteger(min(end - array.offset, array.length) + base, width: width, signed: true, to: ends)
        }
        valueSlices.append(array.children[1].slice(offset: first, length: last - first + 1))
        base += array.length
      }
      let runCount = ends.count / width
      let values = valueSlices.isEmpty ? ArrayData.empty(first.children[1].type) : try concatenate(valueSlices)
      let runEnds = ArrayData(type: runEndsField.type, length: runCount, nullCount: 0, buffers: [nil, ends.finish()])
      return ArrayData(type: type, length: length, nullCount: 0, buffers: [], children: [runEnds, values])
    default:
      guard let width = type.byteWidth else { throw .notImplemented("concatenation of \(type)") }
      let bytes = ByteStorage(capacity: length * width)
      for array in arrays {
        array.buffer(1).slice((array.offset * width)..<((array.offset + array.length) * width)).withUnsafeBytes {
          bytes.append(contentsOf: $0)
        }
      }
      let (valid, nulls) = validity()
      return ArrayData(type: type, length: length, nullCount: nulls, buffers: [valid, bytes.finish()])
    }
  }

  private static func concatenateVariable<O: ArrowOffset>(
    _ arrays: [ArrayData], _: O.Type, _ validity: (Buffer?, Int)
  ) throws(ArrowError) -> ArrayData {
    let length = arrays.reduce(0) { $0 + $1.length }
    let offsets = ByteStorage(capacity: (length + 1) * MemoryLayout<O>.size)
    let bytes = ByteStorage()
    offsets.append(O(0))
    for array in arrays where array.length > 0 {
      let source = array.buffer(1)
      let start = offsetRange(source, array.offset, O.self).lowerBound
      let end = offsetRange(source, array.offset + array.length - 1, O.self).upperBound
      let shift = bytes.count - start
      for slot in 1...array.length {
        let value = Int(source.loadUnaligned(fromByteOffset: (array.offset + slot) * MemoryLayout<O>.size, as: O.self))
        guard let narrow = O(exactly: value + shift) else { throw .invalid("offsets overflow \(O.self)") }
        offsets.append(narrow)
      }
      array.buffer(2).slice(start..<end).withUnsafeBytes { bytes.append(contentsOf: $0) }
    }
    return ArrayData(
      type: arrays[0].type, length: length, nullCount: validity.1,
      buffers: [validity.0, offsets.finish(), bytes.finish()])
  }

  private static func concatenateLists<O: ArrowOffset>(
    _ arrays: [ArrayData], _: O.Type, _ validity: (Buffer?, Int)
  ) throws(ArrowError) -> ArrayData {
    let length = arrays.reduce(0) { $0 + $1.length }
    let offsets = ByteStorage(capacity: (length + 1) * MemoryLayout<O>.size)
    offsets.append(O(0))
    var childSlices: [ArrayData] = []
    var total = 0
    for array in arrays where array.length > 0 {
      let source = array.buffer(1)
      let start = offsetRange(source, array.offset, O.self).lowerBound
      let end = offsetRange(source, array.offset + array.length - 1, O.self).upperBound
      for slot in 1...array.length {
        let value = Int(source.loadUnaligned(fromByteOffset: (array.offset + slot) * MemoryLayout<O>.size, as: O.self))
        guard let narrow = O(exactly: value - start + total) else { throw .invalid("list offsets overflow \(O.self)") }
        offsets.append(narrow)
      }
      childSlices.append(array.children[0].slice(offset: start, length: end - start))
      total += end - start
    }
    let child = childSlices.isEmpty ? ArrayData.empty(arrays[0].children[0].type) : try concatenate(childSlices)
    return ArrayData(
      type: arrays[0].type, length: length, nullCount: validity.1, buffers: [validity.0, offsets.finish()],
      children: [child])
  }
}

private func appendInteger(_ value: Int, width: Int, signed: Bool, to storage: ByteStorage) throws(ArrowError) {
  switch (width, signed) {
  case (1, true):
    guard let narrow = Int8(exactly: value) else { throw .invalid("index \(value) overflows int8") }
    storage.append(narrow)
  case (1, false):
    guard let narrow = UInt8(exactly: value) else { throw .invalid("index \(value) overflows uint8") }
    storage.append(narrow)
  case (2, true):
    guard let narrow = Int16(exactly: value) else { throw .invalid("index \(value) overflows int16") }
    storage.append(narrow)
  case (2, false):
    guard let narrow = UInt16(exactly: value) else { throw .invalid("index \(value) overflows uint16") }
    storage.append(narrow)
  case (4, true):
    guard let narrow = Int32(exactly: value) else { throw .invalid("index \(value) overflows int32") }
    storage.append(narrow)
  case (4, false):
    guard let narrow = UInt32(exactly: value) else { throw .invalid("index \(value) overflows uint32") }
    storage.append(narrow)
  case (_, true): storage.append(Int64(value))
  default: storage.append(UInt64(value))
  }
}

/// The slots of `arrays` (all of one type) one after another, in one new array.
public func concatenate(_ arrays: [any ArrowArray]) throws(ArrowError) -> any ArrowArray {
  makeArray(try ArrayData.concatenate(arrays.map(\.data)))
}

extension ChunkedArray {
  /// All chunks as one array (copied once; an empty array when there are no chunks).
  public func combined() throws(ArrowError) -> any ArrowArray {
    if chunks.isEmpty { return makeArray(ArrayData.empty(type)) }
    return try concatenate(chunks)
  }
}

extension Table {
  /// A copy whose columns are single chunks.
  public func combineChunks() throws(ArrowError) -> Table {
    var combined: [ChunkedArray] = []
    for column in columns { combined.append(ChunkedArray(unchecked: [try column.combined()], type: column.type)) }
    return Table(unchecked: schema, columns: combined, length: length)
  }
}

extension ArrayData {
  /// Whether this array has offset 0 and children that hold exactly its slots (struct,
  /// sparse union and fixed-size list children of the right length), recursively: the form
  /// the IPC writer sends as is.
  public var isCompact: Bool {
    guard offset == 0 else { return false }
    switch type {
    case .extension(let ext):
      return withType(ext.storage).isCompact
    case .struct, .union(.sparse, _, _):
      return children.allSatisfy { $0.length == length && $0.isCompact }
    case .fixedSizeList(_, let size):
      return children[0].length == length * size && children[0].isCompact
    case .dictionary:
      return dictionary?.isCompact ?? true
    default:
      return children.allSatisfy(\.isCompact)
    }
  }

  /// This array in compact form (see ``isCompact``): itself when already compact, else a copy
  /// with offset 0 whose children hold exactly its slots.
  public func compacted() -> ArrayData {
    if isCompact { return self }
    do {
      return try ArrayData.concatenate([self])
    } catch {
      // Concatenating one valid array cannot overflow; keep the original if it is invalid.
      return self
    }
  }

  /// An empty (length 0) array of `type`, with the buffers and children its layout needs.
  public static func empty(_ type: DataType) -> ArrayData {
    if case .extension(let ext) = type { return empty(ext.storage).withType(type) }
    let buffers: [Buffer?] = type.bufferLayout.compactMap { kind in
      switch kind {
      case .validity: return Buffer?.none
      case .variadicData: return nil
      case .offsets32: return Buffer.zeroed(count: 4)
      case .offsets64: return Buffer.zeroed(count: 8)
      default: return Buffer.empty
      }
    }
    let fixedBuffers = type.bufferLayout.contains(.variadicData) ? Array(buffers.prefix(2)) : buffers
    let children = type.children.map { empty($0.type) }
    var dictionary: ArrayData?
    if case .dictionary(_, let value, _) = type { dictionary = empty(value) }
    return ArrayData(
      type: type, length: 0, nullCount: 0, buffers: fixedBuffers, children: children, dictionary: dictionary)
  }
}
