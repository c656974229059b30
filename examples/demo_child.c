/* The demo re-executes itself as its own child ("spx-demo --child ...") so
 * that what a child got is reported from inside it, with no other program
 * needed on the machine. */
#include "demo.h"

#include <arpa/inet.h>
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <netinet/in.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <unistd.h>

const char *demo_self(void) {
    static char self[4096];
    if (!self[0]) {
        ssize_t n = readlink("/proc/self/exe", self, sizeof self - 1);
        if (n < 0) {
            perror("readlink /proc/self/exe");
            exit(1);
        }
        self[n] = '\0';
    }
    return self;
}

static void report(void) {
    char cwd[4096];
    printf("cwd: %s\n", getcwd(cwd, sizeof cwd) ? cwd : "?");
    FILE *f = fopen("/proc/self/status", "r");
    char line[256];
    while (f && fgets(line, sizeof line, f))
        if (!strncmp(line, "Uid:", 4) || !strncmp(line, "Cap", 3) || !strncmp(line, "NoNewPrivs:", 11)) fputs(line, stdout);
    if (f) fclose(f);
    DIR *d = opendir("/proc/self/fd");
    printf("fds:");
    struct dirent *e;
    while (d && (e = readdir(d)))
        if (e->d_name[0] != '.' && atoi(e->d_name) != dirfd(d)) printf(" %s", e->d_name);
    printf("\n");
    if (d) closedir(d);
}

/* What the per-child controls gave this process: its cgroup, two limits,
 * session and umask. */
static void controls(void) {
    char line[512];
    FILE *f = fopen("/proc/self/cgroup", "r");
    while (f && fgets(line, sizeof line, f))
        if (!strncmp(line, "0::", 3)) printf("cgroup: %s", line);
    if (f) fclose(f);
    f = fopen("/proc/self/limits", "r");
    while (f && fgets(line, sizeof line, f)) {
        char soft[32], hard[32];
        const char *key = !strncmp(line, "Max open files", 14) ? "nofile" : !strncmp(line, "Max processes", 13) ? "nproc" : NULL;
        if (key && sscanf(line + 26, "%31s %31s", soft, hard) == 2) printf("%s: %s %s\n", key, soft, hard);
    }
    if (f) fclose(f);
    printf("session: leads its own session (sid %d = pid %d, group %d)\n", (int)getsid(0), (int)getpid(), (int)getpgrp());
    mode_t m = umask(0);
    printf("umask: %04o\n", (unsigned)m);
}

static const char *outcome(int ok) { return ok ? "ok" : strerror(errno); }

int demo_child_main(int argc, char **argv) {
    for (int i = 2; i < argc; i++) {
        const char *cmd = argv[i], *arg = i + 1 < argc ? argv[i + 1] : "";
        if (!strcmp(cmd, "report")) {
            report();
        } else if (!strcmp(cmd, "controls")) {
            controls();
        } else if (!strcmp(cmd, "bind")) {
            int s = socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0), one = 1;
            setsockopt(s, SOL_SOCKET, SO_REUSEADDR, &one, sizeof one);
            struct sockaddr_in a = {.sin_family = AF_INET, .sin_port = htons((unsigned short)atoi(arg))};
            a.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
            printf("bind %s: %s\n", arg, outcome(s >= 0 && bind(s, (struct sockaddr *)&a, sizeof a) == 0));
            i++;
        } else if (!strcmp(cmd, "write")) {
            int fd = open(arg, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0644);
            printf("write %s: %s\n", arg, outcome(fd >= 0));
            if (fd >= 0) close(fd);
            i++;
        } else if (!strcmp(cmd, "read")) {
            int fd = open(arg, O_RDONLY | O_CLOEXEC);
            printf("read %s: %s\n", arg, outcome(fd >= 0));
            if (fd >= 0) close(fd);
            i++;
        } else if (!strcmp(cmd, "mkdir")) {
            printf("mkdir %s: %s\n", arg, outcome(mkdir(arg, 0755) == 0));
            i++;
        } else if (!strcmp(cmd, "socket")) {
            printf("socket: %s\n", outcome(socket(AF_INET, SOCK_STREAM, 0) >= 0));
        } else if (!strcmp(cmd, "say")) {
            printf("%s\n", arg);
            i++;
        }
    }
    return 0;
}
