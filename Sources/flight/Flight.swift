// The `flight` command: a Flight client for any Flight service, and a Flight server.

internal import ArgumentParser
internal import ArrowIPC
internal import FlightRPC
internal import Foundation

/// The root command: parses, runs the subcommand, and reports any error as one line
/// `error: <kind>: <message>` on stderr with a non-zero exit status.
@main
struct Flight: AsyncParsableCommand {
  static let configuration = CommandConfiguration(
    commandName: "flight",
    abstract: "Talk to any Arrow Flight service, or serve tables over Flight.",
    discussion: """
      Client commands connect to --location (default grpc://localhost:8815). A flight is named \
      by a path (--path dataset/sales, the components "dataset" and "sales") or a command \
      (--cmd TEXT).
      """,
    subcommands: [
      Serve.self, List.self, Info.self, SchemaCommand.self, Get.self, Put.self, Actions.self, DoAction.self,
    ]
  )

  static func main() async {
    let command: any ParsableCommand
    do {
      command = try parseAsRoot()
    } catch {
      // --help and --version exit cleanly through here, with their text.
      if exitCode(for: error) == .success { exit(withError: error) }
      fail(kind: "invalid", message: message(for: error), status: exitCode(for: error).rawValue)
    }
    // Large batches, one stream at a time for the client commands: see FlightMallocTuning.
    FlightMallocTuning.keepLargeBuffersInHeap()
    if !(command is Serve) { FlightMallocTuning.limitArenas(to: 1) }
    do {
      if var command = command as? any AsyncParsableCommand {
        try await command.run()
      } else {
        var command = command
        try command.run()
      }
    } catch let error as FlightError {
      fail(kind: error.kind.rawValue, message: error.message)
    } catch let error as ArrowError {
      fail(kind: error.kind.rawValue, message: error.message)
    } catch let error as CLIError {
      fail(kind: error.kind, message: error.message)
    } catch {
      if exitCode(for: error) == .success { exit(withError: error) }
      fail(kind: "error", message: message(for: error))
    }
  }

  /// Prints `error: <kind>: <message>` on one line to stderr and exits with `status`.
  static func fail(kind: String, message: String, status: Int32 = 1) -> Never {
    let line = message.split(whereSeparator: \.isNewline).map { $0.trimmingCharacters(in: .whitespaces) }
      .filter { !$0.isEmpty }.joined(separator: " ")
    writeStandardError("error: \(kind): \(line)\n")
    Foundation.exit(status == 0 ? 1 : status)
  }
}

/// An error of the command line tool itself (a file it cannot read, an argument it refuses).
struct CLIError: Error, CustomStringConvertible {
  /// A short category, such as `invalid` or `io`.
  var kind: String
  /// What went wrong.
  var message: String

  init(_ kind: String, _ message: String) {
    self.kind = kind
    self.message = message
  }

  static func invalid(_ message: String) -> CLIError { CLIError("invalid", message) }
  static func io(_ message: String) -> CLIError { CLIError("io", message) }

  var description: String { "\(kind): \(message)" }
}

/// Writes `text` to stderr, unbuffered.
func writeStandardError(_ text: String) {
  FileHandle.standardError.write(Data(text.utf8))
}

/// Writes `text` to stdout at once (unbuffered), for lines a reader waits for.
func writeStandardOutputNow(_ text: String) {
  FileHandle.standardOutput.write(Data(text.utf8))
}
