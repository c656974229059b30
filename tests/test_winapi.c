/* The Windows API of issue 18 as seen on Linux: the SID derivations work
 * (they are pure), every Windows-only function answers ENOTSUP after its
 * argument checks, and none of them changes the attribute object. */
#include "common.h"

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

/* The values Microsoft publishes (see shared notes and the Edge package). */
static const char kEdgeSid[] =
    "S-1-15-2-3624051433-2125758914-1423191267-1740899205-1073925389-3782572162-737981194";
static const char kLpacComSid[] =
    "S-1-15-3-1024-2405443489-874036122-4286035555-1823921565-1746547431-2453885448-3625952902-991631256";
static const char kRegistryReadSid[] =
    "S-1-15-3-1024-1065365936-1281604716-3511738428-1654721687-432734479-3232135806-4053264122-3456934681";

static void test_appcontainer_sid(void **state) {
    (void)state;
    char buf[SPX_SID_MAX];
    assert_int_equal(spx_appcontainer_sid("Microsoft.MicrosoftEdge_8wekyb3d8bbwe", buf, sizeof buf), 0);
    assert_string_equal(buf, kEdgeSid);
    /* The name is lower-cased before hashing. */
    assert_int_equal(spx_appcontainer_sid("MICROSOFT.MICROSOFTEDGE_8WEKYB3D8BBWE", buf, sizeof buf), 0);
    assert_string_equal(buf, kEdgeSid);
    /* An exact fit, one byte short. */
    assert_int_equal(spx_appcontainer_sid("Microsoft.MicrosoftEdge_8wekyb3d8bbwe", buf, sizeof kEdgeSid), 0);
    strcpy(buf, "x");
    assert_int_equal(spx_appcontainer_sid("Microsoft.MicrosoftEdge_8wekyb3d8bbwe", buf, sizeof kEdgeSid - 1),
                     ERANGE);
    assert_string_equal(buf, "");
    /* Bad input: the buffer is left holding "". */
    strcpy(buf, "x");
    assert_int_equal(spx_appcontainer_sid(NULL, buf, sizeof buf), EINVAL);
    assert_string_equal(buf, "");
    assert_int_equal(spx_appcontainer_sid("", buf, sizeof buf), EINVAL);
    assert_int_equal(spx_appcontainer_sid("a/b", buf, sizeof buf), EINVAL);
    assert_int_equal(spx_appcontainer_sid("a\\b", buf, sizeof buf), EINVAL);
    char long_name[66];
    memset(long_name, 'a', 65);
    long_name[65] = '\0';
    assert_int_equal(spx_appcontainer_sid(long_name, buf, sizeof buf), EINVAL);
    long_name[64] = '\0';
    assert_int_equal(spx_appcontainer_sid(long_name, buf, sizeof buf), 0);
    assert_int_equal(strncmp(buf, "S-1-15-2-", 9), 0);
    assert_int_equal(spx_appcontainer_sid("x", NULL, 0), EINVAL);
    assert_int_equal(spx_appcontainer_sid("x", buf, 0), ERANGE);
}

static void test_capability_sid(void **state) {
    (void)state;
    char buf[SPX_SID_MAX];
    assert_int_equal(spx_capability_sid("lpacCom", buf, sizeof buf), 0);
    assert_string_equal(buf, kLpacComSid);
    assert_int_equal(spx_capability_sid("registryRead", buf, sizeof buf), 0);
    assert_string_equal(buf, kRegistryReadSid);
    assert_int_equal(spx_capability_sid("internetClient", buf, sizeof buf), 0);
    assert_string_equal(buf, "S-1-15-3-1");
    assert_int_equal(spx_capability_sid("contacts", buf, sizeof buf), 0);
    assert_string_equal(buf, "S-1-15-3-12");
    /* SID strings pass through in canonical form. */
    assert_int_equal(spx_capability_sid("s-1-15-3-0001", buf, sizeof buf), 0);
    assert_string_equal(buf, "S-1-15-3-1");
    assert_int_equal(spx_capability_sid(kLpacComSid, buf, sizeof buf), 0);
    assert_string_equal(buf, kLpacComSid);
    /* Not a capability SID, malformed, empty, too small a buffer. */
    strcpy(buf, "x");
    assert_int_equal(spx_capability_sid("S-1-5-32-544", buf, sizeof buf), EINVAL);
    assert_string_equal(buf, "");
    assert_int_equal(spx_capability_sid("S-1-15-3-", buf, sizeof buf), EINVAL);
    assert_int_equal(spx_capability_sid("", buf, sizeof buf), EINVAL);
    assert_int_equal(spx_capability_sid(NULL, buf, sizeof buf), EINVAL);
    assert_int_equal(spx_capability_sid("lpacCom", NULL, 100), EINVAL);
    assert_int_equal(spx_capability_sid("lpacCom", buf, 10), ERANGE);
    assert_string_equal(buf, "");
    /* A non-ASCII name cannot be upper-cased as Windows would. */
    assert_int_equal(spx_capability_sid("caf\xc3\xa9", buf, sizeof buf), ENOTSUP);
}

static void test_windows_only_functions(void **state) {
    (void)state;
    spx_attr *a = spx_attr_new();
    assert_non_null(a);
    int fd = open("/dev/null", O_RDONLY | O_CLOEXEC);
    assert_true(fd >= 0);
    void *h = (void *)(intptr_t)fd;
    const char *caps[] = {"internetClient"};
    /* NULL handle first, then ENOTSUP for any otherwise valid call. */
    assert_int_equal(spx_attr_set_appcontainer(NULL, "app", caps, 1), EINVAL);
    assert_int_equal(spx_attr_set_appcontainer(a, "app", caps, 1), ENOTSUP);
    assert_int_equal(spx_attr_set_appcontainer(a, NULL, NULL, 0), ENOTSUP);
    assert_int_equal(spx_attr_set_appcontainer_flags(NULL, SPX_APPCONTAINER_LPAC), EINVAL);
    assert_int_equal(spx_attr_set_appcontainer_flags(a, SPX_APPCONTAINER_LPAC), ENOTSUP);
    assert_int_equal(spx_attr_set_appcontainer_flags(a, 0), ENOTSUP);
    assert_int_equal(spx_attr_set_stdio_handle(NULL, 0, NULL), EINVAL);
    assert_int_equal(spx_attr_set_stdio_handle(a, 1, h), ENOTSUP);
    assert_int_equal(spx_attr_set_stdio_handle(a, 0, NULL), ENOTSUP);
    assert_int_equal(spx_attr_add_handle(NULL, h), EINVAL);
    assert_int_equal(spx_attr_add_handle(a, h), ENOTSUP);
    assert_int_equal(spx_attr_set_job(NULL, SPX_JOB_KILL_ON_CLOSE), EINVAL);
    assert_int_equal(spx_attr_set_job(a, SPX_JOB_KILL_ON_CLOSE), ENOTSUP);
    assert_int_equal(spx_attr_set_job(a, 0), ENOTSUP);
    /* add_handle must not have touched the descriptor's close-on-exec flag. */
    assert_int_equal(fcntl(fd, F_GETFD) & FD_CLOEXEC, FD_CLOEXEC);

    /* Profile functions: bad arguments are EINVAL everywhere, then ENOTSUP. */
    assert_int_equal(spx_appcontainer_delete(NULL), EINVAL);
    assert_int_equal(spx_appcontainer_delete(""), EINVAL);
    assert_int_equal(spx_appcontainer_delete("bad/name"), EINVAL);
    assert_int_equal(spx_appcontainer_delete("spx.test"), ENOTSUP);
    assert_int_equal(spx_appcontainer_grant("spx.test", "/tmp", 0), EINVAL);
    assert_int_equal(spx_appcontainer_grant("spx.test", "/tmp", 8), EINVAL);
    assert_int_equal(spx_appcontainer_grant("spx.test", "", SPX_ACCESS_READ), EINVAL);
    assert_int_equal(spx_appcontainer_grant("spx.test", NULL, SPX_ACCESS_READ), EINVAL);
    assert_int_equal(spx_appcontainer_grant(NULL, "/tmp", SPX_ACCESS_READ), EINVAL);
    assert_int_equal(spx_appcontainer_grant("spx.test", "/tmp", SPX_ACCESS_READ | SPX_ACCESS_WRITE | SPX_ACCESS_EXECUTE),
                     ENOTSUP);
    assert_int_equal(spx_appcontainer_revoke("spx.test", NULL), EINVAL);
    assert_int_equal(spx_appcontainer_revoke("", "/tmp"), EINVAL);
    assert_int_equal(spx_appcontainer_revoke("spx.test", "/tmp"), ENOTSUP);

    /* The process handle is Windows': NULL here. */
    assert_null(spx_process_handle(NULL));
    spx_process *p = NULL;
    const char *argv[] = {"true", NULL};
    assert_int_equal(spx_spawn(&p, a, "/bin/true", argv, NULL, NULL), 0);
    assert_null(spx_process_handle(p));
    assert_true(spx_process_pidfd(p) >= 0 || spx_process_pid(p) > 0);
    assert_int_equal(spx_process_wait(p, NULL, NULL), 0);
    spx_process_free(p);
    close(fd);
    spx_attr_free(a);
}

/* The rejected Windows-only calls leave the child exactly as before: its
 * standard output still reaches our pipe (no handle took it over). */
static void test_rejected_calls_change_nothing(void **state) {
    (void)state;
    spx_attr *a = spx_attr_new();
    assert_int_equal(spx_attr_set_stdio_handle(a, 1, NULL), ENOTSUP);
    assert_int_equal(spx_attr_set_job(a, SPX_JOB_KILL_ON_CLOSE), ENOTSUP);
    assert_int_equal(spx_attr_set_appcontainer(a, "x", NULL, 0), ENOTSUP);
    run_probe(R, a, "cwd", NULL);
    assert_int_equal(R->rc, 0);
    assert_int_equal(R->exit_code, 0);
    char buf[64];
    assert_non_null(field(R, "cwd", buf, sizeof buf));
    spx_attr_free(a);
}

static void test_stage_names(void **state) {
    (void)state;
    assert_int_equal(SPX_STAGE_JOB, 34);
    assert_string_equal(spx_stage_name(SPX_STAGE_JOB), "job");
    assert_string_equal(spx_stage_name(SPX_STAGE_APPCONTAINER), "appcontainer");
    assert_string_equal(spx_stage_name(SPX_STAGE_CREATE_PROCESS), "create_process");
    assert_string_equal(spx_stage_name(35), "unknown");
}

int main(void) {
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_appcontainer_sid),
        cmocka_unit_test(test_capability_sid),
        cmocka_unit_test(test_windows_only_functions),
        cmocka_unit_test(test_rejected_calls_change_nothing),
        cmocka_unit_test(test_stage_names),
    };
    return cmocka_run_group_tests_name("winapi", tests, suite_setup, suite_teardown);
}
