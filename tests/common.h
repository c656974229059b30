/* Shared test helpers: spawn the probe, capture its stdout, parse it. */
#ifndef SPX_TEST_COMMON_H
#define SPX_TEST_COMMON_H

#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <spx.h>

/* The probe program (tests/probe.c), from the SPX_PROBE environment variable. */
const char *probe_path(void);
/* The static build of the probe, for chroot tests (SPX_PROBE_STATIC). */
const char *probe_static_path(void);

/* What a finished child printed and how it ended. */
typedef struct run_result {
    int rc;            /* spx_spawn's return */
    spx_error err;
    int exit_code;
    int term_signal;
    char out[65536];   /* its stdout */
} run_result;

/* The suites' shared result buffer (too big for the stack), allocated by
 * suite_setup; suite_teardown frees it and checks no child was left. */
extern run_result *R;
int suite_setup(void **state);
int suite_teardown(void **state);

/*
 * Spawns path/argv with attr (its fd 1 is replaced by a pipe we read; attr
 * may be NULL), waits, and fills r. The attr is left as it was.
 */
void run(run_result *r, spx_attr *attr, const char *path, const char *const argv[], const char *const envp[]);
/* run() of the probe with the given commands (NULL-terminated). */
void run_probe(run_result *r, spx_attr *attr, ...);

/* The value after "key: " on the first line starting with key, or NULL. */
const char *field(const run_result *r, const char *key, char *buf, size_t len);
/* Does the output contain this exact line? */
int has_line(const run_result *r, const char *line);

/* Runs fn on n threads at once, thread i getting (char *)args + i * size,
 * and returns when all have finished. */
void run_threads(int n, void *(*fn)(void *), void *args, size_t size);

/* A thread that waits for p and stores the signal that ended it, for tests
 * that kill from one thread while another waits on the same handle. */
struct kill_wait {
    spx_process *p;
    int sig;
};
void *kill_wait_thread(void *arg); /* arg: a struct kill_wait */

/* A new attribute object holding seccomp filter f (asserts success). */
spx_attr *attr_with(const spx_seccomp *f);

/* Open descriptors of this process, to check nothing leaked. */
int count_fds(void);
/* Non-zero when a child of ours is a zombie (or any child exists). */
int has_children(void);
/* Skip the test (visibly) unless root. */
#define REQUIRE_ROOT()                                                         \
    do {                                                                       \
        if (geteuid() != 0) {                                                  \
            print_message("skipped: needs root\n");                            \
            skip();                                                            \
        }                                                                      \
    } while (0)
/* This test binary's own path, for tests that run it again as a child. */
void self_exe(char *buf, size_t len);
/* A fresh temporary directory (mkdtemp), and its recursive removal. */
void make_tmpdir(char *buf, size_t len);
void remove_tree(const char *path);

#endif
