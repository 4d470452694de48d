// What every fuzz target does with one input. Errors are the expected outcome for most
// inputs; a crash, a sanitizer report, a failed check or a hang is a finding.

public import ArrowCore
@_spi(Fuzzing) public import ArrowIPC
internal import FlightRPC
internal import Foundation

/// Options that bound the work one input can cause (the fuzzer's memory limit is 2 GiB).
public let fuzzReadOptions = IPCReadOptions(maximumDecompressedBatchBytes: 1 << 26)

/// Checks that a batch the reader accepted is sound: it validates, and written again as a
/// stream and read back, it comes back equal.
public func checkAccepted(_ batches: [RecordBatch], schema: Schema) {
  for batch in batches {
    // The reader checks what it takes as Arrow C++ does on read (everything but decimal
    // precision, which only full validation reports: Arrow's own generators write wider values).
    for column in batch.columns {
      do { try column.data.validate(.safe) } catch { fatalError("an accepted batch does not validate: \(error)") }
    }
  }
  let written: Buffer
  do {
    written = try IPCStreamWriter.serialize(batches, schema: schema)
  } catch {
    // The writer may refuse what the reader takes (such as replaced dictionaries): not a bug.
    return
  }
  do {
    var reader = try IPCStreamReader(written, options: fuzzReadOptions)
    let again = try reader.readAll()
    precondition(reader.schema == schema, "the schema changed in a write-read round trip")
    precondition(again.count == batches.count, "the batch count changed in a write-read round trip")
    for (before, after) in zip(batches, again) {
      precondition(before == after, "a batch changed in a write-read round trip")
    }
  } catch {
    fatalError("a stream we wrote from accepted batches does not read back: \(error)")
  }
}

/// `bytes` one byte past an aligned address when their count is odd (network buffers have any
/// alignment: the readers must not assume one), else unchanged.
func varyAlignment(_ bytes: Buffer) -> Buffer {
  guard bytes.count % 2 == 1 else { return bytes }
  return Buffer(copying: [0] + Array(bytes)).slice(1..<bytes.count + 1)
}

/// Reads `bytes` as an IPC stream: every batch until the end or the first error.
public func fuzzStream(_ bytes: Buffer) {
  guard var reader = try? IPCStreamReader(varyAlignment(bytes), options: fuzzReadOptions) else { return }
  var batches: [RecordBatch] = []
  while true {
    do {
      guard let batch = try reader.next() else { break }
      batches.append(batch)
    } catch {
      return
    }
  }
  checkAccepted(batches, schema: reader.schema)
}

/// Reads `bytes` as an IPC file: the footer, dictionaries and every batch (each on its own).
public func fuzzFile(_ bytes: Buffer) {
  guard let reader = try? IPCFileReader(varyAlignment(bytes), options: fuzzReadOptions) else { return }
  var batches: [RecordBatch] = []
  for index in 0..<reader.recordBatchCount {
    if let batch = try? reader.recordBatch(at: index) { batches.append(batch) }
  }
  _ = try? reader.recordBatch(at: reader.recordBatchCount)
  checkAccepted(batches, schema: reader.schema)
}

/// Reads `bytes` as a `Message` flatbuffer and as a `Footer` flatbuffer.
public func fuzzFlatBuffers(_ bytes: Buffer) {
  _ = try? IPCMetadataFuzzing.readMessage(varyAlignment(bytes))
  _ = try? IPCMetadataFuzzing.readFooter(bytes)
}

/// Splits `bytes` into FlightData messages (each after a 4-byte little-endian length), each
/// message into two gRPC slices at a point its first byte picks, decodes each message and
/// feeds its header and body to one IPC decoder, as a Flight stream reader does.
public func fuzzFlightData(_ bytes: Buffer) {
  var decoder = IPCDecoder(options: fuzzReadOptions)
  var offset = 0
  var batches: [RecordBatch] = []
  var schema: Schema?
  while offset + 4 <= bytes.count {
    let declared = Int(UInt32(littleEndian: bytes.loadUnaligned(fromByteOffset: offset, as: UInt32.self)))
    offset += 4
    let length = min(declared, bytes.count - offset)
    let message = bytes.slice(offset..<offset + length)
    offset += length
    let split = message.isEmpty ? 0 : Int(message[0]) % (message.count + 1)
    let parts = [message.slice(0..<split), message.slice(split..<message.count)]
    guard let data = try? FlightData(decoding: parts) else { return }
    _ = data.encoded()
    guard let header = data.dataHeader else { continue }
    do {
      switch try decoder.decode(metadata: header, body: MessageBody(parts: data.body)) {
      case .schema(let decoded): schema = decoded
      case .dictionaryBatch: break
      case .recordBatch(let batch, _): batches.append(batch)
      }
    } catch {
      break
    }
  }
  if let schema { checkAccepted(batches, schema: schema) }
}

/// Runs `body` on the fuzzer's input as a ``Buffer``.
public func withInput(_ data: UnsafePointer<UInt8>?, _ size: Int, _ body: (Buffer) -> Void) {
  let bytes = size == 0 ? Buffer() : Buffer(copyingRawBytes: UnsafeRawBufferPointer(start: data, count: size))
  body(bytes)
}

@_silgen_name("LLVMFuzzerRunDriver")
private func llvmFuzzerRunDriver(
  _ argc: UnsafeMutablePointer<Int32>,
  _ argv: UnsafeMutablePointer<UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>>,
  _ callback: @convention(c) (UnsafePointer<UInt8>?, Int) -> Int32
) -> Int32

/// Runs libFuzzer's driver (options and corpus folders from the command line) with `callback`
/// as the target, then exits with its status. SwiftPM gives every executable a Swift `main`,
/// so libFuzzer's own `main` is not linked in: this is what that `main` does.
public func runLibFuzzer(_ callback: @convention(c) (UnsafePointer<UInt8>?, Int) -> Int32) -> Never {
  var argc = CommandLine.argc
  var argv = CommandLine.unsafeArgv
  exit(llvmFuzzerRunDriver(&argc, &argv, callback))
}
