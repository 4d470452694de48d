// FlightRPC: the public Arrow Flight client and server API.
//
// Users import FlightRPC alone: it re-exports the Arrow memory and type layer and the Flight
// message types that appear in its API.

@_exported import ArrowCore
@_exported import FlightProto
