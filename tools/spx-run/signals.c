/*
 * spx-run: forward the signals spx-run is sent (SIGTERM from kill(1) or a
 * service manager, SIGHUP, SIGUSR1...) to the child, so that stopping
 * spx-run stops the program instead of leaving it behind.
 *
 * SPDX-License-Identifier: MIT
 */
#include <errno.h>
#include <signal.h>
#include <string.h>
#include <sys/syscall.h>
#include <unistd.h>

#include "spx-run.h"

#ifndef SI_KERNEL
#define SI_KERNEL 0x80
#endif

/* Read by the handler, so they cannot live in a struct passed around. */
static volatile sig_atomic_t g_child_pid = 0;
static volatile sig_atomic_t g_child_pidfd = -1;
static volatile sig_atomic_t g_child_pgid = 0;
static volatile sig_atomic_t g_other_group = 0;

static void forward_signal(int sig, siginfo_t *si, void *uctx)
{
    (void)uctx;
    /* Terminal signals (^C) already reach a program in spx-run's process
     * group; one in a group of its own never sees them. */
    if (si && si->si_code == SI_KERNEL && !g_other_group)
        return;
    int saved = errno;
    /* The group's id is the leader's pid, which cannot be reused before
     * spx-run reaps it (and it stops forwarding right after). */
    if (g_child_pgid > 0) {
        kill(-(pid_t)g_child_pgid, sig);
        errno = saved;
        return;
    }
#ifdef SYS_pidfd_send_signal
    if (g_child_pidfd >= 0) {
        syscall(SYS_pidfd_send_signal, (int)g_child_pidfd, sig, NULL, 0U);
        errno = saved;
        return;
    }
#endif
    if (g_child_pid > 0)
        kill((pid_t)g_child_pid, sig);
    errno = saved;
}

static const int forwarded[] = { SIGHUP, SIGINT, SIGQUIT, SIGTERM, SIGUSR1, SIGUSR2 };

void install_forwarding(sigset_t *blocked)
{
    sigemptyset(blocked);
    for (size_t i = 0; i < sizeof forwarded / sizeof forwarded[0]; i++) {
        struct sigaction old;
        if (sigaction(forwarded[i], NULL, &old) == 0 && old.sa_handler == SIG_IGN)
            continue; /* ignored signals stay ignored, in the child too */
        struct sigaction sa;
        memset(&sa, 0, sizeof sa);
        sa.sa_sigaction = forward_signal;
        sa.sa_flags = SA_SIGINFO | SA_RESTART;
        sigemptyset(&sa.sa_mask);
        sigaction(forwarded[i], &sa, NULL);
        sigaddset(blocked, forwarded[i]);
    }
}

void forward_to_child(pid_t pid, int pidfd, pid_t pgid, bool other_group)
{
    g_child_pid = (sig_atomic_t)pid;
    g_child_pidfd = pidfd;
    g_child_pgid = (sig_atomic_t)pgid;
    g_other_group = other_group;
}

void stop_forwarding(void)
{
    g_child_pgid = 0;
    g_child_pidfd = -1;
    g_child_pid = 0;
}
