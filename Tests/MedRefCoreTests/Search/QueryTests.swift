import Testing

@testable import MedRefBase
@testable import MedRefExtraction
@testable import MedRefIndex
@testable import MedRefSearch

@Suite("Reading queries and planning FTS5 expressions")
struct QueryTests {
  @Test(
    "Terms: words, quoted phrases (an unclosed quote runs to the end), prefixes, exclusions, kind filters",
    arguments: [
      ("numbness", ["numbness"]), ("Numbness in LEGS", ["numbness", "in", "legs"]),
      ("\"lower back\" spasm*", ["\"lower back\"", "spasm*"]), ("\"unbalanced", ["\"unbalanced\""]),
      ("spasm -back", ["spasm", "-back"]), ("x-ray", ["x-ray"]), ("don't", ["don't"]), ("Crohn’s", ["crohn's"]),
      ("NEAR(", ["near"]), ("a AND (b OR c)", ["a", "and", "b", "or", "c"]),
      ("col:term ^first", ["col", "term", "first"]),
      ("symptoms:numbness", ["numbness"]), ("-\"back pain\" ache", ["-\"back pain\"", "ache"]), ("café", ["café"]),
      ("well-being -- x", ["well-being", "x"]),
    ] as [(String, [String])])
  func terms(text: String, expected: [String]) throws {
    let query = try Query(text)
    let shown = query.terms.map { term in
      (term.excluded ? "-" : "") + (term.quoted ? "\"" + term.words.joined(separator: " ") + "\"" : term.words.joined())
        + (term.prefix ? "*" : "")
    }
    #expect(shown == expected)
  }

  @Test("kind:term filters by section kind, by its name or a synonym (diagnosis: is tests)")
  func kindFilters() throws {
    #expect(try Query("symptoms:numbness").kinds == [.symptoms])
    #expect(try Query("diagnosis:mri treatment:\"physical therapy\"").kinds == [.tests, .treatment])
    #expect(try Query("risk-factors:smoking").kinds == [.riskFactors])
    #expect(try Query("colour:red").kinds == [])
  }

  @Test(
    "A query with nothing to search for is refused with a message",
    arguments: ["", "   ", "\"\"", "()", "*", "-- ;", "\"(\"", "\")\"", "::", "symptoms:"])
  func unusable(text: String) {
    #expect(throws: MedRefError.unusableQuery(query: text, reason: "nothing to search for; type some words")) {
      try Query(text)
    }
  }

  @Test("Only exclusions is refused too: say what to search for")
  func onlyExclusions() {
    #expect(
      throws: MedRefError.unusableQuery(query: "-pain -ache", reason: "only exclusions; say what to search for as well")
    ) {
      try Query("-pain -ache")
    }
  }

  @Test("Every word reaches FTS5 quoted; operators typed are words; quotes inside can never end the string")
  func safeExpressions() throws {
    let plan = SearchPlan(try Query("a \"b (c\" OR d NEAR(e) -f* col:x"), kinds: [], extractor: nil)
    // "a" and "or" are stop words; the rest are quoted terms, the exclusion a quoted prefix.
    #expect(
      plan.expression(.all)?.text == "(\"b c\" AND \"d\" AND \"near\" AND \"e\" AND \"col\" AND \"x\") NOT (\"f\"*)")
    // An unclosed quote runs to the end.
    #expect(SearchPlan(try Query("a \"b (c OR"), kinds: [], extractor: nil).expression(.all)?.text == "\"b c or\"")
    #expect(SearchPlan.phrase(["say \"hi\""]).text == "\"say \"\"hi\"\"\"")
  }

  @Test("Stop words are dropped from questions, kept when they are all there is")
  func stopWords() throws {
    let plan = SearchPlan(try Query("What is the cause of gout?"), kinds: [], extractor: nil)
    #expect(plan.expression(.all)?.text == "\"gout\"")
    #expect(plan.askedKind == .causes)
    #expect(plan.groups.map(\.display) == ["cause", "gout"])
    #expect(plan.groups.map(\.optional) == [true, false])
    let only = SearchPlan(try Query("to be or not"), kinds: [], extractor: nil)
    #expect(only.expression(.all)?.text == "\"to\" AND \"be\" AND \"or\" AND \"not\"")
  }

  @Test("The words that name a kind rank sections of that kind and are not required")
  func askedKind() throws {
    let tests = SearchPlan(try Query("what tests diagnose lumbar strain"), kinds: [], extractor: nil)
    #expect(tests.askedKind == .tests)
    #expect(tests.expression(.all)?.text == "\"lumbar\" AND \"strain\"")
    #expect(tests.interpreted == "lumbar AND strain (asks about tests: tests, diagnose)")
    #expect(SearchPlan(try Query("treatment for gout"), kinds: [], extractor: nil).askedKind == .treatment)
    // A query of only kind words still searches them.
    #expect(SearchPlan(try Query("symptoms"), kinds: [], extractor: nil).expression(.all)?.text == "\"symptoms\"")
  }

  @Test("Contractions match with or without the apostrophe (FTS5 indexes don't as don t)")
  func contractions() throws {
    let typed = SearchPlan(try Query("\"dont\" worry"), kinds: [], extractor: nil)
    #expect(typed.groups[0].alternatives.map(\.text) == ["\"dont\""], "quoted words are kept as written")
    // Contractions are stop words in questions; alone they are searched, in both forms.
    #expect(
      SearchPlan(try Query("cant"), kinds: [], extractor: nil).groups[0].alternatives.map(\.text) == [
        "\"cant\"", "\"can t\"",
      ])
    #expect(
      SearchPlan(try Query("can't"), kinds: [], extractor: nil).groups[0].alternatives.map(\.text) == [
        "\"can t\"", "\"cant\"",
      ])
    #expect(SearchPlan(try Query("can't sleep"), kinds: [], extractor: nil).expression(.all)?.text == "\"sleep\"")
  }

  @Test("Symptoms, tests and drugs the lexicons know are also searched by their normalised name")
  func synonyms() throws {
    let plan = SearchPlan(try Query("pins and needles in my feet"), kinds: [], extractor: .shared)
    let group = try #require(plan.groups.first)
    #expect(group.alternatives.map(\.text) == ["\"pins and needles\"", "\"paresthesia\""])
    #expect(group.entityNames.contains("HP:0003401"))
    // "feet" is WordNet's "pes" (a lay-vocabulary synonym), the form of "pes cavus".
    #expect(plan.expression(.all)?.text == "(\"pins and needles\" OR \"paresthesia\") AND (\"feet\" OR \"pes\")")
    let drug = SearchPlan(try Query("Tylenol dose"), kinds: [], extractor: .shared)
    #expect(drug.groups[0].alternatives.map(\.text) == ["\"tylenol\"", "\"acetaminophen\""])
    let test = SearchPlan(try Query("magnetic resonance imaging"), kinds: [], extractor: .shared)
    #expect(test.groups[0].alternatives.map(\.text) == ["\"magnetic resonance imaging\"", "\"mri\""])
  }

  @Test("Tiers: the phrase for short plain queries, all terms, then the rarer terms; kinds in the match")
  func tiers() throws {
    var plan = SearchPlan(try Query("decreased lacrimation"), kinds: [.symptoms], extractor: nil)
    #expect(plan.expression(.phrase)?.text == "(\"decreased lacrimation\") AND (kind : \"symptoms\")")
    #expect(plan.expression(.phrase, filteringKinds: false)?.text == "\"decreased lacrimation\"")
    #expect(SearchPlan(try Query("lacrimation"), kinds: [], extractor: nil).expression(.phrase)?.text == nil)
    #expect(SearchPlan(try Query("\"a b\" c"), kinds: [], extractor: nil).expression(.phrase)?.text == nil)
    // The any-term tier keeps the rarest terms, each in at most 4% of the sections.
    plan = SearchPlan(try Query("ear wax peroxide water minutes"), kinds: [], extractor: nil)
    plan.sectionCount = 10_000
    for (index, count) in [700, 11, 3, 2_000, 1_500].enumerated() { plan.groups[index].sections = count }
    #expect(plan.expression(.any)?.text == "\"peroxide\" OR \"wax\"")
  }
}

@Suite("Spelling suggestions and snippets")
struct SpellingAndSnippetTests {
  @Test("Edit distance counts insertions, deletions, substitutions and transpositions, up to a limit")
  func distance() {
    func d(_ a: String, _ b: String, _ limit: Int = 3) -> Int? {
      SpellingSuggester.distance(Array(a.utf8), Array(b.utf8), limit: limit)
    }
    #expect(d("numbness", "numbness") == 0)
    #expect(d("numbnes", "numbness") == 1)
    #expect(d("diahrrea", "diarrhea") == 2)
    #expect(d("arrhthmia", "arrhythmia") == 1)
    #expect(d("form", "from") == 1)
    #expect(d("kitten", "sitting") == 3)
    #expect(d("kitten", "sitting", 2) == nil)
    #expect(d("", "abc") == 3)
  }

  @Test("Query words become the index's terms through SQLite's own tokenizer")
  func stems() throws {
    let terms = try QueryStemmer().terms(of: ["numbness", "spasms", "don't", "Café", "x-ray"])
    #expect(terms["numbness"] == ["numb"])
    #expect(terms["spasms"] == ["spasm"])
    #expect(terms["don't"] == ["don", "t"])
    #expect(terms["Café"] == ["cafe"])
    #expect(terms["x-ray"] == ["x", "rai"])
  }

  @Test("Snippets: the densest window of the text, matching words marked by their stems")
  func snippets() {
    let maker = SnippetMaker(terms: ["numb", "leg"], entityNames: [])
    let text = (1...40).map { "word\($0)" }.joined(separator: " ") + " Numbness, in both legs. The end."
    let snippet = maker.snippet(text) { [] }
    let open = Searcher.highlightStart
    let close = Searcher.highlightEnd
    #expect(snippet.hasPrefix("…"))
    #expect(snippet.contains("\(open)Numbness\(close), in both \(open)legs\(close)."))
    #expect(!snippet.contains("word1 "))
    // Porter's y → i: the term "bodi" marks "body".
    #expect(
      SnippetMaker(terms: ["bodi"], entityNames: []).snippet("The whole body aches") { [] }
        == "The whole \(open)body\(close) aches")
  }

  @Test("A section found through an entity's other name shows the passage around that entity")
  func entitySnippet() {
    let maker = SnippetMaker(terms: ["pin", "needl"], entityNames: ["paresthesia", "HP:0003401"])
    let text = "You feel pain. You also feel tingling in your legs."
    let entity = Entity(
      text: "tingling", type: .symptom, start: 29, end: 37, hpo: "HP:0003401", normalized: "Paresthesia")
    let snippet = maker.snippet(text) { [entity] }
    #expect(
      snippet
        == "You feel pain. You also feel \(Searcher.highlightStart)tingling\(Searcher.highlightEnd) in your legs.")
  }
}
