// flight-bench: throughput probes of the Arrow IPC stream format and of Flight DoGet, DoPut
// and GetFlightInfo, for profiling. Scripts/bench.sh uses its GetFlightInfo client (the Swift
// client of the small-call figures); the README's figures come from Scripts/bench.sh.

internal import FlightRPC
internal import Foundation

let usage = """
  usage: flight-bench ipc [--size-mb N] [--rows-per-batch R]
         flight-bench serve [--port P] [--size-mb N] [--rows-per-batch R]
         flight-bench client --location URI --op doget|doput|getflightinfo
                             [--size-mb N] [--rows-per-batch R] [--calls K]
                             [--path a/b] [--concurrency C]

    ipc     IPC stream write and read throughput in memory: 4 int64 columns, then 2 string
            columns of ~20-byte values, N MiB each (default 1024), batches of R rows (65536).
    serve   A Flight server: DoGet streams N MiB (default 1024) of 4 int64 columns in batches
            of R rows (default 65536; a ticket "bench:<bytes>:<rows>" overrides both), DoPut
            discards, GetFlightInfo answers a tiny info. Prints "Server listening on
            localhost:<port>" first; exits when stdin closes.
    client  Runs one operation against a Flight server and prints one JSON line:
            doget/doput move N MiB in batches of R rows; getflightinfo makes K calls (1000)
            for the descriptor path a/b (bench/info), from C concurrent callers (1).

  Output: one JSON object per line (MB/s are 10^6 bytes per second).
  """

func runMain() async -> Int32 {
  let arguments = CommandLine.arguments.dropFirst()
  guard let command = arguments.first else {
    FileHandle.standardError.write(Data(usage.utf8))
    return 2
  }
  let rest = arguments.dropFirst()
  FlightMallocTuning.keepLargeBuffersInHeap()  // as the flight tool does
  do {
    switch command {
    case "ipc":
      let options = try Arguments(rest, allowed: ["size-mb", "rows-per-batch"])
      try IPCBench.run(
        sizeMiB: try options.int("size-mb", default: 1024),
        rowsPerBatch: try options.int("rows-per-batch", default: 65536))
    case "serve":
      let options = try Arguments(rest, allowed: ["port", "size-mb", "rows-per-batch"])
      try await Serve.run(
        port: try options.int("port", default: 0, minimum: 0), sizeMiB: try options.int("size-mb", default: 1024),
        rowsPerBatch: try options.int("rows-per-batch", default: 65536))
    case "client":
      let options = try Arguments(
        rest, allowed: ["location", "op", "size-mb", "rows-per-batch", "calls", "path", "concurrency"])
      guard let location = options.string("location") else { throw UsageError("client needs --location URI") }
      guard let operation = Client.Operation(rawValue: options.string("op") ?? "") else {
        throw UsageError("client needs --op doget, doput or getflightinfo")
      }
      try await Client.run(
        location: location, operation: operation, sizeMiB: try options.int("size-mb", default: 1024),
        rowsPerBatch: try options.int("rows-per-batch", default: 65536), calls: try options.int("calls", default: 1000),
        path: options.string("path") ?? "bench/info", concurrency: try options.int("concurrency", default: 1))
    case "-h", "--help", "help":
      print(usage)
    default:
      throw UsageError("unknown subcommand '\(command)'")
    }
    return 0
  } catch let error as UsageError {
    FileHandle.standardError.write(Data("error: \(error)\n\n\(usage)\n".utf8))
    return 2
  } catch {
    FileHandle.standardError.write(Data("error: \(error)\n".utf8))
    return 1
  }
}

exit(await runMain())
