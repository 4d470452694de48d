// W3C Trace Context (`traceparent`) propagation through Flight calls, without a collector.

/// A W3C trace context: the trace, the current span and its parent.
public struct TraceContext: Sendable, Hashable, CustomStringConvertible {
  /// The trace id: 32 lowercase hex digits, not all zero.
  public var traceID: String
  /// This span's id: 16 lowercase hex digits, not all zero.
  public var spanID: String
  /// The caller's span id, when the trace was continued from a `traceparent` header.
  public var parentSpanID: String?
  /// Whether the trace is sampled (flag 01).
  public var sampled: Bool

  /// The trace context of the current task, which ``TracingClientMiddlewareFactory``
  /// continues on outgoing calls.
  @TaskLocal public static var current: TraceContext?

  /// A new trace with a new root span.
  public static func newTrace(sampled: Bool = true) -> TraceContext {
    TraceContext(traceID: randomHex(bytes: 16), spanID: randomHex(bytes: 8), parentSpanID: nil, sampled: sampled)
  }

  /// A child span of this context in the same trace.
  public func child() -> TraceContext {
    TraceContext(traceID: traceID, spanID: Self.randomHex(bytes: 8), parentSpanID: spanID, sampled: sampled)
  }

  /// Parses a `traceparent` header (version 00 form; later versions are read by their first
  /// four fields, as the specification asks); nil when it is malformed.
  public init?(traceparent: String) {
    let parts = traceparent.split(separator: "-", omittingEmptySubsequences: false).map(String.init)
    guard parts.count >= 4, parts[0].count == 2, Self.isHex(parts[0]), parts[0] != "ff",
      parts[0] != "00" || parts.count == 4,
      parts[1].count == 32, Self.isHex(parts[1]), parts[1] != String(repeating: "0", count: 32),
      parts[2].count == 16, Self.isHex(parts[2]), parts[2] != String(repeating: "0", count: 16),
      parts[3].count == 2, Self.isHex(parts[3]), let flags = UInt8(parts[3], radix: 16)
    else { return nil }
    self.init(traceID: parts[1], spanID: Self.randomHex(bytes: 8), parentSpanID: parts[2], sampled: flags & 1 == 1)
  }

  /// A context from its parts.
  public init(traceID: String, spanID: String, parentSpanID: String?, sampled: Bool) {
    self.traceID = traceID
    self.spanID = spanID
    self.parentSpanID = parentSpanID
    self.sampled = sampled
  }

  /// The `traceparent` header value that makes this span the parent of the next hop.
  public var traceparent: String {
    "00-\(traceID)-\(spanID)-\(sampled ? "01" : "00")"
  }

  /// The `traceparent` form.
  public var description: String { traceparent }

  private static func isHex(_ text: String) -> Bool {
    text.utf8.allSatisfy { (48...57).contains($0) || (97...102).contains($0) }
  }

  private static func randomHex(bytes: Int) -> String {
    var generator = SystemRandomNumberGenerator()
    while true {
      let values = (0..<bytes).map { _ in UInt8.random(in: 0...255, using: &generator) }
      if values.contains(where: { $0 != 0 }) {
        return values.map { $0 < 16 ? "0" + String($0, radix: 16) : String($0, radix: 16) }.joined()
      }
    }
  }
}

/// Server middleware that continues the caller's trace: reads `traceparent`, or starts a new
/// trace, and gives the call's span to handlers (pyarrow's `TracingServerMiddlewareFactory`).
///
/// ```swift
/// let options = FlightServerOptions(middleware: [KeyedServerMiddleware("tracing", TracingServerMiddlewareFactory())])
/// // in a handler:
/// let span = (context.middleware("tracing") as? TracingServerMiddleware)?.traceContext
/// ```
public struct TracingServerMiddlewareFactory: ServerMiddlewareFactory {
  /// A factory.
  public init() {}

  /// The call's span, child of the incoming `traceparent` when there is a valid one.
  public func startCall(_ info: CallInfo, headers: FlightHeaders, context: ServerCallContext) async throws
    -> (any ServerMiddleware)?
  {
    let incoming = headers["traceparent"].flatMap(TraceContext.init(traceparent:))
    return TracingServerMiddleware(traceContext: incoming ?? .newTrace())
  }
}

/// The span of one server call.
public struct TracingServerMiddleware: ServerMiddleware {
  /// The call's trace context.
  public let traceContext: TraceContext
}

/// Client middleware that sends a `traceparent` header on every call: a child of
/// ``TraceContext/current`` when the task has one, else the root of a new trace.
public struct TracingClientMiddlewareFactory: ClientMiddlewareFactory {
  /// A factory.
  public init() {}

  /// Middleware that adds the header.
  public func startCall(_ info: CallInfo) -> (any ClientMiddleware)? {
    TraceparentSender(context: TraceContext.current?.child() ?? .newTrace())
  }
}

/// Adds `traceparent` to a call's headers.
private struct TraceparentSender: ClientMiddleware {
  let context: TraceContext

  func sendingHeaders(_ headers: inout FlightHeaders) {
    headers.add("traceparent", context.traceparent)
  }
}
