import FuzzSupport
import GRDB
import MedRefIndex
import MedRefSearch

/// The query parser: any bytes, read as UTF-8, through `Query` and `SearchPlan`, and every expression the plan
/// makes (each tier, with and without the kind filter) matched against an in-memory FTS5 table with the index's
/// columns and tokenizer: whatever the user typed must give valid FTS5 syntax (`Query`'s promise that nothing
/// reaches SQLite as syntax). An unusable query (`MedRefError.unusableQuery`) is an answer, not a finding.
struct QueryParserTest: FuzzTest {
  let database: DatabaseQueue

  init() {
    do {
      database = try DatabaseQueue()
      try database.write { db in
        try db.execute(
          sql: """
            CREATE VIRTUAL TABLE sections_fts USING fts5(
              title, heading, terms, text, kind, tokenize = '\(IndexSchema.tokenizer)');
            INSERT INTO sections_fts
              VALUES ('Back spasms', 'Symptoms', 'numbness', 'Numbness in the legs.', 'symptoms');
            """)
      }
    } catch {
      fatalError("cannot make the FTS5 table: \(error)")
    }
  }

  func test(_ input: [UInt8]) {
    let text = String(decoding: input, as: UTF8.self)
    guard let query = try? Query(text) else { return }
    let plan = SearchPlan(query, kinds: [])
    _ = plan.interpreted
    let expressions = SearchPlan.Tier.allCases.flatMap { tier in
      [true, false].compactMap { plan.expression(tier, filteringKinds: $0)?.text }
    }
    // One database access per input, through a cached statement: the check costs little beside the parsing.
    database.inDatabase { db in
      for expression in expressions {
        do {
          let statement = try db.cachedStatement(sql: "SELECT count(*) FROM sections_fts WHERE sections_fts MATCH ?")
          _ = try Int.fetchOne(statement, arguments: [expression])
        } catch {
          fatalError("query \(text.debugDescription): expression \(expression.debugDescription): \(error)")
        }
      }
    }
  }
}

FuzzTarget.run(QueryParserTest())
