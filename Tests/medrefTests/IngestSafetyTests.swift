import Foundation
import Testing

#if canImport(Glibc)
  import Glibc
#endif

/// Nothing already indexed is lost and nothing hangs, whatever the working folder, the file types and the options.
@Suite("medref ingest: no silent loss, no hang, no crash")
struct IngestSafetyTests {
  func ids(_ sandbox: Sandbox) async throws -> [String] {
    let export = try await sandbox.medref("export", "--index", sandbox.index)
    return try export.stdoutLines.map { try JSON.object($0)["id"] as? String ?? "" }
  }

  @Test("--prune from another working folder, with absolute paths, keeps every article whose file exists")
  func pruneFromAnotherFolder() async throws {
    try await Sandbox.with { sandbox in
      try sandbox.makeCorpus(badFiles: false)
      try await sandbox.ingestCorpus()
      // The same corpus named by its absolute path from `/`: the stored paths were relative to the sandbox.
      let again = try await sandbox.medref(
        ["ingest", sandbox.corpus.path, "--prune", "--json", "--index", sandbox.index], in: URL(fileURLWithPath: "/"))
      #expect(again.status == 0, "\(again)")
      let report = try JSON.object(again.stdout)
      #expect(JSON.strings(report["pruned"]).isEmpty, "\(again)")
      #expect(JSON.strings(report["unchanged"]).sorted() == Sandbox.corpusIDs, "\(again)")
      #expect(try await ids(sandbox) == Sandbox.corpusIDs)
      // And a file that is really gone is still pruned from there.
      try FileManager.default.removeItem(at: sandbox.url("corpus/gout.html"))
      let pruned = try await sandbox.medref(
        ["ingest", sandbox.corpus.path, "--prune", "--json", "--index", sandbox.index], in: URL(fileURLWithPath: "/"))
      #expect(JSON.strings(try JSON.object(pruned.stdout)["pruned"]) == ["corpus/gout"], "\(pruned)")
    }
  }

  @Test(
    "an unreadable folder is an error naming it, and --prune keeps its articles",
    .enabled(if: readOnlyRunner != nil, "no user bound by permissions can run the binary here"))
  func unreadableFolderIsAnError() async throws {
    try await Sandbox.with { sandbox in
      try sandbox.makeCorpus(badFiles: false)
      try sandbox.copyFixture("Corpus/gout.html", to: "corpus/locked/gout-copy.html")
      try await sandbox.ingestCorpus()
      // The user who runs the ingest may write the index, but not list the locked folder.
      #expect(chmod(sandbox.url("Index").path, 0o777) == 0 && chmod(sandbox.index, 0o666) == 0)
      let locked = sandbox.url("corpus/locked").path
      #expect(chmod(locked, 0) == 0)
      defer { chmod(locked, 0o755) }
      let result = try Self.runRestricted(
        ["ingest", "corpus", "--prune", "--json", "--index", sandbox.index], in: sandbox.root)
      #expect(result.status == 1, "\(result)")
      #expect(result.stderr.contains("medref: corpus/locked: cannot list folder"), "\(result)")
      #expect(JSON.strings(try JSON.object(result.stdout)["pruned"]).isEmpty, "\(result)")
      chmod(locked, 0o755)
      #expect(try await ids(sandbox).contains("corpus/locked/gout-copy"))
    }
  }

  /// Runs medref as `readOnlyRunner`'s user, in `folder`: its status, standard output and standard error.
  static func runRestricted(
    _ arguments: [String], in folder: URL
  ) throws -> (status: Int32, stdout: String, stderr: String) {
    let runner = try #require(readOnlyRunner)
    let run = Process()
    run.executableURL = URL(fileURLWithPath: runner[0])
    run.arguments = Array(runner.dropFirst()) + arguments
    let output = Pipe()
    let errors = Pipe()
    run.standardOutput = output
    run.standardError = errors
    run.currentDirectoryURL = folder
    try run.run()
    let out = String(decoding: output.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
    let err = String(decoding: errors.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
    run.waitUntilExit()
    return (run.terminationStatus, out, err)
  }

  @Test("a corpus folder named through a symbolic link is ingested like the folder itself")
  func symlinkedRootFolder() async throws {
    try await Sandbox.with { sandbox in
      try sandbox.makeCorpus(badFiles: false)
      try FileManager.default.createSymbolicLink(atPath: sandbox.url("clink").path, withDestinationPath: "corpus")
      for name in ["clink", "clink/"] {
        let result = try await sandbox.medref("extract", name)
        #expect(result.status == 0, "\(result)")
        #expect(result.stdoutLines.count == 3, "\(result)")
      }
      let ingest = try await sandbox.medref("ingest", "clink", "--index", sandbox.index)
      #expect(ingest.status == 0, "\(ingest)")
      #expect(ingest.stdout.contains("Ingested 3 of 3 files"), "\(ingest)")
    }
  }

  @Test("a FIFO in a folder is skipped with a note and a FIFO named directly is an error: no hang")
  func fifoIsNotRead() async throws {
    try await Sandbox.with { sandbox in
      try sandbox.makeCorpus(badFiles: false)
      let fifo = sandbox.url("corpus/x.html").path
      #expect(mkfifo(fifo, 0o644) == 0)
      let folder = try await sandbox.medref(
        ["ingest", "corpus", "--verbose", "--index", sandbox.index], killAfter: 60)
      #expect(!folder.killed, "ingest hung on a FIFO\n\(folder)")
      #expect(folder.status == 0, "\(folder)")
      #expect(folder.stdout.contains("3 added"), "\(folder)")
      let named = try await sandbox.medref(["extract", "corpus/x.html"], killAfter: 60)
      #expect(!named.killed, "extract hung on a FIFO\n\(named)")
      #expect(named.status == 1, "\(named)")
      #expect(named.stderrLines == ["medref: corpus/x.html: not a regular file or folder (a FIFO)"], "\(named)")
    }
  }

  @Test("a symbolic link inside a folder is not followed: /etc/passwd is never indexed")
  func symlinkInsideFolderNotFollowed() async throws {
    try await Sandbox.with { sandbox in
      try sandbox.makeCorpus(badFiles: false)
      try FileManager.default.createSymbolicLink(
        atPath: sandbox.url("corpus/passwd.txt").path, withDestinationPath: "/etc/passwd")
      let result = try await sandbox.medref("ingest", "corpus", "--json", "--index", sandbox.index)
      #expect(result.status == 0, "\(result)")
      #expect(JSON.strings(try JSON.object(result.stdout)["added"]).sorted() == Sandbox.corpusIDs, "\(result)")
      let export = try await sandbox.medref("export", "--index", sandbox.index)
      #expect(!export.stdout.contains("passwd"), "\(export)")
      // Named directly, a link is the user's choice, and is followed.
      try sandbox.write("Gout\n\nGout is a form of arthritis.\n", to: "elsewhere/gout.txt")
      try FileManager.default.createSymbolicLink(
        atPath: sandbox.url("named.txt").path, withDestinationPath: sandbox.url("elsewhere/gout.txt").path)
      let named = try await sandbox.medref("extract", "named.txt")
      #expect(named.status == 0 && named.stdout.contains("arthritis"), "\(named)")
    }
  }

  @Test("a symbolic link loop named directly says so")
  func symlinkLoopNamed() async throws {
    try await Sandbox.with { sandbox in
      try FileManager.default.createSymbolicLink(atPath: sandbox.url("loop").path, withDestinationPath: "loop")
      let result = try await sandbox.medref("extract", "loop")
      #expect(result.status == 1, "\(result)")
      #expect(result.stderrLines.count == 1, "\(result)")
      #expect(result.stderr.lowercased().contains("too many levels of symbolic links"), "\(result)")
    }
  }

  @Test(
    "absurd option values are usage errors with one line, never a crash",
    arguments: [
      ["ingest", "corpus", "--max-size", "inf"], ["ingest", "corpus", "--max-size", "1e308"],
      ["ingest", "corpus", "--max-size", "nan"], ["ingest", "corpus", "--max-size", "-1"],
      ["ingest", "corpus", "--max-size", "0"], ["show", "x", "--width", "99999999999"], ["show", "x", "--width", "-5"],
    ])
  func absurdOptions(arguments: [String]) async throws {
    try await Sandbox.with { sandbox in
      try sandbox.makeCorpus(badFiles: false)
      let result = try await sandbox.medref(arguments + ["--index", sandbox.index])
      #expect(!result.crashed, "\(result)")
      #expect(result.status == 2, "\(result)")
      #expect(result.stderrLines.first?.contains("must be") == true, "\(result)")
    }
  }

  /// Whether the tests can run medref as a user who may not write the sandbox: as themselves when not root; as
  /// `nobody` (through `runuser`) when root, if that user can run the built binary from where it is.
  static let readOnlyRunner: [String]? = {
    guard let binary = try? MedRefBinary.url().path else { return nil }
    if getuid() != 0 { return [binary] }
    let runuser = "/usr/sbin/runuser"
    guard FileManager.default.isExecutableFile(atPath: runuser) else { return nil }
    let probe = Process()
    probe.executableURL = URL(fileURLWithPath: runuser)
    probe.arguments = ["-u", "nobody", "--", binary, "--version"]
    probe.standardOutput = FileHandle.nullDevice
    probe.standardError = FileHandle.nullDevice
    guard (try? probe.run()) != nil else { return nil }
    probe.waitUntilExit()
    return probe.terminationStatus == 0 ? [runuser, "-u", "nobody", "--", binary] : nil
  }()

  @Test(
    "search, show, stats, check and export read an index that this user may not write",
    .enabled(if: readOnlyRunner != nil, "no user without write permission can run the binary here"))
  func readOnlyIndex() async throws {
    try await Sandbox.with { sandbox in
      try sandbox.makeCorpus(badFiles: false)
      try await sandbox.ingestCorpus()
      let folder = sandbox.url("Index").path
      #expect(chmod(sandbox.index, 0o444) == 0 && chmod(folder, 0o555) == 0)
      defer { chmod(folder, 0o755) }
      let runner = try #require(Self.readOnlyRunner)
      for command in [["search", "numbness"], ["show", "gout"], ["stats"], ["check"], ["export"]] {
        let run = Process()
        run.executableURL = URL(fileURLWithPath: runner[0])
        run.arguments = Array(runner.dropFirst()) + command + ["--index", sandbox.index]
        let output = Pipe()
        let errors = Pipe()
        run.standardOutput = output
        run.standardError = errors
        run.currentDirectoryURL = URL(fileURLWithPath: "/")
        try run.run()
        let out = output.fileHandleForReading.readDataToEndOfFile()
        let err = String(decoding: errors.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
        run.waitUntilExit()
        #expect(run.terminationStatus == 0, "\(command): \(err)")
        #expect(!out.isEmpty, "\(command)")
      }
      let left = try FileManager.default.contentsOfDirectory(atPath: folder)
      #expect(left == ["medref.sqlite"], "a reader wrote beside the index: \(left)")
    }
  }

  @Test(
    "an unknown option is named even when the command's argument is missing",
    arguments: [
      "ingest", "extract", "show", "search",
    ])
  func unknownOptionNamed(command: String) async throws {
    try await Sandbox.with { sandbox in
      let result = try await sandbox.medref(command, "--bogus")
      #expect(result.status == 2, "\(result)")
      #expect(result.stderrLines.first?.hasPrefix("medref: unknown option '--bogus'") == true, "\(result)")
    }
  }

  @Test(
    "help texts are wrapped once: no short prose line followed by its own sentence's rest",
    arguments: [
      "ingest", "extract", "export", "show", "stats", "check", "search", "normalize", "serve",
    ])
  func helpWrappedOnce(command: String) async throws {
    try await Sandbox.with { sandbox in
      let help = try await sandbox.medref(command, "--help")
      #expect(help.status == 0, "\(help)")
      let lines = help.stdout.split(separator: "\n", omittingEmptySubsequences: false).map(String.init)
      for (line, next) in zip(lines, lines.dropFirst()) where !line.hasPrefix(" ") && !next.hasPrefix(" ") {
        // A line ended early inside a sentence, the sentence going on in lower case on the next line.
        let ragged = line.count < 60 && !line.isEmpty && next.first?.isLowercase == true && !line.hasSuffix(":")
        #expect(!ragged, "\(command) --help wraps twice:\n\(line)\n\(next)")
      }
      #expect(!help.stdout.contains("(default 16;"), "a default said twice")
    }
  }

  @Test("a file name with a newline is one line in ingest's messages")
  func newlineInFileName() async throws {
    try await Sandbox.with { sandbox in
      try sandbox.makeCorpus(badFiles: false)
      try sandbox.write(Data(), to: "corpus/bad\nname.txt")
      let result = try await sandbox.medref("ingest", "corpus", "--index", sandbox.index)
      #expect(result.status == 1, "\(result)")
      #expect(result.messageLines == ["medref: corpus/bad\\nname.txt: empty file"], "\(result)")
    }
  }
}
