// Body buffer compression: both codecs, the -1 prefix, limits and corrupt input.

internal import ArrowCore
internal import InteropSupport
internal import Testing

@testable internal import ArrowIPC

@Suite struct CompressionTests {
  private func compressible(_ count: Int) -> Buffer {
    Buffer(copying: (0..<count).map { UInt8(truncatingIfNeeded: ($0 / 16) % 7) })
  }

  private func incompressible(_ count: Int) -> Buffer {
    var random = SplitMix64(seed: 99)
    return Buffer(copying: (0..<count).map { _ in UInt8(truncatingIfNeeded: random.next()) })
  }

  @Test(arguments: CompressionCodec.allCases)
  func roundTrips(codec: CompressionCodec) throws {
    for count in [1, 8, 100, 4096, 1 << 20] {
      let original = compressible(count)
      let compressed = try BodyBufferCompression.compress(original, codec: codec)
      let declared = compressed.loadUnaligned(fromByteOffset: 0, as: Int64.self)
      #expect(declared == Int64(count) || declared == -1)
      if count >= 4096 { #expect(compressed.count < count / 4) }
      let restored = try BodyBufferCompression.decompress(compressed, codec: codec)
      #expect(restored == original)
    }
  }

  @Test(arguments: CompressionCodec.allCases)
  func decompressesMisalignedInput(codec: CompressionCodec) throws {
    let original = compressible(10_000)
    let compressed = Array(try BodyBufferCompression.compress(original, codec: codec))
    let shifted = Buffer(copying: [0x55] + compressed).slice(1..<(compressed.count + 1))
    #expect(!shifted.isAligned(to: 2))
    #expect(try BodyBufferCompression.decompress(shifted, codec: codec) == original)
  }

  @Test(arguments: CompressionCodec.allCases)
  func emptyBuffersStayEmpty(codec: CompressionCodec) throws {
    #expect(try BodyBufferCompression.compress(Buffer(), codec: codec).isEmpty)
    #expect(try BodyBufferCompression.decompress(Buffer(), codec: codec).isEmpty)
    // A zero declared length reads as empty.
    #expect(try BodyBufferCompression.decompress(Buffer(copying: littleEndianBytes(Int64(0))), codec: codec).isEmpty)
  }

  @Test(arguments: CompressionCodec.allCases)
  func incompressibleDataIsStoredBehindMinusOne(codec: CompressionCodec) throws {
    let original = incompressible(1000)
    let stored = try BodyBufferCompression.compress(original, codec: codec)
    #expect(stored.loadUnaligned(fromByteOffset: 0, as: Int64.self) == -1)
    #expect(stored.count == 1008)
    let restored = try BodyBufferCompression.decompress(stored, codec: codec)
    #expect(restored == original)
    #expect(restored.isIdentical(to: stored.slice(8..<1008)))  // a view, not a copy
  }

  @Test(arguments: CompressionCodec.allCases)
  func rejectsBadPrefixes(codec: CompressionCodec) throws {
    let valid = try BodyBufferCompression.compress(compressible(4096), codec: codec)
    let payload = Array(valid[8...])
    for bytes in [
      [1, 2, 3],  // shorter than the prefix
      littleEndianBytes(Int64(-2)) + payload,
      littleEndianBytes(Int64(4096)),  // declares data, holds none
      littleEndianBytes(Int64.max) + payload,  // absurd length: refused before allocating
      littleEndianBytes(Int64(1) << 40) + payload,  // above the 4 GiB default
      littleEndianBytes(Int64(1) << 31) + payload,  // ratio far above the limit
      littleEndianBytes(Int64(4095)) + payload,  // decompresses to more than declared
      littleEndianBytes(Int64(4097)) + payload,  // to less than declared
      Array(valid[..<(valid.count - 3)]),  // truncated
      Array(valid[..<9]),
    ] {
      let error = arrowError { _ = try BodyBufferCompression.decompress(Buffer(copying: bytes), codec: codec) }
      #expect(error?.kind == .invalid, "\(bytes.prefix(12))")
    }
    let limits = DecompressionLimits(maximumLength: 1000)
    #expect(arrowError { _ = try BodyBufferCompression.decompress(valid, codec: codec, limits: limits) } != nil)
  }

  @Test func rejectsTheOtherCodecsData() throws {
    let lz4 = try BodyBufferCompression.compress(compressible(4096), codec: .lz4Frame)
    let zstd = try BodyBufferCompression.compress(compressible(4096), codec: .zstd)
    #expect(arrowError { _ = try BodyBufferCompression.decompress(lz4, codec: .zstd) } != nil)
    #expect(arrowError { _ = try BodyBufferCompression.decompress(zstd, codec: .lz4Frame) } != nil)
  }

  @Test(arguments: CompressionCodec.allCases)
  func corruptDataFuzzNeverCrashes(codec: CompressionCodec) throws {
    let original = compressible(8192)
    let valid = Array(try BodyBufferCompression.compress(original, codec: codec))
    var random = SplitMix64(seed: 7)
    var rejected = 0
    for _ in 0..<1000 {
      var bytes = valid
      if random.next() % 3 == 0 {
        bytes.removeLast(Int(random.next() % UInt64(bytes.count - 8)) + 1)
      } else {
        for _ in 0...(random.next() % 3) {
          let position = 8 + Int(random.next() % UInt64(bytes.count - 8))
          bytes[position] = UInt8(truncatingIfNeeded: random.next())
        }
      }
      do {
        let restored = try BodyBufferCompression.decompress(Buffer(copying: bytes), codec: codec)
        #expect(restored.count == original.count)  // without checksums some damage decodes, but to the declared size
      } catch {
        rejected += 1
      }
    }
    #expect(rejected > 300)
  }
}
