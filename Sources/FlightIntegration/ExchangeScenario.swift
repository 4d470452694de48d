// do_exchange:echo.

internal import FlightRPC

/// DoExchange with CMD "echo": the server sends back every batch, with its app_metadata, as it
/// arrives. The client writes four batches of ten int32 rows (metadata "0" and "2" on the even
/// ones), checks each echo before writing the next, and expects the stream to end after it
/// finishes writing.
struct DoExchangeEchoScenario: Scenario {
  static let command = Array("echo".utf8)

  struct Service: FlightService {
    func doExchange(
      _ descriptor: FlightDescriptor, reader: FlightStreamReader, writer: FlightStreamWriter,
      context: ServerCallContext
    ) async throws {
      guard descriptor == .command(DoExchangeEchoScenario.command) else {
        throw FlightError(.notImplemented, "Unsupported command: \(descriptor)")
      }
      var begun = false
      while let chunk = try await reader.next() {
        if let batch = chunk.data {
          if !begun {
            try await writer.begin(reader.schema ?? batch.schema)
            begun = true
          }
          try await writer.write(batch, appMetadata: chunk.appMetadata)
        } else if let metadata = chunk.appMetadata {
          try await writer.writeMetadata(metadata)
        }
      }
      if !begun, let schema = reader.schema { try await writer.begin(schema) }
    }
  }

  func makeServer() throws -> (service: any FlightService, options: FlightServerOptions) {
    (Service(), FlightServerOptions())
  }

  func runClient(location: Location) async throws {
    let client = try connect(location)
    defer { client.close() }
    let schema = Schema([Field("x", .int32, nullable: false)])
    let (writer, reader) = try await client.doExchange(.command(Self.command))
    try await writer.begin(schema)
    let rows = 10
    for batchIndex in 0..<4 {
      let values = (0..<rows).map { Int32?(Int32(batchIndex + $0)) }
      let batch = try RecordBatch(schema: schema, columns: [Int32Array(values)])
      let metadata: [UInt8]? = batchIndex % 2 == 0 ? Array(String(batchIndex).utf8) : nil
      try await writer.write(batch, appMetadata: metadata.map { Buffer(copying: $0) })

      guard let chunk = try await reader.next() else { throw ScenarioFailure("Unexpected end of reader") }
      if let metadata {
        guard let received = chunk.appMetadata else {
          throw ScenarioFailure("batch \(batchIndex): expected app_metadata '\(batchIndex)', got none")
        }
        try expect(
          Array(received) == metadata,
          "batch \(batchIndex): expected app_metadata '\(batchIndex)', got '\(String(decoding: Array(received), as: UTF8.self))'"
        )
      } else {
        try expect(
          chunk.appMetadata == nil,
          "batch \(batchIndex): expected no app_metadata, got \(chunk.appMetadata.map { Array($0) } ?? [])")
      }
      try expect(reader.schema == schema, "expected schema \(schema), got \(reader.schema.map { "\($0)" } ?? "none")")
      guard let echoed = chunk.data else { throw ScenarioFailure("batch \(batchIndex): the echo carried no batch") }
      try expect(echoed == batch, "batch \(batchIndex): expected \(batch), got \(echoed)")
    }
    try await writer.doneWriting()
    try expect(try await reader.next() == nil, "Expected to reach end of reader")
  }
}
