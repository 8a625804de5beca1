import MedRefBase
import MedRefText

extension ExtractRecord {
  /// Why an extract object cannot be read back into an article.
  public struct Unreadable: Error, Equatable, CustomStringConvertible {
    public var reason: String
    public var description: String { reason }
  }

  /// The article this extract object was made from, as the index stores it: sections flat in reading order (the
  /// nesting is by level), blocks back from their records (list items with their depth and numbering, table rows
  /// with their cells), the content hash the object carries or `fallbackHash`.
  /// - Throws: `Unreadable` for a section kind or block type MedRef does not know.
  public func article(fallbackHash: String) throws(Unreadable) -> Article {
    var flat: [Section] = []
    func flatten(_ records: [SectionRecord]) throws(Unreadable) {
      for record in records {
        guard let kind = SectionKind(rawValue: record.kind) else {
          throw Unreadable(reason: "unknown section kind '\(record.kind)'")
        }
        flat.append(
          Section(
            heading: record.heading, level: record.level, kind: kind, confidence: record.confidence,
            cues: record.cues, text: record.text, items: record.items, entities: record.entities))
        try flatten(record.sections)
      }
    }
    try flatten(sections)
    var flatBlocks: [Block] = []
    for (index, record) in blocks.enumerated() {
      // Two lists in a row with the same numbering were one list whose items went back out past its first
      // item's depth: each list one level above the next keeps them apart when the blocks are read again.
      let following = blocks[(index + 1)...].prefix { $0.type == "list" && $0.ordered == record.ordered }.count
      try Self.append(record, depth: record.type == "list" ? following : 0, to: &flatBlocks)
    }
    return Article(
      id: id, path: path, title: title, metadata: metadata, encoding: encoding.detected,
      encodingReason: encoding.reason, repairs: repairs, text: text, sections: flat, blocks: flatBlocks,
      contentHash: contentHash ?? fallbackHash, diagnostics: [])
  }

  /// `record`'s blocks, as `blockRecords` made it from them.
  private static func append(_ record: BlockRecord, depth: Int, to blocks: inout [Block]) throws(Unreadable) {
    switch record.type {
    case "heading":
      blocks.append(Block(.heading, record.text ?? "", level: record.level ?? 2, line: record.line))
    case "paragraph", "quote", "preformatted":
      let kind = BlockKind(rawValue: record.type) ?? .paragraph
      blocks.append(Block(kind, record.text ?? "", line: record.line))
    case "list":
      for item in record.items ?? [] {
        blocks.append(Block(.listItem, item.text, ordered: record.ordered ?? false, depth: depth, line: item.line))
        if let nested = item.list { try append(nested, depth: depth + 1, to: &blocks) }
      }
    case "table":
      for (index, row) in (record.rows ?? []).enumerated() {
        // A row's text is its filled cells joined, as the HTML parser writes it.
        let text = row.filter { !$0.isEmpty }.joined(separator: " | ")
        blocks.append(Block(.tableRow, text, cells: row, line: index == 0 ? record.line : nil))
      }
    default:
      throw Unreadable(reason: "unknown block type '\(record.type)'")
    }
  }
}
