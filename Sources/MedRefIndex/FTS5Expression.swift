/// A full-text match of the index's `sections_fts` table, built from parts instead of written as a string: every
/// word is quoted (what a user typed is never FTS5 syntax), and operators nest with the parentheses they need.
///
/// `text` is the expression FTS5 parses. Operands of `all` and `any` that are themselves `all` or `any` are
/// parenthesized (FTS5 binds `AND` tighter than `OR`), as is the expression a column filter applies to;
/// `restricted` and `excluding` parenthesize both sides.
package indirect enum FTS5Expression: Hashable, Sendable {
  /// Words in order as one quoted FTS5 string (`"pins and needles"`); with `prefix`, the last word's prefix
  /// (`"spasm"*`). Apostrophes and hyphens inside words become spaces, as the index's tokenizer splits there anyway;
  /// a `"` is doubled.
  case phrase([String], prefix: Bool = false)
  /// `expression` in these columns only: `kind : "symptoms"`, `{heading terms} : "numb"`.
  case columns([IndexColumn], FTS5Expression)
  /// Every operand (`AND`).
  case all([FTS5Expression])
  /// Any operand (`OR`).
  case any([FTS5Expression])
  /// `expression`, in sections that also match `filter` (a section-kind filter): `(…) AND (…)`.
  case restricted(FTS5Expression, to: FTS5Expression)
  /// `expression`, in sections that do not match `excluded`: `(…) NOT (…)`.
  case excluding(FTS5Expression, FTS5Expression)

  /// One word as a phrase.
  package static func word(_ word: String) -> FTS5Expression { .phrase([word]) }

  /// `expression` in one column.
  package static func column(_ column: IndexColumn, _ expression: FTS5Expression) -> FTS5Expression {
    .columns([column], expression)
  }

  /// The operand itself when there is one, else `any(operands)`.
  package static func either(_ operands: [FTS5Expression]) -> FTS5Expression {
    operands.count == 1 ? operands[0] : .any(operands)
  }

  /// The expression as FTS5 reads it.
  package var text: String {
    var out = ""
    write(into: &out, nested: false)
    return out
  }

  /// The phrases of the expression, in order, each as its words (what a snippet marks of it).
  package var phrases: [[String]] {
    switch self {
    case .phrase(let words, _): return [words]
    case .columns(_, let inner): return inner.phrases
    case .all(let operands), .any(let operands): return operands.flatMap(\.phrases)
    case .restricted(let inner, let filter): return inner.phrases + filter.phrases
    case .excluding(let inner, let excluded): return inner.phrases + excluded.phrases
    }
  }

  /// Whether the expression matches in these columns only (an HPO class in `terms`), not the text.
  package func isFiltered(to column: IndexColumn) -> Bool {
    if case .columns(let columns, _) = self { return columns == [column] }
    return false
  }

  private func write(into out: inout String, nested: Bool) {
    switch self {
    case .phrase(let words, let prefix):
      out += "\""
      for character in words.joined(separator: " ") {
        switch character {
        case "'", "-": out += " "
        case "\"": out += "\"\""
        default: out.append(character)
        }
      }
      out += prefix ? "\"*" : "\""
    case .columns(let columns, let inner):
      out += columns.count == 1 ? columns[0].rawValue : "{" + columns.map(\.rawValue).joined(separator: " ") + "}"
      out += " : "
      inner.write(into: &out, nested: true)
    case .all(let operands):
      Self.write(operands, separator: " AND ", into: &out, nested: nested)
    case .any(let operands):
      Self.write(operands, separator: " OR ", into: &out, nested: nested)
    case .restricted(let inner, let filter):
      Self.writeEnclosed(inner, " AND ", filter, into: &out)
    case .excluding(let inner, let excluded):
      Self.writeEnclosed(inner, " NOT ", excluded, into: &out)
    }
  }

  private static func write(_ operands: [FTS5Expression], separator: String, into out: inout String, nested: Bool) {
    if nested { out += "(" }
    for (index, operand) in operands.enumerated() {
      if index > 0 { out += separator }
      operand.write(into: &out, nested: true)
    }
    if nested { out += ")" }
  }

  private static func writeEnclosed(
    _ left: FTS5Expression, _ separator: String, _ right: FTS5Expression, into out: inout String
  ) {
    out += "("
    left.write(into: &out, nested: false)
    out += ")" + separator + "("
    right.write(into: &out, nested: false)
    out += ")"
  }
}

/// The columns of the full-text table, in its order (`IndexSchema`); `bm25` weighs them in this order.
package enum IndexColumn: String, Sendable, CaseIterable {
  case title, heading, terms, text, kind

  /// The column's number in `sections_fts` (for `highlight`).
  var number: Int { Self.allCases.firstIndex(of: self)! }
}
