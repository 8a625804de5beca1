import Dispatch
import Foundation
import MedRefBase

/// `medref normalize`: repairs a stream of UTF-8 text line by line. Lines are split on `\n` only (U+0085 and
/// `\r` stay inside lines) and the line count is kept. A line that is not valid UTF-8 is read as Windows-1252.
/// Large inputs are cut at line ends into a few chunks per core and repaired in parallel; the output is handed on
/// as stretches of the input and repaired lines, so that unchanged text is never copied.
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
    input.withUnsafeBufferPointer { buffer in
      normalize(buffer, into: { output.append(contentsOf: $0) }, changed: changed)
    }
    return output
  }

  /// Repairs every line of `input` and hands the output to `sink` in consecutive pieces: stretches of `input`
  /// that need no repair and repaired lines. Each piece is valid during the call to `sink`.
  public func normalize(
    _ input: UnsafeBufferPointer<UInt8>, into sink: (UnsafeBufferPointer<UInt8>) -> Void,
    changed: ((LineExplanation) -> Void)? = nil
  ) {
    normalize(input, explain: changed != nil) { output in
      for piece in output.pieces {
        sink(UnsafeBufferPointer(start: piece.iov_base?.assumingMemoryBound(to: UInt8.self), count: piece.iov_len))
      }
    } explained: { explanations in
      if let changed { explanations.forEach(changed) }
    }
  }

  /// Repairs every line of `input` and writes the output with `writer`, straight from where it lies: stretches of
  /// `input` that need no repair are never copied, and each chunk's repaired lines are written from the buffer its
  /// worker collected them in.
  package func normalize(
    _ input: UnsafeBufferPointer<UInt8>, to writer: StreamIO.GatheringWriter,
    changed: ((LineExplanation) -> Void)? = nil
  ) {
    normalize(input, explain: changed != nil) { output in
      writer.write(pieces: output.pieces)
    } explained: { explanations in
      if let changed { explanations.forEach(changed) }
    }
  }

  /// Cuts `input` into chunks, repairs them in parallel, then hands each chunk's output to `emit` and its
  /// explanations to `explained`, in order.
  private func normalize(
    _ input: UnsafeBufferPointer<UInt8>, explain: Bool, emit: (ChunkOutput) -> Void,
    explained: ([LineExplanation]) -> Void
  ) {
    let source = SharedBytes(buffer: input)
    let chunks = Self.chunks(
      of: input, count: input.count < Self.parallelThreshold ? 1 : 4 * ProcessInfoCores.count, countLines: explain)
    var outputs: [ChunkOutput]
    if chunks.count == 1 {
      outputs = [normalizeChunk(source, range: chunks[0].range, firstLine: 1, explain: explain)]
    } else {
      let slots = ResultSlots<ChunkOutput>(count: chunks.count)
      DispatchQueue.concurrentPerform(iterations: chunks.count) { number in
        let chunk = chunks[number]
        slots.set(number, normalizeChunk(source, range: chunk.range, firstLine: chunk.firstLine, explain: explain))
      }
      outputs = (0..<chunks.count).map(slots.get)
    }
    outputs.forEach(emit)
    for output in outputs { explained(output.explanations) }
  }

  /// The input, shared read-only with the workers.
  struct SharedBytes: @unchecked Sendable {
    let buffer: UnsafeBufferPointer<UInt8>
  }

  /// What one chunk's lines became: its output as pieces ready for `writev` (stretches of the input and repaired
  /// lines, in order), and, when explaining, why each changed line changed. The repaired lines are kept back to back
  /// in memory this object owns, so that the pieces pointing into it stay valid as long as it lives.
  final class ChunkOutput: @unchecked Sendable {
    private(set) var pieces: [iovec] = []
    var explanations: [LineExplanation] = []
    /// The repaired lines, back to back (allocated with `malloc`).
    private var repaired: UnsafeMutablePointer<UInt8>?
    private var repairedCount = 0
    private var repairedCapacity = 0
    /// In order: a stretch of the input (`fromInput`) or of `repaired`, by offset and length.
    private var spans: [(fromInput: Bool, offset: Int, count: Int)] = []

    deinit { free(repaired) }

    /// Adds the input's bytes `range` to the output.
    func keep(_ range: Range<Int>) {
      guard !range.isEmpty else { return }
      spans.append((true, range.lowerBound, range.count))
    }

    /// Adds a repaired line to the output.
    func add(_ bytes: [UInt8]) {
      guard !bytes.isEmpty else { return }
      if repairedCount + bytes.count > repairedCapacity {
        repairedCapacity = max(1 << 16, 2 * (repairedCount + bytes.count))
        guard let grown = realloc(repaired, repairedCapacity) else { fatalError("medref: out of memory") }
        repaired = grown.assumingMemoryBound(to: UInt8.self)
      }
      bytes.withUnsafeBufferPointer { source in
        (repaired! + repairedCount).update(from: source.baseAddress!, count: source.count)
      }
      spans.append((false, repairedCount, bytes.count))
      repairedCount += bytes.count
    }

    /// Turns the spans into pieces once all lines are in (the repaired lines no longer move).
    func finish(input: UnsafeBufferPointer<UInt8>) {
      pieces.reserveCapacity(spans.count)
      for span in spans {
        let base = span.fromInput ? UnsafeMutablePointer(mutating: input.baseAddress!) : repaired!
        pieces.append(iovec(iov_base: UnsafeMutableRawPointer(base + span.offset), iov_len: span.count))
      }
      spans = []
    }
  }

  /// Cuts `input` after a `\n` near each of `count` equal parts.
  /// Line numbers of later chunks are counted only with `countLines` (they are needed only to explain).
  static func chunks(
    of input: UnsafeBufferPointer<UInt8>, count: Int, countLines: Bool
  ) -> [(range: Range<Int>, firstLine: Int)] {
    guard count > 1 else { return [(0..<input.count, 1)] }
    var cuts: [Int] = [0]
    for part in 1..<count {
      let target = input.count * part / count
      guard target > cuts.last! else { continue }
      let newline = ByteScan.first(0x0A, in: input, from: target, to: input.count)
      guard newline < input.count else { continue }
      cuts.append(newline + 1)
    }
    cuts.append(input.count)
    var result: [(Range<Int>, Int)] = []
    var line = 1
    for index in 0..<(cuts.count - 1) where cuts[index] <= cuts[index + 1] {
      let range = cuts[index]..<cuts[index + 1]
      result.append((range, line))
      if countLines {
        for position in range where input[position] == 0x0A { line += 1 }
      }
    }
    return result
  }

  /// Repairs the lines of `input[range]` (which ends after a `\n`, or at the end of the input).
  func normalizeChunk(_ source: SharedBytes, range: Range<Int>, firstLine: Int, explain: Bool) -> ChunkOutput {
    let input = source.buffer
    let output = ChunkOutput()
    var workspace = RepairWorkspace()
    var lineNumber = firstLine
    var start = range.lowerBound
    /// Input bytes from here up to the line being looked at are unchanged and not yet in `output`.
    var kept = range.lowerBound
    let end = range.upperBound
    while start < end {
      // Find the line end and whether the line has anything but ASCII without `&` (which needs nothing).
      var lineEnd = start
      var needsRepair = false
      let special = ByteScan.firstNewlineOrSpecial(input, from: start, to: end)
      if special < end && input[special] == 0x0A {
        lineEnd = special
      } else {
        needsRepair = special < end
        lineEnd = needsRepair ? ByteScan.first(0x0A, in: input, from: special, to: end) : end
      }
      if needsRepair {
        let line = UnsafeBufferPointer(rebasing: input[start..<lineEnd])
        let hints = RepairHints.scan(buffer: line)
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
        let fixed = repairer.repairLine(bytes, mode: .plainText, log: &log, knownHints: hints, workspace: &workspace)
        if let fixed, explain {
          output.explanations.append(
            LineExplanation(
              line: lineNumber, original: String(decoding: bytes, as: UTF8.self),
              fixed: String(decoding: fixed, as: UTF8.self), repairs: log.repairs))
        }
        if let replacement = fixed ?? (valid ? nil : bytes) {
          output.keep(kept..<start)
          output.add(replacement)
          kept = lineEnd
        }
      }
      lineNumber += 1
      start = lineEnd + 1
    }
    output.keep(kept..<end)
    output.finish(input: input)
    return output
  }
}
