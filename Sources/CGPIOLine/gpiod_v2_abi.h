// The part of libgpiod 2.x's ABI (`libgpiod.so.3`: Debian 13, Raspberry Pi OS trixie) that Kestrel calls, declared
// here because the library is loaded at run time (see gpiod_library.c). Every object is opaque in 2.x; enums are
// passed as int (each is an int-sized enum). Constants and every function type are checked against the real 2.x
// header by CGPIODABICheck, built by Tools/check-gpiod2 against Debian 13's libgpiod-dev.
#ifndef KESTREL_GPIOD_V2_ABI_H
#define KESTREL_GPIOD_V2_ABI_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

struct gpiod_chip;
struct gpiod_chip_info;
struct gpiod_line_settings;
struct gpiod_line_config;
struct gpiod_request_config;
struct gpiod_line_request;
struct gpiod_edge_event;
struct gpiod_edge_event_buffer;

enum {
    KESTREL_GPIOD_V2_VALUE_ERROR = -1,
    KESTREL_GPIOD_V2_VALUE_INACTIVE = 0,
    KESTREL_GPIOD_V2_VALUE_ACTIVE = 1,
    KESTREL_GPIOD_V2_DIRECTION_INPUT = 2,
    KESTREL_GPIOD_V2_DIRECTION_OUTPUT = 3,
    KESTREL_GPIOD_V2_EDGE_BOTH = 4,
    KESTREL_GPIOD_V2_BIAS_AS_IS = 1,
    KESTREL_GPIOD_V2_BIAS_DISABLED = 3,
    KESTREL_GPIOD_V2_BIAS_PULL_UP = 4,
    KESTREL_GPIOD_V2_BIAS_PULL_DOWN = 5,
    KESTREL_GPIOD_V2_CLOCK_MONOTONIC = 1,
    KESTREL_GPIOD_V2_EVENT_RISING_EDGE = 1,
};

#ifdef KESTREL_GPIOD_ABI_CHECK
#define KESTREL_V2_ENUM(name) enum gpiod_##name
#else
#define KESTREL_V2_ENUM(name) int
#endif

/// The calls, looked up by name in the loaded library.
struct kestrel_gpiod_v2 {
    struct gpiod_chip *(*chip_open)(const char *path);
    void (*chip_close)(struct gpiod_chip *chip);
    struct gpiod_chip_info *(*chip_get_info)(struct gpiod_chip *chip);
    size_t (*chip_info_get_num_lines)(struct gpiod_chip_info *info);
    void (*chip_info_free)(struct gpiod_chip_info *info);
    struct gpiod_line_settings *(*line_settings_new)(void);
    void (*line_settings_free)(struct gpiod_line_settings *settings);
    int (*line_settings_set_direction)(struct gpiod_line_settings *settings, KESTREL_V2_ENUM(line_direction) direction);
    void (*line_settings_set_active_low)(struct gpiod_line_settings *settings, bool active_low);
    int (*line_settings_set_edge_detection)(struct gpiod_line_settings *settings, KESTREL_V2_ENUM(line_edge) edge);
    int (*line_settings_set_bias)(struct gpiod_line_settings *settings, KESTREL_V2_ENUM(line_bias) bias);
    int (*line_settings_set_event_clock)(struct gpiod_line_settings *settings, KESTREL_V2_ENUM(line_clock) clock);
    int (*line_settings_set_output_value)(struct gpiod_line_settings *settings, KESTREL_V2_ENUM(line_value) value);
    struct gpiod_line_config *(*line_config_new)(void);
    void (*line_config_free)(struct gpiod_line_config *config);
    int (*line_config_add_line_settings)(struct gpiod_line_config *config, const unsigned int *offsets,
                                         size_t num_offsets, struct gpiod_line_settings *settings);
    struct gpiod_request_config *(*request_config_new)(void);
    void (*request_config_free)(struct gpiod_request_config *config);
    void (*request_config_set_consumer)(struct gpiod_request_config *config, const char *consumer);
    struct gpiod_line_request *(*chip_request_lines)(struct gpiod_chip *chip, struct gpiod_request_config *req_cfg,
                                                     struct gpiod_line_config *line_cfg);
    void (*line_request_release)(struct gpiod_line_request *request);
    int (*line_request_get_fd)(struct gpiod_line_request *request);
    KESTREL_V2_ENUM(line_value) (*line_request_get_value)(struct gpiod_line_request *request, unsigned int offset);
    int (*line_request_set_value)(struct gpiod_line_request *request, unsigned int offset,
                                  KESTREL_V2_ENUM(line_value) value);
    int (*line_request_read_edge_events)(struct gpiod_line_request *request, struct gpiod_edge_event_buffer *buffer,
                                         size_t max_events);
    struct gpiod_edge_event_buffer *(*edge_event_buffer_new)(size_t capacity);
    void (*edge_event_buffer_free)(struct gpiod_edge_event_buffer *buffer);
    struct gpiod_edge_event *(*edge_event_buffer_get_event)(struct gpiod_edge_event_buffer *buffer,
                                                            unsigned long index);
    uint64_t (*edge_event_get_timestamp_ns)(struct gpiod_edge_event *event);
    KESTREL_V2_ENUM(edge_event_type) (*edge_event_get_event_type)(struct gpiod_edge_event *event);
    const char *(*api_version)(void);
};

/// Each field of `struct kestrel_gpiod_v2` and the library symbol it is loaded from.
#define KESTREL_GPIOD_V2_CALLS(X)                                        \
    X(chip_open, gpiod_chip_open)                                        \
    X(chip_close, gpiod_chip_close)                                      \
    X(chip_get_info, gpiod_chip_get_info)                                \
    X(chip_info_get_num_lines, gpiod_chip_info_get_num_lines)            \
    X(chip_info_free, gpiod_chip_info_free)                              \
    X(line_settings_new, gpiod_line_settings_new)                        \
    X(line_settings_free, gpiod_line_settings_free)                      \
    X(line_settings_set_direction, gpiod_line_settings_set_direction)    \
    X(line_settings_set_active_low, gpiod_line_settings_set_active_low)  \
    X(line_settings_set_edge_detection, gpiod_line_settings_set_edge_detection) \
    X(line_settings_set_bias, gpiod_line_settings_set_bias)              \
    X(line_settings_set_event_clock, gpiod_line_settings_set_event_clock) \
    X(line_settings_set_output_value, gpiod_line_settings_set_output_value) \
    X(line_config_new, gpiod_line_config_new)                            \
    X(line_config_free, gpiod_line_config_free)                          \
    X(line_config_add_line_settings, gpiod_line_config_add_line_settings) \
    X(request_config_new, gpiod_request_config_new)                      \
    X(request_config_free, gpiod_request_config_free)                    \
    X(request_config_set_consumer, gpiod_request_config_set_consumer)    \
    X(chip_request_lines, gpiod_chip_request_lines)                      \
    X(line_request_release, gpiod_line_request_release)                  \
    X(line_request_get_fd, gpiod_line_request_get_fd)                    \
    X(line_request_get_value, gpiod_line_request_get_value)              \
    X(line_request_set_value, gpiod_line_request_set_value)              \
    X(line_request_read_edge_events, gpiod_line_request_read_edge_events) \
    X(edge_event_buffer_new, gpiod_edge_event_buffer_new)                \
    X(edge_event_buffer_free, gpiod_edge_event_buffer_free)              \
    X(edge_event_buffer_get_event, gpiod_edge_event_buffer_get_event)    \
    X(edge_event_get_timestamp_ns, gpiod_edge_event_get_timestamp_ns)    \
    X(edge_event_get_event_type, gpiod_edge_event_get_event_type)        \
    X(api_version, gpiod_api_version)

#endif
