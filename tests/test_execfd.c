/* Executing a descriptor (Linux): spx_attr_set_execfd (O_PATH, read-only,
 * a sealed memfd of a deleted file, "#!" scripts, descriptor collisions)
 * and spx_attr_set_exec_dirfd (relative paths, symlinks). The probe says
 * from inside what was really executed and which descriptors it holds. */
#include "common.h"

#include <errno.h>
#include <fcntl.h>
#include <linux/filter.h>
#include <linux/seccomp.h>
#include <pthread.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/sendfile.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <unistd.h>

static char dir[64]; /* a fresh temporary directory per test */

static int dir_up(void **state) {
    (void)state;
    make_tmpdir(dir, sizeof dir);
    return 0;
}
static int dir_down(void **state) {
    (void)state;
    remove_tree(dir);
    return 0;
}

/* Copies the whole of fd `from` (from offset 0) into fd `to`. */
static void copy_fd(int from, int to) {
    struct stat st;
    assert_int_equal(fstat(from, &st), 0);
    off_t off = 0;
    while (off < st.st_size) {
        ssize_t n = sendfile(to, from, &off, (size_t)(st.st_size - off));
        assert_true(n > 0);
    }
}

/* A copy of the probe at dir/name, mode 0755. */
static void copy_probe(const char *path) {
    int in = open(probe_path(), O_RDONLY | O_CLOEXEC);
    assert_true(in >= 0);
    int out = open(path, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0755);
    assert_true(out >= 0);
    copy_fd(in, out);
    close(in);
    close(out);
}

static void write_file(const char *path, const char *text, mode_t mode) {
    int fd = open(path, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, mode);
    assert_true(fd >= 0);
    assert_int_equal(write(fd, text, strlen(text)), (ssize_t)strlen(text));
    close(fd);
}

/* An executable memfd, sealed against any change. vm.memfd_noexec may
 * require MFD_EXEC to get one. */
static int sealed_memfd(const char *name, int from) {
#ifdef MFD_EXEC
    int fd = memfd_create(name, MFD_ALLOW_SEALING | MFD_CLOEXEC | MFD_EXEC);
    if (fd < 0 && errno == EINVAL) fd = memfd_create(name, MFD_ALLOW_SEALING | MFD_CLOEXEC);
#else
    int fd = memfd_create(name, MFD_ALLOW_SEALING | MFD_CLOEXEC);
#endif
    assert_true(fd >= 0);
    copy_fd(from, fd);
    int seals = F_SEAL_SEAL | F_SEAL_SHRINK | F_SEAL_GROW | F_SEAL_WRITE;
    assert_int_equal(fcntl(fd, F_ADD_SEALS, seals), 0);
    assert_int_equal(fcntl(fd, F_GET_SEALS) & seals, seals);
    return fd;
}

/* Only 0, 1, 2 and these (count n) among the child's "fd: " lines. */
static void expect_only_fds(const int *extra, int n) {
    int lines = 0;
    for (const char *s = R->out; (s = strstr(s, "fd: ")); s++) {
        int fd = atoi(s + 4), ok = fd <= 2;
        for (int i = 0; i < n; i++) ok |= fd == extra[i];
        if (!ok) print_message("unexpected descriptor in the child: %.60s\n", s);
        assert_true(ok);
        lines++;
    }
    assert_int_equal(lines, 3 + n);
}

/* Spawns with path NULL (argv given) and returns through R. */
static void run_fd(spx_attr *a, const char *const argv[]) { run(R, a, NULL, argv, NULL); }

static void test_exec_opath_and_rdonly(void **state) {
    (void)state;
    int fds_before = count_fds();
    int flags[] = {O_PATH | O_CLOEXEC, O_RDONLY | O_CLOEXEC, O_RDONLY /* even without close-on-exec */};
    for (int i = 0; i < 3; i++) {
        int fd = open(probe_path(), flags[i]);
        assert_true(fd >= 0);
        spx_attr *a = spx_attr_new();
        assert_int_equal(spx_attr_set_execfd(a, fd), 0);
        close(fd); /* the attr holds a copy */
        const char *argv[] = {"by-fd", "argv0", "exe", "fds", NULL};
        run_fd(a, argv);
        assert_int_equal(R->rc, 0);
        assert_int_equal(R->exit_code, 0);
        assert_true(has_line(R, "argv0: by-fd"));
        char want[4200];
        snprintf(want, sizeof want, "exe: %s", probe_path());
        assert_true(has_line(R, want));
        expect_only_fds(NULL, 0); /* the exec fd is not inherited */
        spx_attr_free(a);
    }
    assert_int_equal(count_fds(), fds_before);
}

/* The probe copied into a sealed memfd, its file deleted first: runs. */
static void test_exec_sealed_memfd_of_deleted_file(void **state) {
    (void)state;
    char copy[128];
    snprintf(copy, sizeof copy, "%s/probe-copy", dir);
    copy_probe(copy);
    int file = open(copy, O_RDONLY | O_CLOEXEC);
    assert_true(file >= 0);
    assert_int_equal(unlink(copy), 0);
    int mfd = sealed_memfd("spx-probe-copy", file);
    close(file);
    assert_int_equal(access(copy, F_OK), -1); /* gone from disk */

    spx_attr *a = spx_attr_new();
    assert_int_equal(spx_attr_set_execfd(a, mfd), 0);
    close(mfd);
    const char *argv[] = {"sealed", "argv0", "exe", "fds", "exit=9", NULL};
    run_fd(a, argv);
    assert_int_equal(R->rc, 0);
    assert_int_equal(R->exit_code, 9);
    assert_true(has_line(R, "argv0: sealed"));
    assert_true(has_line(R, "exe: /memfd:spx-probe-copy (deleted)"));
    expect_only_fds(NULL, 0);
    spx_attr_free(a);
}

/* A "#!" script by descriptor: the interpreter reopens it as /dev/fd/N, so
 * the library keeps that one descriptor open for it. */
static void test_exec_script(void **state) {
    (void)state;
    char script[128];
    snprintf(script, sizeof script, "%s/script", dir);
    write_file(script, "#!/bin/sh\necho \"script: $0 $1\"\n[ -r \"$0\" ] && echo \"script fd open\"\nexit 4\n",
               0755);
    int flags[] = {O_RDONLY | O_CLOEXEC, O_PATH | O_CLOEXEC};
    for (int i = 0; i < 2; i++) {
        int fd = open(script, flags[i]);
        assert_true(fd >= 0);
        spx_attr *a = spx_attr_new();
        assert_int_equal(spx_attr_set_execfd(a, fd), 0);
        close(fd);
        const char *argv[] = {"my-script", "hello", NULL};
        run_fd(a, argv);
        assert_int_equal(R->rc, 0);
        assert_int_equal(R->exit_code, 4);
        assert_true(strncmp(R->out, "script: /dev/fd/", 16) == 0);
        assert_non_null(strstr(R->out, " hello\n"));
        assert_true(has_line(R, "script fd open"));
        spx_attr_free(a);
    }
    /* the same script from a sealed memfd */
    int file = open(script, O_RDONLY | O_CLOEXEC);
    int mfd = sealed_memfd("spx-script", file);
    close(file);
    spx_attr *a = spx_attr_new();
    assert_int_equal(spx_attr_set_execfd(a, mfd), 0);
    close(mfd);
    const char *argv[] = {"my-script", "from-memfd", NULL};
    run_fd(a, argv);
    assert_int_equal(R->rc, 0);
    assert_int_equal(R->exit_code, 4);
    assert_non_null(strstr(R->out, " from-memfd\n"));
    spx_attr_free(a);
}

/* For a program (not a script) the exec fd is invisible in the child even
 * next to mapped descriptors. */
static void test_exec_fd_not_visible(void **state) {
    (void)state;
    int fd = open(probe_path(), O_RDONLY | O_CLOEXEC);
    int extra = memfd_create("mapped", MFD_CLOEXEC);
    assert_true(fd >= 0 && extra >= 0);
    spx_attr *a = spx_attr_new();
    assert_int_equal(spx_attr_set_execfd(a, fd), 0);
    assert_int_equal(spx_attr_set_fd(a, 5, extra), 0);
    close(fd);
    close(extra);
    const char *argv[] = {"x", "fds", NULL};
    run_fd(a, argv);
    assert_int_equal(R->rc, 0);
    int mapped[] = {5};
    expect_only_fds(mapped, 1);
    assert_true(has_line(R, "fd: 5 -> /memfd:mapped (deleted)"));
    spx_attr_free(a);
}

/* Whatever number the attr's copy of the exec fd has, child fds 3..40 are
 * mapped over it: the child still executes the right file (and a script
 * still finds itself at its /dev/fd/N). */
static void test_fd_collision(void **state) {
    (void)state;
    enum { LO = 3, HI = 40 };
    char script[128];
    snprintf(script, sizeof script, "%s/script", dir);
    write_file(script, "#!/bin/sh\necho \"script: $0\"\n", 0755);
    const char *targets[] = {probe_path(), script};
    for (int t = 0; t < 2; t++) {
        spx_attr *a = spx_attr_new();
        int fd = open(targets[t], O_RDONLY | O_CLOEXEC);
        assert_true(fd >= 0);
        assert_int_equal(spx_attr_set_execfd(a, fd), 0);
        close(fd);
        for (int c = LO; c <= HI; c++) {
            char name[16];
            snprintf(name, sizeof name, "m%d", c);
            int m = memfd_create(name, MFD_CLOEXEC);
            assert_true(m >= 0);
            assert_int_equal(spx_attr_set_fd(a, c, m), 0);
            close(m);
        }
        const char *argv[] = {"collide", "argv0", "fds", NULL};
        run_fd(a, argv);
        assert_int_equal(R->rc, 0);
        assert_int_equal(R->exit_code, 0);
        if (t == 0) {
            assert_true(has_line(R, "argv0: collide"));
            int mapped[HI - LO + 1];
            for (int c = LO; c <= HI; c++) {
                char want[64];
                snprintf(want, sizeof want, "fd: %d -> /memfd:m%d (deleted)", c, c);
                assert_true(has_line(R, want));
                mapped[c - LO] = c;
            }
            expect_only_fds(mapped, HI - LO + 1);
        } else {
            assert_true(strncmp(R->out, "script: /dev/fd/", 16) == 0);
            assert_true(atoi(R->out + 16) > HI); /* moved out of the way */
        }
        spx_attr_free(a);
    }
}

static void test_exec_dirfd(void **state) {
    (void)state;
    char prog[128], link[128], sub[128];
    snprintf(prog, sizeof prog, "%s/prog", dir);
    snprintf(link, sizeof link, "%s/link", dir);
    snprintf(sub, sizeof sub, "%s/sub", dir);
    copy_probe(prog);
    assert_int_equal(symlink("prog", link), 0);
    assert_int_equal(mkdir(sub, 0755), 0);
    int dfd = open(dir, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
    assert_true(dfd >= 0);
    int fds_before = count_fds();

    spx_attr *a = spx_attr_new();
    assert_int_equal(spx_attr_set_exec_dirfd(a, dfd, 0), 0);
    const char *argv[] = {"rel", "argv0", "exe", "fds", NULL};
    char want[256];
    snprintf(want, sizeof want, "exe: %s", prog);
    run(R, a, "prog", argv, NULL);
    assert_int_equal(R->rc, 0);
    assert_true(has_line(R, want));
    expect_only_fds(NULL, 0); /* nor is the directory fd inherited */
    run(R, a, "link", argv, NULL); /* followed */
    assert_int_equal(R->rc, 0);
    assert_true(has_line(R, want));
    run(R, a, "./sub/../prog", argv, NULL);
    assert_int_equal(R->rc, 0);
    assert_true(has_line(R, want));

    /* SPX_AT_SYMLINK_NOFOLLOW: the symlink is refused, at exec */
    assert_int_equal(spx_attr_set_exec_dirfd(a, dfd, SPX_AT_SYMLINK_NOFOLLOW), 0);
    run(R, a, "link", argv, NULL);
    assert_int_equal(R->rc, ELOOP);
    assert_int_equal(R->err.stage, SPX_STAGE_EXEC);
    assert_string_equal(R->err.message, "exec: Too many levels of symbolic links: link");
    assert_string_equal(R->out, "");
    run(R, a, "prog", argv, NULL);
    assert_int_equal(R->rc, 0);
    assert_true(has_line(R, want));

    /* relative lookups stay relative to the dirfd, not the cwd */
    run(R, a, "missing", argv, NULL);
    assert_int_equal(R->rc, ENOENT);
    assert_int_equal(R->err.stage, SPX_STAGE_EXEC);
    /* the path is still needed */
    run(R, a, NULL, argv, NULL);
    assert_int_equal(R->rc, EINVAL);
    assert_int_equal(R->err.stage, SPX_STAGE_PREPARE);
    /* an O_PATH directory descriptor works too */
    int opath = open(dir, O_PATH | O_DIRECTORY | O_CLOEXEC);
    assert_int_equal(spx_attr_set_exec_dirfd(a, opath, 0), 0);
    close(opath);
    run(R, a, "link", argv, NULL);
    assert_int_equal(R->rc, 0);

    /* bad inputs, none of which changes the attr */
    int file = open(prog, O_RDONLY | O_CLOEXEC);
    int closed = open("/dev/null", O_RDONLY | O_CLOEXEC);
    close(closed);
    assert_int_equal(spx_attr_set_exec_dirfd(a, file, 0), ENOTDIR);
    assert_int_equal(spx_attr_set_exec_dirfd(a, closed, 0), EBADF);
    assert_int_equal(spx_attr_set_exec_dirfd(a, dfd, 0x200), EINVAL);
    assert_int_equal(spx_attr_set_exec_dirfd(a, dfd, ~SPX_AT_SYMLINK_NOFOLLOW), EINVAL);
    assert_int_equal(spx_attr_set_exec_dirfd(a, -2, 0), EINVAL);
    assert_int_equal(spx_attr_set_exec_dirfd(NULL, dfd, 0), EINVAL);
    close(file);
    run(R, a, "link", argv, NULL);
    assert_int_equal(R->rc, 0);
    /* -1 removes it: "prog" is then looked up from the cwd */
    assert_int_equal(spx_attr_set_exec_dirfd(a, -1, 0), 0);
    run(R, a, "prog", argv, NULL);
    assert_int_equal(R->rc, ENOENT);
    spx_attr_free(a);
    assert_int_equal(count_fds(), fds_before);
    close(dfd);
}

static void test_bad_inputs(void **state) {
    (void)state;
    int fds_before = count_fds();
    spx_attr *a = spx_attr_new();
    const char *argv[] = {"x", "echo=ran", NULL};

    int closed = open("/dev/null", O_RDONLY | O_CLOEXEC);
    close(closed);
    assert_int_equal(spx_attr_set_execfd(a, closed), EBADF);
    assert_int_equal(spx_attr_set_execfd(a, -2), EINVAL);
    assert_int_equal(spx_attr_set_execfd(NULL, -1), EINVAL);

    /* path NULL without an exec fd */
    run(R, a, NULL, argv, NULL);
    assert_int_equal(R->rc, EINVAL);
    assert_int_equal(R->err.stage, SPX_STAGE_PREPARE);

    /* a regular file without execute permission: EACCES at exec */
    char plain[128];
    snprintf(plain, sizeof plain, "%s/plain", dir);
    write_file(plain, "not a program\n", 0600);
    int fd = open(plain, O_RDONLY | O_CLOEXEC);
    assert_int_equal(spx_attr_set_execfd(a, fd), 0);
    close(fd);
    run(R, a, NULL, argv, NULL);
    assert_int_equal(R->rc, EACCES);
    assert_int_equal(R->err.stage, SPX_STAGE_EXEC);
    assert_string_equal(R->err.message, "exec: Permission denied: exec fd");
    assert_string_equal(R->out, "");

    /* a directory: EACCES at exec, as open or O_PATH */
    int dflags[] = {O_RDONLY | O_DIRECTORY | O_CLOEXEC, O_PATH | O_CLOEXEC};
    for (int i = 0; i < 2; i++) {
        fd = open(dir, dflags[i]);
        assert_int_equal(spx_attr_set_execfd(a, fd), 0);
        close(fd);
        run(R, a, NULL, argv, NULL);
        assert_int_equal(R->rc, EACCES);
        assert_int_equal(R->err.stage, SPX_STAGE_EXEC);
    }

    /* the probe: path NULL with argv works; argv NULL too needs a path */
    fd = open(probe_path(), O_PATH | O_CLOEXEC);
    assert_int_equal(spx_attr_set_execfd(a, fd), 0);
    close(fd);
    run(R, a, NULL, argv, NULL);
    assert_int_equal(R->rc, 0);
    assert_true(has_line(R, "ran"));
    spx_process *p = (spx_process *)&p;
    spx_error err;
    assert_int_equal(spx_spawn(&p, a, NULL, NULL, NULL, &err), EINVAL);
    assert_null(p);
    assert_int_equal(err.stage, SPX_STAGE_PREPARE);
    /* with an exec fd the path only names argv[0]: it need not exist */
    const char *argv0[] = {"ignored-path-check", "argv0", NULL};
    run(R, a, "/nonexistent/program", argv0, NULL);
    assert_int_equal(R->rc, 0);
    assert_true(has_line(R, "argv0: ignored-path-check"));
    /* the failed setters left the probe in place */
    assert_int_equal(spx_attr_set_execfd(a, closed), EBADF);
    run(R, a, NULL, argv, NULL);
    assert_int_equal(R->rc, 0);
    /* -1 removes it */
    assert_int_equal(spx_attr_set_execfd(a, -1), 0);
    run(R, a, NULL, argv, NULL);
    assert_int_equal(R->rc, EINVAL);
    assert_int_equal(R->err.stage, SPX_STAGE_PREPARE);

    spx_attr_free(a);
    assert_false(has_children());
    assert_int_equal(count_fds(), fds_before);
}

/*
 * Without execveat(2) (here: a seccomp filter making it ENOSYS, as on
 * kernels before 3.19) the child executes /proc/self/fd/N instead; with no
 * /proc (a chroot into an empty directory) the error says so.
 */
static void test_proc_fallback(void **state) {
    (void)state;
    struct sock_filter no_execveat[] = {
        BPF_STMT(BPF_LD | BPF_W | BPF_ABS, offsetof(struct seccomp_data, nr)),
        BPF_JUMP(BPF_JMP | BPF_JEQ | BPF_K, __NR_execveat, 0, 1),
        BPF_STMT(BPF_RET | BPF_K, SECCOMP_RET_ERRNO | ENOSYS),
        BPF_STMT(BPF_RET | BPF_K, SECCOMP_RET_ALLOW),
    };
    spx_attr *a = spx_attr_new();
    assert_int_equal(spx_attr_set_seccomp_bpf(a, no_execveat, 4), 0);
    int fd = open(probe_path(), O_PATH | O_CLOEXEC);
    assert_int_equal(spx_attr_set_execfd(a, fd), 0);
    close(fd);
    const char *argv[] = {"fallback", "argv0", "exe", "fds", NULL};
    run_fd(a, argv);
    assert_int_equal(R->rc, 0);
    assert_true(has_line(R, "argv0: fallback"));
    char want[4200];
    snprintf(want, sizeof want, "exe: %s", probe_path());
    assert_true(has_line(R, want));
    expect_only_fds(NULL, 0);

    /* a script through the fallback still finds itself */
    char script[128];
    snprintf(script, sizeof script, "%s/script", dir);
    write_file(script, "#!/bin/sh\necho \"script: $0\"\n", 0755);
    fd = open(script, O_RDONLY | O_CLOEXEC);
    assert_int_equal(spx_attr_set_execfd(a, fd), 0);
    close(fd);
    run_fd(a, argv);
    assert_int_equal(R->rc, 0);
    assert_true(strncmp(R->out, "script: /proc/self/fd/", 22) == 0);

    if (geteuid() != 0) {
        print_message("skipped the chroot half: needs root\n");
        spx_attr_free(a);
        return;
    }
    char empty[128];
    snprintf(empty, sizeof empty, "%s/empty", dir);
    assert_int_equal(mkdir(empty, 0755), 0);
    fd = open(probe_static_path(), O_PATH | O_CLOEXEC);
    assert_int_equal(spx_attr_set_execfd(a, fd), 0);
    close(fd);
    assert_int_equal(spx_attr_set_chroot(a, empty), 0);
    run_fd(a, argv);
    assert_int_equal(R->rc, ENOENT);
    assert_int_equal(R->err.stage, SPX_STAGE_EXEC);
    assert_string_equal(R->err.message, "exec: No such file or directory: no execveat(2) and /proc is not mounted");
    /* with execveat, a descriptor reaches a program outside the chroot */
    assert_int_equal(spx_attr_set_seccomp_bpf(a, NULL, 0), 0);
    run_fd(a, argv);
    assert_int_equal(R->rc, 0);
    assert_true(has_line(R, "argv0: fallback"));
    assert_true(has_line(R, "exe: ENOENT")); /* no /proc in there */
    spx_attr_free(a);
}

/* 1000 spawns of one sealed memfd from 4 threads sharing one attr. */
enum { THREADS = 4, PER_THREAD = 250 };
struct worker {
    const spx_attr *attr;
    int id, wrong;
};

static void *worker_main(void *arg) {
    struct worker *w = arg;
    for (int i = 0; i < PER_THREAD; i++) {
        int want = (w->id * 61 + i) % 256;
        char cmd[16];
        snprintf(cmd, sizeof cmd, "exit=%d", want);
        const char *argv[] = {"memfd", cmd, NULL};
        spx_process *p;
        int code = -2, sig = -2;
        if (spx_spawn(&p, w->attr, NULL, argv, NULL, NULL) != 0) {
            w->wrong++;
            continue;
        }
        if (spx_process_wait(p, &code, &sig) != 0 || code != want || sig != 0) w->wrong++;
        spx_process_free(p);
    }
    return NULL;
}

static void test_threads_memfd(void **state) {
    (void)state;
    int file = open(probe_path(), O_RDONLY | O_CLOEXEC);
    assert_true(file >= 0);
    int mfd = sealed_memfd("spx-probe-threads", file);
    close(file);
    spx_attr *a = spx_attr_new();
    assert_int_equal(spx_attr_set_execfd(a, mfd), 0);
    close(mfd);
    int fds_before = count_fds();
    struct worker w[THREADS];
    for (int i = 0; i < THREADS; i++) w[i] = (struct worker){a, i, 0};
    run_threads(THREADS, worker_main, w, sizeof w[0]);
    int wrong = 0;
    for (int i = 0; i < THREADS; i++) wrong += w[i].wrong;
    assert_int_equal(wrong, 0);
    assert_int_equal(count_fds(), fds_before);
    assert_false(has_children());
    spx_attr_free(a);
}

#define T(f) cmocka_unit_test_setup_teardown(f, dir_up, dir_down)

int main(void) {
    const struct CMUnitTest tests[] = {
        T(test_exec_opath_and_rdonly),
        T(test_exec_sealed_memfd_of_deleted_file),
        T(test_exec_script),
        T(test_exec_fd_not_visible),
        T(test_fd_collision),
        T(test_exec_dirfd),
        T(test_bad_inputs),
        T(test_proc_fallback),
        T(test_threads_memfd),
    };
    return cmocka_run_group_tests_name("execfd", tests, suite_setup, suite_teardown);
}
