// flight get: fetch a flight and print it or save it.

internal import ArgumentParser
internal import ArrowIPC
internal import FlightRPC
internal import Foundation

/// The format of a file `flight get` writes.
enum OutputFormat: String, ExpressibleByArgument, CaseIterable {
  case file
  case stream
}

struct Get: AsyncParsableCommand {
  static let configuration = CommandConfiguration(
    abstract: "Fetch a flight (GetFlightInfo, then DoGet of every endpoint) and print it or save it.",
    discussion: """
      Endpoints are fetched in order, each from its locations (the first that answers); an \
      endpoint without a location, or with arrow-flight-reuse-connection://?, is fetched from \
      the server asked. With --ticket, that one ticket is fetched from the server.
      """
  )

  @OptionGroup var client: ClientOptions
  @OptionGroup var flight: FlightSelector

  @Option(help: ArgumentHelp("Fetch this ticket (UTF-8 text) directly.", valueName: "text"))
  var ticket: String?

  @Option(
    help: ArgumentHelp(
      "Write the data to this Arrow IPC file instead of printing it (- for standard output).", valueName: "file"))
  var output: String?

  @Option(help: "The IPC format of --output: file or stream.")
  var format = OutputFormat.file

  func validate() throws {
    let given = [flight.path != nil, flight.cmd != nil, ticket != nil].filter { $0 }.count
    guard given == 1 else { throw ValidationError("give exactly one of --path, --cmd and --ticket") }
  }

  func run() async throws {
    // The output first: a path that cannot be written fails before any call, and a FIFO's
    // reader sees the end of the data however the fetch ends.
    let sink = try output.map { try IPCOutput(path: $0, format: format) }
    do {
      try await fetch(into: sink)
    } catch {
      sink?.discard()
      throw error
    }
  }

  /// Fetches the flight's endpoints into `sink`, or prints them as a table when it is nil.
  private func fetch(into sink: IPCOutput?) async throws {
    let connection = try await client.connect()
    var endpoints: [FlightEndpoint]
    var schema: Schema?
    if let ticket {
      endpoints = [FlightEndpoint(ticket: Ticket(ticket), locations: [])]
    } else {
      let info = try await connection.client.getFlightInfo(try flight.required(), options: connection.options)
      endpoints = info.endpoints
      schema = try info.decodedSchema()
    }

    var batches: [RecordBatch] = []
    let progress = TransferProgress("received")
    var clients = EndpointClients(connection: connection, options: client)
    defer { clients.close() }
    do {
      for endpoint in endpoints {
        let reader = try await clients.doGet(endpoint)
        guard let streamSchema = reader.schema else { throw FlightError(.internal, "the stream has no schema") }
        if let schema, schema != streamSchema {
          throw FlightError(
            .invalidArgument, "an endpoint's schema differs from the flight's:\n\(streamSchema)\nvs\n\(schema)")
        }
        schema = streamSchema
        try sink?.begin(streamSchema)
        while let chunk = try await reader.next() {
          guard let batch = chunk.data else { continue }
          progress.add(rows: batch.length, bytes: batch.bufferByteCount)
          if let sink { try sink.write(batch, customMetadata: chunk.customMetadata) } else { batches.append(batch) }
        }
      }
      progress.finish()
      guard let schema else { throw FlightError(.invalidArgument, "the flight has no endpoints and no schema") }
      if let sink {
        try sink.begin(schema)
        try sink.commit()
      } else {
        print(try Table(batches: batches, schema: schema).toString())
      }
    } catch {
      progress.finish()
      throw error
    }
  }
}

/// The clients endpoints are fetched from: the connection for "this server", others made on
/// demand (with the same options) and kept for later endpoints.
struct EndpointClients {
  let connection: Connection
  let options: ClientOptions
  private var others: [String: Connection] = [:]

  init(connection: Connection, options: ClientOptions) {
    self.connection = connection
    self.options = options
  }

  /// DoGet of the endpoint's ticket from its first location that answers.
  mutating func doGet(_ endpoint: FlightEndpoint) async throws -> FlightStreamReader {
    let remote = endpoint.locations.filter { !$0.isReuseConnection && $0.uri != connection.client.location.uri }
    if remote.isEmpty || remote.count < endpoint.locations.count {
      return try await connection.client.doGet(endpoint.ticket, options: connection.options)
    }
    var lastError: any Error = FlightError(.unavailable, "no location answered")
    for location in remote {
      do {
        let other: Connection
        if let known = others[location.uri] {
          other = known
        } else {
          other = try await options.connect(to: location)
          others[location.uri] = other
        }
        return try await other.client.doGet(endpoint.ticket, options: other.options)
      } catch let error as FlightError where error.kind == .unavailable {
        lastError = error
      }
    }
    throw lastError
  }

  func close() {
    connection.client.close()
    for other in others.values { other.client.close() }
  }
}
