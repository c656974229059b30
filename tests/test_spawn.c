/* The engine: exit status, environment, cwd, PATH, descriptors, signals,
 * failure stages, waiting, killing, threads. Real children, checked from
 * inside by the probe. */
#include "common.h"

#include <errno.h>
#include <fcntl.h>
#include <libgen.h>
#include <limits.h>
#include <pthread.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/wait.h>
#include <unistd.h>



static void test_exit_codes(void **state) {
    (void)state;
    const char *codes[] = {"exit=0", "exit=3", "exit=255"};
    int want[] = {0, 3, 255};
    for (int i = 0; i < 3; i++) {
        run_probe(R, NULL, codes[i], NULL);
        assert_int_equal(R->rc, 0);
        assert_int_equal(R->exit_code, want[i]);
        assert_int_equal(R->term_signal, 0);
    }
}

static void test_killed_by_signal(void **state) {
    (void)state;
    run_probe(R, NULL, "raise=9", NULL);
    assert_int_equal(R->rc, 0);
    assert_int_equal(R->exit_code, -1);
    assert_int_equal(R->term_signal, SIGKILL);
    run_probe(R, NULL, "raise=15", NULL);
    assert_int_equal(R->term_signal, SIGTERM);
}

static void test_environment(void **state) {
    (void)state;
    setenv("SPX_TEST_INHERITED", "yes", 1);
    run_probe(R, NULL, "env", NULL);
    assert_true(has_line(R, "env: SPX_TEST_INHERITED=yes"));
    unsetenv("SPX_TEST_INHERITED");

    const char *argv[] = {probe_path(), "env", NULL};
    const char *envp[] = {"ONLY=1", "SECOND=two", NULL};
    run(R, NULL, probe_path(), argv, envp);
    assert_int_equal(R->rc, 0);
    assert_string_equal(R->out, "env: ONLY=1\nenv: SECOND=two\n");
    const char *empty[] = {NULL};
    run(R, NULL, probe_path(), argv, empty);
    assert_string_equal(R->out, "");
}

static void test_argv(void **state) {
    (void)state;
    const char *argv[] = {"custom-name", "argv0", NULL};
    run(R, NULL, probe_path(), argv, NULL);
    assert_true(has_line(R, "argv0: custom-name"));
    /* NULL argv means { path } */
    spx_process *p;
    assert_int_equal(spx_spawn(&p, NULL, "/bin/true", NULL, NULL, NULL), 0);
    int code;
    assert_int_equal(spx_process_wait(p, &code, NULL), 0);
    assert_int_equal(code, 0);
    spx_process_free(p);
}

static void test_cwd(void **state) {
    (void)state;
    char before[PATH_MAX];
    assert_non_null(getcwd(before, sizeof before));
    spx_attr *a = spx_attr_new();
    assert_int_equal(spx_attr_set_cwd(a, "/usr/share"), 0);
    run_probe(R, a, "cwd", NULL);
    assert_true(has_line(R, "cwd: /usr/share"));
    /* replaced by a second call, removed by NULL */
    assert_int_equal(spx_attr_set_cwd(a, "/"), 0);
    run_probe(R, a, "cwd", NULL);
    assert_true(has_line(R, "cwd: /"));
    assert_int_equal(spx_attr_set_cwd(a, NULL), 0);
    run_probe(R, a, "cwd", NULL);
    char want[PATH_MAX + 8];
    snprintf(want, sizeof want, "cwd: %s", before);
    assert_true(has_line(R, want));
    char after[PATH_MAX];
    assert_string_equal(getcwd(after, sizeof after), before); /* parent untouched */
    spx_attr_free(a);
}

static void test_path_search(void **state) {
    (void)state;
    char dir[PATH_MAX];
    snprintf(dir, sizeof dir, "%s", probe_path());
    char *old = getenv("PATH") ? strdup(getenv("PATH")) : NULL;
    char path[PATH_MAX + 16];
    snprintf(path, sizeof path, "/nonexistent:%s:/bin", dirname(dir));
    setenv("PATH", path, 1);

    spx_attr *a = spx_attr_new();
    const char *argv[] = {"spx-probe", "argv0", NULL};
    run(R, a, "spx-probe", argv, NULL);
    assert_int_equal(R->rc, ENOENT); /* no search by default: not in cwd */
    assert_int_equal(R->err.stage, SPX_STAGE_EXEC);

    assert_int_equal(spx_attr_set_search_path(a, 1), 0);
    run(R, a, "spx-probe", argv, NULL);
    assert_int_equal(R->rc, 0);
    assert_true(has_line(R, "argv0: spx-probe"));

    run(R, a, "no-such-program-spx", argv, NULL);
    assert_int_equal(R->rc, ENOENT);
    assert_int_equal(R->err.stage, SPX_STAGE_PREPARE);
    assert_non_null(strstr(R->err.message, "no-such-program-spx"));

    if (old) {
        setenv("PATH", old, 1);
        free(old);
    } else {
        unsetenv("PATH");
    }
    spx_attr_free(a);
}

static int memfd_named(const char *name) {
    int fd = memfd_create(name, MFD_CLOEXEC);
    assert_true(fd >= 0);
    return fd;
}

static void test_fd_swap(void **state) {
    (void)state;
    int x = memfd_named("A"), y = memfd_named("B");
    spx_attr *a = spx_attr_new();
    assert_int_equal(spx_attr_set_fd(a, x, y), 0);
    assert_int_equal(spx_attr_set_fd(a, y, x), 0);
    close(x);
    close(y); /* the attr holds its own copies */
    run_probe(R, a, "fds", NULL);
    char want[64];
    snprintf(want, sizeof want, "fd: %d -> /memfd:B (deleted)", x);
    assert_true(has_line(R, want));
    snprintf(want, sizeof want, "fd: %d -> /memfd:A (deleted)", y);
    assert_true(has_line(R, want));
    spx_attr_free(a);
}

/* child 0 <- parent 1 and child 1 <- parent 0, on the real numbers. */
static void test_fd_swap_stdio(void **state) {
    (void)state;
    int out[2];
    assert_int_equal(pipe2(out, O_CLOEXEC), 0);
    int in = memfd_named("stdin");
    spx_attr *a = spx_attr_new();
    assert_int_equal(spx_attr_set_fd(a, 0, out[1]), 0); /* child prints via 0 */
    assert_int_equal(spx_attr_set_fd(a, 1, in), 0);
    const char *argv[] = {probe_path(), "out=0", "fds", NULL};
    spx_process *p;
    assert_int_equal(spx_spawn(&p, a, probe_path(), argv, NULL, NULL), 0);
    close(out[1]);
    char buf[4096];
    ssize_t n = read(out[0], buf, sizeof buf - 1);
    assert_true(n > 0);
    buf[n] = '\0';
    assert_non_null(strstr(buf, "fd: 1 -> pipe:"));   /* "out=0" copied 0 onto 1 */
    assert_non_null(strstr(buf, "fd: 0 -> pipe:"));
    int code;
    assert_int_equal(spx_process_wait(p, &code, NULL), 0);
    assert_int_equal(code, 0);
    spx_process_free(p);
    close(out[0]);
    close(in);
    spx_attr_free(a);
}

/* A cycle over 60 numbers, so sources, targets and the error pipe collide. */
static void test_fd_cycle(void **state) {
    (void)state;
    enum { N = 60, BASE = 3 };
    spx_attr *a = spx_attr_new();
    for (int i = 0; i < N; i++) {
        char name[16];
        snprintf(name, sizeof name, "f%d", (i + 1) % N);
        int fd = memfd_named(name);
        assert_int_equal(spx_attr_set_fd(a, BASE + i, fd), 0);
        close(fd);
    }
    run_probe(R, a, "fds", NULL);
    assert_int_equal(R->rc, 0);
    for (int i = 0; i < N; i++) {
        char want[64];
        snprintf(want, sizeof want, "fd: %d -> /memfd:f%d (deleted)", BASE + i, (i + 1) % N);
        assert_true(has_line(R, want));
    }
    /* and nothing else above 2 besides the cycle */
    int lines = 0;
    for (const char *s = R->out; (s = strstr(s, "fd: ")); s++) lines++;
    assert_int_equal(lines, N + 3);
    spx_attr_free(a);
}

static void test_no_fd_leaks_into_child(void **state) {
    (void)state;
    int leaky = open("/etc/hostname", O_RDONLY); /* no O_CLOEXEC on purpose */
    int leaky_high = fcntl(leaky, F_DUPFD, 500);
    assert_true(leaky >= 0 && leaky_high >= 500);
    run_probe(R, NULL, "fds", NULL);
    assert_int_equal(R->rc, 0);
    assert_null(strstr(R->out, "fd: 3 "));
    for (const char *s = R->out; (s = strstr(s, "fd: ")); s++) {
        int fd = atoi(s + 4);
        assert_true(fd <= 2);
    }
    /* closing a child fd: child 2 closed */
    spx_attr *a = spx_attr_new();
    assert_int_equal(spx_attr_set_fd(a, 2, -1), 0);
    run_probe(R, a, "fds", NULL);
    assert_null(strstr(R->out, "fd: 2 "));
    assert_non_null(strstr(R->out, "fd: 0 "));
    close(leaky);
    close(leaky_high);
    spx_attr_free(a);
}

static void on_usr1(int sig) { (void)sig; }

static unsigned long long own_ignored_signals(void) {
    FILE *f = fopen("/proc/self/status", "r");
    assert_non_null(f);
    char line[256];
    unsigned long long mask = 0;
    while (fgets(line, sizeof line, f))
        if (sscanf(line, "SigIgn: %llx", &mask) == 1) break;
    fclose(f);
    return mask;
}

static void test_signals(void **state) {
    (void)state;
    struct sigaction sa = {.sa_handler = on_usr1}, old1, old2;
    sigemptyset(&sa.sa_mask);
    sigaction(SIGUSR1, &sa, &old1);
    struct sigaction ign = {.sa_handler = SIG_IGN};
    sigaction(SIGUSR2, &ign, &old2);
    sigset_t block, oldmask;
    sigemptyset(&block);
    sigaddset(&block, SIGTERM);
    pthread_sigmask(SIG_BLOCK, &block, &oldmask);

    /* What we ignore (SIGUSR2 plus whatever our own parent made us ignore). */
    unsigned long long ignored = own_ignored_signals();
    assert_true(ignored & (1ULL << (SIGUSR2 - 1)));
    char buf[64], want[32];
    run_probe(R, NULL, "sigdfl", "status", NULL);
    assert_int_equal(R->rc, 0);
    assert_null(strstr(R->out, "sigcaught")); /* our handler never reaches the child */
    snprintf(want, sizeof want, "%016llx", ignored);
    assert_string_equal(field(R, "SigIgn", buf, sizeof buf), want); /* ignored ones stay ignored */
    assert_string_equal(field(R, "SigBlk", buf, sizeof buf), "0000000000004000"); /* the caller's mask */

    spx_attr *a = spx_attr_new();
    assert_int_equal(spx_attr_set_sigdefault(a, (int[]){SIGUSR2}, 1), 0);
    assert_int_equal(spx_attr_set_sigmask(a, NULL, 0), 0);
    run_probe(R, a, "status", NULL);
    snprintf(want, sizeof want, "%016llx", ignored & ~(1ULL << (SIGUSR2 - 1)));
    assert_string_equal(field(R, "SigIgn", buf, sizeof buf), want);
    assert_string_equal(field(R, "SigBlk", buf, sizeof buf), "0000000000000000");
    assert_int_equal(spx_attr_set_sigmask(a, (int[]){SIGHUP, SIGINT}, 2), 0);
    run_probe(R, a, "status", NULL);
    assert_string_equal(field(R, "SigBlk", buf, sizeof buf), "0000000000000003");

    /* the parent's own state is as it was */
    sigset_t now;
    pthread_sigmask(SIG_SETMASK, NULL, &now);
    assert_true(sigismember(&now, SIGTERM));
    assert_false(sigismember(&now, SIGUSR1));
    pthread_sigmask(SIG_SETMASK, &oldmask, NULL);
    sigaction(SIGUSR1, &old1, NULL);
    sigaction(SIGUSR2, &old2, NULL);
    spx_attr_free(a);
}

static void test_failure_stages(void **state) {
    (void)state;
    int fds_before = count_fds();
    const char *argv[] = {"x", NULL};

    run(R, NULL, "/nonexistent/program", argv, NULL);
    assert_int_equal(R->rc, ENOENT);
    assert_int_equal(R->err.code, ENOENT);
    assert_int_equal(R->err.stage, SPX_STAGE_EXEC);
    assert_string_equal(R->err.message, "exec: No such file or directory: /nonexistent/program");

    char plain[] = "/tmp/spx-test-plain-XXXXXX"; /* mode 0600: not executable */
    close(mkstemp(plain));
    run(R, NULL, plain, argv, NULL);
    assert_int_equal(R->rc, EACCES);
    assert_int_equal(R->err.stage, SPX_STAGE_EXEC);
    unlink(plain);

    run(R, NULL, "/", argv, NULL); /* a directory */
    assert_int_equal(R->rc, EACCES);

    spx_attr *a = spx_attr_new();
    assert_int_equal(spx_attr_set_cwd(a, "/nonexistent-dir"), 0);
    run(R, a, probe_path(), argv, NULL);
    assert_int_equal(R->rc, ENOENT);
    assert_int_equal(R->err.stage, SPX_STAGE_CHDIR);
    assert_string_equal(R->err.message, "chdir: No such file or directory: /nonexistent-dir");
    assert_int_equal(spx_attr_set_cwd(a, "/etc/passwd"), 0);
    run(R, a, probe_path(), argv, NULL);
    assert_int_equal(R->rc, ENOTDIR);
    assert_int_equal(R->err.stage, SPX_STAGE_CHDIR);
    assert_string_equal(R->out, ""); /* the program never ran */
    spx_attr_free(a);

    /* failed spawns leave no child and no descriptor behind */
    assert_false(has_children());
    assert_int_equal(count_fds(), fds_before);
}

static void test_success_clears_error(void **state) {
    (void)state;
    spx_error err = {.code = 99, .stage = 99, .message = "stale"};
    spx_process *p;
    assert_int_equal(spx_spawn(&p, NULL, "/bin/true", NULL, NULL, &err), 0);
    assert_int_equal(err.code, 0);
    assert_int_equal(err.stage, SPX_STAGE_NONE);
    assert_string_equal(err.message, "");
    assert_int_equal(spx_process_wait(p, NULL, NULL), 0);
    spx_process_free(p);
}

static spx_process *start_sleeper(int ms) {
    char cmd[32];
    snprintf(cmd, sizeof cmd, "sleep=%d", ms);
    const char *argv[] = {probe_path(), cmd, NULL};
    spx_process *p = NULL;
    assert_int_equal(spx_spawn(&p, NULL, probe_path(), argv, NULL, NULL), 0);
    return p;
}

static void test_pidfd_kill_and_wait(void **state) {
    (void)state;
    spx_process *p = start_sleeper(20000);
    assert_true(spx_process_pid(p) > 0);
    assert_true(spx_process_pidfd(p) >= 0);
    assert_int_equal(fcntl(spx_process_pidfd(p), F_GETFD) & FD_CLOEXEC, FD_CLOEXEC);
    assert_int_equal(spx_process_kill(p, 0), 0); /* alive */
    assert_int_equal(spx_process_kill(p, -1), EINVAL);
    assert_int_equal(spx_process_kill(p, SIGKILL), 0);
    int code = 0, sig = 0;
    assert_int_equal(spx_process_wait(p, &code, &sig), 0);
    assert_int_equal(code, -1);
    assert_int_equal(sig, SIGKILL);
    /* again: the same status; killing a reaped child is ESRCH */
    code = sig = 0;
    assert_int_equal(spx_process_wait(p, &code, &sig), 0);
    assert_int_equal(sig, SIGKILL);
    assert_int_equal(spx_process_kill(p, SIGTERM), ESRCH);
    spx_process_free(p);
}

static void test_wait_timeout(void **state) {
    (void)state;
    spx_process *p = start_sleeper(20000);
    int code = 7, sig = 7;
    assert_int_equal(spx_process_wait_timeout(p, 0, &code, &sig), ETIMEDOUT);
    assert_int_equal(spx_process_wait_timeout(p, 50, &code, &sig), ETIMEDOUT);
    assert_int_equal(code, 7); /* untouched while running */
    assert_int_equal(spx_process_kill(p, SIGTERM), 0);
    assert_int_equal(spx_process_wait_timeout(p, 10000, &code, &sig), 0);
    assert_int_equal(sig, SIGTERM);
    spx_process_free(p);

    p = start_sleeper(10);
    assert_int_equal(spx_process_wait_timeout(p, 10000, &code, &sig), 0);
    assert_int_equal(code, 0);
    assert_int_equal(sig, 0);
    spx_process_free(p);
}

static void test_kill_during_wait(void **state) {
    (void)state;
    for (int i = 0; i < 50; i++) {
        spx_process *p = start_sleeper(i % 2 ? 20000 : 0);
        struct kill_wait w = {p, -1};
        pthread_t t;
        assert_int_equal(pthread_create(&t, NULL, kill_wait_thread, &w), 0);
        int rc = spx_process_kill(p, SIGKILL);
        assert_true(rc == 0 || rc == ESRCH); /* ESRCH only once reaped */
        pthread_join(t, NULL);
        assert_true(w.sig == SIGKILL || (w.sig == 0 && i % 2 == 0));
        assert_int_equal(spx_process_kill(p, SIGKILL), ESRCH);
        assert_int_equal(spx_process_core_dumped(p), 0);
        spx_process_free(p);
    }
    assert_int_equal(spx_process_core_dumped(NULL), 0);
}

/* Freeing without waiting never kills: the child is still ours to reap. */
static void test_free_never_kills(void **state) {
    (void)state;
    spx_process *p = start_sleeper(100);
    pid_t pid = (pid_t)spx_process_pid(p);
    spx_process_free(p);
    int status;
    assert_int_equal(waitpid(pid, &status, 0), pid);
    assert_true(WIFEXITED(status));
    assert_int_equal(WEXITSTATUS(status), 0);
}

enum { THREADS = 8, SPAWNS = 500 };
struct worker {
    const spx_attr *attr;
    int id;
    int wrong;
};

static void *spawn_many(void *arg) {
    struct worker *w = arg;
    for (int i = 0; i < SPAWNS; i++) {
        int want = (w->id * 37 + i) % 256;
        char cmd[16];
        snprintf(cmd, sizeof cmd, "exit=%d", want);
        const char *argv[] = {probe_path(), cmd, NULL};
        spx_process *p;
        spx_error err;
        int code = -2, sig = -2;
        if (spx_spawn(&p, w->attr, probe_path(), argv, NULL, &err) != 0) {
            w->wrong++;
            continue;
        }
        if (spx_process_wait(p, &code, &sig) != 0 || code != want || sig != 0) w->wrong++;
        spx_process_free(p);
    }
    return NULL;
}

static void test_threads(void **state) {
    (void)state;
    int fds_before = count_fds();
    spx_attr *a = spx_attr_new();
    assert_int_equal(spx_attr_set_cwd(a, "/"), 0); /* one shared, const attr */
    struct worker w[THREADS];
    for (int i = 0; i < THREADS; i++) w[i] = (struct worker){a, i, 0};
    run_threads(THREADS, spawn_many, w, sizeof w[0]);
    int wrong = 0;
    for (int i = 0; i < THREADS; i++) wrong += w[i].wrong;
    assert_int_equal(wrong, 0);
    assert_false(has_children());
    assert_int_equal(count_fds(), fds_before);
    spx_attr_free(a);
}

/*
 * The clone(2) fallback (no clone3, as under some container runtimes): run
 * this binary in a child whose seccomp filter makes clone3 fail with ENOSYS;
 * it then spawns with a caught signal handler and checks what its own
 * children got (see fallback_main below).
 */
static void test_clone_fallback(void **state) {
    (void)state;
    spx_seccomp *f;
    assert_int_equal(spx_seccomp_new(&f, SPX_SECCOMP_ALLOW), 0);
    assert_int_equal(spx_seccomp_add(f, "clone3", SPX_SECCOMP_ERRNO(ENOSYS)), 0);
    spx_attr *a = spx_attr_new();
    assert_int_equal(spx_attr_set_seccomp(a, f), 0);
    char self[PATH_MAX];
    self_exe(self, sizeof self);
    const char *argv[] = {self, "--fallback", NULL};
    run(R, a, self, argv, NULL);
    assert_int_equal(R->rc, 0);
    if (R->exit_code != 0) print_message("fallback child said: %s\n", R->out);
    assert_int_equal(R->exit_code, 0);
    assert_non_null(strstr(R->out, "fallback: ok"));
    spx_seccomp_free(f);
    spx_attr_free(a);
}

static int fallback_main(void) {
    struct sigaction sa = {.sa_handler = on_usr1};
    sigemptyset(&sa.sa_mask);
    sigaction(SIGUSR1, &sa, NULL);
    run_result *r = malloc(sizeof *r);
    run_probe(r, NULL, "sigdfl", "exit=5", NULL);
    int ok = r->rc == 0 && r->exit_code == 5 && !strstr(r->out, "sigcaught");
    spx_process *p = start_sleeper(20000);
    ok = ok && spx_process_kill(p, SIGKILL) == 0;
    int sig = 0;
    ok = ok && spx_process_wait(p, NULL, &sig) == 0 && sig == SIGKILL;
    spx_process_free(p);
    const char *argv[] = {"x", NULL};
    run(r, NULL, "/nonexistent", argv, NULL);
    ok = ok && r->rc == ENOENT && r->err.stage == SPX_STAGE_EXEC;
    printf("fallback: %s\n", ok ? "ok" : "FAILED");
    free(r);
    return ok ? 0 : 1;
}

int main(int argc, char **argv) {
    if (argc > 1 && !strcmp(argv[1], "--fallback")) return fallback_main();
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_exit_codes),
        cmocka_unit_test(test_killed_by_signal),
        cmocka_unit_test(test_environment),
        cmocka_unit_test(test_argv),
        cmocka_unit_test(test_cwd),
        cmocka_unit_test(test_path_search),
        cmocka_unit_test(test_fd_swap),
        cmocka_unit_test(test_fd_swap_stdio),
        cmocka_unit_test(test_fd_cycle),
        cmocka_unit_test(test_no_fd_leaks_into_child),
        cmocka_unit_test(test_signals),
        cmocka_unit_test(test_failure_stages),
        cmocka_unit_test(test_success_clears_error),
        cmocka_unit_test(test_pidfd_kill_and_wait),
        cmocka_unit_test(test_wait_timeout),
        cmocka_unit_test(test_kill_during_wait),
        cmocka_unit_test(test_free_never_kills),
        cmocka_unit_test(test_threads),
        cmocka_unit_test(test_clone_fallback),
    };
    return cmocka_run_group_tests_name("spawn", tests, suite_setup, suite_teardown);
}
