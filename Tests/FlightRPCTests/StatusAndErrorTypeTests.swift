// The Arrow status a server sends next to the gRPC one (x-arrow-status and friends), read as
// Arrow C++ reads it, and the public error and method types that can grow.

internal import ArrowCore
internal import ArrowIPC
internal import FlightRPC
internal import Foundation
internal import InteropSupport
internal import Testing

/// A service whose DoAction throws the error its `type` names.
private struct ThrowingService: FlightService {
  struct Custom: Error, CustomStringConvertible {
    var description: String { "custom failure" }
  }

  func doAction(_ action: Action, writer: FlightResponseWriter<FlightResult>, context: ServerCallContext) async throws {
    switch action.type {
    case "typeMismatch": throw ArrowError.typeMismatch("wrong type")
    case "invalid": throw ArrowError.invalid("bad offsets")
    case "keyError": throw ArrowError(.keyError, "no such key")
    case "ioError": throw ArrowError.ioError("disk gone")
    default: throw Custom()
    }
  }
}

// A hang watchdog; it also counts the wait in InteropLock's queue (over 90 s on a loaded machine).
@Suite("Arrow status trailers and the growable error types", .serialized, .timeLimit(.minutes(5)))
struct StatusAndErrorTypeTests {
  /// The error a DoAction `status` call to the raw peer fails with.
  func statusError(
    _ client: FlightClient, code: Int, message: String, trailers: [(String, String)]
  ) async throws -> FlightError {
    let spec: [String: Any] = ["code": code, "message": message, "trailers": trailers.map { [$0.0, $0.1] }]
    let body = try JSONSerialization.data(withJSONObject: spec)
    do {
      _ = try await client.doAction(Action(type: "status", body: Array(body))).collect()
    } catch let error as FlightError {
      return error
    }
    throw FlightError(.internal, "TEST: the status call succeeded")
  }

  @Test func arrowStatusTrailersAsArrowCppReadsThem() async throws {
    try await withPeerClient("grpc_raw_server.py") { client in
      // UNKNOWN with a TypeError status, its message and a detail: C++ appends the detail.
      var error = try await statusError(
        client, code: 2, message: "grpc text",
        trailers: [
          ("x-arrow-status", "3"), ("x-arrow-status-message-bin", "the real message"),
          ("x-arrow-status-detail-bin", "some detail"),
        ])
      #expect(error.kind == .serverError)
      #expect(error.arrowStatus == .typeMismatch)
      #expect(error.message == "the real message. Detail: some detail")

      // Extra info without an Arrow status is not read (C++ reads the trailers only with one).
      error = try await statusError(
        client, code: 5, message: "missing", trailers: [("grpc-status-details-bin", "xx")])
      #expect(error.kind == .notFound)
      #expect(error.extraInfo.isEmpty, "extra info was read without x-arrow-status: \(error.extraInfo)")
      #expect(error.arrowStatus == nil)
      #expect(error.message == "missing")

      // Extra info with a KeyError: C++ attaches it in an internal Flight status detail.
      error = try await statusError(
        client, code: 5, message: "missing", trailers: [("x-arrow-status", "2"), ("grpc-status-details-bin", "xx")])
      #expect(error.kind == .internal)
      #expect(error.arrowStatus == .keyError)
      #expect(error.extraInfo == Array("xx".utf8))

      // An IndexError with no Flight detail (INVALID_ARGUMENT carries none) and an unknown code.
      error = try await statusError(client, code: 3, message: "m", trailers: [("x-arrow-status", "7")])
      #expect(error.kind == .invalidArgument)
      #expect(error.arrowStatus == .outOfBounds)
      error = try await statusError(client, code: 3, message: "m", trailers: [("x-arrow-status", "foobar")])
      #expect(error.kind == .invalidArgument)
      #expect(error.arrowStatus == .invalid)
      #expect(error.message == "m. Also, server sent unknown or invalid Arrow status code foobar")
    }
  }

  /// Each Python exception the pyarrow edge server raises, with the kind (pyarrow's exception
  /// class on a pyarrow client) and the Arrow status code (C++'s `Status::code()`).
  static let pyarrowStatuses: [(String, FlightError.Kind, ArrowError.Kind)] = [
    ("typeError", .serverError, .typeMismatch), ("indexError", .serverError, .outOfBounds),
    ("keyError", .notFound, .keyError), ("ioError", .serverError, .ioError),
    ("outOfMemory", .serverError, .outOfMemory), ("valueError", .invalidArgument, .invalid),
    ("notImplemented", .notImplemented, .notImplemented), ("runtimeError", .serverError, .unknownError),
    // pyarrow sends its Flight errors as IOError with a Flight status detail, and the Arrow
    // exceptions it has no status for (capacity, serialization) as UnknownError.
    ("unauthenticated", .unauthenticated, .ioError), ("cancelled", .cancelled, .ioError),
    ("capacityError", .serverError, .unknownError), ("serializationError", .serverError, .unknownError),
  ]

  @Test func pyarrowServerExceptionsArriveWithTheirArrowStatusCode() async throws {
    try await InteropLock.run {
      try await withPeer("pyarrow_edge_server.py") { peer in
        let client = try FlightClient(peer.location)
        for (name, kind, arrowStatus) in Self.pyarrowStatuses {
          do {
            _ = try await client.doAction(Action(type: "raise", body: Array(name.utf8))).collect()
            Issue.record("\(name): the call succeeded")
          } catch let error as FlightError {
            #expect(error.kind == kind, "\(name) arrived as \(error.kind): \(error)")
            #expect(
              error.arrowStatus == arrowStatus,
              "\(name) arrived with Arrow status \(String(describing: error.arrowStatus))")
            #expect(error.message.hasPrefix(name == "keyError" ? "'raised \(name)'" : "raised \(name)"), "\(error)")
            // pyarrow sends the Python traceback as the status detail; C++ appends it.
            #expect(error.message.contains(". Detail: "), "\(name): the detail was not appended: \(error)")
          }
        }
        client.close()
      }
    }
  }

  @Test func swiftHandlersSendArrowErrorsWithTheirStatusCode() async throws {
    let server = try FlightServer(ThrowingService(), location: .forGRPCTCP(host: "localhost", port: 0))
    let client = try FlightClient(location: server.location)
    let expected: [(String, FlightError.Kind, ArrowError.Kind)] = [
      ("typeMismatch", .serverError, .typeMismatch), ("invalid", .invalidArgument, .invalid),
      ("keyError", .notFound, .keyError), ("ioError", .serverError, .ioError), ("custom", .serverError, .unknownError),
    ]
    for (name, kind, arrowStatus) in expected {
      do {
        _ = try await client.doAction(Action(type: name)).collect()
        Issue.record("\(name): the call succeeded")
      } catch let error as FlightError {
        #expect(error.kind == kind, "\(name) arrived as \(error.kind)")
        #expect(error.arrowStatus == arrowStatus, "\(name): \(String(describing: error.arrowStatus))")
      }
    }
    client.close()
    await server.shutdown()
  }

  @Test func errorsKeepTheirCause() throws {
    // A URI that does not parse: the parse error is kept.
    do {
      _ = try FlightClient("grpc://[::1")
      Issue.record("a bad URI was accepted")
    } catch let error as FlightError {
      #expect(error.kind == .invalidArgument)
      #expect(error.cause != nil, "the parse error was flattened into a string")
    }
    // An Arrow I/O error keeps the system's.
    do {
      _ = try IPCFileReader(contentsOfFile: "/nonexistent-directory/in.arrow")
      Issue.record("reading a missing file succeeded")
    } catch {
      // IPCFileReader throws ArrowError only (typed throws).
      #expect(error.kind == .ioError)
      #expect((error.cause as? POSIXError)?.code == .ENOENT, "the system error was flattened into a string")
    }
  }

  @Test func kindsAndMethodsAreStructsThatKeepTheirNames() {
    #expect(FlightError.Kind(rawValue: "notFound") == .notFound)
    #expect(FlightError.Kind(rawValue: "noSuchKind") == nil)
    #expect(FlightError.Kind.allCases.map(\.rawValue).contains("writeSizeExceeded"))
    #expect("\(FlightError(.notFound, "x"))" == "notFound: x")
    #expect(FlightMethod(path: "/arrow.flight.protocol.FlightService/DoGet") == .doGet)
    #expect(FlightMethod(path: "/arrow.flight.protocol.FlightService/DoSomethingNew") == nil)
    #expect(FlightMethod.doExchange.path == "/arrow.flight.protocol.FlightService/DoExchange")
    #expect(FlightMethod.allCases.count == 10)
    // Arrow C++'s status code numbers.
    let numbers = [1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 13, 40, 41, 42, 45]
    #expect(ArrowError.Kind.allCases.map(\.statusCode) == numbers)
    #expect(ArrowError.Kind(statusCode: 3) == .typeMismatch)
    #expect(ArrowError.Kind(statusCode: 0) == nil)
    #expect(ArrowError.Kind(rawValue: "ioError") == .ioError)
    #expect("\(ArrowError.invalid("bad"))" == "invalid: bad")
    // A switch over a kind needs a default, so new kinds break nobody.
    func name(_ kind: FlightError.Kind) -> String {
      switch kind {
      case .notFound: "missing"
      default: "other"
      }
    }
    #expect(name(.notFound) == "missing" && name(.timedOut) == "other")
  }

  @Test func newPublicEnumsAreRefused() async throws {
    let script = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
      .deletingLastPathComponent().appendingPathComponent("Scripts/check-public-enums.sh")
    let result = try await TestProcess.run(URL(fileURLWithPath: "/bin/bash"), [script.path], timeout: 60)
    #expect(result.status == 0, "check-public-enums.sh failed:\n\(result.stdout)\(result.stderr)")
  }
}
