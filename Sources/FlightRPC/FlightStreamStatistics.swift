// The counts of a Flight data stream's reader or writer.

/// What a Flight data stream's reader or writer has read or written so far: pyarrow's
/// `ReadStats` and `WriteStats` (`reader.stats`, `writer.stats`), plus the bytes.
///
/// Counts cover IPC messages as Arrow C++ counts them; metadata-only messages carry none but
/// their application metadata counts in ``bytes``.
public struct FlightStreamStatistics: Sendable, Hashable {
  /// IPC messages: the schema, dictionary batches and record batches (`num_messages`).
  public var numMessages = 0
  /// Record batches (`num_record_batches`).
  public var numRecordBatches = 0
  /// Dictionary batches, deltas and replacements included (`num_dictionary_batches`).
  public var numDictionaryBatches = 0
  /// Dictionary batches that were deltas (`num_dictionary_deltas`).
  public var numDictionaryDeltas = 0
  /// Dictionary batches that replaced a dictionary sent before (`num_replaced_dictionaries`).
  public var numReplacedDictionaries = 0
  /// The bytes of every message's payload: IPC metadata, body (as sent: compressed when
  /// compressed) and application metadata; the size ``FlightClientOptions/writeSizeLimitBytes``
  /// is checked against.
  public var bytes = 0

  /// No messages yet.
  public init() {}

  /// Counts one IPC message: a dictionary batch of `dictionaryID` when given (a delta when
  /// `isDelta`), else a record batch when `isRecordBatch`, else the schema.
  mutating func countMessage(dictionaryID: Int64?, isDelta: Bool, isRecordBatch: Bool, seen: inout Set<Int64>) {
    numMessages += 1
    if let dictionaryID {
      numDictionaryBatches += 1
      if seen.contains(dictionaryID) {
        if isDelta { numDictionaryDeltas += 1 } else { numReplacedDictionaries += 1 }
      }
      seen.insert(dictionaryID)
    } else if isRecordBatch {
      numRecordBatches += 1
    }
  }
}
