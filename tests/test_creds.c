/* Identity and capabilities (issue: credentials): uid/gid/groups, ambient
 * caps across the uid change, inheritable and bounding sets,
 * no_new_privs, chroot. Checked from inside the child's /proc/self/status. */
#include "common.h"

#include <dlfcn.h>
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
#define SERVICE 65533 /* the uid and gid of the non-root service in test_service_ambient */

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
    assert_int_equal(spx_attr_set_gid(a, NOBODY), 0);
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
    assert_int_equal(spx_attr_set_gid(a, NOBODY), 0);
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

/* A uid without a gid is refused before any child exists: keeping the
 * caller's gid (often 0) is never what a change of user means. */
static void test_uid_needs_gid(void **state) {
    (void)state;
    int fds = count_fds();
    spx_attr *a = spx_attr_new();
    assert_int_equal(spx_attr_set_uid(a, NOBODY), 0);
    assert_int_equal(spx_attr_set_groups(a, NULL, 0), 0); /* groups do not stand in for it */
    assert_int_equal(spx_attr_set_ambient(a, NULL, 0), 0);
    run_probe(R, a, "echo=ran", NULL);
    if (R->rc != EINVAL) print_message("rc %d stage %d: %s\n", R->rc, R->err.stage, R->err.message);
    assert_int_equal(R->rc, EINVAL);
    assert_int_equal(R->err.code, EINVAL);
    assert_int_equal(R->err.stage, SPX_STAGE_PREPARE);
    assert_non_null(strstr(R->err.message, "gid"));
    assert_string_equal(R->out, "");
    assert_false(has_children());
    /* our own uid too: the rule does not depend on who calls */
    assert_int_equal(spx_attr_set_uid(a, getuid()), 0);
    run_probe(R, a, "echo=ran", NULL);
    assert_int_equal(R->rc, EINVAL);
    assert_int_equal(R->err.stage, SPX_STAGE_PREPARE);
    assert_false(has_children());
    spx_attr_free(a);
    assert_int_equal(count_fds(), fds);
    /* a gid alone is fine (our own: anyone may) */
    a = spx_attr_new();
    assert_int_equal(spx_attr_set_gid(a, getgid()), 0);
    run_probe(R, a, "echo=ran", NULL);
    assert_int_equal(R->rc, 0);
    assert_true(has_line(R, "ran"));
    spx_attr_free(a);
}

/* The supplementary groups across a change of identity: cleared unless
 * asked, kept with spx_attr_set_keep_groups(). Checked in a child of ours
 * that has groups 7 8 9 (see groups_caller_main), so that this process
 * keeps its own. */
static void test_groups_default_and_keep(void **state) {
    (void)state;
    REQUIRE_ROOT();
    char self[PATH_MAX];
    self_exe(self, sizeof self);
    spx_attr *a = spx_attr_new();
    assert_int_equal(spx_attr_set_groups(a, (uint32_t[]){7, 8, 9}, 3), 0);
    const char *argv[] = {self, "--groups-caller", NULL};
    run(R, a, self, argv, NULL);
    assert_int_equal(R->rc, 0);
    if (R->exit_code != 0) print_message("the caller with groups 7 8 9 said:\n%s", R->out);
    assert_true(has_line(R, "caller: [7 8 9]"));
    assert_true(has_line(R, "new identity: [7 8 9] -> []"));
    assert_true(has_line(R, "gid only: [7 8 9] -> []"));
    assert_true(has_line(R, "keep: [7 8 9] -> [7 8 9]"));
    assert_true(has_line(R, "keep, rejected 2: [7 8 9] -> [7 8 9]"));
    assert_true(has_line(R, "keep then 0: [7 8 9] -> []"));
    assert_true(has_line(R, "keep then groups 5: [7 8 9] -> [5]"));
    assert_true(has_line(R, "groups 5 then keep: [7 8 9] -> [7 8 9]"));
    assert_true(has_line(R, "own uid and gid: [7 8 9] -> [7 8 9]"));
    assert_int_equal(R->exit_code, 0);
    spx_attr_free(a);
}

static void groups_text(char *buf, size_t len) {
    gid_t g[64];
    int n = getgroups(64, g);
    size_t used = 0;
    buf[0] = '\0';
    for (int i = 0; i < n && used < len; i++)
        used += (size_t)snprintf(buf + used, len - used, "%s%u", i ? " " : "", (unsigned)g[i]);
}

static int groups_caller_main(void) {
    char mine[256];
    groups_text(mine, sizeof mine);
    printf("caller: [%s]\n", mine);
    const char *names[] = {"new identity", "gid only", "keep", "keep, rejected 2", "keep then 0",
                           "keep then groups 5", "groups 5 then keep", "own uid and gid"};
    int bad = 0;
    for (size_t i = 0; i < sizeof names / sizeof *names; i++) {
        spx_attr *a = spx_attr_new();
        if (i != 1) spx_attr_set_uid(a, i == 7 ? getuid() : NOBODY);
        spx_attr_set_gid(a, i == 7 ? getgid() : NOBODY);
        switch (i) {
        case 2: spx_attr_set_keep_groups(a, 1); break;
        case 3:
            spx_attr_set_keep_groups(a, 1);
            if (spx_attr_set_keep_groups(a, 2) != EINVAL) bad++;
            break;
        case 4:
            spx_attr_set_keep_groups(a, 1);
            spx_attr_set_keep_groups(a, 0);
            break;
        case 5:
            spx_attr_set_keep_groups(a, 1);
            spx_attr_set_groups(a, (uint32_t[]){5}, 1);
            break;
        case 6:
            spx_attr_set_groups(a, (uint32_t[]){5}, 1);
            spx_attr_set_keep_groups(a, 1);
            break;
        default: break;
        }
        run_result *r = malloc(sizeof *r);
        run_probe(r, a, "status", NULL);
        char buf[256];
        if (r->rc == 0 && field(r, "Groups", buf, sizeof buf))
            printf("%s: [%s] -> [%s]\n", names[i], mine, buf);
        else
            printf("%s: rc %d stage %d '%s'\n", names[i], r->rc, r->err.stage, r->err.message), bad++;
        free(r);
        spx_attr_free(a);
    }
    return bad;
}

/* Can a user that is neither the owner nor in the group (uid SERVICE)
 * reach path and use it with these "other" permission bits? */
static int others_may(const char *path, mode_t bits, char *why, size_t len) {
    char real[PATH_MAX];
    if (!realpath(path, real)) {
        snprintf(why, len, "%s: %s", path, strerror(errno));
        return 0;
    }
    struct stat st;
    for (char *slash = strchr(real + 1, '/'); slash; slash = strchr(slash + 1, '/')) {
        *slash = '\0';
        int ok = stat(real, &st) == 0 && (st.st_mode & S_IXOTH);
        if (!ok) snprintf(why, len, "directory %s is not searchable by others", real);
        *slash = '/';
        if (!ok) return 0;
    }
    if (stat(real, &st) != 0 || (st.st_mode & bits) != bits) {
        snprintf(why, len, "%s is not %s by others", real, bits & S_IXOTH ? "executable" : "readable");
        return 0;
    }
    return 1;
}

/* Issue 11, item 3: a non-root service with ambient capabilities (systemd's
 * AmbientCapabilities=) spawns a program as another user, asking for no
 * capability. setresuid between two non-zero uids keeps the ambient set, so
 * without spx clearing it the program would get the service's capabilities.
 * The service is this binary (service_main), run as uid and gid SERVICE with
 * cap_setuid, cap_setgid, cap_net_bind_service ambient; it spawns the probe
 * as nobody and the probe's report comes back through the service's stdout. */
static void test_service_ambient(void **state) {
    (void)state;
    REQUIRE_ROOT();
    char self[PATH_MAX], why[PATH_MAX + 64];
    self_exe(self, sizeof self);
    Dl_info lib;
    assert_true(dladdr((void *)spx_spawn, &lib) && lib.dli_fname);
    if (!others_may(self, S_IXOTH, why, sizeof why) || !others_may(probe_path(), S_IXOTH, why, sizeof why) ||
        !others_may(lib.dli_fname, S_IROTH, why, sizeof why)) {
        print_message("skipped: uid %d could not run the service: %s\n", SERVICE, why);
        skip();
    }
    int caps[] = {spx_cap_from_name("cap_setuid"), spx_cap_from_name("cap_setgid"),
                  spx_cap_from_name("cap_net_bind_service")};
    assert_true(caps[0] == 7 && caps[1] == 6 && caps[2] == CAP_NET_BIND_SERVICE);
    spx_attr *a = spx_attr_new();
    assert_int_equal(spx_attr_set_uid(a, SERVICE), 0);
    assert_int_equal(spx_attr_set_gid(a, SERVICE), 0);
    assert_int_equal(spx_attr_set_groups(a, NULL, 0), 0);
    assert_int_equal(spx_attr_set_ambient(a, caps, 3), 0);
    const char *argv[] = {self, "--service", NULL};
    run(R, a, self, argv, NULL);
    assert_int_equal(R->rc, 0);
    if (R->exit_code != 0) print_message("the service said:\n%s", R->out);
    /* the service really was one: uid SERVICE with the three caps */
    assert_true(has_line(R, "service: uid 65533 CapAmb 00000000000004c0 CapEff 00000000000004c0"));
    assert_int_equal(R->exit_code, 0);
    char buf[64];
    assert_string_equal(field(R, "Uid", buf, sizeof buf), "65534\t65534\t65534\t65534");
    assert_string_equal(field(R, "Gid", buf, sizeof buf), "65534\t65534\t65534\t65534");
    assert_string_equal(field(R, "Groups", buf, sizeof buf), "");
    if (strcmp(field(R, "CapAmb", buf, sizeof buf), "0000000000000000") != 0)
        print_message("the service's ambient caps reached the program:\n%s", R->out);
    expect_caps("0000000000000000", "0000000000000000", "0000000000000000", "0000000000000000");
    spx_attr_free(a);
}

static void own_status_field(const char *key, char *buf, size_t len) {
    FILE *f = fopen("/proc/self/status", "r");
    char line[512];
    size_t klen = strlen(key);
    snprintf(buf, len, "?");
    while (f && fgets(line, sizeof line, f))
        if (!strncmp(line, key, klen) && line[klen] == ':') {
            line[strcspn(line, "\n")] = '\0';
            snprintf(buf, len, "%s", line + klen + 1 + strspn(line + klen + 1, " \t"));
        }
    if (f) fclose(f);
}

static int service_main(void) {
    char amb[64], eff[64];
    own_status_field("CapAmb", amb, sizeof amb);
    own_status_field("CapEff", eff, sizeof eff);
    printf("service: uid %u CapAmb %s CapEff %s\n", (unsigned)getuid(), amb, eff);
    fflush(stdout);
    /* a uid and a gid, nothing else: the program's stdout is ours */
    spx_attr *a = spx_attr_new();
    spx_attr_set_uid(a, NOBODY);
    spx_attr_set_gid(a, NOBODY);
    const char *argv[] = {probe_path(), "status", NULL};
    spx_process *p = NULL;
    spx_error err;
    int rc = spx_spawn(&p, a, probe_path(), argv, NULL, &err);
    spx_attr_free(a);
    if (rc != 0) {
        printf("service: spawn failed: %s\n", err.message);
        return 1;
    }
    int code = -1, sig = 0;
    spx_process_wait(p, &code, &sig);
    spx_process_free(p);
    printf("service: probe exit %d signal %d\n", code, sig);
    return code != 0 || sig != 0;
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
        if (i == 0) { /* keeping our gid and groups: setuid is the first refusal */
            spx_attr_set_uid(a, 0);
            spx_attr_set_gid(a, getgid());
            spx_attr_set_keep_groups(a, 1);
        }
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
    if (argc > 1 && !strcmp(argv[1], "--groups-caller")) return groups_caller_main();
    if (argc > 1 && !strcmp(argv[1], "--service")) return service_main();
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
        cmocka_unit_test(test_uid_needs_gid),
        cmocka_unit_test(test_groups_default_and_keep),
        cmocka_unit_test(test_service_ambient),
    };
    return cmocka_run_group_tests_name("creds", tests, setup, teardown);
}
