/* Running one spawn method many times under a run-count and time budget.
 * SPDX-License-Identifier: MIT */
#define _GNU_SOURCE
#include "runner.h"

#include "stats.h"

#include <errno.h>
#include <stdio.h>
#include <string.h>

#define MAX_INTERLEAVED 8

typedef struct state {
    samples total, blocked;
    uint64_t spent_ns; /* measured time spent so far */
    size_t warm;       /* warm-up runs done */
    uint64_t warm_ns;  /* warm-up time spent */
} state;

static int warm_done(const budget *b, const state *s)
{
    if (s->warm < 2)
        return 0;
    return s->warm >= b->warmup_runs || (double)s->warm_ns / 1e9 >= b->warmup_s;
}

static int measure_done(const budget *b, const state *s)
{
    if (s->total.n >= b->max_runs)
        return 1;
    return s->total.n >= b->min_runs && (double)s->spent_ns / 1e9 >= b->budget_s;
}

/* One run; returns 0 or the failure (recorded in @p out). */
static int step(const method *m, state *s, int warming, cell *out)
{
    run_times t = {0, 0, 0};
    char msg[sizeof out->msg - 64];
    msg[0] = '\0';
    uint64_t t0 = bench_now_ns();
    int rc = m->once(m->ctx, &t, msg, sizeof msg);
    uint64_t t1 = bench_now_ns();
    if (rc != 0) {
        out->err = rc;
        snprintf(out->msg, sizeof out->msg, "%s: %s", m->name, msg[0] ? msg : strerror(rc));
        return rc;
    }
    if (warming) {
        s->warm++;
        s->warm_ns += t1 - t0;
        return 0;
    }
    s->spent_ns += t1 - t0;
    if (samples_push(&s->total, t.reaped - t.start) || samples_push(&s->blocked, t.spawned - t.start)) {
        out->err = ENOMEM;
        snprintf(out->msg, sizeof out->msg, "%s: out of memory for samples", m->name);
        return ENOMEM;
    }
    return 0;
}

static void finish(state *s, cell *out)
{
    out->done = 1;
    out->runs = s->total.n;
    if (!out->err && s->total.n > 0) {
        out->med_us = samples_pct_us(&s->total, 50);
        out->p99_us = samples_pct_us(&s->total, 99);
        out->blocked_us = samples_pct_us(&s->blocked, 50);
    }
    samples_free(&s->total);
    samples_free(&s->blocked);
}

static void state_init(state *s)
{
    memset(s, 0, sizeof *s);
    samples_init(&s->total);
    samples_init(&s->blocked);
}

void run_cell(const method *m, const budget *b, cell *out)
{
    const method *ms[1] = {m};
    run_interleaved(ms, 1, b, out);
}

void run_interleaved(const method *const *ms, size_t k, const budget *b, cell *outs)
{
    state st[MAX_INTERLEAVED];
    if (k > MAX_INTERLEAVED)
        k = MAX_INTERLEAVED;
    for (size_t i = 0; i < k; i++) {
        state_init(&st[i]);
        memset(&outs[i], 0, sizeof outs[i]);
    }

    /* warm-up, round-robin */
    for (int active = 1; active;) {
        active = 0;
        for (size_t i = 0; i < k; i++) {
            if (outs[i].err || warm_done(b, &st[i]))
                continue;
            active = 1;
            step(ms[i], &st[i], 1, &outs[i]);
        }
    }
    /* measured runs, round-robin */
    for (int active = 1; active;) {
        active = 0;
        for (size_t i = 0; i < k; i++) {
            if (outs[i].err || measure_done(b, &st[i]))
                continue;
            active = 1;
            step(ms[i], &st[i], 0, &outs[i]);
        }
    }
    for (size_t i = 0; i < k; i++)
        finish(&st[i], &outs[i]);
}
