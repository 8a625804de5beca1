import Testing

@testable import MedRefBase
@testable import MedRefExtraction
@testable import MedRefWeb

/// Pages as they really come: broken markup, missing elements, megabytes of script, text only in JSON-LD, pages
/// wrapped in a form or an aside, legacy encodings, and pages with nothing to extract.
@Suite("HTML pages that are hard to read")
struct HTMLRobustnessTests {
  static let tonsillitis = [
    "Tonsillitis is an infection of the tonsils at the back of the throat. It is common in children but adults can "
      + "get it too.",
    "It is usually caused by a virus, and most people get better within a week without any treatment.",
    "Get plenty of rest, drink cool drinks and take paracetamol or ibuprofen to ease the pain.",
    "See a GP if your symptoms do not improve after a week, or if you keep getting tonsillitis.",
  ]

  // MARK: - Broken markup

  /// The tonsillitis article in broken markup: unquoted attributes, unclosed paragraphs and list items, a heading
  /// closed with the wrong level, misnested inline tags, no </article>, </body> or </html>; `break` goes after the
  /// second paragraph, `end` after the last.
  static func brokenPage(break: String = "", end: String = "") -> String {
    """
    <html><head><title>Tonsillitis</title></head><body>
    <div class=cookie-notice id=cookies><p>We use cookies on this site to remember your settings and preferences.
    </div>
    <div class=page>
    <article class=post>
    <h1>Tonsillitis</h1>
    <p>\(tonsillitis[0])
    <p>\(tonsillitis[1])
    \(`break`)
    <h2>Symptoms</h2>
    <ul><li>a sore throat<li>problems swallowing<li>a high temperature</ul>
    <h2 class=section-title>Treatment</h3>
    <p>\(tonsillitis[2].replacing("drink cool drinks", with: "<b>drink cool drinks</i>"))</b>
    <p>\(tonsillitis[3])
    \(end)
    <footer class=site-footer>© 2024 Example Health, all rights reserved.</footer>
    """
  }

  func expectWholeArticle(_ article: Article, sourceLocation: SourceLocation = #_sourceLocation) {
    #expect(
      article.blocks.filter { $0.kind == .heading }.map(\.text) == ["Tonsillitis", "Symptoms", "Treatment"],
      sourceLocation: sourceLocation)
    #expect(
      article.blocks.filter { $0.kind == .listItem }.map(\.text)
        == ["a sore throat", "problems swallowing", "a high temperature"], sourceLocation: sourceLocation)
  }

  @Test("Unquoted attributes, unclosed paragraphs and items, misnested tags and stray end tags are recovered")
  func brokenMarkup() throws {
    let article = try HTMLExtract.article(Self.brokenPage(end: "</span></div></div></div></li>"))
    #expect(article.blocks.filter { $0.kind == .paragraph }.map(\.text) == Self.tonsillitis)
    expectWholeArticle(article)
    #expect(!article.text.contains("cookies"))
    #expect(!article.text.contains("Example Health"))
  }

  @Test("A stray </div> that closes the article early: the rest of the article still comes out")
  func strayEndTag() throws {
    let article = try HTMLExtract.article(Self.brokenPage(break: "</div>"))
    #expect(article.blocks.filter { $0.kind == .paragraph }.map(\.text) == Self.tonsillitis)
    // Known limitation: only the heading before the break is kept, and no list item. Fixed, this is
    // `expectWholeArticle(article)`.
    let limitation = KnownLimitation.comment(KnownLimitation.strayEndTag)
    #expect(article.blocks.filter { $0.kind == .heading }.map(\.text) == ["Tonsillitis"], limitation)
    #expect(article.blocks.filter { $0.kind == .listItem }.map(\.text) == [], limitation)
    #expect(!article.text.contains("cookies"))
    #expect(!article.text.contains("Example Health"))
  }

  @Test("A page without <body>, and one without <html> or <head>, are read like whole pages")
  func missingElements() throws {
    let body = """
      <h1>Tonsillitis</h1>
      <p>\(Self.tonsillitis[0])</p>
      <p>\(Self.tonsillitis[1])</p>
      <h2>Treatment</h2>
      <p>\(Self.tonsillitis[2])</p>
      <p>\(Self.tonsillitis[3])</p>
      """
    let withoutBody = """
      <!DOCTYPE html>
      <html lang="en-GB"><head><title>Tonsillitis | Example Health</title>
      <meta name="author" content="Dr. Jane Doe"></head>
      \(body)
      </html>
      """
    let withoutHTML = """
      <title>Tonsillitis | Example Health</title>
      <meta name="author" content="Dr. Jane Doe">
      \(body)
      """
    for html in [withoutBody, withoutHTML] {
      let article = try HTMLExtract.article(html)
      #expect(article.title == "Tonsillitis")
      #expect(article.metadata.author == "Dr. Jane Doe")
      #expect(article.blocks.filter { $0.kind == .paragraph }.map(\.text) == Self.tonsillitis)
      #expect(article.blocks.filter { $0.kind == .heading }.map(\.text) == ["Tonsillitis", "Treatment"])
    }
  }

  // MARK: - Huge scripts

  /// About 2 MB of inline JavaScript holding markup in strings, as server-rendered app state does.
  static let hugeScript: String = {
    let line =
      "  window.__STATE__.teasers.push({id: 40213, html: \"<div class='teaser'><p>Script text must not show</p>"
      + "</div>\", score: 0.75, tags: [\"health\", \"news\"]});\n"
    return "<script>\n" + String(repeating: line, count: 2_000_000 / line.utf8.count + 1) + "</script>"
  }()

  @Test("2 MB of inline script before the article: the article comes out, with the right source lines")
  func hugeInlineScript() throws {
    let html = """
      <!DOCTYPE html>
      <html><head><title>Tonsillitis</title></head>
      <body>
      \(Self.hugeScript)
      <main><article>
      <h1>Tonsillitis</h1>
      <p>\(Self.tonsillitis[0])</p>
      <p>\(Self.tonsillitis[1])</p>
      </article></main>
      </body></html>
      """
    #expect(html.utf8.count > 2_000_000)
    let headingLine = html.split(separator: "\n", omittingEmptySubsequences: false)
      .firstIndex { $0 == "<h1>Tonsillitis</h1>" }.map { $0 + 1 }
    // Through the pipeline (which empties script bodies first) and straight into libxml2.
    let blocks = [
      try HTMLExtract.article(html).blocks,
      try HTMLDocumentParser().parse(html, path: "page.html").blocks,
    ]
    for blocks in blocks {
      #expect(blocks.map(\.text) == ["Tonsillitis"] + Self.tonsillitis.prefix(2))
      #expect(blocks.first?.line == headingLine)
    }
  }

  // MARK: - Text only in JSON-LD

  @Test("A page that renders its text with scripts: the article comes from JSON-LD's articleBody")
  func linkedDataOnly() throws {
    let html = """
      <!DOCTYPE html>
      <html lang="en"><head><title>Loading…</title>
      <script type="application/ld+json">
      {"@context": "https://schema.org", "@type": "MedicalWebPage",
       "headline": "Tonsillitis: symptoms and treatment",
       "author": {"@type": "Person", "name": "Dr. Jane Doe"},
       "datePublished": "2024-05-02",
       "publisher": {"@type": "Organization", "name": "Example Health"},
       "articleBody": "\(Self.tonsillitis.joined(separator: "\\n\\n"))"}
      </script>
      <script src="/static/js/main.4f2a9c.js" defer></script>
      </head>
      <body>
      <noscript>You need to enable JavaScript to run this app.</noscript>
      <div id="root"></div>
      </body></html>
      """
    let article = try HTMLExtract.article(html)
    #expect(article.blocks == Self.tonsillitis.map { Block(.paragraph, $0) })
    #expect(article.title == "Tonsillitis: symptoms and treatment")
    #expect(article.metadata.author == "Dr. Jane Doe")
    #expect(article.metadata.published == "2024-05-02")
    #expect(article.metadata.site == "Example Health")
  }

  @Test("A short JSON-LD articleBody (a summary) does not replace the page's longer article")
  func linkedDataSummary() throws {
    let html = """
      <html><head><script type="application/ld+json">
      {"@type": "Article", "headline": "Tonsillitis", "articleBody": "Tonsillitis is an infection of the tonsils."}
      </script></head>
      <body><article><h1>Tonsillitis</h1>
      \(Self.tonsillitis.map { "<p>\($0)</p>" }.joined(separator: "\n"))
      </article></body></html>
      """
    let article = try HTMLExtract.article(html)
    #expect(article.blocks.map(\.text) == ["Tonsillitis"] + Self.tonsillitis)
  }

  // MARK: - Wrapped pages

  @Test("A whole page wrapped in an ASP.NET <form>: the article is kept, its menus and footer are not")
  func formWrapper() throws {
    let html = """
      <html><head><title>Tonsillitis</title></head><body>
      <form name="aspnetForm" method="post" action="./tonsillitis.aspx" id="aspnetForm">
      <input type="hidden" name="__VIEWSTATE" id="__VIEWSTATE" value="/wEPDwULLTE2MTY2ODcyMjlkZA==" />
      <div id="ctl00_pnlMenu" class="menu"><a href="/">Home</a> | <a href="/conditions.aspx">All conditions</a> |
        <a href="/clinics.aspx">Find a clinic</a></div>
      <div id="ctl00_ContentPlaceHolder1_pnlMain">
        <h1>Tonsillitis</h1>
        \(Self.tonsillitis.map { "<p>\($0)</p>" }.joined(separator: "\n"))
      </div>
      <div id="ctl00_pnlFooter" class="footer">Example Health NHS Trust, registered office: 1 Hospital Road.</div>
      </form></body></html>
      """
    let article = try HTMLExtract.article(html)
    #expect(article.blocks.map(\.text) == ["Tonsillitis"] + Self.tonsillitis)
  }

  @Test("An article wrapped in an <aside> is kept; the real sidebar beside it is not")
  func asideWrapper() throws {
    let html = """
      <html><head><title>Tonsillitis</title></head><body>
      <div class="columns">
        <aside class="column-main">
          <h1>Tonsillitis</h1>
          \(Self.tonsillitis.map { "<p>\($0)</p>" }.joined(separator: "\n"))
        </aside>
        <aside class="column-side"><h3>Find a pharmacy</h3><p>Enter your postcode to find pharmacies near you that
          are open late and at weekends.</p></aside>
      </div></body></html>
      """
    let article = try HTMLExtract.article(html)
    #expect(article.blocks.map(\.text) == ["Tonsillitis"] + Self.tonsillitis)
  }

  // MARK: - Legacy encodings

  @Test("A Windows-1252 page declared with <meta charset> is decoded through the pipeline")
  func windows1252() throws {
    let html = """
      <!DOCTYPE html>
      <html lang="en"><head><meta charset="windows-1252"><title>Hay fever \u{96} the caf\u{E9} guide</title></head>
      <body><main>
      <h1>Hay fever</h1>
      <p>Hay fever is an allergy to pollen. It\u{92}s usually worse between late March and September, especially \
      when it\u{92}s warm, humid and windy.</p>
      <p>Your pharmacist can recommend an antihistamine; a month\u{92}s supply costs about \u{80}5. Sit in a \
      caf\u{E9} indoors rather than outside when the pollen count is high.</p>
      <p>Doctors call it \u{93}seasonal allergic rhinitis\u{94}\u{85} and it affects one person in five.</p>
      </main></body></html>
      """
    let bytes: [UInt8] = .latin1(html)
    try #require(String(validating: bytes, as: UTF8.self) == nil, "the page must not be valid UTF-8")
    let article = try HTMLExtract.article(bytes)
    #expect(article.encoding == "windows-1252")
    #expect(article.encodingReason == "declared charset")
    #expect(article.title == "Hay fever")
    for expected in [
      "It’s usually worse", "a month’s supply costs about €5", "café indoors",
      "“seasonal allergic rhinitis”… and",
    ] {
      #expect(article.text.contains(expected), "\(expected)")
    }
    #expect(!article.text.contains("\u{FFFD}"))
    #expect(article.repairs.isEmpty, "clean text needs no repair: \(article.repairs)")
  }

  @Test("An ISO-8859-1 page declared with http-equiv is decoded (Latin-1 read as Windows-1252, as browsers do)")
  func latin1HTTPEquiv() throws {
    let html = """
      <html lang="fr"><head>
      <meta http-equiv="Content-Type" content="text/html; charset=ISO-8859-1">
      <title>Grippe : sympt\u{F4}mes et traitement | Sant\u{E9} Pratique</title></head>
      <body><div id="contenu">
      <h1>La grippe</h1>
      <p>La grippe est une infection respiratoire aigu\u{EB} tr\u{E8}s contagieuse, due aux virus influenza. Elle \
      d\u{E9}bute brutalement par une fi\u{E8}vre \u{E9}lev\u{E9}e, souvent sup\u{E9}rieure \u{E0} 39 \u{B0}C.</p>
      <p>Les courbatures, la fatigue et les maux de t\u{EA}te sont fr\u{E9}quents. On parle de \u{AB} syndrome \
      grippal \u{BB} ; la gu\u{E9}rison survient en g\u{E9}n\u{E9}ral en une semaine.</p>
      <p>La vaccination est recommand\u{E9}e chaque ann\u{E9}e aux personnes \u{E2}g\u{E9}es de 65 ans et plus, \
      ainsi qu\u{2019}aux femmes enceintes.</p>
      </div></body></html>
      """
    // U+2019 has no Latin-1 byte: pages declared as Latin-1 carry 0x92 for it, as Windows-1252 does.
    let bytes: [UInt8] = .latin1(html.replacing("\u{2019}", with: "\u{92}"))
    let article = try HTMLExtract.article(bytes)
    #expect(article.encoding == "windows-1252")
    #expect(article.encodingReason == "declared charset")
    #expect(article.title == "La grippe")
    #expect(article.metadata.language == "fr")
    for expected in [
      "aiguë très contagieuse", "fièvre élevée", "à 39 °C", "maux de tête", "« syndrome grippal »",
      "âgées de 65 ans", "ainsi qu’aux femmes enceintes",
    ] {
      #expect(article.text.contains(expected), "\(expected)")
    }
    #expect(article.repairs.isEmpty, "clean text needs no repair: \(article.repairs)")
  }

  @Test("A page in Windows-1252 without any declaration falls back to Windows-1252, with a note")
  func undeclaredLegacy() throws {
    let html =
      "<html><body><main><h1>Hay fever</h1><p>It\u{92}s worse in June, when the caf\u{E9} terraces fill "
      + "up and the grass pollen count is at its highest.</p></main></body></html>"
    let article = try HTMLExtract.article(.latin1(html))
    #expect(article.encoding == "windows-1252")
    #expect(article.text.contains("It’s worse in June, when the café terraces"))
    #expect(article.diagnostics.contains { $0.message.hasPrefix("decoded as Windows-1252") })
  }

  // MARK: - Nothing to extract

  @Test("An empty or blank page is an 'empty file' error")
  func emptyPage() throws {
    for bytes in [[], Array(" \n\t\r\n".utf8)] as [[UInt8]] {
      #expect(throws: MedRefError.emptyFile(path: "page.html")) { try HTMLExtract.article(bytes) }
    }
    #expect(throws: MedRefError.emptyFile(path: "page.html")) {
      try HTMLDocumentParser().parse("", path: "page.html")
    }
  }

  @Test("A page with markup but no text and no title is a 'no article text found' error")
  func noText() throws {
    for html in [
      "<html></html>", "<!DOCTYPE html><html><head></head><body>\n</body></html>",
      "<html><body><div><img src=\"x.png\" alt=\"\"></div><script>var a = 'text';</script></body></html>",
    ] {
      #expect(throws: MedRefError.noContent(path: "page.html"), "\(html)") { try HTMLExtract.article(html) }
    }
  }

  /// Pages with a menu, a cookie banner and a footer, but no article: as HTML5 elements, or `div`s with classes.
  static let boilerplateOnlyPages = [
    """
    <html><head><title>Tonsillitis | Example Health</title></head><body>
    <nav><ul><li><a href="/">Home</a></li><li><a href="/conditions">Conditions</a></li></ul></nav>
    <div class="cookie-banner"><p>We use cookies to improve your experience on our website. By continuing to
      browse you agree to our use of cookies.</p></div>
    <footer><p>Copyright 2024 Example Health. All rights reserved. Example Health is a trading name of Example
      Ltd, registered in England.</p></footer>
    </body></html>
    """,
    """
    <html><head><title>Tonsillitis | Example Health</title></head><body>
    <div id="menu"><a href="/">Home</a> <a href="/conditions">Conditions</a></div>
    <div class="cookie-banner"><p>We use cookies to improve your experience on our website. By continuing to
      browse you agree to our use of cookies.</p></div>
    <div class="footer"><p>Copyright 2024 Example Health. All rights reserved. Example Health is a trading name of
      Example Ltd, registered in England.</p></div>
    </body></html>
    """,
  ]

  /// The footer paragraph of both `boilerplateOnlyPages`.
  static let footerText =
    "Copyright 2024 Example Health. All rights reserved. Example Health is a trading name of Example Ltd, registered "
    + "in England."

  /// Fixed, a page with only boilerplate gives an article with its title and no blocks and no sections, and without
  /// a title it is a `noContent` error. Today the footer, holding all of the page's text, becomes the article.
  @Test(
    "A page with only boilerplate gives its title (known limitation: and its footer as the article)",
    arguments: zip(boilerplateOnlyPages, [KnownLimitation.footerOnlyPage, KnownLimitation.footerDivOnlyPage]))
  func boilerplateOnly(_ html: String, limitation: String) throws {
    try #require(html.contains("<title>Tonsillitis | Example Health</title>"))
    let article = try HTMLExtract.article(html)
    #expect(article.title == "Tonsillitis")
    let comment = KnownLimitation.comment(limitation)
    #expect(article.blocks.map(\.text) == [Self.footerText], comment)
    #expect(article.sections.map(\.text) == [Self.footerText], comment)
    // Without a title the footer is the article too, titled after the file, instead of a `noContent` error (nil
    // here).
    let untitled = html.replacing("<title>Tonsillitis | Example Health</title>", with: "")
    let untitledArticle = try? HTMLExtract.article(untitled)
    #expect(untitledArticle?.title == "page", comment)
    #expect(untitledArticle?.blocks.map(\.text) == [Self.footerText], comment)
  }
}
