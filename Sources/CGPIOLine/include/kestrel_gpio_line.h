// One GPIO line through libgpiod, the same small API whichever libgpiod the board has: 1.6 (v1 API, Debian 12,
// `libgpiod.so.2`) or 2.x (v2 API, Debian 13 and Raspberry Pi OS trixie, `libgpiod.so.3`). The library is loaded at
// run time, on first use (gpiod_library.c); this header does not include <gpiod.h>, so Swift never sees either API.
//
// Functions return 0 or an errno value (never -1 + errno), so Swift reads the failure without touching `errno`.
#ifndef KESTREL_GPIO_LINE_H
#define KESTREL_GPIO_LINE_H

#include <stdbool.h>
#include <stdint.h>

/// A requested line (input with both-edge events, or output). Opaque.
typedef struct kestrel_gpio_line kestrel_gpio_line;

typedef enum {
    KESTREL_GPIO_BIAS_AS_IS = 0,
    KESTREL_GPIO_BIAS_DISABLED = 1,
    KESTREL_GPIO_BIAS_PULL_UP = 2,
    KESTREL_GPIO_BIAS_PULL_DOWN = 3,
} kestrel_gpio_bias;

/// Which step of opening a line failed; it decides the error the operator sees.
typedef enum {
    KESTREL_GPIO_STEP_NONE = 0,
    /// Opening the chip's character device (errno as from open(2): ENOENT, EACCES ...).
    KESTREL_GPIO_STEP_CHIP = 1,
    /// The path exists but is not a GPIO chip character device (a file, a directory, /dev/null ...).
    KESTREL_GPIO_STEP_NOT_A_CHIP = 6,
    /// libgpiod 1.x on a kernel without the v1 GPIO character-device ABI (CONFIG_GPIO_CDEV_V1 off, as in Debian's
    /// 7.x kernels): the chip opens and counts its lines, but every line lookup fails with EINVAL.
    KESTREL_GPIO_STEP_NO_V1_ABI = 7,
    /// The chip has no line at that offset (error_number is EINVAL).
    KESTREL_GPIO_STEP_NO_SUCH_LINE = 2,
    /// Any other failure looking the line up.
    KESTREL_GPIO_STEP_LINE = 3,
    /// Requesting the line from the kernel (EBUSY when another consumer holds it).
    KESTREL_GPIO_STEP_REQUEST = 4,
    /// Making the event file descriptor non-blocking.
    KESTREL_GPIO_STEP_NONBLOCK = 5,
    /// No libgpiod 1.x or 2.x could be loaded (`kestrel_gpio_library_error` says what was tried).
    KESTREL_GPIO_STEP_NO_LIBRARY = 8,
} kestrel_gpio_step;

/// Why an open failed: the step, its errno and the libgpiod (or system) call that reported it.
typedef struct {
    kestrel_gpio_step step;
    int error_number;
    /// A static string; never freed.
    const char *call;
} kestrel_gpio_open_failure;

/// One edge read from the kernel.
typedef struct {
    /// CLOCK_MONOTONIC nanoseconds of the edge, stamped by the kernel.
    uint64_t timestamp_ns;
    /// Logical level after the edge (active-low applied): true = rising to active.
    bool rising;
} kestrel_gpio_edge;

/// Requests line `offset` of the chip at `chip_path` (`/dev/gpiochip0`) as an input reporting both edges, with
/// kernel timestamps on CLOCK_MONOTONIC and a non-blocking event descriptor. NULL on failure, with `failure` set.
kestrel_gpio_line *kestrel_gpio_open_input(const char *chip_path, unsigned int offset, const char *consumer,
                                           bool active_low, kestrel_gpio_bias bias,
                                           kestrel_gpio_open_failure *failure);

/// Requests line `offset` as an output driven at `initial_active` (logical) from the moment of the request.
kestrel_gpio_line *kestrel_gpio_open_output(const char *chip_path, unsigned int offset, const char *consumer,
                                            bool active_low, bool initial_active,
                                            kestrel_gpio_open_failure *failure);

/// Reads the logical level into `active`. One ioctl; no allocation.
int kestrel_gpio_line_get_value(kestrel_gpio_line *line, bool *active);

/// Drives an output line to a logical level. One ioctl; no allocation.
int kestrel_gpio_line_set_value(kestrel_gpio_line *line, bool active);

/// The next edge of an input line: 0 and `edge` filled, EAGAIN when none is queued (never blocks), or another errno.
/// Reads into a buffer allocated at open: no allocation here.
int kestrel_gpio_line_read_edge(kestrel_gpio_line *line, kestrel_gpio_edge *edge);

/// The event descriptor (for poll(2)); owned by the line, do not close it. -1 for an output line.
int kestrel_gpio_line_event_fd(const kestrel_gpio_line *line);

/// Gives the line back to the kernel and frees it. NULL is ignored.
void kestrel_gpio_line_release(kestrel_gpio_line *line);

/// The API of the libgpiod loaded: 1 (libgpiod 1.x) or 2 (libgpiod 2.x); 0 when none could be loaded. The first
/// call of any function here loads the library.
int kestrel_gpio_api_major(void);

/// The version of the libgpiod loaded, e.g. "1.6.3" or "2.2.1" (a static string); "none" without one.
const char *kestrel_gpio_library_version(void);

/// The file loaded ("libgpiod.so.3", or the path in KESTREL_LIBGPIOD); "none" without one.
const char *kestrel_gpio_library_name(void);

/// Why no library (or which candidates) could not be loaded: "libgpiod.so.3: cannot open ...; ..."; empty when the
/// first candidate loaded.
const char *kestrel_gpio_library_error(void);

/// The libgpiod call that `kestrel_gpio_line_get_value`, `_set_value` and `_read_edge` make, for error messages.
const char *kestrel_gpio_get_value_call(void);
const char *kestrel_gpio_set_value_call(void);
const char *kestrel_gpio_read_edge_call(void);

#endif
