import MedRefExtraction
import MedRefSearch

/// An article as people see it, whatever lays it out — `medref show` (`ArticleReport`), the web's article page
/// (`MedRefWeb`): each section with its heading as shown, its kind's label, the headings above it and its entities
/// each named once; the article's red flags with the section they are in, and its entities. What is shown of an
/// article is derived here once; the reports and pages only lay it out.
public struct ArticleView: Sendable {
  /// A red-flag mention: a symptom that calls for urgent care.
  public struct RedFlag: Sendable {
    public var entity: EntityView
    /// Where it is: an index into `sections`.
    public var section: Int
  }

  public var article: Article
  /// The sections in reading order.
  public var sections: [SectionView]
  /// Every red-flag mention, in reading order.
  public var redFlags: [RedFlag]
  /// The article's entities, each term once (`EntityView.distinct`).
  public var entities: [EntityView]

  public init(_ article: Article) {
    self.article = article
    var stack: [(level: Int, heading: String)] = []
    var sections: [SectionView] = []
    for (index, section) in article.sections.enumerated() {
      while let last = stack.last, last.level >= section.level { stack.removeLast() }
      let path = stack.map(\.heading).filter { !$0.isEmpty }
      stack.append((section.level, section.heading))
      sections.append(SectionView(section, number: index + 1, path: path))
    }
    self.sections = sections
    redFlags = sections.indices.flatMap { index in
      sections[index].section.entities.filter(\.redFlag).map { RedFlag(entity: EntityView($0), section: index) }
    }
    entities = EntityView.distinct(article.sections.flatMap(\.entities))
  }

  /// The red flags with each wording once (its words, whatever their case), at its first mention.
  public var distinctRedFlags: [RedFlag] {
    var seen: Set<String> = []
    return redFlags.filter { seen.insert($0.entity.entity.text.lowercased()).inserted }
  }
}

/// One section as people see it.
public struct SectionView: Sendable {
  public var section: Section
  /// Its place in the article, from 1 in reading order (the web page's anchors, `#s1`).
  public var number: Int
  /// The heading as shown: "(introduction)" for the text before the first heading (`SectionHeading`).
  public var heading: String
  /// The headings of the sections it is nested in, outermost first (those without a heading left out).
  public var path: [String]
  /// Its kind as people read it ("risk factors").
  public var kindLabel: String
  /// Its entities, each term once (`EntityView.distinct`).
  public var entities: [EntityView]

  public init(_ section: Section, number: Int, path: [String] = []) {
    self.section = section
    self.number = number
    self.heading = SectionHeading.shown(section.heading)
    self.path = path
    self.kindLabel = section.kind.label
    self.entities = EntityView.distinct(section.entities)
  }

  /// Its entities of one type.
  public func entities(of type: EntityType) -> [EntityView] { entities.filter { $0.entity.type == type } }
}

/// One entity as people see it: its words, what they are normalised to when that is another name, its HPO id.
public struct EntityView: Sendable, Equatable {
  public var entity: Entity
  /// The normalised name when it is not the words themselves (other than in case): "Paresthesia" for "tingling".
  public var renamed: String?

  public init(_ entity: Entity) {
    self.entity = entity
    if let normalized = entity.normalized, normalized.lowercased() != entity.text.lowercased() {
      renamed = normalized
    }
  }

  /// "tingling → Paresthesia (HP:0003401)": the words, the other name, the HPO id.
  public var description: String {
    var text = entity.text
    if let renamed { text += " → " + renamed }
    if let hpo = entity.hpo { text += " (\(hpo))" }
    return text
  }

  /// Each term once — a type and what it is normalised to (else its words), whatever the case — in order of first
  /// mention.
  public static func distinct(_ entities: [Entity]) -> [EntityView] {
    var seen: Set<String> = []
    return entities.filter {
      seen.insert($0.type.rawValue + "\u{0}" + ($0.normalized ?? $0.text).lowercased()).inserted
    }
    .map(EntityView.init)
  }
}

extension SectionKind {
  /// The kind as people read it: "risk factors" for `risk_factors`.
  public var label: String { rawValue.replacingOccurrences(of: "_", with: " ") }
}

extension SearchResponse.SectionHit {
  /// The heading as shown: "(introduction)" for the text before an article's first heading (`SectionHeading`).
  public var shownHeading: String { SectionHeading.shown(heading) }
}
