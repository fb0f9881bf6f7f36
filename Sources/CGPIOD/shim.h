// libgpiod's <gpiod.h>, found through pkg-config `libgpiod`: 1.6 (v1 API, Debian 12 `libgpiod-dev`,
// `libgpiod.so.2`) or 2.x (v2 API, Debian 13 / Raspberry Pi OS trixie, `libgpiod.so.3`). Swift code does not import
// this module: it uses CGPIOLine, which compiles against whichever API this header is (see CGPIOLine/gpiod_api.h).
#ifndef KESTREL_CGPIOD_SHIM_H
#define KESTREL_CGPIOD_SHIM_H

#include <gpiod.h>

#endif
