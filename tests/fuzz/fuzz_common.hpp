// Shared by the fuzz targets: building a plan without spawning, and closing
// the descriptors an input left open (a refused spx-run command line ends
// with a longjmp that skips its owners' cleanup, as exit() would).
#pragma once

#include <dirent.h>
#include <unistd.h>

#include <cstdlib>
#include <cstring>
#include <set>

#include "linux/plan.hpp"

namespace fuzz {

// What PlanStorage::build does in spx_spawn(), with nothing started after it.
inline void build_plan(const spx_attr &attr, const char *path, const char *const *argv,
                       const char *const *envp) {
    spx::os::PlanStorage storage;
    spx::Failure failure;
    int rc = storage.build(attr, path, argv, envp, failure);
    if (rc < 0 || (rc > 0 && failure.stage == SPX_STAGE_NONE)) abort();  // an errno, with its stage
}

inline std::set<int> open_fds() {
    std::set<int> fds;
    DIR *d = opendir("/proc/self/fd");
    if (!d) return fds;
    int self = dirfd(d);
    while (dirent *e = readdir(d)) {
        if (e->d_name[0] == '.') continue;
        int fd = atoi(e->d_name);
        if (fd != self) fds.insert(fd);
    }
    closedir(d);
    return fds;
}

// Closes every descriptor not in before.
inline void close_new_fds(const std::set<int> &before) {
    for (int fd : open_fds())
        if (!before.count(fd)) close(fd);
}

}  // namespace fuzz
