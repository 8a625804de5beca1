import GRDB

/// A search request.
public struct SearchRequest: Sendable {
  public var text: String
  /// Only sections of these kinds; empty for all.
  public var kinds: [SectionKind]
  public var limit: Int
  public var offset: Int
  /// Most sections shown per article.
  public var sectionsPerArticle: Int

  public init(text: String, kinds: [SectionKind] = [], limit: Int = 10, offset: Int = 0, sectionsPerArticle: Int = 3) {
    self.text = text
    self.kinds = kinds
    self.limit = limit
    self.offset = offset
    self.sectionsPerArticle = sectionsPerArticle
  }
}

/// Search results in the contract's shape: articles, best first, each with its best matching sections.
public struct SearchResponse: Sendable, Codable, Equatable {
  public struct SectionHit: Sendable, Codable, Equatable {
    public var heading: String
    public var kind: String
    /// The matching passage; matched words between `Searcher.highlightStart` and `Searcher.highlightEnd`.
    public var snippet: String
    public var score: Double
  }

  public struct ArticleHit: Sendable, Codable, Equatable {
    public var id: String
    public var path: String
    public var title: String
    public var score: Double
    public var sections: [SectionHit]
  }

  public var query: String
  public var interpreted: String
  public var suggestions: [String]
  /// Articles that match in all.
  public var total: Int
  public var results: [ArticleHit]
}

/// Ranks sections with bm25 (title weighted 10, heading 5, text 1) and groups them by article.
public struct Searcher: Sendable {
  /// Marks around matched words in snippets (private-use characters, so they never clash with article text).
  public static let highlightStart = "\u{E000}"
  public static let highlightEnd = "\u{E001}"
  /// bm25 weights for the full-text columns title, heading, text.
  static let columnWeights = (title: 10.0, heading: 5.0, text: 1.0)

  public let store: IndexStore

  public init(store: IndexStore) {
    self.store = store
  }

  /// Runs `request`.
  /// - Throws: `MedRefError.unusableQuery` for a query with no words; `.indexFailure` for database trouble.
  public func search(_ request: SearchRequest) throws -> SearchResponse {
    let query = try FTSQuery(request.text)
    var filter = ""
    var arguments: StatementArguments = [Self.highlightStart, Self.highlightEnd, query.expression]
    if !request.kinds.isEmpty {
      filter = " AND s.kind IN (" + request.kinds.map { _ in "?" }.joined(separator: ", ") + ")"
      for kind in request.kinds { arguments += [kind.rawValue] }
    }
    let wanted = request.offset + request.limit
    let sectionLimit = max(50, wanted * request.sectionsPerArticle * 4)
    arguments += [sectionLimit]
    let weights = Self.columnWeights
    let sql = """
      SELECT s.document_id AS id, d.path AS path, d.title AS title, s.heading AS heading, s.kind AS kind,
        -bm25(sections_fts, \(weights.title), \(weights.heading), \(weights.text)) AS score,
        snippet(sections_fts, -1, ?, ?, '…', 24) AS snippet
      FROM sections_fts
      JOIN sections s ON s.id = sections_fts.rowid
      JOIN documents d ON d.id = s.document_id
      WHERE sections_fts MATCH ?\(filter)
      ORDER BY bm25(sections_fts, \(weights.title), \(weights.heading), \(weights.text))
      LIMIT ?
      """
    let countSQL = """
      SELECT count(DISTINCT s.document_id) FROM sections_fts JOIN sections s ON s.id = sections_fts.rowid
      WHERE sections_fts MATCH ?\(filter)
      """
    let countArguments = StatementArguments([query.expression] + request.kinds.map(\.rawValue))
    return try store.run {
      try store.database.read { db in
        let rows = try Row.fetchAll(db, sql: sql, arguments: arguments)
        let total = try Int.fetchOne(db, sql: countSQL, arguments: countArguments) ?? 0
        var order: [String] = []
        var hits: [String: SearchResponse.ArticleHit] = [:]
        for row in rows {
          let id: String = row["id"]
          let section = SearchResponse.SectionHit(
            heading: row["heading"], kind: row["kind"], snippet: row["snippet"], score: Self.round(row["score"]))
          if var hit = hits[id] {
            if hit.sections.count < request.sectionsPerArticle { hit.sections.append(section) }
            hits[id] = hit
          } else {
            order.append(id)
            hits[id] = SearchResponse.ArticleHit(
              id: id, path: row["path"], title: row["title"], score: section.score, sections: [section])
          }
        }
        let page = order.dropFirst(request.offset).prefix(request.limit).compactMap { hits[$0] }
        return SearchResponse(
          query: request.text, interpreted: query.interpreted, suggestions: [], total: total, results: Array(page))
      }
    }
  }

  static func round(_ value: Double) -> Double {
    (value * 1000).rounded() / 1000
  }
}
