// Classifies a failed gpiod_chip_open, the same way for libgpiod 1.x and 2.x.
#ifndef KESTREL_CHIP_OPEN_FAILURE_H
#define KESTREL_CHIP_OPEN_FAILURE_H

#include "kestrel_gpio_line.h"

#include <errno.h>
#include <sys/stat.h>

/// The step to report for gpiod_chip_open failing with `error_number` on `path`. A path that exists but is not a
/// GPIO chip is reported as such: libgpiod's own errno for it differs by version and kind of file (1.6: ENOTTY for
/// /dev/null and regular files, EISDIR for a directory; 2.2: ENODEV for /dev/null, ENOTTY for files and directories).
static inline kestrel_gpio_step kestrel_chip_open_step(const char *path, int error_number) {
    struct stat status;
    if ((error_number == ENOTTY || error_number == ENODEV || error_number == EISDIR) && stat(path, &status) == 0) {
        return KESTREL_GPIO_STEP_NOT_A_CHIP;
    }
    return KESTREL_GPIO_STEP_CHIP;
}

#endif
