/* The C API's argument checking: every setter, every bad input. */
#include "common.h"

#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

static void test_version_and_stage_names(void **state) {
    (void)state;
    assert_string_equal(spx_version(), "0.1.0");
    assert_string_equal(spx_stage_name(SPX_STAGE_SETUID), "setuid");
    assert_string_equal(spx_stage_name(SPX_STAGE_LANDLOCK), "landlock");
    assert_string_equal(spx_stage_name(SPX_STAGE_EXEC), "exec");
    assert_string_equal(spx_stage_name(SPX_STAGE_CHDIR), "chdir");
    assert_string_equal(spx_stage_name(-1), "unknown");
    assert_string_equal(spx_stage_name(9999), "unknown");
    for (int s = 0; s <= SPX_STAGE_SIGNALS; s++) assert_non_null(spx_stage_name(s));
}

static void test_cap_names(void **state) {
    (void)state;
    assert_int_equal(spx_cap_from_name("cap_sys_time"), 25);
    assert_int_equal(spx_cap_from_name("CAP_SYS_TIME"), 25);
    assert_int_equal(spx_cap_from_name("sys_time"), 25);
    assert_int_equal(spx_cap_from_name("Sys_Time"), 25);
    assert_int_equal(spx_cap_from_name("cap_chown"), 0);
    assert_int_equal(spx_cap_from_name("checkpoint_restore"), 40);
    assert_int_equal(spx_cap_from_name("cap_"), -1);
    assert_int_equal(spx_cap_from_name(""), -1);
    assert_int_equal(spx_cap_from_name("sys_timex"), -1);
    assert_int_equal(spx_cap_from_name(NULL), -1);
    assert_string_equal(spx_cap_name(25), "cap_sys_time");
    assert_string_equal(spx_cap_name(10), "cap_net_bind_service");
    assert_null(spx_cap_name(-1));
    assert_null(spx_cap_name(64));
    for (int c = 0; c <= 40; c++) assert_int_equal(spx_cap_from_name(spx_cap_name(c)), c);
}

static void test_null_handles(void **state) {
    (void)state;
    int caps[] = {1};
    uint32_t groups[] = {1};
    assert_int_equal(spx_attr_set_cwd(NULL, "/"), EINVAL);
    assert_int_equal(spx_attr_set_fd(NULL, 0, 0), EINVAL);
    assert_int_equal(spx_attr_set_search_path(NULL, 1), EINVAL);
    assert_int_equal(spx_attr_set_sigmask(NULL, NULL, 0), EINVAL);
    assert_int_equal(spx_attr_set_sigdefault(NULL, NULL, 0), EINVAL);
    assert_int_equal(spx_attr_set_uid(NULL, 1), EINVAL);
    assert_int_equal(spx_attr_set_gid(NULL, 1), EINVAL);
    assert_int_equal(spx_attr_set_groups(NULL, groups, 1), EINVAL);
    assert_int_equal(spx_attr_set_keep_groups(NULL, 1), EINVAL);
    assert_int_equal(spx_attr_set_keep_groups(NULL, 0), EINVAL);
    assert_int_equal(spx_attr_set_ambient(NULL, caps, 1), EINVAL);
    assert_int_equal(spx_attr_set_inheritable(NULL, caps, 1), EINVAL);
    assert_int_equal(spx_attr_set_bounding(NULL, caps, 1), EINVAL);
    assert_int_equal(spx_attr_set_no_new_privs(NULL, 1), EINVAL);
    assert_int_equal(spx_attr_set_chroot(NULL, "/"), EINVAL);
    assert_int_equal(spx_attr_set_execfd(NULL, 0), EINVAL);
    assert_int_equal(spx_attr_set_exec_dirfd(NULL, 0, 0), EINVAL);
    assert_int_equal(spx_attr_set_landlock_fd(NULL, 0), EINVAL);
    assert_int_equal(spx_attr_set_landlock(NULL, NULL), EINVAL);
    assert_int_equal(spx_attr_set_seccomp(NULL, NULL), EINVAL);
    assert_int_equal(spx_attr_set_seccomp_bpf(NULL, NULL, 0), EINVAL);
    assert_int_equal(spx_attr_set_appcontainer(NULL, "x", NULL, 0), EINVAL);
    assert_int_equal(spx_process_wait(NULL, NULL, NULL), EINVAL);
    assert_int_equal(spx_process_wait_timeout(NULL, 0, NULL, NULL), EINVAL);
    assert_int_equal(spx_process_kill(NULL, SIGTERM), EINVAL);
    assert_int_equal(spx_process_pid(NULL), -1);
    assert_int_equal(spx_process_pidfd(NULL), -1);
    spx_attr_free(NULL);
    spx_process_free(NULL);
    spx_landlock_free(NULL);
    spx_seccomp_free(NULL);

    spx_error err;
    assert_int_equal(spx_spawn(NULL, NULL, "/bin/true", NULL, NULL, &err), EINVAL);
    assert_int_equal(err.code, EINVAL);
    assert_int_equal(err.stage, SPX_STAGE_PREPARE);
}

static void test_bad_arguments(void **state) {
    (void)state;
    spx_attr *a = spx_attr_new();
    assert_non_null(a);
    /* strings */
    assert_int_equal(spx_attr_set_cwd(a, ""), EINVAL);
    assert_int_equal(spx_attr_set_chroot(a, ""), EINVAL);
    assert_int_equal(spx_attr_set_cwd(a, NULL), 0);
    /* flags */
    assert_int_equal(spx_attr_set_search_path(a, 2), EINVAL);
    assert_int_equal(spx_attr_set_search_path(a, -1), EINVAL);
    assert_int_equal(spx_attr_set_no_new_privs(a, 7), EINVAL);
    /* descriptors */
    assert_int_equal(spx_attr_set_fd(a, -1, 0), EINVAL);
    assert_int_equal(spx_attr_set_fd(a, 3, -2), EINVAL);
    assert_int_equal(spx_attr_set_fd(a, 3, 999999), EBADF);
    int p[2];
    assert_int_equal(pipe(p), 0);
    close(p[1]);
    assert_int_equal(spx_attr_set_fd(a, 3, p[1]), EBADF); /* closed */
    assert_int_equal(spx_attr_set_execfd(a, -2), EINVAL);
    assert_int_equal(spx_attr_set_execfd(a, p[1]), EBADF);
    assert_int_equal(spx_attr_set_exec_dirfd(a, p[1], 0), EBADF);
    assert_int_equal(spx_attr_set_exec_dirfd(a, p[0], 0), ENOTDIR);
    assert_int_equal(spx_attr_set_exec_dirfd(a, -1, 0x1), EINVAL);
    int dir = open("/", O_RDONLY | O_DIRECTORY | O_CLOEXEC);
    assert_int_equal(spx_attr_set_exec_dirfd(a, dir, 0x4000), EINVAL);
    assert_int_equal(spx_attr_set_landlock_fd(a, -5), EINVAL);
    assert_int_equal(spx_attr_set_landlock_fd(a, 999999), EBADF);
    close(dir);
    close(p[0]);
    /* ids */
    assert_int_equal(spx_attr_set_uid(a, UINT32_MAX), EINVAL);
    assert_int_equal(spx_attr_set_gid(a, UINT32_MAX), EINVAL);
    uint32_t bad_groups[] = {1, UINT32_MAX};
    assert_int_equal(spx_attr_set_groups(a, bad_groups, 2), EINVAL);
    assert_int_equal(spx_attr_set_groups(a, NULL, 3), EINVAL);
    assert_int_equal(spx_attr_set_groups(a, bad_groups, 70000), EINVAL);
    assert_int_equal(spx_attr_set_keep_groups(a, 2), EINVAL);
    assert_int_equal(spx_attr_set_keep_groups(a, -1), EINVAL);
    assert_int_equal(spx_attr_set_keep_groups(a, 1), 0);
    assert_int_equal(spx_attr_set_keep_groups(a, 0), 0);
    /* capabilities */
    int last = 0;
    FILE *f = fopen("/proc/sys/kernel/cap_last_cap", "r");
    assert_non_null(f);
    assert_int_equal(fscanf(f, "%d", &last), 1);
    fclose(f);
    int above[] = {last + 1};
    int negative[] = {-1};
    assert_int_equal(spx_attr_set_ambient(a, above, 1), EINVAL);
    assert_int_equal(spx_attr_set_ambient(a, negative, 1), EINVAL);
    assert_int_equal(spx_attr_set_inheritable(a, above, 1), EINVAL);
    assert_int_equal(spx_attr_set_bounding(a, above, 1), EINVAL);
    assert_int_equal(spx_attr_set_ambient(a, NULL, 1), EINVAL);
    int top[] = {last};
    assert_int_equal(spx_attr_set_ambient(a, top, 1), 0);
    /* signals */
    int sig0[] = {0}, sig65[] = {65}, kill_[] = {SIGKILL}, stop_[] = {SIGSTOP};
    assert_int_equal(spx_attr_set_sigmask(a, sig0, 1), EINVAL);
    assert_int_equal(spx_attr_set_sigmask(a, sig65, 1), EINVAL);
    assert_int_equal(spx_attr_set_sigdefault(a, kill_, 1), EINVAL);
    assert_int_equal(spx_attr_set_sigdefault(a, stop_, 1), EINVAL);
    assert_int_equal(spx_attr_set_sigdefault(a, NULL, 1), EINVAL);
    /* seccomp */
    unsigned char insn[8] = {0};
    assert_int_equal(spx_attr_set_seccomp_bpf(a, insn, 0), EINVAL);
    assert_int_equal(spx_attr_set_seccomp_bpf(a, NULL, 1), EINVAL);
    assert_int_equal(spx_attr_set_seccomp_bpf(a, insn, 4097), EINVAL);
    assert_int_equal(spx_attr_set_seccomp_bpf(a, NULL, 0), 0);
    /* Windows only */
    assert_int_equal(spx_attr_set_appcontainer(a, "app", NULL, 0), ENOTSUP);
    spx_attr_free(a);
}

/* A rejected call leaves the attr as it was: observe it from a child. */
static void test_rejected_call_changes_nothing(void **state) {
    (void)state;
    spx_attr *a = spx_attr_new();
    assert_int_equal(spx_attr_set_cwd(a, "/usr"), 0);
    assert_int_equal(spx_attr_set_cwd(a, ""), EINVAL);
    int devnull = open("/dev/null", O_RDONLY | O_CLOEXEC);
    assert_int_equal(spx_attr_set_fd(a, 7, devnull), 0);
    assert_int_equal(spx_attr_set_fd(a, 7, 999999), EBADF);
    assert_int_equal(spx_attr_set_sigmask(a, (int[]){SIGUSR1}, 1), 0);
    assert_int_equal(spx_attr_set_sigmask(a, (int[]){SIGUSR2, 99}, 2), EINVAL);
    close(devnull);
    run_result *r = malloc(sizeof *r);
    run_probe(r, a, "cwd", "fds", "status", NULL);
    assert_int_equal(r->rc, 0);
    assert_true(has_line(r, "cwd: /usr"));
    assert_true(has_line(r, "fd: 7 -> /dev/null"));
    char buf[64];
    assert_string_equal(field(r, "SigBlk", buf, sizeof buf), "0000000000000200"); /* SIGUSR1 only */
    free(r);
    spx_attr_free(a);
}

static void test_spawn_bad_arguments(void **state) {
    (void)state;
    spx_process *p = (spx_process *)0x1;
    spx_error err;
    assert_int_equal(spx_spawn(&p, NULL, NULL, NULL, NULL, &err), EINVAL);
    assert_null(p);
    assert_int_equal(err.stage, SPX_STAGE_PREPARE);
    assert_int_equal(spx_spawn(&p, NULL, "", NULL, NULL, &err), EINVAL);
    assert_int_equal(spx_spawn(&p, NULL, "/bin/true", NULL, NULL, NULL), 0); /* err may be NULL */
    int code = -5;
    assert_int_equal(spx_process_wait(p, &code, NULL), 0);
    assert_int_equal(code, 0);
    spx_process_free(p);
}

int main(void) {
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_version_and_stage_names),
        cmocka_unit_test(test_cap_names),
        cmocka_unit_test(test_null_handles),
        cmocka_unit_test(test_bad_arguments),
        cmocka_unit_test(test_rejected_call_changes_nothing),
        cmocka_unit_test(test_spawn_bad_arguments),
    };
    return cmocka_run_group_tests_name("attr", tests, NULL, NULL);
}
