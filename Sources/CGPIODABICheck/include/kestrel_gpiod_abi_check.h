// Kestrel's own declarations of libgpiod (CGPIOLine/gpiod_v1_abi.h, gpiod_v2_abi.h), checked at compile time
// against the real <gpiod.h> that pkg-config `libgpiod` finds: 1.x on Debian 12, 2.x on Debian 13 (Tools/check-gpiod2
// builds it against that one). The check is the build; this function only tells which header it was.
#ifndef KESTREL_GPIOD_ABI_CHECK_H
#define KESTREL_GPIOD_ABI_CHECK_H

/// The libgpiod API major of the <gpiod.h> the declarations were checked against: 1 or 2.
int kestrel_gpiod_abi_checked_major(void);

#endif
