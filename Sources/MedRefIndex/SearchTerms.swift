import MedRefExtraction

/// What a section's `terms` column of the full-text index holds: its list items, then the names its entities are
/// normalised to with their HPO ids ("Paresthesia HP:0003401" for a section saying "tingling"), each once. A query
/// naming a symptom, test or drug in other words is matched against these names (`SearchPlan`).
package enum SearchTerms {
  static func of(_ section: Section) -> String {
    var lines = section.items
    var seen: Set<String> = []
    for entity in section.entities {
      let name = entity.normalized ?? entity.text
      guard seen.insert(name.lowercased()).inserted else { continue }
      lines.append(entity.hpo.map { name + " " + $0 } ?? name)
    }
    return lines.joined(separator: "\n")
  }
}
