// A started child on Linux: its pid and, where the kernel gives one, pidfd.
#pragma once

#include <sys/types.h>

struct spx_process {
    pid_t pid = -1;
    int pidfd = -1;
    bool reaped = false;
    int exit_code = 0;
    int term_signal = 0;
};

namespace spx::os {

// Reaps a child that exists (a failed spawn's child, or a finished one);
// waits if it has not ended yet. Retries on EINTR.
int reap(spx_process &p);

}  // namespace spx::os
