/*
 * Fuzz glue: spx-run's command line, parsed and applied to an spx_attr as
 * main.c does, up to (not including) the spawn. die() and --help/--version
 * unwind here through spx_run_exit_hook instead of exiting.
 *
 * SPDX-License-Identifier: MIT
 */
#include <getopt.h>
#include <setjmp.h>
#include <stdlib.h>
#include <string.h>

#include "spx-run.h"
#include "spx_run_glue.h"

static jmp_buf unwind;

static void unwind_exit(int status)
{
    longjmp(unwind, status + 1); /* never 0: 0 is setjmp's first return */
}

/* Static, not local: they keep their values across the longjmp. */
static struct options o;
static struct plan pl;
static spx_attr *attr;
static spx_landlock *rs;
static spx_seccomp *filter;

static void release(void)
{
    spx_attr_free(attr);
    spx_landlock_free(rs);
    spx_seccomp_free(filter);
    free(pl.envp);
    free_options(&o);
    attr = NULL;
    rs = NULL;
    filter = NULL;
    memset(&pl, 0, sizeof pl);
}

int fuzz_spx_run(int argc, char **argv, int apply, fuzz_build_fn build, void *ctx)
{
    static const struct options init = OPTIONS_INIT;
    o = init;
    memset(&pl, 0, sizeof pl);
    spx_run_exit_hook = unwind_exit;
    optind = 0; /* getopt_long's full reinitialisation (glibc) */
    int status = setjmp(unwind);
    if (status == 0) {
        parse_options(&o, argc, argv);
        if (apply) {
            attr = spx_attr_new();
            if (!attr)
                die("out of memory");
            apply_identity(attr, &o);
            apply_fds(attr, &o);
            apply_controls(attr, &o);
            rs = apply_landlock(attr, &o, &pl);
            filter = apply_seccomp(attr, &o, &pl);
            pl.envp = build_env(&o);
            if (build)
                build(ctx, attr, o.exec_fd >= 0 ? NULL : o.program, (const char *const *)o.argv,
                      (const char *const *)pl.envp);
        }
    } else {
        status -= 1;
    }
    spx_run_exit_hook = NULL;
    release();
    return status;
}
