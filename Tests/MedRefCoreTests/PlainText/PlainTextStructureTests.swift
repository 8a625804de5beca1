import Testing

@testable import MedRefExtraction

/// Headings told by their shape and page furniture told by its features, on small pages written for the tests.
@Suite("Plain text: heading shapes and page furniture")
struct PlainTextStructureTests {
  let parser = PlainTextParser()

  func headings(_ document: Document) -> [String] {
    document.blocks.filter { $0.kind == .heading }.map(\.text)
  }

  func dropped(_ document: Document, as kind: String) -> [String] {
    document.dropped.filter { $0.kind == kind }.map(\.text)
  }

  // MARK: - Numbered sub-headings

  @Test("A numbered line in upper case, or capitalised over prose, is a level-3 sub-heading; a run of items is a list")
  func numberedSubHeadings() {
    let document = parser.parse(
      """
      Gout

      Treatment Of Gout

      1. DRINK ENOUGH FLUIDS
      Water helps the kidneys clear uric acid, so most people are told to drink two litres a day or more.

      2. Rest the painful joint
      Keeping weight off the joint for a few days while the attack settles eases the pain and the swelling.

      II. Medicines For An Attack

      Anti-inflammatory drugs taken early in an attack shorten it, and colchicine is an option for many people.

      Foods to limit include:
      1. Red meat
      2. Shellfish
      3. Beer
      """)
    let subHeadings = document.blocks.filter { $0.kind == .heading && $0.level == 3 }.map(\.text)
    #expect(subHeadings == ["1. DRINK ENOUGH FLUIDS", "2. Rest the painful joint", "II. Medicines For An Attack"])
    let items = document.blocks.filter { $0.kind == .listItem }
    #expect(items.map(\.text) == ["Red meat", "Shellfish", "Beer"])
    #expect(items.allSatisfy { $0.ordered })
  }

  @Test("A numbered sentence, or a numbered line followed by the next item, stays a list item")
  func numberedItems() {
    let document = parser.parse(
      """
      Shin Splints

      1. Ice the shin for fifteen minutes.
      2. Calf stretch
      3. Towel stretch
      """)
    #expect(document.blocks.filter { $0.kind == .listItem }.count == 3)
    #expect(headings(document) == ["Shin Splints"])
  }

  // MARK: - Tab labels and their twins

  @Test("An upper-case tab label and the same heading in other case are one heading, glued text kept")
  func tabLabelTwins() {
    let document = parser.parse(
      """
      GOUT
      GoutAlso known as gouty arthritis
      OVERVIEW
      OverviewGout is a form of arthritis caused by crystals of uric acid in a joint.
      SYMPTOMS OF GOUT

      Symptoms Of Gout
      The big toe swells and turns red, often at night.
      1. SUDDEN PAIN
      1. Sudden painThe joint hurts within hours.
      """)
    #expect(headings(document) == ["Gout", "Overview", "Symptoms Of Gout", "1. Sudden pain"])
    #expect(document.blocks.filter { $0.kind == .heading }.map(\.level) == [1, 2, 2, 3])
    let paragraphs = document.blocks.filter { $0.kind == .paragraph }.map(\.text)
    #expect(
      paragraphs == [
        "Also known as gouty arthritis", "Gout is a form of arthritis caused by crystals of uric acid in a joint.",
        "The big toe swells and turns red, often at night.", "The joint hurts within hours.",
      ])
    #expect(dropped(document, as: "heading-twin") == ["Gout", "Overview", "Symptoms Of Gout", "1. Sudden pain"])
  }

  @Test("An upper-case line over a sentence that starts with the same word is not a twin")
  func notATwin() {
    let document = parser.parse(
      """
      GOUT

      Gout is a form of arthritis caused by crystals of uric acid in a joint.
      """)
    #expect(document.dropped.isEmpty)
    #expect(document.blocks.contains { $0.text.hasPrefix("Gout is a form of arthritis") })
  }

  // MARK: - Calls to action

  static let gout = """
    Gout

    Gout is a form of arthritis. Gout attacks come on suddenly and gout pain peaks within a day.

    Suspect that your swollen toe is gout? A uric acid test confirms gout.Book Test Here

    Treating Gout

    Anti-inflammatory drugs ease a gout attack, and colchicine helps when gout flares often.
    Explore Joint Care Products

    Preventing Gout

    Get Vaccinated

    Vaccination against flu is advised for people with chronic gout who take steroids often.
    """

  @Test("Calls to action are dropped — a button glued to a sentence, a button above a heading — and recorded")
  func callsToAction() {
    let document = parser.parse(Self.gout)
    #expect(dropped(document, as: "call-to-action") == ["Book Test Here", "Explore Joint Care Products"])
    #expect(document.text.contains("A uric acid test confirms gout.\n"))
    #expect(!document.text.contains("Explore"))
  }

  @Test("A capitalised imperative over text on its words is a heading, not a button")
  func imperativeHeadingKept() {
    let document = parser.parse(Self.gout)
    #expect(headings(document).contains("Get Vaccinated"))
  }

  // MARK: - Closing blocks

  @Test("A closing block that does not name the subject (feedback, subscribe, disclaimer) is dropped, glued or not")
  func closingBlock() {
    let document = parser.parse(
      """
      Gout

      Gout is a form of arthritis. Gout attacks come on suddenly and gout pain peaks within a day or so.

      Treating Gout

      Most gout attacks settle in a week with rest and anti-inflammatory drugs taken early.Was our page useful?\
      Tell us how we can do better.Share your feedbackSubscribe to our newsletter

      Disclaimer: the information here does not replace the advice of a physician.

      --- REFERENCES ---

      - Smith J. Arthritis care. J Rheum. 2019;12:1-9.
      """)
    #expect(
      dropped(document, as: "closing") == [
        "Was our page useful?Tell us how we can do better.Share your feedbackSubscribe to our newsletter",
        "Disclaimer: the information here does not replace the advice of a physician.",
      ])
    #expect(document.text.hasSuffix("anti-inflammatory drugs taken early."))
    #expect(dropped(document, as: "citation").count == 1)
  }

  @Test("The article's own closing advice in its voice, without a closing word, stays")
  func closingAdviceKept() {
    let document = parser.parse(
      """
      Gout

      Gout is a form of arthritis. Gout attacks come on suddenly and gout pain peaks within a day or so.

      Most gout attacks settle in a week with rest and anti-inflammatory drugs taken early.

      We recommend that you speak with your healthcare provider about the treatment options for you.
      """)
    #expect(document.dropped.isEmpty)
  }

  // MARK: - Pages dumped whole

  static let dump = """
    Skip to main content
      • Home
      • About Us
      • Health Topics
      • Contact Us
    Search this site: [          ]

    Cholera

    Cholera is a bacterial disease of the intestine. Cholera spreads through water or food that carries
    the germ, and cholera outbreaks follow floods and the breakdown of clean water supplies in camps.

    What are the symptoms of cholera?

    Most people with cholera have mild diarrhea. Severe cholera causes these signs within a few hours:

      • Watery diarrhea
      • Vomiting
      • Leg cramps

    Quick Links

      • Annual Reports
      • Press Releases
      • Job Openings
      • Board Meetings

    How is cholera treated?

    Cholera is treated by replacing the water and salts the body loses; oral rehydration solution treats
    most cholera cases, and people with severe cholera need fluids through a vein and antibiotics.

    Related Sites
      • State Government
      • Federal Agencies
    Privacy Policy
    Copyright 2014 Department of Health
    """

  @Test("In a page dump, the menus before the article, a link rail inside it and the footer are dropped")
  func pageDump() {
    let document = parser.parse(Self.dump)
    // "About Us" and "Contact Us" are legal links by the line rules; the rest of the menu goes by its place.
    #expect(dropped(document, as: "page-header") == ["• Home", "• Health Topics"])
    #expect(dropped(document, as: "legal") == ["• About Us", "• Contact Us", "Privacy Policy"])
    #expect(
      dropped(document, as: "menu") == ["Quick Links"]
        + ["Annual Reports", "Press Releases", "Job Openings", "Board Meetings"].map { "• " + $0 })
    #expect(
      dropped(document, as: "page-footer") == ["Related Sites"]
        + ["State Government", "Federal Agencies"].map { "• " + $0 })
    #expect(
      headings(document) == ["Cholera", "What are the symptoms of cholera?", "How is cholera treated?"])
    // The article's own list, introduced by its lead-in, stays.
    #expect(
      document.blocks.filter { $0.kind == .listItem }.map(\.text) == ["Watery diarrhea", "Vomiting", "Leg cramps"])
  }

  @Test("The same article without the page around it loses nothing")
  func cleanArticleKept() {
    let document = parser.parse(
      """
      Cholera

      Cholera is a bacterial disease of the intestine. Cholera spreads through water or food that carries the germ.

      What are the symptoms of cholera?

      Most people with cholera have mild diarrhea. Severe cholera causes these signs within a few hours:

      - Watery Diarrhea
      - Vomiting
      - Leg Cramps

      Useful Contacts
      - Local Health Department
      - Poison Control Center
      - Travel Clinic
      """)
    #expect(document.dropped.isEmpty)
  }
}
