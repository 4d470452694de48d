#!/usr/bin/env python3
"""pyarrow client edge-case checks against the Swift edge service (run by FlightRPCTests).

Usage: pyarrow_edge_client_checks.py --location grpc://localhost:PORT --check NAME [...]

The Swift side serves `EdgeService` (Tests/FlightRPCTests/Support/EdgeService.swift): the test store
plus tickets `metadata`, `schema-only`, `schema-only-generator`, `endless`, `slow`,
`zstd:<key>`, `lz4:<key>`, the action `slow` and the exchange command `count`.

Checks (each asserts, prints `ok: <what>` lines and finally `all checks passed`):
  wait        wait_for_available on the edge server, on --unimplemented (a server that
              implements nothing) and on a port nobody listens on
  timeout     FlightCallOptions(timeout=...) on the slow action and the slow DoGet
  cancel      reader.cancel() in the middle of the endless DoGet, then a normal call
  exchange    DoExchange `count`: write one, read one, with metadata-only messages
  metadata    the `metadata` generator stream read chunk by chunk
  schema      the schema-only streams
  compression DoPut with LZ4 and ZSTD bodies (dictionaries included), DoGet `zstd:`/`lz4:`
              read back, and the DoGet bodies measured on the wire with raw grpcio
"""

import argparse
import socket
import time

import pyarrow as pa
import pyarrow.flight as flight

from peerlib import check, encode_varint, expect_raises


EDGE_SCHEMA = pa.schema([("n", pa.int64()), ("label", pa.string())])


def edge_batch(start, count):
    return pa.record_batch(
        [pa.array(range(start, start + count), pa.int64()), pa.array([f"row {i}" for i in range(start, start + count)])],
        schema=EDGE_SCHEMA,
    )


def check_wait(client, args):
    started = time.monotonic()
    client.wait_for_available(timeout=5)
    check("wait_for_available on the edge server", True)
    nothing = flight.connect(args.unimplemented)
    nothing.wait_for_available(timeout=5)
    check("wait_for_available treats UNIMPLEMENTED as up", time.monotonic() - started < 5)
    try:
        list(nothing.list_flights())
        check("list_flights on the empty server", False, "no exception")
    except NotImplementedError as error:
        check("list_flights on the empty server is NotImplementedError", "ListFlights" in str(error), str(error))
    with socket.socket() as probe:  # a port that was free a moment ago: nobody listens there
        probe.bind(("localhost", 0))
        dead_port = probe.getsockname()[1]
    dead = flight.connect(f"grpc://localhost:{dead_port}")
    started = time.monotonic()
    expect_raises(
        "wait_for_available on a dead port times out",
        (flight.FlightTimedOutError, flight.FlightUnavailableError),
        lambda: dead.wait_for_available(timeout=1),
    )
    check("wait_for_available on a dead port gives up in time", time.monotonic() - started < 10)


def check_timeout(client, _args):
    options = flight.FlightCallOptions(timeout=0.5)
    started = time.monotonic()
    expect_raises(
        "slow action past its timeout raises FlightTimedOutError",
        flight.FlightTimedOutError,
        lambda: list(client.do_action(flight.Action("slow", b""), options=options)),
    )
    check("the timeout fired promptly", time.monotonic() - started < 5, time.monotonic() - started)
    reader = client.do_get(flight.Ticket(b"slow"), options=options)
    first = reader.read_chunk()
    check("slow DoGet sends its first batch", first.data.equals(edge_batch(0, 2)), str(first.data))
    started = time.monotonic()
    expect_raises("slow DoGet past its timeout raises FlightTimedOutError", flight.FlightTimedOutError, reader.read_chunk)
    check("the DoGet timeout fired promptly", time.monotonic() - started < 5, time.monotonic() - started)
    results = [r.body.to_pybytes() for r in client.do_action(flight.Action("echo", b"after"))]
    check("the server serves after the timeouts", results == [b"after"], results)


def check_cancel(client, _args):
    reader = client.do_get(flight.Ticket(b"endless"))
    for index in range(5):
        chunk = reader.read_chunk()
        check(f"endless chunk {index}", chunk.data.num_rows == 1000, chunk.data.num_rows)
    reader.cancel()
    try:
        while True:
            reader.read_chunk()  # may still deliver what was already received
    except flight.FlightCancelledError as error:
        check("reading after cancel() raises FlightCancelledError", True, str(error))
    except StopIteration:
        check("reading after cancel() ends the stream", False, "the endless stream ended normally")
    results = [r.body.to_pybytes() for r in client.do_action(flight.Action("echo", b"still here"))]
    check("the server serves after the cancellation", results == [b"still here"], results)
    table = client.do_get(flight.Ticket(b"schema-only")).read_all()
    check("a second DoGet after the cancellation", table.schema.equals(EDGE_SCHEMA) and table.num_rows == 0)


def check_exchange(client, _args):
    writer, reader = client.do_exchange(flight.FlightDescriptor.for_command(b"count"))
    writer.begin(EDGE_SCHEMA)
    counts = pa.schema([("rows", pa.int64())])
    for index, rows in enumerate([1, 7, 0, 1000, 3]):
        writer.write_with_metadata(edge_batch(index, rows), f"b{index}".encode())
        chunk = reader.read_chunk()
        check(f"exchange answer {index} comes before the next write", chunk.data is not None)
        check(f"exchange answer {index} schema", chunk.data.schema.equals(counts), str(chunk.data.schema))
        check(f"exchange answer {index} rows", chunk.data.column(0).to_pylist() == [rows], chunk.data.column(0))
        check(f"exchange answer {index} metadata", chunk.app_metadata.to_pybytes() == f"b{index}".encode())
        writer.write_metadata(f"meta{index}".encode())
        chunk = reader.read_chunk()
        check(f"exchange metadata-only answer {index}", chunk.data is None, str(chunk.data))
        check(
            f"exchange metadata-only answer {index} bytes",
            chunk.app_metadata.to_pybytes() == f"meta{index}".encode()[::-1],
            chunk.app_metadata,
        )
    writer.done_writing()
    try:
        reader.read_chunk()
        check("exchange ends after done_writing", False, "another chunk arrived")
    except StopIteration:
        check("exchange ends after done_writing", True)
    writer.close()


def check_metadata(client, _args):
    reader = client.do_get(flight.Ticket(b"metadata"))
    check("metadata stream schema", reader.schema.equals(EDGE_SCHEMA), str(reader.schema))
    expected = [
        (edge_batch(0, 3), b"m0"),
        (None, b"only-1"),
        (edge_batch(3, 2), None),
        (edge_batch(5, 4), b"m3"),
        (None, b"only-4"),
    ]
    for index, (batch, metadata) in enumerate(expected):
        chunk = reader.read_chunk()
        if batch is None:
            check(f"chunk {index} is metadata-only", chunk.data is None, str(chunk.data))
        else:
            check(f"chunk {index} batch", chunk.data is not None and chunk.data.equals(batch), str(chunk.data))
        got = None if chunk.app_metadata is None else chunk.app_metadata.to_pybytes()
        check(f"chunk {index} app_metadata", got == metadata, got)
    expect_raises("the metadata stream ends after its last chunk", StopIteration, reader.read_chunk)
    # read_all stops at the first metadata-only chunk (pyarrow's rule).
    table = client.do_get(flight.Ticket(b"metadata")).read_all()
    check("read_all stops at the first metadata-only chunk", table.num_rows == 3, table.num_rows)


def check_schema(client, _args):
    for ticket in [b"schema-only", b"schema-only-generator"]:
        reader = client.do_get(flight.Ticket(ticket))
        check(f"{ticket.decode()} schema", reader.schema.equals(EDGE_SCHEMA), str(reader.schema))
        expect_raises(f"{ticket.decode()} has no chunk", StopIteration, reader.read_chunk)
        table = client.do_get(flight.Ticket(ticket)).read_all()
        check(f"{ticket.decode()} read_all", table.num_rows == 0 and table.schema.equals(EDGE_SCHEMA), str(table))


def compressible_table():
    """Dictionary, string and numeric columns, very compressible, in three batches."""
    n = 30_000
    colors = pa.array(["red", "green", "blue", None, "red"] * (n // 5)).dictionary_encode()
    large_dict = pa.DictionaryArray.from_arrays(
        pa.array([i % 3 for i in range(n)], pa.int16()), pa.array(["alpha", "beta", "gamma"], pa.large_string())
    )
    table = pa.table(
        {
            "id": pa.array(range(n), pa.int64()),
            "zeros": pa.array([0] * n, pa.int64()),
            "color": colors,
            "large_dict": large_dict,
            "text": pa.array(["the same text again"] * n),
        }
    )
    return pa.Table.from_batches(table.to_batches(max_chunksize=10_000))


def raw_doget_body_bytes(location, ticket):
    """DoGet over raw grpcio: the total data_body bytes of the FlightData messages received."""
    import grpc

    target = location.split("://", 1)[1]
    total = 0
    with grpc.insecure_channel(target) as channel:
        call = channel.unary_stream("/arrow.flight.protocol.FlightService/DoGet")
        request = b"\x0a" + encode_varint(len(ticket)) + ticket
        for message in call(request, timeout=30):
            total += flight_data_body_length(message)
    return total


def flight_data_body_length(message):
    """The length of field 1000 (data_body) in FlightData bytes, walking the fields."""
    position = 0
    body = 0

    def varint():
        nonlocal position
        shift = result = 0
        while True:
            byte = message[position]
            position += 1
            result |= (byte & 0x7F) << shift
            shift += 7
            if not byte & 0x80:
                return result

    while position < len(message):
        key = varint()
        field, wire = key >> 3, key & 7
        if wire != 2:
            raise ValueError(f"unexpected wire type {wire} for field {field}")
        length = varint()
        if field == 1000:
            body += length
        position += length
    return body


def check_compression(client, args):
    table = compressible_table()
    stored = {}
    for codec in ["lz4", "zstd"]:
        options = flight.FlightCallOptions(write_options=pa.ipc.IpcWriteOptions(compression=codec))
        key = f"compressed/{codec}"
        writer, _ = client.do_put(flight.FlightDescriptor.for_path(*key.split("/")), table.schema, options=options)
        writer.write_table(table)
        writer.close()
        stored[codec] = key
        got = client.do_get(flight.Ticket(key.encode())).read_all()
        check(f"{codec} upload with dictionaries stored and read back", got.equals(table), f"{got}\nvs\n{table}")
    plain = raw_doget_body_bytes(args.location, stored["zstd"].encode())
    for codec in ["zstd", "lz4"]:
        ticket = f"{codec}:{stored[codec]}".encode()
        got = client.do_get(flight.Ticket(ticket)).read_all()
        check(f"Swift {codec} DoGet read by pyarrow", got.equals(table), f"{got}\nvs\n{table}")
        compressed = raw_doget_body_bytes(args.location, ticket)
        check(
            f"Swift {codec} DoGet bodies are compressed on the wire",
            compressed * 5 < plain,
            f"{compressed} compressed body bytes vs {plain} plain",
        )


CHECKS = {
    "wait": check_wait,
    "timeout": check_timeout,
    "cancel": check_cancel,
    "exchange": check_exchange,
    "metadata": check_metadata,
    "schema": check_schema,
    "compression": check_compression,
}


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--location", required=True)
    parser.add_argument("--check", action="append", choices=sorted(CHECKS), required=True)
    parser.add_argument("--unimplemented", help="location of a server implementing nothing (check wait)")
    args = parser.parse_args()
    client = flight.connect(args.location)
    for name in args.check:
        CHECKS[name](client, args)
    print("all checks passed", flush=True)


if __name__ == "__main__":
    main()
