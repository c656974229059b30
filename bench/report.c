/* Printing the benchmark tables and the final ratios.
 * SPDX-License-Identifier: MIT */
#define _GNU_SOURCE
#include "report.h"
#include "secattr.h"

#include <stdio.h>
#include <string.h>

#define TINY_TARGET 0.80  /* spx / posix_spawn, tiny child, every RSS */
#define SCALE_TARGET 1.10 /* spx at the largest RSS / spx at the smallest */
#define ALL_TARGET 1.25   /* spx with every attribute / plain posix_spawn */

/* ---- text layout --------------------------------------------------------- */

/* Display width of UTF-8 text (continuation bytes take no column). */
static int width_of(const char *s)
{
    int w = 0;
    for (; *s; s++)
        if (((unsigned char)*s & 0xc0) != 0x80)
            w++;
    return w;
}

/* Print s in a field of w columns: right-aligned if w > 0, left if w < 0. */
static void put(const char *s, int w)
{
    int left = w < 0;
    int n = (left ? -w : w) - width_of(s);
    if (!left)
        for (int i = 0; i < n; i++)
            putchar(' ');
    fputs(s, stdout);
    if (left)
        for (int i = 0; i < n; i++)
            putchar(' ');
}

static const char *fmt(char *buf, size_t len, const char *f, double v)
{
    snprintf(buf, len, f, v);
    return buf;
}

/* Two decimals, or two significant digits below 0.1 (0.0011, not 0.00). */
static const char *fmt_ratio(char *buf, size_t len, double v)
{
    return fmt(buf, len, v >= 0.1 ? "%.2f" : "%.2g", v);
}

static int cell_ok(const cell *c)
{
    return c->done && !c->err && c->runs > 0;
}

static int row_ok(const row *r)
{
    return !r->skip[0] && cell_ok(&r->c);
}

const char *report_size(size_t bytes, char *buf, size_t buflen)
{
    double mib = (double)bytes / (1024.0 * 1024.0);
    if (mib >= 1024.0) {
        double gib = mib / 1024.0;
        snprintf(buf, buflen, gib == (double)(size_t)gib ? "%.0f GiB" : "%.2f GiB", gib);
    } else {
        snprintf(buf, buflen, mib == (double)(size_t)mib ? "%.0f MiB" : "%.1f MiB", mib);
    }
    return buf;
}

/* ---- one measurement line ------------------------------------------------ */

#define W_LABEL (-34)  /* label column of the measurement tables */
#define W_RLABEL (-44) /* label column of the ratios */

static void cell_header(const char *label, const char *last)
{
    put(label, W_LABEL);
    put("runs", 6);
    put("median µs", 12);
    put("p99 µs", 12);
    put("blocked µs", 12);
    if (last)
        put(last, 15);
    putchar('\n');
}

/* The numbers of a cell after its label; @p extra is the last column. */
static void cell_line(const char *label, const cell *c, const char *skip, const char *extra)
{
    char b[64];
    put(label, W_LABEL);
    if (skip && skip[0]) {
        printf("  skipped: %s\n", skip);
        return;
    }
    if (!c->done) {
        printf("  not run\n");
        return;
    }
    if (c->err) {
        printf("  FAILED after %zu runs: %s\n", c->runs, c->msg);
        return;
    }
    snprintf(b, sizeof b, "%zu", c->runs);
    put(b, 6);
    put(fmt(b, sizeof b, "%.1f", c->med_us), 12);
    put(fmt(b, sizeof b, "%.1f", c->p99_us), 12);
    put(fmt(b, sizeof b, "%.1f", c->blocked_us), 12);
    if (extra)
        put(extra, 15);
    putchar('\n');
}

/* ---- tables -------------------------------------------------------------- */

void report_rss(const results *r, const rss_result *x)
{
    char a[32], b[32], label[96], extra[32];
    printf("\n== parent RSS %s (measured %s): spawn + wait of one child ==\n",
           report_size(x->target, a, sizeof a), report_size(x->rss, b, sizeof b));
    if (x->skip[0]) {
        printf("skipped: %s\n", x->skip);
        return;
    }
    cell_header("child / method", "÷ spx median");
    for (int ch = 0; ch < N_CHILD; ch++) {
        const cell *spx = &x->main[ch][M_SPX];
        for (int m = 0; m < N_METH; m++) {
            const cell *c = &x->main[ch][m];
            snprintf(label, sizeof label, "%-12s %s", r->child_name[ch], r->method_name[m]);
            extra[0] = '\0';
            if (cell_ok(c) && cell_ok(spx))
                fmt_ratio(extra, sizeof extra, c->med_us / spx->med_us);
            cell_line(label, c, NULL, extra);
        }
    }
    printf("(latency: spawn call entered -> child reaped; blocked: median time the parent spent\n"
           " inside the spawn call itself (spx_spawn, posix_spawn, vfork, fork); spx, posix_spawn\n"
           " and vfork interleaved run by run, fork measured after them)\n");
}

static void delta_str(char *buf, size_t len, const row *r, const row *base)
{
    buf[0] = '\0';
    if (r == base)
        snprintf(buf, len, "baseline");
    else if (row_ok(r) && row_ok(base))
        snprintf(buf, len, "%+.1f", r->c.med_us - base->c.med_us);
}

void report_identity(const rss_result *x)
{
    static const char *const names[N_ID] = {
        "spx plain",
        "spx uid+gid+groups+ambient",
        "libcap cap_launch, same change",
    };
    char d[32], a[32];
    if (x->skip[0])
        return;
    printf("\n-- at %s: child as uid/gid 65534, no groups, ambient {cap_net_bind_service} --\n",
           report_size(x->target, a, sizeof a));
    cell_header("tiny_child, variant", "Δ median µs");
    for (int i = 0; i < N_ID; i++) {
        delta_str(d, sizeof d, &x->id[i], &x->id[ID_PLAIN]);
        cell_line(names[i], &x->id[i].c, x->id[i].skip, d);
    }
    printf("(the two spx rows interleaved run by run; cap_launch measured after them)\n");
}

void report_extras(const results *r, const rss_result *at)
{
    char a[32], d[32], label[96];
    if (!r->have_extras)
        return;
    printf("\n== security attributes at %s, tiny_child: each interleaved run by run with plain spx ==\n",
           report_size(at->target, a, sizeof a));
    cell_header("row / variant", "Δ median µs");
    for (int i = 0; i < N_EXTRA; i++) {
        const extra_result *e = &r->extra[i];
        snprintf(label, sizeof label, "%-10s %s", e->name, e->base_name ? e->base_name : "spx plain");
        delta_str(d, sizeof d, &e->base, &e->base);
        cell_line(label, &e->base.c, e->base.skip, d);
        snprintf(label, sizeof label, "%-10s spx + %s", "", e->name);
        delta_str(d, sizeof d, &e->with, &e->base);
        cell_line(label, &e->with.c, e->with.skip, d);
        if (e->note[0])
            printf("%-11s(%s)\n", "", e->note);
    }
    printf("(landlock: prebuilt ruleset fd, \"/\" read+execute; seccomp: deny-list filter built\n"
           " once in the attr; oci-350: an OCI allow-list of 350 names from spx_seccomp_from_oci,\n"
           " compiled once: each spawn pays the kernel's filter preparation (checking the classic\n"
           " BPF, converting it to eBPF and JIT-compiling it), which grows with the program's\n"
           " length; libseccomp's binary tree (SCMP_FLTATR_CTL_OPTIMIZE 2) makes a call's path\n"
           " through the filter logarithmic in the rule count but the program longer (320\n"
           " allowed calls, libseccomp 2.5.4: 412 instructions, 330 as a linear list);\n"
           " execveat: spx_attr_set_execfd(O_PATH fd) vs execve by path;\n"
           " controls: RLIMIT_NOFILE + setsid + cgroup; everything: all of these with a uid\n"
           " change and ambient caps, against posix_spawn of the same child)\n");
}

void report_rlimit(const rss_result *x)
{
    static const char *const names[N_RL] = {"spx + rlimit", "fork + setrlimit + execve"};
    char d[32], a[32];
    if (x->skip[0])
        return;
    printf("\n-- at %s: child with RLIMIT_NOFILE %d (what pre_exec / os/exec + prlimit cost) --\n",
           report_size(x->target, a, sizeof a), FEAT_NOFILE);
    cell_header("tiny_child, variant", "Δ median µs");
    for (int i = 0; i < N_RL; i++) {
        delta_str(d, sizeof d, &x->rl[i], &x->rl[RL_SPX]);
        cell_line(names[i], &x->rl[i].c, x->rl[i].skip, d);
    }
}

/* ---- ratios -------------------------------------------------------------- */

static void ratio_cell(const cell *num, const cell *den, int w, double *out)
{
    char b[32];
    if (cell_ok(num) && cell_ok(den)) {
        double v = num->med_us / den->med_us;
        if (out)
            *out = v;
        put(fmt_ratio(b, sizeof b, v), w);
    } else {
        if (out)
            *out = -1;
        put("n/a", w);
    }
}

static void rss_columns(const results *r, const char *title, int from)
{
    char a[32];
    put(title, W_RLABEL);
    for (size_t i = (size_t)from; i < r->n_rss; i++)
        put(report_size(r->rss[i].target, a, sizeof a), 11);
    putchar('\n');
}

static void verdict(int all_ok, int any, const char *target)
{
    if (!any)
        printf("   target %s: n/a\n", target);
    else
        printf("   target %s: %s\n", target, all_ok ? "met" : "MISSED");
}

void report_ratios(const results *r)
{
    char label[96], b[32];
    printf("\n== ratios (of medians of spawn + wait unless noted; < 1 means spx is faster) ==\n");

    /* spx / posix_spawn per RSS */
    rss_columns(r, "spx / posix_spawn", 0);
    for (int ch = 0; ch < N_CHILD; ch++) {
        int ok = 1, any = 0;
        snprintf(label, sizeof label, "  %s", r->child_name[ch]);
        put(label, W_RLABEL);
        for (size_t i = 0; i < r->n_rss; i++) {
            double v;
            ratio_cell(&r->rss[i].main[ch][M_SPX], &r->rss[i].main[ch][M_POSIX], 11, &v);
            if (v >= 0) {
                any = 1;
                ok &= v <= TINY_TARGET;
            } else if (!r->rss[i].skip[0]) {
                ok = 0;
            }
        }
        if (ch == CH_TINY)
            verdict(ok, any, "<= 0.80 at every RSS");
        else
            putchar('\n');
    }
    snprintf(label, sizeof label, "  %s: vfork / posix_spawn (floor)", r->child_name[CH_TINY]);
    put(label, W_RLABEL);
    for (size_t i = 0; i < r->n_rss; i++)
        ratio_cell(&r->rss[i].main[CH_TINY][M_VFORK], &r->rss[i].main[CH_TINY][M_POSIX], 11, NULL);
    putchar('\n');
    snprintf(label, sizeof label, "  %s, parent blocked", r->child_name[CH_TINY]);
    put(label, W_RLABEL);
    for (size_t i = 0; i < r->n_rss; i++) {
        const cell *s = &r->rss[i].main[CH_TINY][M_SPX], *p = &r->rss[i].main[CH_TINY][M_POSIX];
        if (cell_ok(s) && cell_ok(p))
            put(fmt_ratio(b, sizeof b, s->blocked_us / p->blocked_us), 11);
        else
            put("n/a", 11);
    }
    putchar('\n');

    /* scaling with RSS */
    if (r->n_rss > 1) {
        char a[32];
        snprintf(label, sizeof label, "\nRSS scaling: median at RSS / at %s",
                 report_size(r->rss[0].target, a, sizeof a));
        rss_columns(r, label, 1);
        for (int ch = 0; ch < N_CHILD; ch++) {
            for (int m = 0; m < N_METH; m++) {
                double v = -1;
                snprintf(label, sizeof label, "  %-12s %s", r->child_name[ch], r->method_name[m]);
                put(label, W_RLABEL);
                for (size_t i = 1; i < r->n_rss; i++)
                    ratio_cell(&r->rss[i].main[ch][m], &r->rss[0].main[ch][m], 11, &v);
                if (ch == CH_TINY && m == M_SPX)
                    verdict(v >= 0 && v <= SCALE_TARGET, v >= 0, "<= 1.10 at the largest RSS");
                else
                    putchar('\n');
            }
        }
    }

    /* identity */
    printf("\n");
    rss_columns(r, "uid change + ambient caps", 0);
    put("  spx / cap_launch", W_RLABEL);
    for (size_t i = 0; i < r->n_rss; i++)
        ratio_cell(&r->rss[i].id[ID_SPX].c, &r->rss[i].id[ID_CAPLAUNCH].c, 11, NULL);
    putchar('\n');
    static const char *const idl[2] = {"  spx uid+ambient - plain spx, µs", "  cap_launch - plain spx, µs"};
    for (int k = 0; k < 2; k++) {
        put(idl[k], W_RLABEL);
        for (size_t i = 0; i < r->n_rss; i++) {
            const row *v = &r->rss[i].id[k == 0 ? ID_SPX : ID_CAPLAUNCH], *p = &r->rss[i].id[ID_PLAIN];
            if (row_ok(v) && row_ok(p))
                put(fmt(b, sizeof b, "%+.1f", v->c.med_us - p->c.med_us), 11);
            else
                put(v->skip[0] ? "skipped" : "n/a", 11);
        }
        putchar('\n');
    }

    /* a resource limit */
    printf("\n");
    rss_columns(r, "RLIMIT_NOFILE for the child", 0);
    put("  spx / fork + setrlimit", W_RLABEL);
    for (size_t i = 0; i < r->n_rss; i++)
        ratio_cell(&r->rss[i].rl[RL_SPX].c, &r->rss[i].rl[RL_FORK].c, 11, NULL);
    putchar('\n');

    /* security rows */
    if (r->have_extras) {
        char a[32];
        snprintf(label, sizeof label, "\nsecurity attributes at %s", report_size(r->rss[0].target, a, sizeof a));
        put(label, W_RLABEL);
        put("Δ µs", 11);
        put("ratio", 11);
        putchar('\n');
        for (int i = 0; i < N_EXTRA; i++) {
            const extra_result *e = &r->extra[i];
            snprintf(label, sizeof label, "  spx + %s vs %s", e->name, e->base_name ? e->base_name : "plain spx");
            put(label, W_RLABEL);
            double v = -1;
            if (row_ok(&e->with) && row_ok(&e->base)) {
                v = e->with.c.med_us / e->base.c.med_us;
                put(fmt(b, sizeof b, "%+.1f", e->with.c.med_us - e->base.c.med_us), 11);
                put(fmt_ratio(b, sizeof b, v), 11);
            } else {
                put(e->with.skip[0] ? "skipped" : "n/a", 11);
            }
            if (i == X_ALL)
                verdict(v >= 0 && v <= ALL_TARGET, v >= 0, "<= 1.25");
            else
                putchar('\n');
        }
    }
}

static size_t row_fail(const row *r)
{
    return !r->skip[0] && r->c.done && r->c.err;
}

size_t report_failures(const results *r)
{
    size_t n = 0;
    for (size_t i = 0; i < r->n_rss; i++) {
        const rss_result *x = &r->rss[i];
        for (int ch = 0; ch < N_CHILD; ch++)
            for (int m = 0; m < N_METH; m++)
                n += x->main[ch][m].done && x->main[ch][m].err;
        for (int k = 0; k < N_ID; k++)
            n += row_fail(&x->id[k]);
        for (int k = 0; k < N_RL; k++)
            n += row_fail(&x->rl[k]);
    }
    for (int i = 0; i < N_EXTRA && r->have_extras; i++)
        n += row_fail(&r->extra[i].base) + row_fail(&r->extra[i].with);
    return n;
}
