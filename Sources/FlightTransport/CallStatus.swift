// gRPC status codes, a call's final status, and the transport's error.

/// A gRPC status code.
package enum StatusCode: Int, Sendable, Hashable, CustomStringConvertible {
  case ok = 0
  case cancelled = 1
  case unknown = 2
  case invalidArgument = 3
  case deadlineExceeded = 4
  case notFound = 5
  case alreadyExists = 6
  case permissionDenied = 7
  case resourceExhausted = 8
  case failedPrecondition = 9
  case aborted = 10
  case outOfRange = 11
  case unimplemented = 12
  case `internal` = 13
  case unavailable = 14
  case dataLoss = 15
  case unauthenticated = 16

  /// The code for a raw value; unknown values become `.unknown`.
  package init(rawCode: Int) {
    self = StatusCode(rawValue: rawCode) ?? .unknown
  }

  /// The gRPC name, e.g. `DEADLINE_EXCEEDED`.
  package var description: String {
    switch self {
    case .ok: "OK"
    case .cancelled: "CANCELLED"
    case .unknown: "UNKNOWN"
    case .invalidArgument: "INVALID_ARGUMENT"
    case .deadlineExceeded: "DEADLINE_EXCEEDED"
    case .notFound: "NOT_FOUND"
    case .alreadyExists: "ALREADY_EXISTS"
    case .permissionDenied: "PERMISSION_DENIED"
    case .resourceExhausted: "RESOURCE_EXHAUSTED"
    case .failedPrecondition: "FAILED_PRECONDITION"
    case .aborted: "ABORTED"
    case .outOfRange: "OUT_OF_RANGE"
    case .unimplemented: "UNIMPLEMENTED"
    case .internal: "INTERNAL"
    case .unavailable: "UNAVAILABLE"
    case .dataLoss: "DATA_LOSS"
    case .unauthenticated: "UNAUTHENTICATED"
    }
  }
}

/// The final status of a call, with its trailing metadata.
package struct CallStatus: Sendable, Hashable, CustomStringConvertible {
  /// The status code.
  package var code: StatusCode
  /// The status message (may be empty).
  package var message: String
  /// The trailing metadata.
  package var trailers: GRPCMetadata

  /// A status.
  package init(code: StatusCode, message: String = "", trailers: GRPCMetadata = GRPCMetadata()) {
    self.code = code
    self.message = message
    self.trailers = trailers
  }

  /// The OK status.
  package static let ok = CallStatus(code: .ok)

  /// `CODE: message`.
  package var description: String {
    message.isEmpty ? code.description : "\(code): \(message)"
  }
}

/// An error of the transport: a call that ended with a status other than OK, or a local failure.
package struct TransportError: Error, Sendable, CustomStringConvertible {
  /// The status the call ended with (local failures use `.internal` or `.unavailable`).
  package var status: CallStatus

  /// An error for `status`.
  package init(_ status: CallStatus) {
    self.status = status
  }

  /// An error with a code and message.
  package init(_ code: StatusCode, _ message: String) {
    self.status = CallStatus(code: code, message: message)
  }

  /// `CODE: message`.
  package var description: String { status.description }
}
