#!/usr/bin/env python3
"""A raw grpcio Flight service that does what no Flight library does (run by FlightRPCTests).

Usage: grpc_raw_server.py [--port N]

Follows the peer protocol (README.md). Messages are handled as raw protobuf bytes.

  DoAction `status`: the body is JSON {"code": <gRPC code number>, "message": str,
      "trailers": [[key, value], ...]} (a key ending in `-bin` takes a latin-1 string as its
      bytes); the call fails with that status and those trailers.
  DoAction `echo`: one Result whose body is JSON {"time_remaining": seconds or null,
      "metadata": [[key, value], ...]}: the deadline and the headers the server received
      (binary values as latin-1 strings).
  DoPut: reads every FlightData; answers one PutResult whose app_metadata is JSON
      {"messages": n, "bytes": total FlightData bytes received}.
"""

import argparse
import json
from concurrent import futures

import grpc

from peerlib import encode_varint, serve_until_stdin_eof

SERVICE = "arrow.flight.protocol.FlightService"


def read_varint(data, offset):
    shift = value = 0
    while True:
        byte = data[offset]
        offset += 1
        value |= (byte & 0x7F) << shift
        shift += 7
        if not byte & 0x80:
            return value, offset


def fields(data):
    """The length-delimited fields of a protobuf message, as {number: bytes}."""
    out, offset = {}, 0
    while offset < len(data):
        key, offset = read_varint(data, offset)
        number, wire = key >> 3, key & 7
        if wire == 2:
            length, offset = read_varint(data, offset)
            out[number] = data[offset : offset + length]
            offset += length
        elif wire == 0:
            _, offset = read_varint(data, offset)
        else:
            raise ValueError(f"unexpected wire type {wire}")
    return out


def bytes_field(number, value):
    return encode_varint(number << 3 | 2) + encode_varint(len(value)) + value


def do_action(request, context):
    action = fields(request)
    kind = action.get(1, b"").decode()
    body = action.get(2, b"")
    if kind == "status":
        spec = json.loads(body)
        trailers = [(k, v.encode("latin-1") if k.endswith("-bin") else v) for k, v in spec.get("trailers", [])]
        context.set_trailing_metadata(trailers)
        context.abort(grpc.StatusCode(next(c for c in grpc.StatusCode if c.value[0] == spec["code"])), spec["message"])
    if kind == "echo":
        metadata = [
            [m.key, m.value.decode("latin-1") if isinstance(m.value, bytes) else m.value]
            for m in context.invocation_metadata()
        ]
        remaining = context.time_remaining()
        if remaining is not None and remaining > 1e9:
            remaining = None  # grpcio's answer for a call without a deadline
        reply = json.dumps({"time_remaining": remaining, "metadata": metadata}).encode()
        yield bytes_field(1, reply)
        return
    context.abort(grpc.StatusCode.UNIMPLEMENTED, f"no action {kind}")


def do_put(requests, context):
    count = total = 0
    for message in requests:
        count += 1
        total += len(message)
    yield bytes_field(1, json.dumps({"messages": count, "bytes": total}).encode())


class Server:
    def __init__(self, port):
        self.server = grpc.server(futures.ThreadPoolExecutor(max_workers=8))
        handlers = {
            "DoAction": grpc.unary_stream_rpc_method_handler(do_action),
            "DoPut": grpc.stream_stream_rpc_method_handler(do_put),
        }
        self.server.add_generic_rpc_handlers((grpc.method_handlers_generic_handler(SERVICE, handlers),))
        self.port = self.server.add_insecure_port(f"localhost:{port}")
        self.server.start()

    def shutdown(self):
        self.server.stop(grace=1)

    def serve(self):
        self.server.wait_for_termination()


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--port", type=int, default=0)
    serve_until_stdin_eof(Server(parser.parse_args().port))


if __name__ == "__main__":
    main()
