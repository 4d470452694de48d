// Conversions between Swift values and gRPC core's C values: slices and byte buffers (without
// copying large buffers either way), metadata arrays, status codes, deadlines, channel
// arguments.

internal import ArrowCore
internal import CGRPC

/// A gRPC slice that can be captured by a `@Sendable` release hook.
private struct SliceHandle: @unchecked Sendable {
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

enum Conversions {
  // MARK: Slices and byte buffers

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

  // MARK: Metadata, status, deadlines

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

  /// gRPC core's code for `code`.
  static func grpcStatus(_ code: StatusCode) -> grpc_status_code {
    grpc_status_code(rawValue: Int32(code.rawValue))
  }

  /// The deadline `timeout` from now, or none (nil or negative, as Arrow C++'s -1).
  static func deadline(_ timeout: Duration?) -> gpr_timespec {
    guard let millis = deadlineMilliseconds(timeout) else { return CGRPC_inf_future() }
    return CGRPC_deadline_in_millis(millis)
  }

  // MARK: Channel arguments

  /// Calls `body` with a `grpc_channel_args` built from `arguments`; gRPC copies what it keeps.
  static func withChannelArguments<R>(
    _ arguments: [ChannelArgument], _ body: (UnsafePointer<grpc_channel_args>) -> R
  ) -> R {
    var owned: [UnsafeMutablePointer<CChar>] = []
    defer { for pointer in owned { pointer.deallocate() } }
    func copy(_ string: String) -> UnsafeMutablePointer<CChar> {
      let bytes = string.utf8CString
      let pointer = UnsafeMutablePointer<CChar>.allocate(capacity: bytes.count)
      bytes.withUnsafeBufferPointer { pointer.initialize(from: $0.baseAddress!, count: $0.count) }
      owned.append(pointer)
      return pointer
    }
    var args: [grpc_arg] = arguments.map { argument in
      var arg = grpc_arg()
      arg.key = copy(argument.key)
      switch argument.value {
      case .integer(let value):
        arg.type = GRPC_ARG_INTEGER
        arg.value.integer = value
      case .string(let value):
        arg.type = GRPC_ARG_STRING
        arg.value.string = copy(value)
      }
      return arg
    }
    return args.withUnsafeMutableBufferPointer { pointer in
      var channelArgs = grpc_channel_args(num_args: pointer.count, args: pointer.baseAddress)
      return body(&channelArgs)
    }
  }
}

/// The milliseconds of a deadline `timeout` from now: nil for none (nil, negative, or too far
/// to count); a positive timeout under a millisecond rounds up to one, never down to zero.
package func deadlineMilliseconds(_ timeout: Duration?) -> Int64? {
  guard let timeout, timeout >= .zero else { return nil }
  let (seconds, attoseconds) = timeout.components
  let millis = seconds.multipliedReportingOverflow(by: 1000)
  if millis.overflow { return nil }
  let attosecondsPerMillisecond: Int64 = 1_000_000_000_000_000
  let (whole, rest) = attoseconds.quotientAndRemainder(dividingBy: attosecondsPerMillisecond)
  let total = millis.partialValue.addingReportingOverflow(whole + (rest > 0 ? 1 : 0))
  return total.overflow ? nil : total.partialValue
}

/// One channel argument for gRPC core.
struct ChannelArgument {
  enum Value {
    case integer(Int32)
    case string(String)
  }
  var key: String
  var value: Value
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
      item.key = Conversions.copiedSlice(Array(entry.key.utf8))
      item.value = Conversions.copiedSlice(entry.value)
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
