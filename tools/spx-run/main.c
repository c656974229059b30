/*
 * spx-run: run a program with the security attributes libspx can set
 * (identity, capabilities, no_new_privs, chroot, Landlock, seccomp, execveat,
 * resource limits, session, cgroup, parent death, umask, securebits).
 *
 * main() parses the options, turns them into spx attributes, spawns the
 * program, waits for it (under --timeout, which kills its process group or
 * cgroup) while forwarding signals, and exits
 * with its status, as timeout(1) and env(1) do.
 *
 * SPDX-License-Identifier: MIT
 */
#include <errno.h>
#include <limits.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <termios.h>
#include <time.h>
#include <unistd.h>

#include "spx-run.h"

static long long now_ms(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (long long)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

static int spawn_failure_status(const spx_error *err, int rc)
{
    if (err->stage == SPX_STAGE_EXEC || err->stage == SPX_STAGE_PREPARE) {
        if (rc == ENOENT)
            return EXIT_ENOENT;
        if (err->stage == SPX_STAGE_EXEC)
            return EXIT_CANNOT_INVOKE;
        if (rc == EACCES || rc == ENOEXEC)
            return EXIT_CANNOT_INVOKE;
    }
    return EXIT_CANCELED;
}

/* Waits for the child, killing it (and what --timeout kills with it) when
 * --timeout expires; true if it did. */
static bool wait_child(spx_process *proc, const struct options *o, const struct plan *pl, int *code, int *sig)
{
    bool cgroup_killed = false;
    int rc;
    bool timed_out = false;
    if (o->have_timeout) {
        long long deadline = now_ms() + o->timeout_ms;
        for (;;) {
            long long left = deadline - now_ms();
            if (left <= 0) {
                timed_out = true;
                break;
            }
            rc = spx_process_wait_timeout(proc, left > INT_MAX ? INT_MAX : (int)left, code, sig);
            if (rc == 0)
                break;
            if (rc != ETIMEDOUT && rc != EINTR)
                die("wait: %s", strerror(rc));
        }
        if (timed_out)
            cgroup_killed = kill_on_timeout(proc, o, pl);
    }
    if (!o->have_timeout || timed_out) {
        do
            rc = spx_process_wait(proc, code, sig);
        while (rc == EINTR);
        if (rc != 0)
            die("wait: %s", strerror(rc));
    }
    if (cgroup_killed)
        wait_cgroup_empty(o->cgroup_fd);
    return timed_out;
}

/* --foreground gave the terminal to the program's group: give it back to
 * the group that had it, as a shell does when a job ends, or whatever runs
 * next on the terminal (this shell script, spx-run's caller) would be
 * stopped by SIGTTIN. */
static void restore_foreground(const struct options *o, int fd, pid_t saved)
{
    if (!o->foreground || o->setsid || fd < 0 || saved <= 0 || tcgetpgrp(fd) == saved)
        return;
    sigset_t ttou, old;
    sigemptyset(&ttou);
    sigaddset(&ttou, SIGTTOU); /* blocked: a background group may take it */
    sigprocmask(SIG_BLOCK, &ttou, &old);
    tcsetpgrp(fd, saved);
    sigprocmask(SIG_SETMASK, &old, NULL);
}

int main(int argc, char **argv)
{
    struct options o = OPTIONS_INIT;
    parse_options(&o, argc, argv);

    spx_attr *attr = spx_attr_new();
    if (!attr)
        die("out of memory");

    struct plan pl;
    memset(&pl, 0, sizeof pl);

    apply_identity(attr, &o);
    apply_fds(attr, &o);
    apply_controls(attr, &o);
    spx_landlock *rs = apply_landlock(attr, &o, &pl);
    spx_seccomp *filter = apply_seccomp(attr, &o, &pl);
    pl.envp = build_env(&o);
    /* The program the child executes: looked up in the PATH it gets. */
    char *exec_path = o.exec_fd >= 0 ? xstrdup(o.program) : resolve_program(&o, pl.envp);
    pl.exec_path = exec_path;
    if (strcmp(exec_path, o.program) != 0)
        pl.path_searched = child_env_path(&o, pl.envp) ? child_env_path(&o, pl.envp) : default_path;
    char *sealed_path = apply_exec(attr, &o, &pl, exec_path);

    /* Ignored signals stay ignored across exec; SIGPIPE goes back to its
     * default, as a shell gives it, unless --keep-sigpipe. */
    intvec dfl = { 0 };
    for (size_t i = 0; i < o.sigdefault.n; i++)
        push_unique_int(&dfl, o.sigdefault.v[i]);
    if (!o.keep_sigpipe)
        push_unique_int(&dfl, SIGPIPE);
    check(spx_attr_set_sigdefault(attr, dfl.v, dfl.n), "--sigdefault");
    pl.sigdefault = dfl;

    /* Signals: block the forwarded ones until the child's handle is known;
     * the child gets spx-run's original mask. */
    sigset_t fwd, old;
    install_forwarding(&fwd);
    sigprocmask(SIG_BLOCK, &fwd, &old);
    int mask[64];
    size_t nmask = 0;
    sigset_t child_mask = old;
    if (o.have_sigmask) {
        sigemptyset(&child_mask);
        for (size_t i = 0; i < o.sigmask.n; i++)
            sigaddset(&child_mask, o.sigmask.v[i]);
    }
    for (int s = 1; s <= 64 && s <= SIGRTMAX; s++)
        if (sigismember(&child_mask, s) == 1)
            mask[nmask++] = s;
    check(spx_attr_set_sigmask(attr, mask, nmask), o.have_sigmask ? "--sigmask" : "signal mask");
    pl.child_mask = &child_mask;
    plan_timeout(&o, &pl);
    int term_fd = o.foreground ? parent_fd_of(&o, o.foreground_fd) : -1;
    pid_t term_pgrp = term_fd >= 0 ? tcgetpgrp(term_fd) : -1;

    if (o.explain)
        print_plan(&o, &pl);

    spx_process *proc = NULL;
    spx_error err;
    memset(&err, 0, sizeof err);
    bool use_fd = o.exec_fd >= 0 || o.sealed;
    int rc = spx_spawn(&proc, attr, use_fd ? NULL : exec_path, (const char *const *)o.argv,
                       (const char *const *)pl.envp, &err);
    spx_attr_free(attr);
    spx_landlock_free(rs);
    spx_seccomp_free(filter);
    free(sealed_path);
    free(dfl.v);
    if (rc != 0) {
        const char *hint = "";
        strbuf why = { 0 };
        /* --sealed executes a copy of exec_path: its #! and ELF interpreter
         * are that file's (its mode and mount are the memfd's). */
        if (err.stage == SPX_STAGE_EXEC && (rc == ENOENT || rc == ENOEXEC || rc == EACCES) &&
            (!use_fd || (o.sealed && rc != EACCES)))
            diagnose_exec(&o, &pl, exec_path, rc, &why);
        if (rc == EPERM && err.stage == SPX_STAGE_RLIMIT)
            hint = " (raising a hard limit needs CAP_SYS_RESOURCE)";
        if (rc == EPERM && err.stage == SPX_STAGE_SESSION && o.ctty >= 0)
            hint = " (--ctty: the terminal is another session's controlling terminal)";
        if (rc == EINTR && o.cgroup)
            hint = " (--cgroup: its memory limit, or a cgroup.kill this kernel remembers: see NOTES in spx-run(1))";
        if (rc == EBUSY && err.stage == SPX_STAGE_CGROUP)
            hint = " (a cgroup that gives controllers to its children takes no process: use a leaf)";
        if (why.s) {
            strbuf h = { 0 };
            sb_printf(&h, " (%s)", why.s);
            free(why.s);
            why = h;
            hint = why.s;
        }
        if (err.message[0])
            warn("%s%s", err.message, hint);
        else
            warn("%s: %s%s", spx_stage_name(err.stage), strerror(rc), hint);
        free(why.s);
        free(pl.envp);
        free(exec_path);
        free_options(&o);
        return spawn_failure_status(&err, rc);
    }

    /* Signals go where --timeout's SIGKILL goes: to the group the program
     * leads, if it leads one. */
    pid_t pid = (pid_t)spx_process_pid(proc);
    pid_t group = program_group(&o, pid);
    forward_to_child(pid, spx_process_pidfd(proc), group == pid ? pid : 0, group != 0);
    sigprocmask(SIG_SETMASK, &old, NULL);

    int code = -1, sig = 0;
    bool timed_out = wait_child(proc, &o, &pl, &code, &sig);
    stop_forwarding();
    restore_foreground(&o, term_fd, term_pgrp);
    spx_process_free(proc);
    free(pl.envp);
    free(exec_path);
    free_options(&o);

    if (timed_out) {
        if (o.explain)
            fprintf(stderr, "spx-run: timeout: killed after %g s\n", o.timeout_s);
        return EXIT_TIMEDOUT;
    }
    if (sig > 0) {
        /* Said on stderr, as a shell would, except for the two deaths a
         * shell keeps quiet about: an interrupt and a closed pipe. */
        if (sig != SIGINT && sig != SIGPIPE) {
            const char *abbrev = sigabbrev_np(sig);
            if (abbrev)
                warn("killed by SIG%s%s", abbrev, sig == SIGSYS && pl.seccomp ? ": seccomp" : "");
            else
                warn("killed by signal %d", sig);
        }
        return 128 + sig;
    }
    return code & 0xff;
}
