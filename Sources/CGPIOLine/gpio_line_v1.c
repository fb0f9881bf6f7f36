// kestrel_gpio_line.h on libgpiod 1.x (v1 API): gpiod_chip_get_line + gpiod_line_request, events read one at a time
// from the line's event descriptor.
#include "chip_open_failure.h"
#include "gpio_line_impl.h"

#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>

static kestrel_gpio_line *fail(kestrel_gpio_open_failure *failure, kestrel_gpio_step step, int error_number,
                               const char *call) {
    return kestrel_gpio_fail(failure, step, error_number, call);
}

/// Opens the chip and finds the line; on failure closes what it opened and fills `failure`.
static int open_line(const struct kestrel_gpiod_v1 *calls, const char *chip_path, unsigned int offset, struct gpiod_chip **chip, struct gpiod_line **line,
                     kestrel_gpio_open_failure *failure) {
    *chip = calls->chip_open(chip_path);
    if (*chip == NULL) {
        int error_number = errno;
        fail(failure, kestrel_chip_open_step(chip_path, error_number), error_number, "gpiod_chip_open");
        return -1;
    }
    *line = calls->chip_get_line(*chip, offset);
    if (*line == NULL) {
        int error_number = errno;
        kestrel_gpio_step step = KESTREL_GPIO_STEP_LINE;
        if (error_number == EINVAL) {
            // EINVAL is an offset past the chip's last line, or, for an offset the chip has (its line count comes
            // from the chip-info ioctl both ABIs share), a kernel that refuses the v1 line-info ioctl.
            step = offset < calls->chip_num_lines(*chip) ? KESTREL_GPIO_STEP_NO_V1_ABI : KESTREL_GPIO_STEP_NO_SUCH_LINE;
        }
        calls->chip_close(*chip);
        fail(failure, step, error_number, "gpiod_chip_get_line");
        return -1;
    }
    return 0;
}

static kestrel_gpio_line *wrap(const struct kestrel_gpiod_v1 *calls, struct gpiod_chip *chip, struct gpiod_line *line, int event_fd,
                               kestrel_gpio_open_failure *failure) {
    kestrel_gpio_line *result = malloc(sizeof *result);
    if (result == NULL) {
        calls->line_release(line);
        calls->chip_close(chip);
        return fail(failure, KESTREL_GPIO_STEP_REQUEST, ENOMEM, "malloc");
    }
    result->api = 1;
    result->event_fd = event_fd;
    result->v1.calls = calls;
    result->v1.chip = chip;
    result->v1.line = line;
    failure->step = KESTREL_GPIO_STEP_NONE;
    return result;
}

kestrel_gpio_line *kestrel_gpio_v1_open_input(const struct kestrel_gpiod_v1 *calls, const char *chip_path, unsigned int offset, const char *consumer,
                                           bool active_low, kestrel_gpio_bias bias,
                                           kestrel_gpio_open_failure *failure) {
    struct gpiod_chip *chip;
    struct gpiod_line *line;
    if (open_line(calls, chip_path, offset, &chip, &line, failure) != 0) return NULL;
    int flags = active_low ? KESTREL_GPIOD_V1_FLAG_ACTIVE_LOW : 0;
    switch (bias) {
    case KESTREL_GPIO_BIAS_AS_IS: break;
    case KESTREL_GPIO_BIAS_DISABLED: flags |= KESTREL_GPIOD_V1_FLAG_BIAS_DISABLE; break;
    case KESTREL_GPIO_BIAS_PULL_UP: flags |= KESTREL_GPIOD_V1_FLAG_BIAS_PULL_UP; break;
    case KESTREL_GPIO_BIAS_PULL_DOWN: flags |= KESTREL_GPIOD_V1_FLAG_BIAS_PULL_DOWN; break;
    }
    struct kestrel_gpiod_v1_request_config config = {
        .consumer = consumer, .request_type = KESTREL_GPIOD_V1_REQUEST_EVENT_BOTH_EDGES, .flags = flags};
    if (calls->line_request(line, &config, 0) != 0) {
        int error_number = errno;
        calls->chip_close(chip);
        return fail(failure, KESTREL_GPIO_STEP_REQUEST, error_number, "gpiod_line_request");
    }
    // The kernel stamps v1 events with CLOCK_MONOTONIC (since Linux 5.7), like the v2 request below asks for.
    int fd = calls->line_event_get_fd(line);
    int fd_flags = fd < 0 ? -1 : fcntl(fd, F_GETFL);
    if (fd_flags < 0 || fcntl(fd, F_SETFL, fd_flags | O_NONBLOCK) != 0) {
        int error_number = errno;
        calls->line_release(line);
        calls->chip_close(chip);
        return fail(failure, KESTREL_GPIO_STEP_NONBLOCK, error_number, "fcntl(O_NONBLOCK)");
    }
    return wrap(calls, chip, line, fd, failure);
}

kestrel_gpio_line *kestrel_gpio_v1_open_output(const struct kestrel_gpiod_v1 *calls, const char *chip_path, unsigned int offset, const char *consumer,
                                            bool active_low, bool initial_active,
                                            kestrel_gpio_open_failure *failure) {
    struct gpiod_chip *chip;
    struct gpiod_line *line;
    if (open_line(calls, chip_path, offset, &chip, &line, failure) != 0) return NULL;
    struct kestrel_gpiod_v1_request_config config = {
        .consumer = consumer,
        .request_type = KESTREL_GPIOD_V1_REQUEST_DIRECTION_OUTPUT,
        .flags = active_low ? KESTREL_GPIOD_V1_FLAG_ACTIVE_LOW : 0};
    // The default value is logical (the kernel applies active-low), and is driven from the request on.
    if (calls->line_request(line, &config, initial_active ? 1 : 0) != 0) {
        int error_number = errno;
        calls->chip_close(chip);
        return fail(failure, KESTREL_GPIO_STEP_REQUEST, error_number, "gpiod_line_request");
    }
    return wrap(calls, chip, line, -1, failure);
}

int kestrel_gpio_v1_get_value(kestrel_gpio_line *line, bool *active) {
    int value = line->v1.calls->line_get_value(line->v1.line);
    if (value < 0) return errno;
    *active = value == 1;
    return 0;
}

int kestrel_gpio_v1_set_value(kestrel_gpio_line *line, bool active) {
    return line->v1.calls->line_set_value(line->v1.line, active ? 1 : 0) == 0 ? 0 : errno;
}

int kestrel_gpio_v1_read_edge(kestrel_gpio_line *line, kestrel_gpio_edge *edge) {
    struct kestrel_gpiod_v1_line_event event;
    if (line->v1.calls->line_event_read_fd(line->event_fd, &event) != 0) {
        // EWOULDBLOCK is EAGAIN on Linux; callers test EAGAIN only.
        return errno == EWOULDBLOCK ? EAGAIN : errno;
    }
    edge->timestamp_ns = (uint64_t)event.ts.tv_sec * 1000000000u + (uint64_t)event.ts.tv_nsec;
    edge->rising = event.event_type == KESTREL_GPIOD_V1_EVENT_RISING_EDGE;
    return 0;
}

void kestrel_gpio_v1_release(kestrel_gpio_line *line) {
    line->v1.calls->line_release(line->v1.line);
    line->v1.calls->chip_close(line->v1.chip);
    free(line);
}
