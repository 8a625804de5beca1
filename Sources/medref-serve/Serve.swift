import ArgumentParser
import Dispatch
import Foundation
import MedRefBase
import MedRefCommandLine
import MedRefIndex
import MedRefServer
import MedRefWeb

/// `medref serve`, built as an executable of its own (`medref-serve`): it is the only command that needs Hummingbird
/// and SwiftNIO, so `medref` builds without them; `medref serve ARGS` runs this binary with ARGS (`ServeForwarder`).
@main
struct Serve: AsyncParsableCommand {
  static let configuration = CommandConfiguration(
    commandName: "medref serve",
    abstract: "Serve a search page and a JSON API over the index (local web front end).",
    discussion: """
      Pages (server-rendered; they work without JavaScript):
        /              search: one box, section-kind filters with counts,
                       results grouped by article, "did you mean"
        /doc/ID        one article: sections by kind, items, entities with
                       HPO ids, red flags, repairs, source
      JSON:
        /api/search?q=QUERY[&kind=KIND]...[&limit=N][&offset=N][&facets=1]
                       what 'medref search --json' prints (facets: matching
                       articles per section kind)
        /api/doc/ID    what 'medref export ID' prints, read within the page limits ("truncated": true when cut)
        /healthz       {"documents": N, "status": "ok"}

      The index is opened read-only; an ingest may run meanwhile. \
      Listens on 127.0.0.1 (this machine only) unless --host says otherwise; \
      --port 0 picks a free port. The address is printed on stderr once the \
      server listens, then one access-log line per request (client, method, \
      target, status, bytes, time) unless --quiet. SIGINT (Ctrl-C) or SIGTERM \
      stop it after the requests in flight.

      Limits: queries up to 256 characters, 1-50 results per request, offsets \
      up to 1000; other values get a 400 with the reason.

      Connections: a request must name this machine in its Host header \
      (localhost, 127.0.0.1, [::1], the --host address; with --host 0.0.0.0 \
      each address of this machine) or an --allow-host name, else it gets a \
      421 (a missing Host on HTTP/1.1: 400): pages elsewhere that make a \
      browser reach this server through a name of theirs (DNS rebinding) \
      cannot read the index. A request must arrive whole within \
      --read-timeout, a kept-alive connection sends its next one within \
      --idle-timeout, else the connection is closed. At most \
      --max-connections are served at once (fewer when the open-file limit, \
      'ulimit -n', is lower); the ones beyond get a 503.

      Examples:
        medref serve
        medref serve --port 0 --index /tmp/medquad.sqlite
        medref serve --host 0.0.0.0 --allow-host medref.lan
      """)

  @Option(
    help: ArgumentHelp(
      "Address to listen on (127.0.0.1: this machine only; 0.0.0.0: every interface, with a warning).",
      valueName: "address"))
  var host = "127.0.0.1"

  @Option(help: ArgumentHelp("Port to listen on (0: any free port).", valueName: "port"))
  var port = 8080

  @Option(
    name: .customLong("allow-host"),
    help: ArgumentHelp(
      "Also answer requests whose Host header names this host (repeatable; e.g. the machine's name on the network).",
      valueName: "name"))
  var allowHosts: [String] = []

  @Option(
    parsing: .unconditional,
    help: ArgumentHelp(
      "Seconds a client has to send a whole request after connecting (or after the request's first byte); 0.1-3600.",
      valueName: "seconds"))
  var readTimeout = 10.0

  @Option(
    parsing: .unconditional,
    help: ArgumentHelp(
      "Seconds a kept-alive connection may wait for its next request, or for its client to read; 0.1-3600.",
      valueName: "seconds"))
  var idleTimeout = 30.0

  @Option(
    parsing: .unconditional,
    help: ArgumentHelp(
      "Connections served at once (1-100000; fewer when 'ulimit -n' is lower); others get a 503.", valueName: "n"))
  var maxConnections = 256

  @Flag(help: "No access log.")
  var quiet = false

  @OptionGroup var indexOptions: IndexOptions

  func validate() throws {
    guard (0...65535).contains(port) else { throw ValidationError("--port must be from 0 to 65535.") }
    guard !host.isEmpty else { throw ValidationError("--host must not be empty.") }
    for name in allowHosts {
      if name.contains("/") {
        throw ValidationError("--allow-host takes a host name or address, not a URL: '\(name)'.")
      }
      guard HostAllowlist.normalizedName(name) != nil else {
        throw ValidationError(
          "--allow-host '\(name)' is not a host name or address (letters, digits, '-', '.'; no port).")
      }
    }
    for (option, value) in [("--read-timeout", readTimeout), ("--idle-timeout", idleTimeout)] {
      guard value.isFinite, value >= 0.1, value <= 3600 else {
        throw ValidationError("\(option) must be a number of seconds from 0.1 to 3600.")
      }
    }
    guard (1...100_000).contains(maxConnections) else {
      throw ValidationError("--max-connections must be from 1 to 100000.")
    }
  }

  static func main() async {
    await CommandLineMain.run(Self.self, help: "medref serve --help")
  }

  func run() async throws {
    let store = try IndexStore(readOnlyAt: indexOptions.path, immutable: indexOptions.immutable)
    let options = WebServer.Options(
      host: host, port: port, accessLog: !quiet, allowedHosts: allowHosts, readTimeout: readTimeout,
      idleTimeout: idleTimeout, maxConnections: maxConnections)
    let server = WebServer(app: WebApp(store: store), options: options)
    let index = store.path
    do {
      try await server.run(
        ready: { listening in
          Terminal.note("medref: serving \(index) at \(listening.url)/ (Ctrl-C to stop)")
          for note in listening.notes { Terminal.note(note) }
        },
        log: { line in Terminal.note(line) })
    } catch let error as WebServer.StartError {
      throw MedRefError.serverFailure(address: error.address, reason: error.reason)
    }
    Terminal.note("medref: stopped")
  }
}
