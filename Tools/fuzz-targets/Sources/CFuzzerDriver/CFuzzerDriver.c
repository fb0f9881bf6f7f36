// Empty: the target only exports the declaration in include/CFuzzerDriver.h.
