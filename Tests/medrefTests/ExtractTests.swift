import Foundation
import Testing

@Suite("medref extract")
struct ExtractTests {
  @Test("extract prints one JSON object per line with path, title, text and classified sections")
  func extractBackSpasms() async throws {
    try await Sandbox.with { sandbox in
      try sandbox.makeCorpus(badFiles: false)
      let result = try await sandbox.medref("extract", "corpus/back-spasms.txt")
      #expect(result.status == 0, "\(result)")
      #expect(result.stderr.isEmpty, "\(result)")
      #expect(result.stdoutLines.count == 1, "one object per file, one line each\n\(result)")
      let record = try JSON.object(result.stdoutLines.first ?? "")
      #expect(record["path"] as? String == "corpus/back-spasms.txt")
      #expect(record["id"] as? String == "corpus/back-spasms")
      #expect(record["title"] as? String == "How To Help Lower Back Spasms")
      let text = try #require(record["text"] as? String)
      #expect(text.contains("lower back"))
      let topLevel = try #require(record["sections"] as? [[String: Any]])
      let sections = JSON.flatten(topLevel)
      #expect(!sections.isEmpty)
      for section in sections {
        #expect(section["heading"] is String, "section without heading: \(section)")
        #expect(section["kind"] is String, "section without kind: \(section)")
        #expect(section["items"] is [String], "section without items: \(section)")
      }
      let expected = [
        ("What Are The Symptoms Of The Lower Back Muscle Spasm", "symptoms"),
        ("Causes Of Back Spasms", "causes"),
        ("How Is Lumbar Strain Diagnosed", "tests"),
      ]
      for (heading, kind) in expected {
        let found = sections.first { $0["heading"] as? String == heading }
        #expect(found != nil, "no section headed '\(heading)'")
        #expect(found?["kind"] as? String == kind, "'\(heading)' should be \(kind)")
      }
      // The symptoms section lists its items.
      let symptoms = sections.first { $0["heading"] as? String == expected[0].0 }
      let items = JSON.strings(symptoms?["items"])
      #expect(items.contains { $0.contains("numbness") }, "\(items)")
      // The lossy mojibake in the sample is repaired and reported as a guess.
      #expect(text.contains("aren\u{2019}t usually recommended"))
      #expect(!text.contains("aren\u{E2}t"))
      let repairs = record["repairs"] as? [[String: Any]] ?? []
      #expect(
        repairs.contains {
          $0["from"] as? String == "\u{E2}" && $0["to"] as? String == "\u{2019}" && $0["exact"] as? Bool == false
        },
        "\(repairs)")
    }
  }

  @Test("MEDREF_THREADS sets how many threads work (a Spark executor's share); out of range it is a usage error")
  func threadsFromTheEnvironment() async throws {
    try await Sandbox.with { sandbox in
      try sandbox.makeCorpus(badFiles: false)
      let all = try await sandbox.medref(["extract", "corpus"], environment: ["MEDREF_THREADS": nil])
      #expect(all.status == 0, "\(all)")
      #expect(all.stdoutLines.count >= 2, "several files: their order is what one thread must keep\n\(all)")
      let one = try await sandbox.medref(["extract", "corpus"], environment: ["MEDREF_THREADS": "1"])
      #expect(one.status == 0, "\(one)")
      #expect(one.stdoutData == all.stdoutData, "one thread gives what every core gives, in the same order")
      for bad in ["0", "65", "two", ""] {
        let result = try await sandbox.medref(["extract", "corpus"], environment: ["MEDREF_THREADS": bad])
        #expect(result.status == 2, "MEDREF_THREADS=\(bad): \(result)")
        #expect(result.stdoutData.isEmpty)
        #expect(
          result.stderr == "medref: MEDREF_THREADS must be a whole number from 1 to 64, not '\(bad)'\n", "\(result)")
      }
    }
  }

  @Test("extract --format jsonl: blocks in reading order with types, levels, list items and source lines")
  func extractBlocks() async throws {
    try await Sandbox.with { sandbox in
      try sandbox.makeCorpus(badFiles: false)
      let result = try await sandbox.medref("extract", "corpus/back-spasms.txt", "--format", "jsonl")
      #expect(result.status == 0, "\(result)")
      let record = try JSON.object(result.stdoutLines.first ?? "")
      for key in ["path", "title", "text", "blocks", "sections", "metadata"] {
        #expect(record[key] != nil, "missing \(key)")
      }
      let blocks = try #require(record["blocks"] as? [[String: Any]])
      #expect(blocks.first?["type"] as? String == "heading")
      #expect(blocks.first?["level"] as? Int == 1)
      #expect(blocks.first?["line"] as? Int == 1)
      // The five tests under "How Is Lumbar Strain Diagnosed" (line 23) are one list, lines 27 to 31.
      let index = try #require(blocks.firstIndex { $0["text"] as? String == "How Is Lumbar Strain Diagnosed" })
      #expect(blocks[index]["line"] as? Int == 23)
      #expect(blocks[index + 1]["type"] as? String == "paragraph")
      let tests = try #require(blocks[index + 2]["items"] as? [[String: Any]])
      #expect(tests.map { $0["line"] as? Int } == [27, 28, 29, 30, 31])
      #expect((tests.first?["text"] as? String)?.hasPrefix("X-ray.") == true)
      // Every block has a line in plain text, and they go forward.
      let lines = blocks.compactMap { $0["line"] as? Int }
      #expect(lines.count == blocks.count && lines == lines.sorted())
      // The author bio and its counters (line 35) are nowhere in the output.
      for gone in ["Steve Horney", "74,840", "reader-approved", "references cited"] {
        #expect(!result.stdout.contains(gone), "\(gone)")
      }
    }
  }

  @Test("extract of several files: one line each; a failing file gets an error line, stderr line, exit 1")
  func extractSeveralFilesWithAFailure() async throws {
    try await Sandbox.with { sandbox in
      try sandbox.makeCorpus(badFiles: true)
      let result = try await sandbox.medref(
        "extract", "corpus/back-spasms.txt", "corpus/empty.txt", "corpus/shin-splints.html")
      #expect(result.status == 1, "\(result)")
      #expect(result.stdoutLines.count == 3, "\(result)")
      let records = try result.stdoutLines.map { try JSON.object($0) }
      #expect(
        records.map { $0["path"] as? String }
          == ["corpus/back-spasms.txt", "corpus/empty.txt", "corpus/shin-splints.html"])
      #expect(records[1]["error"] as? String == "empty file", "\(result)")
      #expect(records[0]["error"] == nil && records[2]["error"] == nil, "\(result)")
      #expect(records[2]["title"] as? String == "Shin splints", "\(result)")
      #expect(result.stderrLines == ["medref: corpus/empty.txt: empty file"], "\(result)")
    }
  }

  @Test("extract of a missing file exits 1 and names it")
  func extractMissingFile() async throws {
    try await Sandbox.with { sandbox in
      let result = try await sandbox.medref("extract", "no-such-file.txt")
      #expect(result.status == 1, "\(result)")
      #expect(result.stderrLines.count == 1, "\(result)")
      #expect(result.stderr.hasPrefix("medref: no-such-file.txt: "), "\(result)")
    }
  }

  @Test("--format json prints one JSON array")
  func extractFormatJSON() async throws {
    try await Sandbox.with { sandbox in
      try sandbox.makeCorpus(badFiles: false)
      let result = try await sandbox.medref(
        "extract", "corpus/gout.html", "corpus/shin-splints.html", "--format", "json")
      #expect(result.status == 0, "\(result)")
      let records = try JSON.array(result.stdout)
      #expect(records.map { $0["id"] as? String } == ["corpus/gout", "corpus/shin-splints"], "\(result)")
      let gout = records[0]
      #expect(gout["title"] as? String == "Gout", "\(result)")
      // UTF-8 mojibake in the page ('Itâ€™s') is repaired exactly.
      let text = gout["text"] as? String ?? ""
      #expect(text.contains("It\u{2019}s caused by a build-up of uric acid"), "\(text.prefix(600))")
      #expect(!text.contains("\u{E2}\u{20AC}"), "\(text.prefix(600))")
    }
  }
}
