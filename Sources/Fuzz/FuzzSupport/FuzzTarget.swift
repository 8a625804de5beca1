import Foundation

#if FUZZING
  import CLibFuzzer
#endif

/// What a fuzz target tests: one input, any bytes. Thrown errors are expected and must be caught inside; a trap
/// (a failed precondition, an index out of range, an overflow) is a finding.
public protocol FuzzTest: Sendable {
  /// Runs the code under test on `input`.
  func test(_ input: [UInt8])
}

/// Runs a `FuzzTest` as a program. Built with `-sanitize=fuzzer -DFUZZING` (`scripts/fuzz`), it is a libFuzzer
/// binary taking libFuzzer's options (`-runs=N`, a corpus folder…). Otherwise it replays the files given as
/// arguments (folders: every file in them, recursively) through the same test, which is how a reproducer that
/// libFuzzer wrote is checked after a fix without the fuzzer build.
public enum FuzzTarget {
  /// Runs `fuzzTest` as described above and exits.
  public static func run(_ fuzzTest: some FuzzTest) -> Never {
    #if FUZZING
      currentTest = fuzzTest
      var argc = CommandLine.argc
      var argv: UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>? = CommandLine.unsafeArgv
      exit(LLVMFuzzerRunDriver(&argc, &argv, fuzzerTestOneInput))
    #else
      exit(replay(Array(CommandLine.arguments.dropFirst()), through: fuzzTest))
    #endif
  }

  /// Runs every file of `paths` through `fuzzTest`; the exit status (2 for a usage error or an unreadable path).
  static func replay(_ paths: [String], through fuzzTest: some FuzzTest) -> Int32 {
    let name = (CommandLine.arguments.first.map { ($0 as NSString).lastPathComponent }) ?? "fuzz target"
    guard !paths.isEmpty, !paths.contains(where: { $0.hasPrefix("-") }) else {
      FileHandle.standardError.write(
        Data(
          """
          usage: \(name) FILE-OR-FOLDER...
          Replays inputs through the fuzz test (a libFuzzer build, made by scripts/fuzz, fuzzes instead).

          """.utf8))
      return 2
    }
    var count = 0
    for path in paths {
      for file in files(at: path) {
        guard let data = FileManager.default.contents(atPath: file) else {
          FileHandle.standardError.write(Data("\(name): \(file): unreadable\n".utf8))
          return 2
        }
        fuzzTest.test([UInt8](data))
        count += 1
      }
    }
    print("\(name): replayed \(count) input\(count == 1 ? "" : "s"), no crash")
    return 0
  }

  /// `path` itself, or the regular files below it in name order when it is a folder.
  private static func files(at path: String) -> [String] {
    var isFolder: ObjCBool = false
    guard FileManager.default.fileExists(atPath: path, isDirectory: &isFolder), isFolder.boolValue,
      let names = try? FileManager.default.subpathsOfDirectory(atPath: path)
    else { return [path] }
    return names.sorted().map { (path as NSString).appendingPathComponent($0) }.filter { file in
      var isFolder: ObjCBool = false
      return FileManager.default.fileExists(atPath: file, isDirectory: &isFolder) && !isFolder.boolValue
    }
  }
}

#if FUZZING
  /// The test libFuzzer runs. Set once before the driver starts; libFuzzer calls back on the thread that started
  /// it, one input at a time, so nothing reads it concurrently.
  nonisolated(unsafe) private var currentTest: (any FuzzTest)?

  /// libFuzzer's entry point (its `main` is replaced by SwiftPM's, which calls `FuzzTarget.run`, but the runtime
  /// still links against this symbol).
  @_cdecl("LLVMFuzzerTestOneInput")
  public func fuzzerTestOneInput(_ data: UnsafePointer<UInt8>?, _ size: Int) -> CInt {
    let input = size == 0 || data == nil ? [] : Array(UnsafeBufferPointer(start: data, count: size))
    currentTest?.test(input)
    return 0
  }
#endif
