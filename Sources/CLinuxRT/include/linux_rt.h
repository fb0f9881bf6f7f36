// Linux real-time calls that Glibc does not expose to Swift (they sit behind _GNU_SOURCE).
#ifndef KESTREL_LINUX_RT_H
#define KESTREL_LINUX_RT_H

/// Pins the calling thread to one CPU. Returns 0 or an errno value.
int kestrel_pin_thread_to_cpu(int cpu);

/// Names the calling thread (visible in top -H, ps -L); at most 15 characters are kept. Returns 0 or an errno value.
int kestrel_set_thread_name(const char *name);

#endif
