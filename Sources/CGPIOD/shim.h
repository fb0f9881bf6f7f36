// libgpiod's <gpiod.h>, found through pkg-config `libgpiod`: 1.6 (v1 API, Debian 12 `libgpiod-dev`) or 2.x (v2 API,
// Debian 13). Only its declarations are used, by CGPIODABICheck; nothing links the library (no `link` in the module
// map): CGPIOLine loads it at run time, and a second copy linked in would interpose its symbols on the loaded one.
#ifndef KESTREL_CGPIOD_SHIM_H
#define KESTREL_CGPIOD_SHIM_H

#include <gpiod.h>

#endif
