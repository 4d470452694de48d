// Hostile input: the OSS-Fuzz inputs of arrow-testing and the findings of our own fuzz targets
// (Fuzz/Regressions) are refused with an ArrowError, or read as pyarrow reads them, never a
// crash or a hang; and the reader caps a message before allocating it.

internal import ArrowCore
internal import Foundation
internal import InteropSupport
internal import Testing

@_spi(Fuzzing) @testable internal import ArrowIPC

/// The arrow-testing data directory from `ARROW_TEST_DATA` (Arrow's convention), when set.
private let arrowTestData: URL? = ProcessInfo.processInfo.environment["ARROW_TEST_DATA"].map {
  URL(fileURLWithPath: $0)
}

/// What reading one input gave.
private enum Outcome: Sendable {
  case read([RecordBatch])
  case refused(ArrowError)
  case otherError(String)
}

private func outcome(_ body: () throws -> [RecordBatch]) -> Outcome {
  do { return .read(try body()) } catch let error as ArrowError { return .refused(error) } catch {
    return .otherError("\(error)")
  }
}

/// Reads a stream file through the mapped-buffer reader and the file-handle reader.
private func readStream(_ url: URL) -> (mapped: Outcome, handle: Outcome) {
  let mapped = outcome {
    var reader = try IPCStreamReader(contentsOfFile: url.path)
    return try reader.readAll()
  }
  let handle = outcome {
    let file = try FileHandle(forReadingFrom: url)
    defer { try? file.close() }
    var reader = try IPCStreamReader(fileHandle: file)
    return try reader.readAll()
  }
  return (mapped, handle)
}

/// The result of watched work, written by its thread before the semaphore is signalled.
private final class WatchdogBox<Value>: @unchecked Sendable {
  var value: Value?
}

/// Runs `work` on a thread of its own and waits at most `seconds` for it: nil when it did not
/// finish (a hang; the thread is left behind, the test fails).
private func withWatchdog<Value: Sendable>(seconds: Double, _ work: @escaping @Sendable () -> Value) -> Value? {
  let box = WatchdogBox<Value>()
  let done = DispatchSemaphore(value: 0)
  Thread {
    box.value = work()
    done.signal()
  }.start()
  guard done.wait(timeout: .now() + seconds) == .success else { return nil }
  return box.value
}

/// Reads a file-format file.
private func readFile(_ url: URL) -> Outcome {
  outcome {
    let reader = try IPCFileReader(contentsOfFile: url.path)
    return try reader.readAll()
  }
}

/// The fuzz inputs of an arrow-testing folder (`arrow-ipc-stream`, `arrow-ipc-file`): its
/// top-level files but the README.
private func fuzzInputs(in folder: URL) throws -> [String] {
  try FileManager.default.contentsOfDirectory(atPath: folder.path).filter { name in
    var isDirectory: ObjCBool = false
    let exists = FileManager.default.fileExists(
      atPath: folder.appendingPathComponent(name).path, isDirectory: &isDirectory)
    return exists && !isDirectory.boolValue && !name.hasPrefix("README") && !name.hasPrefix(".")
  }.sorted()
}

/// `check stream|file DIR OUT NAME...`: for each input, prints `name<TAB>ok` after writing what
/// pyarrow reads (and fully validates) to OUT/name as a clean stream, or `name<TAB>error`.
private let pyarrowVerdicts = #"""
  import os, sys
  import pyarrow as pa
  import pyarrow.ipc as ipc

  form, corpus, out = sys.argv[2], sys.argv[3], sys.argv[4]
  for name in sys.argv[5:]:
      try:
          source = pa.memory_map(os.path.join(corpus, name))
          if form == "stream":
              table = ipc.open_stream(source).read_all()
          else:
              table = ipc.open_file(source).read_all()
          table.validate(full=True)
      except Exception as error:
          print(f"{name}\terror\t{type(error).__name__}: {str(error)[:100]!r}")
          continue
      with ipc.new_stream(os.path.join(out, name), table.schema) as writer:
          writer.write_table(table)
      print(f"{name}\tok")
  """#

@Suite("Hostile input", .serialized) struct HostileInputTests {
  /// Replays one fuzz corpus of arrow-testing: each input is refused with an ArrowError where
  /// pyarrow refuses it (or reads it but it fails full validation), and read to the same
  /// values where pyarrow reads it; the whole corpus under one 60 s watchdog.
  private func replayCorpus(_ folderName: String, stream: Bool) async throws {
    let corpus = try #require(arrowTestData).appendingPathComponent(folderName)
    let names = try fuzzInputs(in: corpus)
    #expect(names.count >= 50, "expected the arrow-testing fuzz inputs in \(corpus.path)")

    let clean = FileManager.default.temporaryDirectory.appendingPathComponent("fuzz-corpus-\(UUID().uuidString)")
    try FileManager.default.createDirectory(at: clean, withIntermediateDirectories: true)
    defer { try? FileManager.default.removeItem(at: clean) }
    var pyarrowReads: Set<String> = []
    try await InteropLock.run {
      let output = try await runPython(
        ["-c", pyarrowVerdicts, "check", stream ? "stream" : "file", corpus.path, clean.path] + names)
      for line in output.split(separator: "\n") {
        let columns = line.split(separator: "\t")
        if columns.count >= 2, columns[1] == "ok" { pyarrowReads.insert(String(columns[0])) }
      }
    }

    // The whole corpus (streams through both readers) under one watchdog.
    let results = withWatchdog(seconds: 60) { () -> [(String, [(String, Outcome)], Double)] in
      names.map { name in
        let url = corpus.appendingPathComponent(name)
        let start = DispatchTime.now().uptimeNanoseconds
        let outcomes: [(String, Outcome)]
        if stream {
          let (mapped, handle) = readStream(url)
          outcomes = [("mapped", mapped), ("file handle", handle)]
        } else {
          outcomes = [("file", readFile(url))]
        }
        return (name, outcomes, Double(DispatchTime.now().uptimeNanoseconds - start) / 1e9)
      }
    }
    let replayed = try #require(results, "reading \(folderName) did not finish within 60 s (a hang)")
    for (name, outcomes, _) in replayed {
      for (reader, result) in outcomes {
        switch result {
        case .otherError(let description):
          Issue.record("\(name) (\(reader)): not an ArrowError: \(description)")
        case .refused(let error):
          #expect(!pyarrowReads.contains(name), "\(name) (\(reader)): pyarrow reads it, we refuse it: \(error)")
        case .read(let batches):
          guard pyarrowReads.contains(name) else {
            Issue.record("\(name) (\(reader)): pyarrow refuses it, we read \(batches.count) batches")
            continue
          }
          var expected = try IPCStreamReader(contentsOfFile: clean.appendingPathComponent(name).path)
          let expectedTable = try expected.readTable()
          let table = try Table(batches: batches, schema: batches.first?.schema ?? expectedTable.schema)
          #expect(table.length == expectedTable.length, "\(name) (\(reader))")
          #expect(table == expectedTable, "\(name) (\(reader))")
        }
      }
    }
    if let slowest = replayed.max(by: { $0.2 < $1.2 }) {
      let total = replayed.reduce(0) { $0 + $1.2 }
      print(
        "\(folderName): \(replayed.count) inputs (pyarrow reads \(pyarrowReads.count)) in "
          + "\(String(format: "%.3f", total)) s; slowest \(slowest.0) (\(String(format: "%.3f", slowest.2)) s)")
    }
  }

  @Test(
    "Every arrow-ipc-stream fuzz input is refused with an ArrowError or read as pyarrow reads it, within 60 s",
    .enabled(if: arrowTestData != nil, "ARROW_TEST_DATA is not set"))
  func streamFuzzCorpus() async throws {
    try await replayCorpus("arrow-ipc-stream", stream: true)
  }

  @Test(
    "Every arrow-ipc-file fuzz input is refused with an ArrowError or read as pyarrow reads it, within 60 s",
    .enabled(
      if: arrowTestData.map { FileManager.default.fileExists(atPath: $0.appendingPathComponent("arrow-ipc-file").path) }
        ?? false,
      "ARROW_TEST_DATA is not set or has no arrow-ipc-file folder"))
  func fileFuzzCorpus() async throws {
    try await replayCorpus("arrow-ipc-file", stream: false)
  }

  @Test("The fuzz targets' findings (Fuzz/Regressions) are refused or read cleanly, within 60 s")
  func fuzzRegressions() throws {
    let root = InteropEnvironment.repositoryRoot.appendingPathComponent("Fuzz/Regressions")
    func inputs(_ target: String) -> [URL] {
      let folder = root.appendingPathComponent(target)
      let names = (try? FileManager.default.contentsOfDirectory(atPath: folder.path)) ?? []
      return names.filter { !$0.hasPrefix(".") }.sorted().map { folder.appendingPathComponent($0) }
    }
    let streams = inputs("stream")
    let files = inputs("file")
    let flatBuffers = inputs("flatbuffers")
    #expect(!(streams + files + flatBuffers).isEmpty, "no regression inputs under \(root.path)")

    let failures = withWatchdog(seconds: 60) { () -> [String] in
      var failures: [String] = []
      func check(_ url: URL, _ result: Outcome) {
        switch result {
        case .otherError(let description):
          failures.append("\(url.lastPathComponent): not an ArrowError: \(description)")
        case .read(let batches):
          // As the reader checks on read: everything but decimal precision (only full
          // validation reports values wider than it, which Arrow's own generators write).
          for column in batches.flatMap(\.columns) {
            if let error = arrowError({ try column.data.validate(.safe) }) {
              failures.append("\(url.lastPathComponent): an accepted batch does not validate: \(error)")
            }
          }
        case .refused: break
        }
      }
      for url in streams {
        let (mapped, handle) = readStream(url)
        check(url, mapped)
        check(url, handle)
      }
      for url in files { check(url, readFile(url)) }
      for url in flatBuffers {
        guard let bytes = try? Data(contentsOf: url) else {
          failures.append("\(url.lastPathComponent): cannot read")
          continue
        }
        check(
          url,
          outcome {
            try IPCMetadataFuzzing.readMessage(Buffer(copying: bytes))
            return []
          })
        check(
          url,
          outcome {
            try IPCMetadataFuzzing.readFooter(Buffer(copying: bytes))
            return []
          })
      }
      return failures
    }
    let found = try #require(failures, "replaying Fuzz/Regressions did not finish within 60 s (a hang)")
    #expect(found.isEmpty, "\(found.joined(separator: "\n"))")
  }

  @Test func aMessageOverTheLimitIsRefusedBeforeItIsRead() throws {
    let batch = try RecordBatch([("x", Int64Array((0..<1000).map { Int64($0) }))])
    let stream = try IPCStreamWriter.serialize([batch], schema: batch.schema)
    let options = IPCReadOptions(maximumMessageBytes: 4096)

    // From a buffer: the schema message fits, the batch (8,000 bytes of body) does not.
    var reader = try IPCStreamReader(stream, options: options)
    let error = arrowError { _ = try reader.next() }
    #expect(error?.message.contains("maximumMessageBytes") == true, "\(String(describing: error))")

    // From a pipe whose writer declares a body of 1 TiB and sends 8 bytes: refused from the
    // metadata under the limit, and under the default limit read in bounded pieces until the
    // stream ends (no 1 TiB allocation).
    let lie = IPCMessage(header: .recordBatch(IPCRecordBatch(length: 0, nodes: [], buffers: [])), bodyLength: 1 << 40)
    let schemaMessage = try MessageFraming.readMessage(from: stream, at: 0)
    let schemaLength = try #require(schemaMessage).nextOffset
    let lying = Array(stream.slice(0..<schemaLength)) + MessageFraming.encapsulate(lie.flatBuffer()) + [1, 2, 3, 4]
    for (limit, expected) in [(4096, "maximumMessageBytes"), (1 << 41, "ends inside a message")] {
      let pipe = Pipe()
      pipe.fileHandleForWriting.write(Data(lying))
      try pipe.fileHandleForWriting.close()
      var piped = try IPCStreamReader(
        fileHandle: pipe.fileHandleForReading, options: IPCReadOptions(maximumMessageBytes: limit))
      let error = arrowError { _ = try piped.next() }
      #expect(error?.message.contains(expected) == true, "limit \(limit): \(String(describing: error))")
    }
  }
}
