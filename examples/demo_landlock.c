/* Landlock: a child that may read and run the system, and write in one
 * temporary directory only. The parent is not restricted at all. */
#include "demo.h"

#include <dlfcn.h>
#include <libgen.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

static const char *status_words(int status) {
    switch (status) {
    case SPX_LANDLOCK_FULLY_ENFORCED: return "fully enforced";
    case SPX_LANDLOCK_PARTIALLY_ENFORCED: return "partially enforced (this kernel lacks some of the rights)";
    case SPX_LANDLOCK_NOT_ENFORCED: return "not enforced";
    default: return "unknown";
    }
}

/* The directory libspx.so was loaded from (the build tree's lib/ when the
 * demo runs uninstalled): the child, being this program, needs it too. */
static void library_dir(char *buf, size_t len) {
    Dl_info info;
    snprintf(buf, len, "%s", dladdr((void *)spx_version, &info) && info.dli_fname ? info.dli_fname : "/usr/lib/x");
    dirname(buf);
}

void demo_landlock(void) {
    demo_title("landlock: a child that may write in one directory only");
    int abi = spx_landlock_abi();
    if (abi == 0) {
        demo_line("skipped: this kernel has no Landlock");
        return;
    }
    char inside[64], outside[64], allowed[128], refused[128], self_dir[4096], lib_dir[4096];
    demo_tmpdir(inside, sizeof inside);
    snprintf(outside, sizeof outside, "/tmp/spx-demo-outside-XXXXXX");
    if (!mkdtemp(outside)) {
        perror("mkdtemp");
        exit(1);
    }
    snprintf(allowed, sizeof allowed, "%s/allowed.txt", inside);
    snprintf(refused, sizeof refused, "%s/refused.txt", outside);
    snprintf(self_dir, sizeof self_dir, "%s", demo_self());
    dirname(self_dir);
    library_dir(lib_dir, sizeof lib_dir);

    /* Read and execute: the system, and the demo's own directory and its
     * library's (it runs itself as the child). Read-write: the one
     * temporary directory. */
    /* ABI 7 pinned, not 0 ("the newest the library knows"): a newer libspx
     * would otherwise handle, so deny, more than this demo was written for. */
    spx_landlock *rs = NULL;
    spx_landlock_new(&rs, 7, SPX_LANDLOCK_BEST_EFFORT);
    const char *system_dirs[] = {"/usr", "/lib", "/lib64", "/bin", "/etc", self_dir, lib_dir};
    for (size_t i = 0; i < sizeof system_dirs / sizeof system_dirs[0]; i++)
        if (access(system_dirs[i], F_OK) == 0) spx_landlock_allow_path(rs, system_dirs[i], SPX_LANDLOCK_FS_ROX);
    spx_landlock_allow_path(rs, inside, SPX_LANDLOCK_FS_RW);
    demo_line("kernel Landlock ABI %d; the ruleset is %s", abi, status_words(spx_landlock_status(rs)));

    spx_attr *a = spx_attr_new();
    char out[4096], key[160], b1[256], b2[256];
    int code;
    spx_error err;
    int rc = spx_attr_set_landlock(a, rs);
    const char *argv[] = {demo_self(), "--child", "write", allowed, "write", refused, NULL};
    if (rc != 0) {
        demo_line("could not create the ruleset: error %d", rc);
    } else if (demo_run(a, argv, out, sizeof out, &code, &err) != 0) {
        demo_line("spawn failed: %s", err.message);
    } else {
        snprintf(key, sizeof key, "write %s:", allowed);
        demo_grep(out, key, b1, sizeof b1);
        snprintf(key, sizeof key, "write %s:", refused);
        demo_grep(out, key, b2, sizeof b2);
        demo_line("the child writes %s: %s", allowed, b1);
        demo_line("the child writes %s: %s", refused, b2);
        FILE *f = fopen(refused, "w");
        demo_line("the parent, meanwhile, writes that same file: %s", f ? "ok" : "refused");
        if (f) fclose(f);
    }
    unlink(allowed);
    unlink(refused);
    rmdir(inside);
    rmdir(outside);
    spx_attr_free(a);
    spx_landlock_free(rs);
}
