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

  /// The first lines of a section, up to `budget` bytes (by default `SectionClassifier`'s content budget): what its
  /// text is about.
  static func opening(of lines: [String], budget: Int = SectionClassifier.lexicon.contentCues.maximumTextBytes)
    -> String
  {
    var remaining = budget
    var opening: [String] = []
    for line in lines where remaining > 0 {
      opening.append(line)
      remaining -= line.utf8.count + 1
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
    let titleForms = SectionTextModel.forms(of: title)
    // The open sections above the current heading (level and kind): a sub-section reads its parent's kind.
    var open: [(level: Int, kind: SectionKind)] = []
    var parentKind: SectionKind?
    func close() {
      guard current != nil || !lines.isEmpty else { return }
      let heading = current?.heading ?? ""
      let text = lines.joined(separator: "\n")
      // Red flags that depend on other words (fever with back pain) read them in the title and heading too.
      let entities = extractor?.entities(in: text, context: title + "\n" + heading) ?? []
      let section: Section
      if let current {
        let classification = classify(
          heading: current.heading, lines: lines, entities: entities, parent: parentKind, titleForms: titleForms)
        section = Section(
          heading: heading, level: current.level, kind: classification.kind, confidence: classification.confidence,
          cues: classification.cues, text: text, items: items, entities: entities)
      } else {
        section = Section(
          heading: "", level: 2, kind: .overview, confidence: 0.9, cues: ["text before the first heading"],
          text: text, items: items, entities: entities)
      }
      sections.append(section)
      if current != nil { open.append((section.level, section.kind)) }
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
        let level = max(2, block.level)
        while let last = open.last, last.level >= level { open.removeLast() }
        parentKind = open.last?.kind
        current = (block.text, level)
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
    Self.shareKindsOfEmptyHeadings(&sections)
    let maximumLeadIn = SectionClassifier.lexicon.textModel.maximumGroupLeadInBytes
    Self.shareKindsOfGroupHeadings(&sections, maximumLeadIn: maximumLeadIn)
    return sections
  }

  /// Pages often give a group's heading and its members the same heading level: "Later Stage AIDS and
  /// Opportunistic Infections" with a sentence of lead-in, then "Pneumocystic Pneumonia", "Kaposi's Sarcoma", … as
  /// siblings. A section whose heading names a kind and whose own text is only a lead-in (at most `maximumLeadIn`
  /// bytes) heads a run of two or more same-level sections after it whose headings name nothing and whose kind was
  /// only read from their text; the run ends at the first section that has a kind of its own.
  static func shareKindsOfGroupHeadings(_ sections: inout [Section], maximumLeadIn: Int) {
    var index = 0
    while index < sections.count {
      let head = sections[index]
      index += 1
      guard head.cues.first?.hasPrefix("heading: ") == true, head.kind != .other, head.kind != .overview,
        head.text.utf8.count <= maximumLeadIn
      else { continue }
      var end = index
      while end < sections.count, sections[end].level == head.level, !sections[end].heading.isEmpty,
        Self.kindReadFromTextOnly(sections[end]) || sections[end].cues == [Self.symptomNameCue]
      {
        end += 1
      }
      // One section after a heading is just the next section; a group has members. Members named after a symptom
      // stay symptoms, and the run goes on past them.
      guard end - index >= 2 else { continue }
      for member in index..<end where sections[member].cues != [Self.symptomNameCue] {
        sections[member].kind = head.kind
        sections[member].confidence = 0.55
        sections[member].cues = ["group heading: \(head.kind.rawValue)"]
      }
      index = end
    }
  }

  /// Whether a section's kind was read only from its text (its heading names nothing and is not a symptom's name).
  static func kindReadFromTextOnly(_ section: Section) -> Bool {
    guard let cue = section.cues.first else { return true }
    return cue.hasPrefix("text") || cue.hasPrefix("entities:")
  }

  /// A heading whose section is empty and whose own words name no kind heads the text of the heading that follows
  /// it ("How To Do Leg Lifts" straight above "How to Treat Back Spasms" and its steps): it takes that section's
  /// kind. Runs of such headings all take the kind of the first section with text after them.
  static func shareKindsOfEmptyHeadings(_ sections: inout [Section]) {
    var next: Section?
    for index in sections.indices.reversed() {
      let section = sections[index]
      if section.text.isEmpty, section.cues.isEmpty, let following = next, following.level <= section.level + 1,
        !following.heading.isEmpty
      {
        sections[index].kind = following.kind
        sections[index].confidence = min(following.confidence, 0.6)
        sections[index].cues = ["next heading: \(following.kind.rawValue)"]
        next = sections[index]
        continue
      }
      next = section.text.isEmpty && section.cues.isEmpty ? nil : section
    }
  }

  /// The kind of a section with a heading, from the strongest evidence there is:
  /// 1. the heading's cues ("Treatment of X", "How is X spread?");
  ///    — but a sub-section whose heading has only a weak cue, or one for `other`, keeps its parent's kind;
  /// 2. for a sub-section, its parent's kind ("1. Drink enough fluids" under "Prevention"), unless the text model
  ///    reads another kind very clearly;
  /// 3. the text model, when the text reads clearly as one kind (`textModel` in the lexicon);
  /// 4. the cue words of the section's opening, then the kinds of entities it names;
  /// 5. `other`.
  func classify(
    heading: String, lines: [String], entities: [Entity], parent: SectionKind?, titleForms: Set<String>
  ) -> SectionClassifier.Classification {
    let settings = SectionClassifier.lexicon.textModel
    let fromHeading = classifier.classify(heading: heading)
    let inherited = parent.flatMap { settings.parentKindsNotInherited.contains($0.rawValue) ? nil : $0 }
    if !fromHeading.cues.isEmpty {
      // Under "Treatment", "4. Tackle triggers" is a treatment step, whatever "triggers" says alone; a question
      // ("How can you protect yourself?") says what it is about, however weakly.
      if let inherited, fromHeading.kind != inherited, !classifier.isQuestion(heading),
        fromHeading.kind == .other || fromHeading.score < settings.overrideParentScore
      {
        return SectionClassifier.Classification(
          kind: inherited, confidence: 0.6, cues: ["parent: \(inherited.rawValue)"] + fromHeading.cues)
      }
      return fromHeading
    }
    // A heading that is only the condition's name ("Measles" on a measles page) heads what the page says of it.
    let headingForms = SectionTextModel.forms(of: heading)
    if !headingForms.isEmpty, headingForms.isSubset(of: titleForms) {
      return SectionClassifier.Classification(kind: .overview, confidence: 0.6, cues: ["heading repeats the title"])
    }
    let reading = SectionTextModel.shared.read(
      Self.opening(of: lines, budget: settings.maximumTextBytes),
      excluding: titleForms)
    let clear = reading.flatMap { reading -> SectionTextModel.Reading? in
      guard reading.knownWords >= settings.minimumWords, reading.margin >= settings.minimumMargin,
        !settings.ignoredKinds.contains(reading.kind.rawValue)
      else { return nil }
      return reading
    }
    if let parent = inherited {
      if let clear, clear.kind != parent, clear.margin >= settings.overrideParentMargin {
        return Self.classification(clear)
      }
      return SectionClassifier.Classification(kind: parent, confidence: 0.6, cues: ["parent: \(parent.rawValue)"])
    }
    if let extractor, Self.namesSymptom(heading, extractor: extractor) {
      return SectionClassifier.Classification(kind: .symptoms, confidence: 0.6, cues: [Self.symptomNameCue])
    }
    if let clear { return Self.classification(clear) }
    if let fromText = classifier.classify(text: Self.opening(of: lines)) { return fromText }
    if let fromEntities = classifier.classify(entities: entities) { return fromEntities }
    return fromHeading
  }

  /// The cue of a section whose heading is a symptom's name.
  static let symptomNameCue = "heading names a symptom"

  /// Whether a heading is the name of a symptom ("Fever", "Weight Loss", "Diarrhea"): symptom entities cover most
  /// of its letters outside parentheses. Such a section describes that symptom.
  static func namesSymptom(_ heading: String, extractor: EntityExtractor) -> Bool {
    var bare = ""
    var depth = 0
    for character in heading {
      if character == "(" {
        depth += 1
      } else if character == ")" {
        depth = max(0, depth - 1)
      } else if depth == 0 {
        bare.append(character)
      }
    }
    let letters = bare.utf8.filter { $0 != 0x20 }.count
    guard letters > 0, bare.split(separator: " ").count <= 4 else { return false }
    let symptoms = extractor.entities(in: bare).filter { $0.type == .symptom }
    let covered = symptoms.reduce(0) { total, entity in
      let start = bare.utf8.index(bare.utf8.startIndex, offsetBy: entity.start)
      let end = bare.utf8.index(bare.utf8.startIndex, offsetBy: entity.end)
      return total + bare.utf8[start..<end].filter { $0 != 0x20 }.count
    }
    return Double(covered) >= 0.7 * Double(letters)
  }

  /// A text-model reading as a classification: confidence grows with the margin.
  static func classification(_ reading: SectionTextModel.Reading) -> SectionClassifier.Classification {
    let confidence = ((0.55 + 0.35 * min(1, reading.margin / 0.5)) * 100).rounded() / 100
    let margin = (reading.margin * 100).rounded() / 100
    return SectionClassifier.Classification(
      kind: reading.kind, confidence: confidence, cues: ["text model: \(reading.kind.rawValue) (margin \(margin))"])
  }
}
