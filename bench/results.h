/* What one benchmark run measured, shared by the orchestration (main.c) and
 * the printing (report.c).
 * SPDX-License-Identifier: MIT */
#ifndef SPX_BENCH_RESULTS_H
#define SPX_BENCH_RESULTS_H

#include "runner.h"

#include <stddef.h>

enum { CH_TINY, CH_TRUE, N_CHILD };
enum { M_SPX, M_POSIX, M_VFORK, M_FORK, N_METH };
/* identity row: plain spx baseline, spx uid+ambient, libcap cap_launch */
enum { ID_PLAIN, ID_SPX, ID_CAPLAUNCH, N_ID };
/* a resource limit per RSS: spx_attr_set_rlimit, and fork + setrlimit + execve
 * (what Rust's pre_exec and Go's os/exec + prlimit come down to) */
enum { RL_SPX, RL_FORK, N_RL };
/* security rows at the smallest RSS; the last one is compared with posix_spawn */
enum { X_LANDLOCK, X_SECCOMP, X_OCI, X_EXECFD, X_CONTROLS, X_ALL, N_EXTRA };

#define NOTE_LEN 256

/** A row that may be skipped: skip[0] != 0 says why. */
typedef struct row {
    char skip[NOTE_LEN];
    cell c;
} row;

typedef struct rss_result {
    size_t target;       /**< asked RSS in bytes */
    size_t rss;          /**< measured RSS in bytes when the cells ran */
    char skip[NOTE_LEN]; /**< non-empty: this size was not measured */
    cell main[N_CHILD][N_METH];
    row id[N_ID];
    row rl[N_RL];
} rss_result;

typedef struct extra_result {
    const char *name;    /**< "landlock" ... */
    const char *base_name; /**< what it is compared with: "spx plain" or "posix_spawn" */
    char note[NOTE_LEN]; /**< e.g. the BPF length */
    row base, with;      /**< plain spx and spx with the feature, interleaved */
} extra_result;

typedef struct results {
    const char *child_name[N_CHILD];
    const char *method_name[N_METH];
    size_t n_rss;
    rss_result *rss;
    int have_extras;
    extra_result extra[N_EXTRA];
} results;

#endif
