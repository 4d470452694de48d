// TLS deployments on the public API, against pyarrow both ways: server certificates, client
// certificates required and exposed as the peer identity, wrong and expired certificates.

internal import FlightRPC
internal import Foundation
internal import InteropSupport
internal import Testing

/// Adds expired server and client certificates (signed by the test CA) to `certificates`' directory.
func makeExpiredCertificates(_ certificates: TestCertificates) async throws {
  for (name, extra) in [("expired-server", [String]()), ("expired-client", ["--client"])] {
    _ = try await runPythonScript(
      "expired_cert.py",
      arguments: [
        "--ca-cert", certificates.file("ca.pem"), "--ca-key", certificates.file("ca.key"), "--cert",
        certificates.file("\(name).pem"), "--key", certificates.file("\(name).key"),
      ] + extra)
  }
}

private func read(_ path: String) throws -> String { try String(contentsOfFile: path, encoding: .utf8) }

@Suite("TLS deployments", .serialized)
struct TLSDeploymentTests {
  @Test func pyarrowClientsAgainstASwiftServerRequiringClientCertificates() async throws {
    let certificates = try await TestCertificates.generate()
    defer { certificates.remove() }
    try await InteropLock.run {
      try await makeExpiredCertificates(certificates)
      let server = try FlightServer(
        TestStoreService(), location: .forGRPCTLS(host: "localhost", port: 0),
        options: FlightServerOptions(
          tls: FlightServerTLS(
            certificateChain: certificates.serverCertificate, privateKey: certificates.serverKey,
            clientRootCertificates: certificates.caCertificate)))
      let output = try await runPythonScript(
        "pyarrow_tls_client_checks.py", arguments: ["--port", "\(server.port)", "--certs", certificates.directory.path])
      #expect(output.contains("all checks passed"), "\(output)")
      await server.shutdown()
    }
  }

  @Test func swiftClientAgainstPyarrowTLSServers() async throws {
    let certificates = try await TestCertificates.generate()
    defer { certificates.remove() }
    try await InteropLock.run {
      try await makeExpiredCertificates(certificates)
      let client = FlightClientOptions(
        tlsRootCertificates: certificates.caCertificate, certificateChain: certificates.clientCertificate,
        privateKey: certificates.clientKey)
      try await withPeer(
        "pyarrow_server.py",
        args: [
          "--tls-cert", certificates.file("server.pem"), "--tls-key", certificates.file("server.key"),
          "--tls-client-ca", certificates.file("ca.pem"),
        ]
      ) { peer in
        let location = "grpc+tls://localhost:\(peer.port)"
        let good = try FlightClient(location, options: client)
        #expect(try await good.listActions().map(\.type).contains("echo"))
        let anonymous = try FlightClient(
          location, options: FlightClientOptions(tlsRootCertificates: certificates.caCertificate))
        await #expect(throws: FlightError.self) { _ = try await anonymous.listActions() }
        var expiredClient = client
        expiredClient.certificateChain = try read(certificates.file("expired-client.pem"))
        expiredClient.privateKey = try read(certificates.file("expired-client.key"))
        await #expect(throws: FlightError.self) {
          _ = try await FlightClient(location, options: expiredClient).listActions()
        }
        var wrongCA = client
        wrongCA.tlsRootCertificates = certificates.otherCACertificate
        await #expect {
          _ = try await FlightClient(location, options: wrongCA).listActions()
        } throws: { ($0 as? FlightError)?.kind == .unavailable }
        var skipVerify = wrongCA
        skipVerify.disableServerVerification = true
        #expect(try await FlightClient(location, options: skipVerify).listActions().count == 3)
        var override = client
        override.overrideHostname = TestCertificates.serverAlternativeName
        #expect(try await FlightClient("grpc+tls://127.0.0.1:\(peer.port)", options: override).listActions().count == 3)
      }
      // A server whose certificate has expired is refused.
      try await withPeer(
        "pyarrow_server.py",
        args: [
          "--tls-cert", certificates.file("expired-server.pem"), "--tls-key", certificates.file("expired-server.key"),
        ]
      ) { peer in
        let expired = try FlightClient(
          "grpc+tls://localhost:\(peer.port)",
          options: FlightClientOptions(tlsRootCertificates: certificates.caCertificate))
        await #expect {
          _ = try await expired.listActions()
        } throws: { ($0 as? FlightError)?.kind == .unavailable }
      }
    }
  }

  @Test func unixSocketServerAndClient() async throws {
    let path = FileManager.default.temporaryDirectory.appendingPathComponent("flight-\(UUID().uuidString).sock").path
    defer { try? FileManager.default.removeItem(atPath: path) }
    let server = try FlightServer(TestStoreService(), location: .forGRPCUnix(path: path))
    let client = try FlightClient("grpc+unix://\(path)")
    #expect(try await client.listActions().map(\.type) == ["echo", "fail"])
    await server.shutdown()
  }
}
