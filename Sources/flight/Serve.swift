// `flight serve`: a Flight server over an in-memory (optionally persistent) table store.

internal import ArgumentParser
internal import Dispatch
internal import FlightRPC
internal import Foundation

#if canImport(Glibc)
  internal import Glibc
#elseif canImport(Musl)
  internal import Musl
#elseif canImport(Darwin)
  internal import Darwin
#endif

struct Serve: AsyncParsableCommand {
  static let configuration = CommandConfiguration(
    abstract: "Serve tables over Flight.",
    discussion: """
      Serves an in-memory table store seeded with the sample tables dataset/sales and \
      dataset/products. DoPut stores a table at its descriptor path (replacing an older one), \
      DoGet serves it, ListFlights lists by path prefix, DoExchange with the command "echo" \
      echoes, and the actions list_tables, get_stats, drop_table, CancelFlightInfo and \
      RenewFlightEndpoint are offered. With --auth-basic (or FLIGHT_AUTH_BASIC), clients \
      authenticate with a Basic handshake and then send the Bearer token it returns. With --data-dir, tables persist there as Arrow IPC \
      files. The first line on stdout is "Server listening on <host>:<port>" (or \
      "unix:<path>"). SIGINT and SIGTERM shut the server down gracefully.
      """
  )

  @Option(help: "The host name or address to listen on.")
  var host = "localhost"

  @Option(help: "The TCP port to listen on (0 picks a free one).")
  var port = 8815

  @Option(help: ArgumentHelp("Listen on this Unix domain socket instead of TCP.", valueName: "path"))
  var unix: String?

  @Option(help: ArgumentHelp("Persist tables as Arrow IPC files in this directory.", valueName: "dir"))
  var dataDir: String?

  @Option(help: ArgumentHelp("The server's certificate chain (PEM file); serves grpc+tls.", valueName: "pem"))
  var tlsCert: String?

  @Option(help: ArgumentHelp("The server's private key (PEM file).", valueName: "pem"))
  var tlsKey: String?

  @Option(
    help: ArgumentHelp(
      "Require client certificates signed by these roots (PEM file): mutual TLS.", valueName: "pem"))
  var tlsClientCa: String?

  @Option(
    help: ArgumentHelp(
      "Require Basic-to-Bearer authentication with these credentials (repeatable; also from the environment "
        + "variable FLIGHT_AUTH_BASIC, one user:password per line).", valueName: "user:password"))
  var authBasic: [String] = []

  /// The credentials of --auth-basic and FLIGHT_AUTH_BASIC, user name to password.
  func credentials() throws -> [String: String] {
    let environment = ProcessInfo.processInfo.environment["FLIGHT_AUTH_BASIC"] ?? ""
    let entries = authBasic + environment.split(whereSeparator: \.isNewline).map(String.init).filter { !$0.isEmpty }
    var credentials: [String: String] = [:]
    for entry in entries {
      guard let colon = entry.firstIndex(of: ":"), colon != entry.startIndex else {
        throw CLIError.invalid("Basic credentials must look like user:password")
      }
      credentials[String(entry[..<colon])] = String(entry[entry.index(after: colon)...])
    }
    return credentials
  }

  func validate() throws {
    guard (tlsCert == nil) == (tlsKey == nil) else {
      throw ValidationError("--tls-cert and --tls-key go together")
    }
    if tlsClientCa != nil && tlsCert == nil {
      throw ValidationError("--tls-client-ca needs --tls-cert and --tls-key")
    }
    if unix != nil && tlsCert != nil {
      throw ValidationError("--unix serves without TLS: leave out --tls-cert and --tls-key")
    }
    guard (0...65535).contains(port) else { throw ValidationError("--port must be between 0 and 65535") }
  }

  func run() async throws {
    let store = try TableStore(directory: dataDir.map { URL(fileURLWithPath: $0) }, seed: try sampleTables())
    var options = FlightServerOptions()
    let location: Location
    do {
      if let unix {
        location = try Location.forGRPCUnix(path: unix)
      } else if tlsCert != nil {
        location = try Location.forGRPCTLS(host: host, port: port)
      } else {
        location = try Location.forGRPCTCP(host: host, port: port)
      }
    } catch {
      throw CLIError.invalid("\(error)")
    }
    if let tlsCert, let tlsKey {
      options.tls = FlightServerTLS(
        certificateChain: try readText(tlsCert), privateKey: try readText(tlsKey),
        clientRootCertificates: try tlsClientCa.map(readText))
    }

    let credentials = try credentials()
    if !credentials.isEmpty {
      options.middleware = [
        KeyedServerMiddleware("basic-auth", BasicAuthServerMiddlewareFactory(credentials: credentials))
      ]
    }

    // Signals are handled by dispatch sources, not by the default action.
    signal(SIGINT, SIG_IGN)
    signal(SIGTERM, SIG_IGN)
    signal(SIGPIPE, SIG_IGN)
    let server = try FlightServer(StoreService(store: store), location: location, options: options)
    let sources = [SIGINT, SIGTERM].map { number in
      let source = DispatchSource.makeSignalSource(signal: number, queue: .global())
      source.setEventHandler {
        writeStandardError("flight serve: shutting down (signal \(number))\n")
        Task { await server.shutdown() }
      }
      source.resume()
      return source
    }
    if let unix {
      writeStandardOutputNow("Server listening on unix:\(unix)\n")
    } else {
      let shownHost = host.contains(":") ? "[\(host)]" : host
      writeStandardOutputNow("Server listening on \(shownHost):\(server.port)\n")
    }
    if let dataDir {
      writeStandardError("flight serve: \(store.all().count) tables in \(dataDir)\n")
    }
    await server.wait()
    for source in sources { source.cancel() }
    // Every completed put reached the disk before its call succeeded: nothing is pending.
    writeStandardError("flight serve: stopped\n")
  }
}

/// The sample tables of the seed: `dataset/sales` and `dataset/products`.
func sampleTables() throws -> [(TablePath, Table)] {
  [
    (
      try TablePath(["dataset", "sales"]),
      try Table([
        ("date", StringArray(["2023-01-01", "2023-01-02", "2023-01-03"])),
        ("amount", Float64Array([100.0, 150.0, 200.0])),
        ("region", StringArray(["North", "South", "East"])),
      ])
    ),
    (
      try TablePath(["dataset", "products"]),
      try Table([
        ("id", Int64Array([1, 2, 3])),
        ("name", StringArray(["Widget A", "Widget B", "Widget C"])),
        ("price", Float64Array([10.99, 15.99, 20.99])),
      ])
    ),
  ]
}

/// The contents of a text file (a PEM certificate or key).
func readText(_ path: String) throws -> String {
  do {
    return try String(contentsOfFile: path, encoding: .utf8)
  } catch {
    throw CLIError.io("cannot read \(path): \(error.localizedDescription)")
  }
}
