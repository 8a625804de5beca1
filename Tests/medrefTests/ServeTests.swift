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

    init(sandbox: Sandbox, arguments: [String]) throws {
      errURL = sandbox.url("serve-\(UUID().uuidString).err")
      try Data().write(to: errURL)
      process.executableURL = try MedRefBinary.url()
      process.arguments = ["serve", "--port", "0", "--index", sandbox.index] + arguments
      process.currentDirectoryURL = sandbox.root
      process.standardOutput = FileHandle.nullDevice
      process.standardError = try FileHandle(forWritingTo: errURL)
      process.standardInput = FileHandle.nullDevice
      try process.run()
    }

    var stderr: String { (try? String(contentsOf: errURL, encoding: .utf8)) ?? "" }

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
      return (http.statusCode, String(decoding: data, as: UTF8.self), http.value(forHTTPHeaderField: "Content-Type") ?? "")
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

  @Test("serves the search page, the API and the article page; logs each request; stops on the signal", arguments: [SIGTERM, SIGINT])
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
      let cli = try await sandbox.medref("search", "numbness", "--section", "symptoms", "--json", "--index", sandbox.index)
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
      #expect(second.stderrLines.count == 1 && second.stderr.hasPrefix("medref: 127.0.0.1:\(taken): cannot serve"), "\(second)")
      _ = try await first.get("/healthz")
      #expect(try await first.stop(SIGTERM) == 0)
      #expect(!first.stderr.contains("GET /healthz"), "--quiet: \(first.stderr)")
    }
  }
}
