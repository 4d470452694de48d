// The one error type of ArrowCore and ArrowIPC.

/// An error raised by ArrowCore or ArrowIPC: a ``Kind`` plus a message naming the problem, and
/// the error it wraps, if any.
///
/// ```swift
/// do { try array.validate() } catch let error as ArrowError where error.kind == .invalid {
///   print(error)  // "invalid: offset 3 (12) is less than offset 2 (15)"
/// }
/// ```
public struct ArrowError: Error, Sendable, Hashable, CustomStringConvertible {
  /// The category of an ``ArrowError``: one of Arrow C++'s status codes.
  ///
  /// A struct with static members rather than an enum, so that kinds can be added without
  /// breaking code that switches over them: match with `==` or `case .invalid` plus a
  /// `default`.
  public struct Kind: Sendable, Hashable, CaseIterable, RawRepresentable, CustomStringConvertible {
    /// Arrow C++'s `StatusCode` number (`x-arrow-status` on a Flight call).
    public let statusCode: Int
    /// The kind's name, as printed in an error's description.
    public let description: String

    private init(_ statusCode: Int, _ description: String) {
      self.statusCode = statusCode
      self.description = description
    }

    /// Data or arguments break an Arrow rule (bad offsets, bad UTF-8, wrong buffer sizes...):
    /// C++ `Invalid`.
    public static let invalid = Kind(4, "invalid")
    /// A value or array has a different type than the one expected: C++ `TypeError`.
    public static let typeMismatch = Kind(3, "typeMismatch")
    /// An index or range lies outside the data: C++ `IndexError`.
    public static let outOfBounds = Kind(7, "outOfBounds")
    /// The operation or type is not supported yet: C++ `NotImplemented`.
    public static let notImplemented = Kind(10, "notImplemented")
    /// Reading or writing bytes failed: C++ `IOError`.
    public static let ioError = Kind(5, "ioError")
    /// Memory could not be allocated: C++ `OutOfMemory`.
    public static let outOfMemory = Kind(1, "outOfMemory")
    /// A key was not found: C++ `KeyError`.
    public static let keyError = Kind(2, "keyError")
    /// A size exceeds what the format can hold: C++ `CapacityError`.
    public static let capacityError = Kind(6, "capacityError")
    /// The operation was cancelled: C++ `Cancelled`.
    public static let cancelled = Kind(8, "cancelled")
    /// An error of unknown cause: C++ `UnknownError`.
    public static let unknownError = Kind(9, "unknownError")
    /// Data could not be serialized or deserialized: C++ `SerializationError`.
    public static let serializationError = Kind(11, "serializationError")
    /// An error of the R bindings: C++ `RError`.
    public static let rError = Kind(13, "rError")
    /// An error of code generation (Gandiva): C++ `CodeGenError`.
    public static let codeGenError = Kind(40, "codeGenError")
    /// An invalid expression (Gandiva): C++ `ExpressionValidationError`.
    public static let expressionValidationError = Kind(41, "expressionValidationError")
    /// An error while executing (Gandiva): C++ `ExecutionError`.
    public static let executionError = Kind(42, "executionError")
    /// What was to be created exists already: C++ `AlreadyExists`.
    public static let alreadyExists = Kind(45, "alreadyExists")

    /// Every kind, in C++'s numbering order.
    public static let allCases: [Kind] = [
      .outOfMemory, .keyError, .typeMismatch, .invalid, .ioError, .capacityError, .outOfBounds, .cancelled,
      .unknownError, .notImplemented, .serializationError, .rError, .codeGenError, .expressionValidationError,
      .executionError, .alreadyExists,
    ]

    /// The kind of Arrow C++'s `StatusCode` number, or nil for a number C++ does not define
    /// (or `OK`).
    public init?(statusCode: Int) {
      guard let kind = Kind.allCases.first(where: { $0.statusCode == statusCode }) else { return nil }
      self = kind
    }

    /// The kind's name, e.g. `invalid` (the raw value it had as an enum).
    public var rawValue: String { description }

    /// The kind named `rawValue`, or nil when this version of the library knows none.
    public init?(rawValue: String) {
      guard let kind = Kind.allCases.first(where: { $0.description == rawValue }) else { return nil }
      self = kind
    }
  }

  /// The category of the error.
  public var kind: Kind
  /// What went wrong, in words.
  public var message: String
  /// The error this one wraps (a file system error, a decoding error...), if any.
  public var cause: (any Error)?

  /// Creates an error of `kind` with `message`, wrapping `cause` if given.
  public init(_ kind: Kind, _ message: String, cause: (any Error)? = nil) {
    self.kind = kind
    self.message = message
    self.cause = cause
  }

  /// An ``Kind/invalid`` error.
  public static func invalid(_ message: String, cause: (any Error)? = nil) -> ArrowError {
    ArrowError(.invalid, message, cause: cause)
  }
  /// A ``Kind/typeMismatch`` error.
  public static func typeMismatch(_ message: String, cause: (any Error)? = nil) -> ArrowError {
    ArrowError(.typeMismatch, message, cause: cause)
  }
  /// An ``Kind/outOfBounds`` error.
  public static func outOfBounds(_ message: String, cause: (any Error)? = nil) -> ArrowError {
    ArrowError(.outOfBounds, message, cause: cause)
  }
  /// A ``Kind/notImplemented`` error.
  public static func notImplemented(_ message: String, cause: (any Error)? = nil) -> ArrowError {
    ArrowError(.notImplemented, message, cause: cause)
  }
  /// An ``Kind/ioError`` error.
  public static func ioError(_ message: String, cause: (any Error)? = nil) -> ArrowError {
    ArrowError(.ioError, message, cause: cause)
  }

  /// `kind: message`.
  public var description: String { "\(kind): \(message)" }

  /// Errors are equal when their kinds and messages are (the cause is not compared).
  public static func == (lhs: ArrowError, rhs: ArrowError) -> Bool {
    lhs.kind == rhs.kind && lhs.message == rhs.message
  }

  /// Hashes the kind and the message.
  public func hash(into hasher: inout Hasher) {
    hasher.combine(kind)
    hasher.combine(message)
  }
}
