/* Per-child controls: a child created straight into a cgroup of its own,
 * with its own RLIMIT_NOFILE and RLIMIT_NPROC, session and umask, each
 * reported from inside it. */
#include "demo.h"

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/stat.h>
#include <unistd.h>

/* The cgroup v2 mount point (/sys/fs/cgroup, or /sys/fs/cgroup/unified on a
 * hybrid layout), or "" when there is none. */
static void cgroup2_root(char *buf, size_t len) {
    buf[0] = '\0';
    FILE *f = fopen("/proc/self/mountinfo", "re");
    char line[4096];
    while (f && fgets(line, sizeof line, f)) {
        char mnt[2048], fstype[64];
        const char *dash = strstr(line, " - ");
        if (!dash || sscanf(dash + 3, "%63s", fstype) != 1 || strcmp(fstype, "cgroup2")) continue;
        if (sscanf(line, "%*s %*s %*s %*s %2047s", mnt) == 1) {
            snprintf(buf, len, "%s", mnt);
            break;
        }
    }
    if (f) fclose(f);
}

/* A new cgroup for the child, its directory in dir; -1 (said why) if none. */
static int make_cgroup(char *dir, size_t len) {
    char root[2048];
    cgroup2_root(root, sizeof root);
    if (!root[0]) {
        demo_line("(no cgroup v2 hierarchy is mounted: the child stays in ours)");
        return -1;
    }
    snprintf(dir, len, "%s/spx-demo-%d", root, (int)getpid());
    if (mkdir(dir, 0755) != 0) {
        demo_line("(cannot create a cgroup under %s: %s; the child stays in ours)", root, strerror(errno));
        return -1;
    }
    return open(dir, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
}

void demo_controls(void) {
    demo_title("limits, session, cgroup: a child in a cgroup of its own, with its own limits");
    char out[4096], dir[2200], b1[256], b2[128], b3[128];
    int code;
    spx_error err;
    spx_attr *a = spx_attr_new();
    int nofile = spx_rlimit_from_name("nofile"), nproc = spx_rlimit_from_name("nproc");
    spx_attr_set_rlimit(a, nofile, 64, 64);
    spx_attr_set_rlimit(a, nproc, 32, 32);
    spx_attr_set_setsid(a, 1);
    spx_attr_set_umask(a, 027);
    int cg = make_cgroup(dir, sizeof dir);
    if (cg >= 0) {
        spx_attr_set_cgroup_fd(a, cg);
        close(cg); /* the attribute holds its own copy */
    }
    const char *argv[] = {demo_self(), "--child", "controls", NULL};
    if (demo_run(a, argv, out, sizeof out, &code, &err) != 0) {
        demo_line("spawn failed in stage '%s': %s", spx_stage_name(err.stage), err.message);
    } else {
        struct rlimit own;
        getrlimit(RLIMIT_NOFILE, &own);
        demo_line("inside, /proc/self/cgroup says %s%s", demo_grep(out, "cgroup:", b1, sizeof b1),
                  cg >= 0 ? " (placed there by spx before it ran anything of its own)" : "");
        demo_line("open files %s, processes %s (soft hard; the demo itself may open %llu files)",
                  demo_grep(out, "nofile:", b2, sizeof b2), demo_grep(out, "nproc:", b3, sizeof b3),
                  (unsigned long long)own.rlim_cur);
        demo_line("%s, umask %s", demo_grep(out, "session:", b1, sizeof b1), demo_grep(out, "umask:", b2, sizeof b2));
    }

    /* A hard limit above ours: only a caller with CAP_SYS_RESOURCE may. */
    struct rlimit own;
    getrlimit(RLIMIT_NOFILE, &own);
    if (own.rlim_max != RLIM_INFINITY) {
        spx_attr_set_rlimit(a, nofile, 64, (uint64_t)own.rlim_max + 1);
        if (demo_run(a, argv, out, sizeof out, &code, &err) != 0)
            demo_line("a hard limit above ours (%llu) was refused in stage '%s': %s (no CAP_SYS_RESOURCE here)",
                      (unsigned long long)own.rlim_max + 1, spx_stage_name(err.stage), err.message);
        else
            demo_line("a hard limit above ours was allowed: this process holds CAP_SYS_RESOURCE (nofile %s)",
                      demo_grep(out, "nofile:", b2, sizeof b2));
    }
    spx_attr_free(a);
    if (cg >= 0 && rmdir(dir) != 0) demo_line("(could not remove %s: %s)", dir, strerror(errno));
}
