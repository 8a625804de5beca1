import MedRefExtraction

/// What every article the pipeline makes must satisfy, whatever the input; a violation traps, so the fuzzer
/// reports it like a crash.
public enum ArticleInvariants {
  /// Checks `article`'s sections (see `check(_:)` for sections).
  public static func check(_ article: Article) {
    check(article.sections)
  }

  /// Checks the entities of each section: their UTF-8 offsets name their own words in the section's text (the
  /// contract's `start`/`end`), in order and without overlapping.
  public static func check(_ sections: [Section]) {
    for section in sections {
      let text = Array(section.text.utf8)
      var previousEnd = 0
      for entity in section.entities {
        guard previousEnd <= entity.start, entity.start < entity.end, entity.end <= text.count,
          text[entity.start..<entity.end].elementsEqual(entity.text.utf8)
        else {
          fatalError(
            "entity '\(entity.text)' at \(entity.start)..<\(entity.end) (after \(previousEnd)) does not stand there in "
              + "section '\(section.heading)' (\(text.count) bytes)")
        }
        previousEnd = entity.end
      }
    }
  }
}
