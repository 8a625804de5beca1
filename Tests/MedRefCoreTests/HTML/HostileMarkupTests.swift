import Testing

@testable import MedRefExtraction
@testable import MedRefText

/// Markup that used to make an article vanish without a word: nesting past libxml2's limit, "<svg>" inside JSON-LD,
/// an SVG without its end tag; and a lost byte that a repair turned into U+FFFD.
@Suite("Hostile markup and lost bytes")
struct HostileMarkupTests {
  static let article =
    "<h1>Gout</h1><p>Gout is a painful form of arthritis that affects the big toe.</p>"
    + "<h2>Treatment</h2><p>Rest, ice and anti-inflammatory medicines ease an attack of gout.</p>"

  func extract(_ html: String) throws -> Article {
    try Pipeline().process(
      bytes: Array(html.utf8), file: SourceFile(path: "page.html", format: .html), id: "page")
  }

  @Test("100,000 nested divs: the text is kept and the flattening is reported")
  func deepNesting() throws {
    let depth = 100_000
    let page =
      "<html><body>" + String(repeating: "<div>", count: depth) + Self.article
      + String(repeating: "</div>", count: depth) + "</body></html>"
    let article = try extract(page)
    #expect(article.text.contains("Gout is a painful form of arthritis"))
    #expect(article.text.contains("Rest, ice and anti-inflammatory medicines"))
    #expect(article.diagnostics.contains { $0.severity == .warning && $0.message.contains("nested deeper than") })
  }

  @Test("Nesting within the limit is left as it is, byte for byte")
  func shallowNestingUntouched() {
    let page = Array(("<div>" + String(repeating: "<div><span>x</span>", count: 50) + "</div>").utf8)
    let limited = NestingLimiter.limit(page)
    #expect(limited.blanked == 0)
    #expect(limited.bytes == page)
    // Past the limit, only the tags beyond it go, line breaks kept.
    let deep = Array((String(repeating: "<div>\n", count: 200) + "text" + String(repeating: "</div>", count: 200)).utf8)
    let cut = NestingLimiter.limit(deep)
    #expect(cut.blanked == 2 * (200 - NestingLimiter.maximumDepth))
    #expect(cut.bytes.count == deep.count)
    #expect(cut.bytes.filter { $0 == 0x0A }.count == 200)
  }

  @Test("\"<svg>\" inside a JSON-LD string does not take the page with it")
  func svgInsideLinkedData() throws {
    let page = """
      <html><head><script type="application/ld+json">{"headline": "<svg>", "author": "A. Writer"}</script></head>
      <body><main>\(Self.article)</main></body></html>
      """
    let article = try extract(page)
    #expect(article.text.contains("Rest, ice and anti-inflammatory medicines"))
  }

  @Test("An SVG without its end tag, or whose end lies past the article, keeps the article; a whole one is emptied")
  func unclosedSVG() throws {
    let unclosed = "<html><body><main><svg width=10><circle r=4/>\(Self.article)</main></body></html>"
    #expect(try extract(unclosed).text.contains("Rest, ice and anti-inflammatory medicines"))
    let laterEnd = "<html><body><main><svg class=icon>\(Self.article)<svg><path d='M0'/></svg></main></body></html>"
    #expect(try extract(laterEnd).text.contains("Rest, ice and anti-inflammatory medicines"))
    let whole = "<html><body><main><svg><text>Icon label text</text></svg>\(Self.article)</main></body></html>"
    let article = try extract(whole)
    #expect(!article.text.contains("Icon label text"))
    #expect(article.text.contains("Gout is a painful form"))
  }

  @Test("A closing quote whose last byte was lost is put back; a lost byte elsewhere stays U+FFFD")
  func lostClosingQuote() {
    let repairer = TextRepairer()
    let repaired = repairer.repair("take diuretics (â€œwater pillsâ€\u{FFFD}) or low-dose aspirin")
    #expect(repaired.text == "take diuretics (“water pills”) or low-dose aspirin")
    #expect(repaired.repairs.contains { $0.to == "”" && !$0.exact })
    #expect(repairer.repair("â€œlossy decodingâ€\u{FFFD}").text == "“lossy decoding”")
    // Not closing a word (a sign before it): no guess.
    #expect(repairer.repair("Ã¢â€\u{FFFD}â€™(Ã¢Å’Â£Ã‹â€ºÃ¢Å’Â£)Ã¢â€\u{FFFD}Å½").text == "\u{FFFD}(⌣˛⌣)\u{FFFD}")
  }

  @Test("A long line of mojibake is repaired as its pieces are, one by one")
  func longLine() {
    let piece = "Itâ€™s a cafÃ© where â€œquotedâ€\u{9D} words and more text stand. "
    let repairer = TextRepairer()
    let one = repairer.repair(piece).text
    #expect(repairer.repair(String(repeating: piece, count: 5_000)).text == String(repeating: one, count: 5_000))
  }

  /// A page of random hostile pieces around one visible paragraph: deep nesting, SVG closed or not, JSON-LD with
  /// markup in its strings, unclosed tags, comments, scripts.
  static func hostilePage(seed: UInt64) -> (page: String, visible: String) {
    var random = SplitMix64(state: seed)
    let visible = "Gout is a painful form of arthritis, and case \(seed) says it affects the big toe at night."
    let pieces: [(inout SplitMix64) -> String] = [
      { String(repeating: "<div>", count: Int.random(in: 1...3_000, using: &$0)) },
      { String(repeating: "</div>", count: Int.random(in: 1...3_000, using: &$0)) },
      { _ in "<svg width=12><circle r=3/>" },
      { _ in "<svg><path d='M0 0'/></svg>" },
      { _ in "<script type=\"application/ld+json\">{\"headline\": \"<svg><template>\", \"x\": \"</div>\"}</script>" },
      { _ in "<script>var a = '<svg>';</script>" },
      { _ in "<template><p>hidden</p>" },
      { _ in "<!-- <svg> -->" },
      { _ in "<span><b><i>" },
      { _ in "<table><tr><td>" },
      { _ in "<math><mi>x</mi>" },
    ]
    var before = ""
    var after = ""
    for _ in 0..<Int.random(in: 1...6, using: &random) {
      before += pieces[Int.random(in: 0..<pieces.count, using: &random)](&random)
    }
    for _ in 0..<Int.random(in: 0...4, using: &random) {
      after += pieces[Int.random(in: 0..<pieces.count, using: &random)](&random)
    }
    return ("<html><body>" + before + "<p>" + visible + "</p>" + after + "</body></html>", visible)
  }

  @Test("Property: a page whose body shows text never comes out empty, whatever hostile markup surrounds it")
  func visibleTextSurvives() throws {
    for seed in UInt64(1)...300 {
      let (page, visible) = Self.hostilePage(seed: seed)
      let article = try extract(page)
      #expect(article.text.contains(visible), "seed \(seed): \(page.prefix(300))")
    }
  }
}
