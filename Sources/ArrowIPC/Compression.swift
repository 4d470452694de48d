// Body buffer compression: LZ4 frame format and ZSTD over the system liblz4 and libzstd.
//
// A compressed body buffer is an int64 little-endian uncompressed length, then the compressed
// bytes; a length of -1 means the bytes that follow are stored uncompressed. Empty buffers stay
// empty (no prefix). Decompression checks the declared length against limits before it
// allocates, and checks that the data decompresses to exactly that length.

package import ArrowCore
internal import CLZ4
internal import CZstd

/// Bounds on what a compressed buffer may declare, so corrupt or hostile input cannot make the
/// reader allocate absurd amounts of memory.
package struct DecompressionLimits: Sendable, Hashable {
  /// The largest uncompressed length accepted.
  package var maximumLength: Int
  /// The largest accepted ratio of uncompressed to compressed length (LZ4 cannot exceed about
  /// 255; ZSTD reaches about 32,000 on long runs of one byte).
  package var maximumRatio: Int
  /// Lengths up to this are accepted whatever the ratio.
  package var ratioFreeLength: Int

  package init(maximumLength: Int = 1 << 32, maximumRatio: Int = 1 << 16, ratioFreeLength: Int = 1 << 20) {
    self.maximumLength = maximumLength
    self.maximumRatio = maximumRatio
    self.ratioFreeLength = ratioFreeLength
  }

  /// The default limits: 4 GiB per buffer, a ratio of 65,536 beyond 1 MiB.
  package static let `default` = DecompressionLimits()
}

/// Compression and decompression of single body buffers, with Arrow's length prefix.
package enum BodyBufferCompression {
  /// The length of the uncompressed-length prefix.
  package static let prefixLength = 8

  /// Compresses `buffer` with `codec` and prepends the uncompressed length. When compression
  /// does not make the buffer smaller, stores it uncompressed behind a -1 prefix instead.
  package static func compress(
    _ buffer: Buffer, codec: CompressionCodec, level: Int32? = nil
  ) throws(ArrowError) -> Buffer {
    if buffer.isEmpty { return buffer }
    let compressed: Buffer = try buffer.withUnsafeBytes { source throws(ArrowError) in
      switch codec {
      case .lz4Frame: return try lz4Compress(source)
      case .zstd: return try zstdCompress(source, level: level ?? 1)
      }
    }
    if compressed.count - prefixLength < buffer.count { return compressed }
    return buffer.withUnsafeBytes { source in
      Buffer(unsafeUninitializedCount: prefixLength + source.count) { destination in
        destination.storeBytes(of: Int64(-1).littleEndian, toByteOffset: 0, as: Int64.self)
        UnsafeMutableRawBufferPointer(rebasing: destination[prefixLength...]).copyMemory(from: source)
      }
    }
  }

  /// Decompresses one prefixed body buffer. A -1 prefix gives a view of the stored bytes (no copy).
  package static func decompress(
    _ buffer: Buffer, codec: CompressionCodec, limits: DecompressionLimits = .default
  ) throws(ArrowError) -> Buffer {
    if buffer.isEmpty { return buffer }
    guard buffer.count >= prefixLength else {
      throw .invalid("compressed buffer of \(buffer.count) bytes is shorter than its 8-byte length prefix")
    }
    let declared = Int64(littleEndian: buffer.loadUnaligned(fromByteOffset: 0, as: Int64.self))
    let payload = buffer.slice(prefixLength..<buffer.count)
    if declared == -1 { return payload }
    guard declared >= 0 else { throw .invalid("compressed buffer declares a negative length \(declared)") }
    if declared == 0 { return Buffer.empty }
    guard declared <= Int64(limits.maximumLength) else {
      throw .invalid("compressed buffer declares \(declared) bytes, more than the limit of \(limits.maximumLength)")
    }
    let length = Int(declared)
    guard !payload.isEmpty else { throw .invalid("compressed buffer declares \(declared) bytes but holds no data") }
    guard length <= limits.ratioFreeLength || length / payload.count <= limits.maximumRatio else {
      throw .invalid(
        "compressed buffer of \(payload.count) bytes declares \(declared) bytes, "
          + "a ratio above the limit of \(limits.maximumRatio)")
    }
    return try payload.withUnsafeBytes { source throws(ArrowError) in
      var failure: ArrowError?
      let output = Buffer(unsafeUninitializedCount: length) { destination in
        do throws(ArrowError) {
          switch codec {
          case .lz4Frame: try lz4Decompress(source, into: destination)
          case .zstd: try zstdDecompress(source, into: destination)
          }
        } catch {
          failure = error
        }
      }
      if let failure { throw failure }
      return output
    }
  }

  // MARK: LZ4 frame

  private static func lz4Error(_ code: Int) -> String {
    String(cString: LZ4F_getErrorName(code))
  }

  private static func lz4Compress(_ source: UnsafeRawBufferPointer) throws(ArrowError) -> Buffer {
    let bound = LZ4F_compressFrameBound(source.count, nil)
    if LZ4F_isError(bound) != 0 { throw .invalid("LZ4 cannot compress \(source.count) bytes: \(lz4Error(bound))") }
    var written = 0
    let output = Buffer(unsafeUninitializedCount: prefixLength + bound) { destination in
      destination.storeBytes(of: Int64(source.count).littleEndian, toByteOffset: 0, as: Int64.self)
      written = LZ4F_compressFrame(
        destination.baseAddress! + prefixLength, bound, source.baseAddress, source.count, nil)
    }
    if LZ4F_isError(written) != 0 { throw .invalid("LZ4 compression failed: \(lz4Error(written))") }
    return output.slice(0..<(prefixLength + written))
  }

  private static func lz4Decompress(
    _ source: UnsafeRawBufferPointer, into destination: UnsafeMutableRawBufferPointer
  ) throws(ArrowError) {
    var context: OpaquePointer?
    let created = LZ4F_createDecompressionContext(&context, UInt32(LZ4F_VERSION))
    guard LZ4F_isError(created) == 0, let context else {
      throw .invalid("LZ4 decompression context: \(lz4Error(created))")
    }
    defer { LZ4F_freeDecompressionContext(context) }
    guard let input = source.baseAddress, let output = destination.baseAddress else { return }
    var consumed = 0
    var produced = 0
    var frameComplete = false
    while consumed < source.count {
      var outputSize = destination.count - produced
      var inputSize = source.count - consumed
      let hint = LZ4F_decompress(context, output + produced, &outputSize, input + consumed, &inputSize, nil)
      if LZ4F_isError(hint) != 0 { throw .invalid("corrupt LZ4 frame data: \(lz4Error(hint))") }
      consumed += inputSize
      produced += outputSize
      frameComplete = hint == 0
      if inputSize == 0 && outputSize == 0 {
        throw .invalid("LZ4 frame data decompresses to more than the declared \(destination.count) bytes")
      }
    }
    guard frameComplete else { throw .invalid("LZ4 frame data is truncated") }
    guard produced == destination.count else {
      throw .invalid("LZ4 frame data decompresses to \(produced) bytes, not the declared \(destination.count)")
    }
  }

  // MARK: ZSTD

  private static func zstdError(_ code: Int) -> String {
    String(cString: ZSTD_getErrorName(code))
  }

  private static func zstdCompress(_ source: UnsafeRawBufferPointer, level: Int32) throws(ArrowError) -> Buffer {
    let bound = ZSTD_compressBound(source.count)
    if ZSTD_isError(bound) != 0 { throw .invalid("ZSTD cannot compress \(source.count) bytes: \(zstdError(bound))") }
    var written = 0
    let output = Buffer(unsafeUninitializedCount: prefixLength + bound) { destination in
      destination.storeBytes(of: Int64(source.count).littleEndian, toByteOffset: 0, as: Int64.self)
      written = ZSTD_compress(destination.baseAddress! + prefixLength, bound, source.baseAddress, source.count, level)
    }
    if ZSTD_isError(written) != 0 { throw .invalid("ZSTD compression failed: \(zstdError(written))") }
    return output.slice(0..<(prefixLength + written))
  }

  private static func zstdDecompress(
    _ source: UnsafeRawBufferPointer, into destination: UnsafeMutableRawBufferPointer
  ) throws(ArrowError) {
    let result = ZSTD_decompress(destination.baseAddress, destination.count, source.baseAddress, source.count)
    if ZSTD_isError(result) != 0 { throw .invalid("corrupt ZSTD data: \(zstdError(result))") }
    guard result == destination.count else {
      throw .invalid("ZSTD data decompresses to \(result) bytes, not the declared \(destination.count)")
    }
  }
}
