/* OCI seccomp profiles (spx_seccomp_from_oci): two profiles of our own
 * (tests/seccomp/) run real programs, and every malformed profile we could
 * think of gets a clear message naming its JSON path, with nothing leaked
 * (ASan) and nothing returned. */
#include "common.h"

#include <errno.h>
#include <fcntl.h>
#include <sched.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/stat.h>
#include <unistd.h>

#define CAP_SYS_ADMIN 21

static int setup(void **state) {
    (void)state;
    struct rlimit no_core = {0, 0};
    getrlimit(RLIMIT_CORE, &no_core);
    no_core.rlim_cur = 0; /* children die of SIGSYS on purpose */
    setrlimit(RLIMIT_CORE, &no_core);
    return suite_setup(state);
}

/* A file of tests/seccomp (SPX_TEST_DATA), NUL-terminated; free() it. */
static char *read_profile(const char *name, size_t *len) {
    const char *dir = getenv("SPX_TEST_DATA");
    assert_non_null(dir);
    char path[512];
    snprintf(path, sizeof path, "%s/%s", dir, name);
    FILE *f = fopen(path, "rb");
    assert_non_null(f);
    char *buf = malloc(1 << 20);
    assert_non_null(buf);
    *len = fread(buf, 1, (1 << 20) - 1, f);
    buf[*len] = '\0';
    fclose(f);
    return buf;
}

static spx_seccomp *load(const char *name, const int *caps, size_t ncaps) {
    size_t len;
    char *json = read_profile(name, &len);
    char err[256] = "untouched";
    spx_seccomp *f = NULL;
    int rc = spx_seccomp_from_oci_caps(&f, json, len, caps, ncaps, err, sizeof err);
    if (rc) print_message("%s: %s\n", name, err);
    assert_int_equal(rc, 0);
    assert_string_equal(err, "");
    assert_non_null(f);
    free(json);
    return f;
}

static void run_argv(spx_attr *a, const char *path, const char *arg1, const char *arg2) {
    const char *argv[] = {path, arg1, arg2, NULL};
    run(R, a, path, argv, NULL);
}

/* The allow-list runs ls, git --version and a threaded python3 (no clone3
 * in the list: spx answers ENOSYS and glibc falls back to clone, which
 * the profile allows without namespace flags). */
static void test_allowlist_runs_programs(void **state) {
    (void)state;
    spx_seccomp *f = load("allowlist.json", NULL, 0);
    assert_true(spx_seccomp_ignored(f) >= 1); /* spx_no_such_syscall */
    spx_attr *a = attr_with(f);
    spx_seccomp_free(f);

    run_argv(a, "/bin/ls", "-d", "/");
    assert_int_equal(R->rc, 0);
    assert_int_equal(R->term_signal, 0);
    assert_int_equal(R->exit_code, 0);
    assert_string_equal(R->out, "/\n");

    if (access("/usr/bin/git", X_OK) == 0) {
        run_argv(a, "/usr/bin/git", "--version", NULL);
        assert_int_equal(R->exit_code, 0);
        assert_non_null(strstr(R->out, "git version"));
    } else {
        print_message("no /usr/bin/git: skipped that program\n");
    }
    if (access("/usr/bin/python3", X_OK) == 0) {
        run_argv(a, "/usr/bin/python3", "-c",
                 "import threading; t = threading.Thread(target=print, args=('from a thread',)); t.start(); t.join()");
        assert_int_equal(R->term_signal, 0);
        assert_int_equal(R->exit_code, 0);
        assert_string_equal(R->out, "from a thread\n");
    } else {
        print_message("no /usr/bin/python3: skipped that program\n");
    }

    char nu[32];
    snprintf(nu, sizeof nu, "clone=%x", CLONE_NEWUSER);
    run_probe(R, a, "socket", "socket-unix", "thread", "clone=0", nu, "mkdir=/proc/spx-x", NULL);
    assert_int_equal(R->rc, 0);
    assert_true(has_line(R, "socket: EPERM"));    /* defaultErrnoRet 1 */
    assert_true(has_line(R, "socket-unix: ok"));  /* args: AF_UNIX only */
    assert_true(has_line(R, "thread: ok"));
    assert_true(has_line(R, "clone 0: ok"));
    char want[64];
    snprintf(want, sizeof want, "clone %x: EPERM", CLONE_NEWUSER); /* MASKED_EQ: no namespaces */
    assert_true(has_line(R, want));
    spx_attr_free(a);

    /* A child that keeps CAP_SYS_ADMIN gets the profile's other clone rule */
    if (geteuid() == 0) {
        int caps[] = {CAP_SYS_ADMIN};
        f = load("allowlist.json", caps, 1);
        a = attr_with(f);
        spx_seccomp_free(f);
        run_probe(R, a, nu, NULL);
        snprintf(want, sizeof want, "clone %x: ok", CLONE_NEWUSER);
        assert_true(has_line(R, want));
        spx_attr_free(a);
    }
}

/* The deny-list: its calls fail with their errnoRet, the rest works. */
static void test_denylist(void **state) {
    (void)state;
    spx_seccomp *f = load("denylist.json", NULL, 0);
    assert_int_equal(spx_seccomp_ignored(f), 0);
    spx_attr *a = attr_with(f);
    spx_seccomp_free(f);
    char dir[64], cmd[128], want[128];
    make_tmpdir(dir, sizeof dir);
    snprintf(cmd, sizeof cmd, "mkdir=%s/sub", dir);
    run_probe(R, a, cmd, "socket", "socket-unix", "status", NULL);
    assert_int_equal(R->rc, 0);
    snprintf(want, sizeof want, "mkdir %s/sub: EACCES", dir);
    assert_true(has_line(R, want));
    assert_true(has_line(R, "socket: EAFNOSUPPORT"));
    assert_true(has_line(R, "socket-unix: ok"));
    char buf[32];
    assert_string_equal(field(R, "Seccomp", buf, sizeof buf), "2");
    if (access("/usr/bin/python3", X_OK) == 0) {
        run_argv(a, "/usr/bin/python3", "-c", "print('ran')");
        assert_int_equal(R->exit_code, 0);
        assert_string_equal(R->out, "ran\n");
    }
    run_argv(a, "/bin/ls", "-d", dir);
    assert_int_equal(R->exit_code, 0);
    spx_attr_free(a);
    remove_tree(dir);
}

/* Flags, KILL spellings and the default errno, seen from the child. */
static void test_actions_and_flags(void **state) {
    (void)state;
    static const char json[] =
        "{\"defaultAction\": \"SCMP_ACT_ALLOW\", \"flags\": [\"SECCOMP_FILTER_FLAG_LOG\", \"SECCOMP_FILTER_FLAG_TSYNC\"],"
        " \"syscalls\": [{\"names\": [\"socket\"], \"action\": \"SCMP_ACT_KILL_THREAD\"},"
        "  {\"names\": [\"mkdir\", \"mkdirat\"], \"action\": \"SCMP_ACT_ERRNO\"}]}";
    spx_seccomp *f = NULL;
    char err[128];
    assert_int_equal(spx_seccomp_from_oci(&f, json, strlen(json), err, sizeof err), 0);
    spx_attr *a = attr_with(f);
    spx_seccomp_free(f);
    run_probe(R, a, "status", "mkdir=/proc/spx-x", "echo=before", "socket", "echo=after", NULL);
    assert_int_equal(R->rc, 0);
    char buf[32];
    assert_string_equal(field(R, "Seccomp_filters", buf, sizeof buf), "1");
    assert_true(has_line(R, "mkdir /proc/spx-x: EPERM")); /* ERRNO without errnoRet */
    assert_true(has_line(R, "before"));
    assert_false(has_line(R, "after"));
    assert_int_equal(R->term_signal, SIGSYS); /* KILL_THREAD kills the process */
    spx_attr_free(a);
}

/* includes/excludes for this kernel and architecture. */
static void test_includes_excludes(void **state) {
    (void)state;
    static const char json[] =
        "{\"defaultAction\": \"SCMP_ACT_ALLOW\", \"syscalls\": ["
        " {\"names\": [\"mkdir\", \"mkdirat\"], \"action\": \"SCMP_ACT_ERRNO\", \"errnoRet\": 18,"
        "  \"includes\": {\"minKernel\": \"999.0\"}},"
        " {\"names\": [\"mkdir\", \"mkdirat\"], \"action\": \"SCMP_ACT_ERRNO\", \"errnoRet\": 13,"
        "  \"excludes\": {\"arches\": [\"ppc64le\"], \"minKernel\": \"999.1\"}},"
        " {\"names\": [\"socket\"], \"action\": \"SCMP_ACT_ERRNO\", \"errnoRet\": 97,"
        "  \"includes\": {\"minKernel\": \"3.0\", \"arches\": [\"amd64\", \"arm64\", \"SCMP_ARCH_RISCV64\"]}},"
        " {\"names\": [\"socket\"], \"action\": \"SCMP_ACT_ERRNO\", \"errnoRet\": 1,"
        "  \"excludes\": {\"minKernel\": \"3.0\"}}"
        "]}";
    spx_seccomp *f = NULL;
    char err[128];
    assert_int_equal(spx_seccomp_from_oci(&f, json, strlen(json), err, sizeof err), 0);
    spx_attr *a = attr_with(f);
    spx_seccomp_free(f);
    run_probe(R, a, "mkdir=/proc/spx-x", "socket", NULL);
    assert_true(has_line(R, "mkdir /proc/spx-x: EACCES"));
#if defined(__x86_64__) || defined(__aarch64__) || (defined(__riscv) && __riscv_xlen == 64)
    assert_true(has_line(R, "socket: EAFNOSUPPORT"));
#endif
    spx_attr_free(a);
}

struct bad_case {
    const char *json;
    int rc;
    const char *msg; /* the whole message */
};

/* Every malformed profile: its errno, its message, *out untouched. */
static void test_malformed(void **state) {
    (void)state;
    static const struct bad_case cases[] = {
        {"", EINVAL, "(root): empty profile"},
        {" \n\t ", EINVAL, "(root): empty profile"},
        {"{", EINVAL, "(root): bad JSON at byte 1: unexpected end of data"},
        {"{\"defaultAction\": \"SCMP_ACT_ALLOW\",}", EINVAL, NULL},
        {"{\"defaultAction\": \"SCMP_ACT_ALLOW\"} x", EINVAL, "(root): bad JSON at byte 36: unexpected character"},
        {"{'defaultAction': 1}", EINVAL, NULL},
        {"[]", EINVAL, "(root): expected an object, got an array"},
        {"null", EINVAL, "(root): expected an object, got null"},
        {"{}", EINVAL, "defaultAction: missing"},
        {"{\"defaultAction\": 1}", EINVAL, "defaultAction: expected a string such as \"SCMP_ACT_ERRNO\", got an integer"},
        {"{\"defaultAction\": \"SCMP_ACT_FOO\"}", EINVAL, "defaultAction: unknown action \"SCMP_ACT_FOO\""},
        {"{\"defaultAction\": \"SCMP_ACT_NOTIFY\"}", ENOTSUP,
         "defaultAction: SCMP_ACT_NOTIFY needs a supervisor process (a seccomp notification listener), which spx "
         "does not run"},
        {"{\"defaultAction\": \"SCMP_ACT_ALLOW\", \"syscals\": []}", EINVAL, "(root): unknown key \"syscals\""},
        {"{\"defaultAction\": \"SCMP_ACT_ERRNO\", \"defaultErrnoRet\": -1}", EINVAL,
         "defaultErrnoRet: expected an unsigned integer, got -1"},
        {"{\"defaultAction\": \"SCMP_ACT_ERRNO\", \"defaultErrnoRet\": 4095}", EINVAL,
         "defaultErrnoRet: 4095 is over the maximum 4094"},
        {"{\"defaultAction\": \"SCMP_ACT_ERRNO\", \"defaultErrnoRet\": 1.5}", EINVAL,
         "defaultErrnoRet: expected an unsigned integer, got a non-integer number"},
        {"{\"defaultAction\": \"SCMP_ACT_ALLOW\", \"defaultErrnoRet\": 1}", EINVAL,
         "defaultErrnoRet: only a defaultAction of SCMP_ACT_ERRNO takes an errno"},
        {"{\"defaultAction\": \"SCMP_ACT_ALLOW\", \"architectures\": \"SCMP_ARCH_X86_64\"}", EINVAL,
         "architectures: expected an array of strings, got a string"},
        {"{\"defaultAction\": \"SCMP_ACT_ALLOW\", \"architectures\": [\"SCMP_ARCH_PDP11\"]}", EINVAL,
         "architectures[0]: unknown architecture \"SCMP_ARCH_PDP11\""},
        {"{\"defaultAction\": \"SCMP_ACT_ALLOW\", \"architectures\": [\"SCMP_ARCH_S390X\"]}", ENOTSUP,
         "architectures: the profile does not list this machine's architecture"},
        {"{\"defaultAction\": \"SCMP_ACT_ALLOW\", \"flags\": [\"SECCOMP_FILTER_FLAG_SPEC_ALLOW\"]}", ENOTSUP,
         "flags[0]: SECCOMP_FILTER_FLAG_SPEC_ALLOW turns off a speculation mitigation; spx does not"},
        {"{\"defaultAction\": \"SCMP_ACT_ALLOW\", \"flags\": [\"SECCOMP_FILTER_FLAG_X\"]}", EINVAL,
         "flags[0]: unknown flag \"SECCOMP_FILTER_FLAG_X\""},
        {"{\"defaultAction\": \"SCMP_ACT_ALLOW\", \"syscalls\": {}}", EINVAL, "syscalls: expected an array, got an object"},
        {"{\"defaultAction\": \"SCMP_ACT_ALLOW\", \"syscalls\": [1]}", EINVAL,
         "syscalls[0]: expected an object, got an integer"},
        {"{\"defaultAction\": \"SCMP_ACT_ALLOW\", \"syscalls\": [{\"action\": \"SCMP_ACT_ERRNO\"}]}", EINVAL,
         "syscalls[0]: no system call names"},
        {"{\"defaultAction\": \"SCMP_ACT_ALLOW\", \"syscalls\": [{\"names\": [\"\"], \"action\": \"SCMP_ACT_ERRNO\"}]}",
         EINVAL, "syscalls[0].names[0]: empty system call name"},
        {"{\"defaultAction\": \"SCMP_ACT_ALLOW\", \"syscalls\": [{\"names\": [\"mkdir\", 3], \"action\": "
         "\"SCMP_ACT_ERRNO\"}]}",
         EINVAL, "syscalls[0].names[1]: expected a string, got an integer"},
        {"{\"defaultAction\": \"SCMP_ACT_ALLOW\", \"syscalls\": [{\"names\": [\"mkdir\"]}]}", EINVAL,
         "syscalls[0].action: missing"},
        {"{\"defaultAction\": \"SCMP_ACT_ALLOW\", \"syscalls\": [{\"names\": [\"mkdir\"], \"action\": "
         "\"SCMP_ACT_TRACE\"}]}",
         ENOTSUP, "syscalls[0].action: SCMP_ACT_TRACE needs a supervisor process (a ptrace tracer), which spx does not run"},
        {"{\"defaultAction\": \"SCMP_ACT_ALLOW\", \"syscalls\": [{\"names\": [\"mkdir\"], \"action\": "
         "\"SCMP_ACT_KILL\", \"errnoRet\": 1}]}",
         EINVAL, "syscalls[0].errnoRet: only SCMP_ACT_ERRNO takes an errno"},
        {"{\"defaultAction\": \"SCMP_ACT_ALLOW\", \"syscalls\": [{\"names\": [\"mkdir\"], \"action\": "
         "\"SCMP_ACT_ERRNO\", \"colour\": 1}]}",
         EINVAL, "syscalls[0]: unknown key \"colour\""},
        {"{\"defaultAction\": \"SCMP_ACT_ALLOW\", \"syscalls\": [{\"names\": [\"mkdir\"], \"action\": "
         "\"SCMP_ACT_ERRNO\", \"args\": [{\"index\": 6, \"value\": 1, \"op\": \"SCMP_CMP_EQ\"}]}]}",
         EINVAL, "syscalls[0].args[0].index: 6 is over the maximum 5"},
        {"{\"defaultAction\": \"SCMP_ACT_ALLOW\", \"syscalls\": [{\"names\": [\"mkdir\"], \"action\": "
         "\"SCMP_ACT_ERRNO\", \"args\": [{\"index\": 0, \"value\": 1, \"op\": \"SCMP_CMP_FOO\"}]}]}",
         EINVAL, "syscalls[0].args[0].op: unknown operator \"SCMP_CMP_FOO\""},
        {"{\"defaultAction\": \"SCMP_ACT_ALLOW\", \"syscalls\": [{\"names\": [\"mkdir\"], \"action\": "
         "\"SCMP_ACT_ERRNO\", \"args\": [{\"index\": 0, \"op\": \"SCMP_CMP_EQ\"}]}]}",
         EINVAL, "syscalls[0].args[0].value: missing"},
        {"{\"defaultAction\": \"SCMP_ACT_ALLOW\", \"syscalls\": [{\"names\": [\"mkdir\"], \"action\": "
         "\"SCMP_ACT_ERRNO\", \"args\": [{\"index\": 0, \"value\": \"1\", \"op\": \"SCMP_CMP_EQ\"}]}]}",
         EINVAL, "syscalls[0].args[0].value: expected an unsigned integer, got a string"},
        {"{\"defaultAction\": \"SCMP_ACT_ALLOW\", \"syscalls\": [{\"names\": [\"mkdir\"], \"action\": "
         "\"SCMP_ACT_ERRNO\", \"args\": [{\"index\": 0, \"value\": 1, \"valueTwo\": true, \"op\": \"SCMP_CMP_EQ\"}]}]}",
         EINVAL, "syscalls[0].args[0].valueTwo: expected an unsigned integer, got a boolean"},
        {"{\"defaultAction\": \"SCMP_ACT_ALLOW\", \"syscalls\": [{\"names\": [\"mkdir\"], \"action\": "
         "\"SCMP_ACT_ERRNO\", \"args\": {}}]}",
         EINVAL, "syscalls[0].args: expected an array, got an object"},
        {"{\"defaultAction\": \"SCMP_ACT_ALLOW\", \"syscalls\": [{\"names\": [\"mkdir\"], \"action\": "
         "\"SCMP_ACT_ERRNO\", \"includes\": {\"caps\": [\"CAP_FLY\"]}}]}",
         EINVAL, "syscalls[0].includes.caps[0]: unknown capability \"CAP_FLY\""},
        {"{\"defaultAction\": \"SCMP_ACT_ALLOW\", \"syscalls\": [{\"names\": [\"mkdir\"], \"action\": "
         "\"SCMP_ACT_ERRNO\", \"excludes\": {\"minKernel\": \"five\"}}]}",
         EINVAL, "syscalls[0].excludes.minKernel: expected a kernel version such as \"5.4\", got \"five\""},
        {"{\"defaultAction\": \"SCMP_ACT_ALLOW\", \"syscalls\": [{\"names\": [\"mkdir\"], \"action\": "
         "\"SCMP_ACT_ERRNO\", \"excludes\": {\"arches\": [\"vax\"]}}]}",
         EINVAL, "syscalls[0].excludes.arches[0]: unknown architecture \"vax\""},
        {"{\"defaultAction\": \"SCMP_ACT_ALLOW\", \"syscalls\": [{\"names\": [\"mkdir\"], \"action\": "
         "\"SCMP_ACT_ERRNO\", \"includes\": {\"when\": 1}}]}",
         EINVAL, "syscalls[0].includes: unknown key \"when\""},
        /* a bad rule is refused even where it would not apply */
        {"{\"defaultAction\": \"SCMP_ACT_ALLOW\", \"syscalls\": [{\"names\": [\"mkdir\"], \"action\": "
         "\"SCMP_ACT_FOO\", \"includes\": {\"minKernel\": \"999.0\"}}]}",
         EINVAL, "syscalls[0].action: unknown action \"SCMP_ACT_FOO\""},
        /* ambiguous: the same call allowed and denied */
        {"{\"defaultAction\": \"SCMP_ACT_ERRNO\", \"syscalls\": [{\"names\": [\"socket\"], \"action\": "
         "\"SCMP_ACT_ALLOW\"}, {\"names\": [\"socket\"], \"action\": \"SCMP_ACT_KILL_PROCESS\", \"args\": "
         "[{\"index\": 0, \"value\": 2, \"op\": \"SCMP_CMP_EQ\"}]}]}",
         EINVAL, "syscalls[1]: \"socket\" also has a rule in syscalls[0] with another action, and one of them has "
                 "no conditions"},
        {"{\"defaultAction\": \"SCMP_ACT_ERRNO\", \"syscalls\": [{\"names\": [\"read\"], \"action\": "
         "\"SCMP_ACT_ALLOW\"}, {\"names\": [\"write\", \"read\"], \"action\": \"SCMP_ACT_LOG\"}]}",
         EINVAL, "syscalls[1]: \"read\" also has a rule in syscalls[0] with another action, and neither has "
                 "conditions"},
        {"{\"defaultAction\": \"SCMP_ACT_ALLOW\", \"syscalls\": [{\"names\": [\"mkdir\"], \"action\": "
         "\"SCMP_ACT_ERRNO\", \"args\": [{\"index\": 0, \"value\": 18446744073709551615, \"op\": \"SCMP_CMP_EQ\"},"
         "{\"index\": 1, \"value\": 1, \"op\": \"SCMP_CMP_EQ\"},{\"index\": 2, \"value\": 1, \"op\": \"SCMP_CMP_EQ\"},"
         "{\"index\": 3, \"value\": 1, \"op\": \"SCMP_CMP_EQ\"},{\"index\": 4, \"value\": 1, \"op\": \"SCMP_CMP_EQ\"},"
         "{\"index\": 5, \"value\": 1, \"op\": \"SCMP_CMP_EQ\"},{\"index\": 5, \"value\": 2, \"op\": \"SCMP_CMP_EQ\"}]}]}",
         EINVAL, "syscalls[0].args: 7 conditions, at most 6"},
        {"[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]"
         "]]]]]]]]]]]]]]]]]]]]]]]]]]]]]",
         EINVAL, NULL},
        {"{\"defaultAction\": \"SCMP_ACT_ALLOW\"\0}", EINVAL, NULL},
        /* json-c would clamp it to UINT64_MAX: the rule would change meaning */
        {"{\"defaultAction\": \"SCMP_ACT_ALLOW\", \"syscalls\": [{\"names\": [\"mkdir\"], \"action\": "
         "\"SCMP_ACT_ERRNO\", \"args\": [{\"index\": 0, \"value\": 18446744073709551616, \"op\": \"SCMP_CMP_EQ\"}]}]}",
         EINVAL, "(root): bad JSON at byte 129: an integer beyond 64 bits"},
        {"{\"defaultAction\": \"SCMP_ACT_ERRNO\", \"defaultErrnoRet\": -9223372036854775809}", EINVAL,
         "(root): bad JSON at byte 55: an integer beyond 64 bits"},
        {"{\"defaultAction\": \"SCMP_ACT_ALLOW\", \"syscalls\": [{\"names\": [\"mkdir\\u0000x\"], \"action\": "
         "\"SCMP_ACT_ERRNO\"}]}",
         EINVAL, "syscalls[0].names[0]: a string with a NUL character"},
        /* names are echoed without control bytes */
        {"{\"defaultAction\": \"SCMP_ACT_\\u001b[31m\"}", EINVAL, "defaultAction: unknown action \"SCMP_ACT_?[31m\""},
    };
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        const struct bad_case *c = &cases[i];
        size_t len = strlen(c->json);
        if (!strcmp(c->json, "{\"defaultAction\": \"SCMP_ACT_ALLOW\"")) len += 2; /* the embedded NUL */
        spx_seccomp *f = (spx_seccomp *)&cases; /* must stay as it is */
        char err[512];
        memset(err, 'x', sizeof err);
        int rc = spx_seccomp_from_oci(&f, c->json, len, err, sizeof err);
        if (rc != c->rc || (c->msg && strcmp(err, c->msg)))
            print_message("case %zu: rc %d, message \"%s\"\n", i, rc, err);
        assert_int_equal(rc, c->rc);
        assert_ptr_equal(f, (spx_seccomp *)&cases);
        assert_true(strlen(err) > 0 && strlen(err) < sizeof err);
        if (c->msg) assert_string_equal(err, c->msg);
    }
}

/* Bad arguments, huge input, a short errbuf, and the values at the edges. */
static void test_arguments_and_edges(void **state) {
    (void)state;
    static const char ok[] = "{\"defaultAction\": \"SCMP_ACT_ALLOW\"}";
    spx_seccomp *f = NULL;
    char err[64];
    assert_int_equal(spx_seccomp_from_oci(NULL, ok, strlen(ok), err, sizeof err), EINVAL);
    assert_int_equal(spx_seccomp_from_oci(&f, NULL, 5, err, sizeof err), EINVAL);
    assert_null(f);
    assert_int_equal(spx_seccomp_from_oci(&f, NULL, 0, err, sizeof err), EINVAL); /* empty */
    assert_string_equal(err, "(root): empty profile");
    int bad_cap = 64;
    assert_int_equal(spx_seccomp_from_oci_caps(&f, ok, strlen(ok), &bad_cap, 1, err, sizeof err), EINVAL);
    bad_cap = -1;
    assert_int_equal(spx_seccomp_from_oci_caps(&f, ok, strlen(ok), &bad_cap, 1, NULL, 0), EINVAL);
    assert_int_equal(spx_seccomp_from_oci_caps(&f, ok, strlen(ok), NULL, 1, err, sizeof err), EINVAL);
    assert_null(f);

    /* no errbuf, or a tiny one: still the error, truncated */
    assert_int_equal(spx_seccomp_from_oci(&f, "{}", 2, NULL, 0), EINVAL);
    char tiny[8];
    assert_int_equal(spx_seccomp_from_oci(&f, "{}", 2, tiny, sizeof tiny), EINVAL);
    assert_string_equal(tiny, "default");

    /* over 4 MiB: refused before parsing */
    size_t huge = (4u << 20) + 1;
    char *big = malloc(huge);
    assert_non_null(big);
    memset(big, ' ', huge);
    memcpy(big, ok, strlen(ok));
    assert_int_equal(spx_seccomp_from_oci(&f, big, huge, err, sizeof err), E2BIG);
    assert_string_equal(err, "(root): the profile is 4194305 bytes, over the limit of 4194304");
    /* exactly 4 MiB of mostly spaces is fine */
    assert_int_equal(spx_seccomp_from_oci(&f, big, huge - 1, err, sizeof err), 0);
    assert_string_equal(err, "");
    spx_seccomp_free(f);
    free(big);

    /* the largest value, a name that is not on this architecture, the
     * Docker spellings: accepted */
    static const char edges[] =
        "{\"defaultAction\": \"SCMP_ACT_ERRNO\", \"defaultErrnoRet\": 4094, \"archMap\": [{\"architecture\": "
        "\"SCMP_ARCH_X86_64\", \"subArchitectures\": [\"SCMP_ARCH_X86\", \"SCMP_ARCH_X32\"]}, {\"architecture\": "
        "\"SCMP_ARCH_AARCH64\", \"subArchitectures\": [\"SCMP_ARCH_ARM\"]}], \"listenerPath\": \"\","
        " \"syscalls\": [{\"name\": \"ioctl\", \"action\": \"SCMP_ACT_ALLOW\", \"args\": [{\"index\": 1, "
        "\"value\": 18446744073709551615, \"op\": \"SCMP_CMP_NE\"}]}, {\"names\": [\"socketcall\", "
        "\"no_such_call_at_all\"], \"action\": \"SCMP_ACT_ALLOW\", \"args\": null, \"comment\": \"\"}]}";
    f = NULL;
    assert_int_equal(spx_seccomp_from_oci(&f, edges, strlen(edges), err, sizeof err), 0);
    assert_non_null(f);
    assert_true(spx_seccomp_ignored(f) >= 1);
    size_t n = 0;
    assert_int_equal(spx_seccomp_length(f, &n), 0);
    assert_true(n > 0);
    spx_seccomp_free(f);
}

int main(void) {
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_allowlist_runs_programs),
        cmocka_unit_test(test_denylist),
        cmocka_unit_test(test_actions_and_flags),
        cmocka_unit_test(test_includes_excludes),
        cmocka_unit_test(test_malformed),
        cmocka_unit_test(test_arguments_and_edges),
    };
    return cmocka_run_group_tests(tests, setup, suite_teardown);
}
