/* The spx attribute objects of the extra rows.
 * SPDX-License-Identifier: MIT */
#define _GNU_SOURCE
#include "secattr.h"

#include "oci_profile.h"

#include <errno.h>
#include <fcntl.h>
#include <grp.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <sys/stat.h>
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

/* Each add_* sets its attributes on @p a: 0, or non-zero with @p msg filled. */
static int add_uid_ambient(spx_attr *a, char *msg, size_t msglen)
{
    int rc, cap = spx_cap_from_name("cap_net_bind_service");
    const char *what = "spx_cap_from_name(cap_net_bind_service)";
    if (cap < 0)
        rc = EINVAL;
    else if ((rc = spx_attr_set_uid(a, FEAT_NOBODY)))
        what = "spx_attr_set_uid";
    else if ((rc = spx_attr_set_gid(a, FEAT_NOBODY)))
        what = "spx_attr_set_gid";
    else if ((rc = spx_attr_set_groups(a, NULL, 0)))
        what = "spx_attr_set_groups";
    else if ((rc = spx_attr_set_ambient(a, &cap, 1)))
        what = "spx_attr_set_ambient";
    if (rc)
        snprintf(msg, msglen, "%s: %s", what, strerror(rc));
    return rc;
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

static int add_landlock(spx_attr *a, char *note, size_t notelen, char *msg, size_t msglen)
{
    spx_landlock *rs = NULL;
    const char *what = "spx_landlock_new";
    int rc = spx_landlock_new(&rs, 7, SPX_LANDLOCK_BEST_EFFORT);  /* pinned: the row stays comparable */
    if (!rc && (rc = spx_landlock_allow_path(rs, "/", SPX_LANDLOCK_FS_ROX)))
        what = "spx_landlock_allow_path(\"/\")";
    else if (!rc && (rc = spx_attr_set_landlock(a, rs)))
        what = "spx_attr_set_landlock";
    if (rc)
        snprintf(msg, msglen, "%s: %s", what, strerror(rc));
    else
        snprintf(note, notelen, "kernel ABI %d, %s", spx_landlock_abi(),
                 landlock_status_name(spx_landlock_status(rs)));
    spx_landlock_free(rs);
    return rc;
}

static int add_seccomp(spx_attr *a, char *note, size_t notelen, char *msg, size_t msglen)
{
    spx_seccomp *f = NULL;
    size_t n = sizeof deny_list / sizeof deny_list[0], len = 0;
    char what[96] = "spx_seccomp_new";
    int rc = spx_seccomp_new(&f, SPX_SECCOMP_ALLOW);
    for (size_t i = 0; !rc && i < n; i++)
        if ((rc = spx_seccomp_add(f, deny_list[i], SPX_SECCOMP_ERRNO(EPERM))))
            snprintf(what, sizeof what, "spx_seccomp_add(\"%s\")", deny_list[i]);
    if (!rc && (rc = spx_seccomp_length(f, &len)))
        snprintf(what, sizeof what, "spx_seccomp_length");
    if (!rc && (rc = spx_attr_set_seccomp(a, f)))
        snprintf(what, sizeof what, "spx_attr_set_seccomp");
    if (rc)
        snprintf(msg, msglen, "%s: %s", what, strerror(rc));
    else
        snprintf(note, notelen, "%zu rules -> spx_seccomp_length %zu BPF instructions, %zu names ignored",
                 n, len, spx_seccomp_ignored(f));
    spx_seccomp_free(f);
    return rc;
}

static int add_rlimit(spx_attr *a, char *msg, size_t msglen)
{
    int rc = spx_attr_set_rlimit(a, spx_rlimit_from_name("nofile"), FEAT_NOFILE, FEAT_NOFILE);
    if (rc)
        snprintf(msg, msglen, "spx_attr_set_rlimit: %s", strerror(rc));
    return rc;
}

static int add_controls(spx_attr *a, int cgroup_fd, char *note, size_t notelen, char *msg, size_t msglen)
{
    const char *what = "";
    int rc = add_rlimit(a, msg, msglen);
    if (rc)
        return rc;
    if ((rc = spx_attr_set_setsid(a, 1)))
        what = "spx_attr_set_setsid";
    else if (!rc && cgroup_fd >= 0 && (rc = spx_attr_set_cgroup_fd(a, cgroup_fd)))
        what = "spx_attr_set_cgroup_fd";
    if (rc)
        snprintf(msg, msglen, "%s: %s", what, strerror(rc));
    else
        snprintf(note, notelen, "RLIMIT_NOFILE %d, setsid, %s", FEAT_NOFILE,
                 cgroup_fd >= 0 ? "CLONE_INTO_CGROUP" : "no cgroup (no cgroup v2 here)");
    return rc;
}

/* A fresh attribute object with add() applied, or NULL. */
#define BUILD(msg, msglen, add)                                                                                  \
    do {                                                                                                         \
        spx_attr *a_ = feat_plain(msg, msglen);                                                                  \
        if (a_ && (add)) {                                                                                       \
            spx_attr_free(a_);                                                                                   \
            a_ = NULL;                                                                                           \
        }                                                                                                        \
        return a_;                                                                                               \
    } while (0)

spx_attr *feat_uid_ambient(char *msg, size_t msglen) { BUILD(msg, msglen, add_uid_ambient(a_, msg, msglen)); }

spx_attr *feat_landlock(char *note, size_t notelen, char *msg, size_t msglen)
{
    BUILD(msg, msglen, add_landlock(a_, note, notelen, msg, msglen));
}

spx_attr *feat_seccomp(char *note, size_t notelen, char *msg, size_t msglen)
{
    BUILD(msg, msglen, add_seccomp(a_, note, notelen, msg, msglen));
}

static double now_ms(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec * 1e3 + (double)ts.tv_nsec / 1e6;
}

/* The 350-name OCI allow-list, read by spx_seccomp_from_oci and compiled
 * once here, in the parent; the row then measures what each spawn pays. */
static int add_oci(spx_attr *a, char *note, size_t notelen, char *msg, size_t msglen)
{
    size_t len, insns = 0;
    char *json = oci_profile_json(&len);
    if (!json) {
        snprintf(msg, msglen, "oci_profile_json: %s", strerror(ENOMEM));
        return ENOMEM;
    }
    char err[256];
    spx_seccomp *f = NULL;
    double t0 = now_ms();
    int rc = spx_seccomp_from_oci(&f, json, len, err, sizeof err);
    double t1 = now_ms();
    free(json);
    if (rc) {
        snprintf(msg, msglen, "spx_seccomp_from_oci: %s", err);
        return rc;
    }
    const char *what = "spx_seccomp_length";
    rc = spx_seccomp_length(f, &insns);
    double t2 = now_ms();
    if (!rc) {
        what = "spx_attr_set_seccomp";
        rc = spx_attr_set_seccomp(a, f);
    }
    if (rc)
        snprintf(msg, msglen, "%s: %s", what, strerror(rc));
    else
        snprintf(note, notelen,
                 "%d names, %zu ignored -> %zu BPF instructions (binary tree); once in the parent: "
                 "JSON %.2f ms, compile %.2f ms",
                 OCI_PROFILE_NAMES, spx_seccomp_ignored(f), insns, t1 - t0, t2 - t1);
    spx_seccomp_free(f);
    return rc;
}

spx_attr *feat_oci(char *note, size_t notelen, char *msg, size_t msglen)
{
    BUILD(msg, msglen, add_oci(a_, note, notelen, msg, msglen));
}

spx_attr *feat_rlimit(char *msg, size_t msglen) { BUILD(msg, msglen, add_rlimit(a_, msg, msglen)); }

spx_attr *feat_controls(int cgroup_fd, char *note, size_t notelen, char *msg, size_t msglen)
{
    BUILD(msg, msglen, add_controls(a_, cgroup_fd, note, notelen, msg, msglen));
}

spx_attr *feat_all(int cgroup_fd, char *note, size_t notelen, char *msg, size_t msglen)
{
    char n1[128] = "", n2[128] = "", n3[128] = "";
    spx_attr *a = feat_plain(msg, msglen);
    if (a && (add_uid_ambient(a, msg, msglen) || add_landlock(a, n1, sizeof n1, msg, msglen) ||
              add_seccomp(a, n2, sizeof n2, msg, msglen) || add_controls(a, cgroup_fd, n3, sizeof n3, msg, msglen))) {
        spx_attr_free(a);
        return NULL;
    }
    snprintf(note, notelen, "uid/gid 65534 + ambient; landlock %s; seccomp 50 rules; %s", n1, n3);
    return a;
}

int feat_cgroup_create(char *path, size_t pathlen, char *msg, size_t msglen)
{
    char line[4096], root[2048] = "";
    FILE *f = fopen("/proc/self/mountinfo", "re");
    while (f && !root[0] && fgets(line, sizeof line, f)) {
        const char *dash = strstr(line, " - cgroup2 ");
        if (dash && sscanf(line, "%*s %*s %*s %*s %2047s", root) != 1)
            root[0] = '\0';
    }
    if (f)
        fclose(f);
    if (!root[0]) {
        snprintf(msg, msglen, "no cgroup v2 hierarchy mounted");
        return -1;
    }
    snprintf(path, pathlen, "%s/spx-bench-%d", root, (int)getpid());
    if (mkdir(path, 0755) != 0) {
        snprintf(msg, msglen, "mkdir %s: %s", path, strerror(errno));
        return -1;
    }
    int fd = open(path, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
    if (fd < 0) {
        snprintf(msg, msglen, "cannot open the new cgroup: %s", strerror(errno));
        rmdir(path);
    }
    return fd;
}

void feat_cgroup_remove(const char *path)
{
    if (path && path[0])
        rmdir(path);
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
