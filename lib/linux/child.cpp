// The child's stages, in their one fixed order (see "Stages" in spx.h).
//
// This runs in a clone(CLONE_VM|CLONE_VFORK) child on a stack borrowed from
// the suspended parent thread. It shares the parent's memory, so it must not
// allocate, lock, or call libc (errno, locks and glibc's set*id broadcast
// all live in shared state): raw system calls only, and the plan is read,
// never written. Before each stage it records which one it is in, in the
// memory it shares with the suspended parent; the first failing stage adds
// its errno there and the child exits with 127.
#include <fcntl.h>
#include <linux/capability.h>
#include <linux/close_range.h>
#include <linux/seccomp.h>
#include <signal.h>
#include <sys/prctl.h>
#include <sys/resource.h>
#include <sys/ioctl.h>

#include "linux/child.hpp"
#include "linux/sys.hpp"
#include "spx.h"

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

// Records the failure for the parent and exits.
[[noreturn]] SPX_CHILD_FN void fail(ChildArgs &a, long err, int hint = 0) {
    a.hint = hint;
    a.err = static_cast<int32_t>(-err);
    // A seccomp filter may deny exit_group and exit too: then a fault,
    // which the kernel delivers even to an ignored or blocked SIGILL.
    sys::sc(SYS_exit_group, 127);
    sys::sc(SYS_exit, 127);
    __builtin_trap();
}

// Runs one stage's system call: on failure, reports (stage, errno).
SPX_CHILD_FN void check(ChildArgs &a, long r) {
    if (r < 0) fail(a, r);
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

// Empties the inheritable set (and so the ambient one), keeping the
// permitted and effective sets as the uid change left them.
SPX_CHILD_FN long clear_inheritable() {
    __user_cap_header_struct hdr;
    hdr.version = _LINUX_CAPABILITY_VERSION_3;
    hdr.pid = 0;
    __user_cap_data_struct data[2];
    if (long r = sys::sc(SYS_capget, &hdr, data); r < 0) return r;
    data[0].inheritable = data[1].inheritable = 0;
    return sys::sc(SYS_capset, &hdr, data);
}

// capset(2) with these sets (the same for both 32-bit halves' layout).
SPX_CHILD_FN long set_caps(uint64_t effective, uint64_t permitted, uint64_t inheritable) {
    __user_cap_header_struct hdr;
    hdr.version = _LINUX_CAPABILITY_VERSION_3;
    hdr.pid = 0;
    __user_cap_data_struct data[2];
    for (int i = 0; i < 2; i++) {
        data[i].effective = static_cast<uint32_t>(effective >> (32 * i));
        data[i].permitted = static_cast<uint32_t>(permitted >> (32 * i));
        data[i].inheritable = static_cast<uint32_t>(inheritable >> (32 * i));
    }
    return sys::sc(SYS_capset, &hdr, data);
}

// Writes this process into the cgroup directory's cgroup.procs ("0" is the
// writer itself).
SPX_CHILD_FN long join_cgroup(int dirfd) {
    long fd = sys::sc(SYS_openat, dirfd, "cgroup.procs", O_WRONLY | O_CLOEXEC);
    if (fd < 0) return fd;
    long r = sys::sc(SYS_write, fd, "0", 1);
    sys::sc(SYS_close, fd);
    return r < 0 ? r : 0;
}

// The EXEC_* securebits came in Linux 6.14; older kernels answer EPERM for
// them as for any unknown bit. Tell that apart from a real EPERM by trying
// without them: this child is failing anyway, whatever it sets now.
constexpr unsigned kExecSecurebits = SPX_SECBIT_EXEC_RESTRICT_FILE | SPX_SECBIT_EXEC_RESTRICT_FILE_LOCKED |
                                     SPX_SECBIT_EXEC_DENY_INTERACTIVE | SPX_SECBIT_EXEC_DENY_INTERACTIVE_LOCKED;
SPX_CHILD_FN long set_securebits(unsigned bits) {
    long r = sys::sc(SYS_prctl, PR_SET_SECUREBITS, bits, 0, 0, 0);
    if (r == -EPERM && (bits & kExecSecurebits) &&
        sys::sc(SYS_prctl, PR_SET_SECUREBITS, bits & ~kExecSecurebits, 0, 0, 0) == 0)
        return -ENOTSUP;
    return r;
}

SPX_CHILD_FN long session(const Plan &p) {
    long r;
    if (p.setsid && (r = sys::sc(SYS_setsid)) < 0) return r;
    if (p.pgid >= 0 && !(p.setsid && p.pgid == 0) && (r = sys::sc(SYS_setpgid, 0, p.pgid)) < 0) return r;
    if (p.ctty >= 0 && (r = sys::sc(SYS_ioctl, p.ctty, TIOCSCTTY, 0)) < 0) return r;
    if (p.foreground >= 0) {
        // Every signal is still blocked here, SIGTTOU included: the
        // terminal lets a background group take the foreground.
        int pgrp = static_cast<int>(sys::sc(SYS_getpgid, 0));
        if ((r = sys::sc(SYS_ioctl, p.foreground, TIOCSPGRP, &pgrp)) < 0) return r;
    }
    return 0;
}

SPX_CHILD_FN long capset(const Plan &p) { return set_caps(p.cap_effective, p.cap_permitted, p.cap_inheritable); }

// Parses a /proc/self/fd entry name; -1 for "." and "..".
SPX_CHILD_FN long fd_number(const char *name) {
    long n = 0;
    if (!*name) return -1;
    for (; *name; name++) {
        if (*name < '0' || *name > '9') return -1;
        n = n * 10 + (*name - '0');
    }
    return n;
}

// The kernel's struct linux_dirent64.
struct Dirent64 {
    uint64_t ino;
    int64_t off;
    unsigned short reclen;
    unsigned char type;
    char name[];
};

// Without close_range(CLOSE_RANGE_CLOEXEC) (before Linux 5.11): mark only
// the descriptors that are really open, listed from /proc/self/fd (the
// child's own table: it does not share the parent's). Without /proc, every
// number below the hard RLIMIT_NOFILE, since a descriptor opened under a
// higher soft limit may sit above the current one.
SPX_CHILD_FN long cloexec_listed(unsigned from, unsigned to) {
    long dir = sys::sc(SYS_openat, AT_FDCWD, "/proc/self/fd", O_RDONLY | O_DIRECTORY | O_CLOEXEC);
    if (dir < 0) return dir;
    alignas(8) char buf[512];
    long n;
    while ((n = sys::sc(SYS_getdents64, dir, buf, sizeof buf)) > 0) {
        for (long off = 0; off < n;) {
            const Dirent64 *d = reinterpret_cast<const Dirent64 *>(buf + off);
            off += d->reclen;
            long fd = fd_number(d->name);
            if (fd >= static_cast<long>(from) && fd <= static_cast<long>(to) && fd != dir) sys::sc(SYS_fcntl, fd, F_SETFD, FD_CLOEXEC);
        }
    }
    sys::sc(SYS_close, dir);
    return n;
}

SPX_CHILD_FN long cloexec_range(unsigned from, unsigned to) {
    long r = sys::sc(SYS_close_range, from, to, CLOSE_RANGE_CLOEXEC);
    if (r != -ENOSYS && r != -EINVAL) return r;
    if ((r = cloexec_listed(from, to)) >= 0) return 0;
    struct { uint64_t cur, max; } nofile;
    if ((r = sys::sc(SYS_prlimit64, 0, RLIMIT_NOFILE, nullptr, &nofile)) < 0) return r;
    for (uint64_t fd = from; fd <= to && fd < nofile.max; fd++) sys::sc(SYS_fcntl, fd, F_SETFD, FD_CLOEXEC);
    return 0;
}

SPX_CHILD_FN void arrange_fds(ChildArgs &a, const Plan &p) {
    for (size_t i = 0; i < p.n_fd_ops; i++) {
        const FdOp &op = p.fd_ops[i];
        long r = 0;
        switch (op.kind) {
        case FdOp::Move: r = sys::sc(SYS_dup3, op.from, op.to, O_CLOEXEC); break;
        case FdOp::Install: r = sys::sc(SYS_dup3, op.from, op.to, 0); break;
        case FdOp::KeepOpen: r = sys::sc(SYS_fcntl, op.from, F_SETFD, 0); break;
        case FdOp::Close:
            r = sys::sc(SYS_close, op.from);
            if (r == -EBADF) r = 0;  // already closed is what was asked
            break;
        case FdOp::CloexecRange: r = cloexec_range(static_cast<unsigned>(op.from), op.to); break;
        }
        check(a, r);
    }
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

    // Into the cgroup before anything else, where clone3 could not do it.
    if (a.join_cgroup) {
        a.stage = SPX_STAGE_CGROUP;
        check(a, join_cgroup(p.cgroup_fd));
    }

    // Signals: no parent handler may run here; listed signals to SIG_DFL.
    a.stage = SPX_STAGE_SIGNALS;
    if (a.reset_handlers) check(a, reset_caught_handlers());
    for (int sig = 1; sig <= kMaxSignal; sig++)
        if ((p.sigdefault >> (sig - 1)) & 1) check(a, set_default(sig));

    // chroot, while we still have CAP_SYS_CHROOT, and into it at once:
    // a working directory left outside would keep the host reachable
    // through relative paths.
    if (p.chroot) {
        a.stage = SPX_STAGE_CHROOT;
        check(a, sys::sc(SYS_chroot, p.chroot));
        check(a, sys::sc(SYS_chdir, "/"));
    }

    // Resource limits, while a hard limit can still be raised.
    a.stage = SPX_STAGE_RLIMIT;
    for (size_t i = 0; i < p.n_rlimits; i++) {
        struct { uint64_t cur, max; } lim = {p.rlimits[i].soft, p.rlimits[i].hard};
        check(a, sys::sc(SYS_prlimit64, 0, p.rlimits[i].resource, &lim, nullptr));
    }

    // Bounding set, while we still have CAP_SETPCAP.
    if (p.drop_bounding) {
        a.stage = SPX_STAGE_BOUNDING;
        for (int cap = 0; cap <= p.cap_last; cap++)
            if (!((p.bounding_keep >> cap) & 1)) check(a, sys::sc(SYS_prctl, PR_CAPBSET_DROP, cap));
    }

    // Keep the permitted set across setuid (the flag is cleared by exec).
    a.stage = SPX_STAGE_CAPS;
    if (p.keep_caps) check(a, sys::sc(SYS_prctl, PR_SET_KEEPCAPS, 1));

    // Groups, gid, uid: raw calls change this task only, which is the
    // point (glibc's wrappers would signal every thread of the parent).
    a.stage = SPX_STAGE_SETGROUPS;
    if (p.set_groups) check(a, sys::sc(SYS_setgroups, p.ngroups, p.groups));
    a.stage = SPX_STAGE_SETGID;
    if (p.set_gid) check(a, sys::sc(SYS_setresgid, p.gid, p.gid, p.gid));
    a.stage = SPX_STAGE_SETUID;
    if (p.set_uid) check(a, sys::sc(SYS_setresuid, p.uid, p.uid, p.uid));

    // Inheritable, permitted and effective sets; ambient caps must be in
    // the first two before they can be raised.
    a.stage = SPX_STAGE_CAPS;
    if (p.set_caps) check(a, capset(p));
    if (p.clear_inheritable) check(a, clear_inheritable());

    // Ambient set: exactly the asked ones, or none for a new identity.
    if (p.set_ambient) {
        a.stage = SPX_STAGE_AMBIENT;
        check(a, sys::sc(SYS_prctl, PR_CAP_AMBIENT, PR_CAP_AMBIENT_CLEAR_ALL, 0, 0, 0));
        for (int cap = 0; cap < 64; cap++)
            if ((p.ambient >> cap) & 1) check(a, sys::sc(SYS_prctl, PR_CAP_AMBIENT, PR_CAP_AMBIENT_RAISE, cap, 0, 0));
    }

    // Securebits: after the ambient raise (NO_CAP_AMBIENT_RAISE would
    // forbid it), while CAP_SETPCAP is held; then drop what was kept only
    // for this.
    if (p.set_securebits) {
        a.stage = SPX_STAGE_SECUREBITS;
        check(a, set_securebits(p.securebits));
        a.stage = SPX_STAGE_CAPS;
        if (p.drop_after_securebits) check(a, set_caps(p.cap_final, p.cap_final, p.cap_inheritable));
    }

    // Parent death signal: after the identity change, which clears it. If
    // the parent died before it was armed, no signal will ever come.
    if (p.pdeathsig) {
        a.stage = SPX_STAGE_PDEATHSIG;
        check(a, sys::sc(SYS_prctl, PR_SET_PDEATHSIG, p.pdeathsig, 0, 0, 0));
        if (sys::sc(SYS_getppid) != p.parent_pid) fail(a, -ESRCH);
    }

    if (p.umask >= 0) {
        a.stage = SPX_STAGE_UMASK;
        sys::sc(SYS_umask, p.umask);  // cannot fail
    }

    // Working directory, with the child's final identity (relative to
    // the new root after a chroot).
    if (p.cwd) {
        a.stage = SPX_STAGE_CHDIR;
        check(a, sys::sc(SYS_chdir, p.cwd));
    }

    // Descriptors: the map, then close-on-exec for everything else.
    a.stage = SPX_STAGE_FDS;
    arrange_fds(a, p);

    // Session, process group, terminal (on the child's descriptors).
    a.stage = SPX_STAGE_SESSION;
    check(a, session(p));

    // no_new_privs: asked for, or needed by Landlock and seccomp.
    a.stage = SPX_STAGE_NO_NEW_PRIVS;
    if (p.no_new_privs) check(a, sys::sc(SYS_prctl, PR_SET_NO_NEW_PRIVS, 1, 0, 0, 0));

    // Landlock: this task and whatever it execs, never the parent.
    a.stage = SPX_STAGE_LANDLOCK;
    if (p.landlock_fd >= 0 || p.landlock_flags)
        check(a, sys::sc(SYS_landlock_restrict_self, p.landlock_fd, p.landlock_flags));

    // The caller's (or the asked) signal mask, before seccomp so that a
    // filter never has to allow rt_sigprocmask.
    a.stage = SPX_STAGE_SIGNALS;
    uint64_t mask = p.sigmask;
    check(a, sys::sc(SYS_rt_sigprocmask, SIG_SETMASK, &mask, nullptr, kSigsetSize));

    // seccomp last: from here on only the exec (allowed by the filter)
    // and, on failure, exit_group run. The parent keeps the shared memory
    // map undumpable meanwhile, so a filter that kills us dumps no core of
    // it (see dumpable.hpp).
    if (p.seccomp) {
        a.stage = SPX_STAGE_SECCOMP;
        long r = sys::sc(SYS_seccomp, SECCOMP_SET_MODE_FILTER, p.seccomp_flags, p.seccomp);
        // prctl has no flags: without seccomp(2) a flagged filter fails.
        if (r == -ENOSYS && !p.seccomp_flags)
            r = sys::sc(SYS_prctl, PR_SET_SECCOMP, SECCOMP_MODE_FILTER, p.seccomp, 0, 0);
        check(a, r);
    }

    // exec.
    a.stage = SPX_STAGE_EXEC;
    int hint = 0;
    long r = exec(p, &hint);
    fail(a, r, hint);
}
