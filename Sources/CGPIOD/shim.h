// libgpiod 1.6 (v1 API, Debian 12 `libgpiod-dev`). libgpiod 2.x has a different API and will not build here.
#ifndef KESTREL_CGPIOD_SHIM_H
#define KESTREL_CGPIOD_SHIM_H

#include <gpiod.h>

#endif
