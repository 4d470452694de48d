#!/usr/bin/env python3
"""The pyarrow side of Scripts/bench.sh against a table store (`flight serve` or
Tests/Peers/pyarrow_server.py): each subcommand prints one JSON line.

  store_client.py put      --location URI --path a/b --rows-per-batch R --size-mb N
  store_client.py get      --location URI --path a/b
  store_client.py info     --location URI --path a/b --calls K [--concurrency C]
  store_client.py parallel --location URI --path a/b --streams S
  store_client.py put-file --location URI --path a/b --input FILE     (what `flight put` does)
  store_client.py get-file --location URI --path a/b --output FILE    (what `flight get
                                                                       --output FILE --format stream` does)
  store_client.py make-file --output FILE --rows-per-batch R --size-mb N
  store_client.py tcp      --size-mb N    (plain loopback TCP, one stream: the limit)

put/get/info/parallel time themselves (after connecting); put-file and get-file are timed as
whole processes by the driver. Data: 4 int64 columns, column k holds i * (k + 1) at row i.
MB/s are 10^6 bytes of Arrow buffers per second.
"""

import argparse
import json
import os
import socket
import threading
import time

import pyarrow as pa
import pyarrow.flight as flight
import pyarrow.ipc as ipc

SCHEMA = pa.schema([pa.field(f"c{k}", pa.int64()) for k in range(4)])


def int64_batch(rows):
    return pa.record_batch(
        [pa.array([i * (k + 1) for i in range(rows)], type=pa.int64()) for k in range(4)], schema=SCHEMA
    )


def buffer_bytes(batch):
    return sum(buf.size for column in batch.columns for buf in column.buffers() if buf is not None)


def table_of(rows, size_mb):
    """A table of `size_mb` MiB in batches of `rows` rows (chunks share one batch: no copy)."""
    batch = int64_batch(rows) if rows > 0 else int64_batch(1).slice(0, 0)
    if rows == 0:
        return pa.Table.from_batches([], schema=SCHEMA)
    count = max(1, int((size_mb << 20) / buffer_bytes(batch) + 0.5))
    return pa.Table.from_batches([batch] * count)


def descriptor(path):
    return flight.FlightDescriptor.for_path(*path.split("/"))


def report(**fields):
    print(json.dumps(fields), flush=True)


def rate(nbytes, seconds):
    return round(nbytes / 1e6 / seconds, 3)


def connect(location):
    client = flight.FlightClient(location)
    client.wait_for_available(timeout=10)
    return client


def fetch(client, path):
    """DoGet of every endpoint of the flight at `path`: (batches, bytes)."""
    info = client.get_flight_info(descriptor(path))
    batches = nbytes = 0
    for endpoint in info.endpoints:
        reader = client.do_get(endpoint.ticket)
        while True:
            try:
                chunk = reader.read_chunk()
            except StopIteration:
                break
            if chunk.data is not None:
                batches += 1
                nbytes += buffer_bytes(chunk.data)
    return batches, nbytes


def run_put(args):
    table = table_of(args.rows_per_batch, args.size_mb)
    client = connect(args.location)
    start = time.perf_counter()
    writer, _ = client.do_put(descriptor(args.path), SCHEMA)
    writer.write_table(table)
    writer.close()
    elapsed = time.perf_counter() - start
    nbytes = sum(buffer_bytes(b) for b in table.to_batches())
    report(op="put", bytes=nbytes, seconds=round(elapsed, 6), mb_per_s=rate(nbytes, elapsed))


def run_get(args):
    client = connect(args.location)
    start = time.perf_counter()
    batches, nbytes = fetch(client, args.path)
    elapsed = time.perf_counter() - start
    report(op="get", batches=batches, bytes=nbytes, seconds=round(elapsed, 6), mb_per_s=rate(nbytes, elapsed))


def run_info(args):
    client = connect(args.location)
    path = descriptor(args.path)
    for _ in range(20):
        client.get_flight_info(path)
    per_caller = max(1, args.calls // args.concurrency)

    def caller():
        for _ in range(per_caller):
            client.get_flight_info(path)

    cpu_start = time.process_time()
    start = time.perf_counter()
    if args.concurrency == 1:
        caller()
    else:
        threads = [threading.Thread(target=caller) for _ in range(args.concurrency)]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join()
    elapsed = time.perf_counter() - start
    cpu = time.process_time() - cpu_start
    calls = per_caller * args.concurrency
    # The client's own CPU share: near 1 core per core used means the client is the bound.
    report(op="info", calls=calls, seconds=round(elapsed, 6), calls_per_s=round(calls / elapsed, 1),
           client_cpu_cores=round(cpu / elapsed, 2))


def run_parallel(args):
    client = connect(args.location)
    results = [None] * args.streams

    def one(index):
        results[index] = fetch(client, args.path)

    start = time.perf_counter()
    threads = [threading.Thread(target=one, args=(k,)) for k in range(args.streams)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    elapsed = time.perf_counter() - start
    nbytes = sum(r[1] for r in results)
    report(op="parallel", streams=args.streams, bytes=nbytes, seconds=round(elapsed, 6), mb_per_s=rate(nbytes, elapsed))


def run_put_file(args):
    """Uploads an IPC file or stream batch by batch, as `flight put` does."""
    source = pa.memory_map(args.input)
    if source.read(6) == b"ARROW1":
        source.seek(0)
        reader = ipc.open_file(source)
        batches = (reader.get_batch(k) for k in range(reader.num_record_batches))
    else:
        source.seek(0)
        reader = ipc.open_stream(source)
        batches = iter(reader)
    client = connect(args.location)
    writer, _ = client.do_put(descriptor(args.path), reader.schema)
    for batch in batches:
        writer.write_batch(batch)
    writer.close()


class PositionedSink:
    """A write-only file that counts its own position: pyarrow's IPC writer asks for it, and a
    FIFO can neither seek nor tell (pa.OSFile fails there with 'lseek failed')."""

    def __init__(self, path):
        self.file = open(path, "wb", buffering=0)
        self.position = 0
        self.closed = False

    def write(self, data):
        view = memoryview(data).cast("B")
        size = view.nbytes
        while view:
            view = view[self.file.write(view) :]
        self.position += size
        return size

    def tell(self):
        return self.position

    def flush(self):
        pass

    def close(self):
        self.file.close()
        self.closed = True


def run_get_file(args):
    """Fetches a flight into an IPC stream at `--output` (a FIFO works), as `flight get` does."""
    client = connect(args.location)
    info = client.get_flight_info(descriptor(args.path))
    with pa.PythonFile(PositionedSink(args.output), mode="w") as sink:
        writer = None
        for endpoint in info.endpoints:
            reader = client.do_get(endpoint.ticket)
            if writer is None:
                writer = ipc.new_stream(sink, reader.schema)
            while True:
                try:
                    chunk = reader.read_chunk()
                except StopIteration:
                    break
                if chunk.data is not None:
                    writer.write_batch(chunk.data)
        if writer is None:
            writer = ipc.new_stream(sink, info.schema)
        writer.close()


def run_make_file(args):
    table = table_of(args.rows_per_batch, args.size_mb)
    with pa.OSFile(args.output, "wb") as sink:
        with ipc.new_file(sink, SCHEMA) as writer:
            writer.write_table(table)
    report(op="make-file", bytes=sum(buffer_bytes(b) for b in table.to_batches()), batches=table.column(0).num_chunks)


def run_tcp(args):
    """One loopback TCP stream: a forked sender writes `size_mb` MiB in 1 MiB sends."""
    total = args.size_mb << 20
    listener = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    listener.bind(("127.0.0.1", 0))
    listener.listen(1)
    port = listener.getsockname()[1]
    pid = os.fork()
    if pid == 0:
        listener.close()
        sender = socket.create_connection(("127.0.0.1", port))
        block = b"\0" * (1 << 20)
        for _ in range(total >> 20):
            sender.sendall(block)
        sender.close()
        os._exit(0)
    receiver, _ = listener.accept()
    buffer = bytearray(1 << 20)
    view = memoryview(buffer)
    received = 0
    start = time.perf_counter()
    while True:
        count = receiver.recv_into(view)
        if count == 0:
            break
        received += count
    elapsed = time.perf_counter() - start
    os.waitpid(pid, 0)
    report(op="tcp", bytes=received, seconds=round(elapsed, 6), mb_per_s=rate(received, elapsed))


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    commands = parser.add_subparsers(dest="command", required=True)
    for name in ("put", "get", "info", "parallel", "put-file", "get-file", "make-file", "tcp"):
        sub = commands.add_parser(name)
        if name not in ("make-file", "tcp"):
            sub.add_argument("--location", required=True)
            sub.add_argument("--path", required=True)
        if name in ("put", "make-file", "tcp"):
            sub.add_argument("--size-mb", type=int, default=512)
        if name in ("put", "make-file"):
            sub.add_argument("--rows-per-batch", type=int, default=65536)
        if name == "info":
            sub.add_argument("--calls", type=int, default=2000)
            sub.add_argument("--concurrency", type=int, default=1)
        if name == "parallel":
            sub.add_argument("--streams", type=int, default=8)
        if name == "put-file":
            sub.add_argument("--input", required=True)
        if name in ("get-file", "make-file"):
            sub.add_argument("--output", required=True)
    args = parser.parse_args()
    {
        "put": run_put, "get": run_get, "info": run_info, "parallel": run_parallel, "put-file": run_put_file,
        "get-file": run_get_file, "make-file": run_make_file, "tcp": run_tcp,
    }[args.command](args)


if __name__ == "__main__":
    main()
