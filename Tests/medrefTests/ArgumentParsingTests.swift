import ArgumentParser
import Foundation
import MedRefBase
import Testing

@testable import medref
@testable import medref_serve

/// `medref serve`'s own command, in the `medref-serve` executable (`medref serve ARGS` runs it with ARGS).
typealias ServeCommand = medref_serve.Serve

/// The command that parses `arguments` and the arguments it is given: `medref serve ARGS` is `medref-serve ARGS`.
func root(of arguments: [String]) -> (any ParsableCommand.Type, [String]) {
  arguments.first == "serve" ? (ServeCommand.self, Array(arguments.dropFirst())) : (MedRef.self, arguments)
}

/// Argument parsing of every command, without running one: `Command.parse` for the options each command gets,
/// `MedRef.parseAsRoot` for which command a line names, and `MedRef.message(for:)` / `MedRef.exitCode(for:)` for
/// what a user sees when a line is rejected (`MedRef.main` prints that message and exits with status 2).

/// Parses `arguments` as `medref` does and returns the command it names, as `type`.
/// - Throws: the parsing error, or a failed `#require` when the line names another command.
func parsedCommand<Command: ParsableCommand>(
  _ arguments: [String], as type: Command.Type, sourceLocation: SourceLocation = #_sourceLocation
) throws -> Command {
  let (root, line) = root(of: arguments)
  let command = try root.parseAsRoot(line)
  return try #require(command as? Command, "parsed as \(Swift.type(of: command))", sourceLocation: sourceLocation)
}

/// Parses `arguments` with `medref`'s own parser only (no forwarding of `serve`).
func parsedCommandOfMedRef<Command: ParsableCommand>(_ arguments: [String], as type: Command.Type) throws -> Command {
  try #require(try MedRef.parseAsRoot(arguments) as? Command)
}

/// What a user is told when `medref` rejects `arguments` before running a command: the message and the exit
/// status. Records an issue (and returns nil) when the line is accepted.
func rejection(
  _ arguments: [String], sourceLocation: SourceLocation = #_sourceLocation
) -> (message: String, status: Int32)? {
  let (root, line) = root(of: arguments)
  let error = #expect(throws: (any Error).self, "\(arguments) was accepted", sourceLocation: sourceLocation) {
    _ = try root.parseAsRoot(line)
  }
  return error.map { (root.message(for: $0), root.exitCode(for: $0).rawValue) }
}

/// Expects `medref arguments` to be rejected as a usage error (status 64, which `MedRef.main` turns into 2) with
/// exactly `message`.
func expectRejected(
  _ arguments: [String], with message: String, sourceLocation: SourceLocation = #_sourceLocation
) {
  guard let rejected = rejection(arguments, sourceLocation: sourceLocation) else { return }
  #expect(rejected.message == message, sourceLocation: sourceLocation)
  #expect(rejected.status == ExitCode.validationFailure.rawValue, sourceLocation: sourceLocation)
}

/// Expects `medref arguments` to be rejected as a usage error with a message holding every one of `parts`.
func expectRejected(
  _ arguments: [String], mentioning parts: [String], sourceLocation: SourceLocation = #_sourceLocation
) {
  guard let rejected = rejection(arguments, sourceLocation: sourceLocation) else { return }
  for part in parts {
    #expect(rejected.message.contains(part), "\(rejected.message)", sourceLocation: sourceLocation)
  }
  #expect(rejected.status == ExitCode.validationFailure.rawValue, sourceLocation: sourceLocation)
}

@Suite("medref: which command a line names")
struct CommandDispatchTests {
  /// Each command's first words (with the shortest line it parses from), and the name of its command type.
  static let commands: [([String], String)] = [
    (["ingest", "Corpus"], "Ingest"), (["search", "numbness"], "Search"), (["extract", "a.txt"], "Extract"),
    (["export"], "Export"), (["show", "back-spasms"], "Show"), (["stats"], "Stats"), (["check"], "Check"),
    (["normalize"], "Normalize"), (["schema"], "Schema"), (["serve"], "Serve"), (["lexicons"], "Lexicons"),
    (["bench"], "Bench"), (["bench", "search", "--queries", "q.jsonl"], "SearchBench"),
    (["bench", "ingest", "Corpus"], "IngestBench"),
  ]

  @Test("Each subcommand's name dispatches to its command", arguments: commands)
  func dispatch(_ arguments: [String], _ typeName: String) throws {
    let command = try MedRef.parseAsRoot(arguments)
    #expect(String(describing: Swift.type(of: command)) == typeName, "\(arguments)")
  }

  @Test("Every command in MedRef's list (and bench's) is dispatched by a test above")
  func everyCommandCovered() {
    let tested = Set(Self.commands.map(\.1))
    let listed = MedRef.configuration.subcommands.map { String(describing: $0) }
    #expect(listed.count == 12)
    #expect(listed.allSatisfy(tested.contains), "\(listed)")
    let bench = Bench.configuration.subcommands.map { String(describing: $0) }
    #expect(bench.count == 2)
    #expect(bench.allSatisfy(tested.contains), "\(bench)")
  }

  @Test("No arguments give the root command (which prints its help), not a subcommand")
  func noArguments() throws {
    #expect(try MedRef.parseAsRoot([]) is MedRef)
  }

  @Test("An unknown command is a usage error that names it")
  func unknownCommand() {
    expectRejected(["frobnicate"], mentioning: ["frobnicate"])
  }

  @Test("An unknown option is a usage error that names it, before any check of the command's own")
  func unknownOption() {
    // `ingest` without paths is only an error when it runs: the unknown option is what the user hears about.
    expectRejected(["ingest", "--bogus"], mentioning: ["--bogus"])
    expectRejected(["show", "--bogus"], mentioning: ["--bogus"])
    expectRejected(["search", "--bogus"], mentioning: ["--bogus"])
    expectRejected(["extract", "--bogus"], mentioning: ["--bogus"])
  }

  @Test("--version prints the version and succeeds")
  func version() throws {
    let error = #expect(throws: (any Error).self) { _ = try MedRef.parseAsRoot(["--version"]) }
    let thrown = try #require(error)
    #expect(MedRef.message(for: thrown) == "0.1.0")
    #expect(MedRef.exitCode(for: thrown) == .success)
  }

  @Test("--help on a subcommand is a help request that succeeds; the help shows that command's options")
  func help() throws {
    // `MedRef.parseAsRoot` answers `show --help` with ArgumentParser's help command, which prints this text.
    let error = #expect(throws: (any Error).self) { _ = try Show.parse(["--help"]) }
    #expect(error.map { Show.exitCode(for: $0) } == .success)
    let text = MedRef.helpMessage(for: Show.self, columns: 100)
    #expect(text.contains("USAGE: medref show"), "\(text)")
    #expect(text.contains("--width <n>"), "\(text)")
    #expect(text.contains("--order <order>"), "\(text)")
  }
}

@Suite("medref: options shared by the index commands")
struct IndexOptionsParsingTests {
  @Test("--index is kept as given and becomes the index path")
  func indexGiven() throws {
    let stats = try Stats.parse(["--index", "/tmp/x.sqlite"])
    #expect(stats.indexOptions.index == "/tmp/x.sqlite")
    #expect(stats.indexOptions.path == "/tmp/x.sqlite")
  }

  @Test("Without --index (or with an empty one) the path is $MEDREF_INDEX, else Index/medref.sqlite")
  func indexDefault() throws {
    let stats = try Stats.parse([])
    #expect(stats.indexOptions.index == nil)
    let environment = ProcessInfo.processInfo.environment["MEDREF_INDEX"] ?? ""
    let expected = environment.isEmpty ? "Index/medref.sqlite" : environment
    #expect(stats.indexOptions.path == expected)
    #expect(try Stats.parse(["--index", ""]).indexOptions.path == expected)
  }

  @Test("--index without a value is a usage error that names it")
  func indexMissingValue() {
    expectRejected(["stats", "--index"], mentioning: ["--index"])
  }
}

@Suite("medref ingest: arguments")
struct IngestParsingTests {
  @Test("Defaults when only a path is given")
  func defaults() throws {
    let ingest = try Ingest.parse(["Corpus"])
    #expect(ingest.paths == ["Corpus"])
    #expect(ingest.indexOptions.index == nil)
    #expect(!ingest.prune)
    #expect(!ingest.quiet)
    #expect(ingest.maximumMegabytes == 16)
    #expect(!ingest.json)
    #expect(!ingest.verbose)
  }

  @Test("Every option and flag is read into its property; paths keep their order")
  func everyOption() throws {
    let ingest = try parsedCommand(
      [
        "ingest", "Corpus", "page.html", "--index", "x.sqlite", "--prune", "--quiet", "--max-size", "2.5", "--json",
        "--verbose", "more",
      ], as: Ingest.self)
    #expect(ingest.paths == ["Corpus", "page.html", "more"])
    #expect(ingest.indexOptions.index == "x.sqlite")
    #expect(ingest.prune && ingest.quiet && ingest.json && ingest.verbose)
    #expect(ingest.maximumMegabytes == 2.5)
  }

  @Test("No paths parse (the command says 'give at least one file' when it runs, after unknown options)")
  func noPaths() throws {
    #expect(try Ingest.parse([]).paths.isEmpty)
  }

  @Test("--max-size accepts the ends of its range")
  func maximumSizeRange() throws {
    #expect(try Ingest.parse(["x", "--max-size", "4096"]).maximumMegabytes == 4096)
    #expect(try Ingest.parse(["x", "--max-size", "0.001"]).maximumMegabytes == 0.001)
  }

  @Test(
    "--max-size outside (0, 4096], or not finite, is rejected with a message naming it",
    arguments: ["0", "-1", "4096.5", "1e308", "inf", "nan", "-0"])
  func maximumSizeRejected(_ value: String) {
    expectRejected(
      ["ingest", "Corpus", "--max-size", value],
      with: "--max-size must be a number of megabytes above 0 and at most 4096.")
  }

  @Test("--max-size that is not a number is rejected, naming the option and the value")
  func maximumSizeNotANumber() {
    expectRejected(["ingest", "Corpus", "--max-size", "big"], mentioning: ["--max-size", "big"])
  }
}

@Suite("medref extract: arguments")
struct ExtractParsingTests {
  @Test("Defaults when only a file is given: JSON Lines, with entities")
  func defaults() throws {
    let extract = try Extract.parse(["a.txt"])
    #expect(extract.files == ["a.txt"])
    #expect(extract.format == .jsonl)
    #expect(extract.entities)
  }

  @Test("--format json, --no-entities and several files")
  func everyOption() throws {
    let extract = try parsedCommand(
      ["extract", "a.txt", "b.html", "--format", "json", "--no-entities"], as: Extract.self)
    #expect(extract.files == ["a.txt", "b.html"])
    #expect(extract.format == .json)
    #expect(!extract.entities)
    #expect(try Extract.parse(["a.txt", "--entities"]).entities)
  }

  @Test("No files parse (the command says 'give at least one file' when it runs)")
  func noFiles() throws {
    #expect(try Extract.parse([]).files.isEmpty)
  }

  @Test("An unknown --format is rejected, naming the option and the formats there are")
  func unknownFormat() {
    expectRejected(["extract", "a.txt", "--format", "xml"], mentioning: ["--format", "xml", "jsonl", "json"])
  }
}

@Suite("medref export: arguments")
struct ExportParsingTests {
  @Test("Defaults: every article, JSON Lines, standard output")
  func defaults() throws {
    let export = try Export.parse([])
    #expect(export.ids.isEmpty)
    #expect(export.format == .jsonl)
    #expect(export.out == nil)
    #expect(export.indexOptions.index == nil)
  }

  @Test("Ids, --format, --out and --index")
  func everyOption() throws {
    let export = try parsedCommand(
      ["export", "back-spasms", "Corpus/gout", "--format", "json", "--out", "x.json", "--index", "i.sqlite"],
      as: Export.self)
    #expect(export.ids == ["back-spasms", "Corpus/gout"])
    #expect(export.format == .json)
    #expect(export.out == "x.json")
    #expect(export.indexOptions.index == "i.sqlite")
  }

  @Test("--out without a file is rejected, naming it")
  func outWithoutValue() {
    expectRejected(["export", "--out"], mentioning: ["--out"])
  }
}

@Suite("medref show: arguments")
struct ShowParsingTests {
  @Test("Defaults when only an id is given: by kind, 100 columns, text")
  func defaults() throws {
    let show = try Show.parse(["back-spasms"])
    #expect(show.id == "back-spasms")
    #expect(show.order == .kind)
    #expect(show.width == 100)
    #expect(!show.json)
    #expect(show.indexOptions.index == nil)
  }

  @Test("--order, --width, --json and --index")
  func everyOption() throws {
    let show = try parsedCommand(
      ["show", "gout", "--order", "reading", "--width", "72", "--json", "--index", "i.sqlite"], as: Show.self)
    #expect(show.id == "gout")
    #expect(show.order == .reading)
    #expect(show.width == 72)
    #expect(show.json)
    #expect(show.indexOptions.index == "i.sqlite")
  }

  @Test("No id parses (the command asks for one when it runs)")
  func noID() throws {
    #expect(try Show.parse([]).id == nil)
  }

  @Test("--width accepts 40 and 10000")
  func widthRange() throws {
    #expect(try Show.parse(["x", "--width", "40"]).width == 40)
    #expect(try Show.parse(["x", "--width", "10000"]).width == 10_000)
  }

  @Test("--width outside 40...10000 is rejected with a message naming it", arguments: ["39", "0", "-5", "10001"])
  func widthRejected(_ value: String) {
    expectRejected(["show", "x", "--width", value], with: "--width must be from 40 to 10000.")
  }

  @Test("--width that is not a whole number, and an unknown --order, are rejected, naming the option")
  func malformedValues() {
    expectRejected(["show", "x", "--width", "wide"], mentioning: ["--width", "wide"])
    expectRejected(["show", "x", "--order", "alphabetical"], mentioning: ["--order", "alphabetical", "reading"])
  }
}

@Suite("medref stats, check, normalize, schema, lexicons: arguments")
struct SmallCommandParsingTests {
  @Test("stats: text by default; --json and --index")
  func stats() throws {
    #expect(try !Stats.parse([]).json)
    let stats = try parsedCommand(["stats", "--json", "--index", "i.sqlite"], as: Stats.self)
    #expect(stats.json)
    #expect(stats.indexOptions.index == "i.sqlite")
  }

  @Test("check: text by default; --json and --index")
  func check() throws {
    #expect(try !Check.parse([]).json)
    let check = try parsedCommand(["check", "--index", "i.sqlite", "--json"], as: Check.self)
    #expect(check.json)
    #expect(check.indexOptions.index == "i.sqlite")
  }

  @Test("normalize: text, curly quotes kept by default; --explain and --uncurl")
  func normalize() throws {
    let plain = try Normalize.parse([])
    #expect(!plain.explain && !plain.uncurl)
    let both = try parsedCommand(["normalize", "--explain", "--uncurl"], as: Normalize.self)
    #expect(both.explain && both.uncurl)
    #expect(try Normalize.parse(["--uncurl"]).explain == false)
  }

  @Test("normalize and schema take no arguments: a file name is rejected, naming it")
  func noArguments() {
    expectRejected(["normalize", "file.txt"], mentioning: ["file.txt"])
    expectRejected(["schema", "extra"], mentioning: ["extra"])
  }

  @Test("lexicons: lists by default; --compile takes the output file")
  func lexicons() throws {
    #expect(try Lexicons.parse([]).compile == nil)
    #expect(try parsedCommand(["lexicons", "--compile", "out.bin"], as: Lexicons.self).compile == "out.bin")
    expectRejected(["lexicons", "--compile"], mentioning: ["--compile"])
  }
}

@Suite("medref search: arguments")
struct SearchParsingTests {
  @Test("Defaults when only a query is given: all kinds, 10 results from the first, 2 s, text")
  func defaults() throws {
    let search = try Search.parse(["numbness"])
    #expect(search.query == "numbness")
    #expect(search.section.isEmpty)
    #expect(search.limit.text == "10")
    #expect(search.offset.text == "0")
    #expect(search.timeLimit.text == "2")
    #expect(!search.json)
    #expect(!search.facets)
    #expect(search.queries == nil)
    #expect(search.indexOptions.index == nil)
    let checked = try search.checked()
    #expect(checked.limit == 10)
    #expect(checked.offset == 0)
    #expect(checked.seconds == 2)
  }

  @Test("Every option and flag is read into its property")
  func everyOption() throws {
    let search = try parsedCommand(
      [
        "search", "lower back pain", "--section", "symptoms", "--limit", "5", "--offset", "20", "--time-limit", "0.5",
        "--json", "--facets", "--index", "i.sqlite",
      ], as: Search.self)
    #expect(search.query == "lower back pain")
    #expect(search.section == [.symptoms])
    #expect(search.json && search.facets)
    #expect(search.indexOptions.index == "i.sqlite")
    let checked = try search.checked()
    #expect(checked.limit == 5)
    #expect(checked.offset == 20)
    #expect(checked.seconds == 0.5)
  }

  @Test("--section is repeatable, keeps its order, and takes kinds in any case and with '-' for '_'")
  func sections() throws {
    let search = try Search.parse(
      ["x", "--section", "tests", "--section", "Risk-Factors", "--section", "risk_factors", "--section", "TREATMENT"])
    #expect(search.section == [.tests, .riskFactors, .riskFactors, .treatment])
  }

  @Test("An unknown --section is rejected, naming the option, the value and the kinds there are")
  func unknownSection() {
    expectRejected(
      ["search", "x", "--section", "cures"], mentioning: ["--section", "cures", "symptoms", "risk_factors"])
  }

  @Test("The ends of the ranges of --limit, --offset and --time-limit are accepted")
  func rangeEnds() throws {
    let low = try Search.parse(["x", "--limit", "1", "--offset", "0", "--time-limit", "0.001"]).checked()
    #expect(low.limit == 1 && low.offset == 0 && low.seconds == 0.001)
    let high = try Search.parse(["x", "--limit", "10000", "--offset", "1000000", "--time-limit", "3600"]).checked()
    #expect(high.limit == 10_000 && high.offset == 1_000_000 && high.seconds == 3600)
  }

  /// The check `search` makes when it runs (after unknown options are reported), as `MedRef.main` reports it.
  func expectCheckFails(
    _ arguments: [String], with message: String, sourceLocation: SourceLocation = #_sourceLocation
  ) throws {
    let search = try parsedCommand(["search"] + arguments, as: Search.self, sourceLocation: sourceLocation)
    let error = #expect(throws: ValidationError.self, sourceLocation: sourceLocation) { _ = try search.checked() }
    guard let error else { return }
    #expect(MedRef.message(for: error) == message, sourceLocation: sourceLocation)
    #expect(MedRef.exitCode(for: error) == .validationFailure, sourceLocation: sourceLocation)
  }

  @Test(
    "--limit that is not a whole number from 1 to 10000 is rejected, with the value given",
    arguments: ["0", "-1", "10001", "99999999999999999999", "ten", "2.5", ""])
  func limitRejected(_ value: String) throws {
    try expectCheckFails(
      ["x", "--limit", value], with: "--limit must be a positive whole number, at most 10000 (got '\(value)').")
  }

  @Test(
    "--offset that is not a whole number from 0 to 1000000 is rejected, with the value given",
    arguments: ["-1", "1000001", "first", "-99999999999999999999"])
  func offsetRejected(_ value: String) throws {
    try expectCheckFails(
      ["x", "--offset", value], with: "--offset must be a whole number from 0 to 1000000 (got '\(value)').")
  }

  @Test(
    "--time-limit that is not a number of seconds in (0, 3600] is rejected, with the value given",
    arguments: ["0", "-1", "3600.5", "inf", "nan", "soon"])
  func timeLimitRejected(_ value: String) throws {
    try expectCheckFails(
      ["x", "--time-limit", value],
      with: "--time-limit must be a number of seconds above 0 and at most 3600 (got '\(value)').")
  }

  @Test("A query or --queries is needed, and not both")
  func queryOrBatch() throws {
    try expectCheckFails([], with: "Give a query, or --queries FILE.")
    try expectCheckFails(["x", "--queries", "q.jsonl"], with: "Give a query or --queries FILE, not both.")
    let batch = try Search.parse(["--queries", "q.jsonl"])
    #expect(batch.query == nil && batch.queries == "q.jsonl")
    #expect(try batch.checked().limit == 10)
  }

  @Test("A query starting with '-' is given after '--'")
  func dashQuery() throws {
    #expect(try Search.parse(["--", "-x"]).query == "-x")
    #expect(try Search.parse(["--limit", "3", "--", "--json"]).query == "--json")
  }
}

@Suite("medref bench: arguments")
struct BenchParsingTests {
  @Test("bench search: defaults when only --queries is given")
  func searchDefaults() throws {
    let bench = try SearchBench.parse(["--queries", "q.jsonl"])
    #expect(bench.queries == ["q.jsonl"])
    #expect(bench.section.isEmpty)
    #expect(bench.runs == 5)
    #expect(!bench.json)
    #expect(bench.indexOptions.index == nil)
  }

  @Test("bench search: --queries and --section are repeatable; --runs, --json, --index")
  func searchOptions() throws {
    let bench = try parsedCommand(
      [
        "bench", "search", "--queries", "a.jsonl", "--section", "symptoms", "--queries", "b.jsonl", "--section",
        "tests", "--runs", "1000", "--json", "--index", "i.sqlite",
      ], as: SearchBench.self)
    #expect(bench.queries == ["a.jsonl", "b.jsonl"])
    #expect(bench.section == [.symptoms, .tests])
    #expect(bench.runs == 1000)
    #expect(bench.json)
    #expect(bench.indexOptions.index == "i.sqlite")
  }

  @Test("bench search: without --queries it is rejected, naming the option")
  func searchWithoutQueries() {
    expectRejected(["bench", "search"], with: "Give at least one --queries FILE.")
  }

  @Test("bench search: --runs outside 1...1000 is rejected, naming it", arguments: ["0", "1001"])
  func searchRunsRejected(_ value: String) {
    expectRejected(
      ["bench", "search", "--queries", "q.jsonl", "--runs", value], with: "--runs must be from 1 to 1000.")
  }

  @Test("bench ingest: defaults when only a path is given; several paths, --runs and --json")
  func ingestOptions() throws {
    let plain = try IngestBench.parse(["Corpus"])
    #expect(plain.paths == ["Corpus"])
    #expect(plain.runs == 3)
    #expect(!plain.json)
    let bench = try parsedCommand(["bench", "ingest", "a", "b", "--runs", "1", "--json"], as: IngestBench.self)
    #expect(bench.paths == ["a", "b"])
    #expect(bench.runs == 1)
    #expect(bench.json)
  }

  @Test("bench ingest: --runs outside 1...1000 is rejected, naming it", arguments: ["0", "1001"])
  func ingestRunsRejected(_ value: String) {
    expectRejected(["bench", "ingest", "Corpus", "--runs", value], with: "--runs must be from 1 to 1000.")
  }

  @Test("bench ingest: without a path it is rejected, naming the missing argument")
  func ingestWithoutPaths() {
    // `paths` has no default, so ArgumentParser requires it before `validate()` (and its own message) is reached.
    expectRejected(["bench", "ingest"], mentioning: ["Missing expected argument", "<path> ..."])
  }
}

@Suite("medref serve: arguments")
struct ServeParsingTests {
  @Test("medref passes every argument after 'serve' on to medref-serve, --help included")
  func forwarded() throws {
    let serve = try parsedCommandOfMedRef(["serve", "--port", "0", "--help", "--bogus"], as: medref.Serve.self)
    #expect(serve.arguments == ["--port", "0", "--help", "--bogus"])
  }

  @Test("Defaults: this machine only, port 8080, 10 s to read a request, 30 s idle, 256 connections, a log")
  func defaults() throws {
    let serve = try ServeCommand.parse([])
    #expect(serve.host == "127.0.0.1")
    #expect(serve.port == 8080)
    #expect(serve.allowHosts.isEmpty)
    #expect(serve.readTimeout == 10)
    #expect(serve.idleTimeout == 30)
    #expect(serve.maxConnections == 256)
    #expect(!serve.quiet)
    #expect(serve.indexOptions.index == nil)
  }

  @Test("Every option and flag is read into its property; --allow-host is repeatable")
  func everyOption() throws {
    let serve = try parsedCommand(
      [
        "serve", "--host", "0.0.0.0", "--port", "0", "--allow-host", "medref.lan", "--allow-host", "[::1]",
        "--read-timeout", "0.1", "--idle-timeout", "3600", "--max-connections", "100000", "--quiet", "--index",
        "i.sqlite",
      ], as: ServeCommand.self)
    #expect(serve.host == "0.0.0.0")
    #expect(serve.port == 0)
    #expect(serve.allowHosts == ["medref.lan", "[::1]"])
    #expect(serve.readTimeout == 0.1)
    #expect(serve.idleTimeout == 3600)
    #expect(serve.maxConnections == 100_000)
    #expect(serve.quiet)
    #expect(serve.indexOptions.index == "i.sqlite")
    #expect(try ServeCommand.parse(["--port", "65535", "--max-connections", "1"]).port == 65535)
  }

  @Test("--port outside 0...65535 is rejected, naming it", arguments: ["65536", "-1", "100000"])
  func portRejected(_ value: String) {
    expectRejected(["serve", "--port=\(value)"], with: "--port must be from 0 to 65535.")
  }

  @Test("An empty --host is rejected, naming it")
  func emptyHost() {
    expectRejected(["serve", "--host", ""], with: "--host must not be empty.")
  }

  @Test("--allow-host given a URL is rejected, naming the option and the value")
  func allowHostURL() {
    expectRejected(
      ["serve", "--allow-host", "ok.lan", "--allow-host", "http://medref.lan/"],
      with: "--allow-host takes a host name or address, not a URL: 'http://medref.lan/'.")
  }

  @Test(
    "--allow-host that is no host name (a port, a space, nothing) is rejected, naming the option and the value",
    arguments: ["medref.lan:8080", "my host", "", "user@host"])
  func allowHostMalformed(_ value: String) {
    expectRejected(
      ["serve", "--allow-host", value],
      with: "--allow-host '\(value)' is not a host name or address (letters, digits, '-', '.'; no port).")
  }

  @Test(
    "--read-timeout and --idle-timeout outside 0.1...3600 seconds, or not finite, are rejected, naming the option",
    arguments: ["--read-timeout", "--idle-timeout"], ["0", "0.09", "-1", "3601", "inf", "nan"])
  func timeoutRejected(_ option: String, _ value: String) {
    expectRejected(["serve", option, value], with: "\(option) must be a number of seconds from 0.1 to 3600.")
  }

  @Test("--max-connections outside 1...100000 is rejected, naming it", arguments: ["0", "-1", "100001"])
  func maxConnectionsRejected(_ value: String) {
    expectRejected(["serve", "--max-connections", value], with: "--max-connections must be from 1 to 100000.")
  }

  @Test("A number option given a word is rejected, naming the option and the word")
  func notANumber() {
    expectRejected(["serve", "--port", "http"], mentioning: ["--port", "http"])
    expectRejected(["serve", "--read-timeout", "long"], mentioning: ["--read-timeout", "long"])
  }
}

@Suite("medref: a single-valued option given twice")
struct RepeatedOptionTests {
  @Test("The last value counts")
  func lastValueCounts() throws {
    #expect(try Extract.parse(["a", "--format", "json", "--format", "jsonl"]).format == .jsonl)
    #expect(try Show.parse(["a", "--width", "50", "--width", "60"]).width == 60)
    #expect(try Stats.parse(["--index", "a.sqlite", "--index", "b.sqlite"]).indexOptions.index == "b.sqlite")
    #expect(try Search.parse(["x", "--limit", "3", "--limit", "4"]).checked().limit == 4)
  }

  @Test("A rejected value is rejected even when a good one was given before it")
  func laterBadValue() {
    expectRejected(["show", "a", "--width", "50", "--width", "5"], with: "--width must be from 40 to 10000.")
  }
}
