// Why 2.x first: a board with both installed has a kernel new enough for the v2 character-device ABI (Linux 5.10),
// and Debian's newest kernels drop the v1 ABI that libgpiod 1.x needs (see KESTREL_GPIO_STEP_NO_V1_ABI).
#include "gpiod_library.h"

#include <dlfcn.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static struct kestrel_gpiod_library library;
static pthread_once_t library_once = PTHREAD_ONCE_INIT;

static void append_error(const char *name, const char *reason) {
    size_t used = strlen(library.error);
    if (name != NULL) {
        snprintf(library.error + used, sizeof library.error - used, "%s%s: %s", used > 0 ? "; " : "", name, reason);
    } else {
        snprintf(library.error + used, sizeof library.error - used, "%s%s", used > 0 ? "; " : "", reason);
    }
}

/// Looks every call of one API up in `handle`; 0 when all are there, else the name of the first missing one.
static const char *resolve_v1(void *handle) {
#define KESTREL_RESOLVE(field, symbol)                                        \
    *(void **)(&library.v1.field) = dlsym(handle, #symbol);                   \
    if (library.v1.field == NULL) return #symbol;
    KESTREL_GPIOD_V1_CALLS(KESTREL_RESOLVE)
#undef KESTREL_RESOLVE
    return NULL;
}

static const char *resolve_v2(void *handle) {
#define KESTREL_RESOLVE(field, symbol)                                        \
    *(void **)(&library.v2.field) = dlsym(handle, #symbol);                   \
    if (library.v2.field == NULL) return #symbol;
    KESTREL_GPIOD_V2_CALLS(KESTREL_RESOLVE)
#undef KESTREL_RESOLVE
    return NULL;
}

/// Loads `name` if it is a complete libgpiod 1.x or 2.x; 1 when it became the library.
static int try_load(const char *name) {
    void *handle = dlopen(name, RTLD_NOW | RTLD_LOCAL);
    if (handle == NULL) {
        const char *reason = dlerror();  // names the file itself
        if (reason != NULL) append_error(NULL, reason); else append_error(name, "cannot be loaded");
        return 0;
    }
    // Only 2.x requests lines from a chip; only 1.x gets a line object from one.
    int api = dlsym(handle, "gpiod_chip_request_lines") != NULL ? 2
              : dlsym(handle, "gpiod_chip_get_line") != NULL ? 1 : 0;
    const char *missing = api == 2 ? resolve_v2(handle) : api == 1 ? resolve_v1(handle) : "gpiod_chip_open";
    if (missing != NULL) {
        char reason[160];
        snprintf(reason, sizeof reason, "not a usable libgpiod 1.x or 2.x (no %s)", missing);
        append_error(name, reason);
        memset(&library.v1, 0, sizeof library.v1);
        memset(&library.v2, 0, sizeof library.v2);
        dlclose(handle);
        return 0;
    }
    library.api_major = api;
    library.name = name;
    return 1;  // never closed: lines live as long as the process
}

static void load(void) {
    const char *chosen = getenv("KESTREL_LIBGPIOD");
    if (chosen != NULL && chosen[0] != '\0') {
        // Kept for the process's life: getenv's string may change with the environment.
        char *copy = strdup(chosen);
        if (copy == NULL || !try_load(copy)) {
            if (copy == NULL) append_error("KESTREL_LIBGPIOD", "out of memory");
            free(copy);
        }
        return;
    }
    if (try_load("libgpiod.so.3")) return;
    try_load("libgpiod.so.2");
}

const struct kestrel_gpiod_library *kestrel_gpiod_library(void) {
    pthread_once(&library_once, load);
    return &library;
}
