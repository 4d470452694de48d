// `flight get --output PATH` for every kind of path: devices, FIFOs and `-` are written
// through; a symbolic link's target is written and the link kept; a regular file is replaced
// whole (keeping its permissions) and a failed transfer leaves it as it was. And the server's
// data directory replaces its files, never writes through a link planted there.

internal import Foundation
internal import InteropSupport
internal import Testing

#if canImport(Glibc)
  internal import Glibc
#elseif canImport(Musl)
  internal import Musl
#endif

/// `lstat` of `path`.
func fileStatus(_ path: String) throws -> stat {
  var status = stat()
  guard lstat(path, &status) == 0 else {
    throw InteropError("cannot lstat \(path): \(String(cString: strerror(errno)))")
  }
  return status
}

/// The file type bits of `path` (S_IFREG, S_IFLNK, ...), not following a link.
func fileType(_ path: String) throws -> mode_t { try fileStatus(path).st_mode & S_IFMT }

/// The bytes of the file at `path`.
func contents(_ path: String) throws -> Data { try Data(contentsOf: URL(fileURLWithPath: path)) }

@Suite("flight get --output on every kind of path", .serialized)
struct OutputPathTests {
  /// Runs `body` with a server holding the sample tables and the reference bytes of
  /// dataset/sales fetched to a new regular file in each format (checked by pyarrow).
  func withReference(
    _ body: (_ location: [String], _ directory: URL, _ reference: [String: Data]) async throws -> Void
  ) async throws {
    let directory = try temporaryDirectory("flight-output")
    defer { try? FileManager.default.removeItem(at: directory) }
    try await InteropLock.run {
      try await withFlightServer(["--port", "0"]) { server in
        let location = ["--location", server.location]
        var reference: [String: Data] = [:]
        for format in ["file", "stream"] {
          let path = directory.appendingPathComponent("reference.\(format)").path
          expectSuccess(
            try await flight(["get", "--path", "dataset/sales", "--output", path, "--format", format] + location))
          let rows = try await runPython([
            "-c",
            """
            import sys, pyarrow as pa
            data = open(sys.argv[1], 'rb').read()
            reader = pa.ipc.open_file(data) if data[:6] == b'ARROW1' else pa.ipc.open_stream(data)
            print(reader.read_all().num_rows)
            """,
            path,
          ])
          #expect(rows == "3\n")
          #expect(try fileStatus(path).st_mode & 0o777 == 0o666 & ~currentUmask())
          reference[format] = try contents(path)
          try FileManager.default.removeItem(atPath: path)
        }
        try await body(location, directory, reference)
      }
    }
  }

  @Test func characterDeviceIsWrittenThroughNotReplaced() async throws {
    try await withReference { location, directory, _ in
      let device = directory.appendingPathComponent("null").path
      let number = dev_t((1 << 8) | 3)  // 1:3, the null device, made here: never /dev/null itself
      guard mknod(device, S_IFCHR | 0o666, number) == 0 else {
        Issue.record("mknod failed (tests run as root): \(String(cString: strerror(errno)))")
        return
      }
      for format in ["file", "stream"] {
        expectSuccess(
          try await flight(["get", "--path", "dataset/sales", "--output", device, "--format", format] + location))
        #expect(try fileType(device) == S_IFCHR)
        #expect(try fileStatus(device).st_rdev == number)
      }
      expectError(try await flight(["get", "--path", "no/such", "--output", device] + location), kind: "notFound")
      #expect(try fileType(device) == S_IFCHR)
      #expect(try FileManager.default.contentsOfDirectory(atPath: directory.path) == ["null"])
    }
  }

  @Test func fifoIsWrittenThroughToItsReader() async throws {
    try await withReference { location, directory, reference in
      let fifo = directory.appendingPathComponent("pipe").path
      #expect(mkfifo(fifo, 0o600) == 0)
      let drained = directory.appendingPathComponent("drained").path
      let drain = [
        "-c", "import sys; data = open(sys.argv[1], 'rb').read(); open(sys.argv[2], 'wb').write(data)", fifo, drained,
      ]
      for format in ["file", "stream"] {
        let reader = Task { try await runPython(drain, timeout: hangWatchdog) }
        expectSuccess(
          try await flight(
            ["get", "--path", "dataset/sales", "--output", fifo, "--format", format] + location, timeout: hangWatchdog))
        _ = try await reader.value
        #expect(try contents(drained) == reference[format])
        #expect(try fileType(fifo) == S_IFIFO)
      }
      // A failed transfer closes the FIFO: its reader sees the end instead of waiting forever.
      let reader = Task { try await runPython(drain, timeout: hangWatchdog) }
      expectError(
        try await flight(["get", "--path", "no/such", "--output", fifo] + location, timeout: hangWatchdog),
        kind: "notFound")
      _ = try await reader.value
      #expect(try contents(drained).isEmpty)
      #expect(try FileManager.default.contentsOfDirectory(atPath: directory.path).sorted() == ["drained", "pipe"])
    }
  }

  @Test func dashIsStandardOutput() async throws {
    try await withReference { location, directory, reference in
      let captured = directory.appendingPathComponent("stdout").path
      for format in ["file", "stream"] {
        // Through a shell, so that stdout is a file and the bytes are kept as they are.
        let result = try await TestProcess.run(
          URL(fileURLWithPath: "/bin/sh"),
          [
            "-c", #"exec "$0" "$@" > "$CAPTURE""#, try flightExecutable().path, "get", "--path", "dataset/sales",
            "--output", "-", "--format", format,
          ] + location,
          environment: ["CAPTURE": captured], timeout: hangWatchdog)
        #expect(result.status == 0 && result.stderr.isEmpty, "\(result)")
        #expect(try contents(captured) == reference[format])
      }
      #expect(!FileManager.default.fileExists(atPath: directory.appendingPathComponent("-").path))
    }
  }

  @Test func symbolicLinkTargetIsWrittenAndTheLinkKept() async throws {
    try await withReference { location, directory, reference in
      func path(_ name: String) -> String { directory.appendingPathComponent(name).path }
      try Data("old".utf8).write(to: URL(fileURLWithPath: path("target.arrow")))
      #expect(chmod(path("target.arrow"), 0o640) == 0)
      try FileManager.default.createSymbolicLink(atPath: path("link"), withDestinationPath: "target.arrow")
      try FileManager.default.createSymbolicLink(atPath: path("chain"), withDestinationPath: path("link"))
      try FileManager.default.createSymbolicLink(atPath: path("dangling"), withDestinationPath: "created.arrows")

      expectSuccess(try await flight(["get", "--path", "dataset/sales", "--output", path("link")] + location))
      #expect(try fileType(path("link")) == S_IFLNK)
      #expect(try FileManager.default.destinationOfSymbolicLink(atPath: path("link")) == "target.arrow")
      #expect(try contents(path("target.arrow")) == reference["file"])
      #expect(try fileStatus(path("target.arrow")).st_mode & 0o7777 == 0o640)

      try Data("old".utf8).write(to: URL(fileURLWithPath: path("target.arrow")))
      expectSuccess(
        try await flight(
          ["get", "--path", "dataset/sales", "--output", path("chain"), "--format", "stream"] + location))
      #expect(try fileType(path("chain")) == S_IFLNK)
      #expect(try fileType(path("link")) == S_IFLNK)
      #expect(try contents(path("target.arrow")) == reference["stream"])

      // A link to a file that does not exist yet: the file is created where the link points.
      expectSuccess(
        try await flight(
          ["get", "--path", "dataset/sales", "--output", path("dangling"), "--format", "stream"] + location))
      #expect(try fileType(path("dangling")) == S_IFLNK)
      #expect(try contents(path("created.arrows")) == reference["stream"])
      let names = try FileManager.default.contentsOfDirectory(atPath: directory.path).sorted()
      #expect(names == ["chain", "created.arrows", "dangling", "link", "target.arrow"])
    }
  }

  @Test func regularFileIsReplacedWholeKeepingItsPermissions() async throws {
    try await withReference { location, directory, reference in
      let file = directory.appendingPathComponent("existing.arrow").path
      try Data("old".utf8).write(to: URL(fileURLWithPath: file))
      #expect(chmod(file, 0o640) == 0)
      expectSuccess(try await flight(["get", "--path", "dataset/sales", "--output", file] + location))
      #expect(try fileType(file) == S_IFREG)
      #expect(try fileStatus(file).st_mode & 0o7777 == 0o640)
      #expect(try contents(file) == reference["file"])

      // A failed transfer leaves the file as it was, and no temporary file.
      expectError(try await flight(["get", "--path", "no/such", "--output", file] + location), kind: "notFound")
      #expect(try contents(file) == reference["file"])
      #expect(try fileStatus(file).st_mode & 0o7777 == 0o640)
      #expect(try FileManager.default.contentsOfDirectory(atPath: directory.path) == ["existing.arrow"])

      // A directory is refused.
      expectError(
        try await flight(["get", "--path", "dataset/sales", "--output", directory.path] + location), kind: "io")
    }
  }

  @Test func dataDirectoryReplacesItsFilesAndNeverWritesThroughALink() async throws {
    let directory = try temporaryDirectory("flight-output")
    defer { try? FileManager.default.removeItem(at: directory) }
    func path(_ name: String) -> String { directory.appendingPathComponent(name).path }
    let data = path("data")
    try await InteropLock.run {
      try await withFlightServer(["--port", "0", "--data-dir", data]) { server in
        let location = ["--location", server.location]
        expectSuccess(try await flight(["get", "--path", "dataset/sales", "--output", path("sales.arrow")] + location))
        expectSuccess(try await flight(["put", "--path", "kept/table", "--input", path("sales.arrow")] + location))
        let stored = data + "/kept/table.arrow"
        #expect(try fileType(stored) == S_IFREG)
        #expect(try fileStatus(stored).st_mode & 0o777 == 0o644 & ~currentUmask())

        // A link planted in the data directory is replaced by the next put, not written through.
        try Data("outside".utf8).write(to: URL(fileURLWithPath: path("outside")))
        try FileManager.default.removeItem(atPath: stored)
        try FileManager.default.createSymbolicLink(atPath: stored, withDestinationPath: path("outside"))
        expectSuccess(try await flight(["put", "--path", "kept/table", "--input", path("sales.arrow")] + location))
        #expect(try fileType(stored) == S_IFREG)
        #expect(try contents(path("outside")) == Data("outside".utf8))
        let leftovers = try FileManager.default.subpathsOfDirectory(atPath: data).filter { $0.hasSuffix(".tmp") }
        #expect(leftovers.isEmpty)
      }
    }
  }
}

/// The process's umask, from /proc/self/status (reading it with umask(2) would change it
/// for a moment under concurrent tests); 0o022 where that is not available.
func currentUmask() -> mode_t {
  guard let status = try? String(contentsOfFile: "/proc/self/status", encoding: .utf8),
    let line = status.split(separator: "\n").first(where: { $0.hasPrefix("Umask:") }),
    let mask = mode_t(line.dropFirst("Umask:".count).trimmingCharacters(in: .whitespaces), radix: 8)
  else { return 0o022 }
  return mask
}
