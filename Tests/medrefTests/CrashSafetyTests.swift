import Foundation
import Testing

/// `medref ingest` killed with SIGKILL part-way (a light version of `scripts/crash-test`): after every kill the index
/// checks out and holds only whole documents, and a run to completion gives what an uninterrupted ingest gives.
/// Where a kill lands depends on the machine's load, so only what holds wherever it lands is asserted.
@Suite("medref ingest killed part-way")
struct CrashSafetyTests {
  /// How many articles the generated corpus has.
  static let articleCount = 120

  /// Copies of the sample articles under `corpus/`, each with text of its own: a numbered paragraph naming a few
  /// symptoms and tests, in the article's own format.
  static func makeCorpus(in sandbox: Sandbox) throws {
    let folder = Fixture.repository.appendingPathComponent("Corpus").path
    let samples = try FileManager.default.contentsOfDirectory(atPath: folder)
      .filter { ["txt", "html", "htm"].contains(($0 as NSString).pathExtension) }.sorted()
    try #require(!samples.isEmpty)
    let words = [
      "numbness", "fever", "fatigue", "headache", "nausea", "MRI", "blood test", "X-ray", "ibuprofen", "rest",
    ]
    for number in 0..<articleCount {
      let sample = samples[number % samples.count]
      var text = String(decoding: try Fixture.data("Corpus/" + sample), as: UTF8.self)
      let picked = (0..<3).map { words[(number * 7 + $0 * 3) % words.count] }
      let note =
        "Reader note \(number): this copy also mentions \(picked.joined(separator: ", ")) and case \(number * 31)."
      if sample.hasSuffix(".txt") {
        text += "\n\nReader Notes\n\n\(note)\n"
      } else if let end = text.range(of: "</body>", options: [.caseInsensitive, .backwards]) {
        text.replaceSubrange(end, with: "<p>\(note)</p>\n</body>")
      } else {
        text += "\n<p>\(note)</p>\n"
      }
      let name = (sample as NSString).deletingPathExtension + "-\(number)." + (sample as NSString).pathExtension
      try sandbox.write(text, to: "corpus/" + name)
    }
  }

  /// The exported documents of an index by id (each as its JSON line), or none when the index was never created.
  static func export(_ sandbox: Sandbox, index: String) async throws -> [String: String] {
    let result = try await sandbox.medref("export", "--index", index)
    try #require(result.status == 0, "\(result)")
    var documents: [String: String] = [:]
    for line in result.stdoutLines {
      let id = try #require(try JSON.object(line)["id"] as? String)
      #expect(documents[id] == nil, "\(id) exported twice")
      documents[id] = line
    }
    return documents
  }

  static func expectCheckOK(_ sandbox: Sandbox, index: String, _ when: String) async throws {
    let check = try await sandbox.medref("check", "--index", index)
    #expect(check.status == 0 && check.stdout.hasSuffix(": ok\n"), "\(when): \(check)")
  }

  @Test("SIGKILL at several points: check ok, committed documents whole, a re-run equals an uninterrupted run")
  func killedIngests() async throws {
    try await Sandbox.with { sandbox in
      try Self.makeCorpus(in: sandbox)
      let reference = sandbox.url("Index/reference.sqlite").path
      let crashed = sandbox.url("Index/crashed.sqlite").path

      let started = Date()
      let uninterrupted = try await sandbox.medref("ingest", "corpus", "--index", reference, "--quiet")
      let duration = Date().timeIntervalSince(started)
      try #require(uninterrupted.status == 0, "\(uninterrupted)")
      let expected = try await Self.export(sandbox, index: reference)
      try #require(expected.count == Self.articleCount)

      // Kills very early (opening and creating the index), then through the run; the index keeps what each killed
      // run committed, so later runs have less to do and some may end before their kill.
      for (number, fraction) in [0.0, 0.01, 0.3, 0.5, 0.9].enumerated() {
        let run = try await sandbox.medref(
          ["ingest", "corpus", "--index", crashed, "--quiet"], killAfter: duration * fraction)
        let when = "kill \(number + 1) after \(String(format: "%.3f", duration * fraction)) s"
        if !run.killed { #expect(run.status == 0, "\(when): ended by itself\n\(run)") }
        guard FileManager.default.fileExists(atPath: crashed) else { continue }  // killed before creating it
        try await Self.expectCheckOK(sandbox, index: crashed, when)
        for (id, line) in try await Self.export(sandbox, index: crashed) {
          #expect(line == expected[id], "\(when): \(id) is not the document an uninterrupted run stores")
        }
      }

      let rerun = try await sandbox.medref("ingest", "corpus", "--index", crashed, "--quiet")
      #expect(rerun.status == 0, "\(rerun)")
      try await Self.expectCheckOK(sandbox, index: crashed, "after the re-run")
      let final = try await Self.export(sandbox, index: crashed)
      #expect(final.keys.sorted() == expected.keys.sorted())
      #expect(final == expected, "the re-run's export differs from the uninterrupted run's")
      // The search statistics are complete too: a misspelt word gets the same suggestion from both indexes.
      var suggestions: [[String]] = []
      for index in [reference, crashed] {
        let search = try await sandbox.medref("search", "numbnes", "--json", "--index", index)
        try #require(search.status == 0, "\(search)")
        suggestions.append(JSON.strings(try JSON.object(search.stdout)["suggestions"]))
      }
      #expect(suggestions[0] == ["numbness"])
      #expect(suggestions[1] == suggestions[0], "the re-run left the search vocabulary stale")
    }
  }
}
