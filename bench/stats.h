/* Timing and order statistics for the spx benchmarks.
 * SPDX-License-Identifier: MIT */
#ifndef SPX_BENCH_STATS_H
#define SPX_BENCH_STATS_H

#include <stddef.h>
#include <stdint.h>

/** Monotonic clock in nanoseconds. */
uint64_t bench_now_ns(void);

/** A growable list of samples in nanoseconds. */
typedef struct samples {
    uint64_t *v;
    size_t n;
    size_t cap;
} samples;

void samples_init(samples *s);
/** Append one value; returns 0 or ENOMEM. */
int samples_push(samples *s, uint64_t ns);
void samples_clear(samples *s);
void samples_free(samples *s);

/** Nearest-rank percentile (0 < p <= 100) in microseconds; sorts @p s.
 *  Returns 0 for an empty list. */
double samples_pct_us(samples *s, double p);

#endif
