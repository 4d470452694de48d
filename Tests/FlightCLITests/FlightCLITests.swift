// The `flight` tool driven as a user drives it: real processes, real files, pyarrow checking
// the data.

internal import Foundation
internal import InteropSupport
internal import Testing

#if canImport(Glibc)
  internal import Glibc
#elseif canImport(Musl)
  internal import Musl
#endif

@Suite("flight command line", .serialized)
struct FlightCLITests {
  @Test func helpEverywhere() async throws {
    try await InteropLock.run {
      for command in [[], ["serve"], ["list"], ["info"], ["schema"], ["get"], ["put"], ["actions"], ["action"]] {
        let result = try await flight(command + ["--help"])
        #expect(result.status == 0, "\(command): \(result)")
        #expect(result.stdout.contains("USAGE: flight"), "\(command): \(result)")
      }
      let get = try await flight(["get", "--help"])
      for option in ["--path", "--cmd", "--ticket", "--output", "--format", "--location", "--tls-roots", "--header"] {
        #expect(get.stdout.contains(option), "flight get --help lacks \(option)")
      }
    }
  }

  @Test func browseTheSampleTables() async throws {
    let directory = try temporaryDirectory()
    defer { try? FileManager.default.removeItem(at: directory) }
    try await InteropLock.run {
      try await withFlightServer(["--port", "0", "--data-dir", directory.path]) { server in
        #expect(server.firstLine == "Server listening on localhost:\(server.port)")
        let location = ["--location", server.location]

        let list = try await flight(["list"] + location)
        expectSuccess(list)
        #expect(list.lines.count == 3, "\(list)")
        #expect(
          list.lines.dropFirst().map { $0.split(separator: " ").first.map(String.init) } == [
            "dataset/products", "dataset/sales",
          ])
        #expect(list.lines.allSatisfy { !$0.contains("dataset") || $0.split(separator: " ")[1] == "3" }, "\(list)")

        let info = try await flight(["info", "--path", "dataset/sales"] + location)
        expectSuccess(info)
        for line in ["flight: dataset/sales", "records: 3", "  date: string", "  amount: double", "  region: string"] {
          #expect(info.lines.contains(line), "\(info)")
        }
        #expect(info.lines.contains("      locations: (this server)"), "\(info)")
        let byCommand = try await flight(["info", "--cmd", "dataset/sales"] + location)
        expectSuccess(byCommand)
        #expect(byCommand.lines.contains("records: 3"), "\(byCommand)")

        let schema = try await flight(["schema", "--path", "dataset/products"] + location)
        expectSuccess(schema)
        #expect(schema.stdout == "id: int64\nname: string\nprice: double\n")

        let get = try await flight(["get", "--path", "dataset/sales"] + location)
        expectSuccess(get)
        #expect(
          get.stdout == """
            pyarrow.Table
            date: string
            amount: double
            region: string
            ----
            date: [["2023-01-01","2023-01-02","2023-01-03"]]
            amount: [[100,150,200]]
            region: [["North","South","East"]]

            """)

        // The ticket is opaque, but one shown by `info` can be fetched as it is.
        let ticketLine = try #require(info.lines.first { $0.hasPrefix("  [0] ticket: ") })
        let ticket = String(ticketLine.dropFirst("  [0] ticket: ".count))
        let byTicket = try await flight(["get", "--ticket", ticket] + location)
        expectSuccess(byTicket)
        #expect(byTicket.stdout == get.stdout)

        let actions = try await flight(["actions"] + location)
        expectSuccess(actions)
        let types = actions.lines.dropFirst().map { String($0.split(separator: " ")[0]) }
        #expect(types == ["list_tables", "get_stats", "drop_table", "CancelFlightInfo", "RenewFlightEndpoint"])

        let tables = try await flight(["action", "list_tables"] + location)
        expectSuccess(tables)
        #expect(tables.lines == ["dataset/products", "dataset/sales"])

        let stats = try await flight(["action", "get_stats"] + location)
        expectSuccess(stats)
        let json = try #require(
          try JSONSerialization.jsonObject(with: Data(stats.stdout.utf8)) as? [String: Any], "\(stats)")
        #expect(json["tables"] as? Int == 2)
        #expect(json["total_rows"] as? Int == 6)

        let withHeaders = try await flight(["list", "--header", "x-test:1", "--timeout", "30"] + location)
        expectSuccess(withHeaders)
        #expect(withHeaders.stdout == list.stdout)
      }
    }
  }

  @Test func putAndGetFilesCheckedByPyarrow() async throws {
    let directory = try temporaryDirectory()
    defer { try? FileManager.default.removeItem(at: directory) }
    func file(_ name: String) -> String { directory.appendingPathComponent(name).path }
    try await InteropLock.run {
      _ = try await runPythonScript("cli_checks.py", arguments: ["write", file("in.arrow"), "--format", "file"])
      _ = try await runPythonScript("cli_checks.py", arguments: ["write", file("in.arrows"), "--format", "stream"])
      try await withFlightServer(["--port", "0", "--data-dir", file("data")]) { server in
        let location = ["--location", server.location]
        for (input, path) in [("in.arrow", "uploads/from-file"), ("in.arrows", "uploads/from-stream")] {
          let put = try await flight(["put", "--path", path, "--input", file(input)] + location)
          expectSuccess(put)
          #expect(put.stdout.hasPrefix("Uploaded 3000 rows (3 batches, "), "\(put)")
        }
        for path in ["uploads/from-file", "uploads/from-stream"] {
          for format in ["file", "stream"] {
            let output = file("\(path.replacingOccurrences(of: "/", with: "-")).\(format)")
            let get = try await flight(["get", "--path", path, "--output", output, "--format", format] + location)
            expectSuccess(get)
            #expect(get.stdout.isEmpty)
            let magic = try FileHandle(forReadingFrom: URL(fileURLWithPath: output)).read(upToCount: 6)
            #expect((magic == Data("ARROW1".utf8)) == (format == "file"))
            let verdict = try await runPythonScript("cli_checks.py", arguments: ["verify", output])
            #expect(verdict == "ok\n")
          }
        }
        let list = try await flight(["list", "--criteria", "uploads/"] + location)
        expectSuccess(list)
        #expect(list.lines.count == 3, "\(list)")

        // A failed get leaves no file behind.
        let missing = try await flight(["get", "--path", "no/such", "--output", file("missing.arrow")] + location)
        expectError(missing, kind: "notFound")
        #expect(!FileManager.default.fileExists(atPath: file("missing.arrow")))
      }
    }
  }

  @Test func tablesPersistAcrossRestarts() async throws {
    let directory = try temporaryDirectory()
    defer { try? FileManager.default.removeItem(at: directory) }
    let data = directory.appendingPathComponent("data").path
    let input = directory.appendingPathComponent("in.arrow").path
    let output = directory.appendingPathComponent("out.arrow").path
    try await InteropLock.run {
      _ = try await runPythonScript("cli_checks.py", arguments: ["write", input])
      let first = try await startFlightServer(["--port", "0", "--data-dir", data])
      expectSuccess(try await flight(["put", "--path", "kept/table", "--input", input, "--location", first.location]))
      let drop = try await flight(["action", "drop_table", "--body", "dataset/products", "--location", first.location])
      expectSuccess(drop)
      let firstStop = await first.stop(signal: SIGTERM)
      #expect(firstStop.status == 0, "\(firstStop)")
      #expect(FileManager.default.fileExists(atPath: data + "/kept/table.arrow"))
      #expect(!FileManager.default.fileExists(atPath: data + "/dataset/products.arrow"))

      // SIGTERM lost nothing: the put table is back, the dropped one stays dropped.
      let second = try await startFlightServer(["--port", "0", "--data-dir", data])
      let tables = try await flight(["action", "list_tables", "--location", second.location])
      expectSuccess(tables)
      #expect(tables.lines == ["dataset/sales", "kept/table"])
      expectSuccess(
        try await flight(["get", "--path", "kept/table", "--output", output, "--location", second.location]))
      #expect(try await runPythonScript("cli_checks.py", arguments: ["verify", output]) == "ok\n")

      // Replace it, stop with SIGINT this time, and find the replacement after the restart.
      let sales = directory.appendingPathComponent("sales.arrow").path
      expectSuccess(
        try await flight(["get", "--path", "dataset/sales", "--output", sales, "--location", second.location]))
      expectSuccess(try await flight(["put", "--path", "kept/table", "--input", sales, "--location", second.location]))
      let secondStop = await second.stop(signal: SIGINT)
      #expect(secondStop.status == 0, "\(secondStop)")
      let third = try await startFlightServer(["--port", "0", "--data-dir", data])
      let info = try await flight(["info", "--path", "kept/table", "--location", third.location])
      expectSuccess(info)
      #expect(info.lines.contains("records: 3"), "\(info)")
      #expect(await third.stop().status == 0)
      // No temporary file is left in the data directory.
      let leftovers = try FileManager.default.subpathsOfDirectory(atPath: data).filter { $0.hasSuffix(".tmp") }
      #expect(leftovers.isEmpty)
    }
  }

  @Test func pathsCannotEscapeTheDataDirectory() async throws {
    let directory = try temporaryDirectory()
    defer { try? FileManager.default.removeItem(at: directory) }
    let data = directory.appendingPathComponent("data").path
    let input = directory.appendingPathComponent("in.arrow").path
    try await InteropLock.run {
      try await withFlightServer(["--port", "0", "--data-dir", data]) { server in
        let location = ["--location", server.location]
        expectSuccess(try await flight(["get", "--path", "dataset/sales", "--output", input] + location))
        for path in ["../escape", "a/../../escape", "..", "a//b", "/abs", "a/", "./x", ".hidden/x"] {
          let put = try await flight(["put", "--path", path, "--input", input] + location)
          expectError(put, kind: "invalidArgument")
        }
        let drop = try await flight(["action", "drop_table", "--body", "../data/dataset/sales"] + location)
        expectError(drop, kind: "invalidArgument")
        let tables = try await flight(["action", "list_tables"] + location)
        #expect(tables.lines == ["dataset/products", "dataset/sales"])
      }
      let outside = try FileManager.default.contentsOfDirectory(atPath: directory.path).sorted()
      #expect(outside == ["data", "in.arrow"])
    }
  }

  @Test func errorsAreOneLine() async throws {
    let directory = try temporaryDirectory()
    defer { try? FileManager.default.removeItem(at: directory) }
    try await InteropLock.run {
      expectError(try await flight(["list", "--location", "grpc://localhost:1"]), kind: "unavailable")
      expectError(try await flight(["list", "--location", "nonsense"]), kind: "invalid")
      expectError(try await flight(["list", "--location", "http://localhost:1"]), kind: "invalidArgument")
      expectError(try await flight(["get"]), kind: "invalid")
      expectError(try await flight(["get", "--path", "a", "--cmd", "b"]), kind: "invalid")
      expectError(try await flight(["list", "--header", "novalue"]), kind: "invalid")
      expectError(try await flight(["frobnicate"]), kind: "invalid")
      try await withFlightServer(["--port", "0"]) { server in
        let location = ["--location", server.location]
        expectError(try await flight(["get", "--path", "no/such"] + location), kind: "notFound")
        expectError(try await flight(["info", "--path", "no/such"] + location), kind: "notFound")
        expectError(try await flight(["schema", "--cmd", "no/such"] + location), kind: "notFound")
        expectError(try await flight(["action", "frobnicate"] + location), kind: "notImplemented")
        let missing = directory.appendingPathComponent("missing.arrow").path
        expectError(try await flight(["put", "--path", "a/b", "--input", missing] + location), kind: "io")
        let garbage = directory.appendingPathComponent("garbage.arrow").path
        try Data("not arrow at all".utf8).write(to: URL(fileURLWithPath: garbage))
        expectError(try await flight(["put", "--path", "a/b", "--input", garbage] + location), kind: "invalid")
      }
      // A port in use: the server says so and exits non-zero.
      try await withFlightServer(["--port", "0"]) { server in
        let second = try await flight(["serve", "--port", String(server.port)], timeout: 30)
        expectError(second, kind: "unavailable")
      }
    }
  }

  @Test func pyarrowClientAgainstFlightServe() async throws {
    try await InteropLock.run {
      try await withFlightServer(["--port", "0"]) { server in
        let output = try await runPythonScript("cli_checks.py", arguments: ["client", server.location])
        #expect(output == "ok\n")
      }
    }
  }

  @Test func flightAgainstThePyarrowServer() async throws {
    let directory = try temporaryDirectory()
    defer { try? FileManager.default.removeItem(at: directory) }
    let input = directory.appendingPathComponent("in.arrow").path
    let output = directory.appendingPathComponent("out.arrow").path
    try await InteropLock.run {
      _ = try await runPythonScript("cli_checks.py", arguments: ["write", input])
      try await withPeer("pyarrow_server.py") { peer in
        let location = ["--location", peer.location]
        let list = try await flight(["list"] + location)
        expectSuccess(list)
        #expect(
          list.lines.dropFirst().map { String($0.split(separator: " ")[0]) } == [
            "dataset/products", "dataset/sales",
          ])
        // The peer's endpoints carry its own location: `get` connects there.
        let get = try await flight(["get", "--path", "dataset/sales"] + location)
        expectSuccess(get)
        #expect(get.stdout.contains("amount: [[100,150,200]]\n"), "\(get)")
        #expect(get.stdout.contains("region: [[\"North\",\"South\",\"East\"]]\n"), "\(get)")

        expectSuccess(try await flight(["put", "--path", "uploads/cli", "--input", input] + location))
        expectSuccess(try await flight(["get", "--cmd", "uploads/cli", "--output", output] + location))
        #expect(try await runPythonScript("cli_checks.py", arguments: ["verify", output]) == "ok\n")

        let actions = try await flight(["actions"] + location)
        expectSuccess(actions)
        #expect(
          actions.lines.dropFirst().map { String($0.split(separator: " ")[0]) } == [
            "list_tables", "get_stats", "echo",
          ])
        let echo = try await flight(["action", "echo", "--body", "hello"] + location)
        expectSuccess(echo)
        #expect(echo.stdout == "hello\n")
        expectError(try await flight(["get", "--path", "no/such"] + location), kind: "notFound")
      }
    }
  }

  @Test func basicAuthentication() async throws {
    try await InteropLock.run {
      try await withFlightServer(
        ["--port", "0", "--auth-basic", "alice:se:cret"], environment: ["FLIGHT_AUTH_BASIC": "bob:b0b\ncarol:c"]
      ) { server in
        let location = ["--location", server.location]
        expectError(try await flight(["list"] + location), kind: "unauthenticated")
        expectError(
          try await flight(["list", "--user", "alice", "--password", "wrong"] + location), kind: "unauthenticated")
        expectError(
          try await flight(["list", "--header", "authorization:Bearer forged"] + location), kind: "unauthenticated")
        let alice = try await flight(["action", "list_tables", "--user", "alice", "--password", "se:cret"] + location)
        expectSuccess(alice)
        #expect(alice.lines == ["dataset/products", "dataset/sales"])
        // Credentials from the server's environment; the password from the client's.
        let bob = try await flight(
          ["get", "--path", "dataset/sales", "--user", "bob"] + location, environment: ["FLIGHT_PASSWORD": "b0b"])
        expectSuccess(bob)
        #expect(bob.stdout.contains("amount: [[100,150,200]]"), "\(bob)")
        let pyarrow = try await runPythonScript(
          "cli_checks.py", arguments: ["auth-client", server.location, "carol", "c"])
        #expect(pyarrow == "ok\n")
      }
    }
  }

  @Test func unixSocket() async throws {
    let directory = try temporaryDirectory()
    defer { try? FileManager.default.removeItem(at: directory) }
    let socket = directory.appendingPathComponent("flight.sock").path
    try await InteropLock.run {
      try await withFlightServer(["--unix", socket]) { server in
        #expect(server.firstLine == "Server listening on unix:\(socket)")
        let tables = try await flight(["action", "list_tables", "--location", "grpc+unix://\(socket)"])
        expectSuccess(tables)
        #expect(tables.lines == ["dataset/products", "dataset/sales"])
      }
    }
  }

  @Test func tlsAndMutualTLS() async throws {
    let certificates = try await TestCertificates.generate()
    defer { certificates.remove() }
    let serverTLS = ["--tls-cert", certificates.file("server.pem"), "--tls-key", certificates.file("server.key")]
    try await InteropLock.run {
      try await withFlightServer(["--port", "0"] + serverTLS) { server in
        let location = ["--location", "grpc+tls://localhost:\(server.port)"]
        let verified = try await flight(
          ["action", "list_tables", "--tls-roots", certificates.file("ca.pem")] + location)
        expectSuccess(verified)
        #expect(verified.lines == ["dataset/products", "dataset/sales"])
        let renamed = try await flight(
          ["list", "--tls-roots", certificates.file("ca.pem"), "--tls-override-hostname", "flight.test.invalid"]
            + location)
        expectSuccess(renamed)
        let skipped = try await flight(["list", "--insecure-skip-verify"] + location)
        expectSuccess(skipped)
        let untrusted = try await flight(["list", "--tls-roots", certificates.file("other-ca.pem")] + location)
        expectError(untrusted, kind: "unavailable")
      }
      try await withFlightServer(["--port", "0", "--tls-client-ca", certificates.file("ca.pem")] + serverTLS) {
        server in
        let location = [
          "--location", "grpc+tls://localhost:\(server.port)", "--tls-roots", certificates.file("ca.pem"),
        ]
        let anonymous = try await flight(["list"] + location)
        #expect(anonymous.status != 0, "\(anonymous)")
        let client = ["--tls-cert", certificates.file("client.pem"), "--tls-key", certificates.file("client.key")]
        expectSuccess(try await flight(["list"] + location + client))
      }
    }
  }
}
