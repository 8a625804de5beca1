import MedRefBase

/// The section-text model of `Resources/models/section-text-model.tsv`: multinomial naive Bayes over the distinct
/// words of a section's text, trained offline on MedQuAD's labelled sections by `scripts/train-section-model`
/// (which says how, prints its cross-validated accuracy and rebuilds the file byte for byte).
///
/// It reads what a section is about when its heading names no kind ("Fluid Replacement", "How To Do Leg Lifts"):
/// the kind whose words the text uses most, and the margin over the runner-up per known word, which says how clear
/// the text is.
public struct SectionTextModel: Sendable {
  /// The kinds the model tells apart, in the file's column order.
  let kinds: [SectionKind]
  /// Each vocabulary word's log-probability under each kind (row-major: word index × kinds.count + kind index).
  let weights: [Float]
  /// Vocabulary word → its row.
  let rows: [String: Int]

  /// The shipped model.
  public static let shared = SectionTextModel(table: ResourceFile.text("models/section-text-model.tsv"))

  /// A model read from the text of a model file (`kinds` row, then a row per word).
  init(table: String) {
    var kinds: [SectionKind] = []
    var weights: [Float] = []
    var rows: [String: Int] = [:]
    for fields in ResourceFile.rows(of: table) {
      if fields.first == "kinds" {
        kinds = fields.dropFirst().map { name in
          guard let kind = SectionKind(rawValue: String(name)) else {
            fatalError("section-text-model.tsv names an unknown kind '\(name)'")
          }
          return kind
        }
        continue
      }
      guard fields.count == kinds.count + 1, !kinds.isEmpty else {
        fatalError("section-text-model.tsv: row '\(fields.first ?? "")' has \(fields.count - 1) weights")
      }
      rows[String(fields[0])] = rows.count
      for field in fields.dropFirst() {
        guard let weight = Float(field) else { fatalError("section-text-model.tsv: bad weight '\(field)'") }
        weights.append(weight)
      }
    }
    self.kinds = kinds
    self.weights = weights
    self.rows = rows
  }

  /// What the model reads in one text.
  public struct Reading: Sendable, Equatable {
    public var kind: SectionKind
    /// The log-likelihood lead of `kind` over the runner-up, per vocabulary word of the text.
    public var margin: Double
    /// How many vocabulary words the text has.
    public var knownWords: Int
  }

  /// The kind `text` reads as, leaving out the words in `excluded` (the article title's: a condition's name says
  /// nothing about a section's kind). Nil when the text has no vocabulary word.
  public func read(_ text: String, excluding excluded: Set<String> = []) -> Reading? {
    var seen: Set<Int> = []
    var totals = [Double](repeating: 0, count: kinds.count)
    for word in SectionClassifier.words(text) {
      guard let form = Self.form(of: word), !excluded.contains(form), let row = rows[form],
        seen.insert(row).inserted
      else { continue }
      let base = row * kinds.count
      for index in kinds.indices { totals[index] += Double(weights[base + index]) }
    }
    guard !seen.isEmpty else { return nil }
    var best = 0
    var second = -1
    for index in totals.indices where index != best {
      if totals[index] > totals[best] {
        second = best
        best = index
      } else if second < 0 || totals[index] > totals[second] {
        second = index
      }
    }
    let margin = second < 0 ? 0 : (totals[best] - totals[second]) / Double(seen.count)
    return Reading(kind: kinds[best], margin: margin, knownWords: seen.count)
  }

  /// The forms of a title's words that `read(_:excluding:)` leaves out.
  public static func forms(of text: String) -> Set<String> {
    Set(SectionClassifier.words(text).compactMap(form(of:)))
  }

  /// The form a word of `SectionClassifier.words` is counted under (the training script's `model_word`): outer `-`
  /// and `'` and a trailing `'s` dropped, a light plural stem (`-ies` → `-y`, a final `s` but not in `ss`, `us`,
  /// `is`); nil for words under three letters and words without a letter a–z.
  static func form(of word: String) -> String? {
    var bytes = Array(word.utf8)
    while let first = bytes.first, first == 0x2D || first == 0x27 { bytes.removeFirst() }
    while let last = bytes.last, last == 0x2D || last == 0x27 { bytes.removeLast() }
    if bytes.count >= 2, bytes[bytes.count - 2] == 0x27, bytes[bytes.count - 1] == 0x73 { bytes.removeLast(2) }
    guard bytes.count >= 3, bytes.contains(where: { $0 >= 0x61 && $0 <= 0x7A }) else { return nil }
    // Python's len() counts characters, not bytes: compare lengths on the decoded word.
    let characters = String(decoding: bytes, as: UTF8.self).count
    guard characters >= 3 else { return nil }
    func ends(with suffix: String) -> Bool {
      bytes.count >= suffix.utf8.count && bytes.suffix(suffix.utf8.count).elementsEqual(suffix.utf8)
    }
    if characters >= 5 && ends(with: "ies") {
      bytes.removeLast(3)
      bytes.append(0x79)
    } else if characters >= 4 && ends(with: "s") && !ends(with: "ss") && !ends(with: "us") && !ends(with: "is") {
      bytes.removeLast()
    }
    return String(decoding: bytes, as: UTF8.self)
  }
}
