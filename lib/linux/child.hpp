// The child side of a spawn: entered on the private stack right after
// clone3, it runs the plan's stages and execs, or reports and exits.
#pragma once

#include "linux/plan.hpp"

namespace spx::os {

struct ChildArgs {
    const Plan *plan;
    // Set when the kernel could not reset signal handlers for us
    // (clone3 or CLONE_CLEAR_SIGHAND missing): the child does it.
    bool reset_handlers;
    // Also written by a failing child, in case the error pipe is unusable
    // (a seccomp filter that forbids write): the parent shares this memory.
    volatile Report report;
};

}  // namespace spx::os

// int (*)(void *) for the clone trampolines; arg is a ChildArgs.
extern "C" int spx_child_main(void *arg);
