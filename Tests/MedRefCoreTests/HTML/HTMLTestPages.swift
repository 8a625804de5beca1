import Testing

@testable import MedRefExtraction
@testable import MedRefText

/// Runs HTML through every stage, as `medref extract` does: bytes → decoding → repair → parsing → sections.
enum HTMLExtract {
  static func article(_ bytes: [UInt8], path: String = "page.html") throws -> Article {
    try Pipeline().process(bytes: bytes, file: SourceFile(path: path, format: .html), id: "page")
  }

  static func article(_ html: String, path: String = "page.html") throws -> Article {
    try article(Array(html.utf8), path: path)
  }

  /// One of the pages in `Fixtures/html/`.
  static func fixture(_ name: String) throws -> Article {
    try article(try Fixture.bytes("html/\(name)"), path: name)
  }
}

/// Where a test page puts its slots of extra markup.
enum PageSlot: Sendable {
  /// Right after `<body>`, before the page's wrapper.
  case top
  /// Inside the article, right after its `<h1>`.
  case articleStart
  /// Inside the article, between its first and second sections.
  case middle
  /// Inside the article, after its last paragraph.
  case articleEnd
  /// A sibling of the article's container (`<main>` or `div#primary`), as sidebars are.
  case beside
  /// After the page's wrapper, before `</body>`.
  case bottom
}

/// How a test page marks up its article: with HTML5's `<main>` and `<article>`, or only with `<div>`s whose
/// classes a content scorer has to read (as older themes and most CMS templates do).
enum PageLayout: String, Sendable, CaseIterable, CustomTestStringConvertible {
  case semantic
  case divs

  var testDescription: String { rawValue }
}

/// A short article about shingles, built into a whole page around markup placed in `PageSlot`s.
enum ShinglesPage {
  static let title = "Shingles"

  /// The article's headings, paragraphs and list items: every one must be in the extract.
  static let headings = ["Shingles", "Symptoms", "Treatment", "Prevention"]
  static let paragraphs = [
    "Shingles is an infection that causes a painful rash. It is caused by the varicella-zoster virus, the same "
      + "virus that causes chickenpox, which stays in the body after chickenpox and can become active again "
      + "years later.",
    "The first sign is often a tingling or burning feeling in one area of the skin, followed a few days later by "
      + "a rash of fluid-filled blisters on one side of the body, usually on the chest or tummy.",
    "Antiviral medicines such as aciclovir can help you recover faster if you start taking them within three "
      + "days of the rash appearing. Painkillers and cool compresses ease the discomfort while the blisters heal.",
    "A shingles vaccine is offered to older adults and to people with a weakened immune system, and it lowers "
      + "the chance of getting shingles and of long-lasting nerve pain.",
  ]
  static let listItems = ["a headache and feeling generally unwell", "a high temperature"]

  static func html(_ layout: PageLayout, _ slots: [PageSlot: String] = [:]) -> String {
    // The page's wrapper stays open after the article's container, for what stands beside it.
    let (open, close) =
      switch layout {
      case .semantic:
        ("<div class=\"page\">\n<main id=\"main\">\n<article class=\"post\">", "</article>\n</main>")
      case .divs:
        (
          "<div id=\"page\" class=\"site\">\n<div id=\"primary\" class=\"content-area\">\n"
            + "<div class=\"entry-content\">",
          "</div>\n</div>"
        )
      }
    return """
      <!DOCTYPE html>
      <html lang="en">
      <head>
      <meta charset="utf-8">
      <title>Shingles | Example Health</title>
      </head>
      <body>
      \(slots[.top] ?? "")
      \(open)
      <h1>Shingles</h1>
      \(slots[.articleStart] ?? "")
      <p>\(paragraphs[0])</p>
      <h2>Symptoms</h2>
      <p>\(paragraphs[1])</p>
      <p>You may also have:</p>
      <ul><li>\(listItems[0])</li><li>\(listItems[1])</li></ul>
      \(slots[.middle] ?? "")
      <h2>Treatment</h2>
      <p>\(paragraphs[2])</p>
      <h2>Prevention</h2>
      <p>\(paragraphs[3])</p>
      \(slots[.articleEnd] ?? "")
      \(close)
      \(slots[.beside] ?? "")
      </div>
      \(slots[.bottom] ?? "")
      </body>
      </html>
      """
  }

  /// Records an issue for every heading, paragraph or list item of the article missing from `article`.
  static func expectWholeArticle(in article: Article, sourceLocation: SourceLocation = #_sourceLocation) {
    for heading in headings {
      #expect(
        article.blocks.contains { $0.kind == .heading && $0.text == heading }, "heading '\(heading)' missing",
        sourceLocation: sourceLocation)
    }
    for paragraph in paragraphs {
      #expect(
        article.blocks.contains { $0.kind == .paragraph && $0.text == paragraph },
        "paragraph missing: \(paragraph.prefix(60))…", sourceLocation: sourceLocation)
    }
    for item in listItems {
      #expect(
        article.blocks.contains { $0.kind == .listItem && $0.text == item }, "list item '\(item)' missing",
        sourceLocation: sourceLocation)
    }
  }
}

/// What a part of a fixture page is, with phrases that only that part holds.
struct PagePart: Sendable, CustomTestStringConvertible {
  /// The fixture's file name in `Fixtures/html/`.
  var fixture: String
  /// What the part is: a kind of boilerplate (`cookie banner`) or of content (`table`).
  var what: String
  var phrases: [String]
  /// For content: the kind of block each phrase must be the whole text of (nil: the phrases are in the text).
  var block: BlockKind?
  init(_ fixture: String, _ what: String, _ phrases: [String], as block: BlockKind? = nil) {
    self.fixture = fixture
    self.what = what
    self.phrases = phrases
    self.block = block
  }

  var testDescription: String { "\(fixture): \(what)" }
}
