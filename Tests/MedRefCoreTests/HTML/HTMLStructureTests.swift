import Testing

@testable import MedRefExtraction
@testable import MedRefWeb

/// The typed blocks HTML becomes: nested lists with their depth and numbering, table rows with their cells,
/// headings with their levels, quotations, preformatted text, and lists that pages draw with numbers or `•`.
@Suite("HTML structure becomes typed blocks")
struct HTMLStructureTests {
  let parser = HTMLDocumentParser()

  static let intro =
    "Dehydration means your body loses more fluids than you take in, so it does not have enough water to work "
    + "properly. Babies, older people and people with long-term conditions are most at risk."

  /// `markup` inside an article after its title and first paragraph; the blocks after those.
  func blocks(of markup: String, sourceLocation: SourceLocation = #_sourceLocation) throws -> [Block] {
    let html = """
      <!DOCTYPE html>
      <html lang="en"><head><title>Dehydration | Example Health</title></head>
      <body>
      <nav><a href="/">Home</a> <a href="/a-z">Health A to Z</a></nav>
      <main><article>
      <h1>Dehydration</h1>
      <p>\(Self.intro)</p>
      \(markup)
      </article></main>
      <footer><p>© 2024 Example Health</p></footer>
      </body></html>
      """
    let blocks = try parser.parse(html, path: "dehydration.html").blocks
    try #require(
      blocks.prefix(2).map(\.text) == ["Dehydration", Self.intro], "the article's start is missing: \(blocks)",
      sourceLocation: sourceLocation)
    return Array(blocks.dropFirst(2))
  }

  /// A list item as (text, depth, ordered).
  struct Item: Equatable, CustomStringConvertible {
    var text: String
    var depth: Int
    var ordered: Bool
    init(_ text: String, _ depth: Int, _ ordered: Bool) {
      self.text = text
      self.depth = depth
      self.ordered = ordered
    }
    var description: String { "\(String(repeating: "  ", count: depth))\(ordered ? "1." : "•") \(text)" }
  }

  static func items(_ blocks: [Block]) -> [Item] {
    blocks.filter { $0.kind == .listItem }.map { Item($0.text, $0.depth, $0.ordered) }
  }

  // MARK: - Lists

  @Test("Nested lists: each item keeps its depth and whether its own list is numbered")
  func nestedLists() throws {
    let blocks = try blocks(
      of: """
        <h2>Treatment</h2>
        <ul>
          <li>Drink fluids
            <ul>
              <li>Water is best
                <ol>
                  <li>Take small sips</li>
                  <li>Drink a glass <em>every hour</em></li>
                </ol>
              </li>
              <li>Diluted squash</li>
            </ul>
          </li>
          <li>Rest in a cool place</li>
        </ul>
        <p>Most people feel better within a day.</p>
        """)
    #expect(
      Self.items(blocks) == [
        Item("Drink fluids", 0, false),
        Item("Water is best", 1, false),
        Item("Take small sips", 2, true),
        Item("Drink a glass every hour", 2, true),
        Item("Diluted squash", 1, false),
        Item("Rest in a cool place", 0, false),
      ])
    #expect(blocks.first?.kind == .heading && blocks.first?.level == 2)
    #expect(blocks.last?.kind == .paragraph, "text after a list is a paragraph again")
  }

  @Test("A numbered list after a bulleted one: each item says which list it is in")
  func orderedAfterUnordered() throws {
    let blocks = try blocks(
      of: """
        <h2>Symptoms</h2>
        <ul><li>feeling thirsty</li><li>dark yellow, strong-smelling pee</li></ul>
        <h2>What to do</h2>
        <ol><li>Drink more fluids.</li><li>Call 111 if you still feel unwell.</li></ol>
        """)
    #expect(
      Self.items(blocks) == [
        Item("feeling thirsty", 0, false), Item("dark yellow, strong-smelling pee", 0, false),
        Item("Drink more fluids.", 0, true), Item("Call 111 if you still feel unwell.", 0, true),
      ])
  }

  @Test("A list item holding paragraphs stays a list item")
  func itemWithParagraph() throws {
    let blocks = try blocks(
      of: """
        <h2>Causes</h2>
        <ul><li><p><strong>Diarrhoea or vomiting</strong>, for example from a stomach bug.</p></li>
        <li><p>Sweating too much after exercise or in hot weather.</p></li></ul>
        """)
    #expect(
      Self.items(blocks) == [
        Item("Diarrhoea or vomiting, for example from a stomach bug.", 0, false),
        Item("Sweating too much after exercise or in hot weather.", 0, false),
      ])
  }

  // MARK: - Tables

  @Test("Table rows keep their cells in column order, header and empty cells included")
  func table() throws {
    let blocks = try blocks(
      of: """
        <h2>How much to drink</h2>
        <table class="fluids">
          <caption>Daily fluid intake</caption>
          <thead><tr><th>Age</th><th>Fluid per day</th><th>Notes</th></tr></thead>
          <tbody>
            <tr><td>4 to 8 years</td><td>1.1 to 1.3 litres</td><td></td></tr>
            <tr><th scope="row">Adults</th><td><strong>1.5</strong> to 2 litres</td><td>More in hot<br>weather</td></tr>
            <tr><td></td><td> </td><td></td></tr>
          </tbody>
        </table>
        """)
    let rows = blocks.filter { $0.kind == .tableRow }
    #expect(
      rows.map(\.cells) == [
        ["Age", "Fluid per day", "Notes"],
        ["4 to 8 years", "1.1 to 1.3 litres", ""],
        ["Adults", "1.5 to 2 litres", "More in hot weather"],
      ])
    // `text` joins the filled cells.
    #expect(rows.map(\.text)[1] == "4 to 8 years | 1.1 to 1.3 litres")
  }

  @Test("A layout table whose cells hold headings and paragraphs is read as blocks, not as rows")
  func layoutTable() throws {
    let blocks = try blocks(
      of: """
        <table class="layout"><tr>
          <td><h2>Causes</h2><p>You can become dehydrated from being sick, having diarrhoea or sweating a lot.</p></td>
          <td><h2>Prevention</h2><p>Drink more when it is hot and when you are exercising or unwell.</p></td>
        </tr></table>
        """)
    #expect(!blocks.contains { $0.kind == .tableRow })
    #expect(
      blocks.map(\.kind) == [.heading, .paragraph, .heading, .paragraph], "\(blocks.map(\.text))")
  }

  // MARK: - Headings

  @Test("Headings h1 to h6 keep their levels; inline markup is flattened, empty headings are dropped")
  func headingLevels() throws {
    var markup = ""
    for level in 2...6 {
      markup += "<h\(level)>Level <span>\(level)</span> <em>heading</em></h\(level)>\n"
      markup += "<p>Some text under the level \(level) heading, long enough to be a paragraph.</p>\n"
    }
    markup += "<h2>   </h2><h3></h3>\n<p>Text after two empty headings.</p>"
    let blocks = try blocks(of: markup)
    let headings = blocks.filter { $0.kind == .heading }
    #expect(headings.map(\.level) == [2, 3, 4, 5, 6])
    #expect(headings.map(\.text) == (2...6).map { "Level \($0) heading" })
  }

  @Test("A heading with nothing under it at the end of the content is dropped")
  func trailingHeading() throws {
    let blocks = try blocks(of: "<h2>Outlook</h2><p>Most people recover fully.</p>\n<h2>Related links</h2>")
    #expect(blocks.map(\.text) == ["Outlook", "Most people recover fully."])
  }

  // MARK: - Quotations and preformatted text

  @Test("A blockquote is a quote, each of its paragraphs a block; text after it is a paragraph again")
  func blockquote() throws {
    let blocks = try blocks(
      of: """
        <blockquote class="pull-quote">
          <p>“Older people often do not feel thirsty even when they need to drink.”</p>
          <p>“Offer drinks regularly through the day.”</p>
        </blockquote>
        <blockquote>Thirst is a late sign of dehydration.</blockquote>
        <p>Keep a jug of water within reach.</p>
        """)
    #expect(
      blocks.map(\.kind) == [.quote, .quote, .quote, .paragraph], "\(blocks.map { "\($0.kind): \($0.text)" })")
    #expect(blocks.first?.text == "“Older people often do not feel thirsty even when they need to drink.”")
    #expect(blocks.dropFirst(2).first?.text == "Thirst is a late sign of dehydration.")
  }

  @Test("<pre> (with or without <code>) is preformatted text")
  func preformatted() throws {
    let blocks = try blocks(
      of: """
        <p>Oral rehydration solution, if you have no sachets:</p>
        <pre>1 litre of clean water
        6 level teaspoons of sugar
        half a level teaspoon of salt</pre>
        <pre><code>fluid_ml_per_day = 1500 + 20 * (weight_kg - 20)</code></pre>
        <p>Stir until the sugar dissolves.</p>
        """)
    #expect(blocks.map(\.kind) == [.paragraph, .preformatted, .preformatted, .paragraph])
    let recipe = try #require(blocks.dropFirst().first)
    for line in ["1 litre of clean water", "6 level teaspoons of sugar", "half a level teaspoon of salt"] {
      #expect(recipe.text.contains(line))
    }
    #expect(blocks.dropFirst(2).first?.text == "fluid_ml_per_day = 1500 + 20 * (weight_kg - 20)")
  }

  // MARK: - Lists drawn without list markup

  @Test("Numbered paragraphs are numbered list items that keep their numbers")
  func numberedParagraphs() throws {
    let blocks = try blocks(
      of: """
        <h2>Treating a child at home</h2>
        <p>1. Keep breastfeeding or giving formula.</p>
        <p>2) Give small sips of water often.</p>
        <p>10. Do not give fruit juice or fizzy drinks.</p>
        <p>2024. A year is not a number of a step.</p>
        <p>1.5 litres a day is enough for most children.</p>
        """)
    #expect(
      Self.items(blocks) == [
        Item("1. Keep breastfeeding or giving formula.", 0, true),
        Item("2) Give small sips of water often.", 0, true),
        Item("10. Do not give fruit juice or fizzy drinks.", 0, true),
      ])
    #expect(
      blocks.filter { $0.kind == .paragraph }.map(\.text) == [
        "2024. A year is not a number of a step.", "1.5 litres a day is enough for most children.",
      ])
  }

  @Test("Lines of a paragraph split by <br> and drawn with • (or &bull;, ·) are bulleted list items")
  func bulletLines() throws {
    let blocks = try blocks(
      of: """
        <h2>Signs in babies</h2>
        <p>Get help if your baby has:<br>
        • a sunken soft spot on their head<br>
        • few or no tears when they cry<br/>
        • fewer wet nappies</p>
        <p>&bull; drowsiness<br>&bull; cold hands and feet</p>
        <div>· fast breathing<br>· a weak pulse</div>
        """)
    #expect(blocks.first { $0.kind == .paragraph }?.text == "Get help if your baby has:")
    #expect(
      Self.items(blocks) == [
        Item("a sunken soft spot on their head", 0, false), Item("few or no tears when they cry", 0, false),
        Item("fewer wet nappies", 0, false), Item("drowsiness", 0, false), Item("cold hands and feet", 0, false),
        Item("fast breathing", 0, false), Item("a weak pulse", 0, false),
      ])
  }

  // MARK: - Source lines

  @Test("Blocks carry the source line they start on, in reading order")
  func sourceLines() throws {
    let html = """
      <html><body><main>
      <h1>Heat exhaustion</h1>
      <p>Heat exhaustion is not usually serious if you can cool down
      within 30 minutes.</p>
      <ul>
        <li>Move to a cool place.</li>
      </ul>
      <table><tr><td>Temperature</td><td>above 38C</td></tr></table>
      </main></body></html>
      """
    let blocks = try parser.parse(html, path: "heat.html").blocks
    let lines = html.split(separator: "\n", omittingEmptySubsequences: false)
    // The line of each block is the line of the source holding the start of its text.
    for block in blocks {
      let line = try #require(block.line, "no line for \(block.text)")
      let start = String(block.text.prefix { $0 != " " })
      #expect(lines[line - 1].contains(start), "'\(start)' is not on line \(line)")
    }
    #expect(blocks.compactMap(\.line) == [2, 3, 6, 8])
  }
}
