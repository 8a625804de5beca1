import Foundation

/// What a block of an article is.
public enum BlockKind: String, Sendable, Codable {
  case heading
  case paragraph
  case listItem = "list_item"
  case tableRow = "table_row"
  case preformatted
  case quote
}

/// One block of article text, in reading order: a heading with its level, a paragraph, a list item, a table row
/// (cells joined by ` | `), preformatted text or a quotation.
public struct Block: Sendable, Equatable, Codable {
  public var kind: BlockKind
  public var text: String
  /// Heading level 1–6; 0 for other blocks.
  public var level: Int

  public init(_ kind: BlockKind, _ text: String, level: Int = 0) {
    self.kind = kind
    self.text = text
    self.level = level
  }
}

/// Facts about an article found in its page, each when present.
public struct DocumentMetadata: Sendable, Equatable, Codable {
  public var url: String?
  public var author: String?
  public var published: String?
  public var site: String?
  public var language: String?

  public init(
    url: String? = nil, author: String? = nil, published: String? = nil, site: String? = nil, language: String? = nil
  ) {
    self.url = url
    self.author = author
    self.published = published
    self.site = site
    self.language = language
  }
}

/// A parsed article: its title, metadata and main-content blocks, boilerplate left out.
public struct Document: Sendable, Equatable {
  public var title: String?
  public var metadata: DocumentMetadata
  public var blocks: [Block]
  /// Lines or elements dropped as boilerplate, for diagnostics.
  public var droppedBoilerplate: Int

  public init(title: String?, metadata: DocumentMetadata = DocumentMetadata(), blocks: [Block], droppedBoilerplate: Int = 0) {
    self.title = title
    self.metadata = metadata
    self.blocks = blocks
    self.droppedBoilerplate = droppedBoilerplate
  }

  /// The main content as plain text, one block per line.
  public var text: String {
    blocks.map(\.text).joined(separator: "\n")
  }
}

/// Text helpers shared by the HTML and plain-text parsers.
enum TextNormalizer {
  /// Collapses runs of white space (no-break spaces included) to single spaces and trims the ends.
  static func collapseWhitespace(_ text: String) -> String {
    var out = String.UnicodeScalarView()
    var pendingSpace = false
    for scalar in text.unicodeScalars {
      if scalar.properties.isWhitespace || scalar == "\u{00A0}" {
        pendingSpace = !out.isEmpty
      } else {
        if pendingSpace {
          out.append(" ")
          pendingSpace = false
        }
        out.append(scalar)
      }
    }
    return String(out)
  }

  /// Bullet characters that start a list item in pasted text.
  static let bulletMarkers: Set<Character> = ["•", "·", "◦", "▪", "‣", "●", "○", "■", "□", "-", "*", "–", "—"]

  /// If `line` starts with a bullet (`• `, `- `, `* `) or a number (`1. `, `2) `), the text after it.
  static func listItemText(_ line: String) -> (text: String, ordered: Bool)? {
    guard let first = line.first else { return nil }
    if bulletMarkers.contains(first) {
      let rest = line.dropFirst()
      guard let next = rest.first, next == " " || next == "\t" || (first != "-" && first != "*" && first != "–" && first != "—")
      else { return nil }
      let text = rest.trimmingCharacters(in: .whitespaces)
      return text.isEmpty ? nil : (text, false)
    }
    let digits = line.prefix(while: \.isASCIIDigit)
    guard (1...3).contains(digits.count) else { return nil }
    let rest = line.dropFirst(digits.count)
    guard let marker = rest.first, marker == "." || marker == ")", rest.dropFirst().first == " " else { return nil }
    let text = rest.dropFirst().trimmingCharacters(in: .whitespaces)
    return text.isEmpty ? nil : (text, true)
  }
}

extension Character {
  var isASCIIDigit: Bool { isASCII && isNumber }
}
