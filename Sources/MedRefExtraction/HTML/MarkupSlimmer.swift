import Foundation
import MedRefBase

/// Empties the parts of an HTML page that are never article text before anything else reads it: the bodies of
/// `<script>` (JSON-LD kept), `<style>`, `<svg>` and `<template>` elements and of comments. They are half the bytes
/// of a typical page and libxml2 reads them character by character; the tags stay, and every removed line break is
/// kept, so line numbers (of repairs and of blocks) still point into the original file.
///
/// Works on the undecoded bytes of any ASCII-compatible encoding (UTF-8, Windows-1252, ISO-8859-x); pages in
/// UTF-16 or UTF-32 are left as they are.
package enum MarkupSlimmer {
  /// Elements whose content is dropped, lower case, with the closing tag to look for, and whether the element is
  /// markup that a missing end tag could make swallow the page (SVG, template; not script or style, whose text a
  /// browser too reads to the end).
  private static let emptied: [(name: [UInt8], closing: [UInt8], isMarkup: Bool)] = [
    ("script", false), ("style", false), ("svg", true), ("template", true),
  ].map { (Array($0.0.utf8), Array("</\($0.0)".utf8), $0.1) }
  private static let commentOpen = Array("<!--".utf8)
  private static let commentClose = Array("-->".utf8)
  private static let linkedData = Array("+json".utf8)

  /// `bytes` with script, style, SVG and template bodies and comments emptied; the same array when nothing was.
  package static func slim(_ bytes: [UInt8]) -> [UInt8] {
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
      /// Copies the input up to `position`, then ` /`: the start tag ending there becomes self-closing (the space
      /// keeps the slash out of an unquoted attribute value).
      func closeTag(at position: Int) {
        if output.isEmpty { output.reserveCapacity(count + 16) }
        output.append(contentsOf: UnsafeBufferPointer(start: base + copied, count: position - copied))
        output.append(contentsOf: [0x20, 0x2F])
        copied = position
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
        let closing = find(element.closing, in: input, from: bodyStart, caseInsensitive: true)
        if element.name.count == 6,
          ByteScan.firstOccurrence(of: linkedData, in: input, from: open, to: bodyStart, foldingCase: true) != nil
        {
          // JSON-LD is kept, and read as text to its end: a "<svg>" inside a JSON string is not a tag.
          index = closing ?? count
          continue
        }
        // An SVG or template without its end tag, or whose "end" lies past the page's own paragraphs and headings
        // (a later element's end tag), holds none of them: emptying it would take the article. Its start tag is
        // made self-closing, so that the parser does not put the rest of the page inside it either.
        if element.isMarkup,
          closing.map({ holdsPageBlocks(input, from: bodyStart, to: $0) }) ?? true
        {
          closeTag(at: bodyStart - 1)
          index = bodyStart
          continue
        }
        let close = closing ?? count
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

  /// Start tags of the page's own blocks, which an SVG image or a template never holds.
  private static let pageBlocks: [[UInt8]] = [
    "p", "h1", "h2", "h3", "h4", "h5", "h6", "div", "ul", "ol", "li", "table",
    "article", "main", "section", "blockquote",
  ].map { Array($0.utf8) }

  /// Whether `input[start..<end]` holds a start tag of one of `pageBlocks`.
  private static func holdsPageBlocks(_ input: UnsafeBufferPointer<UInt8>, from start: Int, to end: Int) -> Bool {
    var index = start
    while index < end {
      guard let base = input.baseAddress, let found = memchr(base + index, 0x3C, end - index) else { return false }
      let open = base.distance(to: found.assumingMemoryBound(to: UInt8.self))
      if pageBlocks.contains(where: { matchesTag($0, in: input, at: open + 1) }) { return true }
      index = open + 1
    }
    return false
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
