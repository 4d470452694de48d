"""Seed corpora for the fuzz targets (run by Scripts/fuzz.sh with the repository's .venv).

    make_seeds.py OUT_DIR [ARROW_TEST_DATA]

Writes OUT_DIR/{stream,file,flatbuffers,flightdata}/: the arrow-testing IPC files (streams,
files and the clusterfuzz inputs) when ARROW_TEST_DATA is given, and small streams and files
that pyarrow writes here (many types, dictionaries, compression, legacy framing). The
flatbuffers seeds are the Message and Footer flatbuffers cut out of those; the flightdata
seeds are the streams re-framed as the FlightData messages of a DoGet (each behind a 4-byte
little-endian length, the framing FuzzFlightData reads).
"""

import hashlib
import io
import os
import struct
import sys

import pyarrow as pa
import pyarrow.ipc as ipc

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "Tests", "Peers"))
from peerlib import encode_varint  # noqa: E402  (the one protobuf varint encoder)


def sample_tables():
    n = 5
    ints = pa.array([1, None, 3, -4, 5], pa.int32())
    strings = pa.array(["a", None, "ccc", "", "é"])
    yield pa.table({"i": ints, "s": strings, "f": pa.array([1.5, 2.0, None, -0.0, 3.25])})
    yield pa.table(
        {
            "list": pa.array([[1, 2], None, [], [3], [4, 5, 6]], pa.list_(pa.int64())),
            "large_list": pa.array([[1], None, [], [3], [4]], pa.large_list(pa.int8())),
            "fsl": pa.array([[1, 2], None, [3, 4], [5, 6], [7, 8]], pa.list_(pa.int16(), 2)),
            "struct": pa.array([{"a": 1, "b": "x"}, None, {"a": 3, "b": None}, {"a": None, "b": "y"}, {"a": 5, "b": "z"}]),
            "map": pa.array([[("k", 1)], None, [], [("a", 2), ("b", 3)], [("c", None)]], pa.map_(pa.string(), pa.int32())),
        }
    )
    yield pa.table(
        {
            "dict": pa.array(["x", "y", None, "x", "z"]).dictionary_encode(),
            "bool": pa.array([True, False, None, True, False]),
            "dec": pa.array([1, 2, None, 4, 5], pa.decimal128(10, 2)),
            "ts": pa.array([1, 2, None, 4, 5], pa.timestamp("us", tz="UTC")),
            "date": pa.array([1, 2, None, 4, 5], pa.date32()),
            "bin": pa.array([b"a", b"", None, b"\x00\xff", b"xyz"], pa.large_binary()),
        }
    )
    yield pa.table(
        {
            "sv": pa.array(["short", "a string longer than twelve bytes", None, "", "x"], pa.string_view()),
            "bv": pa.array([b"a", None, b"b" * 20, b"", b"c"], pa.binary_view()),
            "ree": pa.RunEndEncodedArray.from_arrays(pa.array([2, 5], pa.int32()), pa.array([1, 2])),
            "lv": pa.array([[1], None, [2, 3], [], [4]], pa.list_view(pa.int32())),
        }
    )
    sparse = pa.UnionArray.from_sparse(
        pa.array([0, 1, 0, 1, 0], pa.int8()), [pa.array([1, 2, 3, 4, 5]), pa.array(["a", "b", "c", "d", "e"])]
    )
    dense = pa.UnionArray.from_dense(
        pa.array([0, 1, 0, 1, 1], pa.int8()), pa.array([0, 0, 1, 1, 2], pa.int32()),
        [pa.array([1, 2]), pa.array(["a", "b", "c"])],
    )
    yield pa.table({"sparse": sparse, "dense": dense, "null": pa.nulls(n)})
    yield pa.table({"empty": pa.array([], pa.int32())})


def write_stream(table, options, batches=2):
    sink = io.BytesIO()
    with ipc.new_stream(sink, table.schema, options=options) as writer:
        for _ in range(batches):
            writer.write_table(table)
    return sink.getvalue()


def write_file(table, options):
    sink = io.BytesIO()
    with ipc.new_file(sink, table.schema, options=options) as writer:
        writer.write_table(table)
    return sink.getvalue()


def messages(stream):
    """The (metadata flatbuffer, body) of each message of an IPC stream, up to the first error."""
    out = []
    try:
        reader = ipc.MessageReader.open_stream(pa.py_buffer(stream))
        for message in reader:
            body = message.body.to_pybytes() if message.body is not None else b""
            out.append((message.metadata.to_pybytes(), body))
    except Exception:
        pass
    return out


def flight_data(metadata, body):
    """A FlightData protobuf: data_header (field 2) and data_body (field 1000)."""
    out = b"\x12" + encode_varint(len(metadata)) + metadata
    if body:
        out += encode_varint((1000 << 3) | 2) + encode_varint(len(body)) + body
    return out


def footer(file_bytes):
    if len(file_bytes) < 10 or file_bytes[-6:] != b"ARROW1":
        return None
    (length,) = struct.unpack_from("<i", file_bytes, len(file_bytes) - 10)
    if length <= 0 or length > len(file_bytes) - 10:
        return None
    return file_bytes[len(file_bytes) - 10 - length : len(file_bytes) - 10]


def main():
    out_dir = sys.argv[1]
    data = sys.argv[2] if len(sys.argv) > 2 else None
    seeds = {name: [] for name in ("stream", "file", "flatbuffers", "flightdata")}

    if data:
        root = os.path.join(data, "arrow-ipc-stream")
        for folder, _, files in os.walk(root):
            for name in sorted(files):
                path = os.path.join(folder, name)
                with open(path, "rb") as handle:
                    content = handle.read()
                if name.endswith(".arrow_file"):
                    seeds["file"].append(content)
                elif name.endswith(".stream") or name.startswith("clusterfuzz"):
                    seeds["stream"].append(content)
        for folder in ("arrow-ipc-file",):
            for root_dir, _, files in os.walk(os.path.join(data, folder)):
                for name in sorted(files):
                    with open(os.path.join(root_dir, name), "rb") as handle:
                        seeds["file"].append(handle.read())

    option_sets = [
        ipc.IpcWriteOptions(),
        ipc.IpcWriteOptions(compression="lz4"),
        ipc.IpcWriteOptions(compression="zstd"),
        ipc.IpcWriteOptions(use_legacy_format=True, metadata_version=ipc.MetadataVersion.V4),
    ]
    for table in sample_tables():
        for options in option_sets:
            try:
                seeds["stream"].append(write_stream(table, options))
            except Exception as error:  # a type the legacy format cannot write
                print(f"skipped a stream seed: {error}", file=sys.stderr)
            if options.metadata_version == ipc.MetadataVersion.V5:
                seeds["file"].append(write_file(table, options))

    for stream in seeds["stream"]:
        parsed = messages(stream)
        if not parsed:
            continue
        seeds["flightdata"].append(b"".join(struct.pack("<I", len(m)) + m for m in (flight_data(*p) for p in parsed)))
        for metadata, _ in parsed:
            seeds["flatbuffers"].append(metadata)
    for file_bytes in seeds["file"]:
        found = footer(file_bytes)
        if found:
            seeds["flatbuffers"].append(found)
        if len(file_bytes) > 8:
            for metadata, _ in messages(file_bytes[8:]):
                seeds["flatbuffers"].append(metadata)

    for name, contents in seeds.items():
        folder = os.path.join(out_dir, name)
        os.makedirs(folder, exist_ok=True)
        for content in contents:
            digest = hashlib.sha1(content).hexdigest()
            with open(os.path.join(folder, digest), "wb") as handle:
                handle.write(content)
        print(f"{name}: {len(set(hashlib.sha1(c).hexdigest() for c in contents))} seeds")


if __name__ == "__main__":
    main()
