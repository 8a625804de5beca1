import Foundation
import MedRefExtraction
import MedRefIndex

/// An index's figures as text (`medref stats`): articles, sections, repairs and size; sections per kind; entity
/// mentions per type and red flags.
public enum StatisticsReport {
  public static func render(_ figures: IndexStore.Statistics) -> String {
    var out = "Index \(figures.path): \(figures.documents) articles, \(figures.sections) sections, "
    out += "\(figures.repairs) repairs, \(figures.bytes / 1024) KiB\n"
    for kind in SectionKind.allCases {
      let name = kind.rawValue.padding(toLength: 14, withPad: " ", startingAt: 0)
      out += "  \(name)\(figures.sectionsByKind[kind.rawValue] ?? 0)\n"
    }
    let types = EntityType.allCases.map { "\(figures.entitiesByType[$0.rawValue] ?? 0) \($0.rawValue)" }
    out += "Entities: " + types.joined(separator: ", ") + "; \(figures.redFlags) red-flag mentions\n"
    return out
  }
}
