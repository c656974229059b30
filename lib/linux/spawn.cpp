// spx_spawn on Linux: plan in the parent, clone3(CLONE_VM|CLONE_VFORK) onto
// a stack borrowed from this very frame, read the child's verdict from the
// error pipe.
//
// Why a borrowed stack: with CLONE_VFORK the calling thread is suspended
// until the child execs or exits, so a region of its own stack is free for
// the child for exactly that long. Nothing is mapped or allocated per call,
// nothing is shared between threads, and the cost does not depend on the
// parent's memory size (no page tables are copied).
#include <fcntl.h>
#include <linux/sched.h>
#include <sched.h>
#include <signal.h>
#include <sys/prctl.h>
#include <sys/syscall.h>
#include <unistd.h>

#include <cerrno>
#include <memory>
#include <new>

#include "linux/child.hpp"
#include "linux/process.hpp"
#include "linux/sys.hpp"
#include "spawn.hpp"

extern "C" long spx_clone3(struct clone_args *args, size_t size, int (*fn)(void *), void *arg);

namespace spx {

namespace {

// The child's stages use a few hundred bytes of stack; this leaves ample
// room and is small enough for any thread, including .NET's and Go's.
constexpr size_t kChildStackSize = 32 * 1024;
constexpr long kSigsetSize = 8;

// Starts the child; returns its pid or -errno. Falls back from clone3 (absent
// before 5.3, filtered by some container runtimes; CLONE_CLEAR_SIGHAND needs
// 5.5) to clone(2), where the child resets its handlers itself.
long start_child(os::ChildArgs &args, unsigned char *stack, size_t size, int *pidfd) {
    struct clone_args ca = {};
    ca.flags = CLONE_VM | CLONE_VFORK | CLONE_PIDFD | CLONE_CLEAR_SIGHAND;
    ca.pidfd = reinterpret_cast<uintptr_t>(pidfd);
    ca.exit_signal = SIGCHLD;
    ca.stack = reinterpret_cast<uintptr_t>(stack);
    ca.stack_size = size;
    long pid = spx_clone3(&ca, sizeof ca, spx_child_main, &args);
    if (pid != -ENOSYS && pid != -EINVAL && pid != -EPERM) return pid;

    args.reset_handlers = true;
    int flags = CLONE_VM | CLONE_VFORK | SIGCHLD;
    pid = clone(spx_child_main, stack + size, flags | CLONE_PIDFD, &args, pidfd);
    if (pid < 0 && errno == EINVAL) {  // no CLONE_PIDFD before 5.2
        *pidfd = -1;
        pid = clone(spx_child_main, stack + size, flags, &args);
    }
    return pid < 0 ? -errno : pid;
}

std::string failure_detail(const spx_attr &attr, const os::Plan &plan, const os::Report &r) {
    switch (r.stage) {
    case SPX_STAGE_CHROOT: return attr.chroot.value_or("");
    case SPX_STAGE_CHDIR: return attr.cwd.value_or("");
    case SPX_STAGE_EXEC:
        if (r.hint == os::kHintNoExecveatNoProc) return "no execveat(2) and /proc is not mounted";
        if (plan.exec_fd >= 0) return "exec fd";
        return plan.path ? plan.path : "";
    default: return {};
    }
}

}  // namespace

int spawn(spx_process **out, const spx_attr &attr, const char *path, const char *const argv[],
          const char *const envp[], Failure &failure) {
    auto process = std::make_unique<spx_process>();
    int pipefd[2];
    if (pipe2(pipefd, O_CLOEXEC | O_NONBLOCK) != 0) return failure.set(errno, SPX_STAGE_CLONE, "error pipe");
    UniqueFd report_rd(pipefd[0]), report_wr(pipefd[1]);

    os::PlanStorage storage;
    if (int rc = storage.build(attr, path, argv, envp, report_wr.get(), failure)) return rc;
    os::ChildArgs args{&storage.plan, false, {}};
    alignas(64) unsigned char stack[kChildStackSize];

    // Block every signal (glibc's internal ones too) so nothing runs on the
    // shared memory between clone and the child's own reset.
    uint64_t all = ~uint64_t{0}, saved = 0;
    sys::sc(SYS_rt_sigprocmask, SIG_SETMASK, &all, &saved, kSigsetSize);
    storage.plan.sigmask = attr.sigmask.value_or(saved);
    // The child may clear the dumpable flag of the memory map it shares with
    // us until exec (the kernel does on a uid or gid change; the child does
    // before loading seccomp): put ours back afterwards, not in the child,
    // whose pre-exec map must stay undumpable.
    bool clears_dumpable = storage.plan.set_uid || storage.plan.set_gid || storage.plan.seccomp;
    int dumpable = clears_dumpable ? prctl(PR_GET_DUMPABLE, 0, 0, 0, 0) : -1;
    int pidfd = -1;
    long pid = start_child(args, stack, sizeof stack, &pidfd);
    if (dumpable >= 0 && prctl(PR_GET_DUMPABLE, 0, 0, 0, 0) != dumpable) prctl(PR_SET_DUMPABLE, dumpable, 0, 0, 0);
    sys::sc(SYS_rt_sigprocmask, SIG_SETMASK, &saved, nullptr, kSigsetSize);

    report_wr.reset();
    if (pid < 0) return failure.set(static_cast<int>(-pid), SPX_STAGE_CLONE);
    process->pid = static_cast<pid_t>(pid);
    process->pidfd = pidfd;

    // CLONE_VFORK: by now the child has exec'd or exited, so the report, if
    // any, is already in the pipe; the read never blocks (O_NONBLOCK).
    os::Report report;
    ssize_t n = read(report_rd.get(), &report, sizeof report);
    if (n != static_cast<ssize_t>(sizeof report)) {
        report.stage = args.report.stage;
        report.err = args.report.err;
        report.hint = args.report.hint;
    }
    if (report.stage != SPX_STAGE_NONE) {
        os::reap(*process);
        process_free(process.release());
        return failure.set(report.err ? report.err : EIO, report.stage,
                           failure_detail(attr, storage.plan, report));
    }
    *out = process.release();
    return 0;
}

}  // namespace spx
