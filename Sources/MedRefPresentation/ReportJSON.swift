import MedRefBase
import MedRefIndex
import MedRefSearch

// The JSON of the index's and the benchmarks' reports (`ingest --json`, `stats --json`, `check --json`, `bench
// ... --json`), written by `CompactJSON` like every other JSON MedRef prints: keys sorted, as `JSONEncoder` sorted
// the types' Codable keys (a test compares the two, so that a field added to a type is not left out here).

extension IngestReport: JSONLineWritable {
  package func write(into json: inout CompactJSON) {
    json.raw("{")
    json.field("added", added)
    json.field("archives", archives)
    json.field("failed", failed)
    json.field("notes", notes)
    json.field("pruned", pruned)
    json.field("skipped", skipped)
    json.field("timings", timings)
    json.field("unchanged", unchanged)
    json.field("updated", updated)
    json.raw("}")
  }

  package var estimatedJSONSize: Int {
    [added, archives, failed, notes, pruned, skipped, unchanged, updated].reduce(512) { size, paths in
      paths.reduce(size) { $0 + $1.utf8.count + 3 }
    }
  }
}

extension IngestTimings: JSONLineWritable {
  package func write(into json: inout CompactJSON) {
    json.raw("{")
    json.field("bytes", bytes)
    json.field("checkpoint", checkpoint)
    json.field("finishing", finishing)
    json.field("planning", planning)
    json.field("processing", processing)
    json.field("reading", reading)
    json.field("total", total)
    json.field("writing", writing)
    json.raw("}")
  }
}

extension IndexStore.Statistics: JSONLineWritable {
  package func write(into json: inout CompactJSON) {
    json.raw("{")
    json.field("bytes", bytes)
    json.field("documents", documents)
    json.field("entitiesByType", counts: entitiesByType)
    json.field("path", path)
    json.field("redFlags", redFlags)
    json.field("repairs", repairs)
    json.field("sections", sections)
    json.field("sectionsByKind", counts: sectionsByKind)
    json.raw("}")
  }
}

extension IndexStore.ChangedSource: JSONLineWritable {
  package func write(into json: inout CompactJSON) {
    json.raw("{")
    json.field("id", id)
    json.field("path", path)
    json.field("state", state.rawValue)
    json.raw("}")
  }
}

extension IngestBenchmark.Run: JSONLineWritable {
  package func write(into json: inout CompactJSON) {
    json.raw("{")
    json.field("files", files)
    json.field("rawInsert", rawInsert)
    json.field("rerun", rerun)
    json.field("sectionBytes", sectionBytes)
    json.field("timings", timings)
    json.raw("}")
  }
}

extension SearchBenchmark.Figures: JSONLineWritable {
  package func write(into json: inout CompactJSON) {
    json.raw("{")
    json.field("baselineP50", baselineP50)
    json.field("baselineP99", baselineP99)
    json.field("max", max)
    json.field("mean", mean)
    json.field("p50", p50)
    json.field("p90", p90)
    json.field("p99", p99)
    json.field("queries", queries)
    json.field("queriesPerSecond", queriesPerSecond)
    json.field("runs", runs)
    json.raw("}")
  }
}

/// What `medref check --json` prints: the index, whether all is well, its problems and the articles whose source
/// files changed.
public struct IndexCheckReport: Sendable, Equatable, JSONLineWritable {
  public var index: String
  public var ok: Bool
  public var problems: [String]
  public var changed: [IndexStore.ChangedSource]

  public init(index: String, problems: [String], changed: [IndexStore.ChangedSource]) {
    self.index = index
    self.ok = problems.isEmpty && changed.isEmpty
    self.problems = problems
    self.changed = changed
  }

  package func write(into json: inout CompactJSON) {
    json.raw("{")
    json.field("changed", changed)
    json.field("index", index)
    json.field("ok", ok)
    json.field("problems", problems)
    json.raw("}")
  }
}
