/// Names a flight: either a path of strings or an opaque command.
///
/// The protocol's `DescriptorType.UNKNOWN` has no case here: decoding a descriptor of that
/// type (or of any unknown type) throws, as Arrow C++ does.
public enum FlightDescriptor: Hashable, Sendable {
  /// A path naming a dataset, such as `["examples", "ints"]`.
  case path([String])
  /// An opaque command, such as a query, that the server interprets.
  case command([UInt8])

  /// A descriptor for a path.
  public static func forPath(_ path: [String]) -> FlightDescriptor {
    .path(path)
  }

  /// A descriptor for a path given as separate components.
  public static func forPath(_ components: String...) -> FlightDescriptor {
    .path(components)
  }

  /// A descriptor for an opaque command.
  public static func forCommand(_ command: [UInt8]) -> FlightDescriptor {
    .command(command)
  }

  /// A descriptor for a command given as the UTF-8 bytes of a string.
  public static func forCommand(_ command: String) -> FlightDescriptor {
    .command(Array(command.utf8))
  }

  /// The path components, or `nil` for a command descriptor.
  public var pathComponents: [String]? {
    if case .path(let path) = self { return path }
    return nil
  }

  /// The command bytes, or `nil` for a path descriptor.
  public var commandBytes: [UInt8]? {
    if case .command(let command) = self { return command }
    return nil
  }
}

extension FlightDescriptor: CustomStringConvertible {
  /// `path: a/b` or `command: <text>` (non-UTF-8 commands as hex), like pyarrow's repr.
  public var description: String {
    switch self {
    case .path(let components):
      return "path: \(components.joined(separator: "/"))"
    case .command(let command):
      if let text = String(validating: command, as: UTF8.self) { return "command: \(text)" }
      return "command: 0x" + command.map { $0 < 16 ? "0" + String($0, radix: 16) : String($0, radix: 16) }.joined()
    }
  }
}
