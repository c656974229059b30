/* Timing and order statistics for the spx benchmarks.
 * SPDX-License-Identifier: MIT */
#define _GNU_SOURCE
#include "stats.h"

#include <errno.h>
#include <stdlib.h>
#include <time.h>

uint64_t bench_now_ns(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (uint64_t)ts.tv_sec * 1000000000u + (uint64_t)ts.tv_nsec;
}

void samples_init(samples *s)
{
    s->v = NULL;
    s->n = 0;
    s->cap = 0;
}

int samples_push(samples *s, uint64_t ns)
{
    if (s->n == s->cap) {
        size_t cap = s->cap ? s->cap * 2 : 1024;
        uint64_t *v = realloc(s->v, cap * sizeof *v);
        if (!v)
            return ENOMEM;
        s->v = v;
        s->cap = cap;
    }
    s->v[s->n++] = ns;
    return 0;
}

void samples_clear(samples *s)
{
    s->n = 0;
}

void samples_free(samples *s)
{
    free(s->v);
    samples_init(s);
}

static int cmp_u64(const void *a, const void *b)
{
    uint64_t x = *(const uint64_t *)a, y = *(const uint64_t *)b;
    return (x > y) - (x < y);
}

double samples_pct_us(samples *s, double p)
{
    if (s->n == 0)
        return 0.0;
    qsort(s->v, s->n, sizeof *s->v, cmp_u64);
    /* nearest rank: the smallest value with at least p% of samples <= it */
    double r = p / 100.0 * (double)s->n;
    size_t rank = (size_t)r;
    if ((double)rank < r)
        rank++;
    if (rank < 1)
        rank = 1;
    if (rank > s->n)
        rank = s->n;
    return (double)s->v[rank - 1] / 1000.0;
}
