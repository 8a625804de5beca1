import Foundation

#if canImport(Glibc)
  import Glibc
#elseif canImport(Darwin)
  import Darwin
#endif

/// A TCP connection to `127.0.0.1:port` for the server tests that need exact bytes on the wire: any `Host` header or
/// none, half a request, a request sent byte by byte, a connection that sends nothing. Waiting is done by polling
/// the non-blocking socket between short `Task.sleep`s, so no test thread blocks.
final class RawConnection {
  private(set) var descriptor: Int32
  private var received: [UInt8] = []
  /// True once the server has closed its side.
  private(set) var closedByPeer = false
  /// When the connection was started.
  let opened = Date()

  /// Starts connecting without waiting for the handshake (for opening many connections at once).
  init(port: Int) throws {
    descriptor = socket(AF_INET, Self.streamType, 0)
    guard descriptor >= 0 else { throw RawError("socket: \(String(cString: strerror(errno)))") }
    #if canImport(Darwin)
      var one: Int32 = 1
      setsockopt(descriptor, SOL_SOCKET, SO_NOSIGPIPE, &one, socklen_t(MemoryLayout<Int32>.size))
    #endif
    let flags = fcntl(descriptor, F_GETFL)
    _ = fcntl(descriptor, F_SETFL, flags | O_NONBLOCK)
    var address = sockaddr_in()
    address.sin_family = sa_family_t(AF_INET)
    address.sin_port = in_port_t(UInt16(port).bigEndian)
    address.sin_addr.s_addr = inet_addr("127.0.0.1")
    let result = withUnsafePointer(to: &address) {
      $0.withMemoryRebound(to: sockaddr.self, capacity: 1) {
        connect(descriptor, $0, socklen_t(MemoryLayout<sockaddr_in>.size))
      }
    }
    if result != 0, errno != EINPROGRESS {
      let reason = String(cString: strerror(errno))
      systemClose(descriptor)
      throw RawError("connect: \(reason)")
    }
  }

  deinit { close() }

  func close() {
    if descriptor >= 0 { systemClose(descriptor) }
    descriptor = -1
  }

  /// Waits (up to `timeout` seconds) until the connection is established.
  func waitUntilConnected(timeout: Double = 30) async throws {
    let deadline = Date().addingTimeInterval(timeout)
    while Date() < deadline {
      var entry = pollfd(fd: descriptor, events: Int16(POLLOUT), revents: 0)
      if poll(&entry, 1, 0) > 0 {
        var error: Int32 = 0
        var length = socklen_t(MemoryLayout<Int32>.size)
        getsockopt(descriptor, SOL_SOCKET, SO_ERROR, &error, &length)
        guard error == 0 else { throw RawError("connect: \(String(cString: strerror(error)))") }
        return
      }
      try await Task.sleep(nanoseconds: 10_000_000)
    }
    throw RawError("not connected after \(timeout) s")
  }

  /// Sends all of `text` (waiting while the socket buffer is full).
  func send(_ text: String) async throws {
    try await waitUntilConnected()
    var bytes = Array(text.utf8)[...]
    while !bytes.isEmpty {
      let sent = bytes.withUnsafeBytes { systemSend(descriptor, $0.baseAddress, $0.count) }
      if sent > 0 {
        bytes = bytes.dropFirst(sent)
      } else if errno == EAGAIN || errno == EWOULDBLOCK {
        try await Task.sleep(nanoseconds: 10_000_000)
      } else {
        throw RawError("send: \(String(cString: strerror(errno)))")
      }
    }
  }

  /// Reads what has arrived; notes whether the server closed its side (end of file, or a reset).
  private func drain() {
    var buffer = [UInt8](repeating: 0, count: 65536)
    while true {
      let count = buffer.withUnsafeMutableBytes { recv(descriptor, $0.baseAddress, $0.count, 0) }
      if count > 0 {
        received += buffer[0..<count]
      } else if count == 0 || (errno != EAGAIN && errno != EWOULDBLOCK && errno != EINTR) {
        closedByPeer = true
        return
      } else {
        return
      }
    }
  }

  /// Waits (up to `timeout` seconds) for one whole response (head and a `Content-Length` body); nil when none came.
  func readResponse(timeout: Double = 30) async throws -> RawResponse? {
    let deadline = Date().addingTimeInterval(timeout)
    while true {
      drain()
      if let response = RawResponse.parse(&received) { return response }
      if closedByPeer || Date() >= deadline { return nil }
      try await Task.sleep(nanoseconds: 10_000_000)
    }
  }

  /// Waits (up to `timeout` seconds) for the server to close the connection; the seconds from `since` (default: now)
  /// until it did, nil if it did not. With `dribble`, one more byte of it is sent every 100 ms meanwhile.
  func secondsUntilClosed(timeout: Double, dribble: String? = nil, since: Date = Date()) async throws -> Double? {
    let start = Date()
    var pending = Array((dribble ?? "").utf8)[...]
    var lastSent = Date.distantPast
    while Date().timeIntervalSince(start) < timeout {
      drain()
      if closedByPeer { return Date().timeIntervalSince(since) }
      if let byte = pending.first, Date().timeIntervalSince(lastSent) >= 0.1 {
        var value = byte
        if systemSend(descriptor, &value, 1) == 1 {
          pending = pending.dropFirst()
          lastSent = Date()
        } else if errno == EPIPE || errno == ECONNRESET {
          closedByPeer = true
        }
      }
      try await Task.sleep(nanoseconds: 20_000_000)
    }
    return nil
  }

  /// One request on a new connection: its response, nil when the connection closed or the time ran out first.
  static func exchange(port: Int, _ request: String, timeout: Double = 30) async throws -> RawResponse? {
    let connection = try RawConnection(port: port)
    defer { connection.close() }
    try await connection.send(request)
    return try await connection.readResponse(timeout: timeout)
  }

  /// `GET target` over HTTP/1.1 with `Host: host` (no Host header when nil).
  static func get(_ target: String, host: String?, extraHeaders: String = "") -> String {
    "GET \(target) HTTP/1.1\r\n" + (host.map { "Host: \($0)\r\n" } ?? "") + extraHeaders + "\r\n"
  }

  #if canImport(Glibc)
    private static let streamType = Int32(SOCK_STREAM.rawValue)
  #else
    private static let streamType = SOCK_STREAM
  #endif
}

/// One HTTP response as read off the wire.
struct RawResponse: CustomStringConvertible {
  var status: Int
  /// Header names in lower case.
  var headers: [String: String]
  var body: String

  var description: String { "\(status) \(headers) \(body)" }

  /// Takes one whole response off the front of `bytes`, if there is one.
  static func parse(_ bytes: inout [UInt8]) -> RawResponse? {
    let separator: [UInt8] = [13, 10, 13, 10]
    guard bytes.count >= 4,
      let end = (0...(bytes.count - 4)).first(where: { Array(bytes[$0..<$0 + 4]) == separator })
    else { return nil }
    let head = String(decoding: bytes[0..<end], as: UTF8.self).components(separatedBy: "\r\n")
    let statusWords = head[0].split(separator: " ")
    guard statusWords.count >= 2, let status = Int(statusWords[1]) else { return nil }
    var headers: [String: String] = [:]
    for line in head.dropFirst() {
      guard let colon = line.firstIndex(of: ":") else { continue }
      headers[line[..<colon].lowercased()] = line[line.index(after: colon)...].trimmingCharacters(in: .whitespaces)
    }
    let length = Int(headers["content-length"] ?? "0") ?? 0
    guard bytes.count >= end + 4 + length else { return nil }
    let body = String(decoding: bytes[(end + 4)..<(end + 4 + length)], as: UTF8.self)
    bytes.removeFirst(end + 4 + length)
    return RawResponse(status: status, headers: headers, body: body)
  }
}

struct RawError: Error, CustomStringConvertible {
  var description: String
  init(_ description: String) { self.description = description }
}

// The C functions by names that the methods above do not shadow.
private func systemClose(_ descriptor: Int32) {
  _ = close(descriptor)
}

private func systemSend(_ descriptor: Int32, _ bytes: UnsafeRawPointer?, _ count: Int) -> Int {
  #if canImport(Glibc)
    send(descriptor, bytes, count, Int32(MSG_NOSIGNAL))
  #else
    send(descriptor, bytes, count, 0)
  #endif
}
