// Resource limit names (spx_rlimit_from_name): the kernel's RLIMIT_*
// numbers, in their order (asm-generic/resource.h; the same on x86_64 and
// arm64).
#include <strings.h>

#include "features.hpp"

namespace spx {

namespace {

constexpr const char *kNames[] = {
    "cpu", "fsize", "data", "stack", "core", "rss", "nproc", "nofile",
    "memlock", "as", "locks", "sigpending", "msgqueue", "nice", "rtprio", "rttime",
};

}  // namespace

int rlimit_count() { return static_cast<int>(sizeof kNames / sizeof kNames[0]); }

int rlimit_from_name(const char *name) {
    if (strncasecmp(name, "rlimit_", 7) == 0) name += 7;
    for (int i = 0; i < rlimit_count(); i++)
        if (strcasecmp(name, kNames[i]) == 0) return i;
    return -1;
}

}  // namespace spx
