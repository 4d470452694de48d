// `flight put` and `flight get` when the data turns bad part way: the command cancels the call
// and exits non-zero with one error line, never hangs. The bad inputs are made by
// Tests/Peers/failing_streams.py: batch N of an otherwise valid stream or file has a string
// offset pointing far past its data (framing intact), which every reader must refuse; its
// `serve` command is a raw grpcio server whose DoGet streams such a batch.

internal import Foundation
internal import InteropSupport
internal import Testing

@Suite("flight put and get when the data turns bad", .serialized)
struct FailingTransferTests {
  /// The batch positions a bad batch is put at, of 5: first, middle, last.
  static let badPositions = [0, 2, 4]

  @Test func putOfAnInputThatTurnsBadCancelsTheUpload() async throws {
    let directory = try temporaryDirectory()
    defer { try? FileManager.default.removeItem(at: directory) }
    func file(_ name: String) -> String { directory.appendingPathComponent(name).path }
    try await InteropLock.run {
      for format in ["stream", "file"] {
        for position in Self.badPositions {
          _ = try await runPythonScript(
            "failing_streams.py",
            arguments: ["write", file("bad-\(position).\(format)"), "--format", format, "--bad-at", String(position)])
        }
        _ = try await runPythonScript(
          "failing_streams.py", arguments: ["write", file("good.\(format)"), "--format", format])
      }
      try await withFlightServer(["--port", "0", "--data-dir", file("data")]) { server in
        let location = ["--location", server.location]
        for format in ["stream", "file"] {
          for position in Self.badPositions {
            let input = file("bad-\(position).\(format)")
            let put = try await flight(
              ["put", "--path", "bad/\(format)-\(position)", "--input", input] + location, timeout: hangWatchdog)
            expectFailedPromptly(put, kind: "invalid", containing: "batch \(position + 1) cannot be read")
            #expect(put.stdout.isEmpty, "\(put)")
          }
        }
        // The cancelled uploads stored nothing; the server still takes a good one.
        let listed = try await flight(["list", "--criteria", "bad/"] + location)
        expectSuccess(listed)
        #expect(listed.lines == ["(no flights)"], "\(listed)")
        let good = try await flight(["put", "--path", "good/one", "--input", file("good.stream")] + location)
        expectSuccess(good)
        #expect(good.stdout.hasPrefix("Uploaded 15 rows (5 batches, "), "\(good)")
      }
      let stored = try FileManager.default.subpathsOfDirectory(atPath: file("data")).filter { $0.hasSuffix(".arrow") }
      #expect(stored.sorted() == ["dataset/products.arrow", "dataset/sales.arrow", "good/one.arrow"])
    }
  }

  @Test(
    "flight put of every arrow-testing fuzz input ends: uploaded, or one error line",
    .enabled(if: ArrowTestData.isAvailable, "ARROW_TEST_DATA is not set"))
  func putOfEveryFuzzInputEnds() async throws {
    let data = try #require(ArrowTestData.directory)
    var inputs: [URL] = []
    for folder in ["arrow-ipc-stream", "arrow-ipc-file"] {
      let directory = data.appendingPathComponent(folder)
      for name in (try? FileManager.default.contentsOfDirectory(atPath: directory.path)) ?? [] {
        var isDirectory: ObjCBool = false
        let url = directory.appendingPathComponent(name)
        if FileManager.default.fileExists(atPath: url.path, isDirectory: &isDirectory), !isDirectory.boolValue {
          inputs.append(url)
        }
      }
    }
    #expect(!inputs.isEmpty, "no fuzz inputs under \(data.path)")
    try await InteropLock.run {
      try await withFlightServer(["--port", "0"]) { server in
        let location = ["--location", server.location]
        for (index, input) in inputs.sorted(by: { $0.path < $1.path }).enumerated() {
          let put = try await flight(
            ["put", "--path", "fuzz/\(index)", "--input", input.path] + location, timeout: hangWatchdog)
          let name = input.lastPathComponent
          #expect(!put.signaled, "\(name) hung and was killed: \(put)")
          if put.status == 0 {
            #expect(put.stdout.hasPrefix("Uploaded "), "\(name): \(put)")
          } else {
            // One line, `error: <kind>: <message>`, whatever the kind (invalid, ioError...).
            let lines = put.stderr.split(separator: "\n").filter { !$0.isEmpty }
            #expect(lines.count == 1 && put.stderr.hasPrefix("error: "), "\(name): \(put)")
          }
        }
        // The server still serves.
        expectSuccess(try await flight(["list"] + location))
      }
    }
  }

  @Test func getOfAStreamThatTurnsBadFailsAndLeavesNoFile() async throws {
    let directory = try temporaryDirectory()
    defer { try? FileManager.default.removeItem(at: directory) }
    let output = directory.appendingPathComponent("out.arrow").path
    try await InteropLock.run {
      try await withPeer("failing_streams.py", args: ["serve"]) { peer in
        let location = ["--location", peer.location]
        // -1: good batches keep coming after the bad one until the client cancels.
        for (count, position) in Self.badPositions.map({ (5, $0) }) + [(-1, 2)] {
          let ticket = #"{"batches": \#(count), "bad_at": \#(position)}"#
          for format in ["file", "stream"] {
            let get = try await flight(
              ["get", "--ticket", ticket, "--output", output, "--format", format] + location, timeout: hangWatchdog)
            expectFailedPromptly(get, kind: "invalidArgument", containing: "beyond the data buffer")
            #expect(!FileManager.default.fileExists(atPath: output), "a failed get left \(output) behind")
          }
          let printed = try await flight(["get", "--ticket", ticket] + location, timeout: hangWatchdog)
          expectFailedPromptly(printed, kind: "invalidArgument", containing: "beyond the data buffer")
          #expect(printed.stdout.isEmpty, "\(printed)")
        }
        // The endless stream ended because the client cancelled it.
        let events = try await flight(["action", "events"] + location)
        expectSuccess(events)
        #expect(events.stdout.contains(#"{\"batches\": -1, \"bad_at\": 2}: cancelled"#), "\(events)")
        // A good stream from the same server is fetched whole.
        let good = try await flight(
          ["get", "--ticket", #"{"batches": 5, "bad_at": -1}"#, "--output", output] + location)
        expectSuccess(good)
        #expect(FileManager.default.fileExists(atPath: output))
      }
    }
  }
}
