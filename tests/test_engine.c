/*
 * The engine's own guarantees, each found by a security review and each
 * checked from the outside on real children: the dumpable flag under
 * concurrent spawns, chroot leaving no way out, descriptors above the soft
 * limit on kernels without close_range, a thread with a minimal stack, child
 * descriptor bounds, a child killed before exec, PATH search for the child's
 * identity.
 */
#include "common.h"

#include <errno.h>
#include <fcntl.h>
#include <inttypes.h>
#include <limits.h>
#include <pthread.h>
#include <signal.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/prctl.h>
#include <sys/mman.h>
#include <sys/random.h>
#include <sys/resource.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#define NOBODY 65534

/* Runs this test binary again as "self MODE ARGS..." under attr (NULL: a
 * fresh one) and expects "MODE: ok" from it. */
static void run_self(spx_attr *attr, const char *mode, const char *arg) {
    char self[PATH_MAX];
    self_exe(self, sizeof self);
    const char *argv[] = {self, mode, arg, NULL};
    run(R, attr, self, argv, NULL);
    assert_int_equal(R->rc, 0);
    char want[64];
    snprintf(want, sizeof want, "%s: ok", mode);
    if (R->exit_code != 0 || !has_line(R, want)) print_message("%s said:\n%s\n", mode, R->out);
    assert_int_equal(R->exit_code, 0);
    assert_true(has_line(R, want));
}

/* An attr whose seccomp filter answers syscall with action. */
static spx_attr *filtered(const char *syscall, uint32_t action) {
    spx_seccomp *f;
    assert_int_equal(spx_seccomp_new(&f, SPX_SECCOMP_ALLOW), 0);
    assert_int_equal(spx_seccomp_add(f, syscall, action), 0);
    spx_attr *a = spx_attr_new();
    assert_int_equal(spx_attr_set_seccomp(a, f), 0);
    spx_seccomp_free(f);
    return a;
}

/* ------------------------------------------------------------------------
 * 1. The dumpable flag belongs to the memory map every pre-exec child
 * shares with us. One thread spawns children that change uid, another
 * children under seccomp, for a few seconds; meanwhile a process running as
 * the children's uid tries to open /proc/<pid>/mem of every new process and
 * read a secret of ours through it. It must never succeed, and our flag must
 * end as it was.
 */
static unsigned char secret[16];
static atomic_int stop_spawning;

struct spawner {
    spx_attr *attr;
    int spawns, failures;
};

static void *spawn_loop(void *arg) {
    struct spawner *s = arg;
    const char *argv[] = {probe_path(), "exit=0", NULL};
    while (!atomic_load(&stop_spawning)) {
        spx_process *p;
        spx_error err;
        if (spx_spawn(&p, s->attr, probe_path(), argv, NULL, &err) != 0) {
            s->failures++;
            continue;
        }
        int code = -1;
        spx_process_wait(p, &code, NULL);
        spx_process_free(p);
        s->failures += code != 0;
        s->spawns++;
    }
    return NULL;
}

static void test_dumpable_concurrent(void **state) {
    (void)state;
    REQUIRE_ROOT();
    assert_int_equal(getrandom(secret, sizeof secret, 0), (ssize_t)sizeof secret);
    int before = prctl(PR_GET_DUMPABLE, 0, 0, 0, 0);
    assert_int_equal(before, 1);

    /* The attacker, as the children's uid; its stdout is a pipe we read. */
    int out[2];
    assert_int_equal(pipe2(out, O_CLOEXEC), 0);
    char self[PATH_MAX], where[96];
    self_exe(self, sizeof self);
    snprintf(where, sizeof where, "%p:", (void *)secret);
    for (size_t i = 0; i < sizeof secret; i++) snprintf(where + strlen(where), 3, "%02x", secret[i]);
    const char *argv[] = {self, "--attacker", where, NULL};
    spx_attr *aa = spx_attr_new();
    assert_int_equal(spx_attr_set_uid(aa, NOBODY), 0);
    assert_int_equal(spx_attr_set_gid(aa, NOBODY), 0);
    assert_int_equal(spx_attr_set_fd(aa, 1, out[1]), 0);
    spx_process *attacker;
    spx_error err;
    assert_int_equal(spx_spawn(&attacker, aa, self, argv, NULL, &err), 0);
    close(out[1]);
    spx_attr_free(aa);

    struct spawner s[2] = {{spx_attr_new(), 0, 0}, {filtered("mkdir", SPX_SECCOMP_ERRNO(EPERM)), 0, 0}};
    assert_int_equal(spx_attr_set_uid(s[0].attr, NOBODY), 0);
    assert_int_equal(spx_attr_set_gid(s[0].attr, NOBODY), 0);
    atomic_store(&stop_spawning, 0);
    pthread_t t[2];
    for (int i = 0; i < 2; i++) assert_int_equal(pthread_create(&t[i], NULL, spawn_loop, &s[i]), 0);
    struct timespec three = {3, 0};
    nanosleep(&three, NULL);
    atomic_store(&stop_spawning, 1);
    for (int i = 0; i < 2; i++) pthread_join(t[i], NULL);

    assert_int_equal(spx_process_kill(attacker, SIGTERM), 0);
    char said[4096] = "";
    ssize_t n = read(out[0], said, sizeof said - 1);
    said[n > 0 ? n : 0] = '\0';
    close(out[0]);
    assert_int_equal(spx_process_wait(attacker, NULL, NULL), 0);
    spx_process_free(attacker);
    print_message("spawns: %d with a uid change, %d under seccomp; attacker: %s", s[0].spawns, s[1].spawns, said);
    assert_int_equal(s[0].failures + s[1].failures, 0);
    assert_true(s[0].spawns > 0 && s[1].spawns > 0);
    assert_null(strstr(said, "breach:"));
    assert_int_equal(prctl(PR_GET_DUMPABLE, 0, 0, 0, 0), before);
    spx_attr_free(s[0].attr);
    spx_attr_free(s[1].attr);
}

/* The attacker: for every process created after it, open its memory and
 * look for the parent's secret at the parent's address, until SIGTERM. */
static volatile sig_atomic_t attacker_stop;
static void on_term(int sig) { (void)sig, attacker_stop = 1; }

static int attacker_main(const char *where) {
    void *addr;
    char hex[33];
    if (sscanf(where, "%p:%32s", &addr, hex) != 2) return 2;
    unsigned char want[16];
    for (int i = 0; i < 16; i++) sscanf(hex + 2 * i, "%2hhx", &want[i]);
    struct sigaction sa = {.sa_handler = on_term};
    sigaction(SIGTERM, &sa, NULL);
    long tries = 0, opened = 0;
    while (!attacker_stop) {
        /* The children being created now are the newest pids. */
        int last = 0;
        FILE *f = fopen("/proc/sys/kernel/ns_last_pid", "re");
        if (!f || fscanf(f, "%d", &last) != 1) return 3;
        fclose(f);
        for (int pid = last - 1; pid <= last + 2; pid++) {
            char path[64];
            snprintf(path, sizeof path, "/proc/%d/mem", pid);
            int fd = open(path, O_RDONLY | O_CLOEXEC);
            tries++;
            if (fd < 0) continue;
            opened++;
            unsigned char got[16];
            if (pread(fd, got, sizeof got, (off_t)(uintptr_t)addr) == (ssize_t)sizeof got && !memcmp(got, want, 16)) {
                printf("breach: read the secret through /proc/%d/mem\n", pid);
                fflush(stdout);
                return 1;
            }
            close(fd);
        }
    }
    printf("%ld opens tried, %ld opened (children after exec), no breach\n", tries, opened);
    return 0;
}

/* ------------------------------------------------------------------------
 * 2. chroot without a working directory: the child starts at the new root,
 * not in the caller's directory, which would stay reachable outside it.
 */
static void test_chroot_leaves_nothing_outside(void **state) {
    (void)state;
    REQUIRE_ROOT();
    char dir[64], probe[128];
    make_tmpdir(dir, sizeof dir);
    snprintf(probe, sizeof probe, "%s/probe", dir);
    char cmd[512];
    snprintf(cmd, sizeof cmd, "cp %s %s", probe_static_path(), probe);
    assert_int_equal(system(cmd), 0);
    char here[PATH_MAX];
    assert_non_null(getcwd(here, sizeof here));
    assert_int_equal(chdir("/etc"), 0); /* the caller's cwd, outside the new root */
    spx_attr *a = spx_attr_new();
    assert_int_equal(spx_attr_set_chroot(a, dir), 0);
    const char *argv[] = {"probe", "cwd", "read=passwd", "read=../etc/passwd", "read=../../etc/passwd", NULL};
    run(R, a, "/probe", argv, NULL);
    assert_int_equal(chdir(here), 0);
    assert_int_equal(R->rc, 0);
    assert_true(has_line(R, "cwd: /"));
    assert_true(has_line(R, "read passwd: ENOENT"));
    assert_true(has_line(R, "read ../etc/passwd: ENOENT"));
    assert_true(has_line(R, "read ../../etc/passwd: ENOENT"));
    /* A cwd is relative to the new root. */
    assert_int_equal(mkdir(strcat(strcpy(cmd, dir), "/sub"), 0755), 0);
    assert_int_equal(spx_attr_set_cwd(a, "sub"), 0);
    run(R, a, "/probe", argv, NULL);
    assert_int_equal(R->rc, 0);
    assert_true(has_line(R, "cwd: /sub"));
    spx_attr_free(a);
    remove_tree(dir);
}

/* ------------------------------------------------------------------------
 * 6. Without close_range (emulated: a seccomp filter makes it ENOSYS, as on
 * Linux before 5.11), a descriptor above the soft RLIMIT_NOFILE, opened
 * without O_CLOEXEC, still never reaches the program.
 */
static void test_cloexec_without_close_range(void **state) {
    (void)state;
    spx_attr *a = filtered("close_range", SPX_SECCOMP_ERRNO(ENOSYS));
    run_self(a, "--no-close-range", NULL);
    spx_attr_free(a);
}

static int no_close_range_main(void) {
    struct rlimit rl;
    if (getrlimit(RLIMIT_NOFILE, &rl) != 0 || rl.rlim_max < 2048) {
        printf("--no-close-range: ok (skipped: hard RLIMIT_NOFILE below 2048)\n");
        return 0;
    }
    int high = (int)(rl.rlim_max < 5000 ? rl.rlim_max - 1 : 5000);
    int fd = open("/dev/null", O_RDONLY); /* no O_CLOEXEC: a careless caller */
    if (fd < 0 || dup2(fd, high) != high || dup2(fd, 700) != 700) return 2;
    rl.rlim_cur = 512; /* the descriptors now sit above the soft limit */
    if (setrlimit(RLIMIT_NOFILE, &rl) != 0) return 3;
    run_result *r = malloc(sizeof *r);
    run_probe(r, NULL, "fds", NULL);
    char want[32];
    int ok = r->rc == 0 && r->exit_code == 0 && strstr(r->out, "fd: 1 -> pipe:");
    snprintf(want, sizeof want, "fd: %d ->", high);
    ok = ok && !strstr(r->out, want) && !strstr(r->out, "fd: 700 ->");
    snprintf(want, sizeof want, "fd: %d ->", fd);
    ok = ok && !strstr(r->out, want);
    printf("%s--no-close-range: %s\n", ok ? "" : r->out, ok ? "ok" : "FAILED");
    free(r);
    return ok ? 0 : 1;
}

/* ------------------------------------------------------------------------
 * 9. A thread with the smallest stack POSIX allows can spawn.
 */
static void *small_stack_spawn(void *arg) {
    int *code = arg;
    const char *argv[] = {probe_path(), "exit=7", NULL};
    spx_process *p;
    spx_error err;
    if (spx_spawn(&p, NULL, probe_path(), argv, NULL, &err) == 0) {
        spx_process_wait(p, code, NULL);
        spx_process_free(p);
    }
    return NULL;
}

static void test_small_thread_stack(void **state) {
    (void)state;
    pthread_attr_t ta;
    pthread_attr_init(&ta);
    size_t below = 64 * 1024, size = PTHREAD_STACK_MIN;
    char *map = NULL;
    if (getenv("SPX_SANITIZED")) {
        /* Sanitizers' own frames need more than the minimum (and TSan takes
         * no caller-provided stack): still far less than the 33 KiB the
         * child once took. */
        assert_int_equal(pthread_attr_setstacksize(&ta, 4 * size), 0);
    } else {
        /* Our own stack with 64 KiB of inaccessible memory below it: a
         * frame that outgrows the stack faults here instead of silently
         * writing over whatever lies below a kernel-placed guard page. */
        map = mmap(NULL, below + size, PROT_NONE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
        assert_true(map != MAP_FAILED);
        assert_int_equal(mprotect(map + below, size, PROT_READ | PROT_WRITE), 0);
        assert_int_equal(pthread_attr_setstack(&ta, map + below, size), 0);
    }
    pthread_t t;
    int code = -1;
    assert_int_equal(pthread_create(&t, &ta, small_stack_spawn, &code), 0);
    pthread_join(t, NULL);
    pthread_attr_destroy(&ta);
    if (map) munmap(map, below + size);
    assert_int_equal(code, 7);
}

/* ------------------------------------------------------------------------
 * 10. Child descriptor numbers beyond what the kernel allows are refused
 * when set, not overflowed when planned.
 */
static void test_child_fd_bounds(void **state) {
    (void)state;
    FILE *f = fopen("/proc/sys/fs/nr_open", "r");
    assert_non_null(f);
    int nr_open = 0;
    assert_int_equal(fscanf(f, "%d", &nr_open), 1);
    fclose(f);
    int fds_before = count_fds();
    spx_attr *a = spx_attr_new();
    assert_int_equal(spx_attr_set_fd(a, INT_MAX, 1), EBADF);
    assert_int_equal(spx_attr_set_fd(a, INT_MAX, -1), EBADF);
    assert_int_equal(spx_attr_set_fd(a, nr_open, 1), EBADF);
    /* Nothing half-done: the object still spawns as before. */
    run_probe(R, a, "exit=3", NULL);
    assert_int_equal(R->rc, 0);
    assert_int_equal(R->exit_code, 3);
    /* The largest allowed number plans fine; the kernel may still refuse it
     * under RLIMIT_NOFILE, as a clean failure of the fds stage. */
    assert_int_equal(spx_attr_set_fd(a, nr_open - 1, 2), 0);
    run_probe(R, a, "exit=3", NULL);
    struct rlimit rl;
    getrlimit(RLIMIT_NOFILE, &rl);
    if (rl.rlim_cur < (rlim_t)nr_open) {
        assert_int_equal(R->err.stage, SPX_STAGE_FDS);
        assert_true(R->rc == EBADF || R->rc == EMFILE);
    } else {
        assert_int_equal(R->rc, 0);
    }
    spx_attr_free(a);
    assert_int_equal(count_fds(), fds_before);
}

/* An empty argv ({NULL}) is refused before anything runs. */
static void test_empty_argv(void **state) {
    (void)state;
    const char *argv[] = {NULL};
    int fds = count_fds();
    spx_process *p = (spx_process *)1;
    spx_error err;
    assert_int_equal(spx_spawn(&p, NULL, probe_path(), argv, NULL, &err), EINVAL);
    assert_int_equal(err.stage, SPX_STAGE_PREPARE);
    assert_non_null(strstr(err.message, "argv"));
    assert_false(has_children());
    assert_int_equal(count_fds(), fds);
}

/* ------------------------------------------------------------------------
 * 12. A child killed by a signal before exec (here: an inherited seccomp
 * filter that kills on close_range, which the fds stage calls) is a failed
 * spawn, with the stage it died in and the signal in the message.
 */
static void test_killed_before_exec(void **state) {
    (void)state;
    spx_attr *a = filtered("close_range", SPX_SECCOMP_KILL_PROCESS);
    run_self(a, "--killed-before-exec", NULL);
    spx_attr_free(a);
}

static int killed_before_exec_main(void) {
    struct rlimit none = {0, 0};
    setrlimit(RLIMIT_CORE, &none);
    run_result *r = malloc(sizeof *r);
    int fds = count_fds();
    run_probe(r, NULL, "exit=0", NULL);
    int ok = r->rc == EINTR && r->err.code == EINTR && r->err.stage == SPX_STAGE_FDS &&
             strstr(r->err.message, "SIGSYS") && !has_children() && count_fds() == fds;
    printf("%s (rc %d, stage %d)\n--killed-before-exec: %s\n", r->err.message, r->rc, r->err.stage,
           ok ? "ok" : "FAILED");
    free(r);
    return ok ? 0 : 1;
}

/* ------------------------------------------------------------------------
 * PATH search for a uid-changing spawn takes the first program the child
 * can execute, not one only the caller (root) can.
 */
static void test_path_search_for_child_identity(void **state) {
    (void)state;
    REQUIRE_ROOT();
    char dir[64], path[256], cmd[2048];
    make_tmpdir(dir, sizeof dir);
    assert_int_equal(chmod(dir, 0755), 0);
    for (int i = 0; i < 2; i++) {
        snprintf(path, sizeof path, "%s/d%d", dir, i);
        assert_int_equal(mkdir(path, 0755), 0);
        snprintf(cmd, sizeof cmd, "cp %s %s/spx-path-probe && chmod %s %s/spx-path-probe", probe_path(), path,
                 i == 0 ? "0700" : "0755", path);
        assert_int_equal(system(cmd), 0);
    }
    char *old = strdup(getenv("PATH"));
    snprintf(path, sizeof path, "%s/d0:%s/d1", dir, dir);
    setenv("PATH", path, 1);
    spx_attr *a = spx_attr_new();
    assert_int_equal(spx_attr_set_search_path(a, 1), 0);
    const char *argv[] = {"spx-path-probe", "exe", NULL};
    run(R, a, "spx-path-probe", argv, NULL); /* root: the first one */
    snprintf(path, sizeof path, "exe: %s/d0/spx-path-probe", dir);
    assert_true(has_line(R, path));
    assert_int_equal(spx_attr_set_uid(a, NOBODY), 0);
    assert_int_equal(spx_attr_set_gid(a, NOBODY), 0);
    run(R, a, "spx-path-probe", argv, NULL); /* nobody: the one it can run */
    setenv("PATH", old, 1);
    free(old);
    assert_int_equal(R->rc, 0);
    snprintf(path, sizeof path, "exe: %s/d1/spx-path-probe", dir);
    assert_true(has_line(R, path));
    spx_attr_free(a);
    remove_tree(dir);
}

int main(int argc, char **argv) {
    if (argc > 2 && !strcmp(argv[1], "--attacker")) return attacker_main(argv[2]);
    if (argc > 1 && !strcmp(argv[1], "--no-close-range")) return no_close_range_main();
    if (argc > 1 && !strcmp(argv[1], "--killed-before-exec")) return killed_before_exec_main();
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_dumpable_concurrent),
        cmocka_unit_test(test_chroot_leaves_nothing_outside),
        cmocka_unit_test(test_cloexec_without_close_range),
        cmocka_unit_test(test_small_thread_stack),
        cmocka_unit_test(test_child_fd_bounds),
        cmocka_unit_test(test_empty_argv),
        cmocka_unit_test(test_killed_before_exec),
        cmocka_unit_test(test_path_search_for_child_identity),
    };
    return cmocka_run_group_tests_name("engine", tests, suite_setup, suite_teardown);
}
