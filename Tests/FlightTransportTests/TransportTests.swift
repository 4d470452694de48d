// Swift client against Swift server over real gRPC on loopback: every call shape,
// metadata, status, deadlines, cancellation, large messages, concurrency and shutdown.

internal import ArrowCore
internal import Foundation
internal import InteropSupport
internal import Synchronization
internal import Testing

@testable internal import FlightTransport

@Suite("Transport over real gRPC", .serialized)
struct TransportTests {
  let server: TestServer
  let channel: GRPCChannel

  init() throws {
    server = try TestServer()
    channel = GRPCChannel(target: "127.0.0.1:\(server.port)")
  }

  @Test func bidirectionalEchoWithMetadata() async throws {
    let call = try channel.makeCall(method: "/test/Echo", metadata: ["x-request": "hello"])
    for index in 0..<5 {
      try await call.send(Array("message \(index)".utf8))
      let reply = try #require(try await call.receive())
      #expect(String(decoding: Buffer.concatenating(reply), as: UTF8.self) == "message \(index)")
    }
    try await call.closeSend()
    #expect(try await call.receive() == nil)
    #expect(await call.initialMetadata().string(for: "x-echo") == "hello")
    let status = await call.finalStatus()
    #expect(status.code == .ok)
    #expect(status.trailers.string(for: "x-trailer") == "done")
    #expect(status.trailers.first("x-blob-bin") == [0, 1, 2, 255])
  }

  @Test func clientStreaming() async throws {
    let call = try channel.makeCall(method: "/test/Count")
    for _ in 0..<10 { try await call.send([UInt8](repeating: 1, count: 1000)) }
    try await call.closeSend()
    let replies = try await call.receiveAll()
    #expect(replies.count == 1)
    #expect(String(decoding: replies[0], as: UTF8.self) == "10000")
  }

  @Test func serverStreaming() async throws {
    let call = try channel.makeCall(method: "/test/Stream")
    try await call.send(Array("100".utf8))
    try await call.closeSend()
    let replies = try await call.receiveAll()
    #expect(replies.map { String(decoding: $0, as: UTF8.self) } == (0..<100).map { "m\($0)" })
  }

  @Test func errorStatusWithTrailersArrivesIntact() async throws {
    let call = try channel.makeCall(method: "/test/Fail")
    try await call.closeSend()
    do {
      _ = try await call.receive()
      Issue.record("expected an error")
    } catch {
      #expect(error.status.code == .invalidArgument)
      #expect(error.status.message == "bad request: \u{e9}")
      #expect(error.status.trailers.first("x-detail-bin") == Array(repeating: 7, count: 3000))
    }
  }

  @Test func unknownMethodIsUnimplemented() async throws {
    let call = try channel.makeCall(method: "/test/Nothing")
    try await call.closeSend()
    await #expect(throws: TransportError.self) { _ = try await call.receive() }
    #expect(await call.finalStatus().code == .unimplemented)
  }

  @Test func largeMessagesAreNotLimited() async throws {
    let size = 64 << 20
    let payload = Buffer(unsafeUninitializedCount: size) { memory in
      for index in stride(from: 0, to: size, by: 4096) { memory[index] = UInt8(truncatingIfNeeded: index >> 12) }
      for index in 0..<size where index % 4096 != 0 { memory[index] = 0 }
    }
    let call = try channel.makeCall(method: "/test/Echo")
    try await call.send([payload])
    let reply = Buffer.concatenating(try #require(try await call.receive()))
    #expect(reply.count == size)
    #expect(reply == payload)
    try await call.closeSend()
    #expect(try await call.receive() == nil)
  }

  @Test func twoHundredConcurrentCalls() async throws {
    let channel = self.channel
    let results = try await withThrowingTaskGroup(of: Bool.self) { group in
      for index in 0..<200 {
        group.addTask {
          let call = try channel.makeCall(method: "/test/Echo")
          try await call.send(Array("call \(index)".utf8))
          try await call.closeSend()
          let replies = try await call.receiveAll()
          return replies.count == 1 && String(decoding: replies[0], as: UTF8.self) == "call \(index)"
        }
      }
      return try await group.reduce(into: [Bool]()) { $0.append($1) }
    }
    #expect(results.count == 200 && results.allSatisfy { $0 })
  }

  @Test func deadlineExceeded() async throws {
    let call = try channel.makeCall(method: "/test/Hang", timeout: .milliseconds(200))
    await #expect(throws: TransportError.self) { _ = try await call.receive() }
    #expect(await call.finalStatus().code == .deadlineExceeded)
  }

  @Test func clientCancellationReachesTheServer() async throws {
    let before = server.cancellations
    let call = try channel.makeCall(method: "/test/Hang")
    try await call.send(Array("x".utf8))
    call.cancel()
    #expect(await call.finalStatus().code == .cancelled)
    // The server handler sees the cancellation promptly; wait for it without sleeping blindly.
    let deadline = ContinuousClock.now + .seconds(10)
    while server.cancellations == before && ContinuousClock.now < deadline {
      await Task.yield()
    }
    #expect(server.cancellations == before + 1)
  }

  @Test func taskCancellationCancelsTheCall() async throws {
    let call = try channel.makeCall(method: "/test/Hang")
    let task = Task { try await call.receive() }
    task.cancel()
    await #expect(throws: TransportError.self) { _ = try await task.value }
    #expect(await call.finalStatus().code == .cancelled)
  }

  @Test func peerIsReported() async throws {
    let call = try channel.makeCall(method: "/test/Echo")
    try await call.closeSend()
    _ = try await call.receiveAll()
    #expect(server.observed.lastPeer.withLock { $0 }.hasPrefix("ipv4:127.0.0.1:"))
  }
}

@Suite("Transport lifecycle", .serialized)
struct TransportLifecycleTests {
  @Test func shutdownEndsCallsInFlight() async throws {
    let server = try TestServer()
    let channel = GRPCChannel(target: "127.0.0.1:\(server.port)")
    let call = try channel.makeCall(method: "/test/Echo")
    try await call.send(Array("x".utf8))
    _ = try await call.receive()  // the handler is now running, waiting for more
    await server.server.shutdown(grace: .milliseconds(100))
    let status = await call.finalStatus()
    #expect(status.code != .ok)
  }

  @Test func portInUseIsRefused() async throws {
    let first = try TestServer()
    #expect(throws: TransportError.self) { _ = try TestServer(address: "127.0.0.1:\(first.port)") }
    await first.server.shutdown()
  }

  @Test func unixSocketRoundTrip() async throws {
    let path = FileManager.default.temporaryDirectory.appendingPathComponent("flight-\(UUID().uuidString).sock").path
    defer { try? FileManager.default.removeItem(atPath: path) }
    let server = try TestServer(address: "unix:\(path)")
    let channel = GRPCChannel(target: "unix:\(path)")
    let call = try channel.makeCall(method: "/test/Echo")
    try await call.send(Array("over a socket".utf8))
    try await call.closeSend()
    let replies = try await call.receiveAll()
    #expect(replies.map { String(decoding: $0, as: UTF8.self) } == ["over a socket"])
    await server.server.shutdown()
  }
}
@Suite("Transport resources", .serialized)
struct TransportResourceTests {
  @Test func tenThousandSequentialCallsDoNotGrowMemory() async throws {
    // The measure is the whole process's memory: hold the interop lock so that no other
    // suite's large stream runs at the same time.
    try await InteropLock.run { try await measureTenThousandCalls() }
  }

  private func measureTenThousandCalls() async throws {
    let server = try TestServer()
    let channel = GRPCChannel(target: "127.0.0.1:\(server.port)")
    func oneCall(_ index: Int) async throws {
      let call = try channel.makeCall(method: "/test/Echo", metadata: ["x-request": "\(index)"])
      try await call.send(Array("call \(index)".utf8))
      try await call.closeSend()
      _ = try await call.receiveAll()
    }
    for index in 0..<1000 { try await oneCall(index) }  // warm up allocator and channel
    // A leak grows the process in every window of 10,000 calls; memory held by other suites
    // running in this process at the same time does not repeat in each. So the test passes
    // once one window stays under the bound, and fails when three windows in a row do not.
    // Generous bound: a leak of even 1 KiB per call would exceed it in every window.
    var growths: [Int] = []
    for _ in 0..<3 {
      // Free heap memory goes back to the system before each reading: memory that other,
      // concurrent tests freed must not count.
      GRPCRuntime.releaseFreeMemory()
      let before = residentMemory()
      for index in 0..<10_000 { try await oneCall(index) }
      GRPCRuntime.releaseFreeMemory()
      growths.append(residentMemory() - before)
      if growths.last! < 8 << 20 { break }
    }
    print("transport: resident memory growth per window of 10,000 sequential calls: \(growths) bytes")
    #expect(growths.last! < 8 << 20, "resident memory grew by \(growths) bytes in windows of 10,000 calls")
    await server.server.shutdown()
  }
}

@Suite("Deadlines")
struct DeadlineTests {
  @Test func negativeMeansNoneAndSubMillisecondRoundsUp() {
    #expect(deadlineMilliseconds(nil) == nil)
    #expect(deadlineMilliseconds(.seconds(-1)) == nil)
    #expect(deadlineMilliseconds(.nanoseconds(-1)) == nil)
    #expect(deadlineMilliseconds(.zero) == 0)
    #expect(deadlineMilliseconds(.nanoseconds(1)) == 1)
    #expect(deadlineMilliseconds(.microseconds(999)) == 1)
    #expect(deadlineMilliseconds(.microseconds(1500)) == 2)
    #expect(deadlineMilliseconds(.seconds(2)) == 2000)
    #expect(deadlineMilliseconds(.seconds(Int64.max)) == nil)
  }
}
