/// The hash of a file's bytes (FNV-1a, 64 bits) as 16 hex digits: enough to tell whether a file changed.
package enum ContentHash {
  package static func of(_ bytes: [UInt8]) -> String {
    var hash = FNV1a()
    for byte in bytes { hash.mix(byte) }
    return hash.hexDigits
  }
}
