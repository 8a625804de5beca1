/// The lexicons' terms as a hash table of phrases: every term, and every run of words a term starts with, keyed by
/// the hash of its folded words. Matching hashes the words of a text one by one and extends the phrase hash word
/// by word while the table says some term continues; there is no vocabulary and no trie to walk, and one probe of a
/// table of about a megabyte (8 bytes a slot, so that it stays in the processor's cache) answers each step.
///
/// A slot holds the top 40 bits of the phrase's hash and, in its low 24 bits: whether a longer term continues the
/// phrase, whether the term ending there is an acronym (matched only in capitals), and the number of its entry
/// plus one (0: no term ends there). A phrase is known by its hash alone: a text phrase taken for a lexicon phrase
/// it is not needs 40 bits of hash and the slot's position to agree by chance, about one in 10^12 per probe.
package struct PhraseTable: Sendable {
  static let continues: UInt64 = 1 << 23
  static let acronym: UInt64 = 1 << 22
  static let entryMask: UInt64 = (1 << 22) - 1
  private static let valueMask: UInt64 = (1 << 24) - 1

  private var slots: [UInt64]
  /// A bit per hash bucket of first words (2^18 bits, 32 KB): set for the first word of every term. Most words of a
  /// text start no term, and this answers so from the first-level cache before the table is probed (a word whose
  /// bit is set by another word, about 5% of them, costs the probe).
  private var firstWords = [UInt64](repeating: 0, count: 1 << 12)
  /// Every phrase's full hash, in the order added: while the table is filled, to rehash it when it grows.
  private var hashes: [UInt64] = []

  /// A finished table from its stored arrays (`EntityLexicon`'s compiled form); nil when their sizes are wrong.
  init?(slots: [UInt64], firstWords: [UInt64]) {
    guard slots.count >= 16, slots.count & (slots.count - 1) == 0, firstWords.count == 1 << 12,
      slots.contains(0)
    else { return nil }
    self.slots = slots
    self.firstWords = firstWords
  }

  /// The arrays a finished table is made of, to store it.
  var storedArrays: (slots: [UInt64], firstWords: [UInt64]) { (slots, firstWords) }

  init(capacity: Int = 1024) {
    var size = 16
    while size * 3 < capacity * 4 { size <<= 1 }
    slots = Array(repeating: 0, count: size)
  }

  /// The value of `phrase` (flags and entry + 1), or 0 when no term is or starts with it.
  @inline(__always)
  func value(_ phrase: UInt64) -> UInt64 {
    slots.withUnsafeBufferPointer { slots in
      let mask = slots.count - 1
      let tag = phrase & ~Self.valueMask
      var slot = Int(truncatingIfNeeded: phrase) & mask
      while true {
        let content = slots[slot]
        if content == 0 { return 0 }
        if content & ~Self.valueMask == tag { return content & Self.valueMask }
        slot = (slot + 1) & mask
      }
    }
  }

  /// Whether some term may start with `word` (false: none does).
  @inline(__always)
  func mayStart(_ word: UInt64) -> Bool {
    let bit = Int(truncatingIfNeeded: word >> 46)
    return firstWords.withUnsafeBufferPointer { $0[bit >> 6] & (1 << UInt64(bit & 63)) != 0 }
  }

  /// Records that a term starts with `word`.
  mutating func markStart(_ word: UInt64) {
    let bit = Int(truncatingIfNeeded: word >> 46)
    firstWords[bit >> 6] |= 1 << UInt64(bit & 63)
  }

  /// Sets the value of `phrase` (not 0).
  mutating func set(_ phrase: UInt64, _ value: UInt64) {
    let slot = find(phrase)
    if slots[slot] == 0 { hashes.append(phrase) }
    slots[slot] = phrase & ~Self.valueMask | value & Self.valueMask
    if hashes.count * 4 > slots.count * 3 { grow() }
  }

  /// How many phrases there are.
  var count: Int { hashes.count }

  /// The slot of `phrase`, or the empty slot where it would go.
  private func find(_ phrase: UInt64) -> Int {
    let mask = slots.count - 1
    let tag = phrase & ~Self.valueMask
    var slot = Int(truncatingIfNeeded: phrase) & mask
    while slots[slot] != 0 && slots[slot] & ~Self.valueMask != tag { slot = (slot + 1) & mask }
    return slot
  }

  private mutating func grow() {
    let old = self
    slots = Array(repeating: 0, count: slots.count * 2)
    for phrase in hashes {
      slots[find(phrase)] = phrase & ~Self.valueMask | old.value(phrase)
    }
  }

  /// Drops what only filling the table needed.
  mutating func finish() {
    hashes = []
  }

  /// The hash of the folded word of `count` bytes at `bytes`, eight bytes at a time, each mixed in with a multiply
  /// and a shift (a word of up to 8 bytes gets a hash no other word has: every step is invertible); the buffer must
  /// have room for 8 bytes past the word, which are overwritten with zeros.
  @inline(__always)
  static func hash(_ bytes: UnsafeMutablePointer<UInt8>, count: Int) -> UInt64 {
    (bytes + count).update(repeating: 0, count: 8)
    let raw = UnsafeRawPointer(bytes)
    var hash = UInt64(truncatingIfNeeded: count) &* 0x9E37_79B9_7F4A_7C15
    var offset = 0
    repeat {
      hash = (hash ^ raw.loadUnaligned(fromByteOffset: offset, as: UInt64.self)) &* 0xFF51_AFD7_ED55_8CCD
      hash ^= hash >> 29
      offset += 8
    } while offset < count
    return hash
  }

  /// The hash of a phrase extended by one word.
  @inline(__always)
  static func extend(_ phrase: UInt64, _ word: UInt64) -> UInt64 {
    mix(phrase &* 0x9E37_79B9_7F4A_7C15 &+ word)
  }

  @inline(__always)
  private static func mix(_ value: UInt64) -> UInt64 {
    var hash = value
    hash ^= hash >> 33
    hash &*= 0xFF51_AFD7_ED55_8CCD
    hash ^= hash >> 33
    hash &*= 0xC4CE_B9FE_1A85_EC53
    hash ^= hash >> 33
    return hash
  }
}
