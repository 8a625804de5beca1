import Foundation
import Testing

@Suite("medref search")
struct SearchTests {
  @Test("numbness in symptoms sections: back-spasms first, a symptoms section, [numbness] highlighted")
  func searchNumbnessInSymptoms() async throws {
    try await Sandbox.with { sandbox in
      try sandbox.makeCorpus(badFiles: true)
      try await sandbox.ingestCorpus(expecting: 1)
      let result = try await sandbox.medref(
        "search", "numbness", "--section", "symptoms", "--json", "--index", sandbox.index)
      #expect(result.status == 0, "\(result)")
      #expect(result.stderr.isEmpty, "\(result)")
      let response = try JSON.object(result.stdout)
      #expect(response["query"] as? String == "numbness")
      let results = try #require(response["results"] as? [[String: Any]], "\(result)")
      let first = try #require(results.first, "no results\n\(result)")
      #expect(first["id"] as? String == "corpus/back-spasms", "\(result)")
      #expect(first["path"] as? String == "corpus/back-spasms.txt", "\(result)")
      let sections = try #require(first["sections"] as? [[String: Any]], "\(result)")
      let section = try #require(sections.first, "no sections\n\(result)")
      #expect(section["kind"] as? String == "symptoms", "\(result)")
      #expect((section["snippet"] as? String ?? "").contains("[numbness]"), "\(result)")
      // The filter holds for every section shown.
      for hit in results {
        for section in hit["sections"] as? [[String: Any]] ?? [] {
          #expect(section["kind"] as? String == "symptoms", "\(result)")
        }
      }
      #expect((response["total"] as? Int ?? 0) >= 1, "\(result)")
    }
  }

  @Test("--facets counts the matching articles per section kind, whatever the filter; absent without it")
  func facets() async throws {
    try await Sandbox.with { sandbox in
      try sandbox.makeCorpus(badFiles: false)
      try await sandbox.ingestCorpus()
      let plain = try JSON.object(try await sandbox.medref("search", "pain", "--json", "--index", sandbox.index).stdout)
      #expect(plain["facets"] == nil)
      let result = try await sandbox.medref(
        "search", "pain", "--section", "symptoms", "--facets", "--json", "--index", sandbox.index)
      let facets = try #require(try JSON.object(result.stdout)["facets"] as? [String: Int], "\(result)")
      // Every kind counted, not only the filtered one; no kind counts more articles than match in all.
      #expect((facets["symptoms"] ?? 0) >= 1 && facets.keys.contains { $0 != "symptoms" }, "\(facets)")
      let total = try #require(
        try JSON.object(
          try await sandbox.medref(
            "search", "pain", "--json", "--limit", "50",
            "--index", sandbox.index
          ).stdout)["total"] as? Int)
      #expect(facets.values.allSatisfy { $0 <= total }, "\(facets) vs \(total)")
      let text = try await sandbox.medref("search", "pain", "--facets", "--index", sandbox.index)
      #expect(text.stdout.contains("articles by section kind: symptoms "), "\(text)")
    }
  }

  @Test("Several symptoms: each result names those it has, in the JSON and as 'names:' in the text")
  func severalSymptoms() async throws {
    try await Sandbox.with { sandbox in
      try sandbox.makeCorpus(badFiles: false)
      try await sandbox.ingestCorpus()
      let query = "tingling, numbness, weakness"
      let result = try await sandbox.medref("search", query, "--json", "--index", sandbox.index)
      let results = try #require(try JSON.object(result.stdout)["results"] as? [[String: Any]], "\(result)")
      let first = try #require(results.first, "\(result)")
      // The sample article's symptoms section names all three ("tingling, numbness & weakness").
      #expect(first["id"] as? String == "corpus/back-spasms", "\(result)")
      #expect(first["symptoms"] as? [String] == ["tingling", "numbness", "weakness"], "\(result)")
      let text = try await sandbox.medref("search", query, "--index", sandbox.index)
      #expect(text.stdout.contains("   names: tingling, numbness, weakness\n"), "\(text)")
      // A query of one symptom lists none.
      let one = try JSON.object(
        try await sandbox.medref("search", "numbness", "--json", "--index", sandbox.index).stdout)
      #expect((one["results"] as? [[String: Any]])?.first?["symptoms"] == nil)
    }
  }

  @Test("MRI in tests sections finds a tests section")
  func searchMRIInTests() async throws {
    try await Sandbox.with { sandbox in
      try sandbox.makeCorpus(badFiles: false)
      try await sandbox.ingestCorpus()
      let result = try await sandbox.medref("search", "MRI", "--section", "tests", "--json", "--index", sandbox.index)
      #expect(result.status == 0, "\(result)")
      let response = try JSON.object(result.stdout)
      let results = try #require(response["results"] as? [[String: Any]], "\(result)")
      let sections = results.flatMap { $0["sections"] as? [[String: Any]] ?? [] }
      #expect(!sections.isEmpty, "\(result)")
      #expect(sections.allSatisfy { $0["kind"] as? String == "tests" }, "\(result)")
      #expect(
        sections.contains { ($0["snippet"] as? String ?? "").localizedCaseInsensitiveContains("[mri]") },
        "\(result)")
    }
  }

  @Test("without a section filter, words are stemmed and other articles are found")
  func searchAcrossArticles() async throws {
    try await Sandbox.with { sandbox in
      try sandbox.makeCorpus(badFiles: false)
      try await sandbox.ingestCorpus()
      let gout = try await sandbox.medref("search", "uric acid crystals", "--json", "--index", sandbox.index)
      #expect(gout.status == 0, "\(gout)")
      let goutResults = try JSON.object(gout.stdout)["results"] as? [[String: Any]] ?? []
      #expect(goutResults.first?["id"] as? String == "corpus/gout", "\(gout)")

      let shin = try await sandbox.medref("search", "runner", "--json", "--index", sandbox.index)
      let shinResults = try JSON.object(shin.stdout)["results"] as? [[String: Any]] ?? []
      #expect(shinResults.first?["id"] as? String == "corpus/shin-splints", "'runner' should find 'runners'\n\(shin)")
    }
  }

  static let malformedQueries = [
    "\"unbalanced", "NEAR(", "AND", "(((", "a:b", "\"", "*", "-", "^x", "' OR 1=1 --",
    "NEAR(back spasm, 2)", "title:gout", "back AND OR NOT", "{col}: x", "\"\"\"", "x\"y\"z", "spasm**",
  ]

  @Test("malformed queries never leak SQLite errors", arguments: malformedQueries)
  func malformedQueriesAreSafe(query: String) async throws {
    try await Sandbox.with { sandbox in
      try sandbox.makeCorpus(badFiles: false)
      try await sandbox.ingestCorpus()
      for json in [false, true] {
        let result = try await sandbox.medref(
          ["search", query, "--index", sandbox.index] + (json ? ["--json"] : []))
        #expect(!result.crashed, "\(result)")
        #expect(result.status == 0 || result.status == 2, "\(result)")
        for leak in ["sqlite", "syntax error", "fts5"] {
          #expect(!result.stdout.lowercased().contains(leak), "'\(leak)' on stdout\n\(result)")
          #expect(!result.stderr.lowercased().contains(leak), "'\(leak)' on stderr\n\(result)")
        }
        if result.status == 2 {
          #expect(result.stderrLines.count == 1, "\(result)")
          #expect(result.stderr.hasPrefix("medref: query"), "\(result)")
          #expect(result.stdout.isEmpty, "\(result)")
        } else if json {
          let response = try JSON.object(result.stdout)
          #expect(response["results"] is [Any], "\(result)")
          #expect(result.stderr.isEmpty, "\(result)")
        } else {
          let body =
            result.stdout.hasPrefix("Did you mean")
            ? String(result.stdout.drop { $0 != "\n" }.dropFirst()) : result.stdout
          #expect(
            body.hasPrefix("No results") || body.hasPrefix("1. ") || body.hasPrefix("— articles with some"),
            "results or 'No results'\n\(result)")
          #expect(result.stderr.isEmpty, "\(result)")
        }
      }
    }
  }

  @Test("a query of only punctuation exits 2 with a clear one-line message", arguments: ["\"()\"", "()", "...", "*-^"])
  func punctuationQueryIsUnusable(query: String) async throws {
    try await Sandbox.with { sandbox in
      try sandbox.makeCorpus(badFiles: false)
      try await sandbox.ingestCorpus()
      let result = try await sandbox.medref("search", query, "--index", sandbox.index)
      #expect(result.status == 2, "\(result)")
      #expect(result.stdout.isEmpty, "\(result)")
      #expect(result.stderrLines.count == 1, "\(result)")
      #expect(result.stderr.hasPrefix("medref: query '\(query)': "), "\(result)")
      #expect(result.stderr.contains("nothing to search for"), "\(result)")
      #expect(!result.stderr.lowercased().contains("sqlite"), "\(result)")
    }
  }

  @Test("an empty query exits 2")
  func emptyQueryIsUnusable() async throws {
    try await Sandbox.with { sandbox in
      try sandbox.makeCorpus(badFiles: false)
      try await sandbox.ingestCorpus()
      let result = try await sandbox.medref("search", "", "--index", sandbox.index)
      #expect(result.status == 2, "\(result)")
      #expect(result.stdout.isEmpty, "\(result)")
      #expect(result.stderrLines.count == 1, "\(result)")
      #expect(result.stderr.hasPrefix("medref: query"), "\(result)")
    }
  }

  @Test("unknown --section kind: exit 2, one line naming it and the valid kinds")
  func unknownSectionKind() async throws {
    try await Sandbox.with { sandbox in
      try sandbox.makeCorpus(badFiles: false)
      try await sandbox.ingestCorpus()
      let result = try await sandbox.medref("search", "numbness", "--section", "foo", "--index", sandbox.index)
      #expect(result.status == 2, "\(result)")
      #expect(result.stdout.isEmpty, "\(result)")
      #expect(result.stderrLines.count == 1, "\(result)")
      #expect(result.stderr.hasPrefix("medref: "), "\(result)")
      #expect(result.stderr.contains("foo"), "\(result)")
      // The message must say what would have been valid.
      for kind in ["symptoms", "causes", "tests", "treatment"] {
        #expect(result.stderr.contains(kind), "the message should list '\(kind)'\n\(result)")
      }
    }
  }

  @Test("--limit 0 exits 2 with a one-line message")
  func limitZero() async throws {
    try await Sandbox.with { sandbox in
      try sandbox.makeCorpus(badFiles: false)
      try await sandbox.ingestCorpus()
      let result = try await sandbox.medref("search", "numbness", "--limit", "0", "--index", sandbox.index)
      #expect(result.status == 2, "\(result)")
      #expect(result.stdout.isEmpty, "\(result)")
      #expect(result.stderrLines.count == 1, "\(result)")
      #expect(result.stderr.hasPrefix("medref: "), "\(result)")
      #expect(result.stderr.contains("--limit"), "\(result)")
    }
  }

  @Test("--limit and --offset page through the results")
  func limitAndOffset() async throws {
    try await Sandbox.with { sandbox in
      try sandbox.makeCorpus(badFiles: false)
      try await sandbox.ingestCorpus()
      let all = try await sandbox.medref("search", "pain", "--json", "--index", sandbox.index)
      let allIDs = (try JSON.object(all.stdout)["results"] as? [[String: Any]] ?? []).compactMap { $0["id"] as? String }
      #expect(allIDs.count == 3, "\(all)")
      let page = try await sandbox.medref(
        "search", "pain", "--json", "--limit", "1", "--offset", "1", "--index", sandbox.index)
      #expect(page.status == 0, "\(page)")
      let response = try JSON.object(page.stdout)
      let pageIDs = (response["results"] as? [[String: Any]] ?? []).compactMap { $0["id"] as? String }
      #expect(pageIDs == Array(allIDs.dropFirst().prefix(1)), "\(page)")
      #expect(response["total"] as? Int == allIDs.count, "\(page)")
    }
  }

  @Test("search on a missing index: exit 2, names the index path and suggests ingest, creates nothing")
  func missingIndex() async throws {
    try await Sandbox.with { sandbox in
      let missing = sandbox.url("Nowhere/medref.sqlite").path
      let result = try await sandbox.medref("search", "numbness", "--index", missing)
      #expect(result.status == 2, "\(result)")
      #expect(result.stdout.isEmpty, "\(result)")
      #expect(result.stderrLines.count == 1, "\(result)")
      #expect(result.stderr.hasPrefix("medref: "), "\(result)")
      #expect(result.stderr.contains(missing), "\(result)")
      #expect(result.stderr.contains("ingest"), "\(result)")
      #expect(!FileManager.default.fileExists(atPath: sandbox.url("Nowhere").path), "search must not create the index")
    }
  }
}

@Suite("medref search: synonyms, spelling, batch and bench")
struct SearchFeatureTests {
  @Test("'pins and needles' finds the sample article's tingling; 'numbnes' suggests 'numbness' (text and JSON)")
  func synonymsAndSpelling() async throws {
    try await Sandbox.with { sandbox in
      try sandbox.makeCorpus(badFiles: false)
      try await sandbox.ingestCorpus()
      let pins = try await sandbox.medref("search", "pins and needles", "--index", sandbox.index)
      #expect(pins.status == 0, "\(pins)")
      #expect(pins.stdout.hasPrefix("1. How To Help Lower Back Spasms"), "\(pins)")
      #expect(pins.stdout.contains("[tingling]"), "\(pins)")

      let typo = try await sandbox.medref("search", "numbnes", "--index", sandbox.index)
      #expect(typo.status == 0, "\(typo)")
      #expect(typo.stdout.hasPrefix("Did you mean: numbness?"), "\(typo)")
      #expect(typo.stdout.contains("[numbness]"), "\(typo)")
      let json = try await sandbox.medref("search", "numbnes", "--json", "--index", sandbox.index)
      let response = try JSON.object(json.stdout)
      #expect(response["suggestions"] as? [String] == ["numbness"], "\(json)")
      let first = try #require((response["results"] as? [[String: Any]])?.first, "\(json)")
      #expect(first["match"] as? String == "all")
    }
  }

  @Test("batch mode: one result line per query line, in order, with qid; a bad query gets an error line")
  func batch() async throws {
    try await Sandbox.with { sandbox in
      try sandbox.makeCorpus(badFiles: false)
      try await sandbox.ingestCorpus()
      try sandbox.write(
        """
        {"qid": "q1", "query": "numbness"}
        {"qid": 2, "question": "What tests diagnose gout?"}
        {"qid": "q3", "query": "()"}

        """, to: "queries.jsonl")
      let result = try await sandbox.medref("search", "--queries", "queries.jsonl", "--json", "--index", sandbox.index)
      #expect(result.status == 1, "one query is unusable\n\(result)")
      let lines = try result.stdoutLines.map { try JSON.object($0) }
      #expect(lines.map { $0["qid"] as? String } == ["q1", "2", "q3"], "\(result)")
      #expect((lines[0]["results"] as? [Any])?.isEmpty == false)
      #expect(lines[2]["error"] as? String == "nothing to search for; type some words")
      #expect(result.stderrLines.count == 1, "\(result)")
    }
  }

  @Test("medref bench search prints latency percentiles")
  func bench() async throws {
    try await Sandbox.with { sandbox in
      try sandbox.makeCorpus(badFiles: false)
      try await sandbox.ingestCorpus()
      try sandbox.write("{\"qid\": 1, \"query\": \"numbness\"}\n{\"qid\": 2, \"query\": \"gout\"}\n", to: "q.jsonl")
      let result = try await sandbox.medref(
        "bench", "search", "--queries", "q.jsonl", "--runs", "2", "--json", "--index", sandbox.index)
      #expect(result.status == 0, "\(result)")
      let figures = try JSON.object(result.stdout)
      #expect(figures["queries"] as? Int == 2)
      #expect((figures["p50"] as? Double ?? -1) > 0)
      #expect((figures["p99"] as? Double ?? 0) >= (figures["p50"] as? Double ?? 1))
    }
  }
}
