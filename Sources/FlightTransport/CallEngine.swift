// The batches of one call, for client and server calls alike: sends one at a time or queued,
// receives read ahead, each batch awaited without blocking a thread.

internal import ArrowCore
internal import Synchronization

/// Runs one call's batches.
///
/// gRPC core wants the sends of one call serialized and its receives serialized; the call
/// types built on this await each operation before starting the next of its kind.
final class CallEngine: Sendable {
  /// The call.
  let call: CallHandle
  /// The receiving side: messages read ahead and the receiver waiting, if any.
  private let reception = Mutex(Reception())
  /// Sends queued by ``sendQueued(_:initialMetadata:)``, not yet taken by gRPC.
  private let outbox = Mutex(Outbox())

  init(_ call: CallHandle) {
    self.call = call
  }

  /// The queue the call's batches report on.
  var queue: CompletionQueue { call.queue }

  /// Starts a batch and waits for its completion; task cancellation cancels the call.
  func run(_ batch: OpBatch) async throws(TransportError) -> Bool {
    let outcome: Result<Bool, TransportError> = await withTaskCancellationHandler {
      await withCheckedContinuation { continuation in
        do throws(TransportError) {
          try batch.start(on: call) { _, success in continuation.resume(returning: .success(success)) }
        } catch {
          continuation.resume(returning: .failure(error))
        }
      }
    } onCancel: {
      self.cancel()
    }
    return try outcome.get()
  }

  /// Sends one message made of `parts` (and, when `closing`, the client's half-close in the same
  /// batch); false when the call is already over.
  func sendMessage(_ parts: [Buffer], initialMetadata: GRPCMetadata? = nil, closing: Bool = false)
    async throws(TransportError) -> Bool
  {
    try await run(OpBatch.send(headers: initialMetadata, message: parts, closing: closing))
  }

  /// Sends `messages` one after the other, each started by the completion of the previous one
  /// on the completion-queue thread (no task switch per message); true when all were sent.
  /// Task cancellation cancels the call.
  func sendMessages(_ messages: [[Buffer]], initialMetadata: GRPCMetadata?) async -> Bool {
    guard !messages.isEmpty else { return true }
    let sender = ChainedSender(engine: self, messages: messages, initialMetadata: initialMetadata)
    return await withTaskCancellationHandler {
      await withCheckedContinuation { continuation in sender.start { continuation.resume(returning: $0) } }
    } onCancel: {
      self.cancel()
    }
  }

  /// A received message and whether the receive succeeded.
  typealias Received = (success: Bool, message: [Buffer]?)

  /// Read-ahead state. gRPC core allows one receive in flight per call; once the call's owner
  /// has asked for a first message, the next receive starts as soon as the previous one ends,
  /// until `readAhead` messages wait, so a message is usually there when asked for (no wait,
  /// no thread switch) and decoding one overlaps receiving the next.
  struct Reception {
    /// Messages received and not yet taken, in order.
    var ready: [Received] = []
    /// The end (no message) or failure of the stream: every later receive returns it.
    var terminal: Result<Received, TransportError>?
    /// The owner waiting for a message.
    var waiter: CheckedContinuation<Result<Received, TransportError>, Never>?
    /// Whether a receive batch is in flight.
    var inFlight = false
    /// Whether the owner asked for a message once (no read-ahead before).
    var started = false
  }

  /// How many received messages may wait to be taken.
  static let readAhead = 2

  /// Receives one message: its slices as `Buffer`s, or nil at the end of the stream or
  /// when the call failed (`success` tells which). Receives are serialized by the caller.
  func receiveMessage() async throws(TransportError) -> Received {
    if let ready = takeReady() {
      startReceiveIfNeeded()
      return try ready.get()
    }
    let outcome: Result<Received, TransportError> = await withTaskCancellationHandler {
      await withCheckedContinuation { continuation in
        let ready = reception.withLock { state -> Result<Received, TransportError>? in
          if let ready = Self.take(&state) { return ready }
          state.waiter = continuation
          return nil
        }
        if let ready { continuation.resume(returning: ready) }
        startReceiveIfNeeded()
      }
    } onCancel: {
      self.cancel()
    }
    return try outcome.get()
  }

  /// The first message read ahead, or the stream's end, if there; marks reception started.
  private func takeReady() -> Result<Received, TransportError>? {
    reception.withLock { state in
      state.started = true
      return Self.take(&state)
    }
  }

  private static func take(_ state: inout Reception) -> Result<Received, TransportError>? {
    if !state.ready.isEmpty { return .success(state.ready.removeFirst()) }
    return state.terminal
  }

  /// Starts a receive batch unless one is in flight, the stream has ended, or enough
  /// messages wait already.
  private func startReceiveIfNeeded() {
    let start = reception.withLock { state -> Bool in
      guard state.started, !state.inFlight, state.terminal == nil,
        state.waiter != nil || state.ready.count < Self.readAhead
      else { return false }
      state.inFlight = true
      return true
    }
    guard start else { return }
    do {
      try OpBatch.receiveMessage().start(on: call) { batch, success in
        self.delivered(.success((success, success ? batch.takeMessage() : nil)))
      }
    } catch {
      delivered(.failure(error))
    }
  }

  /// A receive ended: hands its outcome to the waiting owner or keeps it, and reads on.
  private func delivered(_ outcome: Result<Received, TransportError>) {
    let waiter = reception.withLock { state -> CheckedContinuation<Result<Received, TransportError>, Never>? in
      state.inFlight = false
      let isMessage = (try? outcome.get().message) != nil
      if !isMessage { state.terminal = outcome }
      guard let waiter = state.waiter else {
        if isMessage, case .success(let received) = outcome { state.ready.append(received) }
        return nil
      }
      state.waiter = nil
      return waiter
    }
    waiter?.resume(returning: outcome)
    startReceiveIfNeeded()
  }

  /// Queued sends: started one after the other from the completion of the previous one (on
  /// the completion-queue thread), so the owner does not wait for each.
  struct Outbox {
    /// Batches waiting for the one in flight to complete, in order.
    var queue: [OpBatch] = []
    /// Whether a queued batch is in flight.
    var sending = false
    /// Whether a queued send failed (the call is over): later ones are dropped.
    var failed = false
    /// Owners waiting for the queue to empty.
    var waiters: [CheckedContinuation<Bool, Never>] = []
  }

  /// How many queued sends may wait before ``sendQueued(_:initialMetadata:)`` waits for them.
  static let outboxLimit = 64

  /// Queues one message after those queued before and returns without waiting for gRPC to
  /// take it, unless `outboxLimit` messages wait already (then it waits until all are taken).
  /// False when a queued send has failed: the call is over.
  func sendQueued(_ parts: [Buffer], initialMetadata: GRPCMetadata?) async -> Bool {
    let batch = OpBatch.send(headers: initialMetadata, message: parts)
    let (start, failed, full) = outbox.withLock { outbox -> (Bool, Bool, Bool) in
      if outbox.failed { return (false, true, false) }
      if outbox.sending {
        outbox.queue.append(batch)
        return (false, false, outbox.queue.count >= Self.outboxLimit)
      }
      outbox.sending = true
      return (true, false, false)
    }
    if failed { return false }
    if start { startQueued(batch) }
    return full ? await drainQueued() : true
  }

  /// Waits until every queued send has been taken; false when one failed. Task cancellation
  /// cancels the call.
  func drainQueued() async -> Bool {
    if let done = outbox.withLock({ $0.sending ? nil : !$0.failed }) { return done }
    return await withTaskCancellationHandler {
      await withCheckedContinuation { continuation in
        let done = outbox.withLock { outbox -> Bool? in
          if !outbox.sending { return !outbox.failed }
          outbox.waiters.append(continuation)
          return nil
        }
        if let done { continuation.resume(returning: done) }
      }
    } onCancel: {
      self.cancel()
    }
  }

  private func startQueued(_ batch: OpBatch) {
    do {
      try batch.start(on: call) { _, success in self.queuedSendEnded(success) }
    } catch {
      queuedSendEnded(false)
    }
  }

  private func queuedSendEnded(_ success: Bool) {
    let (next, waiters, failed) = outbox.withLock {
      outbox -> (OpBatch?, [CheckedContinuation<Bool, Never>], Bool) in
      if !success {
        outbox.failed = true
        outbox.queue.removeAll()
      }
      if !outbox.queue.isEmpty { return (outbox.queue.removeFirst(), [], false) }
      outbox.sending = false
      defer { outbox.waiters.removeAll() }
      return (nil, outbox.waiters, outbox.failed)
    }
    if let next { startQueued(next) }
    for waiter in waiters { waiter.resume(returning: !failed) }
  }

  /// Whether the end of the received stream came from an error (a cancellation, a lost
  /// connection) rather than the peer's graceful half-close.
  var receiveFailed: Bool { call.failedBeforeReceivingMessage }

  /// The peer's address, e.g. `ipv4:127.0.0.1:50051`.
  var peer: String { call.peer }

  /// Cancels the call; pending and later operations fail promptly.
  func cancel() {
    call.cancel()
  }
}

/// Sends a list of messages, starting each from the completion of the previous one.
private final class ChainedSender: @unchecked Sendable {
  // Sendable: `next` is touched by one batch completion at a time (each starts the next).
  let engine: CallEngine
  let messages: [[Buffer]]
  let initialMetadata: GRPCMetadata?
  var next = 0

  init(engine: CallEngine, messages: [[Buffer]], initialMetadata: GRPCMetadata?) {
    self.engine = engine
    self.messages = messages
    self.initialMetadata = initialMetadata
  }

  /// Sends from the first message; `done` runs once, with whether every message went out.
  func start(_ done: @escaping (Bool) -> Void) {
    sendNext(done)
  }

  private func sendNext(_ done: @escaping (Bool) -> Void) {
    guard next < messages.count else { return done(true) }
    let batch = OpBatch.send(headers: next == 0 ? initialMetadata : nil, message: messages[next])
    next += 1
    do {
      try batch.start(on: engine.call) { _, success in
        if success { self.sendNext(done) } else { done(false) }
      }
    } catch {
      done(false)
    }
  }
}
