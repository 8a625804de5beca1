import Foundation
import MedRefBase
import MedRefExtraction

/// What people type for clinical things, from `Resources/lexicons/lay-vocabulary.tsv` (built by
/// `scripts/build-lay-vocabulary` from the HPO's layperson synonyms and WordNet 3.0; each row names its source):
/// "potato nose" stands for the HPO class Bulbous nose, "peeing" for text saying "urination", each with a weight
/// below 1 (the words as typed count 1). `SearchPlan` adds them as weighted alternatives of the words a query
/// has that the entity lexicons do not know.
package struct LayVocabulary: Sendable {
  /// What one phrase stands for.
  struct Target: Sendable, Equatable {
    /// An HPO class id (`HP:0000414`) or a clinical word or phrase.
    var target: String
    var weight: Double

    /// Whether `target` is an HPO class.
    var isClass: Bool { target.hasPrefix("HP:") }
  }

  /// Targets by phrase, the phrase folded as the entity lexicons fold words (`TermTokenizer.key`).
  let targets: [String: [Target]]
  /// The most words a phrase has.
  let longestPhrase: Int

  init(rows: [[Substring]]) {
    var targets: [String: [Target]] = [:]
    var longest = 1
    for row in rows where row.count >= 3 {
      guard let weight = Double(row[2]), weight > 0, weight < 1 else { continue }
      let key = TermTokenizer.key(String(row[0]))
      guard !key.isEmpty else { continue }
      let target = Target(target: String(row[1]), weight: weight)
      if let index = targets[key]?.firstIndex(where: { $0.target == target.target }) {
        targets[key]![index].weight = max(targets[key]![index].weight, weight)
      } else {
        targets[key, default: []].append(target)
      }
      longest = max(longest, key.split(separator: " ").count)
    }
    self.targets = targets
    longestPhrase = longest
  }

  static let shared = LayVocabulary(rows: ResourceFile.rows("lexicons/lay-vocabulary.tsv"))

  /// What `words` (a query's plain words, lower case) stand for, heaviest first; nil when the vocabulary does
  /// not have them.
  func targets(of words: [String]) -> [Target]? {
    targets[TermTokenizer.key(words.joined(separator: " "))]?.sorted { ($0.weight, $1.target) > ($1.weight, $0.target) }
  }
}
