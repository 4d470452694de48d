// TLS material for tests, generated on the spot with the openssl command-line tool.

public import Foundation

/// A certificate authority, a server certificate and a client certificate made for one test
/// run, plus a second, unrelated authority for negative tests. All PEM.
public struct TestCertificates: Sendable {
  /// The directory holding the files (removed by ``remove()``).
  public let directory: URL
  /// The authority that signed the server and client certificates.
  public let caCertificate: String
  /// An unrelated authority: verifying the server with it must fail.
  public let otherCACertificate: String
  /// The server's certificate, valid for `localhost`, `127.0.0.1`, `::1` and ``serverAlternativeName``.
  public let serverCertificate: String
  /// The server's private key.
  public let serverKey: String
  /// The client's certificate (common name ``clientCommonName``).
  public let clientCertificate: String
  /// The client's private key.
  public let clientKey: String
  /// A client certificate signed by the unrelated authority.
  public let otherClientCertificate: String
  /// Its private key.
  public let otherClientKey: String

  /// The common name of the client certificate, which servers see as the peer identity.
  public static let clientCommonName = "flight-test-client"
  /// An extra DNS name of the server certificate, for host name override tests.
  public static let serverAlternativeName = "flight.test.invalid"

  /// Generates fresh certificates in a new temporary directory, running openssl on a thread of
  /// its own (key generation takes seconds on a loaded machine: it must not hold a thread of the
  /// small cooperative pool, where servers' handlers run).
  public static func generate() async throws -> TestCertificates {
    try await runOnThread(named: "openssl") { try generateBlocking() }
  }

  private static func generateBlocking() throws -> TestCertificates {
    let directory = FileManager.default.temporaryDirectory.appendingPathComponent(
      "flight-certs-\(UUID().uuidString)")
    try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
    func path(_ name: String) -> String { directory.appendingPathComponent(name).path }

    func makeAuthority(_ name: String) throws {
      try openssl([
        "req", "-x509", "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:prime256v1", "-nodes",
        "-keyout", path("\(name).key"), "-out", path("\(name).pem"), "-days", "2", "-subj", "/CN=\(name)",
        "-addext", "basicConstraints=critical,CA:TRUE", "-addext", "keyUsage=critical,keyCertSign,cRLSign",
      ])
    }
    func makeLeaf(_ name: String, commonName: String, authority: String, extensions: String) throws {
      try openssl([
        "req", "-new", "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:prime256v1", "-nodes",
        "-keyout", path("\(name).key"), "-out", path("\(name).csr"), "-subj", "/CN=\(commonName)",
      ])
      try extensions.write(toFile: path("\(name).ext"), atomically: true, encoding: .utf8)
      try openssl([
        "x509", "-req", "-in", path("\(name).csr"), "-CA", path("\(authority).pem"), "-CAkey",
        path("\(authority).key"), "-CAcreateserial", "-out", path("\(name).pem"), "-days", "2", "-extfile",
        path("\(name).ext"),
      ])
    }

    try makeAuthority("ca")
    try makeAuthority("other-ca")
    try makeLeaf(
      "server", commonName: "localhost", authority: "ca",
      extensions: """
        basicConstraints=CA:FALSE
        extendedKeyUsage=serverAuth
        subjectAltName=DNS:localhost,IP:127.0.0.1,IP:::1,DNS:\(serverAlternativeName)
        """)
    let clientExtensions = "basicConstraints=CA:FALSE\nextendedKeyUsage=clientAuth\n"
    try makeLeaf("client", commonName: clientCommonName, authority: "ca", extensions: clientExtensions)
    try makeLeaf("other-client", commonName: "stranger", authority: "other-ca", extensions: clientExtensions)

    func read(_ name: String) throws -> String { try String(contentsOfFile: path(name), encoding: .utf8) }
    return TestCertificates(
      directory: directory, caCertificate: try read("ca.pem"), otherCACertificate: try read("other-ca.pem"),
      serverCertificate: try read("server.pem"), serverKey: try read("server.key"),
      clientCertificate: try read("client.pem"), clientKey: try read("client.key"),
      otherClientCertificate: try read("other-client.pem"), otherClientKey: try read("other-client.key"))
  }

  /// The path of one of the generated files: `ca.pem`, `server.pem`, `server.key`, `client.pem`, ….
  public func file(_ name: String) -> String {
    directory.appendingPathComponent(name).path
  }

  /// Deletes the generated files.
  public func remove() {
    try? FileManager.default.removeItem(at: directory)
  }

  /// Runs openssl with `arguments`, throwing its stderr when it fails.
  private static func openssl(_ arguments: [String]) throws {
    let result = try TestProcess.runBlocking(URL(fileURLWithPath: "/usr/bin/openssl"), arguments, timeout: 120)
    guard result.status == 0 else {
      throw InteropError("openssl \(arguments.prefix(2).joined(separator: " ")) failed: \(result.stderr)")
    }
  }
}
