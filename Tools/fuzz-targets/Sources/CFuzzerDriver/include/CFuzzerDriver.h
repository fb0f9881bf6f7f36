// libFuzzer's documented driver entry (compiler-rt FuzzerInterface.h), linked in by -sanitize=fuzzer.
// The harness's main calls it because SwiftPM gives executables its own main symbol.
#include <stddef.h>
#include <stdint.h>
int LLVMFuzzerRunDriver(int *argc, char ***argv, int (*UserCb)(const uint8_t *Data, size_t Size));
