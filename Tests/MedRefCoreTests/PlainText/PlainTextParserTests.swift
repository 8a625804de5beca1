import Testing

@testable import MedRefCore

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
        Block(.heading, "Plantar Fasciitis", level: 1), Block(.heading, "Treatment Options", level: 2),
        Block(.listItem, "Rest the foot"), Block(.listItem, "Ice the heel"), Block(.listItem, "Stretch daily"),
        Block(.listItem, "Calf stretch"), Block(.listItem, "Towel stretch"),
        Block(.paragraph, "Most people recover within a year with simple care."),
        Block(.paragraph, "-5 degrees is not a bullet"),
      ])
  }

  @Test("The sample article: its title, headings and bullets are found")
  func sampleArticle() throws {
    let document = parser.parse(try Fixture.text("back-spasms.txt"))
    #expect(document.title == "How To Help Lower Back Spasms")
    let headings = document.blocks.filter { $0.kind == .heading }.map(\.text)
    #expect(headings.count == 23)  // the title and 22 section headings
    for expected in [
      "How Is Lumbar Strain Diagnosed", "What Are The Symptoms Of The Lower Back Muscle Spasm", "Causes Of Back Spasms",
      "Why you should NOT move", "Is It Sciatica Pain", "How To Do Leg Lifts",
    ] {
      #expect(headings.contains(expected), "\(expected)")
    }
    #expect(!headings.contains { $0.hasPrefix("Common causes") })
    #expect(document.blocks.filter { $0.kind == .listItem }.count == 39)
    #expect(document.blocks.contains(Block(.listItem, "You feel pain in the spasm area.")))
  }
}
