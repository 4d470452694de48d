// The cross-implementation scenarios as real processes: the Swift `flight-integration` client
// against its own server and against pyarrow's (Tests/Peers/integration_scenarios.py), and
// pyarrow's client against the Swift server.

internal import Foundation
internal import InteropSupport
internal import Testing

#if canImport(Glibc)
  internal import Glibc
#elseif canImport(Musl)
  internal import Musl
#endif

/// Fails the test with the client's output unless it exited 0.
func expectSuccess(_ result: ProcessResult, _ what: String, sourceLocation: SourceLocation = #_sourceLocation) {
  #expect(result.status == 0, "\(what) failed: \(result)", sourceLocation: sourceLocation)
}

@Suite("Swift client against the Swift server", .serialized, .timeLimit(.minutes(2)))
struct SwiftAgainstSwift {
  @Test("scenario", arguments: scenarioNames)
  func scenario(_ name: String) async throws {
    try await InteropLock.run {
      try await withScenarioServer(name) { server in
        let result = try await runIntegration([
          "client", "--scenario", name, "--host", "localhost", "--port", String(server.port),
        ])
        expectSuccess(result, "flight-integration client --scenario \(name)")
      }
    }
  }
}

@Suite("Swift client against the pyarrow server", .serialized, .timeLimit(.minutes(2)))
struct SwiftClientAgainstPyarrow {
  /// The harness's single-dash options.
  @Test("scenario", arguments: scenarioNames)
  func scenario(_ name: String) async throws {
    try await InteropLock.run {
      try await withPeer(pythonScenarios, args: ["server", "--scenario", name, "--port", "0"]) { peer in
        let result = try await runIntegration([
          "client", "-scenario", name, "-host", "localhost", "-port", String(peer.port),
        ])
        expectSuccess(result, "flight-integration client -scenario \(name) against pyarrow")
      }
    }
  }
}

@Suite("pyarrow client against the Swift server", .serialized, .timeLimit(.minutes(2)))
struct PyarrowClientAgainstSwift {
  @Test("scenario", arguments: scenarioNames)
  func scenario(_ name: String) async throws {
    try await InteropLock.run {
      try await withScenarioServer(name) { server in
        // Throws with the script's stdout and stderr when it exits non-zero.
        _ = try await runPythonScript(
          pythonScenarios, arguments: ["client", "--scenario", name, "--port", String(server.port)])
      }
    }
  }
}

@Suite("flight-integration command line", .serialized, .timeLimit(.minutes(2)))
struct IntegrationCommandLine {
  @Test func listsEveryScenario() async throws {
    try await InteropLock.run {
      let result = try await runIntegration(["list"])
      #expect(result.status == 0)
      #expect(result.stdout.split(separator: "\n").map(String.init) == scenarioNames.sorted())
    }
  }

  @Test func pyarrowPeerPlaysTheSameScenarios() async throws {
    try await InteropLock.run {
      let listed = try await runPythonScript(pythonScenarios, arguments: ["list"])
      #expect(listed.split(separator: "\n").map(String.init) == scenarioNames.sorted())
    }
  }

  @Test func failedExpectationIsOneLineOnStderr() async throws {
    try await InteropLock.run {
      // The ordered server does not echo headers and fails no call.
      try await withScenarioServer("ordered") { server in
        let result = try await runIntegration([
          "client", "--scenario", "middleware", "--host", "localhost", "--port=\(server.port)",
        ])
        #expect(result.status == 1)
        let lines = result.stderr.split(separator: "\n")
        #expect(lines.count == 1, "stderr: \(result.stderr)")
        #expect(result.stderr.contains("scenario middleware failed: Expected call to fail"), "\(result)")
      }
    }
  }

  @Test func failedCallIsReportedWithItsError() async throws {
    try await InteropLock.run {
      try await withScenarioServer("ordered") { server in
        let result = try await runIntegration(["client", "-scenario", "poll_flight_info", "-port", String(server.port)])
        #expect(result.status == 1)
        #expect(result.stderr.split(separator: "\n").count == 1, "stderr: \(result.stderr)")
        #expect(result.stderr.contains("notImplemented"), "\(result)")
      }
    }
  }

  @Test func unknownScenarioAndMissingPortAreUsageErrors() async throws {
    try await InteropLock.run {
      let unknown = try await runIntegration(["server", "--scenario", "no-such-scenario"])
      #expect(unknown.status == 2)
      #expect(unknown.stderr.hasPrefix("flight-integration: unknown scenario 'no-such-scenario'"), "\(unknown)")
      let noPort = try await runIntegration(["client", "--scenario", "ordered"])
      #expect(noPort.status == 2)
      #expect(noPort.stderr.hasPrefix("flight-integration: the client needs --port PORT"), "\(noPort)")
      let badOption = try await runIntegration(["client", "--scenario", "ordered", "--prot", "1"])
      #expect(badOption.status == 2)
      #expect(badOption.stderr.hasPrefix("flight-integration: unknown option '--prot'"), "\(badOption)")
    }
  }

  @Test(arguments: [SIGTERM, SIGINT])
  func serverStopsOnSignal(_ signal: Int32) async throws {
    try await InteropLock.run {
      let server = try await startScenarioServer(
        "ordered", arguments: ["server", "-scenario", "ordered", "-port", "0"])
      // Serving: a client passes against it.
      let result = try await runIntegration(["client", "-scenario", "ordered", "-port", String(server.port)])
      expectSuccess(result, "ordered client")
      let stopped = await server.stop(signal: signal)
      #expect(stopped.status == 0, "\(stopped)")
    }
  }
}
