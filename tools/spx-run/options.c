/*
 * spx-run: the command line. Options are parsed into a struct options and
 * checked against each other here, so that a mistake is refused with exit
 * status 125 before anything is set up or run.
 *
 * SPDX-License-Identifier: MIT
 */
#include <ctype.h>
#include <errno.h>
#include <fcntl.h>
#include <getopt.h>
#include <grp.h>
#include <limits.h>
#include <pwd.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/prctl.h>
#include <sys/resource.h>
#include <signal.h>
#include <strings.h>
#include <sys/stat.h>
#include <unistd.h>

#include "spx-run.h"

static void usage(FILE *f)
{
    fputs(
"Usage: spx-run [OPTIONS] [--] PROGRAM [ARGS...]\n"
"Run PROGRAM with Linux security attributes set by libspx.\n"
"\n"
"Identity:\n"
"  --uid UID|NAME          run as this user; a numeric UID needs --gid, a NAME\n"
"                          also sets its primary group and supplementary groups\n"
"                          unless --gid/--groups say otherwise; HOME, USER,\n"
"                          LOGNAME and SHELL come from its passwd entry (as su\n"
"                          without '-') unless --env or --clear-env set them\n"
"  --gid GID|NAME          run with this group id\n"
"  --groups G1,G2|none|keep\n"
"                          exactly these supplementary groups, none, or keep\n"
"                          spx-run's own (a new uid or gid clears them)\n"
"  --ambient CAP,..        ambient capabilities kept across the uid change\n"
"                          (a new uid or gid clears the others)\n"
"  --inheritable CAP,..    inheritable capabilities (plus the ambient ones;\n"
"                          a new uid or gid clears the others)\n"
"  --bounding CAP,..|none  reduce the bounding set to exactly these\n"
"  --no-new-privs          set no_new_privs\n"
"  --chroot DIR            chroot into DIR (PROGRAM, PATH and --cwd are inside\n"
"                          it; Landlock paths are host paths)\n"
"  --cwd DIR               working directory of the program\n"
"Landlock (each restricts only its own family: path options the filesystem,\n"
"port options their protocol and direction, --unix pathname UNIX sockets;\n"
"paths as spx-run sees them, outside --chroot):\n"
"  --system-ro             what dynamically linked programs need, read-only:\n"
"                          --rox /usr /bin /sbin /lib*, --ro /etc/ld.so.cache,\n"
"                          localtime, name service files, /proc; /dev/null,\n"
"                          zero, full, random, urandom, tty read-write\n"
"                          (--explain lists them)\n"
"  --ro PATH               allow reading beneath PATH\n"
"  --rox PATH              allow reading and executing beneath PATH\n"
"  --rw PATH               allow everything beneath PATH\n"
"  --unix PATH             allow connecting to pathname UNIX sockets beneath\n"
"                          PATH (others denied; Landlock ABI 9)\n"
"  --bind-tcp PORT,..|none allow binding these TCP ports (others denied)\n"
"  --connect-tcp PORT,..|none  allow connecting to these TCP ports\n"
"  --bind-udp PORT,..|none allow binding these UDP ports (Landlock ABI 10)\n"
"  --connect-udp PORT,..|none  allow connecting or sending to these UDP\n"
"                          ports (Landlock ABI 10)\n"
"  --scope signal,abstract-unix  no signals / abstract sockets outside\n"
"  --log-denials           the kernel's audit log records the program's\n"
"                          Landlock denials (Landlock ABI 7)\n"
"  --best-effort           enforce what this kernel supports (default)\n"
"  --strict                fail unless everything is enforced\n"
"seccomp:\n"
"  --deny-syscalls NAME,.. these system calls get the action, others allowed\n"
"  --allow-syscalls NAME,.. only these allowed, others get the action\n"
"  --seccomp-action errno[:ERR]|kill|log|trap   (default errno:EPERM)\n"
"  --seccomp-profile FILE  an OCI (Docker, Kubernetes) seccomp profile, JSON\n"
"  --syscall NAME:ACTION[:COND..]  one rule; ACTION allow, errno[:ERR], kill,\n"
"                          log or trap; COND ARG==V, !=, <, <=, >, >=, or\n"
"                          ARG&MASK==V (ARG 0-5), e.g. ioctl:errno:EPERM:1==0x5412\n"
"  --seccomp-log           log every action but allow (kernel audit log)\n"
"Exec:\n"
"  --exec-fd N             execute the open descriptor N (PROGRAM is argv[0])\n"
"  --sealed                copy PROGRAM into a sealed memfd and execute that\n"
"Process:\n"
"  --env K=V               set an environment variable (repeatable)\n"
"  --clear-env             start from an empty environment\n"
"  --fd CHILD=PARENT       give the program PARENT as descriptor CHILD\n"
"                          (PARENT '-' closes CHILD)\n"
"  --timeout SECONDS       after SECONDS, SIGKILL the program's process group\n"
"                          (and its --cgroup), exit 124\n"
"  --no-search-path        run PROGRAM without a '/' from the working\n"
"                          directory instead of looking it up in the PATH the\n"
"                          program gets (--env PATH=.., for its uid and groups)\n"
"Signals:\n"
"  --sigmask SIG,..|none   exactly these signals blocked at exec (default:\n"
"                          spx-run's own mask)\n"
"  --sigdefault SIG,..     reset these ignored signals to SIG_DFL\n"
"  --keep-sigpipe          keep an ignored SIGPIPE ignored (by default the\n"
"                          program gets SIGPIPE at its default, as from a shell)\n"
"Limits, session, cgroup:\n"
"  --rlimit NAME=SOFT[:HARD]  a resource limit (nofile, nproc, as, core, ...);\n"
"                          SOFT alone sets both, SOFT: or :HARD keeps the other\n"
"                          one; a number or unlimited (repeatable)\n"
"  --setsid                a new session (no controlling terminal)\n"
"  --pgroup new|PGID       a new process group, or join group PGID\n"
"  --ctty FD               with --setsid: the terminal at the program's\n"
"                          descriptor FD becomes its controlling terminal\n"
"  --foreground            the program's process group gets the terminal's\n"
"                          foreground (descriptor 0, or --ctty's); with\n"
"                          --timeout, it then stays in spx-run's own group\n"
"  --cgroup DIR            start the program in this cgroup v2 directory\n"
"  --die-with-parent       SIGKILL the program if spx-run dies\n"
"  --umask MODE            the program's umask (octal, e.g. 027)\n"
"  --securebits BIT,..|none  exactly these securebits: noroot, noroot-locked,\n"
"                          no-setuid-fixup[-locked], keep-caps-locked,\n"
"                          no-cap-ambient-raise[-locked],\n"
"                          exec-restrict-file[-locked],\n"
"                          exec-deny-interactive[-locked]\n"
"Output:\n"
"  --explain               print the plan on stderr, then run\n"
"  -h, --help              this help\n"
"  -V, --version           the library version\n"
"Windows SIDs (computed here, as Windows derives them; then exit):\n"
"  --appcontainer-sid NAME the SID of the AppContainer profile NAME\n"
"  --capability-sid NAME   the SID of a capability (name or SID string)\n"
"\n"
"Exit status: the program's own; 128+N if killed by signal N; 124 on timeout;\n"
"125 bad option or setup failure; 126 cannot execute; 127 not found.\n"
"See spx-run(1).\n", f);
}

enum {
    OPT_UID = 256, OPT_GID, OPT_GROUPS, OPT_AMBIENT, OPT_INHERITABLE, OPT_BOUNDING,
    OPT_NNP, OPT_CHROOT, OPT_CWD, OPT_RO, OPT_RW, OPT_ROX, OPT_BIND_TCP,
    OPT_CONNECT_TCP, OPT_SCOPE, OPT_BEST_EFFORT, OPT_STRICT, OPT_DENY, OPT_ALLOW,
    OPT_SC_ACTION, OPT_EXEC_FD, OPT_SEALED, OPT_ENV, OPT_CLEAR_ENV, OPT_FD,
    OPT_TIMEOUT, OPT_SEARCH_PATH, OPT_EXPLAIN, OPT_RLIMIT, OPT_SETSID, OPT_PGROUP, OPT_CTTY,
    OPT_FOREGROUND, OPT_CGROUP, OPT_DIE_WITH_PARENT, OPT_UMASK, OPT_SECUREBITS,
    OPT_NO_SEARCH_PATH, OPT_SYSTEM_RO, OPT_SIGMASK, OPT_SIGDEFAULT, OPT_KEEP_SIGPIPE,
    OPT_UNIX, OPT_BIND_UDP, OPT_CONNECT_UDP, OPT_LOG_DENIALS,
    OPT_SC_PROFILE, OPT_SYSCALL, OPT_SC_LOG,
    OPT_APPCONTAINER_SID, OPT_CAPABILITY_SID,
};

static const struct option long_options[] = {
    { "uid", required_argument, NULL, OPT_UID },
    { "gid", required_argument, NULL, OPT_GID },
    { "groups", required_argument, NULL, OPT_GROUPS },
    { "ambient", required_argument, NULL, OPT_AMBIENT },
    { "inheritable", required_argument, NULL, OPT_INHERITABLE },
    { "bounding", required_argument, NULL, OPT_BOUNDING },
    { "no-new-privs", no_argument, NULL, OPT_NNP },
    { "chroot", required_argument, NULL, OPT_CHROOT },
    { "cwd", required_argument, NULL, OPT_CWD },
    { "ro", required_argument, NULL, OPT_RO },
    { "rw", required_argument, NULL, OPT_RW },
    { "rox", required_argument, NULL, OPT_ROX },
    { "bind-tcp", required_argument, NULL, OPT_BIND_TCP },
    { "connect-tcp", required_argument, NULL, OPT_CONNECT_TCP },
    { "scope", required_argument, NULL, OPT_SCOPE },
    { "unix", required_argument, NULL, OPT_UNIX },
    { "bind-udp", required_argument, NULL, OPT_BIND_UDP },
    { "connect-udp", required_argument, NULL, OPT_CONNECT_UDP },
    { "log-denials", no_argument, NULL, OPT_LOG_DENIALS },
    { "best-effort", no_argument, NULL, OPT_BEST_EFFORT },
    { "strict", no_argument, NULL, OPT_STRICT },
    { "deny-syscalls", required_argument, NULL, OPT_DENY },
    { "allow-syscalls", required_argument, NULL, OPT_ALLOW },
    { "seccomp-action", required_argument, NULL, OPT_SC_ACTION },
    { "seccomp-profile", required_argument, NULL, OPT_SC_PROFILE },
    { "syscall", required_argument, NULL, OPT_SYSCALL },
    { "seccomp-log", no_argument, NULL, OPT_SC_LOG },
    { "exec-fd", required_argument, NULL, OPT_EXEC_FD },
    { "sealed", no_argument, NULL, OPT_SEALED },
    { "env", required_argument, NULL, OPT_ENV },
    { "clear-env", no_argument, NULL, OPT_CLEAR_ENV },
    { "fd", required_argument, NULL, OPT_FD },
    { "timeout", required_argument, NULL, OPT_TIMEOUT },
    { "search-path", no_argument, NULL, OPT_SEARCH_PATH },
    { "explain", no_argument, NULL, OPT_EXPLAIN },
    { "rlimit", required_argument, NULL, OPT_RLIMIT },
    { "setsid", no_argument, NULL, OPT_SETSID },
    { "pgroup", required_argument, NULL, OPT_PGROUP },
    { "ctty", required_argument, NULL, OPT_CTTY },
    { "foreground", no_argument, NULL, OPT_FOREGROUND },
    { "cgroup", required_argument, NULL, OPT_CGROUP },
    { "die-with-parent", no_argument, NULL, OPT_DIE_WITH_PARENT },
    { "umask", required_argument, NULL, OPT_UMASK },
    { "securebits", required_argument, NULL, OPT_SECUREBITS },
    { "no-search-path", no_argument, NULL, OPT_NO_SEARCH_PATH },
    { "system-ro", no_argument, NULL, OPT_SYSTEM_RO },
    { "sigmask", required_argument, NULL, OPT_SIGMASK },
    { "sigdefault", required_argument, NULL, OPT_SIGDEFAULT },
    { "keep-sigpipe", no_argument, NULL, OPT_KEEP_SIGPIPE },
    { "appcontainer-sid", required_argument, NULL, OPT_APPCONTAINER_SID },
    { "capability-sid", required_argument, NULL, OPT_CAPABILITY_SID },
    { "help", no_argument, NULL, 'h' },
    { "version", no_argument, NULL, 'V' },
    { NULL, 0, NULL, 0 },
};

/* CAP,CAP,... or none; names as spx_cap_from_name() takes them, or numbers. */
static void parse_caps(const char *opt, const char *s, intvec *out, bool *have)
{
    *have = true;
    if (strcmp(s, "none") == 0) {
        out->n = 0;
        return;
    }
    strvec items = split_list(opt, s);
    for (size_t i = 0; i < items.n; i++) {
        int cap = spx_cap_from_name(items.v[i]);
        unsigned long long n;
        if (cap < 0) {
            if (!parse_ull(items.v[i], 63, &n))
                die("%s: unknown capability '%s'", opt, items.v[i]);
            cap = (int)n;
        }
        errno = 0;
        if (prctl(PR_CAPBSET_READ, (unsigned long)cap, 0UL, 0UL, 0UL) < 0 && errno == EINVAL)
            die("%s: capability '%s' is not known to this kernel", opt, items.v[i]);
        push_unique_int(out, cap);
    }
    free_strvec(&items);
}

static void parse_uid(struct options *o, const char *s)
{
    unsigned long long n;
    free(o->user);
    o->user = NULL;
    if (parse_ull(s, UINT32_MAX - 1, &n)) {
        o->uid = (uint32_t)n;
    } else {
        struct passwd *pw = getpwnam(s);
        if (!pw && (isdigit((unsigned char)s[0]) || s[0] == '-' || s[0] == '+'))
            die("--uid %s: not a valid user id (0-4294967294) nor a user name", s);
        if (!pw)
            die("--uid %s: no such user", s);
        o->uid = pw->pw_uid;
        o->user = xstrdup(pw->pw_name);
        o->user_gid = pw->pw_gid;
    }
    o->have_uid = true;
}

static uint32_t parse_group(const char *opt, const char *s)
{
    unsigned long long n;
    if (parse_ull(s, UINT32_MAX - 1, &n))
        return (uint32_t)n;
    struct group *gr = getgrnam(s);
    if (!gr && (isdigit((unsigned char)s[0]) || s[0] == '-' || s[0] == '+'))
        die("%s %s: not a valid group id (0-4294967294) nor a group name", opt, s);
    if (!gr)
        die("%s %s: no such group", opt, s);
    return gr->gr_gid;
}

/* PORT,PORT,... or none: either way the option's right is handled, so
 * "none" denies it everywhere. */
static void parse_ports(struct options *o, const char *opt, const char *s, uint64_t access)
{
    o->net_named |= access;
    if (strcmp(s, "none") == 0)
        return;
    const char *proto = access & (SPX_LANDLOCK_NET_BIND_UDP | SPX_LANDLOCK_NET_CONNECT_SEND_UDP) ? "UDP" : "TCP";
    strvec items = split_list(opt, s);
    for (size_t i = 0; i < items.n; i++) {
        unsigned long long n;
        if (!parse_ull(items.v[i], 65535, &n))
            die("%s %s: not a %s port (0-65535) nor none", opt, items.v[i], proto);
        struct port_rule r = { opt, (unsigned)n, access };
        VPUSH(o->ports, r);
    }
    free_strvec(&items);
}

/* Is path, once resolved, spx-run's own /proc/PID (/proc/self,
 * /proc/thread-self, or the pid spelled out)? A Landlock rule names the
 * object spx-run opens, so such a rule would allow spx-run's process
 * directory, not the program's. */
static bool names_own_proc(const char *path)
{
    char real[PATH_MAX], own[64];
    if (!realpath(path, real))
        return false;
    snprintf(own, sizeof own, "/proc/%ld", (long)getpid());
    size_t l = strlen(own);
    return strncmp(real, own, l) == 0 && (real[l] == '/' || real[l] == '\0');
}

static void add_path(struct options *o, const char *opt, const char *path, uint64_t access)
{
    if (!*path)
        die("%s: empty path", opt);
    if (names_own_proc(path))
        die("%s %s: this names spx-run's own process, not the program's (Landlock resolves the path in "
            "spx-run); use --ro /proc, beneath which the program finds its own /proc/self", opt, path);
    struct path_rule r = { opt, path, access };
    VPUSH(o->paths, r);
}

static void parse_scope(struct options *o, const char *s)
{
    o->have_scope = true;
    if (strcmp(s, "none") == 0) {
        o->scopes = 0;
        return;
    }
    strvec items = split_list("--scope", s);
    for (size_t i = 0; i < items.n; i++) {
        const char *it = items.v[i];
        if (strcmp(it, "signal") == 0)
            o->scopes |= SPX_LANDLOCK_SCOPE_SIGNAL;
        else if (strcmp(it, "abstract-unix") == 0 || strcmp(it, "abstract-unix-socket") == 0)
            o->scopes |= SPX_LANDLOCK_SCOPE_ABSTRACT_UNIX_SOCKET;
        else
            die("--scope: unknown scope '%s' (known: signal, abstract-unix)", it);
    }
    free_strvec(&items);
}

static void parse_syscalls(struct options *o, const char *opt, enum seccomp_mode mode, const char *s)
{
    if (o->sc_mode != SC_NONE && o->sc_mode != mode)
        die("--deny-syscalls and --allow-syscalls cannot be combined");
    o->sc_mode = mode;
    o->sc_opt = opt;
    strvec items = split_list(opt, s);
    for (size_t i = 0; i < items.n; i++) {
        bool dup = false;
        for (size_t j = 0; j < o->syscalls.n; j++)
            if (strcmp(o->syscalls.v[j], items.v[i]) == 0)
                dup = true;
        if (dup) {
            free(items.v[i]);
        } else {
            VPUSH(o->syscalls, items.v[i]);
        }
    }
    free(items.v);
}

/* errno:ERR's ERR for opt's argument arg. errno 0 is refused: the
 * denied call would return 0, and look to the program as if it had worked. */
static int parse_errno(const char *opt, const char *arg, const char *s)
{
    int e = errno_from_name(s);
    if (e < 0)
        die("%s %s: unknown errno '%s' (use a name like EPERM or a number 1-4094)", opt, arg, s);
    if (e == 0)
        die("%s %s: errno 0 would make a denied call look like it succeeded", opt, arg);
    return e;
}

static void errno_text(char *buf, size_t len, int e)
{
    const char *name = errno_name(e);
    if (name)
        snprintf(buf, len, "errno:%s", name);
    else
        snprintf(buf, len, "errno:%d", e);
}

static void parse_sc_action(struct options *o, const char *s)
{
    o->have_sc_action = true;
    if (strcmp(s, "kill") == 0) {
        o->sc_action = SPX_SECCOMP_KILL_PROCESS;
    } else if (strcmp(s, "log") == 0) {
        o->sc_action = SPX_SECCOMP_LOG;
    } else if (strcmp(s, "trap") == 0) {
        o->sc_action = SPX_SECCOMP_TRAP;
    } else if (strcmp(s, "errno") == 0) {
        o->sc_action = SPX_SECCOMP_ERRNO(EPERM);
        snprintf(o->sc_action_text, sizeof o->sc_action_text, "errno:EPERM");
        return;
    } else if (strncmp(s, "errno:", 6) == 0) {
        int e = parse_errno("--seccomp-action", s, s + 6);
        o->sc_action = SPX_SECCOMP_ERRNO(e);
        errno_text(o->sc_action_text, sizeof o->sc_action_text, e);
        return;
    } else {
        die("--seccomp-action %s: expected errno[:ERR], kill, log or trap", s);
    }
    snprintf(o->sc_action_text, sizeof o->sc_action_text, "%s", s);
}

/* A condition's number: decimal, 0x hex, or negative (as the kernel sees
 * a negative int: sign-extended to 64 bits). */
static bool parse_u64(const char *s, uint64_t *out)
{
    bool neg = *s == '-';
    const char *p = neg ? s + 1 : s;
    if (*p < '0' || *p > '9')
        return false;
    char *end;
    errno = 0;
    unsigned long long v = strtoull(p, &end, 0);
    if (errno || *end || (neg && v > (1ull << 63)))
        return false;
    *out = neg ? (uint64_t)0 - (uint64_t)v : (uint64_t)v;
    return true;
}

/* ARG==V, ARG!=V, ARG<V, ARG<=V, ARG>V, ARG>=V or ARG&MASK==V. */
static bool parse_cond(const char *s, spx_seccomp_cond *c)
{
    static const struct { const char *text; int op; } ops[] = {
        { "==", SPX_CMP_EQ }, { "!=", SPX_CMP_NE }, { "<=", SPX_CMP_LE },
        { ">=", SPX_CMP_GE }, { "<", SPX_CMP_LT }, { ">", SPX_CMP_GT },
    };
    if (*s < '0' || *s > '5' || (s[1] != '&' && !strchr("=!<>", s[1])))
        return false;
    memset(c, 0, sizeof *c);
    c->arg = (unsigned)(*s - '0');
    const char *p = s + 1;
    if (*p == '&') {
        const char *eq = strstr(p, "==");
        if (!eq)
            return false;
        char mask[64];
        size_t n = (size_t)(eq - p - 1);
        if (n == 0 || n >= sizeof mask)
            return false;
        memcpy(mask, p + 1, n);
        mask[n] = '\0';
        c->op = SPX_CMP_MASKED_EQ;
        return parse_u64(mask, &c->value) && parse_u64(eq + 2, &c->value2);
    }
    for (size_t i = 0; i < sizeof ops / sizeof ops[0]; i++)
        if (strncmp(p, ops[i].text, strlen(ops[i].text)) == 0) {
            c->op = ops[i].op;
            return parse_u64(p + strlen(ops[i].text), &c->value);
        }
    return false;
}

/* --syscall NAME:ACTION[:ERR][:COND...] */
static void parse_syscall_rule(struct options *o, const char *spec)
{
    struct syscall_rule r;
    memset(&r, 0, sizeof r);
    strvec parts = { 0 };
    const char *p = spec;
    for (;;) {
        const char *colon = strchr(p, ':');
        size_t n = colon ? (size_t)(colon - p) : strlen(p);
        char *part = xrealloc(NULL, n + 1);
        memcpy(part, p, n);
        part[n] = '\0';
        VPUSH(parts, part);
        if (!colon)
            break;
        p = colon + 1;
    }
    if (parts.n < 2 || !*parts.v[0])
        die("--syscall %s: expected NAME:ACTION[:COND...], e.g. ioctl:errno:EPERM:1==0x5412", spec);
    const char *act = parts.v[1];
    size_t next = 2;
    if (strcmp(act, "allow") == 0) {
        r.action = SPX_SECCOMP_ALLOW;
    } else if (strcmp(act, "kill") == 0) {
        r.action = SPX_SECCOMP_KILL_PROCESS;
    } else if (strcmp(act, "log") == 0) {
        r.action = SPX_SECCOMP_LOG;
    } else if (strcmp(act, "trap") == 0) {
        r.action = SPX_SECCOMP_TRAP;
    } else if (strcmp(act, "errno") == 0) {
        int e = EPERM;
        /* the errno, unless what follows is already a condition */
        if (parts.n > 2 && !parse_cond(parts.v[2], &r.conds[0]))
            e = parse_errno("--syscall", spec, parts.v[next++]);
        r.action = SPX_SECCOMP_ERRNO(e);
    } else {
        die("--syscall %s: unknown action '%s' (allow, errno[:ERR], kill, log or trap)", spec, act);
    }
    if (r.action >> 16 == SPX_SECCOMP_ERRNO(0) >> 16)
        errno_text(r.action_text, sizeof r.action_text, (int)(r.action & 0xffff));
    else
        snprintf(r.action_text, sizeof r.action_text, "%s", act);
    for (; next < parts.n; next++) {
        if (r.n == 6)
            die("--syscall %s: at most 6 conditions", spec);
        if (!parse_cond(parts.v[next], &r.conds[r.n]))
            die("--syscall %s: bad condition '%s' (ARG==V, !=, <, <=, >, >=, or ARG&MASK==V; ARG 0-5)",
                spec, parts.v[next]);
        for (size_t i = 0; i < r.n; i++)
            if (r.conds[i].arg == r.conds[r.n].arg)
                die("--syscall %s: two conditions on argument %u (one rule needs all its conditions; "
                    "give another --syscall for an alternative)", spec, r.conds[r.n].arg);
        r.n++;
    }
    r.spec = xstrdup(spec);
    r.name = parts.v[0];
    for (size_t i = 1; i < parts.n; i++)
        free(parts.v[i]);
    free(parts.v);
    VPUSH(o->sc_rules, r);
}

static void parse_env(struct options *o, const char *s)
{
    const char *eq = strchr(s, '=');
    if (!eq || eq == s)
        die("--env %s: expected NAME=VALUE", s);
    /* A later --env for the same name replaces the earlier one. */
    size_t klen = (size_t)(eq - s) + 1;
    for (size_t i = 0; i < o->env.n; i++) {
        if (strncmp(o->env.v[i], s, klen) == 0) {
            free(o->env.v[i]);
            o->env.v[i] = xstrdup(s);
            return;
        }
    }
    VPUSH(o->env, xstrdup(s));
}

/* SIG,..: names (TERM, SIGTERM, any case), numbers 1-64, RTMIN+N. */
static void parse_signals(const char *opt, const char *s, intvec *out, bool no_kill_stop)
{
    strvec items = split_list(opt, s);
    for (size_t i = 0; i < items.n; i++) {
        const char *it = items.v[i];
        const char *name = strncasecmp(it, "SIG", 3) == 0 ? it + 3 : it;
        unsigned long long n;
        int sig = -1;
        if (parse_ull(it, 64, &n) && n >= 1) {
            sig = (int)n;
        } else if (strncasecmp(name, "RTMIN+", 6) == 0 && parse_ull(name + 6, 64, &n) &&
                   SIGRTMIN + (int)n <= SIGRTMAX) {
            sig = SIGRTMIN + (int)n;
        } else if (strcasecmp(name, "RTMIN") == 0) {
            sig = SIGRTMIN;
        } else if (strcasecmp(name, "RTMAX") == 0) {
            sig = SIGRTMAX;
        } else {
            for (int k = 1; k < SIGRTMIN; k++) {
                const char *abbrev = sigabbrev_np(k);
                if (abbrev && strcasecmp(abbrev, name) == 0) {
                    sig = k;
                    break;
                }
            }
        }
        if (sig < 1 || sig > 64)
            die("%s: unknown signal '%s'", opt, it);
        if (no_kill_stop && (sig == SIGKILL || sig == SIGSTOP))
            die("%s: %s cannot be caught or ignored, nothing to reset", opt, it);
        push_unique_int(out, sig);
    }
    free_strvec(&items);
}

/* --system-ro: what a dynamically linked program needs to start and run
 * read-only; entries missing on this system are left out. */
static const struct { const char *path; int kind; } system_ro_paths[] = {
    /* 0: --rox, 1: --ro, 2: read-write (devices) */
    { "/usr", 0 }, { "/bin", 0 }, { "/sbin", 0 }, { "/lib", 0 }, { "/lib32", 0 },
    { "/lib64", 0 }, { "/libx32", 0 },
    { "/etc/ld.so.cache", 1 }, { "/etc/ld.so.conf", 1 }, { "/etc/ld.so.conf.d", 1 },
    { "/etc/ld.so.preload", 1 }, { "/etc/localtime", 1 }, { "/etc/timezone", 1 },
    { "/etc/passwd", 1 }, { "/etc/group", 1 }, { "/etc/nsswitch.conf", 1 }, { "/etc/hosts", 1 },
    { "/etc/host.conf", 1 }, { "/etc/resolv.conf", 1 }, { "/etc/services", 1 },
    { "/etc/protocols", 1 }, { "/etc/locale.alias", 1 }, { "/etc/locale.conf", 1 },
    { "/etc/default/locale", 1 }, { "/etc/alternatives", 1 }, { "/etc/ssl", 1 },
    { "/etc/ca-certificates", 1 }, { "/etc/mime.types", 1 }, { "/etc/terminfo", 1 },
    { "/etc/inputrc", 1 }, { "/etc/gitconfig", 1 }, { "/proc", 1 },
    { "/dev/null", 2 }, { "/dev/zero", 2 }, { "/dev/full", 2 }, { "/dev/random", 2 },
    { "/dev/urandom", 2 }, { "/dev/tty", 2 },
};

static void add_system_ro(struct options *o)
{
    for (size_t i = 0; i < sizeof system_ro_paths / sizeof *system_ro_paths; i++) {
        struct stat st;
        if (stat(system_ro_paths[i].path, &st) != 0)
            continue;
        int k = system_ro_paths[i].kind;
        struct path_rule r = {
            "--system-ro", system_ro_paths[i].path,
            k == 0 ? SPX_LANDLOCK_FS_ROX : k == 1 ? SPX_LANDLOCK_FS_RO : SPX_LANDLOCK_FS_RW,
        };
        VPUSH(o->paths, r);
    }
}

static bool fd_is_open(int fd)
{
    return fcntl(fd, F_GETFD) != -1;
}

static void parse_fd(struct options *o, const char *s)
{
    const char *eq = strchr(s, '=');
    if (!eq)
        die("--fd %s: expected CHILD=PARENT", s);
    char *child_s = xstrdup(s);
    child_s[eq - s] = '\0';
    const char *parent_s = eq + 1;
    unsigned long long c, p;
    if (!parse_ull(child_s, INT_MAX, &c))
        die("--fd %s: '%s' is not a descriptor number", s, child_s);
    free(child_s);
    struct fd_rule r = { (int)c, -1 };
    if (strcmp(parent_s, "-") != 0) {
        if (!parse_ull(parent_s, INT_MAX, &p))
            die("--fd %s: '%s' is not a descriptor number", s, parent_s);
        if (!fd_is_open((int)p))
            die("--fd %s: descriptor %llu is not open in spx-run", s, p);
        r.parent = (int)p;
    }
    for (size_t i = 0; i < o->fds.n; i++) {
        if (o->fds.v[i].child == r.child) {
            o->fds.v[i] = r;
            return;
        }
    }
    VPUSH(o->fds, r);
}

static void parse_timeout(struct options *o, const char *s)
{
    char *end;
    errno = 0;
    if (!isdigit((unsigned char)s[0]) && s[0] != '.')
        die("--timeout %s: not a number of seconds", s);
    double v = strtod(s, &end);
    double mult = 1;
    if (end != s && *end && !end[1]) {
        switch (*end) {
        case 's': mult = 1; end++; break;
        case 'm': mult = 60; end++; break;
        case 'h': mult = 3600; end++; break;
        case 'd': mult = 86400; end++; break;
        default: break;
        }
    }
    if (errno || end == s || *end || !(v >= 0) || v * mult > 1e9)
        die("--timeout %s: not a number of seconds (up to 1e9, suffix s, m, h or d allowed)", s);
    v *= mult;
    o->have_timeout = v > 0;  /* 0 disables the limit, as timeout(1) does */
    o->timeout_s = v;
    double ms = v * 1000.0;
    long long m = (long long)ms;
    if ((double)m < ms)
        m++;
    if (v > 0 && m == 0)
        m = 1;
    o->timeout_ms = m;
}

void parse_options(struct options *o, int argc, char **argv)
{
    opterr = 0;
    int c;
    while ((c = getopt_long(argc, argv, "+:hV", long_options, NULL)) != -1) {
        switch (c) {
        case OPT_UID: parse_uid(o, optarg); break;
        case OPT_GID:
            o->gid = parse_group("--gid", optarg);
            o->have_gid = true;
            break;
        case OPT_GROUPS:
            /* "none" and "keep" replace what came before; lists add up. */
            if (strcmp(optarg, "keep") == 0) {
                o->keep_groups = true;
                o->have_groups = false;
                o->groups.n = 0;
                break;
            }
            o->keep_groups = false;
            o->have_groups = true;
            if (strcmp(optarg, "none") == 0) {
                o->groups.n = 0;
            } else {
                strvec items = split_list("--groups", optarg);
                for (size_t i = 0; i < items.n; i++) {
                    if (strcmp(items.v[i], "keep") == 0 || strcmp(items.v[i], "none") == 0)
                        die("--groups %s: '%s' stands alone, not in a list", optarg, items.v[i]);
                    push_unique_u32(&o->groups, parse_group("--groups", items.v[i]));
                }
                free_strvec(&items);
            }
            break;
        case OPT_AMBIENT: parse_caps("--ambient", optarg, &o->ambient, &o->have_ambient); break;
        case OPT_INHERITABLE:
            parse_caps("--inheritable", optarg, &o->inheritable, &o->have_inheritable);
            break;
        case OPT_BOUNDING: parse_caps("--bounding", optarg, &o->bounding, &o->have_bounding); break;
        case OPT_NNP: o->no_new_privs = true; break;
        case OPT_CHROOT:
            if (!*optarg)
                die("--chroot: empty directory name");
            o->chroot_dir = optarg;
            break;
        case OPT_CWD:
            if (!*optarg)
                die("--cwd: empty directory name");
            o->cwd = optarg;
            break;
        case OPT_RO:
        case OPT_RW:
        case OPT_ROX:
            add_path(o, c == OPT_RO ? "--ro" : c == OPT_RW ? "--rw" : "--rox", optarg,
                     c == OPT_RO ? SPX_LANDLOCK_FS_RO : c == OPT_RW ? SPX_LANDLOCK_FS_RW : SPX_LANDLOCK_FS_ROX);
            break;
        case OPT_UNIX: add_path(o, "--unix", optarg, SPX_LANDLOCK_FS_RESOLVE_UNIX); break;
        case OPT_BIND_UDP: parse_ports(o, "--bind-udp", optarg, SPX_LANDLOCK_NET_BIND_UDP); break;
        case OPT_CONNECT_UDP:
            parse_ports(o, "--connect-udp", optarg, SPX_LANDLOCK_NET_CONNECT_SEND_UDP);
            break;
        case OPT_LOG_DENIALS: o->log_denials = true; break;
        case OPT_BIND_TCP: parse_ports(o, "--bind-tcp", optarg, SPX_LANDLOCK_NET_BIND_TCP); break;
        case OPT_CONNECT_TCP:
            parse_ports(o, "--connect-tcp", optarg, SPX_LANDLOCK_NET_CONNECT_TCP);
            break;
        case OPT_SCOPE: parse_scope(o, optarg); break;
        case OPT_BEST_EFFORT: o->strict = false; break;
        case OPT_STRICT: o->strict = true; break;
        case OPT_DENY: parse_syscalls(o, "--deny-syscalls", SC_DENY, optarg); break;
        case OPT_ALLOW: parse_syscalls(o, "--allow-syscalls", SC_ALLOW, optarg); break;
        case OPT_SC_ACTION: parse_sc_action(o, optarg); break;
        case OPT_SC_PROFILE:
            if (o->sc_profile)
                die("--seccomp-profile given twice");
            o->sc_profile = optarg;
            break;
        case OPT_SYSCALL: parse_syscall_rule(o, optarg); break;
        case OPT_SC_LOG: o->sc_log = true; break;
        case OPT_EXEC_FD: {
            unsigned long long n;
            if (!parse_ull(optarg, INT_MAX, &n))
                die("--exec-fd %s: not a descriptor number", optarg);
            o->exec_fd = (int)n;
            break;
        }
        case OPT_SEALED: o->sealed = true; break;
        case OPT_ENV: parse_env(o, optarg); break;
        case OPT_CLEAR_ENV: o->clear_env = true; break;
        case OPT_FD: parse_fd(o, optarg); break;
        case OPT_TIMEOUT: parse_timeout(o, optarg); break;
        case OPT_SEARCH_PATH: o->search_path = true; o->no_search_path = false; break;
        case OPT_NO_SEARCH_PATH: o->no_search_path = true; o->search_path = false; break;
        case OPT_SYSTEM_RO: o->system_ro = true; break;
        case OPT_SIGMASK:
            o->have_sigmask = true;
            o->sigmask.n = 0;
            if (strcmp(optarg, "none") != 0)
                parse_signals("--sigmask", optarg, &o->sigmask, false);
            break;
        case OPT_SIGDEFAULT: parse_signals("--sigdefault", optarg, &o->sigdefault, true); break;
        case OPT_KEEP_SIGPIPE: o->keep_sigpipe = true; break;
        case OPT_EXPLAIN: o->explain = true; break;
        case OPT_RLIMIT: parse_rlimit(o, optarg); break;
        case OPT_SETSID: o->setsid = true; break;
        case OPT_PGROUP: parse_pgroup(o, optarg); break;
        case OPT_CTTY: {
            unsigned long long n;
            if (!parse_ull(optarg, INT_MAX, &n))
                die("--ctty %s: not a descriptor number", optarg);
            o->ctty = (int)n;
            break;
        }
        case OPT_FOREGROUND: o->foreground = true; break;
        case OPT_CGROUP:
            if (!*optarg)
                die("--cgroup: empty directory name");
            o->cgroup = optarg;
            break;
        case OPT_DIE_WITH_PARENT: o->die_with_parent = true; break;
        case OPT_UMASK: parse_umask(o, optarg); break;
        case OPT_SECUREBITS: parse_securebits(o, optarg); break;
        case OPT_APPCONTAINER_SID:
        case OPT_CAPABILITY_SID: {
            /* Pure derivations (no Windows needed): what an administrator
             * puts in an ACL or a policy for a container spx.dll runs. */
            char sid[SPX_SID_MAX];
            bool container = c == OPT_APPCONTAINER_SID;
            int rc = container ? spx_appcontainer_sid(optarg, sid, sizeof sid)
                               : spx_capability_sid(optarg, sid, sizeof sid);
            if (rc)
                die("--%s %s: %s", container ? "appcontainer-sid" : "capability-sid", optarg,
                    container ? "not a profile name (1 to 64 of A-Z a-z 0-9 - _ . and space)"
                              : "not a capability name (ASCII) or capability SID (S-1-15-3-...)");
            printf("%s\n", sid);
            tool_exit(fflush(stdout) == 0 ? 0 : EXIT_CANCELED);
        }
        case 'h':
            usage(stdout);
            tool_exit(fflush(stdout) == 0 ? 0 : EXIT_CANCELED);
        case 'V':
            printf("spx-run %s\n", spx_version());
            tool_exit(fflush(stdout) == 0 ? 0 : EXIT_CANCELED);
        case ':':
            die("option '%s' needs an argument (see --help)", argv[optind - 1]);
        case '?':
        default:
            if (optopt && optopt < 256)
                die("unknown option '-%c' (see --help)", optopt);
            die("unknown or ambiguous option '%s' (see --help)", argv[optind - 1]);
        }
    }
    if (optind >= argc)
        die("missing PROGRAM (see --help)");
    if (!*argv[optind])
        die("PROGRAM is an empty string");
    o->program = argv[optind];
    o->argv = &argv[optind];

    /* Cross-option checks: everything is refused before anything runs. */
    if (o->have_sc_action && o->sc_mode == SC_NONE)
        die("--seccomp-action needs --deny-syscalls or --allow-syscalls");
    if (o->sc_profile && o->sc_mode != SC_NONE)
        die("--seccomp-profile and %s cannot be combined (the profile has its own default action)", o->sc_opt);
    if (o->sc_log && !o->sc_profile && o->sc_mode == SC_NONE && o->sc_rules.n == 0)
        die("--seccomp-log needs a filter (--seccomp-profile, --syscall, --deny-syscalls or --allow-syscalls)");
    if (!o->have_sc_action) {
        o->sc_action = SPX_SECCOMP_ERRNO(EPERM);
        snprintf(o->sc_action_text, sizeof o->sc_action_text, "errno:EPERM");
    }
    if (o->exec_fd >= 0 && o->sealed)
        die("--exec-fd and --sealed cannot be combined");
    if (o->exec_fd >= 0 && !fd_is_open(o->exec_fd))
        die("--exec-fd %d: descriptor is not open in spx-run", o->exec_fd);
    if (o->exec_fd >= 0 && o->search_path)
        die("--search-path has no meaning with --exec-fd");
    if (o->system_ro)
        add_system_ro(o);
    /* A descriptor number the program cannot have: dup2 would fail in the
     * child, at the fds stage, with a bare EBADF. */
    uint64_t nofile, hard;
    own_limit(RLIMIT_NOFILE, &nofile, &hard);
    for (size_t i = 0; i < o->rlimits.n; i++)
        if (o->rlimits.v[i].resource == RLIMIT_NOFILE)
            nofile = o->rlimits.v[i].soft;
    for (size_t i = 0; i < o->fds.n; i++)
        if (nofile != SPX_RLIM_INFINITY && (uint64_t)o->fds.v[i].child >= nofile)
            die("--fd %d=%d: descriptor %d is not below the program's RLIMIT_NOFILE (%llu; --rlimit nofile=N "
                "raises it)", o->fds.v[i].child, o->fds.v[i].parent, o->fds.v[i].child,
                (unsigned long long)nofile);
    if (o->have_ambient && o->have_bounding) {
        for (size_t i = 0; i < o->ambient.n; i++) {
            bool kept = false;
            for (size_t j = 0; j < o->bounding.n; j++)
                if (o->bounding.v[j] == o->ambient.v[i])
                    kept = true;
            if (!kept) {
                const char *name = spx_cap_name(o->ambient.v[i]);
                die("--ambient %s: not in --bounding (an ambient capability must stay in the bounding set)",
                    name ? name : "?");
            }
        }
    }
    if (o->have_ambient) {
        for (size_t i = 0; i < o->ambient.n; i++) {
            if (prctl(PR_CAPBSET_READ, (unsigned long)o->ambient.v[i], 0UL, 0UL, 0UL) == 0) {
                const char *name = spx_cap_name(o->ambient.v[i]);
                if (name)
                    die("--ambient %s: not in spx-run's bounding set, it cannot be raised", name);
                die("--ambient %d: not in spx-run's bounding set, it cannot be raised", o->ambient.v[i]);
            }
        }
    }
    if (o->chroot_dir) {
        struct stat st;
        if (stat(o->chroot_dir, &st) != 0)
            die("--chroot %s: %s", o->chroot_dir, strerror(errno));
        if (!S_ISDIR(st.st_mode))
            die("--chroot %s: %s", o->chroot_dir, strerror(ENOTDIR));
    }

    check_controls(o);

    /* A working directory outside the new root would let the program reach
     * the whole filesystem through relative paths: chroot(1) also does
     * chdir("/") unless told otherwise. */
    if (o->chroot_dir && !o->cwd) {
        o->cwd = "/";
        o->cwd_default = true;
    }

    /* A numeric uid says nothing about the group: keeping spx-run's own
     * (often root's) is never what a change of user means, and libspx
     * refuses it. Say so before anything runs. */
    if (o->have_uid && !o->user && !o->have_gid)
        die("--uid %u: a numeric uid needs --gid (add --gid GID, or give --uid a user name)", o->uid);

    /* --uid NAME: that user's primary group and groups, like su(1). */
    if (o->have_uid && o->user) {
        if (!o->have_gid) {
            o->gid = o->user_gid;
            o->have_gid = true;
            o->gid_from_user = true;
        }
        if (!o->have_groups && !o->keep_groups) {
            int n = 32;
            gid_t *list = NULL;
            for (;;) {
                list = xrealloc(list, (size_t)n * sizeof *list);
                int want = n;
                if (getgrouplist(o->user, (gid_t)o->user_gid, list, &want) >= 0) {
                    n = want;
                    break;
                }
                if (want <= n) {
                    if (n > 65536)
                        die("--uid %s: cannot read its groups", o->user);
                    want = n * 2;
                }
                n = want;
            }
            for (int i = 0; i < n; i++)
                push_unique_u32(&o->groups, (uint32_t)list[i]);
            free(list);
            o->have_groups = true;
            o->groups_from_user = true;
        }
    }
}

void free_options(struct options *o)
{
    free(o->user);
    free(o->groups.v);
    free(o->ambient.v);
    free(o->inheritable.v);
    free(o->bounding.v);
    free(o->paths.v);
    free(o->ports.v);
    free_strvec(&o->syscalls);
    for (size_t i = 0; i < o->sc_rules.n; i++) {
        free(o->sc_rules.v[i].spec);
        free(o->sc_rules.v[i].name);
    }
    free(o->sc_rules.v);
    free_strvec(&o->env);
    free_strvec(&o->id_env);
    free(o->fds.v);
    free(o->rlimits.v);
    free(o->sigmask.v);
    free(o->sigdefault.v);
    if (o->cgroup_fd >= 0)
        close(o->cgroup_fd);
    o->cgroup_fd = -1;
}
