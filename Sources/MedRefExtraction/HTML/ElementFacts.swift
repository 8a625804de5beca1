import CLibXML2
import MedRefBase

/// What the main-content rules say about one element, worked out once per element from its tag and its `class`,
/// `id`, `style`, `hidden`, `aria-hidden` and `itemprop` attributes, and kept in the node itself (libxml2's
/// `_private` field, which its HTML parser leaves unused) so the scorer and the block builder never look twice.
package struct ElementFacts: OptionSet, Sendable {
  package let rawValue: UInt32

  /// Set on every computed value, so a stored value is never zero.
  static let computed = ElementFacts(rawValue: 1 << 0)
  /// Scripts, navigation, forms' controls, hidden elements: never article text.
  static let neverContent = ElementFacts(rawValue: 1 << 1)
  /// A structural wrapper (`form`, `aside`, `nav`...), dropped unless it holds much of the page's text.
  static let wrapper = ElementFacts(rawValue: 1 << 2)
  /// Boilerplate unless it holds much of the page's text: a wrapper or an element whose class or id names
  /// boilerplate (`html`, `body`, `article` and `main` never are).
  static let sparable = ElementFacts(rawValue: 1 << 3)
  /// Class or id names boilerplate that is never the article (comments, related links).
  static let firm = ElementFacts(rawValue: 1 << 4)
  /// Class or id names a caption, credit, byline or rating, dropped inside the content when short.
  static let contentBoilerplate = ElementFacts(rawValue: 1 << 5)
  /// Class or id names a teaser, dropped inside the content when it holds a link.
  static let linkedContentBoilerplate = ElementFacts(rawValue: 1 << 6)
  /// A paragraph-like element for scoring (`p`, `pre`, `td`, `blockquote`).
  static let paragraph = ElementFacts(rawValue: 1 << 7)
  /// An element that makes a `div` a container rather than a paragraph.
  static let block = ElementFacts(rawValue: 1 << 8)
  /// An element dropped inside the content when most of its text is link text.
  static let linkBlock = ElementFacts(rawValue: 1 << 9)
  /// A link (`a`).
  static let anchor = ElementFacts(rawValue: 1 << 10)
  /// `html`, `body`, `article` or `main`.
  static let structural = ElementFacts(rawValue: 1 << 11)
  /// Class or id names an article's lead (`lead`, `intro`, `standfirst`...).
  static let lead = ElementFacts(rawValue: 1 << 12)
  /// Dropped unless inside the content container (`header`).
  static let droppedOutsideContainer = ElementFacts(rawValue: 1 << 13)
  /// Class or id names boilerplate (`sparable` for a reason other than the tag).
  static let namedBoilerplate = ElementFacts(rawValue: 1 << 14)
  /// A heading (`h1`–`h6`).
  static let heading = ElementFacts(rawValue: 1 << 15)
  /// Class or id names a block that describes the article (a byline, its date): its headings are the article's.
  static let headerBlock = ElementFacts(rawValue: 1 << 16)

  /// Class and id cues for and against content, in steps of 25 points (from −4 to +5).
  var classWeightSteps: Int { Int(Int8(truncatingIfNeeded: rawValue >> 24)) }

  package init(rawValue: UInt32) { self.rawValue = rawValue }

  init(_ flags: ElementFacts, classWeightSteps: Int) {
    rawValue = flags.rawValue | (UInt32(UInt8(bitPattern: Int8(clamping: classWeightSteps))) << 24)
  }
}

/// The rules of `html-boilerplate.json` arranged for one lookup per tag and per class/id word.
package struct HTMLRuleTables: Sendable {
  struct TokenKinds: OptionSet, Sendable {
    let rawValue: UInt8
    static let boilerplate = TokenKinds(rawValue: 1 << 0)
    static let firm = TokenKinds(rawValue: 1 << 1)
    static let positive = TokenKinds(rawValue: 1 << 2)
    static let negative = TokenKinds(rawValue: 1 << 3)
    static let content = TokenKinds(rawValue: 1 << 4)
    static let linkedContent = TokenKinds(rawValue: 1 << 5)
    static let lead = TokenKinds(rawValue: 1 << 6)
    static let header = TokenKinds(rawValue: 1 << 7)
  }

  /// Facts of tags, by the FNV-1a hash of the (lower-case) tag name.
  let tagFacts: [UInt64: ElementFacts]
  /// Kinds of class/id words, by the 64-bit FNV-1a hash of the lower-cased word (no string is built per word).
  let tokenKinds: [UInt64: TokenKinds]
  let itemProperties: Set<String>

  static let shared = HTMLRuleTables(HTMLRules.shared)

  init(_ rules: HTMLRules) {
    var tags: [UInt64: ElementFacts] = [:]
    func add(_ names: some Sequence<String>, _ fact: ElementFacts) {
      for name in names { tags[Self.hash(name.utf8), default: .computed].insert(fact) }
    }
    add(rules.droppedElements, .neverContent)
    add(rules.wrapperElements.keys, [.wrapper, .sparable])
    add(rules.paragraphElements, .paragraph)
    add(rules.blockElements, .block)
    add(rules.linkBlockElements, .linkBlock)
    add(rules.droppedOutsideContainer, .droppedOutsideContainer)
    add(["a"], .anchor)
    add((1...6).map { "h\($0)" }, .heading)
    add(["html", "body", "article", "main"], .structural)
    tagFacts = tags

    var tokens: [UInt64: TokenKinds] = [:]
    func add(_ words: Set<String>, _ kind: TokenKinds) {
      for word in words { tokens[Self.hash(word.lowercased().utf8), default: []].insert(kind) }
    }
    add(rules.boilerplateTokens, .boilerplate)
    add(rules.firmBoilerplateTokens, .firm)
    add(rules.positiveTokens, .positive)
    add(rules.negativeTokens, .negative)
    add(rules.contentBoilerplateTokens, .content)
    add(rules.linkedContentBoilerplateTokens, .linkedContent)
    add(rules.leadTokens, .lead)
    add(rules.headerBlockTokens, .header)
    tokenKinds = tokens
    itemProperties = rules.contentItemProperties
  }

  static func hash(_ bytes: some Sequence<UInt8>) -> UInt64 { FNV1a.hash(bytes) }

  /// The kinds of the words of a class or id value (split on white space, `-` and `_`, ASCII lower-cased). Class
  /// names that start with `js-` are hooks for scripts (`js-truncate-related-to-my-size`), not names of content.
  func kinds(ofWords value: UnsafePointer<xmlChar>) -> TokenKinds {
    var kinds: TokenKinds = []
    var inScriptHook = false
    var atNameStart = true
    var hash = FNV1a()
    var length = 0
    // Two words of one name joined (`sign-up` is `signup`, `side_bar` is `sidebar`, `readMore` is `readmore`): the
    // hash of the word before, continued over this word's bytes.
    var pairHash: FNV1a?
    var pointer = value
    var previousIsLower = false
    /// Records the kinds of the word that just ended (and of it joined to the word before).
    func endWord(joinsNext: Bool) {
      if length > 0, !inScriptHook {
        if let found = tokenKinds[hash.value] { kinds.formUnion(found) }
        if let pairHash, let found = tokenKinds[pairHash.value] { kinds.formUnion(found) }
      }
      pairHash = joinsNext && length > 0 ? hash : nil
      hash = FNV1a()
      length = 0
    }
    while true {
      let byte = pointer.pointee
      let isUpper = byte >= 0x41 && byte <= 0x5A
      // camelCase words count too: `recipeCopyright` holds `recipe` and `copyright`.
      if previousIsLower && isUpper { endWord(joinsNext: true) }
      previousIsLower = byte >= 0x61 && byte <= 0x7A
      let isSpace = byte == 0x20 || byte == 0x09 || byte == 0x0A || byte == 0x0D
      if atNameStart && !isSpace && byte != 0 {
        inScriptHook =
          (byte | 0x20) == 0x6A && (pointer[1] | 0x20) == 0x73 && (pointer[2] == 0x2D || pointer[2] == 0x5F)
        atNameStart = false
      }
      if byte == 0 || isSpace || byte == 0x2D || byte == 0x5F {
        endWord(joinsNext: !isSpace && byte != 0)
        if byte == 0 { break }
        if isSpace { atNameStart = true }
      } else {
        let lower = byte >= 0x41 && byte <= 0x5A ? byte | 0x20 : byte
        hash.mix(lower)
        pairHash?.mix(lower)
        length += 1
      }
      pointer += 1
    }
    return kinds
  }

  /// The facts an element's tag gives (libxml2's HTML parser lower-cases tag names).
  func facts(ofTag name: UnsafePointer<xmlChar>) -> ElementFacts {
    tagFacts[Self.hash(cString: name)] ?? .computed
  }

  /// `hash` of a NUL-terminated name, read in place.
  static func hash(cString name: UnsafePointer<xmlChar>) -> UInt64 { FNV1a.hash(cString: name) }

  /// Works out an element's facts.
  func facts(of node: XMLNode, tag: ElementFacts) -> ElementFacts {
    var flags = tag
    var steps = 0
    var attribute = node.pointee.properties
    while let current = attribute {
      attribute = current.pointee.next
      guard let name = current.pointee.name, let value = current.pointee.children?.pointee.content else {
        if let name = current.pointee.name, Self.equals(name, "hidden") { flags.insert(.neverContent) }
        continue
      }
      if Self.equals(name, "class") || Self.equals(name, "id") {
        let kinds = self.kinds(ofWords: value)
        if kinds.contains(.boilerplate) && !flags.contains(.structural) {
          flags.formUnion([.sparable, .namedBoilerplate])
        }
        if kinds.contains(.firm) { flags.insert(.firm) }
        if kinds.contains(.content) { flags.insert(.contentBoilerplate) }
        if kinds.contains(.linkedContent) { flags.insert(.linkedContentBoilerplate) }
        if kinds.contains(.lead) { flags.insert(.lead) }
        if kinds.contains(.header) { flags.insert(.headerBlock) }
        if !kinds.isDisjoint(with: [.boilerplate, .negative]) { steps -= 1 }
        if kinds.contains(.positive) { steps += 1 }
      } else if Self.equals(name, "style") {
        let style = String(cString: value).lowercased().filter { $0 != " " }
        if style.contains("display:none") || style.contains("visibility:hidden") { flags.insert(.neverContent) }
      } else if Self.equals(name, "hidden") {
        flags.insert(.neverContent)
      } else if Self.equals(name, "aria-hidden") {
        if String(cString: value).lowercased() == "true" { flags.insert(.neverContent) }
      } else if Self.equals(name, "itemprop") {
        if itemProperties.contains(String(cString: value).lowercased()) { steps += 1 }
      }
    }
    return ElementFacts(flags, classWeightSteps: steps)
  }

  /// Whether a NUL-terminated attribute name equals `name` (ASCII, case-insensitive).
  private static func equals(_ pointer: UnsafePointer<xmlChar>, _ name: StaticString) -> Bool {
    let expected = name.utf8Start
    for index in 0..<name.utf8CodeUnitCount {
      let byte = pointer[index]
      if byte == 0 || (byte >= 0x41 && byte <= 0x5A ? byte | 0x20 : byte) != expected[index] { return false }
    }
    return pointer[name.utf8CodeUnitCount] == 0
  }
}

extension UnsafeMutablePointer where Pointee == xmlNode {
  /// Whether the element's name is `name` (lower-case ASCII), compared in place.
  func hasName(_ name: StaticString) -> Bool {
    guard let own = pointee.name else { return false }
    let expected = name.utf8Start
    for index in 0..<name.utf8CodeUnitCount where own[index] != expected[index] { return false }
    return own[name.utf8CodeUnitCount] == 0
  }

  /// A number for the element, unique in its document (0: none yet), kept beside its facts.
  var ordinal: Int {
    get { pointee._private.map { Int(UInt(bitPattern: $0) >> 32) } ?? 0 }
    nonmutating set {
      let facts = UInt(self.facts.rawValue)
      pointee._private = UnsafeMutableRawPointer(bitPattern: facts | UInt(newValue) << 32)
    }
  }

  /// The element's facts, worked out on first use and kept in the node.
  var facts: ElementFacts {
    if let stored = pointee._private {
      return ElementFacts(rawValue: UInt32(truncatingIfNeeded: UInt(bitPattern: stored)))
    }
    let tables = HTMLRuleTables.shared
    let tag = pointee.name.map { tables.facts(ofTag: $0) } ?? .computed
    let facts = tables.facts(of: self, tag: tag)
    pointee._private = UnsafeMutableRawPointer(bitPattern: UInt(facts.rawValue))
    return facts
  }
}

/// Text measures by element, stored by the elements' ordinals (no hashing).
package struct MeasureTable {
  private var values: [ContentScorer.Measure?] = [nil]
  /// Elements in the order they were first measured.
  private(set) var nodes: [XMLNode] = []

  subscript(node: XMLNode) -> ContentScorer.Measure? {
    get {
      let ordinal = node.ordinal
      return ordinal < values.count ? values[ordinal] : nil
    }
    set {
      var ordinal = node.ordinal
      if ordinal == 0 {
        ordinal = values.count
        node.ordinal = ordinal
        values.append(nil)
        nodes.append(node)
      }
      values[ordinal] = newValue
    }
  }

  subscript(node: XMLNode, default value: ContentScorer.Measure) -> ContentScorer.Measure {
    self[node] ?? value
  }

  /// Forgets every measure (the elements keep their ordinals).
  mutating func removeAll() {
    for index in values.indices { values[index] = nil }
  }

  /// The measured elements with their measures.
  var all: [(XMLNode, ContentScorer.Measure)] {
    nodes.compactMap { node in self[node].map { (node, $0) } }
  }
}
