// A value set once and awaited under a watchdog, for tests that wait on servers' handlers.

internal import Synchronization

/// A value set once, awaited with a watchdog (test side).
public final class Signal<Value: Sendable>: Sendable {
  private struct State {
    var value: Value?
    var waiters: [CheckedContinuation<Value?, Never>] = []
  }
  private let state = Mutex(State())

  /// A signal not yet set.
  public init() {}

  /// Sets the value and resumes every waiter; later calls are ignored.
  public func fulfill(_ value: Value) {
    let waiters = state.withLock { state -> [CheckedContinuation<Value?, Never>] in
      guard state.value == nil else { return [] }
      state.value = value
      defer { state.waiters = [] }
      return state.waiters
    }
    for waiter in waiters { waiter.resume(returning: value) }
  }

  /// The value, or nil when it has not come within `timeout` (a watchdog against hangs; the
  /// bound is far above what the work takes).
  public func wait(timeout: Duration = .seconds(20)) async -> Value? {
    let timer = Task { [self] in
      try? await Task.sleep(for: timeout)
      let waiters = state.withLock { state -> [CheckedContinuation<Value?, Never>] in
        defer { state.waiters = [] }
        return state.waiters
      }
      for waiter in waiters { waiter.resume(returning: nil) }
    }
    defer { timer.cancel() }
    return await withCheckedContinuation { continuation in
      let value = state.withLock { state -> Value? in
        if let value = state.value { return value }
        state.waiters.append(continuation)
        return nil
      }
      if let value { continuation.resume(returning: value) }
    }
  }
}

/// Runs `body` in its own task; its value, or nil when it has not finished within `timeout` (a
/// watchdog against hangs, far above what the work takes).
public func boundedWait<Value: Sendable>(
  _ timeout: Duration = .seconds(20), _ body: @escaping @Sendable () async -> Value
) async -> Value? {
  let signal = Signal<Value>()
  Task { signal.fulfill(await body()) }
  return await signal.wait(timeout: timeout)
}
