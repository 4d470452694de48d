#!/usr/bin/env python3
"""pyarrow counterpart of the `flight-bench` executable (Sources/FlightBench).

Same subcommands, options, data and JSON lines, so Scripts/bench.sh can run Swift and pyarrow
side by side and mix them (Swift client against this server and the other way round):

  bench_peer.py ipc    [--size-mb N] [--rows-per-batch R]
  bench_peer.py serve  [--port P] [--size-mb N] [--rows-per-batch R]
  bench_peer.py client --location URI --op doget|doput|getflightinfo
                       [--size-mb N] [--rows-per-batch R] [--calls K]

The server follows the peer protocol of Tests/Peers/README.md: its first stdout line is
`Server listening on localhost:<port>`, flushed, and it exits when stdin reaches EOF.
MB/s are 10^6 bytes per second; bytes are the bytes of the batches' buffers.
"""

import argparse
import json
import sys
import threading
import time

import pyarrow as pa
import pyarrow.flight as flight
import pyarrow.ipc as ipc

INT64_SCHEMA = pa.schema([pa.field(f"c{k}", pa.int64()) for k in range(4)])
STRING_SCHEMA = pa.schema([pa.field(f"s{k}", pa.string()) for k in range(2)])
ALPHABET = "abcdefghijklmnopqrstuvwxyz012345"


def int64_batch(rows):
    """4 int64 columns: column k holds i * (k + 1) at row i (as flight-bench builds it)."""
    return pa.record_batch(
        [pa.array([i * (k + 1) for i in range(rows)], type=pa.int64()) for k in range(4)], schema=INT64_SCHEMA
    )


def string_length(row, column):
    return 16 + (row * 7 + column * 3) % 9


def string_batch(rows):
    """2 string columns: byte j of row i of column k is ALPHABET[(i + j + k) % 32]."""
    doubled = ALPHABET * 3

    def value(row, column):
        start = (row + column) % 32
        return doubled[start : start + string_length(row, column)]

    return pa.record_batch(
        [pa.array([value(i, k) for i in range(rows)], type=pa.string()) for k in range(2)], schema=STRING_SCHEMA
    )


def buffer_bytes(batch):
    """The bytes of every buffer the batch references, as flight-bench counts them (pyarrow's
    `nbytes` leaves out the last string offset)."""
    return sum(buf.size for column in batch.columns for buf in column.buffers() if buf is not None)


def batch_count(total_bytes, batch_bytes):
    """Batches of batch_bytes that make total_bytes, rounded to the nearest (at least 1)."""
    return max(1, int(total_bytes / batch_bytes + 0.5))


def make_ticket(total_bytes, rows):
    return f"bench:{total_bytes}:{rows}".encode()


def parse_ticket(raw):
    parts = raw.decode(errors="replace").split(":")
    if len(parts) == 3 and parts[0] == "bench" and parts[1].isdigit() and parts[2].isdigit():
        total, rows = int(parts[1]), int(parts[2])
        if total > 0 and rows > 0:
            return total, rows
    return None


def report(**fields):
    print(json.dumps(fields), flush=True)


def report_rate(op, elapsed, batches, nbytes, **extra):
    report(
        impl="pyarrow",
        op=op,
        **extra,
        batches=batches,
        bytes=nbytes,
        seconds=round(elapsed, 6),
        mb_per_s=round(nbytes / 1e6 / elapsed, 3),
        batches_per_s=round(batches / elapsed, 3),
    )


# --- ipc --------------------------------------------------------------------------------


def run_ipc(args):
    total = args.size_mb << 20
    rows = args.rows_per_batch
    for name, batch in (("int64", int64_batch(rows)), ("string", string_batch(rows))):
        count = batch_count(total, buffer_bytes(batch))
        nbytes = count * buffer_bytes(batch)
        table = pa.Table.from_batches([batch] * count)  # chunks share the batch: no copy

        def write(tbl):
            sink = pa.BufferOutputStream()
            with ipc.new_stream(sink, batch.schema) as writer:
                writer.write_table(tbl)
            return sink.getvalue()

        write(pa.Table.from_batches([batch] * 2))  # warm up
        start = time.perf_counter()
        stream = write(table)
        written = time.perf_counter()
        got_batches = got_bytes = 0
        for read in ipc.open_stream(stream):
            got_batches += 1
            got_bytes += buffer_bytes(read)
        read_done = time.perf_counter()
        if got_batches != count or got_bytes != nbytes:
            raise SystemExit(f"read back {got_batches} batches of {got_bytes} bytes, wrote {count} of {nbytes}")
        # The Swift reader always validates fully (offsets, UTF-8); pyarrow's reader checks
        # less by default, so also time pyarrow reading with full validation.
        start_validate = time.perf_counter()
        for read in ipc.open_stream(stream):
            read.validate(full=True)
        validated = time.perf_counter()
        common = dict(data=name, rows_per_batch=rows, stream_bytes=stream.size)
        report_rate("ipc_write", written - start, count, nbytes, **common)
        report_rate("ipc_read", read_done - written, count, nbytes, **common)
        report_rate("ipc_read_validate_full", validated - start_validate, count, nbytes, **common)


# --- serve ------------------------------------------------------------------------------


class BenchServer(flight.FlightServerBase):
    def __init__(self, location, default_bytes, default_rows):
        super().__init__(location)
        self.default_bytes = default_bytes
        self.default_rows = default_rows
        self.batches = {}
        self.lock = threading.Lock()

    def batch(self, rows):
        with self.lock:
            if rows not in self.batches:
                self.batches[rows] = int64_batch(rows)
            return self.batches[rows]

    def get_flight_info(self, context, descriptor):
        ticket = make_ticket(self.default_bytes, self.default_rows)
        endpoint = flight.FlightEndpoint(ticket, [])
        return flight.FlightInfo(INT64_SCHEMA, descriptor, [endpoint], self.default_bytes // 32, self.default_bytes)

    def do_get(self, context, ticket):
        total, rows = parse_ticket(ticket.ticket) or (self.default_bytes, self.default_rows)
        batch = self.batch(rows)
        count = batch_count(total, buffer_bytes(batch))
        # A table whose chunks are the same pre-built batch: streamed by C++, no Python per batch.
        return flight.RecordBatchStream(pa.Table.from_batches([batch] * count))

    def do_put(self, context, descriptor, reader, writer):
        while True:
            try:
                reader.read_chunk()
            except StopIteration:
                break


def run_serve(args):
    server = BenchServer(f"grpc://localhost:{args.port}", args.size_mb << 20, args.rows_per_batch)
    print(f"Server listening on localhost:{server.port}", flush=True)
    threading.Thread(target=server.serve, daemon=True).start()
    for _ in sys.stdin:
        pass
    server.shutdown()


# --- client -----------------------------------------------------------------------------


def run_client(args):
    client = flight.FlightClient(args.location)
    client.wait_for_available(timeout=5)
    total = args.size_mb << 20
    rows = args.rows_per_batch
    if args.op == "doget":
        start = time.perf_counter()
        reader = client.do_get(flight.Ticket(make_ticket(total, rows)))
        batches = nbytes = 0
        while True:
            try:
                chunk = reader.read_chunk()
            except StopIteration:
                break
            if chunk.data is not None:
                batches += 1
                nbytes += buffer_bytes(chunk.data)
        report_rate("doget", time.perf_counter() - start, batches, nbytes, rows_per_batch=rows)
    elif args.op == "doput":
        batch = int64_batch(rows)
        count = batch_count(total, buffer_bytes(batch))
        table = pa.Table.from_batches([batch] * count)
        start = time.perf_counter()
        writer, _ = client.do_put(flight.FlightDescriptor.for_path("bench", "put"), batch.schema)
        writer.write_table(table)
        writer.close()
        report_rate("doput", time.perf_counter() - start, count, count * buffer_bytes(batch), rows_per_batch=rows)
    else:
        descriptor = flight.FlightDescriptor.for_path("bench", "info")
        for _ in range(min(args.calls, 20)):
            client.get_flight_info(descriptor)
        start = time.perf_counter()
        for _ in range(args.calls):
            client.get_flight_info(descriptor)
        elapsed = time.perf_counter() - start
        report(
            impl="pyarrow",
            op="getflightinfo",
            calls=args.calls,
            seconds=round(elapsed, 6),
            calls_per_s=round(args.calls / elapsed, 3),
        )
    client.close()


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    commands = parser.add_subparsers(dest="command", required=True)
    for name in ("ipc", "serve", "client"):
        sub = commands.add_parser(name)
        sub.add_argument("--size-mb", type=int, default=1024)
        sub.add_argument("--rows-per-batch", type=int, default=65536)
        if name == "serve":
            sub.add_argument("--port", type=int, default=0)
        if name == "client":
            sub.add_argument("--location", required=True)
            sub.add_argument("--op", required=True, choices=("doget", "doput", "getflightinfo"))
            sub.add_argument("--calls", type=int, default=1000)
    args = parser.parse_args()
    {"ipc": run_ipc, "serve": run_serve, "client": run_client}[args.command](args)


if __name__ == "__main__":
    main()
