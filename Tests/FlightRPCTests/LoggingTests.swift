// The swift-log server middleware: one record per call, and no header values in them.

internal import FlightRPC
internal import Logging
internal import Synchronization
internal import Testing

/// A log handler that keeps every message and its metadata.
struct RecordingLogHandler: LogHandler {
  final class Store: Sendable {
    let lines = Mutex<[String]>([])
  }
  let store: Store
  var metadata: Logger.Metadata = [:]
  var logLevel: Logger.Level = .trace

  subscript(metadataKey key: String) -> Logger.Metadata.Value? {
    get { metadata[key] }
    set { metadata[key] = newValue }
  }

  func log(event: LogEvent) {
    let fields = (event.metadata ?? [:]).map { "\($0.key)=\($0.value)" }.sorted().joined(separator: " ")
    store.lines.withLock { $0.append("\(event.level) \(event.message) \(fields)") }
  }
}

@Suite("Logging middleware")
struct LoggingTests {
  @Test func logsEachCallWithoutSecrets() async throws {
    let store = RecordingLogHandler.Store()
    let logger = Logger(label: "test") { _ in RecordingLogHandler(store: store) }
    let server = try FlightServer(
      TestStoreService(), location: .forGRPCTCP(host: "localhost", port: 0),
      options: FlightServerOptions(
        middleware: [KeyedServerMiddleware("logging", LoggingServerMiddlewareFactory(logger: logger))]))
    var options = FlightCallOptions()
    options.headers.add("authorization", "Bearer very-secret-token")
    let client = try FlightClient(location: server.location)
    _ = try await client.listActions(options: options)
    await #expect(throws: FlightError.self) {
      _ = try await client.getFlightInfo(.forPath("missing"), options: options)
    }
    await server.shutdown()
    let lines = store.lines.withLock { $0 }
    #expect(lines.count == 2, "\(lines)")
    #expect(lines.contains { $0.hasPrefix("info ListActions completed") })
    #expect(
      lines.contains { $0.hasPrefix("warning GetFlightInfo failed: no table at missing") && $0.contains("notFound") })
    #expect(!lines.joined().contains("very-secret-token"))
  }
}
