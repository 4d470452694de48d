// glibc malloc tuning, declared by hand: <malloc.h> would pull libc headers into a [system]
// module and clash with Glibc's own (fd_set). Only glibc provides these; callers guard with
// `#if canImport(Glibc)`.
#ifndef CMALLOC_SHIM_H
#define CMALLOC_SHIM_H

/// glibc's mallopt (from <malloc.h>).
extern int mallopt(int param, int value);

/// glibc's malloc_trim (from <malloc.h>): returns free heap memory to the system.
extern int malloc_trim(unsigned long pad);

/// glibc's M_TRIM_THRESHOLD, M_MMAP_THRESHOLD and M_ARENA_MAX parameter numbers.
static const int CMalloc_trim_threshold = -1;
static const int CMalloc_mmap_threshold = -3;
static const int CMalloc_arena_max = -8;

#endif
