/* The machine description printed at the top of the benchmark report.
 * SPDX-License-Identifier: MIT */
#ifndef SPX_BENCH_SYSINFO_H
#define SPX_BENCH_SYSINFO_H

/** Print kernel, CPU, core count, memory, libc, spx and libcap versions. */
void sysinfo_print(void);

#endif
