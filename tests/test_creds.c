/* Identity and capabilities (issue: credentials): uid/gid/groups, ambient
 * caps across the uid change, inheritable and bounding sets,
 * no_new_privs, chroot. Checked from inside the child's /proc/self/status. */
#include "common.h"

#include <errno.h>
#include <fcntl.h>
#include <grp.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#define CAP_NET_BIND_SERVICE 10
#define CAP_SYS_CHROOT 18
#define CAP_SYS_TIME 25
#define CAP_CHOWN 0
#define NOBODY 65534

static char parent_status[4096];

static void read_own_status(char *buf, size_t len) {
    int fd = open("/proc/self/status", O_RDONLY | O_CLOEXEC);
    assert_true(fd >= 0);
    ssize_t n = read(fd, buf, len - 1);
    close(fd);
    assert_true(n > 0);
    buf[n] = '\0';
    /* keep only the identity lines, which must never change */
    char keep[4096] = "";
    for (char *line = strtok(buf, "\n"); line; line = strtok(NULL, "\n"))
        if (!strncmp(line, "Uid:", 4) || !strncmp(line, "Gid:", 4) || !strncmp(line, "Groups:", 7) ||
            !strncmp(line, "Cap", 3) || !strncmp(line, "NoNewPrivs:", 11) || !strncmp(line, "Seccomp:", 8)) {
            strcat(keep, line);
            strcat(keep, "\n");
        }
    snprintf(buf, len, "%s", keep);
}

static int setup(void **state) {
    (void)state;
    read_own_status(parent_status, sizeof parent_status);
    return suite_setup(state);
}

/* After everything: the parent's own credentials never changed. */
static int teardown(void **state) {
    (void)state;
    char now[4096];
    read_own_status(now, sizeof now);
    assert_string_equal(now, parent_status);
    return suite_teardown(state);
}

static spx_attr *nobody_attr(void) {
    spx_attr *a = spx_attr_new();
    assert_int_equal(spx_attr_set_uid(a, NOBODY), 0);
    assert_int_equal(spx_attr_set_gid(a, NOBODY), 0);
    assert_int_equal(spx_attr_set_groups(a, NULL, 0), 0);
    return a;
}

static void expect_caps(const char *inh, const char *prm, const char *eff, const char *amb) {
    char buf[64];
    assert_int_equal(R->rc, 0);
    assert_string_equal(field(R, "CapInh", buf, sizeof buf), inh);
    assert_string_equal(field(R, "CapPrm", buf, sizeof buf), prm);
    assert_string_equal(field(R, "CapEff", buf, sizeof buf), eff);
    assert_string_equal(field(R, "CapAmb", buf, sizeof buf), amb);
}

static void test_uid_change_drops_caps(void **state) {
    (void)state;
    REQUIRE_ROOT();
    spx_attr *a = nobody_attr();
    run_probe(R, a, "status", NULL);
    char buf[64];
    assert_string_equal(field(R, "Uid", buf, sizeof buf), "65534\t65534\t65534\t65534");
    assert_string_equal(field(R, "Gid", buf, sizeof buf), "65534\t65534\t65534\t65534");
    assert_string_equal(field(R, "Groups", buf, sizeof buf), "");
    expect_caps("0000000000000000", "0000000000000000", "0000000000000000", "0000000000000000");
    /* an explicitly empty ambient set: the same */
    assert_int_equal(spx_attr_set_ambient(a, NULL, 0), 0);
    run_probe(R, a, "status", NULL);
    expect_caps("0000000000000000", "0000000000000000", "0000000000000000", "0000000000000000");
    spx_attr_free(a);
}

static void test_ambient_exact(void **state) {
    (void)state;
    REQUIRE_ROOT();
    spx_attr *a = nobody_attr();
    assert_int_equal(spx_attr_set_ambient(a, (int[]){CAP_SYS_TIME}, 1), 0);
    run_probe(R, a, "status", NULL);
    expect_caps("0000000002000000", "0000000002000000", "0000000002000000", "0000000002000000");

    assert_int_equal(spx_attr_set_ambient(a, (int[]){CAP_NET_BIND_SERVICE, CAP_SYS_TIME}, 2), 0);
    run_probe(R, a, "status", NULL);
    expect_caps("0000000002000400", "0000000002000400", "0000000002000400", "0000000002000400");

    /* more inheritable caps than ambient ones */
    assert_int_equal(spx_attr_set_inheritable(a, (int[]){CAP_CHOWN}, 1), 0);
    run_probe(R, a, "status", NULL);
    expect_caps("0000000002000401", "0000000002000400", "0000000002000400", "0000000002000400");
    spx_attr_free(a);
}

/* The NTP case: as nobody, exactly CAP_SYS_TIME, set the clock. */
static void test_ntp_case(void **state) {
    (void)state;
    REQUIRE_ROOT();
    spx_attr *a = nobody_attr();
    assert_int_equal(spx_attr_set_ambient(a, (int[]){CAP_SYS_TIME}, 1), 0);
    run_probe(R, a, "settime", NULL);
    assert_true(has_line(R, "settime: ok"));
    assert_int_equal(spx_attr_set_ambient(a, NULL, 0), 0);
    run_probe(R, a, "settime", NULL);
    assert_true(has_line(R, "settime: EPERM"));
    spx_attr_free(a);
}

static void test_bind_low_port(void **state) {
    (void)state;
    REQUIRE_ROOT();
    spx_attr *a = nobody_attr();
    assert_int_equal(spx_attr_set_ambient(a, (int[]){CAP_NET_BIND_SERVICE}, 1), 0);
    run_probe(R, a, "bind=80", NULL);
    assert_true(has_line(R, "bind 80: ok"));
    assert_int_equal(spx_attr_set_ambient(a, NULL, 0), 0);
    run_probe(R, a, "bind=80", NULL);
    assert_true(has_line(R, "bind 80: EACCES"));
    spx_attr_free(a);
}

static void test_groups_and_gid(void **state) {
    (void)state;
    REQUIRE_ROOT();
    spx_attr *a = spx_attr_new();
    assert_int_equal(spx_attr_set_uid(a, 1234), 0);
    assert_int_equal(spx_attr_set_uid(a, 4321), 0); /* the second call wins */
    assert_int_equal(spx_attr_set_gid(a, 777), 0);
    assert_int_equal(spx_attr_set_groups(a, (uint32_t[]){5, 6, 7}, 3), 0);
    run_probe(R, a, "status", NULL);
    char buf[64];
    assert_string_equal(field(R, "Uid", buf, sizeof buf), "4321\t4321\t4321\t4321");
    assert_string_equal(field(R, "Gid", buf, sizeof buf), "777\t777\t777\t777");
    assert_string_equal(field(R, "Groups", buf, sizeof buf), "5 6 7");
    assert_int_equal(spx_attr_set_groups(a, (uint32_t[]){9}, 1), 0);
    run_probe(R, a, "status", NULL);
    assert_string_equal(field(R, "Groups", buf, sizeof buf), "9");
    spx_attr_free(a);
}

static void test_bounding(void **state) {
    (void)state;
    REQUIRE_ROOT();
    spx_attr *a = spx_attr_new();
    assert_int_equal(spx_attr_set_bounding(a, (int[]){CAP_SYS_TIME, CAP_NET_BIND_SERVICE}, 2), 0);
    run_probe(R, a, "status", NULL);
    char buf[64];
    assert_string_equal(field(R, "CapBnd", buf, sizeof buf), "0000000002000400");
    /* root after exec: permitted is bounded too */
    assert_string_equal(field(R, "CapPrm", buf, sizeof buf), "0000000002000400");
    /* with a uid change and an ambient cap inside the bounding set */
    assert_int_equal(spx_attr_set_uid(a, NOBODY), 0);
    assert_int_equal(spx_attr_set_ambient(a, (int[]){CAP_SYS_TIME}, 1), 0);
    run_probe(R, a, "status", NULL);
    assert_string_equal(field(R, "CapBnd", buf, sizeof buf), "0000000002000400");
    expect_caps("0000000002000000", "0000000002000000", "0000000002000000", "0000000002000000");
    /* an empty bounding set */
    assert_int_equal(spx_attr_set_ambient(a, NULL, 0), 0);
    assert_int_equal(spx_attr_set_bounding(a, NULL, 0), 0);
    run_probe(R, a, "status", NULL);
    assert_string_equal(field(R, "CapBnd", buf, sizeof buf), "0000000000000000");
    spx_attr_free(a);
}

static void test_ambient_outside_bounding(void **state) {
    (void)state;
    spx_attr *a = spx_attr_new();
    assert_int_equal(spx_attr_set_bounding(a, (int[]){CAP_NET_BIND_SERVICE}, 1), 0);
    assert_int_equal(spx_attr_set_ambient(a, (int[]){CAP_SYS_TIME}, 1), 0);
    run_probe(R, a, "status", NULL);
    assert_int_equal(R->rc, EINVAL);
    assert_int_equal(R->err.stage, SPX_STAGE_PREPARE);
    assert_non_null(strstr(R->err.message, "cap_sys_time is not in the bounding set"));
    assert_string_equal(R->out, "");
    spx_attr_free(a);
}

static void test_no_new_privs(void **state) {
    (void)state;
    spx_attr *a = spx_attr_new();
    char buf[16];
    run_probe(R, a, "status", NULL);
    assert_string_equal(field(R, "NoNewPrivs", buf, sizeof buf), "0");
    assert_int_equal(spx_attr_set_no_new_privs(a, 1), 0);
    run_probe(R, a, "status", NULL);
    assert_string_equal(field(R, "NoNewPrivs", buf, sizeof buf), "1");
    assert_int_equal(spx_attr_set_no_new_privs(a, 0), 0);
    run_probe(R, a, "status", NULL);
    assert_string_equal(field(R, "NoNewPrivs", buf, sizeof buf), "0");
    spx_attr_free(a);
}

static void copy_file(const char *from, const char *to) {
    int in = open(from, O_RDONLY | O_CLOEXEC), out = open(to, O_WRONLY | O_CREAT | O_CLOEXEC, 0755);
    assert_true(in >= 0 && out >= 0);
    char buf[65536];
    ssize_t n;
    while ((n = read(in, buf, sizeof buf)) > 0) assert_int_equal(write(out, buf, (size_t)n), n);
    close(in);
    close(out);
}

static void test_chroot(void **state) {
    (void)state;
    REQUIRE_ROOT();
    char dir[64], probe[128];
    make_tmpdir(dir, sizeof dir);
    assert_int_equal(chmod(dir, 0755), 0); /* the program runs as nobody */
    snprintf(probe, sizeof probe, "%s/probe", dir);
    copy_file(probe_static_path(), probe);
    spx_attr *a = spx_attr_new();
    assert_int_equal(spx_attr_set_chroot(a, dir), 0);
    assert_int_equal(spx_attr_set_cwd(a, "/"), 0);
    assert_int_equal(spx_attr_set_uid(a, NOBODY), 0); /* chroot runs first, as root */
    const char *argv[] = {"probe", "cwd", "read=/etc/passwd", "read=/probe", NULL};
    run(R, a, "/probe", argv, NULL);
    assert_int_equal(R->rc, 0);
    assert_true(has_line(R, "cwd: /"));
    assert_true(has_line(R, "read /etc/passwd: ENOENT")); /* outside the new root */
    assert_true(has_line(R, "read /probe: ok"));
    /* PATH search happens inside the chroot */
    assert_int_equal(spx_attr_set_search_path(a, 1), 0);
    char *old = strdup(getenv("PATH") ? getenv("PATH") : "");
    setenv("PATH", "/nonexistent:/", 1);
    run(R, a, "probe", argv, NULL);
    setenv("PATH", old, 1);
    free(old);
    assert_int_equal(R->rc, 0);
    assert_true(has_line(R, "cwd: /"));
    spx_attr_free(a);
    remove_tree(dir);
}

static void test_chroot_missing(void **state) {
    (void)state;
    REQUIRE_ROOT();
    spx_attr *a = spx_attr_new();
    assert_int_equal(spx_attr_set_chroot(a, "/nonexistent-root"), 0);
    run_probe(R, a, "cwd", NULL);
    assert_int_equal(R->rc, ENOENT);
    assert_int_equal(R->err.stage, SPX_STAGE_CHROOT);
    assert_string_equal(R->err.message, "chroot: No such file or directory: /nonexistent-root");
    assert_string_equal(R->out, "");
    spx_attr_free(a);
}

/* As a user without capabilities, asking for a uid change fails with EPERM
 * in stage setgroups/setuid and never runs the program. The check runs in a
 * child of ours (this binary as nobody, see as_nobody_main). */
static void test_unprivileged_caller(void **state) {
    (void)state;
    REQUIRE_ROOT();
    char self[PATH_MAX];
    self_exe(self, sizeof self);
    spx_attr *a = nobody_attr();
    const char *argv[] = {self, "--as-nobody", NULL};
    run(R, a, self, argv, NULL);
    assert_int_equal(R->rc, 0);
    if (R->exit_code != 0) print_message("the unprivileged child said: %s\n", R->out);
    assert_int_equal(R->exit_code, 0);
    assert_non_null(strstr(R->out, "setuid: EPERM, program not run"));
    assert_non_null(strstr(R->out, "setgroups: EPERM, program not run"));
    assert_non_null(strstr(R->out, "chroot: EPERM, program not run"));
    spx_attr_free(a);
}

/* A cap outside the caller's own bounding set cannot be granted: EPERM at
 * prepare, before any child. Checked in a child of ours whose bounding set
 * lacks CAP_SYS_TIME (see bounding_main). */
static void test_ambient_outside_own_bounding(void **state) {
    (void)state;
    REQUIRE_ROOT();
    char self[PATH_MAX];
    self_exe(self, sizeof self);
    int keep[64], nkeep = 0;
    for (int c = 0; c <= 40; c++)
        if (c != CAP_SYS_TIME) keep[nkeep++] = c;
    spx_attr *a = spx_attr_new();
    FILE *f = fopen("/proc/sys/kernel/cap_last_cap", "r");
    int last = 40;
    assert_int_equal(fscanf(f, "%d", &last), 1);
    fclose(f);
    while (nkeep > 0 && keep[nkeep - 1] > last) nkeep--;
    assert_int_equal(spx_attr_set_bounding(a, keep, (size_t)nkeep), 0);
    const char *argv[] = {self, "--no-sys-time", NULL};
    run(R, a, self, argv, NULL);
    assert_int_equal(R->rc, 0);
    if (R->exit_code != 0) print_message("the child said: %s\n", R->out);
    assert_int_equal(R->exit_code, 0);
    spx_attr_free(a);
}

static int bounding_main(void) {
    spx_attr *a = nobody_attr();
    spx_attr_set_ambient(a, (int[]){CAP_SYS_TIME}, 1);
    run_result *r = malloc(sizeof *r);
    run_probe(r, a, "status", NULL);
    int ok = r->rc == EPERM && r->err.stage == SPX_STAGE_PREPARE && r->out[0] == '\0' &&
             strstr(r->err.message, "cap_sys_time is not in this process's bounding set");
    printf("%s: rc %d stage %d message '%s'\n", ok ? "ok" : "unexpected", r->rc, r->err.stage, r->err.message);
    free(r);
    spx_attr_free(a);
    return !ok;
}

static int as_nobody_main(void) {
    const char *argv[] = {probe_path(), "say-ran", NULL};
    struct {
        const char *name;
        int stage;
    } cases[] = {{"setuid", SPX_STAGE_SETUID}, {"setgroups", SPX_STAGE_SETGROUPS}, {"chroot", SPX_STAGE_CHROOT}};
    int bad = 0;
    for (int i = 0; i < 3; i++) {
        spx_attr *a = spx_attr_new();
        if (i == 0) spx_attr_set_uid(a, 0);
        if (i == 1) spx_attr_set_groups(a, (uint32_t[]){0}, 1);
        if (i == 2) spx_attr_set_chroot(a, "/");
        run_result *r = malloc(sizeof *r);
        run(r, a, probe_path(), argv, NULL);
        if (r->rc == EPERM && r->err.stage == cases[i].stage && r->out[0] == '\0')
            printf("%s: EPERM, program not run\n", cases[i].name);
        else
            printf("%s: unexpected rc %d stage %d out '%s'\n", cases[i].name, r->rc, r->err.stage, r->out), bad++;
        free(r);
        spx_attr_free(a);
    }
    return bad;
}

int main(int argc, char **argv) {
    if (argc > 1 && !strcmp(argv[1], "--as-nobody")) return as_nobody_main();
    if (argc > 1 && !strcmp(argv[1], "--no-sys-time")) return bounding_main();
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_uid_change_drops_caps),
        cmocka_unit_test(test_ambient_exact),
        cmocka_unit_test(test_ntp_case),
        cmocka_unit_test(test_bind_low_port),
        cmocka_unit_test(test_groups_and_gid),
        cmocka_unit_test(test_bounding),
        cmocka_unit_test(test_ambient_outside_bounding),
        cmocka_unit_test(test_ambient_outside_own_bounding),
        cmocka_unit_test(test_no_new_privs),
        cmocka_unit_test(test_chroot),
        cmocka_unit_test(test_chroot_missing),
        cmocka_unit_test(test_unprivileged_caller),
    };
    return cmocka_run_group_tests_name("creds", tests, setup, teardown);
}
