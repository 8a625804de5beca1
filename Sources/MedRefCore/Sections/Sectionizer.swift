/// Groups a document's blocks under their headings, finds each section's entities and classifies it: from its
/// heading, else from the cue words of its opening, else from the kinds of entities it names.
public struct Sectionizer: Sendable {
  let classifier: SectionClassifier
  /// Finds the sections' entities; nil leaves them out.
  let extractor: EntityExtractor?

  public init(classifier: SectionClassifier = SectionClassifier(), extractor: EntityExtractor? = .shared) {
    self.classifier = classifier
    self.extractor = extractor
  }

  /// The first lines of a section, up to `SectionClassifier`'s content budget: what its text is about.
  static func opening(of lines: [String]) -> String {
    var budget = SectionClassifier.lexicon.contentCues.maximumTextBytes
    var opening: [String] = []
    for line in lines where budget > 0 {
      opening.append(line)
      budget -= line.utf8.count + 1
    }
    return opening.joined(separator: " ")
  }

  /// The sections of `document`. A level-1 heading that repeats the title is the title, not a section; text
  /// before the first heading becomes an `overview` section with an empty heading.
  public func sections(of document: Document) -> [Section] {
    var sections: [Section] = []
    var lines: [String] = []
    var items: [String] = []
    var current: (heading: String, level: Int)?
    var titleSeen = false

    let title = document.title ?? ""
    func close() {
      guard current != nil || !lines.isEmpty else { return }
      let heading = current?.heading ?? ""
      let text = lines.joined(separator: "\n")
      // Red flags that depend on other words (fever with back pain) read them in the title and heading too.
      let entities = extractor?.entities(in: text, context: title + "\n" + heading) ?? []
      let section: Section
      if let current {
        var classification = classifier.classify(heading: current.heading)
        // A heading that names no kind ("Hot Fomentation For Sudden Back Spasm"): the text may, by its words or
        // by the entities it names (drugs and procedures: treatment).
        if classification.cues.isEmpty {
          if let fromText = classifier.classify(text: Self.opening(of: lines)) {
            classification = fromText
          } else if let fromEntities = classifier.classify(entities: entities) {
            classification = fromEntities
          }
        }
        section = Section(
          heading: heading, level: current.level, kind: classification.kind, confidence: classification.confidence,
          cues: classification.cues, text: text, items: items, entities: entities)
      } else {
        section = Section(
          heading: "", level: 2, kind: .overview, confidence: 0.9, cues: ["text before the first heading"],
          text: text, items: items, entities: entities)
      }
      sections.append(section)
      lines = []
      items = []
    }

    for block in document.blocks {
      if block.kind == .heading {
        if block.level == 1 && !titleSeen && sections.isEmpty && lines.isEmpty
          && (document.title == nil || block.text == document.title)
        {
          titleSeen = true
          continue
        }
        close()
        current = (block.text, max(2, block.level))
        continue
      }
      lines.append(block.text)
      if block.kind == .listItem {
        items.append(block.text)
      } else if block.kind == .paragraph {
        items.append(contentsOf: EnumerationFinder.shared.items(in: block.text))
      }
    }
    close()
    return sections
  }
}
