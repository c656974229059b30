// A started child on Linux: its pid and, where the kernel gives one, pidfd.
#pragma once

#include <sys/types.h>

#include <atomic>
#include <mutex>

struct spx_process {
    pid_t pid = -1;
    int pidfd = -1;
    // Guards the reaping against spx_process_kill from another thread, so a
    // signal can never reach a reaped (and possibly reused) pid.
    std::mutex lock;
    std::atomic<bool> reaped = false;  // set last, after the status fields
    int exit_code = 0;
    int term_signal = 0;
    bool core_dumped = false;
};

namespace spx::os {

// Reaps a child that exists (a failed spawn's child, or a finished one);
// waits if it has not ended yet. Retries on EINTR.
int reap(spx_process &p);

}  // namespace spx::os
