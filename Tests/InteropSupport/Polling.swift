// Waiting, under a deadline, for a state that can only be asked about.

/// Whether `condition` holds within `timeout`: checks it at once, then every `interval` until
/// it holds or the deadline passes (a watchdog, not a timing); the last check runs at or after
/// the deadline.
///
/// For state that is only observable by asking: what a peer reports through an action, what a
/// test service's handlers recorded, whether a server call was cancelled. Where a process or
/// handler can say when it is ready, wait for that instead. Cancelling the task does not end
/// the wait (a server handler whose call was cancelled keeps watching until the deadline).
/// Errors of `condition` propagate; a caller that means "not yet" by an error catches it inside.
public func poll(
  timeout: Duration, every interval: Duration = .milliseconds(20), until condition: () async throws -> Bool
) async rethrows -> Bool {
  let deadline = ContinuousClock.now + timeout
  while true {
    if try await condition() { return true }
    if ContinuousClock.now >= deadline { return false }
    try? await Task.sleep(for: interval)
  }
}
