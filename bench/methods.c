/* The spawn methods compared: spx, posix_spawn, fork+execve (plain and with a
 * setrlimit), vfork+execve.
 * SPDX-License-Identifier: MIT */
#define _GNU_SOURCE
#include "methods.h"
#include "secattr.h"
#include "stats.h"

#include <errno.h>
#include <spawn.h>
#include <stdio.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/types.h>
#include <sys/wait.h>
#include <unistd.h>

int reap_pid(int pid, run_times *t, char *msg, size_t msglen)
{
    int status = 0;
    pid_t r;
    do
        r = waitpid(pid, &status, 0);
    while (r < 0 && errno == EINTR);
    t->reaped = bench_now_ns();
    if (r < 0) {
        int e = errno;
        snprintf(msg, msglen, "waitpid: %s", strerror(e));
        return e;
    }
    if (!WIFEXITED(status) || WEXITSTATUS(status) != 0) {
        if (WIFSIGNALED(status))
            snprintf(msg, msglen, "child killed by signal %d", WTERMSIG(status));
        else
            snprintf(msg, msglen, "child exited with status %d", WEXITSTATUS(status));
        return EPROTO;
    }
    return 0;
}

int method_spx(void *ctx, run_times *t, char *msg, size_t msglen)
{
    const spx_ctx *c = ctx;
    spx_process *p = NULL;
    spx_error err;
    int code = -1, sig = 0;

    t->start = bench_now_ns();
    int rc = spx_spawn(&p, c->attr, c->tgt->path, (const char *const *)c->tgt->argv,
                       (const char *const *)c->tgt->envp, &err);
    t->spawned = bench_now_ns();
    if (rc != 0) {
        snprintf(msg, msglen, "spx_spawn: %d (%s) stage %s: %s", rc, strerror(rc),
                 spx_stage_name(err.stage), err.message);
        return rc;
    }
    rc = spx_process_wait(p, &code, &sig);
    t->reaped = bench_now_ns();
    spx_process_free(p);
    if (rc != 0) {
        snprintf(msg, msglen, "spx_process_wait: %s", strerror(rc));
        return rc;
    }
    if (code != 0) {
        if (sig)
            snprintf(msg, msglen, "child killed by signal %d", sig);
        else
            snprintf(msg, msglen, "child exited with status %d", code);
        return EPROTO;
    }
    return 0;
}

int method_posix_spawn(void *ctx, run_times *t, char *msg, size_t msglen)
{
    const target *tg = ctx;
    pid_t pid;

    t->start = bench_now_ns();
    int rc = posix_spawn(&pid, tg->path, NULL, NULL, tg->argv, tg->envp);
    t->spawned = bench_now_ns();
    if (rc != 0) {
        snprintf(msg, msglen, "posix_spawn: %s", strerror(rc));
        return rc;
    }
    return reap_pid(pid, t, msg, msglen);
}

/* fork + execve, with RLIMIT_NOFILE set in between when @p lim is given. */
static int fork_exec(const target *tg, const struct rlimit *lim, run_times *t, char *msg, size_t msglen)
{
    t->start = bench_now_ns();
    pid_t pid = fork();
    if (pid == 0) {
        if (lim && setrlimit(RLIMIT_NOFILE, lim) != 0)
            _exit(126);
        execve(tg->path, tg->argv, tg->envp);
        _exit(127);
    }
    t->spawned = bench_now_ns();
    if (pid < 0) {
        int e = errno;
        snprintf(msg, msglen, "fork: %s", strerror(e));
        return e;
    }
    return reap_pid(pid, t, msg, msglen);
}

int method_fork(void *ctx, run_times *t, char *msg, size_t msglen)
{
    return fork_exec(ctx, NULL, t, msg, msglen);
}

int method_fork_rlimit(void *ctx, run_times *t, char *msg, size_t msglen)
{
    static const struct rlimit lim = {FEAT_NOFILE, FEAT_NOFILE};
    return fork_exec(ctx, &lim, t, msg, msglen);
}

/* Kept out of line and free of locals the child could clobber: the child
 * runs on this frame until execve. */
__attribute__((noinline)) static pid_t vfork_exec(const target *tg)
{
    pid_t pid = vfork();
    if (pid == 0) {
        execve(tg->path, tg->argv, tg->envp);
        _exit(127);
    }
    return pid;
}

int method_vfork(void *ctx, run_times *t, char *msg, size_t msglen)
{
    const target *tg = ctx;

    t->start = bench_now_ns();
    pid_t pid = vfork_exec(tg);
    t->spawned = bench_now_ns();
    if (pid < 0) {
        int e = errno;
        snprintf(msg, msglen, "vfork: %s", strerror(e));
        return e;
    }
    return reap_pid(pid, t, msg, msglen);
}
