import Foundation
import Testing

@testable import MedRefBase
@testable import MedRefExtraction
@testable import MedRefIndex
@testable import MedRefText
@testable import MedRefWeb

@Suite("Compact JSON lines for extract objects")
struct CompactJSONTests {
  @Test("The sample article's extract is byte for byte what JSONEncoder writes")
  func sampleArticle() throws {
    let article = try Pipeline().process(
      bytes: Fixture.bytes("back-spasms.txt"), file: SourceFile(path: "Corpus/back-spasms.txt", format: .plainText),
      id: "Corpus/back-spasms")
    let record = ExtractRecord(article)
    #expect(!record.blocks.isEmpty && !record.sections.isEmpty && !record.repairs.isEmpty)
    #expect(record.jsonLine == EncoderReference.line(record))
  }

  @Test("An HTML page with lists, nested lists, a table, metadata and awkward characters matches JSONEncoder")
  func htmlPage() throws {
    let html = """
      <html lang="en"><head><title>Gout / "Podagra" \\ Site</title><meta name="author" content="Dr. A/B">
      <meta property="article:published_time" content="2024-01-02"></head><body><article>
      <h1>Gout</h1><p>Tab\tand quote " and backslash \\ and slash / and control \u{1} and é — 痛風.</p>
      <h2>Treatment</h2><ul><li>Rest<ul><li>Raise the leg</li></ul></li><li>Ice</li></ul><ol><li>One</li></ol>
      <table><tr><th>Drug</th><th></th></tr><tr><td>Colchicine</td><td>Attacks</td></tr></table>
      <blockquote>A quotation of some length, kept as a quote.</blockquote><pre>line one</pre>
      </article></body></html>
      """
    let article = try Pipeline().process(
      bytes: Array(html.utf8), file: SourceFile(path: "gout.html", format: .html), id: "gout")
    let record = ExtractRecord(article)
    #expect(record.blocks.contains { $0.type == "table" } && record.blocks.contains { $0.type == "list" })
    #expect(record.jsonLine == EncoderReference.line(record))
  }

  @Test("Entities, with and without an HP id and a canonical name, red flag or not, match JSONEncoder")
  func entities() throws {
    let article = try Pipeline().process(
      bytes: Fixture.bytes("back-spasms.txt"), file: SourceFile(path: "Corpus/back-spasms.txt", format: .plainText),
      id: "Corpus/back-spasms")
    var record = ExtractRecord(article)
    let found = record.sections.flatMap(\.entities)
    #expect(found.contains { $0.hpo != nil } && found.contains { $0.hpo == nil } && found.contains(where: \.redFlag))
    record.sections[0].entities = [
      Entity(
        text: "tingling \"x\"", type: .symptom, start: 0, end: 11, hpo: "HP:0003401",
        normalized: "Paresthesia", redFlag: true),
      Entity(text: "ice", type: .procedure, start: 20, end: 23),
      Entity(text: "Motrin", type: .medication, start: 30, end: 36, normalized: "ibuprofen"),
    ]
    let line = record.jsonLine
    #expect(line == EncoderReference.line(record))
    #expect(line.contains(#"{"end":23,"red_flag":false,"start":20,"text":"ice","type":"procedure"}"#))
  }

  @Test("Doubles: integral ones without a fraction, others as Swift prints them")
  func doubles() {
    for (number, expected) in [
      (1.0, "1"), (0.95, "0.95"), (100.0, "100"), (0.30000000000000004, "0.30000000000000004"),
    ] {
      var json = CompactJSON()
      json.value(number)
      #expect(json.string == expected)
      #expect(EncoderReference.line([number]) == "[\(expected)]")
      #expect(JSONOutput.line([number]) == "[\(expected)]")
    }
  }
}

@Suite("What the index stores")
struct StoredColumnsTests {
  static func articles() throws -> [Article] {
    let html = """
      <html lang="en"><head><title>Gout</title><meta name="author" content="Dr. A/B"></head><body><article>
      <h1>Gout</h1><p>Quote " backslash \\ control \u{1} é — 痛風.</p><ul><li>Rest<ul><li>Raise it</li></ul></li></ul>
      <table><tr><th>Drug</th><th></th></tr><tr><td>Colchicine</td><td>Attacks</td></tr></table></article></body></html>
      """
    return [
      try Pipeline().process(
        bytes: Fixture.bytes("back-spasms.txt"), file: SourceFile(path: "back-spasms.txt", format: .plainText),
        id: "back-spasms"),
      try Pipeline().process(bytes: Array(html.utf8), file: SourceFile(path: "gout.html", format: .html), id: "gout"),
    ]
  }

  @Test("Blocks, metadata, repairs and string lists are written as JSONEncoder writes them")
  func sameAsEncoder() throws {
    for article in try Self.articles() {
      #expect(StoredJSON.blocks(article.blocks) == EncoderReference.line(article.blocks))
      #expect(StoredJSON.metadata(article.metadata) == EncoderReference.line(article.metadata))
      #expect(StoredJSON.repairs(article.repairs) == EncoderReference.line(article.repairs))
      for section in article.sections {
        #expect(StoredJSON.strings(section.items) == EncoderReference.line(section.items))
        #expect(StoredJSON.strings(section.cues) == EncoderReference.line(section.cues))
      }
    }
  }

  @Test("Entities stored as positional arrays come back whole, and the keyed form of older indexes is read too")
  func entities() throws {
    let article = try Self.articles()[0]
    let section = try #require(article.sections.first { $0.entities.contains { $0.hpo != nil && $0.redFlag } })
    let stored = StoredEntities.encode(section.entities)
    #expect(stored.utf8.count * 2 < CompactJSON.array(section.entities).utf8.count, "less than half the keyed form")
    #expect(StoredEntities.decode(stored, text: section.text) == section.entities)
    #expect(StoredEntities.decode(CompactJSON.array(section.entities), text: section.text) == section.entities)
    #expect(StoredEntities.decode("[]", text: section.text).isEmpty)
    #expect(StoredEntities.decode("[[0, 999999, \"symptom\", null, null, 0]]", text: "short").isEmpty)
  }
}
