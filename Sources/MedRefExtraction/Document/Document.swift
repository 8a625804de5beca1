import Foundation
import MedRefText

/// What a block of an article is.
public enum BlockKind: String, Sendable, Codable {
  case heading
  case paragraph
  case listItem = "list_item"
  case tableRow = "table_row"
  case preformatted
  case quote
}

/// One block of article text, in reading order: a heading with its level, a paragraph, a list item, a table row,
/// preformatted text or a quotation. `text` is the block as one line of plain text (a table row's cells joined by
/// ` | `); list items and table rows keep their structure in `ordered`, `depth` and `cells`.
public struct Block: Sendable, Equatable, Codable {
  public var kind: BlockKind
  public var text: String
  /// Heading level 1–6; 0 for other blocks.
  public var level: Int
  /// For a list item: whether its list is numbered (`1.`, `<ol>`).
  public var ordered: Bool
  /// For a list item: how deeply its list is nested, 0 for a top-level list.
  public var depth: Int
  /// For a table row: its cells in column order, an empty cell as an empty string (`text` leaves them out).
  public var cells: [String]?
  /// The 1-based line of the source where the block starts, when known.
  public var line: Int?

  public init(
    _ kind: BlockKind, _ text: String, level: Int = 0, ordered: Bool = false, depth: Int = 0, cells: [String]? = nil,
    line: Int? = nil
  ) {
    self.kind = kind
    self.text = text
    self.level = level
    self.ordered = ordered
    self.depth = depth
    self.cells = cells
    self.line = line
  }
}

/// Text left out of an article as boilerplate (an author bio, a view counter, a share bar...), kept for diagnostics.
public struct DroppedBlock: Sendable, Equatable, Codable {
  /// The 1-based line of the source where it starts, when known.
  public var line: Int?
  /// Why it was dropped: the rule's kind, e.g. `bio`, `view-count`, `share`.
  public var kind: String
  public var text: String

  public init(line: Int?, kind: String, text: String) {
    self.line = line
    self.kind = kind
    self.text = text
  }
}

/// Facts about an article found in its page, each when present.
public struct DocumentMetadata: Sendable, Equatable, Codable {
  public var url: String?
  public var author: String?
  public var published: String?
  public var site: String?
  public var language: String?
  /// When a web archive's crawler fetched the page (`WARC-Date`).
  public var crawled: String?

  public init(
    url: String? = nil, author: String? = nil, published: String? = nil, site: String? = nil, language: String? = nil,
    crawled: String? = nil
  ) {
    self.url = url
    self.author = author
    self.published = published
    self.site = site
    self.language = language
    self.crawled = crawled
  }
}

/// A parsed article: its title, metadata and main-content blocks, boilerplate left out.
public struct Document: Sendable, Equatable {
  public var title: String?
  public var metadata: DocumentMetadata
  public var blocks: [Block]
  /// Lines or elements dropped as boilerplate, for diagnostics.
  public var droppedBoilerplate: Int
  /// What was dropped, where the parser records it (plain text: every dropped line or paragraph with its line).
  public var dropped: [DroppedBlock]

  public init(
    title: String?, metadata: DocumentMetadata = DocumentMetadata(), blocks: [Block], droppedBoilerplate: Int = 0,
    dropped: [DroppedBlock] = []
  ) {
    self.title = title
    self.metadata = metadata
    self.blocks = blocks
    self.droppedBoilerplate = max(droppedBoilerplate, dropped.count)
    self.dropped = dropped
  }

  /// The main content as plain text, one block per line.
  public var text: String {
    blocks.map(\.text).joined(separator: "\n")
  }
}

/// Text helpers shared by the HTML and plain-text parsers.
package enum TextNormalizer {
  /// Collapses runs of white space (no-break and other Unicode spaces included) to single spaces, leaves out soft
  /// hyphens and zero-width spaces, and trims the ends. With `mapC1`, C1 controls (U+0080–U+009F, what numeric
  /// references such as `&#146;` give) become the Windows-1252 characters they stand for, as browsers show them.
  /// Works on UTF-8 bytes.
  static func collapseWhitespace(_ text: String, mapC1: Bool = false) -> String {
    var input = text
    return input.withUTF8 { collapseWhitespace(utf8: $0, mapC1: mapC1) }
  }

  /// `collapseWhitespace` over UTF-8 bytes.
  static func collapseWhitespace(utf8 bytes: UnsafeBufferPointer<UInt8>, mapC1: Bool = false) -> String {
    var out: [UInt8] = []
    out.reserveCapacity(bytes.count)
    var pendingSpace = false
    var index = 0
    let count = bytes.count
    while index < count {
      let byte = bytes[index]
      var spaceLength = 0
      var c1: UInt8?
      // Invisible characters are left out: soft hyphens (U+00AD), zero-width spaces (U+200B) and byte order
      // marks (U+FEFF) inside the text.
      if (byte == 0xC2 && index + 1 < count && bytes[index + 1] == 0xAD)
        || (byte == 0xE2 && index + 2 < count && bytes[index + 1] == 0x80 && bytes[index + 2] == 0x8B)
        || (byte == 0xEF && index + 2 < count && bytes[index + 1] == 0xBB && bytes[index + 2] == 0xBF)
      {
        index += byte == 0xC2 ? 2 : 3
        continue
      }
      if byte < 0x80 {
        if byte == 0x20 || (byte >= 0x09 && byte <= 0x0D) { spaceLength = 1 }
      } else if byte == 0xC2, index + 1 < count {
        let next = bytes[index + 1]
        if next == 0xA0 || next == 0x85 {
          spaceLength = 2
        } else if mapC1, next >= 0x80, next <= 0x9F {
          c1 = next
        }
      } else if byte == 0xE2, index + 2 < count {
        let (second, third) = (bytes[index + 1], bytes[index + 2])
        if (second == 0x80 && (third <= 0x8A || third == 0xA8 || third == 0xA9 || third == 0xAF))
          || (second == 0x81 && third == 0x9F)
        {
          spaceLength = 3
        }
      } else if byte == 0xE3, index + 2 < count, bytes[index + 1] == 0x80, bytes[index + 2] == 0x80 {
        spaceLength = 3
      } else if byte == 0xE1, index + 2 < count, bytes[index + 1] == 0x9A, bytes[index + 2] == 0x80 {
        spaceLength = 3
      }
      if spaceLength > 0 {
        pendingSpace = !out.isEmpty
        index += spaceLength
        continue
      }
      if pendingSpace {
        out.append(0x20)
        pendingSpace = false
      }
      if let c1 {
        out.append(contentsOf: SingleByteEncoding.windows1252.utf8[Int(c1)])
        index += 2
      } else {
        out.append(byte)
        index += 1
      }
    }
    return String(decoding: out, as: UTF8.self)
  }

  /// Bullet characters that start a list item in pasted text.
  static let bulletMarkers: Set<Character> = ["•", "·", "◦", "▪", "‣", "●", "○", "■", "□", "-", "*", "–", "—"]

  /// If `line` starts with a bullet (`• `, `- `, `* `) or a number (`1. `, `2) `), the text after it.
  static func listItemText(_ line: String) -> (text: String, ordered: Bool)? {
    guard let first = line.first else { return nil }
    if bulletMarkers.contains(first) {
      let rest = line.dropFirst()
      guard let next = rest.first,
        next == " " || next == "\t" || (first != "-" && first != "*" && first != "–" && first != "—")
      else { return nil }
      let text = String(rest.drop { $0 == " " || $0 == "\t" })
      return text.isEmpty ? nil : (text, false)
    }
    let digits = line.prefix(while: \.isASCIIDigit)
    guard (1...3).contains(digits.count) else { return nil }
    let rest = line.dropFirst(digits.count)
    guard let marker = rest.first, marker == "." || marker == ")", rest.dropFirst().first == " " else { return nil }
    let text = String(rest.dropFirst().drop { $0 == " " || $0 == "\t" })
    return text.isEmpty ? nil : (text, true)
  }
}

extension String {
  /// Whether the string has fewer than `limit` characters, found without counting all of a long one.
  func isShorter(than limit: Int) -> Bool {
    if utf8.count < limit { return true }
    return index(startIndex, offsetBy: limit, limitedBy: endIndex) == nil
  }
}

extension Character {
  package var isASCIIDigit: Bool { isASCII && isNumber }
}
