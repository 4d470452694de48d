// Running a scenario's server until it is told to stop, or its client once.

internal import Dispatch
internal import FlightRPC

#if canImport(Glibc)
  internal import Glibc
#elseif canImport(Musl)
  internal import Musl
#elseif canImport(Darwin)
  internal import Darwin
#endif

/// One cross-implementation scenario: a server and a client that checks it.
protocol Scenario: Sendable {
  /// The service to serve, with its options (authentication, middleware).
  func makeServer() throws -> (service: any FlightService, options: FlightServerOptions)

  /// Runs the client's checks against the server at `location`; throws ``ScenarioFailure``
  /// (or the error of a call that had to succeed) when an expectation does not hold.
  func runClient(location: Location) async throws
}

/// Every scenario, by the name the Arrow harness uses.
let scenarios: [String: any Scenario] = [
  "auth:basic_proto": AuthBasicProtoScenario(),
  "middleware": MiddlewareScenario(),
  "ordered": OrderedScenario(),
  "expiration_time:do_get": ExpirationTimeDoGetScenario(),
  "expiration_time:list_actions": ExpirationTimeListActionsScenario(),
  "expiration_time:cancel_flight_info": ExpirationTimeCancelFlightInfoScenario(),
  "expiration_time:renew_flight_endpoint": ExpirationTimeRenewFlightEndpointScenario(),
  "do_exchange:echo": DoExchangeEchoScenario(),
  "location:reuse_connection": LocationReuseConnectionScenario(),
  "poll_flight_info": PollFlightInfoScenario(),
  "app_metadata_flight_info_endpoint": AppMetadataFlightInfoEndpointScenario(),
  "session_options": SessionOptionsScenario(),
]

/// The scenario names, sorted.
let scenarioNames = scenarios.keys.sorted()

/// An expectation of a scenario's client that did not hold.
struct ScenarioFailure: Error, CustomStringConvertible {
  var description: String

  init(_ description: String) {
    self.description = description
  }
}

/// Throws ``ScenarioFailure`` with `message` unless `condition` holds.
func expect(_ condition: Bool, _ message: @autoclosure () -> String) throws(ScenarioFailure) {
  if !condition { throw ScenarioFailure(message()) }
}

/// Serves the scenario until stdin closes or SIGTERM/SIGINT arrives; the exit status.
func runServer(_ invocation: Invocation) async -> Int32 {
  guard let scenario = scenarios[invocation.scenario] else { return 2 }
  let server: FlightServer
  do {
    let (service, options) = try scenario.makeServer()
    server = try FlightServer(
      service, location: try Location.forGRPCTCP(host: invocation.host, port: invocation.port), options: options)
  } catch {
    writeError("flight-integration server: cannot serve scenario \(invocation.scenario): \(oneLine(error))")
    return 1
  }
  print("Server listening on localhost:\(server.port)")
  fflush(nil)  // every stream: the harness waits for this line
  await waitForStopRequest()
  await server.shutdown()
  return 0
}

/// Runs the scenario's client once; the exit status.
func runClient(_ invocation: Invocation) async -> Int32 {
  guard let scenario = scenarios[invocation.scenario] else { return 2 }
  do {
    try await scenario.runClient(location: try Location.forGRPCTCP(host: invocation.host, port: invocation.port))
    return 0
  } catch {
    writeError("flight-integration client: scenario \(invocation.scenario) failed: \(oneLine(error))")
    return 1
  }
}

/// The error's description on one line.
func oneLine(_ error: any Error) -> String {
  String(describing: error).split(whereSeparator: \.isNewline).joined(separator: " | ")
}

/// Returns when the process is asked to stop: SIGTERM, SIGINT, or end of file on stdin
/// (when stdin is a pipe, socket or terminal; a stdin of /dev/null or a file is ignored, so
/// that a harness that does not give the server a stdin does not stop it at once).
func waitForStopRequest() async {
  let (requests, continuation) = AsyncStream<Void>.makeStream()
  var sources: [any DispatchSourceSignal] = []
  for signalNumber in [SIGTERM, SIGINT] {
    signal(signalNumber, SIG_IGN)
    let source = DispatchSource.makeSignalSource(signal: signalNumber, queue: .global())
    source.setEventHandler { continuation.yield() }
    source.resume()
    sources.append(source)
  }
  if stdinSignalsShutdown() {
    let thread = DispatchQueue(label: "flight-integration.stdin")
    thread.async {
      var buffer = [UInt8](repeating: 0, count: 4096)
      while true {
        let count = read(0, &buffer, buffer.count)
        if count > 0 { continue }
        if count < 0 && errno == EINTR { continue }
        break
      }
      continuation.yield()
    }
  }
  for await _ in requests { break }
  for source in sources { source.cancel() }
}

/// Whether stdin can deliver an end of file that means "stop": a pipe, a socket or a terminal.
private func stdinSignalsShutdown() -> Bool {
  var status = stat()
  guard fstat(0, &status) == 0 else { return false }
  let kind = status.st_mode & S_IFMT
  return kind == S_IFIFO || kind == S_IFSOCK || isatty(0) != 0
}

/// Connects a client to `location`.
func connect(_ location: Location, options: FlightClientOptions = FlightClientOptions()) throws -> FlightClient {
  try FlightClient(location: location, options: options)
}

/// Reads every remaining result of a DoAction.
func collectResults(_ stream: FlightResponseStream<FlightResult>) async throws -> [FlightResult] {
  try await stream.collect()
}
