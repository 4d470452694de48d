// The options every client command shares: where to connect and how.

internal import ArgumentParser
internal import FlightRPC
internal import Foundation

struct ClientOptions: ParsableArguments {
  @Option(
    help: ArgumentHelp(
      "The server: grpc://host:port, grpc+tcp://, grpc+tls:// or grpc+unix:///path.", valueName: "uri"))
  var location = "grpc://localhost:8815"

  @Option(help: ArgumentHelp("Root certificates (PEM file) to verify a TLS server with.", valueName: "pem"))
  var tlsRoots: String?

  @Option(help: ArgumentHelp("The client's certificate chain (PEM file), for mutual TLS.", valueName: "pem"))
  var tlsCert: String?

  @Option(help: ArgumentHelp("The client's private key (PEM file), for mutual TLS.", valueName: "pem"))
  var tlsKey: String?

  @Option(help: ArgumentHelp("Verify the server's certificate against this name.", valueName: "name"))
  var tlsOverrideHostname: String?

  @Flag(help: "Accept any server certificate (tests and trusted networks only).")
  var insecureSkipVerify = false

  @Option(help: "The user name for Basic authentication (with --password).")
  var user: String?

  @Option(help: "The password for Basic authentication (or the environment variable FLIGHT_PASSWORD).")
  var password: String?

  @Option(
    name: .customLong("header"),
    help: ArgumentHelp("A header sent with every call (repeatable).", valueName: "key:value"))
  var headers: [String] = []

  @Option(help: ArgumentHelp("The deadline of each call, in seconds.", valueName: "seconds"))
  var timeout: Double?

  func validate() throws {
    guard (tlsCert == nil) == (tlsKey == nil) else {
      throw ValidationError("--tls-cert and --tls-key go together")
    }
    if password != nil && user == nil { throw ValidationError("--password needs --user") }
    for header in headers {
      guard let colon = header.firstIndex(of: ":"), colon != header.startIndex else {
        throw ValidationError("--header \(String(reflecting: header)) is not KEY:VALUE")
      }
    }
    if let timeout, !(timeout > 0 && timeout.isFinite) {
      throw ValidationError("--timeout must be a positive number of seconds")
    }
  }

  /// The password from --password or FLIGHT_PASSWORD.
  var resolvedPassword: String? {
    password ?? ProcessInfo.processInfo.environment["FLIGHT_PASSWORD"]
  }

  /// The options of every call: the deadline and the headers.
  var callOptions: FlightCallOptions {
    var headers = FlightHeaders()
    for header in self.headers {
      let colon = header.firstIndex(of: ":")!
      headers.add(
        String(header[..<colon]).trimmingCharacters(in: .whitespaces).lowercased(),
        String(header[header.index(after: colon)...]).trimmingCharacters(in: .whitespaces))
    }
    return FlightCallOptions(timeout: timeout.map { .milliseconds(Int64(($0 * 1000).rounded(.up))) }, headers: headers)
  }

  /// The client options (TLS settings read from their files, and the call options).
  func clientOptions() throws -> FlightClientOptions {
    FlightClientOptions(
      tlsRootCertificates: try tlsRoots.map(readText), certificateChain: try tlsCert.map(readText),
      privateKey: try tlsKey.map(readText), overrideHostname: tlsOverrideHostname,
      disableServerVerification: insecureSkipVerify, callOptions: callOptions)
  }

  /// A client of `--location`, authenticated when --user is given.
  func connect() async throws -> Connection {
    let location: Location
    do {
      location = try Location(uri: self.location)
    } catch {
      throw CLIError.invalid("\(error)")
    }
    return try await connect(to: location)
  }

  /// A client of `location` with these options, authenticated when --user is given.
  func connect(to location: Location) async throws -> Connection {
    let client = try FlightClient(location: location, options: try clientOptions())
    // The headers and deadline are in the client's options already; a call adds only the
    // authentication header, if any.
    var options = FlightCallOptions(timeout: callOptions.timeout)
    if let user {
      guard let password = resolvedPassword else {
        throw CLIError.invalid("--user needs --password (or FLIGHT_PASSWORD)")
      }
      try await authenticate(client, user: user, password: password, options: &options)
    }
    return Connection(client: client, options: options)
  }

  /// Basic token authentication: the Bearer token the handshake returns goes with every later call.
  private func authenticate(
    _ client: FlightClient, user: String, password: String, options: inout FlightCallOptions
  ) async throws {
    let header = try await client.authenticateBasicToken(username: user, password: password, options: options)
    options.headers.add(header.key, header.value)
  }
}

/// A connected client and the options of its calls.
struct Connection: Sendable {
  let client: FlightClient
  let options: FlightCallOptions
}
