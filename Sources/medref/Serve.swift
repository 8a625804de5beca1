import ArgumentParser
import Dispatch
import Foundation
import MedRefCore
import MedRefServer

struct Serve: ParsableCommand {
  static let configuration = CommandConfiguration(
    commandName: "serve",
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
        /api/doc/ID    what 'medref export ID' prints
        /healthz       {"documents": N, "status": "ok"}

      The index is opened read-only; an ingest may run meanwhile.
      Listens on 127.0.0.1 (this machine only) unless --host says otherwise;
      --port 0 picks a free port. The address is printed on stderr once the
      server listens, then one access-log line per request (client, method,
      target, status, bytes, time) unless --quiet. SIGINT (Ctrl-C) or SIGTERM
      stop it after the requests in flight.

      Limits: queries up to 256 characters, 1-50 results per request, offsets
      up to 1000; other values get a 400 with the reason.

      Examples:
        medref serve
        medref serve --port 0 --index /tmp/medquad.sqlite
      """)

  @Option(help: ArgumentHelp("Address to listen on (127.0.0.1: this machine only; 0.0.0.0: every interface).", valueName: "address"))
  var host = "127.0.0.1"

  @Option(help: ArgumentHelp("Port to listen on (0: any free port).", valueName: "port"))
  var port = 8080

  @Flag(help: "No access log.")
  var quiet = false

  @OptionGroup var indexOptions: IndexOptions

  func validate() throws {
    guard (0...65535).contains(port) else { throw ValidationError("--port must be from 0 to 65535.") }
    guard !host.isEmpty else { throw ValidationError("--host must not be empty.") }
  }

  func run() throws {
    let store = try IndexStore(readOnlyAt: indexOptions.path)
    let server = WebServer(
      app: WebApp(store: store), options: WebServer.Options(host: host, port: port, accessLog: !quiet))
    let index = store.path
    let outcome = ServeOutcome()
    let done = DispatchSemaphore(value: 0)
    Task {
      do {
        try await server.run(
          ready: { address in Terminal.note("medref: serving \(index) at \(address)/ (Ctrl-C to stop)") },
          log: { line in Terminal.note(line) })
      } catch {
        outcome.set(error)
      }
      done.signal()
    }
    done.wait()
    if let error = outcome.error {
      throw MedRefError.serverFailure(address: "\(host):\(port)", reason: "cannot serve: \(error)")
    }
    Terminal.note("medref: stopped")
  }
}

/// The error the server stopped with, if any, handed from its task to the command.
final class ServeOutcome: @unchecked Sendable {
  private let lock = NSLock()
  private var stored: (any Error)?

  func set(_ error: any Error) {
    lock.lock()
    stored = error
    lock.unlock()
  }

  var error: (any Error)? {
    lock.lock()
    defer { lock.unlock() }
    return stored
  }
}
