// The small client commands: list, info, schema, actions, action (get and put have files of their own).

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
