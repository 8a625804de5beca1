import Foundation
import Testing

/// `medref extract` and `medref ingest` on a web archive made by a real crawler: Debian's wget, with `--warc-file`,
/// crawling a local HTTP server (Python's) that serves the repository's Corpus/.
@Suite("web archives from wget")
struct WebArchiveCommandTests {
  static let corpusFiles = GoldenTests.corpusFiles

  /// Serves `folder` over HTTP on a free local port while `body` runs.
  static func serving<T>(_ folder: URL, _ body: (Int) async throws -> T) async throws -> T {
    let portFile = folder.deletingLastPathComponent().appendingPathComponent("port.txt")
    let server = Process()
    server.executableURL = URL(fileURLWithPath: "/usr/bin/env")
    server.arguments = [
      "python3", "-c",
      """
      import functools, http.server, os, sys, threading
      # Ends when its standard input does (a signal may stop only a wrapper such as pyenv's shim).
      threading.Thread(target=lambda: (sys.stdin.read(), os._exit(0)), daemon=True).start()
      handler = functools.partial(http.server.SimpleHTTPRequestHandler, directory=sys.argv[1])
      server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
      with open(sys.argv[2] + ".new", "w") as out:
          out.write(str(server.server_address[1]))
      os.rename(sys.argv[2] + ".new", sys.argv[2])
      server.serve_forever()
      """,
      folder.path, portFile.path,
    ]
    let input = Pipe()
    server.standardInput = input
    server.standardOutput = FileHandle.nullDevice
    server.standardError = FileHandle.nullDevice
    let ended = try Self.start(server)
    defer { try? input.fileHandleForWriting.close() }
    var port: Int?
    for _ in 0..<200 where port == nil {
      port = (try? String(contentsOf: portFile, encoding: .utf8)).flatMap { Int($0) }
      if port == nil { try await Task.sleep(nanoseconds: 50_000_000) }
    }
    let result = try await body(try #require(port, "the HTTP server did not start"))
    try input.fileHandleForWriting.close()
    _ = await ended.value
    return result
  }

  /// Starts `process`; the task ends when the process does (a termination handler: `waitUntilExit` can hang in
  /// an async test).
  static func start(_ process: Process) throws -> Task<Int32, Never> {
    let (stream, continuation) = AsyncStream<Int32>.makeStream()
    process.terminationHandler = { ended in
      continuation.yield(ended.terminationStatus)
      continuation.finish()
    }
    try process.run()
    return Task {
      for await status in stream { return status }
      return -1
    }
  }

  /// Runs a tool to its end; its exit status.
  static func run(_ arguments: [String], in folder: URL) async throws -> Int32 {
    let process = Process()
    process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
    process.arguments = arguments
    process.currentDirectoryURL = folder
    process.standardOutput = FileHandle.nullDevice
    process.standardError = FileHandle.nullDevice
    return try await start(process).value
  }

  /// The sandbox's `site/` (Corpus/'s files) crawled by wget into `crawl.warc.gz`; the server's port.
  static func crawl(_ sandbox: Sandbox) async throws -> Int {
    for file in corpusFiles { try sandbox.copyFixture("Corpus/\(file)", to: "site/\(file)") }
    return try await serving(sandbox.url("site")) { port in
      let status = try await run(
        [
          "wget", "--quiet", "--recursive", "--no-parent", "--execute", "robots=off", "--directory-prefix", "mirror",
          "--warc-file", "crawl", "http://127.0.0.1:\(port)/",
        ], in: sandbox.root)
      // 8: some link led to a 404, which the archive records too.
      try #require(status == 0 || status == 8, "wget exited \(status)")
      return port
    }
  }

  @Test("A WARC that wget made of Corpus/ gives the same extracts (text, sections) as the files")
  func sameExtracts() async throws {
    try await Sandbox.with { sandbox in
      let port = try await Self.crawl(sandbox)
      let archive = try await sandbox.medref("extract", "crawl.warc.gz")
      #expect(archive.status == 0, "\(archive)")
      #expect(archive.stderr.contains("crawl.warc.gz: "), "\(archive)")
      #expect(archive.stderr.contains("skipped: request records: "), "\(archive)")
      let files = try await sandbox.medref("extract", "site")
      #expect(files.status == 0, "\(files)")
      let fromArchive = try archive.stdout.split(separator: "\n").map { try JSON.object(String($0)) }
      let fromFiles = try files.stdout.split(separator: "\n").map { try JSON.object(String($0)) }
      #expect(fromFiles.count == Self.corpusFiles.count)
      for file in fromFiles {
        let stem = try #require((file["id"] as? String)?.split(separator: "/").last.map(String.init))
        let name = try #require((file["path"] as? String)?.split(separator: "/").last.map(String.init))
        let uri = "http://127.0.0.1:\(port)/\(name)"
        let page = try #require(fromArchive.first { $0["id"] as? String == "127.0.0.1:\(port)/\(stem)" }, "\(stem)")
        #expect(page["path"] as? String == "crawl.warc.gz#" + uri)
        #expect((page["metadata"] as? [String: Any])?["url"] as? String == uri)
        #expect((page["metadata"] as? [String: Any])?["crawled"] is String)
        for field in ["title", "text", "encoding", "repairs", "sections", "blocks"] {
          let same =
            try JSONSerialization.data(withJSONObject: ["v": file[field] as Any], options: .sortedKeys)
            == JSONSerialization.data(withJSONObject: ["v": page[field] as Any], options: .sortedKeys)
          #expect(same, "\(stem): \(field) differs")
        }
      }
    }
  }

  @Test("Ingesting the WARC: searchable pages, nothing done again on a re-run, pages pruned with their archive")
  func ingest() async throws {
    try await Sandbox.with { sandbox in
      let port = try await Self.crawl(sandbox)
      let first = try await sandbox.medref("ingest", "crawl.warc.gz", "--index", sandbox.index, "--json")
      #expect(first.status == 0, "\(first)")
      let report = try JSON.object(first.stdout)
      let added = JSON.strings(report["added"])
      for file in Self.corpusFiles {
        let stem = String(file[..<(file.lastIndex(of: ".") ?? file.endIndex)])
        #expect(added.contains("127.0.0.1:\(port)/\(stem)"), "\(stem) in \(added)")
      }
      #expect(JSON.strings(report["archives"]).first?.hasPrefix("crawl.warc.gz: ") == true, "\(report)")
      let search = try await sandbox.medref("search", "numbness", "--index", sandbox.index, "--json")
      let results = try JSON.object(search.stdout)["results"] as? [[String: Any]] ?? []
      #expect(results.first?["id"] as? String == "127.0.0.1:\(port)/back-spasms", "\(search)")
      let check = try await sandbox.medref("check", "--index", sandbox.index)
      #expect(check.status == 0, "\(check)")

      let again = try JSON.object(
        try await sandbox.medref("ingest", "crawl.warc.gz", "--index", sandbox.index, "--json").stdout)
      #expect(JSON.strings(again["added"]).isEmpty && JSON.strings(again["updated"]).isEmpty, "\(again)")
      #expect(Set(JSON.strings(again["unchanged"])) == Set(added))

      try FileManager.default.removeItem(at: sandbox.url("crawl.warc.gz"))
      let pruned = try JSON.object(
        try await sandbox.medref("ingest", "site", "--index", sandbox.index, "--prune", "--json").stdout)
      #expect(Set(JSON.strings(pruned["pruned"])) == Set(added), "\(pruned)")
    }
  }
}
