import Foundation
import Testing

/// Whole outputs compared byte for byte with committed references in Golden/. Run with MEDREF_UPDATE_GOLDEN=1 to
/// rewrite the references (the run then records an issue), and review the diff before committing.
@Suite("golden outputs")
struct GoldenTests {
  /// HTML pages with every kind of boilerplate around a health article (MedRefCoreTests' fixtures).
  /// `hfmd-fragment.html` is a saved DOM fragment (no `<html>` or `<body>`) in the style of consumer-health sites:
  /// headings with a "head" class, one inside a byline, bold labels acting as headings, a related-links rail.
  static let htmlPages = ["migraine.html", "asthma.html", "back-pain.html", "hfmd-fragment.html"]
  static let htmlFolder = "Tests/MedRefCoreTests/Fixtures/html"

  /// Plain-text scrapes written for the tests in the style of disease-reference sites: each heading printed twice
  /// (an upper-case tab label, then the title-case heading), numbered sub-headings, promo lines glued to text, and
  /// a feedback, newsletter, disclaimer and references block at the end.
  static let textPages = ["typhoid.txt"]
  static let textFolder = "Tests/MedRefCoreTests/Fixtures/text"

  @Test(
    "medref extract PAGE --format json matches Golden/STEM.extract.json",
    arguments: htmlPages.map { (htmlFolder, $0) } + textPages.map { (textFolder, $0) })
  func extractPage(_ folder: String, _ page: String) async throws {
    let stem = String(page[..<(page.lastIndex(of: ".") ?? page.endIndex)])
    try await Sandbox.with { sandbox in
      try sandbox.copyFixture("\(folder)/\(page)", to: page)
      let result = try await sandbox.medref("extract", page, "--format", "json", in: sandbox.root)
      #expect(result.status == 0, "\(result)")
      #expect(result.stderr.isEmpty, "\(result)")
      let records = try JSON.array(result.stdout)
      #expect(records.first?["id"] as? String == stem, "\(result)")
      #expect((records.first?["blocks"] as? [Any])?.isEmpty == false, "\(result)")
      #expect((records.first?["sections"] as? [Any])?.isEmpty == false, "\(result)")
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
      let result = try await sandbox.medref("extract", file, "--format", "json", in: sandbox.root)
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

  @Test("medref show back-spasms (text) matches Golden/show-back-spasms.txt; --order reading nests sub-sections")
  func showBackSpasms() async throws {
    try await Sandbox.with { sandbox in
      try sandbox.makeCorpus(badFiles: false)
      try await sandbox.ingestCorpus()
      let result = try await sandbox.medref("show", "back-spasms", "--index", sandbox.index)
      #expect(result.status == 0, "\(result)")
      #expect(result.stderr.isEmpty, "\(result)")
      #expect(!result.stdout.contains("\u{1B}"), "no colour with NO_COLOR=1 and no terminal\n\(result)")
      // The parts a reader looks for: red flags, kinds as groups, items, entities with HPO ids.
      for expected in [
        "RED FLAGS", "lose control of your bowels or bladder", "\nSYMPTOMS\n", "\nTESTS\n", "\nTREATMENT\n",
        "• You feel pain in the spasm area.", "tingling → Paresthesia (HP:0003401)", "Electromyogram",
        "How to Stretch a Lower Back Spasm › Why you should NOT move", "medications (",
      ] {
        #expect(result.stdout.contains(expected), "missing \(expected)\n\(result)")
      }
      try Golden.check(result.stdoutData, against: "show-back-spasms.txt")

      let reading = try await sandbox.medref(
        "show", "corpus/back-spasms", "--order", "reading", "--index", sandbox.index)
      #expect(reading.status == 0, "\(reading)")
      let lines = reading.stdout.split(separator: "\n", omittingEmptySubsequences: false)
      let parent = try #require(lines.firstIndex { $0.hasPrefix("How to Stretch a Lower Back Spasm  [") })
      let child = try #require(lines.firstIndex { $0.hasPrefix("  Why you should NOT move  [") }, "\(reading)")
      #expect(parent < child)

      let unknown = try await sandbox.medref("show", "no-such-article", "--index", sandbox.index)
      #expect(unknown.status == 2)
      #expect(unknown.stderr.hasPrefix("medref: no-such-article: "), "\(unknown)")
    }
  }
}
