// kestrel_gpio_line.h: each call goes to the implementation of the libgpiod API that was loaded.
#include "gpio_line_impl.h"

#include <errno.h>

static kestrel_gpio_line *no_library(kestrel_gpio_open_failure *failure) {
    return kestrel_gpio_fail(failure, KESTREL_GPIO_STEP_NO_LIBRARY, ENOENT, "dlopen(libgpiod)");
}

kestrel_gpio_line *kestrel_gpio_open_input(const char *chip_path, unsigned int offset, const char *consumer,
                                           bool active_low, kestrel_gpio_bias bias,
                                           kestrel_gpio_open_failure *failure) {
    const struct kestrel_gpiod_library *library = kestrel_gpiod_library();
    switch (library->api_major) {
    case 1: return kestrel_gpio_v1_open_input(&library->v1, chip_path, offset, consumer, active_low, bias, failure);
    case 2: return kestrel_gpio_v2_open_input(&library->v2, chip_path, offset, consumer, active_low, bias, failure);
    default: return no_library(failure);
    }
}

kestrel_gpio_line *kestrel_gpio_open_output(const char *chip_path, unsigned int offset, const char *consumer,
                                            bool active_low, bool initial_active,
                                            kestrel_gpio_open_failure *failure) {
    const struct kestrel_gpiod_library *library = kestrel_gpiod_library();
    switch (library->api_major) {
    case 1:
        return kestrel_gpio_v1_open_output(&library->v1, chip_path, offset, consumer, active_low, initial_active,
                                           failure);
    case 2:
        return kestrel_gpio_v2_open_output(&library->v2, chip_path, offset, consumer, active_low, initial_active,
                                           failure);
    default: return no_library(failure);
    }
}

int kestrel_gpio_line_get_value(kestrel_gpio_line *line, bool *active) {
    return line->api == 1 ? kestrel_gpio_v1_get_value(line, active) : kestrel_gpio_v2_get_value(line, active);
}

int kestrel_gpio_line_set_value(kestrel_gpio_line *line, bool active) {
    return line->api == 1 ? kestrel_gpio_v1_set_value(line, active) : kestrel_gpio_v2_set_value(line, active);
}

int kestrel_gpio_line_read_edge(kestrel_gpio_line *line, kestrel_gpio_edge *edge) {
    if (line->event_fd < 0) return EBADF;
    return line->api == 1 ? kestrel_gpio_v1_read_edge(line, edge) : kestrel_gpio_v2_read_edge(line, edge);
}

int kestrel_gpio_line_event_fd(const kestrel_gpio_line *line) { return line->event_fd; }

void kestrel_gpio_line_release(kestrel_gpio_line *line) {
    if (line == NULL) return;
    if (line->api == 1) kestrel_gpio_v1_release(line); else kestrel_gpio_v2_release(line);
}

int kestrel_gpio_api_major(void) { return kestrel_gpiod_library()->api_major; }

const char *kestrel_gpio_library_version(void) {
    const struct kestrel_gpiod_library *library = kestrel_gpiod_library();
    switch (library->api_major) {
    case 1: return library->v1.version_string();
    case 2: return library->v2.api_version();
    default: return "none";
    }
}

const char *kestrel_gpio_library_name(void) {
    const char *name = kestrel_gpiod_library()->name;
    return name != NULL ? name : "none";
}

const char *kestrel_gpio_library_error(void) { return kestrel_gpiod_library()->error; }

const char *kestrel_gpio_get_value_call(void) {
    return kestrel_gpio_api_major() == 1 ? "gpiod_line_get_value" : "gpiod_line_request_get_value";
}
const char *kestrel_gpio_set_value_call(void) {
    return kestrel_gpio_api_major() == 1 ? "gpiod_line_set_value" : "gpiod_line_request_set_value";
}
const char *kestrel_gpio_read_edge_call(void) {
    return kestrel_gpio_api_major() == 1 ? "gpiod_line_event_read" : "gpiod_line_request_read_edge_events";
}
