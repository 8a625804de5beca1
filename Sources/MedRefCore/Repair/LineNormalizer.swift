/// `medref normalize`: repairs a stream of UTF-8 text line by line. Lines are split on `\n` only (U+0085 and
/// `\r` stay inside lines) and the line count is kept. A line that is not valid UTF-8 is read as Windows-1252.
public struct LineNormalizer: Sendable {
  /// One changed line and the repairs that changed it.
  public struct LineExplanation: Sendable, Codable, Equatable {
    /// 1-based line number.
    public var line: Int
    public var original: String
    public var fixed: String
    public var repairs: [Repair]
  }

  let repairer: TextRepairer

  public init(repairer: TextRepairer = TextRepairer()) {
    self.repairer = repairer
  }

  /// Repairs every line of `input`; `changed` is called for each line that changed.
  public func normalize(_ input: [UInt8], changed: (LineExplanation) -> Void = { _ in }) -> [UInt8] {
    var output: [UInt8] = []
    output.reserveCapacity(input.count)
    var lineNumber = 0
    var start = 0
    while start <= input.count {
      lineNumber += 1
      let end = input[start...].firstIndex(of: 0x0A) ?? input.count
      let line = input[start..<end]
      let text =
        String(validating: line, as: UTF8.self) ?? SingleByteEncoding.windows1252.decode(line)
      let repaired = repairer.repair(text, mode: .plainText)
      if repaired.repairs.isEmpty && text.utf8.count == line.count {
        output.append(contentsOf: line)
      } else {
        output.append(contentsOf: repaired.text.utf8)
        if !repaired.repairs.isEmpty {
          changed(LineExplanation(line: lineNumber, original: text, fixed: repaired.text, repairs: repaired.repairs))
        }
      }
      if end == input.count { break }
      output.append(0x0A)
      start = end + 1
    }
    return output
  }
}
