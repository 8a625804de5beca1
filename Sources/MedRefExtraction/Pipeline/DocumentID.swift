import Foundation
import MedRefBase

/// Document ids: the source path without its extension, relative to a base folder when the file is inside it
/// (`Corpus/back-spasms` for `Corpus/back-spasms.txt`), otherwise absolute. The same file always gets the same id
/// however it is named on the command line (`./Corpus/x.txt`, `Corpus/x.txt`, an absolute path).
public struct DocumentID: Sendable {
  /// The folder ids are relative to, as an absolute standardized path.
  public let base: String

  public init(base: String) {
    self.base = Self.absolute(base)
  }

  /// The base for an index file: the folder above `Index/` for the default layout (`Index/medref.sqlite`), else the
  /// folder holding the index file.
  public static func base(forIndex indexPath: String) -> String {
    let directory = (absolute(indexPath) as NSString).deletingLastPathComponent
    if (directory as NSString).lastPathComponent == "Index" {
      return (directory as NSString).deletingLastPathComponent
    }
    return directory
  }

  /// The id of the file at `path`.
  public func id(forPath path: String) -> String {
    id(forAbsolutePath: Self.absolute(path))
  }

  /// The id of the file at `absolute`, a path `absolute(_:)` already resolved.
  package func id(forAbsolutePath absolute: String) -> String {
    let withoutExtension = (absolute as NSString).deletingPathExtension
    let prefix = base.hasSuffix("/") ? base : base + "/"
    if withoutExtension.hasPrefix(prefix) { return String(withoutExtension.dropFirst(prefix.count)) }
    return withoutExtension
  }

  /// The id of a page fetched from `uri` (a web archive's `WARC-Target-URI`): its host and path, without the scheme,
  /// a `www.` prefix, a default port, the fragment and the last part's extension (`https://www.example.org/health/
  /// back-spasms.html` is `example.org/health/back-spasms`; `https://example.org/` is `example.org`). A query
  /// makes a part of its own before the last, its FNV-1a hash in hexadecimal (`example.org/~1a2b3c4d/article` for
  /// `example.org/article?id=7`), so the id is stable, readable and ends with the URI's last path part.
  public static func id(forURI uri: String) -> String {
    var rest = Substring(uri)
    if let fragment = rest.firstIndex(of: "#") { rest = rest[..<fragment] }
    if let scheme = rest.range(of: "://") { rest = rest[scheme.upperBound...] }
    var query: Substring?
    if let mark = rest.firstIndex(of: "?") {
      query = rest[rest.index(after: mark)...]
      rest = rest[..<mark]
    }
    var parts = rest.split(separator: "/", omittingEmptySubsequences: true).map(String.init)
    guard !parts.isEmpty else { return uri }
    var host = parts[0].lowercased()
    if let at = host.lastIndex(of: "@") { host = String(host[host.index(after: at)...]) }
    for port in [":80", ":443"] where host.hasSuffix(port) { host.removeLast(port.count) }
    if host.hasPrefix("www.") { host.removeFirst(4) }
    parts[0] = host
    if parts.count > 1 {
      let last = parts[parts.count - 1]
      let stem = (last as NSString).deletingPathExtension
      if !stem.isEmpty { parts[parts.count - 1] = stem }
    }
    parts = parts.map(percentDecoded)
    if let query, !query.isEmpty {
      let hash = String(FNV1a.hash(query.utf8) & 0xFFFF_FFFF, radix: 16)
      parts.insert("~" + String(repeating: "0", count: 8 - hash.count) + hash, at: max(1, parts.count - 1))
    }
    return parts.joined(separator: "/")
  }

  /// `part` with its `%XX` escapes decoded, when that gives UTF-8 without a `/` or control character; else as it is.
  static func percentDecoded(_ part: String) -> String {
    guard part.contains("%") else { return part }
    var bytes: [UInt8] = []
    var utf8 = Array(part.utf8)[...]
    while let byte = utf8.first {
      utf8 = utf8.dropFirst()
      if byte == UInt8(ascii: "%"), utf8.count >= 2,
        let value = UInt8(String(decoding: utf8.prefix(2), as: UTF8.self), radix: 16)
      {
        bytes.append(value)
        utf8 = utf8.dropFirst(2)
      } else {
        bytes.append(byte)
      }
    }
    guard let decoded = String(validating: bytes, as: UTF8.self),
      !decoded.unicodeScalars.contains(where: { $0 == "/" || $0.value < 0x20 || $0.value == 0x7F })
    else { return part }
    return decoded
  }

  /// `path` made absolute against the current folder, with `.` and `..` resolved and symbolic links followed.
  package static func absolute(_ path: String) -> String {
    // realpath(3) for files that exist (a few system calls, where Foundation's resolution costs far more); the
    // standardized URL for those that do not.
    if let resolved = realpath(path, nil) {
      defer { free(resolved) }
      return String(cString: resolved)
    }
    let url =
      path.hasPrefix("/")
      ? URL(fileURLWithPath: path)
      : URL(fileURLWithPath: FileManager.default.currentDirectoryPath).appendingPathComponent(path)
    return url.standardizedFileURL.resolvingSymlinksInPath().path
  }
}
