import Foundation
import Testing

#if canImport(FoundationNetworking)
  import FoundationNetworking
#endif

/// `medref serve` as a process: it listens, answers over HTTP, logs each request and stops cleanly on a signal.
@Suite("medref serve")
struct ServeTests {
  /// A running `medref serve --port 0` with stderr in a file; `address` is what it announced.
  final class Server: @unchecked Sendable {
    let process = Process()
    let errURL: URL
    var address = ""

    /// With `openFileLimit`, the server runs under `ulimit -n` that many (through `/bin/sh`, which it replaces).
    /// `index` is the sandbox's unless given.
    init(sandbox: Sandbox, arguments: [String], openFileLimit: Int? = nil, index: String? = nil) throws {
      errURL = sandbox.url("serve-\(UUID().uuidString).err")
      try Data().write(to: errURL)
      let serve = ["serve", "--port", "0", "--index", index ?? sandbox.index] + arguments
      if let openFileLimit {
        process.executableURL = URL(fileURLWithPath: "/bin/sh")
        let script = "ulimit -n \(openFileLimit) && exec \"$0\" \"$@\""
        process.arguments = ["-c", script, try MedRefBinary.url().path] + serve
      } else {
        process.executableURL = try MedRefBinary.url()
        process.arguments = serve
      }
      process.currentDirectoryURL = sandbox.root
      process.standardOutput = FileHandle.nullDevice
      process.standardError = try FileHandle(forWritingTo: errURL)
      process.standardInput = FileHandle.nullDevice
      try process.run()
    }

    var stderr: String { (try? String(contentsOf: errURL, encoding: .utf8)) ?? "" }

    /// The port it announced.
    var port: Int { Int(address.split(separator: ":").last ?? "") ?? 0 }

    /// CPU seconds (user and system) the process has used so far, from `/proc` (nil where there is none).
    var cpuSeconds: Double? {
      guard let stat = try? String(contentsOfFile: "/proc/\(process.processIdentifier)/stat", encoding: .utf8),
        let close = stat.lastIndex(of: ")")
      else { return nil }
      // Fields after the command name: state is field 3, utime 14 and stime 15 (clock ticks, 100 a second).
      let fields = stat[stat.index(after: close)...].split(separator: " ")
      guard fields.count > 13, let user = Double(fields[11]), let system = Double(fields[12]) else { return nil }
      return (user + system) / Double(sysconf(Int32(_SC_CLK_TCK)))
    }

    /// Waits (up to 30 s) for the "serving … at http://…/" line.
    func waitUntilListening() async throws {
      for _ in 0..<300 {
        if let line = stderr.split(separator: "\n").first(where: { $0.contains(" at http://") }),
          let range = line.range(of: "http://")
        {
          address = String(line[range.lowerBound...].split(separator: " ")[0])
          if address.hasSuffix("/") { address.removeLast() }
          return
        }
        if !process.isRunning { break }
        try await Task.sleep(nanoseconds: 100_000_000)
      }
      Issue.record("medref serve did not announce an address: \(stderr)")
      throw CancellationError()
    }

    func get(_ target: String) async throws -> (status: Int, body: String, type: String) {
      let (data, response) = try await URLSession.shared.data(from: URL(string: address + target)!)
      let http = try #require(response as? HTTPURLResponse)
      return (
        http.statusCode, String(decoding: data, as: UTF8.self), http.value(forHTTPHeaderField: "Content-Type") ?? ""
      )
    }

    /// Sends `signal` and waits (up to 30 s) for the process to end; its exit status.
    func stop(_ signal: Int32) async throws -> Int32 {
      kill(process.processIdentifier, signal)
      for _ in 0..<300 where process.isRunning { try await Task.sleep(nanoseconds: 100_000_000) }
      if process.isRunning {
        process.terminate()
        Issue.record("medref serve did not stop on signal \(signal)")
      }
      process.waitUntilExit()
      return process.terminationStatus
    }
  }

  @Test(
    "serves the search page, the API and the article page; logs each request; stops on the signal",
    arguments: [SIGTERM, SIGINT])
  func serve(signal: Int32) async throws {
    try await Sandbox.with { sandbox in
      try sandbox.makeCorpus(badFiles: false)
      try await sandbox.ingestCorpus()
      let server = try Server(sandbox: sandbox, arguments: [])
      try await server.waitUntilListening()
      #expect(server.address.hasPrefix("http://127.0.0.1:"), "\(server.address)")

      let health = try await server.get("/healthz")
      #expect(health.status == 200 && health.body == "{\"documents\":3,\"status\":\"ok\"}\n", "\(health)")
      let page = try await server.get("/?q=numbness")
      #expect(page.status == 200 && page.type == "text/html; charset=utf-8")
      #expect(page.body.contains("href=\"/doc/corpus/back-spasms\""), "\(page.body)")
      #expect(page.body.contains("What Are The Symptoms Of The Lower Back Muscle Spasm"))
      let api = try await server.get("/api/search?q=numbness&kind=symptoms")
      let object = try JSON.object(api.body)
      let results = try #require(object["results"] as? [[String: Any]])
      #expect(results.first?["id"] as? String == "corpus/back-spasms")
      // The same object as the command line's.
      let cli = try await sandbox.medref(
        "search", "numbness", "--section", "symptoms", "--json", "--index", sandbox.index)
      #expect(api.body == cli.stdout, "\(api.body)\n\(cli.stdout)")
      let article = try await server.get("/doc/corpus/back-spasms")
      #expect(article.status == 200 && article.body.contains("<h1>How To Help Lower Back Spasms</h1>"))
      let bad = try await server.get("/api/search?q=x&limit=1000")
      #expect(bad.status == 400 && bad.body.contains("limit"))

      #expect(try await server.stop(signal) == 0, "\(server.stderr)")
      let log = server.stderr
      #expect(log.contains("127.0.0.1 GET /healthz 200 30 "), "\(log)")
      #expect(log.contains("127.0.0.1 GET /api/search?q=x&limit=1000 400 "), "\(log)")
      #expect(log.hasSuffix("medref: stopped\n"), "\(log)")
    }
  }

  @Test("two servers answer from copies of one index opened --immutable, and leave no -wal or -shm beside them")
  func immutableCopies() async throws {
    try await Sandbox.with { sandbox in
      try sandbox.makeCorpus(badFiles: false)
      try await sandbox.ingestCorpus()
      let bytes = try Data(contentsOf: URL(fileURLWithPath: sandbox.index))
      let copies = ["copy-a/medref.sqlite", "copy-b/medref.sqlite"]
      for copy in copies { try sandbox.write(bytes, to: copy) }
      let cli = try await sandbox.medref("search", "numbness", "--json", "--index", sandbox.index)
      var servers: [Server] = []
      for copy in copies {
        let server = try Server(sandbox: sandbox, arguments: ["--immutable"], index: sandbox.url(copy).path)
        try await server.waitUntilListening()
        servers.append(server)
      }
      for server in servers {
        let api = try await server.get("/api/search?q=numbness")
        #expect(api.status == 200 && api.body == cli.stdout, "\(api.body)")
        let health = try await server.get("/healthz")
        #expect(health.body == "{\"documents\":3,\"status\":\"ok\"}\n", "\(health)")
      }
      for server in servers { #expect(try await server.stop(SIGTERM) == 0, "\(server.stderr)") }
      for copy in copies {
        let folder = sandbox.url(copy).deletingLastPathComponent().path
        #expect(try FileManager.default.contentsOfDirectory(atPath: folder) == ["medref.sqlite"])
        #expect(try Data(contentsOf: sandbox.url(copy)) == bytes, "an immutable copy is never written")
      }
    }
  }

  @Test("the search page and an article page match their golden files")
  func golden() async throws {
    try await Sandbox.with { sandbox in
      try sandbox.makeCorpus(badFiles: false)
      try await sandbox.ingestCorpus()
      let server = try Server(sandbox: sandbox, arguments: ["--quiet"])
      try await server.waitUntilListening()
      let search = try await server.get("/?q=numbness")
      try Golden.check(Data(search.body.utf8), against: "serve-search-numbness.html")
      let article = try await server.get("/doc/corpus/gout")
      try Golden.check(Data(article.body.utf8), against: "serve-doc-gout.html")
      #expect(try await server.stop(SIGTERM) == 0)
    }
  }

  @Test("a missing index, a bad port and a port in use get one clear line each")
  func errors() async throws {
    try await Sandbox.with { sandbox in
      let missing = try await sandbox.medref("serve", "--index", sandbox.url("none.sqlite").path)
      #expect(missing.status == 2)
      #expect(missing.stderrLines.count == 1 && missing.stderr.contains("none.sqlite: no index here"), "\(missing)")
      let port = try await sandbox.medref("serve", "--port", "70000")
      #expect(port.status == 2 && port.stderr.contains("--port must be from 0 to 65535"), "\(port)")

      try sandbox.makeCorpus(badFiles: false)
      try await sandbox.ingestCorpus()
      let first = try Server(sandbox: sandbox, arguments: ["--quiet"])
      try await first.waitUntilListening()
      let taken = String(first.address.split(separator: ":").last!)
      let second = try await sandbox.medref("serve", "--port", taken, "--index", sandbox.index)
      #expect(second.status == 1, "\(second)")
      // One line naming the address and the cause, not NIO's `bind(descriptor:ptr:bytes:)… (errno: 98)`.
      #expect(second.stderrLines.count == 1, "\(second)")
      #expect(
        second.stderr.hasPrefix("medref: 127.0.0.1:\(taken): cannot listen: address already in use"), "\(second)")
      #expect(!second.stderr.contains("errno") && !second.stderr.contains("bind("), "\(second)")
      _ = try await first.get("/healthz")
      #expect(try await first.stop(SIGTERM) == 0)
      #expect(!first.stderr.contains("GET /healthz"), "--quiet: \(first.stderr)")
    }
  }

  /// A running server over the sample corpus, with `arguments` added.
  private func startServer(
    _ sandbox: Sandbox, _ arguments: [String], openFileLimit: Int? = nil
  ) async throws -> Server {
    try sandbox.makeCorpus(badFiles: false)
    try await sandbox.ingestCorpus()
    let server = try Server(sandbox: sandbox, arguments: arguments, openFileLimit: openFileLimit)
    try await server.waitUntilListening()
    return server
  }

  @Test("a request must name this machine or an --allow-host name in Host: evil.com gets 421 (DNS rebinding)")
  func hostAllowlist() async throws {
    try await Sandbox.with { sandbox in
      let server = try await startServer(sandbox, ["--allow-host", "medref.example"])
      let port = server.port
      for host in [
        "127.0.0.1:\(port)", "127.0.0.1", "localhost:\(port)", "LocalHost", "localhost.", "[::1]:\(port)",
        "medref.example", "Medref.Example:80",
      ] {
        let answer = try await RawConnection.exchange(port: port, RawConnection.get("/healthz", host: host))
        #expect(
          answer?.status == 200 && answer?.body.contains("\"status\":\"ok\"") == true,
          "Host: \(host): \(String(describing: answer))")
      }
      // Names a rebinding page would send, on every path (the API most of all).
      for (target, host) in [
        ("/healthz", "evil.com"), ("/api/search?q=numbness", "evil.com:\(port)"), ("/doc/corpus/gout", "evil.com"),
        ("/?q=numbness", "127.0.0.1.evil.com"), ("/api/doc/corpus/gout", "localhost.evil.com"),
        ("/healthz", "medref.example.evil.com"),
      ] {
        let answer = try #require(
          try await RawConnection.exchange(port: port, RawConnection.get(target, host: host)), "\(target) \(host)")
        #expect(answer.status == 421, "\(target) Host: \(host): \(answer)")
        #expect(answer.headers["content-type"] == "text/plain; charset=utf-8", "\(answer)")
        #expect(answer.body.hasPrefix("421 Misdirected Request: host '"), "\(answer)")
        #expect(!answer.body.contains("results") && !answer.body.contains("documents"), "\(answer)")
      }
      // A missing Host on HTTP/1.1, two of them, a malformed one: 400; HTTP/1.0 may leave it out.
      let malformed = [
        (RawConnection.get("/healthz", host: nil), "missing Host header"),
        (RawConnection.get("/healthz", host: "127.0.0.1", extraHeaders: "Host: evil.com\r\n"), "more than one Host"),
        (RawConnection.get("/healthz", host: "localhost@evil.com"), "malformed Host header"),
        (RawConnection.get("/healthz", host: "localhost:80x"), "malformed Host header"),
      ]
      for (request, reason) in malformed {
        let answer = try await RawConnection.exchange(port: port, request)
        #expect(
          answer?.status == 400 && answer?.body.contains(reason) == true, "\(request): \(String(describing: answer))")
      }
      let http10 = try await RawConnection.exchange(port: port, "GET /healthz HTTP/1.0\r\n\r\n")
      #expect(http10?.status == 200, "\(String(describing: http10))")
      // An absolute-form target names its host too.
      let absolute = try await RawConnection.exchange(
        port: port, "GET http://evil.com/healthz HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n")
      #expect(absolute?.status == 421, "\(String(describing: absolute))")

      // A refusal closes the connection: nothing more is read on it.
      let connection = try RawConnection(port: port)
      try await connection.send(RawConnection.get("/healthz", host: "evil.com"))
      let refused = try await connection.readResponse()
      #expect(refused?.status == 421 && refused?.headers["connection"] == "close")
      #expect(try await connection.secondsUntilClosed(timeout: 30) != nil, "the connection stays open after a 421")

      #expect(try await server.stop(SIGTERM) == 0, "\(server.stderr)")
      let log = server.stderr
      #expect(log.contains("127.0.0.1 GET /healthz 421 "), "\(log)")
      #expect(log.contains("127.0.0.1 GET /api/search?q=numbness 421 "), "\(log)")
      #expect(!log.contains("warning"), "listening on loopback is not warned about: \(log)")
    }
  }

  @Test(
    "a silent, partial or dribbled request is cut off after --read-timeout, an idle connection after --idle-timeout")
  func timeouts() async throws {
    try await Sandbox.with { sandbox in
      let server = try await startServer(sandbox, ["--read-timeout", "1", "--idle-timeout", "1.5", "--quiet"])
      let port = server.port
      let silent = try RawConnection(port: port)
      let partial = try RawConnection(port: port)
      try await partial.send("GET /healthz HTTP/1.1\r\nHost: 127.0.0.1\r\n")
      // One byte every 100 ms of a header that never ends: more bytes must not buy more time.
      let dribbled = try RawConnection(port: port)
      try await dribbled.waitUntilConnected()
      let keptAlive = try RawConnection(port: port)
      try await keptAlive.waitUntilConnected()
      let asked = Date()
      try await keptAlive.send(RawConnection.get("/healthz", host: "127.0.0.1"))
      #expect(try await keptAlive.readResponse()?.status == 200)

      // Each is timed from a moment before the server's clock for it starts (before the connection was made, before
      // the request on the kept-alive one was sent), so that a loaded machine cannot make the lower bounds fail.
      async let silentClosed = silent.secondsUntilClosed(timeout: 30, since: silent.opened)
      async let partialClosed = partial.secondsUntilClosed(timeout: 30, since: partial.opened)
      let endless = "GET /healthz HTTP/1.1\r\nHost: 127.0.0.1\r\nX-Slow: " + String(repeating: "a", count: 400)
      async let dribbledClosed = dribbled.secondsUntilClosed(timeout: 30, dribble: endless, since: dribbled.opened)
      async let keptAliveClosed = keptAlive.secondsUntilClosed(timeout: 30, since: asked)
      let (a, b, c, d) = try await (silentClosed, partialClosed, dribbledClosed, keptAliveClosed)
      let bounds = [("silent", a, 0.95), ("partial", b, 0.95), ("dribbled", c, 0.95), ("idle", d, 1.45)]
      for (name, seconds, least) in bounds {
        let seconds = try #require(seconds, "the \(name) connection was still open after 30 s")
        #expect(seconds >= least, "\(name) connection closed after \(seconds) s")
      }
      // The dribble (40 s of bytes) was cut off long before its end.
      #expect(try #require(c) < 25)

      // The server is fine and serves new connections.
      let health = try await RawConnection.exchange(port: port, RawConnection.get("/healthz", host: "localhost"))
      #expect(health?.status == 200)
      #expect(try await server.stop(SIGTERM) == 0, "\(server.stderr)")
    }
  }

  @Test("beyond --max-connections a connection gets a quick 503; when one closes, new ones are served again")
  func connectionCap() async throws {
    try await Sandbox.with { sandbox in
      let server = try await startServer(sandbox, ["--max-connections", "2"])
      let port = server.port
      var served: [RawConnection] = []
      for _ in 0..<2 {
        let connection = try RawConnection(port: port)
        try await connection.send(RawConnection.get("/healthz", host: "127.0.0.1"))
        #expect(try await connection.readResponse()?.status == 200)
        served.append(connection)  // kept alive: both places are taken
      }
      let started = Date()
      let third = try RawConnection(port: port)
      try await third.send(RawConnection.get("/healthz", host: "127.0.0.1"))
      let busy = try #require(try await third.readResponse(), "no answer beyond the cap")
      #expect(busy.status == 503 && busy.body.contains("too many connections"), "\(busy)")
      #expect(busy.headers["retry-after"] == "1" && busy.headers["connection"] == "close", "\(busy)")
      #expect(Date().timeIntervalSince(started) < 10, "the 503 took \(Date().timeIntervalSince(started)) s")
      #expect(try await third.secondsUntilClosed(timeout: 30) != nil)
      // The two served connections still work.
      try await served[1].send(RawConnection.get("/healthz", host: "127.0.0.1"))
      #expect(try await served[1].readResponse()?.status == 200)

      served[0].close()
      var status = 0
      for _ in 0..<300 where status != 200 {
        let answer = try await RawConnection.exchange(port: port, RawConnection.get("/healthz", host: "localhost"))
        status = answer?.status ?? 0
        if status != 200 { try await Task.sleep(nanoseconds: 100_000_000) }
      }
      #expect(status == 200, "a place freed by a closed connection is not taken again")
      #expect(try await server.stop(SIGTERM) == 0, "\(server.stderr)")
      #expect(server.stderr.contains("127.0.0.1 GET /healthz 503 "), "\(server.stderr)")
    }
  }

  #if os(Linux)
    @Test("at the open-file limit (ulimit -n 256) 400 idle connections neither crash nor spin the server")
    func descriptorLimit() async throws {
      try await Sandbox.with { sandbox in
        let server = try await startServer(sandbox, ["--read-timeout", "2", "--quiet"], openFileLimit: 256)
        let port = server.port
        // The cap is lowered to fit the limit, and the terminal is told.
        #expect(server.stderr.contains("medref: note: serving at most "), "\(server.stderr)")
        #expect(server.stderr.contains("the open-file limit is 256"), "\(server.stderr)")

        var idle: [RawConnection] = []
        for _ in 0..<400 { idle.append(try RawConnection(port: port)) }
        defer { for connection in idle { connection.close() } }
        try await Task.sleep(nanoseconds: 1_000_000_000)
        // No spinning: measured over 3 s while every descriptor the server may use is taken (a spinning event loop
        // would use a whole core).
        let before = try #require(server.cpuSeconds)
        let measuredFrom = Date()
        try await Task.sleep(nanoseconds: 3_000_000_000)
        let cpu = (try #require(server.cpuSeconds) - before) / Date().timeIntervalSince(measuredFrom)
        #expect(cpu < 0.5, "the server used \(Int(cpu * 100)) % of a core with idle connections at its limit")
        #expect(server.process.isRunning, "the server died at its open-file limit: \(server.stderr)")

        // /healthz is answered while the idle connections are held: they are cut off at the read timeout.
        var status = 0
        let asked = Date()
        while status != 200, Date().timeIntervalSince(asked) < 90 {
          let connection = try RawConnection(port: port)
          do {
            try await connection.send(RawConnection.get("/healthz", host: "127.0.0.1"))
            status = try await connection.readResponse(timeout: 20)?.status ?? 0
          } catch {
            status = 0  // not connected yet: the kernel's queue is full; try again
          }
          connection.close()
        }
        #expect(status == 200, "no /healthz answer in 90 s with 400 idle connections")
        for connection in idle { connection.close() }
        let after = try await RawConnection.exchange(port: port, RawConnection.get("/healthz", host: "127.0.0.1"))
        #expect(after?.status == 200, "\(String(describing: after))")
        #expect(server.process.isRunning, "\(server.stderr)")
        #expect(try await server.stop(SIGTERM) == 0, "\(server.stderr)")
      }
    }
  #endif

  @Test("listening beyond loopback prints one warning line; the Host rule still holds")
  func nonLoopbackWarning() async throws {
    try await Sandbox.with { sandbox in
      let server = try await startServer(sandbox, ["--host", "0.0.0.0", "--quiet"])
      let warnings = server.stderr.split(separator: "\n").filter { $0.contains("warning") }
      #expect(warnings.count == 1, "\(server.stderr)")
      let expected = "medref: warning: listening on 0.0.0.0:\(server.port), beyond this machine"
      #expect(warnings.first?.hasPrefix(expected) == true, "\(server.stderr)")
      #expect(warnings.first?.contains("--host 127.0.0.1") == true, "\(server.stderr)")
      // Only over loopback here; the request names the address the server was bound to, or a loopback one.
      let port = server.port
      for host in ["127.0.0.1:\(port)", "0.0.0.0:\(port)"] {
        let answer = try await RawConnection.exchange(port: port, RawConnection.get("/healthz", host: host))
        #expect(answer?.status == 200, "Host: \(host): \(String(describing: answer))")
      }
      let evil = try await RawConnection.exchange(port: port, RawConnection.get("/healthz", host: "evil.com"))
      #expect(evil?.status == 421, "\(String(describing: evil))")
      #expect(try await server.stop(SIGTERM) == 0, "\(server.stderr)")
    }
  }

  @Test("absurd --read-timeout, --idle-timeout, --max-connections and --allow-host values get one line and status 2")
  func optionValidation() async throws {
    try await Sandbox.with { sandbox in
      let cases: [([String], String)] = [
        (["--read-timeout", "0"], "--read-timeout must be a number of seconds from 0.1 to 3600"),
        (["--read-timeout", "-1"], "--read-timeout must be a number of seconds from 0.1 to 3600"),
        (["--read-timeout", "nan"], "--read-timeout must be a number of seconds from 0.1 to 3600"),
        (["--read-timeout", "inf"], "--read-timeout must be a number of seconds from 0.1 to 3600"),
        (["--idle-timeout", "1e308"], "--idle-timeout must be a number of seconds from 0.1 to 3600"),
        (["--idle-timeout", "soon"], "--idle-timeout"),
        (["--max-connections", "0"], "--max-connections must be from 1 to 100000"),
        (["--max-connections", "-3"], "--max-connections must be from 1 to 100000"),
        (["--max-connections", "9223372036854775808"], "--max-connections"),
        (["--allow-host", "http://medref.example/"], "--allow-host takes a host name or address, not a URL"),
        (["--allow-host", "medref.example:8080"], "is not a host name or address"),
        (["--allow-host", ""], "is not a host name or address"),
      ]
      for (arguments, message) in cases {
        let result = try await sandbox.medref(["serve", "--index", sandbox.index] + arguments)
        #expect(result.status == 2 && !result.crashed, "\(result)")
        #expect(result.stderrLines.count == 1 && result.stderr.contains(message), "\(result)")
      }
    }
  }
}
