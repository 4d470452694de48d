// The server side of authentication and middleware that several suites install: a Handshake
// handler with a fixed credential and token, and a middleware that echoes a header and records
// how each call ended.

internal import FlightRPC
internal import Synchronization

/// Accepts the payload `arrow:flight` and answers the token `token-arrow`.
struct TestServerAuthHandler: ServerAuthHandler {
  func authenticate(incoming: AuthPayloadReader, outgoing: AuthPayloadWriter, context: ServerCallContext)
    async throws
  {
    guard let payload = try await incoming.read(), payload == Array("arrow:flight".utf8) else {
      throw FlightError(.unauthenticated, "invalid credentials")
    }
    try await outgoing.write(Array("token-arrow".utf8))
  }

  func isValid(token: [UInt8], context: ServerCallContext) async throws -> String? {
    token == Array("token-arrow".utf8) ? "arrow" : nil
  }
}

/// Echoes the request header `x-middleware` as a response header and records completions.
final class EchoServerMiddlewareFactory: ServerMiddlewareFactory {
  let completions = Mutex<[FlightError?]>([])

  struct Echo: ServerMiddleware {
    let value: String?
    let factory: EchoServerMiddlewareFactory

    func sendingHeaders(_ headers: inout FlightHeaders) {
      if let value { headers.add("x-middleware", value) }
    }

    func callCompleted(_ error: FlightError?) {
      factory.completions.withLock { $0.append(error) }
    }
  }

  func startCall(_ info: CallInfo, headers: FlightHeaders, context: ServerCallContext) async throws
    -> (any ServerMiddleware)?
  {
    Echo(value: headers["x-middleware"], factory: self)
  }
}
