// spx_spawn on Linux: plan in the parent, clone3(CLONE_VM|CLONE_VFORK) onto
// a stack borrowed from this very frame, read the child's verdict from the
// memory it shares with us.
//
// Why a borrowed stack: with CLONE_VFORK the calling thread is suspended
// until the child execs or exits, so a region of its own stack is free for
// the child for exactly that long. Nothing is mapped or allocated per call,
// nothing is shared between threads, and the cost does not depend on the
// parent's memory size (no page tables are copied).
#include <linux/sched.h>
#include <signal.h>
#include <string.h>
#include <sys/syscall.h>

#include <cerrno>
#include <memory>

#include "linux/child.hpp"
#include "linux/dumpable.hpp"
#include "linux/process.hpp"
#include "linux/sys.hpp"
#include "spawn.hpp"

// clone3.S: the child side of both system calls must be assembly.
extern "C" long spx_clone3(struct clone_args *args, size_t size, int (*fn)(void *), void *arg);
extern "C" long spx_clone(unsigned long flags, void *stack_top, int *pidfd, int (*fn)(void *), void *arg);

namespace spx {

namespace {

// The child's stages need a few hundred bytes (the largest frame is the
// 512-byte /proc/self/fd buffer of the close_range fallback): 4 KiB leaves
// ample room and fits any thread, even one with a PTHREAD_STACK_MIN stack.
constexpr size_t kChildStackSize = 4 * 1024;
constexpr long kSigsetSize = 8;

// Starts the child; returns its pid or -errno. Falls back from clone3 (absent
// before 5.3, filtered by some container runtimes; CLONE_CLEAR_SIGHAND needs
// 5.5, CLONE_INTO_CGROUP 5.7) to clone(2), where the child resets its
// handlers and joins its cgroup itself. Both are raw system calls: glibc's
// clone() would run its own (and a sanitizer's) code in the child.
long start_child(os::ChildArgs &args, unsigned char *stack, size_t size, int *pidfd, bool *cgroup_failed) {
    const os::Plan &plan = *args.plan;
    struct clone_args ca = {};
    ca.flags = CLONE_VM | CLONE_VFORK | CLONE_PIDFD | CLONE_CLEAR_SIGHAND;
    ca.pidfd = reinterpret_cast<uintptr_t>(pidfd);
    ca.exit_signal = SIGCHLD;
    ca.stack = reinterpret_cast<uintptr_t>(stack);
    ca.stack_size = size;
    if (plan.cgroup_fd >= 0) {
        ca.flags |= CLONE_INTO_CGROUP;
        ca.cgroup = static_cast<uint64_t>(plan.cgroup_fd);
    }
    long pid = spx_clone3(&ca, sizeof ca, spx_child_main, &args);
    // A kernel that knows clone3 but not a flag answers EINVAL (E2BIG for the
    // cgroup field it does not know); ENOMEM and EAGAIN are about the clone.
    // Anything else with a cgroup is the cgroup's: EBUSY, EACCES, EBADF ...
    if (pid < 0 && plan.cgroup_fd >= 0 && pid != -ENOSYS && pid != -EINVAL && pid != -EPERM && pid != -E2BIG &&
        pid != -ENOMEM && pid != -EAGAIN) {
        *cgroup_failed = true;
        return pid;
    }
    if (pid != -ENOSYS && pid != -EINVAL && pid != -EPERM && pid != -E2BIG) return pid;

    args.reset_handlers = true;
    args.join_cgroup = plan.cgroup_fd >= 0;
    unsigned long flags = CLONE_VM | CLONE_VFORK | SIGCHLD;
    pid = spx_clone(flags | CLONE_PIDFD, stack + size, pidfd, spx_child_main, &args);
    if (pid == -EINVAL) {  // no CLONE_PIDFD before 5.2
        *pidfd = -1;
        pid = spx_clone(flags, stack + size, nullptr, spx_child_main, &args);
    }
    return pid;
}

std::string failure_detail(const spx_attr &attr, const os::Plan &plan, const os::ChildArgs &child) {
    switch (child.stage) {
    case SPX_STAGE_CHROOT: return attr.chroot.value_or("");
    case SPX_STAGE_CHDIR: return attr.cwd.value_or("");
    case SPX_STAGE_EXEC:
        if (child.hint == os::kHintNoExecveatNoProc) return "no execveat(2) and /proc is not mounted";
        if (plan.exec_fd >= 0) return "exec fd";
        return plan.path ? plan.path : "";
    default: return {};
    }
}

}  // namespace

int spawn(spx_process **out, const spx_attr &attr, const char *path, const char *const argv[],
          const char *const envp[], Failure &failure) {
    auto process = std::make_unique<spx_process>();
    os::PlanStorage storage;
    if (int rc = storage.build(attr, path, argv, envp, failure)) return rc;
    os::ChildArgs args{&storage.plan, false, false, SPX_STAGE_SIGNALS, 0, 0};
    alignas(64) unsigned char stack[kChildStackSize];

    // Block every signal (glibc's internal ones too) so nothing runs on the
    // shared memory between clone and the child's own reset.
    uint64_t all = ~uint64_t{0}, saved = 0;
    sys::sc(SYS_rt_sigprocmask, SIG_SETMASK, &all, &saved, kSigsetSize);
    storage.plan.sigmask = attr.sigmask.value_or(saved);
    int pidfd = -1;
    long pid;
    bool cgroup_failed = false;
    {
        const os::Plan &p = storage.plan;
        os::UndumpableScope undumpable(p.set_uid || p.set_gid || p.seccomp);
        pid = start_child(args, stack, sizeof stack, &pidfd, &cgroup_failed);
    }
    sys::sc(SYS_rt_sigprocmask, SIG_SETMASK, &saved, nullptr, kSigsetSize);
    if (pid < 0) return failure.set(static_cast<int>(-pid), cgroup_failed ? SPX_STAGE_CGROUP : SPX_STAGE_CLONE);
    process->pid = static_cast<pid_t>(pid);
    process->pidfd = pidfd;

    // CLONE_VFORK: the child has exec'd or exited by now, so what it wrote
    // in args is complete. It reached the exec stage before any successful
    // exec; a child that stopped earlier without an errno was killed.
    if (args.err == 0 && args.stage == SPX_STAGE_EXEC) {
        *out = process.release();
        return 0;
    }
    os::reap(*process);
    int err = args.err, sig = process->term_signal;
    int stage = args.stage;
    std::string detail = failure_detail(attr, storage.plan, args);
    process_free(process.release());
    if (err) return failure.set(err, stage, detail);
    // Killed before exec (an inherited seccomp kill, the OOM killer): the
    // program never ran. EINTR, and the signal in the message.
    const char *abbrev = sigabbrev_np(sig);
    std::string name = abbrev ? std::string("SIG") + abbrev : "signal " + std::to_string(sig);
    return failure.set(EINTR, stage, "killed by " + name + " before exec");
}

}  // namespace spx
