import Foundation
import GRDB
import Testing

@testable import MedRefBase
@testable import MedRefIndex
@testable import MedRefSearch
@testable import MedRefWeb

/// What bounds a query's work (each term once, caps on terms and prefixes, a time limit enforced through SQLite's
/// progress handler) and how query text is normalised, over the index of `IndexTests.Setup`.
@Suite("Searching: query limits, time limit, normalisation")
struct SearchLimitsTests {
  @Test("A repeated term is searched once: 'fever' ×2,000 plans and finds what 'fever' does")
  func repeatedTerms() throws {
    let once = SearchPlan(try Query("fever"), kinds: [])
    let text = Array(repeating: "fever", count: 2_000).joined(separator: " ")
    let many = SearchPlan(try Query(text), kinds: [])
    #expect(many.groups.count == 1)
    #expect(many.expression(.all) == once.expression(.all))
    #expect(many.interpreted == once.interpreted)
    let excluded = SearchPlan(try Query("pain -gout -gout -gout spasm* spasm*"), kinds: [])
    #expect(excluded.excluded == [.word("gout")])
    #expect(excluded.prefixes == ["spasm"])
    #expect(excluded.expression(.all)?.text == "(\"pain\" AND \"spasm\"*) NOT (\"gout\")")

    let (_, searcher) = try SearcherTests.searcher()
    let single = try searcher.search(SearchRequest(text: "fever"))
    let repeated = try searcher.search(SearchRequest(text: text))
    #expect(!single.results.isEmpty)
    #expect(repeated.results.map(\.id) == single.results.map(\.id))
    #expect(repeated.interpreted == single.interpreted)
  }

  @Test("A query's stop words still make its phrase when they repeat ('of the … of the')")
  func repeatedStopWordsKeepThePhrase() throws {
    let plan = SearchPlan(try Query("abnormality of the shape of the ear"), kinds: [])
    #expect(plan.expression(.phrase)?.text == "\"abnormality of the shape of the ear\"")
  }

  @Test("More different terms or prefixes than the limits allow: unusable, with the reason and the limit")
  func termAndPrefixCaps() throws {
    let (_, searcher) = try SearcherTests.searcher()
    let words = (1...33).map { "word\($0)" }.joined(separator: " ")
    #expect(
      throws: MedRefError.unusableQuery(
        query: words, reason: "too many terms: 33 different ones (at most 32); shorten the query")
    ) {
      try searcher.search(SearchRequest(text: words))
    }
    // 32 different terms are fine, and so is any number of copies of them.
    let allowed = (1...32).map { "word\($0)" }.joined(separator: " ")
    _ = try searcher.search(SearchRequest(text: allowed + " " + allowed))
    #expect(
      throws: MedRefError.unusableQuery(
        query: "a* b* c* d* e*", reason: "too many prefixes: 5 different word* terms (at most 4)")
    ) {
      try searcher.search(SearchRequest(text: "a* b* c* d* e*"))
    }
    _ = try searcher.search(SearchRequest(text: "a* a* a* a* a* a* a* a* b* c* d*"))
  }

  @Test("A prefix that stands for too many index words or sections is refused before anything is searched")
  func broadPrefixes() throws {
    let (_, searcher) = try SearcherTests.searcher()
    var limits = SearchLimits()
    limits.prefixWords = 3
    do {
      _ = try searcher.search(SearchRequest(text: "s*", limits: limits))
      Issue.record("s* should be too broad for \(limits)")
    } catch let MedRefError.unusableQuery(query, reason) {
      #expect(query == "s*")
      #expect(reason.hasPrefix("too broad: s* stands for "), "\(reason)")
      #expect(
        reason.hasSuffix("(the prefixes of a query may stand for at most 3 words and 50000 sections); make it longer"))
    }
    // The prefix as the index's tokenizer reads it: "spasms*" is "spasm*", a word or two.
    #expect(!(try searcher.search(SearchRequest(text: "spasms*", limits: limits))).results.isEmpty)
    limits = SearchLimits()
    limits.prefixSections = 1
    #expect(throws: MedRefError.self) { try searcher.search(SearchRequest(text: "pain s*", limits: limits)) }
  }

  @Test("A search past its time limit stops with queryTooCostly (exit status 2, HTTP 503), and the next one works")
  func timeLimit() throws {
    let (_, searcher) = try SearcherTests.searcher()
    var limits = SearchLimits()
    limits.seconds = 0
    do {
      _ = try searcher.search(SearchRequest(text: "numbness", limits: limits))
      Issue.record("a search with no time should stop")
    } catch let error as MedRefError {
      guard case .queryTooCostly(let query, let reason) = error else {
        Issue.record("expected queryTooCostly, got \(error)")
        return
      }
      #expect(query == "numbness")
      #expect(reason.hasPrefix("stopped after 0 s, the time limit of one search"), "\(reason)")
      #expect(error.isUsageError)
      #expect(error.description.hasPrefix("query 'numbness': stopped after"))
    }
    #expect(try searcher.search(SearchRequest(text: "numbness")).results.first?.id == "corpus/back-spasms")
  }

  @Test("The progress handler interrupts a running statement at the deadline, and is removed afterwards")
  func progressHandlerInterrupts() throws {
    let database = try DatabaseQueue()
    func counting(to last: Int) -> String {
      "WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < \(last)) SELECT count(*) FROM n"
    }
    try database.read { db in
      let reader = IndexReader(db)
      let deadline = SearchDeadline(seconds: 0)
      do {
        _ = try deadline.watching(reader, query: "q") { try Int.fetchOne(db, sql: counting(to: 50_000_000)) }
        Issue.record("the statement should have been interrupted")
      } catch let error as MedRefError {
        #expect(error == .queryTooCostly(query: "q", reason: deadline.error("q").reason))
      }
      // Unmetered work is never stopped, even past the deadline.
      let paused = SearchDeadline(seconds: 0)
      let small = try paused.watching(reader, query: "q") {
        try paused.unmetered { try Int.fetchOne(db, sql: counting(to: 20_000)) }
      }
      #expect(small == 20_000)
      // No handler is left on the connection.
      #expect(try Int.fetchOne(db, sql: counting(to: 200_000)) == 200_000)
    }
  }

  @Test("Limit and offset far out of range are cut, not overflowed")
  func hugeLimitAndOffset() throws {
    let (_, searcher) = try SearcherTests.searcher()
    let huge = try searcher.search(SearchRequest(text: "pain", limit: Int.max, offset: 0, sectionsPerArticle: Int.max))
    #expect(huge.results.count == 2)
    let far = try searcher.search(SearchRequest(text: "pain", limit: 4_611_686_018_427_387_904, offset: Int.max))
    #expect(far.results.isEmpty)
    #expect(far.total == 2)
    #expect(try searcher.search(SearchRequest(text: "pain", limit: -5, offset: Int.min)).results.isEmpty)
  }

  @Test("Queries are NFKC-normalised: ligatures and full-width letters find what plain letters find")
  func compatibilityForms() throws {
    #expect(Query.normalized("ﬁrst") == "first")
    #expect(Query.normalized("Ｆｅｖｅｒ") == "Fever")
    let (_, searcher) = try SearcherTests.searcher()
    for (typed, plain) in [("Ｆｅｖｅｒ", "fever"), ("ﬁrst", "first"), ("diﬃculty", "difficulty")] {
      let response = try searcher.search(SearchRequest(text: typed))
      let expected = try searcher.search(SearchRequest(text: plain))
      #expect(!expected.results.isEmpty, "\(plain)")
      #expect(response.results.map(\.id) == expected.results.map(\.id), "\(typed)")
      #expect(response.interpreted == expected.interpreted, "\(typed)")
      #expect(response.query == typed)
    }
  }

  @Test(
    "U+FFFD, control and private-use characters are separators and never reach FTS5",
    arguments: [
      "\u{FFFD}%A", "numbness\u{FFFD}", "\"numb\u{FFFD}ness\"", "num\u{0}bness\u{7}", "\u{E000}numbness\u{E001}",
      "fe\u{FFFD}ver*", "-\u{FFFD} numbness", "symptoms:\u{FFFD}numbness",
    ])
  func replacementCharacters(text: String) throws {
    let normalized = Query.normalized(text)
    #expect(!normalized.unicodeScalars.contains { Query.isDropped($0) }, "\(normalized.debugDescription)")
    let plan = SearchPlan(try Query(text), kinds: [])
    for tier in SearchPlan.Tier.allCases {
      let expression = plan.expression(tier)?.text ?? ""
      #expect(!expression.contains("\u{FFFD}") && !expression.contains("\u{E000}"), "\(expression)")
    }
    #expect(!plan.interpreted.contains("\u{FFFD}"))
    let (_, searcher) = try SearcherTests.searcher()
    let response = try searcher.search(SearchRequest(text: text))
    #expect(!response.interpreted.contains("\u{FFFD}"), "\(response.interpreted)")
  }

  @Test("A broken percent-escape is literal text without its undecodable bytes: '%E0%A4%A' searches 'a'")
  func brokenPercentEscape() throws {
    let decoded = HTML.percentDecode("%E0%A4%A", plusIsSpace: true)
    #expect(decoded.contains("\u{FFFD}"))
    let query = try Query(decoded)
    #expect(query.terms.map(\.words) == [["a"]])
    #expect(SearchPlan(query, kinds: []).interpreted == "a")
  }

  @Test("Control characters in a name are escaped, so it stays on one line")
  func escaping() {
    #expect("corpus/a\nb\tc\r\u{1B}[31m\u{85}".escapingControlCharacters == "corpus/a\\nb\\tc\\r\\u{1B}[31m\\u{85}")
    #expect("plain name – é".escapingControlCharacters == "plain name – é")
    #expect(MedRefError.unusableQuery(query: "a\nb", reason: "r").description == "query 'a\\nb': r")
    let long = String(repeating: "fever ", count: 100)
    #expect(MedRefError.unusableQuery(query: long, reason: "r").description.hasSuffix("… (400 more characters)': r"))
  }
}

@Suite("Web: a search over its limits is answered, not hung")
struct WebSearchLimitsTests {
  @Test("Over the time limit: 503 with the reason (JSON under /api/, the search page otherwise)")
  func timeLimit() throws {
    let fixture = try WebFixture()
    var limits = WebLimits()
    limits.search.seconds = 0
    let app = WebApp(store: try IndexStore(readOnlyAt: fixture.indexPath), limits: limits)
    let api = app.respond(to: WebRequest(method: "GET", target: "/api/search?q=numbness"))
    #expect(api.status == 503, "\(api.text)")
    let body = try #require(try JSONSerialization.jsonObject(with: Data(api.body)) as? [String: Any])
    #expect(body["status"] as? Int == 503)
    #expect((body["error"] as? String ?? "").hasPrefix("query 'numbness': stopped after 0 s"), "\(body)")
    let page = app.respond(to: WebRequest(method: "GET", target: "/?q=numbness"))
    #expect(page.status == 503)
    #expect(page.text.contains("the time limit of one search"))
    // Within its limits the same app answers.
    #expect(fixture.get("/api/search?q=numbness").status == 200)
  }

  @Test("Too many prefixes: 400; a broken percent-escape searches what is left of it, with no U+FFFD")
  func queryInput() throws {
    let fixture = try WebFixture()
    let prefixes = fixture.get("/api/search?q=a*+b*+c*+d*+e*")
    #expect(prefixes.status == 400)
    #expect(prefixes.text.contains("too many prefixes"))
    let broken = fixture.get("/api/search?q=numbness%E0%A4%A")
    #expect(broken.status == 200, "\(broken.text)")
    let body = try #require(try JSONSerialization.jsonObject(with: Data(broken.body)) as? [String: Any])
    #expect(body["interpreted"] as? String == "(numbness OR hypoesthesia) (describes symptoms)", "\(body)")
  }
}
