import Foundation
import Testing

@testable import MedRefExtraction
@testable import MedRefPresentation
@testable import MedRefSearch
@testable import MedRefWeb

/// The one view of an article that `medref show` and the web's article page lay out, and the text of search
/// results.
@Suite("ArticleView and SearchReport")
struct ArticleViewTests {
  static func entity(
    _ text: String, _ type: EntityType = .symptom, hpo: String? = nil, normalized: String? = nil, flag: Bool = false
  ) -> Entity {
    Entity(text: text, type: type, start: 0, end: text.utf8.count, hpo: hpo, normalized: normalized, redFlag: flag)
  }

  /// An article with an introduction, nested sections, a risk-factors section and repeated entities.
  static let article = Article(
    id: "gout", path: "gout.txt", title: "Gout", metadata: DocumentMetadata(), encoding: "utf-8",
    encodingReason: "valid UTF-8", repairs: [], text: "",
    sections: [
      Section(heading: "", level: 2, kind: .overview, confidence: 0.5, cues: [], text: "Gout is arthritis.", items: []),
      Section(
        heading: "Symptoms", level: 2, kind: .symptoms, confidence: 0.9, cues: ["heading: symptom*"], text: "",
        items: ["Fever", "Tingling"],
        entities: [
          entity("Fever", hpo: "HP:0001945", flag: true),
          entity("tingling", hpo: "HP:0003401", normalized: "Paresthesia"),
          entity("fever", hpo: "HP:0001945", flag: true), entity("pins and needles", normalized: "paresthesia"),
          entity("Ibuprofen", .medication, normalized: "ibuprofen"),
        ]),
      Section(
        heading: "At night", level: 3, kind: .symptoms, confidence: 0.6, cues: [], text: "Pain wakes you.",
        items: [], entities: [entity("pain", hpo: "HP:0012531")]),
      Section(
        heading: "Risk factors", level: 2, kind: .riskFactors, confidence: 0.8, cues: [], text: "Being male.",
        items: [], entities: [entity("FEVER", flag: true)]),
    ], contentHash: "", diagnostics: [])

  @Test("Sections: numbered, headings as shown, the headings above them, kind labels, entities once")
  func sections() {
    let view = ArticleView(Self.article)
    #expect(view.sections.map(\.number) == [1, 2, 3, 4])
    #expect(view.sections.map(\.heading) == ["(introduction)", "Symptoms", "At night", "Risk factors"])
    #expect(view.sections.map(\.path) == [[], [], ["Symptoms"], []])
    #expect(view.sections.map(\.kindLabel) == ["overview", "symptoms", "symptoms", "risk factors"])
    // "fever" again and "pins and needles" (also paresthesia) are the same terms; the medication is another type.
    #expect(
      view.sections[1].entities.map(\.description) == [
        "Fever (HP:0001945)", "tingling → Paresthesia (HP:0003401)", "Ibuprofen",
      ])
    #expect(view.sections[1].entities(of: .medication).map(\.description) == ["Ibuprofen"])
    #expect(view.entities.map(\.entity.text) == ["Fever", "tingling", "Ibuprofen", "pain"])
  }

  @Test("Red flags: every mention with its section for the web page, each wording once for show")
  func redFlags() throws {
    let view = ArticleView(Self.article)
    #expect(view.redFlags.map(\.entity.entity.text) == ["Fever", "fever", "FEVER"])
    #expect(view.redFlags.map(\.section) == [1, 1, 3])
    #expect(view.distinctRedFlags.map(\.entity.entity.text) == ["Fever"])

    let report = ArticleReport(width: 100).render(Self.article)
    #expect(report.contains("  ! Fever (HP:0001945) — in “Symptoms”\n"))
    #expect(report.components(separatedBy: "\n  ! ").count == 2, "one red-flag line")
    #expect(report.contains("\nRISK FACTORS\n  Risk factors  [0.80]\n"))
    #expect(report.contains("\n  Symptoms › At night  [0.60]\n"))
    #expect(report.contains("  (introduction)  [0.50]\n"))

    let page = WebPages.article(Self.article).markup
    #expect(page.components(separatedBy: "<li><mark class=\"flag\">").count == 4, "three red-flag mentions")
    #expect(page.contains("<mark class=\"flag\">FEVER</mark> — <a href=\"#s4\">Risk factors</a></li>"))
    #expect(page.contains("<a href=\"#s1\">(introduction)</a> <span class=\"kind kind-overview\">overview</span>"))
    #expect(page.contains("<span class=\"kind kind-risk_factors\">risk factors</span> Risk factors</h3>"))
    #expect(page.contains("<span class=\"type\">symptom</span> tingling → Paresthesia <a class=\"hpo\""))
    #expect(page.components(separatedBy: "<li class=\"entity ").count == 6, "Fever, tingling, Ibuprofen, pain, FEVER")
  }

  static func response(facets: [String: Int]? = nil) -> SearchResponse {
    let mark = (Searcher.highlightStart, Searcher.highlightEnd)
    return SearchResponse(
      query: "gout\nrisk", interpreted: "gout risk", suggestions: ["gout risks"], total: 7,
      results: [
        SearchResponse.ArticleHit(
          id: "gout", path: "gout.txt", title: "Gout", score: 3.5, match: .all,
          sections: [
            SearchResponse.SectionHit(
              heading: "", kind: .overview, snippet: "\(mark.0)Gout\(mark.1) is\narthritis", score: 2),
            SearchResponse.SectionHit(
              heading: "Risk factors", kind: .riskFactors, snippet: "men \(mark.0)risk\(mark.1)", score: 1),
          ], symptoms: ["fever", "pain"]),
        SearchResponse.ArticleHit(
          id: "a\nb", path: "a.txt", title: "Other", score: 0.25, match: .someTerms, sections: [], symptoms: nil),
      ], facets: facets)
  }

  @Test("Search results as text: numbered from the offset, headings as shown, highlights by the style")
  func searchReport() {
    let plain = SearchReport().render(Self.response(facets: ["symptoms": 2, "overview": 1]), offset: 3)
    #expect(
      plain == """
        Did you mean: gout risks? (misspelt words were also searched as suggested)
        4. Gout  gout  score 3.5
           names: fever, pain
           (introduction) [overview]
             [Gout] is arthritis
           Risk factors [riskFactors]
             men [risk]
        — articles with some of the words —
        5. Other  a\\nb  score 0.25
        articles by section kind: symptoms 2, overview 1
        2 of 7 articles (4–5); searched for: gout risk

        """)
    let ansi = SearchReport(style: .ansi).render(Self.response(), offset: 0)
    #expect(ansi.contains("1. \u{1B}[1mGout\u{1B}[0m  \u{1B}[2mgout  score 3.5\u{1B}[0m\n"))
    #expect(ansi.contains("     \u{1B}[1;33mGout\u{1B}[0m is arthritis\n"))
    var empty = Self.response()
    empty.results = []
    empty.suggestions = []
    #expect(SearchReport().render(empty, offset: 0) == "No results for gout\\nrisk (searched for: gout risk).\n")
  }
}
