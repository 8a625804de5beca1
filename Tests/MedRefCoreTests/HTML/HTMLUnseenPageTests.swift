import Testing

@testable import MedRefExtraction
@testable import MedRefWeb

/// Pages of kinds the content rules were not written for (issue 15): headings whose own class names boilerplate,
/// headings above the content's wrapper and in byline blocks, a footer strip beside a short article, a saved DOM
/// fragment without `<html>` and `<body>`, broken markup that leaves the article inside a link or a menu, and bold
/// labels and questions that act as headings.
@Suite("HTML pages never seen: headings and content root")
struct HTMLUnseenPageTests {
  let parser = HTMLDocumentParser()

  static let symptoms =
    "Cholera causes sudden watery diarrhoea, vomiting and leg cramps, and it can lead to severe dehydration within "
    + "hours if it is not treated quickly."
  static let treatment =
    "Oral rehydration solution replaces the lost fluids and salts; people with severe dehydration need intravenous "
    + "fluids and sometimes antibiotics as well."
  static let prevention =
    "Drinking safe water, washing hands with soap and cooking food well are the best ways to avoid cholera, and an "
    + "oral vaccine protects travellers to places where it is common."

  func headings(_ html: String, sourceLocation: SourceLocation = #_sourceLocation) throws -> [String] {
    try parser.parse(html, path: "page.html").blocks.filter { $0.kind == .heading }.map(\.text)
  }

  func page(_ body: String) -> String {
    """
    <!DOCTYPE html>
    <html lang="en"><head><title>Cholera | Example Health</title></head>
    <body>
    <nav class="site-nav"><ul><li><a href="/">Home</a></li><li><a href="/a-z">Conditions A to Z</a></li></ul></nav>
    \(body)
    <footer class="site-footer"><p><a href="/about">About us</a> <a href="/privacy">Privacy</a></p></footer>
    </body></html>
    """
  }

  @Test("A heading whose own class names boilerplate is kept inside the content")
  func headingWithBoilerplateClass() throws {
    // `widget`, `menu` and `promo` are boilerplate words of html-boilerplate.json; the headings are the article's.
    let html = page(
      """
      <div class="article-body">
      <h1>Cholera</h1>
      <h2 class="widget-title">Symptoms</h2><p>\(Self.symptoms)</p>
      <h2 class="menu-heading">Treatment</h2><p>\(Self.treatment)</p>
      <h3 id="promo-head">Prevention</h3><p>\(Self.prevention)</p>
      </div>
      """)
    #expect(try headings(html) == ["Cholera", "Symptoms", "Treatment", "Prevention"])
  }

  @Test("A kept heading whose own class names boilerplate and that heads nothing is still dropped")
  func emptyBoilerplateHeading() throws {
    let html = page(
      """
      <div class="article-body">
      <h1>Cholera</h1>
      <h2>Symptoms</h2><p>\(Self.symptoms)</p>
      <h3 class="share-title">Share this page</h3>
      <div class="share-bar"><a href="https://facebook.com/x">Facebook</a> <a href="https://x.com/y">X</a></div>
      <h2>Treatment</h2><p>\(Self.treatment)</p>
      </div>
      """)
    #expect(try headings(html) == ["Cholera", "Symptoms", "Treatment"])
  }

  @Test("Headings between the content's wrapper and its first paragraph, and in a byline block, are kept")
  func headingsBeforeContent() throws {
    let html = page(
      """
      <div class="post">
        <h1 class="post-title">Cholera</h1>
        <div class="byline"><h2 class="subtitle">A guide for travellers</h2><span>By Jane Doe</span></div>
        <p class="date">12 May 2014</p>
        <div class="entry-content">
          <p>\(Self.symptoms)</p><p>\(Self.treatment)</p><p>\(Self.prevention)</p>
        </div>
      </div>
      """)
    let blocks = try parser.parse(html, path: "page.html").blocks
    #expect(blocks.filter { $0.kind == .heading }.map(\.text) == ["Cholera", "A guide for travellers"])
    #expect(blocks.map(\.text).contains(Self.symptoms))
    #expect(!blocks.map(\.text).contains("By Jane Doe"))
  }

  @Test("A heading inside a byline block within the content is kept, the byline is not")
  func headingInByline() throws {
    let html = page(
      """
      <article>
        <div class="byline"><h1>Cholera</h1><span class="author">By Jane Doe, MD</span></div>
        <h2>Symptoms</h2><p>\(Self.symptoms)</p>
        <h2>Treatment</h2><p>\(Self.treatment)</p>
      </article>
      """)
    let blocks = try parser.parse(html, path: "page.html").blocks
    #expect(blocks.filter { $0.kind == .heading }.map(\.text) == ["Cholera", "Symptoms", "Treatment"])
    #expect(!blocks.map(\.text).contains { $0.contains("Jane Doe") })
  }

  @Test("A footer strip of short lines does not win the content root from a short article")
  func footerStripDoesNotWin() throws {
    let footer = (1...8).map {
      "<p>Clinic \($0), 12 High Street, Springfield, open Monday to Friday, call 555-010\($0).</p>"
    }.joined()
    let html = """
      <html><head><title>Cholera</title></head><body>
      <div id="main"><h1>Cholera</h1><h2>Symptoms</h2><p>\(Self.symptoms)</p>
      <h2>Treatment</h2><p>\(Self.treatment)</p></div>
      <div id="bottom-strip" class="site-footer">\(footer)</div>
      </body></html>
      """
    let blocks = try parser.parse(html, path: "page.html").blocks
    #expect(blocks.map(\.text).contains(Self.symptoms))
    #expect(blocks.map(\.text).contains(Self.treatment))
    #expect(!blocks.map(\.text).contains { $0.hasPrefix("Clinic ") })
  }

  @Test(
    "A saved DOM fragment without <html> and <body> is an article",
    arguments: [
      "<meta charset=\"utf-8\"><section>", "<title>Cholera</title><article>",
      "<link rel=\"stylesheet\" href=\"a.css\"><main>",
    ])
  func fragment(opening: String) throws {
    let closing = "</" + opening.split(separator: "<").last!.dropLast() + ">"
    let html = "\(opening)<h2>Symptoms</h2><p>\(Self.symptoms)</p><h2>Treatment</h2><p>\(Self.treatment)</p>\(closing)"
    let blocks = try parser.parse(html, path: "fragment.html").blocks
    #expect(blocks.map(\.text) == ["Symptoms", Self.symptoms, "Treatment", Self.treatment])
  }

  @Test("An article inside a link left open, or inside a menu that broken markup never closed, is found")
  func articleInsideUnclosedLink() throws {
    let html = """
      <html><head><title>Cholera</title></head><body>
      <div id="header"><ul class="menu"><li><a href="/">Home
      <div class="content"><h1>Cholera</h1><h2>Symptoms</h2><p>\(Self.symptoms)</p><p>\(Self.symptoms)</p>
      <h2>Treatment</h2><p>\(Self.treatment)</p><p>\(Self.treatment)</p>
      <h2>Prevention</h2><p>\(Self.prevention)</p><p>\(Self.prevention)</p></div>
      </body></html>
      """
    #expect(try headings(html) == ["Cholera", "Symptoms", "Treatment", "Prevention"])
  }

  @Test("An article cut into like steps is taken whole, not one step")
  func articleInSteps() throws {
    let parts = [
      ("History", Self.symptoms), ("Geography", Self.treatment), ("Time frame", Self.prevention),
      ("Types", Self.symptoms), ("Prevention", Self.prevention),
    ]
    let steps = parts.map {
      "<h2>\($0.0)</h2><ul class=\"steps\"><li class=\"step\"><div class=\"step-text\"><div><p>\($0.1) \($0.1)"
        + "</p></div></div></li></ul>"
    }.joined()
    let html = page("<article><div class=\"intro\"><p>\(Self.treatment)</p></div>\(steps)</article>")
    #expect(try headings(html) == ["History", "Geography", "Time frame", "Types", "Prevention"])
  }

  @Test("A bold lead-in alone at the start of a paragraph becomes a section heading")
  func boldLeadIn() throws {
    let html = page(
      """
      <div class="entry-content"><h1>Cholera</h1>
      <p>\(Self.symptoms)</p>
      <p><strong>Diagnosis:</strong> A stool sample is tested for the bacteria, and a rapid dipstick test can give an
      answer within minutes where laboratories are far away.</p>
      <p><b>Treatment</b></p><p>\(Self.treatment)</p>
      </div>
      """)
    let article = try HTMLExtract.article(html)
    #expect(article.sections.map(\.heading) == ["", "Diagnosis", "Treatment"])
    #expect(article.sections[1].text.hasPrefix("A stool sample is tested"))
    #expect(article.sections[1].kind == .tests)
  }

  @Test("A bold sentence, a long bold line and a bold label inside a list stay text")
  func boldThatIsNotAHeading() throws {
    let html = page(
      """
      <div class="entry-content"><h1>Cholera</h1><h2>Symptoms</h2>
      <p>\(Self.symptoms)</p>
      <p><b>Call a doctor at once if a child stops drinking.</b></p><p>\(Self.treatment)</p>
      <ul><li><b>Fever:</b> a high temperature that lasts for more than three days</li></ul>
      <p><b>Important</b> dehydration can kill within hours, so start rehydration at home straight away.</p>
      </div>
      """)
    #expect(try headings(html) == ["Cholera", "Symptoms"])
  }

  @Test("A question paragraph followed by its answer becomes a heading; a question inside prose does not")
  func questionParagraph() throws {
    let html = page(
      """
      <div class="entry-content"><h1>Cholera</h1>
      <p>How is cholera spread?</p>
      <p>Cholera spreads through water or food contaminated with the faeces of an infected person.</p>
      <p>Who is at risk? People without safe water are, above all children in crowded camps and slums.</p>
      <p>\(Self.treatment)</p>
      </div>
      """)
    let blocks = try parser.parse(html, path: "page.html").blocks
    #expect(blocks.filter { $0.kind == .heading }.map(\.text) == ["Cholera", "How is cholera spread?"])
    #expect(blocks.first { $0.text == "How is cholera spread?" }?.level == 2)
  }
  @Test("A short bold label before a new sentence is a lead-in heading; a bold term before a dash is not")
  func leadInWithoutColon() throws {
    let html = page(
      """
      <div class="entry-content"><h1>Cholera</h1><p>\(Self.symptoms)</p>
      <p><i><b>Signs and symptoms</b></i> The major symptom of cholera is diarrhoea, which can be severe and cause up
      to a quart of fluid loss an hour.</p>
      <p><b>Antibody—</b> A protein made by the immune system that recognises one germ and helps to destroy it.</p>
      <p><b>Cholera</b> is treated first of all with fluids given by mouth or through a vein.</p>
      </div>
      """)
    #expect(try headings(html) == ["Cholera", "Signs and symptoms"])
  }

  @Test("A heading that links to another page over a line of text titles a teaser: both are dropped")
  func teaserHeadings() throws {
    let html = page(
      """
      <div class="entry-content"><h1>Cholera</h1>
      <h2>Symptoms</h2><p>\(Self.symptoms)</p>
      <h2>Treatment</h2><p>\(Self.treatment)</p>
      <h3><a href="/news/typhoid-outbreak">Typhoid outbreak in the north</a></h3><p>Cases are rising again.</p>
      <h3><a href="/news/flu-season">Flu season starts early</a></h3><p>Get your jab in time.</p>
      </div>
      """)
    let blocks = try parser.parse(html, path: "page.html").blocks
    #expect(blocks.filter { $0.kind == .heading }.map(\.text) == ["Cholera", "Symptoms", "Treatment"])
    #expect(!blocks.map(\.text).contains("Cases are rising again."))
  }

  @Test("Back matter (References, Resources with Books and Web sites under it) is not a section")
  func backMatter() throws {
    let html = page(
      """
      <div class="entry-content"><h1>Cholera</h1>
      <h2>Symptoms</h2><p>\(Self.symptoms)</p>
      <h2>Treatment</h2><p>\(Self.treatment)</p>
      <h2>Resources</h2><h3>Books</h3><p>Smith, J. Infectious Diseases. New York: Example Press, 2010.</p>
      <h3>Web sites</h3><p>World Health Organization. Cholera fact sheet.</p>
      </div>
      """)
    let blocks = try parser.parse(html, path: "page.html").blocks
    #expect(blocks.filter { $0.kind == .heading }.map(\.text) == ["Cholera", "Symptoms", "Treatment"])
    #expect(blocks.last?.text == Self.treatment)
  }

  @Test("A page carrying two entries in containers named alike gives both")
  func twinEntries() throws {
    func entry(_ title: String) -> String {
      "<div class=\"entry-text\"><h2>\(title)</h2><p>\(Self.symptoms)</p><p>\(Self.treatment)</p>"
        + "<p>\(Self.prevention)</p></div>"
    }
    let html = page(
      """
      <table><tr><td><div>\(entry("Cholera in adults"))</div></td></tr></table>
      <div class="other-source"><div>\(entry("Cholera in children"))</div></div>
      """)
    #expect(try headings(html) == ["Cholera in adults", "Cholera in children"])
  }

  @Test("Two words of one class name joined count as one (sign-up is signup)")
  func joinedClassWords() throws {
    let tables = HTMLRuleTables.shared
    func kinds(_ value: String) -> HTMLRuleTables.TokenKinds {
      value.withCString {
        $0.withMemoryRebound(to: UInt8.self, capacity: value.utf8.count + 1) { tables.kinds(ofWords: $0) }
      }
    }
    #expect(kinds("post-email-sign-up").contains(.boilerplate))
    #expect(kinds("side_bar").contains(.boilerplate))
    #expect(!kinds("post-email").contains(.boilerplate))
  }
  @Test("The heading of a box whose body is dropped (a search form) goes with it")
  func headingOfDroppedBox() throws {
    let html = page(
      """
      <div class="entry-content"><h1>Cholera</h1>
      <h2>Symptoms</h2><p>\(Self.symptoms)</p>
      <dl><dd><h3>Search the site for:</h3><form action="/search"><input name="q"><input type="submit"></form></dd></dl>
      <h2>Treatment</h2><p>\(Self.treatment)</p>
      </div>
      """)
    #expect(try headings(html) == ["Cholera", "Symptoms", "Treatment"])
  }
}
