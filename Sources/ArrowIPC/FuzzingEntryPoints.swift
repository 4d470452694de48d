// Entry points for the fuzz targets under Fuzz/ (a separate package, which sees only public
// symbols): the FlatBuffers verifier and reader of `Message` and `Footer` tables, which the
// public readers only reach behind the framing.

public import ArrowCore

/// The IPC metadata reader (FlatBuffers verifier, table reader, schema mapping) on its own,
/// for fuzzing. Not part of the supported API.
@_spi(Fuzzing)
public enum IPCMetadataFuzzing {
  /// Reads `bytes` as a `Message` flatbuffer: every table, vector and string it reaches, the
  /// schema mapping of a schema message. A message that reads is written back and read again,
  /// which must give the same values (a mismatch stops the process: the fuzzer reports it).
  public static func readMessage(_ bytes: Buffer) throws(ArrowError) {
    let message = try MessageView(bytes).decode()
    if case .schema(let schema) = message.header {
      _ = try SchemaMapping.decode(schema, allowUnknownFeatures: true)
    }
    let again = try MessageView(Buffer(copying: message.flatBuffer())).decode()
    precondition(again == message, "a Message read, written and read again changed")
  }

  /// Reads `bytes` as a `Footer` flatbuffer, as ``readMessage(_:)`` reads a message.
  public static func readFooter(_ bytes: Buffer) throws(ArrowError) {
    let footer = try FooterView(bytes).decode()
    if let schema = footer.schema {
      _ = try SchemaMapping.decode(schema, allowUnknownFeatures: true)
    }
    let again = try FooterView(Buffer(copying: footer.flatBuffer())).decode()
    precondition(again == footer, "a Footer read, written and read again changed")
  }
}
