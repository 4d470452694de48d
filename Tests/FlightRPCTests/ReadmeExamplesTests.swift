// The Swift examples of README.md and of the getting-started article
// (Sources/FlightRPC/FlightRPC.docc/GettingStarted.md), compiled and run.
//
// Each region `// README-EXAMPLE: NAME` … `// README-EXAMPLE-END` is the code block marked
// `<!-- example: NAME -->` in a document, less the region's common indentation and the block's
// leading `import` lines (which must be imports of this file). A `// README-REPLACE: TEST => DOC`
// line right after the marker names what the test writes differently (a free port where the
// document says 8815). Scripts/check-readme-examples.sh compares them (Scripts/test.sh runs it);
// `Scripts/check-readme-examples.sh --fix` copies the regions into the documents. In these
// tests `print` is a local function: what an example prints is collected and checked.

internal import FlightRPC
internal import Foundation
internal import Synchronization
internal import Testing

/// The seed's table store with its sample data (`dataset/sales`): what the README's client
/// example talks to.
final class SampleSalesServer: FlightService {
  let store = Mutex<[String: Table]>([:])

  init() throws {
    let sales = try Table([
      ("date", StringArray(["2023-01-01", "2023-01-02", "2023-01-03"])),
      ("amount", Float64Array([100.0, 150.0, 200.0])),
      ("region", StringArray(["North", "South", "East"])),
    ])
    store.withLock { $0["dataset/sales"] = sales }
  }

  private func table(_ path: String) throws -> Table {
    guard let table = store.withLock({ $0[path] }) else { throw FlightError(.notFound, "Unknown path: \(path)") }
    return table
  }

  private func info(_ path: String) throws -> FlightInfo {
    try FlightInfo(
      table: table(path), descriptor: .forPath(path.split(separator: "/").map(String.init)),
      endpoints: [FlightEndpoint(ticket: Ticket(path), locations: [])])
  }

  func listFlights(_ criteria: Criteria, writer: FlightResponseWriter<FlightInfo>, context: ServerCallContext)
    async throws
  {
    for path in store.withLock({ $0.keys.sorted() }) { try await writer.write(try info(path)) }
  }

  func getFlightInfo(_ descriptor: FlightDescriptor, context: ServerCallContext) async throws -> FlightInfo {
    guard case .path(let components) = descriptor else { throw FlightError(.invalidArgument, "path descriptors only") }
    return try info(components.joined(separator: "/"))
  }

  func doGet(_ ticket: Ticket, context: ServerCallContext) async throws -> any FlightDataStream {
    RecordBatchStream(try table(String(decoding: ticket.ticket, as: UTF8.self)))
  }

  func doPut(
    _ descriptor: FlightDescriptor, reader: FlightStreamReader, writer: FlightMetadataWriter,
    context: ServerCallContext
  ) async throws {
    guard case .path(let components) = descriptor else { throw FlightError(.invalidArgument, "path descriptors only") }
    let table = try await reader.readAll()
    store.withLock { $0[components.joined(separator: "/")] = table }
  }

  func listActions(context: ServerCallContext) async throws -> [ActionType] {
    [ActionType(type: "list_tables", description: "List all stored tables")]
  }

  func doAction(_ action: Action, writer: FlightResponseWriter<FlightResult>, context: ServerCallContext) async throws {
    guard action.type == "list_tables" else { throw FlightError(.notImplemented, "Unknown action: \(action.type)") }
    let names = store.withLock { $0.keys.sorted() }
    try await writer.write(FlightResult(body: Array(names.joined(separator: "\n").utf8)))
  }
}

@Suite("README examples", .serialized)
struct ReadmeExamplesTests {
  @Test func clientExample() async throws {
    try await withLocalServer(try SampleSalesServer()) { server, check in
      let output = ExampleOutput()
      @Sendable func print(_ line: String) { output.record(line) }
      let port = server.port
      // README-EXAMPLE: client
      // README-REPLACE: \(port) => 8815
      let client = try FlightClient("grpc://localhost:\(port)")

      for try await info in try await client.listFlights() {
        print("Flight: \(info.flightDescriptor?.description ?? "-")")
        print("  Records: \(info.totalRecords), bytes: \(info.totalBytes)")
      }

      let info = try await client.getFlightInfo(.forPath("dataset", "sales"))
      for endpoint in info.endpoints {
        let table = try await client.doGet(endpoint.ticket).readAll()
        print("Retrieved table: \(table.length) rows, \(table.columnCount) columns")
      }

      let upload = try Table([
        ("id", Int64Array([1, 2, 3, 4, 5])),
        ("value", Float64Array([10.5, 20.3, 30.1, 40.7, 50.2])),
      ])
      try await client.withDoPut(.forPath("uploads", "new_data"), schema: upload.schema) { writer, results in
        try await writer.write(upload)  // or write(batch, appMetadata:) and read `results`
      }  // closed here; a throw cancels the upload instead

      for try await result in try await client.doAction(Action(type: "list_tables")) {
        print("Action result: \(String(decoding: result.body, as: UTF8.self))")
      }
      client.close()
      // README-EXAMPLE-END
      #expect(output.lines.contains("Retrieved table: 3 rows, 3 columns"), "\(output.lines)")
      #expect(output.lines.last == "Action result: dataset/sales\nuploads/new_data", "\(output.lines)")
      #expect(try await check.doGet(Ticket("uploads/new_data")).readAll() == upload)
    }
  }

  @Test func serverExample() async throws {
    let output = ExampleOutput()
    @Sendable func print(_ line: String) { output.record(line) }
    let freePort = 0
    let serving = Task {
      do {
        // README-EXAMPLE: server
        // README-REPLACE: port: freePort) => port: 8815)
        final class DataFlightServer: FlightService {
          let store = Mutex<[String: Table]>([:])

          func getFlightInfo(_ descriptor: FlightDescriptor, context: ServerCallContext) async throws -> FlightInfo {
            guard case .path(let components) = descriptor,
              let table = store.withLock({ $0[components.joined(separator: "/")] })
            else { throw FlightError(.notFound, "Unknown path: \(descriptor)") }
            return try FlightInfo(
              table: table, descriptor: descriptor,
              endpoints: [FlightEndpoint(ticket: Ticket(components.joined(separator: "/")), locations: [])])
          }

          func doGet(_ ticket: Ticket, context: ServerCallContext) async throws -> any FlightDataStream {
            guard let table = store.withLock({ $0[String(decoding: ticket.ticket, as: UTF8.self)] })
            else { throw FlightError(.notFound, "Unknown ticket") }
            return RecordBatchStream(table)  // or any sequence, a RecordBatchReader, GeneratorStream
          }

          func doPut(
            _ descriptor: FlightDescriptor, reader: FlightStreamReader, writer: FlightMetadataWriter,
            context: ServerCallContext
          ) async throws {
            guard case .path(let components) = descriptor else { throw FlightError(.invalidArgument, "paths only") }
            let table = try await reader.readAll()
            store.withLock { $0[components.joined(separator: "/")] = table }
          }
        }

        let server = try FlightServer(DataFlightServer(), location: .forGRPCTCP(host: "localhost", port: freePort))
        print("Server listening on localhost:\(server.port)")
        await server.serve()  // until shutdown() or task cancellation
        // README-EXAMPLE-END
      } catch {
        output.fail(error)
      }
    }
    let port = try #require(await output.announcedPort(), "\(output.lines)")
    let client = try FlightClient("grpc://localhost:\(port)")
    let table = try Table([("x", Int64Array([1, 2, 3]))])
    try await client.withDoPut(.forPath("a", "b"), schema: table.schema) { writer, _ in try await writer.write(table) }
    let info = try await client.getFlightInfo(.forPath("a", "b"))
    #expect(try await client.doGet(info.endpoints[0].ticket).readAll() == table)
    await #expect(throws: FlightError.self) { _ = try await client.getFlightInfo(.forPath("no", "such")) }
    client.close()
    serving.cancel()
    await serving.value
  }

  @Test func middlewareExample() async throws {
    try await withLocalServer(try SampleSalesServer()) { server, _ in
      let port = server.port
      // README-EXAMPLE: middleware
      // README-REPLACE: \(port) => 8815
      struct Timing: ClientMiddlewareFactory {
        func startCall(_ info: CallInfo) -> (any ClientMiddleware)? { Recorder(method: info.method, start: .now) }
        struct Recorder: ClientMiddleware {
          let method: FlightMethod
          let start: ContinuousClock.Instant
          func callCompleted(_ error: FlightError?) { print("\(method) took \(ContinuousClock.now - start)") }
        }
      }
      let client = try FlightClient("grpc://localhost:\(port)", options: FlightClientOptions(middleware: [Timing()]))
      // README-EXAMPLE-END
      defer { client.close() }
      #expect(try await client.listActions().map(\.type) == ["list_tables"])
    }
  }
}

@Suite("Getting started article", .serialized)
struct GettingStartedTests {
  /// The article's two blocks: its server, then its client against it.
  @Test func serveThenFetch() async throws {
    let output = ExampleOutput()
    @Sendable func print(_ line: String) { output.record(line) }
    let freePort = 0
    let serving = Task {
      do {
        // README-EXAMPLE: getting-started-serve
        // README-REPLACE: port: freePort) => port: 8815)
        final class Store: FlightService {
          let tables = Mutex<[String: Table]>([:])

          func doGet(_ ticket: Ticket, context: ServerCallContext) async throws -> any FlightDataStream {
            guard let table = tables.withLock({ $0[String(decoding: ticket.ticket, as: UTF8.self)] }) else {
              throw FlightError(.notFound, "no such ticket")
            }
            return RecordBatchStream(table)
          }

          func doPut(
            _ descriptor: FlightDescriptor, reader: FlightStreamReader, writer: FlightMetadataWriter,
            context: ServerCallContext
          ) async throws {
            guard case .path(let path) = descriptor else { throw FlightError(.invalidArgument, "paths only") }
            let table = try await reader.readAll()
            tables.withLock { $0[path.joined(separator: "/")] = table }
          }
        }

        let server = try FlightServer(Store(), location: .forGRPCTCP(host: "localhost", port: freePort))
        print("Server listening on localhost:\(server.port)")
        await server.serve()
        // README-EXAMPLE-END
      } catch {
        output.fail(error)
      }
    }
    let port = try #require(await output.announcedPort(), "\(output.lines)")

    // README-EXAMPLE: getting-started-fetch
    // README-REPLACE: \(port) => 8815
    let client = try FlightClient("grpc://localhost:\(port)")
    let table = try Table([("id", Int64Array([1, 2, 3]))])
    try await client.withDoPut(.forPath("demo"), schema: table.schema) { writer, _ in
      try await writer.write(table)
    }

    for try await chunk in try await client.doGet(Ticket("demo")) {
      print(chunk.data?.description ?? "metadata only")
    }
    // README-EXAMPLE-END
    client.close()
    serving.cancel()
    await serving.value
    let printed = output.lines.dropFirst()  // after the server's line: one batch
    #expect(printed.count == 1 && printed.first != "metadata only", "\(output.lines)")
  }
}
