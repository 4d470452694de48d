// FlightError: the one error of the Flight API, and its mapping to and from gRPC status.

internal import ArrowCore
internal import FlightTransport

/// An error of a Flight call, on the client or the server.
///
/// A server handler throws a `FlightError` to choose the status the client sees; an
/// `ArrowError` (ArrowCore) travels with its Arrow status code (as an Arrow C++ `Status` does),
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

// MARK: - Keeping a status within gRPC's metadata limit

extension CallStatus {
  /// gRPC's default limit on the metadata a client receives (8 KiB), which Arrow C++ and
  /// pyarrow clients keep: trailers over it fail the call with RESOURCE_EXHAUSTED instead of
  /// the server's status.
  static let trailerLimit = 8192

  /// The size gRPC counts for one entry: key, value (as sent) and 32 bytes of overhead.
  private static func cost(_ key: String, _ valueBytes: Int) -> Int { 32 + key.utf8.count + valueBytes }

  /// A value's bytes on the wire: base64 for `-bin` keys.
  private static func wireCount(_ key: String, _ value: [UInt8]) -> Int {
    key.hasSuffix("-bin") ? (value.count + 2) / 3 * 4 : value.count
  }

  /// The bytes of `grpc-message` for `message` (gRPC percent-encodes all but printable ASCII).
  private static func percentEncodedCount<S: Sequence<UInt8>>(_ message: S) -> Int {
    message.reduce(0) { $0 + ((0x20...0x7E).contains($1) && $1 != UInt8(ascii: "%") ? 1 : 3) }
  }

  /// This status with its trailers within ``trailerLimit``: a longer message (sent twice, in
  /// `grpc-message` and `x-arrow-status-message-bin`) or detail is cut, with a marker saying
  /// how much was cut; trailers that still do not fit are left out, the handler's last first.
  func fittingTrailerLimit() -> CallStatus {
    let cuttable: Set<String> = [ArrowStatusTrailer.message, ArrowStatusTrailer.detail]
    let messageBin = trailers.first(ArrowStatusTrailer.message) != nil
    let detail = trailers.first(ArrowStatusTrailer.detail)
    var kept = trailers.entries.filter { !cuttable.contains($0.key) }
    func fixedCost() -> Int {
      Self.cost("grpc-status", 2) + kept.reduce(0) { $0 + Self.cost($1.key, Self.wireCount($1.key, $1.value)) }
    }
    // Each cuttable text gets at least this much room before other trailers are left out.
    let reserve = 1024 + (detail == nil ? 0 : 512)
    while fixedCost() > Self.trailerLimit - reserve,
      let last = kept.lastIndex(where: { $0.key != ArrowStatusTrailer.code })
    {
      kept.remove(at: last)
    }
    var room = Self.trailerLimit - fixedCost()
    var fitted = CallStatus(code: code, message: message, trailers: GRPCMetadata(kept))
    if let detail {
      let detailRoom = min(Self.cost(ArrowStatusTrailer.detail, Self.wireCount(ArrowStatusTrailer.detail, detail)), 512)
      let cut = Self.cut(Array(detail), toFit: detailRoom) {
        Self.cost(ArrowStatusTrailer.detail, Self.wireCount(ArrowStatusTrailer.detail, $0))
      }
      fitted.trailers.add(ArrowStatusTrailer.detail, bytes: cut)
      room -= Self.cost(ArrowStatusTrailer.detail, Self.wireCount(ArrowStatusTrailer.detail, cut))
    }
    let text = Self.cut(Array(message.utf8), toFit: room) { bytes in
      Self.cost("grpc-message", Self.percentEncodedCount(bytes))
        + (messageBin ? Self.cost(ArrowStatusTrailer.message, Self.wireCount(ArrowStatusTrailer.message, bytes)) : 0)
    }
    fitted.message = String(decoding: text, as: UTF8.self)
    if messageBin { fitted.trailers.add(ArrowStatusTrailer.message, bytes: text) }
    return fitted
  }

  /// `text` whole when `cost(text)` is at most `room`; otherwise its longest prefix (ending on
  /// a UTF-8 character boundary) that fits with a marker saying how much was cut.
  private static func cut(_ text: [UInt8], toFit room: Int, cost: ([UInt8]) -> Int) -> [UInt8] {
    if cost(text) <= room { return text }
    func candidate(_ length: Int) -> [UInt8] {
      var end = length
      while end > 0 && end < text.count && text[end] & 0xC0 == 0x80 { end -= 1 }
      return Array(text[..<end]) + Array(" … [cut: \(end) of \(text.count) bytes shown]".utf8)
    }
    var low = 0
    var high = text.count
    while low < high {
      let middle = (low + high + 1) / 2
      if cost(candidate(middle)) <= room { low = middle } else { high = middle - 1 }
    }
    return candidate(low)
  }
}
