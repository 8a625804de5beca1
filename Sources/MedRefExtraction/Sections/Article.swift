import MedRefBase
import MedRefText

/// What a section of a health article is about.
public enum SectionKind: String, Sendable, Codable, CaseIterable {
  case symptoms
  case causes
  case riskFactors = "risk_factors"
  /// How a condition is passed down in families ("Is X inherited?").
  case inheritance
  case tests
  case treatment
  case prevention
  case outlook
  case complications
  case overview
  case other
}

/// One section of an article: a heading and the blocks under it up to the next heading.
public struct Section: Sendable, Equatable {
  /// The heading as written (trailing `:` or `-` removed); empty for text before the first heading.
  public var heading: String
  /// Heading level (2 for a top-level section, deeper for sub-sections).
  public var level: Int
  public var kind: SectionKind
  /// 0–1: how sure the classification is.
  public var confidence: Double
  /// What decided the kind, e.g. `heading: symptom*`.
  public var cues: [String]
  /// The blocks under the heading, one per line.
  public var text: String
  /// The section's list items.
  public var items: [String]
  /// The symptoms, tests, medications and procedures named in `text`, in order (offsets into `text`).
  public var entities: [Entity]

  public init(
    heading: String, level: Int, kind: SectionKind, confidence: Double, cues: [String], text: String,
    items: [String], entities: [Entity] = []
  ) {
    self.heading = heading
    self.level = level
    self.kind = kind
    self.confidence = confidence
    self.cues = cues
    self.text = text
    self.items = items
    self.entities = entities
  }
}

/// An article after every stage: where it came from, how it was decoded and repaired, and its sections in order.
public struct Article: Sendable, Equatable {
  /// Stable document id (see `DocumentID`).
  public var id: String
  /// The source path as given.
  public var path: String
  public var title: String
  public var metadata: DocumentMetadata
  public var encoding: String
  public var encodingReason: String
  public var repairs: [Repair]
  /// The main content as plain text, one block per line.
  public var text: String
  /// Sections in reading order, flat; `level` gives the nesting.
  public var sections: [Section]
  /// The main-content blocks in reading order, with their structure (heading levels, list items, table cells) and
  /// source lines.
  public var blocks: [Block] = []
  /// Hash of the source bytes.
  public var contentHash: String
  public var diagnostics: [Diagnostic]

  public init(
    id: String, path: String, title: String, metadata: DocumentMetadata, encoding: String, encodingReason: String,
    repairs: [Repair], text: String, sections: [Section], blocks: [Block] = [], contentHash: String,
    diagnostics: [Diagnostic]
  ) {
    self.id = id
    self.path = path
    self.title = title
    self.metadata = metadata
    self.encoding = encoding
    self.encodingReason = encodingReason
    self.repairs = repairs
    self.text = text
    self.sections = sections
    self.blocks = blocks
    self.contentHash = contentHash
    self.diagnostics = diagnostics
  }
}
