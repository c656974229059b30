/* Landlock (Linux): rulesets built with spx_landlock_*, enforced in the
 * child only. Every restriction is observed from inside the child by the
 * probe; the parent is checked to stay unrestricted. Tests needing a newer
 * Landlock ABI than the kernel's skip with a message. */
#include "common.h"

#include <arpa/inet.h>
#include <errno.h>
#include <fcntl.h>
#include <linux/filter.h>
#include <linux/seccomp.h>
#include <netinet/in.h>
#include <pthread.h>
#include <stddef.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/mman.h>
#include <sys/prctl.h>
#include <sys/socket.h>
#include <sys/un.h>
#include <linux/audit.h>
#include <linux/netlink.h>
#include <sys/resource.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <unistd.h>

#define NOBODY 65534

static char probe_dir[4096];
static char inside[64];  /* read-write for the child */
static char outside[64]; /* another directory: stands for the parent's home */

static void write_file(const char *path, const char *text) {
    int fd = open(path, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0644);
    assert_true(fd >= 0);
    assert_int_equal(write(fd, text, strlen(text)), (ssize_t)strlen(text));
    close(fd);
}

static void require_abi(int abi) {
    int have = spx_landlock_abi();
    if (have < abi) {
        print_message("skipped: needs Landlock ABI %d, the kernel has %d\n", abi, have);
        skip();
    }
}

static int setup(void **state) {
    (void)state;
    snprintf(probe_dir, sizeof probe_dir, "%s", getenv("SPX_PROBE") ? getenv("SPX_PROBE") : "/");
    char *slash = strrchr(probe_dir, '/');
    if (slash) *slash = '\0';
    return suite_setup(state);
}
/* Each test gets its two directories, outside holding a "secret" file. */
static int dirs_up(void **state) {
    (void)state;
    make_tmpdir(inside, sizeof inside);
    make_tmpdir(outside, sizeof outside);
    char secret[128];
    snprintf(secret, sizeof secret, "%s/secret", outside);
    write_file(secret, "the parent's own\n");
    return 0;
}
static int dirs_down(void **state) {
    (void)state;
    remove_tree(inside);
    remove_tree(outside);
    return 0;
}

/* The filesystem rights an ABI knows (what FS_RW may ask in strict mode). */
static uint64_t rw_of(int abi) {
    uint64_t rw = SPX_LANDLOCK_FS_RW;
    if (abi < 2) rw &= ~SPX_LANDLOCK_FS_REFER;
    if (abi < 3) rw &= ~SPX_LANDLOCK_FS_TRUNCATE;
    if (abi < 5) rw &= ~SPX_LANDLOCK_FS_IOCTL_DEV;
    return rw;
}

/* The newest ABI both the kernel and the library know: strict rulesets
 * ask for it, so that they can be created on any kernel with Landlock. */
static int host_abi(void) {
    int k = spx_landlock_abi();
    return k > 7 ? 7 : k;
}

/* What any child needs to run the probe: read and execute the system
 * directories and the probe's own, read /proc (status, fds). */
static spx_landlock *system_ruleset(int abi, unsigned flags) {
    spx_landlock *rs = NULL;
    assert_int_equal(spx_landlock_new(&rs, abi, flags), 0);
    const char *rox[] = {"/usr", "/lib", "/lib64", "/bin", "/etc", probe_dir};
    for (size_t i = 0; i < sizeof rox / sizeof rox[0]; i++)
        if (access(rox[i], F_OK) == 0) assert_int_equal(spx_landlock_allow_path(rs, rox[i], SPX_LANDLOCK_FS_ROX), 0);
    assert_int_equal(spx_landlock_allow_path(rs, "/proc", SPX_LANDLOCK_FS_RO), 0);
    return rs;
}

/* system_ruleset plus read-write on inside (every right a strict ruleset
 * of that ABI may ask; best effort asks for FS_RW and keeps what it can). */
static spx_landlock *sandbox_ruleset(int abi, unsigned flags) {
    spx_landlock *rs = system_ruleset(abi, flags);
    uint64_t rw = flags & SPX_LANDLOCK_BEST_EFFORT ? SPX_LANDLOCK_FS_RW : rw_of(abi ? abi : 7);
    assert_int_equal(spx_landlock_allow_path(rs, inside, rw), 0);
    return rs;
}

static spx_attr *sandbox_attr(void) {
    spx_landlock *rs = sandbox_ruleset(host_abi(), 0);
    spx_attr *a = spx_attr_new();
    assert_int_equal(spx_attr_set_landlock(a, rs), 0);
    spx_landlock_free(rs); /* the attr holds the kernel ruleset */
    return a;
}

/* "cmd=DIR/NAME" into buf */
static const char *cmd_in(char *buf, size_t len, const char *cmd, const char *dir, const char *name) {
    snprintf(buf, len, "%s=%s/%s", cmd, dir, name);
    return buf;
}
/* asserts the line "VERB DIR/NAME: RESULT" */
static void expect(const char *verb, const char *dir, const char *name, const char *result) {
    char want[256];
    snprintf(want, sizeof want, "%s %s/%s: %s", verb, dir, name, result);
    if (!has_line(R, want)) print_message("wanted \"%s\" in:\n%s", want, R->out);
    assert_true(has_line(R, want));
}

/* DIR/a/f and DIR/a/g, and DIR/b empty: files to move across directories */
static void two_dirs(const char *dir) {
    char p[160];
    snprintf(p, sizeof p, "%s/a", dir);
    mkdir(p, 0755);
    snprintf(p, sizeof p, "%s/b", dir);
    remove_tree(p);
    assert_int_equal(mkdir(p, 0755), 0);
    snprintf(p, sizeof p, "%s/a/f", dir);
    write_file(p, "f\n");
    snprintf(p, sizeof p, "%s/a/g", dir);
    write_file(p, "g\n");
}
/* "rename=DIR/a/f:DIR/b/f" and "link=DIR/a/g:DIR/b/g" (reparenting) */
static void move_cmds(char c[2][256], const char *dir) {
    snprintf(c[0], 256, "rename=%s/a/f:%s/b/f", dir, dir);
    snprintf(c[1], 256, "link=%s/a/g:%s/b/g", dir, dir);
}
/* Did both of move_cmds' commands give RESULT? */
static int moved(const run_result *r, const char *dir, const char *result) {
    char rename_line[256], link_line[256];
    snprintf(rename_line, sizeof rename_line, "rename %s/a/f %s/b/f: %s", dir, dir, result);
    snprintf(link_line, sizeof link_line, "link %s/a/g %s/b/g: %s", dir, dir, result);
    int ok = has_line(r, rename_line) && has_line(r, link_line);
    if (!ok) printf("wanted \"%s\" and \"%s\" in:\n%s", rename_line, link_line, r->out);
    return ok;
}

static void test_abi(void **state) {
    (void)state;
    long raw = syscall(SYS_landlock_create_ruleset, NULL, 0, 1u /* LANDLOCK_CREATE_RULESET_VERSION */);
    assert_int_equal(spx_landlock_abi(), raw > 0 ? raw : 0);
    print_message("kernel Landlock ABI: %d\n", spx_landlock_abi());
}

/* The child writes only inside, reads the system, and gets EACCES for
 * everything outside; the parent stays unrestricted. */
static void test_fs_rules(void **state) {
    (void)state;
    require_abi(1);
    int fds_before = count_fds();
    spx_landlock *rs = sandbox_ruleset(host_abi(), 0);
    spx_attr *a = spx_attr_new();
    assert_int_equal(spx_attr_set_landlock(a, rs), 0);
    /* the attr took a snapshot: rules added later do not reach it */
    assert_int_equal(spx_landlock_allow_path(rs, outside, rw_of(host_abi())), 0);

    char c[6][160];
    run_probe(R, a, cmd_in(c[0], 160, "write", inside, "new"), cmd_in(c[1], 160, "mkdir", inside, "sub"),
              cmd_in(c[2], 160, "read", inside, "new"), cmd_in(c[3], 160, "write", outside, "new"),
              cmd_in(c[4], 160, "read", outside, "secret"), cmd_in(c[5], 160, "mkdir", outside, "sub"),
              "read=/etc/hostname", NULL);
    assert_int_equal(R->rc, 0);
    assert_int_equal(R->exit_code, 0);
    expect("write", inside, "new", "ok");
    expect("mkdir", inside, "sub", "ok");
    expect("read", inside, "new", "ok");
    expect("write", outside, "new", "EACCES");
    expect("read", outside, "secret", "EACCES");
    expect("mkdir", outside, "sub", "EACCES");
    assert_true(has_line(R, "read /etc/hostname: ok"));

    /* the parent, after the spawn, still writes everywhere */
    char path[128];
    snprintf(path, sizeof path, "%s/by-parent", outside);
    write_file(path, "x");
    snprintf(path, sizeof path, "%s/by-parent", inside);
    write_file(path, "x");
    assert_true(access("/etc/hostname", R_OK) == 0);

    /* a ruleset outlives nothing it needs: freed, the attr still works */
    spx_landlock_free(rs);
    run_probe(R, a, cmd_in(c[3], 160, "write", outside, "new2"), NULL);
    expect("write", outside, "new2", "EACCES");
    spx_attr_free(a);
    assert_int_equal(count_fds(), fds_before);
}

static int free_port(void) {
    int s = socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
    assert_true(s >= 0);
    struct sockaddr_in sa = {.sin_family = AF_INET};
    sa.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    assert_int_equal(bind(s, (struct sockaddr *)&sa, sizeof sa), 0);
    socklen_t len = sizeof sa;
    assert_int_equal(getsockname(s, (struct sockaddr *)&sa, &len), 0);
    close(s);
    return ntohs(sa.sin_port);
}

static void test_net_rules(void **state) {
    (void)state;
    require_abi(4);
    int allowed = free_port(), other = free_port();
    while (other == allowed) other = free_port();
    spx_landlock *rs = system_ruleset(host_abi(), 0);
    assert_int_equal(spx_landlock_allow_port(rs, (uint64_t)allowed, SPX_LANDLOCK_NET_BIND_TCP), 0);
    assert_int_equal(spx_landlock_allow_port(rs, (uint64_t)other, SPX_LANDLOCK_NET_CONNECT_TCP), 0);
    spx_attr *a = spx_attr_new();
    assert_int_equal(spx_attr_set_landlock(a, rs), 0);
    char c[4][32], want[64];
    snprintf(c[0], 32, "bind=%d", allowed);
    snprintf(c[1], 32, "bind=%d", other);
    snprintf(c[2], 32, "connect=%d", other);
    snprintf(c[3], 32, "connect=%d", allowed);
    run_probe(R, a, c[0], c[1], c[2], c[3], NULL);
    assert_int_equal(R->rc, 0);
    snprintf(want, sizeof want, "bind %d: ok", allowed);
    assert_true(has_line(R, want));
    snprintf(want, sizeof want, "bind %d: EACCES", other);
    assert_true(has_line(R, want));
    snprintf(want, sizeof want, "connect %d: ECONNREFUSED", other); /* allowed, nobody listens */
    assert_true(has_line(R, want));
    snprintf(want, sizeof want, "connect %d: EACCES", allowed);
    assert_true(has_line(R, want));
    /* the parent binds the refused port */
    int s = socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
    struct sockaddr_in sa = {.sin_family = AF_INET, .sin_port = htons((uint16_t)other)};
    sa.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    assert_int_equal(bind(s, (struct sockaddr *)&sa, sizeof sa), 0);
    close(s);
    spx_attr_free(a);
    spx_landlock_free(rs);
}

/* A ruleset that handles only TCP bind: the filesystem stays open. */
static void test_network_only(void **state) {
    (void)state;
    require_abi(4);
    int allowed = free_port(), other = free_port();
    while (other == allowed) other = free_port();
    spx_landlock *rs = NULL;
    assert_int_equal(spx_landlock_new(&rs, 0, 0), 0);
    assert_int_equal(spx_landlock_set_handled(rs, 0, SPX_LANDLOCK_NET_BIND_TCP), 0);
    assert_int_equal(spx_landlock_allow_port(rs, (uint64_t)allowed, SPX_LANDLOCK_NET_BIND_TCP), 0);
    assert_int_equal(spx_landlock_status(rs), SPX_LANDLOCK_FULLY_ENFORCED);
    spx_attr *a = spx_attr_new();
    assert_int_equal(spx_attr_set_landlock(a, rs), 0);
    char c[3][160], m[2][256], want[64];
    snprintf(c[0], 32, "bind=%d", allowed);
    snprintf(c[1], 32, "bind=%d", other);
    two_dirs(outside);
    move_cmds(m, outside);
    run_probe(R, a, c[0], c[1], cmd_in(c[2], 160, "write", outside, "free"), "read=/etc/passwd", m[0], m[1], NULL);
    assert_int_equal(R->rc, 0);
    snprintf(want, sizeof want, "bind %d: ok", allowed);
    assert_true(has_line(R, want));
    snprintf(want, sizeof want, "bind %d: EACCES", other);
    assert_true(has_line(R, want));
    expect("write", outside, "free", "ok"); /* no filesystem right handled */
    assert_true(has_line(R, "read /etc/passwd: ok"));
    assert_true(moved(R, outside, "ok")); /* nor REFER: nothing about it added */
    spx_attr_free(a);

    /* bad input */
    assert_int_equal(spx_landlock_set_handled(NULL, 0, 0), EINVAL);
    assert_int_equal(spx_landlock_set_handled(rs, 1ULL << 40, 0), EINVAL);
    assert_int_equal(spx_landlock_set_handled(rs, 0, 1ULL << 5), EINVAL);
    spx_landlock_free(rs);
    /* strict: the ruleset's ABI has no network rights */
    assert_int_equal(spx_landlock_new(&rs, 3, 0), 0);
    assert_int_equal(spx_landlock_set_handled(rs, 0, SPX_LANDLOCK_NET_BIND_TCP), ENOTSUP);
    spx_landlock_free(rs);
    /* best effort: nothing left to handle is not enforced, and no fd */
    assert_int_equal(spx_landlock_new(&rs, 3, SPX_LANDLOCK_BEST_EFFORT), 0);
    assert_int_equal(spx_landlock_set_handled(rs, 0, SPX_LANDLOCK_NET_BIND_TCP), 0);
    assert_int_equal(spx_landlock_status(rs), SPX_LANDLOCK_NOT_ENFORCED);
    int fd = 1234;
    assert_int_equal(spx_landlock_create_fd(rs, &fd), 0);
    assert_int_equal(fd, -1);
    spx_landlock_free(rs);
}

/* A handled set without REFER leaves reparenting allowed, although the
 * kernel denies it under any filesystem ruleset unless a rule grants REFER:
 * spx grants it beneath "/", which allows no move that widens access. */
static void test_handled_without_refer(void **state) {
    (void)state;
    require_abi(2);
    spx_landlock *rs = NULL;
    assert_int_equal(spx_landlock_new(&rs, 0, 0), 0);
    assert_int_equal(spx_landlock_set_handled(rs, SPX_LANDLOCK_FS_WRITE_FILE, 0), 0);
    assert_int_equal(spx_landlock_allow_path(rs, inside, SPX_LANDLOCK_FS_WRITE_FILE), 0);
    assert_int_equal(spx_landlock_status(rs), SPX_LANDLOCK_FULLY_ENFORCED);
    spx_attr *a = spx_attr_new();
    assert_int_equal(spx_attr_set_landlock(a, rs), 0);
    char c[160], m[2][256], widen[256], want[256];
    two_dirs(inside);
    move_cmds(m, inside);
    snprintf(widen, sizeof widen, "rename=%s/secret:%s/a/secret", outside, inside);
    run_probe(R, a, m[0], m[1], cmd_in(c, sizeof c, "write", outside, "secret"), widen, NULL);
    assert_int_equal(R->rc, 0);
    assert_true(moved(R, inside, "ok"));
    expect("write", outside, "secret", "EACCES"); /* still restricted */
    /* secret would become writable: refused, the grant widens nothing */
    snprintf(want, sizeof want, "rename %s/secret %s/a/secret: EXDEV", outside, inside);
    assert_true(has_line(R, want));

    /* REFER in the handled set, granted by no rule: every move refused */
    assert_int_equal(spx_landlock_set_handled(rs, SPX_LANDLOCK_FS_WRITE_FILE | SPX_LANDLOCK_FS_REFER, 0), 0);
    assert_int_equal(spx_attr_set_landlock(a, rs), 0);
    two_dirs(inside);
    run_probe(R, a, m[0], m[1], NULL);
    assert_true(moved(R, inside, "EXDEV"));
    spx_attr_free(a);
    spx_landlock_free(rs);
}

static void test_scope_signal(void **state) {
    (void)state;
    require_abi(6);
    const char *argv[] = {probe_path(), "sleep=60000", NULL};
    spx_process *sleeper = NULL;
    assert_int_equal(spx_spawn(&sleeper, NULL, probe_path(), argv, NULL, NULL), 0); /* outside any domain */
    char kill_cmd[32], want[64];
    snprintf(kill_cmd, sizeof kill_cmd, "kill=%lld", (long long)spx_process_pid(sleeper));

    spx_landlock *rs = system_ruleset(host_abi(), 0);
    assert_int_equal(spx_landlock_set_scope(rs, SPX_LANDLOCK_SCOPE_SIGNAL), 0);
    spx_attr *a = spx_attr_new();
    assert_int_equal(spx_attr_set_landlock(a, rs), 0);
    run_probe(R, a, kill_cmd, NULL);
    assert_int_equal(R->rc, 0);
    snprintf(want, sizeof want, "kill %lld: EPERM", (long long)spx_process_pid(sleeper));
    assert_true(has_line(R, want));
    assert_int_equal(spx_process_kill(sleeper, 0), 0); /* untouched */

    /* the same rules without the scope (0 removes it): the signal goes through */
    assert_int_equal(spx_landlock_set_scope(rs, 0), 0);
    assert_int_equal(spx_attr_set_landlock(a, rs), 0);
    run_probe(R, a, kill_cmd, NULL);
    snprintf(want, sizeof want, "kill %lld: ok", (long long)spx_process_pid(sleeper));
    assert_true(has_line(R, want));
    int code = 0, sig = 0;
    assert_int_equal(spx_process_wait(sleeper, &code, &sig), 0);
    assert_int_equal(sig, SIGTERM);
    spx_process_free(sleeper);
    spx_attr_free(a);
    spx_landlock_free(rs);
}

/* The status spx.h documents, computed from the kernel's ABI: the rights of
 * ABI n (fs: 1 base, 2 refer, 3 truncate, 5 ioctl_dev, 9 resolve_unix;
 * net: 4 TCP, 10 UDP; scopes: 6). */
static int expected_status(int asked_abi, uint64_t scopes) {
    int kernel = spx_landlock_abi();
    if (kernel == 0) return SPX_LANDLOCK_NOT_ENFORCED;
    int asked = asked_abi ? asked_abi : 10;
    if (kernel >= asked) return SPX_LANDLOCK_FULLY_ENFORCED;
    int lost = (asked >= 2 && kernel < 2) || (asked >= 3 && kernel < 3) || (asked >= 4 && kernel < 4) ||
               (asked >= 5 && kernel < 5) || (scopes && kernel < 6) || (asked >= 9 && kernel < 9) ||
               (asked >= 10 && kernel < 10);
    return lost ? SPX_LANDLOCK_PARTIALLY_ENFORCED : SPX_LANDLOCK_FULLY_ENFORCED;
}

/* Best effort against a forced low ABI: ABI 1 is fully enforced here, and
 * truncate (ABI 3) is then not handled at all, seen from inside. */
static void test_best_effort_low_abi(void **state) {
    (void)state;
    require_abi(1);
    char victim[128], c[2][160], m[2][256];
    snprintf(victim, sizeof victim, "%s/victim", outside);
    write_file(victim, "some bytes\n");
    two_dirs(inside);
    move_cmds(m, inside);

    /* inside's FS_RW grants REFER, which a kernel with ABI 1 cannot: there,
     * the filesystem is left alone rather than every move forbidden */
    int refer = spx_landlock_abi() >= 2;
    spx_landlock *rs = sandbox_ruleset(1, SPX_LANDLOCK_BEST_EFFORT);
    assert_int_equal(spx_landlock_status(rs), refer ? SPX_LANDLOCK_FULLY_ENFORCED : SPX_LANDLOCK_NOT_ENFORCED);
    spx_attr *a = spx_attr_new();
    assert_int_equal(spx_attr_set_landlock(a, rs), 0);
    run_probe(R, a, cmd_in(c[0], 160, "truncate", outside, "victim"), cmd_in(c[1], 160, "write", outside, "new"),
              m[0], m[1], NULL);
    assert_int_equal(R->rc, 0);
    expect("truncate", outside, "victim", "ok");              /* not in ABI 1's handled set */
    expect("write", outside, "new", refer ? "EACCES" : "ok"); /* but writing is */
    assert_true(moved(R, inside, "ok")); /* REFER granted, kept though not an ABI 1 right */
    struct stat st;
    assert_int_equal(stat(victim, &st), 0);
    assert_int_equal(st.st_size, 0);
    spx_landlock_free(rs);

    if (spx_landlock_abi() >= 3) { /* the newest ABI handles truncate */
        write_file(victim, "some bytes\n");
        rs = sandbox_ruleset(host_abi(), 0);
        assert_int_equal(spx_attr_set_landlock(a, rs), 0);
        run_probe(R, a, c[0], NULL);
        expect("truncate", outside, "victim", "EACCES");
        assert_int_equal(stat(victim, &st), 0);
        assert_int_equal(st.st_size, 11);
        spx_landlock_free(rs);
    }
    spx_attr_free(a);

    /* spx_landlock_status for every ABI, strict and best effort */
    for (int abi = 0; abi <= 10; abi++) {
        for (unsigned flags = 0; flags <= SPX_LANDLOCK_BEST_EFFORT; flags++) {
            assert_int_equal(spx_landlock_new(&rs, abi, flags), 0);
            assert_int_equal(spx_landlock_status(rs), expected_status(abi, 0));
            if (flags && abi >= 6) {
                assert_int_equal(spx_landlock_set_scope(rs, SPX_LANDLOCK_SCOPE_SIGNAL), 0);
                assert_int_equal(spx_landlock_status(rs), expected_status(abi, 1));
            }
            spx_landlock_free(rs);
        }
    }
    /* PARTIALLY_ENFORCED needs an older kernel: see test_emulated_older_kernels */
    assert_int_equal(spx_landlock_status(NULL), -EINVAL);
}

/* Strict rulesets never enforce less than asked. */
static void test_strict_unsupported(void **state) {
    (void)state;
    require_abi(1);
    spx_landlock *rs;
    assert_int_equal(spx_landlock_new(&rs, 3, 0), 0);
    assert_int_equal(spx_landlock_allow_path(rs, inside, SPX_LANDLOCK_FS_IOCTL_DEV), ENOTSUP); /* ABI 5 */
    assert_int_equal(spx_landlock_allow_path(rs, inside, SPX_LANDLOCK_FS_READ_FILE | SPX_LANDLOCK_FS_IOCTL_DEV),
                     ENOTSUP);
    /* FS_RW names every right the library knows, ioctl_dev included */
    assert_int_equal(spx_landlock_allow_path(rs, inside, SPX_LANDLOCK_FS_RW), ENOTSUP);
    assert_int_equal(spx_landlock_allow_path(rs, inside, SPX_LANDLOCK_FS_RW & ~SPX_LANDLOCK_FS_IOCTL_DEV),
                     spx_landlock_abi() >= 3 ? 0 : ENOTSUP);
    assert_int_equal(spx_landlock_allow_port(rs, 8080, SPX_LANDLOCK_NET_BIND_TCP), ENOTSUP); /* ABI 4 */
    assert_int_equal(spx_landlock_set_scope(rs, SPX_LANDLOCK_SCOPE_SIGNAL), ENOTSUP);        /* ABI 6 */
    spx_landlock_free(rs);

    assert_int_equal(spx_landlock_new(&rs, 5, 0), 0);
    assert_int_equal(spx_landlock_set_scope(rs, SPX_LANDLOCK_SCOPE_ABSTRACT_UNIX_SOCKET), ENOTSUP);
    assert_int_equal(spx_landlock_set_scope(rs, 0), 0);
    spx_landlock_free(rs);

    /* best effort accepts the same and drops what it cannot handle */
    assert_int_equal(spx_landlock_new(&rs, 3, SPX_LANDLOCK_BEST_EFFORT), 0);
    assert_int_equal(spx_landlock_allow_path(rs, inside, SPX_LANDLOCK_FS_RW), 0);
    assert_int_equal(spx_landlock_allow_port(rs, 8080, SPX_LANDLOCK_NET_BIND_TCP), 0);
    assert_int_equal(spx_landlock_set_scope(rs, SPX_LANDLOCK_SCOPE_SIGNAL), 0);
    int fd = -1;
    assert_int_equal(spx_landlock_create_fd(rs, &fd), 0);
    if (spx_landlock_abi() >= 2) {
        assert_true(fd >= 0);
        close(fd);
    } else { /* ABI 1 cannot grant FS_RW's REFER: nothing left to enforce */
        assert_int_equal(fd, -1);
    }
    spx_landlock_free(rs);

    /* a strict ruleset asking more than the kernel has fails to create */
    int kernel = spx_landlock_abi();
    if (kernel < 7) {
        spx_attr *a = spx_attr_new();
        assert_int_equal(spx_landlock_new(&rs, kernel + 1, 0), 0);
        fd = 1234;
        assert_int_equal(spx_landlock_create_fd(rs, &fd), ENOTSUP);
        assert_int_equal(fd, 1234);
        assert_int_equal(spx_attr_set_landlock(a, rs), ENOTSUP);
        spx_landlock_free(rs);
        spx_attr_free(a);
    } /* else: the newest ABI the library knows; test_emulated_older_kernels covers it */
}

static void test_bad_inputs(void **state) {
    (void)state;
    static char dummy;
    spx_landlock *const sentinel = (spx_landlock *)&dummy;
    spx_landlock *rs = sentinel;
    assert_int_equal(spx_landlock_new(&rs, -1, 0), EINVAL);
    assert_int_equal(spx_landlock_new(&rs, 11, 0), EINVAL);
    assert_int_equal(spx_landlock_new(&rs, 99, 0), EINVAL);
    assert_int_equal(spx_landlock_new(&rs, 0, 2), EINVAL);
    assert_int_equal(spx_landlock_new(&rs, 0, ~0u), EINVAL);
    assert_int_equal(spx_landlock_new(NULL, 0, 0), EINVAL);
    assert_ptr_equal(rs, sentinel);

    assert_int_equal(spx_landlock_new(&rs, 0, SPX_LANDLOCK_BEST_EFFORT), 0);
    char missing[128];
    snprintf(missing, sizeof missing, "%s/no-such-file", inside);
    assert_int_equal(spx_landlock_allow_path(rs, missing, SPX_LANDLOCK_FS_RO), ENOENT);
    assert_int_equal(spx_landlock_allow_path(rs, "/etc/hostname/x", SPX_LANDLOCK_FS_RO), ENOTDIR);
    assert_int_equal(spx_landlock_allow_path(rs, "", SPX_LANDLOCK_FS_RO), EINVAL);
    assert_int_equal(spx_landlock_allow_path(rs, inside, 0), EINVAL);
    assert_int_equal(spx_landlock_allow_path(rs, inside, 1ULL << 17), EINVAL);
    assert_int_equal(spx_landlock_allow_path(rs, inside, SPX_LANDLOCK_FS_RO | (1ULL << 63)), EINVAL);
    assert_int_equal(spx_landlock_allow_path(rs, NULL, SPX_LANDLOCK_FS_RO), EINVAL);
    assert_int_equal(spx_landlock_allow_path(NULL, inside, SPX_LANDLOCK_FS_RO), EINVAL);

    assert_int_equal(spx_landlock_allow_port(rs, 70000, SPX_LANDLOCK_NET_BIND_TCP), EINVAL);
    assert_int_equal(spx_landlock_allow_port(rs, 65536, SPX_LANDLOCK_NET_BIND_TCP), EINVAL);
    assert_int_equal(spx_landlock_allow_port(rs, 80, 0), EINVAL);
    assert_int_equal(spx_landlock_allow_port(rs, 80, 1ULL << 4), EINVAL);
    assert_int_equal(spx_landlock_allow_port(NULL, 80, SPX_LANDLOCK_NET_BIND_TCP), EINVAL);
    assert_int_equal(spx_landlock_allow_port(rs, 65535, SPX_LANDLOCK_NET_BIND_TCP), 0);
    assert_int_equal(spx_landlock_allow_port(rs, 0, SPX_LANDLOCK_NET_CONNECT_TCP), 0);

    assert_int_equal(spx_landlock_set_scope(rs, 1ULL << 2), EINVAL);
    assert_int_equal(spx_landlock_set_scope(rs, ~0ULL), EINVAL);
    assert_int_equal(spx_landlock_set_scope(NULL, 0), EINVAL);
    assert_int_equal(spx_landlock_set_scope(rs, 0), 0);

    int fd = 1234;
    assert_int_equal(spx_landlock_create_fd(NULL, &fd), EINVAL);
    assert_int_equal(spx_landlock_create_fd(rs, NULL), EINVAL);
    assert_int_equal(fd, 1234);
    assert_int_equal(spx_attr_set_landlock(NULL, rs), EINVAL);
    spx_attr *a = spx_attr_new();
    assert_int_equal(spx_attr_set_landlock(a, NULL), 0); /* removes: none there */
    spx_attr_free(a);
    assert_int_equal(spx_attr_set_landlock_fd(NULL, -1), EINVAL);
    spx_landlock_free(rs);
    spx_landlock_free(NULL);
}

/* A rule on a regular file with the RW mask keeps the file rights only:
 * accepted, and the child may write that file but nothing beside it. */
static void test_rule_on_a_file(void **state) {
    (void)state;
    require_abi(1);
    char file[128], c[4][160];
    snprintf(file, sizeof file, "%s/file", outside);
    write_file(file, "twelve bytes");
    /* strict: every right of the ABI, on a file, is accepted too */
    spx_landlock *rs = system_ruleset(host_abi(), 0);
    assert_int_equal(spx_landlock_allow_path(rs, file, rw_of(host_abi())), 0);
    spx_landlock_free(rs);
    rs = system_ruleset(0, SPX_LANDLOCK_BEST_EFFORT);
    assert_int_equal(spx_landlock_allow_path(rs, file, SPX_LANDLOCK_FS_RW), 0);
    /* only directory rights: nothing applies to a file, no rule, no error */
    assert_int_equal(spx_landlock_allow_path(rs, file, SPX_LANDLOCK_FS_READ_DIR | SPX_LANDLOCK_FS_MAKE_REG), 0);
    spx_attr *a = spx_attr_new();
    assert_int_equal(spx_attr_set_landlock(a, rs), 0);
    run_probe(R, a, cmd_in(c[0], 160, "write", outside, "file"), cmd_in(c[1], 160, "read", outside, "file"),
              cmd_in(c[2], 160, "write", outside, "beside"), cmd_in(c[3], 160, "read", outside, "secret"), NULL);
    assert_int_equal(R->rc, 0);
    expect("write", outside, "file", "ok");
    expect("read", outside, "file", "ok");
    expect("write", outside, "beside", "EACCES");
    expect("read", outside, "secret", "EACCES");
    if (spx_landlock_abi() >= 3) { /* truncate is a file right, kept */
        run_probe(R, a, cmd_in(c[0], 160, "truncate", outside, "file"), NULL);
        expect("truncate", outside, "file", "ok");
    }
    spx_attr_free(a);
    spx_landlock_free(rs);
}

static void test_bad_ruleset_fd(void **state) {
    (void)state;
    require_abi(1);
    int fds_before = count_fds();
    spx_attr *a = spx_attr_new();
    int closed = open("/dev/null", O_RDONLY | O_CLOEXEC);
    close(closed);
    assert_int_equal(spx_attr_set_landlock_fd(a, closed), EBADF);
    assert_int_equal(spx_attr_set_landlock_fd(a, -2), EINVAL);
    assert_int_equal(spx_attr_set_landlock_fd(a, -1), 0);

    /* not a ruleset: refused by the kernel in the child, stage landlock */
    int p[2];
    assert_int_equal(pipe2(p, O_CLOEXEC), 0);
    assert_int_equal(spx_attr_set_landlock_fd(a, p[0]), 0);
    close(p[0]);
    close(p[1]);
    run_probe(R, a, "echo=ran", NULL);
    assert_true(R->rc == EBADFD || R->rc == EINVAL);
    assert_int_equal(R->err.code, R->rc);
    assert_int_equal(R->err.stage, SPX_STAGE_LANDLOCK);
    assert_non_null(strstr(R->err.message, "landlock: "));
    assert_string_equal(R->out, ""); /* never ran */

    /* the parent is intact: unrestricted, nothing left behind */
    char path[128];
    snprintf(path, sizeof path, "%s/after", outside);
    write_file(path, "x");
    assert_false(has_children());
    /* -1 removes it: the same attr spawns again */
    assert_int_equal(spx_attr_set_landlock_fd(a, -1), 0);
    run_probe(R, a, "echo=ran", NULL);
    assert_int_equal(R->rc, 0);
    assert_true(has_line(R, "ran"));
    spx_attr_free(a);
    assert_int_equal(count_fds(), fds_before);
}

/* The ruleset descriptor never reaches the program, whichever way it was set. */
static void test_ruleset_fd_not_inherited(void **state) {
    (void)state;
    require_abi(1);
    spx_landlock *rs = sandbox_ruleset(host_abi(), 0);
    int fd = -1;
    assert_int_equal(spx_landlock_create_fd(rs, &fd), 0);
    assert_true(fd >= 0);
    assert_int_equal(fcntl(fd, F_GETFD) & FD_CLOEXEC, FD_CLOEXEC);
    spx_attr *a = spx_attr_new();
    assert_int_equal(spx_attr_set_landlock_fd(a, fd), 0);
    assert_int_equal(fcntl(fd, F_SETFD, 0), 0); /* even ours without close-on-exec */
    run_probe(R, a, "fds", NULL);
    assert_int_equal(R->rc, 0);
    int lines = 0;
    for (const char *s = R->out; (s = strstr(s, "fd: ")); s++) {
        assert_true(atoi(s + 4) <= 2);
        lines++;
    }
    assert_int_equal(lines, 3);
    assert_null(strstr(R->out, "landlock"));
    close(fd); /* the attr has its own copy */
    char c[160];
    run_probe(R, a, cmd_in(c, sizeof c, "write", outside, "x"), NULL);
    expect("write", outside, "x", "EACCES");
    spx_attr_free(a);
    spx_landlock_free(rs);
}

/* spx.h: Landlock "implies no_new_privs unless the child keeps CAP_SYS_ADMIN". */
static void test_no_new_privs(void **state) {
    (void)state;
    require_abi(1);
    char buf[64], c[160];
    spx_attr *a = sandbox_attr();
    run_probe(R, a, "status", cmd_in(c, sizeof c, "write", outside, "x"), NULL);
    assert_int_equal(R->rc, 0);
    expect("write", outside, "x", "EACCES"); /* enforced either way */
    if (geteuid() != 0) {
        assert_string_equal(field(R, "NoNewPrivs", buf, sizeof buf), "1");
        print_message("skipped the root half: needs root\n");
        spx_attr_free(a);
        return;
    }
    /* root keeps CAP_SYS_ADMIN: not forced */
    assert_string_equal(field(R, "NoNewPrivs", buf, sizeof buf), "0");
    /* nobody keeps nothing: forced */
    assert_int_equal(spx_attr_set_uid(a, NOBODY), 0);
    assert_int_equal(spx_attr_set_gid(a, NOBODY), 0);
    assert_int_equal(spx_attr_set_groups(a, NULL, 0), 0);
    assert_int_equal(chmod(outside, 0777), 0); /* only Landlock stands in the way */
    run_probe(R, a, "status", c, NULL);
    assert_int_equal(R->rc, 0);
    assert_string_equal(field(R, "Uid", buf, sizeof buf), "65534\t65534\t65534\t65534");
    assert_string_equal(field(R, "NoNewPrivs", buf, sizeof buf), "1");
    expect("write", outside, "x", "EACCES");
    spx_attr_free(a);
}

/* One ruleset descriptor, set once, reused by 1000 spawns: each child is
 * sandboxed (it reports the errno of a refused write as its exit status)
 * and the parent's descriptor count does not grow. */
enum { SPAWNS = 1000, THREADS = 4, PER_THREAD = 100 };

static int spawn_write_exit(const spx_attr *a, const char *cmd) {
    const char *argv[] = {probe_path(), cmd, NULL};
    spx_process *p = NULL;
    if (spx_spawn(&p, a, probe_path(), argv, NULL, NULL) != 0) return -1;
    int code = -1, sig = -1;
    int rc = spx_process_wait(p, &code, &sig);
    spx_process_free(p);
    return rc == 0 && sig == 0 ? code : -1;
}

static void test_many_spawns_one_ruleset(void **state) {
    (void)state;
    require_abi(1);
    spx_attr *a = sandbox_attr();
    char denied[160], allowed[160];
    cmd_in(denied, sizeof denied, "write-exit", outside, "x");
    cmd_in(allowed, sizeof allowed, "write-exit", inside, "x");
    assert_int_equal(spawn_write_exit(a, denied), EACCES); /* warm up: lazy allocations */
    int fds_before = count_fds();
    int wrong = 0;
    for (int i = 0; i < SPAWNS; i++)
        if (spawn_write_exit(a, i % 2 ? denied : allowed) != (i % 2 ? EACCES : 0)) wrong++;
    assert_int_equal(wrong, 0);
    assert_int_equal(count_fds(), fds_before);
    assert_false(has_children());
    spx_attr_free(a);
}

struct worker {
    const spx_attr *attr;
    const char *denied, *allowed;
    int wrong;
};

static void *worker_main(void *arg) {
    struct worker *w = arg;
    for (int i = 0; i < PER_THREAD; i++)
        if (spawn_write_exit(w->attr, i % 2 ? w->denied : w->allowed) != (i % 2 ? EACCES : 0)) w->wrong++;
    return NULL;
}

static void test_threads_share_attr(void **state) {
    (void)state;
    require_abi(1);
    spx_attr *a = sandbox_attr();
    char denied[160], allowed[160];
    cmd_in(denied, sizeof denied, "write-exit", outside, "x");
    cmd_in(allowed, sizeof allowed, "write-exit", inside, "x");
    int fds_before = count_fds();
    struct worker w[THREADS];
    for (int i = 0; i < THREADS; i++) w[i] = (struct worker){a, denied, allowed, 0};
    run_threads(THREADS, worker_main, w, sizeof w[0]);
    int wrong = 0;
    for (int i = 0; i < THREADS; i++) wrong += w[i].wrong;
    assert_int_equal(wrong, 0);
    assert_int_equal(count_fds(), fds_before);
    assert_false(has_children());
    spx_attr_free(a);
}

/* The ruleset descriptor survives the descriptor map: child fds 3..40 are
 * mapped over whatever number the attr's copy has. */
static void test_ruleset_fd_collision(void **state) {
    (void)state;
    require_abi(1);
    enum { LO = 3, HI = 40 };
    spx_attr *a = sandbox_attr();
    for (int c = LO; c <= HI; c++) {
        int m = memfd_create("m", MFD_CLOEXEC);
        assert_true(m >= 0);
        assert_int_equal(spx_attr_set_fd(a, c, m), 0);
        close(m);
    }
    char c[160];
    run_probe(R, a, "fds", cmd_in(c, sizeof c, "write", outside, "x"), NULL);
    assert_int_equal(R->rc, 0);
    expect("write", outside, "x", "EACCES");
    int lines = 0;
    for (const char *s = R->out; (s = strstr(s, "fd: ")); s++) {
        assert_true(atoi(s + 4) <= HI);
        lines++;
    }
    assert_int_equal(lines, HI + 1);
    spx_attr_free(a);
}

/*
 * A kernel without Landlock, emulated: this binary again, under a seccomp
 * filter making landlock_create_ruleset ENOSYS (see no_landlock_main).
 */
static void test_without_landlock(void **state) {
    (void)state;
    struct sock_filter no_landlock[] = {
        BPF_STMT(BPF_LD | BPF_W | BPF_ABS, offsetof(struct seccomp_data, nr)),
        BPF_JUMP(BPF_JMP | BPF_JEQ | BPF_K, __NR_landlock_create_ruleset, 0, 1),
        BPF_STMT(BPF_RET | BPF_K, SECCOMP_RET_ERRNO | ENOSYS),
        BPF_STMT(BPF_RET | BPF_K, SECCOMP_RET_ALLOW),
    };
    spx_attr *a = spx_attr_new();
    assert_int_equal(spx_attr_set_seccomp_bpf(a, no_landlock, 4), 0);
    char self[4096];
    self_exe(self, sizeof self);
    const char *argv[] = {self, "--no-landlock", inside, outside, NULL};
    run(R, a, self, argv, NULL);
    assert_int_equal(R->rc, 0);
    if (R->exit_code != 0) print_message("the child said:\n%s", R->out);
    assert_int_equal(R->exit_code, 0);
    assert_true(has_line(R, "no-landlock: ok"));
    spx_attr_free(a);
}

/*
 * A kernel or container without statx, emulated: this binary again under a
 * filter making statx ENOSYS. Path rules then identify their objects with
 * fstat (see no_statx_main).
 */
static void test_without_statx(void **state) {
    (void)state;
    require_abi(1);
    struct sock_filter no_statx[] = {
        BPF_STMT(BPF_LD | BPF_W | BPF_ABS, offsetof(struct seccomp_data, nr)),
        BPF_JUMP(BPF_JMP | BPF_JEQ | BPF_K, __NR_statx, 0, 1),
        BPF_STMT(BPF_RET | BPF_K, SECCOMP_RET_ERRNO | ENOSYS),
        BPF_STMT(BPF_RET | BPF_K, SECCOMP_RET_ALLOW),
    };
    spx_attr *a = spx_attr_new();
    assert_int_equal(spx_attr_set_seccomp_bpf(a, no_statx, 4), 0);
    char self[4096];
    self_exe(self, sizeof self);
    const char *argv[] = {self, "--no-statx", inside, outside, NULL};
    run(R, a, self, argv, NULL);
    assert_int_equal(R->rc, 0);
    if (R->exit_code != 0) print_message("the child said:\n%s", R->out);
    assert_int_equal(R->exit_code, 0);
    assert_true(has_line(R, "no-statx: ok"));
    spx_attr_free(a);
}

#define CHECK(cond)                                                                                          \
    do {                                                                                                     \
        if (!(cond)) {                                                                                       \
            printf("failed: %s (line %d)\n", #cond, __LINE__);                                               \
            bad++;                                                                                           \
        }                                                                                                    \
    } while (0)

static int no_statx_main(void) {
    int bad = 0;
    CHECK(syscall(__NR_statx, AT_FDCWD, "/", 0, 0, NULL) == -1 && errno == ENOSYS);
    spx_landlock *rs = NULL;
    CHECK(spx_landlock_new(&rs, host_abi(), 0) == 0);
    const char *rox[] = {"/usr", "/lib", "/lib64", "/bin", "/etc", probe_dir};
    for (size_t i = 0; i < sizeof rox / sizeof rox[0]; i++)
        if (access(rox[i], F_OK) == 0) CHECK(spx_landlock_allow_path(rs, rox[i], SPX_LANDLOCK_FS_ROX) == 0);
    CHECK(spx_landlock_allow_path(rs, inside, SPX_LANDLOCK_FS_READ_FILE) == 0);
    char dot[128];
    snprintf(dot, sizeof dot, "%s/.", inside); /* the same object: merged */
    CHECK(spx_landlock_allow_path(rs, dot, SPX_LANDLOCK_FS_WRITE_FILE | SPX_LANDLOCK_FS_MAKE_REG) == 0);
    spx_attr *a = spx_attr_new();
    CHECK(spx_attr_set_landlock(a, rs) == 0);
    spx_landlock_free(rs);
    run_result *r = malloc(sizeof *r);
    char c[2][160], want[200];
    snprintf(c[0], sizeof c[0], "write=%s/in", inside);
    snprintf(c[1], sizeof c[1], "write=%s/out", outside);
    run_probe(r, a, c[0], c[1], NULL);
    CHECK(r->rc == 0);
    snprintf(want, sizeof want, "write %s/in: ok", inside);
    CHECK(has_line(r, want));
    snprintf(want, sizeof want, "write %s/out: EACCES", outside);
    CHECK(has_line(r, want));
    spx_attr_free(a);
    free(r);
    printf("no-statx: %s\n", bad ? "FAILED" : "ok");
    return bad ? 1 : 0;
}

static int no_landlock_main(void) {
    const char *dir = outside;
    int bad = 0, fd = 1234;
    CHECK(spx_landlock_abi() == 0);
    /* best effort: everything accepted, nothing enforced, spawns unrestricted */
    spx_landlock *rs = NULL;
    CHECK(spx_landlock_new(&rs, 0, SPX_LANDLOCK_BEST_EFFORT) == 0);
    CHECK(spx_landlock_allow_path(rs, "/usr", SPX_LANDLOCK_FS_ROX) == 0);
    CHECK(spx_landlock_allow_port(rs, 80, SPX_LANDLOCK_NET_BIND_TCP) == 0);
    CHECK(spx_landlock_set_scope(rs, SPX_LANDLOCK_SCOPE_SIGNAL) == 0);
    CHECK(spx_landlock_status(rs) == SPX_LANDLOCK_NOT_ENFORCED);
    CHECK(spx_landlock_create_fd(rs, &fd) == 0);
    CHECK(fd == -1);
    spx_attr *a = spx_attr_new();
    CHECK(spx_attr_set_landlock(a, rs) == 0);
    spx_landlock_free(rs);
    run_result *r = malloc(sizeof *r);
    char cmd[160], want[200];
    snprintf(cmd, sizeof cmd, "write=%s/unrestricted", dir);
    snprintf(want, sizeof want, "write %s/unrestricted: ok", dir);
    run_probe(r, a, cmd, NULL);
    CHECK(r->rc == 0);
    CHECK(has_line(r, want));
    spx_attr_free(a);
    /* strict: ENOTSUP for every right, and for the ruleset itself */
    CHECK(spx_landlock_new(&rs, 0, 0) == 0);
    CHECK(spx_landlock_allow_path(rs, "/usr", SPX_LANDLOCK_FS_ROX) == ENOTSUP);
    CHECK(spx_landlock_allow_port(rs, 80, SPX_LANDLOCK_NET_BIND_TCP) == ENOTSUP);
    CHECK(spx_landlock_set_scope(rs, SPX_LANDLOCK_SCOPE_SIGNAL) == ENOTSUP);
    fd = 1234;
    CHECK(spx_landlock_create_fd(rs, &fd) == ENOTSUP);
    CHECK(fd == 1234);
    CHECK(spx_landlock_status(rs) == SPX_LANDLOCK_NOT_ENFORCED);
    spx_landlock_free(rs);
    free(r);
    printf("no-landlock: %s\n", bad ? "FAILED" : "ok");
    return bad ? 1 : 0;
}

/*
 * Older kernels, emulated: this binary again, answering Landlock's version
 * query itself with ABI N (a seccomp user-notification filter on
 * landlock_create_ruleset(NULL, 0, VERSION); every other call goes to the
 * real kernel, which handles any ruleset an older ABI can describe). See
 * fake_abi_main for what is checked, from inside the children.
 */
static void test_emulated_older_kernels(void **state) {
    (void)state;
    require_abi(6); /* the real kernel must enforce whatever an ABI up to 6 asks */
    char self[4096];
    self_exe(self, sizeof self);
    for (int abi = 1; abi <= 6; abi++) {
        char num[8], want[32];
        snprintf(num, sizeof num, "%d", abi);
        const char *argv[] = {self, "--fake-abi", num, inside, outside, NULL};
        run(R, NULL, self, argv, NULL);
        assert_int_equal(R->rc, 0);
        if (R->exit_code == 77) { /* e.g. already under a seccomp listener (EBUSY) */
            print_message("skipped: %s", R->out);
            skip();
        }
        snprintf(want, sizeof want, "fake-abi %d: ok", abi);
        if (R->exit_code != 0 || !has_line(R, want)) print_message("ABI %d, the child said:\n%s", abi, R->out);
        assert_int_equal(R->exit_code, 0);
        assert_true(has_line(R, want));
    }
}

static int faked_abi; /* 0: the version query goes to the kernel */
/* What the last landlock_restrict_self() of a child got, and how many ran. */
static int watched_calls, watched_fd;
static unsigned watched_flags;

/* Answers the version query with faked_abi, records landlock_restrict_self
 * calls, lets every call (but a faked version query) through. */
static void *abi_supervisor(void *arg) {
    int listener = *(int *)arg;
    struct seccomp_notif_sizes sizes;
    if (syscall(SYS_seccomp, SECCOMP_GET_NOTIF_SIZES, 0, &sizes) != 0) return NULL;
    struct seccomp_notif *req = calloc(1, sizes.seccomp_notif);
    struct seccomp_notif_resp *resp = calloc(1, sizes.seccomp_notif_resp);
    for (;;) {
        memset(req, 0, sizes.seccomp_notif);
        if (ioctl(listener, SECCOMP_IOCTL_NOTIF_RECV, req) != 0) {
            if (errno == EINTR) continue;
            break;
        }
        memset(resp, 0, sizes.seccomp_notif_resp);
        resp->id = req->id;
        if (req->data.nr == __NR_landlock_restrict_self) {
            __atomic_store_n(&watched_fd, (int)req->data.args[0], __ATOMIC_SEQ_CST);
            __atomic_store_n(&watched_flags, (unsigned)req->data.args[1], __ATOMIC_SEQ_CST);
            __atomic_add_fetch(&watched_calls, 1, __ATOMIC_SEQ_CST);
        }
        if (faked_abi && req->data.nr == __NR_landlock_create_ruleset && req->data.args[0] == 0 &&
            req->data.args[1] == 0 && req->data.args[2] == 1 /* VERSION */)
            resp->val = faked_abi;
        else
            resp->flags = SECCOMP_USER_NOTIF_FLAG_CONTINUE;
        ioctl(listener, SECCOMP_IOCTL_NOTIF_SEND, resp);
    }
    free(req);
    free(resp);
    return NULL;
}

static int install_fake_abi(int abi) {
    faked_abi = abi;
    struct sock_filter prog[] = {
        BPF_STMT(BPF_LD | BPF_W | BPF_ABS, offsetof(struct seccomp_data, nr)),
        BPF_JUMP(BPF_JMP | BPF_JEQ | BPF_K, __NR_landlock_create_ruleset, 1, 0),
        BPF_JUMP(BPF_JMP | BPF_JEQ | BPF_K, __NR_landlock_restrict_self, 0, 1),
        BPF_STMT(BPF_RET | BPF_K, SECCOMP_RET_USER_NOTIF),
        BPF_STMT(BPF_RET | BPF_K, SECCOMP_RET_ALLOW),
    };
    struct sock_fprog fprog = {.len = 5, .filter = prog};
    if (geteuid() != 0) prctl(PR_SET_NO_NEW_PRIVS, 1, 0, 0, 0);
    static int listener;
    listener = (int)syscall(SYS_seccomp, SECCOMP_SET_MODE_FILTER, SECCOMP_FILTER_FLAG_NEW_LISTENER, &fprog);
    if (listener < 0) return -1;
    pthread_t t;
    if (pthread_create(&t, NULL, abi_supervisor, &listener) != 0) return -1;
    pthread_detach(t);
    return 0;
}

static int fake_abi_main(int abi) {
    int bad = 0, fd = 1234;
    if (install_fake_abi(abi) != 0) {
        printf("cannot install the fake: %s\n", strerror(errno));
        return 77;
    }
    CHECK(spx_landlock_abi() == abi);
    run_result *r = malloc(sizeof *r);
    char victim[128], c[3][160], m[2][256], port[32], want[256];
    snprintf(victim, sizeof victim, "%s/victim", outside);
    int refused_port = free_port();
    snprintf(c[0], sizeof c[0], "write=%s/new", outside);
    snprintf(c[1], sizeof c[1], "truncate=%s", victim);
    snprintf(c[2], sizeof c[2], "write=%s/new", inside);
    snprintf(port, sizeof port, "bind=%d", refused_port);
    move_cmds(m, inside);

    /* statuses, as spx.h documents them for this ABI */
    for (int asked = 0; asked <= 10; asked++) {
        spx_landlock *rs = NULL;
        CHECK(spx_landlock_new(&rs, asked, SPX_LANDLOCK_BEST_EFFORT) == 0);
        CHECK(spx_landlock_status(rs) == expected_status(asked, 0));
        if (asked == 0 || asked >= 6) {
            CHECK(spx_landlock_set_scope(rs, SPX_LANDLOCK_SCOPE_SIGNAL) == 0);
            CHECK(spx_landlock_status(rs) == expected_status(asked, 1));
        }
        spx_landlock_free(rs);
    }

    /* strict, asking more than the kernel has: refused at allow or create time */
    spx_landlock *rs = NULL;
    CHECK(spx_landlock_new(&rs, 7, 0) == 0);
    CHECK(spx_landlock_allow_path(rs, inside, SPX_LANDLOCK_FS_ROX) == 0);
    CHECK(spx_landlock_allow_path(rs, inside, SPX_LANDLOCK_FS_IOCTL_DEV) == (abi < 5 ? ENOTSUP : 0));
    CHECK(spx_landlock_allow_port(rs, 80, SPX_LANDLOCK_NET_BIND_TCP) == (abi < 4 ? ENOTSUP : 0));
    CHECK(spx_landlock_set_scope(rs, SPX_LANDLOCK_SCOPE_SIGNAL) == (abi < 6 ? ENOTSUP : 0));
    /* ABI 7 asked: refused only when the kernel would lose a handled right
     * (ioctl_dev below ABI 5); ABI 6 and 7 add nothing to the handled set. */
    fd = 1234;
    if (abi < 5) {
        CHECK(spx_landlock_create_fd(rs, &fd) == ENOTSUP);
        CHECK(fd == 1234);
    } else {
        CHECK(spx_landlock_create_fd(rs, &fd) == 0);
        CHECK(fd >= 0);
        close(fd);
    }
    spx_landlock_free(rs);

    /* strict at the kernel's own ABI: created, and enforced in the child */
    CHECK(spx_landlock_new(&rs, abi, 0) == 0);
    spx_landlock_free(rs);
    rs = system_ruleset(abi, 0);
    CHECK(spx_landlock_allow_path(rs, inside, rw_of(abi)) == 0);
    CHECK(spx_landlock_allow_path(rs, inside, SPX_LANDLOCK_FS_RW) == (abi < 5 ? ENOTSUP : 0));
    spx_attr *a = spx_attr_new();
    CHECK(spx_attr_set_landlock(a, rs) == 0);
    spx_landlock_free(rs);
    for (int round = 0; round < 2; round++) {
        /* Round 1 grants REFER, which ABI 1 cannot: the filesystem is left alone
         * there. Round 0 at ABI 1 cannot ask for REFER: every move refused. */
        int unrestricted = round == 1 && abi < 2;
        if (round == 1) { /* best effort, newest ABI: what this kernel has of it */
            rs = sandbox_ruleset(0, SPX_LANDLOCK_BEST_EFFORT);
            CHECK(spx_landlock_status(rs) == (abi < 2 ? SPX_LANDLOCK_NOT_ENFORCED : expected_status(0, 0)));
            CHECK(spx_attr_set_landlock(a, rs) == 0);
            spx_landlock_free(rs);
        }
        write_file(victim, "some bytes\n");
        two_dirs(inside);
        run_probe(r, a, c[0], c[1], c[2], port, m[0], m[1], NULL);
        CHECK(r->rc == 0);
        snprintf(want, sizeof want, "write %s/new: %s", outside, unrestricted ? "ok" : "EACCES");
        CHECK(has_line(r, want));
        snprintf(want, sizeof want, "write %s/new: ok", inside);
        CHECK(has_line(r, want));
        snprintf(want, sizeof want, "truncate %s: %s", victim, abi >= 3 ? "EACCES" : "ok");
        CHECK(has_line(r, want));
        snprintf(want, sizeof want, "bind %d: %s", refused_port, abi >= 4 ? "EACCES" : "ok");
        CHECK(has_line(r, want));
        CHECK(moved(r, inside, abi >= 2 || round == 1 ? "ok" : "EXDEV"));
    }

    /* a handled set without REFER keeps reparenting allowed; ABI 1 cannot:
     * strict refuses, best effort leaves the filesystem alone */
    CHECK(spx_landlock_new(&rs, 0, 0) == 0);
    CHECK(spx_landlock_set_handled(rs, SPX_LANDLOCK_FS_WRITE_FILE, 0) == (abi < 2 ? ENOTSUP : 0));
    spx_landlock_free(rs);
    CHECK(spx_landlock_new(&rs, 0, SPX_LANDLOCK_BEST_EFFORT) == 0);
    CHECK(spx_landlock_set_handled(rs, SPX_LANDLOCK_FS_WRITE_FILE, 0) == 0);
    CHECK(spx_landlock_allow_path(rs, inside, SPX_LANDLOCK_FS_WRITE_FILE) == 0);
    CHECK(spx_landlock_status(rs) == (abi < 2 ? SPX_LANDLOCK_NOT_ENFORCED : SPX_LANDLOCK_FULLY_ENFORCED));
    fd = 1234;
    CHECK(spx_landlock_create_fd(rs, &fd) == 0);
    CHECK(abi < 2 ? fd == -1 : fd >= 0);
    if (fd >= 0) close(fd);
    CHECK(spx_attr_set_landlock(a, rs) == 0);
    spx_landlock_free(rs);
    two_dirs(inside);
    snprintf(c[0], sizeof c[0], "write=%s/new3", outside);
    run_probe(r, a, c[0], m[0], m[1], NULL);
    CHECK(r->rc == 0);
    snprintf(want, sizeof want, "write %s/new3: %s", outside, abi < 2 ? "ok" : "EACCES");
    CHECK(has_line(r, want));
    CHECK(moved(r, inside, "ok"));
    spx_attr_free(a);

    /* the logging flags came with ABI 7: a strict ruleset (or a bare
     * descriptor, or none) fails at the landlock stage before any child
     * runs; a best-effort one drops them */
    a = spx_attr_new();
    CHECK(spx_attr_set_landlock_flags(a, SPX_LANDLOCK_LOG_SUBDOMAINS_OFF) == 0);
    int calls = __atomic_load_n(&watched_calls, __ATOMIC_SEQ_CST);
    run_probe(r, a, "status", NULL);
    CHECK(r->rc == ENOTSUP && r->err.stage == SPX_STAGE_LANDLOCK);
    if (abi >= 4) {
        rs = NULL;
        CHECK(spx_landlock_new(&rs, abi, 0) == 0);
        CHECK(spx_landlock_set_handled(rs, 0, SPX_LANDLOCK_NET_BIND_TCP) == 0);
        CHECK(spx_attr_set_landlock(a, rs) == 0);
        CHECK(spx_attr_set_landlock_flags(a, SPX_LANDLOCK_LOG_NEW_EXEC_ON) == 0);
        run_probe(r, a, port, NULL);
        CHECK(r->rc == ENOTSUP && r->err.stage == SPX_STAGE_LANDLOCK);
        CHECK(__atomic_load_n(&watched_calls, __ATOMIC_SEQ_CST) == calls); /* no child ran */
        spx_landlock_free(rs);
        CHECK(spx_landlock_new(&rs, abi, SPX_LANDLOCK_BEST_EFFORT) == 0);
        CHECK(spx_landlock_set_handled(rs, 0, SPX_LANDLOCK_NET_BIND_TCP) == 0);
        CHECK(spx_attr_set_landlock(a, rs) == 0);
        spx_landlock_free(rs);
        run_probe(r, a, port, NULL);
        CHECK(r->rc == 0);
        snprintf(want, sizeof want, "bind %d: EACCES", refused_port);
        CHECK(has_line(r, want)); /* the ruleset is enforced, */
        CHECK(__atomic_load_n(&watched_calls, __ATOMIC_SEQ_CST) == calls + 1);
        CHECK(__atomic_load_n(&watched_flags, __ATOMIC_SEQ_CST) == 0); /* without the flags */
    }
    spx_attr_free(a);
    free(r);
    printf("fake-abi %d: %s\n", abi, bad ? "FAILED" : "ok");
    return bad ? 1 : 0;
}

/* The rights of each ABI, as the kernel's documentation lists them. */
static void test_rights_per_abi(void **state) {
    (void)state;
    const uint64_t base = (1ULL << 13) - 1; /* EXECUTE .. MAKE_SYM */
    const uint64_t fs[11] = {
        [1] = base,
        [2] = base | SPX_LANDLOCK_FS_REFER,
        [3] = base | SPX_LANDLOCK_FS_REFER | SPX_LANDLOCK_FS_TRUNCATE,
        [4] = base | SPX_LANDLOCK_FS_REFER | SPX_LANDLOCK_FS_TRUNCATE,
        [5] = SPX_LANDLOCK_FS_RW,
        [6] = SPX_LANDLOCK_FS_RW,
        [7] = SPX_LANDLOCK_FS_RW,
        [8] = SPX_LANDLOCK_FS_RW,
        [9] = SPX_LANDLOCK_FS_RW | SPX_LANDLOCK_FS_RESOLVE_UNIX,
        [10] = SPX_LANDLOCK_FS_RW | SPX_LANDLOCK_FS_RESOLVE_UNIX,
    };
    const uint64_t tcp = SPX_LANDLOCK_NET_BIND_TCP | SPX_LANDLOCK_NET_CONNECT_TCP;
    const uint64_t udp = SPX_LANDLOCK_NET_BIND_UDP | SPX_LANDLOCK_NET_CONNECT_SEND_UDP;
    const uint64_t scopes = SPX_LANDLOCK_SCOPE_ABSTRACT_UNIX_SOCKET | SPX_LANDLOCK_SCOPE_SIGNAL;
    for (int abi = 1; abi <= 10; abi++) {
        assert_int_equal(spx_landlock_fs_rights(abi), fs[abi]);
        assert_int_equal(spx_landlock_net_rights(abi), abi >= 10 ? tcp | udp : abi >= 4 ? tcp : 0);
        assert_int_equal(spx_landlock_scopes(abi), abi >= 6 ? scopes : 0);
    }
    /* 0: the newest this library knows */
    assert_int_equal(spx_landlock_fs_rights(0), fs[10]);
    assert_int_equal(spx_landlock_net_rights(0), tcp | udp);
    assert_int_equal(spx_landlock_scopes(0), scopes);
    /* the contract's values, the kernel's (uapi linux/landlock.h, Linux 7.2) */
    assert_int_equal(SPX_LANDLOCK_FS_RESOLVE_UNIX, 1ULL << 16);
    assert_int_equal(SPX_LANDLOCK_NET_BIND_UDP, 1ULL << 2);
    assert_int_equal(SPX_LANDLOCK_NET_CONNECT_SEND_UDP, 1ULL << 3);
    assert_int_equal(SPX_LANDLOCK_FS_RW, (1ULL << 16) - 1); /* stable: compiled into callers */
    /* unknown ABIs */
    const int unknown[] = {-1, 11, 99, -2147483647 - 1};
    for (size_t i = 0; i < sizeof unknown / sizeof unknown[0]; i++) {
        assert_int_equal(spx_landlock_fs_rights(unknown[i]), 0);
        assert_int_equal(spx_landlock_net_rights(unknown[i]), 0);
        assert_int_equal(spx_landlock_scopes(unknown[i]), 0);
    }
}

/* The errata bit mask, as the kernel answers it. */
static void test_errata(void **state) {
    (void)state;
    long raw = syscall(SYS_landlock_create_ruleset, NULL, 0, 1u << 1 /* ERRATA */);
    int errata = spx_landlock_errata();
    print_message("Landlock ABI %d, errata %#x\n", spx_landlock_abi(), errata);
    assert_int_equal(errata, raw > 0 ? (int)raw : 0);
    assert_true(errata >= 0);
}

/* ABI 8 to 10 on an older kernel: strict refuses each right, flag and quiet
 * field with ENOTSUP; best effort drops them, says PARTIALLY_ENFORCED, and
 * enforces the rest, seen from inside. */
static void test_newer_abi_than_kernel(void **state) {
    (void)state;
    int kernel = spx_landlock_abi();
    require_abi(7);
    if (kernel >= 10) {
        print_message("skipped: the kernel has ABI %d, nothing of ABI 10 to refuse\n", kernel);
        skip();
    }
    spx_landlock *rs = NULL;
    int fd = 1234;
    /* ABI 8 adds nothing to handle: strict creates it */
    assert_int_equal(spx_landlock_new(&rs, 8, 0), 0);
    assert_int_equal(spx_landlock_status(rs), SPX_LANDLOCK_FULLY_ENFORCED);
    assert_int_equal(spx_landlock_create_fd(rs, &fd), 0);
    assert_true(fd >= 0);
    close(fd);
    spx_landlock_free(rs);

    /* ABI 9: RESOLVE_UNIX */
    assert_int_equal(spx_landlock_new(&rs, 9, 0), 0);
    if (kernel < 9) {
        assert_int_equal(spx_landlock_allow_path(rs, inside, SPX_LANDLOCK_FS_RESOLVE_UNIX), ENOTSUP);
        assert_int_equal(spx_landlock_set_handled(rs, SPX_LANDLOCK_FS_RESOLVE_UNIX, 0), ENOTSUP);
        assert_int_equal(spx_landlock_status(rs), SPX_LANDLOCK_PARTIALLY_ENFORCED);
        fd = 1234;
        assert_int_equal(spx_landlock_create_fd(rs, &fd), ENOTSUP); /* handles it */
        assert_int_equal(fd, 1234);
    }
    spx_landlock_free(rs);

    /* ABI 10: UDP, quiet fields, quiet rules */
    assert_int_equal(spx_landlock_new(&rs, 10, 0), 0);
    assert_int_equal(spx_landlock_allow_port(rs, 53, SPX_LANDLOCK_NET_BIND_UDP), ENOTSUP);
    assert_int_equal(spx_landlock_allow_port(rs, 53, SPX_LANDLOCK_NET_CONNECT_SEND_UDP), ENOTSUP);
    assert_int_equal(spx_landlock_set_handled(rs, 0, SPX_LANDLOCK_NET_BIND_UDP), ENOTSUP);
    assert_int_equal(spx_landlock_set_quiet(rs, SPX_LANDLOCK_FS_READ_FILE, 0, 0), ENOTSUP);
    assert_int_equal(spx_landlock_set_quiet(rs, 0, SPX_LANDLOCK_NET_BIND_TCP, 0), ENOTSUP);
    assert_int_equal(spx_landlock_set_quiet(rs, 0, 0, SPX_LANDLOCK_SCOPE_SIGNAL), ENOTSUP);
    assert_int_equal(spx_landlock_allow_path_flags(rs, inside, SPX_LANDLOCK_FS_RO, SPX_LANDLOCK_RULE_QUIET), ENOTSUP);
    assert_int_equal(spx_landlock_allow_port_flags(rs, 80, SPX_LANDLOCK_NET_BIND_TCP, SPX_LANDLOCK_RULE_QUIET),
                     ENOTSUP);
    /* flags 0 are the plain calls */
    assert_int_equal(spx_landlock_allow_path_flags(rs, inside, SPX_LANDLOCK_FS_RO, 0), 0);
    assert_int_equal(spx_landlock_allow_port_flags(rs, 80, SPX_LANDLOCK_NET_BIND_TCP, 0), 0);
    spx_landlock_free(rs);
    /* quiet needs a ruleset of ABI 10, whatever the kernel */
    assert_int_equal(spx_landlock_new(&rs, 7, 0), 0);
    assert_int_equal(spx_landlock_set_quiet(rs, SPX_LANDLOCK_FS_READ_FILE, 0, 0), ENOTSUP);
    assert_int_equal(spx_landlock_allow_path_flags(rs, inside, SPX_LANDLOCK_FS_RO, SPX_LANDLOCK_RULE_QUIET), ENOTSUP);
    spx_landlock_free(rs);

    /* best effort, ABI 10 asked: accepted, dropped, said */
    char sock_path[128], c[6][160], want[200];
    snprintf(sock_path, sizeof sock_path, "%s/sock", outside);
    int srv = socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0);
    struct sockaddr_un sun = {.sun_family = AF_UNIX};
    assert_true(strlen(sock_path) < sizeof sun.sun_path);
    memcpy(sun.sun_path, sock_path, strlen(sock_path) + 1);
    assert_int_equal(bind(srv, (struct sockaddr *)&sun, sizeof sun), 0);
    assert_int_equal(listen(srv, 4), 0);
    int tcp_port = free_port(), udp_port = free_port(), udp_other = free_port();
    rs = system_ruleset(10, SPX_LANDLOCK_BEST_EFFORT);
    assert_int_equal(spx_landlock_allow_path(rs, inside, SPX_LANDLOCK_FS_RW | SPX_LANDLOCK_FS_RESOLVE_UNIX), 0);
    assert_int_equal(spx_landlock_allow_port(rs, (uint64_t)udp_port, SPX_LANDLOCK_NET_BIND_UDP), 0);
    assert_int_equal(spx_landlock_allow_port_flags(rs, 80, SPX_LANDLOCK_NET_CONNECT_TCP, SPX_LANDLOCK_RULE_QUIET), 0);
    assert_int_equal(spx_landlock_allow_path_flags(rs, "/usr", SPX_LANDLOCK_FS_RO, SPX_LANDLOCK_RULE_QUIET), 0);
    assert_int_equal(spx_landlock_set_quiet(rs, SPX_LANDLOCK_FS_READ_FILE, SPX_LANDLOCK_NET_CONNECT_TCP,
                                            SPX_LANDLOCK_SCOPE_SIGNAL),
                     0);
    assert_int_equal(spx_landlock_set_scope(rs, SPX_LANDLOCK_SCOPE_SIGNAL), 0);
    assert_int_equal(spx_landlock_status(rs), SPX_LANDLOCK_PARTIALLY_ENFORCED);
    /* created: the quiet fields are not given to a kernel that lacks them
     * (the 48-byte layout with non-zero tail fields would be E2BIG) */
    fd = -1;
    assert_int_equal(spx_landlock_create_fd(rs, &fd), 0);
    assert_true(fd >= 0);
    close(fd);
    spx_attr *a = spx_attr_new();
    assert_int_equal(spx_attr_set_landlock(a, rs), 0);
    spx_landlock_free(rs);
    snprintf(c[0], sizeof c[0], "connect-unix=%s", sock_path);
    snprintf(c[1], sizeof c[1], "bind-udp=%d", udp_other);
    snprintf(c[2], sizeof c[2], "bind=%d", tcp_port);
    run_probe(R, a, c[0], c[1], c[2], cmd_in(c[3], 160, "write", outside, "new"),
              cmd_in(c[4], 160, "write", inside, "new"), NULL);
    assert_int_equal(R->rc, 0);
    snprintf(want, sizeof want, "connect-unix %s: ok", sock_path); /* RESOLVE_UNIX dropped */
    assert_true(has_line(R, want));
    snprintf(want, sizeof want, "bind-udp %d: ok", udp_other); /* UDP not handled here */
    assert_true(has_line(R, want));
    snprintf(want, sizeof want, "bind %d: EACCES", tcp_port); /* TCP still handled */
    assert_true(has_line(R, want));
    expect("write", outside, "new", "EACCES"); /* the filesystem too */
    expect("write", inside, "new", "ok");
    close(srv);
    spx_attr_free(a);

    /* quiet alone on a fully enforced ruleset: dropped, and said */
    rs = system_ruleset(7, SPX_LANDLOCK_BEST_EFFORT);
    assert_int_equal(spx_landlock_status(rs), SPX_LANDLOCK_FULLY_ENFORCED);
    assert_int_equal(spx_landlock_set_quiet(rs, SPX_LANDLOCK_FS_READ_FILE, 0, 0), 0);
    assert_int_equal(spx_landlock_status(rs), SPX_LANDLOCK_PARTIALLY_ENFORCED);
    assert_int_equal(spx_landlock_set_quiet(rs, 0, 0, 0), 0); /* removed */
    assert_int_equal(spx_landlock_status(rs), SPX_LANDLOCK_FULLY_ENFORCED);
    spx_landlock_free(rs);
}

static void test_quiet_bad_inputs(void **state) {
    (void)state;
    spx_landlock *rs = NULL;
    assert_int_equal(spx_landlock_new(&rs, 10, SPX_LANDLOCK_BEST_EFFORT), 0);
    assert_int_equal(spx_landlock_set_quiet(NULL, 0, 0, 0), EINVAL);
    assert_int_equal(spx_landlock_set_quiet(rs, 1ULL << 17, 0, 0), EINVAL);
    assert_int_equal(spx_landlock_set_quiet(rs, 0, 1ULL << 4, 0), EINVAL);
    assert_int_equal(spx_landlock_set_quiet(rs, 0, 0, 1ULL << 2), EINVAL);
    assert_int_equal(spx_landlock_allow_path_flags(rs, inside, SPX_LANDLOCK_FS_RO, 2), EINVAL);
    assert_int_equal(spx_landlock_allow_path_flags(rs, inside, SPX_LANDLOCK_FS_RO, ~0u), EINVAL);
    assert_int_equal(spx_landlock_allow_path_flags(NULL, inside, SPX_LANDLOCK_FS_RO, 0), EINVAL);
    assert_int_equal(spx_landlock_allow_path_flags(rs, NULL, SPX_LANDLOCK_FS_RO, 0), EINVAL);
    assert_int_equal(spx_landlock_allow_path_flags(rs, inside, 0, SPX_LANDLOCK_RULE_QUIET), EINVAL);
    assert_int_equal(spx_landlock_allow_port_flags(rs, 80, SPX_LANDLOCK_NET_BIND_TCP, 2), EINVAL);
    assert_int_equal(spx_landlock_allow_port_flags(rs, 70000, SPX_LANDLOCK_NET_BIND_TCP, 0), EINVAL);
    assert_int_equal(spx_landlock_allow_port_flags(NULL, 80, SPX_LANDLOCK_NET_BIND_TCP, 0), EINVAL);
    /* nothing of the above reached the ruleset: nothing quiet, nothing lost */
    int kernel = spx_landlock_abi();
    spx_landlock_free(rs);
    assert_int_equal(spx_landlock_new(&rs, 7, SPX_LANDLOCK_BEST_EFFORT), 0);
    assert_int_equal(spx_landlock_set_quiet(rs, 0, 0, 1ULL << 2), EINVAL);
    assert_int_equal(spx_landlock_allow_path_flags(rs, inside, SPX_LANDLOCK_FS_RO, 2), EINVAL);
    if (kernel >= 7) assert_int_equal(spx_landlock_status(rs), SPX_LANDLOCK_FULLY_ENFORCED);
    spx_landlock_free(rs);
}

/* A rule keeps no descriptor: many rules under a low open-file limit; the
 * same object twice is one rule; an object replaced meanwhile is ESTALE. */
static void test_rules_keep_no_fd(void **state) {
    (void)state;
    require_abi(1);
    enum { N = 300 };
    char dir[128];
    for (int i = 0; i < N; i++) {
        snprintf(dir, sizeof dir, "%s/d%d", inside, i);
        assert_int_equal(mkdir(dir, 0755), 0);
    }
    struct rlimit old;
    assert_int_equal(getrlimit(RLIMIT_NOFILE, &old), 0);
    int before = count_fds();
    struct rlimit low = {(rlim_t)before + 40, old.rlim_max};
    assert_int_equal(setrlimit(RLIMIT_NOFILE, &low), 0);
    spx_landlock *rs = system_ruleset(host_abi(), 0);
    int rc = 0;
    for (int i = 0; i < N && !rc; i++) {
        snprintf(dir, sizeof dir, "%s/d%d", inside, i);
        rc = spx_landlock_allow_path(rs, dir, SPX_LANDLOCK_FS_RO);
    }
    int during = count_fds();
    int fd = -1, created = spx_landlock_create_fd(rs, &fd);
    assert_int_equal(setrlimit(RLIMIT_NOFILE, &old), 0);
    assert_int_equal(rc, 0); /* each rule's descriptor would exceed the limit */
    assert_int_equal(during, before);
    assert_int_equal(created, 0);
    close(fd);

    /* merged: d0 by two names; its rights add up (write on top of read) */
    snprintf(dir, sizeof dir, "%s/d0/.", inside);
    assert_int_equal(spx_landlock_allow_path(rs, dir, SPX_LANDLOCK_FS_WRITE_FILE | SPX_LANDLOCK_FS_MAKE_REG), 0);
    spx_attr *a = spx_attr_new();
    assert_int_equal(spx_attr_set_landlock(a, rs), 0);
    char c[2][160];
    run_probe(R, a, cmd_in(c[0], 160, "write", inside, "d0/new"), cmd_in(c[1], 160, "write", inside, "d1/new"), NULL);
    assert_int_equal(R->rc, 0);
    expect("write", inside, "d0/new", "ok");
    expect("write", inside, "d1/new", "EACCES");
    int with_attr = count_fds(); /* run_probe keeps a descriptor of its own */

    /* d1 replaced by another directory of the same name: the rule named the
     * old one, so the ruleset can no longer be created as asked */
    char old_name[160], new_name[160];
    snprintf(old_name, sizeof old_name, "%s/d1", inside);
    snprintf(new_name, sizeof new_name, "%s/d1-moved", inside);
    assert_int_equal(rename(old_name, new_name), 0);
    assert_int_equal(mkdir(old_name, 0755), 0);
    fd = 1234;
    assert_int_equal(spx_landlock_create_fd(rs, &fd), ESTALE);
    assert_int_equal(fd, 1234);
    assert_int_equal(spx_attr_set_landlock(a, rs), ESTALE);
    /* and gone: ENOENT */
    assert_int_equal(rmdir(old_name), 0);
    assert_int_equal(spx_landlock_create_fd(rs, &fd), ENOENT);
    assert_int_equal(count_fds(), with_attr); /* nothing leaked by the failures */
    spx_attr_free(a);
    spx_landlock_free(rs);

    /* an object no path leads back to (a deleted directory) keeps its
     * descriptor: the rule still reaches the kernel */
    char gone[160], via_fd[64];
    snprintf(gone, sizeof gone, "%s/gone", inside);
    assert_int_equal(mkdir(gone, 0755), 0);
    int dfd = open(gone, O_PATH | O_DIRECTORY | O_CLOEXEC);
    assert_true(dfd >= 0);
    assert_int_equal(rmdir(gone), 0);
    snprintf(via_fd, sizeof via_fd, "/proc/self/fd/%d", dfd);
    int held = count_fds();
    assert_int_equal(spx_landlock_new(&rs, host_abi(), 0), 0);
    assert_int_equal(spx_landlock_allow_path(rs, via_fd, SPX_LANDLOCK_FS_RO), 0);
    assert_int_equal(count_fds(), held + 1);
    fd = -1;
    assert_int_equal(spx_landlock_create_fd(rs, &fd), 0);
    close(fd);
    spx_landlock_free(rs);
    assert_int_equal(count_fds(), held);
    close(dfd);
}

/*
 * The landlock_restrict_self() flags, seen by the kernel: this binary again,
 * under a seccomp user-notification filter that records what each child's
 * landlock_restrict_self() gets (and lets it run: the kernel then accepts or
 * refuses the flags itself). See test_log_flags.
 */
static int watch_main(void) {
    int bad = 0;
    if (install_fake_abi(0) != 0) {
        printf("cannot install the watcher: %s\n", strerror(errno));
        return 77;
    }
    run_result *r = malloc(sizeof *r);
    char c[2][160], want[256];
    snprintf(c[0], sizeof c[0], "write=%s/denied", outside);
    snprintf(c[1], sizeof c[1], "write=%s/allowed", inside);

    /* a ruleset with two logging flags: the kernel gets them with it */
    spx_landlock *rs = NULL;
    CHECK(spx_landlock_new(&rs, 7, 0) == 0);
    CHECK(spx_landlock_set_handled(rs, SPX_LANDLOCK_FS_WRITE_FILE | SPX_LANDLOCK_FS_MAKE_REG, 0) == 0);
    CHECK(spx_landlock_allow_path(rs, inside, SPX_LANDLOCK_FS_WRITE_FILE | SPX_LANDLOCK_FS_MAKE_REG) == 0);
    spx_attr *a = spx_attr_new();
    CHECK(spx_attr_set_landlock(a, rs) == 0);
    spx_landlock_free(rs);
    CHECK(spx_attr_set_landlock_flags(a, SPX_LANDLOCK_LOG_NEW_EXEC_ON | SPX_LANDLOCK_LOG_SAME_EXEC_OFF) == 0);
    int calls = __atomic_load_n(&watched_calls, __ATOMIC_SEQ_CST);
    run_probe(r, a, c[0], c[1], NULL);
    CHECK(r->rc == 0); /* the kernel accepted them */
    snprintf(want, sizeof want, "write %s/denied: EACCES", outside);
    CHECK(has_line(r, want));
    snprintf(want, sizeof want, "write %s/allowed: ok", inside);
    CHECK(has_line(r, want));
    CHECK(__atomic_load_n(&watched_calls, __ATOMIC_SEQ_CST) == calls + 1);
    CHECK(__atomic_load_n(&watched_fd, __ATOMIC_SEQ_CST) >= 0);
    CHECK(__atomic_load_n(&watched_flags, __ATOMIC_SEQ_CST) ==
          (SPX_LANDLOCK_LOG_NEW_EXEC_ON | SPX_LANDLOCK_LOG_SAME_EXEC_OFF));

    /* unknown flags: refused, the attribute keeps the flags it had */
    CHECK(spx_attr_set_landlock_flags(a, 1u << 3) == EINVAL);
    CHECK(spx_attr_set_landlock_flags(a, ~0u) == EINVAL);
    CHECK(spx_attr_set_landlock_flags(NULL, 0) == EINVAL);
    run_probe(r, a, c[0], NULL);
    CHECK(r->rc == 0);
    CHECK(__atomic_load_n(&watched_flags, __ATOMIC_SEQ_CST) ==
          (SPX_LANDLOCK_LOG_NEW_EXEC_ON | SPX_LANDLOCK_LOG_SAME_EXEC_OFF));

    /* 0 removes them */
    CHECK(spx_attr_set_landlock_flags(a, 0) == 0);
    run_probe(r, a, c[0], NULL);
    CHECK(r->rc == 0);
    CHECK(__atomic_load_n(&watched_flags, __ATOMIC_SEQ_CST) == 0);
    spx_attr_free(a);

    /* LOG_SUBDOMAINS_OFF without a ruleset: restrict_self(-1, it), accepted
     * by the kernel, and nothing restricted */
    a = spx_attr_new();
    CHECK(spx_attr_set_landlock_flags(a, SPX_LANDLOCK_LOG_SUBDOMAINS_OFF | SPX_LANDLOCK_LOG_NEW_EXEC_ON) == 0);
    calls = __atomic_load_n(&watched_calls, __ATOMIC_SEQ_CST);
    run_probe(r, a, c[0], NULL);
    CHECK(r->rc == 0);
    snprintf(want, sizeof want, "write %s/denied: ok", outside);
    CHECK(has_line(r, want));
    CHECK(__atomic_load_n(&watched_calls, __ATOMIC_SEQ_CST) == calls + 1);
    CHECK(__atomic_load_n(&watched_fd, __ATOMIC_SEQ_CST) == -1);
    /* the new-domain flags mean nothing without a domain: not passed */
    CHECK(__atomic_load_n(&watched_flags, __ATOMIC_SEQ_CST) == SPX_LANDLOCK_LOG_SUBDOMAINS_OFF);

    /* only new-domain flags and no ruleset: no call at all */
    CHECK(spx_attr_set_landlock_flags(a, SPX_LANDLOCK_LOG_NEW_EXEC_ON) == 0);
    calls = __atomic_load_n(&watched_calls, __ATOMIC_SEQ_CST);
    run_probe(r, a, "status", NULL);
    CHECK(r->rc == 0);
    CHECK(__atomic_load_n(&watched_calls, __ATOMIC_SEQ_CST) == calls);
    spx_attr_free(a);
    free(r);
    printf("watch: %s\n", bad ? "FAILED" : "ok");
    return bad ? 1 : 0;
}

static void test_log_flags(void **state) {
    (void)state;
    require_abi(7);
    char self[4096];
    self_exe(self, sizeof self);
    const char *argv[] = {self, "--watch", inside, outside, NULL};
    run(R, NULL, self, argv, NULL);
    assert_int_equal(R->rc, 0);
    if (R->exit_code == 77) {
        print_message("skipped: %s", R->out);
        skip();
    }
    if (R->exit_code != 0 || !has_line(R, "watch: ok")) print_message("the child said:\n%s", R->out);
    assert_int_equal(R->exit_code, 0);
    assert_true(has_line(R, "watch: ok"));
}

/* One AUDIT_GET or AUDIT_SET exchange over the audit netlink socket. */
static int audit_exchange(int type, struct audit_status *st) {
    int s = socket(AF_NETLINK, SOCK_RAW | SOCK_CLOEXEC, NETLINK_AUDIT);
    if (s < 0) return -1;
    struct {
        struct nlmsghdr h;
        struct audit_status st;
    } req = {.h = {.nlmsg_len = NLMSG_LENGTH(type == AUDIT_SET ? sizeof *st : 0), .nlmsg_type = (uint16_t)type,
                   .nlmsg_flags = NLM_F_REQUEST | NLM_F_ACK, .nlmsg_seq = 1}};
    if (type == AUDIT_SET) req.st = *st;
    struct sockaddr_nl kernel = {.nl_family = AF_NETLINK};
    int rc = -1;
    if (sendto(s, &req, req.h.nlmsg_len, 0, (struct sockaddr *)&kernel, sizeof kernel) < 0) goto out;
    for (int i = 0; i < 2; i++) {
        char buf[8192];
        ssize_t n = recv(s, buf, sizeof buf, 0);
        if (n < (ssize_t)sizeof(struct nlmsghdr)) goto out;
        struct nlmsghdr *h = (struct nlmsghdr *)buf;
        if (h->nlmsg_type == NLMSG_ERROR) {
            int err = ((struct nlmsgerr *)NLMSG_DATA(h))->error;
            if (err != 0 || type == AUDIT_SET) {
                rc = err == 0 ? 0 : -1;
                goto out;
            }
            continue; /* the ack; the status follows */
        }
        if (h->nlmsg_type == AUDIT_GET) {
            memcpy(st, NLMSG_DATA(h), sizeof *st);
            rc = 0;
            goto out;
        }
    }
out:
    close(s);
    return rc;
}

/*
 * The logging flags, seen in the audit records the kernel writes: a denial
 * by the executed program is recorded (type 1423) with LOG_NEW_EXEC_ON and
 * not without it. Needs audit enabled and no audit daemon (the records then
 * go to the kernel log); SPX_TEST_AUDIT=enable lets the test enable audit
 * for its own duration, since that changes the whole machine.
 */
static void test_log_denials_audit(void **state) {
    (void)state;
    require_abi(7);
    struct audit_status st;
    memset(&st, 0, sizeof st);
    if (audit_exchange(AUDIT_GET, &st) != 0) {
        print_message("skipped: the audit netlink socket does not answer (no CONFIG_AUDIT?)\n");
        skip();
    }
    if (st.pid != 0) {
        print_message("skipped: an audit daemon (pid %u) receives the records, not the kernel log\n", st.pid);
        skip();
    }
    const char *env = getenv("SPX_TEST_AUDIT");
    if (!st.enabled && (!env || strcmp(env, "enable") != 0)) {
        print_message("skipped: audit is disabled, the kernel records no denial (SPX_TEST_AUDIT=enable lets "
                      "this test enable it meanwhile; test_log_flags checks the flags reach the kernel)\n");
        skip();
    }
    int kmsg = open("/dev/kmsg", O_RDONLY | O_NONBLOCK | O_CLOEXEC);
    assert_true(kmsg >= 0);
    lseek(kmsg, 0, SEEK_END);
    char quiet[128], logged[128], c[2][160];
    snprintf(quiet, sizeof quiet, "%s/not-logged", outside);
    snprintf(logged, sizeof logged, "%s/logged", outside);
    write_file(quiet, "x");
    write_file(logged, "x");
    spx_landlock *rs = system_ruleset(7, 0);
    spx_attr *a = spx_attr_new();
    assert_int_equal(spx_attr_set_landlock(a, rs), 0);
    spx_landlock_free(rs);
    snprintf(c[0], sizeof c[0], "read=%s", quiet);
    snprintf(c[1], sizeof c[1], "read=%s", logged);

    /* From here to the restore, nothing may return early. */
    int enabled_here = 0;
    if (!st.enabled) {
        struct audit_status on = {.mask = AUDIT_STATUS_ENABLED, .enabled = 1};
        enabled_here = audit_exchange(AUDIT_SET, &on) == 0;
    }
    run_probe(R, a, c[0], NULL); /* the kernel's default: nothing after exec */
    int rc_quiet = R->rc;
    int flags_rc = spx_attr_set_landlock_flags(a, SPX_LANDLOCK_LOG_NEW_EXEC_ON);
    run_probe(R, a, c[1], NULL);
    int rc_logged = R->rc;
    usleep(200 * 1000); /* kauditd prints asynchronously */
    char want_logged[160], want_quiet[160];
    snprintf(want_logged, sizeof want_logged, "path=\"%s\"", logged);
    snprintf(want_quiet, sizeof want_quiet, "path=\"%s\"", quiet);
    int got_logged = 0, got_quiet = 0;
    char rec[8192];
    for (;;) {
        ssize_t n = read(kmsg, rec, sizeof rec - 1);
        if (n < 0 && errno == EPIPE) continue;
        if (n <= 0) break;
        rec[n] = '\0';
        if (!strstr(rec, "type=1423")) continue;
        got_logged |= strstr(rec, want_logged) != NULL;
        got_quiet |= strstr(rec, want_quiet) != NULL;
    }
    close(kmsg);
    if (enabled_here) {
        struct audit_status off = {.mask = AUDIT_STATUS_ENABLED, .enabled = 0};
        assert_int_equal(audit_exchange(AUDIT_SET, &off), 0);
    }
    spx_attr_free(a);
    assert_true(st.enabled || enabled_here);
    assert_int_equal(rc_quiet, 0);
    assert_int_equal(flags_rc, 0);
    assert_int_equal(rc_logged, 0);
    assert_false(got_quiet);
    assert_true(got_logged);
}

#define T(f) cmocka_unit_test_setup_teardown(f, dirs_up, dirs_down)

int main(int argc, char **argv) {
    if (argc == 5 && !strcmp(argv[1], "--fake-abi") && setup(NULL) == 0) {
        snprintf(inside, sizeof inside, "%s", argv[3]);
        snprintf(outside, sizeof outside, "%s", argv[4]);
        return fake_abi_main(atoi(argv[2]));
    }
    if (argc == 4 && !strcmp(argv[1], "--watch") && setup(NULL) == 0) {
        snprintf(inside, sizeof inside, "%s", argv[2]);
        snprintf(outside, sizeof outside, "%s", argv[3]);
        return watch_main();
    }
    if (argc == 4 && !strcmp(argv[1], "--no-statx") && setup(NULL) == 0) {
        snprintf(inside, sizeof inside, "%s", argv[2]);
        snprintf(outside, sizeof outside, "%s", argv[3]);
        return no_statx_main();
    }
    if (argc == 4 && !strcmp(argv[1], "--no-landlock") && setup(NULL) == 0) {
        snprintf(inside, sizeof inside, "%s", argv[2]);
        snprintf(outside, sizeof outside, "%s", argv[3]);
        return no_landlock_main();
    }
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_abi),
        T(test_fs_rules),
        T(test_net_rules),
        T(test_network_only),
        T(test_handled_without_refer),
        T(test_scope_signal),
        T(test_best_effort_low_abi),
        T(test_strict_unsupported),
        T(test_bad_inputs),
        T(test_rule_on_a_file),
        T(test_bad_ruleset_fd),
        T(test_ruleset_fd_not_inherited),
        T(test_ruleset_fd_collision),
        T(test_no_new_privs),
        T(test_many_spawns_one_ruleset),
        T(test_threads_share_attr),
        T(test_without_landlock),
        T(test_emulated_older_kernels),
        T(test_log_flags),
        cmocka_unit_test(test_rights_per_abi),
        cmocka_unit_test(test_errata),
        T(test_newer_abi_than_kernel),
        T(test_quiet_bad_inputs),
        T(test_rules_keep_no_fd),
        T(test_log_denials_audit),
        T(test_without_statx),
    };
    return cmocka_run_group_tests_name("landlock", tests, setup, suite_teardown);
}
