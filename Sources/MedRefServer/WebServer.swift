import Foundation
import HTTPTypes
import Hummingbird
import HummingbirdCore
import Logging
import MedRefWeb
import NIOConcurrencyHelpers
import NIOCore
import NIOPosix

#if canImport(Glibc)
  import Glibc
#elseif canImport(Darwin)
  import Darwin
#endif

/// `medref serve`: MedRefWeb's `WebApp` behind a Hummingbird HTTP/1.1 server. Requests are answered on NIO's
/// blocking-work thread pool (searches read SQLite synchronously, through a pool of read-only connections), one
/// access-log line per request goes to `log`, and SIGINT/SIGTERM stop the server gracefully: it stops accepting,
/// finishes the requests in flight, then returns.
///
/// Every connection is held to a `ConnectionPolicy`: requests must name an allowed host (`HostAllowlist`), arrive
/// within the read timeout and follow a response within the idle timeout, and at most `maxConnections` are served
/// at once (those beyond get a 503; beyond a margin more the server stops accepting until some close), a number
/// kept within the process's open-file limit so that the server never runs out of file descriptors.
public struct WebServer: Sendable {
  /// Where to listen and what to serve.
  public struct Options: Sendable {
    public var host: String
    /// 0 picks a free port (the chosen one is announced).
    public var port: Int
    /// Print an access-log line per request.
    public var accessLog: Bool
    /// Host names that requests may give besides the loopback names and `host` (`--allow-host`).
    public var allowedHosts: [String]
    /// Seconds a client has to send a whole request (`--read-timeout`).
    public var readTimeout: Double
    /// Seconds a connection may wait for its next request, or for its client to read (`--idle-timeout`).
    public var idleTimeout: Double
    /// Connections served at once (`--max-connections`); lowered to fit the open-file limit.
    public var maxConnections: Int

    public init(
      host: String = "127.0.0.1", port: Int = 8080, accessLog: Bool = true, allowedHosts: [String] = [],
      readTimeout: Double = 10, idleTimeout: Double = 30, maxConnections: Int = 256
    ) {
      self.host = host
      self.port = port
      self.accessLog = accessLog
      self.allowedHosts = allowedHosts
      self.readTimeout = readTimeout
      self.idleTimeout = idleTimeout
      self.maxConnections = maxConnections
    }
  }

  /// What the server announces once it listens.
  public struct Listening: Sendable {
    /// `http://127.0.0.1:PORT`.
    public var url: String
    /// True when the address bound is a loopback one (only this machine can connect).
    public var isLoopback: Bool
    /// The connections it serves at once (`Options.maxConnections`, or fewer to fit the open-file limit).
    public var maxConnections: Int
    /// One-line notes and warnings for the terminal: a lowered connection cap, listening beyond loopback.
    public var notes: [String]
  }

  /// Why the server could not start, in a few words (`address already in use`), with the address it was given.
  public struct StartError: Error, Sendable, CustomStringConvertible {
    /// `host:port` as given (`127.0.0.1:8080`, `[::1]:8080`).
    public var address: String
    /// `cannot listen: address already in use (…)`, `server failed: …`.
    public var reason: String
    /// `address: reason`.
    public var description: String { "\(address): \(reason)" }
  }

  public let app: WebApp
  public let options: Options

  public init(app: WebApp, options: Options) {
    self.app = app
    self.options = options
  }

  /// Serves until SIGINT or SIGTERM. `ready` is called once the server listens; `log` receives one line per
  /// request. Throws `StartError` when it cannot listen (address in use, not permitted, unknown host, too few file
  /// descriptors).
  public func run(
    ready: @escaping @Sendable (Listening) -> Void, log: @escaping @Sendable (String) -> Void
  ) async throws {
    let host = options.host
    let shownAddress = (host.contains(":") ? "[\(host)]" : host) + ":\(options.port)"
    let budget: DescriptorBudget
    do {
      budget = try DescriptorBudget(connections: options.maxConnections)
    } catch let error as DescriptorBudget.TooFew {
      throw StartError(address: shownAddress, reason: error.reason)
    }
    let interfaceAddresses = ((try? System.enumerateDevices()) ?? []).compactMap { $0.address?.ipAddress }
    let policy = ConnectionPolicy(
      allowlist: HostAllowlist(boundHost: host, interfaceAddresses: interfaceAddresses, extra: options.allowedHosts),
      readTimeout: .nanoseconds(Int64(options.readTimeout * 1e9)),
      idleTimeout: .nanoseconds(Int64(options.idleTimeout * 1e9)),
      limiter: ConnectionLimiter(capacity: budget.connections),
      accessLog: options.accessLog,
      log: log)
    let responder = MedRefResponder(app: app, accessLog: options.accessLog, log: log)
    var logger = Logger(label: "medref.serve")
    logger.logLevel = .warning
    let started = NIOLockedValueBox(false)
    let notes = budget.note.map { [$0] } ?? []
    let application = Application(
      responder: responder,
      server: HTTPServerBuilder { responder in
        GuardedHTTP1Channel(base: HTTP1Channel(responder: responder), policy: policy)
      },
      configuration: ApplicationConfiguration(
        address: .hostname(host, port: options.port), serverName: "medref", backlog: 256,
        availableConnectionsDelegate: MaximumAvailableConnections(budget.accepted, logger: logger)),
      onServerRunning: { channel in
        started.withLockedValue { $0 = true }
        let port = channel.localAddress?.port ?? 0
        let bound = channel.localAddress?.ipAddress ?? host
        let shownHost = host.contains(":") ? "[\(host)]" : host
        let isLoopback = HostAllowlist.isLoopback(bound)
        var allNotes = notes
        if !isLoopback {
          allNotes.append(
            "medref: warning: listening on \(shownHost):\(port), beyond this machine: whoever can reach it can read "
              + "the index; --host 127.0.0.1 keeps it local (requests must name this machine or an --allow-host name)")
        }
        ready(
          Listening(
            url: "http://\(shownHost):\(port)", isLoopback: isLoopback, maxConnections: budget.connections,
            notes: allNotes))
      },
      logger: logger)
    do {
      try await application.runService(gracefulShutdownSignals: [.sigterm, .sigint])
    } catch {
      let reason = Self.describe(error)
      let hadStarted = started.withLockedValue { $0 }
      throw StartError(address: shownAddress, reason: (hadStarted ? "server failed: " : "cannot listen: ") + reason)
    }
  }

  /// A socket or name-resolution error in a few words (`address already in use`), not NIO's description of the call.
  static func describe(_ error: any Error) -> String {
    if let error = error as? IOError {
      switch error.errnoCode {
      case EADDRINUSE: return "address already in use (another server listens there; choose another --port)"
      case EACCES: return "permission denied (ports below 1024 need privileges; choose another --port)"
      case EADDRNOTAVAIL: return "address not available (not an address of this machine)"
      default: return String(cString: strerror(error.errnoCode)).lowercased()
      }
    }
    if error is SocketAddressError || error is SocketAddressError.UnknownHost {
      return "unknown host (the name does not resolve to an address)"
    }
    return "\(error)"
  }
}

/// How many connections fit in the process's open-file limit (`ulimit -n`). Each connection holds a descriptor, and
/// running out of them is fatal (libdispatch, which runs Swift's tasks on Linux, aborts when it cannot open a file),
/// so the server keeps `reserve` descriptors for the index, the event loops and the runtime, serves at most
/// `connections` at once and accepts at most `accepted` (the ones beyond `connections` are answered 503 and closed).
/// The soft limit is raised towards the hard one when that is needed.
struct DescriptorBudget {
  struct TooFew: Error {
    var reason: String
  }

  var connections: Int
  var accepted: Int
  /// Said on the terminal when fewer connections than asked for fit.
  var note: String?

  init(connections requested: Int) throws {
    // The index's read-only connections (2 per core, a few descriptors each), the event loops, standard streams.
    let reserve = 32 + 6 * ProcessInfo.processInfo.activeProcessorCount
    let margin = { (connections: Int) in min(64, max(8, connections / 4)) }
    let needed = requested + margin(requested) + reserve
    var limit = rlimit()
    guard getrlimit(Self.resourceNOFILE, &limit) == 0 else {
      (connections, accepted, note) = (requested, requested + margin(requested), nil)
      return
    }
    if limit.rlim_cur != Self.unlimited, limit.rlim_cur < rlim_t(needed) {
      var raised = limit
      raised.rlim_cur = limit.rlim_max == Self.unlimited ? rlim_t(needed) : min(limit.rlim_max, rlim_t(needed))
      if setrlimit(Self.resourceNOFILE, &raised) == 0 { limit = raised }
    }
    let available = limit.rlim_cur == Self.unlimited ? Int.max : Int(limit.rlim_cur) - reserve
    if available >= requested + margin(requested) {
      (connections, accepted, note) = (requested, requested + margin(requested), nil)
      return
    }
    guard available >= 2 else {
      throw TooFew(
        reason: "the open-file limit (\(limit.rlim_cur)) is too low to serve; raise it with 'ulimit -n \(needed)'")
    }
    let spare = max(1, min(margin(requested), available / 5))
    connections = available - spare
    accepted = available
    note =
      "medref: note: serving at most \(connections) connections at once, not \(requested): the open-file limit is "
      + "\(limit.rlim_cur) ('ulimit -n \(needed)' allows \(requested))"
  }

  #if canImport(Glibc)
    static let resourceNOFILE = __rlimit_resource_t(RLIMIT_NOFILE.rawValue)
    /// RLIM_INFINITY (`~0` on Linux; the C macro does not import).
    static let unlimited = rlim_t.max
  #else
    static let resourceNOFILE = RLIMIT_NOFILE
    static let unlimited = RLIM_INFINITY
  #endif
}

/// The request context: Hummingbird's core storage plus the client's address for the access log.
struct ServeContext: RequestContext {
  var coreContext: CoreRequestContextStorage
  var client: String

  init(source: ApplicationRequestContextSource) {
    coreContext = .init(source: source)
    client = source.channel.remoteAddress?.ipAddress ?? "-"
  }
}

/// Turns Hummingbird requests into `WebRequest`s and `WebResponse`s back, off the event loops.
struct MedRefResponder: HTTPResponder {
  typealias Context = ServeContext
  let app: WebApp
  let accessLog: Bool
  let log: @Sendable (String) -> Void

  func respond(to request: Request, context: ServeContext) async throws -> Response {
    let started = DispatchTime.now().uptimeNanoseconds
    let target = request.uri.path + (request.uri.query.map { "?" + $0 } ?? "")
    let webRequest = WebRequest(method: request.method.rawValue, target: target)
    let app = self.app
    // SQLite reads block: they run on NIO's thread pool, not on the event loops or Swift's cooperative pool.
    let answer = try await NIOThreadPool.singleton.runIfActive { app.respond(to: webRequest) }
    var headers = HTTPFields()
    for header in answer.headers {
      if let name = HTTPField.Name(header.name) { headers.append(HTTPField(name: name, value: header.value)) }
    }
    let status = HTTPResponse.Status(code: answer.status)
    var buffer = ByteBuffer()
    buffer.writeBytes(answer.body)
    if accessLog {
      let milliseconds = Double(DispatchTime.now().uptimeNanoseconds - started) / 1_000_000
      log(
        "\(context.client) \(request.method.rawValue) \(target) \(answer.status) \(answer.body.count) "
          + String(format: "%.2fms", milliseconds))
    }
    return Response(status: status, headers: headers, body: ResponseBody(byteBuffer: buffer))
  }
}
