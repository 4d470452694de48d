// FlightError: the one error of the Flight API, and its mapping to and from gRPC status.

import ArrowCore
import FlightTransport

/// An error of a Flight call, on the client or the server.
///
/// A server handler throws a `FlightError` to choose the status the client sees; an
/// ``ArrowCore/ArrowError`` travels with its Arrow status code (as an Arrow C++ `Status` does),
/// and any other error becomes ``Kind-swift.struct/serverError`` (gRPC `UNKNOWN`) with the
/// error's description. On the client, every failed call throws a `FlightError` whose
/// ``kind-swift.property`` is the exception pyarrow raises for the same status (Arrow C++'s
/// mapping): a pyarrow server's `FlightUnauthenticatedError` arrives as
/// ``Kind-swift.struct/unauthenticated``, a `KeyError` as ``Kind-swift.struct/notFound``, and so on;
/// ``arrowStatus`` keeps the Arrow status code the server sent (`x-arrow-status`), so a
/// `TypeError` is told from an `IndexError` even though both are server errors.
public struct FlightError: Error, Sendable, CustomStringConvertible, Equatable {
  /// What went wrong, in Flight's terms.
  ///
  /// A struct with static members rather than an enum, so that kinds can be added without
  /// breaking code: compare with `==`, or `switch` with a `default`.
  public struct Kind: Sendable, Hashable, CaseIterable, RawRepresentable, CustomStringConvertible {
    private enum Code: UInt8, Sendable, Hashable {
      case `internal`, timedOut, cancelled, unauthenticated, unauthorized, unavailable, serverError
      case notImplemented, invalidArgument, notFound, alreadyExists, writeSizeExceeded
    }

    private let code: Code
    private init(_ code: Code) { self.code = code }

    /// The kind's name, e.g. `notFound`.
    public var description: String { "\(code)" }
    /// The kind's name, e.g. `notFound` (the raw value it had as an enum).
    public var rawValue: String { description }

    /// The kind named `rawValue`, or nil when this version of the library knows none.
    public init?(rawValue: String) {
      guard let kind = Kind.allCases.first(where: { $0.rawValue == rawValue }) else { return nil }
      self = kind
    }

    /// An internal error of the server or the library (gRPC `INTERNAL`, `ABORTED`, `DATA_LOSS`).
    public static let `internal` = Kind(.internal)
    /// The call's deadline passed (gRPC `DEADLINE_EXCEEDED`).
    public static let timedOut = Kind(.timedOut)
    /// The call was cancelled (gRPC `CANCELLED`).
    public static let cancelled = Kind(.cancelled)
    /// The client is not authenticated (gRPC `UNAUTHENTICATED`).
    public static let unauthenticated = Kind(.unauthenticated)
    /// The client may not do this (gRPC `PERMISSION_DENIED`).
    public static let unauthorized = Kind(.unauthorized)
    /// The server cannot be reached or is not serving (gRPC `UNAVAILABLE`).
    public static let unavailable = Kind(.unavailable)
    /// The server failed for a reason of its own (gRPC `UNKNOWN`); ``FlightError/arrowStatus``
    /// tells which, when the server said.
    public static let serverError = Kind(.serverError)
    /// The server does not implement this (gRPC `UNIMPLEMENTED`).
    public static let notImplemented = Kind(.notImplemented)
    /// The request is invalid (gRPC `INVALID_ARGUMENT`, `OUT_OF_RANGE`, `FAILED_PRECONDITION`,
    /// `RESOURCE_EXHAUSTED`).
    public static let invalidArgument = Kind(.invalidArgument)
    /// What was asked for does not exist (gRPC `NOT_FOUND`).
    public static let notFound = Kind(.notFound)
    /// What was to be created exists already (gRPC `ALREADY_EXISTS`).
    public static let alreadyExists = Kind(.alreadyExists)
    /// A message was larger than the client's write size limit; nothing was sent.
    public static let writeSizeExceeded = Kind(.writeSizeExceeded)

    /// Every kind this version of the library knows.
    public static let allCases: [Kind] = [
      .internal, .timedOut, .cancelled, .unauthenticated, .unauthorized, .unavailable, .serverError,
      .notImplemented, .invalidArgument, .notFound, .alreadyExists, .writeSizeExceeded,
    ]
  }

  /// What went wrong.
  public var kind: Kind
  /// A human-readable message. On the client, the server's message, followed by
  /// `. Detail: …` when the server sent a status detail (`x-arrow-status-detail-bin`), as
  /// Arrow C++ reports it.
  public var message: String
  /// Application-defined bytes that travel with the error (pyarrow's `extra_info`). As in
  /// Arrow C++, only the Flight-specific kinds (internal, timed out, cancelled,
  /// unauthenticated, unauthorized, unavailable, server error) carry it to the client, and a
  /// client reads it only from a server that sent an Arrow status (`x-arrow-status`).
  public var extraInfo: [UInt8]
  /// The Arrow C++ status code of the error: on the client, the one the server sent in
  /// `x-arrow-status` (nil when it sent none, e.g. a plain gRPC server); on the server, the
  /// one to send (nil sends the kind's usual code).
  public var arrowStatus: ArrowError.Kind?
  /// The error this one wraps (a decoding error, a handler's own error...), if any. It stays
  /// in the process: only the message travels to the other side.
  public var cause: (any Error)?
  /// For ``Kind-swift.struct/writeSizeExceeded``: the limit, in bytes.
  public var limit: Int?
  /// For ``Kind-swift.struct/writeSizeExceeded``: the size of the message that was refused.
  public var actualSize: Int?

  /// An error of `kind` with `message`, optional extra info, and the error it wraps.
  public init(_ kind: Kind, _ message: String, extraInfo: [UInt8] = [], cause: (any Error)? = nil) {
    self.kind = kind
    self.message = message
    self.extraInfo = extraInfo
    self.cause = cause
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
    "\(kind): \(message)"
  }

  /// Errors are equal when everything but the ``cause`` is.
  public static func == (lhs: FlightError, rhs: FlightError) -> Bool {
    lhs.kind == rhs.kind && lhs.message == rhs.message && lhs.extraInfo == rhs.extraInfo
      && lhs.arrowStatus == rhs.arrowStatus && lhs.limit == rhs.limit && lhs.actualSize == rhs.actualSize
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
    case .notImplemented: .unimplemented
    case .invalidArgument, .writeSizeExceeded: .invalidArgument
    case .notFound: .notFound
    case .alreadyExists: .alreadyExists
    default: .unknown
    }
  }

  /// The Arrow C++ status code sent in `x-arrow-status` when the error names none:
  /// Flight-specific kinds travel as IOError with a Flight status detail that the gRPC code
  /// restores on the client.
  var arrowStatus: ArrowError.Kind {
    switch self {
    case .notFound: .keyError
    case .invalidArgument, .writeSizeExceeded: .invalid
    case .cancelled: .cancelled
    case .notImplemented: .notImplemented
    case .alreadyExists: .alreadyExists
    case .serverError: .unknownError
    default: .ioError
    }
  }

  /// Whether errors of this kind carry ``FlightError/extraInfo`` on the wire (Arrow C++'s
  /// Flight status detail kinds).
  var carriesExtraInfo: Bool {
    [.internal, .timedOut, .cancelled, .unauthenticated, .unauthorized, .unavailable, .serverError].contains(self)
  }

  /// The Flight status detail Arrow C++ attaches to the status of a gRPC code (its
  /// `FromGrpcCode`), as the kind pyarrow raises for it; nil for codes that carry none.
  init?(flightDetailOf statusCode: StatusCode) {
    switch statusCode {
    case .cancelled: self = .cancelled
    case .unknown: self = .serverError
    case .deadlineExceeded: self = .timedOut
    case .permissionDenied: self = .unauthorized
    case .aborted, .internal, .dataLoss: self = .internal
    case .unavailable: self = .unavailable
    case .unauthenticated: self = .unauthenticated
    default: return nil
    }
  }

  /// The kind pyarrow raises for an Arrow status code with no Flight status detail; nil when
  /// it is no Flight kind (the gRPC code decides then).
  init?(arrowStatus: ArrowError.Kind) {
    switch arrowStatus {
    case .keyError: self = .notFound
    case .invalid: self = .invalidArgument
    case .notImplemented: self = .notImplemented
    case .alreadyExists: self = .alreadyExists
    case .cancelled: self = .cancelled
    default: return nil
    }
  }

  /// The kind a client reports for a gRPC status code alone (Arrow C++'s mapping).
  init(statusCode: StatusCode) {
    if let kind = Self(flightDetailOf: statusCode) {
      self = kind
      return
    }
    switch statusCode {
    case .notFound: self = .notFound
    case .alreadyExists: self = .alreadyExists
    case .unimplemented: self = .notImplemented
    case .invalidArgument, .resourceExhausted, .failedPrecondition, .outOfRange: self = .invalidArgument
    default: self = .serverError
    }
  }
}

extension ArrowError.Kind {
  /// The Arrow status Arrow C++ gives a failed call with this gRPC code and no Arrow trailers
  /// (its `FromGrpcCode`).
  init(statusCode: StatusCode) {
    switch statusCode {
    case .cancelled: self = .cancelled
    case .invalidArgument, .resourceExhausted, .failedPrecondition, .outOfRange: self = .invalid
    case .notFound: self = .keyError
    case .alreadyExists: self = .alreadyExists
    case .unimplemented: self = .notImplemented
    case .deadlineExceeded, .permissionDenied, .aborted, .internal, .unavailable, .dataLoss, .unauthenticated:
      self = .ioError
    default: self = .unknownError
    }
  }
}

extension FlightError {
  /// The error a client reports for a failed call's status and trailers, read as Arrow C++
  /// reads them (`FromGrpcStatus`): the gRPC code gives the Flight detail; `x-arrow-status`,
  /// when present, gives the Arrow status code, and only then are the message, detail and
  /// extra info trailers read.
  init(status: CallStatus) {
    var flightDetail = Kind(flightDetailOf: status.code)
    guard let codeText = status.trailers.string(for: ArrowStatusTrailer.code) else {
      self.init(Kind(statusCode: status.code), status.message)
      return
    }
    var message = status.trailers.string(for: ArrowStatusTrailer.message) ?? status.message
    let arrowStatus = Int(codeText).flatMap { ArrowError.Kind(statusCode: $0) }
    if arrowStatus == nil { message += ". Also, server sent unknown or invalid Arrow status code \(codeText)" }
    if let detail = status.trailers.first(ArrowStatusTrailer.detail) {
      message += ". Detail: \(String(decoding: detail, as: UTF8.self))"
    }
    let extraInfo = status.trailers.first(ArrowStatusTrailer.extraInfo)
    // Extra info lives in a Flight status detail: Arrow C++ makes an internal one for it
    // when the gRPC code brought none.
    if extraInfo != nil && flightDetail == nil { flightDetail = .internal }
    let kind =
      flightDetail ?? arrowStatus.flatMap { Kind(arrowStatus: $0) } ?? Kind(statusCode: status.code)
    self.init(kind, message, extraInfo: extraInfo ?? [])
    self.arrowStatus = arrowStatus ?? ArrowError.Kind(statusCode: status.code)
  }

  /// An Arrow C++ `IOError` with no Flight status detail, as a C++ server sends it (gRPC
  /// `UNKNOWN`, `x-arrow-status` 5) and a client reports it (a server error).
  static func arrowIOError(_ message: String) -> FlightError {
    var error = FlightError(.serverError, message)
    error.arrowStatus = .ioError
    return error
  }

  /// The error for a transport failure.
  init(_ error: TransportError) {
    self.init(status: error.status)
    cause = error
  }

  /// The status (with Arrow C++'s trailers) a server sends for this error.
  func callStatus(adding trailers: GRPCMetadata = GRPCMetadata()) -> CallStatus {
    var trailers = trailers
    trailers.add(ArrowStatusTrailer.code, String((arrowStatus ?? kind.arrowStatus).statusCode))
    trailers.add(ArrowStatusTrailer.message, bytes: Array(message.utf8))
    // Arrow C++ carries extra info in a Flight status detail, which only the Flight-specific
    // kinds have: sent with any other kind, a C++ client would report an internal error.
    if !extraInfo.isEmpty && kind.carriesExtraInfo { trailers.add(ArrowStatusTrailer.extraInfo, bytes: extraInfo) }
    return CallStatus(code: kind.statusCode, message: message, trailers: trailers)
  }

  /// Any error as a `FlightError`: Flight errors as they are, Arrow errors with their Arrow
  /// status code (as Arrow C++ sends a handler's `Status`), others as server errors; the
  /// original error is kept as the ``cause``.
  static func wrapping(_ error: any Error) -> FlightError {
    switch error {
    case let error as FlightError: return error
    case let error as TransportError: return FlightError(error)
    case is CancellationError: return FlightError(.cancelled, "the task was cancelled", cause: error)
    case let error as ArrowError:
      var wrapped = FlightError(
        Kind(arrowStatus: error.kind) ?? .serverError, error.message, cause: error)
      wrapped.arrowStatus = error.kind
      return wrapped
    default: return FlightError(.serverError, String(describing: error), cause: error)
    }
  }
}
