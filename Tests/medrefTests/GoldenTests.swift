import Foundation
import Testing

/// Whole outputs compared byte for byte with committed references in Golden/. Run with MEDREF_UPDATE_GOLDEN=1 to
/// rewrite the references (the run then records an issue), and review the diff before committing.
@Suite("golden outputs")
struct GoldenTests {
  /// HTML pages with every kind of boilerplate around a health article (MedRefCoreTests' fixtures).
  static let htmlPages = ["migraine.html", "asthma.html", "back-pain.html"]
  static let htmlFolder = "Tests/MedRefCoreTests/Fixtures/html"


  @Test("medref extract PAGE.html --format json matches Golden/PAGE.extract.json", arguments: htmlPages)
  func extractHTML(_ page: String) async throws {
    let stem = String(page.dropLast(".html".count))
    try await Sandbox.with { sandbox in
      try sandbox.copyFixture("\(Self.htmlFolder)/\(page)", to: page)
      let result = try await sandbox.medref("extract", page, "--format", "json", "--entities", in: sandbox.root)
      #expect(result.status == 0, "\(result)")
      #expect(result.stderr.isEmpty, "\(result)")
      let records = try JSON.array(result.stdout)
      #expect(records.first?["id"] as? String == stem, "\(result)")
      #expect((records.first?["blocks"] as? [Any])?.isEmpty == false, "\(result)")
      try Golden.check(result.stdoutData, against: "\(stem).extract.json")
    }
  }

  /// The articles of the repository's Corpus/.
  static let corpusFiles = [
    "asthma.txt", "back-spasms.txt", "gastroenteritis.htm", "gout.html", "migraine.html", "plantar-fasciitis.txt",
    "type-2-diabetes.html",
  ]

  @Test("medref extract Corpus/FILE --format json matches Golden/corpus/STEM.extract.json", arguments: corpusFiles)
  func extractCorpus(_ file: String) async throws {
    let stem = String(file[..<(file.lastIndex(of: ".") ?? file.endIndex)])
    try await Sandbox.with { sandbox in
      try sandbox.copyFixture("Corpus/\(file)", to: file)
      let result = try await sandbox.medref("extract", file, "--format", "json", "--entities", in: sandbox.root)
      #expect(result.status == 0, "\(result)")
      #expect(result.stderr.isEmpty, "\(result)")
      let records = try JSON.array(result.stdout)
      #expect(records.first?["id"] as? String == stem, "\(result)")
      #expect((records.first?["sections"] as? [Any])?.isEmpty == false, "\(result)")
      try Golden.check(result.stdoutData, against: "corpus/\(stem).extract.json")
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
