// A value that arrives once and may be awaited by any number of tasks.

internal import Synchronization

/// A value set once (by a completion) and awaited by any number of tasks.
final class OneShot<Value: Sendable>: Sendable {
  private struct State {
    var value: Value?
    var waiters: [CheckedContinuation<Value, Never>] = []
    var callbacks: [@Sendable (Value) -> Void] = []
  }
  private let state = Mutex(State())

  /// Sets the value and resumes every waiter; later calls are ignored.
  func fulfill(_ value: Value) {
    let (waiters, callbacks) = state.withLock { state in
      guard state.value == nil else { return ([CheckedContinuation<Value, Never>](), [@Sendable (Value) -> Void]()) }
      state.value = value
      defer {
        state.waiters = []
        state.callbacks = []
      }
      return (state.waiters, state.callbacks)
    }
    for callback in callbacks { callback(value) }  // first: a cancelled call cancels its handler before waiters resume
    for waiter in waiters { waiter.resume(returning: value) }
  }

  /// Runs `body` with the value when it arrives (at once when it has), on the fulfilling thread.
  func whenFulfilled(_ body: @escaping @Sendable (Value) -> Void) {
    let value = state.withLock { state -> Value? in
      if let value = state.value { return value }
      state.callbacks.append(body)
      return nil
    }
    if let value { body(value) }
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
