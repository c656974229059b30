/* Printing the benchmark tables and the final ratios.
 * SPDX-License-Identifier: MIT */
#ifndef SPX_BENCH_REPORT_H
#define SPX_BENCH_REPORT_H

#include "results.h"

#include <stddef.h>

/** "20 MiB", "1 GiB", "1.50 GiB" for a byte count. */
const char *report_size(size_t bytes, char *buf, size_t buflen);

/** The spawn-method table of one RSS. */
void report_rss(const results *r, const rss_result *x);

/** The identity row (uid change + ambient caps) of one RSS. */
void report_identity(const rss_result *x);
/** The rlimit rows of one RSS: spx vs fork + setrlimit. */
void report_rlimit(const rss_result *x);

/** The Landlock / seccomp / execveat rows. */
void report_extras(const results *r, const rss_result *at);

/** The final "ratios" section. */
void report_ratios(const results *r);

/** Number of cells that failed (not skipped); printed ones say why. */
size_t report_failures(const results *r);

#endif
