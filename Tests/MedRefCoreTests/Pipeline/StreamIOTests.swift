import Foundation
import Testing

@testable import MedRefBase
@testable import MedRefText

#if canImport(Glibc)
  import Glibc
#elseif canImport(Darwin)
  import Darwin
#endif

@Suite("Reading and writing whole streams")
struct StreamIOTests {
  /// Lines of every kind the normalizer meets: damaged (each way), clean non-ASCII, ASCII, and not UTF-8 at all.
  static let lines: [[UInt8]] = [
    Array("Les symptÃ´mes ressemblent Ã  ceux dâ€™une grippe.".utf8),
    Array("plain ASCII line with nothing to do".utf8),
    Array("Howeverâ¦ they arenât always painful.".utf8),
    Array("Ð’Ñ€Ð°Ñ‡ Ð½Ð°Ð·Ð½Ð°Ñ‡Ð¸Ð» Ð°Ð½Ñ‚Ð¸Ð±Ð¸Ð¾Ñ‚Ð¸ÐºÐ¸.".utf8),
    Array("Врач назначил антибиотики.".utf8),
    [0x69, 0x74, 0x92, 0x73, 0x20, 0x66, 0x69, 0x6E, 0x65],  // "it’s fine" in Windows-1252
    Array("&bull; fever &amp; chills".utf8),
    [],
  ]

  /// `count` lines drawn in a fixed order from `lines`, joined by newlines.
  static func input(lines count: Int) -> (bytes: [UInt8], lines: [[UInt8]]) {
    let chosen = (0..<count).map { lines[($0 * 7 + $0 / 3) % lines.count] }
    return (Array(chosen.joined(separator: [0x0A])), chosen)
  }

  @Test("An input over the parallel threshold gives what repairing each line alone gives, line numbers included")
  func parallelChunks() {
    let (bytes, lines) = Self.input(lines: 40_000)
    #expect(bytes.count > LineNormalizer.parallelThreshold)
    let normalizer = LineNormalizer()
    var explanations: [LineNormalizer.LineExplanation] = []
    let output = normalizer.normalize(bytes) { explanations.append($0) }
    let expected = lines.map { normalizer.normalize($0) }.joined(separator: [0x0A])
    #expect(output == Array(expected))
    // Every line a repair changed is explained once, with its own number (a line that only needed decoding from
    // Windows-1252 has no repair to explain).
    let explainedAlone = lines.indices.filter { index in
      var explained = false
      _ = normalizer.normalize(lines[index]) { _ in explained = true }
      return explained
    }
    let numbers = explanations.map(\.line)
    #expect(numbers.count == explainedAlone.count)
    #expect(numbers.elementsEqual(explainedAlone.map { $0 + 1 }))
  }

  @Test("The gathering writer writes thousands of pieces in order, to a file, without copying them first")
  func gatheringWriter() throws {
    let folder = try TemporaryFolder()
    let path = folder.url.appendingPathComponent("out.txt").path
    let descriptor = open(path, O_WRONLY | O_CREAT | O_TRUNC, 0o644)
    #expect(descriptor >= 0)
    let (bytes, _) = Self.input(lines: 30_000)
    let writer = StreamIO.GatheringWriter(descriptor: descriptor)
    bytes.withUnsafeBufferPointer { LineNormalizer().normalize($0, to: writer) }
    close(descriptor)
    #expect(writer.succeeded)
    let written = [UInt8](try Data(contentsOf: URL(fileURLWithPath: path)))
    #expect(written == LineNormalizer().normalize(bytes))
  }

  @Test("A write to a closed descriptor is reported, not ignored")
  func failedWrite() {
    let writer = StreamIO.GatheringWriter(descriptor: -1)
    let bytes = Array("Ã©\n".utf8)
    bytes.withUnsafeBufferPointer { LineNormalizer().normalize($0, to: writer) }
    #expect(!writer.succeeded)
  }

  @Test("Input maps a regular file and reads a pipe; both give the bytes as they are")
  func input() throws {
    let folder = try TemporaryFolder()
    let (bytes, _) = Self.input(lines: 500)
    let path = try folder.write("in.txt", bytes)
    let file = open(path, O_RDONLY)
    defer { close(file) }
    let mapped = StreamIO.Input(descriptor: file)
    #expect(mapped.withUnsafeBufferPointer { Array($0) } == bytes)

    var ends: [Int32] = [0, 0]
    #expect(pipe(&ends) == 0)
    let small = Array(bytes.prefix(4000))  // fits in the pipe's buffer
    let written = small.withUnsafeBytes { write(ends[1], $0.baseAddress!, $0.count) }
    #expect(written == small.count)
    close(ends[1])
    let piped = StreamIO.Input(descriptor: ends[0])
    close(ends[0])
    #expect(piped.withUnsafeBufferPointer { Array($0) } == small)

    let empty = try folder.write("empty.txt", [])
    let emptyFile = open(empty, O_RDONLY)
    defer { close(emptyFile) }
    #expect(StreamIO.Input(descriptor: emptyFile).withUnsafeBufferPointer { $0.count } == 0)
  }
}
