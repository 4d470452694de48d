internal import Foundation

/// A value guarded by a lock, for the mutable state of the `Sendable` classes of this module.
final class LockedState<Value>: @unchecked Sendable {
  private let lock = NSLock()
  private var value: Value

  init(_ value: Value) {
    self.value = value
  }

  func withLock<Result>(_ body: (inout Value) throws -> Result) rethrows -> Result {
    lock.lock()
    defer { lock.unlock() }
    return try body(&value)
  }
}

/// A value set once by one thread and awaited, with a timeout, by others.
final class Latch<Value: Sendable>: @unchecked Sendable {
  private let condition = NSCondition()
  private var value: Value?

  /// Sets the value unless it is already set; returns whether this call set it.
  @discardableResult
  func set(_ newValue: Value) -> Bool {
    condition.lock()
    defer { condition.unlock() }
    guard value == nil else { return false }
    value = newValue
    condition.broadcast()
    return true
  }

  /// The value if it is set now.
  var current: Value? {
    condition.lock()
    defer { condition.unlock() }
    return value
  }

  /// Blocks until the value is set; returns it.
  func wait() -> Value {
    condition.lock()
    defer { condition.unlock() }
    while true {
      if let value { return value }
      condition.wait()
    }
  }

  /// Blocks until the value is set or `timeout` seconds have passed; returns the value if set.
  func wait(timeout: TimeInterval) -> Value? {
    let deadline = Date(timeIntervalSinceNow: timeout)
    condition.lock()
    defer { condition.unlock() }
    while value == nil {
      if !condition.wait(until: deadline) { break }
    }
    return value
  }
}

/// Runs blocking work on a new OS thread and awaits its result, so that it never blocks a
/// thread of Swift's small cooperative pool.
public func runOnThread<Value: Sendable>(
  named name: String,
  _ work: @escaping @Sendable () throws -> Value
) async throws -> Value {
  try await withCheckedThrowingContinuation { (continuation: CheckedContinuation<Value, any Error>) in
    let thread = Thread {
      continuation.resume(with: Result { try work() })
    }
    thread.name = name
    thread.start()
  }
}
