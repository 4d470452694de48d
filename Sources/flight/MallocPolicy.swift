// The tool's process-wide malloc policy (the library leaves arenas to the application).

#if canImport(Glibc)
  internal import CMalloc
  internal import Glibc
#endif

/// Limits glibc malloc to one arena for the client commands, unless `MALLOC_ARENA_MAX` is set.
///
/// A client command moves one stream, but gRPC core reads on its own threads and the tool
/// frees on others, so glibc's default of one arena per thread keeps freed read buffers
/// parked in arenas no thread reuses; with one arena they are reused, which keeps a large
/// `flight get`'s peak RSS down (the README's benchmarks have the figures). `flight serve`
/// keeps glibc's default (many callers).
func useOneMallocArena() {
  #if canImport(Glibc)
    if getenv("MALLOC_ARENA_MAX") == nil { _ = mallopt(CMalloc_arena_max, 1) }
  #endif
}
