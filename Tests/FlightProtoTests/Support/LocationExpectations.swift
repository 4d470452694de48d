// The parts of a parsed location, checked in one call.

internal import Testing

@testable internal import FlightProto

/// Expects `location` to have these parts and, when `uri` is given, to print as `uri`.
func expectParts(
  _ location: Location, uri: String? = nil, scheme: String, host: String?, port: Int?, path: String,
  sourceLocation: SourceLocation = #_sourceLocation
) {
  if let uri { #expect(location.uri == uri, sourceLocation: sourceLocation) }
  #expect(location.scheme == scheme, "\(location.uri)", sourceLocation: sourceLocation)
  #expect(location.host == host, "\(location.uri)", sourceLocation: sourceLocation)
  #expect(location.port == port, "\(location.uri)", sourceLocation: sourceLocation)
  #expect(location.path == path, "\(location.uri)", sourceLocation: sourceLocation)
}
