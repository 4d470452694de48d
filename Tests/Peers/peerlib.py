"""Helpers shared by the Python peers of this folder (imported as `peerlib`: the peers run
with this folder as their script directory, so it is on `sys.path`)."""

import sys
import threading

import pyarrow.flight as flight

# The Flight exception classes by the names of Swift's `FlightError` kinds.
FLIGHT_ERRORS = {
    "unauthenticated": flight.FlightUnauthenticatedError,
    "unauthorized": flight.FlightUnauthorizedError,
    "unavailable": flight.FlightUnavailableError,
    "internal": flight.FlightInternalError,
    "timedOut": flight.FlightTimedOutError,
    "cancelled": flight.FlightCancelledError,
    "serverError": flight.FlightServerError,
}


def check(name, condition, detail=""):
    """Prints `ok: <name>`, or `FAILED: <name>: <detail>` on stderr and exits with status 1."""
    if not condition:
        print(f"FAILED: {name}: {detail}", file=sys.stderr, flush=True)
        sys.exit(1)
    print(f"ok: {name}", flush=True)


def expect_raises(name, exception, function, contains=None):
    """Runs `function`; checks it raises `exception` (whose text holds `contains`)."""
    try:
        function()
    except exception as error:
        if contains is not None:
            check(f"{name}: message", contains in str(error), f"{type(error).__name__}: {error}")
        check(name, True)
        return error
    except Exception as error:  # noqa: BLE001 - report the wrong class by name
        check(name, False, f"expected {exception.__name__}, got {type(error).__name__}: {error}")
    check(name, False, f"expected {exception.__name__}, nothing was raised")


def encode_varint(value):
    """`value` as a protobuf varint."""
    out = bytearray()
    while True:
        byte = value & 0x7F
        value >>= 7
        if value:
            out.append(byte | 0x80)
        else:
            out.append(byte)
            return bytes(out)


def serve_until_stdin_eof(server):
    """Serves `server` by the peer protocol (README.md): prints the ready line, flushed, and
    shuts the server down once stdin reaches end of file."""

    def shutdown_on_stdin_eof():
        try:
            while sys.stdin.buffer.read(65536):
                pass
        finally:
            server.shutdown()

    threading.Thread(target=shutdown_on_stdin_eof, name="stdin-eof", daemon=True).start()
    print(f"Server listening on localhost:{server.port}", flush=True)
    server.serve()
