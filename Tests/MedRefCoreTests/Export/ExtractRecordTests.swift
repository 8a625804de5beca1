import Foundation
import Testing

@testable import MedRefBase
@testable import MedRefExtraction
@testable import MedRefText

/// The typed document in extract objects (`blocks`): headings with their level, paragraphs, lists with their
/// items (grouped and nested), tables with their cells, quotes and preformatted text, each with its source line.
@Suite("Blocks in the extract object")
struct ExtractBlocksTests {
  /// The extract object of `text` read as a plain-text file, as JSON.
  static func extract(_ text: String) throws -> [String: Any] {
    let article = try Pipeline().process(
      bytes: Array(text.utf8), file: SourceFile(path: "knee.txt", format: .plainText), id: "knee")
    let json = ExtractRecord(article).jsonLine
    return try #require(try JSONSerialization.jsonObject(with: Data(json.utf8)) as? [String: Any])
  }

  static let article = """
    Knee Pain: Causes And Treatment

    Knee pain is common in runners.

    What Causes Knee Pain

    Common causes include:

      • Overuse
          ◦ Running too far too soon
          ◦ Jumping sports
      • Injury
      • Arthritis
    1. See a doctor if the knee is hot
    2. Rest it meanwhile

    Home care:
    - Ice the knee
    This article has been viewed 12,408 times.
    - Raise the leg
    """

  @Test("Headings keep their level, paragraphs their text, and every block its line")
  func headingsAndParagraphs() throws {
    let blocks = try #require(try Self.extract(Self.article)["blocks"] as? [[String: Any]])
    #expect(
      blocks.map { $0["type"] as? String } == [
        "heading", "paragraph", "heading", "paragraph", "list", "list", "heading", "list",
      ])
    #expect(blocks.map { $0["line"] as? Int } == [1, 3, 5, 7, 9, 14, 17, 18])
    #expect(blocks[0]["text"] as? String == "Knee Pain: Causes And Treatment")
    #expect(blocks[0]["level"] as? Int == 1)
    #expect(blocks[2]["text"] as? String == "What Causes Knee Pain")
    #expect(blocks[2]["level"] as? Int == 2)
    #expect(blocks[6]["text"] as? String == "Home care")
    #expect(blocks[6]["level"] as? Int == 3)
    #expect(blocks[1]["text"] as? String == "Knee pain is common in runners.")
    // Keys a type does not use are left out.
    #expect(blocks[1]["level"] == nil && blocks[1]["items"] == nil && blocks[1]["rows"] == nil)
    #expect(blocks[0]["items"] == nil && blocks[0]["ordered"] == nil)
  }

  @Test("Consecutive list items make one list; deeper items nest in the item before them; numbers start a new list")
  func lists() throws {
    let blocks = try #require(try Self.extract(Self.article)["blocks"] as? [[String: Any]])
    let bullets = blocks[4]
    #expect(bullets["ordered"] as? Bool == false)
    #expect(bullets["text"] == nil)
    let items = try #require(bullets["items"] as? [[String: Any]])
    #expect(items.map { $0["text"] as? String } == ["Overuse", "Injury", "Arthritis"])
    #expect(items.map { $0["line"] as? Int } == [9, 12, 13])
    let nested = try #require(items[0]["list"] as? [String: Any])
    #expect(nested["type"] as? String == "list")
    #expect(nested["line"] as? Int == 10)
    let nestedItems = try #require(nested["items"] as? [[String: Any]])
    #expect(nestedItems.map { $0["text"] as? String } == ["Running too far too soon", "Jumping sports"])
    #expect(items[1]["list"] == nil)

    let numbered = blocks[5]
    #expect(numbered["ordered"] as? Bool == true)
    let steps = try #require(numbered["items"] as? [[String: Any]])
    #expect(steps.map { $0["text"] as? String } == ["See a doctor if the knee is hot", "Rest it meanwhile"])
  }

  @Test("A boilerplate line between two items does not split their list")
  func boilerplateInsideAList() throws {
    let object = try Self.extract(Self.article)
    let blocks = try #require(object["blocks"] as? [[String: Any]])
    let homeCare = try #require(blocks.last?["items"] as? [[String: Any]])
    #expect(homeCare.map { $0["text"] as? String } == ["Ice the knee", "Raise the leg"])
    #expect(homeCare.map { $0["line"] as? Int } == [18, 20])
    #expect(!(object["text"] as? String ?? "").contains("viewed"))
  }

  @Test("`text` is still the blocks' text, one per line, nested items included")
  func textUnchanged() throws {
    let object = try Self.extract(Self.article)
    #expect(
      object["text"] as? String == """
        Knee Pain: Causes And Treatment
        Knee pain is common in runners.
        What Causes Knee Pain
        Common causes include:
        Overuse
        Running too far too soon
        Jumping sports
        Injury
        Arthritis
        See a doctor if the knee is hot
        Rest it meanwhile
        Home care
        Ice the knee
        Raise the leg
        """)
  }

  @Test("Table rows make one table of cells; empty cells keep their column")
  func tables() throws {
    let html = """
      <html><body><article>
      <h1>Gout medicines</h1>
      <p>Medicines used for gout attacks and for lowering uric acid over the long term.</p>
      <table>
        <tr><th>Medicine</th><th>Use</th><th>Note</th></tr>
        <tr><td>Colchicine</td><td>Attacks</td><td></td></tr>
        <tr><td>Allopurinol</td><td>Prevention</td><td>Start low</td></tr>
      </table>
      <p>Ask your doctor which is right for you.</p>
      </article></body></html>
      """
    let article = try Pipeline().process(
      bytes: Array(html.utf8), file: SourceFile(path: "gout.html", format: .html), id: "gout")
    let records = ExtractRecord(article).blocks
    #expect(records.map(\.type) == ["heading", "paragraph", "table", "paragraph"])
    #expect(
      records[2].rows == [
        ["Medicine", "Use", "Note"], ["Colchicine", "Attacks", ""], ["Allopurinol", "Prevention", "Start low"],
      ])
    #expect(records[2].text == nil && records[2].items == nil)
    // The article text keeps the ` | `-joined rows.
    #expect(article.text.contains("Medicine | Use | Note\nColchicine | Attacks\nAllopurinol | Prevention | Start low"))
  }

  @Test("Quotes and preformatted text are blocks of their own type")
  func quotesAndPreformatted() {
    let records = ExtractRecord.blockRecords([
      Block(.heading, "Asthma", level: 1, line: 2), Block(.quote, "Good control is the goal.", line: 4),
      Block(.preformatted, "PEF = 450 L/min", line: 6), Block(.tableRow, "a | b"),
    ])
    #expect(records.map(\.type) == ["heading", "quote", "preformatted", "table"])
    #expect(records[1].text == "Good control is the goal." && records[1].line == 4)
    #expect(records[2].text == "PEF = 450 L/min" && records[2].line == 6)
    // A row without cells (from an older index) is one cell; an unknown line stays out of the JSON.
    #expect(records[3].rows == [["a | b"]])
    #expect(!JSONOutput.line(records[3]).contains("line"))
  }
}
