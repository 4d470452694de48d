// Files that Arrow implementations wrote, through the tool as a user would move them:
// `flight put --input FILE` to `flight serve`, then `flight get --format stream`, compared
// by pyarrow with its own reading of the original (values, schema, batch custom metadata).

internal import Foundation
internal import InteropSupport
internal import Testing

@Suite("gold files through flight put and get", .serialized)
struct GoldFileCLITests {
  @Test(
    "Every arrow-testing integration file survives flight put, the persistent store and flight get --format stream",
    .enabled(if: ArrowTestData.isAvailable, "ARROW_TEST_DATA is not set"))
  func integrationFilesThroughTheTool() async throws {
    let files = try ArrowTestData.integrationFiles()
    let directory = try temporaryDirectory("gold-cli")
    defer { try? FileManager.default.removeItem(at: directory) }
    var pairs: [(original: String, candidate: String)] = []
    let data = directory.appendingPathComponent("data").path
    try await InteropLock.run {
      // Put into a persistent store, then get from a second server that loaded it from disk.
      var stored: [Int] = []
      try await withFlightServer(["--port", "0", "--data-dir", data]) { server in
        for (index, file) in files.enumerated() {
          let put = try await flight([
            "put", "--path", "gold/\(index)", "--input", file.path, "--location", server.location,
          ])
          guard put.status == 0 else {
            Issue.record("\(ArrowTestData.label(file)): flight put failed: \(put)")
            continue
          }
          stored.append(index)
        }
      }
      try await withFlightServer(["--port", "0", "--data-dir", data]) { server in
        for index in stored {
          let output = directory.appendingPathComponent("\(index).arrows").path
          let get = try await flight(
            ["get", "--path", "gold/\(index)", "--output", output, "--format", "stream", "--location", server.location])
          guard get.status == 0 else {
            Issue.record("\(ArrowTestData.label(files[index])): flight get failed: \(get)")
            continue
          }
          pairs.append((files[index].path, output))
        }
      }
      #expect(pairs.count == files.count)
      for (pair, result) in zip(pairs, try await comparePyArrowReadings(pairs)) {
        let label = ArrowTestData.label(URL(fileURLWithPath: pair.original))
        for problem in result.problems { Issue.record("\(label) after put and get: \(problem)") }
      }
    }
  }

  @Test func replacedDictionariesNeedTheStreamFormat() async throws {
    let directory = try temporaryDirectory("gold-cli")
    defer { try? FileManager.default.removeItem(at: directory) }
    func file(_ name: String) -> String { directory.appendingPathComponent(name).path }
    try await InteropLock.run {
      _ = try await runPythonScript("arrow_gold.py", arguments: ["replacements", file("replaced.arrows")])
      try await withFlightServer(["--port", "0"]) { server in
        let location = ["--location", server.location]
        expectSuccess(try await flight(["put", "--path", "replaced", "--input", file("replaced.arrows")] + location))
        // The file format holds one dictionary per id: a clear error, and no file.
        let asFile = try await flight(
          ["get", "--path", "replaced", "--output", file("out.arrow"), "--format", "file"] + location)
        expectError(asFile, kind: "invalid")
        #expect(asFile.stderr.contains("--format stream"), "\(asFile)")
        #expect(!FileManager.default.fileExists(atPath: file("out.arrow")))
        // The stream format holds it, batch metadata included.
        expectSuccess(
          try await flight(
            ["get", "--path", "replaced", "--output", file("out.arrows"), "--format", "stream"] + location))
      }
      let results = try await comparePyArrowReadings([(file("replaced.arrows"), file("out.arrows"))])
      #expect(results.first?.problems == [])
      #expect(results.first?.batches == [3, 3])
    }
  }
}
