public import ArrowCore

/// One message of a Flight data stream (`DoGet`, `DoPut`, `DoExchange`): an Arrow IPC message
/// split into its metadata and body, with an optional descriptor and application metadata.
///
/// `FlightData` is the hot message of Flight, so it does not go through protobuf-c: its codec
/// is written by hand over ArrowCore's `Buffer` and never copies a body.
///
/// - ``encoded()`` gives one small header `Buffer` (protobuf tags and lengths, the
///   descriptor, the IPC metadata and the application metadata) followed by the ``body``
///   buffers themselves, uncopied; the transport sends each as one gRPC slice.
/// - ``init(decoding:)`` reads a received message given as the `Buffer`s of its gRPC slices.
///   A field that lies inside one slice becomes a view of that slice (no copy); only a field
///   that spans slices is copied.
///
/// Presence matters: `nil` means "the field is absent on the wire". A message with
/// application metadata and no ``dataHeader`` is a metadata-only message; a present but empty
/// ``dataHeader`` is a data message (and an invalid one for Arrow readers).
///
/// ```swift
/// let message = FlightData(dataHeader: metadata, body: [validity, values])
/// let parts = message.encoded()           // [header, validity, values]
/// let decoded = try FlightData(decoding: parts)
/// decoded.body                             // the body's bytes, one Buffer per received piece
/// ```
///
/// Two values are equal when their fields hold the same bytes; ``body`` compares as the
/// concatenation of its buffers, however it is split.
public struct FlightData: Sendable, Hashable {
  /// The descriptor of the stream (field 1): sent on the first message of `DoPut` and
  /// `DoExchange`; `nil` when absent.
  public var flightDescriptor: FlightDescriptor?

  /// The Arrow IPC `Message` flatbuffer (field 2, `data_header`): bare, without the
  /// continuation marker or length prefix of the IPC stream format.
  ///
  /// `nil` means the field is absent: a metadata-only message. An empty `Buffer` is written
  /// as a present, empty field.
  public var dataHeader: Buffer?

  /// Application-defined metadata (field 3, `app_metadata`); `nil` when absent.
  ///
  /// Arrow C++ writes the field only when its metadata is non-empty; an empty `Buffer` here
  /// is written as a present, empty field (decoders treat both alike), so pass `nil` for
  /// byte-identical output.
  public var appMetadata: Buffer?

  /// The message body (field 1000, `data_body`): the IPC body buffers in order, each already
  /// padded as the IPC metadata describes; on the wire they are concatenated.
  ///
  /// An empty array means the field is absent (as Arrow C++ sends a Schema message). A
  /// record batch whose body is zero bytes long is sent by Arrow C++ with a present, empty
  /// field: use `[Buffer()]` to match it. A decoded message has at most one element, the
  /// whole body region, a view of the received slice when it lies inside one.
  ///
  /// gRPC cannot carry a message over 2 GiB: keep ``bodyLength`` below `Int32.max` bytes.
  public var body: [Buffer]

  /// Creates a message; every field defaults to absent.
  ///
  /// - Parameters:
  ///   - flightDescriptor: The stream's descriptor, or `nil`.
  ///   - dataHeader: The IPC `Message` flatbuffer, or `nil` for a metadata-only message.
  ///   - appMetadata: Application metadata, or `nil`.
  ///   - body: The body buffers in order; empty for no body field.
  public init(
    flightDescriptor: FlightDescriptor? = nil,
    dataHeader: Buffer? = nil,
    appMetadata: Buffer? = nil,
    body: [Buffer] = []
  ) {
    self.flightDescriptor = flightDescriptor
    self.dataHeader = dataHeader
    self.appMetadata = appMetadata
    self.body = body
  }

  /// The protobuf name of this message, used in ``ProtoError``.
  public static let protoName = "FlightData"

  /// The total number of body bytes: the sum of the sizes of ``body``'s buffers.
  public var bodyLength: Int {
    body.reduce(0) { $0 + $1.count }
  }

  /// Whether this is a metadata-only message: no ``dataHeader`` field.
  public var isMetadataOnly: Bool { dataHeader == nil }

  /// The body as one `Buffer`: empty when there is no body, the only buffer itself when there
  /// is one (after decoding, when the message arrived in one piece: no copy), else a
  /// concatenated copy.
  public var contiguousBody: Buffer {
    switch body.count {
    case 0: return Buffer()
    case 1: return body[0]
    default: return Buffer.concatenating(body)
    }
  }

  /// Whether two messages hold the same fields; bodies compare byte by byte, however they are
  /// split into buffers.
  public static func == (lhs: FlightData, rhs: FlightData) -> Bool {
    lhs.flightDescriptor == rhs.flightDescriptor && lhs.dataHeader == rhs.dataHeader
      && lhs.appMetadata == rhs.appMetadata && bodiesEqual(lhs.body, rhs.body)
  }

  /// Hashes the descriptor, the metadata fields, whether there is a body and its length.
  public func hash(into hasher: inout Hasher) {
    hasher.combine(flightDescriptor)
    hasher.combine(dataHeader)
    hasher.combine(appMetadata)
    hasher.combine(body.isEmpty)
    hasher.combine(bodyLength)
  }
}
