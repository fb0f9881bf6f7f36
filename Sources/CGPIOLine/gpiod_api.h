// Which libgpiod API the build compiles against, decided from the <gpiod.h> the compiler actually sees.
//
// Why the header and not the pkg-config version: SwiftPM runs pkg-config only for the CGPIOD system library and
// passes on its -I/-L flags; a C target gets no version macro from it. And the header is what the code must match:
// if the pkg-config version and the winning include path ever disagreed, selecting on the header still compiles the
// API that is there, and linking then fails loudly against the wrong libgpiod.so (the two APIs share almost no
// symbols) instead of producing a binary that misbehaves.
//
// The marker: every libgpiod 1.x <gpiod.h> (1.0 to 1.6.x) defines the macro GPIOD_LINE_BULK_MAX_LINES (the size of
// struct gpiod_line_bulk). libgpiod 2.x removed line bulks, and its <gpiod.h> defines no macro but its include guard
// (checked: Debian 12's 1.6.3 and Debian 13's 2.2.1 headers). The v2 source uses v2-only functions
// (gpiod_chip_request_lines, gpiod_edge_event_buffer_new ...), so a header that is neither fails to compile.
#ifndef KESTREL_GPIOD_API_H
#define KESTREL_GPIOD_API_H

#include <gpiod.h>

#if defined(GPIOD_LINE_BULK_MAX_LINES)
#define KESTREL_GPIOD_API 1
#else
#define KESTREL_GPIOD_API 2
#endif

#endif
