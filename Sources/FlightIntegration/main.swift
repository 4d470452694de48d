// flight-integration: the Arrow Flight cross-implementation scenarios (auth, middleware,
// ordered, expiration time, DoExchange echo, reuse-connection locations, PollFlightInfo,
// app_metadata, session options), as a server and as a client, following the conventions of
// the Arrow integration harness.

#if canImport(Glibc)
  internal import Glibc
#elseif canImport(Musl)
  internal import Musl
#elseif canImport(Darwin)
  internal import Darwin
#endif

let arguments = Array(CommandLine.arguments.dropFirst())
let invocation: Invocation
do {
  invocation = try Invocation.parse(arguments)
} catch {
  writeError("flight-integration: \(error)\n\(Invocation.usage)")
  exit(2)
}

switch invocation.mode {
case .help:
  print(Invocation.usage)
  exit(0)
case .list:
  for name in scenarioNames { print(name) }
  exit(0)
case .server:
  exit(await runServer(invocation))
case .client:
  exit(await runClient(invocation))
}
