// Ownership of op batches: a batch frees the C data it owns (the message's byte buffer, hence
// the Swift buffers its slices reference) when dropped, and a refused batch does not leak.

internal import ArrowCore
internal import Synchronization
internal import Testing

@testable internal import FlightTransport

@Suite("Op batches own their C data")
struct OpBatchTests {
  /// Counts the releases of buffers handed to gRPC.
  final class Releases: Sendable {
    let count = Atomic<Int>(0)
  }

  /// A 4 KiB buffer (large enough to be referenced by a slice, not copied) that counts its release.
  static func countedBuffer(_ releases: Releases) -> Buffer {
    let bytes = Buffer(copying: [UInt8](repeating: 7, count: 4096))
    let base = bytes.withUnsafeBytes { $0.baseAddress! }
    return Buffer(unsafeForeignMemory: base, count: bytes.count) {
      withExtendedLifetime(bytes) {}
      releases.count.add(1, ordering: .relaxed)
    }
  }

  @Test func droppedBatchesFreeWhatTheyOwn() {
    let releases = Releases()
    var batches: [OpBatch] = [
      OpBatch.send(headers: ["k": "v"], message: [Self.countedBuffer(releases)], closing: true),
      OpBatch.send(
        message: [Self.countedBuffer(releases)],
        status: CallStatus(code: .notFound, message: "gone", trailers: ["t": "x"])),
      OpBatch.receiveMessage(), OpBatch.receiveInitialMetadata(), OpBatch.receiveStatusOnClient(),
      OpBatch.receiveCloseOnServer(),
    ]
    #expect(batches.map(\.count) == [3, 2, 1, 1, 1, 1])
    #expect(releases.count.load(ordering: .relaxed) == 0, "a message buffer went while its batch holds it")
    weak let first = batches[0]
    weak let last = batches[5]
    batches.removeAll()
    #expect(first == nil && last == nil)
    #expect(releases.count.load(ordering: .relaxed) == 2, "the batches did not release their messages")
  }

  @Test func refusedBatchIsFreedAndLetsItsCallGo() async throws {
    let channel = GRPCChannel(target: "127.0.0.1:1")  // never connects; the call is made lazily
    let call = try channel.makeCall(method: "/refused", timeout: callWatchdog)
    weak var refused: OpBatch?
    do {
      // The call has its RECV_INITIAL_METADATA posted already: gRPC refuses a second one.
      let batch = OpBatch.receiveInitialMetadata()
      refused = batch
      #expect(throws: TransportError.self) { try batch.start(on: call.engine.call) { _, _ in } }
    }
    #expect(refused == nil, "a refused batch is still alive")
    call.cancel()
    _ = await call.finalStatus()
    channel.close()
  }
}
