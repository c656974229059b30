/* spx-bench: spawn latency of spx against posix_spawn, fork and vfork at
 * several parent RSS sizes, plus the cost of spx's security attributes.
 * Reports numbers and ratios only; it never asserts a target.
 * SPDX-License-Identifier: MIT */
#define _GNU_SOURCE
#include "ballast.h"
#include "caplaunch.h"
#include "secattr.h"
#include "methods.h"
#include "report.h"
#include "results.h"
#include "runner.h"
#include "sysinfo.h"

#include <errno.h>
#include <sched.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

extern char **environ;

#define MAX_RSS 8
#define MEM_MARGIN ((size_t)768 << 20) /* left free when checking a size fits */

typedef struct options {
    const char *tiny;
    const char *truebin;
    size_t rss[MAX_RSS];
    size_t n_rss;
    budget b;
    int extras;
    int pin; /* pin to one CPU (children inherit it) */
} options;

static void usage(FILE *f)
{
    fprintf(f,
            "usage: spx-bench --tiny PATH [options]\n"
            "  --tiny PATH       the tiny static child (_start: exit(0))\n"
            "  --true PATH       the ordinary dynamic child (default /bin/true)\n"
            "  --rss LIST        parent RSS sizes, ascending (default 20M,1G,4G)\n"
            "  --runs N          measured runs per cell at most (default 3000)\n"
            "  --min-runs N      measured runs per cell at least (default 30)\n"
            "  --budget SEC      time per cell once min-runs are done (default 2)\n"
            "  --warmup N        warm-up runs per cell at most (default 100, <= 0.25 s)\n"
            "  --no-extras       skip the landlock / seccomp / oci-350 / execveat / controls / everything rows\n"
            "  --no-pin          do not pin the benchmark (and so its children) to one CPU\n"
            "  --quick           smoke test: 200 runs, 0.2 s, 10 min, RSS 20M,256M\n");
}

static int parse_size(const char *s, size_t *out)
{
    char *end;
    errno = 0;
    double v = strtod(s, &end);
    if (errno || end == s || v <= 0)
        return -1;
    double mul = 1;
    switch (*end) {
    case 'k': case 'K': mul = 1024.0; end++; break;
    case 'm': case 'M': mul = 1024.0 * 1024; end++; break;
    case 'g': case 'G': mul = 1024.0 * 1024 * 1024; end++; break;
    default: break;
    }
    if (*end == 'i' && end[1] == 'B')
        end += 2;
    if (*end)
        return -1;
    *out = (size_t)(v * mul);
    return 0;
}

static int parse_rss_list(const char *s, options *o)
{
    char buf[256];
    snprintf(buf, sizeof buf, "%s", s);
    o->n_rss = 0;
    for (char *save = NULL, *tok = strtok_r(buf, ",", &save); tok; tok = strtok_r(NULL, ",", &save)) {
        if (o->n_rss == MAX_RSS || parse_size(tok, &o->rss[o->n_rss]))
            return -1;
        if (o->n_rss && o->rss[o->n_rss] <= o->rss[o->n_rss - 1])
            return -1; /* ascending: the ballast only grows */
        o->n_rss++;
    }
    return o->n_rss ? 0 : -1;
}

static int parse_args(int argc, char **argv, options *o)
{
    memset(o, 0, sizeof *o);
    o->truebin = "/bin/true";
    o->extras = 1;
    o->pin = 1;
    o->b = (budget){.warmup_runs = 100, .warmup_s = 0.25, .max_runs = 3000, .min_runs = 30, .budget_s = 2.0};
    parse_rss_list("20M,1G,4G", o);
    for (int i = 1; i < argc; i++) {
        const char *a = argv[i], *v = i + 1 < argc ? argv[i + 1] : NULL;
        int takes = 1;
        if (!strcmp(a, "--tiny") && v)
            o->tiny = v;
        else if (!strcmp(a, "--true") && v)
            o->truebin = v;
        else if (!strcmp(a, "--rss") && v) {
            if (parse_rss_list(v, o))
                return -1;
        } else if (!strcmp(a, "--runs") && v)
            o->b.max_runs = strtoul(v, NULL, 10);
        else if (!strcmp(a, "--min-runs") && v)
            o->b.min_runs = strtoul(v, NULL, 10);
        else if (!strcmp(a, "--budget") && v)
            o->b.budget_s = strtod(v, NULL);
        else if (!strcmp(a, "--warmup") && v)
            o->b.warmup_runs = strtoul(v, NULL, 10);
        else {
            takes = 0;
            if (!strcmp(a, "--no-extras"))
                o->extras = 0;
            else if (!strcmp(a, "--no-pin"))
                o->pin = 0;
            else if (!strcmp(a, "--quick")) {
                o->b = (budget){.warmup_runs = 10, .warmup_s = 0.05, .max_runs = 200, .min_runs = 10, .budget_s = 0.2};
                parse_rss_list("20M,256M", o);
            } else if (!strcmp(a, "-h") || !strcmp(a, "--help")) {
                usage(stdout);
                exit(0);
            } else
                return -1;
        }
        i += takes;
    }
    if (!o->tiny || o->b.max_runs == 0 || o->b.min_runs > o->b.max_runs)
        return -1;
    return 0;
}

/* Pin this process to the highest CPU it may run on; returns it, or -1. */
static int pin_one_cpu(void)
{
    cpu_set_t set;
    if (sched_getaffinity(0, sizeof set, &set) != 0)
        return -1;
    for (int cpu = CPU_SETSIZE - 1; cpu >= 0; cpu--) {
        if (!CPU_ISSET(cpu, &set))
            continue;
        CPU_ZERO(&set);
        CPU_SET(cpu, &set);
        return sched_setaffinity(0, sizeof set, &set) == 0 ? cpu : -1;
    }
    return -1;
}

static void progress(const char *what, size_t rss)
{
    char a[32];
    if (isatty(2))
        fprintf(stderr, "\r\033[K[spx-bench] %s at %s ...", what, report_size(rss, a, sizeof a));
}

static void progress_done(void)
{
    if (isatty(2))
        fprintf(stderr, "\r\033[K");
}

/* Everything prepared once and reused by every spawn. */
typedef struct setup {
    target tgt[N_CHILD];
    spx_ctx spx[N_CHILD];
    spx_attr *plain;
    spx_attr *rlimit;
    spx_attr *uid;         /* NULL: identity rows skipped */
    int cgroup_fd;         /* -1: no cgroup v2 here, the cgroup rows run without */
    char cgroup_path[2200];
    char uid_skip[NOTE_LEN];
    char uid_fail[NOTE_LEN]; /* the attr could not be built: a library failure */
    char cap_skip[NOTE_LEN];
} setup;

/* Per child: spx, posix_spawn and vfork interleaved run by run (so drift hits
 * them alike), then fork alone: at a large RSS each fork leaves the caches and
 * TLB cold, which would otherwise land in the others' p99. */
static void run_main_cells(setup *s, const budget *b, rss_result *x)
{
    for (int ch = 0; ch < N_CHILD; ch++) {
        method ms[N_METH] = {
            [M_SPX] = {"spx", method_spx, &s->spx[ch]},
            [M_POSIX] = {"posix_spawn", method_posix_spawn, &s->tgt[ch]},
            [M_VFORK] = {"vfork", method_vfork, &s->tgt[ch]},
            [M_FORK] = {"fork", method_fork, &s->tgt[ch]},
        };
        const method *group[3] = {&ms[M_SPX], &ms[M_POSIX], &ms[M_VFORK]};
        cell out[3];
        progress(ch == CH_TINY ? "tiny_child: spx, posix_spawn, vfork" : "/bin/true: spx, posix_spawn, vfork",
                 x->target);
        run_interleaved(group, 3, b, out);
        x->main[ch][M_SPX] = out[0];
        x->main[ch][M_POSIX] = out[1];
        x->main[ch][M_VFORK] = out[2];
        progress(ch == CH_TINY ? "tiny_child: fork" : "/bin/true: fork", x->target);
        run_cell(&ms[M_FORK], b, &x->main[ch][M_FORK]);
    }
}

static void run_identity(setup *s, const budget *b, rss_result *x)
{
    spx_ctx plain = {&s->tgt[CH_TINY], s->plain};
    spx_ctx uid = {&s->tgt[CH_TINY], s->uid};
    method mp = {"spx plain", method_spx, &plain};
    method mu = {"spx uid+ambient", method_spx, &uid};
    char msg[NOTE_LEN];

    if (s->uid_fail[0]) {
        x->id[ID_SPX].c.done = 1;
        x->id[ID_SPX].c.err = EINVAL;
        snprintf(x->id[ID_SPX].c.msg, sizeof x->id[ID_SPX].c.msg, "%s", s->uid_fail);
        snprintf(x->id[ID_CAPLAUNCH].skip, NOTE_LEN, "spx attr failed, compared with nothing");
        progress("identity: spx plain", x->target);
        run_cell(&mp, b, &x->id[ID_PLAIN].c);
        return;
    }
    if (!s->uid) {
        snprintf(x->id[ID_SPX].skip, NOTE_LEN, "%s", s->uid_skip);
        snprintf(x->id[ID_CAPLAUNCH].skip, NOTE_LEN, "%s", s->uid_skip);
        progress("identity: spx plain", x->target);
        run_cell(&mp, b, &x->id[ID_PLAIN].c);
        return;
    }
    const method *pair[2] = {&mp, &mu};
    cell out[2];
    progress("identity: spx plain + spx uid", x->target);
    run_interleaved(pair, 2, b, out);
    x->id[ID_PLAIN].c = out[0];
    x->id[ID_SPX].c = out[1];

    if (s->cap_skip[0]) {
        snprintf(x->id[ID_CAPLAUNCH].skip, NOTE_LEN, "%s", s->cap_skip);
        return;
    }
    /* A launcher per size: it is cheap to build. */
    void *l = caplaunch_new(&s->tgt[CH_TINY], FEAT_NOBODY, FEAT_NOBODY, "^cap_net_bind_service", msg, sizeof msg);
    if (!l) {
        snprintf(x->id[ID_CAPLAUNCH].skip, NOTE_LEN, "%s", msg);
        return;
    }
    method mc = {"cap_launch", method_cap_launch, l};
    progress("identity: cap_launch", x->target);
    run_cell(&mc, b, &x->id[ID_CAPLAUNCH].c);
    caplaunch_free(l);
}

/* One resource limit set for the child: by spx, and by fork + setrlimit +
 * execve, one after the other (a fork at a large RSS leaves caches cold). */
static void run_rlimit(setup *s, const budget *b, rss_result *x)
{
    spx_ctx with = {&s->tgt[CH_TINY], s->rlimit};
    method ms = {"spx + rlimit", method_spx, &with};
    method mf = {"fork + setrlimit", method_fork_rlimit, &s->tgt[CH_TINY]};
    progress("rlimit: spx", x->target);
    run_cell(&ms, b, &x->rl[RL_SPX].c);
    progress("rlimit: fork + setrlimit", x->target);
    run_cell(&mf, b, &x->rl[RL_FORK].c);
}

static void run_extras(setup *s, const budget *b, results *r, const char *tiny)
{
    static const char *const names[N_EXTRA] = {"landlock", "seccomp", "oci-350", "execveat", "controls", "everything"};
    char msg[NOTE_LEN];
    target by_fd = s->tgt[CH_TINY];
    by_fd.path = NULL;

    for (int i = 0; i < N_EXTRA; i++) {
        extra_result *e = &r->extra[i];
        spx_attr *a = NULL;
        e->name = names[i];
        msg[0] = '\0';
        switch (i) {
        case X_LANDLOCK: a = feat_landlock(e->note, sizeof e->note, msg, sizeof msg); break;
        case X_SECCOMP: a = feat_seccomp(e->note, sizeof e->note, msg, sizeof msg); break;
        case X_OCI: a = feat_oci(e->note, sizeof e->note, msg, sizeof msg); break;
        case X_EXECFD: a = feat_execfd(tiny, msg, sizeof msg); break;
        case X_CONTROLS: a = feat_controls(s->cgroup_fd, e->note, sizeof e->note, msg, sizeof msg); break;
        case X_ALL:
            if (!s->uid) { /* no root, or nobody cannot run the child */
                snprintf(e->with.skip, NOTE_LEN, "%s", s->uid_skip[0] ? s->uid_skip : s->uid_fail);
                snprintf(e->base.skip, NOTE_LEN, "%s", e->with.skip);
                e->base_name = "posix_spawn";
                continue;
            }
            a = feat_all(s->cgroup_fd, e->note, sizeof e->note, msg, sizeof msg);
            break;
        default: break;
        }
        spx_ctx base = {&s->tgt[CH_TINY], s->plain};
        spx_ctx with = {i == X_EXECFD ? &by_fd : &s->tgt[CH_TINY], a};
        /* everything at once is measured against posix_spawn, the others
         * against plain spx */
        e->base_name = i == X_ALL ? "posix_spawn" : "spx plain";
        method mb = i == X_ALL ? (method){"posix_spawn", method_posix_spawn, &s->tgt[CH_TINY]}
                               : (method){"spx plain", method_spx, &base};
        method mw = {names[i], method_spx, &with};
        progress(names[i], r->rss[0].target);
        if (!a) {
            /* the attr could not be built: a real failure of the library */
            e->with.c.done = 1;
            e->with.c.err = EINVAL;
            snprintf(e->with.c.msg, sizeof e->with.c.msg, "%s", msg);
            run_cell(&mb, b, &e->base.c);
            continue;
        }
        const method *pair[2] = {&mb, &mw};
        cell out[2];
        run_interleaved(pair, 2, b, out);
        e->base.c = out[0];
        e->with.c = out[1];
        spx_attr_free(a);
    }
}

static void prepare(setup *s, const options *o)
{
    static char *tiny_argv[] = {"tiny_child", NULL};
    static char *true_argv[] = {"true", NULL};
    char msg[NOTE_LEN - 64];

    memset(s, 0, sizeof *s);
    s->tgt[CH_TINY] = (target){o->tiny, tiny_argv, environ};
    s->tgt[CH_TRUE] = (target){o->truebin, true_argv, environ};
    s->plain = feat_plain(msg, sizeof msg);
    if (!s->plain) {
        fprintf(stderr, "spx-bench: %s\n", msg);
        exit(1);
    }
    for (int ch = 0; ch < N_CHILD; ch++)
        s->spx[ch] = (spx_ctx){&s->tgt[ch], s->plain};
    s->rlimit = feat_rlimit(msg, sizeof msg);
    if (!s->rlimit) {
        fprintf(stderr, "spx-bench: %s\n", msg);
        exit(1);
    }
    s->cgroup_fd = feat_cgroup_create(s->cgroup_path, sizeof s->cgroup_path, msg, sizeof msg);
    if (s->cgroup_fd < 0)
        fprintf(stderr, "spx-bench: the cgroup rows run without a cgroup: %s\n", msg);

    if (geteuid() != 0) {
        snprintf(s->uid_skip, NOTE_LEN, "needs root (euid is %d)", (int)geteuid());
        return;
    }
    int can = feat_nobody_can_exec(o->tiny, msg, sizeof msg);
    if (can != 1) {
        snprintf(s->uid_skip, NOTE_LEN, "%s", msg);
        return;
    }
    s->uid = feat_uid_ambient(msg, sizeof msg);
    if (!s->uid)
        snprintf(s->uid_fail, NOTE_LEN, "building the attr: %s", msg);
    if (!caplaunch_available())
        snprintf(s->cap_skip, NOTE_LEN, "libcap not found at build time (install libcap-dev)");
}

int main(int argc, char **argv)
{
    options o;
    setup s;
    rss_result rss[MAX_RSS];
    results r;

    if (parse_args(argc, argv, &o)) {
        usage(stderr);
        return 2;
    }
    setvbuf(stdout, NULL, _IOLBF, 0);
    if (access(o.tiny, X_OK) != 0 || access(o.truebin, X_OK) != 0) {
        fprintf(stderr, "spx-bench: %s or %s is not executable\n", o.tiny, o.truebin);
        return 2;
    }

    printf("spx spawn benchmark\n");
    sysinfo_print();
    if (o.pin) {
        int cpu = pin_one_cpu();
        if (cpu >= 0)
            printf("pinned      : CPU %d, children inherit it (--no-pin to let them spread: on an idle VM\n"
                   "              every cross-CPU wake-up of a halted vCPU then adds noise)\n", cpu);
        else
            printf("pinned      : no (sched_setaffinity failed)\n");
    } else {
        printf("pinned      : no\n");
    }
    printf("children    : tiny_child = %s (static, _start: exit(0)); /bin/true = %s\n", o.tiny, o.truebin);
    printf("per cell    : warm-up <= %zu runs or %.2f s; then <= %zu runs, >= %zu runs, ~%.1f s budget\n",
           o.b.warmup_runs, o.b.warmup_s, o.b.max_runs, o.b.min_runs, o.b.budget_s);

    prepare(&s, &o);
    memset(&r, 0, sizeof r);
    memset(rss, 0, sizeof rss);
    r.child_name[CH_TINY] = "tiny_child";
    r.child_name[CH_TRUE] = "/bin/true";
    r.method_name[M_SPX] = "spx";
    r.method_name[M_POSIX] = "posix_spawn";
    r.method_name[M_VFORK] = "vfork";
    r.method_name[M_FORK] = "fork";
    r.n_rss = o.n_rss;
    r.rss = rss;

    for (size_t i = 0; i < o.n_rss; i++) {
        rss_result *x = &rss[i];
        char a[32], b[32];
        x->target = o.rss[i];
        size_t avail = ballast_mem_available();
        size_t need = o.rss[i] > ballast_rss() ? o.rss[i] - ballast_rss() : 0;
        if (avail && need + MEM_MARGIN > avail) {
            snprintf(x->skip, NOTE_LEN, "needs %s more memory, only %s available",
                     report_size(need, a, sizeof a), report_size(avail, b, sizeof b));
        } else {
            progress("touching ballast", x->target);
            int rc = ballast_grow_to(o.rss[i]);
            if (rc)
                snprintf(x->skip, NOTE_LEN, "ballast: %s", strerror(rc));
        }
        x->rss = ballast_rss();
        if (!x->skip[0]) {
            run_main_cells(&s, &o.b, x);
            run_identity(&s, &o.b, x);
            run_rlimit(&s, &o.b, x);
        }
        progress_done();
        report_rss(&r, x);
        report_identity(x);
        report_rlimit(x);
        if (i == 0 && o.extras && !x->skip[0]) {
            run_extras(&s, &o.b, &r, o.tiny);
            r.have_extras = 1;
            progress_done();
            report_extras(&r, x);
        }
    }

    spx_attr_free(s.plain);
    spx_attr_free(s.rlimit);
    spx_attr_free(s.uid);
    if (s.cgroup_fd >= 0) {
        close(s.cgroup_fd);
        feat_cgroup_remove(s.cgroup_path);
    }
    report_ratios(&r);
    size_t failed = report_failures(&r);
    if (failed) {
        printf("\n%zu cell(s) FAILED (see above): the numbers around them are incomplete\n", failed);
        return 1;
    }
    printf("\nall cells measured (skipped ones say why)\n");
    return 0;
}
