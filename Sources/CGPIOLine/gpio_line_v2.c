// kestrel_gpio_line.h on libgpiod 2.x (v2 API): line settings + gpiod_chip_request_lines, edge events read in
// batches into an edge-event buffer allocated once at open.
#include "chip_open_failure.h"
#include "gpio_line_impl.h"

#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>

/// Events taken from the kernel per read(2); the kernel queues 16 per line by default, so more would not help.
enum { EDGE_BUFFER_CAPACITY = 16 };

static kestrel_gpio_line *fail(kestrel_gpio_open_failure *failure, kestrel_gpio_step step, int error_number,
                               const char *call) {
    return kestrel_gpio_fail(failure, step, error_number, call);
}

/// Opens the chip, checks the offset exists and requests the line with `settings` (freed here in every case).
/// The chip is closed again before returning: a v2 request lives on without it.
static struct gpiod_line_request *request_line(const struct kestrel_gpiod_v2 *calls, const char *chip_path, unsigned int offset, const char *consumer,
                                               struct gpiod_line_settings *settings,
                                               kestrel_gpio_open_failure *failure) {
    struct gpiod_line_request *request = NULL;
    struct gpiod_line_config *line_config = NULL;
    struct gpiod_request_config *request_config = NULL;
    struct gpiod_chip *chip = calls->chip_open(chip_path);
    if (chip == NULL) {
        int error_number = errno;
        fail(failure, kestrel_chip_open_step(chip_path, error_number), error_number, "gpiod_chip_open");
        goto done;
    }
    struct gpiod_chip_info *info = calls->chip_get_info(chip);
    if (info == NULL) {
        fail(failure, KESTREL_GPIO_STEP_LINE, errno, "gpiod_chip_get_info");
        goto done;
    }
    size_t line_count = calls->chip_info_get_num_lines(info);
    calls->chip_info_free(info);
    // Checked here so that a wrong offset is named as such (the request would only say EINVAL), as in v1.
    if (offset >= line_count) {
        fail(failure, KESTREL_GPIO_STEP_NO_SUCH_LINE, EINVAL, "gpiod_chip_get_info");
        goto done;
    }
    line_config = calls->line_config_new();
    request_config = calls->request_config_new();
    if (line_config == NULL || request_config == NULL) {
        fail(failure, KESTREL_GPIO_STEP_REQUEST, ENOMEM, "gpiod_line_config_new");
        goto done;
    }
    if (calls->line_config_add_line_settings(line_config, &offset, 1, settings) != 0) {
        fail(failure, KESTREL_GPIO_STEP_REQUEST, errno, "gpiod_line_config_add_line_settings");
        goto done;
    }
    calls->request_config_set_consumer(request_config, consumer);
    request = calls->chip_request_lines(chip, request_config, line_config);
    if (request == NULL) fail(failure, KESTREL_GPIO_STEP_REQUEST, errno, "gpiod_chip_request_lines");
done:
    // Guarded: not every 2.x release documents its _free functions as accepting NULL.
    if (request_config != NULL) calls->request_config_free(request_config);
    if (line_config != NULL) calls->line_config_free(line_config);
    if (settings != NULL) calls->line_settings_free(settings);
    if (chip != NULL) calls->chip_close(chip);
    return request;
}

/// Line settings for one direction and polarity; NULL when the library cannot allocate them.
static struct gpiod_line_settings *new_settings(const struct kestrel_gpiod_v2 *calls, int direction, bool active_low) {
    struct gpiod_line_settings *settings = calls->line_settings_new();
    if (settings == NULL) return NULL;
    if (calls->line_settings_set_direction(settings, direction) != 0) {
        calls->line_settings_free(settings);
        return NULL;
    }
    calls->line_settings_set_active_low(settings, active_low);
    return settings;
}

static kestrel_gpio_line *wrap(const struct kestrel_gpiod_v2 *calls, struct gpiod_line_request *request, unsigned int offset,
                               struct gpiod_edge_event_buffer *events, int event_fd,
                               kestrel_gpio_open_failure *failure) {
    kestrel_gpio_line *result = malloc(sizeof *result);
    if (result == NULL) {
        if (events != NULL) calls->edge_event_buffer_free(events);
        calls->line_request_release(request);
        return fail(failure, KESTREL_GPIO_STEP_REQUEST, ENOMEM, "malloc");
    }
    result->api = 2;
    result->event_fd = event_fd;
    result->v2.calls = calls;
    result->v2.request = request;
    result->v2.offset = offset;
    result->v2.events = events;
    result->v2.buffered = 0;
    result->v2.consumed = 0;
    failure->step = KESTREL_GPIO_STEP_NONE;
    return result;
}

kestrel_gpio_line *kestrel_gpio_v2_open_input(const struct kestrel_gpiod_v2 *calls, const char *chip_path, unsigned int offset, const char *consumer,
                                           bool active_low, kestrel_gpio_bias bias,
                                           kestrel_gpio_open_failure *failure) {
    int line_bias = KESTREL_GPIOD_V2_BIAS_AS_IS;
    switch (bias) {
    case KESTREL_GPIO_BIAS_AS_IS: break;
    case KESTREL_GPIO_BIAS_DISABLED: line_bias = KESTREL_GPIOD_V2_BIAS_DISABLED; break;
    case KESTREL_GPIO_BIAS_PULL_UP: line_bias = KESTREL_GPIOD_V2_BIAS_PULL_UP; break;
    case KESTREL_GPIO_BIAS_PULL_DOWN: line_bias = KESTREL_GPIOD_V2_BIAS_PULL_DOWN; break;
    }
    struct gpiod_line_settings *settings = new_settings(calls, KESTREL_GPIOD_V2_DIRECTION_INPUT, active_low);
    if (settings == NULL) return fail(failure, KESTREL_GPIO_STEP_REQUEST, ENOMEM, "gpiod_line_settings_new");
    if (calls->line_settings_set_edge_detection(settings, KESTREL_GPIOD_V2_EDGE_BOTH) != 0
        || calls->line_settings_set_bias(settings, line_bias) != 0
        // v2 can stamp edges on the REALTIME or HTE clocks too; MONOTONIC matches v1 and the daemon's clock.
        || calls->line_settings_set_event_clock(settings, KESTREL_GPIOD_V2_CLOCK_MONOTONIC) != 0) {
        int error_number = errno;
        calls->line_settings_free(settings);
        return fail(failure, KESTREL_GPIO_STEP_REQUEST, error_number, "gpiod_line_settings_set");
    }
    // Allocated before the request so that a failure here leaves no line held.
    struct gpiod_edge_event_buffer *events = calls->edge_event_buffer_new(EDGE_BUFFER_CAPACITY);
    if (events == NULL) {
        calls->line_settings_free(settings);
        return fail(failure, KESTREL_GPIO_STEP_REQUEST, ENOMEM, "gpiod_edge_event_buffer_new");
    }
    struct gpiod_line_request *request = request_line(calls, chip_path, offset, consumer, settings, failure);
    if (request == NULL) {
        calls->edge_event_buffer_free(events);
        return NULL;
    }
    int fd = calls->line_request_get_fd(request);
    int fd_flags = fcntl(fd, F_GETFL);
    if (fd_flags < 0 || fcntl(fd, F_SETFL, fd_flags | O_NONBLOCK) != 0) {
        int error_number = errno;
        calls->edge_event_buffer_free(events);
        calls->line_request_release(request);
        return fail(failure, KESTREL_GPIO_STEP_NONBLOCK, error_number, "fcntl(O_NONBLOCK)");
    }
    return wrap(calls, request, offset, events, fd, failure);
}

kestrel_gpio_line *kestrel_gpio_v2_open_output(const struct kestrel_gpiod_v2 *calls, const char *chip_path, unsigned int offset, const char *consumer,
                                            bool active_low, bool initial_active,
                                            kestrel_gpio_open_failure *failure) {
    struct gpiod_line_settings *settings = new_settings(calls, KESTREL_GPIOD_V2_DIRECTION_OUTPUT, active_low);
    if (settings == NULL) return fail(failure, KESTREL_GPIO_STEP_REQUEST, ENOMEM, "gpiod_line_settings_new");
    // The output value is logical (active-low applied) and is driven from the request on.
    int initial = initial_active ? KESTREL_GPIOD_V2_VALUE_ACTIVE : KESTREL_GPIOD_V2_VALUE_INACTIVE;
    if (calls->line_settings_set_output_value(settings, initial) != 0) {
        int error_number = errno;
        calls->line_settings_free(settings);
        return fail(failure, KESTREL_GPIO_STEP_REQUEST, error_number, "gpiod_line_settings_set_output_value");
    }
    struct gpiod_line_request *request = request_line(calls, chip_path, offset, consumer, settings, failure);
    if (request == NULL) return NULL;
    return wrap(calls, request, offset, NULL, -1, failure);
}

int kestrel_gpio_v2_get_value(kestrel_gpio_line *line, bool *active) {
    int value = line->v2.calls->line_request_get_value(line->v2.request, line->v2.offset);
    if (value == KESTREL_GPIOD_V2_VALUE_ERROR) return errno;
    *active = value == KESTREL_GPIOD_V2_VALUE_ACTIVE;
    return 0;
}

int kestrel_gpio_v2_set_value(kestrel_gpio_line *line, bool active) {
    int value = active ? KESTREL_GPIOD_V2_VALUE_ACTIVE : KESTREL_GPIOD_V2_VALUE_INACTIVE;
    return line->v2.calls->line_request_set_value(line->v2.request, line->v2.offset, value) == 0 ? 0 : errno;
}

int kestrel_gpio_v2_read_edge(kestrel_gpio_line *line, kestrel_gpio_edge *edge) {
    const struct kestrel_gpiod_v2 *calls = line->v2.calls;
    if (line->v2.events == NULL) return EBADF;
    if (line->v2.consumed == line->v2.buffered) {
        // The descriptor is non-blocking, so this returns -1/EAGAIN instead of waiting when nothing is queued.
        int count = calls->line_request_read_edge_events(line->v2.request, line->v2.events, EDGE_BUFFER_CAPACITY);
        if (count < 0) return errno == EWOULDBLOCK ? EAGAIN : errno;
        if (count == 0) return EAGAIN;
        line->v2.buffered = (size_t)count;
        line->v2.consumed = 0;
    }
    struct gpiod_edge_event *event = calls->edge_event_buffer_get_event(line->v2.events, line->v2.consumed);
    line->v2.consumed += 1;
    edge->timestamp_ns = calls->edge_event_get_timestamp_ns(event);
    edge->rising = calls->edge_event_get_event_type(event) == KESTREL_GPIOD_V2_EVENT_RISING_EDGE;
    return 0;
}

void kestrel_gpio_v2_release(kestrel_gpio_line *line) {
    line->v2.calls->line_request_release(line->v2.request);
    if (line->v2.events != NULL) line->v2.calls->edge_event_buffer_free(line->v2.events);
    free(line);
}
