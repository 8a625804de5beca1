import Foundation

/// Reads MedRef's data files (lexicons, character tables) from the package's resource bundle.
package enum ResourceFile {
  /// The text of `Resources/<name>`, or a crash with a clear message: a missing resource is a packaging bug, not
  /// something a user can cause.
  package static func text(_ name: String) -> String {
    guard let text = String(data: data(name), encoding: .utf8) else {
      fatalError("MedRef's resource \(name) is not UTF-8; reinstall medref")
    }
    return text
  }

  /// The bytes of `Resources/<name>` (for large tables read without making a `String` of them).
  package static func bytes(_ name: String) -> [UInt8] {
    [UInt8](data(name))
  }

  /// The bytes of `Resources/<name>`, or nil when there is no such resource (for optional, derived files).
  package static func optionalBytes(_ name: String) -> [UInt8]? {
    optionalData(name).map { [UInt8]($0) }
  }

  private static func data(_ name: String) -> Data {
    guard let data = optionalData(name) else {
      fatalError("MedRef's resource \(name) is missing; reinstall medref")
    }
    return data
  }

  private static func optionalData(_ name: String) -> Data? {
    // The folder is copied whole as `Resources/`; depending on the platform, Foundation reports the bundle itself
    // or that folder as the resource location.
    let bundle = Bundle.module
    let candidates = [
      bundle.bundleURL.appendingPathComponent("Resources").appendingPathComponent(name),
      bundle.resourceURL?.appendingPathComponent(name),
      bundle.resourceURL?.appendingPathComponent("Resources").appendingPathComponent(name),
    ].compactMap { $0 }
    return candidates.lazy.compactMap({ try? Data(contentsOf: $0) }).first
  }

  /// The tab-separated rows of a resource, without blank lines and `#` comments. Split on UTF-8 bytes: splitting
  /// a `String` by `Character` would segment graphemes, which is slow for tables of thousands of rows.
  package static func rows(_ name: String) -> [[Substring]] {
    rows(of: text(name))
  }

  /// The tab-separated rows of `text`, read as `rows(_:)` reads a resource.
  package static func rows(of text: String) -> [[Substring]] {
    let content = Substring(text)
    let utf8 = content.utf8
    var rows: [[Substring]] = []
    var lineStart = utf8.startIndex
    while lineStart < utf8.endIndex {
      let lineEnd = utf8[lineStart...].firstIndex(of: 0x0A) ?? utf8.endIndex
      let line = utf8[lineStart..<lineEnd]
      if let first = line.first(where: { $0 != 0x20 && $0 != 0x09 }), first != UInt8(ascii: "#") {
        var fields: [Substring] = []
        var fieldStart = line.startIndex
        while true {
          let fieldEnd = line[fieldStart...].firstIndex(of: 0x09) ?? line.endIndex
          fields.append(Substring(line[fieldStart..<fieldEnd]))
          if fieldEnd == line.endIndex { break }
          fieldStart = line.index(after: fieldEnd)
        }
        rows.append(fields)
      }
      lineStart = lineEnd == utf8.endIndex ? lineEnd : utf8.index(after: lineEnd)
    }
    return rows
  }

  /// A JSON resource decoded into `T`.
  package static func json<T: Decodable>(_ name: String, as type: T.Type) -> T {
    do {
      return try JSONDecoder().decode(T.self, from: Data(text(name).utf8))
    } catch {
      fatalError("MedRef's resource \(name) is malformed: \(error)")
    }
  }
}
