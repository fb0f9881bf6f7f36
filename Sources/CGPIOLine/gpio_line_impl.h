// The line object and the two implementations of kestrel_gpio_line.h behind the dispatch in gpio_line.c: one per
// libgpiod API, each calling the library through the table gpiod_library.c loaded.
#ifndef KESTREL_GPIO_LINE_IMPL_H
#define KESTREL_GPIO_LINE_IMPL_H

#include "gpiod_library.h"
#include "kestrel_gpio_line.h"

#include <stddef.h>

struct kestrel_gpio_line {
    /// The API of the library that opened the line: 1 or 2.
    int api;
    /// -1 for an output line.
    int event_fd;
    union {
        struct {
            const struct kestrel_gpiod_v1 *calls;
            struct gpiod_chip *chip;
            struct gpiod_line *line;
        } v1;
        struct {
            const struct kestrel_gpiod_v2 *calls;
            struct gpiod_line_request *request;
            unsigned int offset;
            /// NULL for an output line.
            struct gpiod_edge_event_buffer *events;
            /// Events read into `events` and how many of them were handed out.
            size_t buffered;
            size_t consumed;
        } v2;
    };
};

static inline kestrel_gpio_line *kestrel_gpio_fail(kestrel_gpio_open_failure *failure, kestrel_gpio_step step,
                                                   int error_number, const char *call) {
    failure->step = step;
    failure->error_number = error_number;
    failure->call = call;
    return NULL;
}

kestrel_gpio_line *kestrel_gpio_v1_open_input(const struct kestrel_gpiod_v1 *calls, const char *chip_path,
                                              unsigned int offset, const char *consumer, bool active_low,
                                              kestrel_gpio_bias bias, kestrel_gpio_open_failure *failure);
kestrel_gpio_line *kestrel_gpio_v1_open_output(const struct kestrel_gpiod_v1 *calls, const char *chip_path,
                                               unsigned int offset, const char *consumer, bool active_low,
                                               bool initial_active, kestrel_gpio_open_failure *failure);
int kestrel_gpio_v1_get_value(kestrel_gpio_line *line, bool *active);
int kestrel_gpio_v1_set_value(kestrel_gpio_line *line, bool active);
int kestrel_gpio_v1_read_edge(kestrel_gpio_line *line, kestrel_gpio_edge *edge);
void kestrel_gpio_v1_release(kestrel_gpio_line *line);

kestrel_gpio_line *kestrel_gpio_v2_open_input(const struct kestrel_gpiod_v2 *calls, const char *chip_path,
                                              unsigned int offset, const char *consumer, bool active_low,
                                              kestrel_gpio_bias bias, kestrel_gpio_open_failure *failure);
kestrel_gpio_line *kestrel_gpio_v2_open_output(const struct kestrel_gpiod_v2 *calls, const char *chip_path,
                                               unsigned int offset, const char *consumer, bool active_low,
                                               bool initial_active, kestrel_gpio_open_failure *failure);
int kestrel_gpio_v2_get_value(kestrel_gpio_line *line, bool *active);
int kestrel_gpio_v2_set_value(kestrel_gpio_line *line, bool active);
int kestrel_gpio_v2_read_edge(kestrel_gpio_line *line, kestrel_gpio_edge *edge);
void kestrel_gpio_v2_release(kestrel_gpio_line *line);

#endif
