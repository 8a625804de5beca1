import Foundation
import MedRefBase
import MedRefText

/// The extract object of MedRef's contract (`extract`, `export`): one article as JSON, with its sections nested by
/// heading level.
public struct ExtractRecord: Sendable, Codable, Equatable {
  public struct Encoding: Sendable, Codable, Equatable {
    public var detected: String
    public var reason: String
  }

  /// A named entity of a section (see `Entity`).
  public typealias Entity = MedRefExtraction.Entity

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

  /// One block of the article in reading order: a heading, paragraph, list, table, quotation or preformatted text.
  /// Keys a block type does not use are left out, and so is `line` where the source line is not known.
  public struct BlockRecord: Sendable, Codable, Equatable {
    /// `heading`, `paragraph`, `list`, `table`, `quote` or `preformatted`.
    public var type: String
    /// The text of a heading, paragraph, quotation or preformatted block.
    public var text: String?
    /// A heading's level, 1–6.
    public var level: Int?
    /// A list's items in order.
    public var items: [ListItem]?
    /// Whether a list is numbered.
    public var ordered: Bool?
    /// A table's rows, each its cells in column order.
    public var rows: [[String]]?
    /// The 1-based source line where the block starts (for a list or table, its first item or row).
    public var line: Int?

    public init(
      type: String, text: String? = nil, level: Int? = nil, items: [ListItem]? = nil, ordered: Bool? = nil,
      rows: [[String]]? = nil, line: Int? = nil
    ) {
      self.type = type
      self.text = text
      self.level = level
      self.items = items
      self.ordered = ordered
      self.rows = rows
      self.line = line
    }
  }

  /// One item of a list block, with the list nested in it if there is one.
  public struct ListItem: Sendable, Codable, Equatable {
    public var text: String
    public var line: Int?
    /// A list nested in the item (a block of type `list`).
    public var list: BlockRecord?

    public init(text: String, line: Int? = nil, list: BlockRecord? = nil) {
      self.text = text
      self.line = line
      self.list = list
    }
  }

  public var id: String
  public var path: String
  public var title: String
  public var metadata: DocumentMetadata
  public var encoding: Encoding
  public var repairs: [Repair]
  public var text: String
  /// The typed document in reading order (an extension of the contract, see the README).
  public var blocks: [BlockRecord]
  public var sections: [SectionRecord]
  /// The hash of the source's bytes (`ContentHash`), so that `medref ingest --extracts` stores the article as an
  /// ingest of the source would, and knows it again; absent in objects written before issue 19.
  public var contentHash: String?

  enum CodingKeys: String, CodingKey {
    case id, path, title, metadata, encoding, repairs, text, blocks, sections
    case contentHash = "content_hash"
  }

  /// The extract object of `article` (its sections' entities are those the pipeline found).
  public init(_ article: Article) {
    id = article.id
    path = article.path
    title = article.title
    metadata = article.metadata
    encoding = Encoding(detected: article.encoding, reason: article.encodingReason)
    repairs = article.repairs
    text = article.text
    blocks = Self.blockRecords(article.blocks)
    sections = Self.nest(article.sections)
    contentHash = article.contentHash.isEmpty ? nil : article.contentHash
  }

  /// The typed document: consecutive list items grouped into lists (deeper items nested in the item before them,
  /// a change between bulleted and numbered starting a new list), consecutive table rows into tables.
  public static func blockRecords(_ blocks: [Block]) -> [BlockRecord] {
    var records: [BlockRecord] = []
    var index = 0
    while index < blocks.count {
      let block = blocks[index]
      switch block.kind {
      case .listItem:
        records.append(list(blocks, from: &index, depth: block.depth))
      case .tableRow:
        var rows: [[String]] = []
        while index < blocks.count, blocks[index].kind == .tableRow {
          rows.append(blocks[index].cells ?? [blocks[index].text])
          index += 1
        }
        records.append(BlockRecord(type: "table", rows: rows, line: block.line))
      case .heading:
        records.append(BlockRecord(type: "heading", text: block.text, level: block.level, line: block.line))
        index += 1
      case .paragraph, .quote, .preformatted:
        records.append(BlockRecord(type: block.kind.rawValue, text: block.text, line: block.line))
        index += 1
      }
    }
    return records
  }

  /// The list whose first item is `blocks[index]`, at `depth`; moves `index` past it.
  private static func list(_ blocks: [Block], from index: inout Int, depth: Int) -> BlockRecord {
    let first = blocks[index]
    var items: [ListItem] = []
    while index < blocks.count, blocks[index].kind == .listItem, blocks[index].depth >= depth {
      let block = blocks[index]
      if block.depth > depth, !items.isEmpty {
        let nested = list(blocks, from: &index, depth: block.depth)
        if let existing = items[items.count - 1].list {
          items[items.count - 1].list?.items = (existing.items ?? []) + (nested.items ?? [])
        } else {
          items[items.count - 1].list = nested
        }
        continue
      }
      if !items.isEmpty && block.ordered != first.ordered { break }
      items.append(ListItem(text: block.text, line: block.line))
      index += 1
    }
    return BlockRecord(type: "list", items: items, ordered: first.ordered, line: first.line)
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
            entities: section.entities, sections: children(deeperThan: section.level)))
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

/// The JSON Schema (draft 2020-12) of the extract object, from `Resources/extract.schema.json`; `medref schema`
/// prints it, and the tests validate `extract` and `export` output against it.
public enum ExtractSchema {
  public static var text: String { ResourceFile.text("extract.schema.json") }
}
