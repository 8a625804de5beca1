import Foundation
import Testing

@testable import MedRefBase
@testable import MedRefExtraction
@testable import MedRefIndex
@testable import MedRefSearch
@testable import MedRefText
@testable import MedRefWeb

@Suite("Index: ingest, search, export")
struct IndexTests {
  /// A corpus in a temporary folder with the index at `<folder>/Index/medref.sqlite`.
  struct Setup {
    let folder: TemporaryFolder
    let store: IndexStore

    init() throws {
      folder = try TemporaryFolder()
      try folder.write("corpus/back-spasms.txt", try Fixture.bytes("back-spasms.txt"))
      try folder.write(
        "corpus/gout.html",
        .latin1(
          """
          <html><head><meta charset="windows-1252"><title>Gout | Site</title></head><body>
          <nav>Home Conditions</nav><main><h1>Gout</h1><p>Gout is a painful arthritis that\u{92}s common.</p>
          <h2>Symptoms of gout</h2><ul><li>Sudden joint pain in the big toe</li><li>Red, hot swelling</li></ul>
          <h2>How is gout diagnosed?</h2><p>A joint fluid test and a blood test for uric acid; rarely an MRI.</p>
          <h2>Treatment</h2><p>Colchicine and NSAIDs ease an attack.</p></main></body></html>
          """))
      store = try IndexStore(path: folder.path + "/Index/medref.sqlite", create: true)
    }

    func ingest(prune: Bool = false) throws -> IngestReport {
      try Ingestor(store: store).ingest([folder.path + "/corpus"], prune: prune)
    }
  }

  @Test("End to end: ingest a folder, search by symptom with a section filter, find tests")
  func endToEnd() throws {
    let setup = try Setup()
    let report = try setup.ingest()
    #expect(report.added == ["corpus/back-spasms", "corpus/gout"])
    #expect(report.failed.isEmpty)

    let searcher = Searcher(store: setup.store)
    let numbness = try searcher.search(SearchRequest(text: "numbness", kinds: [.symptoms]))
    #expect(numbness.results.first?.id == "corpus/back-spasms")
    #expect(numbness.results.first?.sections.first?.kind == .symptoms)
    #expect(numbness.results.first?.sections.first?.heading == "What Are The Symptoms Of The Lower Back Muscle Spasm")
    #expect(
      numbness.results.first?.sections.first?.snippet.contains(
        "\(Searcher.highlightStart)numbness\(Searcher.highlightEnd)") == true)

    let mri = try searcher.search(SearchRequest(text: "MRI", kinds: [.tests]))
    #expect(mri.total == 2)
    #expect(mri.results.allSatisfy { $0.sections.allSatisfy { $0.kind == .tests } })

    // Stemming: "spasm" finds "spasms"; the title is searchable; the Windows-1252 page was decoded.
    #expect(try searcher.search(SearchRequest(text: "spasm")).results.first?.id == "corpus/back-spasms")
    let gout = try setup.store.article(id: "corpus/gout")
    #expect(gout.encoding == "windows-1252")
    #expect(gout.text.contains("that’s common"))
    #expect(!gout.text.contains("Conditions"))
  }

  @Test("Filters: only the requested kinds; limit and offset page through articles")
  func filtersAndPaging() throws {
    let setup = try Setup()
    _ = try setup.ingest()
    let searcher = Searcher(store: setup.store)
    let all = try searcher.search(SearchRequest(text: "pain"))
    #expect(all.total == 2)
    let first = try searcher.search(SearchRequest(text: "pain", limit: 1))
    let second = try searcher.search(SearchRequest(text: "pain", limit: 1, offset: 1))
    #expect(first.results.count == 1 && second.results.count == 1)
    #expect(first.results[0].id != second.results[0].id)
    let treatment = try searcher.search(SearchRequest(text: "pain", kinds: [.treatment]))
    #expect(treatment.results.allSatisfy { $0.sections.allSatisfy { $0.kind == .treatment } })
    #expect(try searcher.search(SearchRequest(text: "zzzunknownword")).results.isEmpty)
  }

  @Test(
    "Hostile queries never reach SQLite as syntax",
    arguments: ["\"unbalanced", "NEAR(", "a OR", "(((", "x:y", "'; DROP TABLE documents; --", "^*", "AND"])
  func hostileQueries(text: String) throws {
    let setup = try Setup()
    _ = try setup.ingest()
    do {
      _ = try Searcher(store: setup.store).search(SearchRequest(text: text))
    } catch let error as MedRefError {
      guard case .unusableQuery = error else {
        Issue.record("unexpected error \(error)")
        return
      }
    }
    #expect(try setup.store.allIDs().count == 2)
  }

  @Test("A file whose size and time are unchanged is not read again; touched but same bytes: recorded, not redone")
  func incremental() throws {
    let setup = try Setup()
    let first = try setup.ingest()
    #expect(first.timings.bytes > 0)
    let again = try setup.ingest()
    #expect(again.unchanged == ["corpus/back-spasms", "corpus/gout"])
    #expect(again.timings.bytes == 0, "nothing was read")
    // New modification time, same bytes: read and hashed once, not processed, then known by its time again.
    let path = setup.folder.path + "/corpus/gout.html"
    try FileManager.default.setAttributes([.modificationDate: Date(timeIntervalSinceNow: 3600)], ofItemAtPath: path)
    let touched = try setup.ingest()
    #expect(touched.unchanged == ["corpus/back-spasms", "corpus/gout"])
    #expect(touched.timings.bytes > 0 && touched.timings.processing == 0)
    #expect(try setup.ingest().timings.bytes == 0)
    // Different bytes, same size and time: only the hash would tell, so size or time must change to be noticed —
    // which any edit does; an edit that changes the size is taken.
    try setup.folder.write("corpus/gout.html", "<main><h2>Symptoms</h2><p>Joint pain.</p></main>")
    #expect(try setup.ingest().updated == ["corpus/gout"])
  }

  @Test("Re-ingesting is idempotent; a changed file replaces its old version; deleted files can be pruned")
  func idempotence() throws {
    let setup = try Setup()
    _ = try setup.ingest()
    let before = try setup.store.statistics()
    let again = try setup.ingest()
    #expect(again.unchanged == ["corpus/back-spasms", "corpus/gout"])
    #expect(again.added.isEmpty && again.updated.isEmpty)
    #expect(try setup.store.statistics().sections == before.sections)

    try setup.folder.write("corpus/gout.html", "<main><h2>Symptoms</h2><p>Only one section now.</p></main>")
    let changed = try setup.ingest()
    #expect(changed.updated == ["corpus/gout"])
    #expect(try setup.store.article(id: "corpus/gout").sections.count == 1)
    #expect(try Searcher(store: setup.store).search(SearchRequest(text: "colchicine")).results.isEmpty)
    #expect(try setup.store.integrityProblems().isEmpty)

    try FileManager.default.removeItem(atPath: setup.folder.path + "/corpus/gout.html")
    let pruned = try setup.ingest(prune: true)
    #expect(pruned.pruned == ["corpus/gout"])
    #expect(try setup.store.allIDs() == ["corpus/back-spasms"])
    #expect(try setup.store.integrityProblems().isEmpty)
  }

  @Test("An ingest stopped after storing articles but before recounting the vocabulary: the next ingest recounts")
  func interruptedRecount() throws {
    let setup = try Setup()
    _ = try setup.ingest()
    // What an ingest killed after its last commit leaves behind: a new article stored, the vocabulary not recounted.
    let path = try setup.folder.write(
      "corpus/meralgia.txt", "Meralgia\n\nSymptoms\n\nMeralgia paresthetica is a burning pain in the outer thigh.\n")
    let pipeline = Pipeline()
    let file = try #require(pipeline.reader.list([path]).files.first)
    try setup.store.store(try pipeline.process(file, ids: setup.store.ids))
    #expect(try setup.store.searchStatisticsStale())
    #expect(try Searcher(store: setup.store).search(SearchRequest(text: "merlgia")).suggestions != ["meralgia"])

    let again = try setup.ingest()
    #expect(again.added.isEmpty && again.updated.isEmpty, "every file is stored already")
    #expect(try !setup.store.searchStatisticsStale())
    #expect(try Searcher(store: setup.store).search(SearchRequest(text: "merlgia")).suggestions == ["meralgia"])
    #expect(try setup.store.integrityProblems().isEmpty)

    // Pruning marks the vocabulary stale in its own transaction too; an ingest that changes nothing leaves no mark.
    try FileManager.default.removeItem(atPath: path)
    #expect(try setup.ingest(prune: true).pruned == ["corpus/meralgia"])
    #expect(try !setup.store.searchStatisticsStale())
    #expect(try Searcher(store: setup.store).search(SearchRequest(text: "merlgia")).suggestions != ["meralgia"])
  }

  @Test("Bad files are reported one by one and the others still go in")
  func badFiles() throws {
    let setup = try Setup()
    try setup.folder.write("corpus/empty.txt", "")
    try setup.folder.write("corpus/binary.html", [0x00, 0x01, 0x02, 0xFF, 0x00])
    try setup.folder.write("corpus/readme.md", "not an article")
    let report = try setup.ingest()
    #expect(report.added == ["corpus/back-spasms", "corpus/gout"])
    #expect(report.failed.count == 2)
    #expect(report.failed.contains { $0.hasSuffix("binary.html: binary file, not text or HTML") })
    #expect(report.failed.contains { $0.hasSuffix("empty.txt: empty file") })
    #expect(report.skipped.count == 1)
  }

  @Test("Files with the same name but different extensions keep separate ids")
  func sameStem() throws {
    let setup = try Setup()
    try setup.folder.write("corpus/gout.txt", "Gout Notes\n\nTreatment\n\nRest the joint.")
    let report = try setup.ingest()
    #expect(Set(report.added) == ["corpus/back-spasms", "corpus/gout", "corpus/gout.txt"])
    #expect(try setup.ingest().unchanged.count == 3)
  }

  @Test("Ids resolve from their last part; unknown and ambiguous ids are refused")
  func resolveIDs() throws {
    let setup = try Setup()
    _ = try setup.ingest()
    #expect(try setup.store.resolveID("gout") == "corpus/gout")
    #expect(try setup.store.resolveID("corpus/gout") == "corpus/gout")
    #expect(throws: MedRefError.self) { try setup.store.resolveID("nope") }
    let exported = ExtractRecord(try setup.store.article(id: "corpus/back-spasms"))
    #expect(exported.sections.contains { $0.kind == "symptoms" })
    #expect(exported.repairs.count == 2)
  }

  @Test("Exported blocks are the extracted ones: the index keeps them with their lines")
  func exportedBlocks() throws {
    let setup = try Setup()
    _ = try setup.ingest()
    let path = setup.folder.url.appendingPathComponent("corpus/back-spasms.txt").path
    let extracted = ExtractRecord(
      try Pipeline().process(SourceFile(path: path, format: .plainText), ids: setup.store.ids))
    let exported = ExtractRecord(try setup.store.article(id: "corpus/back-spasms"))
    #expect(!exported.blocks.isEmpty)
    #expect(exported.blocks == extracted.blocks)
    #expect(
      exported.blocks.first
        == ExtractRecord.BlockRecord(type: "heading", text: "How To Help Lower Back Spasms", level: 1, line: 1))
  }

  @Test("A missing index is reported, and a file that is not a database is refused")
  func badIndex() throws {
    let folder = try TemporaryFolder()
    #expect(throws: MedRefError.missingIndex(path: folder.path + "/none.sqlite")) {
      try IndexStore(path: folder.path + "/none.sqlite", create: false)
    }
    let junk = try folder.write("junk.sqlite", String(repeating: "not a database ", count: 100))
    #expect(throws: MedRefError.indexFailure(path: junk, reason: "not a MedRef index (not an SQLite database)")) {
      try IndexStore(path: junk, create: false)
    }
  }

  @Test("Entities are stored with their sections: export reads them back, facets count them by type and kind")
  func entities() throws {
    let setup = try Setup()
    _ = try setup.ingest()
    let fresh = try Pipeline().process(
      Pipeline().reader.list([setup.folder.path + "/corpus/back-spasms.txt"]).files[0], ids: setup.store.ids)
    let stored = try setup.store.article(id: "corpus/back-spasms")
    #expect(stored.sections.map(\.entities) == fresh.sections.map(\.entities))
    #expect(stored.sections.flatMap(\.entities).count > 100)

    let tests = try setup.store.entityFacets(type: "test", kind: .tests)
    #expect(tests.first?.name == "MRI")
    #expect(tests.first?.documents == 2, "both articles' tests sections name an MRI")
    #expect(
      Set(tests.map(\.name)).isSuperset(
        of: ["X-ray", "CT scan", "bone scan", "electromyogram", "joint fluid analysis", "blood test"]))
    let symptoms = try setup.store.entityFacets(type: "symptom", limit: 100)
    #expect(symptoms.contains { $0.name == "Paresthesia" && $0.hpo == "HP:0003401" })
    let drugs = try setup.store.entityFacets(type: "medication", kind: .treatment).map(\.name)
    #expect(drugs.contains("colchicine") && drugs.contains("NSAID"), "\(drugs)")

    let figures = try setup.store.statistics()
    #expect((figures.entitiesByType["symptom"] ?? 0) > 50)
    #expect((figures.entitiesByType["medication"] ?? 0) > 5)
    #expect(figures.redFlags >= 6)
  }

  @Test("Statistics count articles and sections per kind")
  func statistics() throws {
    let setup = try Setup()
    _ = try setup.ingest()
    let figures = try setup.store.statistics()
    #expect(figures.documents == 2)
    #expect(figures.sectionsByKind["symptoms"] == 3)
    #expect(figures.sections == figures.sectionsByKind.values.reduce(0, +))
    #expect(figures.bytes > 0)
  }
}

@Suite("Document ids")
struct DocumentIDTests {
  @Test("Ids are relative to the folder above Index/, without the extension, however the path is written")
  func ids() {
    let base = DocumentID.base(forIndex: "/data/project/Index/medref.sqlite")
    #expect(base == "/data/project")
    let ids = DocumentID(base: base)
    #expect(ids.id(forPath: "/data/project/Corpus/back-spasms.txt") == "Corpus/back-spasms")
    #expect(ids.id(forPath: "/data/project/Corpus/./sub/../GARD_0000004.html") == "Corpus/GARD_0000004")
    #expect(ids.id(forPath: "/elsewhere/a.htm") == "/elsewhere/a")
    #expect(DocumentID.base(forIndex: "/tmp/x/test.sqlite") == "/tmp/x")
  }
}
