// What the tests expect of a finished `flight` command.

internal import Foundation
internal import InteropSupport
internal import Testing

/// Expects a failed command that printed exactly one line, `error: <kind>: …`, on stderr.
func expectError(_ result: ProcessResult, kind: String, sourceLocation: SourceLocation = #_sourceLocation) {
  #expect(result.status != 0, "\(result)", sourceLocation: sourceLocation)
  let lines = result.stderr.split(separator: "\n", omittingEmptySubsequences: false).filter { !$0.isEmpty }
  #expect(lines.count == 1, "\(result)", sourceLocation: sourceLocation)
  #expect(result.stderr.hasPrefix("error: \(kind): "), "\(result)", sourceLocation: sourceLocation)
}

/// Expects a successful command with nothing on stderr (no progress when stdout is a pipe).
func expectSuccess(_ result: ProcessResult, sourceLocation: SourceLocation = #_sourceLocation) {
  #expect(result.status == 0, "\(result)", sourceLocation: sourceLocation)
  #expect(result.stderr.isEmpty, "\(result)", sourceLocation: sourceLocation)
}

/// How long one command may take before the test counts it as hung (generous: a hang fails,
/// it does not block CI).
let hangWatchdog: TimeInterval = 60

/// Expects a command that ended by itself (not killed by the watchdog) with one error line.
func expectFailedPromptly(
  _ result: ProcessResult, kind: String, containing text: String, sourceLocation: SourceLocation = #_sourceLocation
) {
  #expect(!result.signaled, "the command hung and was killed: \(result)", sourceLocation: sourceLocation)
  expectError(result, kind: kind, sourceLocation: sourceLocation)
  #expect(result.stderr.contains(text), "\(result)", sourceLocation: sourceLocation)
}
