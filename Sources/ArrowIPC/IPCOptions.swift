// The public options of the IPC encoder, decoder, readers and writers.

internal import ArrowCore

/// A body compression codec of the Arrow IPC format.
public enum IPCCompressionCodec: Sendable, Hashable, CaseIterable {
  /// The LZ4 frame format (`LZ4_FRAME`).
  case lz4Frame
  /// Zstandard (`ZSTD`).
  case zstd

  var codec: CompressionCodec {
    switch self {
    case .lz4Frame: .lz4Frame
    case .zstd: .zstd
    }
  }

  init(_ codec: CompressionCodec) {
    switch codec {
    case .lz4Frame: self = .lz4Frame
    case .zstd: self = .zstd
    }
  }
}

/// The IPC metadata version a writer produces.
public enum IPCMetadataVersion: Sendable, Hashable {
  /// Version 5 (Arrow 1.0 and later): what every current implementation reads.
  case v5
}

/// How an ``IPCEncoder`` (and the stream and file writers over it) writes messages.
///
/// ```swift
/// var options = IPCWriteOptions()
/// options.compression = .zstd
/// options.alignment = 64
/// let writer = try IPCStreamWriter(schema: schema, options: options)
/// ```
public struct IPCWriteOptions: Sendable, Hashable {
  /// The body compression, or `nil` for uncompressed bodies.
  ///
  /// Each body buffer is compressed on its own; a buffer that does not shrink is stored
  /// uncompressed behind a `-1` length, as the format allows.
  public var compression: IPCCompressionCodec?
  /// The compression level (ZSTD only; `nil` uses level 1).
  public var compressionLevel: Int32?
  /// The alignment of body buffers: 8 (the minimum) or 64 (Arrow's recommendation).
  public var alignment: Int
  /// The metadata version written in every message.
  public var metadataVersion: IPCMetadataVersion
  /// When a dictionary grows by appending values, send only the new values as a delta
  /// dictionary batch instead of a full replacement (pyarrow's `emit_dictionary_deltas`).
  public var emitDictionaryDeltas: Bool
  /// Write the legacy framing (before Arrow 0.15: no continuation marker). Stream writer only.
  public var legacyFraming: Bool

  /// Options with the given values; the defaults write uncompressed, 8-byte aligned V5 messages.
  public init(
    compression: IPCCompressionCodec? = nil, compressionLevel: Int32? = nil, alignment: Int = 8,
    metadataVersion: IPCMetadataVersion = .v5, emitDictionaryDeltas: Bool = false, legacyFraming: Bool = false
  ) {
    self.compression = compression
    self.compressionLevel = compressionLevel
    self.alignment = alignment
    self.metadataVersion = metadataVersion
    self.emitDictionaryDeltas = emitDictionaryDeltas
    self.legacyFraming = legacyFraming
  }

  func check() throws(ArrowError) {
    guard alignment == 8 || alignment == 64 else {
      throw .invalid("IPC body alignment must be 8 or 64, got \(alignment)")
    }
  }
}

/// How an ``IPCDecoder`` (and the stream and file readers over it) reads messages.
public struct IPCReadOptions: Sendable, Hashable {
  /// The most bytes that the compressed buffers of one batch may decompress to in total.
  public var maximumDecompressedBatchBytes: Int
  /// Accept schemas that declare `Feature` numbers this reader does not know (by default
  /// they are refused, since such a stream may use something this reader cannot decode).
  public var allowUnknownFeatures: Bool
  /// The most bytes one message may declare (metadata and body together). A longer message is
  /// refused from its prefix and metadata, before anything is allocated for it; below the
  /// limit, a reader over a file handle or pipe still allocates only as the bytes arrive.
  public var maximumMessageBytes: Int

  /// Options with the given values.
  public init(
    maximumDecompressedBatchBytes: Int = 1 << 34, allowUnknownFeatures: Bool = false,
    maximumMessageBytes: Int = 1 << 34
  ) {
    self.maximumDecompressedBatchBytes = maximumDecompressedBatchBytes
    self.allowUnknownFeatures = allowUnknownFeatures
    self.maximumMessageBytes = maximumMessageBytes
  }

  /// Refuses a message of `metadataLength` plus `bodyLength` bytes above ``maximumMessageBytes``.
  func checkMessageSize(metadataLength: Int, bodyLength: Int64) throws(ArrowError) {
    guard bodyLength <= Int64(maximumMessageBytes) - Int64(metadataLength) else {
      throw .invalid(
        "message of \(metadataLength) metadata bytes and a \(bodyLength)-byte body exceeds the limit of "
          + "\(maximumMessageBytes) bytes (IPCReadOptions.maximumMessageBytes)")
    }
  }
}
