internal import Foundation

/// A process-wide lock that runs interop tests one at a time.
///
/// Interop tests start a Python peer and drive real sockets on a 2-core machine: two of them
/// at once slow each other down and make timeouts flaky. XCTest runs tests one by one under
/// `swift test` (without `--parallel`), but Swift Testing runs suites in parallel, and its
/// `.serialized` trait only orders the tests *within* one suite. So:
///
/// - mark every interop suite `.serialized`, and
/// - wrap the body of every interop test in `InteropLock.run { ... }`, which also orders tests
///   of *different* suites and targets built into the same test process.
///
/// ```swift
/// @Suite(.serialized) struct ListActionsInterop {
///   @Test func listsPyarrowActions() async throws {
///     try await InteropLock.run {
///       try await withPeer("pyarrow_server.py") { peer in
///         // connect to peer.location ...
///       }
///     }
///   }
/// }
/// ```
///
/// The lock is fair (first come, first served) and is not reentrant: do not nest `run` calls.
public enum InteropLock {
  private static let mutex = AsyncMutex()

  /// Runs `body` once every earlier `run` body has finished, and before any later one starts.
  ///
  /// - Parameters:
  ///   - isolation: The caller's actor isolation, inherited by `body`.
  ///   - body: The test work to serialize.
  /// - Returns: What `body` returns.
  public static func run<Result>(
    isolation: isolated (any Actor)? = #isolation,
    _ body: () async throws -> Result
  ) async rethrows -> Result {
    await mutex.acquire()
    defer { mutex.release() }
    return try await body()
  }
}

/// A fair asynchronous mutex: waiters suspend (never block a thread) and are resumed in order.
final class AsyncMutex: Sendable {
  private struct State {
    var held = false
    var waiters: [CheckedContinuation<Void, Never>] = []
  }

  private let state = LockedState(State())

  func acquire(isolation: isolated (any Actor)? = #isolation) async {
    await withCheckedContinuation { (continuation: CheckedContinuation<Void, Never>) in
      let granted = state.withLock { state -> Bool in
        if state.held {
          state.waiters.append(continuation)
          return false
        }
        state.held = true
        return true
      }
      if granted { continuation.resume() }
    }
  }

  func release() {
    let next = state.withLock { state -> CheckedContinuation<Void, Never>? in
      if state.waiters.isEmpty {
        state.held = false
        return nil
      }
      return state.waiters.removeFirst()  // ownership passes straight to the next waiter
    }
    next?.resume()
  }
}
