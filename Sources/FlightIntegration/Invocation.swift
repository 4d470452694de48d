// Command-line arguments, parsed by hand: the harness passes single-dash options (`-port 0`),
// people type double-dash ones (`--port 0`, `--port=0`).

#if canImport(Glibc)
  internal import Glibc
#elseif canImport(Musl)
  internal import Musl
#elseif canImport(Darwin)
  internal import Darwin
#endif

/// What to do, from the command line.
struct Invocation {
  enum Mode {
    case server
    case client
    case list
    case help
  }

  var mode: Mode
  var scenario: String = ""
  var host: String = "localhost"
  var port: Int = 0

  static let usage = """
    usage: flight-integration server --scenario NAME [--port PORT]
           flight-integration client --scenario NAME [--host HOST] --port PORT
           flight-integration list
    Options also take one dash (-scenario NAME, -port 0) or the form --port=0.
    The server prints "Server listening on localhost:<port>" first and serves until its
    stdin closes or it receives SIGTERM or SIGINT.
    """

  /// A usage error, printed on one line.
  struct UsageError: Error, CustomStringConvertible {
    var description: String
  }

  static func parse(_ arguments: [String]) throws(UsageError) -> Invocation {
    guard let command = arguments.first else { throw UsageError(description: "missing command (server or client)") }
    var invocation: Invocation
    switch command {
    case "server", "-server", "--server": invocation = Invocation(mode: .server)
    case "client", "-client", "--client": invocation = Invocation(mode: .client)
    case "list", "--list": return Invocation(mode: .list)
    case "help", "-h", "-help", "--help": return Invocation(mode: .help)
    default: throw UsageError(description: "unknown command '\(command)' (expected server or client)")
    }
    var portGiven = false
    var rest = arguments.dropFirst()
    while let argument = rest.popFirst() {
      guard argument.hasPrefix("-") else { throw UsageError(description: "unexpected argument '\(argument)'") }
      var name = String(argument.drop { $0 == "-" })
      var value: String?
      if let equals = name.firstIndex(of: "=") {
        value = String(name[name.index(after: equals)...])
        name = String(name[..<equals])
      }
      if name == "help" || name == "h" { return Invocation(mode: .help) }
      guard ["scenario", "host", "port"].contains(name) else {
        throw UsageError(description: "unknown option '\(argument)'")
      }
      if value == nil { value = rest.popFirst() }
      guard let value else { throw UsageError(description: "option '\(argument)' needs a value") }
      switch name {
      case "scenario":
        invocation.scenario = value
      case "host":
        guard !value.isEmpty else { throw UsageError(description: "the host is empty") }
        invocation.host = value
      default:
        guard let port = Int(value), (0...65535).contains(port) else {
          throw UsageError(description: "the port '\(value)' is not a number in 0...65535")
        }
        invocation.port = port
        portGiven = true
      }
    }
    guard !invocation.scenario.isEmpty else { throw UsageError(description: "missing --scenario NAME") }
    guard scenarioNames.contains(invocation.scenario) else {
      throw UsageError(
        description:
          "unknown scenario '\(invocation.scenario)' (known: \(scenarioNames.joined(separator: ", ")))")
    }
    if invocation.mode == .client && !portGiven {
      throw UsageError(description: "the client needs --port PORT")
    }
    return invocation
  }
}

/// Writes one message and a newline on stderr.
func writeError(_ message: String) {
  var text = message
  if !text.hasSuffix("\n") { text += "\n" }
  let bytes = Array(text.utf8)
  var written = 0
  while written < bytes.count {
    let count = bytes[written...].withUnsafeBytes { write(2, $0.baseAddress, $0.count) }
    if count < 0 && errno == EINTR { continue }
    guard count > 0 else { return }
    written += count
  }
}
