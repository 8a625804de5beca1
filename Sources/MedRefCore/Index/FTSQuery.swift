/// A user's search text turned into a safe FTS5 query.
///
/// Words become quoted FTS5 strings, so nothing the user types (a stray `"`, `(`, `AND`, `NEAR`, `:`, `^`) reaches
/// SQLite as syntax. Supported: words (all required), `"quoted phrases"` (an unclosed quote runs to the end) and
/// `word*` prefixes.
public struct FTSQuery: Sendable, Equatable {
  /// The MATCH expression handed to SQLite.
  public let expression: String
  /// How MedRef read the query, for display.
  public let interpreted: String

  /// - Throws: `MedRefError.unusableQuery` when the text has no word to search for.
  public init(_ text: String) throws {
    var parts: [String] = []
    var shown: [String] = []
    var index = text.startIndex
    while index < text.endIndex {
      let character = text[index]
      if character == "\"" {
        let start = text.index(after: index)
        let end = text[start...].firstIndex(of: "\"") ?? text.endIndex
        let words = Self.words(in: text[start..<end])
        if words.count == 1 {
          parts.append(Self.quote(words[0]))
          shown.append(words[0])
        } else if !words.isEmpty {
          parts.append(Self.quote(words.joined(separator: " ")))
          shown.append("\"" + words.joined(separator: " ") + "\"")
        }
        index = end < text.endIndex ? text.index(after: end) : end
        continue
      }
      if Self.isWordCharacter(character) {
        let start = index
        while index < text.endIndex, Self.isWordCharacter(text[index]) { index = text.index(after: index) }
        let word = text[start..<index].lowercased()
        if index < text.endIndex, text[index] == "*" {
          parts.append(Self.quote(word) + "*")
          shown.append(word + "*")
          index = text.index(after: index)
        } else {
          parts.append(Self.quote(word))
          shown.append(word)
        }
        continue
      }
      index = text.index(after: index)
    }
    guard !parts.isEmpty else {
      throw MedRefError.unusableQuery(query: text, reason: "nothing to search for; type some words")
    }
    expression = parts.joined(separator: " ")
    interpreted = shown.joined(separator: " AND ")
  }

  /// Letters and digits, the characters FTS5's unicode61 tokenizer keeps in a token.
  static func isWordCharacter(_ character: Character) -> Bool {
    character.isLetter || character.isNumber
  }

  static func words(in text: Substring) -> [String] {
    text.split(whereSeparator: { !isWordCharacter($0) }).map { $0.lowercased() }
  }

  /// An FTS5 string literal: double quotes doubled inside double quotes.
  static func quote(_ word: String) -> String {
    "\"" + word.replacingOccurrences(of: "\"", with: "\"\"") + "\""
  }
}
