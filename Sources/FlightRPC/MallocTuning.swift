// Opt-in, process-wide glibc malloc settings for applications that stream large Arrow data.

internal import FlightTransport

/// Process-wide glibc malloc settings for applications that stream large Arrow data.
///
/// The library changes no allocator setting by itself: these are the application's choice,
/// made once at start, before the first Flight call. Each leaves alone a setting the user made
/// through glibc's own environment variables, and does nothing on other C libraries. The
/// `flight` tool calls ``keepLargeBuffersInHeap()`` for every command and
/// ``limitArenas(to:)`` with 1 for its client commands.
public enum FlightMallocTuning {
  /// Keeps gRPC's large read buffers in the heap, where they are reused, instead of a fresh
  /// memory mapping per message.
  ///
  /// gRPC core allocates each receive buffer with malloc. Above glibc's mmap threshold (which
  /// starts at 128 KiB and grows only as large blocks are freed) every buffer is a fresh
  /// mapping: each received megabyte page-faults in and is unmapped again. This raises the
  /// mmap threshold to 32 MiB and the trim threshold to 128 MiB, so a process streaming many
  /// large batches spends its time on the data instead; in exchange up to 128 MiB of freed
  /// memory may stay resident. Skipped when `MALLOC_MMAP_THRESHOLD_` or
  /// `MALLOC_TRIM_THRESHOLD_` is set.
  public static func keepLargeBuffersInHeap() {
    GRPCRuntime.keepLargeBuffersInHeap()
  }

  /// Limits glibc malloc to `count` arenas (at least 1).
  ///
  /// gRPC core reads on its own threads and an application often frees on others; with
  /// glibc's default of up to eight arenas per core, freed read buffers wait in arenas that
  /// the reading thread does not reuse, and a single large download holds more memory than it
  /// needs. One arena suits a process that moves one stream at a time (a client tool); a
  /// server with many concurrent calls keeps the default. Skipped when `MALLOC_ARENA_MAX` is
  /// set.
  public static func limitArenas(to count: Int) {
    GRPCRuntime.limitMallocArenas(to: count)
  }
}
