#ifndef MEDREF_CZLIB_SHIM_H
#define MEDREF_CZLIB_SHIM_H

#include <zlib.h>

/// `inflateInit2` is a macro, which Swift cannot call: the same through a function.
static inline int medref_inflate_init(z_stream *stream, int window_bits) {
  return inflateInit2(stream, window_bits);
}

#endif
