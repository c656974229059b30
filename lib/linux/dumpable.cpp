#include "linux/dumpable.hpp"

#include <sys/prctl.h>

#include <mutex>

namespace spx::os {

namespace {

// Held only around the flag, never across a spawn: spawns stay concurrent.
std::mutex lock;
int in_flight = 0;  // spawns whose child may still run on the shared map
int saved = -1;     // the flag the first of them saw

}  // namespace

UndumpableScope::UndumpableScope(bool needed) : needed_(needed) {
    if (!needed_) return;
    std::lock_guard<std::mutex> guard(lock);
    if (in_flight++ == 0) saved = prctl(PR_GET_DUMPABLE, 0, 0, 0, 0);
    // Before the clone, not in the child: the map is undumpable before the
    // child's credentials change, with no window at all.
    prctl(PR_SET_DUMPABLE, 0, 0, 0, 0);
}

UndumpableScope::~UndumpableScope() {
    if (!needed_) return;
    std::lock_guard<std::mutex> guard(lock);
    if (--in_flight > 0) return;
    // A saved 2 (SUID_DUMP_ROOT, which the kernel sets for fs.suid_dumpable
    // = 2) cannot be set back, PR_SET_DUMPABLE takes only 0 and 1: the flag
    // stays at 0 (or at the 2 a child's uid change left), never more
    // dumpable than it was.
    if (saved == 0 || saved == 1) prctl(PR_SET_DUMPABLE, saved, 0, 0, 0);
}

}  // namespace spx::os
