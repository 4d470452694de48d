#!/usr/bin/env python3
"""Streams that turn bad part way, for the no-hang tests (FlightCLITests, FlightRPCTests).

Usage:
  failing_streams.py write PATH [--format stream|file] [--batches N] [--bad-at INDEX]
      Writes N batches (default 5) of (id int64, name utf8) as an Arrow IPC stream or file.
      With --bad-at, the batch at INDEX (0-based) is corrupt: the last offset of its `name`
      column points far past the column's data (the body's length and framing stay intact),
      which every reader must refuse. Prints nothing.
  failing_streams.py serve [--port 0]
      A raw grpcio Flight server (no pyarrow.flight: pyarrow never sends a corrupt batch)
      that follows the peer protocol of README.md. DoGet takes a JSON ticket
      {"batches": N, "bad_at": INDEX} and sends the schema, then N batches with the one at
      INDEX corrupt; N = -1 sends good batches after the bad one until the client goes away.
      DoAction "events" answers with one result: a JSON list of how each DoGet ended
      ("<ticket>: completed" or "<ticket>: cancelled" once the client cancelled it).
  failing_streams.py send LOCATION --method DoPut|DoExchange --path P [--batches N] [--bad-at INDEX]
      A raw grpcio client: sends the descriptor (PATH P) with the schema, then N batches with
      the one at INDEX corrupt, then half-closes; reads the responses and prints the call's
      status as `<CODE>: <details>` (OK when it succeeded).
"""

import argparse
import json
import struct
import sys
import threading
from concurrent import futures

import grpc
import pyarrow as pa
import pyarrow.ipc as ipc

from peerlib import encode_varint, serve_until_stdin_eof

SCHEMA = pa.schema([("id", pa.int64()), ("name", pa.string())])


def batch(index):
    """Batch `index`: three rows whose strings have lengths unique to the batch, so the bytes of
    its offsets buffer occur once in a whole stream."""
    lengths = [index + 3, index + 1003, index + 2011]
    return pa.record_batch(
        [pa.array([index * 10 + i for i in range(3)], pa.int64()), pa.array(["x" * n for n in lengths], pa.string())],
        schema=SCHEMA,
    ), lengths


def offsets_bytes(lengths):
    total, offsets = 0, [0]
    for n in lengths:
        total += n
        offsets.append(total)
    return struct.pack("<4i", *offsets)


def corrupt(data, lengths):
    """`data` with the offsets of the batch with `lengths` replaced: the last one lies."""
    good = offsets_bytes(lengths)
    if data.count(good) != 1:
        raise SystemExit(f"the offsets of the batch occur {data.count(good)} times, not once")
    bad = good[:12] + struct.pack("<i", 0x7FFF0000)
    return data.replace(good, bad)


def write(path, format, batches, bad_at):
    sink = pa.BufferOutputStream()
    open_writer = ipc.new_file if format == "file" else ipc.new_stream
    written = []
    with open_writer(sink, SCHEMA) as writer:
        for index in range(batches):
            record, lengths = batch(index)
            writer.write_batch(record)
            written.append(lengths)
    data = sink.getvalue().to_pybytes()
    if bad_at is not None:
        data = corrupt(data, written[bad_at])
    with open(path, "wb") as out:
        out.write(data)


# -- a raw gRPC Flight server --------------------------------------------------------------


def field(number, payload):
    """A length-delimited protobuf field (wire type 2)."""
    return encode_varint(number << 3 | 2) + encode_varint(len(payload)) + payload


def read_fields(data):
    """The length-delimited fields of a protobuf message, as {number: bytes} (last wins)."""
    fields, position = {}, 0
    while position < len(data):
        key, position = read_varint(data, position)
        if key & 7 == 2:
            length, position = read_varint(data, position)
            fields[key >> 3] = data[position : position + length]
            position += length
        elif key & 7 == 0:
            _, position = read_varint(data, position)
        else:
            raise ValueError(f"unexpected wire type {key & 7}")
    return fields


def read_varint(data, position):
    value, shift = 0, 0
    while True:
        byte = data[position]
        position += 1
        value |= (byte & 0x7F) << shift
        if not byte & 0x80:
            return value, position
        shift += 7


def flight_data(header, body=b"", descriptor=None):
    """FlightData: flight_descriptor = 1, data_header = 2, data_body = 1000."""
    out = field(1, descriptor) if descriptor is not None else b""
    return out + field(2, header) + (field(1000, body) if body else b"")


def descriptor_path(*components):
    """FlightDescriptor{type = PATH (1), path = components}."""
    return b"\x08\x01" + b"".join(field(3, c.encode()) for c in components)


def send(location, method, path, batches, bad_at):
    target = location.split("://", 1)[1]
    with grpc.insecure_channel(target) as channel:
        call = channel.stream_stream(f"/arrow.flight.protocol.FlightService/{method}")

        def requests():
            schema_header, _ = ipc_parts(SCHEMA.serialize())
            yield flight_data(schema_header, descriptor=descriptor_path(*path.split("/")))
            for index in range(batches):
                yield batch_message(index, index == bad_at)

        try:
            for _ in call(requests(), timeout=30):
                pass
            print("OK: ", flush=True)
        except grpc.RpcError as error:
            print(f"{error.code().name}: {error.details()}", flush=True)


def ipc_parts(serialized):
    message = ipc.read_message(serialized)
    return message.metadata.to_pybytes(), (message.body.to_pybytes() if message.body is not None else b"")


def batch_message(index, bad):
    record, lengths = batch(index)
    header, body = ipc_parts(record.serialize())
    return flight_data(header, corrupt(body, lengths) if bad else body)


class Service:
    def __init__(self):
        self.events = []
        self.lock = threading.Lock()

    def record(self, event):
        with self.lock:
            self.events.append(event)

    def do_get(self, request, context):
        ticket = read_fields(request).get(1, b"").decode()
        spec = json.loads(ticket)
        count, bad_at = spec["batches"], spec["bad_at"]
        ended = {"done": False}

        def on_end():
            if not ended["done"]:
                self.record(f"{ticket}: cancelled")

        context.add_callback(on_end)
        schema_header, _ = ipc_parts(SCHEMA.serialize())
        yield flight_data(schema_header)
        index = 0
        while count < 0 or index < count:
            if count < 0 and not context.is_active():
                break
            yield batch_message(index, index == bad_at)
            index += 1
        ended["done"] = True
        self.record(f"{ticket}: completed")

    def do_action(self, request, context):
        action = read_fields(request)
        if action.get(1, b"") != b"events":
            context.abort(grpc.StatusCode.UNIMPLEMENTED, "only the events action")
        with self.lock:
            body = json.dumps(self.events).encode()
        yield field(1, body)


class RawServer:
    """Just enough of a server for serve_until_stdin_eof."""

    def __init__(self, port):
        self.service = Service()
        self.server = grpc.server(futures.ThreadPoolExecutor(max_workers=8))
        handlers = {
            "DoGet": grpc.unary_stream_rpc_method_handler(self.service.do_get),
            "DoAction": grpc.unary_stream_rpc_method_handler(self.service.do_action),
        }
        self.server.add_generic_rpc_handlers(
            (grpc.method_handlers_generic_handler("arrow.flight.protocol.FlightService", handlers),)
        )
        self.port = self.server.add_insecure_port(f"localhost:{port}")
        self.server.start()
        self.stopped = threading.Event()

    def serve(self):
        self.stopped.wait()
        self.server.stop(grace=1).wait()

    def shutdown(self):
        self.stopped.set()


def main():
    parser = argparse.ArgumentParser()
    commands = parser.add_subparsers(dest="command", required=True)
    write_parser = commands.add_parser("write")
    write_parser.add_argument("path")
    write_parser.add_argument("--format", choices=["stream", "file"], default="stream")
    write_parser.add_argument("--batches", type=int, default=5)
    write_parser.add_argument("--bad-at", type=int)
    serve_parser = commands.add_parser("serve")
    serve_parser.add_argument("--port", type=int, default=0)
    send_parser = commands.add_parser("send")
    send_parser.add_argument("location")
    send_parser.add_argument("--method", choices=["DoPut", "DoExchange"], required=True)
    send_parser.add_argument("--path", required=True)
    send_parser.add_argument("--batches", type=int, default=5)
    send_parser.add_argument("--bad-at", type=int)
    arguments = parser.parse_args()
    if arguments.command == "write":
        write(arguments.path, arguments.format, arguments.batches, arguments.bad_at)
    elif arguments.command == "send":
        send(arguments.location, arguments.method, arguments.path, arguments.batches, arguments.bad_at)
    else:
        serve_until_stdin_eof(RawServer(arguments.port))


if __name__ == "__main__":
    sys.exit(main())
