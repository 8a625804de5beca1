import Foundation
import Testing

@Suite("medref export, show, stats, check")
struct IndexCommandTests {
  @Test("ingest --extracts stores extract objects as an ingest of their sources would; again: nothing; bad lines named")
  func ingestExtracts() async throws {
    try await Sandbox.with { sandbox in
      try sandbox.makeCorpus(badFiles: true)
      try sandbox.copyFixture("Tests/MedRefCoreTests/Fixtures/html/migraine.html", to: "corpus/migraine.html")
      let extract = try await sandbox.medref("extract", "corpus")
      #expect(extract.status == 1, "the bad files fail: \(extract)")
      // Objects with list items, table rows and sub-sections, a failure record, a line that is no object.
      try sandbox.write(extract.stdout + "{\"title\": 3}\n", to: "shards/part-0.jsonl")
      let extracts = sandbox.url("Index/extracts.sqlite").path

      let first = try await sandbox.medref("ingest", "--extracts", "shards", "--index", extracts, "--json")
      #expect(first.status == 1, "\(first)")
      let report = try JSON.object(first.stdout)
      #expect(Set(JSON.strings(report["added"])) == Set(Sandbox.corpusIDs + ["corpus/migraine"]), "\(report)")
      let failed = JSON.strings(report["failed"])
      #expect(failed.contains { $0.hasPrefix("corpus/empty.txt: empty file (line ") }, "\(failed)")
      #expect(failed.contains { $0.contains("part-0.jsonl: line 7: not an extract object") }, "\(failed)")

      try await sandbox.ingestCorpus(expecting: 1)
      let fromExtracts = try await sandbox.medref("export", "--index", extracts)
      let direct = try await sandbox.medref("export", "--index", sandbox.index)
      #expect(direct.stdoutLines.count == 4)
      #expect(fromExtracts.stdout == direct.stdout, "export of both indexes byte for byte")

      let again = try JSON.object(
        try await sandbox.medref("ingest", "--extracts", "shards", "--index", extracts, "--json").stdout)
      #expect(JSON.strings(again["added"]).isEmpty && JSON.strings(again["updated"]).isEmpty, "\(again)")
      #expect(JSON.strings(again["unchanged"]).count == 4, "\(again)")

      try FileManager.default.removeItem(at: sandbox.url("shards/part-0.jsonl"))
      try sandbox.write("", to: "shards/part-1.jsonl")
      let pruned = try JSON.object(
        try await sandbox.medref("ingest", "--extracts", "shards", "--index", extracts, "--prune", "--json").stdout)
      #expect(JSON.strings(pruned["pruned"]).count == 4, "\(pruned)")
    }
  }

  @Test("--immutable reads a copy of the index with no file made beside it; ingest refuses it; a log in use is named")
  func immutableCopy() async throws {
    try await Sandbox.with { sandbox in
      try sandbox.makeCorpus(badFiles: false)
      try await sandbox.ingestCorpus()
      let copy = sandbox.url("copy/medref.sqlite")
      try sandbox.write(try Data(contentsOf: URL(fileURLWithPath: sandbox.index)), to: "copy/medref.sqlite")
      let copyFolder = copy.deletingLastPathComponent()

      let search = try await sandbox.medref("search", "numbness", "--index", copy.path, "--immutable", "--json")
      #expect(search.status == 0, "\(search)")
      let results = try JSON.object(search.stdout)["results"] as? [[String: Any]] ?? []
      #expect(results.first?["id"] as? String == "corpus/back-spasms", "\(search)")
      for command in [["stats"], ["check"], ["export", "gout"], ["show", "gout"]] {
        let result = try await sandbox.medref(command + ["--index", copy.path, "--immutable"])
        #expect(result.status == 0, "\(result)")
      }
      #expect(try FileManager.default.contentsOfDirectory(atPath: copyFolder.path) == ["medref.sqlite"])

      let ingest = try await sandbox.medref("ingest", "corpus", "--index", copy.path, "--immutable")
      #expect(ingest.status == 2, "\(ingest)")
      #expect(ingest.stderr.contains("--immutable opens the index read-only"), "\(ingest)")

      try sandbox.write(Data(repeating: 1, count: 64), to: "copy/medref.sqlite-wal")
      let logged = try await sandbox.medref("search", "numbness", "--index", copy.path, "--immutable")
      #expect(logged.status != 0, "\(logged)")
      #expect(logged.stderr.contains("write-ahead log"), "\(logged)")
    }
  }

  @Test("export prints one JSON line per document; a suffix id works; an unknown id exits 2")
  func export() async throws {
    try await Sandbox.with { sandbox in
      try sandbox.makeCorpus(badFiles: true)
      try await sandbox.ingestCorpus(expecting: 1)

      let all = try await sandbox.medref("export", "--index", sandbox.index)
      #expect(all.status == 0, "\(all)")
      #expect(all.stderr.isEmpty, "\(all)")
      #expect(all.stdoutLines.count == 3, "\(all)")
      let records = try all.stdoutLines.map { try JSON.object($0) }
      #expect(records.map { $0["id"] as? String } == Sandbox.corpusIDs, "\(all)")
      for record in records {
        #expect(record["path"] is String && record["title"] is String && record["text"] is String)
        #expect(!(record["sections"] as? [Any] ?? []).isEmpty, "\(record["id"] ?? "?") has no sections")
      }

      let one = try await sandbox.medref("export", "back-spasms", "--index", sandbox.index)
      #expect(one.status == 0, "\(one)")
      #expect(one.stdoutLines.count == 1, "\(one)")
      let record = try JSON.object(one.stdout)
      #expect(record["id"] as? String == "corpus/back-spasms", "\(one)")
      #expect(record["path"] as? String == "corpus/back-spasms.txt", "\(one)")
      #expect(record["title"] as? String == "How To Help Lower Back Spasms", "\(one)")

      let full = try await sandbox.medref("export", "corpus/gout", "--index", sandbox.index)
      #expect(full.status == 0, "\(full)")
      #expect((try JSON.object(full.stdout))["id"] as? String == "corpus/gout", "\(full)")

      let unknown = try await sandbox.medref("export", "nope", "--index", sandbox.index)
      #expect(unknown.status == 2, "\(unknown)")
      #expect(unknown.stdout.isEmpty, "\(unknown)")
      #expect(unknown.stderrLines.count == 1, "\(unknown)")
      #expect(unknown.stderr.hasPrefix("medref: nope: "), "\(unknown)")
    }
  }

  @Test("export gives back from the index exactly what extract gives: kinds, items, entities, blocks")
  func exportMatchesExtract() async throws {
    try await Sandbox.with { sandbox in
      try sandbox.makeCorpus(badFiles: false)
      try await sandbox.ingestCorpus()
      for (id, file) in zip(
        Sandbox.corpusIDs, ["corpus/back-spasms.txt", "corpus/gout.html", "corpus/shin-splints.html"])
      {
        let exported = try await sandbox.medref("export", id, "--index", sandbox.index)
        let extracted = try await sandbox.medref("extract", file)
        #expect(exported.status == 0 && extracted.status == 0, "\(exported)\n\(extracted)")
        let stored = try JSON.object(exported.stdout)
        let fresh = try JSON.object(extracted.stdout)
        #expect(NSDictionary(dictionary: stored).isEqual(to: fresh), "\(id): export differs from extract")
        let sections = try #require(stored["sections"] as? [[String: Any]])
        let entityCount = sections.reduce(0) { $0 + (($1["entities"] as? [Any])?.count ?? 0) }
        #expect(entityCount > 0, "\(id) has entities in the index")
      }
    }
  }

  @Test("export --out writes the file; --format json is an array")
  func exportToFile() async throws {
    try await Sandbox.with { sandbox in
      try sandbox.makeCorpus(badFiles: false)
      try await sandbox.ingestCorpus()
      let result = try await sandbox.medref(
        "export", "--format", "json", "--out", "extracts.json", "--index", sandbox.index)
      #expect(result.status == 0, "\(result)")
      #expect(result.stdout.isEmpty, "\(result)")
      let written = String(decoding: try sandbox.read("extracts.json"), as: UTF8.self)
      let records = try JSON.array(written)
      #expect(records.map { $0["id"] as? String } == Sandbox.corpusIDs)
    }
  }

  @Test("stats --json reports the document count; check says ok; show prints the article")
  func statsCheckShow() async throws {
    try await Sandbox.with { sandbox in
      try sandbox.makeCorpus(badFiles: false)
      try await sandbox.ingestCorpus()

      let stats = try await sandbox.medref("stats", "--json", "--index", sandbox.index)
      #expect(stats.status == 0, "\(stats)")
      #expect(stats.stdoutLines.count == 1, "\(stats)")
      let figures = try JSON.object(stats.stdout)
      #expect(figures["documents"] as? Int == 3, "\(stats)")
      #expect((figures["sections"] as? Int ?? 0) > 3, "\(stats)")
      let byKind = figures["sectionsByKind"] as? [String: Int] ?? [:]
      #expect((byKind["symptoms"] ?? 0) >= 3, "each article has a symptoms section\n\(stats)")

      let text = try await sandbox.medref("stats", "--index", sandbox.index)
      #expect(text.status == 0, "\(text)")
      #expect(text.stdout.contains("3 articles"), "\(text)")

      let check = try await sandbox.medref("check", "--index", sandbox.index)
      #expect(check.status == 0, "\(check)")
      #expect(check.stdout == "\(sandbox.index): ok\n", "\(check)")
      #expect(check.stderr.isEmpty, "\(check)")
      // Changed and missing source files are listed; a file only touched is not; the index is still sound.
      try sandbox.write("<main><h2>Symptoms</h2><p>Joint pain.</p></main>", to: "corpus/gout.html")
      try FileManager.default.removeItem(at: sandbox.root.appendingPathComponent("corpus/shin-splints.html"))
      try FileManager.default.setAttributes(
        [.modificationDate: Date(timeIntervalSinceNow: 60)],
        ofItemAtPath: sandbox.root.appendingPathComponent("corpus/back-spasms.txt").path)
      let changed = try await sandbox.medref("check", "--index", sandbox.index)
      // Stale articles make the exit status 1 (the index is sound, but not current).
      #expect(changed.status == 1, "\(changed)")
      #expect(changed.stdoutLines.first == "\(sandbox.index): ok", "\(changed)")
      #expect(changed.stdoutLines.contains("  changed: corpus/gout.html (corpus/gout)"), "\(changed)")
      #expect(changed.stdoutLines.contains("  missing: corpus/shin-splints.html (corpus/shin-splints)"), "\(changed)")
      #expect(!changed.stdout.contains("back-spasms"), "\(changed)")

      let show = try await sandbox.medref("show", "back-spasms", "--index", sandbox.index)
      #expect(show.status == 0, "\(show)")
      #expect(show.stdoutLines.first == "How To Help Lower Back Spasms", "\(show)")
      let symptoms = try #require(show.stdout.range(of: "\nSYMPTOMS\n"), "\(show)")
      #expect(
        show.stdout[symptoms.upperBound...].hasPrefix("  What Are The Symptoms Of The Lower Back Muscle Spasm  ["))
      #expect(!show.stdout.contains("\u{1B}["), "no colour when not a terminal\n\(show)")
    }
  }

  @Test(
    "stats, check, export and show on a missing index exit 2 and suggest ingest",
    arguments: [
      ["stats"], ["check"], ["export"], ["show", "back-spasms"],
    ])
  func missingIndex(arguments: [String]) async throws {
    try await Sandbox.with { sandbox in
      let missing = sandbox.url("Index/medref.sqlite").path
      let result = try await sandbox.medref(arguments + ["--index", missing])
      #expect(result.status == 2, "\(result)")
      #expect(result.stderrLines.count == 1, "\(result)")
      #expect(result.stderr.hasPrefix("medref: \(missing): "), "\(result)")
      #expect(result.stderr.contains("ingest"), "\(result)")
    }
  }

  @Test("a file that is not an SQLite database is reported as such, not with SQLite's words")
  func notADatabase() async throws {
    try await Sandbox.with { sandbox in
      try sandbox.write(
        "this is not a database, just text that is long enough to have a header\n", to: "Index/medref.sqlite")
      let result = try await sandbox.medref("search", "numbness", "--index", sandbox.index)
      #expect(!result.crashed, "\(result)")
      #expect(result.status == 1 || result.status == 2, "\(result)")
      #expect(result.stderrLines.count == 1, "\(result)")
      #expect(result.stderr.hasPrefix("medref: \(sandbox.index): "), "\(result)")
      #expect(result.stderr.contains("not a MedRef index"), "\(result)")
    }
  }
}
