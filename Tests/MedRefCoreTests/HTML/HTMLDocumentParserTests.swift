import Testing

@testable import MedRefExtraction
@testable import MedRefWeb

@Suite("Parsing HTML with libxml2")
struct HTMLDocumentParserTests {
  let parser = HTMLDocumentParser()

  /// Blocks without their source lines (tested in `HTMLStructureTests`), to compare with blocks written here.
  static func withoutLines(_ blocks: [Block]) -> [Block] {
    blocks.map {
      var block = $0
      block.line = nil
      return block
    }
  }

  static let page = """
    <!DOCTYPE html>
    <html lang="en-GB">
    <head>
      <title>Gout: symptoms and treatment | HealthSite</title>
      <meta name="author" content="Dr. A. Writer">
      <meta property="article:published_time" content="2024-03-01">
      <meta property="og:site_name" content="HealthSite">
      <link rel="canonical" href="https://example.org/gout">
      <style>p { color: red }</style>
      <script>var tracking = "<p>not text</p>";</script>
    </head>
    <body>
      <header><a href="/">HealthSite</a></header>
      <nav><ul><li><a href="/a">Conditions</a></li><li><a href="/b">Drugs</a></li></ul></nav>
      <div class="cookie-banner">We use cookies. <button>Accept</button></div>
      <article>
        <h1>Gout</h1>
        <p>Gout is a type of   arthritis.<br>It comes in attacks.</p>
        <div class="share-bar"><a href="#">Share on Facebook</a></div>
        <h2>Symptoms</h2>
        <ul><li>Sudden, <b>severe</b> joint pain</li><li>Swelling<ul><li>Red skin</li></ul></li></ul>
        <h2>Diagnosis</h2>
        <table><tr><th>Test</th><th>Purpose</th></tr><tr><td>Joint fluid test</td><td>Finds crystals</td></tr></table>
        <p style="display: none">Hidden text</p>
        <p>Uses &ldquo;dual-energy CT&rdquo; &amp; ultrasound&#146;s help.</p>
        <aside class="related-articles"><h3>Related articles</h3><a href="/x">Arthritis</a></aside>
        <div class="author-bio">Written by Dr. A. Writer, a rheumatologist.</div>
      </article>
      <footer>© 2024 HealthSite</footer>
    </body>
    </html>
    """

  @Test("Headings, paragraphs, list items and table rows of the article come out in order")
  func blocks() throws {
    let document = try parser.parse(Self.page, path: "gout.html")
    #expect(
      Self.withoutLines(document.blocks) == [
        Block(.heading, "Gout", level: 1),
        Block(.paragraph, "Gout is a type of arthritis."),
        Block(.paragraph, "It comes in attacks."),
        Block(.heading, "Symptoms", level: 2),
        Block(.listItem, "Sudden, severe joint pain"),
        Block(.listItem, "Swelling"),
        Block(.listItem, "Red skin", depth: 1),
        Block(.heading, "Diagnosis", level: 2),
        Block(.tableRow, "Test | Purpose", cells: ["Test", "Purpose"]),
        Block(.tableRow, "Joint fluid test | Finds crystals", cells: ["Joint fluid test", "Finds crystals"]),
        Block(.paragraph, "Uses “dual-energy CT” & ultrasound’s help."),
      ])
  }

  @Test("Navigation, cookie banners, share bars, related links, bios, footers, scripts and hidden text are dropped")
  func boilerplate() throws {
    let text = try parser.parse(Self.page, path: "gout.html").text
    for dropped in [
      "Conditions", "cookies", "Share on", "Related", "Written by", "© 2024", "not text", "Hidden",
      "color: red",
    ] {
      #expect(!text.contains(dropped), "\(dropped)")
    }
  }

  @Test("Title and metadata come from the page's head")
  func metadata() throws {
    let document = try parser.parse(Self.page, path: "gout.html")
    #expect(document.title == "Gout")
    #expect(
      document.metadata
        == DocumentMetadata(
          url: "https://example.org/gout", author: "Dr. A. Writer", published: "2024-03-01", site: "HealthSite",
          language: "en-GB"))
  }

  @Test("Without <article> or <main> the body is used, and <title> loses its site suffix")
  func noContainer() throws {
    let html = """
      <html><head><title>Stomach flu | HealthSite</title></head><body>
      <div id="nav"><ul class="menu"><li>Home</li></ul></div>
      <div class="content"><h2>Symptoms</h2><p>Diarrhea and vomiting.</p><p>• Fever<br>• Cramps</p></div>
      <div class="footer">About us</div></body></html>
      """
    let document = try parser.parse(html, path: "flu.htm")
    #expect(document.title == "Stomach flu")
    #expect(
      Self.withoutLines(document.blocks) == [
        Block(.heading, "Symptoms", level: 2), Block(.paragraph, "Diarrhea and vomiting."),
        Block(.listItem, "Fever"), Block(.listItem, "Cramps"),
      ])
  }

  @Test("Broken and truncated markup is recovered")
  func truncated() throws {
    let html = "<html><body><main><h2>Causes</h2><p>Uric acid builds up <b>in the joints<p>and forms crys"
    let document = try parser.parse(html, path: "cut.html")
    // Short paragraphs that end no sentence are trimmed from the edges of long articles, never from a stub.
    #expect(Self.withoutLines(document.blocks).first == Block(.heading, "Causes", level: 2))
    #expect(document.text.contains("Uric acid builds up in the joints"))
    #expect(document.text.hasSuffix("and forms crys"))
  }

  @Test("Bare text without any markup becomes a paragraph")
  func bareText() throws {
    let document = try parser.parse("Just some text", path: "bare.html")
    #expect(Self.withoutLines(document.blocks) == [Block(.paragraph, "Just some text")])
  }

  @Test("A <main> holding the article wins over a short <article> teaser")
  func containerChoice() throws {
    let long = String(repeating: "Treatment means rest and fluids. ", count: 10)
    let html = """
      <body><article><p>Teaser: read more</p></article>
      <main><h2>Treatment</h2><p>\(long)</p></main></body>
      """
    let document = try parser.parse(html, path: "x.html")
    #expect(!document.text.contains("Teaser"))
    #expect(Self.withoutLines(document.blocks).first == Block(.heading, "Treatment", level: 2))
  }

  /// A news page without `<article>` or `<main>`: the content must be found by scoring.
  static let scoredPage = """
    <html><body>
      <div class="site-header"><a href="/">News</a> <a href="/health">Health</a> <a href="/sport">Sport</a></div>
      <div class="cookie-notice">This website uses cookies to improve your experience, but you can opt out.</div>
      <div class="l-root">
        <div class="l-sidebar-fixed l-segment">
          <div class="c-entry-content">
            <p>Another cloud of choking smoke, dust and ash is set to descend on the city this week, forecasters \
    say.</p>
            <p>The dangerous air comes from a mix of weather, urban emissions, and the burning of crop stubble.</p>
            <ul class="related"><li><a href="/a">Air quality, explained</a></li><li><a href="/b">Masks, \
    tested</a></li></ul>
            <div class="more-stories"><a href="/c">Most read: a story about something else entirely</a></div>
            <figure><img src="x.jpg"><figcaption>Photograph by Someone</figcaption></figure>
            <p>Doctors advise people with asthma, heart disease, or lung disease to stay indoors when levels peak.</p>
          </div>
        </div>
        <div class="rail">
          <p><a href="/d">Ten things to know</a>, <a href="/e">five more</a>, and <a href="/f">another list</a>.</p>
        </div>
      </div>
      <div class="site-footer">About us, contact, careers, and the rest of the links nobody reads.</div>
    </body></html>
    """

  @Test("Without <article> or <main> the scored container wins; a class-named wrapper holding it is kept")
  func scoredContainer() throws {
    let document = try parser.parse(Self.scoredPage, path: "news.html")
    let text = document.text
    #expect(text.contains("Another cloud of choking smoke"))
    #expect(text.contains("burning of crop stubble"))
    #expect(text.contains("stay indoors when levels peak"))
    // Boilerplate inside and around the content stays out: related links, a link teaser, a caption, the rail,
    // the cookie notice, header and footer.
    for boilerplate in [
      "Air quality, explained", "Most read", "Photograph by", "Ten things", "cookies", "Sport",
      "careers",
    ] {
      #expect(!text.contains(boilerplate), "\(boilerplate)")
    }
    #expect(document.blocks.allSatisfy { $0.kind == .paragraph })
  }
}
