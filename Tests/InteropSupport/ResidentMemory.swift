// The memory this test process holds, for the tests that bound how much a stream or a run of
// calls may use.

internal import Foundation

#if canImport(Glibc)
  internal import Glibc
#endif

/// The resident set size of this process, in bytes (Linux: the second field of
/// `/proc/self/statm`, in pages); 0 where that file cannot be read.
///
/// Memory that freed heap blocks still hold counts: a test that must not count what other,
/// concurrent tests freed returns free heap memory to the system first.
public func residentMemory() -> Int {
  guard let statm = try? String(contentsOfFile: "/proc/self/statm", encoding: .utf8) else { return 0 }
  let fields = statm.split(separator: " ")
  guard fields.count > 1, let pages = Int(fields[1]) else { return 0 }
  return pages * Int(sysconf(Int32(_SC_PAGESIZE)))
}
