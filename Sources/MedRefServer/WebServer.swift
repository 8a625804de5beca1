import Foundation
import HTTPTypes
import Hummingbird
import Logging
import MedRefCore
import NIOCore
import NIOPosix

/// `medref serve`: MedRefCore's `WebApp` behind a Hummingbird HTTP/1.1 server. Requests are answered on NIO's
/// blocking-work thread pool (searches read SQLite synchronously, through a pool of read-only connections), one
/// access-log line per request goes to `log`, and SIGINT/SIGTERM stop the server gracefully: it stops accepting,
/// finishes the requests in flight, then returns.
public struct WebServer: Sendable {
  /// Where to listen and what to serve.
  public struct Options: Sendable {
    public var host: String
    /// 0 picks a free port (the chosen one is announced).
    public var port: Int
    /// Print an access-log line per request.
    public var accessLog: Bool

    public init(host: String = "127.0.0.1", port: Int = 8080, accessLog: Bool = true) {
      self.host = host
      self.port = port
      self.accessLog = accessLog
    }
  }

  public let app: WebApp
  public let options: Options

  public init(app: WebApp, options: Options) {
    self.app = app
    self.options = options
  }

  /// Serves until SIGINT or SIGTERM. `ready` is called with the address once the server listens
  /// (`http://127.0.0.1:PORT`). `log` receives one line per request.
  public func run(ready: @escaping @Sendable (String) -> Void, log: @escaping @Sendable (String) -> Void) async throws {
    let responder = MedRefResponder(app: app, accessLog: options.accessLog, log: log)
    var logger = Logger(label: "medref.serve")
    logger.logLevel = .warning
    let host = options.host
    let application = Application(
      responder: responder,
      configuration: ApplicationConfiguration(address: .hostname(host, port: options.port), serverName: "medref"),
      onServerRunning: { channel in
        let port = channel.localAddress?.port ?? 0
        let shownHost = host.contains(":") ? "[\(host)]" : host
        ready("http://\(shownHost):\(port)")
      },
      logger: logger)
    try await application.runService(gracefulShutdownSignals: [.sigterm, .sigint])
  }
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
