// FlightServer: hosts a FlightService on gRPC core.

internal import ArrowCore
internal import ArrowIPC
internal import FlightProto
internal import FlightTransport

/// A Flight server: serves a ``FlightService`` at a location (TCP, TLS, mutual TLS or Unix
/// domain socket) on gRPC core.
///
/// ```swift
/// let server = try FlightServer(MyService(), location: .forGRPCTCP(host: "localhost", port: 0))
/// print("Server listening on localhost:\(server.port)")
/// await server.wait()
/// ```
///
/// The server serves from the moment it is created until ``shutdown()`` or until it is
/// released: a released server stops accepting calls and cancels those in flight, without
/// waiting. A handler's error ends its call only. Each call's handler runs in its own task,
/// cancelled when the call is (the client cancels, its deadline passes, or shutdown cancels it).
public final class FlightServer: Sendable {
  private let server: GRPCServer
  private let options: FlightServerOptions
  /// The port bound (useful with port 0); 0 for a Unix socket.
  public let port: Int
  /// The location clients use to reach this server, with the real port.
  public let location: Location

  /// Starts serving `service` at `location` (`grpc://`, `grpc+tcp://` or `grpc+tls://` with a
  /// host and a port, where port 0 picks a free one; or `grpc+unix:` with a socket path).
  ///
  /// - Throws: ``FlightError`` (`.invalidArgument`) for a location it cannot serve, or
  ///   (`.unavailable`) when the address cannot be bound, e.g. the port is taken.
  public init(_ service: some FlightService, location: Location, options: FlightServerOptions = FlightServerOptions())
    throws
  {
    self.options = options
    let limit = options.maxReceiveMessageLength.map { Int32(clamping: $0) } ?? -1
    let dispatcher = FlightDispatcher(
      service: service, authHandler: options.authHandler, middleware: options.middleware)
    server = GRPCServer(maxReceiveMessageLength: limit) { call in await dispatcher.handle(call) }

    let security: ServerSecurity
    switch (location.scheme, options.tls) {
    case (Location.grpcTLSScheme, let tls?):
      security = .tls(
        certificateChain: tls.certificateChain, privateKey: tls.privateKey,
        clientRootCertificates: tls.clientRootCertificates)
    case (Location.grpcTLSScheme, nil):
      throw FlightError(.invalidArgument, "\(location.uri) needs TLS settings (FlightServerOptions.tls)")
    case ("grpc", _), (Location.grpcTCPScheme, _), (Location.grpcUnixScheme, _):
      security = .insecure
    default:
      throw FlightError(.invalidArgument, "cannot serve \(location.uri): use grpc, grpc+tcp, grpc+tls or grpc+unix")
    }
    let address: String
    if location.scheme == Location.grpcUnixScheme {
      address = location.grpcUnixTarget
    } else {
      // As Arrow C++: the location says which port; 0 asks for a free one.
      guard let host = location.host, let port = location.port else {
        throw FlightError(
          .invalidArgument, "cannot serve \(location.uri): a server location needs a port (:0 picks a free one)")
      }
      address = "\(host.contains(":") ? "[\(host)]" : host):\(port)"
    }
    do {
      port = try server.bind(address, security: security)
    } catch {
      throw FlightError(.unavailable, "cannot listen on \(location.uri): \(error.status.message)")
    }
    if location.scheme == Location.grpcUnixScheme {
      self.location = location
    } else {
      let host = location.host ?? ""
      self.location =
        (try? Location(uri: "\(location.scheme)://\(host.contains(":") ? "[\(host)]" : host):\(port)")) ?? location
    }
    server.start()
  }

  /// Stops accepting calls, lets calls in flight finish within the grace period, then
  /// cancels what is left. Idempotent.
  public func shutdown() async {
    await server.shutdown(grace: options.shutdownGracePeriod)
  }

  /// Stops accepting calls, lets calls in flight finish until `deadline`, then cancels those
  /// left (Arrow C++'s `Shutdown(deadline)`); returns once every call is over. A cancelled
  /// call's handler task is cancelled too, so handlers see `Task.isCancelled` and run their
  /// cancellation handlers. A deadline already past cancels the calls in flight at once.
  public func shutdown(deadline: ContinuousClock.Instant) async {
    await server.shutdown(deadline: deadline)
  }

  /// Waits until the server has shut down.
  public func wait() async {
    await server.wait()
  }

  /// Serves until the task is cancelled (then shuts down) or ``shutdown()`` is called.
  public func serve() async {
    await withTaskCancellationHandler {
      await server.wait()
    } onCancel: {
      Task { await self.shutdown() }
    }
  }
}
