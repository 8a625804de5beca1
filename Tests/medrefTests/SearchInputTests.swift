import Foundation
import Testing

/// `medref search` on hostile input, through the binary: bounded work per query, normalised query text, option
/// values checked in one line, batch files with bad lines, and file names with control characters.
@Suite("medref search: limits, query text, options, batch errors, names")
struct SearchInputTests {
  /// The ids of a `search --json` result.
  static func ids(_ result: CommandResult) throws -> [String] {
    (try JSON.object(result.stdout)["results"] as? [[String: Any]] ?? []).compactMap { $0["id"] as? String }
  }

  @Test("'fever ' ×5,000 is 'fever': the same results and interpretation, exit 0")
  func repeatedTerm() async throws {
    try await Sandbox.with { sandbox in
      try sandbox.makeCorpus(badFiles: false)
      try await sandbox.ingestCorpus()
      let once = try await sandbox.medref("search", "fever", "--json", "--index", sandbox.index)
      let text = String(repeating: "fever ", count: 5_000)
      let many = try await sandbox.medref("search", text, "--json", "--index", sandbox.index)
      #expect(many.status == 0, "\(many)")
      #expect(try Self.ids(many) == Self.ids(once), "\(many)")
      #expect(!(try Self.ids(once)).isEmpty, "\(once)")
      let interpreted = try JSON.object(many.stdout)["interpreted"] as? String
      #expect(interpreted == (try JSON.object(once.stdout)["interpreted"] as? String))
    }
  }

  @Test(
    "Over the term and prefix caps: exit 2, one line naming the query and the limit",
    arguments: [
      ((1...40).map { "w\($0)" }.joined(separator: " "), "too many terms: 40 different ones (at most 32)"),
      ("a* b* c* d* e*", "too many prefixes: 5 different word* terms (at most 4)"),
    ])
  func caps(query: String, reason: String) async throws {
    try await Sandbox.with { sandbox in
      try sandbox.makeCorpus(badFiles: false)
      try await sandbox.ingestCorpus()
      let result = try await sandbox.medref("search", query, "--index", sandbox.index)
      #expect(result.status == 2, "\(result)")
      #expect(result.stdout.isEmpty, "\(result)")
      #expect(result.stderrLines.count == 1, "\(result)")
      #expect(result.stderr.hasPrefix("medref: query '\(query)': \(reason)"), "\(result)")
    }
  }

  @Test("A search past --time-limit stops: exit 2, one line; a batch gives an error record in its place")
  func timeLimit() async throws {
    try await Sandbox.with { sandbox in
      try sandbox.makeCorpus(badFiles: false)
      try await sandbox.ingestCorpus()
      let result = try await sandbox.medref(
        "search", "numbness", "--time-limit", "0.000001", "--index", sandbox.index)
      #expect(result.status == 2, "\(result)")
      #expect(result.stdout.isEmpty, "\(result)")
      #expect(result.stderrLines.count == 1, "\(result)")
      #expect(
        result.stderr.hasPrefix("medref: query 'numbness': stopped after 1e-06 s, the time limit of one search"),
        "\(result)")
      try sandbox.write("{\"qid\": \"q1\", \"query\": \"numbness\"}\n", to: "q.jsonl")
      let batch = try await sandbox.medref(
        "search", "--queries", "q.jsonl", "--json", "--time-limit", "0.000001", "--index", sandbox.index)
      #expect(batch.status == 1, "\(batch)")
      let line = try JSON.object(try #require(batch.stdoutLines.first))
      #expect(line["qid"] as? String == "q1")
      #expect((line["error"] as? String ?? "").hasPrefix("stopped after"), "\(batch)")
    }
  }

  @Test("Ligatures and full-width letters find what plain letters find (NFKC)")
  func compatibilityForms() async throws {
    try await Sandbox.with { sandbox in
      try sandbox.makeCorpus(badFiles: false)
      try await sandbox.ingestCorpus()
      for (typed, plain) in [("Ｆｅｖｅｒ", "fever"), ("diﬃculty", "difficulty"), ("ﬁrst", "first")] {
        let expected = try await sandbox.medref("search", plain, "--json", "--index", sandbox.index)
        let result = try await sandbox.medref("search", typed, "--json", "--index", sandbox.index)
        #expect(result.status == 0, "\(result)")
        #expect(!(try Self.ids(expected)).isEmpty, "\(expected)")
        #expect(try Self.ids(result) == Self.ids(expected), "\(typed)\n\(result)")
        let response = try JSON.object(result.stdout)
        #expect(response["query"] as? String == typed)
        #expect(response["interpreted"] as? String == (try JSON.object(expected.stdout)["interpreted"] as? String))
      }
    }
  }

  @Test("Bytes that are not UTF-8 and U+FFFD in a query are dropped: never searched, never in 'interpreted'")
  func invalidSequences() async throws {
    try await Sandbox.with { sandbox in
      try sandbox.makeCorpus(badFiles: false)
      try await sandbox.ingestCorpus()
      var file = Data("{\"qid\": \"raw\", \"query\": \"numbness ".utf8)
      file.append(contentsOf: [0xE0, 0xA4])  // a cut UTF-8 sequence
      file.append(Data("%A\"}\n{\"qid\": \"fffd\", \"query\": \"\\ufffd%A numbness\"}\n".utf8))
      try sandbox.write(file, to: "q.jsonl")
      let result = try await sandbox.medref("search", "--queries", "q.jsonl", "--json", "--index", sandbox.index)
      #expect(result.status == 0, "\(result)")
      let lines = try result.stdoutLines.map { try JSON.object($0) }
      #expect(lines.map { $0["qid"] as? String } == ["raw", "fffd"], "\(result)")
      for line in lines {
        #expect(line["interpreted"] as? String == "(numbness OR hypoesthesia) (describes symptoms)", "\(line)")
        #expect((line["results"] as? [[String: Any]])?.first?["id"] as? String == "corpus/back-spasms", "\(line)")
      }
      let single = try await sandbox.medref("search", "\u{FFFD}%A", "--json", "--index", sandbox.index)
      #expect(single.status == 0, "\(single)")
      #expect(try JSON.object(single.stdout)["interpreted"] as? String == "a", "\(single)")
    }
  }

  @Test(
    "Option values: an unknown option is named, numbers out of range get one line and exit 2, never a crash",
    arguments: [
      (["--bogus"], "medref: unknown option '--bogus'"),
      (["numbness", "--bogus"], "medref: unknown option '--bogus'"),
      (["numbness", "--limit", "-1"], "medref: --limit must be a positive whole number, at most 10000 (got '-1')"),
      (["numbness", "--limit", "0"], "medref: --limit must be a positive whole number, at most 10000 (got '0')"),
      (["numbness", "--limit", "4611686018427387904"], "medref: --limit must be a positive whole number"),
      (["numbness", "--limit", "99999999999999999999"], "medref: --limit must be a positive whole number"),
      (["numbness", "--limit", "ten"], "medref: --limit must be a positive whole number"),
      (["numbness", "--offset", "9223372036854775807"], "medref: --offset must be a whole number from 0 to 1000000"),
      (["numbness", "--offset", "-1"], "medref: --offset must be a whole number from 0 to 1000000 (got '-1')"),
      (["numbness", "--time-limit", "0"], "medref: --time-limit must be a number of seconds above 0"),
      (["numbness", "--time-limit", "inf"], "medref: --time-limit must be a number of seconds above 0"),
      (["numbness", "--time-limit", "nan"], "medref: --time-limit must be a number of seconds above 0"),
    ])
  func optionValues(arguments: [String], message: String) async throws {
    try await Sandbox.with { sandbox in
      try sandbox.makeCorpus(badFiles: false)
      try await sandbox.ingestCorpus()
      let result = try await sandbox.medref(["search"] + arguments + ["--index", sandbox.index])
      #expect(!result.crashed, "\(result)")
      #expect(result.status == 2, "\(result)")
      #expect(result.stdout.isEmpty, "\(result)")
      #expect(result.stderrLines.count == 1, "\(result)")
      #expect(result.stderr.hasPrefix(message), "\(result)")
    }
  }

  @Test("The largest --limit and --offset work: an empty page past the results, the total still counted")
  func largestPage() async throws {
    try await Sandbox.with { sandbox in
      try sandbox.makeCorpus(badFiles: false)
      try await sandbox.ingestCorpus()
      let result = try await sandbox.medref(
        "search", "pain", "--json", "--limit", "10000", "--offset", "1000000", "--index", sandbox.index)
      #expect(result.status == 0, "\(result)")
      let response = try JSON.object(result.stdout)
      #expect((response["results"] as? [Any])?.isEmpty == true, "\(result)")
      #expect(response["total"] as? Int == 3, "\(result)")
      let text = try await sandbox.medref("search", "pain", "--offset", "1000000", "--index", sandbox.index)
      #expect(text.status == 0, "\(text)")
    }
  }

  @Test("Batch: every non-blank line gets its output line in order; bad lines get error records; ids line:N")
  func batchErrors() async throws {
    try await Sandbox.with { sandbox in
      try sandbox.makeCorpus(badFiles: false)
      try await sandbox.ingestCorpus()
      try sandbox.write(
        """
        {"qid": "9", "query": "numbness"}
        not json at all
        {"query": "gout"}

        {"qid": 4, "text": "uric acid"}\r
        {"qid": "q5"}
        {"qid": true, "query": "gout"}
        {"qid": null, "query": "()"}
        [1, 2]
        {"query": "pain"}
        {"qid": "line:10", "query": "pain"}
        """, to: "queries.jsonl")
      let result = try await sandbox.medref("search", "--queries", "queries.jsonl", "--json", "--index", sandbox.index)
      #expect(result.status == 1, "\(result)")
      let lines = try result.stdoutLines.map { try JSON.object($0) }
      #expect(
        lines.map { $0["qid"] as? String } == [
          "9", "line:2", "line:3", "4", "q5", "line:7", "line:8", "line:9", "line:10#2", "line:10",
        ], "\(result)")
      #expect(lines.map { $0["line"] as? Int } == [nil, 2, nil, nil, 6, 7, 8, 9, nil, nil], "\(result)")
      // Results where the line was a query; the reason where it was not.
      for index in [0, 2, 3, 8, 9] { #expect(lines[index]["results"] is [Any], "\(lines[index])") }
      #expect(lines[1]["error"] as? String == "not a JSON object (expected {\"qid\": …, \"query\": \"…\"})")
      #expect(lines[4]["error"] as? String == "no \"query\" string")
      #expect(lines[5]["error"] as? String == "\"qid\" must be a string or a number")
      #expect(lines[6]["error"] as? String == "nothing to search for; type some words")
      #expect(lines[6]["query"] as? String == "()")
      // One message per bad line on stderr, naming the file and line.
      #expect(result.stderrLines.count == 5, "\(result)")
      #expect(result.stderr.contains("medref: queries.jsonl:2: not a JSON object"), "\(result)")
      #expect(result.stderr.contains("medref: queries.jsonl:8: query '()': nothing to search for"), "\(result)")
    }
  }

  @Test("A newline in a file name is escaped in search, show and check output: every line stays whole")
  func controlCharactersInNames() async throws {
    try await Sandbox.with { sandbox in
      try sandbox.copyFixture("Corpus/back-spasms.txt", to: "corpus/back\nspasms.txt")
      try await sandbox.ingestCorpus()
      let search = try await sandbox.medref("search", "numbness", "--index", sandbox.index)
      #expect(search.status == 0, "\(search)")
      let first = search.stdoutLines.first ?? ""
      #expect(first.hasPrefix("1. How To Help Lower Back Spasms  corpus/back\\nspasms  score "), "\(search)")
      #expect(!search.stdoutLines.contains { $0.hasPrefix("spasms") }, "\(search)")

      let show = try await sandbox.medref("show", "corpus/back\nspasms", "--index", sandbox.index)
      #expect(show.status == 0, "\(show)")
      #expect(show.stdoutLines.dropFirst().first == "id corpus/back\\nspasms · corpus/back\\nspasms.txt", "\(show)")

      try sandbox.write("changed\n", to: "corpus/back\nspasms.txt")
      let check = try await sandbox.medref("check", "--index", sandbox.index)
      #expect(check.stdoutLines.contains("  changed: corpus/back\\nspasms.txt (corpus/back\\nspasms)"), "\(check)")
      #expect(!check.stdoutLines.contains { $0.hasPrefix("spasms") }, "\(check)")
    }
  }
}
