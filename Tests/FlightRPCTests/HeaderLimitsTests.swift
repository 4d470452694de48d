// Headers and trailers gRPC would refuse fail clearly (never an opaque transport error or a
// lost status), and a Swift server keeps its trailers within gRPC's 8 KiB metadata limit.

internal import FlightRPC
internal import Foundation
internal import InteropSupport
internal import Testing

/// DoAction: `long` and `long-utf8` fail with a 100 KiB message; `bad-trailer` and
/// `bad-header` set metadata gRPC refuses; `echo-header` answers the value of `x-bin-bin`.
private struct MetadataService: FlightService {
  static let longMessage = String(repeating: "x", count: 100 * 1024)
  static let longUTF8Message = String(repeating: "é", count: 50 * 1024)

  func doAction(_ action: Action, writer: FlightResponseWriter<FlightResult>, context: ServerCallContext) async throws {
    switch action.type {
    case "long":
      context.addTrailer("x-handler", "kept")
      throw FlightError(.notFound, Self.longMessage)
    case "long-utf8": throw FlightError(.unauthenticated, Self.longUTF8Message, extraInfo: Array("extra".utf8))
    case "bad-trailer":
      context.addTrailer("x-note", "naïve")
      try await writer.write(FlightResult(body: [1]))
    case "bad-header":
      context.addHeader("x-data", bytes: [0xFF])
      try await writer.write(FlightResult(body: [1]))
    case "echo-header":
      try await writer.write(FlightResult(body: context.requestHeaders.first("x-data-bin") ?? []))
    default: throw FlightError(.notImplemented, action.type)
    }
  }
}

// A hang watchdog; it also counts the wait in InteropLock's queue (over 90 s on a loaded machine).
@Suite("Header and trailer limits", .serialized, .timeLimit(.minutes(5)))
struct HeaderLimitsTests {
  func withServer(_ body: (FlightServer, FlightClient) async throws -> Void) async throws {
    try await withLocalServer(MetadataService(), body)
  }

  @Test func headersGRPCWouldRefuseFailTheCallClearly() async throws {
    try await withServer { _, client in
      var binaryText = FlightHeaders()
      binaryText.add("x-data", bytes: [0xFF, 0x00])
      let bad: [(String, FlightHeaders)] = [
        ("x-name", ["x-name": "naïve"]), ("x-data", binaryText),
        ("bad key", ["bad key": "v"]),
        ("x-line", ["x-line": "two\nlines"]),
      ]
      for (key, headers) in bad {
        do {
          _ = try await client.doAction(Action(type: "echo-header"), options: FlightCallOptions(headers: headers))
            .collect()
          Issue.record("the header \(key) went out")
        } catch let error as FlightError {
          #expect(error.kind == .invalidArgument, "\(key): \(error)")
          #expect(error.message.contains("\"\(key)\""), "the error does not name \(key): \(error)")
        }
        #expect(throws: FlightError.self) { try headers.validate() }
      }
      // Binary values go under a key ending in -bin.
      var good = FlightHeaders()
      good.add("x-data-bin", bytes: [0xFF, 0x00, 0x41])
      let echoed = try await client.doAction(Action(type: "echo-header"), options: FlightCallOptions(headers: good))
        .collect()
      #expect(echoed.map(\.body) == [[0xFF, 0x00, 0x41]])
    }
  }

  @Test func metadataAServerHandlerSetsBadlyFailsTheCallSayingSo() async throws {
    try await withServer { _, client in
      for (action, key) in [("bad-trailer", "x-note"), ("bad-header", "x-data")] {
        do {
          _ = try await client.doAction(Action(type: action)).collect()
          Issue.record("\(action): the call succeeded")
        } catch let error as FlightError {
          #expect(error.kind == .internal, "\(action): \(error)")
          #expect(error.message.contains("\"\(key)\""), "\(action): \(error)")
        }
      }
      // The server serves on.
      #expect(try await client.doAction(Action(type: "echo-header")).collect().count == 1)
    }
  }

  @Test func longErrorMessagesAreCutToFitForPyarrow() async throws {
    try await withServer { server, client in
      let program = """
        import sys
        import pyarrow.flight as flight
        client = flight.connect(sys.argv[1])
        for action in ["long", "long-utf8"]:
            try:
                list(client.do_action(flight.Action(action, b"")))
                print(action, "succeeded")
            except Exception as error:
                text = str(error)
                print(action, type(error).__name__, len(text), "cut" if "[cut: " in text else "whole",
                      getattr(error, "extra_info", None))
        """
      let output = try await InteropLock.run { try await runPython(["-c", program, server.location.uri]) }
      let lines = output.split(separator: "\n").map(String.init)
      let long = try #require(lines.first { $0.hasPrefix("long ") }, "\(output)")
      #expect(long.hasPrefix("long ArrowKeyError ") && long.contains(" cut "), "pyarrow saw: \(long)")
      let utf8 = try #require(lines.first { $0.hasPrefix("long-utf8 ") }, "\(output)")
      #expect(
        utf8.hasPrefix("long-utf8 FlightUnauthenticatedError ") && utf8.hasSuffix("cut b'extra'"),
        "pyarrow saw: \(utf8)")

      for action in ["long", "long-utf8"] {
        do {
          _ = try await client.doAction(Action(type: action)).collect()
          Issue.record("\(action) succeeded")
        } catch let error as FlightError {
          #expect(error.kind == (action == "long" ? .notFound : .unauthenticated))
          #expect(error.message.contains("[cut: "), "\(action): \(error.message.prefix(200))")
          #expect(error.message.utf8.count < 8192)
          let expected = action == "long" ? MetadataService.longMessage : MetadataService.longUTF8Message
          #expect(expected.hasPrefix(error.message.prefix { $0 != " " }), "\(action): the kept text is not a prefix")
        }
      }
    }
  }
}
