import Foundation
import Dispatch

/// `medref normalize`: repairs a stream of UTF-8 text line by line. Lines are split on `\n` only (U+0085 and
/// `\r` stay inside lines) and the line count is kept. A line that is not valid UTF-8 is read as Windows-1252.
/// Large inputs are cut at line ends into one chunk per core and repaired in parallel.
public struct LineNormalizer: Sendable {
  /// One changed line and the repairs that changed it.
  public struct LineExplanation: Sendable, Codable, Equatable {
    /// 1-based line number.
    public var line: Int
    public var original: String
    public var fixed: String
    public var repairs: [Repair]
  }

  /// Inputs smaller than this are repaired on one thread.
  public static let parallelThreshold = 1 << 20

  let repairer: TextRepairer

  public init(repairer: TextRepairer = TextRepairer()) {
    self.repairer = repairer
  }

  /// Repairs every line of `input`; `changed`, when given, is called for each line that changed, in order.
  public func normalize(_ input: [UInt8], changed: ((LineExplanation) -> Void)? = nil) -> [UInt8] {
    var output: [UInt8] = []
    output.reserveCapacity(input.count + input.count / 16)
    normalize(input, into: { output.append(contentsOf: $0) }, changed: changed)
    return output
  }

  /// Repairs every line of `input` and hands the output to `sink` in consecutive pieces, one per chunk, each
  /// assembled by the thread that repaired it.
  public func normalize(
    _ input: [UInt8], into sink: (ArraySlice<UInt8>) -> Void, changed: ((LineExplanation) -> Void)? = nil
  ) {
    let explain = changed != nil
    let chunks = Self.chunks(
      of: input, count: input.count < Self.parallelThreshold ? 1 : 4 * ProcessInfoCores.count, countLines: explain)
    var results: [ChunkResult]
    if chunks.count == 1 {
      results = [normalizeChunk(input, range: chunks[0].range, firstLine: 1, explain: explain)]
    } else {
      let slots = ResultSlots<ChunkResult>(count: chunks.count)
      DispatchQueue.concurrentPerform(iterations: chunks.count) { number in
        let chunk = chunks[number]
        slots.set(number, normalizeChunk(input, range: chunk.range, firstLine: chunk.firstLine, explain: explain))
      }
      results = (0..<chunks.count).map(slots.get)
    }
    for result in results { sink(result.output[...]) }
    if let changed { for result in results { result.explanations.forEach(changed) } }
  }

  /// What one chunk's lines became: the changed lines (by their byte range in the input) and, when explaining,
  /// why.
  struct ChunkResult {
    var replacements: [(range: Range<Int>, bytes: [UInt8])] = []
    var explanations: [LineExplanation] = []
    /// The chunk's output, assembled by the worker that repaired it.
    var output: [UInt8] = []
  }

  /// Cuts `input` after a `\n` near each of `count` equal parts.
  /// Line numbers of later chunks are counted only with `countLines` (they are needed only to explain).
  static func chunks(of input: [UInt8], count: Int, countLines: Bool) -> [(range: Range<Int>, firstLine: Int)] {
    guard count > 1 else { return [(0..<input.count, 1)] }
    var cuts: [Int] = [0]
    for part in 1..<count {
      let target = input.count * part / count
      guard target > cuts.last!, let newline = input[target...].firstIndex(of: 0x0A) else { continue }
      cuts.append(newline + 1)
    }
    cuts.append(input.count)
    var result: [(Range<Int>, Int)] = []
    var line = 1
    for index in 0..<(cuts.count - 1) where cuts[index] <= cuts[index + 1] {
      let range = cuts[index]..<cuts[index + 1]
      result.append((range, line))
      if countLines {
        input.withUnsafeBufferPointer { buffer in
          for position in range where buffer[position] == 0x0A { line += 1 }
        }
      }
    }
    return result
  }

  /// Repairs the lines of `input[range]` (which ends after a `\n`, or at the end of the input).
  func normalizeChunk(_ input: [UInt8], range: Range<Int>, firstLine: Int, explain: Bool) -> ChunkResult {
    var result = ChunkResult()
    var workspace = RepairWorkspace()
    var lineNumber = firstLine
    var start = range.lowerBound
    let end = range.upperBound
    while start < end {
      // Find the line end and whether the line has anything but ASCII without `&` (which needs nothing).
      var lineEnd = start
      var needsRepair = false
      input.withUnsafeBufferPointer { buffer in
        let special = ByteScan.firstNewlineOrSpecial(buffer, from: start, to: end)
        if special < end && buffer[special] == 0x0A {
          lineEnd = special
        } else {
          needsRepair = special < end
          lineEnd = needsRepair ? ByteScan.first(0x0A, in: buffer, from: special, to: end) : end
        }
      }
      if needsRepair {
        let line = input[start..<lineEnd]
        let hints = RepairHints.scan(line)
        let valid = hints != nil
        var bytes = workspace.line
        workspace.line = []
        bytes.removeAll(keepingCapacity: true)
        if valid {
          bytes.append(contentsOf: line)
        } else {
          bytes.append(contentsOf: SingleByteEncoding.windows1252.decode(line).utf8)
        }
        defer { workspace.line = bytes }
        var log = RepairLog(keepsDetails: explain)
        if let fixed = repairer.repairLine(
          bytes, mode: .plainText, log: &log, knownHints: hints, workspace: &workspace)
        {
          result.replacements.append((start..<lineEnd, fixed))
          if explain {
            result.explanations.append(
              LineExplanation(
                line: lineNumber, original: String(decoding: bytes, as: UTF8.self),
                fixed: String(decoding: fixed, as: UTF8.self), repairs: log.repairs))
          }
        } else if !valid {
          result.replacements.append((start..<lineEnd, bytes))
        }
      }
      lineNumber += 1
      start = lineEnd + 1
    }
    // Assemble the chunk's output here, in parallel with the other chunks.
    var copied = range.lowerBound
    result.output.reserveCapacity(range.count + range.count / 16)
    for replacement in result.replacements {
      result.output.append(contentsOf: input[copied..<replacement.range.lowerBound])
      result.output.append(contentsOf: replacement.bytes)
      copied = replacement.range.upperBound
    }
    result.output.append(contentsOf: input[copied..<range.upperBound])
    result.replacements = []
    return result
  }
}

/// Number of processor cores to use.
enum ProcessInfoCores {
  static var count: Int { max(1, min(8, sysconf(Int32(_SC_NPROCESSORS_ONLN)))) }
}

/// Results written by parallel workers, one slot each.
final class ResultSlots<Value>: @unchecked Sendable {
  private var values: [Value?]
  private let lock = NSLock()

  init(count: Int) {
    values = [Value?](repeating: nil, count: count)
  }

  func set(_ index: Int, _ value: Value) {
    lock.lock()
    values[index] = value
    lock.unlock()
  }

  func get(_ index: Int) -> Value {
    lock.lock()
    defer { lock.unlock() }
    return values[index]!
  }
}
