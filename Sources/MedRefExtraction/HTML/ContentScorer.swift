import CLibXML2
import Foundation

/// Finds a page's main content by scoring its elements, in the spirit of Readability: every paragraph-like element
/// with enough text gives points to its parent and, less, to its grandparent and great-grandparent; an element's
/// points are weighed by its tag and by the words of its class and id (`article`, `content` for; `comment`,
/// `sidebar` against, from `html-boilerplate.json`) and scaled down by its share of link text. The best element
/// wins, together with the siblings that score nearly as well or read as prose.
package struct ContentScorer {
  let rules: HTMLRules

  /// Text measures of one element, boilerplate below it excluded.
  struct Measure {
    /// Characters of text (white space runs counted once).
    var text = 0
    /// Characters of text inside links.
    var linkText = 0
    /// Commas in the text (a sign of prose).
    var commas = 0
    /// Paragraph-like children.
    var paragraphs = 0
    /// Headings (`h1`–`h6`) below the element whose text is mostly not link text.
    var headings = 0

    var linkDensity: Double { text == 0 ? 0 : Double(linkText) / Double(text) }
  }

  private(set) var measures = MeasureTable()
  /// Elements whose class or id names boilerplate but which hold much of the page's text (a wrapper named
  /// `l-sidebar-fixed` around the article): they stay.
  private(set) var spared: Set<XMLNode> = []
  /// Elements whose class or id names boilerplate (not firmly) but which hold a section of prose: headings and
  /// `minimumSparedCharacters` of text with few links (broken markup can leave an article's FAQ inside its list of
  /// question links). They are kept when they stand inside the content.
  private(set) var sections: Set<XMLNode> = []
  /// While measuring the first time, class/id-named boilerplate is measured too (to find what to spare).
  private var measuringAll = false
  private var scores: [XMLNode: Double] = [:]
  /// Candidates in the order they were first scored (document order of their first paragraph).
  private var candidates: [XMLNode] = []

  init(rules: HTMLRules) {
    self.rules = rules
  }

  /// The elements that hold the article, in document order; empty when nothing scores (the caller falls back).
  mutating func mainContent(in body: XMLNode) -> [XMLNode] {
    // First everything but scripts, navigation and hidden elements, to find the class/id-named elements that hold
    // too much of the text to be boilerplate; then again without the others.
    measuringAll = true
    let whole = measure(body, insideLink: false, depth: 0)
    spareElementsHoldingText(whole, below: body)
    if Self.debugging {
      let names = spared.map(\.debugPath).joined(separator: ", ")
      FileHandle.standardError.write("page text \(whole.text), spared: \(names)\n".data(using: .utf8)!)
    }
    measures.removeAll()
    measuringAll = false
    _ = measure(body, insideLink: false, depth: 0)
    scoreParagraphs(below: body, depth: 0)
    // The page itself (`body`, `html`) is never a candidate: when nothing else scores, the caller falls back.
    let eligible = candidates.filter { $0 != body && !$0.hasName("html") && !$0.hasName("body") }
    let best = bestCandidate(of: eligible)
    if Self.debugging, let probe = getenv("MEDREF_DEBUG_FIND").map({ String(cString: $0) }) {
      debugFind(probe, below: body)
    }
    guard let best else { return [] }
    if Self.debugging { debugReport(best: best.node) }
    var top = rivalsAncestor(of: best, in: eligible, below: body)
    top = parentHoldingMore(than: top, below: body)
    var kept = Set(withSiblings(of: top.node, score: top.score))
    keepProse(besideAncestorsOf: top.node, in: &kept, below: body)
    kept.formUnion(twins(of: best, in: eligible, kept: kept))
    kept.formUnion(leads(before: kept, below: body))
    var ordered = inDocumentOrder(kept, below: body)
    if let first = ordered.first {
      let headings = headings(before: first, below: body)
      if !headings.isEmpty { ordered = headings + ordered }
    }
    if Self.debugging {
      let names = ordered.map(\.debugPath).joined(separator: "\n  ")
      FileHandle.standardError.write("top \(top.node.debugPath)\ncontent:\n  \(names)\n".data(using: .utf8)!)
    }
    return ordered
  }

  /// Numbers that tune how the content is chosen (the rules that sites' pages call for are in
  /// `html-boilerplate.json`).
  private enum Tuning {
    /// A boilerplate-named element is spared only with less link text than this share, unless it holds more than
    /// `sparedDespiteLinksShare` of the page's text.
    static let sparedLinkDensity = 0.5
    static let sparedDespiteLinksShare = 0.6
    /// A boilerplate-named element shorter than `HTMLRules.minimumSparedCharacters` is spared when it holds this
    /// share of the page's text (the page is short).
    static let sparedShortShare = 0.5
    /// How many levels above the top candidate a parent may take its place, when it scores `parentScoreShare` of
    /// it with less link text than `parentLinkDensity` (a lone section of a long article gives way).
    static let parentLevels = 3
    static let parentScoreShare = 0.75
    static let parentLinkDensity = 0.35
    /// A header block before the content gives its headings when its link text is under this share and its
    /// headings hold at least half of its text (`headingTextDivisor`).
    static let headerBlockLinkDensity = 0.5
    static let headingTextDivisor = 2
    /// A heading is a link (not a section's heading) when link text is half of its text or more.
    static let linkHeadingDivisor = 2
    /// How deep the headings below an element are looked for.
    static let headingSearchDepth = 32
    /// A lead paragraph has less link text than this share; at most `maximumLeads` of them join the content.
    static let leadLinkDensity = 0.2
    static let maximumLeads = 2
    /// A like-named part (`isLike`) has less link text than this share.
    static let likeLinkDensity = 0.3
    /// Prose has less link text than this share, and a prose `div` at most `proseParagraphs` paragraphs.
    static let proseLinkDensity = 0.2
    static let proseParagraphs = 3
    /// How deep lists and tables are looked for below a prose candidate (deeper counts as having one).
    static let listSearchDepth = 6
    /// The deepest element measured, scored or ordered: libxml2 builds no deeper tree.
    static let maximumDepth = 256
    /// A sibling joins the content when it scores this share of it (and at least `siblingMinimumScore`); a sibling
    /// of the same class gets `sameClassBonusShare` of the content's score as a bonus.
    static let siblingScoreShare = 0.2
    static let siblingMinimumScore = 10.0
    static let sameClassBonusShare = 0.2
    /// A sibling `p` joins with more than this many characters and less link text than `siblingParagraphLinks`.
    static let siblingParagraphCharacters = 80
    static let siblingParagraphLinks = 0.25
    /// A paragraph scores only with this many characters: one point, one per comma, and one per
    /// `charactersPerPoint` characters (at most `maximumLengthPoints`).
    static let minimumParagraphCharacters = 25
    static let charactersPerPoint = 100.0
    static let maximumLengthPoints = 3.0
    /// How many ancestors a paragraph's points reach: the parent whole, the grandparent half, the one above a
    /// sixth (divided by `level * ancestorDividerStep`).
    static let scoredAncestors = 3
    static let grandparentDivider = 2.0
    static let ancestorDividerStep = 3
    /// Points for each of class and id that names content (minus for boilerplate).
    static let classWeightPoints = 25.0
  }

  /// Spares `node` (when `including`) and every boilerplate-named element around it below `body`; firm ones
  /// (comments, related links) only when `firm`.
  private mutating func spare(from node: XMLNode, including: Bool, firm: Bool = true, below body: XMLNode) {
    var current: XMLNode? = including ? node : node.pointee.parent
    while let element = current, element.isElement, element != body {
      if element.facts.contains(.sparable) && (firm || !element.facts.contains(.firm)) { spared.insert(element) }
      current = element.pointee.parent
    }
  }

  /// Finds, from the first measuring (`whole`: the measure of `body`), the elements whose names say boilerplate
  /// that are not: those that hold much of the page's text, and any element around them (broken markup can leave
  /// an article inside a menu); the sections of prose among them; and the like-named parts of a paginated article.
  private mutating func spareElementsHoldingText(_ whole: Measure, below body: XMLNode) {
    let pageText = Double(whole.text - whole.linkText)
    let all = measures.all
    for (node, measure) in all {
      let name = node.elementName
      let facts = node.facts
      let structural = name == "article" || name == "main"
      // An element whose own class or id names the content (`articleBody`, `main-content`) and nothing else
      // vouches for its ancestors as `article` does: a wrapper around it is not boilerplate. Comments have
      // `div.content`s too: a firm name (`RelatedContainer` around the whole page) gives way only to named content
      // that holds most of the page (`firmSparedShare`).
      let namedContent = facts.classWeightSteps > 0 && !facts.contains(.sparable)
      let anchor = structural || namedContent
      guard anchor || (facts.contains(.sparable) && !facts.contains(.firm)) else { continue }
      let share = Double(measure.text - measure.linkText) / max(pageText, 1)
      guard share >= rules.wrapperElements[name] ?? rules.sparedShare,
        measure.linkDensity < Tuning.sparedLinkDensity || share > Tuning.sparedDespiteLinksShare,
        structural || measure.text >= rules.minimumSparedCharacters || share >= Tuning.sparedShortShare
      else {
        continue
      }
      spare(from: node, including: !anchor, firm: structural || share >= rules.firmSparedShare, below: body)
    }
    for (node, measure) in all where node.facts.contains(.sparable) && !node.facts.contains(.firm) {
      if measure.headings > 0, measure.text >= rules.minimumSparedCharacters,
        measure.linkDensity < rules.maximumSeriesLinkDensity
      {
        sections.insert(node)
      }
    }
    // An article paginated into like-named parts (`div.page-content` ×4), each under the share that spares one
    // element, is spared when the parts together hold it.
    var series: [String: [(XMLNode, Measure)]] = [:]
    for (node, measure) in all where node.facts.contains(.namedBoilerplate) && !node.facts.contains(.firm) {
      guard !node.facts.contains(.wrapper), let className = node.attribute("class"), !className.isEmpty,
        !spared.contains(node),
        measure.linkDensity < rules.maximumSeriesLinkDensity
      else { continue }
      series[node.elementName + "." + className, default: []].append((node, measure))
    }
    for parts in series.values where parts.count >= 2 {
      let text = parts.reduce(0) { $0 + $1.1.text - $1.1.linkText }
      guard Double(text) / max(pageText, 1) >= rules.sparedShare, text >= rules.minimumSparedCharacters else {
        continue
      }
      for (node, _) in parts { spare(from: node, including: true, below: body) }
    }
  }

  /// The best scoring of the `eligible` candidates, nil when none scores.
  private func bestCandidate(of eligible: [XMLNode]) -> (node: XMLNode, score: Double)? {
    var best: (node: XMLNode, score: Double)?
    // A few words with a content-like class (`vjs-dock-text`, `post-ratings`) do not make an article: candidates
    // with little text are only considered when no other candidate has more.
    // An element named as boilerplate (or a footer, an aside) that was spared for holding much of the page's text
    // competes only when nothing else does: a footer strip of addresses longer than a short article does not win
    // the content root, and the article inside a spared wrapper is found below it.
    let plain = eligible.filter { !$0.facts.contains(.sparable) }
    let pool = plain.isEmpty ? eligible : plain
    let longest = pool.map { measures[$0, default: Measure()].text }.max() ?? 0
    let minimumText = min(longest, rules.minimumCandidateCharacters)
    for candidate in pool where measures[candidate, default: Measure()].text >= minimumText {
      let final = finalScore(candidate)
      if final > (best?.score ?? 0) { best = (candidate, final) }
    }
    return best
  }

  /// `top`, or the ancestor close above it that holds several candidates scoring nearly as well: an article cut
  /// into like parts (steps, question-and-answer blocks, one `div` per section) makes each part a candidate of its
  /// own, and the ancestor they share holds the article (Readability's rule).
  private func rivalsAncestor(
    of top: (node: XMLNode, score: Double), in eligible: [XMLNode], below body: XMLNode
  ) -> (node: XMLNode, score: Double) {
    let rivals = eligible.filter { $0 != top.node && finalScore($0) >= top.score * rules.rivalScoreShare }
      .sorted { finalScore($0) > finalScore($1) }.prefix(rules.rivalCandidates)
    guard rivals.count >= rules.minimumRivals else { return top }
    var ancestor = top.node.pointee.parent
    var steps = 0
    while let current = ancestor, steps < rules.rivalAncestorLevels, current != body, current.isElement {
      if rivals.count(where: { isInside($0, current) }) >= rules.minimumRivals {
        return (current, max(top.score, finalScore(current)))
      }
      ancestor = current.pointee.parent
      steps += 1
    }
    return top
  }

  /// `top`, or a parent that scores nearly as well: a top candidate that holds only part of the text its parent
  /// holds (a lone section of a long article) gives way to the parent.
  private func parentHoldingMore(
    than top: (node: XMLNode, score: Double), below body: XMLNode
  ) -> (node: XMLNode, score: Double) {
    var top = top
    var parent = top.node.pointee.parent
    var steps = 0
    while let current = parent, steps < Tuning.parentLevels, current != body, current.isElement {
      let parentScore = finalScore(current)
      if parentScore >= top.score * Tuning.parentScoreShare
        && measures[current, default: Measure()].linkDensity < Tuning.parentLinkDensity
      {
        top = (current, parentScore)
      }
      parent = current.pointee.parent
      steps += 1
    }
    return top
  }

  /// Adds to `kept` the prose beside the ancestors of the content `top`: lead paragraphs and intros often sit one
  /// or two levels above the body text (`p.lead` beside the body's wrapper). Several like-named parts beside an
  /// ancestor (tabs, pages, chapters of one article) make the element that holds them the content instead: what
  /// `kept` holds inside it is removed from `kept`.
  private func keepProse(besideAncestorsOf top: XMLNode, in kept: inout Set<XMLNode>, below body: XMLNode) {
    var ancestor = top.pointee.parent
    var level = 0
    while let current = ancestor, level < rules.proseAncestorLevels, current != body, current.isElement,
      let grandparent = current.pointee.parent
    {
      let className = current.attribute("class") ?? ""
      var likes = 0
      for sibling in grandparent.childNodes where sibling.isElement && sibling != current && !isDropped(sibling) {
        let like = !className.isEmpty && isLike(sibling, className: className)
        if like { likes += 1 }
        if isProse(sibling) || like { kept.insert(sibling) }
      }
      // The parts named otherwise (the tab shown first) are held too.
      if likes + 1 >= rules.minimumRivals, grandparent != body, grandparent.isElement,
        measures[grandparent, default: Measure()].linkDensity < rules.maximumSeriesLinkDensity
      {
        kept = kept.filter { !isInside($0, grandparent) }
        kept.insert(grandparent)
      }
      ancestor = grandparent
      level += 1
    }
  }

  /// The section headings that stand right before the content, outside it: a sub-heading above the body's wrapper
  /// (`h2` "Overview" over `div.entry`), the headings of a header block before it (a block whose text is mostly its
  /// headings). Walking back from the content and up its ancestors (`leadAncestorLevels`), empty elements and short
  /// lines without links (a date) are passed over; the walk ends at any other text. The page title (`h1`), summaries
  /// marked up as headings (a sentence, or longer than a heading), headings that are links (a site's name) and
  /// headings named as boilerplate (`h2.date-header`) are not taken.
  private func headings(before first: XMLNode, below body: XMLNode) -> [XMLNode] {
    var found: [XMLNode] = []
    var current = first
    var level = 0
    walk: while level <= rules.leadAncestorLevels, current != body {
      var previous = current.pointee.prev
      while let sibling = previous {
        previous = sibling.pointee.prev
        if sibling.isText {
          if Self.textMeasure(sibling).0 > 1 { break walk }
          continue
        }
        guard sibling.isElement else { continue }
        let facts = sibling.facts
        if facts.contains(.neverContent) { continue }
        let measure = measures[sibling, default: Measure()]
        if measure.text == 0 { continue }
        if facts.contains(.heading) {
          guard isSectionHeading(sibling) else { break walk }
          found.append(sibling)
          continue
        }
        if measure.headings > 0, measure.linkDensity < Tuning.headerBlockLinkDensity {
          let headings = plainHeadings(below: sibling, depth: 0)
          let headingText = headings.reduce(0) { $0 + measures[$1, default: Measure()].text }
          if headingText * Tuning.headingTextDivisor >= measure.text {
            found.append(contentsOf: headings.reversed().filter(isSectionHeading))
            continue
          }
        }
        if measure.text < rules.maximumPassedCharacters && measure.linkText == 0 { continue }
        break walk
      }
      guard let parent = current.pointee.parent, parent.isElement, parent != body else { break }
      current = parent
      level += 1
    }
    return found.reversed()
  }

  /// Whether a heading before the content heads a section: not the page title (`h1`), not a link, not named as
  /// boilerplate, short and not a sentence.
  private func isSectionHeading(_ node: XMLNode) -> Bool {
    let measure = measures[node, default: Measure()]
    let facts = node.facts
    guard !node.hasName("h1"), measure.text > 0, measure.text <= rules.maximumPseudoHeadingCharacters,
      measure.linkText * Tuning.linkHeadingDivisor < measure.text, facts.classWeightSteps >= 0,
      !facts.contains(.sparable), !facts.contains(.contentBoilerplate),
      !node.textEndsSentence || node.textEndsQuestion
    else { return false }
    return true
  }

  /// The headings below `node` that are not links, in document order.
  private func plainHeadings(below node: XMLNode, depth: Int) -> [XMLNode] {
    guard depth < Tuning.headingSearchDepth else { return [] }
    var found: [XMLNode] = []
    for child in node.childNodes where child.isElement && !child.facts.contains(.neverContent) {
      if child.facts.contains(.heading) {
        let measure = measures[child, default: Measure()]
        if measure.text > 0 && measure.linkText * Tuning.linkHeadingDivisor < measure.text { found.append(child) }
      } else {
        found.append(contentsOf: plainHeadings(below: child, depth: depth + 1))
      }
    }
    return found
  }

  /// Candidates named as the best one (the same tag and the same id or class) that score `twinScoreShare` of it,
  /// outside the content: a page that carries two entries of a reference work, each in its own `div#entry-text`.
  private func twins(
    of best: (node: XMLNode, score: Double), in eligible: [XMLNode], kept: Set<XMLNode>
  ) -> [XMLNode] {
    let original = best.node
    let id = original.attribute("id") ?? ""
    let className = original.attribute("class") ?? ""
    guard !id.isEmpty || !className.isEmpty else { return [] }
    var found: [XMLNode] = []
    for candidate in eligible where candidate != original && candidate.elementName == original.elementName {
      guard
        (!id.isEmpty && candidate.attribute("id") == id)
          || (!className.isEmpty && candidate.attribute("class") == className),
        finalScore(candidate) >= best.score * rules.twinScoreShare,
        measures[candidate, default: Measure()].linkDensity < rules.maximumSeriesLinkDensity
      else { continue }
      if kept.contains(where: { $0 == candidate || isInside(candidate, $0) || isInside($0, candidate) })
        || found.contains(where: { isInside(candidate, $0) || isInside($0, candidate) })
      {
        continue
      }
      found.append(candidate)
      // More than a few such entries make a listing, not a page with a second entry; the cost stays bounded too.
      if found.count == rules.maximumTwins { break }
    }
    return found
  }

  /// Lead paragraphs (class or id `lead`, `intro`, `standfirst`...) that stand before the content, near it: a
  /// page's intro often sits in the header block, away from the body text.
  private func leads(before kept: Set<XMLNode>, below body: XMLNode) -> [XMLNode] {
    guard let first = kept.min(by: { $0.ordinal < $1.ordinal }) else { return [] }
    var scope = first
    var ancestors: Set<XMLNode> = []
    var current = first.pointee.parent
    var level = 0
    while let element = current, element.isElement, level < rules.leadAncestorLevels {
      ancestors.insert(element)
      scope = element
      if element == body { break }
      current = element.pointee.parent
      level += 1
    }
    var found: [XMLNode] = []
    // Ordinals number elements as their measuring finished (children before parents): the elements before `first`
    // in the page, and the ones inside it, have smaller ordinals.
    for node in measures.nodes where node.ordinal < first.ordinal {
      guard node.facts.contains(.lead), let measure = measures[node], measure.text >= rules.minimumLeadCharacters,
        measure.linkDensity < Tuning.leadLinkDensity, isInside(node, scope), !isInside(node, first)
      else { continue }
      if let last = found.last, isInside(last, node) { found.removeLast() }
      found.append(node)
      if found.count == Tuning.maximumLeads { break }
    }
    return found
  }

  private func isInside(_ node: XMLNode, _ ancestor: XMLNode) -> Bool {
    var current = node.pointee.parent
    while let element = current {
      if element == ancestor { return true }
      current = element.pointee.parent
    }
    return false
  }

  /// Whether `node` is another part of an article split into same-class parts (`div.section` after `div.section`):
  /// the same class, enough text, few links.
  private func isLike(_ node: XMLNode, className: String) -> Bool {
    guard node.attribute("class") == className else { return false }
    let measure = measures[node, default: Measure()]
    return measure.text >= rules.minimumProseCharacters && measure.linkDensity < Tuning.likeLinkDensity
  }

  /// Whether an element reads as a paragraph or two of prose: enough text, few links, no lists or tables.
  private func isProse(_ node: XMLNode) -> Bool {
    let measure = measures[node, default: Measure()]
    guard measure.text >= rules.minimumProseCharacters, measure.linkDensity < Tuning.proseLinkDensity,
      classWeight(node) >= 0
    else {
      return false
    }
    switch node.elementName {
    case "p", "blockquote": return true
    case "div", "section", "header", "span":
      return measure.paragraphs <= Tuning.proseParagraphs && !hasListOrTable(node, depth: 0)
    default: return false
    }
  }

  private func hasListOrTable(_ node: XMLNode, depth: Int) -> Bool {
    guard depth < Tuning.listSearchDepth else { return true }
    for child in node.childNodes where child.isElement {
      switch child.elementName {
      case "ul", "ol", "table", "dl", "form", "h2", "h3", "h4", "h5", "h6": return true
      default: if hasListOrTable(child, depth: depth + 1) { return true }
      }
    }
    return false
  }

  /// The elements of `nodes` in document order (none inside another).
  private func inDocumentOrder(_ nodes: Set<XMLNode>, below root: XMLNode) -> [XMLNode] {
    var ordered: [XMLNode] = []
    func visit(_ node: XMLNode, depth: Int) {
      guard depth < Tuning.maximumDepth, ordered.count < nodes.count else { return }
      var child = node.pointee.children
      while let current = child {
        if nodes.contains(current) {
          ordered.append(current)
        } else if current.isElement {
          visit(current, depth: depth + 1)
        }
        child = current.pointee.next
      }
    }
    visit(root, depth: 0)
    return ordered
  }

  /// Set `MEDREF_DEBUG_EXTRACT=1` to print the best candidates of every page to standard error.
  static let debugging = getenv("MEDREF_DEBUG_EXTRACT") != nil

  private func debugFind(_ probe: String, below node: XMLNode) {
    for child in node.childNodes {
      if child.isText, child.textContent.contains(probe), let parent = child.pointee.parent {
        var chain: [String] = []
        var current: XMLNode? = parent
        while let element = current, element.isElement {
          let measure = measures[element]
          let state = isDropped(element) ? " DROPPED" : ""
          chain.append(
            "\(element.debugPath.split(separator: ">").last ?? "") text=\(measure?.text ?? -1)"
              + " score=\(Int(scores[element] ?? 0))\(state)")
          current = element.pointee.parent
        }
        FileHandle.standardError.write(("found in:\n  " + chain.joined(separator: "\n  ") + "\n").data(using: .utf8)!)
        return
      } else if child.isElement {
        debugFind(probe, below: child)
      }
    }
  }

  private func debugReport(best: XMLNode) {
    let ranked = candidates.map { ($0, finalScore($0)) }.sorted { $0.1 > $1.1 }.prefix(8)
    var lines = ["best \(best.debugPath)"]
    for (node, score) in ranked {
      let measure = measures[node, default: Measure()]
      lines.append(
        "  \(Int(score)) text=\(measure.text) ld=\(String(format: "%.2f", measure.linkDensity)) \(node.debugPath)")
    }
    FileHandle.standardError.write((lines.joined(separator: "\n") + "\n").data(using: .utf8)!)
  }

  /// The score of a candidate, link text discounted.
  private func finalScore(_ node: XMLNode) -> Double {
    (scores[node] ?? 0) * (1 - measures[node, default: Measure()].linkDensity)
  }

  /// `node` and the siblings that belong with it: scoring close to it, or a paragraph of prose.
  private func withSiblings(of node: XMLNode, score: Double) -> [XMLNode] {
    guard let parent = node.pointee.parent else { return [node] }
    let threshold = max(Tuning.siblingMinimumScore, score * Tuning.siblingScoreShare)
    let classBonus = classWeight(node)
    var kept: [XMLNode] = []
    for sibling in parent.childNodes where sibling.isElement {
      if sibling == node {
        kept.append(sibling)
        continue
      }
      // A sibling named as boilerplate joins only when it is like the content (paginated parts), not for its score.
      if isDropped(sibling) || (sibling.facts.contains(.sparable) && !node.facts.contains(.sparable)) { continue }
      var bonus = 0.0
      if classBonus > 0, let a = sibling.attribute("class"), let b = node.attribute("class"), a == b, !a.isEmpty {
        bonus = score * Tuning.sameClassBonusShare
      }
      if scores[sibling] != nil && finalScore(sibling) + bonus >= threshold {
        kept.append(sibling)
      } else if isProse(sibling) {
        kept.append(sibling)
      } else if sibling.elementName == "p" {
        let measure = measures[sibling, default: Measure()]
        if measure.text > Tuning.siblingParagraphCharacters && measure.linkDensity < Tuning.siblingParagraphLinks {
          kept.append(sibling)
        } else if measure.text > 0 && measure.linkDensity == 0 && sibling.textEndsSentence {
          kept.append(sibling)
        }
      }
    }
    return kept
  }

  // MARK: Measuring

  private mutating func measure(_ node: XMLNode, insideLink: Bool, depth: Int) -> Measure {
    var total = Measure()
    guard depth < Tuning.maximumDepth else { return total }
    var child = node.pointee.children
    while let current = child {
      child = current.pointee.next
      if current.isText {
        let (length, commas) = Self.textMeasure(current)
        total.text += length
        total.commas += commas
        if insideLink { total.linkText += length }
      } else if current.isElement, !isDropped(current) {
        let facts = current.facts
        var inner = measure(current, insideLink: insideLink || facts.contains(.anchor), depth: depth + 1)
        // A link holding more text than a link's worth is not a link but broken markup (an `<a>` never closed,
        // which libxml2 stretches over the rest of the page): its text is measured as text.
        if facts.contains(.anchor), !insideLink, inner.text > rules.maximumLinkCharacters {
          inner = measure(current, insideLink: false, depth: depth + 1)
        }
        total.text += inner.text
        total.linkText += inner.linkText
        total.commas += inner.commas
        total.headings += inner.headings
        if facts.contains(.paragraph) { total.paragraphs += 1 }
        // A heading that is a link titles a teaser or a product of a listing, not a section of the element.
        if facts.contains(.heading) && inner.linkText * 2 < inner.text { total.headings += 1 }
      }
    }
    measures[node] = total
    return total
  }

  /// Characters (white space runs counted once) and commas of a text node.
  private static func textMeasure(_ node: XMLNode) -> (Int, Int) {
    guard var pointer = node.pointee.content else { return (0, 0) }
    var length = 0
    var commas = 0
    var previousSpace = true
    while pointer.pointee != 0 {
      let byte = pointer.pointee
      let space = byte == 0x20 || byte == 0x0A || byte == 0x09 || byte == 0x0D
      if !(space && previousSpace) && byte & 0xC0 != 0x80 { length += 1 }
      if byte == 0x2C { commas += 1 }
      previousSpace = space
      pointer += 1
    }
    return (length, commas)
  }

  // MARK: Scoring

  private mutating func scoreParagraphs(below node: XMLNode, depth: Int) {
    guard depth < Tuning.maximumDepth else { return }
    var child = node.pointee.children
    while let current = child {
      child = current.pointee.next
      guard current.isElement, !isDropped(current) else { continue }
      let name = current.elementName
      if current.facts.contains(.paragraph) || (name == "div" && !hasBlockChild(current)) {
        score(paragraph: current)
        if name != "div" && name != "td" { continue }
      }
      scoreParagraphs(below: current, depth: depth + 1)
    }
  }

  private mutating func score(paragraph: XMLNode) {
    let measure = measures[paragraph, default: Measure()]
    guard measure.text >= Tuning.minimumParagraphCharacters else { return }
    let points =
      1 + Double(measure.commas) + min(Double(measure.text) / Tuning.charactersPerPoint, Tuning.maximumLengthPoints)
    var ancestor = paragraph.pointee.parent
    var level = 0
    while let current = ancestor, level < Tuning.scoredAncestors, current.isElement {
      if scores[current] == nil {
        scores[current] = initialScore(current)
        candidates.append(current)
      }
      let divider =
        level == 0 ? 1.0 : level == 1 ? Tuning.grandparentDivider : Double(level * Tuning.ancestorDividerStep)
      scores[current, default: 0] += points / divider
      ancestor = current.pointee.parent
      level += 1
    }
  }

  private func initialScore(_ node: XMLNode) -> Double {
    (rules.tagWeights[node.elementName] ?? 0) + classWeight(node)
  }

  /// +25 (`Tuning.classWeightPoints`) for each of class and id that names content, −25 for each that names
  /// boilerplate.
  private func classWeight(_ node: XMLNode) -> Double {
    Double(node.facts.classWeightSteps) * Tuning.classWeightPoints
  }

  private func hasBlockChild(_ node: XMLNode) -> Bool {
    var child = node.pointee.children
    while let current = child {
      if current.isElement && current.facts.contains(.block) { return true }
      child = current.pointee.next
    }
    return false
  }

  /// Elements that are never content (scripts, navigation, hidden elements) and class/id-named boilerplate,
  /// unless spared.
  func isDropped(_ node: XMLNode) -> Bool {
    if spared.contains(node) { return false }
    let facts = node.facts
    if facts.contains(.neverContent) { return true }
    if measuringAll { return false }
    return facts.contains(.sparable)
  }
}

extension UnsafeMutablePointer where Pointee == xmlNode {
  /// `body>div.main>article#post` — the element's ancestry, for debugging output.
  var debugPath: String {
    var parts: [String] = []
    var node: XMLNode? = self
    while let current = node, current.isElement, parts.count < 4 {
      var part = current.elementName
      if let id = current.attribute("id"), !id.isEmpty { part += "#" + id }
      if let cls = current.attribute("class"), !cls.isEmpty {
        part += "." + cls.split(separator: " ").joined(separator: ".")
      }
      parts.append(part)
      node = current.pointee.parent
    }
    return parts.reversed().joined(separator: ">")
  }

  /// The last byte of the element's text that is not white space or a control character (0 for none).
  var lastTextByte: UInt8 {
    var last: UInt8 = 0
    func visit(_ node: XMLNode) {
      var child = node.pointee.children
      while let current = child {
        if current.isText, var pointer = current.pointee.content {
          while pointer.pointee != 0 {
            if pointer.pointee > 0x20 { last = pointer.pointee }
            pointer += 1
          }
        } else if current.isElement {
          visit(current)
        }
        child = current.pointee.next
      }
    }
    visit(self)
    return last
  }

  /// Whether the element's text ends like a sentence (`.`, `!`, `?`).
  var textEndsSentence: Bool {
    let last = lastTextByte
    return last == UInt8(ascii: ".") || last == UInt8(ascii: "!") || last == UInt8(ascii: "?")
  }

  /// Whether the element's text ends with a question mark.
  var textEndsQuestion: Bool { lastTextByte == UInt8(ascii: "?") }
}
