// flight-demo: live Flight calls over our own gRPC core transport.
//
// Usage: flight-demo --location grpc://localhost:PORT
//
// Lists the server's actions, its flights and runs the `list_tables` action, printing what
// comes back. A later `flight` command-line tool supersedes this with the full client API.

import FlightProto
import FlightTransport
import Foundation

/// Prints `message` to stderr and exits with status 1.
func fail(_ message: String) -> Never {
  FileHandle.standardError.write(Data("error: \(message)\n".utf8))
  exit(1)
}

/// The gRPC target for a Flight location.
func target(for location: Location) -> String {
  switch location.scheme {
  case "grpc", Location.grpcTCPScheme:
    let host = location.host ?? "localhost"
    let shownHost = host.contains(":") ? "[\(host)]" : host
    return "\(shownHost):\(location.port ?? 8815)"
  case Location.grpcUnixScheme:
    return "unix:\(location.path)"
  default:
    fail("flight-demo speaks plain gRPC only (grpc, grpc+tcp, grpc+unix), not \(location.scheme)")
  }
}

/// Runs one Flight RPC: sends `request`, returns every response message.
func call(_ channel: GRPCChannel, _ method: String, _ request: [UInt8]) async throws -> [[UInt8]] {
  let call = try channel.makeCall(method: "/arrow.flight.protocol.FlightService/\(method)", timeout: .seconds(30))
  try await call.send(request)
  try await call.closeSend()
  return try await call.receiveAll().map { Array($0) }
}

var arguments = CommandLine.arguments.dropFirst()
var locationText = "grpc://localhost:8815"
while let argument = arguments.popFirst() {
  switch argument {
  case "--location":
    guard let value = arguments.popFirst() else { fail("--location needs a URI") }
    locationText = value
  case "--help", "-h":
    print("usage: flight-demo [--location grpc://HOST:PORT]")
    exit(0)
  default:
    fail("unknown argument \(argument) (try --help)")
  }
}

let location: Location
do {
  location = try Location(uri: locationText)
} catch {
  fail("\(error)")
}
let channel = GRPCChannel(target: target(for: location))
print("Connected to \(location.uri) over gRPC core \(GRPCRuntime.shared.grpcVersion)")

do {
  let actions = try await call(channel, "ListActions", Empty().serialized()).map { try ActionType(serializedBytes: $0) }
  print("\nListActions: \(actions.count) action types")
  for action in actions {
    print("  \(action.type): \(action.description)")
  }

  let flights = try await call(channel, "ListFlights", Criteria().serialized()).map {
    try FlightInfo(serializedBytes: $0)
  }
  print("\nListFlights: \(flights.count) flights")
  for info in flights {
    let name: String
    switch info.flightDescriptor {
    case .path(let components)?: name = components.joined(separator: "/")
    case .command(let command)?: name = "command \(String(decoding: command, as: UTF8.self))"
    case nil: name = "(no descriptor)"
    }
    print("  \(name): \(info.totalRecords) rows, \(info.endpoints.count) endpoint(s)")
  }

  let tables = try await call(channel, "DoAction", Action(type: "list_tables").serialized()).map {
    String(decoding: try FlightResult(serializedBytes: $0).body, as: UTF8.self)
  }
  print("\nDoAction list_tables: \(tables.joined(separator: ", "))")
} catch {
  fail("\(error)")
}
