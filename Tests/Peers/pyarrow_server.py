#!/usr/bin/env python3
"""A pyarrow Flight server used as the peer of the Swift interop tests and the demo.

Protocol (see README.md beside this file):
  - the first stdout line is `Server listening on localhost:<port>`, flushed, once the
    server accepts connections (`--port 0`, the default, picks a free port);
  - the server shuts down and the process exits when its stdin reaches EOF.
"""

import argparse
import json
import threading

import pyarrow as pa
import pyarrow.flight as flight

from peerlib import FLIGHT_ERRORS, serve_until_stdin_eof

ACTIONS = [
    ("list_tables", "List all stored tables"),
    ("get_stats", "Get server statistics"),
    ("echo", "Echo the action body back"),
]


def seed_tables():
    """The sample tables of the seed document, keyed by their path."""
    return {
        "dataset/sales": pa.table(
            {
                "date": ["2023-01-01", "2023-01-02", "2023-01-03"],
                "amount": [100.0, 150.0, 200.0],
                "region": ["North", "South", "East"],
            }
        ),
        "dataset/products": pa.table(
            {
                "id": [1, 2, 3],
                "name": ["Widget A", "Widget B", "Widget C"],
                "price": [10.99, 15.99, 20.99],
            }
        ),
    }


def error_for(name):
    """The exception a handler raises for a FlightError kind name (Swift's names)."""
    message = f"raised {name}"
    if name in FLIGHT_ERRORS:
        return FLIGHT_ERRORS[name](message, extra_info=b"extra")
    if name == "notFound":
        return KeyError(message)
    if name == "invalidArgument":
        return pa.ArrowInvalid(message)
    if name == "notImplemented":
        return NotImplementedError(message)
    return RuntimeError(message)


class InteropServer(flight.FlightServerBase):
    """An in-memory table store: paths like `dataset/sales` name tables."""

    def __init__(self, location, **kwargs):
        super().__init__(location, **kwargs)
        self._lock = threading.Lock()
        self._tables = seed_tables()
        self._location = location
        self._calls = {}

    # -- helpers -------------------------------------------------------------------------

    def _count(self, method):
        with self._lock:
            self._calls[method] = self._calls.get(method, 0) + 1

    def _table(self, path):
        with self._lock:
            table = self._tables.get(path)
        if table is None:
            raise KeyError(f"Unknown path: {path}")  # gRPC NOT_FOUND
        return table

    def _info(self, path, table):
        descriptor = flight.FlightDescriptor.for_path(*path.split("/"))
        endpoint = flight.FlightEndpoint(path.encode(), [self._location])
        # (pyarrow has no FlightInfo.for_table, whatever the seed notes say.)
        return flight.FlightInfo(table.schema, descriptor, [endpoint], table.num_rows, table.nbytes)

    @staticmethod
    def _path(descriptor):
        if descriptor.descriptor_type == flight.DescriptorType.PATH:
            return "/".join(p.decode() if isinstance(p, bytes) else p for p in descriptor.path)
        return descriptor.command.decode()

    # -- Flight methods ------------------------------------------------------------------

    def list_flights(self, context, criteria):
        self._count("list_flights")
        with self._lock:
            items = sorted(self._tables.items())
        for path, table in items:
            yield self._info(path, table)

    def get_flight_info(self, context, descriptor):
        self._count("get_flight_info")
        path = self._path(descriptor)
        return self._info(path, self._table(path))

    def get_schema(self, context, descriptor):
        self._count("get_schema")
        return flight.SchemaResult(self._table(self._path(descriptor)).schema)

    def do_get(self, context, ticket):
        self._count("do_get")
        return flight.RecordBatchStream(self._table(ticket.ticket.decode()))

    def do_put(self, context, descriptor, reader, writer):
        self._count("do_put")
        batches = []
        for chunk in reader:
            if chunk.data is not None:
                batches.append(chunk.data)
            if chunk.app_metadata is not None:
                writer.write(chunk.app_metadata)  # acknowledge, as the integration tests do
        table = pa.Table.from_batches(batches, schema=reader.schema)
        with self._lock:
            self._tables[self._path(descriptor)] = table

    def do_exchange(self, context, descriptor, reader, writer):
        """Echoes every batch and metadata message back, in order."""
        self._count("do_exchange")
        started = False
        for chunk in reader:
            if not started and reader.schema is not None:
                writer.begin(reader.schema)
                started = True
            if chunk.data is not None:
                writer.write_with_metadata(chunk.data, chunk.app_metadata)
            elif chunk.app_metadata is not None:
                writer.write_metadata(chunk.app_metadata)

    def list_actions(self, context):
        self._count("list_actions")
        return ACTIONS

    def do_action(self, context, action):
        self._count("do_action")
        body = action.body.to_pybytes() if action.body is not None else b""
        if action.type == "list_tables":
            with self._lock:
                names = sorted(self._tables)
            return [flight.Result(name.encode()) for name in names]
        if action.type == "get_stats":
            with self._lock:
                stats = {
                    "tables": len(self._tables),
                    "total_rows": sum(t.num_rows for t in self._tables.values()),
                    "calls": dict(self._calls),
                }
            return [flight.Result(json.dumps(stats, sort_keys=True).encode())]
        if action.type == "echo":
            return [flight.Result(body)]
        if action.type == "raise":  # not listed: raises the error named by the body
            raise error_for(body.decode())
        raise NotImplementedError(f"Unknown action: {action.type}")


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--port", type=int, default=0, help="port to listen on (0: any free port)")
    parser.add_argument("--tls-cert", help="PEM certificate chain file: serve grpc+tls")
    parser.add_argument("--tls-key", help="PEM private key file for --tls-cert")
    parser.add_argument("--tls-client-ca", help="PEM CA file: require client certificates it signed (mutual TLS)")
    args = parser.parse_args()
    if bool(args.tls_cert) != bool(args.tls_key):
        parser.error("--tls-cert and --tls-key go together")

    kwargs = {}
    scheme = "grpc"
    if args.tls_cert:
        with open(args.tls_cert, "rb") as cert, open(args.tls_key, "rb") as key:
            kwargs["tls_certificates"] = [flight.CertKeyPair(cert.read(), key.read())]
        scheme = "grpc+tls"
    if args.tls_client_ca:
        with open(args.tls_client_ca, "rb") as ca:
            kwargs["verify_client"] = True
            kwargs["root_certificates"] = ca.read()

    server = InteropServer(f"{scheme}://localhost:{args.port}", **kwargs)
    if args.port == 0:
        # The endpoints this server hands out should name the port it really got.
        server._location = f"{scheme}://localhost:{server.port}"

    serve_until_stdin_eof(server)


if __name__ == "__main__":
    main()
