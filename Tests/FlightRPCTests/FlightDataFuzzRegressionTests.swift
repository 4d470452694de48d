// The FlightData fuzz target's findings (Fuzz/Regressions/flightdata) and the IPC stream
// findings (Fuzz/Regressions/stream) re-framed as FlightData: each message decodes to a
// FlightData or a ProtoError, and its Arrow data to batches that validate or an ArrowError,
// never a crash or a hang.

internal import ArrowIPC
internal import FlightRPC
internal import Foundation
internal import InteropSupport
internal import Testing

/// Splits a FuzzFlightData input into its messages: each after a 4-byte little-endian length
/// (a length past the end takes what is left), as the fuzz target reads them.
private func flightDataMessages(_ bytes: [UInt8]) -> [[UInt8]] {
  var messages: [[UInt8]] = []
  var offset = 0
  while offset + 4 <= bytes.count {
    let declared = (0..<4).reduce(0) { $0 | Int(bytes[offset + $1]) << ($1 * 8) }
    offset += 4
    let length = min(declared, bytes.count - offset)
    messages.append(Array(bytes[offset..<offset + length]))
    offset += length
  }
  return messages
}

/// The FlightData messages a stream's messages travel in: `data_header` (field 2) holds the
/// metadata, `data_body` (field 1000) the body. Stops at the first message that does not frame.
private func flightDataMessages(ofStream bytes: [UInt8]) -> [[UInt8]] {
  func varint(_ value: Int) -> [UInt8] {
    var value = UInt64(value)
    var out: [UInt8] = []
    repeat {
      let byte = UInt8(value & 0x7F)
      value >>= 7
      out.append(value == 0 ? byte : byte | 0x80)
    } while value != 0
    return out
  }
  func loadInt32(_ at: Int) -> Int32 {
    Int32(bitPattern: (0..<4).reduce(UInt32(0)) { $0 | UInt32(bytes[at + $1]) << ($1 * 8) })
  }
  var messages: [[UInt8]] = []
  var offset = 0
  while offset + 8 <= bytes.count {
    var length = loadInt32(offset)
    offset += 4
    if length == -1 {
      length = loadInt32(offset)
      offset += 4
    }
    guard length > 0, Int(length) <= bytes.count - offset else { break }
    let metadata = Array(bytes[offset..<offset + Int(length)])
    offset += Int(length)
    // The body: what the metadata declares is not parsed here; the rest of the input is the
    // body of the last message, which is what a hostile sender can do too.
    messages.append([0x12] + varint(metadata.count) + metadata)
  }
  if offset < bytes.count, !messages.isEmpty {
    let body = Array(bytes[offset...])
    messages[messages.count - 1] += varint((1000 << 3) | 2) + varint(body.count) + body
  }
  return messages
}

/// What decoding `messages` with one IPC decoder gave: nil when every message was handled
/// cleanly (a ProtoError or ArrowError ends the stream), else what went wrong.
private func replay(_ messages: [[UInt8]]) -> String? {
  var decoder = IPCDecoder()
  for message in messages {
    let split = message.isEmpty ? 0 : Int(message[0]) % (message.count + 1)
    let parts = [Buffer(copying: message[..<split]), Buffer(copying: message[split...])]
    let data: FlightData
    do { data = try FlightData(decoding: parts) } catch { return nil }
    guard let header = data.dataHeader else { continue }
    do {
      if case .recordBatch(let batch, _) = try decoder.decode(metadata: header, body: MessageBody(parts: data.body)) {
        try batch.validate()
      }
    } catch {
      // The decoder and validation throw ArrowError only (typed throws): a clean refusal.
      return nil
    }
  }
  return nil
}

@Suite("FlightData fuzz regressions")
struct FlightDataFuzzRegressionTests {
  @Test("Fuzz/Regressions (flightdata, and stream re-framed) decode cleanly within 60 s")
  func replayRegressions() throws {
    let root = InteropEnvironment.repositoryRoot.appendingPathComponent("Fuzz/Regressions")
    func inputs(_ target: String) -> [URL] {
      let folder = root.appendingPathComponent(target)
      let names = (try? FileManager.default.contentsOfDirectory(atPath: folder.path)) ?? []
      return names.filter { !$0.hasPrefix(".") }.sorted().map { folder.appendingPathComponent($0) }
    }
    var cases: [(String, [[UInt8]])] = []
    for url in inputs("flightdata") {
      cases.append((url.lastPathComponent, flightDataMessages(Array(try Data(contentsOf: url)))))
    }
    for url in inputs("stream") {
      cases.append(("stream/" + url.lastPathComponent, flightDataMessages(ofStream: Array(try Data(contentsOf: url)))))
    }
    #expect(!cases.isEmpty, "no regression inputs under \(root.path)")
    #expect(cases.contains { !$0.1.isEmpty }, "no input holds a FlightData message")

    let finished = DispatchSemaphore(value: 0)
    let failures = LockedBox<[String]>([])
    let work = cases
    Thread {
      for (name, messages) in work {
        if let failure = replay(messages) { failures.update { $0.append("\(name): \(failure)") } }
      }
      finished.signal()
    }.start()
    #expect(finished.wait(timeout: .now() + 60) == .success, "replaying the regressions did not finish within 60 s")
    let found = failures.value
    #expect(found.isEmpty, "\(found.joined(separator: "\n"))")
  }
}

/// A value shared with the replay thread.
private final class LockedBox<Value>: @unchecked Sendable {
  private let lock = NSLock()
  private var stored: Value

  init(_ value: Value) { stored = value }

  var value: Value {
    lock.lock()
    defer { lock.unlock() }
    return stored
  }

  func update(_ body: (inout Value) -> Void) {
    lock.lock()
    defer { lock.unlock() }
    body(&stored)
  }
}
