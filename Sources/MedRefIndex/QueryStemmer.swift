import Foundation
import GRDB
import MedRefBase

/// Turns query words into the terms the full-text index holds, with SQLite's own tokenizer: the words go into a
/// one-row FTS5 table in memory with the index's tokenizer (`IndexSchema.tokenizer`), and its
/// vocabulary gives each word's terms back ("numbness" → "numb", "don't" → "don", "t"). No second stemmer to keep
/// in step with SQLite's. Results are kept: a batch of queries stems each word once.
package final class QueryStemmer: Sendable {
  /// The in-memory table (made on first use) and the terms of every word stemmed so far.
  private struct State {
    var database: DatabaseQueue?
    var known: [String: [String]] = [:]
  }

  private let state = Locked(State())

  package init() {}

  /// The index terms of each of `words` (a word FTS5 splits gives several; one it drops gives none).
  package func terms(of words: [String]) throws -> [String: [String]] {
    try state.withLock { state in
      let missing = Array(Set(words.filter { state.known[$0] == nil }))
      if !missing.isEmpty {
        let database = try state.database ?? Self.makeDatabase()
        state.database = database
        // One row per word; the instance vocabulary names the row (doc) and position of every term.
        let found = try database.write { db -> [Int64: [String]] in
          try db.execute(sql: "DELETE FROM words")
          let insert = try db.makeStatement(sql: "INSERT INTO words(rowid, word) VALUES (?, ?)")
          for (index, word) in missing.enumerated() { try insert.execute(arguments: [index + 1, word]) }
          var found: [Int64: [String]] = [:]
          for row in try Row.fetchAll(db, sql: "SELECT doc, term FROM words_terms ORDER BY doc, offset") {
            found[row[0], default: []].append(row[1])
          }
          return found
        }
        for (index, word) in missing.enumerated() { state.known[word] = found[Int64(index + 1)] ?? [] }
      }
      var result: [String: [String]] = [:]
      for word in words { result[word] = state.known[word] ?? [] }
      return result
    }
  }

  private static func makeDatabase() throws -> DatabaseQueue {
    let database = try DatabaseQueue()
    try database.write { db in
      try db.execute(
        sql: """
          CREATE VIRTUAL TABLE words USING fts5(word, tokenize = '\(IndexSchema.tokenizer)');
          CREATE VIRTUAL TABLE words_terms USING fts5vocab(words, instance);
          """)
    }
    return database
  }
}
