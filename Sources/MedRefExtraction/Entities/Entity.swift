import Foundation

/// A named entity found in a section's text by `EntityExtractor`: a symptom, test, medication or procedure.
public struct Entity: Sendable, Codable, Equatable {
  /// The words as they stand in the section's text.
  public var text: String
  /// What the entity is: a symptom, test, medication or procedure.
  public var type: EntityType
  /// UTF-8 byte offset of the first byte of `text` in the section's `text`.
  public var start: Int
  /// UTF-8 byte offset just past `text` in the section's `text` (exclusive).
  public var end: Int
  /// The Human Phenotype Ontology class of a symptom, e.g. `HP:0003401`; left out when there is none.
  public var hpo: String?
  /// The canonical name: the HPO preferred name of a symptom (`Paresthesia` for "tingling"), the generic name of a
  /// brand (`acetaminophen` for "Tylenol"), the usual name of a test or procedure (`CT scan`); left out when
  /// unknown.
  public var normalized: String?
  /// Whether the symptom calls for urgent medical care (`red-flags.tsv`).
  public var redFlag: Bool

  enum CodingKeys: String, CodingKey {
    case text, type, start, end, hpo, normalized
    case redFlag = "red_flag"
  }

  public init(
    text: String, type: EntityType, start: Int, end: Int, hpo: String? = nil, normalized: String? = nil,
    redFlag: Bool = false
  ) {
    self.text = text
    self.type = type
    self.start = start
    self.end = end
    self.hpo = hpo
    self.normalized = normalized
    self.redFlag = redFlag
  }

  public init(from decoder: any Decoder) throws {
    let container = try decoder.container(keyedBy: CodingKeys.self)
    text = try container.decode(String.self, forKey: .text)
    type = try container.decode(EntityType.self, forKey: .type)
    start = try container.decode(Int.self, forKey: .start)
    end = try container.decode(Int.self, forKey: .end)
    hpo = try container.decodeIfPresent(String.self, forKey: .hpo)
    normalized = try container.decodeIfPresent(String.self, forKey: .normalized)
    redFlag = try container.decodeIfPresent(Bool.self, forKey: .redFlag) ?? false
  }
}
