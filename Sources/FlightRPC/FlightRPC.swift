// FlightRPC: the public Arrow Flight client and server API.
//
// Users import FlightRPC alone: it re-exports the Arrow memory and type layer, the Arrow IPC
// format (whose options, readers and writers appear in its API) and the Flight message types.

@_exported import ArrowCore
@_exported import ArrowIPC
@_exported import FlightProto
