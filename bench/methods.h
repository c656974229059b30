/* The spawn methods compared: spx, posix_spawn, fork+execve, vfork+execve.
 * Each is a runner.h method: spawn one child, record the times, reap it.
 * SPDX-License-Identifier: MIT */
#ifndef SPX_BENCH_METHODS_H
#define SPX_BENCH_METHODS_H

#include "runner.h"

#include <spx.h>

/** The program a method starts. */
typedef struct target {
    const char *path;  /**< NULL only for spx with an exec fd */
    char *const *argv;
    char *const *envp;
} target;

/** spx_spawn + spx_process_wait with an attribute object (NULL: defaults). */
typedef struct spx_ctx {
    const target *tgt;
    const spx_attr *attr;
} spx_ctx;

int method_spx(void *ctx, run_times *t, char *msg, size_t msglen);
/** ctx: const target * */
int method_posix_spawn(void *ctx, run_times *t, char *msg, size_t msglen);
/** ctx: const target * */
int method_fork(void *ctx, run_times *t, char *msg, size_t msglen);
/** fork, setrlimit(RLIMIT_NOFILE, FEAT_NOFILE) in the child, execve: what a
 *  pre_exec hook costs. ctx: const target * */
int method_fork_rlimit(void *ctx, run_times *t, char *msg, size_t msglen);
/** ctx: const target * */
int method_vfork(void *ctx, run_times *t, char *msg, size_t msglen);

/** Reap @p pid and check it exited 0; used by the fork-style methods.
 *  Sets t->reaped. */
int reap_pid(int pid, run_times *t, char *msg, size_t msglen);

#endif
