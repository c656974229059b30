// The child's stages, in their one fixed order (see "Stages" in spx.h).
//
// This runs in a clone(CLONE_VM|CLONE_VFORK) child on a stack borrowed from
// the suspended parent thread. It shares the parent's memory, so it must not
// allocate, lock, or call libc (errno, locks and glibc's set*id broadcast
// all live in shared state): raw system calls only, and the plan is read,
// never written. The first failing stage sends (stage, errno) to the parent
// and exits with 127.
#include <fcntl.h>
#include <linux/capability.h>
#include <linux/close_range.h>
#include <linux/seccomp.h>
#include <signal.h>
#include <sys/prctl.h>
#include <sys/resource.h>

#include "linux/child.hpp"
#include "linux/sys.hpp"

namespace spx::os {

namespace {

// The kernel's struct sigaction for rt_sigaction (x86_64 and arm64 layout).
struct KernelSigaction {
    unsigned long handler;
    unsigned long flags;
    unsigned long restorer;
    uint64_t mask;
};
constexpr unsigned long kSigDfl = 0, kSigIgn = 1;
constexpr long kSigsetSize = 8;
constexpr int kMaxSignal = 64;

// Reports the failure and exits. Once a seccomp filter is in place (fd < 0)
// the shared-memory report is the only one: a filter that kills on write
// would otherwise dump a core of the parent's memory.
[[noreturn]] SPX_CHILD_FN void fail(ChildArgs &a, int fd, int stage, long err, int hint = 0) {
    a.report.stage = stage;
    a.report.err = static_cast<int32_t>(-err);
    a.report.hint = hint;
    Report r;
    r.stage = stage;
    r.err = static_cast<int32_t>(-err);
    r.hint = hint;
    if (fd >= 0) sys::sc(SYS_write, fd, &r, sizeof r);
    // A seccomp filter may deny exit_group and exit too: then a fault,
    // which the kernel delivers even to an ignored or blocked SIGILL.
    sys::sc(SYS_exit_group, 127);
    sys::sc(SYS_exit, 127);
    __builtin_trap();
}

SPX_CHILD_FN long set_default(int sig) {
    KernelSigaction dfl;
    dfl.handler = kSigDfl;
    dfl.flags = 0;
    dfl.restorer = 0;
    dfl.mask = 0;
    return sys::sc(SYS_rt_sigaction, sig, &dfl, nullptr, kSigsetSize);
}

// What CLONE_CLEAR_SIGHAND does: caught signals back to SIG_DFL, ignored
// ones stay ignored.
SPX_CHILD_FN long reset_caught_handlers() {
    for (int sig = 1; sig <= kMaxSignal; sig++) {
        if (sig == SIGKILL || sig == SIGSTOP) continue;
        KernelSigaction old;
        if (sys::sc(SYS_rt_sigaction, sig, nullptr, &old, kSigsetSize) < 0) continue;
        if (old.handler == kSigDfl || old.handler == kSigIgn) continue;
        if (long r = set_default(sig); r < 0) return r;
    }
    return 0;
}

SPX_CHILD_FN long capset(const Plan &p) {
    __user_cap_header_struct hdr;
    hdr.version = _LINUX_CAPABILITY_VERSION_3;
    hdr.pid = 0;
    __user_cap_data_struct data[2];
    for (int i = 0; i < 2; i++) {
        data[i].effective = static_cast<uint32_t>(p.cap_effective >> (32 * i));
        data[i].permitted = static_cast<uint32_t>(p.cap_permitted >> (32 * i));
        data[i].inheritable = static_cast<uint32_t>(p.cap_inheritable >> (32 * i));
    }
    return sys::sc(SYS_capset, &hdr, data);
}

// Without close_range(CLOSE_RANGE_CLOEXEC) (before Linux 5.11): one fcntl per
// possible descriptor up to RLIMIT_NOFILE.
SPX_CHILD_FN long cloexec_range(unsigned from, unsigned to) {
    long r = sys::sc(SYS_close_range, from, to, CLOSE_RANGE_CLOEXEC);
    if (r != -ENOSYS && r != -EINVAL) return r;
    struct { uint64_t cur, max; } nofile;
    if ((r = sys::sc(SYS_prlimit64, 0, RLIMIT_NOFILE, nullptr, &nofile)) < 0) return r;
    for (unsigned fd = from; fd <= to && fd < nofile.cur; fd++) sys::sc(SYS_fcntl, fd, F_SETFD, FD_CLOEXEC);
    return 0;
}

// Returns the error pipe's descriptor as it is after the stage.
SPX_CHILD_FN int arrange_fds(ChildArgs &a, const Plan &p, int report_fd) {
    for (size_t i = 0; i < p.n_fd_ops; i++) {
        const FdOp &op = p.fd_ops[i];
        long r = 0;
        switch (op.kind) {
        case FdOp::Move:
            r = sys::sc(SYS_dup3, op.from, op.to, O_CLOEXEC);
            if (r >= 0 && op.from == report_fd) report_fd = static_cast<int>(op.to);
            break;
        case FdOp::Install: r = sys::sc(SYS_dup3, op.from, op.to, 0); break;
        case FdOp::KeepOpen: r = sys::sc(SYS_fcntl, op.from, F_SETFD, 0); break;
        case FdOp::Close:
            r = sys::sc(SYS_close, op.from);
            if (r == -EBADF) r = 0;  // already closed is what was asked
            break;
        case FdOp::CloexecRange: r = cloexec_range(static_cast<unsigned>(op.from), op.to); break;
        }
        if (r < 0) fail(a, report_fd, SPX_STAGE_FDS, r);
    }
    return report_fd;
}

SPX_CHILD_FN long exec(const Plan &p, int *hint) {
    static const char empty[] = "";
    if (p.exec_fd >= 0) {
        long r = sys::sc(SYS_execveat, p.exec_fd, empty, p.argv, p.envp, AT_EMPTY_PATH);
        if (r != -ENOSYS) return r;
        // Kernels before 3.19: the /proc alias of the same descriptor.
        r = sys::sc(SYS_execve, p.proc_fd_path, p.argv, p.envp);
        if (r == -ENOENT) *hint = kHintNoExecveatNoProc;
        return r;
    }
    if (p.exec_dirfd >= 0) return sys::sc(SYS_execveat, p.exec_dirfd, p.path, p.argv, p.envp, p.exec_at_flags);
    return sys::sc(SYS_execve, p.path, p.argv, p.envp);
}

}  // namespace

}  // namespace spx::os

extern "C" SPX_CHILD int spx_child_main(void *arg) {
    using namespace spx::os;
    namespace sys = spx::sys;
    ChildArgs &a = *static_cast<ChildArgs *>(arg);
    const Plan &p = *a.plan;
    int fd = p.report_fd;
    long r;

    // 1. Signals: no parent handler may run here; listed signals to SIG_DFL.
    if (a.reset_handlers && (r = reset_caught_handlers()) < 0) fail(a, fd, SPX_STAGE_SIGNALS, r);
    for (int sig = 1; sig <= kMaxSignal; sig++)
        if ((p.sigdefault >> (sig - 1)) & 1)
            if ((r = set_default(sig)) < 0) fail(a, fd, SPX_STAGE_SIGNALS, r);

    // 2. chroot, while we still have CAP_SYS_CHROOT.
    if (p.chroot && (r = sys::sc(SYS_chroot, p.chroot)) < 0) fail(a, fd, SPX_STAGE_CHROOT, r);

    // 3. Bounding set, while we still have CAP_SETPCAP.
    if (p.drop_bounding)
        for (int cap = 0; cap <= p.cap_last; cap++)
            if (!((p.bounding_keep >> cap) & 1))
                if ((r = sys::sc(SYS_prctl, PR_CAPBSET_DROP, cap)) < 0) fail(a, fd, SPX_STAGE_BOUNDING, r);

    // 4. Keep the permitted set across setuid (the flag is cleared by exec).
    if (p.keep_caps && (r = sys::sc(SYS_prctl, PR_SET_KEEPCAPS, 1)) < 0) fail(a, fd, SPX_STAGE_CAPS, r);

    // 5-7. Groups, gid, uid: raw calls change this task only, which is the
    // point (glibc's wrappers would signal every thread of the parent).
    if (p.set_groups && (r = sys::sc(SYS_setgroups, p.ngroups, p.groups)) < 0) fail(a, fd, SPX_STAGE_SETGROUPS, r);
    if (p.set_gid && (r = sys::sc(SYS_setresgid, p.gid, p.gid, p.gid)) < 0) fail(a, fd, SPX_STAGE_SETGID, r);
    if (p.set_uid && (r = sys::sc(SYS_setresuid, p.uid, p.uid, p.uid)) < 0) fail(a, fd, SPX_STAGE_SETUID, r);

    // 8. Inheritable, permitted and effective sets; ambient caps must be in
    // the first two before they can be raised.
    if (p.set_caps && (r = capset(p)) < 0) fail(a, fd, SPX_STAGE_CAPS, r);

    // 9. Ambient set: exactly the asked ones (setuid cleared it anyway).
    if (p.set_ambient) {
        if ((r = sys::sc(SYS_prctl, PR_CAP_AMBIENT, PR_CAP_AMBIENT_CLEAR_ALL, 0, 0, 0)) < 0)
            fail(a, fd, SPX_STAGE_AMBIENT, r);
        for (int cap = 0; cap < 64; cap++)
            if ((p.ambient >> cap) & 1)
                if ((r = sys::sc(SYS_prctl, PR_CAP_AMBIENT, PR_CAP_AMBIENT_RAISE, cap, 0, 0)) < 0)
                    fail(a, fd, SPX_STAGE_AMBIENT, r);
    }

    // 10. Working directory, with the child's final identity.
    if (p.cwd && (r = sys::sc(SYS_chdir, p.cwd)) < 0) fail(a, fd, SPX_STAGE_CHDIR, r);

    // 11. Descriptors: the map, then close-on-exec for everything else.
    fd = arrange_fds(a, p, fd);

    // 12. no_new_privs: asked for, or needed by Landlock and seccomp.
    if (p.no_new_privs && (r = sys::sc(SYS_prctl, PR_SET_NO_NEW_PRIVS, 1, 0, 0, 0)) < 0)
        fail(a, fd, SPX_STAGE_NO_NEW_PRIVS, r);

    // 13. Landlock: this task and whatever it execs, never the parent.
    if (p.landlock_fd >= 0 && (r = sys::sc(SYS_landlock_restrict_self, p.landlock_fd, 0)) < 0)
        fail(a, fd, SPX_STAGE_LANDLOCK, r);

    // 14. The caller's (or the asked) signal mask, before seccomp so that a
    // filter never has to allow rt_sigprocmask.
    uint64_t mask = p.sigmask;
    if ((r = sys::sc(SYS_rt_sigprocmask, SIG_SETMASK, &mask, nullptr, kSigsetSize)) < 0)
        fail(a, fd, SPX_STAGE_SIGNALS, r);

    // 15. seccomp last: from here on only the exec (allowed by the filter)
    // and, on failure, write and exit_group run.
    if (p.seccomp) {
        // If the filter kills us before exec (or denies exit and we trap),
        // no core of this memory, which is the parent's, may be written:
        // mark it undumpable. The parent restores its flag after the clone;
        // exec gives the program a fresh map with its own flag.
        sys::sc(SYS_prctl, PR_SET_DUMPABLE, 0, 0, 0, 0);
        r = sys::sc(SYS_seccomp, SECCOMP_SET_MODE_FILTER, 0, p.seccomp);
        if (r == -ENOSYS) r = sys::sc(SYS_prctl, PR_SET_SECCOMP, SECCOMP_MODE_FILTER, p.seccomp, 0, 0);
        if (r < 0) fail(a, fd, SPX_STAGE_SECCOMP, r);
        fd = -1;
    }

    // 16. exec.
    int hint = 0;
    r = exec(p, &hint);
    fail(a, fd, SPX_STAGE_EXEC, r, hint);
}
