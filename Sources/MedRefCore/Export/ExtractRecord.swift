import Foundation

/// The extract object of MedRef's contract (`extract`, `export`): one article as JSON, with its sections nested by
/// heading level.
public struct ExtractRecord: Sendable, Codable, Equatable {
  public struct Encoding: Sendable, Codable, Equatable {
    public var detected: String
    public var reason: String
  }

  /// A named entity found in a section's text (filled from the entity lexicons).
  public struct Entity: Sendable, Codable, Equatable {
    public var text: String
    public var type: String
    public var start: Int
    public var end: Int
  }

  public struct SectionRecord: Sendable, Codable, Equatable {
    public var heading: String
    public var level: Int
    public var kind: String
    public var confidence: Double
    public var cues: [String]
    public var text: String
    public var items: [String]
    public var entities: [Entity]
    public var sections: [SectionRecord]
  }

  public var id: String
  public var path: String
  public var title: String
  public var metadata: DocumentMetadata
  public var encoding: Encoding
  public var repairs: [Repair]
  public var text: String
  public var sections: [SectionRecord]

  public init(_ article: Article) {
    id = article.id
    path = article.path
    title = article.title
    metadata = article.metadata
    encoding = Encoding(detected: article.encoding, reason: article.encodingReason)
    repairs = article.repairs
    text = article.text
    sections = Self.nest(article.sections)
  }

  /// Builds the section tree: a section whose level is deeper than the one before it nests inside that one.
  static func nest(_ flat: [Section]) -> [SectionRecord] {
    var index = 0
    func children(deeperThan level: Int) -> [SectionRecord] {
      var records: [SectionRecord] = []
      while index < flat.count, flat[index].level > level {
        let section = flat[index]
        index += 1
        records.append(
          SectionRecord(
            heading: section.heading, level: section.level, kind: section.kind.rawValue,
            confidence: section.confidence, cues: section.cues, text: section.text, items: section.items,
            entities: [], sections: children(deeperThan: section.level)))
      }
      return records
    }
    return children(deeperThan: 0)
  }
}

/// Writes extract objects as JSON Lines (one object per line) or as one pretty-printed JSON array.
public enum ExtractFormat: String, Sendable, CaseIterable {
  case jsonl
  case json
}

/// JSON encoding shared by every command that prints JSON: stable key order, no escaped slashes, UTF-8 as is.
public enum JSONOutput {
  /// One line of compact JSON.
  public static func line<T: Encodable>(_ value: T) -> String {
    let encoder = JSONEncoder()
    encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
    return String(decoding: (try? encoder.encode(value)) ?? Data("null".utf8), as: UTF8.self)
  }

  /// Indented JSON for reading.
  public static func pretty<T: Encodable>(_ value: T) -> String {
    let encoder = JSONEncoder()
    encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes, .prettyPrinted]
    return String(decoding: (try? encoder.encode(value)) ?? Data("null".utf8), as: UTF8.self)
  }
}
