/*
 * Per-child controls: resource limits, session and process group,
 * controlling terminal and foreground group, cgroup placement, parent-death
 * signal, umask, securebits. Each is read back from inside the child
 * (/proc/self/limits, /proc/self/stat, /proc/self/cgroup, /proc/self/status,
 * prctl), and every setter's bad input is refused with the object unchanged.
 */
#include "common.h"

#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <linux/capability.h>
#include <pthread.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <unistd.h>

#define NOBODY 65534
#define CAP_SETPCAP 8
#define CAP_NET_BIND_SERVICE 10
#define CAP_SYS_RESOURCE 24

static long field_long(const char *key) {
    char buf[64];
    const char *v = field(R, key, buf, sizeof buf);
    assert_non_null(v);
    return strtol(v, NULL, 0);
}

static void expect_field(const char *key, const char *want) {
    char buf[256];
    const char *v = field(R, key, buf, sizeof buf);
    if (!v || strcmp(v, want)) print_message("%s: want '%s', got '%s'\n%s", key, want, v ? v : "(none)", R->out);
    assert_non_null(v);
    assert_string_equal(v, want);
}

static void expect_prepare_error(spx_attr *a, const char *words) {
    assert_int_equal(spx_attr_set_fd(a, 1, 1), 0); /* run() leaves this copy in a: count it now */
    int fds = count_fds();
    run_probe(R, a, "exit=0", NULL);
    assert_int_equal(R->rc, EINVAL);
    assert_int_equal(R->err.stage, SPX_STAGE_PREPARE);
    if (!strstr(R->err.message, words)) print_message("message: %s\n", R->err.message);
    assert_non_null(strstr(R->err.message, words));
    assert_false(has_children());
    assert_int_equal(count_fds(), fds);
}

/* Removes a capability from the calling thread's effective and permitted
 * sets (capabilities are per thread: the rest of the suite keeps them). */
static void drop_own_cap(int cap) {
    struct __user_cap_header_struct hdr = {_LINUX_CAPABILITY_VERSION_3, 0};
    struct __user_cap_data_struct data[2];
    assert_int_equal(syscall(SYS_capget, &hdr, data), 0);
    data[cap / 32].effective &= ~(1u << (cap % 32));
    data[cap / 32].permitted &= ~(1u << (cap % 32));
    assert_int_equal(syscall(SYS_capset, &hdr, data), 0);
}

static int has_own_cap(int cap) {
    struct __user_cap_header_struct hdr = {_LINUX_CAPABILITY_VERSION_3, 0};
    struct __user_cap_data_struct data[2];
    assert_int_equal(syscall(SYS_capget, &hdr, data), 0);
    return (data[cap / 32].effective >> (cap % 32)) & 1;
}

/* ------------------------------------------------------------------------
 * Resource limits
 */
static void test_rlimit_names(void **state) {
    (void)state;
    assert_int_equal(spx_rlimit_from_name("nofile"), 7);
    assert_int_equal(spx_rlimit_from_name("NOFILE"), 7);
    assert_int_equal(spx_rlimit_from_name("RLIMIT_NOFILE"), 7);
    assert_int_equal(spx_rlimit_from_name("rlimit_as"), 9);
    assert_int_equal(spx_rlimit_from_name("cpu"), 0);
    assert_int_equal(spx_rlimit_from_name("rttime"), 15);
    assert_int_equal(spx_rlimit_from_name("RLIMIT_"), -1);
    assert_int_equal(spx_rlimit_from_name("nofiles"), -1);
    assert_int_equal(spx_rlimit_from_name(""), -1);
    assert_int_equal(spx_rlimit_from_name(NULL), -1);
}

static void test_rlimits(void **state) {
    (void)state;
    spx_attr *a = spx_attr_new();
    assert_int_equal(spx_attr_set_rlimit(a, 7, 100, 200), 0);
    assert_int_equal(spx_attr_set_rlimit(a, spx_rlimit_from_name("core"), 0, 0), 0);
    assert_int_equal(spx_attr_set_rlimit(a, spx_rlimit_from_name("stack"), SPX_RLIM_INFINITY, SPX_RLIM_INFINITY), 0);
    /* bad input leaves the object as it was */
    assert_int_equal(spx_attr_set_rlimit(a, 7, 300, 299), EINVAL);
    assert_int_equal(spx_attr_set_rlimit(a, 16, 1, 1), EINVAL);
    assert_int_equal(spx_attr_set_rlimit(a, -1, 1, 1), EINVAL);
    assert_int_equal(spx_attr_set_rlimit(NULL, 7, 1, 1), EINVAL);
    run_probe(R, a, "limits", NULL);
    assert_int_equal(R->rc, 0);
    assert_true(has_line(R, "limit nofile: 100 200"));
    assert_true(has_line(R, "limit core: 0 0"));
    assert_true(has_line(R, "limit stack: -1 -1"));
    /* the same resource again replaces it */
    assert_int_equal(spx_attr_set_rlimit(a, 7, 50, 60), 0);
    run_probe(R, a, "limits", NULL);
    assert_true(has_line(R, "limit nofile: 50 60"));
    spx_attr_free(a);
}

/* Raising a hard limit works while the child is still privileged, even when
 * it then becomes nobody. */
static void test_rlimit_raise_then_drop_root(void **state) {
    (void)state;
    REQUIRE_ROOT();
    if (!has_own_cap(CAP_SYS_RESOURCE)) {
        print_message("skipped: this process lacks CAP_SYS_RESOURCE (a container's bounding set)\n");
        skip();
    }
    struct rlimit own;
    getrlimit(RLIMIT_NOFILE, &own);
    uint64_t hard = own.rlim_max == RLIM_INFINITY ? 1 << 20 : (uint64_t)own.rlim_max + 1000;
    spx_attr *a = spx_attr_new();
    assert_int_equal(spx_attr_set_rlimit(a, 7, 1000, hard), 0);
    assert_int_equal(spx_attr_set_uid(a, NOBODY), 0);
    assert_int_equal(spx_attr_set_gid(a, NOBODY), 0);
    run_probe(R, a, "limits", "status", NULL);
    assert_int_equal(R->rc, 0);
    char want[64];
    snprintf(want, sizeof want, "limit nofile: 1000 %llu", (unsigned long long)hard);
    assert_true(has_line(R, want));
    expect_field("Uid", "65534\t65534\t65534\t65534");
    spx_attr_free(a);
}

struct spawn_result {
    spx_attr *attr;
    int drop_cap;
    int rc;
    spx_error err;
};

/* Spawns the probe from a thread that first drops one of its own caps. */
static void *spawn_without_cap(void *arg) {
    struct spawn_result *s = arg;
    drop_own_cap(s->drop_cap);
    const char *argv[] = {probe_path(), "exit=0", NULL};
    spx_process *p = NULL;
    s->rc = spx_spawn(&p, s->attr, probe_path(), argv, NULL, &s->err);
    if (p) {
        spx_process_wait(p, NULL, NULL);
        spx_process_free(p);
    }
    return NULL;
}

static void test_rlimit_raise_needs_privilege(void **state) {
    (void)state;
    REQUIRE_ROOT();
    struct rlimit own;
    getrlimit(RLIMIT_NOFILE, &own);
    if (own.rlim_max == RLIM_INFINITY) skip();
    struct spawn_result s = {spx_attr_new(), CAP_SYS_RESOURCE, -1, {0}};
    assert_int_equal(spx_attr_set_rlimit(s.attr, 7, 10, (uint64_t)own.rlim_max + 1), 0);
    run_threads(1, spawn_without_cap, &s, sizeof s);
    assert_int_equal(s.rc, EPERM);
    assert_int_equal(s.err.stage, SPX_STAGE_RLIMIT);
    assert_false(has_children());
    spx_attr_free(s.attr);
}

/* ------------------------------------------------------------------------
 * Session and process group
 */
static void test_setsid_and_pgroup(void **state) {
    (void)state;
    spx_attr *a = spx_attr_new();
    assert_int_equal(spx_attr_set_setsid(a, 2), EINVAL);
    assert_int_equal(spx_attr_set_pgroup(a, -2), EINVAL);
    assert_int_equal(spx_attr_set_pgroup(a, (int64_t)INT_MAX + 1), EINVAL);

    run_probe(R, a, "stat", NULL); /* default: the caller's group and session */
    assert_int_equal(field_long("pgrp"), getpgrp());
    assert_int_equal(field_long("session"), getsid(0));

    assert_int_equal(spx_attr_set_setsid(a, 1), 0);
    run_probe(R, a, "stat", NULL);
    long pid = field_long("pid");
    assert_int_equal(field_long("session"), pid);
    assert_int_equal(field_long("pgrp"), pid);
    assert_int_equal(field_long("tty_nr"), 0);
    assert_int_equal(spx_attr_set_pgroup(a, 0), 0); /* accepted: it leads its group anyway */
    run_probe(R, a, "stat", NULL);
    assert_int_equal(R->rc, 0);
    assert_int_equal(field_long("pgrp"), field_long("pid"));

    assert_int_equal(spx_attr_set_setsid(a, 0), 0);
    run_probe(R, a, "stat", NULL); /* a new group in the caller's session */
    assert_int_equal(field_long("pgrp"), field_long("pid"));
    assert_int_equal(field_long("session"), getsid(0));

    /* join the group of a running child */
    spx_process *leader;
    spx_error err;
    const char *argv[] = {probe_path(), "sleep=20000", NULL};
    assert_int_equal(spx_spawn(&leader, a, probe_path(), argv, NULL, &err), 0);
    assert_int_equal(spx_attr_set_pgroup(a, spx_process_pid(leader)), 0);
    run_probe(R, a, "stat", NULL);
    assert_int_equal(R->rc, 0);
    assert_int_equal(field_long("pgrp"), spx_process_pid(leader));
    spx_process_kill(leader, SIGKILL);
    spx_process_wait(leader, NULL, NULL);
    spx_process_free(leader);
    assert_int_equal(spx_attr_set_setsid(a, 1), 0); /* a new session cannot join a group */
    expect_prepare_error(a, "process group");
    spx_attr_free(a);
}

/* ------------------------------------------------------------------------
 * Controlling terminal and foreground group, on a pseudo-terminal: a helper
 * (this binary) becomes a session leader with the pty as its terminal, then
 * starts the probe as a job in the foreground, as a shell would.
 */
static int open_pty(char *name, size_t len) {
    int master = posix_openpt(O_RDWR | O_NOCTTY | O_CLOEXEC);
    assert_true(master >= 0);
    assert_int_equal(grantpt(master), 0);
    assert_int_equal(unlockpt(master), 0);
    assert_int_equal(ptsname_r(master, name, len), 0);
    return master;
}

static void test_ctty_and_foreground(void **state) {
    (void)state;
    char name[64];
    int master = open_pty(name, sizeof name);
    int slave = open(name, O_RDWR | O_NOCTTY | O_CLOEXEC);
    assert_true(slave >= 0);
    struct stat st;
    assert_int_equal(fstat(slave, &st), 0);

    spx_attr *a = spx_attr_new();
    assert_int_equal(spx_attr_set_ctty(a, -2), EINVAL);
    assert_int_equal(spx_attr_set_foreground(a, -2), EINVAL);
    assert_int_equal(spx_attr_set_ctty(a, INT_MAX), EBADF);
    assert_int_equal(spx_attr_set_ctty(a, 0), 0);
    expect_prepare_error(a, "setsid"); /* a terminal needs a new session */

    assert_int_equal(spx_attr_set_fd(a, 0, slave), 0);
    assert_int_equal(spx_attr_set_setsid(a, 1), 0);
    run_probe(R, a, "stat", NULL);
    assert_int_equal(R->rc, 0);
    assert_int_equal(field_long("tty_nr"), (long)st.st_rdev);
    assert_int_equal(field_long("tpgid"), field_long("pid")); /* its session's group is in the foreground */

    char self[PATH_MAX];
    self_exe(self, sizeof self);
    const char *argv[] = {self, "--job", NULL};
    run(R, a, self, argv, NULL);
    assert_int_equal(R->rc, 0);
    if (R->exit_code != 0) print_message("--job said:\n%s", R->out);
    assert_int_equal(R->exit_code, 0);
    assert_true(has_line(R, "--job: ok"));
    spx_attr_free(a);
    close(slave);
    close(master);
}

/* The session leader: starts the probe in a new group in the foreground of
 * its terminal (fd 0), and checks what the probe saw. */
static int job_main(void) {
    run_result *r = malloc(sizeof *r);
    spx_attr *a = spx_attr_new();
    spx_attr_set_pgroup(a, 0);
    spx_attr_set_foreground(a, 0);
    run_probe(r, a, "stat", NULL);
    char buf[64];
    const char *pid = field(r, "pid", buf, sizeof buf);
    long child = pid ? atol(pid) : -1;
    const char *tpgid = field(r, "tpgid", buf, sizeof buf);
    const char *pgrp = field(r, "pgrp", buf + 32, 32);
    int ok = r->rc == 0 && child > 0 && tpgid && atol(tpgid) == child && pgrp && atol(pgrp) == child;
    /* without the foreground setting, a new group stays in the background */
    spx_attr_set_foreground(a, -1);
    run_probe(r, a, "stat", NULL);
    const char *bg = field(r, "tpgid", buf, sizeof buf);
    const char *bgpid = field(r, "pid", buf + 32, 32);
    ok = ok && r->rc == 0 && bg && bgpid && atol(bg) != atol(bgpid);
    printf("%s--job: %s\n", ok ? "" : r->out, ok ? "ok" : "FAILED");
    spx_attr_free(a);
    free(r);
    return ok ? 0 : 1;
}

/* ------------------------------------------------------------------------
 * cgroup placement
 */

/* The cgroup v2 mount point from /proc/self/mountinfo, or "" when none. */
static void cgroup2_root(char *buf, size_t len) {
    buf[0] = '\0';
    FILE *f = fopen("/proc/self/mountinfo", "r");
    char line[4096];
    while (f && fgets(line, sizeof line, f)) {
        char mnt[2048], fstype[64];
        const char *dash = strstr(line, " - ");
        if (!dash || sscanf(dash + 3, "%63s", fstype) != 1 || strcmp(fstype, "cgroup2")) continue;
        if (sscanf(line, "%*s %*s %*s %*s %2047s", mnt) == 1) {
            snprintf(buf, len, "%s", mnt);
            break;
        }
    }
    if (f) fclose(f);
}

/* A fresh cgroup v2 directory and an O_DIRECTORY fd of it, or skip. */
static int make_cgroup(char *dir, size_t len) {
    char root[2048];
    cgroup2_root(root, sizeof root);
    if (!root[0]) {
        print_message("skipped: no cgroup v2 hierarchy mounted\n");
        skip();
    }
    snprintf(dir, len, "%s/spx-test-%d", root, getpid());
    rmdir(dir);
    if (mkdir(dir, 0755) != 0) {
        print_message("skipped: cannot create a cgroup under %s: %s\n", root, strerror(errno));
        skip();
    }
    int fd = open(dir, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
    assert_true(fd >= 0);
    return fd;
}

static void test_cgroup(void **state) {
    (void)state;
    REQUIRE_ROOT();
    char dir[2200];
    int fd = make_cgroup(dir, sizeof dir);
    spx_attr *a = spx_attr_new();
    assert_int_equal(spx_attr_set_cgroup_fd(a, -2), EINVAL);
    assert_int_equal(spx_attr_set_cgroup_fd(a, 1000000), EBADF);
    int file = open("/proc/self/status", O_RDONLY | O_CLOEXEC);
    assert_int_equal(spx_attr_set_cgroup_fd(a, file), ENOTDIR);
    close(file);
    assert_int_equal(spx_attr_set_cgroup_fd(a, fd), 0);
    close(fd); /* the attribute holds its own copy */
    run_probe(R, a, "cgroup", NULL);
    assert_int_equal(R->rc, 0);
    char want[2300];
    snprintf(want, sizeof want, "cgroup: 0::/%s", strrchr(dir, '/') + 1);
    if (!has_line(R, want)) print_message("want %s in:\n%s", want, R->out);
    assert_true(has_line(R, want));
    /* -1 removes it */
    assert_int_equal(spx_attr_set_cgroup_fd(a, -1), 0);
    run_probe(R, a, "cgroup", NULL);
    assert_false(has_line(R, want));
    spx_attr_free(a);
    assert_int_equal(rmdir(dir), 0); /* empty again: every child is gone */
}

/* A directory that is not cgroup v2 (a plain directory, a cgroup v1
 * hierarchy) is the cgroup stage's error, not a clone failure. */
static void expect_cgroup_error(const char *dir) {
    int fd = open(dir, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
    assert_true(fd >= 0);
    spx_attr *a = spx_attr_new();
    assert_int_equal(spx_attr_set_cgroup_fd(a, fd), 0);
    close(fd);
    assert_int_equal(spx_attr_set_fd(a, 1, 1), 0); /* run() leaves this copy in a: count it now */
    int fds = count_fds();
    run_probe(R, a, "exit=0", NULL);
    assert_int_equal(R->err.stage, SPX_STAGE_CGROUP);
    assert_int_equal(R->rc, EBADF);
    assert_false(has_children());
    assert_int_equal(count_fds(), fds);
    spx_attr_free(a);
}

static void test_cgroup_not_v2(void **state) {
    (void)state;
    expect_cgroup_error("/tmp");
    struct stat st;
    if (stat("/sys/fs/cgroup/memory/cgroup.procs", &st) == 0) /* a v1 controller (hybrid layout) */
        expect_cgroup_error("/sys/fs/cgroup/memory");
    else
        print_message("no cgroup v1 hierarchy here: only the plain directory was tried\n");
}

/* Without CLONE_INTO_CGROUP (emulated: clone3 answers ENOSYS), the child
 * writes itself into cgroup.procs before anything else. */
static void test_cgroup_without_clone3(void **state) {
    (void)state;
    REQUIRE_ROOT();
    char dir[2200];
    close(make_cgroup(dir, sizeof dir));
    spx_seccomp *f;
    assert_int_equal(spx_seccomp_new(&f, SPX_SECCOMP_ALLOW), 0);
    assert_int_equal(spx_seccomp_add(f, "clone3", SPX_SECCOMP_ERRNO(ENOSYS)), 0);
    spx_attr *a = spx_attr_new();
    assert_int_equal(spx_attr_set_seccomp(a, f), 0);
    spx_seccomp_free(f);
    char self[PATH_MAX];
    self_exe(self, sizeof self);
    const char *argv[] = {self, "--cgroup-join", dir, NULL};
    run(R, a, self, argv, NULL);
    assert_int_equal(R->rc, 0);
    if (R->exit_code != 0) print_message("--cgroup-join said:\n%s", R->out);
    assert_int_equal(R->exit_code, 0);
    assert_true(has_line(R, "--cgroup-join: ok"));
    spx_attr_free(a);
    assert_int_equal(rmdir(dir), 0);
}

static int cgroup_join_main(const char *dir) {
    run_result *r = malloc(sizeof *r);
    spx_attr *a = spx_attr_new();
    int fd = open(dir, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
    spx_attr_set_cgroup_fd(a, fd);
    run_probe(r, a, "cgroup", NULL);
    char want[2300];
    snprintf(want, sizeof want, "cgroup: 0::/%s", strrchr(dir, '/') + 1);
    int ok = r->rc == 0 && has_line(r, want);
    /* and the placement's own error is still the cgroup stage's */
    int tmp = open("/tmp", O_RDONLY | O_DIRECTORY | O_CLOEXEC);
    spx_attr_set_cgroup_fd(a, tmp);
    run_probe(r, a, "exit=0", NULL);
    ok = ok && r->rc != 0 && r->err.stage == SPX_STAGE_CGROUP;
    printf("%s (%s)\n--cgroup-join: %s\n", r->err.message, r->out, ok ? "ok" : "FAILED");
    spx_attr_free(a);
    free(r);
    return ok ? 0 : 1;
}

/* ------------------------------------------------------------------------
 * Parent-death signal
 */
static void test_pdeathsig(void **state) {
    (void)state;
    spx_attr *a = spx_attr_new();
    assert_int_equal(spx_attr_set_pdeathsig(a, -1), EINVAL);
    assert_int_equal(spx_attr_set_pdeathsig(a, 65), EINVAL);
    run_probe(R, a, "pdeathsig", NULL);
    assert_true(has_line(R, "pdeathsig: 0"));
    assert_int_equal(spx_attr_set_pdeathsig(a, SIGTERM), 0);
    run_probe(R, a, "pdeathsig", NULL);
    assert_true(has_line(R, "pdeathsig: 15"));
    if (geteuid() == 0) { /* survives the identity change */
        assert_int_equal(spx_attr_set_uid(a, NOBODY), 0);
        assert_int_equal(spx_attr_set_gid(a, NOBODY), 0);
        run_probe(R, a, "pdeathsig", NULL);
        assert_true(has_line(R, "pdeathsig: 15"));
    }
    spx_attr_free(a);
}

static void *spawn_and_exit(void *arg) {
    spx_process **p = arg;
    spx_attr *a = spx_attr_new();
    spx_attr_set_pdeathsig(a, SIGKILL);
    const char *argv[] = {probe_path(), "sleep=20000", NULL};
    spx_error err;
    if (spx_spawn(p, a, probe_path(), argv, NULL, &err) != 0) *p = NULL;
    spx_attr_free(a);
    return NULL; /* the thread exits: the kernel signals its children */
}

static void test_pdeathsig_thread_exit(void **state) {
    (void)state;
    spx_process *p = NULL;
    run_threads(1, spawn_and_exit, &p, sizeof p);
    assert_non_null(p);
    int code = 0, sig = 0;
    assert_int_equal(spx_process_wait_timeout(p, 10000, &code, &sig), 0);
    assert_int_equal(sig, SIGKILL);
    spx_process_free(p);
}

/* ------------------------------------------------------------------------
 * umask
 */
static void test_umask(void **state) {
    (void)state;
    spx_attr *a = spx_attr_new();
    assert_int_equal(spx_attr_set_umask(a, -2), EINVAL);
    assert_int_equal(spx_attr_set_umask(a, 01000), EINVAL);
    mode_t own = umask(0022);
    umask(own);
    char want[16];
    snprintf(want, sizeof want, "%04o", own);
    run_probe(R, a, "status", NULL);
    expect_field("Umask", want);
    assert_int_equal(spx_attr_set_umask(a, 027), 0);
    run_probe(R, a, "status", NULL);
    expect_field("Umask", "0027");
    assert_int_equal(spx_attr_set_umask(a, 0), 0);
    run_probe(R, a, "status", NULL);
    expect_field("Umask", "0000");
    assert_int_equal(spx_attr_set_umask(a, -1), 0);
    run_probe(R, a, "status", NULL);
    expect_field("Umask", want);
    spx_attr_free(a);
}

/* ------------------------------------------------------------------------
 * securebits
 */
static void test_securebits_bad_input(void **state) {
    (void)state;
    spx_attr *a = spx_attr_new();
    assert_int_equal(spx_attr_set_securebits(a, 1u << 4), EINVAL); /* SECBIT_KEEP_CAPS: spx's own */
    assert_int_equal(spx_attr_set_securebits(a, 1u << 12), EINVAL);
    assert_int_equal(spx_attr_set_securebits(NULL, 0), EINVAL);
    run_probe(R, a, "securebits", NULL);
    assert_true(has_line(R, "securebits: 0"));
    spx_attr_free(a);
}

/* A child that stays root with NOROOT|NOROOT_LOCKED and an ambient set ends
 * with exactly that set: without the bits it would get every capability. */
static void test_securebits_root_child(void **state) {
    (void)state;
    REQUIRE_ROOT();
    int caps[] = {CAP_NET_BIND_SERVICE};
    spx_attr *a = spx_attr_new();
    assert_int_equal(spx_attr_set_ambient(a, caps, 1), 0);
    run_probe(R, a, "status", NULL);
    char buf[64];
    assert_string_not_equal(field(R, "CapEff", buf, sizeof buf), "0000000000000400"); /* root: everything */
    assert_int_equal(spx_attr_set_securebits(a, SPX_SECBIT_NOROOT | SPX_SECBIT_NOROOT_LOCKED), 0);
    run_probe(R, a, "status", "securebits", NULL);
    assert_int_equal(R->rc, 0);
    expect_field("Uid", "0\t0\t0\t0");
    expect_field("CapAmb", "0000000000000400");
    expect_field("CapPrm", "0000000000000400");
    expect_field("CapEff", "0000000000000400");
    assert_true(has_line(R, "securebits: 3"));
    spx_attr_free(a);
}

/* With a uid change and ambient caps, the bits that lock the ambient set
 * are set after spx raised it; CAP_SETPCAP, kept for the stage, is gone. */
static void test_securebits_uid_change(void **state) {
    (void)state;
    REQUIRE_ROOT();
    int caps[] = {CAP_NET_BIND_SERVICE};
    unsigned bits = SPX_SECBIT_NO_CAP_AMBIENT_RAISE | SPX_SECBIT_NO_CAP_AMBIENT_RAISE_LOCKED |
                    SPX_SECBIT_KEEP_CAPS_LOCKED | SPX_SECBIT_NOROOT | SPX_SECBIT_NOROOT_LOCKED;
    spx_attr *a = spx_attr_new();
    assert_int_equal(spx_attr_set_uid(a, NOBODY), 0);
    assert_int_equal(spx_attr_set_gid(a, NOBODY), 0);
    assert_int_equal(spx_attr_set_ambient(a, caps, 1), 0);
    assert_int_equal(spx_attr_set_securebits(a, bits), 0);
    run_probe(R, a, "status", "securebits", NULL);
    assert_int_equal(R->rc, 0);
    expect_field("Uid", "65534\t65534\t65534\t65534");
    expect_field("CapAmb", "0000000000000400");
    expect_field("CapPrm", "0000000000000400");
    expect_field("CapEff", "0000000000000400");
    expect_field("CapInh", "0000000000000400");
    char want[32];
    snprintf(want, sizeof want, "securebits: %u", bits);
    assert_true(has_line(R, want));
    /* no ambient set: nothing at all is left */
    assert_int_equal(spx_attr_set_ambient(a, NULL, 0), 0);
    assert_int_equal(spx_attr_set_securebits(a, SPX_SECBIT_NOROOT), 0);
    run_probe(R, a, "status", "securebits", NULL);
    assert_int_equal(R->rc, 0);
    expect_field("CapPrm", "0000000000000000");
    expect_field("CapEff", "0000000000000000");
    expect_field("CapAmb", "0000000000000000");
    assert_true(has_line(R, "securebits: 1"));
    /* CAP_SETPCAP asked as an ambient cap stays */
    int with_setpcap[] = {CAP_NET_BIND_SERVICE, CAP_SETPCAP};
    assert_int_equal(spx_attr_set_ambient(a, with_setpcap, 2), 0);
    run_probe(R, a, "status", NULL);
    expect_field("CapEff", "0000000000000500");
    spx_attr_free(a);
}

static void test_securebits_exec_bits(void **state) {
    (void)state;
    REQUIRE_ROOT();
    spx_attr *a = spx_attr_new();
    assert_int_equal(spx_attr_set_securebits(a, SPX_SECBIT_EXEC_RESTRICT_FILE | SPX_SECBIT_EXEC_DENY_INTERACTIVE), 0);
    run_probe(R, a, "securebits", NULL);
    if (R->rc == ENOTSUP) { /* a kernel before 6.14: said, not ignored */
        assert_int_equal(R->err.stage, SPX_STAGE_SECUREBITS);
        print_message("skipped: this kernel has no EXEC_* securebits (ENOTSUP, as documented)\n");
        spx_attr_free(a);
        skip();
    }
    assert_int_equal(R->rc, 0);
    assert_true(has_line(R, "securebits: 1280"));
    spx_attr_free(a);
}

static void test_securebits_need_setpcap(void **state) {
    (void)state;
    REQUIRE_ROOT();
    struct spawn_result s = {spx_attr_new(), CAP_SETPCAP, -1, {0}};
    assert_int_equal(spx_attr_set_securebits(s.attr, SPX_SECBIT_NOROOT), 0);
    run_threads(1, spawn_without_cap, &s, sizeof s);
    assert_int_equal(s.rc, EPERM);
    assert_int_equal(s.err.stage, SPX_STAGE_PREPARE);
    assert_non_null(strstr(s.err.message, "cap_setpcap"));
    assert_false(has_children());
    spx_attr_free(s.attr);
}

/* ------------------------------------------------------------------------
 * Everything at once, with a uid change and ambient caps.
 */
static void test_all_together(void **state) {
    (void)state;
    REQUIRE_ROOT();
    char dir[2200];
    char root[2048];
    cgroup2_root(root, sizeof root);
    int cg = root[0] ? make_cgroup(dir, sizeof dir) : -1;
    int caps[] = {CAP_NET_BIND_SERVICE};
    spx_attr *a = spx_attr_new();
    assert_int_equal(spx_attr_set_uid(a, NOBODY), 0);
    assert_int_equal(spx_attr_set_gid(a, NOBODY), 0);
    assert_int_equal(spx_attr_set_ambient(a, caps, 1), 0);
    assert_int_equal(spx_attr_set_securebits(a, SPX_SECBIT_NOROOT | SPX_SECBIT_NOROOT_LOCKED |
                                                    SPX_SECBIT_NO_CAP_AMBIENT_RAISE_LOCKED),
                     0);
    assert_int_equal(spx_attr_set_rlimit(a, spx_rlimit_from_name("nproc"), 64, 64), 0);
    assert_int_equal(spx_attr_set_setsid(a, 1), 0);
    assert_int_equal(spx_attr_set_umask(a, 077), 0);
    assert_int_equal(spx_attr_set_pdeathsig(a, SIGKILL), 0);
    if (cg >= 0) {
        assert_int_equal(spx_attr_set_cgroup_fd(a, cg), 0);
        close(cg);
    }
    run_probe(R, a, "status", "limits", "stat", "cgroup", "pdeathsig", "securebits", "bind=80", NULL);
    assert_int_equal(R->rc, 0);
    expect_field("Uid", "65534\t65534\t65534\t65534");
    expect_field("CapEff", "0000000000000400");
    expect_field("CapAmb", "0000000000000400");
    expect_field("Umask", "0077");
    assert_true(has_line(R, "limit nproc: 64 64"));
    assert_int_equal(field_long("session"), field_long("pid"));
    assert_true(has_line(R, "pdeathsig: 9"));
    assert_true(has_line(R, "securebits: 131"));
    assert_true(has_line(R, "bind 80: ok"));
    if (cg >= 0) {
        char want[2300];
        snprintf(want, sizeof want, "cgroup: 0::/%s", strrchr(dir, '/') + 1);
        assert_true(has_line(R, want));
    }
    spx_attr_free(a);
    if (cg >= 0) assert_int_equal(rmdir(dir), 0);
}

int main(int argc, char **argv) {
    if (argc > 1 && !strcmp(argv[1], "--job")) return job_main();
    if (argc > 2 && !strcmp(argv[1], "--cgroup-join")) return cgroup_join_main(argv[2]);
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_rlimit_names),
        cmocka_unit_test(test_rlimits),
        cmocka_unit_test(test_rlimit_raise_then_drop_root),
        cmocka_unit_test(test_rlimit_raise_needs_privilege),
        cmocka_unit_test(test_setsid_and_pgroup),
        cmocka_unit_test(test_ctty_and_foreground),
        cmocka_unit_test(test_cgroup),
        cmocka_unit_test(test_cgroup_not_v2),
        cmocka_unit_test(test_cgroup_without_clone3),
        cmocka_unit_test(test_pdeathsig),
        cmocka_unit_test(test_pdeathsig_thread_exit),
        cmocka_unit_test(test_umask),
        cmocka_unit_test(test_securebits_bad_input),
        cmocka_unit_test(test_securebits_root_child),
        cmocka_unit_test(test_securebits_uid_change),
        cmocka_unit_test(test_securebits_exec_bits),
        cmocka_unit_test(test_securebits_need_setpcap),
        cmocka_unit_test(test_all_together),
    };
    return cmocka_run_group_tests_name("controls", tests, suite_setup, suite_teardown);
}
