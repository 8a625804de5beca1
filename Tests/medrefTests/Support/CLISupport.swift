import Foundation
import Testing

// Helpers for running the real `medref` binary in a private temporary folder.
//
// Every test makes its own `Sandbox` (a folder under the system's temporary directory, removed afterwards) with its
// own corpus at `<sandbox>/corpus/` and its own index at `<sandbox>/Index/medref.sqlite`, so document ids are
// `corpus/<name>` and tests can run in parallel.

// MARK: - The binary

/// Where the built `medref` executable is: next to the test executable, in the build products folder.
enum MedRefBinary {
  static let location: Result<URL, LocateError> = locate()

  struct LocateError: Error, CustomStringConvertible {
    var searched: [String]
    var description: String {
      "the medref binary was not found next to the test executable (looked in: "
        + searched.joined(separator: ", ")
        + "). Build it first, e.g. 'swift build --product medref' with the same --scratch-path as 'swift test'."
    }
  }

  /// The binary, or an error (failing the test) that says where it was looked for.
  static func url() throws -> URL {
    try location.get()
  }

  private static func locate() -> Result<URL, LocateError> {
    var starts: [URL] = []
    if let executable = Bundle.main.executableURL { starts.append(executable.deletingLastPathComponent()) }
    if let first = CommandLine.arguments.first, !first.isEmpty {
      starts.append(URL(fileURLWithPath: first).deletingLastPathComponent())
    }
    // The test target's resource bundle sits in the build products folder too (and on macOS the .xctest bundle,
    // whose executable is three levels below that folder, is not the process's main bundle).
    starts.append(Bundle.module.bundleURL.deletingLastPathComponent())

    let manager = FileManager.default
    var searched: [String] = []
    for start in starts {
      var folder = start.standardizedFileURL.resolvingSymlinksInPath()
      // From Contents/MacOS inside an .xctest bundle up to the products folder is three levels.
      for _ in 0..<4 {
        let candidate = folder.appendingPathComponent("medref")
        if !searched.contains(folder.path) { searched.append(folder.path) }
        var isDirectory: ObjCBool = false
        if manager.fileExists(atPath: candidate.path, isDirectory: &isDirectory), !isDirectory.boolValue,
          manager.isExecutableFile(atPath: candidate.path)
        {
          return .success(candidate)
        }
        let parent = folder.deletingLastPathComponent()
        if parent.path == folder.path { break }
        folder = parent
      }
    }
    return .failure(LocateError(searched: searched))
  }
}

// MARK: - Running it

/// What one run of `medref` did.
struct CommandResult: Sendable, CustomStringConvertible {
  var arguments: [String]
  /// The exit status, or 128 + the signal number when the process was killed by a signal (a crash).
  var status: Int32
  var crashed: Bool
  /// True when the run was given `killAfter` and the kill was sent (the process had not ended by then).
  var killed = false
  var stdoutData: Data
  var stderrData: Data

  var stdout: String { String(decoding: stdoutData, as: UTF8.self) }
  var stderr: String { String(decoding: stderrData, as: UTF8.self) }
  /// Non-empty lines of standard output.
  var stdoutLines: [String] { stdout.split(separator: "\n").map(String.init) }
  /// Non-empty lines of standard error.
  var stderrLines: [String] { stderr.split(separator: "\n").map(String.init) }
  /// Standard error's lines without ingest's progress lines (`ingest: 33% …`, printed every five seconds when stderr
  /// is not a terminal, so on a slow or busy machine even a small ingest may print one).
  var messageLines: [String] { stderrLines.filter { !$0.hasPrefix("ingest: ") } }

  var description: String {
    let shownArguments = arguments.map { $0.contains(" ") || $0.isEmpty ? "'\($0)'" : $0 }.joined(separator: " ")
    return """
      medref \(shownArguments) → status \(status)\(crashed ? " (killed by a signal)" : "")
      --- stdout ---
      \(stdout.prefix(4000))
      --- stderr ---
      \(stderr.prefix(4000))
      """
  }
}

/// A private temporary folder for one test.
struct Sandbox: Sendable {
  let root: URL

  var corpus: URL { root.appendingPathComponent("corpus") }
  /// The test's own index, as an absolute path.
  var index: String { root.appendingPathComponent("Index").appendingPathComponent("medref.sqlite").path }

  /// Runs `body` with a new sandbox and removes the folder afterwards.
  static func with<T>(_ body: (Sandbox) async throws -> T) async throws -> T {
    let root = FileManager.default.temporaryDirectory
      .appendingPathComponent("medref-cli-tests-\(UUID().uuidString)", isDirectory: true)
    try FileManager.default.createDirectory(at: root, withIntermediateDirectories: true)
    defer { try? FileManager.default.removeItem(at: root) }
    return try await body(Sandbox(root: root))
  }

  // MARK: Files

  func url(_ relative: String) -> URL { root.appendingPathComponent(relative) }

  func write(_ data: Data, to relative: String) throws {
    let target = url(relative)
    try FileManager.default.createDirectory(
      at: target.deletingLastPathComponent(), withIntermediateDirectories: true)
    try data.write(to: target)
  }

  func write(_ text: String, to relative: String) throws {
    try write(Data(text.utf8), to: relative)
  }

  func read(_ relative: String) throws -> Data {
    try Data(contentsOf: url(relative))
  }

  /// Copies the repository's file `name` (a path from its root) to `relative`.
  func copyFixture(_ name: String, to relative: String) throws {
    try write(try Fixture.data(name), to: relative)
  }

  /// The test corpus: the back-spasms plain-text sample, an HTML page (UTF-8 with mojibake), a Windows-1252 HTML
  /// page and, when `badFiles` is true, an empty file, a binary file and a `notes.md` file (not an article type).
  func makeCorpus(badFiles: Bool) throws {
    try copyFixture("Corpus/back-spasms.txt", to: "corpus/back-spasms.txt")
    try copyFixture("Corpus/gout.html", to: "corpus/gout.html")
    try write(Fixture.windows1252Page, to: "corpus/shin-splints.html")
    if badFiles {
      try write(Data(), to: "corpus/empty.txt")
      try write(Fixture.binaryBytes, to: "corpus/binary.txt")
      try write("# Notes\n\nRemember to re-run the ingest.\n", to: "corpus/notes.md")
    }
  }

  /// The documents `makeCorpus` puts in the index.
  static let corpusIDs = ["corpus/back-spasms", "corpus/gout", "corpus/shin-splints"]

  // MARK: Running medref

  /// Runs `medref arguments...` with the sandbox as the current folder (unless `in` says otherwise), `NO_COLOR=1`,
  /// no `MEDREF_INDEX`, and standard input from `stdin` (else empty). With `killAfter`, the process is sent SIGKILL
  /// that many seconds after it started unless it has ended by then (`killed` says whether it was). `environment`
  /// adds to (or with nil, removes from) the process's environment.
  func medref(
    _ arguments: [String], stdin: Data? = nil, in folder: URL? = nil, killAfter delay: TimeInterval? = nil,
    environment added: [String: String?] = [:]
  ) async throws -> CommandResult {
    let binary = try MedRefBinary.url()
    let runs = root.appendingPathComponent(".runs", isDirectory: true)
    try FileManager.default.createDirectory(at: runs, withIntermediateDirectories: true)
    let name = UUID().uuidString
    let outURL = runs.appendingPathComponent("\(name).out")
    let errURL = runs.appendingPathComponent("\(name).err")
    // Output goes to files rather than pipes: nothing can block on a full pipe, and no other process started at
    // the same moment by a parallel test can inherit a pipe's write end and keep it open.
    try Data().write(to: outURL)
    try Data().write(to: errURL)
    let outHandle = try FileHandle(forWritingTo: outURL)
    let errHandle = try FileHandle(forWritingTo: errURL)
    var inHandle: FileHandle? = nil
    defer {
      try? outHandle.close()
      try? errHandle.close()
      try? inHandle?.close()
    }

    let process = Process()
    process.executableURL = binary
    process.arguments = arguments
    process.currentDirectoryURL = folder ?? root
    var environment = ProcessInfo.processInfo.environment
    environment["MEDREF_INDEX"] = nil
    environment["NO_COLOR"] = "1"
    for (name, value) in added { environment[name] = value }
    process.environment = environment
    process.standardOutput = outHandle
    process.standardError = errHandle
    if let stdin {
      let inURL = runs.appendingPathComponent("\(name).in")
      try stdin.write(to: inURL)
      inHandle = try FileHandle(forReadingFrom: inURL)
      process.standardInput = inHandle
    } else {
      process.standardInput = FileHandle.nullDevice
    }

    let killer = DelayedKill()
    try await withCheckedThrowingContinuation { (continuation: CheckedContinuation<Void, any Error>) in
      process.terminationHandler = { _ in
        killer.processEnded()
        continuation.resume()
      }
      do {
        try process.run()
        if let delay { killer.schedule(process.processIdentifier, after: delay) }
      } catch {
        process.terminationHandler = nil
        continuation.resume(throwing: error)
      }
    }

    let crashed = process.terminationReason == .uncaughtSignal
    return CommandResult(
      arguments: arguments,
      status: crashed ? 128 + process.terminationStatus : process.terminationStatus,
      crashed: crashed,
      killed: killer.sent,
      stdoutData: try Data(contentsOf: outURL),
      stderrData: try Data(contentsOf: errURL))
  }

  func medref(_ arguments: String..., stdin: Data? = nil, in folder: URL? = nil) async throws -> CommandResult {
    try await medref(arguments, stdin: stdin, in: folder)
  }

  /// `medref ingest corpus --index <index>`, which must succeed with the given status.
  @discardableResult
  func ingestCorpus(expecting status: Int32 = 0, _ extra: String...) async throws -> CommandResult {
    let result = try await medref(["ingest", "corpus", "--index", index] + extra)
    try #require(result.status == status, "ingest should exit \(status)\n\(result)")
    return result
  }
}

/// SIGKILL for a running process after a delay, unless its termination handler has said that it ended (so the id of a
/// process reaped long before is never signalled; Foundation reaps just before calling the handler, a window of
/// microseconds in which the id would have to be reused).
final class DelayedKill: @unchecked Sendable {
  private let lock = NSLock()
  private var ended = false
  private var wasSent = false

  /// Whether the signal was sent.
  var sent: Bool { lock.withLock { wasSent } }

  func processEnded() { lock.withLock { ended = true } }

  func schedule(_ pid: Int32, after delay: TimeInterval) {
    DispatchQueue.global().asyncAfter(deadline: .now() + max(0, delay)) {
      self.lock.withLock {
        guard !self.ended else { return }
        self.wasSent = kill(pid, SIGKILL) == 0
      }
    }
  }
}

// MARK: - Fixtures

enum Fixture {
  /// The repository's root folder (this file is `Tests/medrefTests/Support/CLISupport.swift`).
  static let repository = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
    .deletingLastPathComponent().deletingLastPathComponent()

  /// The bytes of a file of the repository, by its path from the root (`Corpus/gout.html`): the end-to-end tests
  /// run on the committed sample articles and on MedRefCoreTests' HTML fixtures, not on copies of them.
  static func data(_ relative: String) throws -> Data {
    try Data(contentsOf: repository.appendingPathComponent(relative))
  }

  /// An HTML page in Windows-1252: 0x92 is ’, 0x93 and 0x94 are “ and ”.
  static let windows1252Page: Data = {
    func ascii(_ text: String) -> [UInt8] { Array(text.utf8) }
    var bytes: [UInt8] = []
    bytes += ascii(
      """
      <!DOCTYPE html>
      <html lang="en">
      <head>
      <meta charset="windows-1252">
      <title>Shin splints</title>
      </head>
      <body>
      <main>
      <h1>Shin splints</h1>
      <p>Shin splints are pain along the inner edge of the shin bone. It
      """)
    bytes += [0x92]
    bytes += ascii("s common in runners and dancers.</p>\n<h2>Symptoms</h2>\n<ul>\n<li>A dull ache called ")
    bytes += [0x93]
    bytes += ascii("medial tibial stress")
    bytes += [0x94]
    bytes += ascii(
      """
       pain along the shin</li>
      <li>Mild swelling and tenderness</li>
      </ul>
      <h2>Causes</h2>
      <p>Overuse, flat feet and sudden increases in training.</p>
      </main>
      </body>
      </html>

      """)
    return Data(bytes)
  }()

  /// Bytes that are plainly not text: a PNG-like header with NUL bytes.
  static let binaryBytes = Data(
    [
      0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A, 0x00, 0x00, 0x00, 0x0D, 0x49, 0x48, 0x44, 0x52, 0x00, 0x00,
      0x01, 0x00, 0x00, 0x00, 0x01, 0x00, 0x08, 0x06, 0x00, 0x00, 0x00,
    ] + Array(repeating: 0, count: 64))
}

// MARK: - JSON

enum JSON {
  /// Parses `text` as one JSON object, or fails the test.
  static func object(_ text: String, _ comment: Comment? = nil) throws -> [String: Any] {
    try #require(try parse(text) as? [String: Any], "not a JSON object: \(text.prefix(500))")
  }

  /// Parses `text` as a JSON array of objects, or fails the test.
  static func array(_ text: String) throws -> [[String: Any]] {
    try #require(try parse(text) as? [[String: Any]], "not a JSON array of objects: \(text.prefix(500))")
  }

  /// Parses any JSON value, recording an issue when `text` is not JSON.
  private static func parse(_ text: String) throws -> Any {
    do {
      return try JSONSerialization.jsonObject(with: Data(text.utf8))
    } catch {
      Issue.record("not valid JSON (\(error)): \(text.prefix(500))")
      throw error
    }
  }

  /// A section list and all sections nested in it, depth first.
  static func flatten(_ sections: [[String: Any]]) -> [[String: Any]] {
    sections.flatMap { [$0] + flatten($0["sections"] as? [[String: Any]] ?? []) }
  }

  static func strings(_ value: Any?) -> [String] { value as? [String] ?? [] }
}

// MARK: - Golden files

enum Golden {
  /// `Tests/medrefTests/Golden/` in the source tree (where MEDREF_UPDATE_GOLDEN=1 writes).
  static let sourceFolder = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
    .appendingPathComponent("Golden")

  static var updating: Bool { ProcessInfo.processInfo.environment["MEDREF_UPDATE_GOLDEN"] == "1" }

  /// Compares `actual` byte for byte with the reference `Golden/<name>`; with MEDREF_UPDATE_GOLDEN=1 rewrites the
  /// reference instead and records an issue, so an updating run never passes silently.
  static func check(_ actual: Data, against name: String, sourceLocation: SourceLocation = #_sourceLocation) throws {
    if updating {
      let target = sourceFolder.appendingPathComponent(name)
      try actual.write(to: target)
      Issue.record(
        "MEDREF_UPDATE_GOLDEN=1: rewrote \(target.path); review it and run the tests again without the variable",
        sourceLocation: sourceLocation)
      return
    }
    guard
      let url = Bundle.module.url(forResource: name, withExtension: nil, subdirectory: "Golden")
        ?? Bundle.module.resourceURL.map({ $0.appendingPathComponent("Golden").appendingPathComponent(name) }),
      let expected = try? Data(contentsOf: url)
    else {
      Issue.record(
        "golden file Golden/\(name) is missing; create it with MEDREF_UPDATE_GOLDEN=1 swift test",
        sourceLocation: sourceLocation)
      return
    }
    if expected == actual { return }
    let expectedLines = String(decoding: expected, as: UTF8.self).components(separatedBy: "\n")
    let actualLines = String(decoding: actual, as: UTF8.self).components(separatedBy: "\n")
    let line =
      zip(expectedLines, actualLines).enumerated().first(where: { $0.element.0 != $0.element.1 })?.offset
      ?? min(expectedLines.count, actualLines.count)
    let expectedLine = line < expectedLines.count ? expectedLines[line] : "<end of file>"
    let actualLine = line < actualLines.count ? actualLines[line] : "<end of file>"
    Issue.record(
      """
      output differs from Golden/\(name) (\(expected.count) bytes expected, \(actual.count) got); first difference \
      at line \(line + 1):
        expected: \(expectedLine)
        actual:   \(actualLine)
      If the change is intended, run MEDREF_UPDATE_GOLDEN=1 swift test and review the diff.
      """,
      sourceLocation: sourceLocation)
  }
}
