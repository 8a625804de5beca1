import Foundation
import Testing

@Suite("medref ingest")
struct IngestTests {
  @Test("a corpus with bad files: exit 1, one stderr line per bad file, good files in, .md skipped")
  func ingestReportsBadFilesAndTakesTheRest() async throws {
    try await Sandbox.with { sandbox in
      try sandbox.makeCorpus(badFiles: true)

      let first = try await sandbox.medref("ingest", "corpus", "--index", sandbox.index)
      #expect(first.status == 1, "\(first)")
      #expect(!first.crashed)

      // Exactly one line per bad file, `medref: <file>: <reason>`.
      let lines = first.messageLines
      #expect(lines.count == 2, "expected one stderr line per bad file\n\(first)")
      let emptyLines = lines.filter { $0.hasPrefix("medref: corpus/empty.txt: ") }
      let binaryLines = lines.filter { $0.hasPrefix("medref: corpus/binary.txt: ") }
      #expect(emptyLines.count == 1, "\(first)")
      #expect(binaryLines.count == 1, "\(first)")
      #expect(emptyLines.first?.contains("empty file") == true, "\(first)")
      #expect(binaryLines.first?.contains("binary file") == true, "\(first)")
      #expect(!first.stderr.contains("notes.md"), "a skipped file is not a failure\n\(first)")
      for good in ["back-spasms", "gout", "shin-splints"] {
        #expect(!first.stderr.contains(good), "\(good) should not fail\n\(first)")
      }

      // The summary on stdout counts the good files, the failures and the skipped .md file.
      #expect(first.stdoutLines.count == 1, "\(first)")
      let summary = first.stdout
      #expect(summary.hasPrefix("Ingested 3 of 5 files into \(sandbox.index)"), "\(first)")
      for part in ["3 added", "0 updated", "0 unchanged", "2 failed", "1 skipped"] {
        #expect(summary.contains(part), "summary should say '\(part)'\n\(first)")
      }

      // The good files are in the index.
      let export = try await sandbox.medref("export", "--index", sandbox.index)
      #expect(export.status == 0, "\(export)")
      let ids = try export.stdoutLines.map { try JSON.object($0)["id"] as? String }
      #expect(ids == Sandbox.corpusIDs, "\(export)")
    }
  }

  @Test("hostile files: each gets one line naming it and why, the rest go in; a symlink loop is not followed")
  func hostileFiles() async throws {
    try await Sandbox.with { sandbox in
      try sandbox.makeCorpus(badFiles: false)
      let gout = try Fixture.data("Corpus/gout.html")
      try sandbox.write(gout.prefix(2500), to: "corpus/truncated.html")
      try sandbox.write(Data("Title\n\nSome text\u{0} with NUL\u{0} bytes.\n".utf8), to: "corpus/nul.txt")
      try sandbox.write(
        Data([0x43, 0x61, 0x66, 0xE9, 0x20, 0xFF, 0xFE, 0x0A, 0x0A] + Array("Pain and fever.\n".utf8)),
        to: "corpus/invalid.txt")
      try sandbox.write(Data(repeating: UInt8(ascii: "a"), count: 1_200_000), to: "corpus/huge-line.txt")
      try FileManager.default.createSymbolicLink(
        atPath: sandbox.root.appendingPathComponent("corpus/loop").path,
        withDestinationPath: sandbox.root.appendingPathComponent("corpus").path)
      let result = try await sandbox.medref("ingest", "corpus", "--index", sandbox.index, "--max-size", "1")
      #expect(result.status == 1, "\(result)")
      #expect(!result.crashed)
      #expect(result.messageLines.count == 2, "one line per bad file\n\(result)")
      #expect(result.stderrLines.contains { $0.hasPrefix("medref: corpus/nul.txt: binary file") }, "\(result)")
      #expect(
        result.stderrLines.contains { $0.hasPrefix("medref: corpus/huge-line.txt: file too large") }, "\(result)")
      // Truncated HTML and invalid UTF-8 are read as far as they go.
      #expect(result.stdout.contains("5 added"), "\(result)")
      let check = try await sandbox.medref("check", "--index", sandbox.index)
      #expect(check.status == 0, "\(check)")
    }
  }

  @Test("re-ingesting unchanged files changes nothing; a modified file is updated; --json is valid")
  func reingestIsIncremental() async throws {
    try await Sandbox.with { sandbox in
      try sandbox.makeCorpus(badFiles: true)
      try await sandbox.ingestCorpus(expecting: 1)

      // The same ingest again, as text: nothing added or updated.
      let again = try await sandbox.ingestCorpus(expecting: 1)
      for part in ["0 added", "0 updated", "3 unchanged", "2 failed", "1 skipped"] {
        #expect(again.stdout.contains(part), "summary should say '\(part)'\n\(again)")
      }
      #expect(again.messageLines.count == 2, "\(again)")

      // And as JSON.
      let json = try await sandbox.ingestCorpus(expecting: 1, "--json")
      #expect(json.stdoutLines.count == 1, "\(json)")
      let report = try JSON.object(json.stdout)
      #expect(JSON.strings(report["added"]).isEmpty, "\(json)")
      #expect(JSON.strings(report["updated"]).isEmpty, "\(json)")
      #expect(JSON.strings(report["unchanged"]).sorted() == Sandbox.corpusIDs, "\(json)")
      #expect(JSON.strings(report["skipped"]) == ["corpus/notes.md"], "\(json)")
      let failed = JSON.strings(report["failed"])
      #expect(failed.count == 2, "\(json)")
      #expect(failed.contains { $0.hasPrefix("corpus/empty.txt: ") && $0.contains("empty file") }, "\(json)")
      #expect(failed.contains { $0.hasPrefix("corpus/binary.txt: ") && $0.contains("binary file") }, "\(json)")

      // Modify one file: exactly that one is updated.
      var page = try sandbox.read("corpus/gout.html")
      page.append(Data("<!-- edited -->\n".utf8))
      try sandbox.write(page, to: "corpus/gout.html")
      let modified = try await sandbox.ingestCorpus(expecting: 1, "--json")
      let after = try JSON.object(modified.stdout)
      #expect(JSON.strings(after["updated"]) == ["corpus/gout"], "\(modified)")
      #expect(JSON.strings(after["added"]).isEmpty, "\(modified)")
      #expect(
        JSON.strings(after["unchanged"]).sorted() == ["corpus/back-spasms", "corpus/shin-splints"], "\(modified)")

      // Still three documents.
      let stats = try await sandbox.medref("stats", "--json", "--index", sandbox.index)
      #expect(stats.status == 0, "\(stats)")
      #expect(try JSON.object(stats.stdout)["documents"] as? Int == 3, "\(stats)")
    }
  }

  @Test("a corpus of good files only: exit 0, nothing on stderr, summary says 3 added")
  func ingestGoodFiles() async throws {
    try await Sandbox.with { sandbox in
      try sandbox.makeCorpus(badFiles: false)
      let result = try await sandbox.medref("ingest", "corpus", "--index", sandbox.index, "--json")
      #expect(result.status == 0, "\(result)")
      #expect(result.messageLines.isEmpty, "\(result)")
      let report = try JSON.object(result.stdout)
      #expect(JSON.strings(report["added"]).sorted() == Sandbox.corpusIDs, "\(result)")
      #expect(JSON.strings(report["failed"]).isEmpty, "\(result)")
      #expect(FileManager.default.fileExists(atPath: sandbox.index))
    }
  }

  @Test("the Windows-1252 page is decoded: 0x92, 0x93, 0x94 become ’ “ ”")
  func windows1252PageIsDecoded() async throws {
    try await Sandbox.with { sandbox in
      try sandbox.makeCorpus(badFiles: false)
      try await sandbox.ingestCorpus()
      let export = try await sandbox.medref("export", "shin-splints", "--index", sandbox.index)
      #expect(export.status == 0, "\(export)")
      #expect(export.stdoutLines.count == 1, "\(export)")
      let record = try JSON.object(export.stdout)
      #expect(record["id"] as? String == "corpus/shin-splints")
      #expect(record["title"] as? String == "Shin splints", "\(export)")
      let encoding = record["encoding"] as? [String: Any]
      #expect(encoding?["detected"] as? String == "windows-1252", "\(export)")
      let text = record["text"] as? String ?? ""
      #expect(text.contains("It\u{2019}s common in runners"), "\(text)")
      #expect(text.contains("\u{201C}medial tibial stress\u{201D}"), "\(text)")
      #expect(!text.contains("\u{FFFD}"), "\(text)")
      let sections = JSON.flatten(record["sections"] as? [[String: Any]] ?? [])
      #expect(sections.contains { $0["kind"] as? String == "symptoms" }, "\(export)")
      #expect(sections.contains { $0["kind"] as? String == "causes" }, "\(export)")
    }
  }

  @Test("--prune forgets an article whose file is gone")
  func pruneRemovesDeletedFiles() async throws {
    try await Sandbox.with { sandbox in
      try sandbox.makeCorpus(badFiles: false)
      try await sandbox.ingestCorpus()
      try FileManager.default.removeItem(at: sandbox.url("corpus/gout.html"))
      let pruned = try await sandbox.ingestCorpus(expecting: 0, "--prune", "--json")
      let report = try JSON.object(pruned.stdout)
      #expect(JSON.strings(report["pruned"]) == ["corpus/gout"], "\(pruned)")
      let export = try await sandbox.medref("export", "--index", sandbox.index)
      let ids = try export.stdoutLines.map { try JSON.object($0)["id"] as? String }
      #expect(ids == ["corpus/back-spasms", "corpus/shin-splints"], "\(export)")
    }
  }
}
