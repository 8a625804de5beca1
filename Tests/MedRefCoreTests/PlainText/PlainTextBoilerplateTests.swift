import Testing

@testable import MedRefExtraction

/// Boilerplate in pasted web text: each kind on lines written the way sites print them, placed in a small article
/// so that the tests see what the parser keeps and what it records.
@Suite("Boilerplate in pasted plain text")
struct PlainTextBoilerplateTests {
  let parser = PlainTextParser()

  /// An article with `lines` between its first paragraph and its second section, each line a paragraph of its own.
  static func article(around lines: [String]) -> String {
    (["Shin Splints", "", "Shin splints are pain along the inner edge of the shinbone.", ""]
      + lines.flatMap { [$0, ""] }
      + ["How Are Shin Splints Treated", "", "Rest, ice and a slow return to running help most people."])
      .joined(separator: "\n")
  }

  /// Checks that every one of `lines` is left out as `kind`, recorded with its line number, and that the
  /// article's own text, headings and sections are untouched.
  func expectDropped(_ lines: [String], as kind: String, sourceLocation: SourceLocation = #_sourceLocation) {
    let document = parser.parse(Self.article(around: lines))
    #expect(document.dropped.map(\.text) == lines, sourceLocation: sourceLocation)
    #expect(document.dropped.map(\.kind) == Array(repeating: kind, count: lines.count), sourceLocation: sourceLocation)
    // Line 5 is the first boilerplate line; each is followed by a blank line.
    #expect(document.dropped.map(\.line) == lines.indices.map { 5 + 2 * $0 }, sourceLocation: sourceLocation)
    #expect(document.droppedBoilerplate == lines.count, sourceLocation: sourceLocation)
    #expect(
      document.text == """
        Shin Splints
        Shin splints are pain along the inner edge of the shinbone.
        How Are Shin Splints Treated
        Rest, ice and a slow return to running help most people.
        """, sourceLocation: sourceLocation)
  }

  /// Checks that `lines` (content that resembles boilerplate) are all kept.
  func expectKept(_ lines: [String], sourceLocation: SourceLocation = #_sourceLocation) {
    let document = parser.parse(Self.article(around: lines))
    #expect(document.dropped.map(\.text) == [], sourceLocation: sourceLocation)
    for line in lines {
      #expect(document.blocks.contains { $0.text == line }, "\(line)", sourceLocation: sourceLocation)
    }
  }

  // MARK: - One test per kind

  @Test("Author bios: a name, 'Dr.' or a credit opening a paragraph of professional cues")
  func bio() {
    expectDropped(
      [
        "Dr. Maria Lopez is a board-certified sports medicine physician with 12 years of experience. She "
          + "specializes in running injuries and writes about exercise for several health sites.",
        "Daniel Okafor, PT, DPT, is a licensed physical therapist based in Leeds. He received his doctorate from "
          + "the University of Salford and has been treating athletes since 2009.",
        "This article was co-authored by Priya Shah, MD, MPH. Priya Shah is a board-certified family physician at "
          + "Riverside Clinic, where she has practised for 15 years. She received her medical degree from the "
          + "University of Toronto.",
        "About the author",
        "Sam Reed is a health writer and editor. He has written for newspapers and magazines for over a decade.",
      ], as: "bio")
  }

  @Test("View counters")
  func viewCount() {
    expectDropped(
      ["This article has been viewed 74,840 times.", "Viewed 1.2k times", "12,408 views"], as: "view-count")
  }

  @Test("Reader ratings: 'X% of readers found this article helpful', 'reader-approved'")
  func readerRating() {
    expectDropped(
      [
        "85% of readers found this article helpful.", "91% of people who voted found this article helpful",
        "Reader-Approved",
        "wikiHow marks an article as reader-approved once it receives enough positive feedback.",
      ], as: "reader-rating")
  }

  @Test("Reference counts: 'There are 12 references cited in this article'")
  func referencesCount() {
    expectDropped(
      [
        "There are 12 references cited in this article, which can be found at the bottom of the page.",
        "There are 3 sources cited in this article.",
      ], as: "references-count")
  }

  @Test("Credits: 'Co-authored by …', 'Medically reviewed by …'")
  func credit() {
    expectDropped(
      [
        "Co-authored by Jane Doe, MD", "Medically reviewed by Tom Grey, DPT — Written by Ann Lee",
        "This article was written by the Editorial Team.", "Fact checked by a physiotherapist",
        "This article was medically reviewed by Anna Berg, MD. Anna is a family physician and a medical writer.",
      ], as: "credit")
  }

  @Test("Bylines: 'By Jane Doe, MD', 'By the … Team | Updated … | 6 min read'")
  func byline() {
    expectDropped(
      [
        "By Jane Doe, MD", "By the HealthyBones Editorial Team | Updated 12 June 2024 | 6 min read",
        "By Mayo Clinic Staff",
      ], as: "byline")
  }

  @Test("Dates: 'Last Updated: …', 'Published on …', a date alone")
  func date() {
    expectDropped(
      [
        "Last Updated: March 29, 2023", "Published on 2 Feb 2021", "Updated 12/03/2024", "September 2014",
        "Posted: 3 days ago",
      ], as: "date")
  }

  @Test("Reading times")
  func readTime() {
    expectDropped(["6 min read", "Reading time: 4 minutes"], as: "read-time")
  }

  @Test("'Sources' before citations is left out with them; 'References' before text stays")
  func references() {
    let document = parser.parse(
      Self.article(around: [
        "Sources", "1. Smith J, et al. Medial tibial stress syndrome. Sports Med. 2012;42(10):891-905.",
        "↑ https://www.example.org/shin-splints", "Shin splints. Accessed June 3, 2024.",
      ]))
    #expect(document.dropped.map(\.kind) == ["references", "citation", "citation", "citation"])
    #expect(document.dropped.map(\.line) == [5, 7, 9, 11])
    #expect(document.blocks.contains { $0.text == "How Are Shin Splints Treated" && $0.kind == .heading })
    // A label at the end of the text, with nothing after it, is boilerplate too.
    #expect(parser.parse("Shin Splints\n\nRest helps.\n\nReferences:\n").dropped.map(\.kind) == ["references"])
    // A label followed by text (not citations) is kept: it may be a real heading.
    let kept = parser.parse("Shin Splints\n\nReferences\n\nThis page was written from the leaflets listed below.\n")
    #expect(kept.dropped.isEmpty)
    #expect(kept.blocks.map(\.text).contains("References"))
  }

  @Test("Advertisements")
  func advertisement() {
    expectDropped(
      ["Advertisement", "— ADVERTISEMENT —", "Story continues below advertisement", "Sponsored Content"],
      as: "advertisement")
  }

  @Test("Share bars")
  func share() {
    expectDropped(
      [
        "Share this article", "Share on Facebook | Share on X | Email | Print",
        "Share this article: Facebook | X | Email",
        "Facebook Twitter Pinterest Email",
      ], as: "share")
  }

  @Test("Subscription and newsletter prompts")
  func subscribe() {
    expectDropped(
      [
        "Click here to subscribe", "Sign up for our free weekly newsletter and get health tips by email.",
        "Subscribe to our newsletter", "Get the latest health news delivered straight to your inbox.",
        "Enter your email address", "Log in",
      ], as: "subscribe")
  }

  @Test("Cookie notices")
  func cookie() {
    expectDropped(
      [
        "We use cookies to improve your experience. By continuing to browse, you agree to our use of cookies.",
        "Accept all cookies", "Cookie settings",
      ], as: "cookie")
  }

  @Test("Legal links")
  func legal() {
    expectDropped(["Privacy Policy | Terms of Use | Contact Us"], as: "legal")
  }

  @Test("Copyright lines")
  func copyright() {
    expectDropped(
      ["© 2024 HealthSite Media Ltd.", "Copyright 2019 Example Health. All rights reserved.", "All Rights Reserved."],
      as: "copyright")
  }

  @Test("Feedback prompts")
  func feedback() {
    expectDropped(["Was this article helpful? Yes / No", "Did you find this information useful?"], as: "feedback")
  }

  @Test("Related links and tags")
  func related() {
    expectDropped(
      [
        "Related: Allergies | COPD | Hay Fever", "Tags: foot pain, heel pain, running injuries", "Related Articles",
        "Read more: How to choose running shoes", "You may also like",
      ], as: "related")
  }

  @Test("Breadcrumbs")
  func breadcrumb() {
    expectDropped(
      ["Home > Health Topics > Bones And Joints > Shin Splints", "Health A–Z › Sports Injuries › Shin splints"],
      as: "breadcrumb")
  }

  @Test("Navigation")
  func navigation() {
    expectDropped(["Skip to main content", "Table of Contents"], as: "navigation")
  }

  // MARK: - Lookalikes that are content

  @Test("Medical sentences that resemble boilerplate are kept")
  func medicalLookalikes() {
    expectKept([
      "Sources of vitamin D include oily fish, eggs and fortified cereals.",
      "Advertisement of tobacco to children is banned in many countries.",
      "Share your symptoms with your doctor, including when they started.",
      "About 85% of patients found the splint helpful within a month.",
      "There are 3 types of shin splints.",
      "By age 5, most children can hop on one foot.",
      "By the time symptoms appear, the stress fracture may be weeks old.",
      "Updated guidelines recommend screening from age 45.",
      "Cut down on cookies, cakes and sugary drinks.",
      "Avoid foods that are high in fat, such as biscuits and cookies.",
      "Your X-ray will be reviewed by a radiologist.",
      "Patients who were viewed as high risk had an MRI.",
      "Read the label before you take any medicine.",
      "Click the heel gently with a reflex hammer to test the nerve.",
      "Home treatment includes rest, ice and compression.",
      "Related conditions include stress fractures and compartment syndrome.",
      "The foundation publishes a quarterly newsletter for families.",
      "Register for the trial at your local clinic.",
      "Rest for 5 minutes between sets.",
      "Email your care team if the pain gets worse.",
      "In Center",
      "Home",
    ])
  }

  @Test("Medical paragraphs that open like a bio are kept")
  func bioLookalikes() {
    expectKept([
      "Multiple Sclerosis is a chronic disease of the central nervous system. MS is diagnosed with an MRI, and "
        + "researchers at the University of Oxford are studying new treatments.",
      "Dr. Chaudhary says the muscles act together in a bracing fashion to protect the spine.",
      "She has been taking ibuprofen for years of back pain, and her doctor referred her to a clinic.",
      "John is a 45-year-old teacher who has been having heel pain. He received a steroid injection last year.",
      "Plantar Fasciitis is a common cause of heel pain. A licensed podiatrist can diagnose it from your symptoms.",
      "He or she will ask about your symptoms. His or her questions help find the cause of the pain.",
    ])
  }

  @Test("A line that goes on a dropped line's sentence is dropped with it; a new sentence is not")
  func continuation() {
    let document = parser.parse(
      """
      Shin Splints

      We use cookies to improve your experience and
      to show you relevant advertising.
      Shin splints are pain along the shinbone.
      """)
    #expect(document.dropped.map(\.line) == [3, 4])
    #expect(document.dropped.map(\.kind) == ["cookie", "cookie"])
    #expect(document.text == "Shin Splints\nShin splints are pain along the shinbone.")
  }

  @Test("Boilerplate before the title does not take the title's place; list items can be boilerplate")
  func boilerplateAroundTheTitle() {
    let document = parser.parse(
      """
      Skip to content
      Home › Conditions › Gout
      Gout: Symptoms And Treatment

      • Share on Facebook
      • Swollen, red joints
      """)
    #expect(document.title == "Gout: Symptoms And Treatment")
    #expect(document.dropped.map(\.line) == [1, 2, 5])
    #expect(document.blocks.map(\.text) == ["Gout: Symptoms And Treatment", "Swollen, red joints"])
  }
}
