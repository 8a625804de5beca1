import Foundation
import Testing

@testable import MedRefBase
@testable import MedRefExtraction
@testable import MedRefText

/// `Extractor`, `medref extract`'s use case, on real pages and text.
@Suite("Extractor")
struct ExtractorTests {
  /// Real articles, and files that cannot be extracted, in a temporary folder.
  final class Files {
    let folder: TemporaryFolder
    let pages: [String]

    init() throws {
      folder = try TemporaryFolder()
      // Not in alphabetical order, and more than there are cores: the order given must come back.
      var pages: [String] = []
      for (name, fixture) in [
        ("typhoid.txt", "text/typhoid.txt"), ("migraine.html", "html/migraine.html"),
        ("back-spasms.txt", "back-spasms.txt"), ("asthma.html", "html/asthma.html"),
        ("hfmd.html", "html/hfmd-fragment.html"), ("back-pain.html", "html/back-pain.html"),
      ] {
        pages.append(try folder.write(name, try Fixture.bytes(fixture)))
      }
      self.pages = pages
    }

    func write(_ name: String, _ bytes: [UInt8]) throws -> String { try folder.write(name, bytes) }
  }

  static func extract(_ paths: [String], _ extractor: Extractor) throws -> ([Extractor.Outcome], Extractor.Summary) {
    var outcomes: [Extractor.Outcome] = []
    let summary = try extractor.extract(paths) { outcomes.append($0) }
    return (outcomes, summary)
  }

  @Test("Several files come back in the order given, each with its extract object and JSON line")
  func order() throws {
    let files = try Files()
    let extractor = Extractor(ids: DocumentID(base: files.folder.path), notes: false)
    let (outcomes, summary) = try Self.extract(files.pages + [files.pages[0]], extractor)
    #expect(summary == Extractor.Summary(files: 7, failed: 0))
    let extracted = outcomes.compactMap { outcome -> Extractor.Extracted? in
      if case .extracted(let extracted) = outcome { return extracted }
      return nil
    }
    #expect(extracted.map(\.file.path) == files.pages + [files.pages[0]])
    #expect(
      extracted.map(\.record.id) == ["typhoid", "migraine", "back-spasms", "asthma", "hfmd", "back-pain", "typhoid"])
    for item in extracted {
      // What the pipeline gives for the file on its own.
      let article = try Pipeline().process(item.file, ids: extractor.ids)
      #expect(item.record == ExtractRecord(article))
      #expect(item.jsonLine == ExtractRecord(article).jsonLine)
      #expect(item.notes.isEmpty)
    }
  }

  @Test("A path or file that fails is reported in its place, and the files around it still go through")
  func failures() throws {
    let files = try Files()
    let missing = files.folder.path + "/no such folder/gone.txt"
    let empty = try files.write("empty.txt", [])
    let binary = try files.write("binary.txt", [0, 1, 2, 3] + Array("binary".utf8) + [0, 0, 0])
    let latin1 = try files.write(
      "gout.txt", .latin1("Gout\n\nGout is a kind of arthritis.\n\n- pain in the \u{E9}toe\n"))
    let noText = try files.write("script.html", Array("<html><body><script>x()</script></body></html>".utf8))
    let paths = [files.pages[1], missing, empty, files.pages[2], binary, latin1, noText, files.pages[3]]
    let (outcomes, summary) = try Self.extract(paths, Extractor(ids: DocumentID(base: files.folder.path), notes: true))
    #expect(summary == Extractor.Summary(files: 7, failed: 4))
    let shown = outcomes.map { outcome -> String in
      switch outcome {
      case .extracted(let extracted): return "ok " + extracted.record.id
      case .failed(let failure): return "failed \(failure.path): \(failure.reason)"
      case .archive(let path, _): return "archive \(path)"
      }
    }
    // The path that cannot be listed comes first, before any file is extracted.
    #expect(
      shown == [
        "failed \(missing): no such file or directory", "ok migraine", "failed \(empty): empty file", "ok back-spasms",
        "failed \(binary): binary file, not text or HTML", "ok gout", "failed \(noText): no article text found",
        "ok asthma",
      ])
    let failures = outcomes.compactMap { outcome -> Extractor.Failure? in
      if case .failed(let failure) = outcome { return failure }
      return nil
    }
    #expect(failures[0].jsonLine == nil, "a path that names no file gets no record")
    #expect(failures[0].message == "\(missing): no such file or directory")
    #expect(failures[1].jsonLine == "{\"error\":\"empty file\",\"path\":\"\(empty)\"}")
    #expect(failures[1].message == "\(empty): empty file")
    // Notes, asked for: the Windows-1252 fallback of the file that is not UTF-8.
    guard case .extracted(let gout) = outcomes[5] else { throw CancellationError() }
    #expect(gout.notes.contains { $0.message.hasPrefix("decoded as Windows-1252") && $0.file == latin1 })
  }

  @Test("For --format json there are records and no lines, for records or failures")
  func records() throws {
    let files = try Files()
    let empty = try files.write("empty.txt", [])
    let extractor = Extractor(
      findEntities: false, format: .json, ids: DocumentID(base: files.folder.path), notes: false)
    let (outcomes, summary) = try Self.extract([files.pages[2], empty], extractor)
    #expect(summary == Extractor.Summary(files: 2, failed: 1))
    guard case .extracted(let extracted) = outcomes[0], case .failed(let failure) = outcomes[1] else {
      Issue.record("\(outcomes)")
      return
    }
    #expect(extracted.jsonLine == nil && failure.jsonLine == nil)
    #expect(extracted.record.sections.allSatisfy { $0.entities.isEmpty }, "no entities asked for")
    #expect(!extracted.record.sections.isEmpty)
  }

  @Test("A folder's articles in its listing's order, other files left out")
  func folder() throws {
    let files = try Files()
    try files.folder.write("sub/a.txt", try Fixture.bytes("back-spasms.txt"))
    try files.folder.write("sub/b.md", "not an article")
    try files.folder.write("sub/c/d.html", try Fixture.bytes("html/asthma.html"))
    let (outcomes, summary) = try Self.extract(
      [files.folder.path + "/sub"], Extractor(ids: DocumentID(base: files.folder.path), notes: false))
    #expect(summary == Extractor.Summary(files: 2, failed: 0))
    let ids = outcomes.compactMap { outcome -> String? in
      if case .extracted(let extracted) = outcome { return extracted.record.id }
      return nil
    }
    #expect(ids == ["sub/a", "sub/c/d"])
  }
}
