import CLibXML2
import MedRefBase

/// Parses HTML with libxml2's HTML parser (recovering from broken markup, no network) into a `Document`: the
/// main-content container's headings, paragraphs, list items and table rows, with scripts, navigation, footers,
/// sidebars, forms and class/id-named boilerplate (cookie banners, share bars, related links, comments) left out.
public struct HTMLDocumentParser: Sendable {
  public init() {}

  /// libxml2's one-time initialisation, run by the first parse on any thread while the others wait.
  private static let libraryInitialised: Void = medref_xml_initialise()

  /// Parses `html` (already decoded and repaired). `path` is used in error messages; pages are parsed on several
  /// threads at once (`medref extract`, `medref ingest`).
  /// - Throws: `MedRefError.noContent` when libxml2 finds no document at all.
  public func parse(_ html: String, path: String) throws -> Document {
    _ = Self.libraryInitialised
    medref_xml_prepare_thread()
    var bytes = Array(html.utf8)
    guard !bytes.isEmpty else { throw MedRefError.emptyFile(path: path) }
    let options = Int32(
      bitPattern: HTML_PARSE_RECOVER.rawValue | HTML_PARSE_NOERROR.rawValue | HTML_PARSE_NOWARNING.rawValue
        | HTML_PARSE_NONET.rawValue | HTML_PARSE_COMPACT.rawValue | HTML_PARSE_IGNORE_ENC.rawValue)
    let count = Int32(clamping: bytes.count)
    let document = bytes.withUnsafeMutableBufferPointer { buffer in
      buffer.baseAddress!.withMemoryRebound(to: CChar.self, capacity: buffer.count) { pointer in
        medref_html_read_memory(pointer, count, "UTF-8", options)
      }
    }
    guard let document else { throw MedRefError.noContent(path: path) }
    defer { xmlFreeDoc(document) }
    guard let root = xmlDocGetRootElement(document) else { throw MedRefError.noContent(path: path) }

    let rules = HTMLRules.shared
    var metadata = MetadataCollector()
    metadata.collect(from: root)
    Self.moveStrayHeadContent(of: root, in: document, rules: rules)
    let body = root.childNodes.first { $0.isElement && $0.elementName == "body" } ?? root
    var scorer = ContentScorer(rules: rules)
    var containers = scorer.mainContent(in: body)
    if containers.isEmpty { containers = [ContainerFinder(rules: rules).container(in: root)] }
    var builder = BlockBuilder(
      rules: rules, container: containers[0], spared: scorer.spared, sections: scorer.sections,
      measures: scorer.measures)
    for container in containers {
      builder.container = container
      if container.facts.contains(.heading) {
        // A heading standing before the content (the title above the body's wrapper).
        builder.emitHeading(container, depth: 0)
      } else {
        builder.walk(container)
      }
      builder.flush()
    }
    builder.settlePseudoHeadings()
    builder.dropEmptyRescuedHeadings()
    builder.dropTeasers()
    builder.dropBackMatter()
    builder.dropBoilerplateLines()
    builder.trimEdges()

    let linkedData = LinkedDataReader().read(from: root)
    metadata.merge(linkedData)
    var blocks = builder.blocks
    // Pages that render their text with scripts carry it only in JSON-LD: the publisher's `articleBody` wins when
    // the page's own text is much shorter.
    if let body = linkedData.articleBody, let bodyBlocks = Self.blocks(ofArticleBody: body) {
      let extracted = blocks.reduce(0) { $0 + $1.text.utf8.count }
      if extracted * Tuning.articleBodyFactor < body.utf8.count { blocks = bodyBlocks }
    }
    let firstHeading = blocks.first { $0.kind == .heading && $0.level == 1 }?.text
    let title = metadata.openGraphTitle ?? linkedData.headline ?? firstHeading ?? metadata.cleanedTitle
    return Document(title: title, metadata: metadata.metadata, blocks: blocks, droppedBoilerplate: builder.dropped)
  }

  /// libxml2's HTML parser knows HTML 4 only: in a saved DOM fragment that starts with head elements (`<meta charset>`,
  /// `<title>`) and has no `<body>` tag, the HTML5 elements that follow (`<article>`, `<section>`, `<main>`) stay in
  /// `<head>`, where nothing reads text, and the page may have no body at all. Everything in the head from its first
  /// element that is not a head element (`headElements`), or its first text, on is moved to the start of the body,
  /// which is made when missing.
  static func moveStrayHeadContent(of root: XMLNode, in document: xmlDocPtr, rules: HTMLRules) {
    guard let head = root.childNodes.first(where: { $0.isElement && $0.hasName("head") }) else { return }
    let stray = head.childNodes.first { child in
      if child.isElement { return !rules.headElements.contains(child.elementName) }
      return child.isText && !TextNormalizer.collapseWhitespace(child.textContent).isEmpty
    }
    guard let stray else { return }
    var body = root.childNodes.first { $0.isElement && $0.hasName("body") }
    if body == nil {
      body = "body".withCString { name in
        name.withMemoryRebound(to: xmlChar.self, capacity: 5) { xmlNewDocNode(document, nil, $0, nil) }
      }
      if let body { xmlAddNextSibling(head, body) }
    }
    guard let body else { return }
    let anchor = body.pointee.children
    var next: XMLNode? = stray
    while let current = next {
      next = current.pointee.next
      xmlUnlinkNode(current)
      if let anchor { xmlAddPrevSibling(anchor, current) } else { xmlAddChild(body, current) }
    }
  }

  /// Paragraphs of a JSON-LD `articleBody` (one per line); nil when it holds markup rather than text.
  static func blocks(ofArticleBody body: String) -> [Block]? {
    if body.contains("</") || body.contains("<p") || body.contains("<br") { return nil }
    let paragraphs = body.split(whereSeparator: \.isNewline)
      .map { TextNormalizer.collapseWhitespace(String($0), mapC1: true) }.filter { !$0.isEmpty }
    return paragraphs.isEmpty ? nil : paragraphs.map { Block(.paragraph, $0) }
  }
}

// MARK: - libxml2 node access

package typealias XMLNode = UnsafeMutablePointer<xmlNode>

extension UnsafeMutablePointer where Pointee == xmlNode {
  var isElement: Bool { pointee.type == XML_ELEMENT_NODE }
  var isText: Bool { pointee.type == XML_TEXT_NODE || pointee.type == XML_CDATA_SECTION_NODE }

  /// The element name in lower case (libxml2's HTML parser already lowers it).
  var elementName: String {
    guard let name = pointee.name else { return "" }
    return String(cString: name)
  }

  /// The text of a text node.
  var textContent: String {
    guard let content = pointee.content else { return "" }
    return String(cString: content)
  }

  /// The value of an attribute, or nil.
  func attribute(_ name: String) -> String? {
    var attribute = pointee.properties
    while let current = attribute {
      if let attributeName = current.pointee.name, String(cString: attributeName).lowercased() == name {
        guard let valueNode = current.pointee.children, let content = valueNode.pointee.content else { return "" }
        return String(cString: content)
      }
      attribute = current.pointee.next
    }
    return nil
  }

  /// Child nodes in order.
  var childNodes: [XMLNode] {
    var nodes: [XMLNode] = []
    var child = pointee.children
    while let current = child {
      nodes.append(current)
      child = current.pointee.next
    }
    return nodes
  }
}

// MARK: - Metadata

/// Collects the title, canonical URL, author, date, site name and language from a page's head.
package struct MetadataCollector {
  var metadata = DocumentMetadata()
  var openGraphTitle: String?
  var pageTitle: String?

  /// `<title>` without a site suffix such as ` | HealthSite` or ` - Example News`.
  var cleanedTitle: String? {
    guard var title = pageTitle.map({ TextNormalizer.collapseWhitespace($0) }), !title.isEmpty else { return nil }
    for separator in [" | ", " – ", " — ", " - ", " :: ", " · "] {
      if let range = title.range(of: separator) {
        let head = String(title[..<range.lowerBound])
        if head.count >= Tuning.shortestTitle { title = head }
      }
    }
    return title
  }

  /// Fills what the page's head did not say from its JSON-LD; JSON-LD's author (a name) beats a `<meta>` author,
  /// which is often a profile URL.
  mutating func merge(_ linkedData: LinkedData) {
    if let author = linkedData.author, metadata.author == nil || metadata.author?.hasPrefix("http") == true {
      metadata.author = author
    }
    metadata.published = metadata.published ?? linkedData.published
    metadata.site = metadata.site ?? linkedData.site
    metadata.url = metadata.url ?? linkedData.url
    metadata.language = metadata.language ?? linkedData.language
  }

  mutating func collect(from root: XMLNode) {
    if let language = root.attribute("lang"), !language.isEmpty { metadata.language = language }
    visit(root, depth: 0)
  }

  private mutating func visit(_ node: XMLNode, depth: Int) {
    guard depth < Tuning.metadataDepth else { return }
    for child in node.childNodes where child.isElement {
      switch child.elementName {
      case "title":
        if pageTitle == nil { pageTitle = child.childNodes.filter(\.isText).map(\.textContent).joined() }
      case "meta":
        readMeta(child)
      case "link":
        if child.attribute("rel")?.lowercased() == "canonical", let href = child.attribute("href"), !href.isEmpty {
          metadata.url = metadata.url ?? href
        }
      case "body":
        continue
      default:
        visit(child, depth: depth + 1)
      }
    }
  }

  private mutating func readMeta(_ node: XMLNode) {
    let key = (node.attribute("property") ?? node.attribute("name") ?? "").lowercased()
    guard let content = node.attribute("content").map({ TextNormalizer.collapseWhitespace($0) }), !content.isEmpty
    else {
      return
    }
    switch key {
    case "og:title": openGraphTitle = openGraphTitle ?? content
    case "og:url": metadata.url = metadata.url ?? content
    case "og:site_name", "application-name": metadata.site = metadata.site ?? content
    case "author", "article:author": metadata.author = metadata.author ?? content
    case "article:published_time", "date", "dc.date", "pubdate", "publish-date":
      metadata.published = metadata.published ?? content
    default: break
    }
  }
}

// MARK: - Main content

/// Chooses the element that holds the article: the `<article>`, `<main>` or `role="main"` element with the most
/// text, when it has enough; otherwise `<body>`.
package struct ContainerFinder {
  let rules: HTMLRules

  func container(in root: XMLNode) -> XMLNode {
    let body = root.childNodes.first { $0.isElement && $0.elementName == "body" } ?? root
    var best: (node: XMLNode, length: Int)?
    func search(_ node: XMLNode, depth: Int) {
      guard depth < Tuning.maximumDepth else { return }
      for child in node.childNodes where child.isElement {
        let name = child.elementName
        if rules.droppedElements.contains(name) || rules.wrapperElements[name] != nil { continue }
        if rules.containerElements.contains(name) || child.attribute("role")?.lowercased() == "main" {
          let length = textLength(child, depth: 0)
          if length > (best?.length ?? 0) { best = (child, length) }
        }
        search(child, depth: depth + 1)
      }
    }
    search(body, depth: 0)
    if let best, best.length >= rules.minimumContainerCharacters { return best.node }
    return body
  }

  /// Characters of text below `node`, dropped elements excluded.
  private func textLength(_ node: XMLNode, depth: Int) -> Int {
    guard depth < Tuning.maximumDepth else { return 0 }
    var total = 0
    for child in node.childNodes {
      if child.isText {
        total += child.textContent.utf8.count
      } else if child.isElement, !rules.droppedElements.contains(child.elementName) {
        total += textLength(child, depth: depth + 1)
      }
    }
    return total
  }
}

/// Numbers that tune how a page is read (the rules that sites' pages call for are in `html-boilerplate.json`), and
/// the depths the walks of its tree stop at.
private enum Tuning {
  /// The deepest element walked: libxml2 builds no deeper tree (its limit is 256 levels), so nothing lies below.
  static let maximumDepth = 256
  /// How deep metadata (`<meta>`, `<title>`), the headings below a dropped element, a heading's links, a block's
  /// link text, prose and a table cell's blocks are looked for: such things sit near the element.
  static let metadataDepth = 64
  static let rescueDepth = 64
  static let headingDepth = 16
  static let linkDensityDepth = 64
  static let proseDepth = 32
  static let dataRowDepth = 8
  /// The JSON-LD `articleBody` replaces the page's text when it is this many times longer.
  static let articleBodyFactor = 2
  /// The part of a `<title>` before a separator (" | Site") is the title when it has this many characters.
  static let shortestTitle = 3
  /// A heading is a link to another page when its linked text is more than half (`1 / linkedHeadingDivisor`).
  static let linkedHeadingDivisor = 2
  /// How many bytes of a text node are read back for the line breaks before its first character.
  static let lineBreakScan = 1000
  /// An aside inside the article is dropped with more link text than this share.
  static let asideLinkDensity = 0.3
  /// Content edges: a heading with nothing under it goes when at most this many characters; a leading line under
  /// `leadingFragment`, a trailing one under `trailingFragment` (or a label ending with `:` under `labelFragment`)
  /// that is no sentence goes too; the edges are kept when no block has `substantialBlock` characters.
  static let longestEmptyHeading = 60
  static let leadingFragment = 30
  static let trailingFragment = 50
  static let labelFragment = 80
  static let substantialBlock = 80
  /// A paragraph or list item with this many bytes of text is prose (an aside holding one is the article's).
  static let proseBytes = 60
}

/// Walks the content container and emits blocks.
package struct BlockBuilder {
  let rules: HTMLRules
  /// The content container being walked.
  var container: XMLNode
  var blocks: [Block] = []
  /// Elements dropped as boilerplate.
  var dropped = 0
  /// The UTF-8 text collected for the next block.
  private var buffer: [UInt8] = []
  /// What the text being collected will become when flushed.
  private var pendingKind: BlockKind = .paragraph
  /// The source line of the first text in `buffer`.
  private var pendingLine: Int?
  /// The lists the walk is inside, innermost last: whether each is numbered.
  private var lists: [Bool] = []
  /// How many links the walk is inside (text in a link is all link text: the link-density rule does not apply).
  private var linkDepth = 0
  /// Where in `buffer` a bold run (`b`, `strong`) that opens the block ends: the block's lead-in.
  private var boldLeadEnd: Int?
  /// How many times `flush` ran.
  private var flushCount = 0
  /// Pseudo-headings made from bold lines and lead-ins: their indices in `blocks` and the block's whole text (a
  /// bold line that heads nothing goes back to being that paragraph).
  private var pseudo: [(index: Int, text: String, alone: Bool)] = []

  /// What an element is to the walk.
  enum Tag: Equatable {
    case heading(Int)
    case lineBreak, listItem, row, preformatted, quote
    case list(ordered: Bool)
    case block, link, bold, inline
  }

  /// Tags by the FNV-1a hash of the element name (no string is made per element).
  static let tags: [UInt64: Tag] = {
    var tags: [UInt64: Tag] = [:]
    for level in 1...6 { tags[HTMLRuleTables.hash("h\(level)".utf8)] = .heading(level) }
    let named: [(String, Tag)] = [
      ("br", .lineBreak), ("li", .listItem), ("tr", .row), ("pre", .preformatted), ("blockquote", .quote),
      ("ul", .list(ordered: false)), ("menu", .list(ordered: false)), ("ol", .list(ordered: true)), ("a", .link),
      ("b", .bold), ("strong", .bold),
    ]
    for (name, tag) in named { tags[HTMLRuleTables.hash(name.utf8)] = tag }
    // Elements that end the current block of text.
    for name in [
      "p", "div", "section", "article", "main", "dl", "dt", "dd", "table", "thead", "tbody", "tfoot", "figure",
      "figcaption", "hr", "address", "details", "summary", "center", "header",
    ] {
      tags[HTMLRuleTables.hash(name.utf8)] = .block
    }
    return tags
  }()

  static func tag(of node: XMLNode) -> Tag {
    guard let name = node.pointee.name else { return .inline }
    return tags[HTMLRuleTables.hash(cString: name)] ?? .inline
  }

  /// Elements kept although their class or id names boilerplate (see `ContentScorer.spared`).
  let spared: Set<XMLNode>
  /// Elements kept inside the content although their class or id names boilerplate (see `ContentScorer.sections`).
  let sections: Set<XMLNode>

  /// Text measures of the page's elements (from `ContentScorer`), to drop lists of links inside the content.
  let measures: MeasureTable

  init(
    rules: HTMLRules, container: XMLNode, spared: Set<XMLNode> = [], sections: Set<XMLNode> = [],
    measures: MeasureTable = MeasureTable()
  ) {
    self.rules = rules
    self.container = container
    self.spared = spared
    self.sections = sections
    self.measures = measures
  }

  mutating func walk(_ node: XMLNode, depth: Int = 0) {
    guard depth < Tuning.maximumDepth else { return }
    var next = node.pointee.children
    while let child = next {
      next = child.pointee.next
      if child.isText {
        if let content = child.pointee.content {
          if pendingLine == nil { pendingLine = Self.startLine(ofText: child) }
          buffer.append(contentsOf: UnsafeBufferPointer(start: content, count: strlen(content)))
        }
        continue
      }
      guard child.isElement else { continue }
      let facts = child.facts
      if facts.contains(.heading) && !facts.contains(.neverContent) && headsDroppedBox(child) {
        // The heading of a box whose body was dropped (a search form, a newsletter sign-up) goes with it.
        dropped += 1
        continue
      }
      if facts.contains(.heading) && !facts.contains(.neverContent) {
        // Class/id rules never delete a heading of the content (`h2.content_head`, `h3.subhead`, a heading named
        // like the page's header); one whose own name drops it stays only when text of its own follows it.
        emitHeading(child, depth: depth, rescued: isDropped(child, insideLink: linkDepth > 0))
        continue
      }
      if isDropped(child, insideLink: linkDepth > 0) {
        dropped += 1
        // Nor do they take the content's headings with a dropped byline or meta block around them (the title in a
        // header block with the author's name). Other dropped blocks (related links, lists of links) take theirs:
        // a heading there heads the dropped text.
        if facts.contains(.headerBlock), !facts.contains(.neverContent), !facts.contains(.firm),
          (measures[child]?.linkDensity ?? 0) <= rules.maximumLinkDensity
        {
          rescueHeadings(below: child, depth: depth + 1)
        }
        continue
      }
      walkContent(child, depth: depth)
    }
  }

  /// Walks the content element `child` (of a node at `depth`) by its tag: line breaks and the elements that open a
  /// block (list items, data rows, quotes, lists) end the text before them; links, bold lead-ins and the rest are
  /// walked into.
  @inline(__always)
  private mutating func walkContent(_ child: XMLNode, depth: Int) {
    let tag = Self.tag(of: child)
    if tag == .lineBreak {
      flush()
    } else if tag == .listItem {
      flush()
      pendingKind = .listItem
      walk(child, depth: depth + 1)
      flush()
    } else if tag == .row && isDataRow(child) {
      flush()
      let cells = child.childNodes.filter { $0.isElement && ($0.elementName == "td" || $0.elementName == "th") }
        .map { clean(collectText($0, depth: depth + 1)) }
      let filled = cells.filter { !$0.isEmpty }
      if !filled.isEmpty {
        blocks.append(Block(.tableRow, filled.joined(separator: " | "), cells: cells, line: Self.line(of: child)))
      }
    } else if tag == .preformatted || tag == .quote {
      flush()
      pendingKind = tag == .preformatted ? .preformatted : .quote
      walk(child, depth: depth + 1)
      flush()
    } else if case .list(let ordered) = tag {
      let outer = pendingKind
      flush()
      lists.append(ordered)
      walk(child, depth: depth + 1)
      flush()
      lists.removeLast()
      pendingKind = outer
    } else if tag == .block {
      let outer = pendingKind
      flush()
      pendingKind = outer
      walk(child, depth: depth + 1)
      flush()
      pendingKind = outer
    } else if tag == .link {
      // A link over more text than a link's worth is an unclosed `<a>` (see `maximumLinkCharacters`).
      let isLink = (measures[child]?.text ?? 0) <= rules.maximumLinkCharacters
      if isLink { linkDepth += 1 }
      walk(child, depth: depth + 1)
      if isLink { linkDepth -= 1 }
    } else if tag == .bold {
      let opensBlock = boldLeadEnd == nil && !buffer.contains { $0 > 0x20 }
      let flushes = flushCount
      walk(child, depth: depth + 1)
      // Only a bold run inside one block is a lead-in (`<b>` around paragraphs is not).
      if opensBlock && flushes == flushCount { boldLeadEnd = buffer.count }
    } else {
      walk(child, depth: depth + 1)
    }
  }

  /// Indices in `blocks` of headings that a class/id rule would have dropped (their own name or a dropped block's
  /// around them).
  private var rescued: [Int] = []
  /// Indices in `blocks` of headings that are links to other pages (see `dropTeasers`).
  private var teasers: [Int] = []

  /// Whether most of a heading's text is a link to another page (an `href` that is not a `#` anchor of this one).
  static func isLinkToAnotherPage(_ heading: XMLNode) -> Bool {
    let (total, linked) = textAndLinkedText(
      below: heading, maximumDepth: Tuning.headingDepth, visibleOnly: true, descendsInto: { _ in true },
      isLink: { node in
        guard node.facts.contains(.anchor), let href = node.attribute("href") else { return false }
        return !href.isEmpty && !href.hasPrefix("#")
      })
    return total > 0 && linked * Tuning.linkedHeadingDivisor > total
  }

  /// The bytes of text below `node` and how many of them stand inside an element that `isLink` accepts, walking
  /// the elements that `descendsInto` accepts down to `maximumDepth`; `visibleOnly` counts only bytes above U+0020.
  static func textAndLinkedText(
    below node: XMLNode, maximumDepth: Int, visibleOnly: Bool, descendsInto: (XMLNode) -> Bool,
    isLink: (XMLNode) -> Bool
  ) -> (text: Int, linked: Int) {
    var text = 0
    var linked = 0
    func visit(_ node: XMLNode, inLink: Bool, depth: Int) {
      guard depth < maximumDepth else { return }
      var child = node.pointee.children
      while let current = child {
        child = current.pointee.next
        if current.isText, let content = current.pointee.content {
          var length = 0
          if visibleOnly {
            var pointer = content
            while pointer.pointee != 0 {
              if pointer.pointee > 0x20 { length += 1 }
              pointer += 1
            }
          } else {
            length = strlen(content)
          }
          text += length
          if inLink { linked += length }
        } else if current.isElement, descendsInto(current) {
          visit(current, inLink: inLink || isLink(current), depth: depth + 1)
        }
      }
    }
    visit(node, inLink: false, depth: 0)
    return (text, linked)
  }

  /// Drops teasers: a heading that links to another page over less than `maximumTeaserCharacters` of text (up to
  /// the next heading) titles a teaser of that page ("Allergy facts vs. fiction" over a one-line summary in a list
  /// of stories), not a section. A linked heading over more text is kept.
  mutating func dropTeasers() {
    guard !teasers.isEmpty else { return }
    let marked = Set(teasers)
    teasers.removeAll()
    var kept: [Block] = []
    kept.reserveCapacity(blocks.count)
    var index = 0
    while index < blocks.count {
      guard marked.contains(index) else {
        kept.append(blocks[index])
        index += 1
        continue
      }
      var end = index + 1
      var length = 0
      while end < blocks.count, blocks[end].kind != .heading {
        length += blocks[end].text.utf8.count
        end += 1
      }
      if length < rules.maximumTeaserCharacters {
        index = end
      } else {
        kept.append(blocks[index])
        index += 1
      }
    }
    dropped += blocks.count - kept.count
    blocks = kept
  }

  /// Whether everything after a heading in its parent was dropped: one to `maximumBoxSiblings` elements, all
  /// dropped, and no text. The heading titled that box ("Search the site:" over a form).
  private func headsDroppedBox(_ heading: XMLNode) -> Bool {
    var next = heading.pointee.next
    var elements = 0
    while let sibling = next {
      next = sibling.pointee.next
      if sibling.isText {
        guard let content = sibling.pointee.content else { continue }
        var pointer = content
        while pointer.pointee != 0 {
          if pointer.pointee > 0x20 { return false }
          pointer += 1
        }
        continue
      }
      guard sibling.isElement else { continue }
      if Self.tag(of: sibling) == .lineBreak { continue }
      elements += 1
      if elements > Self.maximumBoxSiblings || !isDropped(sibling, insideLink: linkDepth > 0) { return false }
    }
    return elements > 0
  }

  /// How many dropped elements after a heading are looked at (see `headsDroppedBox`).
  static let maximumBoxSiblings = 8

  /// Emits a heading element as a heading block.
  mutating func emitHeading(_ node: XMLNode, depth: Int, rescued isRescued: Bool = false) {
    flush()
    guard case .heading(let level) = Self.tag(of: node) else { return }
    let text = clean(collectText(node, depth: depth + 1))
    guard !text.isEmpty else { return }
    if isRescued { rescued.append(blocks.count) }
    if Self.isLinkToAnotherPage(node) { teasers.append(blocks.count) }
    blocks.append(Block(.heading, text, level: level, line: Self.line(of: node)))
  }

  /// Emits the headings below a dropped element (elements never content and firm boilerplate left out).
  private mutating func rescueHeadings(below node: XMLNode, depth: Int) {
    guard depth < Tuning.rescueDepth else { return }
    var next = node.pointee.children
    while let child = next {
      next = child.pointee.next
      guard child.isElement else { continue }
      let facts = child.facts
      if facts.contains(.neverContent) || facts.contains(.firm) { continue }
      if facts.contains(.heading) {
        emitHeading(child, depth: depth, rescued: true)
      } else {
        rescueHeadings(below: child, depth: depth + 1)
      }
    }
  }

  /// Drops the rescued headings that nothing of their own follows (the next block is a heading of the same or a
  /// higher level, or there is none): "Share this article" over a dropped share bar, "Contents" over a dropped
  /// table of contents.
  mutating func dropEmptyRescuedHeadings() {
    guard !rescued.isEmpty else { return }
    let marked = Set(rescued)
    rescued.removeAll()
    var kept: [Block] = []
    kept.reserveCapacity(blocks.count)
    // Backwards, so that an empty rescued heading over empty rescued sub-headings goes too.
    let lines = LineBoilerplate.shared
    for index in blocks.indices.reversed() {
      let block = blocks[index]
      if marked.contains(index), kept.last.map({ $0.kind == .heading && $0.level <= block.level }) ?? true {
        continue
      }
      // A rescued heading that is a boilerplate line (a blog's date header, a byline) is not the article's.
      if marked.contains(index), block.text.utf8.count <= Self.longestBoilerplateLine,
        let kind = lines.kind(of: block.text), rules.lineRuleKinds.contains(kind)
      {
        continue
      }
      kept.append(block)
    }
    dropped += blocks.count - kept.count
    blocks = kept.reversed()
  }

  /// A bold line or a bold lead-in that acts as a heading: the whole block in bold, short, not a sentence
  /// ("Signs and symptoms in children"), or a short bold label that opens the block and ends with a colon or
  /// before a new sentence ("Diagnosis: The doctor..."). The heading's text and the text after it.
  static func pseudoHeading(lead: String, text: String, rules: HTMLRules) -> (heading: String, rest: String)? {
    guard !lead.isEmpty, lead.utf8.count <= text.utf8.count, text.hasPrefix(lead) else { return nil }
    var rest = Substring(text.dropFirst(lead.count)).drop { $0 == " " }
    var heading = Substring(lead)
    var colon = false
    if heading.last == ":" {
      heading = heading.dropLast()
      colon = true
    } else if rest.first == ":" {
      rest = rest.dropFirst().drop { $0 == " " }
      colon = true
    }
    heading = heading.drop { $0 == " " }
    while heading.last == " " { heading = heading.dropLast() }
    // A term before a dash is a glossary entry ("Antibody— A protein..."), not a heading.
    guard let last = heading.last, heading.contains(where: \.isLetter), !".!,;—–-".contains(last),
      heading.count <= rules.maximumPseudoHeadingCharacters
    else { return nil }
    let words = heading.split(separator: " ").count
    if rest.isEmpty { return words <= rules.maximumPseudoHeadingWords ? (String(heading), "") : nil }
    // A label, not the sentence's subject: it ends with a colon, or the text after it starts a sentence of its own
    // ("<b>Signs and symptoms</b> The major symptom is..."; "<b>Cholera</b> is..." is not a label).
    guard colon || (rest.first?.isUppercase ?? false), words <= rules.maximumLeadInWords,
      rest.contains(where: \.isLetter)
    else { return nil }
    return (String(heading), String(rest))
  }

  /// Whether a paragraph is a question that heads what follows it ("How is cholera spread?"): one short sentence
  /// that ends with a question mark.
  static func isQuestionHeading(_ text: String, rules: HTMLRules) -> Bool {
    guard text.utf8.count <= rules.maximumQuestionCharacters, let first = text.first,
      first.isUppercase || first.isNumber
    else { return false }
    var trimmed = Substring(text)
    while let last = trimmed.last, "\"”’')".contains(last) { trimmed = trimmed.dropLast() }
    guard trimmed.last == "?" else { return false }
    // One sentence: no full stop, exclamation or other question mark before the end.
    let body = trimmed.dropLast()
    return !body.contains("? ") && !body.contains(". ") && !body.contains("! ")
  }

  /// Settles the pseudo-headings: a bold line that heads nothing (the next block is a heading, or there is none)
  /// goes back to being a paragraph; question paragraphs followed by text become headings; each pseudo-heading
  /// takes the level below the real heading before it (level 2 before any).
  mutating func settlePseudoHeadings() {
    var made: [Int: (text: String, alone: Bool)] = [:]
    for entry in pseudo { made[entry.index] = (entry.text, entry.alone) }
    pseudo.removeAll()
    var headingLevel = 1
    for index in blocks.indices {
      let next = index + 1 < blocks.count ? blocks[index + 1] : nil
      let headsText = next.map { $0.kind != .heading } ?? false
      if let entry = made[index] {
        if entry.alone && !headsText {
          blocks[index] = Block(.paragraph, entry.text, line: blocks[index].line)
        } else {
          blocks[index].level = min(6, headingLevel + 1)
        }
        continue
      }
      let block = blocks[index]
      if block.kind == .heading {
        headingLevel = block.level
      } else if block.kind == .paragraph, headsText, Self.isQuestionHeading(block.text, rules: rules) {
        blocks[index] = Block(.heading, block.text, level: min(6, headingLevel + 1), line: block.line)
      }
    }
  }

  /// Drops the article's back matter: a heading named as references, sources, resources or further reading
  /// (`backMatterHeadings`, the whole heading) with everything under it, down to the next heading of the same or a
  /// higher level that is not back matter; its sub-headings ("Books", "Periodicals", "Web sites") go with it. A page
  /// that starts with such a heading is left as it is.
  mutating func dropBackMatter() {
    guard blocks.contains(where: { $0.kind == .heading && rules.backMatterHeadings.contains(Self.headingKey($0.text)) })
    else { return }
    var kept: [Block] = []
    kept.reserveCapacity(blocks.count)
    var backMatterLevel: Int?
    for (index, block) in blocks.enumerated() {
      if block.kind == .heading {
        let isBackMatter = index > 0 && rules.backMatterHeadings.contains(Self.headingKey(block.text))
        if let level = backMatterLevel, block.level > level || isBackMatter { continue }
        backMatterLevel = isBackMatter ? block.level : nil
        if isBackMatter { continue }
      } else if backMatterLevel != nil {
        continue
      }
      kept.append(block)
    }
    guard kept.contains(where: { $0.kind != .heading }) else { return }
    dropped += blocks.count - kept.count
    blocks = kept
  }

  /// A heading as `backMatterHeadings` names it: lower case, without a closing colon.
  static func headingKey(_ text: String) -> String {
    var key = Substring(text.lowercased())
    while let last = key.last, last == ":" || last == " " { key = key.dropLast() }
    return String(key)
  }

  /// Emits the collected text as a block of the pending kind. A paragraph that starts with a bullet becomes a list
  /// item, as pages that draw lists with `•` and `<br>` mean it.
  mutating func flush() {
    let kind = pendingKind
    let text = buffer.withUnsafeBufferPointer { TextNormalizer.collapseWhitespace(utf8: $0, mapC1: true) }
    let line = pendingLine
    let lead = boldLeadEnd.map { end in
      buffer.withUnsafeBufferPointer {
        TextNormalizer.collapseWhitespace(utf8: UnsafeBufferPointer(rebasing: $0[..<min(end, $0.count)]), mapC1: true)
      }
    }
    boldLeadEnd = nil
    flushCount += 1
    buffer.removeAll(keepingCapacity: true)
    pendingLine = nil
    pendingKind = kind == .listItem ? .listItem : .paragraph
    guard !text.isEmpty else { return }
    if kind == .paragraph, lists.isEmpty, let lead,
      let split = Self.pseudoHeading(lead: lead, text: text, rules: rules)
    {
      pseudo.append((blocks.count, text, split.rest.isEmpty))
      blocks.append(Block(.heading, split.heading, level: 2, line: line))
      if !split.rest.isEmpty { blocks.append(Block(.paragraph, split.rest, line: line)) }
      return
    }
    let depth = max(0, lists.count - 1)
    if kind == .paragraph, let item = TextNormalizer.listItemText(text), item.text.utf8.count < text.utf8.count,
      let first = text.first, first != "-" && first != "*"
    {
      // A numbered paragraph keeps its number: it is part of the text (`1. Bio: ...`), not drawn by a list.
      blocks.append(Block(.listItem, item.ordered ? text : item.text, ordered: item.ordered, line: line))
    } else if kind == .listItem {
      blocks.append(Block(kind, text, ordered: lists.last ?? false, depth: depth, line: line))
    } else {
      blocks.append(Block(kind, text, line: line))
    }
  }

  /// The source line libxml2 recorded for an element, when it did.
  private static func line(of node: XMLNode) -> Int? {
    node.pointee.line > 0 ? Int(node.pointee.line) : nil
  }

  /// The source line of a text node's first non-blank character; nil for blank text. libxml2 gives a text node the
  /// line where it first flushed it (at its end, at an entity or after 1000 bytes), so this is the larger of two
  /// lower bounds: that line less the line breaks after the first character, and the line of the element before
  /// the text (or around it) plus the line breaks before the first character.
  private static func startLine(ofText node: XMLNode) -> Int? {
    guard let content = node.pointee.content else { return nil }
    var index = 0
    var leadingBreaks = 0
    while content[index] == 0x20 || content[index] == 0x0A || content[index] == 0x09 || content[index] == 0x0D {
      if content[index] == 0x0A { leadingBreaks += 1 }
      index += 1
    }
    guard content[index] != 0 else { return nil }
    var breaks = 0
    while content[index] != 0 && index < Tuning.lineBreakScan {
      if content[index] == 0x0A { breaks += 1 }
      index += 1
    }
    var anchor = node.pointee.prev
    while let current = anchor, !current.isElement { anchor = current.pointee.prev }
    let anchorLine = Int((anchor ?? node.pointee.parent)?.pointee.line ?? 0)
    let line = max(Int(node.pointee.line) - breaks, anchorLine > 0 ? anchorLine + leadingBreaks : 0)
    return line > 0 ? line : nil
  }

  private func isDropped(_ node: XMLNode, insideLink: Bool = false) -> Bool {
    if spared.contains(node) { return false }
    let facts = node.facts
    if facts.contains(.neverContent) { return true }
    if sections.contains(node) && isInsideContainer(node) { return false }
    if node != container && facts.contains(.droppedOutsideContainer) && !isInsideContainer(node) { return true }
    if node == container || facts.contains(.structural) { return false }
    if facts.contains(.wrapper) && !facts.contains(.namedBoilerplate) && node.hasName("aside")
      && isInsideContainer(node)
    {
      // An aside inside the article (a "when to get urgent help" box) is the article's own when it holds prose,
      // not links or pictures with credits.
      return !Self.standsInText(node) || Self.linkDensity(of: node) > Tuning.asideLinkDensity
        || !Self.hasProse(node, depth: 0)
    }
    guard let measure = measures[node] else { return facts.contains(.sparable) }
    // A block that is mostly links (related stories, tag lists, "read more" teasers) inside the content.
    if !insideLink, facts.contains(.linkBlock), measure.text > 0, measure.linkDensity > rules.maximumLinkDensity {
      return true
    }
    if facts.contains(.sparable) { return true }
    // Captions, credits, bylines and ratings inside the content; teasers that link elsewhere.
    if measure.text < rules.maximumContentBoilerplateCharacters {
      if facts.contains(.contentBoilerplate) { return true }
      if facts.contains(.linkedContentBoilerplate) && measure.linkText > 0 { return true }
    }
    return false
  }

  /// Drops short paragraphs that are whole boilerplate lines by the plain-text rules of the kinds
  /// `html-boilerplate.json` names (`lineRuleKinds`: view counters, bylines, dates, share and subscribe prompts...),
  /// wherever they stand in the content.
  mutating func dropBoilerplateLines() {
    guard !rules.lineRuleKinds.isEmpty else { return }
    let lines = LineBoilerplate.shared
    let before = blocks.count
    // Bylines, counters, dates and prompts stand at the content's edges: only the first and last blocks are tried,
    // and only short paragraphs (each try runs regular expressions).
    let edge = Self.boilerplateEdgeBlocks
    var index = 0
    blocks.removeAll { block in
      defer { index += 1 }
      guard index < edge || index >= before - edge, block.kind == .paragraph,
        block.text.utf8.count <= Self.longestBoilerplateLine, let kind = lines.kind(of: block.text)
      else {
        return false
      }
      return rules.lineRuleKinds.contains(kind)
    }
    dropped += before - blocks.count
  }

  /// How many blocks at each end of the content are tried as boilerplate lines.
  static let boilerplateEdgeBlocks = 6

  /// Paragraphs longer than this (UTF-8 bytes) are never whole boilerplate lines.
  static let longestBoilerplateLine = 60

  /// Trims the content's edges: headings with nothing under them ("Related articles" whose links were dropped,
  /// "Read more"), short non-sentence lines at its very end ("Lesen Sie auch:", "back to the list") and start (a
  /// category, a date, a "published" label). An article made only of such lines (a stub, a page of bare text) is
  /// left as it is.
  mutating func trimEdges() {
    var kept: [Block] = []
    kept.reserveCapacity(blocks.count)
    for block in blocks.reversed() {
      if block.kind == .heading {
        // Content under this heading: the blocks kept so far, up to the next heading of the same or a higher level.
        let hasContent = kept.last.map { $0.kind != .heading || $0.level > block.level } ?? false
        if !hasContent && block.text.isShorter(than: Tuning.longestEmptyHeading + 1) { continue }
      } else if kept.isEmpty, block.kind == .paragraph, Self.isTrailingFragment(block.text) {
        continue
      }
      kept.append(block)
    }
    kept.reverse()
    let leading = kept.prefix {
      $0.kind == .paragraph && $0.text.isShorter(than: Tuning.leadingFragment) && Self.isTrailingFragment($0.text)
    }
    if leading.count < kept.count { kept.removeFirst(leading.count) }
    guard kept.contains(where: { $0.kind != .heading && !$0.text.isShorter(than: Tuning.substantialBlock) }) else {
      return
    }
    dropped += blocks.count - kept.count
    blocks = kept
  }

  /// Short text at the very end of the content that is not a sentence: a "read also:" line, "back to the list",
  /// a follow-us line, an author's name.
  static func isTrailingFragment(_ text: String) -> Bool {
    if text.hasSuffix(":") && text.isShorter(than: Tuning.labelFragment) { return true }
    guard text.isShorter(than: Tuning.trailingFragment), let last = text.last else { return false }
    return !".!?\"”“»)。！？、」』）".contains(last)
  }

  /// Whether the element stands in the flow of the article's text: the element before or after it is a paragraph,
  /// a list, a heading, a quotation or a table (an aside beside the whole article is not).
  static func standsInText(_ node: XMLNode) -> Bool {
    func isText(_ element: XMLNode?) -> Bool {
      guard let element else { return false }
      for name: StaticString in ["p", "ul", "ol", "h2", "h3", "h4", "h5", "h6", "blockquote", "table"]
      where element.hasName(name) {
        return true
      }
      return false
    }
    var previous = node.pointee.prev
    while let current = previous, !current.isElement { previous = current.pointee.prev }
    var next = node.pointee.next
    while let current = next, !current.isElement { next = current.pointee.next }
    return isText(previous) || isText(next)
  }

  /// Whether a paragraph or list item below `node` holds a sentence's worth of text (60 bytes or more).
  static func hasProse(_ node: XMLNode, depth: Int) -> Bool {
    guard depth < Tuning.proseDepth else { return false }
    var child = node.pointee.children
    while let current = child {
      child = current.pointee.next
      guard current.isElement, !current.facts.contains(.neverContent) else { continue }
      if current.hasName("p") || current.hasName("li") {
        var length = 0
        func count(_ node: XMLNode) {
          var inner = node.pointee.children
          while let item = inner {
            inner = item.pointee.next
            if item.isText, let content = item.pointee.content {
              length += strlen(content)
            } else if item.isElement {
              count(item)
            }
          }
        }
        count(current)
        if length >= Tuning.proseBytes { return true }
      } else if hasProse(current, depth: depth + 1) {
        return true
      }
    }
    return false
  }

  /// Link text over all text below `node` (elements never content left out).
  static func linkDensity(of node: XMLNode) -> Double {
    let (text, link) = textAndLinkedText(
      below: node, maximumDepth: Tuning.linkDensityDepth, visibleOnly: false,
      descendsInto: { !$0.facts.contains(.neverContent) },
      isLink: { $0.facts.contains(.anchor) })
    return text == 0 ? 1 : Double(link) / Double(text)
  }

  /// Whether a table row holds data (cells of inline text) rather than page layout: cells that hold paragraphs,
  /// headings, lists or other tables, or a `div` straight in the row (broken markup), are walked as blocks.
  private func isDataRow(_ row: XMLNode) -> Bool {
    func hasBlock(_ node: XMLNode, depth: Int) -> Bool {
      guard depth < Tuning.dataRowDepth else { return false }
      for child in node.childNodes where child.isElement {
        if child.hasName("p") || child.hasName("div") || child.hasName("table") || child.hasName("blockquote") {
          return true
        }
        switch Self.tag(of: child) {
        case .heading, .list, .preformatted: return true
        default: break
        }
        if hasBlock(child, depth: depth + 1) { return true }
      }
      return false
    }
    for child in row.childNodes where child.isElement {
      let name = child.elementName
      if name != "td" && name != "th" { return false }
      if hasBlock(child, depth: 0) { return false }
    }
    return true
  }

  private func isInsideContainer(_ node: XMLNode) -> Bool {
    var parent = node.pointee.parent
    while let current = parent {
      if current == container { return current.elementName != "body" }
      parent = current.pointee.parent
    }
    return false
  }

  /// All text below `node`, dropped elements excluded.
  private func collectText(_ node: XMLNode, depth: Int, insideLink: Bool = false) -> String {
    guard depth < Tuning.maximumDepth else { return "" }
    var text = ""
    for child in node.childNodes {
      if child.isText {
        text += child.textContent
      } else if child.isElement, !isDropped(child, insideLink: insideLink) {
        let tag = Self.tag(of: child)
        text += tag == .lineBreak ? " " : collectText(child, depth: depth + 1, insideLink: insideLink || tag == .link)
      }
    }
    return text
  }

  /// White space collapsed; C1 controls (from numeric references such as `&#146;`) read as Windows-1252.
  private func clean(_ text: String) -> String {
    TextNormalizer.collapseWhitespace(text, mapC1: true)
  }
}
