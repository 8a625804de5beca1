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
  /// spaces, an unclosed bracket).
  public static func hostName(ofHeader value: String) -> String? {
    let value = value.trimmingCharacters(in: .whitespaces)
    var name: Substring
    var port: Substring = ""
    if value.hasPrefix("[") {
      guard let close = value.firstIndex(of: "]") else { return nil }
      name = value[value.index(after: value.startIndex)..<close]
      guard name.contains(":") else { return nil }  // brackets hold IPv6 addresses only
      let rest = value[value.index(after: close)...]
      if !rest.isEmpty {
        guard rest.hasPrefix(":") else { return nil }
        port = rest.dropFirst()
      }
    } else if value.filter({ $0 == ":" }).count > 1 {
      name = Substring(value)  // a bare IPv6 address (`::1`)
    } else if let colon = value.lastIndex(of: ":") {
      name = value[..<colon]
      port = value[value.index(after: colon)...]
    } else {
      name = Substring(value)
    }
    guard port.allSatisfy(\.isASCIIDigit), port.count <= 5 else { return nil }
    return normalizedName(String(name))
  }

  /// A name as compared: lower case, without brackets or a trailing dot; nil when empty or holding characters no
  /// host name or address has (spaces, `/`, `@`, `?`, `#`, `%` outside an IPv6 zone, anything not ASCII).
  public static func normalizedName(_ name: String) -> String? {
    var name = name.lowercased()
    if name.hasPrefix("["), name.hasSuffix("]") { name = String(name.dropFirst().dropLast()) }
    if name.hasSuffix("."), name.count > 1 { name.removeLast() }
    guard !name.isEmpty, name.count <= 253 else { return nil }
    if name.contains(":") {
      // An IPv6 address (two colons at least: `a:80` is a name with a port), perhaps with a zone (`fe80::1%eth0`):
      // hex digits, colons and dots before the zone.
      guard name.filter({ $0 == ":" }).count >= 2 else { return nil }
      let address = name.prefix { $0 != "%" }
      let zone = name.dropFirst(address.count).dropFirst()
      guard address.unicodeScalars.allSatisfy({ $0.properties.isASCIIHexDigit || $0 == ":" || $0 == "." }),
        zone.unicodeScalars.allSatisfy({ isNameScalar($0) })
      else { return nil }
      return name
    }
    // Browsers send internationalized names in their ASCII (`xn--`) form.
    return name.unicodeScalars.allSatisfy(isNameScalar) ? name : nil
  }

  private static func isNameScalar(_ scalar: Unicode.Scalar) -> Bool {
    switch scalar {
    case "a"..."z", "0"..."9", "-", ".", "_": return true
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
    return parts.count == 4 && parts[0] == "127" && parts.allSatisfy { part in
      !part.isEmpty && part.count <= 3 && part.allSatisfy(\.isASCIIDigit) && Int(part)! <= 255
    }
  }

  /// The authority of an absolute-form request target (`http://example.org:8080/path` → `example.org:8080`).
  static func absoluteFormAuthority(_ target: String) -> String? {
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
