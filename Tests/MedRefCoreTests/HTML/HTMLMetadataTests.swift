import Testing

@testable import MedRefExtraction
@testable import MedRefWeb

/// The title and the facts about an article (author, date, site, canonical URL, language) found in its page.
@Suite("HTML titles and metadata")
struct HTMLMetadataTests {
  let parser = HTMLDocumentParser()

  static let paragraph =
    "Chickenpox is a mild and common childhood illness that most children catch at some point. It causes a rash of "
    + "red, itchy spots that turn into fluid-filled blisters and then crust over to form scabs."

  /// A page with `head` in its head and an article of `heading` (when given) and a paragraph in its body.
  static func page(head: String, heading: String? = nil, htmlAttributes: String = "") -> String {
    """
    <!DOCTYPE html>
    <html\(htmlAttributes)>
    <head>
    <meta charset="utf-8">
    \(head)
    </head>
    <body>
    <nav><a href="/">Home</a> <a href="/conditions">Conditions</a></nav>
    <article>
    \(heading.map { "<h1>\($0)</h1>" } ?? "")
    <p>\(paragraph)</p>
    </article>
    <footer>© Example Health</footer>
    </body>
    </html>
    """
  }

  static let openGraph = "<meta property=\"og:title\" content=\"Chickenpox: symptoms and treatment\">"
  static let linkedData = """
    <script type="application/ld+json">
    {"@context": "https://schema.org", "@type": "MedicalWebPage", "headline": "Chickenpox (varicella)"}
    </script>
    """
  static let pageTitle = "<title>Chickenpox in children | Skin conditions | Example Health</title>"

  // MARK: - Title

  @Test("The title is og:title, else JSON-LD's headline, else the article's <h1>, else <title> cleaned")
  func titlePrecedence() throws {
    let cases: [(head: String, heading: String?, title: String)] = [
      (Self.openGraph + Self.linkedData + Self.pageTitle, "Chickenpox", "Chickenpox: symptoms and treatment"),
      (Self.linkedData + Self.pageTitle, "Chickenpox", "Chickenpox (varicella)"),
      (Self.pageTitle, "Chickenpox", "Chickenpox"),
      (Self.pageTitle, nil, "Chickenpox in children"),
    ]
    for (head, heading, title) in cases {
      let document = try parser.parse(Self.page(head: head, heading: heading), path: "chickenpox.html")
      #expect(document.title == title)
      #expect(document.text.hasSuffix(Self.paragraph))
    }
  }

  @Test(
    "<title> loses its site name after |, -, –, —, :: or ·, and is read with entities and white space cleaned",
    arguments: [
      "Chickenpox in adults | Example Health",
      "Chickenpox in adults - Example Health",
      "Chickenpox in adults – Example Health",
      "Chickenpox in adults — Example Health",
      "Chickenpox in adults :: Example Health",
      "Chickenpox in adults · Example Health",
      "Chickenpox in adults | Skin | Example Health",
      "\n\tChickenpox   in adults\n | Example Health\n",
      "Chickenpox in&nbsp;adults &#124; Example Health",
    ])
  func pageTitle(_ title: String) throws {
    let document = try parser.parse(Self.page(head: "<title>\(title)</title>"), path: "chickenpox.html")
    #expect(document.title == "Chickenpox in adults")
  }

  @Test("A name that contains a separator is kept when too little would be left before it")
  func shortTitleHead() throws {
    let document = try parser.parse(Self.page(head: "<title>A - Z of conditions</title>"), path: "a-z.html")
    #expect(document.title == "A - Z of conditions")
  }

  // MARK: - Author, date, site, URL, language

  @Test("Metadata from <meta> and <link> in the head")
  func headMetadata() throws {
    let head = """
      <title>Chickenpox | Example Health</title>
      <meta name="author" content="Dr. Ruth Adeyemi">
      <meta property="article:published_time" content="2023-11-02T08:00:00Z">
      <meta property="og:site_name" content="Example Health">
      <link rel="canonical" href="https://health.example/conditions/chickenpox">
      """
    let document = try parser.parse(Self.page(head: head, htmlAttributes: " lang=\"en-GB\""), path: "c.html")
    #expect(
      document.metadata
        == DocumentMetadata(
          url: "https://health.example/conditions/chickenpox", author: "Dr. Ruth Adeyemi",
          published: "2023-11-02T08:00:00Z", site: "Example Health", language: "en-GB"))
  }

  @Test("Other names for the same facts: article:author, date, DC.date, application-name, og:url")
  func otherNames() throws {
    let cases: [(head: String, expected: DocumentMetadata)] = [
      ("<meta property=\"article:author\" content=\"Ruth Adeyemi\">", DocumentMetadata(author: "Ruth Adeyemi")),
      ("<meta name=\"date\" content=\"2023-11-02\">", DocumentMetadata(published: "2023-11-02")),
      ("<meta name=\"DC.date\" content=\"2023-11-02\">", DocumentMetadata(published: "2023-11-02")),
      ("<meta name=\"application-name\" content=\"Example Health\">", DocumentMetadata(site: "Example Health")),
      (
        "<meta property=\"og:url\" content=\"https://health.example/chickenpox\">",
        DocumentMetadata(url: "https://health.example/chickenpox")
      ),
    ]
    for (head, expected) in cases {
      #expect(try parser.parse(Self.page(head: head), path: "c.html").metadata == expected, "\(head)")
    }
  }

  @Test("JSON-LD fills what the head does not say, and its author's name beats a profile URL in <meta>")
  func linkedDataMetadata() throws {
    let head = """
      <meta property="article:author" content="https://www.facebook.com/ruth.adeyemi.writer">
      <script type="application/ld+json">
      {"@context": "https://schema.org", "@graph": [
        {"@type": "WebSite", "name": "Example Health", "url": "https://health.example/"},
        {"@type": "NewsArticle", "headline": "Chickenpox", "url": "https://health.example/chickenpox",
         "author": [{"@type": "Person", "name": "Ruth Adeyemi"}, {"@type": "Person", "name": "Tom Hale"}],
         "datePublished": "2023-11-02", "inLanguage": "en-GB"}
      ]}
      </script>
      """
    let document = try parser.parse(Self.page(head: head), path: "c.html")
    #expect(
      document.metadata
        == DocumentMetadata(
          url: "https://health.example/chickenpox", author: "Ruth Adeyemi", published: "2023-11-02",
          site: "Example Health", language: "en-GB"))
  }

  @Test("The head wins over JSON-LD for what both say")
  func headBeatsLinkedData() throws {
    let head = """
      <meta name="author" content="Dr. Ruth Adeyemi">
      <meta property="article:published_time" content="2023-11-05">
      <script type="application/ld+json">
      {"@type": "Article", "headline": "Chickenpox", "author": "Someone Else", "datePublished": "2020-01-01",
       "publisher": {"@type": "Organization", "name": "Example Publishing Group"}}
      </script>
      <meta property="og:site_name" content="Example Health">
      """
    let metadata = try parser.parse(Self.page(head: head), path: "c.html").metadata
    #expect(metadata.author == "Dr. Ruth Adeyemi")
    #expect(metadata.published == "2023-11-05")
    #expect(metadata.site == "Example Health")
  }

  @Test("A page that says nothing about itself has no metadata, and its title is its first <h1>")
  func noMetadata() throws {
    let document = try parser.parse(Self.page(head: "", heading: "Chickenpox"), path: "c.html")
    #expect(document.metadata == DocumentMetadata())
    #expect(document.title == "Chickenpox")
  }

  // MARK: - The fixture pages

  @Test("Title and metadata of the fixture pages")
  func fixtures() throws {
    let migraine = try HTMLExtract.fixture("migraine.html")
    #expect(migraine.title == "Migraine: symptoms, triggers and treatment", "og:title")
    #expect(
      migraine.metadata
        == DocumentMetadata(
          url: "https://www.neurowell.example/conditions/migraine", author: "Dr. Priya Raman",
          published: "2024-02-14T09:30:00+00:00", site: "NeuroWell Health", language: "en-US"))

    let asthma = try HTMLExtract.fixture("asthma.html")
    #expect(asthma.title == "Asthma", "<h1>")
    #expect(
      asthma.metadata
        == DocumentMetadata(
          author: "Dr. Tomasz Nowak", published: "2023-03-12", site: "BreatheEasy Clinic", language: "en-gb"))

    let backPain = try HTMLExtract.fixture("back-pain.html")
    #expect(backPain.title == "Lower back pain", "<h1>")
    #expect(backPain.metadata == DocumentMetadata(url: "https://www.spinecare.example/advice/lower-back-pain.aspx"))
  }
}
