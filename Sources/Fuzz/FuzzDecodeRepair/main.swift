import FuzzSupport
import MedRefText

/// Decoding and repair: any bytes through `TextDecoder`, the decoded text through `TextRepairer` in both modes,
/// and the raw bytes through `LineNormalizer` (`medref normalize`). Checks that the repairs replay on the decoded
/// text to the repaired text (the contract of `Repair.offset`) and that normalizing keeps the line count.
struct DecodeRepairTest: FuzzTest {
  let decoder = TextDecoder()
  let repairer = TextRepairer()
  let normalizer = LineNormalizer()

  func test(_ input: [UInt8]) {
    if let decoded = try? decoder.decode(input, path: "fuzz.txt") {
      for mode in [RepairMode.plainText, .markup] {
        let repaired = repairer.repair(decoded.text, mode: mode)
        guard RepairedText.replay(repaired.repairs, on: decoded.text) == repaired.text else {
          fatalError("the \(mode) repairs \(repaired.repairs) do not replay to the repaired text")
        }
      }
    }
    let normalized = normalizer.normalize(input)
    let lineBreak = UInt8(ascii: "\n")
    guard normalized.count(where: { $0 == lineBreak }) == input.count(where: { $0 == lineBreak }) else {
      fatalError("normalize changed the line count")
    }
  }
}

FuzzTarget.run(DecodeRepairTest())
