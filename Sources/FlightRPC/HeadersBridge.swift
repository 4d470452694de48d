// Conversions between the public FlightHeaders and the transport's metadata.

import FlightTransport

extension FlightHeaders {
  /// The transport's form.
  var grpcMetadata: GRPCMetadata {
    GRPCMetadata(entries.map { GRPCMetadataEntry(key: $0.key, value: $0.value) })
  }

  /// Headers from the transport's form.
  init(_ metadata: GRPCMetadata) {
    self.init(metadata.entries.map { Entry(key: $0.key, value: $0.value) })
  }
}
