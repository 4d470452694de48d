// Uploads are never lost by accident, against a pyarrow server (Tests/Peers/upload_edge_server.py):
// a write after the server ended the call.

import FlightRPC
import Foundation
import InteropSupport
import Testing

/// One upload as the pyarrow server recorded it.
struct RecordedUpload: Decodable, Equatable {
  var command: String
  var batches: Int
  var rows: Int
  var cancelled: Bool
}

@Suite("Uploads against a pyarrow server", .serialized)
struct UploadLifecycleTests {
  /// Runs `body` with a client of a fresh pyarrow upload server, under the interop lock.
  func withUploadPeer(_ body: (FlightClient) async throws -> Void) async throws {
    try await InteropLock.run {
      try await withPeer("upload_edge_server.py") { peer in
        let client = try FlightClient(peer.location)
        try await client.waitForAvailable(timeout: .seconds(10))
        try await body(client)
        client.close()
      }
    }
  }

  /// The uploads the server has recorded, once it has `count` of them (it waits, bounded).
  func uploads(_ client: FlightClient, count: Int) async throws -> [RecordedUpload] {
    let results = try await client.doAction(Action(type: "uploads:\(count)")).collect()
    return try JSONDecoder().decode([RecordedUpload].self, from: Data(try #require(results.first).body))
  }

  /// Writes small batches until a write fails (at most 100,000); the error.
  func writeUntilFailure(_ writer: FlightStreamWriter) async throws -> FlightError {
    let batch = try edgeBatch(start: 0, count: 1)
    for _ in 0..<100_000 {
      do {
        try await writer.write(batch)
      } catch let error as FlightError {
        return error
      }
    }
    Issue.record("100,000 writes after the server ended the call all succeeded")
    return FlightError(.internal, "no failure")
  }

  @Test func writeAfterTheServerRaisedFailsWithItsError() async throws {
    try await withUploadPeer { client in
      let (writer, _) = try await client.doPut(.forCommand("raise-mid"), schema: edgeSchema)
      let error = try await writeUntilFailure(writer)
      #expect(error.kind == .serverError, "\(error)")
      #expect(error.message.contains("refused mid-upload"), "\(error)")
      await #expect(throws: FlightError.self) { try await writer.close() }
    }
  }

  @Test func writeAfterTheServerReturnedEarlyFailsWithAnIOErrorNotUnavailable() async throws {
    try await withUploadPeer { client in
      let (writer, _) = try await client.doPut(.forCommand("return-early"), schema: edgeSchema)
      let error = try await writeUntilFailure(writer)
      #expect(error.kind != .unavailable, "a retry-inviting kind: \(error)")
      #expect(error.kind == .internal, "\(error)")
      #expect(error.message.contains("Could not write record batch to stream (server disconnect?)"), "\(error)")
      try await writer.close()  // the server's status was OK
    }
  }
}
