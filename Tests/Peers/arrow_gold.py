"""pyarrow's reading of Arrow IPC files, for the gold-file tests (ArrowIPCTests.GoldFileTests).

Commands (each prints one JSON document on stdout):

  compare ORIGINAL CANDIDATE [ORIGINAL CANDIDATE ...]
      For each pair: pyarrow reads ORIGINAL (an IPC file or stream, told apart by the ARROW1
      magic, big-endian data converted to native order as pyarrow does by default) and
      CANDIDATE (what Swift wrote after reading ORIGINAL) and compares them: the schema with
      its metadata, the number of batches, each batch's values and its message's custom
      metadata. The comparison runs twice: once with pyarrow's extension types registered
      (known extension types become their classes, as a pyarrow user sees them) and once at
      the IPC level (every extension type unregistered, so that a field shows its storage type
      and its ARROW:extension:* metadata). Also returns "schema", ORIGINAL's schema at the IPC
      level in the form of dump_schema below, for Swift to compare with its own reading.
      Output: {"results": [{"original", "candidate", "problems": [...], "schema": {...},
      "batches": [rows, ...]}]}.

  replacements FILE
      Writes a stream whose second batch replaces the first one's dictionary (which the file
      format cannot hold), each batch with custom metadata. Output: {"batches": 2}.

  legacy DIR
      Writes stand-ins for files of Arrow before 0.15 (no continuation marker, V4 metadata)
      into DIR, stream and file format, of the types whose layout changed in V5 (unions carry
      a validity buffer slot) and a few others. Output: {"files": [names]}.
"""

import json
import sys

import pyarrow as pa

CANONICAL_EXTENSIONS = [
    "arrow.uuid",
    "arrow.json",
    "arrow.bool8",
    "arrow.fixed_shape_tensor",
    "arrow.variable_shape_tensor",
    "arrow.opaque",
]


def text(value):
    return value.decode("utf-8", errors="replace") if isinstance(value, bytes) else str(value)


def dump_metadata(metadata):
    return [[text(k), text(v)] for k, v in (metadata or {}).items()]


def type_name(t):
    """The type's own parameters, without its children (they are dumped as fields)."""
    if pa.types.is_list(t):
        return "list"
    if pa.types.is_large_list(t):
        return "large_list"
    if pa.types.is_list_view(t):
        return "list_view"
    if pa.types.is_large_list_view(t):
        return "large_list_view"
    if pa.types.is_fixed_size_list(t):
        return "fixed_size_list[%d]" % t.list_size
    if pa.types.is_map(t):
        return "map" + ("[keys_sorted]" if t.keys_sorted else "")
    if pa.types.is_struct(t):
        return "struct"
    if pa.types.is_union(t):
        return "%s_union%s" % (t.mode, list(t.type_codes))
    if pa.types.is_run_end_encoded(t):
        return "run_end_encoded"
    return str(t)


def dump_field(field):
    """A field at the IPC level (called with every extension type unregistered)."""
    t = field.type
    metadata = dump_metadata(field.metadata)
    dictionary = None
    if pa.types.is_dictionary(t):
        dictionary = "%s%s" % (t.index_type, " ordered" if t.ordered else "")
        t = t.value_type
    return {"name": field.name, "nullable": field.nullable, "type": type_name(t), "dictionary": dictionary,
            "metadata": metadata, "children": [dump_field(t.field(i)) for i in range(t.num_fields)]}


def dump_schema(schema):
    return {"fields": [dump_field(f) for f in schema], "metadata": dump_metadata(schema.metadata)}


def read(path):
    """(schema, [(batch, custom metadata)]) as pyarrow reads the file or stream at path."""
    with open(path, "rb") as f:
        is_file = f.read(6) == b"ARROW1"
    batches = []
    if is_file:
        reader = pa.ipc.open_file(path)
        for i in range(reader.num_record_batches):
            batch, metadata = reader.get_batch_with_custom_metadata(i)
            batches.append((batch, metadata))
    else:
        reader = pa.ipc.open_stream(path)
        for batch, metadata in reader.iter_batches_with_custom_metadata():
            batches.append((batch, metadata))
    return reader.schema, batches


def compare(original, candidate, label):
    problems = []
    try:
        want_schema, want = read(original)
    except Exception as e:  # noqa: BLE001 - reported to the Swift side
        return ["%s: pyarrow cannot read the original: %s" % (label, e)], None, None
    try:
        got_schema, got = read(candidate)
    except Exception as e:  # noqa: BLE001
        return ["%s: pyarrow cannot read Swift's output: %s" % (label, e)], want_schema, want
    if not got_schema.equals(want_schema, check_metadata=True):
        problems.append("%s: schema differs:\n--- pyarrow ---\n%s\n--- Swift ---\n%s" % (
            label, want_schema.to_string(show_schema_metadata=True), got_schema.to_string(show_schema_metadata=True)))
    if len(got) != len(want):
        problems.append("%s: %d batches, pyarrow reads %d" % (label, len(got), len(want)))
    for index, ((g, gm), (w, wm)) in enumerate(zip(got, want)):
        if not g.equals(w, check_metadata=True):
            problems.append("%s: batch %d differs:\n--- pyarrow ---\n%s\n--- Swift ---\n%s" % (
                label, index, w.to_pydict() if w.num_rows < 50 else w, g.to_pydict() if g.num_rows < 50 else g))
        if dump_metadata(gm) != dump_metadata(wm):
            problems.append("%s: batch %d custom metadata %s, pyarrow reads %s" % (
                label, index, dump_metadata(gm), dump_metadata(wm)))
    return problems, want_schema, want


def command_compare(paths):
    pairs = list(zip(paths[0::2], paths[1::2]))
    results = []
    for original, candidate in pairs:
        problems, _, _ = compare(original, candidate, "with pyarrow's extension types")
        results.append({"original": original, "candidate": candidate, "problems": problems})
    for name in CANONICAL_EXTENSIONS:
        try:
            pa.unregister_extension_type(name)
        except (KeyError, pa.ArrowKeyError):
            pass
    for result in results:
        problems, schema, batches = compare(result["original"], result["candidate"], "at the IPC level")
        result["problems"] += problems
        result["schema"] = dump_schema(schema) if schema is not None else None
        result["batches"] = [b.num_rows for b, _ in batches] if batches is not None else None
    print(json.dumps({"results": results}))


def command_legacy(directory):
    sparse = pa.UnionArray.from_sparse(
        pa.array([0, 1, 0, 1], pa.int8()),
        [pa.array([1, None, 3, 4], pa.int32()), pa.array(["a", "b", None, "d"])])
    dense = pa.UnionArray.from_dense(
        pa.array([9, 5, 9], pa.int8()), pa.array([0, 0, 1], pa.int32()),
        [pa.array([7], pa.int64()), pa.array([b"x", None], pa.binary())], ["i", "b"], [5, 9])
    table = pa.table({
        "sparse": sparse,
        "dense": pa.concat_arrays([dense, dense.slice(0, 1)]),
        "ints": pa.array([1, None, 3, 4], pa.int64()),
        "strings": pa.array(["x", "yy", None, "zzz"]),
        "dict": pa.array(["a", "b", "a", None]).dictionary_encode(),
        "list": pa.array([[1], None, [2, 3], []], pa.list_(pa.int16())),
        "ree": pa.RunEndEncodedArray.from_arrays(pa.array([2, 4], pa.int32()), pa.array(["p", "q"])),
    }, metadata={"origin": "legacy stand-in"})
    options = pa.ipc.IpcWriteOptions(use_legacy_format=True, metadata_version=pa.ipc.MetadataVersion.V4)
    names = []
    for empty in (False, True):
        data = table.slice(0, 0) if empty else table
        suffix = "_zerolength" if empty else ""
        name = "legacy_v4%s.stream" % suffix
        with pa.ipc.new_stream(directory + "/" + name, table.schema, options=options) as writer:
            writer.write_table(data, max_chunksize=2)
        names.append(name)
        name = "legacy_v4%s.arrow_file" % suffix
        with pa.ipc.new_file(directory + "/" + name, table.schema, options=options) as writer:
            writer.write_table(data, max_chunksize=2)
        names.append(name)
    print(json.dumps({"files": names}))


def command_replacements(path):
    schema = pa.schema([pa.field("d", pa.dictionary(pa.int8(), pa.utf8())), pa.field("n", pa.int32())])
    first = pa.record_batch([pa.array(["a", "b", "a"]).dictionary_encode(), pa.array([1, 2, 3], pa.int32())],
                            schema=schema)
    second = pa.record_batch([pa.array(["z", None, "y"]).dictionary_encode(), pa.array([4, 5, None], pa.int32())],
                             schema=schema)
    with pa.ipc.new_stream(path, schema) as writer:
        writer.write_batch(first, custom_metadata={"batch": "first"})
        writer.write_batch(second, custom_metadata={"batch": "second"})
    print(json.dumps({"batches": 2}))


def main():
    if len(sys.argv) >= 2 and sys.argv[1] == "compare" and len(sys.argv) % 2 == 0:
        command_compare(sys.argv[2:])
    elif len(sys.argv) == 3 and sys.argv[1] == "replacements":
        command_replacements(sys.argv[2])
    elif len(sys.argv) == 3 and sys.argv[1] == "legacy":
        command_legacy(sys.argv[2])
    else:
        sys.exit(__doc__)


if __name__ == "__main__":
    main()
