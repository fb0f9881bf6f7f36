// kestrel_gpio_line.h on libgpiod 2.x (v2 API): line settings + gpiod_chip_request_lines, edge events read in
// batches into an edge-event buffer allocated once at open.
#include "gpiod_api.h"
#if KESTREL_GPIOD_API == 2

#include "chip_open_failure.h"
#include "kestrel_gpio_line.h"

#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>

/// Events taken from the kernel per read(2); the kernel queues 16 per line by default, so more would not help.
enum { EDGE_BUFFER_CAPACITY = 16 };

struct kestrel_gpio_line {
    struct gpiod_line_request *request;
    unsigned int offset;
    /// NULL for an output line.
    struct gpiod_edge_event_buffer *events;
    /// Events read into `events` and how many of them were handed out.
    size_t buffered;
    size_t consumed;
    /// -1 for an output line.
    int event_fd;
};

static kestrel_gpio_line *fail(kestrel_gpio_open_failure *failure, kestrel_gpio_step step, int error_number,
                               const char *call) {
    failure->step = step;
    failure->error_number = error_number;
    failure->call = call;
    return NULL;
}

/// Opens the chip, checks the offset exists and requests the line with `settings` (freed here in every case).
/// The chip is closed again before returning: a v2 request lives on without it.
static struct gpiod_line_request *request_line(const char *chip_path, unsigned int offset, const char *consumer,
                                               struct gpiod_line_settings *settings,
                                               kestrel_gpio_open_failure *failure) {
    struct gpiod_line_request *request = NULL;
    struct gpiod_line_config *line_config = NULL;
    struct gpiod_request_config *request_config = NULL;
    struct gpiod_chip *chip = gpiod_chip_open(chip_path);
    if (chip == NULL) {
        int error_number = errno;
        fail(failure, kestrel_chip_open_step(chip_path, error_number), error_number, "gpiod_chip_open");
        goto done;
    }
    struct gpiod_chip_info *info = gpiod_chip_get_info(chip);
    if (info == NULL) {
        fail(failure, KESTREL_GPIO_STEP_LINE, errno, "gpiod_chip_get_info");
        goto done;
    }
    size_t line_count = gpiod_chip_info_get_num_lines(info);
    gpiod_chip_info_free(info);
    // Checked here so that a wrong offset is named as such (the request would only say EINVAL), as in v1.
    if (offset >= line_count) {
        fail(failure, KESTREL_GPIO_STEP_NO_SUCH_LINE, EINVAL, "gpiod_chip_get_info");
        goto done;
    }
    line_config = gpiod_line_config_new();
    request_config = gpiod_request_config_new();
    if (line_config == NULL || request_config == NULL) {
        fail(failure, KESTREL_GPIO_STEP_REQUEST, ENOMEM, "gpiod_line_config_new");
        goto done;
    }
    if (gpiod_line_config_add_line_settings(line_config, &offset, 1, settings) != 0) {
        fail(failure, KESTREL_GPIO_STEP_REQUEST, errno, "gpiod_line_config_add_line_settings");
        goto done;
    }
    gpiod_request_config_set_consumer(request_config, consumer);
    request = gpiod_chip_request_lines(chip, request_config, line_config);
    if (request == NULL) fail(failure, KESTREL_GPIO_STEP_REQUEST, errno, "gpiod_chip_request_lines");
done:
    // Guarded: not every 2.x release documents its _free functions as accepting NULL.
    if (request_config != NULL) gpiod_request_config_free(request_config);
    if (line_config != NULL) gpiod_line_config_free(line_config);
    if (settings != NULL) gpiod_line_settings_free(settings);
    if (chip != NULL) gpiod_chip_close(chip);
    return request;
}

/// Line settings for one direction and polarity; NULL when the library cannot allocate them.
static struct gpiod_line_settings *new_settings(enum gpiod_line_direction direction, bool active_low) {
    struct gpiod_line_settings *settings = gpiod_line_settings_new();
    if (settings == NULL) return NULL;
    if (gpiod_line_settings_set_direction(settings, direction) != 0) {
        gpiod_line_settings_free(settings);
        return NULL;
    }
    gpiod_line_settings_set_active_low(settings, active_low);
    return settings;
}

static kestrel_gpio_line *wrap(struct gpiod_line_request *request, unsigned int offset,
                               struct gpiod_edge_event_buffer *events, int event_fd,
                               kestrel_gpio_open_failure *failure) {
    kestrel_gpio_line *result = malloc(sizeof *result);
    if (result == NULL) {
        if (events != NULL) gpiod_edge_event_buffer_free(events);
        gpiod_line_request_release(request);
        return fail(failure, KESTREL_GPIO_STEP_REQUEST, ENOMEM, "malloc");
    }
    result->request = request;
    result->offset = offset;
    result->events = events;
    result->buffered = 0;
    result->consumed = 0;
    result->event_fd = event_fd;
    failure->step = KESTREL_GPIO_STEP_NONE;
    return result;
}

kestrel_gpio_line *kestrel_gpio_open_input(const char *chip_path, unsigned int offset, const char *consumer,
                                           bool active_low, kestrel_gpio_bias bias,
                                           kestrel_gpio_open_failure *failure) {
    enum gpiod_line_bias line_bias = GPIOD_LINE_BIAS_AS_IS;
    switch (bias) {
    case KESTREL_GPIO_BIAS_AS_IS: break;
    case KESTREL_GPIO_BIAS_DISABLED: line_bias = GPIOD_LINE_BIAS_DISABLED; break;
    case KESTREL_GPIO_BIAS_PULL_UP: line_bias = GPIOD_LINE_BIAS_PULL_UP; break;
    case KESTREL_GPIO_BIAS_PULL_DOWN: line_bias = GPIOD_LINE_BIAS_PULL_DOWN; break;
    }
    struct gpiod_line_settings *settings = new_settings(GPIOD_LINE_DIRECTION_INPUT, active_low);
    if (settings == NULL) return fail(failure, KESTREL_GPIO_STEP_REQUEST, ENOMEM, "gpiod_line_settings_new");
    if (gpiod_line_settings_set_edge_detection(settings, GPIOD_LINE_EDGE_BOTH) != 0
        || gpiod_line_settings_set_bias(settings, line_bias) != 0
        // v2 can stamp edges on the REALTIME or HTE clocks too; MONOTONIC matches v1 and the daemon's clock.
        || gpiod_line_settings_set_event_clock(settings, GPIOD_LINE_CLOCK_MONOTONIC) != 0) {
        int error_number = errno;
        gpiod_line_settings_free(settings);
        return fail(failure, KESTREL_GPIO_STEP_REQUEST, error_number, "gpiod_line_settings_set");
    }
    // Allocated before the request so that a failure here leaves no line held.
    struct gpiod_edge_event_buffer *events = gpiod_edge_event_buffer_new(EDGE_BUFFER_CAPACITY);
    if (events == NULL) {
        gpiod_line_settings_free(settings);
        return fail(failure, KESTREL_GPIO_STEP_REQUEST, ENOMEM, "gpiod_edge_event_buffer_new");
    }
    struct gpiod_line_request *request = request_line(chip_path, offset, consumer, settings, failure);
    if (request == NULL) {
        gpiod_edge_event_buffer_free(events);
        return NULL;
    }
    int fd = gpiod_line_request_get_fd(request);
    int fd_flags = fcntl(fd, F_GETFL);
    if (fd_flags < 0 || fcntl(fd, F_SETFL, fd_flags | O_NONBLOCK) != 0) {
        int error_number = errno;
        gpiod_edge_event_buffer_free(events);
        gpiod_line_request_release(request);
        return fail(failure, KESTREL_GPIO_STEP_NONBLOCK, error_number, "fcntl(O_NONBLOCK)");
    }
    return wrap(request, offset, events, fd, failure);
}

kestrel_gpio_line *kestrel_gpio_open_output(const char *chip_path, unsigned int offset, const char *consumer,
                                            bool active_low, bool initial_active,
                                            kestrel_gpio_open_failure *failure) {
    struct gpiod_line_settings *settings = new_settings(GPIOD_LINE_DIRECTION_OUTPUT, active_low);
    if (settings == NULL) return fail(failure, KESTREL_GPIO_STEP_REQUEST, ENOMEM, "gpiod_line_settings_new");
    // The output value is logical (active-low applied) and is driven from the request on.
    enum gpiod_line_value initial = initial_active ? GPIOD_LINE_VALUE_ACTIVE : GPIOD_LINE_VALUE_INACTIVE;
    if (gpiod_line_settings_set_output_value(settings, initial) != 0) {
        int error_number = errno;
        gpiod_line_settings_free(settings);
        return fail(failure, KESTREL_GPIO_STEP_REQUEST, error_number, "gpiod_line_settings_set_output_value");
    }
    struct gpiod_line_request *request = request_line(chip_path, offset, consumer, settings, failure);
    if (request == NULL) return NULL;
    return wrap(request, offset, NULL, -1, failure);
}

int kestrel_gpio_line_get_value(kestrel_gpio_line *line, bool *active) {
    enum gpiod_line_value value = gpiod_line_request_get_value(line->request, line->offset);
    if (value == GPIOD_LINE_VALUE_ERROR) return errno;
    *active = value == GPIOD_LINE_VALUE_ACTIVE;
    return 0;
}

int kestrel_gpio_line_set_value(kestrel_gpio_line *line, bool active) {
    enum gpiod_line_value value = active ? GPIOD_LINE_VALUE_ACTIVE : GPIOD_LINE_VALUE_INACTIVE;
    return gpiod_line_request_set_value(line->request, line->offset, value) == 0 ? 0 : errno;
}

int kestrel_gpio_line_read_edge(kestrel_gpio_line *line, kestrel_gpio_edge *edge) {
    if (line->events == NULL) return EBADF;
    if (line->consumed == line->buffered) {
        // The descriptor is non-blocking, so this returns -1/EAGAIN instead of waiting when nothing is queued.
        int count = gpiod_line_request_read_edge_events(line->request, line->events, EDGE_BUFFER_CAPACITY);
        if (count < 0) return errno == EWOULDBLOCK ? EAGAIN : errno;
        if (count == 0) return EAGAIN;
        line->buffered = (size_t)count;
        line->consumed = 0;
    }
    struct gpiod_edge_event *event = gpiod_edge_event_buffer_get_event(line->events, line->consumed);
    line->consumed += 1;
    edge->timestamp_ns = gpiod_edge_event_get_timestamp_ns(event);
    edge->rising = gpiod_edge_event_get_event_type(event) == GPIOD_EDGE_EVENT_RISING_EDGE;
    return 0;
}

int kestrel_gpio_line_event_fd(const kestrel_gpio_line *line) { return line->event_fd; }

void kestrel_gpio_line_release(kestrel_gpio_line *line) {
    if (line == NULL) return;
    gpiod_line_request_release(line->request);
    if (line->events != NULL) gpiod_edge_event_buffer_free(line->events);
    free(line);
}

int kestrel_gpio_api_major(void) { return 2; }
const char *kestrel_gpio_library_version(void) { return gpiod_api_version(); }
const char *kestrel_gpio_get_value_call(void) { return "gpiod_line_request_get_value"; }
const char *kestrel_gpio_set_value_call(void) { return "gpiod_line_request_set_value"; }
const char *kestrel_gpio_read_edge_call(void) { return "gpiod_line_request_read_edge_events"; }

#endif
