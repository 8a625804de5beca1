import Foundation
import Hummingbird
import HummingbirdCore
import Logging
import MedRefWeb
import NIOConcurrencyHelpers
import NIOCore
import NIOHTTP1

/// What every connection of `medref serve` is held to (issue 16): the `Host` allowlist, how long a client may take to
/// send a request, how long a connection may sit idle, and how many connections are served at once.
struct ConnectionPolicy: Sendable {
  var allowlist: HostAllowlist
  /// From the connection's opening (or the first byte of a later request) to the request's last byte.
  var readTimeout: TimeAmount
  /// Between a response and the first byte of the next request, and while a client reads nothing of its answer.
  var idleTimeout: TimeAmount
  /// The connections served at once; the ones beyond are answered 503.
  var limiter: ConnectionLimiter
  /// Log refused requests like served ones (`client method target status bytes time`).
  var accessLog: Bool
  var log: @Sendable (String) -> Void

  /// A connection beyond the cap is kept only long enough to read one request and answer it 503.
  var overCapacityTimeout: TimeAmount { min(readTimeout, .seconds(2)) }
}

/// Counts the connections being served: `admit()` takes a place when one is free.
final class ConnectionLimiter: Sendable {
  let capacity: Int
  private let open = NIOLockedValueBox(0)

  init(capacity: Int) {
    self.capacity = capacity
  }

  /// Takes a place; false when all `capacity` places are taken.
  func admit() -> Bool {
    open.withLockedValue { count in
      guard count < capacity else { return false }
      count += 1
      return true
    }
  }

  func release() {
    open.withLockedValue { $0 -= 1 }
  }
}

/// Hummingbird's HTTP/1.1 child channel with a `ConnectionGuard` right after the HTTP decoder, where request heads
/// still carry their version and every `Host` header.
struct GuardedHTTP1Channel: ServerChildChannel {
  typealias Value = HTTP1Channel.Value
  let base: HTTP1Channel
  let policy: ConnectionPolicy

  func setup(channel: any Channel, logger: Logger) -> EventLoopFuture<Value> {
    let limiter = policy.limiter
    let admitted = limiter.admit()
    if admitted { channel.closeFuture.whenComplete { _ in limiter.release() } }
    let policy = self.policy
    return base.setup(channel: channel, logger: logger).flatMapThrowing { value in
      let operations = channel.pipeline.syncOperations
      let decoder = try operations.handler(type: ByteToMessageHandler<HTTPRequestDecoder>.self)
      try operations.addHandler(ConnectionGuard(policy: policy, admitted: admitted), position: .after(decoder))
      return value
    }
  }

  func handle(value: Value, logger: Logger) async {
    await base.handle(value: value, logger: logger)
  }
}

/// Enforces `ConnectionPolicy` on one connection, between the HTTP/1 decoder and Hummingbird:
/// - a request must arrive whole within the read timeout, counted from the connection's opening (for the first
///   request) or from the first byte of the request (for later ones on a kept-alive connection); more bytes do not
///   extend it, so a client dribbling a request byte by byte is cut off too;
/// - after a response, the next request must start within the idle timeout; a client that reads nothing of a
///   response for that long is cut off as well;
/// - a request whose `Host` is not allowed is answered 400 or 421, one on a connection beyond the cap 503, in plain
///   text, without reaching Hummingbird, and the connection is closed.
final class ConnectionGuard: ChannelDuplexHandler, RemovableChannelHandler {
  typealias InboundIn = HTTPServerRequestPart
  typealias InboundOut = HTTPServerRequestPart
  typealias OutboundIn = HTTPServerResponsePart
  typealias OutboundOut = HTTPServerResponsePart

  private enum Phase {
    /// No byte of the next request yet (`first`: of the connection's first request).
    case waiting(first: Bool)
    /// Part of a request has come; the read deadline runs.
    case reading
    /// The request is complete: the server's turn, no deadline.
    case answering
    /// A refusal is sent or waits for earlier responses; everything read is dropped.
    case closing
  }

  /// A request that is answered here, not by Hummingbird.
  private struct Refusal {
    var status: Int
    var reason: String
    var method: HTTPMethod
    var target: String
    var started: NIODeadline
  }

  private let policy: ConnectionPolicy
  private let admitted: Bool
  private var phase = Phase.waiting(first: true)
  /// Requests passed on whose response has not been written to its end.
  private var pendingResponses = 0
  /// The request being read is refused (its remaining parts are dropped).
  private var refusal: Refusal?
  /// The last `Host` value allowed on this connection (a browser sends the same one each time).
  private var allowedHost: String?
  /// When the connection is cut off unless the phase changes first (nil while the server answers).
  private var deadline: NIODeadline?
  /// The timer that enforces `deadline`: it may be set for an earlier time, and then finds a later deadline and
  /// sets itself again, so that a request on a kept-alive connection costs no timer of its own.
  private var timer: (task: Scheduled<Void>, at: NIODeadline)?
  private var stall: Scheduled<Void>?

  init(policy: ConnectionPolicy, admitted: Bool) {
    self.policy = policy
    self.admitted = admitted
  }

  // MARK: Lifecycle

  func handlerAdded(context: ChannelHandlerContext) {
    if context.channel.isActive { startFirstWait(context: context) }
  }

  func handlerRemoved(context: ChannelHandlerContext) {
    cancelTimers()
  }

  func channelActive(context: ChannelHandlerContext) {
    startFirstWait(context: context)
    context.fireChannelActive()
  }

  func channelInactive(context: ChannelHandlerContext) {
    cancelTimers()
    context.fireChannelInactive()
  }

  private func startFirstWait(context: ChannelHandlerContext) {
    guard timer == nil, case .waiting(first: true) = phase else { return }
    arm(admitted ? policy.readTimeout : policy.overCapacityTimeout, context: context)
  }

  // MARK: Reading

  func channelReadComplete(context: ChannelHandlerContext) {
    // Bytes came that made no whole request part: a request has begun.
    if case .waiting = phase { beginReading(context: context) }
    context.fireChannelReadComplete()
  }

  func channelRead(context: ChannelHandlerContext, data: NIOAny) {
    let part = unwrapInboundIn(data)
    switch (phase, part) {
    case (.closing, _):
      return
    case (_, .head(let head)):
      beginReading(context: context)
      if let refused = refusalReason(for: head) {
        refusal = Refusal(
          status: refused.status, reason: refused.reason, method: head.method, target: head.uri, started: .now())
        return
      }
      pendingResponses += 1
      context.fireChannelRead(data)
    case (_, .body):
      if refusal == nil { context.fireChannelRead(data) }
    case (_, .end):
      if refusal != nil {
        phase = .closing
        cancelDeadline()
        if pendingResponses == 0 { sendRefusal(context: context) }
        return
      }
      phase = .answering
      cancelDeadline()
      context.fireChannelRead(data)
    }
  }

  private func beginReading(context: ChannelHandlerContext) {
    switch phase {
    case .waiting(first: true):
      phase = .reading  // the deadline set at the opening runs on
    case .waiting(first: false), .answering:
      phase = .reading
      arm(policy.readTimeout, context: context)
    case .reading, .closing:
      break
    }
  }

  private func refusalReason(for head: HTTPRequestHead) -> (status: Int, reason: String)? {
    guard admitted else {
      return (503, "too many connections at once; try again in a moment")
    }
    let hostValues = head.headers["Host"]
    if let allowedHost, hostValues.count == 1, hostValues[0] == allowedHost, head.uri.utf8.first == UInt8(ascii: "/") {
      return nil
    }
    let requiresHost = head.version.major > 1 || (head.version.major == 1 && head.version.minor >= 1)
    let verdict = policy.allowlist.verdict(hostValues: hostValues, requiresHost: requiresHost, target: head.uri)
    if case .refused(let status, let reason) = verdict { return (status, reason) }
    allowedHost = hostValues.first
    return nil
  }

  // MARK: Writing

  func write(context: ChannelHandlerContext, data: NIOAny, promise: EventLoopPromise<Void>?) {
    context.write(data, promise: promise)
    guard case .end = unwrapOutboundIn(data) else { return }
    // (Hummingbird may answer what never came through here whole, such as a request the decoder could not read.)
    pendingResponses = max(0, pendingResponses - 1)
    guard pendingResponses == 0 else { return }
    switch phase {
    case .closing:
      context.flush()
      sendRefusal(context: context)
    case .answering:
      phase = .waiting(first: false)
      arm(policy.idleTimeout, context: context)
    case .waiting, .reading:
      break
    }
  }

  func channelWritabilityChanged(context: ChannelHandlerContext) {
    // The client reads nothing of what it is sent: it has the idle timeout to start reading again.
    if context.channel.isWritable {
      stall?.cancel()
      stall = nil
    } else if stall == nil {
      stall = context.eventLoop.assumeIsolated().scheduleTask(in: policy.idleTimeout) {
        self.stall = nil
        context.close(promise: nil)
      }
    }
    context.fireChannelWritabilityChanged()
  }

  /// Answers the refused request in plain text and closes the connection once the answer is out.
  private func sendRefusal(context: ChannelHandlerContext) {
    guard let refusal else { return }
    self.refusal = nil
    let status = HTTPResponseStatus(statusCode: refusal.status)
    let body = "\(refusal.status) \(status.reasonPhrase): \(refusal.reason)\n"
    var headers = HTTPHeaders()
    headers.add(name: "Content-Type", value: "text/plain; charset=utf-8")
    headers.add(name: "Content-Length", value: String(body.utf8.count))
    headers.add(name: "Connection", value: "close")
    headers.add(name: "Cache-Control", value: "no-store")
    headers.add(name: "X-Content-Type-Options", value: "nosniff")
    if refusal.status == 503 { headers.add(name: "Retry-After", value: "1") }
    let head = HTTPResponseHead(version: .http1_1, status: status, headers: headers)
    context.write(wrapOutboundOut(.head(head)), promise: nil)
    if refusal.method != .HEAD {
      context.write(wrapOutboundOut(.body(.byteBuffer(ByteBuffer(string: body)))), promise: nil)
    }
    let written = context.eventLoop.makePromise(of: Void.self)
    context.writeAndFlush(wrapOutboundOut(.end(nil)), promise: written)
    written.futureResult.assumeIsolated().whenComplete { _ in context.close(promise: nil) }
    arm(policy.overCapacityTimeout, context: context)  // a client that reads nothing cannot keep it open
    if policy.accessLog {
      let client = context.channel.remoteAddress?.ipAddress ?? "-"
      let milliseconds = Double((NIODeadline.now() - refusal.started).nanoseconds) / 1_000_000
      policy.log(
        "\(client) \(refusal.method.rawValue) \(refusal.target) \(refusal.status) \(body.utf8.count) "
          + String(format: "%.2fms", milliseconds))
    }
  }

  // MARK: Timers

  /// Cuts the connection off `amount` from now unless the deadline changes first.
  private func arm(_ amount: TimeAmount, context: ChannelHandlerContext) {
    let at = NIODeadline.now() + amount
    deadline = at
    if let timer {
      if timer.at <= at { return }  // it will fire first and set itself for `at`
      timer.task.cancel()
    }
    setTimer(at: at, context: context)
  }

  private func setTimer(at: NIODeadline, context: ChannelHandlerContext) {
    let task = context.eventLoop.assumeIsolated().scheduleTask(deadline: at) {
      self.timer = nil
      guard let deadline = self.deadline else { return }
      if NIODeadline.now() >= deadline {
        context.close(promise: nil)
      } else {
        self.setTimer(at: deadline, context: context)
      }
    }
    timer = (task, at)
  }

  /// No deadline: the server's turn (the timer, if set, finds none and stops).
  private func cancelDeadline() {
    deadline = nil
  }

  private func cancelTimers() {
    deadline = nil
    timer?.task.cancel()
    timer = nil
    stall?.cancel()
    stall = nil
  }
}
