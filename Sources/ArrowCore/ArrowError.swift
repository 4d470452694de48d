// The one error type of ArrowCore and ArrowIPC.

/// An error raised by ArrowCore or ArrowIPC: a ``Kind`` plus a message naming the problem.
///
/// ```swift
/// do { try array.validate() } catch let error as ArrowError where error.kind == .invalid {
///   print(error)  // "invalid: offset 3 (12) is less than offset 2 (15)"
/// }
/// ```
public struct ArrowError: Error, Sendable, Hashable, CustomStringConvertible {
  /// The category of an ``ArrowError``.
  public enum Kind: String, Sendable, Hashable, CustomStringConvertible {
    /// Data or arguments break an Arrow rule (bad offsets, bad UTF-8, wrong buffer sizes...).
    case invalid
    /// A value or array has a different type than the one expected.
    case typeMismatch
    /// An index or range lies outside the data.
    case outOfBounds
    /// The operation or type is not supported yet.
    case notImplemented
    /// Reading or writing bytes failed.
    case ioError

    /// The kind's name, as printed in an error's description.
    public var description: String { rawValue }
  }

  /// The category of the error.
  public var kind: Kind
  /// What went wrong, in words.
  public var message: String

  /// Creates an error of `kind` with `message`.
  public init(_ kind: Kind, _ message: String) {
    self.kind = kind
    self.message = message
  }

  /// An ``Kind/invalid`` error.
  public static func invalid(_ message: String) -> ArrowError { ArrowError(.invalid, message) }
  /// A ``Kind/typeMismatch`` error.
  public static func typeMismatch(_ message: String) -> ArrowError { ArrowError(.typeMismatch, message) }
  /// An ``Kind/outOfBounds`` error.
  public static func outOfBounds(_ message: String) -> ArrowError { ArrowError(.outOfBounds, message) }
  /// A ``Kind/notImplemented`` error.
  public static func notImplemented(_ message: String) -> ArrowError { ArrowError(.notImplemented, message) }
  /// An ``Kind/ioError`` error.
  public static func ioError(_ message: String) -> ArrowError { ArrowError(.ioError, message) }

  /// `kind: message`.
  public var description: String { "\(kind): \(message)" }
}
