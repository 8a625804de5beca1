import Foundation
import Testing

@testable import MedRefSearch

/// The searcher over a real index of the sample article and a small gout page (`IndexTests.Setup`).
@Suite("Searching: synonyms, spelling, exclusions, tiers, ranking")
struct SearcherTests {
  static func searcher() throws -> (IndexTests.Setup, Searcher) {
    let setup = try IndexTests.Setup()
    _ = try setup.ingest()
    return (setup, Searcher(store: setup.store))
  }

  static let open = Searcher.highlightStart
  static let close = Searcher.highlightEnd

  @Test("'pins and needles' finds the sample article's symptoms through tingling (Paresthesia, HP:0003401)")
  func pinsAndNeedles() throws {
    let (_, searcher) = try Self.searcher()
    let response = try searcher.search(SearchRequest(text: "pins and needles", kinds: [.symptoms]))
    let hit = try #require(response.results.first)
    #expect(hit.id == "corpus/back-spasms")
    #expect(hit.sections.first?.heading == "What Are The Symptoms Of The Lower Back Muscle Spasm")
    // The article never says "pins and needles": the snippet shows the words it does use.
    #expect(hit.sections.first?.snippet.contains("\(Self.open)tingling\(Self.close)") == true, "\(hit)")
    #expect(response.interpreted == "(\"pins and needles\" OR paresthesia) [symptoms]")
  }

  @Test("A misspelt word is searched as the index word it most likely meant, and suggested")
  func spelling() throws {
    let (_, searcher) = try Self.searcher()
    let response = try searcher.search(SearchRequest(text: "numbnes in legs"))
    #expect(response.suggestions == ["numbness in legs"])
    #expect(response.results.first?.id == "corpus/back-spasms")
    #expect(response.interpreted.hasPrefix("(numbnes OR numbness)"))
    // Known words get no suggestion; neither does a word nothing is near.
    #expect(try searcher.search(SearchRequest(text: "numbness")).suggestions.isEmpty)
    #expect(try searcher.search(SearchRequest(text: "qqqqzzzz")).suggestions.isEmpty)
  }

  @Test("-word leaves out sections with it; kind:word keeps only sections of that kind")
  func exclusionAndKinds() throws {
    let (_, searcher) = try Self.searcher()
    let pain = try searcher.search(SearchRequest(text: "pain"))
    #expect(Set(pain.results.map(\.id)) == ["corpus/back-spasms", "corpus/gout"])
    // Every section of the gout page has "Gout" in its title column.
    #expect(try searcher.search(SearchRequest(text: "pain -gout")).results.map(\.id) == ["corpus/back-spasms"])
    let symptoms = try searcher.search(SearchRequest(text: "symptoms:pain"))
    #expect(!symptoms.results.isEmpty)
    #expect(symptoms.results.allSatisfy { $0.sections.allSatisfy { $0.kind == .symptoms } })
  }

  @Test("Every term first; when that finds too little, the rarer terms with any of them (marked 'some')")
  func relaxation() throws {
    let (_, searcher) = try Self.searcher()
    // No article has both: the second tier finds one for each word.
    let response = try searcher.search(SearchRequest(text: "tingling colchicine"))
    #expect(Set(response.results.map(\.id)) == ["corpus/back-spasms", "corpus/gout"])
    #expect(response.results.allSatisfy { $0.match == .someTerms })
    let both = try searcher.search(SearchRequest(text: "spasm tingling"))
    #expect(both.results.first?.match == .all)
  }

  @Test("A brand finds its generic name; the kind a question asks about ranks first; a named title wins")
  func rankingSignals() throws {
    let (_, searcher) = try Self.searcher()
    // The sample article names acetaminophen and Tylenol; "Panadol" is in neither, but is the same drug.
    let panadol = try searcher.search(SearchRequest(text: "Panadol"))
    #expect(panadol.results.first?.id == "corpus/back-spasms", "\(panadol)")
    let tests = try searcher.search(SearchRequest(text: "what tests diagnose gout"))
    #expect(tests.results.first?.sections.first?.kind == .tests, "\(tests)")
    #expect(tests.results.first?.id == "corpus/gout")
    let named = try searcher.search(SearchRequest(text: "is there pain with gout"))
    #expect(named.results.first?.id == "corpus/gout", "the question names the page's title")
  }

  @Test("An ingest refreshes the vocabulary the planner and the spelling suggestions read")
  func vocabulary() throws {
    let (setup, _) = try Self.searcher()
    let counts = try setup.store.read { try $0.sectionCounts(terms: ["numb", "gout", "colchicin", "zzz"]) }
    #expect((counts["numb"] ?? 0) >= 1)
    #expect((counts["gout"] ?? 0) >= 4, "every section of the gout page has it in its title")
    #expect(counts["colchicin"] == 1)
    #expect(counts["zzz"] == nil)
  }
}
