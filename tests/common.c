#include "common.h"

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <ftw.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

run_result *R;

int suite_setup(void **state) {
    (void)state;
    R = malloc(sizeof *R);
    return R ? 0 : -1;
}

int suite_teardown(void **state) {
    (void)state;
    free(R);
    R = NULL;
    assert_false(has_children()); /* nothing left unreaped by any test */
    return 0;
}

const char *probe_path(void) {
    const char *p = getenv("SPX_PROBE");
    assert_non_null(p);
    return p;
}

const char *probe_static_path(void) {
    const char *p = getenv("SPX_PROBE_STATIC");
    assert_non_null(p);
    return p;
}

void run(run_result *r, spx_attr *attr, const char *path, const char *const argv[], const char *const envp[]) {
    memset(r, 0, sizeof *r);
    int p[2];
    assert_int_equal(pipe2(p, O_CLOEXEC), 0);
    spx_attr *own = attr ? NULL : spx_attr_new();
    spx_attr *a = attr ? attr : own;
    assert_int_equal(spx_attr_set_fd(a, 1, p[1]), 0);
    spx_process *proc = NULL;
    r->rc = spx_spawn(&proc, a, path, argv, envp, &r->err);
    close(p[1]);
    /* The attr holds a copy of the write end: replace it (fd 1 of a child
     * is fd 1 by default anyway) so the read below sees end-of-file. */
    assert_int_equal(spx_attr_set_fd(a, 1, 1), 0);
    size_t used = 0;
    ssize_t n;
    while ((n = read(p[0], r->out + used, sizeof r->out - 1 - used)) > 0) used += (size_t)n;
    r->out[used] = '\0';
    close(p[0]);
    if (r->rc == 0) {
        assert_int_equal(spx_process_wait(proc, &r->exit_code, &r->term_signal), 0);
        spx_process_free(proc);
    } else {
        assert_null(proc);
    }
    spx_attr_free(own);
}

void run_probe(run_result *r, spx_attr *attr, ...) {
    const char *argv[32] = {probe_path()};
    size_t n = 1;
    va_list ap;
    va_start(ap, attr);
    const char *s;
    while ((s = va_arg(ap, const char *)) && n < 31) argv[n++] = s;
    va_end(ap);
    argv[n] = NULL;
    run(r, attr, probe_path(), argv, NULL);
}

const char *field(const run_result *r, const char *key, char *buf, size_t len) {
    size_t klen = strlen(key);
    for (const char *line = r->out; *line;) {
        const char *end = strchr(line, '\n');
        if (!end) end = line + strlen(line);
        if ((size_t)(end - line) > klen && !strncmp(line, key, klen) && line[klen] == ':') {
            const char *v = line + klen + 1;
            while (*v == ' ' || *v == '\t') v++;
            const char *e = end;
            while (e > v && (e[-1] == ' ' || e[-1] == '\t')) e--; /* "Groups: 5 6 7 " */
            size_t n = (size_t)(e - v) < len - 1 ? (size_t)(e - v) : len - 1;
            memcpy(buf, v, n);
            buf[n] = '\0';
            return buf;
        }
        line = *end ? end + 1 : end;
    }
    return NULL;
}

int has_line(const run_result *r, const char *want) {
    size_t wlen = strlen(want);
    for (const char *line = r->out; *line;) {
        const char *end = strchr(line, '\n');
        if (!end) end = line + strlen(line);
        if ((size_t)(end - line) == wlen && !strncmp(line, want, wlen)) return 1;
        line = *end ? end + 1 : end;
    }
    return 0;
}

spx_attr *attr_with(const spx_seccomp *f) {
    spx_attr *a = spx_attr_new();
    assert_non_null(a);
    assert_int_equal(spx_attr_set_seccomp(a, f), 0);
    return a;
}

int count_fds(void) {
    DIR *d = opendir("/proc/self/fd");
    assert_non_null(d);
    int n = 0;
    struct dirent *e;
    while ((e = readdir(d)))
        if (e->d_name[0] != '.') n++;
    closedir(d);
    return n - 1; /* the directory's own descriptor */
}

int has_children(void) {
    siginfo_t si;
    memset(&si, 0, sizeof si);
    int rc = waitid(P_ALL, 0, &si, WEXITED | WNOHANG | WNOWAIT);
    return rc == 0; /* ECHILD when there is no child at all */
}

void make_tmpdir(char *buf, size_t len) {
    snprintf(buf, len, "/tmp/spx-test-XXXXXX");
    assert_non_null(mkdtemp(buf));
}

static int rm_one(const char *p, const struct stat *sb, int flag, struct FTW *ftw) {
    (void)sb, (void)flag, (void)ftw;
    return remove(p);
}

void remove_tree(const char *path) { nftw(path, rm_one, 16, FTW_DEPTH | FTW_PHYS); }

void self_exe(char *buf, size_t len) {
    ssize_t n = readlink("/proc/self/exe", buf, len - 1);
    assert_true(n > 0);
    buf[n] = '\0';
}

void run_threads(int n, void *(*fn)(void *), void *args, size_t size) {
    pthread_t t[64];
    assert_true(n > 0 && n <= 64);
    for (int i = 0; i < n; i++) assert_int_equal(pthread_create(&t[i], NULL, fn, (char *)args + (size_t)i * size), 0);
    for (int i = 0; i < n; i++) pthread_join(t[i], NULL);
}

void *kill_wait_thread(void *arg) {
    struct kill_wait *w = arg;
    spx_process_wait(w->p, NULL, &w->sig);
    return NULL;
}
