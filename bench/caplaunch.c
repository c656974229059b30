/* libcap's cap_launch() as a spawn method.
 * SPDX-License-Identifier: MIT */
#define _GNU_SOURCE
#include "caplaunch.h"

#include "stats.h"

#include <errno.h>
#include <stdio.h>
#include <string.h>

#ifdef SPX_BENCH_HAVE_LIBCAP
#include <sys/capability.h>

int caplaunch_available(void)
{
    return 1;
}

const char *caplaunch_libcap_version(void)
{
#if defined(LIBCAP_MAJOR) && defined(LIBCAP_MINOR)
    static char buf[32];
    snprintf(buf, sizeof buf, "%d.%d", LIBCAP_MAJOR, LIBCAP_MINOR);
    return buf;
#else
    return "unknown";
#endif
}

void *caplaunch_new(const target *tgt, unsigned uid, unsigned gid, const char *iab_text,
                    char *msg, size_t msglen)
{
    cap_launch_t l = cap_new_launcher(tgt->path, (const char *const *)tgt->argv,
                                      (const char *const *)tgt->envp);
    if (!l) {
        snprintf(msg, msglen, "cap_new_launcher: %s", strerror(errno));
        return NULL;
    }
    if (cap_launcher_setuid(l, (uid_t)uid) != 0 || cap_launcher_setgroups(l, (gid_t)gid, 0, NULL) != 0) {
        snprintf(msg, msglen, "cap_launcher_setuid/setgroups: %s", strerror(errno));
        cap_free(l);
        return NULL;
    }
    cap_iab_t iab = cap_iab_from_text(iab_text);
    if (!iab) {
        snprintf(msg, msglen, "cap_iab_from_text(\"%s\"): %s", iab_text, strerror(errno));
        cap_free(l);
        return NULL;
    }
    /* The launcher owns iab now (cap_free of the launcher frees it); the
     * previous IAB, none here, is handed back. */
    cap_iab_t old = cap_launcher_set_iab(l, iab);
    if (old)
        cap_free(old);
    return l;
}

void caplaunch_free(void *ctx)
{
    if (ctx)
        cap_free(ctx);
}

int method_cap_launch(void *ctx, run_times *t, char *msg, size_t msglen)
{
    cap_launch_t l = ctx;

    t->start = bench_now_ns();
    pid_t pid = cap_launch(l, NULL);
    t->spawned = bench_now_ns();
    if (pid <= 0) {
        int e = errno ? errno : EIO;
        snprintf(msg, msglen, "cap_launch: %s", strerror(e));
        return e;
    }
    return reap_pid(pid, t, msg, msglen);
}

#else /* !SPX_BENCH_HAVE_LIBCAP */

int caplaunch_available(void)
{
    return 0;
}

const char *caplaunch_libcap_version(void)
{
    return "none";
}

void *caplaunch_new(const target *tgt, unsigned uid, unsigned gid, const char *iab_text,
                    char *msg, size_t msglen)
{
    (void)tgt;
    (void)uid;
    (void)gid;
    (void)iab_text;
    snprintf(msg, msglen, "built without libcap (libcap-dev not found by meson)");
    return NULL;
}

void caplaunch_free(void *ctx)
{
    (void)ctx;
}

int method_cap_launch(void *ctx, run_times *t, char *msg, size_t msglen)
{
    (void)ctx;
    (void)t;
    snprintf(msg, msglen, "built without libcap");
    return ENOTSUP;
}

#endif
