/// Cues for side-by-side columns, from `plaintext-cues.json` (`columns`).
package struct PlainTextColumnCues: Sendable, Decodable {
  /// Spaces in a row that separate two cells of one line.
  var minimumGap: Int
  /// Lines that must have a cell starting at the same column, after a gap, for that column to be an edge.
  var minimumEdgeLines: Int
  /// A column holds prose when at least `minimumProsePieces` of its pieces have `proseWords` words or more.
  var proseWords: Int
  var minimumProsePieces: Int
  /// Edges tried, most supported first; lines longer than `maximumLineBytes` are never cut (a page rendered to text
  /// is a few hundred characters wide), so the work stays linear in the text.
  var maximumEdges: Int
  var maximumLineBytes: Int
}

/// Side-by-side columns in text rendered from a laid-out page. A text browser or scraper that renders a page's
/// layout table (`w3m -dump`, `lynx -dump`, `html2text`) prints its cells side by side: one line holds a menu
/// item, a stretch of the article and a piece of a side rail, separated by runs of spaces. Read line by line, the
/// article's headings come out glued to menu words ("Pressure   What is Small Pox?") and its paragraphs
/// interleaved with the rail.
///
/// An edge between two columns is a display column at which, over a run of lines, text starts after at least
/// `minimumGap` spaces while text stands to its left, on at least `minimumEdgeLines` lines, and which no line of
/// the run crosses with a word. The run spans from the first such line to the last, widened by the lines next to
/// it that have text on one side only. A run becomes columns only when one of them holds prose (a data table
/// with short cells keeps its rows). An edge inside a column (a list indented within it) counts only on lines
/// that have text between the column's own left edge and it. Unfolded, each run of lines is read column after
/// column, left to right, with a blank line between columns, so each column's paragraphs, lists and headings stay
/// whole. Positions are Unicode scalars, as a text browser prints one cell per character.
package struct PlainTextColumns: Sendable {
  let cues: PlainTextColumnCues

  /// One line of the unfolded text: the 1-based number of the source line it comes from and its bytes (a range of
  /// the source's UTF-8).
  struct Piece: Equatable {
    var line: Int
    var bytes: Range<Int>
  }

  /// The text's lines read column by column, or nil when no run of lines has columns.
  func unfold(_ bytes: UnsafeBufferPointer<UInt8>, lines: [Range<Int>]) -> [Piece]? {
    // First pass, cheap: where cells start after a gap on each line. Most texts have no column with enough of them.
    var gapsByLine: [[Int]] = []
    gapsByLine.reserveCapacity(lines.count)
    var lineCountByColumn: [Int: Int] = [:]
    for line in lines {
      let gaps = line.count <= cues.maximumLineBytes ? gapColumns(bytes, line) : []
      for column in gaps { lineCountByColumn[column, default: 0] += 1 }
      gapsByLine.append(gaps)
    }
    let candidates = lineCountByColumn.filter { $0.value >= cues.minimumEdgeLines }
      .sorted { ($0.value, $1.key) > ($1.value, $0.key) }.prefix(cues.maximumEdges).map(\.key)
    guard !candidates.isEmpty else { return nil }
    // A line too long to measure has no layout, and no run holds it.
    let layouts = lines.map { $0.count <= cues.maximumLineBytes ? layout(bytes, $0) : [] }
    var edges = [[Int]](repeating: [], count: lines.count)
    for column in candidates {
      findRuns(at: column, bytes, layouts: layouts, gaps: gapsByLine, edges: &edges)
    }
    guard edges.contains(where: { !$0.isEmpty }) else { return nil }
    return pieces(lines: lines, layouts: layouts, edges: edges)
  }

  /// The display columns at which a cell starts after a gap of at least `minimumGap` spaces, text standing before it.
  private func gapColumns(_ bytes: UnsafeBufferPointer<UInt8>, _ line: Range<Int>) -> [Int] {
    var gaps: [Int] = []
    var column = 0
    var spaces = 0
    var seenText = false
    for index in line {
      let byte = bytes[index]
      if byte & 0xC0 == 0x80 { continue }  // a UTF-8 continuation byte: same column
      if byte == UInt8(ascii: " ") {
        spaces += 1
      } else {
        if seenText && spaces >= cues.minimumGap { gaps.append(column) }
        seenText = true
        spaces = 0
      }
      column += 1
    }
    return gaps
  }

  /// The byte offset at which each display column of `line` starts, and the line's end last.
  private func layout(_ bytes: UnsafeBufferPointer<UInt8>, _ line: Range<Int>) -> [Int] {
    var offsets: [Int] = []
    offsets.reserveCapacity(line.count + 1)
    for index in line where bytes[index] & 0xC0 != 0x80 { offsets.append(index) }
    offsets.append(line.upperBound)
    return offsets
  }

  /// Adds `column` to `edges` of every line of each run of lines that it divides into columns.
  private func findRuns(
    at column: Int, _ bytes: UnsafeBufferPointer<UInt8>, layouts: [[Int]], gaps: [[Int]], edges: inout [[Int]]
  ) {
    func width(_ line: Int) -> Int { layouts[line].count - 1 }
    func isSpace(_ line: Int, _ position: Int) -> Bool { bytes[layouts[line][position]] == UInt8(ascii: " ") }
    func hasText(_ line: Int, from start: Int, to end: Int) -> Bool {
      let end = min(end, width(line))
      guard start < end else { return false }
      return (start..<end).contains { !isSpace(line, $0) }
    }
    // A line with a cell at `column` after a gap, text between the column's own left edge and the gap.
    func isGapLine(_ line: Int) -> Bool {
      guard gaps[line].contains(column) else { return false }
      let leftEdge = edges[line].filter { $0 < column }.max() ?? 0
      return hasText(line, from: leftEdge, to: column - cues.minimumGap)
    }
    func isMeasured(_ line: Int) -> Bool { !layouts[line].isEmpty }
    func isCuttable(_ line: Int) -> Bool {
      isMeasured(line) && (width(line) <= column || isSpace(line, column - 1))
    }
    func isOneSided(_ line: Int) -> Bool {
      isMeasured(line) && (width(line) <= column || !hasText(line, from: 0, to: column))
    }
    func wordCount(_ line: Int, from start: Int, to end: Int) -> Int {
      let end = min(end, width(line))
      guard start < end else { return 0 }
      var words = 0
      var inWord = false
      for position in start..<end {
        let space = isSpace(line, position)
        if !space && !inWord { words += 1 }
        inWord = !space
      }
      return words
    }
    let count = layouts.count
    var start = 0
    while start < count {
      guard isGapLine(start) else {
        start += 1
        continue
      }
      var end = start
      var last = start
      var gapLines = 0
      while end < count, isCuttable(end) {
        if isGapLine(end) {
          last = end
          gapLines += 1
        }
        end += 1
      }
      var lower = start
      var upper = last + 1
      while lower > 0, isOneSided(lower - 1) { lower -= 1 }
      while upper < count, isOneSided(upper) { upper += 1 }
      if gapLines >= cues.minimumEdgeLines {
        let prosePieces = (lower..<upper).reduce(0) { total, line in
          total + (wordCount(line, from: 0, to: column) >= cues.proseWords ? 1 : 0)
            + (wordCount(line, from: column, to: width(line)) >= cues.proseWords ? 1 : 0)
        }
        if prosePieces >= cues.minimumProsePieces {
          for line in lower..<upper { edges[line].append(column) }
        }
      }
      start = max(end, start + 1)
    }
  }

  /// The lines read column by column: each run of lines cut at the same edges gives its first column's pieces,
  /// a blank line, its second column's pieces, and so on.
  private func pieces(lines: [Range<Int>], layouts: [[Int]], edges: [[Int]]) -> [Piece] {
    var pieces: [Piece] = []
    pieces.reserveCapacity(lines.count * 2)
    let sortedEdges = edges.map { $0.sorted() }
    var start = 0
    while start < lines.count {
      let cut = sortedEdges[start]
      var end = start + 1
      while end < lines.count, sortedEdges[end] == cut { end += 1 }
      if cut.isEmpty {
        for line in start..<end { pieces.append(Piece(line: line + 1, bytes: lines[line])) }
      } else {
        let bounds = [0] + cut + [Int.max]
        for (left, right) in zip(bounds, bounds.dropFirst()) {
          for line in start..<end {
            // Lines in a run are always measured; an unmeasured one would have no edges.
            let offsets = layouts[line]
            let width = offsets.count - 1
            pieces.append(Piece(line: line + 1, bytes: offsets[min(left, width)]..<offsets[min(right, width)]))
          }
          let boundary = lines[end - 1].upperBound
          pieces.append(Piece(line: end, bytes: boundary..<boundary))
        }
      }
      start = end
    }
    return pieces
  }
}
