// libFuzzer's driver, linked in by `-sanitize=fuzzer` (declared in compiler-rt's FuzzerInterface.h; no header of
// it is installed with the toolchain). Only fuzz builds (`-DFUZZING`) call it, so other builds never link it.
#include <stddef.h>
#include <stdint.h>

int LLVMFuzzerRunDriver(int *argc, char ***argv, int (*callback)(const uint8_t *data, size_t size));
