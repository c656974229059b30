/* Running one spawn method many times under a run-count and time budget.
 * SPDX-License-Identifier: MIT */
#ifndef SPX_BENCH_RUNNER_H
#define SPX_BENCH_RUNNER_H

#include <stddef.h>
#include <stdint.h>

/** Timestamps one run fills in (bench_now_ns()). */
typedef struct run_times {
    uint64_t start;   /**< just before the spawn call */
    uint64_t spawned; /**< the spawn call returned in the parent */
    uint64_t reaped;  /**< the wait returned */
} run_times;

/**
 * One way to start and reap a child. once() runs it a single time; it returns
 * 0 when the child ran and exited 0, else an errno-style code with a message
 * in @p msg.
 */
typedef struct method {
    const char *name;
    int (*once)(void *ctx, run_times *t, char *msg, size_t msglen);
    void *ctx;
} method;

/** How many runs a cell gets. */
typedef struct budget {
    size_t warmup_runs;  /**< warm-up runs at most ... */
    double warmup_s;     /**< ... or this many seconds, whichever ends first (>= 2 runs) */
    size_t max_runs;     /**< measured runs at most ... */
    size_t min_runs;     /**< ... at least ... */
    double budget_s;     /**< ... stopping once this much time is spent past min_runs */
} budget;

/** What one cell measured. */
typedef struct cell {
    int done;            /**< measured (or tried) */
    int err;             /**< 0, or the first failure's code */
    char msg[320];       /**< the failure's message */
    size_t runs;
    double med_us;       /**< spawn+wait latency, median */
    double p99_us;       /**< spawn+wait latency, p99 */
    double blocked_us;   /**< parent blocked inside the spawn call, median */
} cell;

/** Measure one method alone: warm-up, then runs until the budget ends. */
void run_cell(const method *m, const budget *b, cell *out);

/**
 * Measure k methods together, round-robin one run each, so that slow drift
 * (frequency, caches, other load) hits all of them alike. Each method stops on
 * its own budget; the warm-up is interleaved too.
 */
void run_interleaved(const method *const *ms, size_t k, const budget *b, cell *outs);

#endif
