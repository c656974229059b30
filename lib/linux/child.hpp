// The child side of a spawn: entered on the private stack right after
// clone3 (or clone), it runs the plan's stages and execs, or reports and
// exits.
#pragma once

#include <cstdint>

#include "linux/plan.hpp"

namespace spx::os {

// What the child and the suspended parent share. CLONE_VM|CLONE_VFORK: the
// parent resumes only once the child has exec'd or exited, so everything
// the child wrote here is complete when the parent reads it, with no pipe
// and no lock (glibc's posix_spawn relies on the same guarantee).
struct ChildArgs {
    const Plan *plan;
    // Set when the kernel could not reset signal handlers for us
    // (clone3 or CLONE_CLEAR_SIGHAND missing): the child does it.
    bool reset_handlers;
    // Set when clone3 could not create the child in its cgroup (no
    // CLONE_INTO_CGROUP before 5.7): the child moves itself first thing.
    bool join_cgroup;
    // The stage the child is in, written before each one starts: a child
    // that dies of a signal (an inherited seccomp kill, the OOM killer)
    // before reaching the exec stage never ran the program.
    volatile int32_t stage;
    // Non-zero when that stage failed: its errno, and a kHint* detail.
    volatile int32_t err;
    volatile int32_t hint;
};

}  // namespace spx::os

// int (*)(void *) for the clone trampolines; arg is a ChildArgs.
extern "C" int spx_child_main(void *arg);
