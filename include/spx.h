/*
 * spx: start child processes with the security attributes ordinary spawners
 * cannot set (Linux: ambient capabilities across a uid change, Landlock,
 * execveat, seccomp; Windows: AppContainer).
 *
 * SPDX-License-Identifier: MIT
 */
#ifndef SPX_H
#define SPX_H

#include <stddef.h>
#include <stdint.h>

#ifdef __cplusplus
extern "C" {
#endif

/**
 * @file spx.h
 * @brief The whole public interface of libspx: one C99 header.
 *
 * @section conventions Conventions
 *
 * - **Opaque handles.** Every object (::spx_attr, ::spx_process,
 *   ::spx_landlock, ::spx_seccomp) is created by a `*_new` function and
 *   released by its `*_free` function; `*_free(NULL)` does nothing. No
 *   structure layout is public except ::spx_error.
 * - **Return values.** Every function returning `int` (unless documented
 *   otherwise) returns 0 on success or a positive error number: an errno value
 *   on Linux (`EINVAL` bad argument, `EBADF` bad descriptor, `ENOTSUP` feature
 *   missing on this platform or kernel, `ENOMEM` ...), a Win32 error code on
 *   Windows (`ERROR_INVALID_PARAMETER`, `ERROR_INVALID_HANDLE`,
 *   `ERROR_NOT_SUPPORTED`, `ERROR_NOT_ENOUGH_MEMORY` ...), which is what Go's
 *   syscall.Errno, Rust's io::Error and .NET's Win32Exception read there.
 *   The Linux-only setters (identity, capabilities, chroot, execfd,
 *   Landlock, seccomp, signal settings, the descriptor map, limits and
 *   session controls) answer `ERROR_NOT_SUPPORTED` on Windows; the
 *   Windows-only ones answer `ENOTSUP` on Linux, except spx_appcontainer_sid()
 *   and spx_capability_sid(), which work everywhere. Nothing is ever
 *   printed by the library.
 * - **No hidden error state.** There is no global or thread-local "last
 *   error": spx_spawn() fills a caller-provided ::spx_error instead, so the
 *   library is safe to call from runtimes that move work between OS threads
 *   (Go goroutines, .NET tasks).
 * - **Validation at once.** Every setter checks its arguments when called. A
 *   call that fails leaves the object exactly as it was.
 * - **Explicit lengths.** Every array argument comes with its element count;
 *   `n == 0` with a NULL pointer is an empty set. Strings are NUL-terminated.
 * - **Descriptors are copied.** A setter that takes a file descriptor
 *   duplicates it (close-on-exec) before returning, so the caller may close its
 *   own copy; the attribute object closes its duplicate when freed.
 * - **Threads.** Distinct objects may be used from distinct threads freely.
 *   One ::spx_attr may be passed to any number of concurrent spx_spawn() calls
 *   as long as no thread modifies it meanwhile. spx_spawn() takes no lock
 *   around the spawn; see @ref dumpable for the one process-wide flag it
 *   manages.
 *
 * @section stages Stages
 *
 * A spawn runs in two halves. In the parent, spx_spawn() turns the attribute
 * object into one immutable plan (path lookup, argument arrays, descriptor
 * moves, capability masks, BPF program): failures there are
 * ::SPX_STAGE_PREPARE. The child, created with `clone3(CLONE_VM|CLONE_VFORK)`
 * on a private stack, then runs these stages in this order, using raw system
 * calls only:
 *
 * -# cgroup: only where the kernel lacks `CLONE_INTO_CGROUP` (before 5.7), the
 *    child writes itself into spx_attr_set_cgroup_fd()'s `cgroup.procs`;
 *    elsewhere clone3 creates it there
 * -# signals: caught signals back to default, ::spx_attr_set_sigdefault list
 * -# chroot, then chdir("/") into the new root
 * -# rlimits (before the identity change: raising a hard limit needs
 *    CAP_SYS_RESOURCE)
 * -# bounding set reduced
 * -# capabilities kept across the uid change (PR_SET_KEEPCAPS)
 * -# setgroups
 * -# setgid
 * -# setuid
 * -# caps: inheritable, permitted and effective sets (capset)
 * -# ambient set
 * -# securebits (after the ambient raise, while CAP_SETPCAP is held; a
 *    CAP_SETPCAP kept only for this is dropped right after)
 * -# pdeathsig (after the identity change, which would clear it)
 * -# umask
 * -# chdir (relative to the new root after a chroot)
 * -# fds: the descriptor map, every other descriptor closed at exec
 * -# session: setsid, setpgid, controlling terminal, foreground group (on
 *    the child's descriptor numbers)
 * -# no_new_privs
 * -# landlock
 * -# signal mask: the caller's, or spx_attr_set_sigmask()'s
 * -# seccomp (last, so it never blocks spx's own setup: a filter needs to
 *    allow nothing but the exec, which spx allows for it)
 * -# exec
 *
 * The first failing stage stops the child; its stage and errno reach the
 * caller in ::spx_error and the program is never run. The child writes them
 * into the memory it shares with the suspended caller (no pipe, no
 * descriptor): `CLONE_VFORK` resumes the caller only once the child has
 * exec'd or exited, so the report is complete when it is read. Before each
 * stage the child also records which one it is in: a child killed by a
 * signal before it reached the exec stage (an inherited seccomp filter, the
 * OOM killer) is a failed spawn too, `EINTR` at that stage with the signal
 * named in the message. A child killed during the exec itself cannot be
 * told from a program killed right after it started, and is reported as
 * started.
 *
 * @section dumpable The dumpable flag
 *
 * Until it execs, the child runs on the caller's memory. While any child
 * that changes uid or gid, or loads a seccomp filter, has not exec'd, the
 * caller's memory map is kept undumpable (`PR_SET_DUMPABLE` 0): a process
 * with the child's new uid could otherwise open `/proc/<child>/mem` and keep
 * access to the caller's memory after the exec, and a child killed by its
 * filter would dump a core of it. This flag is the kernel's, process-wide:
 * spx_spawn() counts such spawns across threads, and the last one out
 * restores the value the first one in saw. A value of 2 (`SUID_DUMP_ROOT`,
 * set by the kernel) cannot be set back and is left at 0. Another thread
 * that calls `prctl(PR_GET_DUMPABLE)` meanwhile sees 0.
 *
 * @section limits Known limits
 *
 * - A process running as the child's new uid can `SIGSTOP` the child
 *   between its uid change and its exec, and so stall the thread blocked in
 *   spx_spawn() until it sends `SIGCONT`. Every vfork-style spawner shares
 *   this (Go's os/exec, glibc's posix_spawn); it cannot reach the caller's
 *   memory or privileges.
 *
 * @section windows Windows
 *
 * spx.dll runs the child with CreateProcessW. In the caller, at
 * ::SPX_STAGE_PREPARE: the program path is made absolute (GetFullPathNameW;
 * with spx_attr_set_search_path(), a name without a separator is looked up
 * in PATH, with ".exe" added when it has no extension, never in the current
 * directory) and always passed as lpApplicationName; argv (UTF-8, strictly
 * decoded: invalid UTF-8 is ERROR_INVALID_PARAMETER, never replaced) becomes
 * one command line by the rules of the Microsoft C runtime (argv[0] is never
 * escaped and may not hold `"`; at most 32,767 UTF-16 units, else
 * ERROR_FILENAME_EXCED_RANGE); envp becomes a UTF-16 block sorted as Windows
 * sorts it (first entry wins on duplicate names). A `.bat` or `.cmd`
 * program is refused with ERROR_NOT_SUPPORTED, also when Windows would trim
 * trailing dots and spaces (`x.bat. `): cmd.exe re-parses its command line
 * by other rules, so no quoting of argv can be safe there.
 * Then ::SPX_STAGE_CHDIR (the directory of spx_attr_set_cwd() does not
 * exist or is not a directory), ::SPX_STAGE_JOB, ::SPX_STAGE_APPCONTAINER
 * (profile, SIDs, attribute list), ::SPX_STAGE_CREATE_PROCESS, and last
 * the AppContainer token check (::SPX_STAGE_APPCONTAINER) while the child is
 * still suspended. Every UpdateProcThreadAttribute() result is checked: a
 * Windows (or wine) that refuses an attribute fails the spawn instead of
 * running the child with less than was asked.
 */

/** @name Versions */
/** @{ */
/** Major version of this header. */
#define SPX_VERSION_MAJOR 0
/** Minor version of this header. */
#define SPX_VERSION_MINOR 1
/** Patch version of this header. */
#define SPX_VERSION_PATCH 0
/** @} */

/**
 * @brief The library's version, "MAJOR.MINOR.PATCH".
 * @return a static string, never NULL.
 */
const char *spx_version(void);

/* ------------------------------------------------------------------------ */
/** @name Errors and stages */
/** @{ */

/** Nothing failed. */
#define SPX_STAGE_NONE 0
/** Parent side: argument checks, path lookup, allocation, plan building. */
#define SPX_STAGE_PREPARE 1
/** Creating the child (clone3/clone). */
#define SPX_STAGE_CLONE 2
/** chroot(2) into spx_attr_set_chroot()'s directory. */
#define SPX_STAGE_CHROOT 3
/** chdir(2) into spx_attr_set_cwd()'s directory. */
#define SPX_STAGE_CHDIR 4
/** Dropping capabilities from the bounding set. */
#define SPX_STAGE_BOUNDING 5
/** setgroups(2). */
#define SPX_STAGE_SETGROUPS 6
/** setresgid(2). */
#define SPX_STAGE_SETGID 7
/** setresuid(2). */
#define SPX_STAGE_SETUID 8
/** Keeping capabilities across the uid change and capset(2). */
#define SPX_STAGE_CAPS 9
/** Clearing and raising the ambient set. */
#define SPX_STAGE_AMBIENT 10
/** Arranging descriptors (spx_attr_set_fd()) and closing the others. */
#define SPX_STAGE_FDS 11
/** prctl(PR_SET_NO_NEW_PRIVS). */
#define SPX_STAGE_NO_NEW_PRIVS 12
/** landlock_restrict_self(2). */
#define SPX_STAGE_LANDLOCK 13
/** Installing the seccomp filter. */
#define SPX_STAGE_SECCOMP 14
/** execve(2) / execveat(2). */
#define SPX_STAGE_EXEC 15
/** Resetting signal dispositions in the child. */
#define SPX_STAGE_SIGNALS 16
/** setrlimit (prlimit64) of spx_attr_set_rlimit()'s limits. */
#define SPX_STAGE_RLIMIT 17
/** setsid(2), setpgid(2), TIOCSCTTY, tcsetpgrp(3). */
#define SPX_STAGE_SESSION 18
/** Placing the child in spx_attr_set_cgroup_fd()'s cgroup. */
#define SPX_STAGE_CGROUP 19
/** prctl(PR_SET_PDEATHSIG), and the check that the parent is still there. */
#define SPX_STAGE_PDEATHSIG 20
/** prctl(PR_SET_SECUREBITS). */
#define SPX_STAGE_SECUREBITS 21
/** umask(2). */
#define SPX_STAGE_UMASK 22
/** Windows: the AppContainer profile, SECURITY_CAPABILITIES, and the check
 *  of the suspended child's token. */
#define SPX_STAGE_APPCONTAINER 32
/** Windows: CreateProcessW. */
#define SPX_STAGE_CREATE_PROCESS 33
/** Windows: the job object of spx_attr_set_job(), and the check that the
 *  suspended child is in it. */
#define SPX_STAGE_JOB 34

/**
 * @brief Details of a failed spx_spawn().
 *
 * Provided by the caller; the library writes it only on failure (on success
 * `code` and `stage` are set to 0 and `message` to "").
 */
typedef struct spx_error {
    int code;          /**< Same value spx_spawn() returned (errno on Linux, a Win32 code on Windows). */
    int stage;         /**< One of the SPX_STAGE_* values. */
    char message[256]; /**< "stage: reason[: detail]", NUL-terminated. */
} spx_error;

/**
 * @brief The short name of a stage, e.g. "setuid", "landlock".
 * @param stage an SPX_STAGE_* value.
 * @return a static string, never NULL ("unknown" for other values).
 */
const char *spx_stage_name(int stage);
/** @} */

/* ------------------------------------------------------------------------ */
/** @name Spawn attributes: process basics */
/** @{ */

/** @brief Spawn attributes: everything about the child except path, argv, envp. */
typedef struct spx_attr spx_attr;

/**
 * @brief A new attribute object with the defaults: inherit cwd and identity,
 * child fds 0, 1, 2 inherited and every other descriptor closed, no PATH
 * search, no security attribute.
 * @return the object, or NULL when out of memory.
 */
spx_attr *spx_attr_new(void);

/**
 * @brief Release an attribute object and the descriptors it holds.
 * @param attr the object; NULL is fine.
 */
void spx_attr_free(spx_attr *attr);

/**
 * @brief The child's working directory (after chroot, if any).
 * @param attr the object.
 * @param dir a non-empty path, or NULL to inherit the parent's.
 * @return 0, EINVAL (empty string or NULL attr), ENOMEM.
 */
int spx_attr_set_cwd(spx_attr *attr, const char *dir);

/**
 * @brief Map a descriptor into the child.
 *
 * The child's descriptor @p child_fd will be a copy of @p parent_fd. Any
 * permutation works (child 0 <- parent 1 together with child 1 <- parent 0).
 * Mapping the same @p child_fd again replaces the earlier mapping.
 * @param attr the object.
 * @param child_fd the number in the child, >= 0 and below the kernel's
 *        limit on descriptor numbers (Linux: fs.nr_open).
 * @param parent_fd an open descriptor, duplicated now (the caller may close it),
 *        or -1 to have @p child_fd closed in the child.
 * @return 0, EINVAL (negative child_fd, parent_fd < -1), EBADF (parent_fd not
 *         open, or child_fd at or above fs.nr_open), EMFILE, ENOMEM,
 *         ENOTSUP (Windows: see spx_attr_set_stdio_handle() and
 *         spx_attr_add_handle()).
 */
int spx_attr_set_fd(spx_attr *attr, int child_fd, int parent_fd);

/**
 * @brief Look a path without '/' up in PATH, in the parent (like execvp).
 *
 * The parent's PATH is used (or "/usr/local/bin:/usr/bin:/bin" when unset),
 * resolved inside the chroot directory when one is set. The first entry the
 * child can execute with the identity it will have (spx_attr_set_uid(),
 * spx_attr_set_gid(), its groups; mode bits, not ACLs) is taken, as execvp
 * run by the child would. Not found is ENOENT at
 * ::SPX_STAGE_PREPARE.
 * @param attr the object.
 * @param on 1 to search, 0 to use the path as given.
 * @return 0, EINVAL.
 */
int spx_attr_set_search_path(spx_attr *attr, int on);

/**
 * @brief The child's signal mask at exec: exactly these signals blocked.
 *
 * Without this call the child gets the calling thread's mask at spawn time
 * (as posix_spawn does).
 * @param attr the object.
 * @param signals signal numbers (1..64).
 * @param n number of entries; 0 means an empty mask.
 * @return 0, EINVAL (a number out of range, NULL with n > 0), ENOTSUP
 *         (Windows).
 */
int spx_attr_set_sigmask(spx_attr *attr, const int *signals, size_t n);

/**
 * @brief Signals whose disposition is reset to SIG_DFL in the child, even if
 * the parent ignores them (e.g. SIGPIPE).
 *
 * Signals the parent catches with a handler are always reset; ignored signals
 * stay ignored across exec (the POSIX rule) unless listed here.
 * @param attr the object.
 * @param signals signal numbers (1..64, not SIGKILL or SIGSTOP).
 * @param n number of entries; 0 clears the list.
 * @return 0, EINVAL, ENOTSUP (Windows).
 */
int spx_attr_set_sigdefault(spx_attr *attr, const int *signals, size_t n);
/** @} */

/* ------------------------------------------------------------------------ */
/** @name Spawn attributes: identity and capabilities (Linux) */
/** @{ */

/**
 * @brief Run the child as this user id (real, effective and saved).
 *
 * A uid needs a gid: spx_spawn() refuses a uid without spx_attr_set_gid()
 * (EINVAL at ::SPX_STAGE_PREPARE), since keeping the caller's group (often
 * root's) is never what a privilege drop means. Changing uid or gid also
 * clears what the caller would otherwise pass on unasked: the supplementary
 * groups (unless spx_attr_set_groups() or spx_attr_set_keep_groups() say
 * otherwise), the ambient set (unless spx_attr_set_ambient()) and the
 * inheritable set (unless spx_attr_set_inheritable() or
 * spx_attr_set_ambient()). A uid and gid equal to the caller's own real,
 * effective and saved ids change nothing and clear no group.
 * @param attr the object.
 * @param uid the user id; (uint32_t)-1 is EINVAL.
 * @return 0, EINVAL, ENOTSUP (Windows).
 */
int spx_attr_set_uid(spx_attr *attr, uint32_t uid);

/**
 * @brief Run the child with this group id (real, effective and saved).
 *
 * See spx_attr_set_uid() for what a change of identity clears.
 * @param attr the object.
 * @param gid the group id; (uint32_t)-1 is EINVAL.
 * @return 0, EINVAL, ENOTSUP (Windows).
 */
int spx_attr_set_gid(spx_attr *attr, uint32_t gid);

/**
 * @brief The child's supplementary groups, exactly these.
 *
 * Replaces an earlier spx_attr_set_keep_groups().
 * @param attr the object.
 * @param groups group ids.
 * @param n number of ids; 0 means no supplementary group.
 * @return 0, EINVAL (NULL with n > 0, more than 65536, (uint32_t)-1), ENOMEM,
 *         ENOTSUP (Windows).
 */
int spx_attr_set_groups(spx_attr *attr, const uint32_t *groups, size_t n);

/**
 * @brief Keep the caller's supplementary groups across a uid or gid change
 * (no setgroups(2) call), instead of clearing them.
 *
 * For callers that cannot call setgroups(2) (no CAP_SETGID, or a user
 * namespace with setgroups denied) and know that their groups are safe to
 * pass on; the equivalent of Go's Credential.NoSetGroups. Setting it
 * forgets an earlier spx_attr_set_groups(); 0 restores the default.
 * @param attr the object.
 * @param on 1 to keep them, 0 for the default.
 * @return 0, EINVAL (on not 0 or 1), ENOTSUP (Windows).
 */
int spx_attr_set_keep_groups(spx_attr *attr, int on);

/**
 * @brief The child's ambient capability set, exactly these.
 *
 * They survive the uid change: a child that runs as a non-zero uid ends with
 * CapAmb = CapPrm = CapEff = these, and each is added to the inheritable
 * set. A child that stays root (no spx_attr_set_uid(), or uid 0) gets every
 * capability of its bounding set at exec anyway, as the kernel gives any
 * root process: to give such a child exactly these, also set
 * ::SPX_SECBIT_NOROOT | ::SPX_SECBIT_NOROOT_LOCKED with
 * spx_attr_set_securebits(), or reduce spx_attr_set_bounding(). Every one must stay in the
 * bounding set: one outside spx_attr_set_bounding()'s set is EINVAL, one
 * outside the calling process's own bounding set EPERM, both at spawn time
 * (::SPX_STAGE_PREPARE).
 * @param attr the object.
 * @param caps capability numbers (see spx_cap_from_name()).
 * @param n number of entries; 0 clears the child's ambient set.
 * @return 0, EINVAL (a number above the kernel's cap_last_cap), ENOTSUP.
 */
int spx_attr_set_ambient(spx_attr *attr, const int *caps, size_t n);

/**
 * @brief The child's inheritable set, exactly these (plus the ambient ones).
 * @param attr the object.
 * @param caps capability numbers.
 * @param n number of entries; 0 leaves only the ambient ones.
 * @return 0, EINVAL, ENOTSUP.
 */
int spx_attr_set_inheritable(spx_attr *attr, const int *caps, size_t n);

/**
 * @brief Reduce the child's bounding set to exactly these (needs
 * CAP_SETPCAP).
 * @param attr the object.
 * @param keep capability numbers to keep.
 * @param n number of entries; 0 empties the bounding set.
 * @return 0, EINVAL, ENOTSUP.
 */
int spx_attr_set_bounding(spx_attr *attr, const int *keep, size_t n);

/**
 * @brief Set no_new_privs in the child (inherited by everything it runs).
 *
 * A Landlock ruleset or seccomp filter sets it anyway unless the child keeps
 * CAP_SYS_ADMIN in its effective set.
 * @param attr the object.
 * @param on 1 to set, 0 for the default.
 * @return 0, EINVAL, ENOTSUP.
 */
int spx_attr_set_no_new_privs(spx_attr *attr, int on);

/**
 * @brief chroot(2) the child into this directory (needs CAP_SYS_CHROOT).
 * The program path and the working directory are then taken inside it.
 * @param attr the object.
 * @param dir a non-empty path, or NULL for none.
 * @return 0, EINVAL, ENOMEM, ENOTSUP.
 */
int spx_attr_set_chroot(spx_attr *attr, const char *dir);

/**
 * @brief A capability's number from its name.
 * @param name "cap_sys_time", "CAP_SYS_TIME" or "sys_time".
 * @return the number (25 for the example), or -1 if unknown.
 */
int spx_cap_from_name(const char *name);

/**
 * @brief A capability's name from its number.
 * @param cap the number.
 * @return "cap_sys_time" style static string, or NULL if unknown.
 */
const char *spx_cap_name(int cap);
/** @} */

/* ------------------------------------------------------------------------ */
/** @name Spawn attributes: limits, session, cgroup, parent death, umask, securebits (Linux) */
/** @{ */

/** An unlimited resource limit (RLIM_INFINITY). */
#define SPX_RLIM_INFINITY UINT64_MAX

/**
 * @brief Set one resource limit of the child (setrlimit(2)).
 *
 * Applied in the child before its identity changes, so raising a hard
 * limit works while it is still privileged. Setting the same resource
 * again replaces the earlier values.
 * @param attr the object.
 * @param resource the Linux RLIMIT_* number (see spx_rlimit_from_name()).
 * @param soft the soft limit, or ::SPX_RLIM_INFINITY.
 * @param hard the hard limit, or ::SPX_RLIM_INFINITY; at least @p soft.
 * @return 0, EINVAL (unknown resource, soft above hard), ENOMEM, ENOTSUP
 *         (Windows). Raising a hard limit without CAP_SYS_RESOURCE fails at
 *         spawn time: EPERM at ::SPX_STAGE_RLIMIT.
 */
int spx_attr_set_rlimit(spx_attr *attr, int resource, uint64_t soft, uint64_t hard);

/**
 * @brief A resource's RLIMIT_* number from its name.
 * @param name "nofile", "NOFILE" or "RLIMIT_NOFILE" (any case).
 * @return the number (7 for the example), or -1 if unknown or NULL.
 */
int spx_rlimit_from_name(const char *name);

/**
 * @brief Start the child in a new session, and so a new process group, that
 * it leads (setsid(2)).
 *
 * It then has no controlling terminal (see spx_attr_set_ctty()): a sandboxed
 * program can no longer inject input into the caller's terminal (TIOCSTI).
 * @param attr the object.
 * @param on 1 for a new session, 0 for the default (the caller's).
 * @return 0, EINVAL (on not 0 or 1), ENOTSUP (Windows).
 */
int spx_attr_set_setsid(spx_attr *attr, int on);

/**
 * @brief The child's process group (setpgid(2)).
 *
 * A new group lets the caller signal the child's whole tree at once
 * (kill(-pgid)). With spx_attr_set_setsid() the child already leads a new
 * group: 0 is then accepted and changes nothing; joining an existing group
 * is EINVAL at spawn time.
 * @param attr the object.
 * @param pgid -1: the caller's group (the default); 0: a new group led by
 *        the child; > 0: join that group (of the same session).
 * @return 0, EINVAL (pgid < -1), ENOTSUP (Windows).
 */
int spx_attr_set_pgroup(spx_attr *attr, int64_t pgid);

/**
 * @brief Make the terminal at the child's descriptor @p child_fd its
 * controlling terminal (ioctl TIOCSCTTY).
 *
 * Needs spx_attr_set_setsid() (a session leader without a terminal); without
 * it spx_spawn() fails with EINVAL at ::SPX_STAGE_PREPARE. @p child_fd is a
 * number in the child, after spx_attr_set_fd()'s map.
 * @param attr the object.
 * @param child_fd the descriptor, or -1 for none (the default).
 * @return 0, EINVAL (child_fd < -1), EBADF (at or above fs.nr_open), ENOTSUP
 *         (Windows).
 */
int spx_attr_set_ctty(spx_attr *attr, int child_fd);

/**
 * @brief Make the child's process group the foreground group of the
 * terminal at the child's descriptor @p child_fd (tcsetpgrp(3)).
 *
 * Usually with spx_attr_set_pgroup(0), as a shell starts a job. The child
 * does it with SIGTTOU blocked, so it works from a background group too.
 * @param attr the object.
 * @param child_fd the descriptor (a number in the child), or -1 for none.
 * @return 0, EINVAL (child_fd < -1), EBADF (at or above fs.nr_open), ENOTSUP
 *         (Windows).
 */
int spx_attr_set_foreground(spx_attr *attr, int child_fd);

/**
 * @brief Create the child directly in this cgroup v2 directory.
 *
 * With `clone3(CLONE_INTO_CGROUP)` (Linux 5.7) the child is in the cgroup
 * from its first instruction, with no window outside it and no write to
 * `cgroup.procs` afterwards; on older kernels the child writes itself into
 * `cgroup.procs` before any other stage. Errors of the placement (EBUSY for
 * a cgroup with controllers that takes no processes, EACCES, EBADF for a
 * directory that is not cgroup v2) are reported at ::SPX_STAGE_CGROUP.
 *
 * Seen on Linux 6.18: once `cgroup.kill` has been written to a cgroup,
 * every child later created in it by `CLONE_INTO_CGROUP` from another cgroup
 * is killed at once (plain clone3, without spx, shows the same). spx_spawn()
 * reports it as EINTR, "killed by SIGKILL before exec"; use a fresh cgroup
 * for each run that may be killed that way.
 * @param attr the object.
 * @param cgroup_dirfd an open directory of the cgroup v2 hierarchy, duplicated
 *        now (the caller may close it); -1 removes the setting.
 * @return 0, EBADF (not open), ENOTDIR, EINVAL (< -1), ENOTSUP (Windows).
 */
int spx_attr_set_cgroup_fd(spx_attr *attr, int cgroup_dirfd);

/**
 * @brief Send @p sig to the child when the thread that spawned it exits
 * (prctl(PR_SET_PDEATHSIG)).
 *
 * The kernel ties this to the spawning @e thread, not the process: if that
 * thread exits while the rest of the program goes on, the child gets the
 * signal. Spawn from a thread that lives as long as the child should (Go:
 * the binding locks the goroutine to its thread; see its docs). Set after
 * the identity change, which would clear it; if the parent is already gone
 * by then, the child never execs (ESRCH at ::SPX_STAGE_PDEATHSIG).
 * @param attr the object.
 * @param sig 1..64, or 0 for none (the default).
 * @return 0, EINVAL, ENOTSUP (Windows).
 */
int spx_attr_set_pdeathsig(spx_attr *attr, int sig);

/**
 * @brief The child's file mode creation mask (umask(2)).
 * @param attr the object.
 * @param mask 0 to 0777, or -1 to inherit the caller's (the default).
 * @return 0, EINVAL, ENOTSUP (Windows).
 */
int spx_attr_set_umask(spx_attr *attr, int mask);

/** Root (uid 0) gets no capabilities from exec (SECBIT_NOROOT). */
#define SPX_SECBIT_NOROOT (1u << 0)
/** Lock ::SPX_SECBIT_NOROOT. */
#define SPX_SECBIT_NOROOT_LOCKED (1u << 1)
/** Changing uids to or from 0 does not touch the capability sets. */
#define SPX_SECBIT_NO_SETUID_FIXUP (1u << 2)
/** Lock ::SPX_SECBIT_NO_SETUID_FIXUP. */
#define SPX_SECBIT_NO_SETUID_FIXUP_LOCKED (1u << 3)
/** Lock the keep-capabilities flag (at 0: spx needs it only before exec). */
#define SPX_SECBIT_KEEP_CAPS_LOCKED (1u << 5)
/** No ambient capability can be raised (after spx raised the asked ones). */
#define SPX_SECBIT_NO_CAP_AMBIENT_RAISE (1u << 6)
/** Lock ::SPX_SECBIT_NO_CAP_AMBIENT_RAISE. */
#define SPX_SECBIT_NO_CAP_AMBIENT_RAISE_LOCKED (1u << 7)
/** Interpreters check scripts with execveat(AT_EXECVE_CHECK) (Linux 6.14). */
#define SPX_SECBIT_EXEC_RESTRICT_FILE (1u << 8)
/** Lock ::SPX_SECBIT_EXEC_RESTRICT_FILE. */
#define SPX_SECBIT_EXEC_RESTRICT_FILE_LOCKED (1u << 9)
/** Interpreters refuse interactive input (Linux 6.14). */
#define SPX_SECBIT_EXEC_DENY_INTERACTIVE (1u << 10)
/** Lock ::SPX_SECBIT_EXEC_DENY_INTERACTIVE. */
#define SPX_SECBIT_EXEC_DENY_INTERACTIVE_LOCKED (1u << 11)

/**
 * @brief The child's securebits, exactly these (prctl(PR_SET_SECUREBITS);
 * values of the kernel's linux/securebits.h).
 *
 * Set after the ambient raise (so ::SPX_SECBIT_NO_CAP_AMBIENT_RAISE_LOCKED
 * works with an ambient set) while the child still holds CAP_SETPCAP: the
 * caller must have it. spx keeps CAP_SETPCAP that long and drops it right
 * after unless the child is meant to keep it (in the ambient set, or a child
 * that stays root without ::SPX_SECBIT_NOROOT).
 * @param attr the object.
 * @param bits SPX_SECBIT_* values, or'ed.
 * @return 0, EINVAL (a bit that is not an SPX_SECBIT_*), ENOTSUP (Windows).
 *         Bits the kernel lacks: ENOTSUP at ::SPX_STAGE_SECUREBITS.
 */
int spx_attr_set_securebits(spx_attr *attr, unsigned bits);
/** @} */

/* ------------------------------------------------------------------------ */
/** @name Spawn attributes: executing a descriptor (Linux) */
/** @{ */

/** For spx_attr_set_exec_dirfd(): do not follow a final symbolic link. */
#define SPX_AT_SYMLINK_NOFOLLOW 0x100

/**
 * @brief Execute this file descriptor instead of a path
 * (`execveat(fd, "", argv, envp, AT_EMPTY_PATH)`).
 *
 * spx_spawn()'s path may then be NULL; argv[0] still comes from argv. The
 * descriptor survives any spx_attr_set_fd() renumbering and is not inherited
 * by the new program, except for a `#!` script, whose interpreter must reopen
 * it as /dev/fd/N: for a script the descriptor stays open in the program.
 * Whether it is a script is read when this is called, not at each spawn.
 * O_PATH descriptors, read-only ones and sealed memfds all work. On kernels
 * without execveat(2) the child falls back to /proc/self/fd/N, which needs
 * /proc mounted (the error says so).
 * @param attr the object.
 * @param fd an open descriptor, duplicated now; -1 removes it.
 * @return 0, EBADF (fd not open), EINVAL (fd < -1), ENOTSUP.
 */
int spx_attr_set_execfd(spx_attr *attr, int fd);

/**
 * @brief Resolve spx_spawn()'s path relative to this directory
 * (`execveat(dirfd, path, ...)`), with no PATH search.
 * @param attr the object.
 * @param dirfd an open directory descriptor, duplicated now; -1 removes it.
 * @param at_flags 0 or ::SPX_AT_SYMLINK_NOFOLLOW.
 * @return 0, EBADF, ENOTDIR, EINVAL (unknown flags), ENOTSUP.
 */
int spx_attr_set_exec_dirfd(spx_attr *attr, int dirfd, int at_flags);
/** @} */

/* ------------------------------------------------------------------------ */
/** @name Landlock (Linux)
 *  Rights, scopes and flags have the kernel's values, from its uapi header
 *  linux/landlock.h as of Linux 7.2 (Landlock ABI 10), and are passed to it
 *  as they are. */
/** @{ */

/** Execute a file. */
#define SPX_LANDLOCK_FS_EXECUTE (1ULL << 0)
/** Open a file with write access. */
#define SPX_LANDLOCK_FS_WRITE_FILE (1ULL << 1)
/** Open a file with read access. */
#define SPX_LANDLOCK_FS_READ_FILE (1ULL << 2)
/** Open a directory or list its content. */
#define SPX_LANDLOCK_FS_READ_DIR (1ULL << 3)
/** Remove an empty directory or rename one. */
#define SPX_LANDLOCK_FS_REMOVE_DIR (1ULL << 4)
/** Unlink or rename a file. */
#define SPX_LANDLOCK_FS_REMOVE_FILE (1ULL << 5)
/** Create a character device. */
#define SPX_LANDLOCK_FS_MAKE_CHAR (1ULL << 6)
/** Create a directory. */
#define SPX_LANDLOCK_FS_MAKE_DIR (1ULL << 7)
/** Create a regular file. */
#define SPX_LANDLOCK_FS_MAKE_REG (1ULL << 8)
/** Create a UNIX domain socket. */
#define SPX_LANDLOCK_FS_MAKE_SOCK (1ULL << 9)
/** Create a named pipe. */
#define SPX_LANDLOCK_FS_MAKE_FIFO (1ULL << 10)
/** Create a block device. */
#define SPX_LANDLOCK_FS_MAKE_BLOCK (1ULL << 11)
/** Create a symbolic link. */
#define SPX_LANDLOCK_FS_MAKE_SYM (1ULL << 12)
/**
 * Link or rename a file across directories (ABI 2). Unlike the other rights,
 * the kernel denies it under any ruleset that handles a filesystem right,
 * handled or not, unless a rule grants it; a kernel with ABI 1 always denies
 * it. See spx_landlock_new() and spx_landlock_set_handled() for what this
 * library does about it.
 */
#define SPX_LANDLOCK_FS_REFER (1ULL << 13)
/** Truncate a file (ABI 3). */
#define SPX_LANDLOCK_FS_TRUNCATE (1ULL << 14)
/** ioctl(2) on a character or block device (ABI 5). */
#define SPX_LANDLOCK_FS_IOCTL_DEV (1ULL << 15)
/**
 * Connect or send to a pathname UNIX socket beneath the rule (ABI 9). Valid
 * on rules for files too (the socket itself). Not part of
 * ::SPX_LANDLOCK_FS_RW: handling it denies every pathname UNIX socket (syslog,
 * journald, D-Bus) that no rule allows.
 */
#define SPX_LANDLOCK_FS_RESOLVE_UNIX (1ULL << 16)

/** Read-only files and directories: read_file, read_dir. */
#define SPX_LANDLOCK_FS_RO (SPX_LANDLOCK_FS_READ_FILE | SPX_LANDLOCK_FS_READ_DIR)
/** Read-only plus execute. */
#define SPX_LANDLOCK_FS_ROX (SPX_LANDLOCK_FS_RO | SPX_LANDLOCK_FS_EXECUTE)
/**
 * Read-write: every filesystem right of ABI 1 to 8 (ABI 1: the base rights;
 * 2 adds refer; 3 truncate; 5 ioctl_dev). Its value is compiled into the
 * caller's program, so it never grows: for every right of ABI N (ABI 9 adds
 * ::SPX_LANDLOCK_FS_RESOLVE_UNIX) use spx_landlock_fs_rights(N). Best effort
 * keeps those of the running kernel.
 */
#define SPX_LANDLOCK_FS_RW ((1ULL << 16) - 1)

/** Bind a TCP socket to a port (ABI 4). */
#define SPX_LANDLOCK_NET_BIND_TCP (1ULL << 0)
/** Connect a TCP socket to a port (ABI 4). */
#define SPX_LANDLOCK_NET_CONNECT_TCP (1ULL << 1)
/** Bind a UDP socket to a port (ABI 10). */
#define SPX_LANDLOCK_NET_BIND_UDP (1ULL << 2)
/** Connect a UDP socket to a port, or send a datagram to it (ABI 10). */
#define SPX_LANDLOCK_NET_CONNECT_SEND_UDP (1ULL << 3)

/** No connecting to abstract UNIX sockets outside the domain (ABI 6). */
#define SPX_LANDLOCK_SCOPE_ABSTRACT_UNIX_SOCKET (1ULL << 0)
/** No signals to processes outside the domain (ABI 6). */
#define SPX_LANDLOCK_SCOPE_SIGNAL (1ULL << 1)

/** spx_landlock_new() flag: drop what the kernel cannot enforce instead of failing. */
#define SPX_LANDLOCK_BEST_EFFORT 1u

/** spx_landlock_status(): everything asked is enforced. */
#define SPX_LANDLOCK_FULLY_ENFORCED 2
/** spx_landlock_status(): enforced, but some asked rights (or quiet settings)
 *  are unknown to this kernel. */
#define SPX_LANDLOCK_PARTIALLY_ENFORCED 1
/** spx_landlock_status(): nothing enforced (no Landlock in the kernel, or best
 *  effort found nothing it could enforce as asked). */
#define SPX_LANDLOCK_NOT_ENFORCED 0

/** spx_landlock_allow_path_flags(), spx_landlock_allow_port_flags(): a quiet
 *  rule (ABI 10): denials beneath it of the ruleset's quiet rights (see
 *  spx_landlock_set_quiet()) are not logged. */
#define SPX_LANDLOCK_RULE_QUIET 1u

/** @brief A Landlock ruleset under construction, reusable for any number of spawns. */
typedef struct spx_landlock spx_landlock;

/**
 * @brief The running kernel's Landlock ABI version.
 * @return 1, 2, ...; 0 when Landlock is unavailable (or not Linux).
 */
int spx_landlock_abi(void);

/**
 * @brief The running kernel's fixed Landlock errata
 * (`LANDLOCK_CREATE_RULESET_ERRATA`).
 *
 * Bit 0: TCP rights no longer apply to SMC, MPTCP or SCTP sockets by mistake;
 * bit 1: signal scoping no longer denies too much; bit 2: disconnected
 * directories can no longer widen REFER.
 * @return the bit mask; 0 when none is fixed, on a kernel that cannot say,
 *         or off Linux.
 */
int spx_landlock_errata(void);

/**
 * @brief Every filesystem right of Landlock ABI @p abi.
 * @param abi 1..10, or 0 for the newest ABI this library knows.
 * @return SPX_LANDLOCK_FS_* bits; 0 for an unknown ABI.
 */
uint64_t spx_landlock_fs_rights(int abi);

/**
 * @brief Every network right of Landlock ABI @p abi (none before 4).
 * @param abi 1..10, or 0 for the newest ABI this library knows.
 * @return SPX_LANDLOCK_NET_* bits; 0 for an unknown ABI.
 */
uint64_t spx_landlock_net_rights(int abi);

/**
 * @brief Every scope of Landlock ABI @p abi (none before 6).
 * @param abi 1..10, or 0 for the newest ABI this library knows.
 * @return SPX_LANDLOCK_SCOPE_* bits; 0 for an unknown ABI.
 */
uint64_t spx_landlock_scopes(int abi);

/**
 * @brief A new ruleset handling every access right of ABI @p abi.
 *
 * Strict (flags 0): never enforces less than asked; a right the kernel lacks is
 * ENOTSUP (at allow time for rules, at create time for the handled set).
 * ::SPX_LANDLOCK_BEST_EFFORT: such rights are dropped from the handled set and
 * the rules, spx_landlock_status() says so, and without Landlock spawns run
 * unrestricted (status ::SPX_LANDLOCK_NOT_ENFORCED).
 *
 * Reparenting (::SPX_LANDLOCK_FS_REFER) is never dropped silently, since the
 * kernel would then deny it everywhere: when a rule grants REFER (or
 * spx_landlock_set_handled() left it out) on a kernel with ABI 1, which cannot
 * allow it, best effort leaves the filesystem unrestricted instead, as the
 * kernel's sample sandboxer does, and spx_landlock_status() reports
 * ::SPX_LANDLOCK_NOT_ENFORCED (such a kernel has nothing else to enforce);
 * strict mode answers ENOTSUP. From ABI 2 on, REFER granted by a rule is
 * kept even in a ruleset of ABI 1.
 *
 * @warning @p abi 0 means the newest ABI of the library the program runs
 * with, not the one it was built with: upgrading the library then silently
 * handles, so denies, more (ABI 9 every pathname UNIX socket such as
 * journald or D-Bus, ABI 10 all UDP and so DNS), and a strict ruleset fails
 * with ENOTSUP on every older kernel. Pin the ABI your program was tested
 * with, or handle only what you restrict (spx_landlock_set_handled()).
 * @param out receives the ruleset.
 * @param abi 1..10, or 0 for the newest this library knows (see the warning).
 * @param flags 0 or ::SPX_LANDLOCK_BEST_EFFORT.
 * @return 0, EINVAL, ENOMEM, ENOTSUP (not Linux).
 */
int spx_landlock_new(spx_landlock **out, int abi, unsigned flags);

/**
 * @brief Allow @p access beneath @p path.
 *
 * A rule on a non-directory keeps only the rights that apply to files
 * (execute, write_file, read_file, truncate, ioctl_dev, resolve_unix).
 *
 * The path is resolved now, but no descriptor is kept per rule (a ruleset
 * may hold any number of rules under a low open-file limit):
 * spx_landlock_create_fd() opens the object again by the absolute path found
 * now and fails with ESTALE when that path no longer names the same object
 * on the same mount. (An object the kernel cannot name by a path that leads
 * back to it, such as a deleted directory, or any object without /proc,
 * keeps its descriptor instead.) Rules for the same object merge (their
 * rights and flags add up).
 * @param rs the ruleset.
 * @param path an existing path.
 * @param access SPX_LANDLOCK_FS_* bits (non-zero).
 * @return 0, ENOENT/EACCES/... (opening the path), EINVAL, ENOTSUP (strict,
 *         right unknown to the kernel or outside the ruleset's ABI).
 */
int spx_landlock_allow_path(spx_landlock *rs, const char *path, uint64_t access);

/**
 * @brief spx_landlock_allow_path() with rule flags.
 * @param rs the ruleset.
 * @param path an existing path.
 * @param access SPX_LANDLOCK_FS_* bits (non-zero).
 * @param rule_flags 0 or ::SPX_LANDLOCK_RULE_QUIET (ABI 10; best effort drops
 *        it on an older kernel).
 * @return as spx_landlock_allow_path(); EINVAL for unknown flags; ENOTSUP
 *         (strict, a flag the ruleset's ABI or the kernel lacks).
 */
int spx_landlock_allow_path_flags(spx_landlock *rs, const char *path, uint64_t access, unsigned rule_flags);

/**
 * @brief Allow @p access for @p port (TCP: ABI 4, UDP: ABI 10).
 * @param rs the ruleset.
 * @param port 0..65535.
 * @param access SPX_LANDLOCK_NET_* bits (non-zero).
 * @return 0, EINVAL, ENOTSUP (strict, and a right the ruleset's ABI or the
 *         kernel lacks).
 */
int spx_landlock_allow_port(spx_landlock *rs, uint64_t port, uint64_t access);

/**
 * @brief spx_landlock_allow_port() with rule flags.
 * @param rs the ruleset.
 * @param port 0..65535.
 * @param access SPX_LANDLOCK_NET_* bits (non-zero).
 * @param rule_flags 0 or ::SPX_LANDLOCK_RULE_QUIET (ABI 10; best effort drops
 *        it on an older kernel).
 * @return as spx_landlock_allow_port(); EINVAL for unknown flags; ENOTSUP
 *         (strict, a flag the ruleset's ABI or the kernel lacks).
 */
int spx_landlock_allow_port_flags(spx_landlock *rs, uint64_t port, uint64_t access, unsigned rule_flags);

/**
 * @brief Quiet denials (ABI 10): denials of these rights are not logged
 * beneath rules flagged ::SPX_LANDLOCK_RULE_QUIET (filesystem, ports), or
 * at all (scopes).
 *
 * Only handled rights can be quiet: the others are masked off when the
 * kernel ruleset is created. A ruleset that uses quiet fields is given to
 * the kernel in its 48-byte layout; otherwise in the smallest layout the
 * kernel needs. All zero removes quieting.
 * @param rs the ruleset.
 * @param fs_access SPX_LANDLOCK_FS_* bits.
 * @param net_access SPX_LANDLOCK_NET_* bits.
 * @param scopes SPX_LANDLOCK_SCOPE_* bits.
 * @return 0, EINVAL (unknown bits), ENOTSUP (strict, and the ruleset's ABI or
 *         the kernel is older than 10); best effort drops them on an older
 *         kernel and spx_landlock_status() says so.
 */
int spx_landlock_set_quiet(spx_landlock *rs, uint64_t fs_access, uint64_t net_access, uint64_t scopes);

/**
 * @brief Scope the child's IPC to its own Landlock domain (ABI 6).
 * @param rs the ruleset.
 * @param scopes SPX_LANDLOCK_SCOPE_* bits; 0 removes scoping.
 * @return 0, EINVAL, ENOTSUP (strict and no scopes in the kernel).
 */
int spx_landlock_set_scope(spx_landlock *rs, uint64_t scopes);

/**
 * @brief Restrict only these rights (by default a ruleset handles every right
 * of its ABI, so whatever no rule allows is denied).
 *
 * For instance `spx_landlock_set_handled(rs, 0, SPX_LANDLOCK_NET_BIND_TCP)`
 * makes a ruleset that only limits which TCP ports the child may bind, and
 * leaves the filesystem alone. Rules keep only the handled rights.
 *
 * A non-zero @p fs_access without ::SPX_LANDLOCK_FS_REFER leaves reparenting
 * (link or rename across directories) allowed, although the kernel denies it
 * under any filesystem ruleset: REFER is handled anyway and granted beneath
 * `/`. The kernel still refuses a link or rename that would give the file
 * more access where it lands (EXDEV), so this grants nothing else. A kernel
 * with ABI 1 cannot do this: see spx_landlock_new(). Without filesystem
 * rights (@p fs_access 0) nothing is added.
 * @param rs the ruleset.
 * @param fs_access SPX_LANDLOCK_FS_* bits to handle.
 * @param net_access SPX_LANDLOCK_NET_* bits to handle.
 * @return 0, EINVAL (unknown bits), ENOTSUP (strict, and a right the ruleset's
 *         ABI or the kernel lacks, or a non-zero @p fs_access without REFER on
 *         a kernel with ABI 1).
 */
int spx_landlock_set_handled(spx_landlock *rs, uint64_t fs_access, uint64_t net_access);

/**
 * @brief Create a kernel ruleset from @p rs.
 * @param rs the ruleset.
 * @param fd receives a new O_CLOEXEC ruleset descriptor owned by the caller,
 *        or -1 when best effort found nothing to enforce (no Landlock, or no
 *        handled right left on this kernel).
 * @return 0, ENOTSUP (strict mode on a kernel that would enforce less than
 *         the ruleset handles, deny reparenting it allows, or lack its quiet
 *         settings), ESTALE or ENOENT (a rule's path no longer leads to the
 *         object it named: see spx_landlock_allow_path()), or the kernel's
 *         errno.
 */
int spx_landlock_create_fd(const spx_landlock *rs, int *fd);

/**
 * @brief Convenience: spx_landlock_create_fd() then spx_attr_set_landlock_fd().
 * NULL @p rs removes the ruleset. A ::SPX_LANDLOCK_BEST_EFFORT ruleset makes
 * the flags of spx_attr_set_landlock_flags() best effort too.
 * @param attr the object.
 * @param rs the ruleset or NULL.
 * @return as those two calls.
 */
int spx_attr_set_landlock(spx_attr *attr, const spx_landlock *rs);

/**
 * @brief What this ruleset enforces on the running kernel.
 * @param rs the ruleset.
 * @return ::SPX_LANDLOCK_FULLY_ENFORCED, ::SPX_LANDLOCK_PARTIALLY_ENFORCED or
 *         ::SPX_LANDLOCK_NOT_ENFORCED (no Landlock, nothing handled on this
 *         kernel, or best effort left the filesystem alone on ABI 1 for
 *         REFER: see spx_landlock_new()); -EINVAL for a NULL ruleset.
 */
int spx_landlock_status(const spx_landlock *rs);

/**
 * @brief Release a ruleset; NULL is fine. Descriptors already created stay valid.
 * @param rs the ruleset.
 */
void spx_landlock_free(spx_landlock *rs);

/**
 * @brief Restrict the child with this Landlock ruleset descriptor.
 *
 * Applied in the child only (landlock_restrict_self), after the identity
 * stages; implies no_new_privs unless the child keeps CAP_SYS_ADMIN. The
 * descriptor never reaches the executed program.
 * @param attr the object.
 * @param ruleset_fd a ruleset descriptor, duplicated now; -1 removes it.
 * @return 0, EBADF, EINVAL, ENOTSUP.
 */
int spx_attr_set_landlock_fd(spx_attr *attr, int ruleset_fd);

/** spx_attr_set_landlock_flags(): do not log denials of the new domain
 *  before the program is executed (ABI 7). */
#define SPX_LANDLOCK_LOG_SAME_EXEC_OFF (1u << 0)
/** spx_attr_set_landlock_flags(): log denials of the new domain after the
 *  exec too, so the program's own (ABI 7). Without it the kernel logs only
 *  until exec, which for a launcher is nothing of the program's. */
#define SPX_LANDLOCK_LOG_NEW_EXEC_ON (1u << 1)
/** spx_attr_set_landlock_flags(): do not log denials of domains the program
 *  creates later (ABI 7); works without a ruleset too. */
#define SPX_LANDLOCK_LOG_SUBDOMAINS_OFF (1u << 2)

/**
 * @brief Flags for the child's landlock_restrict_self() (denial logging, ABI 7).
 *
 * Logged denials go to the kernel's audit subsystem (record type 1423,
 * `AUDIT_LANDLOCK_ACCESS`); without audit they are lost. The logging flags
 * of the new domain apply only with a ruleset; ::SPX_LANDLOCK_LOG_SUBDOMAINS_OFF
 * alone also works without one (the kernel then accepts no ruleset), and is
 * the only flag that then reaches the kernel. The flags need no_new_privs,
 * which the child then sets unless it keeps CAP_SYS_ADMIN.
 *
 * On a kernel that lacks a flag the spawn fails with ENOTSUP at
 * ::SPX_STAGE_LANDLOCK, unless the ruleset was set with
 * spx_attr_set_landlock() from a ::SPX_LANDLOCK_BEST_EFFORT ruleset: then
 * the flag is dropped.
 * @param attr the object.
 * @param flags SPX_LANDLOCK_LOG_* bits; 0 removes them.
 * @return 0, EINVAL (unknown flags), ENOTSUP (not Linux).
 */
int spx_attr_set_landlock_flags(spx_attr *attr, unsigned flags);
/** @} */

/* ------------------------------------------------------------------------ */
/** @name seccomp (Linux) */
/** @{ */

/** Allow the system call. */
#define SPX_SECCOMP_ALLOW 0x7fff0000u
/** Kill the whole process (SIGSYS). */
#define SPX_SECCOMP_KILL_PROCESS 0x80000000u
/** Allow and log. */
#define SPX_SECCOMP_LOG 0x7ffc0000u
/** Fail with errno @p e (0..4094: libseccomp refuses 4095, the kernel's MAX_ERRNO). */
#define SPX_SECCOMP_ERRNO(e) (0x00050000u | ((uint32_t)(e) & 0xffffu))
/** Send SIGSYS (catchable). */
#define SPX_SECCOMP_TRAP 0x00030000u

/** @brief A seccomp filter under construction (compiled with libseccomp). */
typedef struct spx_seccomp spx_seccomp;

/**
 * @brief A new filter for the native architecture; other architectures'
 * system calls (x32 on x86_64) are killed.
 * @param out receives the filter.
 * @param default_action an SPX_SECCOMP_* action for calls without a rule.
 * @return 0, EINVAL, ENOMEM, ENOTSUP.
 */
int spx_seccomp_new(spx_seccomp **out, uint32_t default_action);

/**
 * @brief Give the system call @p syscall_name the action @p action.
 * @param f the filter.
 * @param syscall_name e.g. "mkdir".
 * @param action an SPX_SECCOMP_* action.
 * @return 0, EINVAL (unknown name or action). A name known to libseccomp but
 *         absent on this architecture is ignored and counted
 *         (spx_seccomp_ignored()).
 */
int spx_seccomp_add(spx_seccomp *f, const char *syscall_name, uint32_t action);

/**
 * @name seccomp argument conditions
 * Comparison operators of ::spx_seccomp_cond (libseccomp's, same values).
 * Each compares the full 64-bit argument register with spx_seccomp_cond::value.
 * @{
 */
/** arg != value */
#define SPX_CMP_NE 1
/** arg < value */
#define SPX_CMP_LT 2
/** arg <= value */
#define SPX_CMP_LE 3
/** arg == value */
#define SPX_CMP_EQ 4
/** arg >= value */
#define SPX_CMP_GE 5
/** arg > value */
#define SPX_CMP_GT 6
/** (arg & value) == value2 */
#define SPX_CMP_MASKED_EQ 7
/** @} */

/**
 * @brief One argument condition of a rule. Plain data: its layout is part
 * of the ABI.
 */
typedef struct spx_seccomp_cond {
    unsigned arg;    /**< the argument, 0..5 */
    int op;          /**< an SPX_CMP_* operator */
    uint64_t value;  /**< the operand (the mask for ::SPX_CMP_MASKED_EQ) */
    uint64_t value2; /**< the expected masked value for ::SPX_CMP_MASKED_EQ; else unused */
} spx_seccomp_cond;

/**
 * @brief Give @p syscall_name the action @p action when all @p n conditions
 * hold (a logical AND).
 *
 * With @p n = 0 this is spx_seccomp_add(). A system call keeps either one
 * rule without conditions or any number of rules with conditions: a call
 * matching none of its conditional rules gets the default action. An
 * unconditional rule (spx_seccomp_add(), or this with @p n = 0) replaces
 * every earlier rule for the call; a conditional rule after an unconditional
 * one with another action is refused (EEXIST) rather than ignored, since it
 * could never apply. Arguments are compared as the whole 64-bit register.
 * For a 32-bit argument (socket()'s family, ioctl()'s request, an fd) the
 * kernel reads only the low half, and the program chooses the upper one:
 * a program that sets it slips past ::SPX_CMP_EQ, ::SPX_CMP_NE and the
 * ordering operators while the kernel still sees the value the rule named.
 * A rule that must hold against the program itself compares the low half:
 * ::SPX_CMP_MASKED_EQ with value 0xffffffff and value2 the expected value;
 * a rule that allows on equality fails closed and needs no mask. For an
 * "or", add one rule per alternative.
 * @param f the filter.
 * @param syscall_name e.g. "socket".
 * @param action an SPX_SECCOMP_* action.
 * @param conds @p n conditions, each on a different argument.
 * @param n 0..6.
 * @return 0; EINVAL (unknown name or action, n > 6, NULL @p conds with
 *         n > 0, an argument above 5 or used twice, an unknown operator);
 *         EEXIST (see above); ENOMEM. A name absent on this architecture is
 *         ignored and counted as by spx_seccomp_add(). On error the filter is
 *         unchanged.
 */
int spx_seccomp_add_cond(spx_seccomp *f, const char *syscall_name, uint32_t action, const spx_seccomp_cond *conds,
                         size_t n);

/** Log every action other than allow (SECCOMP_FILTER_FLAG_LOG, Linux 4.14). */
#define SPX_SECCOMP_FLAG_LOG 1u

/**
 * @brief Set the filter's flags (replacing earlier ones).
 *
 * ::SPX_SECCOMP_FLAG_LOG makes the kernel log (through audit, or the kernel
 * log without auditd) each call the filter does not allow, subject to
 * /proc/sys/kernel/seccomp/actions_logged. A kernel without the flag fails the
 * spawn at stage ::SPX_STAGE_SECCOMP with EINVAL rather than run unlogged.
 * @param f the filter.
 * @param flags SPX_SECCOMP_FLAG_* bits.
 * @return 0, EINVAL (an unknown bit).
 */
int spx_seccomp_set_flags(spx_seccomp *f, unsigned flags);

/**
 * @brief A filter from an OCI runtime-spec seccomp profile (the JSON that
 * Docker, Podman, containerd and Kubernetes use), for a child that holds
 * no capabilities: spx_seccomp_from_oci_caps() with none.
 *
 * Read: defaultAction, defaultErrnoRet, architectures (or Docker's archMap),
 * flags, and syscalls[] with names, action, errnoRet, args[] (index, value,
 * valueTwo, op) and Docker's includes/excludes (arches, caps, minKernel).
 * Actions: SCMP_ACT_ALLOW, SCMP_ACT_ERRNO (errnoRet, else defaultErrnoRet for
 * the default action, else EPERM), SCMP_ACT_LOG, SCMP_ACT_TRAP,
 * SCMP_ACT_KILL_PROCESS, and SCMP_ACT_KILL / SCMP_ACT_KILL_THREAD, which
 * kill the whole process (stricter than one thread: spx never kills less).
 * SCMP_ACT_NOTIFY and SCMP_ACT_TRACE need a supervisor spx does not run:
 * ENOTSUP naming the rule. Flags: SECCOMP_FILTER_FLAG_LOG sets
 * ::SPX_SECCOMP_FLAG_LOG; SECCOMP_FILTER_FLAG_TSYNC and
 * SECCOMP_FILTER_FLAG_WAIT_KILLABLE_RECV change nothing for a child that is
 * single-threaded when the filter is installed and has no listener;
 * SECCOMP_FILTER_FLAG_SPEC_ALLOW (which turns off a speculation
 * mitigation) gives ENOTSUP.
 *
 * The filter is for the native architecture (see spx_attr_set_seccomp()):
 * a non-empty architectures list must name it (else ENOTSUP); other
 * architectures listed are killed, as in every spx filter.
 * A rule's includes must all hold and none of its excludes, for the native
 * architecture (SCMP_ARCH_X86_64 or Docker's amd64 spelling), the running
 * kernel (minKernel compared with uname(2)'s release) and the capabilities
 * given. Arguments listed twice for the same index make one rule per
 * condition (an "or", as runc does); other conditions of a rule must all
 * hold. Two rules that apply to the same system call with different actions,
 * one with conditions and one without, or both without, are refused
 * (EINVAL): the profile is ambiguous. Unknown
 * system call names are counted (spx_seccomp_ignored()), not refused:
 * profiles list calls newer than this libseccomp. Unknown keys are refused
 * so that a misspelt one cannot silently drop a rule.
 *
 * Unless the profile has a rule for clone3, an allow-list gets the usual
 * clone3 answer (see spx_attr_set_seccomp()).
 * @param out receives the filter; untouched on error.
 * @param json the profile, UTF-8, not necessarily NUL-terminated.
 * @param len its length in bytes, at most 4 MiB.
 * @param errbuf receives a message on error naming the JSON path, e.g.
 *        `syscalls[12].args[0].op: unknown operator "SCMP_CMP_FOO"`; empty on
 *        success. May be NULL.
 * @param errlen the size of @p errbuf; the message is truncated to fit.
 * @return 0; EINVAL (bad JSON, wrong types or values, unknown action, operator,
 *         architecture, capability or flag, an ambiguous profile); ENOTSUP (an
 *         action or flag spx cannot run, a profile for another
 *         architecture); E2BIG (over 4 MiB); EIO (uname(2)'s release is not a
 *         kernel version); ENOMEM.
 */
int spx_seccomp_from_oci(spx_seccomp **out, const char *json, size_t len, char *errbuf, size_t errlen);

/**
 * @brief spx_seccomp_from_oci() for a child that holds the capabilities
 * @p caps when the filter applies (its permitted set after the spawn: what
 * spx_attr_set_ambient() and friends, or a root child keeping its
 * capabilities, give it). A rule's `includes.caps` holds when all its
 * capabilities are in @p caps, `excludes.caps` when any is.
 * @param out receives the filter; untouched on error.
 * @param json the profile.
 * @param len its length in bytes.
 * @param caps capability numbers (see spx_cap_from_name()); NULL with 0 for none.
 * @param ncaps their count.
 * @param errbuf receives a message on error; may be NULL.
 * @param errlen the size of @p errbuf.
 * @return as spx_seccomp_from_oci(); EINVAL for a capability number above 63.
 */
int spx_seccomp_from_oci_caps(spx_seccomp **out, const char *json, size_t len, const int *caps, size_t ncaps,
                              char *errbuf, size_t errlen);

/**
 * @brief Like spx_seccomp_add() with a native system call number.
 * @param f the filter.
 * @param syscall_nr the number, >= 0.
 * @param action an SPX_SECCOMP_* action.
 * @return 0, EINVAL.
 */
int spx_seccomp_add_nr(spx_seccomp *f, int syscall_nr, uint32_t action);

/**
 * @brief How many spx_seccomp_add() names were ignored as absent on this architecture.
 * @param f the filter.
 * @return the count, or 0 for NULL.
 */
size_t spx_seccomp_ignored(const spx_seccomp *f);

/**
 * @brief Compile the filter and report its length in BPF instructions (the
 * implicit exec and clone3 rules included).
 * @param f the filter.
 * @param count receives the length.
 * @return 0, EINVAL, ENOMEM.
 */
int spx_seccomp_length(const spx_seccomp *f, size_t *count);

/**
 * @brief Install this filter in the child, last, just before exec.
 *
 * Compiled to BPF now and copied into the attribute object. Unless a rule names
 * them, execve and execveat are allowed so the child can run the program.
 * That allowance lasts the program's life, like every rule of a filter: an
 * allow-list still lets the program exec other programs (under
 * no_new_privs, so none gains privileges). A filter cannot tell spx's exec
 * from the program's; to limit what the program may run, use Landlock
 * (::SPX_LANDLOCK_FS_EXECUTE, granted only beneath chosen directories) or a
 * filter the program installs itself. The filter's flags
 * (spx_seccomp_set_flags()) are copied with it.
 *
 * When the default action is not ::SPX_SECCOMP_ALLOW or ::SPX_SECCOMP_LOG (an
 * allow-list), clone3 fails with ENOSYS unless a rule names it: glibc 2.34
 * and later start threads with clone3 and fall back to clone, which the
 * filter can inspect (its flags are an argument, clone3's are in memory),
 * only on ENOSYS; any other answer would break every program that starts a
 * thread. The filter is built for
 * the native architecture only: 32-bit programs (i386 on x86_64, arm32 on
 * arm64) and x32 calls are killed, so such programs cannot run under spx
 * filters. Implies no_new_privs unless the child keeps CAP_SYS_ADMIN.
 * @param attr the object.
 * @param f the filter, or NULL to remove.
 * @return 0, EINVAL, ENOMEM, ENOTSUP.
 */
int spx_attr_set_seccomp(spx_attr *attr, const spx_seccomp *f);

/**
 * @brief Install a raw classic-BPF program (struct sock_filter[count]).
 *
 * The program is copied. Its author is responsible for allowing the exec.
 * @param attr the object.
 * @param insns the instructions, 8 bytes each.
 * @param count 1..4096 (BPF_MAXINSNS); NULL with 0 removes the filter.
 * @return 0, EINVAL, ENOMEM, ENOTSUP.
 */
int spx_attr_set_seccomp_bpf(spx_attr *attr, const void *insns, size_t count);

/**
 * @brief Release a filter; NULL is fine.
 * @param f the filter.
 */
void spx_seccomp_free(spx_seccomp *f);
/** @} */

/* ------------------------------------------------------------------------ */
/** @name AppContainer (Windows) */
/** @{ */

/** Less privileged AppContainer: the child is not part of ALL APPLICATION
 *  PACKAGES (S-1-15-2-1), so it loses the access Windows grants to every
 *  AppContainer and keeps only what ALL RESTRICTED APPLICATION PACKAGES
 *  (S-1-15-2-2), its capabilities and explicit grants allow. */
#define SPX_APPCONTAINER_LPAC 1u
/** Use the derived AppContainer SID only: create no profile (no profile
 *  folder, no registry hive; the child has no writable profile storage). */
#define SPX_APPCONTAINER_NO_PROFILE 2u

/** Room for any SID string spx produces or accepts, terminator included. */
#define SPX_SID_MAX 192

/** Read access for spx_appcontainer_grant() (GENERIC_READ). */
#define SPX_ACCESS_READ 1u
/** Write access for spx_appcontainer_grant() (GENERIC_WRITE). */
#define SPX_ACCESS_WRITE 2u
/** Execute access for spx_appcontainer_grant() (GENERIC_EXECUTE). */
#define SPX_ACCESS_EXECUTE 4u

/**
 * @brief Run the child in an AppContainer (SECURITY_CAPABILITIES in
 * STARTUPINFOEX).
 *
 * The spawn creates the profile when it is missing (unless
 * ::SPX_APPCONTAINER_NO_PROFILE) and never deletes it: see
 * spx_appcontainer_delete(). It fails closed: the child is created
 * suspended, its token is checked (TokenIsAppContainer, and the LPAC
 * opt-out when asked) before it runs a single instruction of the program,
 * and a child that is not confined as asked is terminated; the spawn then
 * fails at ::SPX_STAGE_APPCONTAINER. The container sees only what its SID,
 * its capabilities and ALL APPLICATION PACKAGES are granted: see
 * spx_appcontainer_grant(), or pass open handles with spx_attr_add_handle().
 * @param attr the object.
 * @param name the profile name: 1 to 64 characters of `A-Z a-z 0-9 - _ .`
 *        and space; NULL removes the AppContainer (and its flags).
 * @param capability_sids capability SID strings ("S-1-15-3-1") or capability
 *        names ("internetClient", "lpacCom"), converted to SIDs now as
 *        spx_capability_sid() does; NULL when @p n is 0.
 * @param n number of capabilities.
 * @return 0; EINVAL (ERROR_INVALID_PARAMETER) for a bad name or capability;
 *         ENOTSUP when not on Windows.
 */
int spx_attr_set_appcontainer(spx_attr *attr, const char *name,
                              const char *const *capability_sids, size_t n);

/**
 * @brief Options of the AppContainer set by spx_attr_set_appcontainer().
 * @param attr the object.
 * @param flags ::SPX_APPCONTAINER_LPAC, ::SPX_APPCONTAINER_NO_PROFILE, or 0.
 * @return 0; ERROR_INVALID_PARAMETER for unknown bits; ENOTSUP when not on
 *         Windows.
 */
int spx_attr_set_appcontainer_flags(spx_attr *attr, unsigned flags);

/**
 * @brief The SID Windows derives for an AppContainer name: `S-1-15-2-`
 * followed by seven numbers taken from the SHA-256 of the lower-cased name
 * in UTF-16LE. Pure computation: works on every platform.
 * @param name the profile name (as spx_attr_set_appcontainer()).
 * @param buf receives the NUL-terminated SID string.
 * @param len size of @p buf; ::SPX_SID_MAX is always enough.
 * @return 0; EINVAL (ERROR_INVALID_PARAMETER) for a NULL or invalid name or
 *         a NULL @p buf; ERANGE (ERROR_INSUFFICIENT_BUFFER on Windows) when
 *         @p len is too small, @p buf then holding "".
 */
int spx_appcontainer_sid(const char *name, char *buf, size_t len);

/**
 * @brief The SID of a capability. The twelve names that predate Windows 10
 * ("internetClient" ... "contacts") have fixed SIDs (S-1-15-3-1 ...
 * S-1-15-3-12); any other name gives `S-1-15-3-1024-` and eight numbers from
 * the SHA-256 of the upper-cased name in UTF-16LE, as
 * DeriveCapabilitySidsFromName does; a SID string is checked and returned
 * in canonical form. Pure computation: works on every platform.
 * @param capability a capability name or a SID string.
 * @param buf receives the NUL-terminated SID string.
 * @param len size of @p buf; ::SPX_SID_MAX is always enough.
 * @return 0; EINVAL (ERROR_INVALID_PARAMETER) for NULL, an empty or invalid
 *         name or SID; ERANGE (ERROR_INSUFFICIENT_BUFFER on Windows) when
 *         @p len is too small, @p buf then holding "".
 */
int spx_capability_sid(const char *capability, char *buf, size_t len);

/**
 * @brief Delete an AppContainer profile (DeleteAppContainerProfile). spx
 * never deletes a profile by itself.
 * @param name the profile name.
 * @return 0 (also when there was no such profile); ERROR_INVALID_PARAMETER;
 *         ERROR_NOT_SUPPORTED when this Windows has no AppContainer
 *         profiles; ENOTSUP when not on Windows.
 */
int spx_appcontainer_delete(const char *name);

/**
 * @brief Grant an AppContainer access to a file or directory: an explicit
 * and persistent change of the path's ACL (an allow ACE for the derived
 * AppContainer SID, inherited by the contents of a directory). It outlives
 * the child and the process; spx never changes an ACL by itself.
 * Revoking later rewrites the ACLs of everything that inherited it.
 * @param name the profile name.
 * @param path the file or directory (UTF-8).
 * @param access a non-empty combination of ::SPX_ACCESS_READ,
 *        ::SPX_ACCESS_WRITE and ::SPX_ACCESS_EXECUTE.
 * @return 0; ERROR_INVALID_PARAMETER; the Win32 error of reading or writing
 *         the ACL (ERROR_FILE_NOT_FOUND, ERROR_ACCESS_DENIED ...); ENOTSUP
 *         when not on Windows.
 */
int spx_appcontainer_grant(const char *name, const char *path, unsigned access);

/**
 * @brief Remove every ACE that spx_appcontainer_grant() (or anyone) gave the
 * AppContainer's SID on @p path.
 * @param name the profile name.
 * @param path the file or directory (UTF-8).
 * @return as spx_appcontainer_grant().
 */
int spx_appcontainer_revoke(const char *name, const char *path);
/** @} */

/* ------------------------------------------------------------------------ */
/** @name Handles and jobs (Windows) */
/** @{ */

/**
 * @brief The handle the child gets as its standard input, output or error
 * (STARTF_USESTDHANDLES). Without this call the child gets the caller's
 * (GetStdHandle). spx passes an inheritable duplicate made at spawn time,
 * listed in the handle list, and closes it once the child exists. The
 * handle is not copied now: keep it open until the spawns that use it
 * have returned.
 * @param attr the object.
 * @param which 0 (stdin), 1 (stdout) or 2 (stderr).
 * @param handle an open handle, or NULL for none.
 * @return 0; ERROR_INVALID_PARAMETER for a bad @p which; ERROR_INVALID_HANDLE
 *         for a handle that is not open; ENOTSUP when not on Windows (use
 *         spx_attr_set_fd()).
 */
int spx_attr_set_stdio_handle(spx_attr *attr, int which, void *handle);

/**
 * @brief Let the child inherit this handle, with the same value. Only the
 * standard handles and the handles listed here are inherited
 * (PROC_THREAD_ATTRIBUTE_HANDLE_LIST): nothing else leaks into the child.
 * The list requires inheritable handles: spx sets HANDLE_FLAG_INHERIT on
 * @p handle now (a program that starts children without a handle list
 * would pass it on too). The handle is not copied: keep it open until the
 * spawns that use it have returned. Adding a handle twice lists it once.
 * @param attr the object.
 * @param handle an open handle.
 * @return 0; ERROR_INVALID_HANDLE for NULL or a handle that is not open;
 *         ENOTSUP when not on Windows.
 */
int spx_attr_add_handle(spx_attr *attr, void *handle);

/** The job is closed with the spx_process: spx_process_free() then ends
 *  the child and every process it started (JOB_OBJECT_LIMIT_KILL_ON_JOB_CLOSE). */
#define SPX_JOB_KILL_ON_CLOSE 1u

/**
 * @brief Start the child inside a new job object, from its first
 * instruction (PROC_THREAD_ATTRIBUTE_JOB_LIST): its own children join the
 * job too. spx_process_kill() then ends the whole job. With
 * ::SPX_JOB_KILL_ON_CLOSE, spx_process_free() kills the job (the one case
 * where it kills). A job that cannot be set up fails the spawn at
 * ::SPX_STAGE_JOB.
 * @param attr the object.
 * @param flags 0 or ::SPX_JOB_KILL_ON_CLOSE.
 * @return 0; ERROR_INVALID_PARAMETER for unknown bits; ENOTSUP when not on
 *         Windows.
 */
int spx_attr_set_job(spx_attr *attr, unsigned flags);
/** @} */

/* ------------------------------------------------------------------------ */
/** @name Spawning and processes */
/** @{ */

/** @brief A started child process. */
typedef struct spx_process spx_process;

/**
 * @brief Start a child.
 *
 * Thread-safe; the caller's signal handlers never run in the child. On
 * failure no child is left behind (it has been reaped) and no descriptor
 * leaks. The calling thread is suspended until the child execs (see
 * @ref stages); the child borrows 4 KiB of this thread's stack meanwhile.
 * @param out receives the process handle on success.
 * @param attr the attributes, or NULL for the defaults.
 * @param path the program; may be NULL with spx_attr_set_execfd().
 * @param argv NULL-terminated argument vector with at least argv[0] (an empty
 *        one is EINVAL at ::SPX_STAGE_PREPARE), or NULL for { path, NULL }.
 * @param envp NULL-terminated environment, or NULL to inherit the caller's.
 * @param err receives the failure's details; may be NULL.
 * @return 0 or the errno of the failing stage; EINTR when the child was
 *         killed by a signal before exec.
 */
int spx_spawn(spx_process **out, const spx_attr *attr, const char *path,
              const char *const argv[], const char *const envp[], spx_error *err);

/**
 * @brief The child's process id.
 * @param p the process.
 * @return the pid, or -1 for NULL.
 */
int64_t spx_process_pid(const spx_process *p);

/**
 * @brief The child's pidfd.
 * @param p the process.
 * @return the descriptor (owned by @p p, close-on-exec), or -1 when the kernel
 *         gave none.
 */
int spx_process_pidfd(const spx_process *p);

/**
 * @brief The child's process handle (Windows), for WaitForMultipleObjects,
 * GetProcessTimes and the like.
 * @param p the process.
 * @return the HANDLE (owned by @p p: do not close it), or NULL for NULL and
 *         on Linux (use spx_process_pidfd()).
 */
void *spx_process_handle(const spx_process *p);

/**
 * @brief Wait for the child to end and reap it. Calling it again returns the
 * same status.
 * @param p the process.
 * @param exit_code receives the exit status, or -1 if killed by a signal;
 *        on Windows the process exit code (a crash shows as its NTSTATUS,
 *        e.g. 0xC0000005 read as an int); may be NULL.
 * @param term_signal receives the signal that killed it, or 0 (always 0 on
 *        Windows); may be NULL.
 * @return 0, EINVAL, or the errno of the wait (ECHILD if someone else reaped it).
 */
int spx_process_wait(spx_process *p, int *exit_code, int *term_signal);

/**
 * @brief Like spx_process_wait() with a time limit.
 * @param p the process.
 * @param timeout_ms milliseconds to wait; 0 polls; negative waits forever.
 * @param exit_code as spx_process_wait().
 * @param term_signal as spx_process_wait().
 * @return 0, ETIMEDOUT (WAIT_TIMEOUT, 258, on Windows) when the child is
 *         still running, or as spx_process_wait().
 */
int spx_process_wait_timeout(spx_process *p, int timeout_ms, int *exit_code, int *term_signal);

/**
 * @brief Send a signal, through the pidfd when there is one, else with
 * kill(2) on the pid: without a pidfd, or when pidfd_send_signal(2) fails
 * with ENOSYS or EPERM (as older container seccomp profiles answer). The pid
 * is used only while the child is not yet reaped, so it cannot have been
 * recycled. Safe to call while another thread is in spx_process_wait() on
 * the same handle: a reaped child gets ESRCH, never the signal.
 * @param p the process.
 * @param sig the signal.
 *
 * On Windows only SIGKILL (9) and SIGTERM (15) are accepted, and both
 * terminate the child (TerminateProcess, exit code 1), or its whole job
 * when spx_attr_set_job() gave it one; other signals are
 * ERROR_INVALID_PARAMETER. A child that has already ended is not an error.
 * @return 0, EINVAL, EPERM (not allowed to signal it, e.g. after it changed
 *         uid), ESRCH (already reaped or gone).
 */
int spx_process_kill(spx_process *p, int sig);

/**
 * @brief Whether the child, once waited for, dumped core when its signal
 * killed it.
 * @param p the process.
 * @return 1 if it did, 0 otherwise (also before it has been waited for).
 */
int spx_process_core_dumped(spx_process *p);

/**
 * @brief Release the handle. Never kills, except a child in a job with
 * ::SPX_JOB_KILL_ON_CLOSE (Windows); a child not yet waited for keeps
 * running (reap it by pid if needed).
 * @param p the process; NULL is fine.
 */
void spx_process_free(spx_process *p);
/** @} */

#ifdef __cplusplus
}
#endif

#endif /* SPX_H */
