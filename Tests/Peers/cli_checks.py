#!/usr/bin/env python3
"""pyarrow's side of the `flight` command-line tests (Tests/FlightCLITests).

Subcommands (each exits 0 on success, non-zero with a message on stderr otherwise):
  write FILE [--format file|stream]   write the sample table as an Arrow IPC file or stream
  verify FILE                         check that FILE (IPC file or stream) holds the sample table
  auth-client LOCATION USER PASSWORD  pyarrow's authenticate_basic_token against `flight serve
                                      --auth-basic`, then calls with the Bearer header; prints "ok"
  client LOCATION                     pyarrow client against `flight serve`: DoPut (with
                                      per-batch acknowledgements), GetFlightInfo, DoGet, DoExchange
                                      echo, ListFlights, actions; prints "ok"
"""

import argparse
import datetime
import json
import sys

import pyarrow as pa
import pyarrow.flight as flight
import pyarrow.ipc as ipc


def sample_table():
    """A table of several types in three batches, with nulls."""
    rows = 1000
    batches = []
    for part in range(3):
        base = part * rows
        batches.append(
            pa.record_batch(
                {
                    "id": pa.array(range(base, base + rows), pa.int64()),
                    "score": pa.array([None if i % 7 == 0 else i * 0.5 for i in range(base, base + rows)], pa.float64()),
                    "name": pa.array([None if i % 5 == 0 else f"row {i}" for i in range(base, base + rows)], pa.string()),
                    "flag": pa.array([i % 3 == 0 for i in range(base, base + rows)], pa.bool_()),
                    "when": pa.array(
                        [datetime.datetime(2024, 1, 1) + datetime.timedelta(seconds=i) for i in range(base, base + rows)],
                        pa.timestamp("us"),
                    ),
                    "tags": pa.array([[i, i + 1] if i % 4 else None for i in range(base, base + rows)], pa.list_(pa.int32())),
                }
            )
        )
    return pa.Table.from_batches(batches)


def read_any(path):
    """Reads an Arrow IPC file or stream."""
    with open(path, "rb") as handle:
        magic = handle.read(6)
    if magic == b"ARROW1":
        return ipc.open_file(path).read_all()
    return ipc.open_stream(path).read_all()


def fail(message):
    print(message, file=sys.stderr)
    sys.exit(1)


def command_write(args):
    table = sample_table()
    with open(args.file, "wb") as sink:
        opener = ipc.new_file if args.format == "file" else ipc.new_stream
        with opener(sink, table.schema) as writer:
            for batch in table.to_batches():
                writer.write_batch(batch)


def command_verify(args):
    expected = sample_table()
    actual = read_any(args.file)
    if not actual.equals(expected):
        fail(f"{args.file} differs from the sample table:\n{actual}\n--- expected ---\n{expected}")
    print("ok")


def command_client(args):
    client = flight.connect(args.location)
    table = sample_table()
    descriptor = flight.FlightDescriptor.for_path("pyarrow", "upload")

    # DoPut, waiting for the acknowledgement of each batch before sending the next.
    writer, reader = client.do_put(descriptor, table.schema)
    for index, batch in enumerate(table.to_batches()):
        metadata = str(index).encode()
        writer.write_with_metadata(batch, metadata)
        ack = reader.read()
        if ack is None or ack.to_pybytes() != metadata:
            fail(f"batch {index}: acknowledgement {ack!r}, expected {metadata!r}")
    writer.close()

    # A batch without metadata is acknowledged too, with empty metadata.
    writer, reader = client.do_put(flight.FlightDescriptor.for_path("pyarrow", "plain"), table.schema)
    for index, batch in enumerate(table.to_batches()):
        writer.write_batch(batch)
        ack = reader.read()
        if ack is None or ack.to_pybytes() != b"":
            fail(f"plain batch {index}: acknowledgement {ack!r}, expected empty metadata")
    writer.close()

    info = client.get_flight_info(descriptor)
    if info.total_records != table.num_rows:
        fail(f"total_records {info.total_records}, expected {table.num_rows}")
    if info.schema != table.schema:
        fail(f"schema {info.schema}, expected {table.schema}")
    if len(info.endpoints) != 1 or info.endpoints[0].locations:
        fail(f"endpoints {info.endpoints}: expected one endpoint without a location")
    fetched = client.do_get(info.endpoints[0].ticket).read_all()
    if not fetched.equals(table):
        fail("DoGet returned different data")
    if client.get_schema(descriptor).schema != table.schema:
        fail("GetSchema returned another schema")

    paths = ["/".join(p.decode() if isinstance(p, bytes) else p for p in i.descriptor.path) for i in client.list_flights()]
    if "pyarrow/upload" not in paths:
        fail(f"ListFlights: {paths}")
    prefixed = list(client.list_flights(b"pyarrow/"))
    if len(prefixed) != 2:  # pyarrow/plain and pyarrow/upload
        fail(f"ListFlights with criteria pyarrow/: {len(prefixed)} flights, expected 2")

    # DoExchange echo: batches and metadata come back one by one.
    exchange_writer, exchange_reader = client.do_exchange(flight.FlightDescriptor.for_command(b"echo"))
    exchange_writer.begin(table.schema)
    for index, batch in enumerate(table.to_batches()):
        exchange_writer.write_with_metadata(batch, f"m{index}".encode())
        chunk = exchange_reader.read_chunk()
        if not chunk.data.equals(batch) or chunk.app_metadata.to_pybytes() != f"m{index}".encode():
            fail(f"DoExchange echo: batch {index} came back different")
    exchange_writer.done_writing()
    exchange_writer.close()

    tables = [r.body.to_pybytes().decode() for r in client.do_action(flight.Action("list_tables", b""))]
    if "pyarrow/upload" not in tables:
        fail(f"list_tables: {tables}")
    stats = json.loads(next(iter(client.do_action(flight.Action("get_stats", b"")))).body.to_pybytes())
    if stats["tables"] != len(tables):
        fail(f"get_stats: {stats}")
    try:
        client.get_flight_info(flight.FlightDescriptor.for_path("no", "such"))
        fail("GetFlightInfo of an unknown path succeeded")
    except KeyError:
        pass
    try:
        writer, _ = client.do_put(flight.FlightDescriptor.for_path("..", "escape"), table.schema)
        writer.write_table(table)
        writer.close()
        fail("DoPut to ../escape succeeded")
    except pa.ArrowInvalid:
        pass
    client.close()
    print("ok")


def command_auth_client(args):
    client = flight.connect(args.location)
    try:
        list(client.list_flights())
        fail("ListFlights without a token succeeded")
    except flight.FlightUnauthenticatedError:
        pass
    try:
        client.authenticate_basic_token(args.user, args.password + "-wrong")
        fail("a wrong password was accepted")
    except flight.FlightUnauthenticatedError:
        pass
    key, value = client.authenticate_basic_token(args.user, args.password)
    if key.lower() != b"authorization" or not value.startswith(b"Bearer "):
        fail(f"authenticate_basic_token returned {key!r}: {value!r}")
    options = flight.FlightCallOptions(headers=[(key, value)])
    paths = sorted("/".join(p.decode() for p in i.descriptor.path) for i in client.list_flights(options=options))
    if paths != ["dataset/products", "dataset/sales"]:
        fail(f"ListFlights with the token: {paths}")
    table = client.do_get(flight.Ticket(client.get_flight_info(
        flight.FlightDescriptor.for_path("dataset", "sales"), options=options).endpoints[0].ticket.ticket), options=options).read_all()
    if table.num_rows != 3:
        fail(f"DoGet with the token: {table.num_rows} rows")
    client.close()
    print("ok")


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    commands = parser.add_subparsers(dest="command", required=True)
    write = commands.add_parser("write")
    write.add_argument("file")
    write.add_argument("--format", choices=["file", "stream"], default="file")
    verify = commands.add_parser("verify")
    verify.add_argument("file")
    client = commands.add_parser("client")
    client.add_argument("location")
    auth_client = commands.add_parser("auth-client")
    auth_client.add_argument("location")
    auth_client.add_argument("user")
    auth_client.add_argument("password")
    args = parser.parse_args()
    handlers = {"write": command_write, "verify": command_verify, "client": command_client}
    handlers["auth-client"] = command_auth_client
    handlers[args.command](args)


if __name__ == "__main__":
    main()
