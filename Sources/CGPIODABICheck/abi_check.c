// Compile-time checks: every constant, struct layout and call type Kestrel declares for a libgpiod API equals the real
// header's. A mismatch is a build error naming the symbol, not a board that misreads its arm switch.
#define KESTREL_GPIOD_ABI_CHECK 1
#include <gpiod.h>

#include <stddef.h>

#include "kestrel_gpiod_abi_check.h"

#define KESTREL_SAME(a, b) _Static_assert((a) == (b), #a " differs from <gpiod.h>'s " #b);

// Every 1.x <gpiod.h> defines GPIOD_LINE_BULK_MAX_LINES; 2.x removed line bulks (checked on 1.6.3 and 2.2.1).
#if defined(GPIOD_LINE_BULK_MAX_LINES)
#include "../CGPIOLine/gpiod_v1_abi.h"

KESTREL_SAME(KESTREL_GPIOD_V1_REQUEST_DIRECTION_OUTPUT, GPIOD_LINE_REQUEST_DIRECTION_OUTPUT)
KESTREL_SAME(KESTREL_GPIOD_V1_REQUEST_EVENT_BOTH_EDGES, GPIOD_LINE_REQUEST_EVENT_BOTH_EDGES)
KESTREL_SAME(KESTREL_GPIOD_V1_FLAG_ACTIVE_LOW, GPIOD_LINE_REQUEST_FLAG_ACTIVE_LOW)
KESTREL_SAME(KESTREL_GPIOD_V1_FLAG_BIAS_DISABLE, GPIOD_LINE_REQUEST_FLAG_BIAS_DISABLE)
KESTREL_SAME(KESTREL_GPIOD_V1_FLAG_BIAS_PULL_DOWN, GPIOD_LINE_REQUEST_FLAG_BIAS_PULL_DOWN)
KESTREL_SAME(KESTREL_GPIOD_V1_FLAG_BIAS_PULL_UP, GPIOD_LINE_REQUEST_FLAG_BIAS_PULL_UP)
KESTREL_SAME(KESTREL_GPIOD_V1_EVENT_RISING_EDGE, GPIOD_LINE_EVENT_RISING_EDGE)
KESTREL_SAME(sizeof(struct kestrel_gpiod_v1_request_config), sizeof(struct gpiod_line_request_config))
KESTREL_SAME(offsetof(struct kestrel_gpiod_v1_request_config, consumer),
             offsetof(struct gpiod_line_request_config, consumer))
KESTREL_SAME(offsetof(struct kestrel_gpiod_v1_request_config, request_type),
             offsetof(struct gpiod_line_request_config, request_type))
KESTREL_SAME(offsetof(struct kestrel_gpiod_v1_request_config, flags),
             offsetof(struct gpiod_line_request_config, flags))
KESTREL_SAME(sizeof(struct kestrel_gpiod_v1_line_event), sizeof(struct gpiod_line_event))
KESTREL_SAME(offsetof(struct kestrel_gpiod_v1_line_event, ts), offsetof(struct gpiod_line_event, ts))
KESTREL_SAME(offsetof(struct kestrel_gpiod_v1_line_event, event_type), offsetof(struct gpiod_line_event, event_type))

#define KESTREL_SAME_CALL(field, symbol)                                                                       \
    _Static_assert(__builtin_types_compatible_p(__typeof__(&symbol),                                           \
                                                __typeof__(((struct kestrel_gpiod_v1 *)0)->field)),            \
                   "Kestrel's type of " #symbol " differs from <gpiod.h>'s");
KESTREL_GPIOD_V1_CALLS(KESTREL_SAME_CALL)

int kestrel_gpiod_abi_checked_major(void) { return 1; }

#else
#include "../CGPIOLine/gpiod_v2_abi.h"

KESTREL_SAME(KESTREL_GPIOD_V2_VALUE_ERROR, GPIOD_LINE_VALUE_ERROR)
KESTREL_SAME(KESTREL_GPIOD_V2_VALUE_INACTIVE, GPIOD_LINE_VALUE_INACTIVE)
KESTREL_SAME(KESTREL_GPIOD_V2_VALUE_ACTIVE, GPIOD_LINE_VALUE_ACTIVE)
KESTREL_SAME(KESTREL_GPIOD_V2_DIRECTION_INPUT, GPIOD_LINE_DIRECTION_INPUT)
KESTREL_SAME(KESTREL_GPIOD_V2_DIRECTION_OUTPUT, GPIOD_LINE_DIRECTION_OUTPUT)
KESTREL_SAME(KESTREL_GPIOD_V2_EDGE_BOTH, GPIOD_LINE_EDGE_BOTH)
KESTREL_SAME(KESTREL_GPIOD_V2_BIAS_AS_IS, GPIOD_LINE_BIAS_AS_IS)
KESTREL_SAME(KESTREL_GPIOD_V2_BIAS_DISABLED, GPIOD_LINE_BIAS_DISABLED)
KESTREL_SAME(KESTREL_GPIOD_V2_BIAS_PULL_UP, GPIOD_LINE_BIAS_PULL_UP)
KESTREL_SAME(KESTREL_GPIOD_V2_BIAS_PULL_DOWN, GPIOD_LINE_BIAS_PULL_DOWN)
KESTREL_SAME(KESTREL_GPIOD_V2_CLOCK_MONOTONIC, GPIOD_LINE_CLOCK_MONOTONIC)
KESTREL_SAME(KESTREL_GPIOD_V2_EVENT_RISING_EDGE, GPIOD_EDGE_EVENT_RISING_EDGE)
// CGPIOLine passes these enums as int: the same registers only while each is int-sized.
KESTREL_SAME(sizeof(enum gpiod_line_value), sizeof(int))
KESTREL_SAME(sizeof(enum gpiod_line_direction), sizeof(int))
KESTREL_SAME(sizeof(enum gpiod_line_edge), sizeof(int))
KESTREL_SAME(sizeof(enum gpiod_line_bias), sizeof(int))
KESTREL_SAME(sizeof(enum gpiod_line_clock), sizeof(int))
KESTREL_SAME(sizeof(enum gpiod_edge_event_type), sizeof(int))

#define KESTREL_SAME_CALL(field, symbol)                                                                       \
    _Static_assert(__builtin_types_compatible_p(__typeof__(&symbol),                                           \
                                                __typeof__(((struct kestrel_gpiod_v2 *)0)->field)),            \
                   "Kestrel's type of " #symbol " differs from <gpiod.h>'s");
KESTREL_GPIOD_V2_CALLS(KESTREL_SAME_CALL)

int kestrel_gpiod_abi_checked_major(void) { return 2; }

#endif
