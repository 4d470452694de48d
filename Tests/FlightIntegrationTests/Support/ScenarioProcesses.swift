// Running the built `flight-integration` executable as real processes, through TestProcess: a
// server that announces its port on its first stdout line, and clients run to completion.

internal import Foundation
internal import InteropSupport

/// The scenarios, by the names of the Arrow integration harness.
let scenarioNames = [
  "auth:basic_proto",
  "middleware",
  "ordered",
  "expiration_time:do_get",
  "expiration_time:list_actions",
  "expiration_time:cancel_flight_info",
  "expiration_time:renew_flight_endpoint",
  "do_exchange:echo",
  "location:reuse_connection",
  "poll_flight_info",
  "app_metadata_flight_info_endpoint",
  "session_options",
]

/// The pyarrow peer playing the scenarios.
let pythonScenarios = "integration_scenarios.py"

/// The built `flight-integration` executable.
func integrationExecutable() throws -> URL {
  try InteropEnvironment.executable("flight-integration")
}

/// Runs `flight-integration <arguments>` to completion.
func runIntegration(_ arguments: [String], timeout: TimeInterval = 90) async throws -> ProcessResult {
  try await TestProcess.run(try integrationExecutable(), arguments, timeout: timeout)
}

/// Starts `flight-integration server --scenario NAME --port 0` (or the given arguments) and
/// waits, without sleeping, for its first line. It stops when its stdin closes (`stop()`).
func startScenarioServer(_ scenario: String, arguments: [String]? = nil) async throws -> TestProcess {
  try await TestProcess.startServer(
    try integrationExecutable(), arguments ?? ["server", "--scenario", scenario, "--port", "0"], input: .pipe)
}

/// Starts the Swift server of `scenario`, runs `body` with it, and stops it however `body` ends.
func withScenarioServer<T>(
  _ scenario: String, isolation: isolated (any Actor)? = #isolation, _ body: (TestProcess) async throws -> T
) async throws -> T {
  try await withServerProcess(
    try integrationExecutable(), ["server", "--scenario", scenario, "--port", "0"], input: .pipe, body: body)
}
