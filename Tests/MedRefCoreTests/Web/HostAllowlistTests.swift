import Testing

@testable import MedRefWeb

/// The `Host` rule of `medref serve` (issue 16): loopback names, the bound name and `--allow-host` names only.
@Suite("Host allowlist")
struct HostAllowlistTests {
  @Test("the name part of a Host header: port ignored, case and a trailing dot dropped, IPv6 in brackets")
  func hostNames() {
    let cases: [(String, String?)] = [
      ("localhost", "localhost"), ("LocalHost:8080", "localhost"), ("localhost.", "localhost"),
      ("127.0.0.1:80", "127.0.0.1"), ("[::1]", "::1"), ("[::1]:8080", "::1"), ("::1", "::1"),
      ("[FE80::1%eth0]:80", "fe80::1%eth0"), ("Example.ORG", "example.org"), (" example.org ", "example.org"),
      ("", nil), (":80", nil), ("localhost:80x", nil), ("localhost:123456", nil), ("user@localhost", nil),
      ("local host", nil), ("[::1", nil), ("[::1]x", nil), ("evil.com/x", nil), ("évil.com", nil),
      ("[evil.com]", nil),
    ]
    for (header, expected) in cases {
      #expect(HostAllowlist.hostName(ofHeader: header) == expected, "\(header)")
    }
  }

  @Test("loopback names, the bound host and --allow-host names are allowed; anything else is 421")
  func verdicts() {
    let allowlist = HostAllowlist(boundHost: "127.0.0.1", extra: ["Medref.LAN."])
    for host in ["localhost:8080", "127.0.0.1", "[::1]:8080", "medref.lan", "MEDREF.lan:1"] {
      #expect(allowlist.verdict(hostValues: [host], requiresHost: true) == .allowed, "\(host)")
    }
    for host in ["evil.com", "localhost.evil.com", "127.0.0.1.nip.io", "medref.lan.evil.com", "0.0.0.0", "10.0.0.1"] {
      guard case .refused(421, let reason) = allowlist.verdict(hostValues: [host], requiresHost: true) else {
        Issue.record("\(host) is not refused with 421")
        continue
      }
      #expect(reason.contains("is not served here"), "\(reason)")
    }
  }

  @Test("Host missing on HTTP/1.1, repeated or malformed is 400; HTTP/1.0 may leave it out")
  func malformed() {
    let allowlist = HostAllowlist(boundHost: "localhost")
    #expect(
      allowlist.verdict(hostValues: [], requiresHost: true) == .refused(status: 400, reason: "missing Host header"))
    #expect(allowlist.verdict(hostValues: [], requiresHost: false) == .allowed)
    #expect(
      allowlist.verdict(hostValues: ["localhost", "evil.com"], requiresHost: true)
        == .refused(status: 400, reason: "more than one Host header"))
    #expect(
      allowlist.verdict(hostValues: ["localhost:x"], requiresHost: true)
        == .refused(status: 400, reason: "malformed Host header"))
  }

  @Test("an absolute-form target must name an allowed host too")
  func absoluteForm() {
    let allowlist = HostAllowlist(boundHost: "127.0.0.1")
    #expect(
      allowlist.verdict(hostValues: ["localhost"], requiresHost: true, target: "http://localhost:8/x") == .allowed)
    let verdict = allowlist.verdict(hostValues: ["localhost"], requiresHost: true, target: "HTTP://evil.com/api")
    guard case .refused(421, _) = verdict else {
      Issue.record("\(verdict)")
      return
    }
  }

  @Test("a wildcard bind allows the machine's interface addresses; a named bind allows that name")
  func boundHost() {
    let wildcard = HostAllowlist(boundHost: "0.0.0.0", interfaceAddresses: ["192.0.2.7", "fe80::1"])
    for host in ["0.0.0.0:8080", "192.0.2.7:8080", "[fe80::1]:8080", "localhost"] {
      #expect(wildcard.verdict(hostValues: [host], requiresHost: true) == .allowed, "\(host)")
    }
    #expect(wildcard.verdict(hostValues: ["evil.com"], requiresHost: true) != .allowed)
    // The interface addresses count only for a wildcard bind.
    let loopback = HostAllowlist(boundHost: "127.0.0.1", interfaceAddresses: ["192.0.2.7"])
    #expect(loopback.verdict(hostValues: ["192.0.2.7"], requiresHost: true) != .allowed)
    let named = HostAllowlist(boundHost: "medref.example")
    #expect(named.verdict(hostValues: ["medref.example:8080"], requiresHost: true) == .allowed)
  }

  @Test("loopback addresses are told from the others")
  func loopback() {
    for host in ["127.0.0.1", "127.1.2.3", "::1", "[::1]", "localhost", "::ffff:127.0.0.1"] {
      #expect(HostAllowlist.isLoopback(host), "\(host)")
    }
    for host in ["0.0.0.0", "::", "192.168.1.2", "127.0.0.256", "128.0.0.1", "example.org", "1127.0.0.1"] {
      #expect(!HostAllowlist.isLoopback(host), "\(host)")
    }
  }
}
