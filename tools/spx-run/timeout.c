/*
 * spx-run: what --timeout kills. Killing only the program would leave what
 * it started running (sh -c 'sleep 3 & sleep 10'), so the program runs in a
 * process group of its own and the whole group is killed; with --cgroup,
 * every process of the cgroup, through cgroup.kill, which also catches the
 * ones that left the group (setsid, a daemon's double fork).
 *
 * SPDX-License-Identifier: MIT
 */
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "spx-run.h"

pid_t program_group(const struct options *o, pid_t pid)
{
    if (o->setsid || (o->have_pgroup && o->pgroup == 0))
        return pid;
    /* Never spx-run's own group: killing it would kill spx-run. */
    if (o->have_pgroup && o->pgroup > 0 && (pid_t)o->pgroup != getpgrp())
        return (pid_t)o->pgroup;
    return 0;
}

/* Whether spx-run itself is in the cgroup at cgfd or beneath it: cgroup.kill
 * would kill it too. True when it cannot tell. */
static bool self_inside(int cgfd)
{
    struct stat target;
    char mnt[2048], line[4096], path[8192];
    if (fstat(cgfd, &target) != 0)
        return true;
    cgroup2_mount(mnt, sizeof mnt);
    FILE *f = fopen("/proc/self/cgroup", "re");
    bool found = false;
    while (f && !found && fgets(line, sizeof line, f))
        found = strncmp(line, "0::", 3) == 0;
    if (f)
        fclose(f);
    if (!mnt[0] || !found)
        return true;
    line[strcspn(line, "\n")] = '\0';
    snprintf(path, sizeof path, "%s%s", mnt, strcmp(line + 3, "/") == 0 ? "" : line + 3);
    size_t root = strlen(mnt);
    /* From spx-run's cgroup up to the root of the hierarchy. */
    for (;;) {
        struct stat st;
        if (stat(path, &st) != 0)
            return true;
        if (st.st_dev == target.st_dev && st.st_ino == target.st_ino)
            return true;
        char *slash = strrchr(path, '/');
        if (strlen(path) <= root || !slash || (size_t)(slash - path) < root)
            return false;
        *slash = '\0';
    }
}

void plan_timeout(const struct options *o, struct plan *pl)
{
    if (!o->have_timeout)
        return;
    pl->kill_group = program_group(o, 1) != 0;
    if (o->cgroup_fd < 0)
        return;
    if (faccessat(o->cgroup_fd, "cgroup.kill", W_OK, 0) != 0)
        pl->no_cgroup_kill = errno == ENOENT ? "no cgroup.kill (it needs Linux 5.14, and the root cgroup has none)"
                                             : "cgroup.kill is not writable";
    else if (self_inside(o->cgroup_fd))
        pl->no_cgroup_kill = "spx-run itself is in it";
    else
        pl->kill_cgroup = true;
}

void wait_cgroup_empty(int cgfd)
{
    for (int i = 0; i < 100; i++) {
        char buf[256];
        int fd = openat(cgfd, "cgroup.events", O_RDONLY | O_CLOEXEC);
        if (fd < 0)
            return;
        ssize_t n = read(fd, buf, sizeof buf - 1);
        close(fd);
        if (n <= 0)
            return;
        buf[n] = '\0';
        if (strstr(buf, "populated 0"))
            return;
        nanosleep(&(struct timespec){ 0, 10 * 1000 * 1000 }, NULL);
    }
}

static bool cgroup_kill(int cgfd)
{
    int fd = openat(cgfd, "cgroup.kill", O_WRONLY | O_CLOEXEC);
    if (fd < 0)
        return false;
    bool ok = write(fd, "1", 1) == 1;
    close(fd);
    return ok;
}

bool kill_on_timeout(spx_process *proc, const struct options *o, const struct plan *pl)
{
    bool cgroup_killed = pl->kill_cgroup && cgroup_kill(o->cgroup_fd);
    pid_t pgid = program_group(o, (pid_t)spx_process_pid(proc));
    if (pgid > 0 && kill(-pgid, SIGKILL) != 0 && errno != ESRCH)
        warn("timeout: kill process group %d: %s", (int)pgid, strerror(errno));
    /* The program itself, in any case: it may have left its group. */
    int rc = spx_process_kill(proc, SIGKILL);
    if (rc != 0 && rc != ESRCH)
        die("timeout: kill: %s", strerror(rc));
    return cgroup_killed;
}
