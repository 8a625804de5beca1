import Foundation
import MedRefExtraction
import MedRefIndex

/// For a query naming several symptoms ("itching, eczema, hair loss"): how much of the query each article names.
/// A symptom is one group of the plan, matched by its words, its names and its HPO classes (so two wordings of one
/// symptom count once, and a section saying "tingling" names the "pins and needles" typed); it counts in full in a
/// symptoms section (or in a section of the kinds asked for) and for `symptomElsewhereShare` in another. The
/// query's other terms that are not common count wherever the article has them ("after a hike near prairie
/// dogs"). Each group counts by its rarity (as bm25's idf) times the weight of the best alternative that matched
/// it (a looser synonym less than the words typed). One missing symptom lowers an article below those naming
/// all, but does not drop it.
package struct SymptomCoverage {
  /// What one article names.
  struct Entry {
    /// How much of the query the article names, 0…1: the groups it names, each by its weight and rarity.
    var covered: Double
    /// Per group of `groups`: how much it counts for the article (0 when not named).
    var weights: [Double]
    /// The article's sections that name a symptom, with how much of the query each names, best first.
    var sections: [(id: Int64, kind: SectionKind, covered: Double)]
  }

  /// Per article id.
  let entries: [String: Entry]
  /// The share of the query's words that name symptoms (1 for a list of symptoms).
  let symptomShare: Double
  /// The groups counted, in the order of `Entry.weights`: the symptoms and the terms that are not common.
  let groups: [SearchPlan.Group]

  /// Finds, for every group counted, the sections naming it (the full-text table alone: one
  /// unranked match per group and weight).
  init(_ reader: IndexReader, plan: SearchPlan, sections directory: SectionDirectory, ranking: SearchRanking) throws {
    let required = plan.groups.filter { !$0.optional }
    let sectionCount = Double(max(plan.sectionCount ?? 1, 1))
    // The symptoms, and the other terms unless they are common (in more than `commonShare` of the sections):
    // "after a hike near prairie dogs" says something, "severe" hardly.
    // At most `countedGroups` of them, the symptoms first, then the rarest others.
    let symptomGroups = required.filter { !$0.classes.isEmpty }
    let others = required.filter {
      $0.classes.isEmpty && Double($0.sections ?? 0) <= ranking.coverageCommonShare * sectionCount
    }.sorted { ($0.sections ?? 0) < ($1.sections ?? 0) }
    let groups = Array((symptomGroups + others).prefix(Self.countedGroups))
    self.groups = groups
    symptomShare = Self.symptomShare(plan)
    // A rare term counts for more than a common one, as in bm25.
    let idf = groups.map { log(1 + sectionCount / Double(max($0.sections ?? 1, 1))) }
    let kinds = Set(plan.kinds.compactMap { SectionDirectory.kinds.firstIndex(of: $0) })
    let symptoms = SectionDirectory.kinds.firstIndex(of: .symptoms)
    // Per section: the best weight each group was named with there (a flat table, a row per section found).
    var row: [Int64: Int] = [:]
    var table: [Double] = []
    var found: [(id: Int64, document: Int, kind: Int)] = []
    let width = groups.count
    for (index, group) in groups.enumerated() {
      for (expression, weight) in SearchPlan.coverageMatchers(group) {
        try reader.forEachMatch(expression) { id in
          let slot: Int
          if let known = row[id] {
            slot = known
          } else {
            guard let section = directory.numbers(id), kinds.isEmpty || kinds.contains(section.kind) else { return }
            slot = found.count
            row[id] = slot
            found.append((id, section.document, section.kind))
            table.append(contentsOf: repeatElement(0, count: width))
          }
          table[slot * width + index] = max(table[slot * width + index], weight)
        }
      }
    }
    // Per article number.
    var byArticle: [Int: Entry] = [:]
    for (slot, section) in found.enumerated() {
      let elsewhere = kinds.isEmpty && section.kind != symptoms
      var entry =
        byArticle[section.document] ?? Entry(covered: 0, weights: [Double](repeating: 0, count: width), sections: [])
      var sectionCovered = 0.0
      for index in 0..<width where table[slot * width + index] > 0 {
        // A symptom counts in full in a symptoms section (or in the kinds asked for); another term anywhere.
        let share = elsewhere && !groups[index].classes.isEmpty ? ranking.symptomElsewhereShare : 1
        let value = table[slot * width + index] * share * idf[index]
        entry.weights[index] = max(entry.weights[index], value)
        sectionCovered += value
      }
      entry.sections.append((section.id, SectionDirectory.kinds[section.kind], sectionCovered))
      byArticle[section.document] = entry
    }
    var entries: [String: Entry] = [:]
    for (number, entry) in byArticle { entries[directory.document(number)] = entry }
    let most = max(idf.reduce(0, +), 1e-9)
    for id in entries.keys {
      entries[id]!.covered = entries[id]!.weights.reduce(0, +) / most
      entries[id]!.sections.sort { ($0.covered, $1.id) > ($1.covered, $0.id) }
    }
    self.entries = entries
  }

  /// The most groups counted (a query of more words counts its symptoms and its rarest other terms).
  static let countedGroups = 8

  /// The share of the words of `plan`'s required groups that are in its symptom groups.
  static func symptomShare(_ plan: SearchPlan) -> Double {
    let symptomWords = plan.symptomGroups.reduce(0) { $0 + max($1.words.count, 1) }
    let allWords = plan.groups.filter { !$0.optional }.reduce(0) { $0 + max($1.words.count, 1) }
    return Double(symptomWords) / Double(max(allWords, 1))
  }

  /// The symptoms article `id` names, as the query has them ("itching", "red eyes").
  func named(by id: String) -> [String] {
    guard let entry = entries[id] else { return [] }
    return zip(groups, entry.weights).filter { $0.1 > 0 && !$0.0.classes.isEmpty }.map { group, _ in
      group.words.isEmpty ? group.display : group.words.joined(separator: " ")
    }
  }
}
