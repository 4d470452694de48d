// FlightRPC against real pyarrow peers over real gRPC: a pyarrow client against the Swift
// server, and the Swift client against a pyarrow server.

internal import FlightRPC
internal import Foundation
internal import InteropSupport
internal import Testing

@Suite("FlightRPC interop with pyarrow", .serialized)
struct PyarrowInteropTests {
  @Test func pyarrowClientAgainstSwiftServer() async throws {
    let server = try FlightServer(TestStoreService(), location: .forGRPCTCP(host: "localhost", port: 0))
    try await InteropLock.run {
      let output = try await runPythonScript(
        "pyarrow_client_checks.py", arguments: ["--location", "grpc://localhost:\(server.port)"])
      #expect(output.contains("all checks passed"), "\(output)")
    }
    await server.shutdown()
  }

  @Test func pyarrowClientOverTLS() async throws {
    let certificates = try await TestCertificates.generate()
    defer { certificates.remove() }
    let server = try FlightServer(
      TestStoreService(), location: .forGRPCTLS(host: "localhost", port: 0),
      options: FlightServerOptions(
        tls: FlightServerTLS(certificateChain: certificates.serverCertificate, privateKey: certificates.serverKey)))
    try await InteropLock.run {
      let output = try await runPythonScript(
        "pyarrow_client_checks.py",
        arguments: ["--location", "grpc+tls://localhost:\(server.port)", "--tls-roots", certificates.file("ca.pem")])
      #expect(output.contains("all checks passed"), "\(output)")
    }
    await server.shutdown()
  }

  @Test func swiftClientAgainstPyarrowServer() async throws {
    try await InteropLock.run {
      try await withPeer("pyarrow_server.py") { peer in
        let client = try FlightClient(peer.location)
        try await client.waitForAvailable(timeout: .seconds(10))

        let flights = try await client.listFlights().collect()
        #expect(flights.map(\.flightDescriptor) == [.forPath("dataset", "products"), .forPath("dataset", "sales")])

        let info = try await client.getFlightInfo(.forPath("dataset", "sales"))
        #expect(info.totalRecords == 3)
        let schema = try #require(try info.decodedSchema())
        #expect(schema.fields.map(\.name) == ["date", "amount", "region"])
        #expect(try await client.getSchema(.forPath("dataset", "sales")) == schema)

        let sales = try await client.doGet(info.endpoints[0].ticket).readAll()
        #expect(sales.length == 3)
        let amount = try #require(sales.column(named: "amount"))
        #expect(amount.chunks.flatMap { ($0 as! Float64Array).map { $0 } } == [100.0, 150.0, 200.0])
        let region = try #require(sales.column(named: "region"))
        #expect(region.chunks.flatMap { ($0 as! StringArray).map { $0 } } == ["North", "South", "East"])

        // Upload with metadata acknowledgements, then read it back.
        let table = try sampleTable(rows: 50)
        let (writer, results) = try await client.doPut(.forPath("uploads", "swift"), schema: table.schema)
        var acknowledgements: [String] = []
        var resultIterator = results.makeAsyncIterator()
        for (index, batch) in table.toBatches().enumerated() {
          try await writer.write(batch, appMetadata: Array("\(index)".utf8))
          if let ack = try await resultIterator.next() { acknowledgements.append(String(decoding: ack, as: UTF8.self)) }
        }
        try await writer.close()
        #expect(acknowledgements == ["0"])
        let uploaded = try await client.doGet(Ticket("uploads/swift")).readAll()
        #expect(uploaded == table)

        // Exchange: echoed one by one.
        let (exchangeWriter, exchangeReader) = try await client.doExchange(.forCommand("echo"))
        try await exchangeWriter.begin(table.schema)
        var chunks = exchangeReader.makeAsyncIterator()
        try await exchangeWriter.write(table.toBatches()[0], appMetadata: Array("e".utf8))
        let echoed = try #require(try await chunks.next())
        #expect(echoed.data == table.toBatches()[0])
        #expect(echoed.appMetadata.map { Array($0) } == Array("e".utf8))
        try await exchangeWriter.close()

        let actions = try await client.listActions()
        #expect(actions.map(\.type) == ["list_tables", "get_stats", "echo"])
        let tables = try await client.doAction(Action(type: "list_tables")).collect()
        #expect(tables.map { String(decoding: $0.body, as: UTF8.self) }.contains("uploads/swift"))
      }
    }
  }

  @Test func pyarrowErrorsArriveAsTheMatchingKind() async throws {
    try await InteropLock.run {
      try await withPeer("pyarrow_server.py") { peer in
        let client = try FlightClient(peer.location)
        let kinds: [FlightError.Kind] = [
          .unauthenticated, .unauthorized, .unavailable, .internal, .timedOut, .cancelled, .serverError, .notFound,
          .invalidArgument, .notImplemented,
        ]
        for kind in kinds {
          do {
            _ = try await client.doAction(Action(type: "raise", body: Array(kind.rawValue.utf8))).collect()
            Issue.record("expected \(kind)")
          } catch let error as FlightError {
            #expect(error.kind == kind, "\(error)")
            #expect(error.message.contains("raised \(kind.rawValue)"), "\(error)")
            if ![.notFound, .invalidArgument, .notImplemented].contains(kind) {
              #expect(error.extraInfo == Array("extra".utf8), "\(kind): \(error.extraInfo)")
            }
          }
        }
        await #expect {
          _ = try await client.getFlightInfo(.forPath("no", "such"))
        } throws: { error in
          (error as? FlightError)?.kind == .notFound
        }
      }
    }
  }
}
