/// Groups a document's blocks under their headings and classifies each section.
public struct Sectionizer: Sendable {
  let classifier: SectionClassifier

  public init(classifier: SectionClassifier = SectionClassifier()) {
    self.classifier = classifier
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

    func close() {
      guard current != nil || !lines.isEmpty else { return }
      let heading = current?.heading ?? ""
      let section: Section
      if let current {
        var classification = classifier.classify(heading: current.heading)
        // A heading that names no kind ("Hot Fomentation For Sudden Back Spasm"): the text may.
        if classification.cues.isEmpty, let fromText = classifier.classify(text: Self.opening(of: lines)) {
          classification = fromText
        }
        section = Section(
          heading: heading, level: current.level, kind: classification.kind, confidence: classification.confidence,
          cues: classification.cues, text: lines.joined(separator: "\n"), items: items)
      } else {
        section = Section(
          heading: "", level: 2, kind: .overview, confidence: 0.9, cues: ["text before the first heading"],
          text: lines.joined(separator: "\n"), items: items)
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
