// Conversions between Swift values and gRPC core's slices, byte buffers and metadata arrays.
// All of it is unsafe pointer code, kept in this file.

internal import ArrowCore
internal import CGRPC

/// A gRPC slice that can be captured by a `@Sendable` release hook.
struct SliceHandle: @unchecked Sendable {
  // Sendable: a reference-counted slice is immutable; unref is thread safe.
  let slice: grpc_slice
}

/// Retains a Swift `Buffer` for as long as a gRPC slice references its bytes.
private final class SliceOwner {
  let buffer: Buffer
  init(_ buffer: Buffer) { self.buffer = buffer }
}

/// Below this size a buffer is copied into the slice: cheaper than a reference.
private let copyThreshold = 512

enum Bridging {
  /// A slice over `buffer`: small buffers are copied, large ones referenced without a copy.
  static func slice(for buffer: Buffer) -> grpc_slice {
    if buffer.count < copyThreshold {
      return buffer.withUnsafeBytes { bytes in
        guard let base = bytes.baseAddress else { return grpc_empty_slice() }
        return grpc_slice_from_copied_buffer(base.assumingMemoryBound(to: CChar.self), bytes.count)
      }
    }
    let owner = Unmanaged.passRetained(SliceOwner(buffer)).toOpaque()
    return buffer.withUnsafeBytes { bytes in
      grpc_slice_new_with_user_data(
        UnsafeMutableRawPointer(mutating: bytes.baseAddress!), bytes.count,
        { userData in
          if let userData { Unmanaged<SliceOwner>.fromOpaque(userData).release() }
        }, owner)
    }
  }

  /// A byte buffer for one message made of `parts` (each becomes a slice; no copy of large parts).
  /// The caller destroys it with `grpc_byte_buffer_destroy`.
  static func byteBuffer(for parts: [Buffer]) -> UnsafeMutablePointer<grpc_byte_buffer> {
    var slices = parts.filter { !$0.isEmpty }.map(slice(for:))
    let byteBuffer = slices.withUnsafeMutableBufferPointer { pointer in
      grpc_raw_byte_buffer_create(pointer.baseAddress, pointer.count)!
    }
    for slice in slices { grpc_slice_unref(slice) }  // the byte buffer holds its own references
    return byteBuffer
  }

  /// The slices of a received message as `Buffer`s, without copying reference-counted slices.
  static func buffers(from byteBuffer: UnsafeMutablePointer<grpc_byte_buffer>) -> [Buffer] {
    var reader = grpc_byte_buffer_reader()
    guard grpc_byte_buffer_reader_init(&reader, byteBuffer) != 0 else { return [] }
    defer { grpc_byte_buffer_reader_destroy(&reader) }
    var result: [Buffer] = []
    var slice = grpc_slice()
    while grpc_byte_buffer_reader_next(&reader, &slice) != 0 {
      let length = CGRPC_slice_length(slice)
      if length == 0 {
        grpc_slice_unref(slice)
      } else if CGRPC_slice_is_refcounted(slice) != 0 {
        let handle = SliceHandle(slice: slice)
        // The bytes of a reference-counted slice live on the heap: the pointer outlives the closure.
        let start = withUnsafePointer(to: slice) { CGRPC_slice_start($0) }
        result.append(
          Buffer(unsafeForeignMemory: UnsafeRawPointer(start), count: length) {
            grpc_slice_unref(handle.slice)
          })
      } else {
        // An inlined slice holds its bytes inside the struct itself: copy them while the
        // pointer into the struct is valid.
        result.append(
          withUnsafePointer(to: slice) { pointer in
            Buffer(copyingRawBytes: UnsafeRawBufferPointer(start: CGRPC_slice_start(pointer), count: length))
          })
        grpc_slice_unref(slice)
      }
    }
    return result
  }

  /// The bytes of a slice, copied.
  static func bytes(of slice: grpc_slice) -> [UInt8] {
    let length = CGRPC_slice_length(slice)
    guard length > 0 else { return [] }
    return withUnsafePointer(to: slice) { pointer in
      Array(UnsafeRawBufferPointer(start: CGRPC_slice_start(pointer), count: length))
    }
  }

  /// The text of a slice.
  static func string(of slice: grpc_slice) -> String {
    String(decoding: bytes(of: slice), as: UTF8.self)
  }

  /// A copied slice holding `bytes`.
  static func copiedSlice(_ bytes: [UInt8]) -> grpc_slice {
    bytes.withUnsafeBytes { raw in
      guard let base = raw.baseAddress else { return grpc_empty_slice() }
      return grpc_slice_from_copied_buffer(base.assumingMemoryBound(to: CChar.self), raw.count)
    }
  }

  /// The entries of a received metadata array, copied.
  static func metadata(from array: UnsafePointer<grpc_metadata_array>) -> GRPCMetadata {
    var result = GRPCMetadata()
    let count = array.pointee.count
    guard count > 0, let items = array.pointee.metadata else { return result }
    for index in 0..<count {
      let item = items[index]
      result.add(string(of: item.key), bytes: bytes(of: item.value))
    }
    return result
  }
}

/// An array of `grpc_metadata` built from Swift metadata; frees its slices on `deinit`.
final class OutgoingMetadata {
  let pointer: UnsafeMutablePointer<grpc_metadata>
  let count: Int

  init(_ metadata: GRPCMetadata) {
    count = metadata.entries.count
    pointer = .allocate(capacity: max(count, 1))
    for (index, entry) in metadata.entries.enumerated() {
      var item = grpc_metadata()
      item.key = Bridging.copiedSlice(Array(entry.key.utf8))
      item.value = Bridging.copiedSlice(entry.value)
      (pointer + index).initialize(to: item)
    }
  }

  deinit {
    for index in 0..<count {
      grpc_slice_unref(pointer[index].key)
      grpc_slice_unref(pointer[index].value)
    }
    pointer.deinitialize(count: count)
    pointer.deallocate()
  }
}

/// A received metadata array, initialised and destroyed with gRPC core's functions.
final class IncomingMetadata {
  let pointer: UnsafeMutablePointer<grpc_metadata_array>

  init() {
    pointer = .allocate(capacity: 1)
    grpc_metadata_array_init(pointer)
  }

  var metadata: GRPCMetadata { Bridging.metadata(from: pointer) }

  deinit {
    grpc_metadata_array_destroy(pointer)
    pointer.deallocate()
  }
}

extension Bridging {
  /// The identities of a call's authenticated peer (TLS client certificate names), if any.
  static func peerIdentity(of call: OpaquePointer) -> [String] {
    guard let context = grpc_call_auth_context(call) else { return [] }
    defer { grpc_auth_context_release(context) }
    var iterator = grpc_auth_context_peer_identity(context)
    var names: [String] = []
    while let property = grpc_auth_property_iterator_next(&iterator) {
      guard let value = property.pointee.value else { continue }
      names.append(
        String(decoding: UnsafeRawBufferPointer(start: value, count: property.pointee.value_length), as: UTF8.self))
    }
    return names
  }
}

/// The sending half of one gRPC batch: initial metadata, a message, the client's half-close
/// or the server's status, in gRPC's order. Owns the C data those ops point to until `deinit`,
/// so it must live until the batch completes.
final class SendBatch: @unchecked Sendable {
  // Sendable: every property is set once in init and only read after (by gRPC core, through
  // the ops); deinit frees the C data once no thread holds the batch.
  private let headers: OutgoingMetadata?
  private let byteBuffer: UnsafeMutablePointer<grpc_byte_buffer>?
  private let closing: Bool
  private let status: (code: StatusCode, details: UnsafeMutablePointer<grpc_slice>, trailers: OutgoingMetadata)?

  init(headers: GRPCMetadata? = nil, message: [Buffer]? = nil, closing: Bool = false, status: CallStatus? = nil) {
    self.headers = headers.map(OutgoingMetadata.init)
    self.byteBuffer = message.map(Bridging.byteBuffer(for:))
    self.closing = closing
    self.status = status.map { status in
      let details = UnsafeMutablePointer<grpc_slice>.allocate(capacity: 1)
      details.initialize(to: Bridging.copiedSlice(Array(status.message.utf8)))
      return (status.code, details, OutgoingMetadata(status.trailers))
    }
  }

  deinit {
    if let byteBuffer { grpc_byte_buffer_destroy(byteBuffer) }
    if let status {
      grpc_slice_unref(status.details.pointee)
      status.details.deallocate()
    }
  }

  /// The number of ops.
  var count: Int {
    (headers == nil ? 0 : 1) + (byteBuffer == nil ? 0 : 1) + (closing ? 1 : 0) + (status == nil ? 0 : 1)
  }

  /// A new ops array for `CallHandle.startBatch`, which frees it.
  func makeOps() -> UnsafeMutablePointer<grpc_op> {
    let ops = CGRPC_ops_alloc(count)!
    var index = 0
    if let headers {
      ops[index].op = GRPC_OP_SEND_INITIAL_METADATA
      ops[index].data.send_initial_metadata.count = headers.count
      ops[index].data.send_initial_metadata.metadata = headers.pointer
      index += 1
    }
    if let byteBuffer {
      ops[index].op = GRPC_OP_SEND_MESSAGE
      ops[index].data.send_message.send_message = byteBuffer
      index += 1
    }
    if closing {
      ops[index].op = GRPC_OP_SEND_CLOSE_FROM_CLIENT
      index += 1
    }
    if let status {
      ops[index].op = GRPC_OP_SEND_STATUS_FROM_SERVER
      ops[index].data.send_status_from_server.status = grpc_status_code(rawValue: Int32(status.code.rawValue))
      ops[index].data.send_status_from_server.status_details = status.details
      ops[index].data.send_status_from_server.trailing_metadata_count = status.trailers.count
      ops[index].data.send_status_from_server.trailing_metadata = status.trailers.pointer
    }
    return ops
  }
}
