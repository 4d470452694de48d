// The client commands: list, info, schema, get, put, actions, action.

internal import ArgumentParser
internal import ArrowIPC
internal import FlightRPC
internal import Foundation

/// Names a flight: exactly one of --path and --cmd.
struct FlightSelector: ParsableArguments {
  @Option(help: ArgumentHelp("The flight's path; components separated by '/' (dataset/sales).", valueName: "path"))
  var path: String?

  @Option(help: ArgumentHelp("The flight's command (a CMD descriptor), as UTF-8 text.", valueName: "text"))
  var cmd: String?

  /// The descriptor named, or nil when neither option is given.
  var descriptor: FlightDescriptor? {
    if let path { return .forPath(path.split(separator: "/", omittingEmptySubsequences: false).map(String.init)) }
    if let cmd { return .forCommand(cmd) }
    return nil
  }

  func validate() throws {
    if path != nil && cmd != nil { throw ValidationError("give --path or --cmd, not both") }
    if path == "" { throw ValidationError("--path is empty") }
  }

  /// The descriptor; fails when neither option is given.
  func required() throws -> FlightDescriptor {
    guard let descriptor else { throw ValidationError("give --path or --cmd") }
    return descriptor
  }
}

struct List: AsyncParsableCommand {
  static let configuration = CommandConfiguration(abstract: "List the flights of a server (ListFlights).")

  @OptionGroup var client: ClientOptions

  @Option(help: ArgumentHelp("The listing criteria (this tool's server: a path prefix).", valueName: "text"))
  var criteria = ""

  func run() async throws {
    let connection = try await client.connect()
    var rows: [[String]] = []
    for try await info in try await connection.client.listFlights(
      criteria: Array(criteria.utf8), options: connection.options)
    {
      rows.append([
        show(info.flightDescriptor), count(info.totalRecords), count(info.totalBytes), String(info.endpoints.count),
      ])
    }
    if rows.isEmpty {
      print("(no flights)")
      return
    }
    print(formatColumns([["FLIGHT", "RECORDS", "BYTES", "ENDPOINTS"]] + rows, rightAligned: [1, 2, 3]))
  }

  private func count(_ value: Int64) -> String { value < 0 ? "?" : String(value) }
}

struct Info: AsyncParsableCommand {
  static let configuration = CommandConfiguration(
    abstract: "Show how to fetch a flight (GetFlightInfo): schema, size, endpoints.")

  @OptionGroup var client: ClientOptions
  @OptionGroup var flight: FlightSelector

  func run() async throws {
    let descriptor = try flight.required()
    let connection = try await client.connect()
    let info = try await connection.client.getFlightInfo(descriptor, options: connection.options)
    var lines = ["flight: \(show(info.flightDescriptor ?? descriptor))"]
    lines.append("records: \(info.totalRecords < 0 ? "unknown" : String(info.totalRecords))")
    lines.append("bytes: \(info.totalBytes < 0 ? "unknown" : String(info.totalBytes))")
    lines.append("ordered: \(info.ordered)")
    if !info.appMetadata.isEmpty { lines.append("app_metadata: \(showBytes(info.appMetadata))") }
    if let schema = try info.decodedSchema() {
      lines.append("schema:")
      lines += schema.description.split(separator: "\n", omittingEmptySubsequences: false).map { "  \($0)" }
    } else {
      lines.append("schema: (none)")
    }
    lines.append("endpoints: \(info.endpoints.count)")
    for (index, endpoint) in info.endpoints.enumerated() {
      lines.append("  [\(index)] ticket: \(showBytes(endpoint.ticket.ticket))")
      let locations = endpoint.locations.map(\.uri).joined(separator: ", ")
      lines.append("      locations: \(locations.isEmpty ? "(this server)" : locations)")
      if let expiration = endpoint.expirationTime { lines.append("      expires: \(expiration)") }
      if !endpoint.appMetadata.isEmpty { lines.append("      app_metadata: \(showBytes(endpoint.appMetadata))") }
    }
    print(lines.joined(separator: "\n"))
  }
}

struct SchemaCommand: AsyncParsableCommand {
  static let configuration = CommandConfiguration(
    commandName: "schema", abstract: "Show a flight's schema (GetSchema).")

  @OptionGroup var client: ClientOptions
  @OptionGroup var flight: FlightSelector

  func run() async throws {
    let descriptor = try flight.required()
    let connection = try await client.connect()
    let schema = try await connection.client.getSchema(descriptor, options: connection.options)
    print(schema.description)
  }
}

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

struct Put: AsyncParsableCommand {
  static let configuration = CommandConfiguration(
    abstract: "Upload an Arrow IPC file or stream to a flight path (DoPut).")

  @OptionGroup var client: ClientOptions

  @Option(help: ArgumentHelp("The flight's path; components separated by '/' (dataset/sales).", valueName: "path"))
  var path: String

  @Option(help: ArgumentHelp("The Arrow IPC file or stream to upload (detected).", valueName: "file"))
  var input: String

  func validate() throws {
    if path.isEmpty { throw ValidationError("--path is empty") }
  }

  func run() async throws {
    var source = try IPCInput(path: input)
    let connection = try await client.connect()
    let descriptor = FlightDescriptor.forPath(
      path.split(separator: "/", omittingEmptySubsequences: false).map(String.init))
    let (writer, results) = try await connection.client.doPut(
      descriptor, schema: source.schema, options: connection.options)
    // Read the server's acknowledgements while writing, so neither side waits on the other.
    let acknowledgements = Task { () throws -> Int in
      var count = 0
      for try await _ in results { count += 1 }
      return count
    }
    let progress = TransferProgress("sent")
    do {
      // Batches go out in groups of up to 8 MiB (views of the input, no copy): a group's
      // messages are sent back to back without a thread switch per message.
      var group: [RecordBatch] = []
      var groupMetadata: [KeyValueMetadata] = []
      var groupBytes = 0
      func flush() async throws {
        try await writer.write(contentsOf: group, customMetadata: groupMetadata)
        for batch in group { progress.add(rows: batch.length, bytes: batch.bufferByteCount) }
        group.removeAll(keepingCapacity: true)
        groupMetadata.removeAll(keepingCapacity: true)
        groupBytes = 0
      }
      while true {
        let next: (batch: RecordBatch, metadata: KeyValueMetadata)?
        do {
          next = try source.nextWithMetadata()
        } catch {
          let failed = progress.batches + group.count + 1
          throw CLIError.invalid("\(input): batch \(failed) cannot be read: \(error.message)")
        }
        guard let (batch, metadata) = next else { break }
        group.append(batch)
        groupMetadata.append(metadata)
        groupBytes += batch.bufferByteCount
        if groupBytes >= 8 << 20 { try await flush() }
      }
      if !group.isEmpty { try await flush() }
      try await writer.doneWriting()
    } catch {
      progress.finish()
      // End the call if it is still going (the input went bad, or a batch could not be sent),
      // so the server neither waits for the rest nor keeps what was sent. A no-op when the
      // server has ended the call already.
      writer.cancel()
      // Wait for the call's end (prompt once cancelled), so the cancellation reaches the server
      // before this process exits. The server's status says more than a failed write does; a
      // bad input says it all.
      let serverError = await acknowledgementError(acknowledgements)
      if !(error is CLIError), let serverError, (serverError as? FlightError)?.kind != .cancelled {
        throw serverError
      }
      throw error
    }
    _ = try await acknowledgements.value
    progress.finish()
    let batches = progress.batches == 1 ? "1 batch" : "\(progress.batches) batches"
    print("Uploaded \(progress.rows) rows (\(batches), \(formatBytes(progress.bytes))) to \(path)")
  }

  /// The error the acknowledgement reader ended with, when the call has failed.
  private func acknowledgementError(_ task: Task<Int, any Error>) async -> (any Error)? {
    do {
      _ = try await task.value
      return nil
    } catch {
      return error
    }
  }
}

struct Actions: AsyncParsableCommand {
  static let configuration = CommandConfiguration(abstract: "List the actions a server offers (ListActions).")

  @OptionGroup var client: ClientOptions

  func run() async throws {
    let connection = try await client.connect()
    let actions = try await connection.client.listActions(options: connection.options)
    if actions.isEmpty {
      print("(no actions)")
      return
    }
    print(formatColumns([["ACTION", "DESCRIPTION"]] + actions.map { [$0.type, $0.description] }))
  }
}

struct DoAction: AsyncParsableCommand {
  static let configuration = CommandConfiguration(
    commandName: "action", abstract: "Run an action (DoAction) and print its results, one per line.")

  @OptionGroup var client: ClientOptions

  @Argument(help: "The action type, such as list_tables.")
  var type: String

  @Option(help: ArgumentHelp("The action body, as UTF-8 text.", valueName: "text"))
  var body = ""

  func run() async throws {
    let connection = try await client.connect()
    let results = try await connection.client.doAction(
      FlightRPC.Action(type: type, body: Array(body.utf8)), options: connection.options)
    for try await result in results {
      print(showBytes(result.body))
    }
  }
}

// MARK: Formatting

/// A descriptor as the user would name it: `dataset/sales`, or `cmd:<text>`.
func show(_ descriptor: FlightDescriptor?) -> String {
  guard let descriptor else { return "(no descriptor)" }
  if let components = descriptor.pathComponents { return components.joined(separator: "/") }
  return "cmd:" + showBytes(descriptor.commandBytes ?? [])
}

/// Bytes as UTF-8 text when they are printable text, else `base64:<...>`.
func showBytes(_ bytes: [UInt8]) -> String {
  if let text = String(validating: bytes, as: UTF8.self),
    !text.unicodeScalars.contains(where: { $0.properties.generalCategory == .control && $0 != "\n" && $0 != "\t" })
  {
    return text
  }
  return "base64:" + Data(bytes).base64EncodedString()
}

/// Rows as aligned columns separated by two spaces.
func formatColumns(_ rows: [[String]], rightAligned: Set<Int> = []) -> String {
  var widths: [Int] = []
  for row in rows {
    for (index, cell) in row.enumerated() {
      if index == widths.count { widths.append(0) }
      widths[index] = max(widths[index], cell.count)
    }
  }
  return rows.map { row in
    row.enumerated().map { index, cell in
      let padding = String(repeating: " ", count: widths[index] - cell.count)
      if rightAligned.contains(index) { return padding + cell }
      return index == row.count - 1 ? cell : cell + padding
    }.joined(separator: "  ")
  }.joined(separator: "\n")
}
