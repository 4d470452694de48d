#!/usr/bin/env python3
"""pyarrow client checks of a Swift server's record-batch sources, statistics and compressed
DoExchange answers (ErgonomicsTests.swift is the server).

Usage: pyarrow_ergonomics_checks.py --location URI

Reads the DoGet tickets `file`, `stream`, `generator` and `async` (each four batches of a
column `n` = 0..<10 per batch, offset by 10 per batch); reads `dictionaries` and reports the
reader's stats; uploads under `dict-put` a stream with a new dictionary, a delta and a
replacement and reports the writer's stats; exchanges under `compress` a compressible table
and checks it comes back equal. Prints one JSON line (prefixed `result: `), then `all checks
passed`.
"""

import argparse
import json

import pyarrow as pa
import pyarrow.flight as flight

from peerlib import check


def stats_dict(stats):
    return {
        "numMessages": stats.num_messages,
        "numRecordBatches": stats.num_record_batches,
        "numDictionaryBatches": stats.num_dictionary_batches,
        "numDictionaryDeltas": stats.num_dictionary_deltas,
        "numReplacedDictionaries": stats.num_replaced_dictionaries,
    }


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--location", required=True)
    args = parser.parse_args()
    client = flight.connect(args.location)
    result = {}

    expected = pa.table({"n": pa.array(range(40), pa.int64())})
    for ticket in ["file", "stream", "generator", "async"]:
        table = client.do_get(flight.Ticket(ticket.encode())).read_all()
        check(f"{ticket}: the four batches", table.combine_chunks().equals(expected), table)
        check(f"{ticket}: batch by batch", table.column("n").num_chunks == 4, table.column("n").num_chunks)

    reader = client.do_get(flight.Ticket(b"dictionaries"))
    table = reader.read_all()
    result["readStats"] = stats_dict(reader.stats)
    result["dictionaryValues"] = table.column("d").to_pylist()

    # A new dictionary, a delta (it grows by appending), then a replacement.
    dictionary_type = pa.dictionary(pa.int32(), pa.string())
    batches = [
        pa.record_batch([pa.DictionaryArray.from_arrays(pa.array([0, 1], pa.int32()), ["a", "b"])], names=["d"]),
        pa.record_batch([pa.DictionaryArray.from_arrays(pa.array([2, 0], pa.int32()), ["a", "b", "c"])], names=["d"]),
        pa.record_batch([pa.DictionaryArray.from_arrays(pa.array([0], pa.int32()), ["x"])], names=["d"]),
    ]
    schema = pa.schema([pa.field("d", dictionary_type)])
    options = flight.FlightCallOptions(write_options=pa.ipc.IpcWriteOptions(emit_dictionary_deltas=True))
    writer, metadata = client.do_put(flight.FlightDescriptor.for_path("dict-put"), schema, options=options)
    for batch in batches:
        writer.write_batch(batch)
    writer.close()
    result["writeStats"] = stats_dict(writer.stats)

    compressible = pa.table({"zeros": pa.array([0] * 10000, pa.int64())})
    writer, exchange_reader = client.do_exchange(flight.FlightDescriptor.for_path("compress"))
    writer.begin(compressible.schema)
    writer.write_table(compressible)
    writer.done_writing()
    echoed = exchange_reader.read_all()
    writer.close()
    check("compressed exchange answer decodes to the table", echoed.equals(compressible), echoed.schema)

    print("result: " + json.dumps(result), flush=True)
    print("all checks passed", flush=True)


if __name__ == "__main__":
    main()
