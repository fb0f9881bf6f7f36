#define _GNU_SOURCE
#include "linux_rt.h"

#include <errno.h>
#include <pthread.h>
#include <sched.h>
#include <string.h>

int kestrel_pin_thread_to_cpu(int cpu) {
#ifdef __linux__
    if (cpu < 0 || cpu >= CPU_SETSIZE) return EINVAL;
    cpu_set_t set;
    CPU_ZERO(&set);
    CPU_SET(cpu, &set);
    return pthread_setaffinity_np(pthread_self(), sizeof(set), &set);
#else
    (void)cpu;
    return ENOSYS;
#endif
}

int kestrel_set_thread_name(const char *name) {
#ifdef __linux__
    char buf[16];
    strncpy(buf, name, sizeof(buf) - 1);
    buf[sizeof(buf) - 1] = 0;
    return pthread_setname_np(pthread_self(), buf);
#else
    (void)name;
    return ENOSYS;
#endif
}
