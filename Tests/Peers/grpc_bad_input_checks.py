#!/usr/bin/env python3
"""Bad input against a Swift Flight server over raw grpcio (run by FlightRPCTests).

Usage: grpc_bad_input_checks.py --location grpc://localhost:PORT

The Swift side serves the test store (DoPut stores by path once the upload completes, DoGet
by ticket). With pyarrow this script first stores a table under `bad/target`; then, with the
raw `grpcio` package and hand-built protobuf bytes, it sends what no Flight library would:

  - a DoPut (and a DoExchange) whose first message has no descriptor, an empty DoPut
    stream, a DoPut that never sends a schema or sends a batch before it, a garbage
    data_header, a batch that does not match the schema, a dictionary batch the schema has no
    dictionary for, a record batch whose body is shorter than its buffers claim, a
    present-but-empty data_header, malformed FlightData protobuf bytes (as the first message
    and later; lying app_metadata and data_body sizes among them),
  - a DoGet, a GetFlightInfo and a DoAction whose request message is malformed.

Every bad call must end promptly with INVALID_ARGUMENT (a stream that opens without a
descriptor: UNKNOWN with x-arrow-status 5, as Arrow C++'s server) and a message that says what was wrong
(never a hang, never a crash). An upload the client cancels half way stores nothing.
After each one a normal pyarrow call must still work and the
table under `bad/target` must be unchanged. Prints `ok: <check>` lines, then
`all checks passed`; exits non-zero naming the failing check.
"""

import argparse
import threading

import grpc
import pyarrow as pa
import pyarrow.flight as flight

from peerlib import check, encode_varint

SERVICE = "/arrow.flight.protocol.FlightService/"
TIMEOUT = 10  # seconds; a bad call that takes longer has hung the server


# -- protobuf by hand (wire format: varint keys, length-delimited fields) --------------------


def field(number, payload):
    """A length-delimited field (wire type 2)."""
    return encode_varint(number << 3 | 2) + encode_varint(len(payload)) + payload


def descriptor_path(*components):
    """FlightDescriptor{type = PATH (1), path = components}."""
    return b"\x08\x01" + b"".join(field(3, c.encode()) for c in components)


def flight_data(descriptor=None, header=None, app_metadata=None, body=None):
    """FlightData: descriptor = 1, data_header = 2, app_metadata = 3, data_body = 1000."""
    out = b""
    if descriptor is not None:
        out += field(1, descriptor)
    if header is not None:
        out += field(2, header)
    if app_metadata is not None:
        out += field(3, app_metadata)
    if body is not None:
        out += field(1000, body)
    return out


def ipc_parts(serialized):
    """The bare flatbuffer Message and the body of an encapsulated IPC message."""
    message = pa.ipc.read_message(serialized)
    return message.metadata.to_pybytes(), (message.body.to_pybytes() if message.body is not None else b"")


TARGET = descriptor_path("bad", "target")
SCHEMA = pa.schema([("id", pa.int64()), ("name", pa.string())])
TABLE = pa.table({"id": pa.array([1, 2, 3, 4, 5], pa.int64()), "name": ["a", "b", None, "d", "e"]}, schema=SCHEMA)
SCHEMA_HEADER, _ = ipc_parts(SCHEMA.serialize())
BATCH_HEADER, BATCH_BODY = ipc_parts(TABLE.to_batches()[0].serialize())
# A batch of another schema: one boolean column (fewer buffers, other lengths).
OTHER = pa.record_batch([pa.array([True, False, True])], names=["flag"])
OTHER_HEADER, OTHER_BODY = ipc_parts(OTHER.serialize())


def dictionary_message():
    """The header and body of a dictionary batch (id 0) from a stream with a dictionary column."""
    table = pa.table({"color": pa.array(["red", "green", "red"]).dictionary_encode()})
    sink = pa.BufferOutputStream()
    with pa.ipc.new_stream(sink, table.schema) as writer:
        writer.write_table(table)
    reader = pa.ipc.MessageReader.open_stream(sink.getvalue())
    reader.read_next_message()  # the schema
    message = reader.read_next_message()
    assert message.type == "dictionary", message.type
    return message.metadata.to_pybytes(), message.body.to_pybytes()


DICTIONARY_HEADER, DICTIONARY_BODY = dictionary_message()


# -- calls ------------------------------------------------------------------------------------


def expect_invalid(name, call, contains, expected=grpc.StatusCode.INVALID_ARGUMENT):
    """Runs a raw call that must fail with `expected` (INVALID_ARGUMENT unless told) and
    details containing `contains`. A DoPut or DoExchange that opens without a descriptor fails
    as Arrow C++'s server fails it: an IOError, gRPC UNKNOWN with x-arrow-status 5."""
    try:
        responses = call()
        check(name, False, f"the call succeeded: {responses!r}")
    except grpc.RpcError as error:
        code, details = error.code(), error.details() or ""
        check(f"{name}: did not hang", code != grpc.StatusCode.DEADLINE_EXCEEDED, details)
        check(f"{name}: {expected.name}", code == expected, f"{code}: {details}")
        if expected == grpc.StatusCode.UNKNOWN:
            trailers = dict(error.trailing_metadata() or ())
            check(f"{name}: an Arrow IOError", trailers.get("x-arrow-status") == "5", str(trailers))
        check(f"{name}: message says why", contains.lower() in details.lower(), f"{details!r} lacks {contains!r}")
        print(f"   {name}: {details}", flush=True)


def still_serving(client, after):
    """The server answers a normal call and `bad/target` is unchanged."""
    got = client.do_get(flight.Ticket(b"bad/target")).read_all()
    check(f"after {after}: the server serves and bad/target is intact", got.equals(TABLE), str(got))


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--location", required=True)
    args = parser.parse_args()
    client = flight.connect(args.location)
    client.wait_for_available(timeout=10)
    writer, _ = client.do_put(flight.FlightDescriptor.for_path("bad", "target"), SCHEMA)
    writer.write_table(TABLE)
    writer.close()
    still_serving(client, "the first upload")

    channel = grpc.insecure_channel(args.location.split("://", 1)[1])
    do_put = channel.stream_stream(SERVICE + "DoPut")
    do_exchange = channel.stream_stream(SERVICE + "DoExchange")
    do_get = channel.unary_stream(SERVICE + "DoGet")
    get_flight_info = channel.unary_unary(SERVICE + "GetFlightInfo")
    do_action = channel.unary_stream(SERVICE + "DoAction")

    def put(*messages):
        return lambda: list(do_put(iter(messages), timeout=TIMEOUT))

    schema_message = flight_data(TARGET, SCHEMA_HEADER)
    cases = [
        (
            "DoPut without a descriptor",
            put(flight_data(header=SCHEMA_HEADER)),
            "Descriptor missing on first message",
            grpc.StatusCode.UNKNOWN,
        ),
        ("empty DoPut stream", put(), "Stream finished before first message sent", grpc.StatusCode.UNKNOWN),
        (
            "DoExchange without a descriptor",
            lambda: list(do_exchange(iter([flight_data(header=SCHEMA_HEADER)]), timeout=TIMEOUT)),
            "Descriptor missing on first message",
            grpc.StatusCode.UNKNOWN,
        ),
        ("DoPut that never sends a schema", put(flight_data(TARGET), flight_data(app_metadata=b"m")), "schema"),
        (
            "DoPut of a record batch before any schema",
            put(flight_data(TARGET), flight_data(header=BATCH_HEADER, body=BATCH_BODY)),
            "schema",
        ),
        (
            "DoPut of a dictionary batch for a dictionary the schema does not have",
            put(schema_message, flight_data(header=DICTIONARY_HEADER, body=DICTIONARY_BODY)),
            "dictionary",
        ),
        ("DoPut with a garbage data_header", put(flight_data(TARGET, b"\x10\x00\x00\x00garbage!garbage!")), "invalid"),
        (
            "DoPut of a batch that does not match the schema",
            put(schema_message, flight_data(header=OTHER_HEADER, body=OTHER_BODY)),
            "invalid",
        ),
        (
            "DoPut of a batch whose body is shorter than its buffers",
            put(schema_message, flight_data(header=BATCH_HEADER, body=BATCH_BODY[: len(BATCH_BODY) // 2])),
            "invalid",
        ),
        (
            "DoPut with a present but empty data_header",
            put(schema_message, flight_data(header=b"", app_metadata=b"ack?")),
            "invalid",
        ),
        ("DoPut with a first message of invalid protobuf", put(b"\xff\xff\xff\xff"), "malformed"),
        (
            "DoPut with a first message whose data_header length runs past the end",
            put(field(1, TARGET) + b"\x12\xff\xff\xff\xff\x0f" + SCHEMA_HEADER),
            "malformed",
        ),
        (
            "DoPut with a lying app_metadata size after the schema",
            put(schema_message, b"\x1a\xe8\x07abc"),
            "malformed",
        ),
        (
            "DoPut with a lying data_body size after the schema",
            put(schema_message, field(2, BATCH_HEADER) + b"\xc2\x3e\x80\x80\x80\x80\x08" + BATCH_BODY),
            "malformed",
        ),
        ("DoGet with a malformed Ticket", lambda: list(do_get(b"\x0a\x05ab", timeout=TIMEOUT)), "Ticket"),
        ("DoGet with a Ticket of the wrong wire type", lambda: list(do_get(b"\x0b\x01", timeout=TIMEOUT)), "Ticket"),
        (
            "GetFlightInfo with a malformed FlightDescriptor",
            lambda: get_flight_info(b"\x1a\x10path", timeout=TIMEOUT),
            "FlightDescriptor",
        ),
        ("DoAction with a malformed Action", lambda: list(do_action(b"\x0a\xff", timeout=TIMEOUT)), "Action"),
    ]
    for name, call, contains, *expected in cases:
        expect_invalid(name, call, contains, *expected)
        still_serving(client, name)

    # A client that cancels an upload half way: nothing of it is stored.
    sent_two = threading.Event()
    never = threading.Event()

    def half_upload():
        yield schema_message
        yield flight_data(header=BATCH_HEADER, body=BATCH_BODY)
        sent_two.set()
        never.wait(TIMEOUT)  # hold the stream open until the call is cancelled

    responses = do_put(half_upload(), timeout=TIMEOUT)
    check("the half upload was sent", sent_two.wait(TIMEOUT))
    responses.cancel()
    never.set()
    try:
        list(responses)
        check("the cancelled upload ends cancelled", False, "it completed")
    except grpc.RpcError as error:
        check("the cancelled upload ends cancelled", error.code() == grpc.StatusCode.CANCELLED, error.code())
    still_serving(client, "a cancelled upload")

    listed = [f.descriptor.path for f in client.list_flights()]
    check("nothing else was stored", listed == [[b"bad", b"target"]], listed)
    channel.close()
    print("all checks passed", flush=True)


if __name__ == "__main__":
    main()
