#!/usr/bin/env python3
"""A pyarrow Flight server for the Swift client's edge-case tests (FlightRPCTests).

Protocol (see README.md beside this file): the first stdout line is
`Server listening on localhost:<port>`, flushed; the server exits when stdin reaches EOF.

DoGet tickets:
  gen-metadata           GeneratorStream: (batch, metadata) tuples, a bare batch and a table
  schema-only            RecordBatchStream over a table with no batches
  schema-only-generator  GeneratorStream over an empty generator
  endless                GeneratorStream of up to 1,000,000 batches of 1,000 rows; records how
                         many it produced and whether the generator was closed (action `state`)
  slow                   one batch, then waits until the call is cancelled (at most 10 s)
  big:<bytes>            <bytes> of 4 int64 columns (a, b, c, d) in batches of 65,536 rows:
                         `a` is the global row number, b = 2a, c = -a, d = batch index
  raise:<kind>           raises the exception <kind> before the stream starts
  raise-mid:<kind>       sends one batch, then raises <kind> from the generator
DoPut (any descriptor): reads one chunk, then raises the exception named by the descriptor's
  command or last path component, if it is a kind; else stores nothing and acknowledges.
DoExchange: command `metadata` sends metadata-only messages around two batches (a
  metadata-only message before the schema is not allowed, so the schema goes first);
  command `raise:<kind>` raises <kind> after reading one chunk.
GetFlightInfo / ListFlights: a CMD descriptor `raise:<kind>` raises <kind>; ListFlights with
  criteria `raise:<kind>` yields one FlightInfo, then raises.
DoAction: `slow` waits until the call is cancelled (at most 10 s); `state` returns JSON
  {"endless_produced", "endless_closed", "slow_cancelled"}; `raise` raises the kind in its body.

Exception kinds: the Flight classes (unauthenticated, unauthorized, unavailable, internal,
timedOut, cancelled, serverError), keyError, valueError, arrowInvalid, notImplemented,
arrowNotImplemented, typeError, indexError, runtimeError, flightError (the base class),
writeSizeExceeded.
"""

import argparse
import json
import threading
import time

import pyarrow as pa
import pyarrow.compute as pc
import pyarrow.flight as flight

from peerlib import FLIGHT_ERRORS, serve_until_stdin_eof


def error_for(kind):
    """The exception for `kind`; its message is `raised <kind>`."""
    message = f"raised {kind}"
    if kind in FLIGHT_ERRORS:
        return FLIGHT_ERRORS[kind](message, extra_info=b"extra")
    return {
        "keyError": lambda: KeyError(message),
        "valueError": lambda: ValueError(message),
        "arrowInvalid": lambda: pa.ArrowInvalid(message),
        "notImplemented": lambda: NotImplementedError(message),
        "arrowNotImplemented": lambda: pa.ArrowNotImplementedError(message),
        "typeError": lambda: TypeError(message),
        "indexError": lambda: IndexError(message),
        "ioError": lambda: OSError(message),
        "outOfMemory": lambda: MemoryError(message),
        "capacityError": lambda: pa.ArrowCapacityError(message),
        "serializationError": lambda: pa.ArrowSerializationError(message),
        "runtimeError": lambda: RuntimeError(message),
        "flightError": lambda: flight.FlightError(message, extra_info=b"extra"),
        "writeSizeExceeded": lambda: flight.FlightWriteSizeExceededError(message, 10, 20),
    }[kind]()


EDGE_SCHEMA = pa.schema([("n", pa.int64()), ("label", pa.string())])
BIG_SCHEMA = pa.schema([("a", pa.int64()), ("b", pa.int64()), ("c", pa.int64()), ("d", pa.int64())])
BIG_ROWS = 65_536


def edge_batch(start, count):
    return pa.record_batch(
        [pa.array(range(start, start + count), pa.int64()), pa.array([f"row {i}" for i in range(start, start + count)])],
        schema=EDGE_SCHEMA,
    )


def kind_of(text):
    return text.split(":", 1)[1] if text.startswith("raise:") else None


class EdgeServer(flight.FlightServerBase):
    def __init__(self, location, **kwargs):
        super().__init__(location, **kwargs)
        self._lock = threading.Lock()
        self._state = {"endless_produced": 0, "endless_closed": False, "slow_cancelled": None}

    def _set(self, **values):
        with self._lock:
            self._state.update(values)

    # -- streams -------------------------------------------------------------------------

    def _endless(self):
        batch = edge_batch(0, 1000)
        try:
            for _ in range(1_000_000):
                with self._lock:
                    self._state["endless_produced"] += 1
                yield batch
        finally:  # runs when the stream is closed early (client cancelled) and dropped
            self._set(endless_closed=True)

    def _slow(self, context):
        yield edge_batch(0, 2)
        deadline = time.monotonic() + 10
        while not context.is_cancelled() and time.monotonic() < deadline:
            time.sleep(0.01)
        self._set(slow_cancelled=context.is_cancelled())

    @staticmethod
    def _big(total_bytes):
        base = pa.array(range(BIG_ROWS), pa.int64())
        batches = max(1, total_bytes // (BIG_ROWS * 8 * 4))
        for index in range(batches):
            a = pc.add(base, index * BIG_ROWS)
            b = pc.multiply(a, 2)
            c = pc.negate(a)
            d = pa.repeat(pa.scalar(index, pa.int64()), BIG_ROWS)
            yield pa.record_batch([a, b, c, d], schema=BIG_SCHEMA)

    @staticmethod
    def _raise_mid(kind):
        yield edge_batch(0, 2)
        raise error_for(kind)

    # -- Flight methods ------------------------------------------------------------------

    def do_get(self, context, ticket):
        name = ticket.ticket.decode()
        if name == "gen-metadata":
            def chunks():
                yield edge_batch(0, 3), b"m0"
                yield edge_batch(3, 2)
                yield pa.Table.from_batches([edge_batch(5, 1), edge_batch(6, 1)])
                yield edge_batch(7, 4), b"m4"
                yield (edge_batch(11, 1), pa.py_buffer(b"\x00binary\xff"))
            return flight.GeneratorStream(EDGE_SCHEMA, chunks())
        if name == "schema-only":
            return flight.RecordBatchStream(pa.Table.from_batches([], EDGE_SCHEMA))
        if name == "schema-only-generator":
            return flight.GeneratorStream(EDGE_SCHEMA, iter([]))
        if name == "endless":
            return flight.GeneratorStream(EDGE_SCHEMA, self._endless())
        if name == "slow":
            return flight.GeneratorStream(EDGE_SCHEMA, self._slow(context))
        if name.startswith("big:"):
            return flight.GeneratorStream(BIG_SCHEMA, self._big(int(name[4:])))
        if name.startswith("raise-mid:"):
            return flight.GeneratorStream(EDGE_SCHEMA, self._raise_mid(name.split(":", 1)[1]))
        if kind_of(name):
            raise error_for(kind_of(name))
        raise KeyError(f"Unknown ticket: {name}")

    def do_put(self, context, descriptor, reader, writer):
        if descriptor.descriptor_type == flight.DescriptorType.CMD:
            name = descriptor.command.decode()
        else:
            name = descriptor.path[-1].decode()
        reader.read_chunk()
        if kind_of(name):
            raise error_for(kind_of(name))
        writer.write(b"ok")

    def do_exchange(self, context, descriptor, reader, writer):
        name = descriptor.command.decode()
        if name == "metadata":
            writer.begin(EDGE_SCHEMA)
            writer.write_metadata(b"first")
            writer.write_with_metadata(edge_batch(0, 2), b"with")
            writer.write_metadata(b"between")
            writer.write_batch(edge_batch(2, 3))
            writer.write_metadata(b"last")
            return
        if kind_of(name):
            reader.read_chunk()
            raise error_for(kind_of(name))
        raise KeyError(f"Unknown exchange: {name}")

    def get_flight_info(self, context, descriptor):
        name = descriptor.command.decode() if descriptor.command else ""
        if kind_of(name):
            raise error_for(kind_of(name))
        raise KeyError(f"Unknown flight: {name}")

    def list_flights(self, context, criteria):
        descriptor = flight.FlightDescriptor.for_command(b"first")
        yield flight.FlightInfo(EDGE_SCHEMA, descriptor, [flight.FlightEndpoint(b"first", [])], -1, -1)
        name = criteria.decode() if criteria else ""
        if kind_of(name):
            raise error_for(kind_of(name))

    def list_actions(self, context):
        return [("slow", "Wait until cancelled"), ("state", "What the handlers saw"), ("raise", "Raise")]

    def do_action(self, context, action):
        body = action.body.to_pybytes() if action.body is not None else b""
        if action.type == "slow":
            deadline = time.monotonic() + 10
            while not context.is_cancelled() and time.monotonic() < deadline:
                time.sleep(0.01)
            self._set(slow_cancelled=context.is_cancelled())
            return [flight.Result(b"slow done")]
        if action.type == "state":
            with self._lock:
                return [flight.Result(json.dumps(self._state, sort_keys=True).encode())]
        if action.type == "raise":
            raise error_for(body.decode())
        raise NotImplementedError(f"Unknown action: {action.type}")


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--port", type=int, default=0, help="port to listen on (0: any free port)")
    args = parser.parse_args()
    server = EdgeServer(f"grpc://localhost:{args.port}")

    serve_until_stdin_eof(server)


if __name__ == "__main__":
    main()
