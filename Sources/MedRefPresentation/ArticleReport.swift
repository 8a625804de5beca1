import MedRefExtraction

/// One article as text for a reader (`medref show`): where it came from, its red flags, its sections grouped by
/// kind (or in reading order) with their items and entities, and the article's entities by type.
public struct ArticleReport: Sendable {
  /// How the report marks emphasis; `plain` marks nothing (for pipes and files).
  public typealias Style = TextStyle

  /// The order of the sections.
  public enum Order: String, Sendable, CaseIterable {
    /// Grouped by kind (symptoms, causes, tests, treatment… in `kindOrder`), each group in reading order.
    case kind
    /// As in the article, sub-sections indented.
    case reading
  }

  /// The order kinds are shown in: what a clinician reads first.
  public static let kindOrder: [SectionKind] = [
    .overview, .symptoms, .causes, .riskFactors, .inheritance, .tests, .treatment, .prevention, .complications,
    .outlook, .other,
  ]

  public var style: Style
  public var order: Order
  /// Lines are wrapped to this many characters (at least 40).
  public var width: Int
  /// How many characters of a section's text are shown when it has no items.
  public var previewLength = 240

  public init(style: Style = .plain, order: Order = .kind, width: Int = 100) {
    self.style = style
    self.order = order
    self.width = max(40, width)
  }

  /// The report of `article`.
  public func render(_ article: Article) -> String {
    var text = ""
    render(article) { line in
      text += line
      text += "\n"
    }
    return text
  }

  /// Hands each line to `emit` as it is made: `medref show` writes the report as it goes.
  struct LineSink {
    let emit: (String) -> Void
    func append(_ line: String) { emit(line) }
    func append<Lines: Sequence<String>>(contentsOf lines: Lines) { for line in lines { emit(line) } }
  }

  /// The report of `article`, line by line (without line ends), handed to `emit` as each is made.
  public func render(_ article: Article, emit: @escaping (String) -> Void) {
    let out = LineSink(emit: emit)
    // Control characters in the file name (a newline) or the page's metadata are escaped: one line each.
    out.append(style.bold(article.title.escapingControlCharacters))
    out.append(style.dim("id \(article.id.escapingControlCharacters) · \(article.path.escapingControlCharacters)"))
    var source: [String] = []
    if let url = article.metadata.url { source.append(url) }
    if let site = article.metadata.site { source.append(site) }
    if let author = article.metadata.author { source.append("by \(author)") }
    if let published = article.metadata.published { source.append(published) }
    if !source.isEmpty {
      out.append(style.dim("source " + source.joined(separator: " · ").escapingControlCharacters))
    }
    let guessed = article.repairs.filter { !$0.exact }.count
    var encoding =
      "encoding \(article.encoding) (\(article.encodingReason)) · \(count(article.repairs.count, "repair"))"
    if guessed > 0 { encoding += " (\(guessed) guessed)" }
    out.append(style.dim(encoding))
    if !article.repairs.isEmpty {
      let shown = article.repairs.prefix(5).map { "'\($0.from)' → '\($0.to)'" }
      let more = article.repairs.count > 5 ? ", … \(article.repairs.count - 5) more" : ""
      out.append(contentsOf: wrap(shown.joined(separator: ", ") + more, indent: "  ").map(style.dim))
    }

    let view = ArticleView(article)
    var kindCounts: [SectionKind: Int] = [:]
    for entry in view.sections { kindCounts[entry.section.kind, default: 0] += 1 }
    let kinds = Self.kindOrder.compactMap { kind in kindCounts[kind].map { "\(kind.rawValue) \($0)" } }
    out.append(style.dim("\(count(view.sections.count, "section")): " + kinds.joined(separator: ", ")))

    // Red flags first: what must not be missed (each wording once).
    let flags = view.distinctRedFlags
    if !flags.isEmpty {
      out.append("")
      out.append(style.alert("RED FLAGS — symptoms that need urgent care"))
      for flag in flags {
        let line = "! " + flag.entity.description + " — in “\(view.sections[flag.section].heading)”"
        out.append(contentsOf: wrap(line, indent: "  ", hanging: "    ").map(style.alert))
      }
    }

    switch order {
    case .kind:
      for kind in Self.kindOrder {
        let group = view.sections.filter { $0.section.kind == kind }
        guard !group.isEmpty else { continue }
        out.append("")
        out.append(style.bold(kind.label.uppercased()))
        for entry in group { out.append(contentsOf: section(entry, indent: "  ", showKind: false)) }
      }
    case .reading:
      for entry in view.sections {
        out.append("")
        let indent = String(repeating: "  ", count: max(0, entry.section.level - 2))
        out.append(contentsOf: section(entry, indent: indent, showKind: true))
      }
    }

    // The article's entities by type, each term once.
    if !view.entities.isEmpty {
      out.append("")
      out.append(style.bold("ENTITIES"))
      for (type, label) in Self.entityLabels {
        let names = view.entities.filter { $0.entity.type == type }.map(\.description)
        guard !names.isEmpty else { continue }
        let line = "\(label) (\(names.count)): " + names.joined(separator: ", ")
        out.append(contentsOf: wrap(line, indent: "  ", hanging: "    "))
      }
    }
  }

  private static let entityLabels: [(EntityType, String)] = [
    (.symptom, "symptoms"), (.test, "tests"), (.medication, "medications"), (.procedure, "procedures"),
  ]

  /// The lines of one section: its heading (with the headings above it when grouped by kind), how it was
  /// classified, its items or the start of its text, and its entities by type.
  private func section(_ entry: SectionView, indent: String, showKind: Bool) -> [String] {
    let section = entry.section
    var lines: [String] = []
    let title = showKind || entry.path.isEmpty ? entry.heading : (entry.path + [entry.heading]).joined(separator: " › ")
    var decided = String(format: "%.2f", section.confidence)
    if showKind { decided = section.kind.rawValue + " " + decided }
    if let cue = section.cues.first { decided += "; " + cue + (section.cues.count > 1 ? " …" : "") }
    lines.append(indent + style.bold(title) + "  " + style.dim("[\(decided)]"))
    if section.items.isEmpty {
      let text = section.text.split(separator: "\n").joined(separator: " ")
      if !text.isEmpty {
        let preview = text.count > previewLength ? String(text.prefix(previewLength)) + "…" : text
        lines.append(contentsOf: wrap(preview, indent: indent + "  "))
      }
    } else {
      for item in section.items {
        lines.append(contentsOf: wrap("• " + item, indent: indent + "  ", hanging: indent + "    "))
      }
    }
    for (type, label) in Self.entityLabels {
      let names = entry.entities(of: type).map(\.description)
      guard !names.isEmpty else { continue }
      lines.append(
        contentsOf: wrap("\(label): " + names.joined(separator: ", "), indent: indent + "  ", hanging: indent + "    ")
          .map(style.dim))
    }
    return lines
  }

  private func count(_ number: Int, _ noun: String) -> String {
    "\(number) \(noun)\(number == 1 ? "" : "s")"
  }

  /// `text` wrapped at spaces to `width` characters: the first line after `indent`, the rest after `hanging`
  /// (default `indent`).
  private func wrap(_ text: String, indent: String, hanging: String? = nil) -> [String] {
    let hanging = hanging ?? indent
    var lines: [String] = []
    var line = indent
    var lineHasWords = false
    for word in text.split(separator: " ", omittingEmptySubsequences: true) {
      if lineHasWords && line.count + 1 + word.count > width {
        lines.append(line)
        line = hanging
        lineHasWords = false
      }
      line += (lineHasWords ? " " : "") + word
      lineHasWords = true
    }
    if lineHasWords { lines.append(line) }
    return lines
  }
}
