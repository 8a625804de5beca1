import Foundation
import Testing

@testable import MedRefExtraction

/// Text rendered from laid-out pages: side-by-side columns, line ends of other systems, headings that kept only
/// their blank lines, and the reader sections after an article; small pages written for the tests.
@Suite("Plain text: columns, line ends, stand-alone headings and the article's end")
struct PlainTextColumnTests {
  let parser = PlainTextParser()

  func texts(_ document: Document, _ kind: BlockKind) -> [String] {
    document.blocks.filter { $0.kind == kind }.map(\.text)
  }

  // MARK: - Side-by-side columns

  /// A menu column beside an article column, as a text browser prints a two-column layout table, then a line as
  /// wide as the page.
  static let twoColumns = """
                          Gout
    * Arthritis
    * Asthma              Gout is a form of arthritis that causes sudden attacks of pain,
    * Back Pain           swelling and redness in a joint, most often the big toe.
    * Diabetes
    * Headache            What causes gout?
    * Migraine
    * Heart Health        Gout happens when uric acid builds up in the blood and forms
                          sharp crystals in a joint. Red meat, shellfish and beer raise
    Related Links         the level of uric acid in the body.
    * Kidney Stones
                          How is gout treated?

                          Anti-inflammatory medicines and rest ease an attack, and
                          medicines that lower uric acid prevent new attacks.

    Most people with gout lead normal lives when they take their medicine and change their diet.
    """

  @Test("Columns side by side are read one after the other: headings alone, paragraphs whole, source lines kept")
  func twoColumnsUnfolded() {
    let document = parser.parse(Self.twoColumns)
    let headings = document.blocks.filter { $0.kind == .heading }
    #expect(headings.map(\.text).contains("What causes gout?"))
    #expect(headings.map(\.text).contains("How is gout treated?"))
    #expect(headings.first { $0.text == "What causes gout?" }?.line == 6)
    let paragraphs = texts(document, .paragraph)
    #expect(
      paragraphs.contains(
        "Gout happens when uric acid builds up in the blood and forms sharp crystals in a joint. Red meat, shellfish"
          + " and beer raise the level of uric acid in the body."))
    #expect(
      paragraphs.contains(
        "Gout is a form of arthritis that causes sudden attacks of pain, swelling and redness in a joint, most often"
          + " the big toe."))
    // The line as wide as the page is not cut at the edge.
    #expect(
      paragraphs.last
        == "Most people with gout lead normal lives when they take their medicine and change their diet.")
    // No menu word is glued to the article's text.
    #expect(!document.blocks.contains { $0.text.contains("Headache What") || $0.text.contains("Health Gout") })
  }

  @Test("A data table of short cells keeps its rows; double spaces between sentences are not columns")
  func tablesAndSpacingKept() {
    let document = parser.parse(
      """
      Gout Medicines

      Medicine        Dose
      Ibuprofen       400 mg
      Naproxen        500 mg
      Colchicine      0.5 mg
      Allopurinol     100 mg

      Gout is painful.  It often starts at night in the big toe.  Rest
      helps.  Ice helps too.  Most attacks settle within a week or two
      when treated early.  A doctor can  prescribe medicines that
      lower uric acid.  Drink plenty of  water every day.
      """)
    let paragraphs = texts(document, .paragraph)
    #expect(paragraphs.contains("Ibuprofen 400 mg"))
    #expect(paragraphs.contains("Allopurinol 100 mg"))
    #expect(
      paragraphs.contains { $0.hasPrefix("Gout is painful. It often starts at night") && $0.hasSuffix("every day.") })
  }

  @Test("Unfolding keeps every word of every column")
  func unfoldingLosesNothing() {
    let document = parser.parse(Self.twoColumns)
    let kept = (document.blocks.map(\.text) + document.dropped.map(\.text)).joined(separator: " ")
    let keptWords = kept.split(separator: " ").map { $0.trimmingCharacters(in: .punctuationCharacters) }
      .filter { !$0.isEmpty }.sorted()
    let sourceWords = Self.twoColumns.split(whereSeparator: { $0 == " " || $0 == "\n" })
      .map { $0.trimmingCharacters(in: .punctuationCharacters) }.filter { !$0.isEmpty }.sorted()
    #expect(keptWords == sourceWords)
  }

  // MARK: - Line ends

  @Test("Windows (CRLF) and old Mac (CR) line ends split lines like LF")
  func lineEnds() {
    let lf = "Back Pain\n\nBack pain is common in adults.\n\nSymptoms\n\nPain in the lower back that gets worse.\n"
    let expected = parser.parse(lf)
    #expect(texts(expected, .heading) == ["Back Pain", "Symptoms"])
    for separator in ["\r\n", "\r"] {
      let document = parser.parse(lf.replacingOccurrences(of: "\n", with: separator))
      #expect(document.blocks == expected.blocks, "line end \(separator.debugDescription)")
    }
  }

  // MARK: - Stand-alone headings in sentence case

  @Test("A short capitalised line alone between blank lines, prose under it, is a heading in sentence case")
  func standaloneHeadings() {
    let document = parser.parse(
      """
      Measles

      Measles is a very contagious disease caused by a virus that spreads through the air when people cough.

      Signs and symptoms

      Measles starts with a high fever, a runny nose, a cough and red, watery eyes, and a rash follows days later.

      Common signs

      - Fever
      - Rash

      Photo credit: CDC
      Children under five are at most risk of complications from measles, so vaccination of every child matters.

      See a doctor at once.

      A child with measles who has trouble breathing or is very drowsy needs to see a doctor the same day.
      """)
    let headings = texts(document, .heading)
    #expect(headings == ["Measles", "Signs and symptoms"])
  }

  // MARK: - The article's end

  static let pageWithComments = """
    Home | Health A-Z | Contact Us
    Skip to content

    Measles

    Measles is a very contagious disease caused by a virus; measles spreads through the air when people cough.

    Treatment

    There is no specific treatment for measles: rest, fluids and fever medicine help, and measles in young
    children is treated with vitamin A.

    Leave a Reply

    Great article about measles, my son had measles last year and his fever lasted for five whole days.

    I never knew measles could be so dangerous for children, thanks for writing this, I will share it.

    Measles in Adults

    Adults who catch measles are more often very ill than children, and measles in pregnancy can harm the baby.
    """

  @Test("A reader section heading ends the article; a later heading on the subject with prose under it resumes it")
  func articleEnd() {
    let document = parser.parse(Self.pageWithComments)
    let kept = document.blocks.map(\.text).joined(separator: "\n")
    #expect(!kept.contains("Leave a Reply"))
    #expect(!kept.contains("Great article"))
    #expect(!kept.contains("thanks for writing"))
    #expect(kept.contains("There is no specific treatment for measles"))
    #expect(texts(document, .heading).contains("Measles in Adults"))
    #expect(kept.contains("Adults who catch measles are more often very ill"))
    #expect(document.dropped.contains { $0.text == "Leave a Reply" && $0.kind == "page-footer" })
  }

  @Test("Words of reader sections in a heading on the subject do not end the article")
  func headingOnSubjectKept() {
    let page = Self.pageWithComments.replacingOccurrences(of: "Leave a Reply", with: "Conditions Related to Measles")
    let document = parser.parse(page)
    #expect(texts(document, .heading).contains("Conditions Related to Measles"))
  }
}
