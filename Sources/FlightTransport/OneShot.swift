// A value that arrives once and may be awaited by any number of tasks.

import Synchronization

/// A value set once (by a completion) and awaited by any number of tasks.
final class OneShot<Value: Sendable>: Sendable {
  private struct State {
    var value: Value?
    var waiters: [CheckedContinuation<Value, Never>] = []
  }
  private let state = Mutex(State())

  /// Sets the value and resumes every waiter; later calls are ignored.
  func fulfill(_ value: Value) {
    let waiters = state.withLock { state -> [CheckedContinuation<Value, Never>] in
      guard state.value == nil else { return [] }
      state.value = value
      defer { state.waiters = [] }
      return state.waiters
    }
    for waiter in waiters { waiter.resume(returning: value) }
  }

  /// The value, if it has arrived.
  var current: Value? {
    state.withLock { $0.value }
  }

  /// Waits for the value.
  func wait() async -> Value {
    await withCheckedContinuation { continuation in
      let value = state.withLock { state -> Value? in
        if let value = state.value { return value }
        state.waiters.append(continuation)
        return nil
      }
      if let value { continuation.resume(returning: value) }
    }
  }
}
