// FlightClient against FlightServer, both Swift, over real gRPC on loopback.

internal import FlightRPC
internal import Foundation
internal import Testing

@Suite("Swift client and Swift server", .serialized)
struct SwiftRoundTripTests {
  let server: FlightServer
  let client: FlightClient

  init() throws {
    server = try FlightServer(TestStoreService(), location: .forGRPCTCP(host: "localhost", port: 0))
    client = try FlightClient(location: server.location)
  }

  @Test func putThenGetInfoSchemaAndData() async throws {
    let table = try sampleTable(rows: 100)
    let (writer, results) = try await client.doPut(.forPath("test", "t1"), schema: table.schema)
    for (index, batch) in table.slice(offset: 0, length: 100).toBatches().enumerated() {
      try await writer.write(batch, appMetadata: Array("m\(index)".utf8))
    }
    try await writer.doneWriting()
    var acknowledgements: [String] = []
    for try await metadata in results { acknowledgements.append(String(decoding: metadata, as: UTF8.self)) }
    #expect(acknowledgements == ["m0"])

    let info = try await client.getFlightInfo(.forPath("test", "t1"))
    #expect(info.totalRecords == 100)
    #expect(try info.decodedSchema() == table.schema)
    #expect(try await client.getSchema(.forPath("test", "t1")) == table.schema)
    let reader = try await client.doGet(info.endpoints[0].ticket)
    #expect(reader.schema == table.schema)
    #expect(try await reader.readAll() == table)

    let flights = try await client.listFlights().collect()
    #expect(flights.map(\.flightDescriptor) == [.forPath("test", "t1")])
  }

  @Test func exchangeEchoesBatchesAndMetadata() async throws {
    let table = try sampleTable(rows: 10)
    let (writer, reader) = try await client.doExchange(.forCommand("echo"))
    try await writer.begin(table.schema)
    var iterator = reader.makeAsyncIterator()
    for batch in table.toBatches() {
      try await writer.write(batch, appMetadata: Array("meta".utf8))
      let chunk = try #require(try await iterator.next())
      #expect(chunk.data == batch)
      #expect(chunk.appMetadata.map { Array($0) } == Array("meta".utf8))
    }
    try await writer.writeMetadata(Array("only metadata".utf8))
    let metadataOnly = try #require(try await iterator.next())
    #expect(metadataOnly.data == nil)
    #expect(metadataOnly.appMetadata.map { Array($0) } == Array("only metadata".utf8))
    try await writer.close()
  }

  @Test func batchCustomMetadataTravelsWithEachBatch() async throws {
    let table = try sampleTable(rows: 10)
    let (writer, reader) = try await client.doExchange(.forCommand("echo"))
    try await writer.begin(table.schema)
    var iterator = reader.makeAsyncIterator()
    for (index, batch) in table.toBatches().enumerated() {
      let metadata: KeyValueMetadata = ["batch": "\(index)", "origin": "swift"]
      try await writer.write(batch, customMetadata: metadata, appMetadata: index == 0 ? Buffer(copying: [7]) : nil)
      let chunk = try #require(try await iterator.next())
      #expect(chunk.data == batch)
      #expect(chunk.customMetadata == metadata)
      #expect(chunk.appMetadata.map { Array($0) } == (index == 0 ? [7] : nil))
    }
    // Grouped writes carry each batch's metadata too (none past the end of the list).
    let batches = table.toBatches() + table.toBatches()
    try await writer.write(contentsOf: batches, customMetadata: [["only": "first"]])
    for index in batches.indices {
      let chunk = try #require(try await iterator.next())
      #expect(chunk.customMetadata == (index == 0 ? ["only": "first"] : KeyValueMetadata()))
    }
    try await writer.close()
  }

  @Test func actionsAndErrors() async throws {
    #expect(try await client.listActions().map(\.type) == ["echo", "fail"])
    let echoed = try await client.doAction(Action(type: "echo", body: Array("hi".utf8))).collect()
    #expect(echoed.map(\.body) == [Array("hi".utf8)])
    for kind in FlightError.Kind.allCases where kind != .writeSizeExceeded {
      do {
        _ = try await client.doAction(Action(type: "fail", body: Array(kind.rawValue.utf8))).collect()
        Issue.record("expected \(kind)")
      } catch let error as FlightError {
        #expect(error.kind == kind)
        #expect(error.message == "failed on purpose: \(kind)")
        let carried: Set<FlightError.Kind> = [
          .internal, .timedOut, .cancelled, .unauthenticated, .unauthorized, .unavailable, .serverError,
        ]
        #expect(error.extraInfo == (carried.contains(kind) ? Array("extra".utf8) : []))
      }
    }
    await #expect(throws: FlightError.self) {
      _ = try await client.doAction(Action(type: "throw")).collect()
    }
  }

  @Test func missingFlightIsNotFoundAndUnimplementedIsNotImplemented() async throws {
    await #expect {
      _ = try await client.getFlightInfo(.forPath("no", "such"))
    } throws: { error in
      (error as? FlightError)?.kind == .notFound && (error as? FlightError)?.message == "no table at no/such"
    }
    await #expect {
      _ = try await client.pollFlightInfo(.forPath("x"))
    } throws: { error in
      (error as? FlightError)?.kind == .notImplemented
    }
  }

  @Test func writeSizeLimitRefusesWithoutSending() async throws {
    var options = FlightClientOptions()
    options.writeSizeLimitBytes = 1024
    let limited = try FlightClient(location: server.location, options: options)
    let big = try sampleTable(rows: 1000)
    let (writer, _) = try await limited.doPut(.forPath("test", "limited"), schema: big.schema)
    do {
      try await writer.write(big.toBatches()[0])
      Issue.record("expected writeSizeExceeded")
    } catch let error as FlightError {
      #expect(error.kind == .writeSizeExceeded)
      #expect(error.limit == 1024)
      #expect((error.actualSize ?? 0) > 1024)
    }
    // The stream stays usable: a small batch goes through.
    try await writer.write(try sampleTable(rows: 3).toBatches()[0])
    try await writer.close()
    #expect(try await client.getFlightInfo(.forPath("test", "limited")).totalRecords == 3)
  }
}

/// A DoPut handler that asks for the schema before reading anything.
struct SchemaFirstService: FlightService {
  func doPut(
    _ descriptor: FlightDescriptor, reader: FlightStreamReader, writer: FlightMetadataWriter,
    context: ServerCallContext
  ) async throws {
    guard let known = reader.schema, let read = try await reader.readSchema(), known == read else {
      throw FlightError(.invalidArgument, "the schema was not known at the start of DoPut")
    }
    let table = try await reader.readAll()
    try await writer.write(Array("\(table.length)".utf8))
  }
}

extension SwiftRoundTripTests {
  @Test func doPutSchemaIsKnownBeforeReading() async throws {
    let server = try FlightServer(SchemaFirstService(), location: .forGRPCTCP(host: "localhost", port: 0))
    let client = try FlightClient(location: server.location)
    let table = try sampleTable(rows: 10)
    let (writer, results) = try await client.doPut(.forPath("x"), schema: table.schema)
    try await writer.write(table)
    try await writer.doneWriting()
    let replies = try await results.reduce(into: [String]()) { $0.append(String(decoding: $1, as: UTF8.self)) }
    #expect(replies == ["10"])
    await server.shutdown()
  }
}
