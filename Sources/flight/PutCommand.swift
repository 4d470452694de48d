// flight put: upload an Arrow IPC file or stream.

internal import ArgumentParser
internal import ArrowIPC
internal import FlightRPC
internal import Foundation

struct Put: AsyncParsableCommand {
  static let configuration = CommandConfiguration(
    abstract: "Upload an Arrow IPC file or stream to a flight path (DoPut).")

  @OptionGroup var client: ClientOptions

  @Option(help: ArgumentHelp("The flight's path; components separated by '/' (dataset/sales).", valueName: "path"))
  var path: String

  @Option(help: ArgumentHelp("The Arrow IPC file or stream to upload (detected).", valueName: "file"))
  var input: String

  func validate() throws {
    if path.isEmpty { throw ValidationError("--path is empty") }
  }

  func run() async throws {
    var source = try IPCInput(path: input)
    let connection = try await client.connect()
    let descriptor = FlightDescriptor.forPath(
      path.split(separator: "/", omittingEmptySubsequences: false).map(String.init))
    let (writer, results) = try await connection.client.doPut(
      descriptor, schema: source.schema, options: connection.options)
    // Read the server's acknowledgements while writing, so neither side waits on the other.
    let acknowledgements = Task { () throws -> Int in
      var count = 0
      for try await _ in results { count += 1 }
      return count
    }
    let progress = TransferProgress("sent")
    do {
      // Batches go out in groups of up to 8 MiB (views of the input, no copy): a group's
      // messages are sent back to back without a thread switch per message.
      var group: [RecordBatch] = []
      var groupMetadata: [KeyValueMetadata] = []
      var groupBytes = 0
      func flush() async throws {
        try await writer.write(contentsOf: group, customMetadata: groupMetadata)
        for batch in group { progress.add(rows: batch.length, bytes: batch.bufferByteCount) }
        group.removeAll(keepingCapacity: true)
        groupMetadata.removeAll(keepingCapacity: true)
        groupBytes = 0
      }
      while true {
        let next: (batch: RecordBatch, metadata: KeyValueMetadata)?
        do {
          next = try source.nextWithMetadata()
        } catch {
          let failed = progress.batches + group.count + 1
          throw CLIError.invalid("\(input): batch \(failed) cannot be read: \(error.message)")
        }
        guard let (batch, metadata) = next else { break }
        group.append(batch)
        groupMetadata.append(metadata)
        groupBytes += batch.bufferByteCount
        if groupBytes >= 8 << 20 { try await flush() }
      }
      if !group.isEmpty { try await flush() }
      try await writer.doneWriting()
    } catch {
      progress.finish()
      // End the call if it is still going (the input went bad, or a batch could not be sent),
      // so the server neither waits for the rest nor keeps what was sent. A no-op when the
      // server has ended the call already.
      writer.cancel()
      // Wait for the call's end (prompt once cancelled), so the cancellation reaches the server
      // before this process exits. The server's status says more than a failed write does; a
      // bad input says it all.
      let serverError = await acknowledgementError(acknowledgements)
      if !(error is CLIError), let serverError, (serverError as? FlightError)?.kind != .cancelled {
        throw serverError
      }
      throw error
    }
    _ = try await acknowledgements.value
    progress.finish()
    let batches = progress.batches == 1 ? "1 batch" : "\(progress.batches) batches"
    print("Uploaded \(progress.rows) rows (\(batches), \(formatBytes(progress.bytes))) to \(path)")
  }

  /// The error the acknowledgement reader ended with, when the call has failed.
  private func acknowledgementError(_ task: Task<Int, any Error>) async -> (any Error)? {
    do {
      _ = try await task.value
      return nil
    } catch {
      return error
    }
  }
}
