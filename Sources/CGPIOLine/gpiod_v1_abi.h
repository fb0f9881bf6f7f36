// The part of libgpiod 1.x's ABI (`libgpiod.so.2`: Debian 12, Raspberry Pi OS bookworm) that Kestrel calls, declared
// here because the library is loaded at run time (see gpiod_library.c) and no <gpiod.h> of the other major version
// can be included beside it. Constants, struct layouts and every function type are checked against the real 1.x
// header by CGPIODABICheck (`swift build` on a host with libgpiod-dev 1.x), so a typo here fails the build there.
#ifndef KESTREL_GPIOD_V1_ABI_H
#define KESTREL_GPIOD_V1_ABI_H

#include <time.h>

// Opaque in the real header too: the same tags are harmless beside it.
struct gpiod_chip;
struct gpiod_line;

enum {
    KESTREL_GPIOD_V1_REQUEST_DIRECTION_OUTPUT = 3,
    KESTREL_GPIOD_V1_REQUEST_EVENT_BOTH_EDGES = 6,
    KESTREL_GPIOD_V1_FLAG_ACTIVE_LOW = 1 << 2,
    KESTREL_GPIOD_V1_FLAG_BIAS_DISABLE = 1 << 3,
    KESTREL_GPIOD_V1_FLAG_BIAS_PULL_DOWN = 1 << 4,
    KESTREL_GPIOD_V1_FLAG_BIAS_PULL_UP = 1 << 5,
    KESTREL_GPIOD_V1_EVENT_RISING_EDGE = 1,
};

/// `struct gpiod_line_request_config`.
struct kestrel_gpiod_v1_request_config {
    const char *consumer;
    int request_type;
    int flags;
};

/// `struct gpiod_line_event`.
struct kestrel_gpiod_v1_line_event {
    struct timespec ts;
    int event_type;
};

// The ABI check compiles these types with the real header's structs, so that each function type is compared whole.
#ifdef KESTREL_GPIOD_ABI_CHECK
#define KESTREL_V1_REQUEST_CONFIG struct gpiod_line_request_config
#define KESTREL_V1_LINE_EVENT struct gpiod_line_event
#else
#define KESTREL_V1_REQUEST_CONFIG struct kestrel_gpiod_v1_request_config
#define KESTREL_V1_LINE_EVENT struct kestrel_gpiod_v1_line_event
#endif

/// The calls, looked up by name in the loaded library.
struct kestrel_gpiod_v1 {
    struct gpiod_chip *(*chip_open)(const char *path);
    void (*chip_close)(struct gpiod_chip *chip);
    unsigned int (*chip_num_lines)(struct gpiod_chip *chip);
    struct gpiod_line *(*chip_get_line)(struct gpiod_chip *chip, unsigned int offset);
    int (*line_request)(struct gpiod_line *line, const KESTREL_V1_REQUEST_CONFIG *config, int default_val);
    void (*line_release)(struct gpiod_line *line);
    int (*line_get_value)(struct gpiod_line *line);
    int (*line_set_value)(struct gpiod_line *line, int value);
    int (*line_event_get_fd)(struct gpiod_line *line);
    int (*line_event_read_fd)(int fd, KESTREL_V1_LINE_EVENT *event);
    const char *(*version_string)(void);
};

/// Each field of `struct kestrel_gpiod_v1` and the library symbol it is loaded from, in one list for the loader and
/// the ABI check.
#define KESTREL_GPIOD_V1_CALLS(X)                  \
    X(chip_open, gpiod_chip_open)                  \
    X(chip_close, gpiod_chip_close)                \
    X(chip_num_lines, gpiod_chip_num_lines)        \
    X(chip_get_line, gpiod_chip_get_line)          \
    X(line_request, gpiod_line_request)            \
    X(line_release, gpiod_line_release)            \
    X(line_get_value, gpiod_line_get_value)        \
    X(line_set_value, gpiod_line_set_value)        \
    X(line_event_get_fd, gpiod_line_event_get_fd)  \
    X(line_event_read_fd, gpiod_line_event_read_fd) \
    X(version_string, gpiod_version_string)

#endif
