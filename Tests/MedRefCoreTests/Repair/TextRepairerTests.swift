import Testing

@testable import MedRefText
@testable import MedRefWeb

@Suite("Repairing encoding damage")
struct TextRepairerTests {
  let repairer = TextRepairer()

  /// UTF-8 text decoded as Windows-1252: the classic mojibake, made here rather than typed.
  static func mojibake(_ text: String) -> String {
    SingleByteEncoding.windows1252.decode(Array(text.utf8))
  }

  @Test(
    "UTF-8 read as Windows-1252 is decoded back exactly",
    arguments: ["don’t", "café", "“quoted”", "an em — dash", "naïve résumé", "5 €", "• bullet", "Ελληνικά", "Привет"])
  func windows1252Mojibake(original: String) {
    let damaged = Self.mojibake(original)
    #expect(damaged != original)
    let repaired = repairer.repair("Text: \(damaged) end")
    #expect(repaired.text == "Text: \(original) end")
    // Windows-1252 leaves 0x9D (the last byte of ”) undefined; it decodes to a C1 control, as Latin-1 would.
    #expect(!repaired.repairs.isEmpty)
    for repair in repaired.repairs {
      let hasC1 = repair.from.unicodeScalars.contains { (0x80...0x9F).contains($0.value) }
      #expect(repair.exact)
      #expect(repair.rule == (hasC1 ? "utf8-as-latin1" : "utf8-as-windows-1252"))
    }
  }

  @Test("UTF-8 read as Latin-1 (C1 controls kept) is decoded back and named as such")
  func latin1Mojibake() {
    let damaged = String(String.UnicodeScalarView("don’t".utf8.map { Unicode.Scalar($0) }))
    #expect(damaged.unicodeScalars.contains { (0x80...0x9F).contains($0.value) })
    let repaired = repairer.repair(damaged)
    #expect(repaired.text == "don’t")
    #expect(repaired.repairs.map(\.rule) == ["utf8-as-latin1"])
  }

  @Test("Text encoded wrongly twice is repaired in two passes")
  func doubleEncoding() {
    let twice = Self.mojibake(Self.mojibake("café – don’t"))
    let repaired = repairer.repair(twice)
    #expect(repaired.text == "café – don’t")
    #expect(repaired.repairs.count >= 2)
  }

  @Test("The sample article's lossy damage is guessed and marked as not exact")
  func lossyC1Deleted() {
    let repaired = repairer.repair("specialized tests arenât usually recommended. Howeverâ¦ it isnât")
    #expect(repaired.text == "specialized tests aren’t usually recommended. However… it isn’t")
    #expect(repaired.repairs.count == 3)
    #expect(repaired.repairs.allSatisfy { !$0.exact && $0.rule == "lossy-latin1-c1" })
  }

  @Test("Lossy symbols: bullet, euro, comparison signs")
  func lossySymbols() {
    let repaired = repairer.repair("â¢ item costs â¬5, x â¥ 3, y â¤ 2")
    #expect(repaired.text == "• item costs €5, x ≥ 3, y ≤ 2")
  }

  @Test("A sequence whose byte was already lost to U+FFFD or '?' becomes one U+FFFD, marked as not exact")
  func lostBytes() {
    let repaired = repairer.repair("a â€\u{FFFD}lossyâ€\u{FFFD} b, ItÃ?Â¢s")
    // The second closes a word: the closing quote, the one reading that fits there.
    #expect(repaired.text == "a \u{FFFD}lossy” b, It\u{FFFD}¢s")
    #expect(repaired.repairs.contains { !$0.exact })
    // A question mark after an accented letter is just a question mark.
    #expect(repairer.repair("café? Ã?").text == "café? Ã?")
  }

  @Test(
    "Clean text is never changed",
    arguments: [
      "NÃO", "pâte", "£5", "x² ≥ 0", "Þetta er íslenska", "Tiếng Việt có dấu", "ÎNVĂȚĂMÂNT în România",
      "It’s “fine” — really…", "Fuß“ and „Öl“", "«CAFÉ»", "Château cât bât", "plain ASCII & friends",
      "AT&T; R&D", "&unknown; & &", "crème brûlée", "1 ¼ cups", "©2024",
    ])
  func cleanText(text: String) {
    let repaired = repairer.repair(text)
    #expect(repaired.text == text)
    #expect(repaired.repairs.isEmpty)
  }

  @Test("HTML entities left in plain text are decoded, double escapes too; C1 references mean Windows-1252")
  func entities() {
    let repaired = repairer.repair("don&rsquo;t &amp;rsquo;x&amp;rsquo; &#8217; &#x2019; &#146; &nbsp;|")
    #expect(repaired.text == "don’t ’x’ ’ ’ ’ \u{A0}|")
    #expect(repaired.repairs.allSatisfy { $0.rule == "html-entity" && $0.exact })
  }

  @Test("Entities that would break a line, or are not entities, stay as they are")
  func entitiesThatStay() {
    for text in ["line&#10;break", "cr&#13;", "nul&#0;", "&#xD800;", "&notanentity;", "& amp;", "&#99999999;"] {
      #expect(repairer.repair(text).text == text, "\(text)")
    }
  }

  @Test("In HTML source only double-escaped entities are collapsed; the parser decodes the rest")
  func markupMode() {
    let html = "<p title=\"a&amp;b\">It&amp;rsquo;s &rsquo; &amp; <a href=\"?x=1&amp;copy=2\">x</a></p>"
    let repaired = repairer.repair(html, mode: .markup)
    #expect(repaired.text == "<p title=\"a&amp;b\">It&rsquo;s &rsquo; &amp; <a href=\"?x=1&amp;copy=2\">x</a></p>")
    #expect(repaired.repairs.map(\.rule) == ["double-escaped-entity"])
  }

  @Test("Replaying the explanation on the original reproduces the repaired text")
  func replay() throws {
    let original =
      try Fixture.text("back-spasms.txt") + "\n" + Self.mojibake(Self.mojibake("“twice” café"))
      + " it&amp;rsquo;s Howeverâ¦ €"
    let repaired = repairer.repair(original)
    #expect(repaired.repairs.count >= 5)
    #expect(RepairedText.replay(repaired.repairs, on: original) == repaired.text)
    // A repair whose offset does not point at its text is caught.
    var wrong = repaired.repairs
    wrong[0].offset += 1
    #expect(RepairedText.replay(wrong, on: original) == nil)
  }
}

@Suite("Normalizing a stream line by line")
struct LineNormalizerTests {
  @Test("The line count is kept, lines split on \\n only, invalid UTF-8 lines read as Windows-1252")
  func lines() {
    var input = Array("donâ€™t\nclean line\r\nkeep\u{85}inside\n".utf8)
    input += [0x69, 0x74, 0x92, 0x73, 0x0A]  // "it’s" in Windows-1252
    input += Array("Howeverâ¦".utf8)
    var explanations: [LineNormalizer.LineExplanation] = []
    let output = LineNormalizer().normalize(input) { explanations.append($0) }
    let text = String(decoding: output, as: UTF8.self)
    // U+0085 does not end a line; as a C1 control left in text it is Windows-1252's ellipsis.
    #expect(text == "don’t\nclean line\r\nkeep…inside\nit’s\nHowever…")
    #expect(output.filter { $0 == 0x0A }.count == input.filter { $0 == 0x0A }.count)
    #expect(explanations.map(\.line) == [1, 3, 5])
    #expect(explanations.last?.repairs.first?.exact == false)
  }

  @Test("A trailing newline stays; empty input stays empty")
  func edges() {
    #expect(LineNormalizer().normalize(Array("a\n\n".utf8)) == Array("a\n\n".utf8))
    #expect(LineNormalizer().normalize([]) == [])
  }
}
