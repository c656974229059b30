/* Waiting for and signalling children where the pidfd calls are refused:
 * waitid(P_PIDFD) on 5.2/5.3 kernels (CLONE_PIDFD works, P_PIDFD came in
 * 5.4), pidfd_send_signal under older container seccomp profiles (ENOSYS or
 * EPERM). Each case runs this binary again with a seccomp filter that
 * emulates it (see mode_main below), since the machine's own kernel has all
 * of them. */
#include "common.h"

#include <errno.h>
#include <limits.h>
#include <linux/filter.h>
#include <linux/seccomp.h>
#include <pthread.h>
#include <signal.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/prctl.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <unistd.h>

enum { IDTYPE_PIDFD = 3 }; /* P_PIDFD, spelled out: older headers lack it */

/* What a mode makes fail: system call nr (with first argument only_arg0
 * when that is >= 0) with errno err. nr < 0 installs no filter. */
struct mode {
    const char *name;
    int nr;
    int only_arg0;
    int err;
};

static const struct mode modes[] = {
    {"--plain", -1, -1, 0},
    {"--no-waitid-pidfd", __NR_waitid, IDTYPE_PIDFD, EINVAL},
    {"--pidfd-signal-enosys", __NR_pidfd_send_signal, -1, ENOSYS},
    {"--pidfd-signal-eperm", __NR_pidfd_send_signal, -1, EPERM},
};

/* ---- the outer tests: run this binary in a mode, expect "process: ok" ---- */

static void run_mode(const char *name) {
    char self[PATH_MAX];
    self_exe(self, sizeof self);
    const char *argv[] = {self, name, NULL};
    run(R, NULL, self, argv, NULL);
    assert_int_equal(R->rc, 0);
    if (R->exit_code != 0 || !has_line(R, "process: ok")) print_message("%s said:\n%s\n", name, R->out);
    assert_int_equal(R->exit_code, 0);
    assert_true(has_line(R, "process: ok"));
}

/* The same checks on the real calls: proves the checks themselves. */
static void test_plain(void **state) {
    (void)state;
    run_mode("--plain");
}

/* A 5.2/5.3 kernel: waitid(P_PIDFD) is EINVAL; wait, timed wait and the
 * reaping of a failed spawn go by pid. */
static void test_waitid_without_pidfd(void **state) {
    (void)state;
    run_mode("--no-waitid-pidfd");
}

/* A seccomp profile that does not know pidfd_send_signal: ENOSYS... */
static void test_pidfd_signal_enosys(void **state) {
    (void)state;
    run_mode("--pidfd-signal-enosys");
}

/* ...or EPERM, which must still come back when kill(2) refuses as well. */
static void test_pidfd_signal_eperm(void **state) {
    (void)state;
    run_mode("--pidfd-signal-eperm");
}

/* ---- the inner program ---- */

static int failures;
#define CHECK(cond)                                                                \
    do {                                                                           \
        if (!(cond)) {                                                             \
            printf("failed: %s (line %d)\n", #cond, __LINE__);                   \
            failures++;                                                            \
        }                                                                          \
    } while (0)

/* Makes m's system call fail in this process (and its children) from now on. */
static int install_filter(const struct mode *m) {
    /* the low half of the first argument (both supported ABIs are little-endian) */
    const unsigned arg0 = offsetof(struct seccomp_data, args[0]);
    struct sock_filter prog[6];
    unsigned short n = 0;
    prog[n++] = (struct sock_filter)BPF_STMT(BPF_LD | BPF_W | BPF_ABS, offsetof(struct seccomp_data, nr));
    prog[n++] = (struct sock_filter)BPF_JUMP(BPF_JMP | BPF_JEQ | BPF_K, (unsigned)m->nr, 0, m->only_arg0 >= 0 ? 3 : 1);
    if (m->only_arg0 >= 0) {
        prog[n++] = (struct sock_filter)BPF_STMT(BPF_LD | BPF_W | BPF_ABS, arg0);
        prog[n++] = (struct sock_filter)BPF_JUMP(BPF_JMP | BPF_JEQ | BPF_K, (unsigned)m->only_arg0, 0, 1);
    }
    prog[n++] = (struct sock_filter)BPF_STMT(BPF_RET | BPF_K, SECCOMP_RET_ERRNO | (unsigned)m->err);
    prog[n++] = (struct sock_filter)BPF_STMT(BPF_RET | BPF_K, SECCOMP_RET_ALLOW);
    struct sock_fprog fprog = {n, prog};
    if (prctl(PR_SET_NO_NEW_PRIVS, 1, 0, 0, 0) != 0) return errno;
    return syscall(SYS_seccomp, SECCOMP_SET_MODE_FILTER, 0, &fprog) == 0 ? 0 : errno;
}

/* The filter really answers: a call it catches fails with m->err, where
 * the kernel itself would say EBADF (no such pidfd). */
static void check_filter(const struct mode *m) {
    siginfo_t si;
    int rc = m->nr == __NR_waitid ? waitid((idtype_t)IDTYPE_PIDFD, (id_t)-1, &si, WEXITED | WNOHANG)
                                  : (int)syscall(SYS_pidfd_send_signal, -1, 0, NULL, 0);
    CHECK(rc == -1 && errno == m->err);
}

/* The probe with one or two commands (b may be NULL), running. */
static spx_process *start_probe(const spx_attr *attr, const char *a, const char *b) {
    const char *argv[] = {probe_path(), a, b, NULL};
    spx_process *p = NULL;
    assert_int_equal(spx_spawn(&p, attr, probe_path(), argv, NULL, NULL), 0);
    return p;
}

static void check_exit_code(void) {
    spx_process *p = start_probe(NULL, "exit=3", NULL);
    int code = -2, sig = -2;
    CHECK(spx_process_wait(p, &code, &sig) == 0);
    CHECK(code == 3 && sig == 0);
    spx_process_free(p);

    p = start_probe(NULL, "sleep=300", "exit=7");
    code = sig = -2;
    CHECK(spx_process_wait_timeout(p, 0, &code, &sig) == ETIMEDOUT);
    CHECK(spx_process_wait_timeout(p, 20, &code, &sig) == ETIMEDOUT);
    CHECK(code == -2); /* untouched while running */
    CHECK(spx_process_wait_timeout(p, 10000, &code, &sig) == 0);
    CHECK(code == 7 && sig == 0);
    code = sig = -2;
    CHECK(spx_process_wait(p, &code, &sig) == 0); /* again: the same status */
    CHECK(code == 7 && sig == 0);
    spx_process_free(p);
}

static void check_kill(void) {
    spx_process *p = start_probe(NULL, "sleep=20000", NULL);
    CHECK(spx_process_kill(p, 0) == 0); /* alive */
    CHECK(spx_process_kill(p, SIGKILL) == 0);
    int code = 0, sig = 0;
    CHECK(spx_process_wait(p, &code, &sig) == 0);
    CHECK(code == -1 && sig == SIGKILL);
    CHECK(spx_process_kill(p, SIGTERM) == ESRCH); /* reaped: never by pid */
    spx_process_free(p);

    p = start_probe(NULL, "sleep=20000", NULL);
    CHECK(spx_process_wait_timeout(p, 20, &code, &sig) == ETIMEDOUT);
    CHECK(spx_process_kill(p, SIGTERM) == 0);
    CHECK(spx_process_wait_timeout(p, 10000, &code, &sig) == 0);
    CHECK(sig == SIGTERM);
    spx_process_free(p);
}

/* Kill from one thread while another waits: the per-handle lock keeps the
 * pid fallbacks away from a reaped child. */
static void check_kill_during_wait(void) {
    for (int i = 0; i < 20; i++) {
        spx_process *p = start_probe(NULL, i % 2 ? "sleep=20000" : "sleep=0", NULL);
        struct kill_wait w = {p, -1};
        pthread_t t;
        CHECK(pthread_create(&t, NULL, kill_wait_thread, &w) == 0);
        int rc = spx_process_kill(p, SIGKILL);
        CHECK(rc == 0 || rc == ESRCH); /* ESRCH only once reaped */
        pthread_join(t, NULL);
        CHECK(w.sig == SIGKILL || (w.sig == 0 && i % 2 == 0));
        CHECK(spx_process_kill(p, SIGKILL) == ESRCH);
        spx_process_free(p);
    }
}

/* A child we may not signal (root only: it runs as nobody and we drop our
 * effective uid for a moment): EPERM comes back, through any fallback. */
static void check_kill_refused(void) {
    if (geteuid() != 0) return;
    const uint32_t nobody = 65534;
    spx_attr *a = spx_attr_new();
    CHECK(spx_attr_set_uid(a, nobody) == 0);
    CHECK(spx_attr_set_gid(a, nobody) == 0);
    CHECK(spx_attr_set_groups(a, NULL, 0) == 0);
    spx_process *p = start_probe(a, "sleep=20000", NULL);
    CHECK(seteuid(nobody - 1) == 0); /* neither the child's uid nor root */
    CHECK(spx_process_kill(p, 0) == EPERM);
    CHECK(spx_process_kill(p, SIGKILL) == EPERM);
    CHECK(seteuid(0) == 0);
    CHECK(spx_process_kill(p, SIGKILL) == 0);
    int sig = 0;
    CHECK(spx_process_wait(p, NULL, &sig) == 0);
    CHECK(sig == SIGKILL);
    spx_process_free(p);
    spx_attr_free(a);
}

/* A failed spawn reaps its child: no zombie is left (run while no other
 * child exists). */
static void check_failed_spawn(run_result *r) {
    const char *argv[] = {"x", NULL};
    run(r, NULL, "/nonexistent", argv, NULL);
    CHECK(r->rc == ENOENT);
    CHECK(r->err.stage == SPX_STAGE_EXEC);
    CHECK(!has_children());
}

static int mode_main(const struct mode *m) {
    if (m->nr >= 0) {
        int rc = install_filter(m);
        if (rc) {
            printf("process: cannot install the filter: %s\n", strerror(rc));
            return 1;
        }
        check_filter(m);
    }
    run_result *r = malloc(sizeof *r);
    CHECK(r != NULL);
    if (!r) return 1;
    check_failed_spawn(r); /* first: no other child to hide a zombie */
    check_kill_refused();  /* before any signal fallback is remembered */
    check_exit_code();
    check_kill();
    check_kill_during_wait();
    CHECK(!has_children());
    free(r);
    printf("process: %s\n", failures ? "FAILED" : "ok");
    return failures ? 1 : 0;
}

int main(int argc, char **argv) {
    for (size_t i = 0; argc > 1 && i < sizeof modes / sizeof modes[0]; i++)
        if (!strcmp(argv[1], modes[i].name)) return mode_main(&modes[i]);
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_plain),
        cmocka_unit_test(test_waitid_without_pidfd),
        cmocka_unit_test(test_pidfd_signal_enosys),
        cmocka_unit_test(test_pidfd_signal_eperm),
    };
    return cmocka_run_group_tests_name("process", tests, suite_setup, suite_teardown);
}
