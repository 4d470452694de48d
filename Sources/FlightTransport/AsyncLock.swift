// A lock that tasks wait for without blocking a thread.

internal import Synchronization

/// A mutual-exclusion lock for async code: one holder at a time, waiters resumed in order.
///
/// Used where gRPC core allows one operation of a kind in flight (one receive per call) but
/// more than one task may ask for it (a DoPut's results read by one task while another closes).
final class AsyncLock: Sendable {
  private struct State {
    var held = false
    var waiters: [CheckedContinuation<Void, Never>] = []
  }
  private let state = Mutex(State())

  /// Runs `body` holding the lock.
  func withLock<T, E: Error>(_ body: () async throws(E) -> T) async throws(E) -> T {
    await acquire()
    defer { release() }
    return try await body()
  }

  private func acquire() async {
    let free = state.withLock { state -> Bool in
      guard !state.held else { return false }
      state.held = true
      return true
    }
    if free { return }  // uncontended: no continuation
    await withCheckedContinuation { (continuation: CheckedContinuation<Void, Never>) in
      let acquired = state.withLock { state -> Bool in
        if !state.held {
          state.held = true
          return true
        }
        state.waiters.append(continuation)
        return false
      }
      if acquired { continuation.resume() }
    }
  }

  private func release() {
    let next = state.withLock { state -> CheckedContinuation<Void, Never>? in
      guard !state.waiters.isEmpty else {
        state.held = false
        return nil
      }
      return state.waiters.removeFirst()  // the lock passes straight to the next waiter
    }
    next?.resume()
  }
}
