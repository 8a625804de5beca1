import Foundation

/// Which names a request's `Host` header may give (issue 16: DNS rebinding). A page on `evil.com` whose name is made
/// to resolve to 127.0.0.1 can make the browser send requests here, but the browser still says `Host: evil.com`;
/// refusing every name but this machine's own keeps such pages from reading the index.
///
/// Allowed: the loopback names (`localhost`, `127.0.0.1`, `[::1]`, `::1`), the name or address the server was bound
/// to (for a wildcard address, `0.0.0.0` or `::`, each address of the machine's interfaces) and the names added with
/// `--allow-host`. The port is ignored, names are compared without case and without a trailing dot.
public struct HostAllowlist: Sendable, Equatable {
  /// The names loopback clients use.
  public static let loopbackNames: Set<String> = ["localhost", "127.0.0.1", "::1"]

  /// The allowed names, normalized (lower case, no brackets, no trailing dot).
  public private(set) var names: Set<String>

  /// The loopback names plus `boundHost` (the `--host` value), `interfaceAddresses` (used when `boundHost` is a
  /// wildcard address) and `extra` (the `--allow-host` names).
  public init(boundHost: String, interfaceAddresses: [String] = [], extra: [String] = []) {
    names = Self.loopbackNames
    let bound = Self.normalizedName(boundHost)
    if let bound { names.insert(bound) }
    if bound == "0.0.0.0" || bound == "::" {
      for address in interfaceAddresses { if let name = Self.normalizedName(address) { names.insert(name) } }
    }
    for name in extra { if let name = Self.normalizedName(name) { names.insert(name) } }
  }

  /// What to do with a request.
  public enum Verdict: Equatable, Sendable {
    case allowed
    /// Refuse with this status (400 for a missing or malformed `Host`, 421 for a name that is not allowed) and a
    /// one-line reason for the plain-text body.
    case refused(status: Int, reason: String)
  }

  /// The verdict on a request with these `Host` header values (all of them, in order), over HTTP/1.1 or later when
  /// `requiresHost` (HTTP/1.0 may leave `Host` out), for request target `target` (an absolute-form target,
  /// `http://name/path`, names a host too, which must be allowed as well).
  public func verdict(hostValues: [String], requiresHost: Bool, target: String = "/") -> Verdict {
    if hostValues.count > 1 { return .refused(status: 400, reason: "more than one Host header") }
    if let value = hostValues.first {
      guard let name = Self.hostName(ofHeader: value) else {
        return .refused(status: 400, reason: "malformed Host header")
      }
      guard names.contains(name) else { return refusal(name) }
    } else if requiresHost {
      return .refused(status: 400, reason: "missing Host header")
    }
    if let authority = Self.absoluteFormAuthority(target) {
      guard let name = Self.hostName(ofHeader: authority) else {
        return .refused(status: 400, reason: "malformed host in the request target")
      }
      guard names.contains(name) else { return refusal(name) }
    }
    return .allowed
  }

  private func refusal(_ name: String) -> Verdict {
    let shown = name.count > 80 ? String(name.prefix(80)) + "…" : name
    return .refused(status: 421, reason: "host '\(shown)' is not served here ('--allow-host \(shown)' allows it)")
  }

  /// The name part of a `Host` header value, normalized: `Localhost:8080` → `localhost`, `[::1]:80` → `::1`,
  /// `example.org.` → `example.org`; nil for an empty or malformed value (a port that is not digits, a user part,
  /// spaces, an unclosed bracket). Works on the UTF-8 bytes: it runs for every request.
  public static func hostName(ofHeader value: String) -> String? {
    var bytes = ArraySlice(value.utf8)
    while let first = bytes.first, first == space || first == tab { bytes.removeFirst() }
    while let last = bytes.last, last == space || last == tab { bytes.removeLast() }
    var name = bytes
    var port: ArraySlice<UInt8> = []
    if bytes.first == openBracket {
      guard let close = bytes.firstIndex(of: closeBracket) else { return nil }
      name = bytes[(bytes.startIndex + 1)..<close]
      guard name.contains(colon) else { return nil }  // brackets hold IPv6 addresses only
      let rest = bytes[(close + 1)...]
      if !rest.isEmpty {
        guard rest.first == colon else { return nil }
        port = rest.dropFirst()
      }
    } else if let last = bytes.lastIndex(of: colon), bytes.firstIndex(of: colon) == last {
      // One colon: name and port (more than one: a bare IPv6 address, `::1`).
      name = bytes[..<last]
      port = bytes[(last + 1)...]
    }
    guard port.count <= 5, port.allSatisfy({ $0 >= UInt8(ascii: "0") && $0 <= UInt8(ascii: "9") }) else { return nil }
    return normalizedName(bytes: name)
  }

  /// A name as compared: lower case, without brackets or a trailing dot; nil when empty or holding characters no
  /// host name or address has (spaces, `/`, `@`, `?`, `#`, `%` outside an IPv6 zone, anything not ASCII).
  public static func normalizedName(_ name: String) -> String? {
    normalizedName(bytes: ArraySlice(name.utf8))
  }

  private static func normalizedName(bytes: ArraySlice<UInt8>) -> String? {
    var name = bytes
    if name.count >= 2, name.first == openBracket, name.last == closeBracket { name = name.dropFirst().dropLast() }
    if name.count > 1, name.last == dot { name = name.dropLast() }
    guard !name.isEmpty, name.count <= 253 else { return nil }
    var lowered = [UInt8]()
    lowered.reserveCapacity(name.count)
    var colons = 0
    var inZone = false
    for var byte in name {
      if byte >= UInt8(ascii: "A"), byte <= UInt8(ascii: "Z") { byte += 32 }
      if byte == colon, !inZone { colons += 1 }
      if byte == UInt8(ascii: "%") {
        inZone = true  // an IPv6 zone (`fe80::1%eth0`)
      } else if !isNameByte(byte), !(byte == colon && !inZone) {
        return nil  // browsers send internationalized names in their ASCII (`xn--`) form
      }
      lowered.append(byte)
    }
    if colons > 0 || inZone {
      // An IPv6 address (two colons at least: `a:80` is a name with a port): hex digits, colons and dots before the
      // zone.
      guard colons >= 2 else { return nil }
      for byte in lowered.prefix(while: { $0 != UInt8(ascii: "%") }) {
        let isHex =
          (byte >= UInt8(ascii: "0") && byte <= UInt8(ascii: "9"))
          || (byte >= UInt8(ascii: "a") && byte <= UInt8(ascii: "f"))
        guard isHex || byte == colon || byte == dot else { return nil }
      }
    }
    return String(decoding: lowered, as: UTF8.self)
  }

  private static let space = UInt8(ascii: " ")
  private static let tab = UInt8(ascii: "\t")
  private static let colon = UInt8(ascii: ":")
  private static let dot = UInt8(ascii: ".")
  private static let openBracket = UInt8(ascii: "[")
  private static let closeBracket = UInt8(ascii: "]")

  private static func isNameByte(_ byte: UInt8) -> Bool {
    switch byte {
    case UInt8(ascii: "a")...UInt8(ascii: "z"), UInt8(ascii: "0")...UInt8(ascii: "9"), UInt8(ascii: "-"), dot,
      UInt8(ascii: "_"):
      return true
    default: return false
    }
  }

  /// True for names and addresses that stay on this machine: `localhost`, 127.0.0.0/8, `::1` and IPv4-mapped
  /// loopback addresses.
  public static func isLoopback(_ host: String) -> Bool {
    guard let name = normalizedName(host) else { return false }
    if name == "localhost" || name == "::1" || name == "0:0:0:0:0:0:0:1" { return true }
    let v4 = name.hasPrefix("::ffff:") ? String(name.dropFirst(7)) : name
    let parts = v4.split(separator: ".", omittingEmptySubsequences: false)
    return parts.count == 4 && parts[0] == "127"
      && parts.allSatisfy { part in
        !part.isEmpty && part.count <= 3 && part.allSatisfy(\.isASCIIDigit) && Int(part)! <= 255
      }
  }

  /// The authority of an absolute-form request target (`http://example.org:8080/path` → `example.org:8080`).
  static func absoluteFormAuthority(_ target: String) -> String? {
    // Origin-form (`/path?query`), what every browser sends to a server, is the common case: decided on one byte.
    guard let first = target.utf8.first, first == UInt8(ascii: "h") || first == UInt8(ascii: "H") else { return nil }
    let lower = target.prefix(8).lowercased()
    let schemeLength: Int
    if lower.hasPrefix("http://") {
      schemeLength = 7
    } else if lower.hasPrefix("https://") {
      schemeLength = 8
    } else {
      return nil
    }
    let rest = target.dropFirst(schemeLength)
    return String(rest.prefix { $0 != "/" && $0 != "?" && $0 != "#" })
  }
}
