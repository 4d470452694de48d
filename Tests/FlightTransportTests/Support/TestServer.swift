// The Swift test server that the transport suites call: echo, count, stream, fail and other
// methods on a free loopback port (or a Unix socket), recording what its handlers observed.

internal import ArrowCore
internal import Synchronization

@testable internal import FlightTransport

/// A test server with a handful of methods, bound to a free loopback port.
final class TestServer: Sendable {
  /// What the handlers observed.
  final class Observations: Sendable {
    let cancellations = Atomic<Int>(0)
    let lastPeer = Mutex<String>("")
    let lastIdentity = Mutex<[String]>([])
  }

  let server: GRPCServer
  let port: Int
  let observed: Observations

  init(address: String = "127.0.0.1:0") throws {
    let observed = Observations()
    server = GRPCServer { call in await TestServer.handle(call, observed: observed) }
    port = try server.bind(address)
    self.observed = observed
    server.start()
  }

  var cancellations: Int { observed.cancellations.load(ordering: .relaxed) }

  static func handle(_ call: ServerCall, observed: Observations) async {
    observed.lastPeer.withLock { $0 = call.peer }
    observed.lastIdentity.withLock { $0 = call.peerIdentity }
    do {
      switch call.method {
      case "/test/Echo":
        var headers = GRPCMetadata()
        if let value = call.requestMetadata.string(for: "x-request") { headers.add("x-echo", value) }
        call.addHeaders(headers)
        while let message = try await call.receive() { try await call.send(message) }
        var trailers = GRPCMetadata()
        trailers.add("x-trailer", "done")
        trailers.add("x-blob-bin", bytes: [0, 1, 2, 255])
        await call.finish(CallStatus(code: .ok, trailers: trailers))
      case "/test/Count":
        var total = 0
        while let message = try await call.receive() { total += message.reduce(0) { $0 + $1.count } }
        try await call.send([Buffer(copying: Array(String(total).utf8))])
        await call.finish(.ok)
      case "/test/Stream":
        let request = try await call.receive().map { Buffer.concatenating($0) } ?? Buffer()
        let count = Int(String(decoding: request, as: UTF8.self)) ?? 0
        for index in 0..<count { try await call.send([Buffer(copying: Array("m\(index)".utf8))]) }
        await call.finish(.ok)
      case "/test/Fail":
        var trailers = GRPCMetadata()
        trailers.add("x-detail-bin", bytes: Array(repeating: 7, count: 3000))
        await call.finish(CallStatus(code: .invalidArgument, message: "bad request: \u{e9}", trailers: trailers))
      case "/test/Hang":
        if await call.waitForClose() { observed.cancellations.wrappingAdd(1, ordering: .relaxed) }
        await call.finish(.ok)
      default:
        await call.finish(CallStatus(code: .unimplemented, message: "no method \(call.method)"))
      }
    } catch {
      await call.finish(CallStatus(code: .cancelled, message: "\(error)"))
    }
  }
}
