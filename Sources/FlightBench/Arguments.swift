// Hand-written command-line parsing: a subcommand, then `--name value` (or `--name=value`)
// options from a fixed set per subcommand.

/// A usage error: printed on stderr with the usage text, exit status 2.
struct UsageError: Error, CustomStringConvertible {
  let description: String
  init(_ description: String) { self.description = description }
}

/// The options of one subcommand, parsed.
struct Arguments {
  private var values: [String: String] = [:]

  /// Parses `arguments` (after the subcommand), accepting only the option names in `allowed`.
  init(_ arguments: ArraySlice<String>, allowed: Set<String>) throws(UsageError) {
    var iterator = arguments.makeIterator()
    while let argument = iterator.next() {
      guard argument.hasPrefix("--"), argument.count > 2 else {
        throw UsageError("unexpected argument '\(argument)'")
      }
      var name = String(argument.dropFirst(2))
      let value: String
      if let equals = name.firstIndex(of: "=") {
        value = String(name[name.index(after: equals)...])
        name = String(name[..<equals])
      } else {
        guard let next = iterator.next() else { throw UsageError("--\(name) needs a value") }
        value = next
      }
      guard allowed.contains(name) else { throw UsageError("unknown option --\(name)") }
      values[name] = value
    }
  }

  /// The value of `--name`, if given.
  func string(_ name: String) -> String? { values[name] }

  /// The integer value of `--name`, `defaultValue` when absent; must be at least `minimum`.
  func int(_ name: String, default defaultValue: Int, minimum: Int = 1) throws(UsageError) -> Int {
    guard let text = values[name] else { return defaultValue }
    guard let value = Int(text), value >= minimum else {
      throw UsageError("--\(name) must be an integer of at least \(minimum), got '\(text)'")
    }
    return value
  }
}
