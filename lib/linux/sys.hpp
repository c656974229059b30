// Raw Linux system calls for the child. The child shares the parent's memory
// (CLONE_VM) and runs while the parent thread is suspended, so it must not
// touch errno, locks or anything else libc keeps per thread or per process:
// these wrappers are a single instruction and return -errno on failure.
#pragma once

#include <sys/syscall.h>

// Code that runs in the child. Its own archive is built without any
// instrumentation (lib/linux/meson.build); the attributes say the same to a
// reader, and keep -pg and profile counters out of a build that forgets it.
#define SPX_CHILD                                                                              \
    __attribute__((no_sanitize("address", "undefined"), no_stack_protector, no_instrument_function, \
                   no_profile_instrument_function))
#define SPX_CHILD_FN __attribute__((always_inline)) SPX_CHILD static inline

namespace spx::sys {

#if defined(__x86_64__)

SPX_CHILD_FN long call(long n, long a = 0, long b = 0, long c = 0, long d = 0, long e = 0, long f = 0) {
    register long r10 __asm__("r10") = d;
    register long r8 __asm__("r8") = e;
    register long r9 __asm__("r9") = f;
    long ret;
    __asm__ volatile("syscall"
                     : "=a"(ret)
                     : "a"(n), "D"(a), "S"(b), "d"(c), "r"(r10), "r"(r8), "r"(r9)
                     : "rcx", "r11", "memory");
    return ret;
}

#elif defined(__aarch64__)

SPX_CHILD_FN long call(long n, long a = 0, long b = 0, long c = 0, long d = 0, long e = 0, long f = 0) {
    register long x8 __asm__("x8") = n;
    register long x0 __asm__("x0") = a;
    register long x1 __asm__("x1") = b;
    register long x2 __asm__("x2") = c;
    register long x3 __asm__("x3") = d;
    register long x4 __asm__("x4") = e;
    register long x5 __asm__("x5") = f;
    __asm__ volatile("svc 0"
                     : "+r"(x0)
                     : "r"(x8), "r"(x1), "r"(x2), "r"(x3), "r"(x4), "r"(x5)
                     : "memory");
    return x0;
}

#else
#error "spx: add a raw system call wrapper for this architecture"
#endif

template <typename... Args>
SPX_CHILD_FN long sc(long n, Args... args) {
    return call(n, (long)args...);
}

}  // namespace spx::sys
