// A pyarrow client against the Swift edge service: wait_for_available, timeouts, cancellation
// mid-stream, interleaved DoExchange, generator streams with metadata, schema-only streams,
// dictionaries and compressed bodies both ways (Tests/Peers/pyarrow_edge_client_checks.py).

internal import FlightRPC
internal import Foundation
internal import InteropSupport
internal import Synchronization
internal import Testing

@Suite("pyarrow client against the Swift server: edge cases", .serialized)
struct PyarrowClientEdgeTests {
  /// Runs `checks` of pyarrow_edge_client_checks.py against a fresh edge server; returns the
  /// service so the test can look at what its handlers saw.
  @discardableResult
  func run(_ checks: [String], extra: [String] = [], service: EdgeService = EdgeService()) async throws
    -> EdgeService
  {
    let server = try FlightServer(service, location: .forGRPCTCP(host: "localhost", port: 0))
    do {
      try await InteropLock.run {
        let output = try await runPythonScript(
          "pyarrow_edge_client_checks.py",
          arguments: ["--location", server.location.uri] + checks.flatMap { ["--check", $0] } + extra)
        #expect(output.contains("all checks passed"), "pyarrow checks \(checks) did not all pass:\n\(output)")
      }
    } catch {
      await server.shutdown()
      throw error
    }
    await server.shutdown()
    return service
  }

  @Test func waitForAvailable() async throws {
    let nothing = try FlightServer(NothingService(), location: .forGRPCTCP(host: "localhost", port: 0))
    do {
      try await run(["wait"], extra: ["--unimplemented", nothing.location.uri])
    } catch {
      await nothing.shutdown()
      throw error
    }
    await nothing.shutdown()
  }

  @Test func timeoutsReachTheHandlerAsCancellation() async throws {
    let service = try await run(["timeout"])
    let seen = await service.probe.wait { $0.slowSawCancellation.count == 2 }
    #expect(
      seen.slowSawCancellation["doAction"] == true,
      "the slow action handler did not see its call cancelled when the client's deadline passed")
    #expect(
      seen.slowSawCancellation["doGet"] == true,
      "the slow DoGet generator did not see its call cancelled when the client's deadline passed")
  }

  @Test func clientCancellationStopsTheGenerator() async throws {
    let service = try await run(["cancel"])
    let seen = await service.probe.wait { $0.endlessOutcome != nil }
    let outcome = try #require(seen.endlessOutcome, "the endless stream's handler never ended after reader.cancel()")
    #expect(outcome != "", "the endless stream ran to completion instead of failing when the client cancelled")
    #expect(seen.endlessSawCancellation, "ServerCallContext.isCancelled was false when the writes failed: \(outcome)")
    #expect(
      seen.endlessProduced < 1_000_000,
      "the generator produced all \(seen.endlessProduced) batches: no backpressure or cancellation")
  }

  @Test func exchangeInterleavedWriteOneReadOne() async throws {
    try await run(["exchange"])
  }

  @Test func generatorStreamWithMetadataAndMetadataOnlyChunks() async throws {
    try await run(["metadata"])
  }

  @Test func schemaOnlyStreams() async throws {
    try await run(["schema"])
  }

  @Test func dictionariesAndCompressedBodiesBothWays() async throws {
    let service = try await run(["compression"])
    // What pyarrow uploaded compressed is stored decoded: the same table under both codecs.
    let stored = service.store.tables.withLock { $0 }
    let lz4 = try #require(stored["compressed/lz4"], "the LZ4 upload was not stored")
    let zstd = try #require(stored["compressed/zstd"], "the ZSTD upload was not stored")
    #expect(lz4 == zstd, "the LZ4 and ZSTD uploads of the same table decoded differently")
    #expect(lz4.length == 30_000)
    #expect(lz4.schema.fields.map(\.name) == ["id", "zeros", "color", "large_dict", "text"])
  }
}
