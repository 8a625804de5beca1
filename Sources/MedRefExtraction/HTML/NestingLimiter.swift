import Foundation

/// Caps how deep `<div>` and `<span>` elements nest, on the undecoded bytes, before libxml2 reads the page. libxml2
/// stops parsing at 256 open elements (the rest of the page is lost without a word), and nothing a reader sees
/// needs more than a few dozen levels; a page nesting 100,000 `<div>`s (generated, or hostile) would otherwise come
/// out empty. The start and end tags nested deeper than `maximumDepth` are blanked with spaces (the same bytes
/// count, line breaks kept), so their text joins the element at the limit. Only `div` and `span` are counted:
/// their end tags are never optional, so their depth is exact without knowing HTML's implied ends (`<p>`, `<li>`).
package enum NestingLimiter {
  /// The deepest `div`/`span` nesting kept.
  package static let maximumDepth = 160

  private static let names: [[UInt8]] = [Array("div".utf8), Array("span".utf8)]

  /// `bytes` with the tags nested deeper than `maximumDepth` blanked, and how many were; the same array and 0 when
  /// no tag was.
  package static func limit(_ bytes: [UInt8]) -> (bytes: [UInt8], blanked: Int) {
    var output: [UInt8]?
    var blanked = 0
    bytes.withUnsafeBufferPointer { input in
      guard let base = input.baseAddress else { return }
      let count = input.count
      var depth = 0
      var index = 0
      while index < count {
        guard let found = memchr(base + index, 0x3C, count - index) else { break }
        let open = base.distance(to: found.assumingMemoryBound(to: UInt8.self))
        index = open + 1
        let closing = open + 1 < count && input[open + 1] == 0x2F
        let nameStart = open + (closing ? 2 : 1)
        guard nameStart < count, input[nameStart] | 0x20 == 0x64 || input[nameStart] | 0x20 == 0x73,
          names.contains(where: { isName($0, in: input, at: nameStart) })
        else { continue }
        guard let tagEnd = memchr(base + nameStart, 0x3E, count - nameStart) else { break }
        let end = base.distance(to: tagEnd.assumingMemoryBound(to: UInt8.self)) + 1
        let selfClosing = !closing && input[end - 2] == 0x2F
        if closing { depth -= 1 }
        if depth >= maximumDepth {
          if output == nil { output = bytes }
          for position in open..<end where input[position] != 0x0A { output![position] = 0x20 }
          blanked += 1
        }
        if !closing && !selfClosing { depth += 1 }
        depth = max(depth, 0)
        index = end
      }
    }
    return (output ?? bytes, blanked)
  }

  /// Whether `input` holds tag name `name` (lower case) at `position`, ended by white space, `>` or `/`.
  private static func isName(_ name: [UInt8], in input: UnsafeBufferPointer<UInt8>, at position: Int) -> Bool {
    guard position + name.count < input.count else { return false }
    for (offset, byte) in name.enumerated() where input[position + offset] | 0x20 != byte { return false }
    let next = input[position + name.count]
    return next == 0x3E || next == 0x2F || next == 0x20 || next == 0x0A || next == 0x09 || next == 0x0D
  }
}
