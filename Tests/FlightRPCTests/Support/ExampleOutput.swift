// What a documentation example prints, collected for its test (see ReadmeExamplesTests.swift).

internal import Foundation
internal import InteropSupport
internal import Synchronization

/// The lines an example printed, and the port of its `Server listening on localhost:<port>`.
final class ExampleOutput: Sendable {
  private let printed = Mutex<[String]>([])
  private let port = Signal<Int>()

  /// Every line printed so far.
  var lines: [String] { printed.withLock { $0 } }

  /// Keeps `line`; a server's `Server listening on localhost:<port>` line announces its port.
  func record(_ line: String) {
    printed.withLock { $0.append(line) }
    let prefix = "Server listening on localhost:"
    if line.hasPrefix(prefix), let port = Int(line.dropFirst(prefix.count)) { self.port.fulfill(port) }
  }

  /// Records that the example failed instead of serving: ``announcedPort()`` returns nil.
  func fail(_ error: any Error) {
    printed.withLock { $0.append("failed: \(error)") }
    port.fulfill(-1)
  }

  /// The announced port, or nil when the example failed or announced none within the watchdog.
  func announcedPort() async -> Int? {
    guard let port = await port.wait(timeout: .seconds(60)), port > 0 else { return nil }
    return port
  }
}
