import Testing

@testable import MedRefExtraction

@Suite("Reading pasted plain text")
struct PlainTextParserTests {
  let parser = PlainTextParser()

  @Test(
    "Headings: Title Case lines, questions, labels ending with ':' or '-'",
    arguments: [
      ("How Is Lumbar Strain Diagnosed", 2), ("What Are The Symptoms Of The Lower Back Muscle Spasm", 2),
      ("How to Stretch a Lower Back Spasm", 2), ("What causes asthma?", 2), ("Why you should NOT move:", 3),
      ("Pain Medication For Muscle Spasm Lower Back:", 2), ("Choice Of Conservative Treatment Are As Follows-", 2),
      ("Stretches that help:", 3), ("Symptoms", 2),
      // Questions: long ones with '?', and sentence-case ones without it.
      (
        "What are the symptoms of Amino aciduria with mental deficiency, dwarfism, muscular dystrophy, osteoporosis "
          + "and acidosis ?", 2
      ),
      ("How to recognize and manage pain", 2), ("What makes it better or worse", 2), ("When to see a doctor", 2),
    ] as [(String, Int)])
  func headings(line: String, level: Int) {
    #expect(parser.headingLevel(line) == level)
  }

  @Test(
    "Sentences, lead-ins and long lines are text, not headings",
    arguments: [
      "Dont try to actively work or move until you know the source of the injury.",
      "Common causes of back spasms include:", "Other symptoms of back spasms include:",
      "The medicines that are used in treating back spasms are the following-", "Apply hot fomentation twice daily.",
      "Hold 5 seconds. Lower Your Leg Slowly", "it is a lower case line", "Ok",
      "When you feel pain in your legs", "Have a high fever", "What causes hearing loss? Some possibilities are",
      "Have you ever wondered why your back hurts more in the morning after a night on a soft mattress, even when you "
        + "went to bed without any pain at all?",
    ])
  func notHeadings(line: String) {
    #expect(parser.headingLevel(line) == nil)
  }

  @Test("Bullets and numbered items become list items; wrapped lines join their paragraph")
  func lists() {
    let document = parser.parse(
      """
      Plantar Fasciitis

      Treatment Options

        • Rest the foot
      - Ice the heel
      * Stretch daily
      1. Calf stretch
      2) Towel stretch
      Most people recover within
      a year with simple care.
      -5 degrees is not a bullet
      """)
    #expect(document.title == "Plantar Fasciitis")
    #expect(
      document.blocks == [
        Block(.heading, "Plantar Fasciitis", level: 1, line: 1),
        Block(.heading, "Treatment Options", level: 2, line: 3),
        Block(.listItem, "Rest the foot", line: 5), Block(.listItem, "Ice the heel", line: 6),
        Block(.listItem, "Stretch daily", line: 7), Block(.listItem, "Calf stretch", ordered: true, line: 8),
        Block(.listItem, "Towel stretch", ordered: true, line: 9),
        Block(.paragraph, "Most people recover within a year with simple care.", line: 10),
        Block(.paragraph, "-5 degrees is not a bullet", line: 12),
      ])
  }

  @Test("List items indented deeper than the item before them are nested; going back out closes the level")
  func nestedLists() {
    let document = parser.parse(
      """
      Home Treatment

      • Rest
          ◦ Keep the leg raised
          ◦ Avoid long walks
              - at least for a week
      • Ice
        1. Wrap the ice in a towel
      • Painkillers

      Most people get better.

          • A list after a paragraph starts at the top level again
      """)
    let items = document.blocks.filter { $0.kind == .listItem }
    #expect(
      items.map(\.text) == [
        "Rest", "Keep the leg raised", "Avoid long walks", "at least for a week", "Ice", "Wrap the ice in a towel",
        "Painkillers", "A list after a paragraph starts at the top level again",
      ])
    #expect(items.map(\.depth) == [0, 1, 1, 2, 0, 1, 0, 0])
    #expect(items.map(\.ordered) == [false, false, false, false, false, true, false, false])
    #expect(items.map(\.line) == [3, 4, 5, 6, 7, 8, 9, 13])
  }

  @Test("The sample article: its title, every heading and the bullets are found, with their lines")
  func sampleArticle() throws {
    let document = parser.parse(try Fixture.text("back-spasms.txt"))
    #expect(document.title == "How To Help Lower Back Spasms")
    let headings = document.blocks.filter { $0.kind == .heading }
    // Every heading of the article, as the page had them (Title Case questions without '?', labels ending with
    // ':' or '-'), and nothing else.
    #expect(
      headings.map(\.text) == [
        "How To Help Lower Back Spasms", "Stop Your Activity And Find Immediate Rest",
        "How to Stretch a Lower Back Spasm", "Why you should NOT move", "How Is Lumbar Strain Diagnosed",
        "How To Get Rid Of Extreme Back Spasms In The Morning", "Spasms From Nerve Pressure Or Piriformis Syndrome",
        "Conservative Treatment For Back Spasm", "Choice Of Conservative Treatment For Back Spasm Are As Follows",
        "What Is The Diagnosis Of The Lower Back Muscle Spasm", "Pain Medication For Muscle Spasm Lower Back",
        "How To Do Leg Lifts", "How to Treat Back Spasms", "What Are The Symptoms Of The Lower Back Muscle Spasm",
        "Causes Of Back Spasms", "Muscle Spasm Lower Back", "Is It Sciatica Pain",
        "More Ways To Prevent Future Back Spasms",
        "Hot Fomentation For Sudden Back Spasm", "The Symptoms Of Back Spasms",
        "How Is Ankylosing Spondylitis Managed Or Treated",
        "Getting Rid of Back Spasm with Medical Treatment, Exercises, Home Remedies", "Causes Of Lower Back Spasms",
      ])
    #expect(headings.map(\.level) == [1, 2, 2, 3] + Array(repeating: 2, count: 19))
    #expect(
      headings.map(\.line) == [
        1, 3, 5, 13, 23, 33, 37, 45, 49, 58, 69, 80, 82, 86, 99, 109, 115, 123, 137, 145, 158, 160, 170,
      ])
    // Lead-in sentences ending with ':' or '-' stay text.
    for leadIn in [
      "Common causes of back spasms include:", "The medicines that are used in treating back spasms are the following-",
    ] {
      #expect(document.blocks.contains { $0.kind == .paragraph && $0.text == leadIn }, "\(leadIn)")
    }
    // Every '•' line is a list item, in a bulleted top-level list.
    let items = document.blocks.filter { $0.kind == .listItem }
    #expect(items.count == 39)
    #expect(items.allSatisfy { !$0.ordered && $0.depth == 0 })
    let symptom = try #require(items.first { $0.text == "You feel pain in the spasm area." })
    #expect(symptom.line == 88)
    #expect(items.first?.line == 27 && items.last?.line == 168)
  }

  @Test("The sample article: the author bio and its counters are left out, recorded with their line")
  func sampleArticleBoilerplate() throws {
    let document = parser.parse(try Fixture.text("back-spasms.txt"))
    #expect(document.dropped.map(\.line) == [35])
    #expect(document.dropped.map(\.kind) == ["bio"])
    #expect(document.dropped.first?.text.hasPrefix("This article was co-authored by Steve Horney") == true)
    #expect(document.droppedBoilerplate == 1)
    for gone in ["Steve Horney", "reader-approved", "74,840", "references cited"] {
      #expect(!document.text.contains(gone), "\(gone)")
    }
    // The heading the bio stood under stays, and so does the text around it.
    #expect(document.text.contains("How To Get Rid Of Extreme Back Spasms In The Morning\nSpasms From Nerve Pressure"))
  }
}
