import Foundation
import Testing

@testable import MedRefIndex

@Suite("The index's read API and its typed FTS5 expressions")
struct IndexReaderTests {
  @Test("Phrases are quoted whatever they hold; prefixes, columns and column sets are written as FTS5 reads them")
  func phrases() {
    #expect(FTS5Expression.word("numbness").text == "\"numbness\"")
    #expect(FTS5Expression.phrase(["say \"hi\""]).text == "\"say \"\"hi\"\"\"")
    #expect(FTS5Expression.phrase(["don't", "x-ray"]).text == "\"don t x ray\"")
    #expect(FTS5Expression.phrase(["spasm"], prefix: true).text == "\"spasm\"*")
    #expect(FTS5Expression.column(.kind, .word("symptoms")).text == "kind : \"symptoms\"")
    #expect(FTS5Expression.columns([.heading, .terms], .word("numb")).text == "{heading terms} : \"numb\"")
    // Words that are FTS5 operators or syntax stay words.
    #expect(
      FTS5Expression.all([.word("NOT"), .word("NEAR("), .word("a:b")]).text == "\"NOT\" AND \"NEAR(\" AND \"a:b\"")
  }

  @Test("Nested operators get the parentheses FTS5's precedence needs; a filter and an exclusion enclose both sides")
  func nesting() {
    let pins = FTS5Expression.either([.phrase(["pins", "and", "needles"]), .word("paresthesia")])
    let feet = FTS5Expression.word("feet")
    #expect(FTS5Expression.all([pins, feet]).text == "(\"pins and needles\" OR \"paresthesia\") AND \"feet\"")
    #expect(
      FTS5Expression.any([.all([feet, .word("hands")]), .word("legs")]).text == "(\"feet\" AND \"hands\") OR \"legs\"")
    #expect(FTS5Expression.either([feet]) == feet, "one alternative is itself")
    #expect(FTS5Expression.column(.title, .all([.word("gout")])).text == "title : (\"gout\")")
    let filtered = FTS5Expression.restricted(feet, to: .any([.column(.kind, .word("symptoms"))]))
    #expect(filtered.text == "(\"feet\") AND (kind : \"symptoms\")")
    #expect(
      FTS5Expression.excluding(filtered, .any([.word("gout"), .phrase(["spasm"], prefix: true)])).text
        == "((\"feet\") AND (kind : \"symptoms\")) NOT (\"gout\" OR \"spasm\"*)")
    #expect(pins.phrases == [["pins", "and", "needles"], ["paresthesia"]])
    #expect(FTS5Expression.column(.terms, .word("0000414")).isFiltered(to: .terms))
    #expect(!FTS5Expression.columns([.heading, .terms], .word("x")).isFiltered(to: .terms))
  }

  @Test("Reads of an ingested index: counts, documents, texts, matches, ranking and marked words")
  func reads() throws {
    let setup = try IndexTests.Setup()
    _ = try setup.ingest()
    try setup.store.read { reader in
      let total = try reader.sectionCount()
      #expect(total > 4)
      var placed: [String: Set<String>] = [:]
      try reader.forEachSection { _, document, kind in placed[document, default: []].insert(kind) }
      #expect(placed.values.reduce(0) { $0 + $1.count } <= total)
      #expect(placed["corpus/gout"]?.contains("treatment") == true, "\(placed)")
      #expect(Set(try reader.titles().map(\.id)) == ["corpus/back-spasms", "corpus/gout"])
      #expect(try reader.documents(ids: ["corpus/gout", "corpus/none"]).mapValues(\.title) == ["corpus/gout": "Gout"])
      #expect(try reader.documents(ids: []).isEmpty)

      // Matches: the gout page's treatment section has colchicine; the ranked rows say the same.
      var colchicine: [Int64] = []
      try reader.forEachMatch(.word("colchicine")) { colchicine.append($0) }
      #expect(colchicine.count == 1)
      let weights = IndexReader.ColumnWeights(title: 1, heading: 1, terms: 1, text: 1)
      var ranked: [(Int64, Double)] = []
      try reader.forEachRanked(.any([.word("gout"), .word("colchicine")]), weights: weights, limit: 3) {
        ranked.append(($0, $1))
      }
      #expect(ranked.count == 3)
      #expect(zip(ranked, ranked.dropFirst()).allSatisfy { $0.1 >= $1.1 }, "best first")
      #expect(try reader.rankedByFTS5(.word("gout"), limit: 2).count == 2)
      let texts = try reader.sectionTexts(ids: colchicine, characters: 10)
      #expect(texts[colchicine[0]]?.text == "Colchicine")
      #expect(texts[colchicine[0]]?.entities.hasPrefix("[") == true)

      // The vocabulary: the counts of terms, and of a prefix's terms.
      let counts = try reader.sectionCounts(terms: ["colchicin", "zzz"])
      #expect(counts == ["colchicin": 1])
      var terms = 0
      try reader.forEachTerm { _, sections in
        terms += 1
        #expect(sections >= 1)
      }
      let prefixed = try reader.terms(prefixed: "colch")
      #expect(prefixed.terms == 1 && prefixed.sections == 1)
      #expect(terms > 50)

      // Marked words, one string per column asked for.
      let marked = try reader.marked([.text], matching: .column(.text, .word("colchicine")), limit: 1)
      #expect(marked.count == 1)
      #expect(marked[0].contains("\(IndexReader.markStart)Colchicine\(IndexReader.markEnd)"), "\(marked)")
      #expect(try reader.marked([.heading, .terms], matching: .word("colchicine"), limit: 5).count == 2)
    }
  }

  @Test("A statement is stopped when the check says so, and the connection is usable afterwards")
  func interruption() throws {
    let setup = try IndexTests.Setup()
    _ = try setup.ingest()
    var checks = 0
    #expect(throws: IndexReader.Interrupted.self) {
      try setup.store.read { reader in
        try reader.interruptible(
          every: 1,
          shouldStop: {
            checks += 1
            return checks > 3
          }
        ) {
          try reader.forEachTerm { _, _ in }
        }
      }
    }
    #expect(checks >= 4)
    // Not stopped: the body's value comes back; and the handler is gone once it returns.
    let count = try setup.store.read { reader in
      try reader.interruptible(every: 1, shouldStop: { false }) { try reader.sectionCount() }
    }
    #expect(count > 4)
    #expect(try setup.store.read { try $0.sectionCount() } == count)
  }

  @Test("The stemmer gives the terms the index's tokenizer makes of a word")
  func stems() throws {
    let stems = try QueryStemmer().terms(of: ["numbness", "don't", "the", ""])
    #expect(stems["numbness"] == ["numb"])
    #expect(stems["don't"] == ["don", "t"])
    #expect(stems["the"] == ["the"])
    #expect(stems[""] == [])
  }
}
