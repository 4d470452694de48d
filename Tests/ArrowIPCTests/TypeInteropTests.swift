// pyarrow and Swift exchange streams and files holding every type, both directions, compared
// value by value: pyarrow writes and Swift reads to pyarrow's canonical dump; Swift writes and
// pyarrow reads and checks equality with its own expected table (it prints the verdicts).

internal import ArrowCore
internal import Foundation
internal import InteropSupport
internal import Testing

@testable internal import ArrowIPC

private let typesScript = #"""
  import sys, json, struct, decimal, traceback
  import pyarrow as pa
  import pyarrow.compute as pc

  CTX = decimal.Context(prec=200)

  def canon(s):
      t = s.type
      if pa.types.is_union(t):
          v = s.value
          return "U%d:%s" % (s.type_code, "N" if v is None else canon(v))
      if pa.types.is_dictionary(t):
          return canon(s.value) if s.is_valid else "N"
      if isinstance(t, pa.RunEndEncodedType):
          return canon(s.value)
      if not s.is_valid or pa.types.is_null(t):
          return "N"
      if pa.types.is_boolean(t):
          return "T" if s.as_py() else "F"
      if pa.types.is_integer(t):
          return str(s.as_py())
      if pa.types.is_float16(t):
          return struct.pack("<e", s.as_py()).hex()
      if pa.types.is_float32(t):
          return struct.pack("<f", s.as_py()).hex()
      if pa.types.is_float64(t):
          return struct.pack("<d", s.as_py()).hex()
      if pa.types.is_decimal(t):
          return str(int(s.as_py().scaleb(t.scale, CTX)))
      if pa.types.is_date32(t) or pa.types.is_time32(t):
          return str(s.cast(pa.int32()).as_py())
      if pa.types.is_date64(t) or pa.types.is_time64(t) or pa.types.is_timestamp(t) or pa.types.is_duration(t):
          return str(s.cast(pa.int64()).as_py())
      if t == pa.month_day_nano_interval():
          v = s.as_py()
          return "%d/%d/%d" % (v.months, v.days, v.nanoseconds)
      if pa.types.is_interval(t):
          return "?" + repr(s.as_py())
      if (pa.types.is_binary(t) or pa.types.is_large_binary(t) or pa.types.is_binary_view(t)
              or pa.types.is_fixed_size_binary(t)):
          return s.as_py().hex()
      if pa.types.is_string(t) or pa.types.is_large_string(t) or pa.types.is_string_view(t):
          return s.as_py().encode().hex()
      if pa.types.is_map(t):
          entries = s.values
          if entries is None:
              return "{}"
          return "{" + ",".join(canon(k) + ":" + canon(v) for k, v in zip(entries.field(0), entries.field(1))) + "}"
      if (pa.types.is_list(t) or pa.types.is_large_list(t) or pa.types.is_list_view(t)
              or pa.types.is_large_list_view(t) or pa.types.is_fixed_size_list(t)):
          values = s.values
          return "[" + ",".join(canon(v) for v in (values if values is not None else [])) + "]"
      if pa.types.is_struct(t):
          return "(" + ",".join(canon(s[i]) for i in range(t.num_fields)) + ")"
      return "?" + str(t)

  def valid(arr, i):
      bitmap = arr.buffers()[0]
      if bitmap is None:
          return True
      bit = arr.offset + i
      return (bitmap.to_pybytes()[bit // 8] >> (bit % 8)) & 1 == 1

  def slot(arr, i):
      t = arr.type
      if pa.types.is_union(t):
          # pyarrow's union scalars lose the type code of null slots: read the arrays instead.
          code = struct.unpack_from("<b", arr.buffers()[1].to_pybytes(), arr.offset + i)[0]
          child = arr.field(list(t.type_codes).index(code))
          if t.mode == "dense":
              at = struct.unpack_from("<i", arr.buffers()[2].to_pybytes(), (arr.offset + i) * 4)[0]
          else:
              at = i
          return "U%d:%s" % (code, slot(child, at))
      if str(t) in ("month_interval", "day_time_interval"):
          # pyarrow has no scalars for these intervals: read the raw values.
          if not valid(arr, i):
              return "N"
          data = arr.buffers()[1].to_pybytes()
          if str(t) == "month_interval":
              return str(struct.unpack_from("<i", data, (arr.offset + i) * 4)[0])
          return "%d/%d" % struct.unpack_from("<ii", data, (arr.offset + i) * 8)
      return canon(arr[i])

  def dump(table):
      out = {}
      for name in table.column_names:
          try:
              chunks = table.column(name).chunks
          except KeyError:
              out[name] = ["UNSUPPORTED"]  # pyarrow cannot wrap month_interval / day_time_interval arrays
              continue
          out[name] = [slot(chunk, i) for chunk in chunks for i in range(len(chunk))]
      return out

  def opt(values):
      return [None if i % 5 == 1 else v for i, v in enumerate(values)]

  N = 23
  D = decimal.Decimal

  def ints(values, typ):
      return pa.array(opt(values), typ)

  def all_types():
      r = range(N)
      cols = {}
      cols["null"] = pa.nulls(N)
      cols["bool"] = pa.array(opt([i % 3 == 0 for i in r]))
      cols["i8"] = ints([i * 5 - 50 for i in r], pa.int8())
      cols["i16"] = ints([i * 1000 - 9000 for i in r], pa.int16())
      cols["i32"] = ints([i * 100000 - 1 for i in r], pa.int32())
      cols["i64"] = ints([(i - 11) << 50 for i in r], pa.int64())
      cols["u8"] = ints([i * 11 for i in r], pa.uint8())
      cols["u16"] = ints([i * 2000 for i in r], pa.uint16())
      cols["u32"] = ints([i * 150000000 for i in r], pa.uint32())
      cols["u64"] = ints([i << 59 for i in r], pa.uint64())
      cols["f16"] = pa.array(opt([i / 4 - 2 for i in r]), pa.float16())
      cols["f32"] = pa.array(opt([i / 3 - 2 for i in r]), pa.float32())
      cols["f64"] = pa.array(opt([i / 7 - 1e300 * (i % 2) for i in r]), pa.float64())
      cols["d32"] = pa.array(opt([D("%d.%02d" % (i - 10, i)) for i in r]), pa.decimal32(9, 2))
      cols["d64"] = pa.array(opt([D("%d.%03d" % (i * 10**12, i)) for i in r]), pa.decimal64(18, 3))
      cols["d128"] = pa.array(opt([D("-%d12345678901234567890.5" % i) for i in r]), pa.decimal128(38, 1))
      cols["d256"] = pa.array(opt([D("%d123456789012345678901234567890123456789.25" % i) for i in r]), pa.decimal256(76, 2))
      cols["date32"] = ints([i * 1000 - 5000 for i in r], pa.int32()).view(pa.date32())
      cols["date64"] = ints([i * 86400000 for i in r], pa.int64()).view(pa.date64())
      cols["t32s"] = ints([i * 3600 for i in r], pa.int32()).view(pa.time32("s"))
      cols["t32ms"] = ints([i * 3600001 for i in r], pa.int32()).view(pa.time32("ms"))
      cols["t64us"] = ints([i * 3600000001 for i in r], pa.int64()).view(pa.time64("us"))
      cols["t64ns"] = ints([i * 3600000000001 for i in r], pa.int64()).view(pa.time64("ns"))
      cols["ts_s"] = ints([i * 10**8 for i in r], pa.int64()).view(pa.timestamp("s"))
      cols["ts_ms_tz"] = ints([i * 10**11 for i in r], pa.int64()).view(pa.timestamp("ms", tz="Europe/Paris"))
      cols["ts_us"] = ints([i * 10**14 for i in r], pa.int64()).view(pa.timestamp("us"))
      cols["ts_ns_utc"] = ints([i * 10**17 for i in r], pa.int64()).view(pa.timestamp("ns", tz="UTC"))
      for unit in ("s", "ms", "us", "ns"):
          cols["dur_" + unit] = ints([i * 7 - 50 for i in r], pa.int64()).view(pa.duration(unit))
      cols["mdn"] = pa.array(opt([(i, -i, i * 1000000007) for i in r]), pa.month_day_nano_interval())
      cols["bin"] = pa.array(opt([bytes([i]) * i for i in r]), pa.binary())
      cols["lbin"] = pa.array(opt([bytes([i + 1]) * (i % 4) for i in r]), pa.large_binary())
      cols["str"] = pa.array(opt(["s%d%s" % (i, "é" * i) for i in r]), pa.utf8())
      cols["lstr"] = pa.array(opt(["ls%d" % i for i in r]), pa.large_utf8())
      cols["bview"] = pa.array(opt([bytes([i]) * (i * 2) for i in r]), pa.binary_view())
      cols["sview"] = pa.array(opt(["view %d %s" % (i, "x" * i) for i in r]), pa.string_view())
      cols["fsb"] = pa.array(opt([bytes([i, 1, 2]) for i in r]), pa.binary(3))
      lists = opt([list(range(i, i + i % 4)) for i in r])
      cols["list"] = pa.array(lists, pa.list_(pa.int32()))
      cols["llist"] = pa.array(lists, pa.large_list(pa.int16()))
      cols["lview"] = pa.array(lists, pa.list_view(pa.int64()))
      cols["llview"] = pa.array(lists, pa.large_list_view(pa.int32()))
      cols["fsl"] = pa.array(opt([[i, None if i % 3 == 0 else i + 1] for i in r]), pa.list_(pa.int32(), 2))
      cols["struct"] = pa.StructArray.from_arrays(
          [pa.array([i for i in r], pa.int64()), pa.array(opt(["x%d" % i for i in r]))], names=["a", "b"],
          mask=pa.array([i % 4 == 2 for i in r]))
      cols["map"] = pa.array(opt([[("k%d" % j, j if j % 2 else None) for j in range(i % 3)] for i in r]),
                             pa.map_(pa.utf8(), pa.int64()))
      cols["sparse"] = pa.UnionArray.from_sparse(
          pa.array([5 if i % 2 else 9 for i in r], pa.int8()),
          [pa.array(opt([i for i in r]), pa.int32()), pa.array(opt(["u%d" % i for i in r]))], ["i", "s"], [5, 9])
      cols["dense"] = pa.UnionArray.from_dense(
          pa.array([i % 2 for i in r], pa.int8()), pa.array([i // 2 for i in r], pa.int32()),
          [pa.array(opt([float(i) for i in range(12)])), pa.array(opt([bytes([i]) for i in range(12)]))], ["f", "b"])
      cols["dict"] = pa.array(opt([["red", "green", "blue"][i % 3] for i in r])).dictionary_encode()
      cols["dict_u8"] = pa.DictionaryArray.from_arrays(pa.array(opt([i % 2 for i in r]), pa.uint8()), pa.array([b"a", b"bc"]))
      cols["ree"] = pc.run_end_encode(pa.array(opt([i // 4 for i in r]), pa.int64()))
      fields = [pa.field(name, col.type, metadata={"col": name} if name == "i32" else None) for name, col in cols.items()]
      fields[2] = pa.field("i8", pa.int8(), nullable=True, metadata={"k": "v", "k2": "w"})
      return pa.Table.from_arrays(list(cols.values()), schema=pa.schema(fields, metadata={"origin": "pyarrow", "ü": "ß"}))

  def nested():
      r = range(N)
      point = pa.struct([("x", pa.int32()), ("y", pa.utf8())])
      cols = {}
      cols["list_struct"] = pa.array(
          opt([[{"x": j, "y": None if j % 3 == 0 else "p%d" % j} for j in range(i % 4)] for i in r]), pa.list_(point))
      cols["map_list"] = pa.array(
          opt([[("k%d" % j, [j, None, j + 1][: j % 4]) for j in range(i % 3)] for i in r]),
          pa.map_(pa.utf8(), pa.list_(pa.int64())))
      cols["dict_str"] = pa.array(opt(["w%d" % (i % 4) for i in r])).dictionary_encode()
      colors = pa.array(opt([["red", "green"][i % 2] for i in r])).dictionary_encode()
      cols["struct_dict"] = pa.StructArray.from_arrays([colors, pa.array([i for i in r], pa.uint16())], names=["color", "n"])
      words = pa.array(["w%d" % (i % 5) for i in range(N * 2)]).dictionary_encode()
      cols["list_dict"] = pa.ListArray.from_arrays(pa.array([2 * i for i in range(N + 1)], pa.int32()), words)
      inner = pa.array(["x", "y", "y", "z", None]).dictionary_encode()
      lists = pa.ListArray.from_arrays(pa.array([0, 2, 2, 5], pa.int32()), inner)
      cols["dict_list_dict"] = pa.DictionaryArray.from_arrays(pa.array(opt([i % 3 for i in r]), pa.int32()), lists)
      cols["list_list"] = pa.array(opt([[[i], [], None, [i, i]][: i % 4] for i in r]), pa.list_(pa.list_(pa.int8())))
      return pa.table(cols)

  def dict_batches(values_list):
      batches = []
      for values, idx in values_list:
          arr = pa.DictionaryArray.from_arrays(pa.array(idx, pa.int32()), pa.array(values))
          batches.append(pa.record_batch([arr], names=["d"]))
      return batches

  DELTA = [(["a", "b"], [0, 1, None]), (["a", "b", "c"], [2, 0]), (["a", "b", "c", "d"], [3])]
  REPLACE = [(["a", "b"], [0, 1]), (["x", "y", "z"], [2, 0, None])]

  def dict_values(spec):
      out = []
      for values, idx in spec:
          out += ["N" if i is None else values[i].encode().hex() for i in idx]
      return out

  mode, out = sys.argv[1], sys.argv[2]
  tables = {"all": all_types(), "nested": nested()}
  tables["all_sliced"] = tables["all"].slice(3, 13)
  tables["empty"] = tables["all"].slice(0, 0)

  if mode == "produce":
      expected = {name: dump(t) for name, t in tables.items()}
      expected["delta"] = {"d": dict_values(DELTA)}
      expected["replace"] = {"d": dict_values(REPLACE)}
      expected["types"] = {name: [str(f.type) for f in t.schema] for name, t in tables.items()}
      for name in ("all", "nested"):
          t = tables[name]
          for comp in (None, "lz4", "zstd"):
              options = pa.ipc.IpcWriteOptions(compression=comp)
              with pa.ipc.new_stream("%s/%s_%s.arrows" % (out, name, comp), t.schema, options=options) as w:
                  w.write_table(t, max_chunksize=10)
              with pa.ipc.new_file("%s/%s_%s.arrow" % (out, name, comp), t.schema, options=options) as w:
                  w.write_table(t, max_chunksize=10)
          with pa.ipc.new_stream("%s/%s_single.arrows" % (out, name), t.schema) as w:
              w.write_table(t)
      with pa.ipc.new_stream(out + "/all_sliced.arrows", tables["all"].schema) as w:
          w.write_table(tables["all_sliced"])
      v4 = pa.ipc.IpcWriteOptions(metadata_version=pa.ipc.MetadataVersion.V4)
      with pa.ipc.new_stream(out + "/all_v4.arrows", tables["all"].schema, options=v4) as w:
          w.write_table(tables["all"], max_chunksize=10)
      with pa.ipc.new_stream(out + "/zero.arrows", tables["all"].schema) as w:
          pass
      with pa.ipc.new_stream(out + "/empty.arrows", tables["all"].schema) as w:
          w.write_batch(tables["all"].to_batches()[0].slice(0, 0))
      for name, spec, deltas in (("delta", DELTA, True), ("replace", REPLACE, False)):
          batches = dict_batches(spec)
          options = pa.ipc.IpcWriteOptions(emit_dictionary_deltas=deltas)
          with pa.ipc.new_stream("%s/%s.arrows" % (out, name), batches[0].schema, options=options) as w:
              for b in batches:
                  w.write_batch(b)
      with open(out + "/expected.json", "w") as f:
          json.dump(expected, f)
      print("OK")

  elif mode == "verify":
      with open(sys.argv[3]) as f:
          manifest = json.load(f)
      verdicts = {}
      for entry in manifest:
          path = entry["path"]
          try:
              if path.endswith(".arrow"):
                  read = pa.ipc.open_file(path).read_all()
              else:
                  read = pa.ipc.open_stream(path).read_all()
              read.validate(full=True)
              if entry["table"] in ("delta", "replace"):
                  got = [("N" if v is None else v.encode().hex()) for v in read.column("d").to_pylist()]
                  spec = DELTA if entry["table"] == "delta" else REPLACE
                  ok = got == dict_values(spec)
                  verdicts[path] = "OK" if ok else "MISMATCH %s" % got
              elif entry["table"] == "canon":
                  verdicts[path] = dump(read)
              else:
                  expected = tables[entry["table"]].slice(entry["offset"], entry["length"])
                  if read.equals(expected, check_metadata=True):
                      verdicts[path] = "OK"
                  else:
                      diff = [n for n in expected.column_names if not read.column(n).equals(expected.column(n))]
                      verdicts[path] = "MISMATCH columns %s schema %s" % (diff, read.schema.equals(expected.schema, check_metadata=True))
          except Exception as e:
              verdicts[path] = "ERROR %r\n%s" % (e, traceback.format_exc())
      print(json.dumps(verdicts))
  """#

private func readAny(_ path: String) throws -> (Schema, [RecordBatch]) {
  if path.hasSuffix(".arrow") {
    let reader = try IPCFileReader(contentsOfFile: path)
    return (reader.schema, try reader.readAll())
  }
  var reader = try IPCStreamReader(contentsOfFile: path)
  return (reader.schema, try reader.readAll())
}

/// Compares Swift's canonical dump with the expected one, column by column.
private func compareDumps(
  _ got: [String: [String]], _ expected: [String: [String]], _ context: String,
  sourceLocation: SourceLocation = #_sourceLocation
) {
  #expect(Set(got.keys) == Set(expected.keys), "\(context): columns", sourceLocation: sourceLocation)
  for (name, values) in expected.sorted(by: { $0.key < $1.key }) where got[name] != values {
    // pyarrow reads (and fully validates) but cannot show these interval arrays from Python.
    if got[name] == ["UNSUPPORTED"] && ["iym", "idt"].contains(name) { continue }
    Issue.record(
      "\(context): column \(name)\n swift:   \(got[name] ?? [])\n pyarrow: \(values)", sourceLocation: sourceLocation)
  }
}

@Suite(.serialized) struct TypeInteropTests {
  @Test func everyTypeBothDirectionsWithPyarrow() async throws {
    try await InteropLock.run {
      let directory = FileManager.default.temporaryDirectory.appendingPathComponent("ipc-types-\(UUID().uuidString)")
      try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
      defer { try? FileManager.default.removeItem(at: directory) }
      let dir = directory.path
      _ = try await runPython(["-c", typesScript, "produce", dir])
      let expectedData = try Data(contentsOf: directory.appendingPathComponent("expected.json"))
      let expectedJSON = try #require(try JSONSerialization.jsonObject(with: expectedData) as? [String: Any])
      func expected(_ name: String) throws -> [String: [String]] {
        try #require(expectedJSON[name] as? [String: [String]], "expected \(name)")
      }

      // 1. pyarrow writes, Swift reads: streams and files, every compression.
      let typeNames = try #require(expectedJSON["types"] as? [String: [String]])
      for name in ["all", "nested"] {
        for codec in ["None", "lz4", "zstd"] {
          for suffix in ["arrows", "arrow"] {
            let file = "\(dir)/\(name)_\(codec).\(suffix)"
            let (schema, batches) = try readAny(file)
            #expect(batches.count == 3, "\(file)")
            compareDumps(canonicalColumns(batches, schema: schema), try expected(name), file)
            #expect(schema.fields.map { "\($0.type)" } == typeNames[name], "\(file): types")
          }
        }
      }
      // Metadata version V4 (unions then carry a validity buffer).
      let (v4Schema, v4Batches) = try readAny("\(dir)/all_v4.arrows")
      compareDumps(canonicalColumns(v4Batches, schema: v4Schema), try expected("all"), "all_v4")
      let (allSchema, allBatches) = try readAny("\(dir)/all_None.arrows")
      #expect(allSchema.metadata["origin"] == "pyarrow")
      #expect(allSchema.metadata["ü"] == "ß")
      #expect(allSchema.field(named: "i8")?.metadata.pairs.map { "\($0.0)=\($0.1)" } == ["k=v", "k2=w"])
      #expect(allBatches.map(\.length) == [10, 10, 3])
      let (slicedSchema, sliced) = try readAny("\(dir)/all_sliced.arrows")
      compareDumps(canonicalColumns(sliced, schema: slicedSchema), try expected("all_sliced"), "all_sliced")
      let (_, zero) = try readAny("\(dir)/zero.arrows")
      #expect(zero.isEmpty)
      let (emptySchema, empty) = try readAny("\(dir)/empty.arrows")
      #expect(empty.count == 1 && empty[0].length == 0)
      compareDumps(canonicalColumns(empty, schema: emptySchema), try expected("empty"), "empty")
      for name in ["delta", "replace"] {
        let (schema, batches) = try readAny("\(dir)/\(name).arrows")
        compareDumps(canonicalColumns(batches, schema: schema), try expected(name), name)
      }

      // 2. Swift writes, pyarrow reads and compares with its own tables.
      var manifest: [[String: Any]] = []
      func add(_ path: String, _ table: String, _ offset: Int = 0, _ length: Int = 23) {
        manifest.append(["path": path, "table": table, "offset": offset, "length": length])
      }
      for name in ["all", "nested"] {
        var reader = try IPCStreamReader(contentsOfFile: "\(dir)/\(name)_single.arrows")
        let schema = reader.schema
        let batch = try #require(try reader.next())
        let variants: [(String, IPCWriteOptions)] = [
          ("plain", IPCWriteOptions()), ("lz4", IPCWriteOptions(compression: .lz4Frame, alignment: 64)),
          ("zstd", IPCWriteOptions(compression: .zstd)),
        ]
        for (label, options) in variants {
          let stream = "\(dir)/sw_\(name)_\(label).arrows"
          try IPCStreamWriter.serialize([batch], schema: schema, options: options).write(toPath: stream)
          add(stream, name)
          let file = "\(dir)/sw_\(name)_\(label).arrow"
          let writer = try IPCFileWriter(schema: schema, path: file, options: options)
          try writer.write(batch.slice(offset: 0, length: 5))
          try writer.write(batch.slice(offset: 5, length: 9))
          try writer.write(batch.slice(offset: 14, length: 9))
          try writer.finish()
          add(file, name)
        }
        for (offset, length) in [(1, 7), (3, 13), (5, 0), (9, 14), (22, 1)] {
          let path = "\(dir)/sw_\(name)_slice_\(offset)_\(length).arrows"
          let options = IPCWriteOptions(compression: offset % 2 == 1 ? .zstd : nil)
          try IPCStreamWriter.serialize([batch.slice(offset: offset, length: length)], schema: schema, options: options)
            .write(toPath: path)
          add(path, name, offset, length)
        }
      }
      let zeroPath = "\(dir)/sw_zero.arrows"
      try IPCStreamWriter.serialize([], schema: allSchema).write(toPath: zeroPath)
      add(zeroPath, "all", 0, 0)
      let zeroFilePath = "\(dir)/sw_zero.arrow"
      try IPCFileWriter.serialize([], schema: allSchema).write(toPath: zeroFilePath)
      add(zeroFilePath, "all", 0, 0)

      // Dictionary deltas and replacements, written by Swift.
      func dictionaryBatch(_ values: [String], _ indices: [Int32?]) throws -> RecordBatch {
        try RecordBatch([("d", DictionaryArray(indices: Int32Array(indices), dictionary: StringArray(values)))])
      }
      let deltaBatches = [
        try dictionaryBatch(["a", "b"], [0, 1, nil]), try dictionaryBatch(["a", "b", "c"], [2, 0]),
        try dictionaryBatch(["a", "b", "c", "d"], [3]),
      ]
      let replaceBatches = [
        try dictionaryBatch(["a", "b"], [0, 1]), try dictionaryBatch(["x", "y", "z"], [2, 0, nil]),
      ]
      let deltaOptions = IPCWriteOptions(emitDictionaryDeltas: true)
      try IPCStreamWriter.serialize(deltaBatches, schema: deltaBatches[0].schema, options: deltaOptions)
        .write(toPath: "\(dir)/sw_delta.arrows")
      add("\(dir)/sw_delta.arrows", "delta")
      try IPCFileWriter.serialize(deltaBatches, schema: deltaBatches[0].schema, options: deltaOptions)
        .write(toPath: "\(dir)/sw_delta.arrow")
      add("\(dir)/sw_delta.arrow", "delta")
      try IPCStreamWriter.serialize(replaceBatches, schema: replaceBatches[0].schema)
        .write(toPath: "\(dir)/sw_replace.arrows")
      add("\(dir)/sw_replace.arrows", "replace")

      // Swift-built arrays of every type (intervals pyarrow cannot build included): pyarrow dumps them.
      let swiftBatch = try allTypesBatch()
      let swiftNested = try nestedBatch()
      try IPCFileWriter.serialize([swiftBatch, swiftBatch.slice(offset: 3, length: 6)], schema: swiftBatch.schema)
        .write(toPath: "\(dir)/sw_swift_all.arrow")
      manifest.append(["path": "\(dir)/sw_swift_all.arrow", "table": "canon"])
      try IPCStreamWriter.serialize(
        [swiftNested.slice(offset: 1, length: 5)], schema: swiftNested.schema,
        options: IPCWriteOptions(compression: .lz4Frame)
      ).write(toPath: "\(dir)/sw_swift_nested.arrows")
      manifest.append(["path": "\(dir)/sw_swift_nested.arrows", "table": "canon"])

      let manifestURL = directory.appendingPathComponent("manifest.json")
      try JSONSerialization.data(withJSONObject: manifest).write(to: manifestURL)
      let output = try await runPython(["-c", typesScript, "verify", dir, manifestURL.path])
      let verdicts = try #require(
        try JSONSerialization.jsonObject(with: Data(output.utf8)) as? [String: Any], "verdicts: \(output)")
      #expect(verdicts.count == manifest.count)
      for (path, verdict) in verdicts.sorted(by: { $0.key < $1.key }) {
        if let text = verdict as? String {
          #expect(text == "OK", "\(path): \(text)")
        }
      }
      let swiftAll = try #require(verdicts["\(dir)/sw_swift_all.arrow"] as? [String: [String]])
      compareDumps(
        swiftAll, canonicalColumns([swiftBatch, swiftBatch.slice(offset: 3, length: 6)], schema: swiftBatch.schema),
        "pyarrow reading Swift's all-types file")
      let swiftNestedDump = try #require(verdicts["\(dir)/sw_swift_nested.arrows"] as? [String: [String]])
      compareDumps(
        swiftNestedDump, canonicalColumns([swiftNested.slice(offset: 1, length: 5)], schema: swiftNested.schema),
        "pyarrow reading Swift's nested stream")
    }
  }
}

extension Buffer {
  /// Writes the bytes to a file.
  fileprivate func write(toPath path: String) throws {
    try withUnsafeBytes { try Data($0).write(to: URL(fileURLWithPath: path)) }
  }
}
