// glibc malloc settings an application may opt into (FlightRPC's FlightMallocTuning), and the
// heap trim the tests use to measure resident memory. No effect off glibc.

internal import Foundation

#if canImport(Glibc)
  internal import CMalloc
#endif

extension GRPCRuntime {
  /// Raises glibc malloc's mmap threshold to 32 MiB and its trim threshold to 128 MiB,
  /// process wide, unless the user set either through glibc's own variables
  /// (`MALLOC_MMAP_THRESHOLD_`, `MALLOC_TRIM_THRESHOLD_`).
  package static func keepLargeBuffersInHeap() {
    #if canImport(Glibc)
      let environment = ProcessInfo.processInfo.environment
      guard environment["MALLOC_MMAP_THRESHOLD_"] == nil, environment["MALLOC_TRIM_THRESHOLD_"] == nil else { return }
      _ = mallopt(CMalloc_mmap_threshold, 32 << 20)
      _ = mallopt(CMalloc_trim_threshold, 128 << 20)
    #endif
  }

  /// Limits glibc malloc to `count` arenas, process wide, unless the user set
  /// `MALLOC_ARENA_MAX`.
  package static func limitMallocArenas(to count: Int) {
    #if canImport(Glibc)
      guard ProcessInfo.processInfo.environment["MALLOC_ARENA_MAX"] == nil else { return }
      _ = mallopt(CMalloc_arena_max, Int32(clamping: max(1, count)))
    #endif
  }

  /// Returns free heap memory to the system, so that resident memory measures what is in use
  /// (a raised trim threshold otherwise keeps up to 128 MiB of freed memory mapped).
  package static func releaseFreeMemory() {
    #if canImport(Glibc)
      _ = malloc_trim(0)
    #endif
  }
}
