import Foundation
import Testing

/// Whole outputs compared byte for byte with committed references in Golden/. Run with MEDREF_UPDATE_GOLDEN=1 to
/// rewrite the references (the run then records an issue), and review the diff before committing.
@Suite("golden outputs")
struct GoldenTests {
  @Test("medref extract back-spasms.txt --format json matches Golden/back-spasms.extract.json")
  func extractBackSpasms() async throws {
    try await Sandbox.with { sandbox in
      try sandbox.copyFixture("back-spasms.txt", to: "back-spasms.txt")
      let result = try await sandbox.medref("extract", "back-spasms.txt", "--format", "json", in: sandbox.root)
      #expect(result.status == 0, "\(result)")
      #expect(result.stderr.isEmpty, "\(result)")
      // Sanity before comparing: it is the extract of the fixture.
      let records = try JSON.array(result.stdout)
      #expect(records.first?["id"] as? String == "back-spasms", "\(result)")
      try Golden.check(result.stdoutData, against: "back-spasms.extract.json")
    }
  }

  @Test("medref search numbness --section symptoms (text) matches Golden/search-numbness-symptoms.txt")
  func searchNumbnessText() async throws {
    try await Sandbox.with { sandbox in
      try sandbox.makeCorpus(badFiles: false)
      try await sandbox.ingestCorpus()
      let result = try await sandbox.medref("search", "numbness", "--section", "symptoms", "--index", sandbox.index)
      #expect(result.status == 0, "\(result)")
      #expect(result.stderr.isEmpty, "\(result)")
      #expect(!result.stdout.contains("\u{1B}"), "no colour with NO_COLOR=1 and no terminal\n\(result)")
      #expect(result.stdout.contains("[numbness]"), "\(result)")
      try Golden.check(result.stdoutData, against: "search-numbness-symptoms.txt")
    }
  }
}
