import Foundation

/// Empties the parts of an HTML page that are never article text before anything else reads it: the bodies of
/// `<script>` (JSON-LD kept), `<style>`, `<svg>` and `<template>` elements and of comments. They are half the bytes
/// of a typical page and libxml2 reads them character by character; the tags stay, and every removed line break is
/// kept, so line numbers (of repairs and of blocks) still point into the original file.
///
/// Works on the undecoded bytes of any ASCII-compatible encoding (UTF-8, Windows-1252, ISO-8859-x); pages in
/// UTF-16 or UTF-32 are left as they are.
public enum MarkupSlimmer {
  /// Elements whose content is dropped, lower case, with the closing tag to look for.
  private static let emptied: [(name: [UInt8], closing: [UInt8])] = ["script", "style", "svg", "template"].map {
    (Array($0.utf8), Array("</\($0)".utf8))
  }
  private static let commentOpen = Array("<!--".utf8)
  private static let commentClose = Array("-->".utf8)
  private static let linkedData = Array("+json".utf8)

  /// `bytes` with script, style, SVG and template bodies and comments emptied; the same array when nothing was.
  public static func slim(_ bytes: [UInt8]) -> [UInt8] {
    if bytes.starts(with: [0xFF, 0xFE]) || bytes.starts(with: [0xFE, 0xFF]) || bytes.starts(with: [0, 0]) {
      return bytes
    }
    return bytes.withUnsafeBufferPointer { input -> [UInt8] in
      guard let base = input.baseAddress else { return bytes }
      let count = input.count
      var output: [UInt8] = []
      var copied = 0
      var index = 0
      /// Copies the input up to `start`, then only the line breaks of `start..<end`.
      func drop(_ start: Int, _ end: Int) {
        if output.isEmpty { output.reserveCapacity(count) }
        output.append(contentsOf: UnsafeBufferPointer(start: base + copied, count: start - copied))
        for position in start..<end where input[position] == 0x0A { output.append(0x0A) }
        copied = end
      }
      while index < count {
        guard let found = memchr(base + index, 0x3C, count - index) else { break }
        let open = base.distance(to: found.assumingMemoryBound(to: UInt8.self))
        index = open + 1
        // Only `<!--`, `<s…` and `<t…` can start what is emptied: most tags are passed over here.
        guard open + 1 < count else { break }
        let first = input[open + 1] | 0x20
        guard first == 0x73 || first == 0x74 || first == 0x21 else { continue }
        if matches(commentOpen, in: input, at: open) {
          let bodyStart = open + commentOpen.count
          let close = find(commentClose, in: input, from: bodyStart, caseInsensitive: false) ?? count
          if close > bodyStart { drop(bodyStart, close) }
          index = close
          continue
        }
        guard let element = emptied.first(where: { matchesTag($0.name, in: input, at: open + 1) }) else { continue }
        guard let tagEnd = memchr(base + open, 0x3E, count - open) else { break }
        let bodyStart = base.distance(to: tagEnd.assumingMemoryBound(to: UInt8.self)) + 1
        if input[bodyStart - 2] == 0x2F {  // `<svg ... />`
          index = bodyStart
          continue
        }
        if element.name.count == 6,
          ByteScan.firstOccurrence(of: linkedData, in: input, from: open, to: bodyStart, foldingCase: true) != nil
        {
          index = bodyStart
          continue
        }
        let close = find(element.closing, in: input, from: bodyStart, caseInsensitive: true) ?? count
        if close > bodyStart { drop(bodyStart, close) }
        index = close
      }
      guard copied > 0 else { return bytes }
      output.append(contentsOf: UnsafeBufferPointer(start: base + copied, count: count - copied))
      return output
    }
  }

  /// Whether `input` holds `name` (lower case) at `position`, followed by white space, `>` or `/`.
  private static func matchesTag(_ name: [UInt8], in input: UnsafeBufferPointer<UInt8>, at position: Int) -> Bool {
    guard position + name.count < input.count else { return false }
    for (offset, byte) in name.enumerated() where input[position + offset] | 0x20 != byte { return false }
    let next = input[position + name.count]
    return next == 0x3E || next == 0x2F || next == 0x20 || next == 0x0A || next == 0x09 || next == 0x0D
  }

  private static func matches(_ pattern: [UInt8], in input: UnsafeBufferPointer<UInt8>, at position: Int) -> Bool {
    guard position + pattern.count <= input.count else { return false }
    for (offset, byte) in pattern.enumerated() where input[position + offset] != byte { return false }
    return true
  }

  /// The position of the first `pattern` (lower case when `caseInsensitive`) at or after `start`.
  private static func find(
    _ pattern: [UInt8], in input: UnsafeBufferPointer<UInt8>, from start: Int, caseInsensitive: Bool
  ) -> Int? {
    ByteScan.firstOccurrence(of: pattern, in: input, from: start, foldingCase: caseInsensitive)
  }
}
