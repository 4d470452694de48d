#!/usr/bin/env python3
"""A pyarrow Flight server for the Swift client's upload and standard-action tests
(FlightRPCTests/UploadLifecycleTests.swift).

Protocol (see README.md beside this file): the first stdout line is
`Server listening on localhost:<port>`, flushed; the server exits when stdin reaches EOF.

DoPut, by the descriptor's command:
  raise-mid     reads one chunk, then raises FlightServerError("refused mid-upload")
  return-early  returns at once (status OK) without reading anything
  results       writes PutResult `first` after the first chunk, reads the rest, then writes
                `count:<batches>`
  anything else reads to the end
  Every upload but `return-early` and `raise-mid` is recorded: {command, batches, rows,
  cancelled} (cancelled: the call was cancelled, whatever the reader saw).
DoExchange `echo`: sends back every batch it reads (schema first), then records the exchange
  like an upload.
DoAction:
  uploads:<n>   waits (at most 10 s) until n uploads are recorded; returns them as JSON
  CancelFlightInfo, RenewFlightEndpoint, SetSessionOptions, GetSessionOptions, CloseSession:
                yields one valid result, then raises FlightServerError("error after the result")
"""

import argparse
import json
import threading

import pyarrow.flight as flight

from peerlib import serve_until_stdin_eof

# One valid serialized result per standard action (protobuf): CancelFlightInfoResult and
# CloseSessionResult with status 1 (CANCELLED / CLOSED), empty session option results, and a
# FlightEndpoint with ticket "renewed".
STANDARD_RESULTS = {
    "CancelFlightInfo": b"\x08\x01",
    "RenewFlightEndpoint": flight.FlightEndpoint(b"renewed", []).serialize(),
    "SetSessionOptions": b"",
    "GetSessionOptions": b"",
    "CloseSession": b"\x08\x01",
}


class UploadServer(flight.FlightServerBase):
    def __init__(self, location, **kwargs):
        super().__init__(location, **kwargs)
        self._uploads = []
        self._changed = threading.Condition()

    def _record(self, context, command, batches, rows):
        with self._changed:
            self._uploads.append(
                {"command": command, "batches": batches, "rows": rows, "cancelled": context.is_cancelled()}
            )
            self._changed.notify_all()

    def do_put(self, context, descriptor, reader, writer):
        command = descriptor.command.decode()
        if command == "return-early":
            return
        if command == "raise-mid":
            reader.read_chunk()
            raise flight.FlightServerError("refused mid-upload")
        batches, rows = 0, 0
        try:
            for chunk in reader:
                if chunk.data is not None:
                    batches += 1
                    rows += chunk.data.num_rows
                    if command == "results" and batches == 1:
                        writer.write(b"first")
        except Exception:  # noqa: BLE001 - a cancelled upload may end in an error; record it
            pass
        if command == "results" and not context.is_cancelled():
            writer.write(f"count:{batches}".encode())
        self._record(context, command, batches, rows)

    def do_exchange(self, context, descriptor, reader, writer):
        command = descriptor.command.decode()
        batches, rows, begun = 0, 0, False
        try:
            for chunk in reader:
                if chunk.data is None:
                    continue
                if not begun:
                    writer.begin(chunk.data.schema)
                    begun = True
                writer.write_batch(chunk.data)
                batches += 1
                rows += chunk.data.num_rows
        except Exception:  # noqa: BLE001 - a cancelled exchange may end in an error; record it
            pass
        self._record(context, command, batches, rows)

    def do_action(self, context, action):
        if action.type.startswith("uploads:"):
            wanted = int(action.type.split(":", 1)[1])
            with self._changed:
                self._changed.wait_for(lambda: len(self._uploads) >= wanted, timeout=10)
                return [flight.Result(json.dumps(self._uploads).encode())]
        if action.type in STANDARD_RESULTS:
            return self._then_raise(STANDARD_RESULTS[action.type])
        raise NotImplementedError(f"Unknown action: {action.type}")

    @staticmethod
    def _then_raise(body):
        yield flight.Result(body)
        raise flight.FlightServerError("error after the result")


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--port", type=int, default=0, help="port to listen on (0: any free port)")
    args = parser.parse_args()
    serve_until_stdin_eof(UploadServer(f"grpc://localhost:{args.port}"))


if __name__ == "__main__":
    main()
