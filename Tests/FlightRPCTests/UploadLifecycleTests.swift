// Uploads are never lost by accident, against a pyarrow server (Tests/Peers/upload_edge_server.py):
// the scoped DoPut and DoExchange close on return and cancel on throw; results read by one task
// while another closes; a write after the server ended the call; the standard actions read to
// the final status.

internal import FlightRPC
internal import Foundation
internal import InteropSupport
internal import Testing

/// One upload as the pyarrow server recorded it.
struct RecordedUpload: Decodable, Equatable {
  var command: String
  var batches: Int
  var rows: Int
  var cancelled: Bool
}

/// An error thrown by a test's upload body.
struct AbandonedUpload: Error, Equatable {}

@Suite("Uploads against a pyarrow server", .serialized)
struct UploadLifecycleTests {
  /// The uploads the server has recorded, once it has `count` of them (it waits, bounded).
  func uploads(_ client: FlightClient, count: Int) async throws -> [RecordedUpload] {
    let results = try await client.doAction(Action(type: "uploads:\(count)")).collect()
    return try JSONDecoder().decode([RecordedUpload].self, from: Data(try #require(results.first).body))
  }

  @Test func scopedPutClosesOnReturnAndReturnsTheBodysValue() async throws {
    try await withPeerClient("upload_edge_server.py", waitForAvailable: true) { client in
      let value = try await client.withDoPut(.forCommand("count"), schema: edgeSchema) { writer, _ in
        for index in 0..<3 { try await writer.write(try edgeBatch(start: index * 10, count: 10)) }
        return 42
      }
      #expect(value == 42)
      #expect(
        try await uploads(client, count: 1) == [
          RecordedUpload(command: "count", batches: 3, rows: 30, cancelled: false)
        ])
    }
  }

  @Test func scopedPutCancelsOnThrow() async throws {
    try await withPeerClient("upload_edge_server.py", waitForAvailable: true) { client in
      await #expect(throws: AbandonedUpload()) {
        try await client.withDoPut(.forCommand("results"), schema: edgeSchema) { writer, results in
          try await writer.write(try edgeBatch(start: 0, count: 5))
          // The server is reading the upload (else a cancel could come before its handler runs).
          #expect(try await results.read().map { String(decoding: $0, as: UTF8.self) } == "first")
          throw AbandonedUpload()
        }
      }
      let recorded = try await uploads(client, count: 1)
      #expect(recorded.first?.cancelled == true, "the server took the abandoned upload as complete: \(recorded)")
    }
  }

  /// One task reads the results while the scope closes (which reads what is left): the reads
  /// take turns instead of failing with "gRPC core refused a batch".
  @Test func resultsReadWhileAnotherTaskCloses() async throws {
    try await withPeerClient("upload_edge_server.py", waitForAvailable: true) { client in
      for round in 0..<5 {
        let firstRead = AsyncStream<String>.makeStream()
        let readerTask = try await client.withDoPut(.forCommand("results"), schema: edgeSchema) { writer, results in
          let readerTask = Task {
            var seen: [String] = []
            while let metadata = try await results.read() {
              let text = String(decoding: metadata, as: UTF8.self)
              seen.append(text)
              if seen.count == 1 { firstRead.continuation.yield(text) }
            }
            return seen
          }
          try await writer.write(try edgeBatch(start: 0, count: 2))
          var iterator = firstRead.stream.makeAsyncIterator()
          #expect(await iterator.next() == "first")
          // The reader is now waiting for the next result, which comes after the half-close.
          try await writer.write(try edgeBatch(start: 2, count: 2))
          return readerTask
        }
        let seen = try await readerTask.value
        #expect(seen.first == "first" && seen.count <= 2, "round \(round): \(seen)")
        if seen.count == 2 { #expect(seen[1] == "count:2") }
      }
      let recorded = try await uploads(client, count: 5)
      #expect(recorded.allSatisfy { $0.batches == 2 && !$0.cancelled }, "\(recorded)")
    }
  }

  @Test func scopedExchangeClosesOnReturnAndCancelsOnThrow() async throws {
    try await withPeerClient("upload_edge_server.py", waitForAvailable: true) { client in
      let firstRows = try await client.withDoExchange(.forCommand("echo")) { writer, reader in
        try await writer.begin(edgeSchema)
        try await writer.write(try edgeBatch(start: 0, count: 4))
        try await writer.write(try edgeBatch(start: 4, count: 3))
        let chunk = try #require(try await reader.next())
        return chunk.data?.length  // the second echo is left unread: closing drops it
      }
      #expect(firstRows == 4)
      await #expect(throws: AbandonedUpload()) {
        try await client.withDoExchange(.forCommand("echo-abandoned")) { writer, reader in
          try await writer.begin(edgeSchema)
          try await writer.write(try edgeBatch(start: 0, count: 1))
          #expect(try await reader.next()?.data?.length == 1)  // the server's handler is running
          throw AbandonedUpload()
        }
      }
      let recorded = try await uploads(client, count: 2)
      #expect(recorded.first == RecordedUpload(command: "echo", batches: 2, rows: 7, cancelled: false))
      #expect(recorded.last?.cancelled == true, "\(recorded)")
    }
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
    try await withPeerClient("upload_edge_server.py", waitForAvailable: true) { client in
      let (writer, _) = try await client.doPut(.forCommand("raise-mid"), schema: edgeSchema)
      let error = try await writeUntilFailure(writer)
      #expect(error.kind == .serverError, "\(error)")
      #expect(error.message.contains("refused mid-upload"), "\(error)")
      await #expect(throws: FlightError.self) { try await writer.close() }
    }
  }

  @Test func writeAfterTheServerReturnedEarlyFailsWithAnIOErrorNotUnavailable() async throws {
    try await withPeerClient("upload_edge_server.py", waitForAvailable: true) { client in
      let (writer, _) = try await client.doPut(.forCommand("return-early"), schema: edgeSchema)
      let error = try await writeUntilFailure(writer)
      #expect(error.kind != .unavailable, "a retry-inviting kind: \(error)")
      #expect(error.kind == .internal, "\(error)")
      #expect(error.message.contains("Could not write record batch to stream (server disconnect?)"), "\(error)")
      try await writer.close()  // the server's status was OK
    }
  }

  /// Each standard action's server yields a valid result, then raises: the helpers read to the
  /// final status and throw the error instead of returning the result.
  @Test func standardActionsReadToTheFinalStatus() async throws {
    try await withPeerClient("upload_edge_server.py", waitForAvailable: true) { client in
      let calls: [(String, () async throws -> Void)] = [
        (
          "CancelFlightInfo",
          { _ = try await client.cancelFlightInfo(CancelFlightInfoRequest(info: FlightInfo(flightDescriptor: nil))) }
        ),
        (
          "RenewFlightEndpoint",
          {
            _ = try await client.renewFlightEndpoint(
              RenewFlightEndpointRequest(endpoint: FlightEndpoint(ticket: Ticket("t"))))
          }
        ),
        (
          "SetSessionOptions", { _ = try await client.setSessionOptions(SetSessionOptionsRequest(sessionOptions: [:])) }
        ),
        ("GetSessionOptions", { _ = try await client.getSessionOptions() }),
        ("CloseSession", { _ = try await client.closeSession() }),
      ]
      for (name, call) in calls {
        do {
          try await call()
          Issue.record("\(name): the error after the result was lost")
        } catch let error as FlightError {
          #expect(error.kind == .serverError, "\(name): \(error)")
          #expect(error.message.contains("error after the result"), "\(name): \(error)")
        }
      }
    }
  }
}
