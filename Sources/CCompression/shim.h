#ifndef MEDREF_CCOMPRESSION_SHIM_H
#define MEDREF_CCOMPRESSION_SHIM_H

// zlib streams any gzip data; libdeflate decompresses a whole gzip member two to three times faster, which is what
// a web archive of one member per record is made of.
#include <zlib.h>
#include <libdeflate.h>

/// `inflateInit2` is a macro, which Swift cannot call: the same through a function.
static inline int medref_inflate_init(z_stream *stream, int window_bits) {
  return inflateInit2(stream, window_bits);
}

#endif
