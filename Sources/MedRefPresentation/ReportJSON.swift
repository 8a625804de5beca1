import MedRefBase
import MedRefIndex
import MedRefSearch

// The JSON of the index's and the benchmarks' reports (`ingest --json`, `stats --json`, `check --json`, `bench
// ... --json`), written by `CompactJSON` like every other JSON MedRef prints: keys sorted, as `JSONEncoder` sorted
// the types' Codable keys (a test compares the two, so that a field added to a type is not left out here).

extension IngestReport: JSONLineWritable {
  package func write(into json: inout CompactJSON) {
    json.raw("{")
    json.key("added", first: true)
    json.strings(added)
    json.key("failed")
    json.strings(failed)
    json.key("notes")
    json.strings(notes)
    json.key("pruned")
    json.strings(pruned)
    json.key("skipped")
    json.strings(skipped)
    json.key("timings")
    json.value(timings)
    json.key("unchanged")
    json.strings(unchanged)
    json.key("updated")
    json.strings(updated)
    json.raw("}")
  }

  package var estimatedJSONSize: Int {
    [added, failed, notes, pruned, skipped, unchanged, updated].reduce(512) { size, paths in
      paths.reduce(size) { $0 + $1.utf8.count + 3 }
    }
  }
}

extension IngestTimings: JSONLineWritable {
  package func write(into json: inout CompactJSON) {
    json.raw("{")
    json.key("bytes", first: true)
    json.value(bytes)
    json.key("checkpoint")
    json.value(checkpoint)
    json.key("finishing")
    json.value(finishing)
    json.key("planning")
    json.value(planning)
    json.key("processing")
    json.value(processing)
    json.key("reading")
    json.value(reading)
    json.key("total")
    json.value(total)
    json.key("writing")
    json.value(writing)
    json.raw("}")
  }
}

extension IndexStore.Statistics: JSONLineWritable {
  package func write(into json: inout CompactJSON) {
    json.raw("{")
    json.key("bytes", first: true)
    json.value(bytes)
    json.key("documents")
    json.value(documents)
    json.key("entitiesByType")
    json.counts(entitiesByType)
    json.key("path")
    json.value(path)
    json.key("redFlags")
    json.value(redFlags)
    json.key("repairs")
    json.value(repairs)
    json.key("sections")
    json.value(sections)
    json.key("sectionsByKind")
    json.counts(sectionsByKind)
    json.raw("}")
  }
}

extension IndexStore.ChangedSource: JSONLineWritable {
  package func write(into json: inout CompactJSON) {
    json.raw("{")
    json.key("id", first: true)
    json.value(id)
    json.key("path")
    json.value(path)
    json.key("state")
    json.value(state.rawValue)
    json.raw("}")
  }
}

extension IngestBenchmark.Run: JSONLineWritable {
  package func write(into json: inout CompactJSON) {
    json.raw("{")
    json.key("files", first: true)
    json.value(files)
    json.key("rawInsert")
    json.value(rawInsert)
    json.key("rerun")
    json.value(rerun)
    json.key("sectionBytes")
    json.value(sectionBytes)
    json.key("timings")
    json.value(timings)
    json.raw("}")
  }
}

extension SearchBenchmark.Figures: JSONLineWritable {
  package func write(into json: inout CompactJSON) {
    json.raw("{")
    json.key("baselineP50", first: true)
    json.value(baselineP50)
    json.key("baselineP99")
    json.value(baselineP99)
    json.key("max")
    json.value(max)
    json.key("mean")
    json.value(mean)
    json.key("p50")
    json.value(p50)
    json.key("p90")
    json.value(p90)
    json.key("p99")
    json.value(p99)
    json.key("queries")
    json.value(queries)
    json.key("queriesPerSecond")
    json.value(queriesPerSecond)
    json.key("runs")
    json.value(runs)
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
    json.key("changed", first: true)
    json.array(changed) { $0.value($1) }
    json.key("index")
    json.value(index)
    json.key("ok")
    json.value(ok)
    json.key("problems")
    json.strings(problems)
    json.raw("}")
  }
}
