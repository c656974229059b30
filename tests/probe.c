/*
 * spx-probe: the child the tests spawn. It reports, from inside, what it
 * really got. Each argument is a command; results are printed as
 * "key: value" lines on stdout. Commands:
 *   status            Uid, Gid, Groups, Cap..., NoNewPrivs, Seccomp, Sig..., Umask lines of /proc/self/status
 *   limits            /proc/self/limits as "limit NAME: SOFT HARD" (unlimited as -1)
 *   stat              "pid/ppid/pgrp/session/tty_nr/tpgid: N" from /proc/self/stat
 *   cgroup            "cgroup: LINE" for each line of /proc/self/cgroup
 *   securebits        "securebits: N" (PR_GET_SECUREBITS)
 *   pdeathsig         "pdeathsig: N" (PR_GET_PDEATHSIG)
 *   fds               "fd: N -> target" for every open descriptor
 *   cwd               "cwd: PATH"
 *   env               "env: K=V" for every variable
 *   argv0             "argv0: ..." (the probe's own argv[0])
 *   exe               "exe: TARGET" of /proc/self/exe (what was really executed)
 *   exe               "exe: TARGET" of /proc/self/exe (what was really executed)
 *   sigdfl            "sigcaught: N" for every signal not at SIG_DFL/SIG_IGN
 *   write=PATH        create PATH: "write PATH: ok|ERRNAME"
 *   write-exit=PATH   create PATH and exit at once: status 0, or the errno (no output)
 *   truncate=PATH     truncate(PATH, 0): "truncate PATH: ok|ERRNAME"
 *   echo=TEXT         TEXT and a newline in one write(2) to stdout; if that
 *                     write fails, exit at once with status 100 + errno
 *   read=PATH         open PATH read-only: "read PATH: ok|ERRNAME"
 *   mkdir=PATH        "mkdir PATH: ok|ERRNAME"
 *   rename=OLD:NEW    rename(OLD, NEW): "rename OLD NEW: ok|ERRNAME"
 *   link=OLD:NEW      hard link NEW to OLD: "link OLD NEW: ok|ERRNAME"
 *   bind=PORT         bind a TCP socket on 127.0.0.1:PORT: "bind PORT: ok|ERRNAME"
 *   connect=PORT      "connect PORT: ok|ERRNAME"
 *   bind-udp=PORT     bind a UDP socket on 127.0.0.1:PORT: "bind-udp PORT: ok|ERRNAME"
 *   send-udp=PORT     send a datagram to 127.0.0.1:PORT: "send-udp PORT: ok|ERRNAME"
 *   connect-unix=PATH connect to the pathname UNIX stream socket PATH:
 *                     "connect-unix PATH: ok|ERRNAME"
 *   socket            "socket: ok|ERRNAME" (AF_INET stream)
 *   socket-unix       "socket-unix: ok|ERRNAME" (AF_UNIX stream)
 *   tiocsti           ioctl(0, TIOCSTI, " "): "tiocsti: ok|ERRNAME"
 *   tiocsti-hi        the same with the upper half of the request's register
 *                     set (the kernel reads an unsigned int): "tiocsti-hi: ok|ERRNAME"
 *   tcgets            ioctl(0, TCGETS): "tcgets: ok|ERRNAME"
 *   clone=HEX         raw clone(HEX | SIGCHLD), the copy exits at once:
 *                     "clone HEX: ok|ERRNAME"
 *   thread            start and join a thread (pthread_create): "thread: ok|ERRNAME"
 *   x32               getpid through the x32 ABI (x86_64 only): "x32: ok|ERRNAME|none"
 *   settime           clock_settime(CLOCK_REALTIME, now): "settime: ok|ERRNAME"
 *   kill=PID          kill(PID, SIGTERM): "kill PID: ok|ERRNAME"
 *   sleep=MS          sleep that long
 *   raise=SIG         raise(SIG)
 *   exit=N            exit(N) now
 *   out=FD            print everything after this to descriptor FD
 * Built twice: normally, and static (for chroot tests).
 */
#include <arpa/inet.h>
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <netinet/in.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/prctl.h>
#include <sys/resource.h>
#include <sys/socket.h>
#include <sys/un.h>
#include <sys/stat.h>
#include <sys/ioctl.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <pthread.h>
#include <termios.h>
#include <time.h>
#include <unistd.h>

extern char **environ;

static const char *result(int ok) { return ok ? "ok" : strerrorname_np(errno); }

static void *thread_main(void *arg) { return arg; }

static void start_thread(void) {
    pthread_t t;
    int rc = pthread_create(&t, NULL, thread_main, NULL);
    if (rc == 0) rc = pthread_join(t, NULL);
    errno = rc;
    printf("thread: %s\n", result(rc == 0));
}

/* clone(2) itself, not glibc's fork (which may use other calls): the
 * system call a filter's flag conditions see. */
static void raw_clone(const char *hex) {
    unsigned long flags = strtoul(hex, NULL, 16);
    long pid = syscall(SYS_clone, flags | SIGCHLD, 0, NULL, NULL, 0);
    if (pid == 0) _exit(0);
    if (pid > 0) waitpid((pid_t)pid, NULL, 0);
    printf("clone %s: %s\n", hex, result(pid > 0));
}

static void status(void) {
    static const char *keys[] = {"Uid:", "Gid:", "Groups:", "CapInh:", "CapPrm:", "CapEff:", "CapBnd:",
                                 "CapAmb:", "NoNewPrivs:", "Seccomp:", "Seccomp_filters:", "SigBlk:", "SigIgn:", "SigCgt:", "Umask:", NULL};
    FILE *f = fopen("/proc/self/status", "r");
    if (!f) {
        printf("status: %s\n", strerrorname_np(errno));
        return;
    }
    char line[512];
    while (fgets(line, sizeof line, f))
        for (int i = 0; keys[i]; i++)
            if (!strncmp(line, keys[i], strlen(keys[i]))) fputs(line, stdout);
    fclose(f);
}

static void fds(void) {
    DIR *d = opendir("/proc/self/fd");
    if (!d) {
        printf("fds: %s\n", strerrorname_np(errno));
        return;
    }
    int self = dirfd(d);
    struct dirent *e;
    while ((e = readdir(d))) {
        if (e->d_name[0] == '.') continue;
        int fd = atoi(e->d_name);
        if (fd == self) continue;
        char target[512];
        ssize_t n = readlinkat(self, e->d_name, target, sizeof target - 1);
        target[n < 0 ? 0 : n] = '\0';
        printf("fd: %d -> %s\n", fd, target);
    }
    closedir(d);
}

static void limits(void) {
    static const char *names[] = {"cpu", "fsize", "data", "stack", "core", "rss", "nproc", "nofile",
                                  "memlock", "as", "locks", "sigpending", "msgqueue", "nice", "rtprio", "rttime"};
    for (int r = 0; r < 16; r++) {
        struct rlimit rl;
        if (getrlimit(r, &rl) != 0) continue;
        printf("limit %s: %lld %lld\n", names[r], rl.rlim_cur == RLIM_INFINITY ? -1LL : (long long)rl.rlim_cur,
               rl.rlim_max == RLIM_INFINITY ? -1LL : (long long)rl.rlim_max);
    }
}

/* Fields 1, 4-8 of /proc/self/stat (after the parenthesised name). */
static void stat_fields(void) {
    char buf[4096];
    FILE *f = fopen("/proc/self/stat", "r");
    size_t n = f ? fread(buf, 1, sizeof buf - 1, f) : 0;
    if (f) fclose(f);
    buf[n] = '\0';
    char *close_paren = strrchr(buf, ')');
    int ppid, pgrp, session, tty, tpgid;
    char state;
    if (!close_paren || sscanf(close_paren + 2, "%c %d %d %d %d %d", &state, &ppid, &pgrp, &session, &tty, &tpgid) != 6) {
        printf("stat: EIO\n");
        return;
    }
    printf("pid: %d\nppid: %d\npgrp: %d\nsession: %d\ntty_nr: %d\ntpgid: %d\n", getpid(), ppid, pgrp, session, tty, tpgid);
}

static void cgroup(void) {
    FILE *f = fopen("/proc/self/cgroup", "r");
    char line[1024];
    while (f && fgets(line, sizeof line, f)) printf("cgroup: %s", line);
    if (f) fclose(f);
}

/* rename= and link=: "OLD:NEW" split at the first colon */
static void two_paths(const char *what, const char *arg, int do_link) {
    char old[4096];
    const char *colon = strchr(arg, ':');
    size_t n = colon ? (size_t)(colon - arg) : 0;
    if (!colon || n >= sizeof old) {
        printf("%s %s: EINVAL\n", what, arg);
        return;
    }
    memcpy(old, arg, n);
    old[n] = '\0';
    int ok = do_link ? link(old, colon + 1) == 0 : rename(old, colon + 1) == 0;
    printf("%s %s %s: %s\n", what, old, colon + 1, result(ok));
}

static void tcp(const char *what, const char *port, int do_bind) {
    int s = socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
    if (s < 0) {
        printf("%s %s: %s\n", what, port, strerrorname_np(errno));
        return;
    }
    int one = 1;
    setsockopt(s, SOL_SOCKET, SO_REUSEADDR, &one, sizeof one);
    struct sockaddr_in a = {.sin_family = AF_INET, .sin_port = htons((unsigned short)atoi(port))};
    a.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    int ok = do_bind ? bind(s, (struct sockaddr *)&a, sizeof a) == 0 : connect(s, (struct sockaddr *)&a, sizeof a) == 0;
    printf("%s %s: %s\n", what, port, result(ok));
    close(s);
}

/* bind-udp=PORT, send-udp=PORT: one UDP socket on the loopback */
static void udp(const char *what, const char *port, int do_bind) {
    int s = socket(AF_INET, SOCK_DGRAM | SOCK_CLOEXEC, 0);
    if (s < 0) {
        printf("%s %s: %s\n", what, port, strerrorname_np(errno));
        return;
    }
    struct sockaddr_in a = {.sin_family = AF_INET, .sin_port = htons((unsigned short)atoi(port))};
    a.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    int ok = do_bind ? bind(s, (struct sockaddr *)&a, sizeof a) == 0
                     : sendto(s, "x", 1, 0, (struct sockaddr *)&a, sizeof a) == 1;
    printf("%s %s: %s\n", what, port, result(ok));
    close(s);
}

/* connect-unix=PATH: a stream connection to a pathname UNIX socket */
static void connect_unix(const char *path) {
    int s = socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0);
    struct sockaddr_un a = {.sun_family = AF_UNIX};
    snprintf(a.sun_path, sizeof a.sun_path, "%s", path);
    int ok = s >= 0 && connect(s, (struct sockaddr *)&a, sizeof a) == 0;
    printf("connect-unix %s: %s\n", path, result(ok));
    if (s >= 0) close(s);
}

int main(int argc, char **argv) {
    for (int i = 1; i < argc; i++) {
        const char *cmd = argv[i];
        const char *arg = strchr(cmd, '=');
        arg = arg ? arg + 1 : "";
        if (!strcmp(cmd, "status")) status();
        else if (!strcmp(cmd, "limits")) limits();
        else if (!strcmp(cmd, "stat")) stat_fields();
        else if (!strcmp(cmd, "cgroup")) cgroup();
        else if (!strcmp(cmd, "securebits")) printf("securebits: %d\n", prctl(PR_GET_SECUREBITS));
        else if (!strcmp(cmd, "pdeathsig")) {
            int sig = -1;
            prctl(PR_GET_PDEATHSIG, &sig);
            printf("pdeathsig: %d\n", sig);
        }
        else if (!strcmp(cmd, "fds")) fds();
        else if (!strcmp(cmd, "cwd")) {
            char buf[4096];
            printf("cwd: %s\n", getcwd(buf, sizeof buf) ? buf : strerrorname_np(errno));
        } else if (!strcmp(cmd, "env")) {
            for (char **e = environ; *e; e++) printf("env: %s\n", *e);
        } else if (!strcmp(cmd, "argv0")) printf("argv0: %s\n", argv[0]);
        else if (!strcmp(cmd, "exe")) {
            char target[4096];
            ssize_t n = readlink("/proc/self/exe", target, sizeof target - 1);
            target[n < 0 ? 0 : n] = '\0';
            printf("exe: %s\n", n < 0 ? strerrorname_np(errno) : target);
        } else if (!strcmp(cmd, "sigdfl")) {
            for (int s = 1; s < NSIG; s++) {
                struct sigaction sa;
                if (sigaction(s, NULL, &sa) == 0 && sa.sa_handler != SIG_DFL && sa.sa_handler != SIG_IGN)
                    printf("sigcaught: %d\n", s);
            }
        } else if (!strncmp(cmd, "write=", 6)) {
            int fd = open(arg, O_WRONLY | O_CREAT | O_CLOEXEC, 0644);
            printf("write %s: %s\n", arg, result(fd >= 0));
            if (fd >= 0) close(fd);
        } else if (!strncmp(cmd, "write-exit=", 11)) {
            int fd = open(arg, O_WRONLY | O_CREAT | O_CLOEXEC, 0644);
            _exit(fd >= 0 ? 0 : errno);
        } else if (!strncmp(cmd, "truncate=", 9)) {
            printf("truncate %s: %s\n", arg, result(truncate(arg, 0) == 0));
        } else if (!strncmp(cmd, "echo=", 5)) {
            char line[4096];
            int n = snprintf(line, sizeof line, "%s\n", arg);
            if (n >= (int)sizeof line) n = (int)sizeof line - 1;
            fflush(stdout);
            if (write(1, line, (size_t)n) != n) _exit(100 + errno);
        } else if (!strncmp(cmd, "read=", 5)) {
            int fd = open(arg, O_RDONLY | O_CLOEXEC);
            printf("read %s: %s\n", arg, result(fd >= 0));
            if (fd >= 0) close(fd);
        } else if (!strncmp(cmd, "mkdir=", 6)) printf("mkdir %s: %s\n", arg, result(mkdir(arg, 0755) == 0));
        else if (!strncmp(cmd, "rename=", 7)) two_paths("rename", arg, 0);
        else if (!strncmp(cmd, "link=", 5)) two_paths("link", arg, 1);
        else if (!strncmp(cmd, "bind=", 5)) tcp("bind", arg, 1);
        else if (!strncmp(cmd, "connect=", 8)) tcp("connect", arg, 0);
        else if (!strncmp(cmd, "bind-udp=", 9)) udp("bind-udp", arg, 1);
        else if (!strncmp(cmd, "send-udp=", 9)) udp("send-udp", arg, 0);
        else if (!strncmp(cmd, "connect-unix=", 13)) connect_unix(arg);
        else if (!strcmp(cmd, "socket")) {
            int s = socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
            printf("socket: %s\n", result(s >= 0));
        } else if (!strcmp(cmd, "socket-unix")) {
            int s = socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0);
            printf("socket-unix: %s\n", result(s >= 0));
        } else if (!strcmp(cmd, "tiocsti")) {
            char c = ' ';
            printf("tiocsti: %s\n", result(ioctl(0, TIOCSTI, &c) == 0));
        } else if (!strcmp(cmd, "tiocsti-hi")) {
            char c = ' ';
            long r = syscall(SYS_ioctl, 0, 0xffffffff00000000ul | TIOCSTI, &c);
            printf("tiocsti-hi: %s\n", result(r == 0));
        } else if (!strcmp(cmd, "tcgets")) {
            struct termios t;
            printf("tcgets: %s\n", result(ioctl(0, TCGETS, &t) == 0));
        } else if (!strncmp(cmd, "clone=", 6)) raw_clone(arg);
        else if (!strcmp(cmd, "thread")) start_thread();
        else if (!strcmp(cmd, "x32")) {
#ifdef __x86_64__
            printf("x32: %s\n", result(syscall(0x40000000 | SYS_getpid) >= 0));
#else
            printf("x32: none\n");
#endif
        } else if (!strcmp(cmd, "settime")) {
            struct timespec ts;
            clock_gettime(CLOCK_REALTIME, &ts);
            printf("settime: %s\n", result(clock_settime(CLOCK_REALTIME, &ts) == 0));
        } else if (!strncmp(cmd, "kill=", 5)) printf("kill %s: %s\n", arg, result(kill(atoi(arg), SIGTERM) == 0));
        else if (!strncmp(cmd, "sleep=", 6)) usleep((useconds_t)atoi(arg) * 1000);
        else if (!strncmp(cmd, "raise=", 6)) raise(atoi(arg));
        else if (!strncmp(cmd, "out=", 4)) {
            fflush(stdout);
            if (dup2(atoi(arg), 1) < 0) return 98;
        } else if (!strncmp(cmd, "exit=", 5)) {
            fflush(stdout);
            _exit(atoi(arg));
        } else {
            printf("unknown: %s\n", cmd);
            return 99;
        }
        fflush(stdout);
    }
    return 0;
}
