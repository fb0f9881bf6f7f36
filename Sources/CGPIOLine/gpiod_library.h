// libgpiod, found and loaded at run time: one Kestrel binary runs on libgpiod 1.x (Debian 12) and 2.x (Debian 13),
// whichever the board has, instead of one build per Debian release.
#ifndef KESTREL_GPIOD_LIBRARY_H
#define KESTREL_GPIOD_LIBRARY_H

#include "gpiod_v1_abi.h"
#include "gpiod_v2_abi.h"

struct kestrel_gpiod_library {
    /// 1 or 2 once a library is loaded; 0 when none could be (then `error` says why).
    int api_major;
    /// What was loaded: a soname ("libgpiod.so.3") or the path KESTREL_LIBGPIOD named.
    const char *name;
    char error[512];
    struct kestrel_gpiod_v1 v1;
    struct kestrel_gpiod_v2 v2;
};

/// Loads libgpiod on first use (thread-safe; later calls only read): the file KESTREL_LIBGPIOD names when that is
/// set, else libgpiod.so.3 (2.x) and then libgpiod.so.2 (1.x). The API is told by the library's own symbols, not by
/// its file name.
const struct kestrel_gpiod_library *kestrel_gpiod_library(void);

#endif
