/* The spx attribute objects of the extra rows.
 * SPDX-License-Identifier: MIT */
#define _GNU_SOURCE
#include "secattr.h"

#include <errno.h>
#include <fcntl.h>
#include <grp.h>
#include <stdio.h>
#include <string.h>
#include <sys/types.h>
#include <sys/wait.h>
#include <unistd.h>

/* 50 real system calls a filter might deny; none is used by the tiny child or
 * by spx after the filter is installed. All exist on x86_64 and aarch64. */
static const char *const deny_list[] = {
    "mkdirat",        "unlinkat",          "renameat2",       "linkat",         "symlinkat",
    "fchmodat",       "fchownat",          "mknodat",         "mount",          "umount2",
    "pivot_root",     "chroot",            "reboot",          "swapon",         "swapoff",
    "sethostname",    "setdomainname",     "init_module",     "finit_module",   "delete_module",
    "kexec_load",     "acct",              "settimeofday",    "clock_settime",  "adjtimex",
    "ptrace",         "process_vm_readv",  "process_vm_writev", "bpf",          "perf_event_open",
    "userfaultfd",    "keyctl",            "add_key",         "request_key",    "unshare",
    "setns",          "quotactl",          "syslog",          "personality",    "fanotify_init",
    "name_to_handle_at", "open_by_handle_at", "kcmp",         "mbind",          "migrate_pages",
    "move_pages",     "set_mempolicy",     "io_uring_setup",  "io_uring_enter", "io_uring_register",
};
_Static_assert(sizeof deny_list / sizeof deny_list[0] == 50, "the seccomp row has 50 rules");

static spx_attr *fail(spx_attr *a, char *msg, size_t msglen, const char *what, int rc)
{
    snprintf(msg, msglen, "%s: %s", what, strerror(rc));
    spx_attr_free(a);
    return NULL;
}

spx_attr *feat_plain(char *msg, size_t msglen)
{
    spx_attr *a = spx_attr_new();
    if (!a)
        snprintf(msg, msglen, "spx_attr_new: out of memory");
    return a;
}

spx_attr *feat_uid_ambient(char *msg, size_t msglen)
{
    spx_attr *a = feat_plain(msg, msglen);
    int rc;
    if (!a)
        return NULL;
    int cap = spx_cap_from_name("cap_net_bind_service");
    if (cap < 0)
        return fail(a, msg, msglen, "spx_cap_from_name(cap_net_bind_service)", EINVAL);
    if ((rc = spx_attr_set_uid(a, FEAT_NOBODY)))
        return fail(a, msg, msglen, "spx_attr_set_uid", rc);
    if ((rc = spx_attr_set_gid(a, FEAT_NOBODY)))
        return fail(a, msg, msglen, "spx_attr_set_gid", rc);
    if ((rc = spx_attr_set_groups(a, NULL, 0)))
        return fail(a, msg, msglen, "spx_attr_set_groups", rc);
    if ((rc = spx_attr_set_ambient(a, &cap, 1)))
        return fail(a, msg, msglen, "spx_attr_set_ambient", rc);
    return a;
}

static const char *landlock_status_name(int st)
{
    switch (st) {
    case SPX_LANDLOCK_FULLY_ENFORCED:
        return "fully enforced";
    case SPX_LANDLOCK_PARTIALLY_ENFORCED:
        return "partially enforced";
    case SPX_LANDLOCK_NOT_ENFORCED:
        return "NOT enforced (no Landlock: the row measures nothing)";
    default:
        return "unknown status";
    }
}

spx_attr *feat_landlock(char *note, size_t notelen, char *msg, size_t msglen)
{
    spx_landlock *rs = NULL;
    int rc = spx_landlock_new(&rs, 0, SPX_LANDLOCK_BEST_EFFORT);
    if (rc)
        return fail(NULL, msg, msglen, "spx_landlock_new", rc);
    if ((rc = spx_landlock_allow_path(rs, "/", SPX_LANDLOCK_FS_ROX))) {
        spx_landlock_free(rs);
        return fail(NULL, msg, msglen, "spx_landlock_allow_path(\"/\")", rc);
    }
    spx_attr *a = feat_plain(msg, msglen);
    if (!a) {
        spx_landlock_free(rs);
        return NULL;
    }
    if ((rc = spx_attr_set_landlock(a, rs))) {
        spx_landlock_free(rs);
        return fail(a, msg, msglen, "spx_attr_set_landlock", rc);
    }
    snprintf(note, notelen, "kernel ABI %d, %s", spx_landlock_abi(),
             landlock_status_name(spx_landlock_status(rs)));
    spx_landlock_free(rs);
    return a;
}

spx_attr *feat_seccomp(char *note, size_t notelen, char *msg, size_t msglen)
{
    spx_seccomp *f = NULL;
    size_t n = sizeof deny_list / sizeof deny_list[0], len = 0;
    int rc = spx_seccomp_new(&f, SPX_SECCOMP_ALLOW);
    if (rc)
        return fail(NULL, msg, msglen, "spx_seccomp_new", rc);
    for (size_t i = 0; i < n; i++) {
        if ((rc = spx_seccomp_add(f, deny_list[i], SPX_SECCOMP_ERRNO(EPERM)))) {
            char what[96];
            snprintf(what, sizeof what, "spx_seccomp_add(\"%s\")", deny_list[i]);
            spx_seccomp_free(f);
            return fail(NULL, msg, msglen, what, rc);
        }
    }
    if ((rc = spx_seccomp_length(f, &len))) {
        spx_seccomp_free(f);
        return fail(NULL, msg, msglen, "spx_seccomp_length", rc);
    }
    spx_attr *a = feat_plain(msg, msglen);
    if (!a) {
        spx_seccomp_free(f);
        return NULL;
    }
    if ((rc = spx_attr_set_seccomp(a, f))) {
        spx_seccomp_free(f);
        return fail(a, msg, msglen, "spx_attr_set_seccomp", rc);
    }
    snprintf(note, notelen, "%zu rules -> spx_seccomp_length %zu BPF instructions, %zu names ignored",
             n, len, spx_seccomp_ignored(f));
    spx_seccomp_free(f);
    return a;
}

spx_attr *feat_execfd(const char *path, char *msg, size_t msglen)
{
    int fd = open(path, O_PATH | O_CLOEXEC);
    if (fd < 0)
        return fail(NULL, msg, msglen, path, errno);
    spx_attr *a = feat_plain(msg, msglen);
    if (!a) {
        close(fd);
        return NULL;
    }
    int rc = spx_attr_set_execfd(a, fd);
    close(fd); /* the attribute holds its own duplicate */
    if (rc)
        return fail(a, msg, msglen, "spx_attr_set_execfd", rc);
    return a;
}

int feat_nobody_can_exec(const char *path, char *msg, size_t msglen)
{
    pid_t pid = fork();
    if (pid < 0) {
        snprintf(msg, msglen, "fork: %s", strerror(errno));
        return -1;
    }
    if (pid == 0) {
        if (setgroups(0, NULL) || setgid(FEAT_NOBODY) || setuid(FEAT_NOBODY))
            _exit(2);
        _exit(access(path, X_OK) == 0 ? 0 : 1);
    }
    int st = 0;
    while (waitpid(pid, &st, 0) < 0) {
        if (errno != EINTR) {
            snprintf(msg, msglen, "waitpid: %s", strerror(errno));
            return -1;
        }
    }
    if (WIFEXITED(st) && WEXITSTATUS(st) == 0)
        return 1;
    if (WIFEXITED(st) && WEXITSTATUS(st) == 1) {
        snprintf(msg, msglen, "uid %u cannot execute %s (a directory above it or the file lacks o+x)",
                 FEAT_NOBODY, path);
        return 0;
    }
    snprintf(msg, msglen, "could not switch to uid %u to check %s", FEAT_NOBODY, path);
    return -1;
}
