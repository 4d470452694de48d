// The client's write size limit as pyarrow and Arrow C++ apply it: zero or less is no limit,
// the descriptor counts toward the first message, and a refused batch leaves the dictionary
// state as it was.

internal import ArrowCore
internal import FlightRPC
internal import Foundation
internal import InteropSupport
internal import Testing

// A hang watchdog; it also counts the wait in InteropLock's queue (over 90 s on a loaded machine).
@Suite("Write size limit", .serialized, .timeLimit(.minutes(5)))
struct WriteSizeLimitTests {
  func withPyarrowServer(_ body: (String) async throws -> Void) async throws {
    try await InteropLock.run {
      try await withPeer("pyarrow_server.py") { peer in try await body(peer.location) }
    }
  }

  /// A batch with a dictionary column of `rows` rows.
  func dictionaryBatch(rows: Int, from start: Int = 0) throws -> RecordBatch {
    let colors = ["red", "green", "blue"]
    return try RecordBatch([
      ("n", Int64Array((start..<start + rows).map { Int64($0) })),
      ("color", DictionaryArray(encoding: (start..<start + rows).map { colors[$0 % 3] })),
    ])
  }

  @Test func zeroOrNegativeMeansNoLimit() async throws {
    try await withPyarrowServer { location in
      for limit in [0, -1] {
        let client = try FlightClient(location, options: FlightClientOptions(writeSizeLimitBytes: limit))
        let batch = try dictionaryBatch(rows: 1000)
        let (writer, _) = try await client.doPut(.forPath("unlimited", "\(limit)"), schema: batch.schema)
        try await writer.write(batch)
        try await writer.close()
        let info = try await client.getFlightInfo(.forPath("unlimited", "\(limit)"))
        #expect(info.totalRecords == 1000, "a write size limit of \(limit) refused the upload")
        client.close()
      }
    }
  }

  @Test func theDescriptorCountsTowardTheFirstMessage() async throws {
    try await withPyarrowServer { location in
      let client = try FlightClient(location, options: FlightClientOptions(writeSizeLimitBytes: 1000))
      let batch = try dictionaryBatch(rows: 1)
      let descriptor = FlightDescriptor.forPath(String(repeating: "p", count: 2000))
      do {
        let (writer, _) = try await client.doPut(descriptor, schema: batch.schema)
        try await writer.close()
        Issue.record("a 2000-byte descriptor went out under a 1000-byte limit")
      } catch let error as FlightError {
        #expect(error.kind == .writeSizeExceeded)
        #expect((error.actualSize ?? 0) > 2000, "the refused size \(String(describing: error.actualSize))")
        #expect(error.limit == 1000)
      }
      client.close()
    }
  }

  @Test func aRefusedBatchLeavesTheDictionariesToSend() async throws {
    try await withPyarrowServer { location in
      let client = try FlightClient(location, options: FlightClientOptions(writeSizeLimitBytes: 4096))
      let big = try dictionaryBatch(rows: 2000)
      let (writer, _) = try await client.doPut(.forPath("dictionary", "retry"), schema: big.schema)
      do {
        try await writer.write(big)
        Issue.record("a batch over the limit went out")
      } catch let error as FlightError {
        #expect(error.kind == .writeSizeExceeded)
      }
      // Retried in slices under the limit: the first slice must still bring the dictionary.
      let slices = stride(from: 0, to: big.length, by: 100).map { big.slice(offset: $0, length: 100) }
      for slice in slices { try await writer.write(slice) }
      try await writer.close()
      let info = try await client.getFlightInfo(.forPath("dictionary", "retry"))
      let table = try await client.doGet(try #require(info.endpoints.first).ticket).readAll()
      #expect(table.length == big.length)
      #expect(table.toBatches().first?.column(named: "color")?.formatValue(at: 1) == "\"green\"")

      // The same in one write(contentsOf:): the batches before the refused one go out.
      let (second, _) = try await client.doPut(.forPath("dictionary", "group"), schema: big.schema)
      do {
        try await second.write(contentsOf: [slices[0], big, slices[1]])
        Issue.record("a batch over the limit went out in a group")
      } catch let error as FlightError {
        #expect(error.kind == .writeSizeExceeded)
      }
      try await second.write(slices[1])
      try await second.close()
      let group = try await client.doGet(Ticket("dictionary/group")).readAll()
      #expect(group.length == 200)
      client.close()
    }
  }
}
