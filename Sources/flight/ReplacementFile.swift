// A file written under a temporary name beside its path and renamed over it once complete:
// what `flight get --output` does for regular files and the server's data directory does for
// every table.

internal import Foundation

#if canImport(Glibc)
  internal import Glibc
#elseif canImport(Musl)
  internal import Musl
#elseif canImport(Darwin)
  internal import Darwin
#endif

/// Why a file could not be written: a sentence naming the file and the reason.
struct FileWriteError: Error {
  var message: String
}

/// A new version of the file at `path`, written to a temporary file in the same directory and
/// renamed over `path` by ``commit()``: readers of `path` see the old file or the whole new
/// one, never a part, and a failed write leaves `path` as it was.
///
/// The rename replaces whatever `path` names (a symbolic link itself, a device node), so use
/// it only where a regular file belongs; temporary files are named `.<name>.<pid>.<n>.tmp`.
final class ReplacementFile {
  /// The path the file replaces.
  let path: String
  /// The temporary file, renamed to `path` by ``commit()``.
  let temporary: String
  /// Where to write the contents.
  let handle: FileHandle
  private var descriptor: Int32?

  /// Creates the temporary file. A file that does not exist yet gets `newFileMode` (less the
  /// umask); with `existing`, the status of the file being replaced, its permission bits and
  /// (when allowed) its owner and group are kept.
  init(replacing path: String, newFileMode: mode_t = 0o666, existing: stat? = nil) throws(FileWriteError) {
    self.path = path
    let url = URL(fileURLWithPath: path)
    temporary =
      url.deletingLastPathComponent().appendingPathComponent(
        ".\(url.lastPathComponent).\(getpid()).\(UInt32.random(in: 0...UInt32.max)).tmp"
      ).path
    let descriptor = open(temporary, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, newFileMode)
    guard descriptor >= 0 else {
      throw FileWriteError(message: "cannot write \(path): cannot create a file beside it: \(errnoText())")
    }
    if let existing {
      if existing.st_uid != geteuid() || existing.st_gid != getegid() {
        _ = fchown(descriptor, existing.st_uid, existing.st_gid)  // best effort: only root may give files away
      }
      if fchmod(descriptor, existing.st_mode & 0o7777) != 0 {
        let reason = errnoText()
        close(descriptor)
        unlink(temporary)
        throw FileWriteError(message: "cannot write \(path): cannot keep its permissions: \(reason)")
      }
    }
    self.descriptor = descriptor
    handle = FileHandle(fileDescriptor: descriptor, closeOnDealloc: false)
  }

  deinit {
    discard()
  }

  /// Syncs the contents to disk and renames the temporary file over `path` (then syncs the
  /// directory, best effort, so the rename survives a crash). On failure nothing is left behind.
  func commit() throws(FileWriteError) {
    guard let descriptor else { throw FileWriteError(message: "cannot write \(path): the file was discarded") }
    self.descriptor = nil
    var failure: String?
    if fsync(descriptor) != 0 { failure = errnoText() }
    if close(descriptor) != 0 && failure == nil { failure = errnoText() }
    if failure == nil && rename(temporary, path) != 0 { failure = errnoText() }
    if let failure {
      unlink(temporary)
      throw FileWriteError(message: "cannot write \(path): \(failure)")
    }
    syncDirectory(URL(fileURLWithPath: path).deletingLastPathComponent().path)
  }

  /// Removes the temporary file; `path` stays as it was. Does nothing after ``commit()``.
  func discard() {
    guard let descriptor else { return }
    self.descriptor = nil
    close(descriptor)
    unlink(temporary)
  }
}

/// Syncs a directory so a rename or unlink in it survives a crash (best effort).
func syncDirectory(_ path: String) {
  let descriptor = open(path, O_RDONLY | O_DIRECTORY | O_CLOEXEC)
  guard descriptor >= 0 else { return }
  fsync(descriptor)
  close(descriptor)
}

/// The text of the current `errno`.
func errnoText() -> String {
  String(cString: strerror(errno))
}
