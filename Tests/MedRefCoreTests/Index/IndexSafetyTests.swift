import Foundation
import GRDB
import Testing

@testable import MedRefBase
@testable import MedRefExtraction
@testable import MedRefIndex

/// The index refuses what is not its own, says what is damaged, and keeps what is indexed whatever the working
/// folder.
@Suite("Index: other programs' databases, damage found by check, absolute source paths")
struct IndexSafetyTests {
  func corpusStore() throws -> (TemporaryFolder, IndexStore) {
    let folder = try TemporaryFolder()
    try folder.write("corpus/back-spasms.txt", try Fixture.bytes("back-spasms.txt"))
    try folder.write(
      "corpus/gout.txt", "Gout\n\nGout is a painful arthritis.\n\nSymptoms\n\nSudden joint pain in the big toe.\n")
    let store = try IndexStore(path: folder.path + "/Index/medref.sqlite", create: true)
    _ = try Ingestor(store: store).ingest([folder.path + "/corpus"])
    return (folder, store)
  }

  @Test("Another program's SQLite database is refused by readers and writers, and left as it was")
  func foreignDatabaseRefused() throws {
    let folder = try TemporaryFolder()
    let path = folder.path + "/notes.sqlite"
    let other = try DatabaseQueue(path: path)
    try other.write { db in try db.execute(sql: "CREATE TABLE notes (text TEXT); INSERT INTO notes VALUES ('x')") }
    let before = try Data(contentsOf: URL(fileURLWithPath: path))
    for create in [false, true] {
      #expect {
        _ = try IndexStore(path: path, create: create)
      } throws: { error in
        (error as? MedRefError).map { "\($0)".contains("not a MedRef index (it holds other tables: notes)") } == true
      }
    }
    #expect(throws: MedRefError.self) { _ = try IndexStore(readOnlyAt: path) }
    #expect(try Data(contentsOf: URL(fileURLWithPath: path)) == before, "nothing was written to it")
    let tables = try other.read { db in try String.fetchAll(db, sql: "SELECT name FROM sqlite_master") }
    #expect(tables == ["notes"])
  }

  @Test("An index whose creation was killed before its first migration committed becomes an index, and ingests")
  func creationKilledAfterMigratorTable() throws {
    let folder = try TemporaryFolder()
    try folder.write("corpus/gout.txt", "Gout\n\nSymptoms\n\nSudden joint pain in the big toe.\n")
    let path = folder.path + "/Index/medref.sqlite"
    try FileManager.default.createDirectory(atPath: folder.path + "/Index", withIntermediateDirectories: true)
    // What GRDB's migrator commits before the first migration: its own table, empty.
    let killed = try DatabaseQueue(path: path)
    try killed.write { db in try db.execute(sql: "CREATE TABLE grdb_migrations (identifier TEXT NOT NULL PRIMARY KEY)")
    }
    try killed.close()
    let reader = try IndexStore(path: path, create: false)
    #expect(try reader.documentCount() == 0)
    let store = try IndexStore(path: path, create: true)
    let report = try Ingestor(store: store).ingest([folder.path + "/corpus"])
    #expect(report.added == ["corpus/gout"])
    #expect(try store.integrityProblems().isEmpty)
  }

  @Test("check finds a full-text index out of step with the sections, and JSON that does not parse")
  func checkFindsDamage() throws {
    let (folder, store) = try corpusStore()
    defer { withExtendedLifetime(folder) {} }
    #expect(try store.integrityProblems().isEmpty)
    // Section text changed behind the full-text index's back (its update trigger gone).
    try store.database.write { db in
      try db.execute(sql: "DROP TRIGGER sections_fts_update")
      try db.execute(sql: "UPDATE sections SET text = 'zebra quokka' WHERE id = (SELECT min(id) FROM sections)")
    }
    let fullText = try store.integrityProblems()
    #expect(fullText.contains { $0.hasPrefix("full-text index:") }, "\(fullText)")
    // A damaged JSON column of one document is named.
    let (otherFolder, other) = try corpusStore()
    defer { withExtendedLifetime(otherFolder) {} }
    try other.database.write { db in
      try db.execute(sql: "UPDATE documents SET blocks = '[{\"type\": \"parag' WHERE id = 'corpus/gout'")
    }
    let problems = try other.integrityProblems()
    #expect(problems.contains("documents.blocks does not parse as JSON for corpus/gout"), "\(problems)")
  }

  @Test("check finds a change inside a stored text that leaves the database sound (the article's checksum)")
  func checkFindsChangedContent() throws {
    let (folder, store) = try corpusStore()
    defer { withExtendedLifetime(folder) {} }
    #expect(try store.integrityProblems().isEmpty)
    // One character of an item changed: valid JSON, sound pages, the full-text index untouched (items are not in
    // it) — only the checksum can tell.
    try store.database.write { db in
      try db.execute(
        sql: """
          UPDATE sections SET items = replace(items, 'a', 'b')
          WHERE id = (SELECT min(id) FROM sections WHERE document_id = 'corpus/back-spasms' AND items != '[]')
          """)
    }
    #expect(
      try store.integrityProblems() == [
        "1 articles no longer match what was written for them (checksum): corpus/back-spasms"
      ])
  }

  @Test("A stored article knows its file's absolute path: prune and change checks hold from any folder")
  func absoluteSourcePaths() throws {
    let (folder, store) = try corpusStore()
    let stored = try store.storedFiles()
    let gout = try #require(stored["corpus/gout"])
    #expect(gout.sourcePath == DocumentID.absolute(folder.path + "/corpus/gout.txt"))
    #expect(try store.changedSources().isEmpty)
    #expect(try store.pruneMissing().isEmpty)
    // An article stored before the absolute path was recorded, with a path relative to the index's base folder,
    // is not pruned while the file is there, wherever the command runs.
    try store.database.write { db in
      try db.execute(sql: "UPDATE documents SET source_path = '', path = 'corpus/gout.txt' WHERE id = 'corpus/gout'")
    }
    #expect(try store.pruneMissing().isEmpty)
    try FileManager.default.removeItem(atPath: folder.path + "/corpus/gout.txt")
    #expect(try store.pruneMissing() == ["corpus/gout"])
  }

  @Test("Only a file that the system says is gone is missing; one it may not look at is not")
  func missingMeansGone() throws {
    let folder = try TemporaryFolder()
    try folder.write("here.txt", "x")
    #expect(!IndexStore.isMissing(folder.path + "/here.txt"))
    #expect(IndexStore.isMissing(folder.path + "/gone.txt"))
    #expect(IndexStore.isMissing(folder.path + "/here.txt/below.txt"), "a part of the path is a file: ENOTDIR")
    #expect(!IndexStore.isKnownGone(path: "here.txt", sourcePath: "", base: folder.path))
    #expect(IndexStore.isKnownGone(path: "gone.txt", sourcePath: "", base: folder.path))
  }

  @Test("A bounded read of a huge article stays within its limits and says it cut; a small one is read whole")
  func boundedArticleRead() throws {
    let folder = try TemporaryFolder()
    let paragraph = "Gout is a painful arthritis; fever and joint pain come at night. "
    let items = (1...50).map { "- Item \($0): swelling of the joint and fever" }.joined(separator: "\n")
    try folder.write(
      "corpus/huge.txt",
      "Huge Gout\n\n" + String(repeating: paragraph, count: 5_000) + "\n\nSymptoms\n\nThese come first:\n" + items
        + "\n")
    try folder.write("corpus/small.txt", "Small Gout\n\nGout is a painful arthritis of the big toe.\n")
    let store = try IndexStore(path: folder.path + "/Index/medref.sqlite", create: true)
    _ = try Ingestor(store: store).ingest([folder.path + "/corpus"])
    let limits = IndexStore.ArticleLimits(
      sectionCharacters: 1_000, items: 3, entities: 5, blocks: 4, totalCharacters: 1_500)
    let (huge, cut) = try store.article(id: "corpus/huge", limits: limits)
    #expect(cut)
    #expect(huge.sections.allSatisfy { $0.text.count <= 1_000 && $0.items.count <= 3 && $0.entities.count <= 5 })
    #expect(huge.sections.map(\.text.count).reduce(0, +) <= 1_500)
    #expect(huge.blocks.count <= 4)
    #expect(huge.sections.contains { $0.items.count == 3 })
    let (small, smallCut) = try store.article(id: "corpus/small", limits: .page)
    #expect(!smallCut)
    let whole = try store.article(id: "corpus/small")
    #expect(small.sections == whole.sections)
    #expect(small.blocks == whole.blocks && small.text == whole.text)
  }

  @Test("A damaged JSON column is an error naming the article, never read as empty")
  func damagedColumnIsAnError() throws {
    let (folder, store) = try corpusStore()
    defer { withExtendedLifetime(folder) {} }
    try store.database.write { db in
      try db.execute(sql: "UPDATE documents SET blocks = '[{\"type\": \"parag' WHERE id = 'corpus/gout'")
    }
    #expect {
      _ = try store.article(id: "corpus/gout")
    } throws: { error in
      "\(error)".contains("documents.blocks of corpus/gout does not parse as JSON")
    }
    #expect(throws: MedRefError.self) { _ = try store.article(id: "corpus/gout", limits: .page) }
  }
}
