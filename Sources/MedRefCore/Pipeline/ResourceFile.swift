import Foundation

/// Reads MedRef's data files (lexicons, character tables) from the package's resource bundle.
enum ResourceFile {
  /// The text of `Resources/<name>`, or a crash with a clear message: a missing resource is a packaging bug, not
  /// something a user can cause.
  static func text(_ name: String) -> String {
    // The folder is copied whole as `Resources/`; depending on the platform, Foundation reports the bundle itself
    // or that folder as the resource location.
    let bundle = Bundle.module
    let candidates = [
      bundle.bundleURL.appendingPathComponent("Resources").appendingPathComponent(name),
      bundle.resourceURL?.appendingPathComponent(name),
      bundle.resourceURL?.appendingPathComponent("Resources").appendingPathComponent(name),
    ].compactMap { $0 }
    guard let data = candidates.lazy.compactMap({ try? Data(contentsOf: $0) }).first,
      let text = String(data: data, encoding: .utf8)
    else {
      fatalError("MedRef's resource \(name) is missing or not UTF-8; reinstall medref")
    }
    return text
  }

  /// The tab-separated rows of a resource, without blank lines and `#` comments.
  static func rows(_ name: String) -> [[Substring]] {
    let content = text(name)
    var rows: [[Substring]] = []
    for line in content.split(separator: "\n", omittingEmptySubsequences: true) {
      guard let first = line.utf8.first(where: { $0 != 0x20 && $0 != 0x09 }), first != UInt8(ascii: "#") else {
        continue
      }
      rows.append(line.split(separator: "\t", omittingEmptySubsequences: false))
    }
    return rows
  }

  /// A JSON resource decoded into `T`.
  static func json<T: Decodable>(_ name: String, as type: T.Type) -> T {
    do {
      return try JSONDecoder().decode(T.self, from: Data(text(name).utf8))
    } catch {
      fatalError("MedRef's resource \(name) is malformed: \(error)")
    }
  }
}
