// A test hook: counts the chunks that whole-table traversals visit, so tests can check that
// a traversal costs O(rows + chunks) without timing anything.

internal import Synchronization

/// Counts chunk visits of the traversals of ``ChunkedArray`` and ``Table`` (to batches,
/// slicing, equality, concatenation, printing, byte counts) within ``counting(_:)``, on the
/// current task. Counting exists only in debug builds; release builds record nothing and
/// pay nothing.
@_spi(Testing) public enum ChunkVisits {
  /// A counter of visits.
  public final class Counter: Sendable {
    let visits = Atomic<Int>(0)
    /// The visits recorded so far.
    public var count: Int { visits.load(ordering: .relaxed) }
  }

  #if DEBUG
    /// The counter of the current task, if counting.
    @TaskLocal static var current: Counter?
  #endif

  /// Whether this build counts (debug builds only).
  public static var isAvailable: Bool {
    #if DEBUG
      return true
    #else
      return false
    #endif
  }

  /// Runs `body` and returns its result with the chunk visits it made.
  public static func counting<R>(_ body: () throws -> R) rethrows -> (result: R, visits: Int) {
    let counter = Counter()
    #if DEBUG
      let result = try $current.withValue(counter) { try body() }
    #else
      let result = try body()
    #endif
    return (result, counter.count)
  }

  /// Records `count` visits (nothing in release builds).
  @inline(__always) static func record(_ count: Int = 1) {
    #if DEBUG
      current?.visits.add(count, ordering: .relaxed)
    #endif
  }
}
