// A logging server middleware on swift-log: one line per call, never secrets.

public import Logging

/// Logs every call on a swift-log `Logger`: the method, the peer and how it ended, with its
/// duration. Header values are never logged (they may hold passwords or tokens).
///
/// ```swift
/// let logging = LoggingServerMiddlewareFactory(logger: Logger(label: "flight.server"))
/// let options = FlightServerOptions(middleware: [KeyedServerMiddleware("logging", logging)])
/// ```
public struct LoggingServerMiddlewareFactory: ServerMiddlewareFactory {
  /// The logger calls are logged on.
  public let logger: Logger
  /// The level of successful calls (failures log at `.warning`).
  public let successLevel: Logger.Level

  /// Logs on `logger`; successful calls at `successLevel`.
  public init(logger: Logger, successLevel: Logger.Level = .info) {
    self.logger = logger
    self.successLevel = successLevel
  }

  /// Starts timing the call.
  public func startCall(_ info: CallInfo, headers: FlightHeaders, context: ServerCallContext) async throws
    -> (any ServerMiddleware)?
  {
    CallLogger(
      logger: logger, successLevel: successLevel, method: info.method, peer: context.peer, start: .now)
  }
}

/// Logs one call when it completes.
private struct CallLogger: ServerMiddleware {
  let logger: Logger
  let successLevel: Logger.Level
  let method: FlightMethod
  let peer: String
  let start: ContinuousClock.Instant

  func callCompleted(_ error: FlightError?) {
    let elapsed = ContinuousClock.now - start
    var metadata: Logger.Metadata = [
      "flight.method": "\(method)", "flight.peer": "\(peer)", "flight.duration": "\(elapsed)",
    ]
    if let error {
      metadata["flight.error"] = "\(error.kind.rawValue)"
      logger.warning("\(method) failed: \(error.message)", metadata: metadata)
    } else {
      logger.log(level: successLevel, "\(method) completed", metadata: metadata)
    }
  }
}
