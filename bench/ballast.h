/* Resident memory ballast: makes the benchmark process itself large, the way
 * a big server is when it spawns a child.
 * SPDX-License-Identifier: MIT */
#ifndef SPX_BENCH_BALLAST_H
#define SPX_BENCH_BALLAST_H

#include <stddef.h>

/** This process's resident set size in bytes (/proc/self/statm), 0 if unknown. */
size_t ballast_rss(void);

/** Bytes of ballast mapped so far. */
size_t ballast_size(void);

/**
 * Grow the ballast until the process's RSS is about @p target_rss bytes:
 * private anonymous memory with 4 KiB pages (MADV_NOHUGEPAGE, the case where
 * fork has the most page tables to copy), every page written so it is
 * resident and private. Never shrinks.
 * @return 0, or an errno value.
 */
int ballast_grow_to(size_t target_rss);

/** MemAvailable from /proc/meminfo in bytes, 0 if unknown. */
size_t ballast_mem_available(void);

#endif
