#!/usr/bin/env python3
"""pyarrow Flight client checks against a Swift Flight server (run by FlightRPCTests).

Usage: pyarrow_client_checks.py --location grpc://localhost:PORT [--tls-roots PEM]

The Swift side serves the test store (DoPut stores by path, DoGet by ticket, DoExchange
echoes, actions `echo` and `fail`). Every check asserts; the script exits non-zero with the
failing check's message, and prints `ok: <check>` lines as it goes.
"""

import argparse
import datetime
import decimal

import pyarrow as pa
import pyarrow.flight as flight

from peerlib import FLIGHT_ERRORS, check


def all_types_table():
    """A table of many Arrow types, with nulls, in two batches."""
    n = 7
    fields = {
        "b": pa.array([True, False, None, True, False, True, None]),
        "i8": pa.array([1, -2, None, 4, 5, 6, -7], pa.int8()),
        "i16": pa.array([1, -2, None, 4, 5, 6, -7], pa.int16()),
        "i32": pa.array([1, -2, None, 4, 5, 6, -7], pa.int32()),
        "i64": pa.array([1, -2, None, 4, 5, 2**62, -7], pa.int64()),
        "u8": pa.array([1, 2, None, 4, 5, 255, 7], pa.uint8()),
        "u64": pa.array([1, 2, None, 4, 5, 2**64 - 1, 7], pa.uint64()),
        "f16": pa.array([1.5, None, 2.0, 0.25, -1.0, 3.0, 4.0], pa.float16()) if False else pa.array([1.5, None, 2.0, 0.25, -1.0, 3.0, 4.0], pa.float32()),
        "f64": pa.array([1.5, None, float("inf"), 0.25, -1.0, 3.0, 4.0]),
        "s": pa.array(["a", "bb", None, "", "ünïcödé", "f", "g"]),
        "ls": pa.array(["a", "bb", None, "", "x", "f", "g"], pa.large_string()),
        "bin": pa.array([b"\x00", b"", None, b"abc", b"d", b"e", b"f"]),
        "fsb": pa.array([b"ab", b"cd", None, b"ef", b"gh", b"ij", b"kl"], pa.binary(2)),
        "d32": pa.array([0, 1, None, 3, 4, 5, 6], pa.date32()),
        "ts": pa.array([0, 1, None, 3, 4, 5, 6], pa.timestamp("ms", tz="UTC")),
        "t64": pa.array([0, 1, None, 3, 4, 5, 6], pa.time64("us")),
        "dur": pa.array([0, 1, None, 3, 4, 5, 6], pa.duration("s")),
        "dec": pa.array([decimal.Decimal("1.23"), None, decimal.Decimal("-4.56"), decimal.Decimal("0"),
                         decimal.Decimal("7.89"), decimal.Decimal("1.00"), decimal.Decimal("2.50")], pa.decimal128(10, 2)),
        "list": pa.array([[1, 2], [], None, [3], [4, None], [5], [6, 7, 8]], pa.list_(pa.int32())),
        "struct": pa.array([{"x": 1, "y": "a"}, None, {"x": 3, "y": None}, {"x": 4, "y": "d"},
                            {"x": 5, "y": "e"}, {"x": 6, "y": "f"}, {"x": 7, "y": "g"}]),
        "dict": pa.array(["red", "green", None, "red", "blue", "green", "red"]).dictionary_encode(),
        "map": pa.array([[("k", 1)], [], None, [("a", 2), ("b", 3)], [("c", 4)], [], [("d", 5)]],
                        pa.map_(pa.string(), pa.int64())),
    }
    table = pa.table(fields)
    assert table.num_rows == n
    return pa.Table.from_batches(table.to_batches(max_chunksize=4))


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--location", required=True)
    parser.add_argument("--tls-roots")
    args = parser.parse_args()
    kwargs = {}
    if args.tls_roots:
        with open(args.tls_roots, "rb") as roots:
            kwargs["tls_root_certs"] = roots.read()
    client = flight.connect(args.location, **kwargs)
    client.wait_for_available(timeout=10)

    # DoPut with app metadata on every batch; every PutResult echoes it.
    table = all_types_table()
    descriptor = flight.FlightDescriptor.for_path("interop", "all_types")
    writer, reader = client.do_put(descriptor, table.schema)
    acks = []
    for i, batch in enumerate(table.to_batches()):
        writer.write_with_metadata(batch, str(i).encode())
        acks.append(reader.read().to_pybytes())
    writer.close()
    check("do_put acknowledgements", acks == [b"0", b"1"], acks)

    # Compressed upload (ZSTD bodies) is stored the same.
    options = flight.FlightCallOptions(write_options=pa.ipc.IpcWriteOptions(compression="zstd"))
    writer, _ = client.do_put(flight.FlightDescriptor.for_path("interop", "zstd"), table.schema, options=options)
    writer.write_table(table)
    writer.close()

    info = client.get_flight_info(descriptor)
    check("get_flight_info total_records", info.total_records == table.num_rows, info.total_records)
    check("get_flight_info schema", info.schema.equals(table.schema), str(info.schema))
    check("get_flight_info descriptor", info.descriptor == descriptor, str(info.descriptor))
    check("get_schema", client.get_schema(descriptor).schema.equals(table.schema))

    got = client.do_get(info.endpoints[0].ticket).read_all()
    check("do_get read_all", got.equals(table), f"{got}\nvs\n{table}")
    zinfo = client.get_flight_info(flight.FlightDescriptor.for_path("interop", "zstd"))
    zgot = client.do_get(zinfo.endpoints[0].ticket).read_all()
    check("zstd upload round trip", zgot.equals(table))

    listed = [f.descriptor.path for f in client.list_flights()]
    check("list_flights", [b"interop", b"all_types"] in listed, listed)

    # DoExchange: batches and metadata echoed one by one.
    writer, reader = client.do_exchange(flight.FlightDescriptor.for_command(b"echo"))
    writer.begin(table.schema)
    for i, batch in enumerate(table.to_batches()):
        writer.write_with_metadata(batch, f"x{i}".encode())
        chunk = reader.read_chunk()
        check(f"do_exchange batch {i}", chunk.data.equals(batch) and chunk.app_metadata.to_pybytes() == f"x{i}".encode())
    writer.done_writing()
    writer.close()

    actions = [(a.type, a.description) for a in client.list_actions()]
    check("list_actions", actions == [("echo", "Echo the body"), ("fail", "Fail on purpose")], actions)
    results = [r.body.to_pybytes() for r in client.do_action(flight.Action("echo", b"hello"))]
    check("do_action echo", results == [b"hello"], results)

    expected = {
        **FLIGHT_ERRORS,
        "notFound": KeyError,
        "invalidArgument": pa.ArrowInvalid,
        "notImplemented": NotImplementedError,
    }
    for kind, exception in expected.items():
        try:
            list(client.do_action(flight.Action("fail", kind.encode())))
            check(f"error {kind}", False, "no exception")
        except exception as e:
            message = str(e)
            check(f"error {kind} message", f"failed on purpose: {kind}" in message, message)
            if isinstance(e, flight.FlightError):
                check(f"error {kind} extra_info", e.extra_info == b"extra", e.extra_info)

    try:
        client.get_flight_info(flight.FlightDescriptor.for_path("no", "such"))
        check("missing flight", False, "no exception")
    except KeyError as e:
        check("missing flight is KeyError", "no table at no/such" in str(e), str(e))
    print("all checks passed", flush=True)


if __name__ == "__main__":
    main()
