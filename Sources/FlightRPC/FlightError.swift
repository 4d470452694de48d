// FlightError: the one error of the Flight API, and its mapping to and from gRPC status.

import FlightTransport

/// An error of a Flight call, on the client or the server.
///
/// A server handler throws a `FlightError` to choose the status the client sees; any other
/// error becomes ``Kind-swift.enum/serverError`` (gRPC `UNKNOWN`) with the error's description. On the
/// client, every failed call throws a `FlightError` whose ``kind-swift.property`` follows the gRPC
/// status exactly as Arrow C++ maps it, so a pyarrow server's `FlightUnauthenticatedError`
/// arrives as ``Kind-swift.enum/unauthenticated``, a `KeyError` as ``Kind-swift.enum/notFound``, and so on.
public struct FlightError: Error, Sendable, CustomStringConvertible, Equatable {
  /// What went wrong, in Flight's terms.
  public enum Kind: String, Sendable, Hashable, CaseIterable {
    /// An internal error of the server or the library (gRPC `INTERNAL`, `ABORTED`, `DATA_LOSS`).
    case `internal`
    /// The call's deadline passed (gRPC `DEADLINE_EXCEEDED`).
    case timedOut
    /// The call was cancelled (gRPC `CANCELLED`).
    case cancelled
    /// The client is not authenticated (gRPC `UNAUTHENTICATED`).
    case unauthenticated
    /// The client may not do this (gRPC `PERMISSION_DENIED`).
    case unauthorized
    /// The server cannot be reached or is not serving (gRPC `UNAVAILABLE`).
    case unavailable
    /// The server failed for a reason of its own (gRPC `UNKNOWN`).
    case serverError
    /// The server does not implement this (gRPC `UNIMPLEMENTED`).
    case notImplemented
    /// The request is invalid (gRPC `INVALID_ARGUMENT`, `OUT_OF_RANGE`, `FAILED_PRECONDITION`,
    /// `RESOURCE_EXHAUSTED`).
    case invalidArgument
    /// What was asked for does not exist (gRPC `NOT_FOUND`).
    case notFound
    /// What was to be created exists already (gRPC `ALREADY_EXISTS`).
    case alreadyExists
    /// A message was larger than the client's write size limit; nothing was sent.
    case writeSizeExceeded
  }

  /// What went wrong.
  public var kind: Kind
  /// A human-readable message.
  public var message: String
  /// Application-defined bytes that travel with the error (pyarrow's `extra_info`). As in
  /// Arrow C++, only the Flight-specific kinds (internal, timed out, cancelled,
  /// unauthenticated, unauthorized, unavailable, server error) carry it to the client.
  public var extraInfo: [UInt8]
  /// For ``Kind-swift.enum/writeSizeExceeded``: the limit, in bytes.
  public var limit: Int?
  /// For ``Kind-swift.enum/writeSizeExceeded``: the size of the message that was refused.
  public var actualSize: Int?

  /// An error of `kind` with `message` and optional extra info.
  public init(_ kind: Kind, _ message: String, extraInfo: [UInt8] = []) {
    self.kind = kind
    self.message = message
    self.extraInfo = extraInfo
  }

  /// The error for a message over the write size limit.
  public static func writeSizeExceeded(limit: Int, actualSize: Int) -> FlightError {
    var error = FlightError(
      .writeSizeExceeded, "IPC message of \(actualSize) bytes exceeds the write size limit of \(limit) bytes")
    error.limit = limit
    error.actualSize = actualSize
    return error
  }

  /// `kind: message`.
  public var description: String {
    "\(kind.rawValue): \(message)"
  }
}

// MARK: - Mapping to and from gRPC status (written once, used by client and server)

/// Trailer keys Arrow C++ uses to carry the original status next to the gRPC one.
enum ArrowStatusTrailer {
  static let code = "x-arrow-status"
  static let message = "x-arrow-status-message-bin"
  static let detail = "x-arrow-status-detail-bin"
  static let extraInfo = "grpc-status-details-bin"
}

extension FlightError.Kind {
  /// The gRPC status code a server sends for this kind.
  var statusCode: StatusCode {
    switch self {
    case .internal: .internal
    case .timedOut: .deadlineExceeded
    case .cancelled: .cancelled
    case .unauthenticated: .unauthenticated
    case .unauthorized: .permissionDenied
    case .unavailable: .unavailable
    case .serverError: .unknown
    case .notImplemented: .unimplemented
    case .invalidArgument: .invalidArgument
    case .notFound: .notFound
    case .alreadyExists: .alreadyExists
    case .writeSizeExceeded: .invalidArgument
    }
  }

  /// The Arrow C++ `StatusCode` number sent in `x-arrow-status`: Flight-specific kinds travel
  /// as IOError (5) with a Flight status detail that the gRPC code restores on the client.
  var arrowStatusCode: Int {
    switch self {
    case .notFound: 2  // KeyError
    case .invalidArgument, .writeSizeExceeded: 4  // Invalid
    case .cancelled: 8  // Cancelled
    case .notImplemented: 10  // NotImplemented
    case .alreadyExists: 45  // AlreadyExists
    case .serverError: 9  // UnknownError
    case .internal, .timedOut, .unauthenticated, .unauthorized, .unavailable: 5  // IOError
    }
  }

  /// Whether errors of this kind carry ``FlightError/extraInfo`` on the wire (Arrow C++'s
  /// Flight status detail kinds).
  var carriesExtraInfo: Bool {
    switch self {
    case .internal, .timedOut, .cancelled, .unauthenticated, .unauthorized, .unavailable, .serverError: true
    case .notImplemented, .invalidArgument, .notFound, .alreadyExists, .writeSizeExceeded: false
    }
  }

  /// The kind a client reports for a gRPC status code (Arrow C++'s mapping).
  init(statusCode: StatusCode) {
    switch statusCode {
    case .ok, .unknown: self = .serverError
    case .cancelled: self = .cancelled
    case .invalidArgument, .resourceExhausted, .failedPrecondition, .outOfRange: self = .invalidArgument
    case .deadlineExceeded: self = .timedOut
    case .notFound: self = .notFound
    case .alreadyExists: self = .alreadyExists
    case .permissionDenied: self = .unauthorized
    case .aborted, .internal, .dataLoss: self = .internal
    case .unimplemented: self = .notImplemented
    case .unavailable: self = .unavailable
    case .unauthenticated: self = .unauthenticated
    }
  }
}

extension FlightError {
  /// The error a client reports for a failed call's status and trailers.
  init(status: CallStatus) {
    let kind = Kind(statusCode: status.code)
    let message = status.trailers.string(for: ArrowStatusTrailer.message) ?? status.message
    self.init(kind, message, extraInfo: status.trailers.first(ArrowStatusTrailer.extraInfo) ?? [])
  }

  /// The error for a transport failure.
  init(_ error: TransportError) {
    self.init(status: error.status)
  }

  /// The status (with Arrow C++'s trailers) a server sends for this error.
  func callStatus(adding trailers: GRPCMetadata = GRPCMetadata()) -> CallStatus {
    var trailers = trailers
    trailers.add(ArrowStatusTrailer.code, String(kind.arrowStatusCode))
    trailers.add(ArrowStatusTrailer.message, bytes: Array(message.utf8))
    // Arrow C++ carries extra info in a Flight status detail, which only the Flight-specific
    // kinds have: sent with any other kind, a C++ client would report an internal error.
    if !extraInfo.isEmpty && kind.carriesExtraInfo { trailers.add(ArrowStatusTrailer.extraInfo, bytes: extraInfo) }
    return CallStatus(code: kind.statusCode, message: message, trailers: trailers)
  }

  /// Any error as a `FlightError`: Flight errors as they are, others as server errors.
  static func wrapping(_ error: any Error) -> FlightError {
    switch error {
    case let error as FlightError: error
    case let error as TransportError: FlightError(error)
    case is CancellationError: FlightError(.cancelled, "the task was cancelled")
    default: FlightError(.serverError, String(describing: error))
    }
  }
}
