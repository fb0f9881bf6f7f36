// libi2c (SMBus helpers, from libi2c-dev) plus the kernel's i2c-dev ioctl numbers (from linux-libc-dev).
#ifndef KESTREL_CI2C_SHIM_H
#define KESTREL_CI2C_SHIM_H

#include <linux/types.h>
#include <i2c/smbus.h>
#include <linux/i2c-dev.h>
#include <sys/ioctl.h>

// ioctl is variadic and these requests take an unsigned long by value; calling it from C keeps the argument
// passing exactly as the kernel expects on every ABI.
static inline int kestrel_i2c_set_slave_address(int fd, unsigned short address) {
    return ioctl(fd, I2C_SLAVE, (unsigned long)address);
}

// I2C_SLAVE_FORCE: talk to an address a kernel driver has claimed (as `i2cget -f` does). Never for flight; the
// board selftest reads back the registers the kernel's own PCA9685 PWM driver wrote.
static inline int kestrel_i2c_force_slave_address(int fd, unsigned short address) {
    return ioctl(fd, I2C_SLAVE_FORCE, (unsigned long)address);
}

static inline int kestrel_i2c_get_functionality(int fd, unsigned long *functionality) {
    return ioctl(fd, I2C_FUNCS, functionality);
}

// The adapter's transfer timeout, in units of 10 ms (I2C_TIMEOUT).
static inline int kestrel_i2c_set_timeout_10ms(int fd, unsigned long tens_of_ms) {
    return ioctl(fd, I2C_TIMEOUT, tens_of_ms);
}

#endif
