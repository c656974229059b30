/*
 * spx-run: run a program with the security attributes libspx can set
 * (identity, capabilities, no_new_privs, chroot, Landlock, seccomp, execveat).
 *
 * This tool uses only the public header <spx.h>: it doubles as the proof that
 * the public API is complete enough to write a real launcher.
 *
 * SPDX-License-Identifier: MIT
 */
#define _GNU_SOURCE
#include <ctype.h>
#include <errno.h>
#include <fcntl.h>
#include <getopt.h>
#include <grp.h>
#include <limits.h>
#include <pwd.h>
#include <signal.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/prctl.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <time.h>
#include <unistd.h>

#include <spx.h>

/* Exit statuses, as timeout(1), env(1), chroot(1) use them. */
enum {
    EXIT_TIMEDOUT = 124,  /* --timeout expired, the child was killed */
    EXIT_CANCELED = 125,  /* spx-run itself failed: bad option or a setup stage */
    EXIT_CANNOT_INVOKE = 126, /* the program exists but cannot be executed */
    EXIT_ENOENT = 127,    /* the program was not found */
};

#ifndef MFD_CLOEXEC
#define MFD_CLOEXEC 0x0001U
#endif
#ifndef MFD_ALLOW_SEALING
#define MFD_ALLOW_SEALING 0x0002U
#endif
#ifndef MFD_EXEC
#define MFD_EXEC 0x0010U
#endif
#ifndef F_SEAL_EXEC
#define F_SEAL_EXEC 0x0020
#endif
#ifndef SI_KERNEL
#define SI_KERNEL 0x80
#endif
#ifndef RESOLVE_IN_ROOT
#define RESOLVE_IN_ROOT 0x10
#endif

/* ------------------------------------------------------------------------ */
/* Small utilities                                                            */

static void die(const char *fmt, ...) __attribute__((format(printf, 1, 2), noreturn));
static void die_status(int status, const char *fmt, ...)
    __attribute__((format(printf, 2, 3), noreturn));

static void vmessage(const char *fmt, va_list ap)
{
    char line[1024];
    vsnprintf(line, sizeof line, fmt, ap);
    fprintf(stderr, "spx-run: %s\n", line);
}

static void die(const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    vmessage(fmt, ap);
    va_end(ap);
    exit(EXIT_CANCELED);
}

static void die_status(int status, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    vmessage(fmt, ap);
    va_end(ap);
    exit(status);
}

static void warn(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
static void warn(const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    vmessage(fmt, ap);
    va_end(ap);
}

static void *xrealloc(void *p, size_t n)
{
    void *q = realloc(p, n ? n : 1);
    if (!q)
        die("out of memory");
    return q;
}

static char *xstrdup(const char *s)
{
    char *d = strdup(s);
    if (!d)
        die("out of memory");
    return d;
}

#define VEC(T) struct { T *v; size_t n, cap; }
#define VPUSH(vec, x)                                                        \
    do {                                                                     \
        if ((vec).n == (vec).cap) {                                          \
            (vec).cap = (vec).cap ? 2 * (vec).cap : 8;                       \
            (vec).v = xrealloc((vec).v, (vec).cap * sizeof *(vec).v);        \
        }                                                                    \
        (vec).v[(vec).n++] = (x);                                            \
    } while (0)

typedef VEC(int) intvec;
typedef VEC(uint32_t) u32vec;
typedef VEC(char *) strvec;

/* A growable string for --explain lines. */
typedef struct { char *s; size_t n, cap; } strbuf;

static void sb_printf(strbuf *b, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
static void sb_printf(strbuf *b, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    int len = vsnprintf(NULL, 0, fmt, ap);
    va_end(ap);
    if (len < 0)
        return;
    if (b->n + (size_t)len + 1 > b->cap) {
        b->cap = (b->n + (size_t)len + 1) * 2;
        b->s = xrealloc(b->s, b->cap);
    }
    va_start(ap, fmt);
    vsnprintf(b->s + b->n, b->cap - b->n, fmt, ap);
    va_end(ap);
    b->n += (size_t)len;
}

static const char *sb_str(strbuf *b)
{
    return b->s ? b->s : "";
}

static void sb_reset(strbuf *b)
{
    b->n = 0;
    if (b->s)
        b->s[0] = '\0';
}

/* Decimal, no sign, no blank, no overflow, at most max. */
static bool parse_ull(const char *s, unsigned long long max, unsigned long long *out)
{
    if (!s || !isdigit((unsigned char)s[0]))
        return false;
    errno = 0;
    char *end;
    unsigned long long v = strtoull(s, &end, 10);
    if (errno || *end || v > max)
        return false;
    *out = v;
    return true;
}

/* Split a comma-separated list; an empty item is an error. */
static strvec split_list(const char *opt, const char *s)
{
    strvec out = { 0 };
    if (!*s)
        die("%s: empty list", opt);
    const char *p = s;
    for (;;) {
        const char *comma = strchr(p, ',');
        size_t len = comma ? (size_t)(comma - p) : strlen(p);
        if (len == 0)
            die("%s '%s': empty item in the list", opt, s);
        char *item = xrealloc(NULL, len + 1);
        memcpy(item, p, len);
        item[len] = '\0';
        VPUSH(out, item);
        if (!comma)
            break;
        p = comma + 1;
    }
    return out;
}

static void free_strvec(strvec *v)
{
    for (size_t i = 0; i < v->n; i++)
        free(v->v[i]);
    free(v->v);
    v->v = NULL;
    v->n = v->cap = 0;
}

/* ------------------------------------------------------------------------ */
/* errno names (for --seccomp-action errno:NAME and --explain)                */

#define E(x) { #x, x }
static const struct { const char *name; int value; } errno_names[] = {
    E(EPERM), E(ENOENT), E(ESRCH), E(EINTR), E(EIO), E(ENXIO),
    E(E2BIG), E(ENOEXEC), E(EBADF), E(ECHILD), E(EAGAIN), E(ENOMEM),
    E(EACCES), E(EFAULT), E(ENOTBLK), E(EBUSY), E(EEXIST), E(EXDEV),
    E(ENODEV), E(ENOTDIR), E(EISDIR), E(EINVAL), E(ENFILE), E(EMFILE),
    E(ENOTTY), E(ETXTBSY), E(EFBIG), E(ENOSPC), E(ESPIPE), E(EROFS),
    E(EMLINK), E(EPIPE), E(EDOM), E(ERANGE), E(EDEADLK), E(ENAMETOOLONG),
    E(ENOLCK), E(ENOSYS), E(ENOTEMPTY), E(ELOOP), E(EWOULDBLOCK), E(ENOMSG),
    E(EIDRM), E(ECHRNG), E(EL2NSYNC), E(EL3HLT), E(EL3RST), E(ELNRNG),
    E(EUNATCH), E(ENOCSI), E(EL2HLT), E(EBADE), E(EBADR), E(EXFULL),
    E(ENOANO), E(EBADRQC), E(EBADSLT), E(EDEADLOCK), E(EBFONT), E(ENOSTR),
    E(ENODATA), E(ETIME), E(ENOSR), E(ENONET), E(ENOPKG), E(EREMOTE),
    E(ENOLINK), E(EADV), E(ESRMNT), E(ECOMM), E(EPROTO), E(EMULTIHOP),
    E(EDOTDOT), E(EBADMSG), E(EOVERFLOW), E(ENOTUNIQ), E(EBADFD), E(EREMCHG),
    E(ELIBACC), E(ELIBBAD), E(ELIBSCN), E(ELIBMAX), E(ELIBEXEC), E(EILSEQ),
    E(ERESTART), E(ESTRPIPE), E(EUSERS), E(ENOTSOCK), E(EDESTADDRREQ), E(EMSGSIZE),
    E(EPROTOTYPE), E(ENOPROTOOPT), E(EPROTONOSUPPORT), E(ESOCKTNOSUPPORT),
    E(EOPNOTSUPP), E(EPFNOSUPPORT), E(EAFNOSUPPORT), E(EADDRINUSE),
    E(EADDRNOTAVAIL), E(ENETDOWN), E(ENETUNREACH), E(ENETRESET),
    E(ECONNABORTED), E(ECONNRESET), E(ENOBUFS), E(EISCONN), E(ENOTCONN), E(ESHUTDOWN),
    E(ETOOMANYREFS), E(ETIMEDOUT), E(ECONNREFUSED), E(EHOSTDOWN), E(EHOSTUNREACH),
    E(EALREADY), E(EINPROGRESS), E(ESTALE), E(EUCLEAN), E(ENOTNAM), E(ENAVAIL),
    E(EISNAM), E(EREMOTEIO), E(EDQUOT), E(ENOMEDIUM), E(EMEDIUMTYPE), E(ECANCELED),
    E(ENOKEY), E(EKEYEXPIRED), E(EKEYREVOKED), E(EKEYREJECTED), E(EOWNERDEAD),
    E(ENOTRECOVERABLE), E(ERFKILL), E(EHWPOISON), E(ENOTSUP),
};
#undef E

static int errno_from_name(const char *s)
{
    unsigned long long n;
    if (parse_ull(s, 4095, &n))
        return (int)n;
    for (size_t i = 0; i < sizeof errno_names / sizeof errno_names[0]; i++)
        if (strcasecmp(errno_names[i].name, s) == 0)
            return errno_names[i].value;
    return -1;
}

static const char *errno_name(int e)
{
    for (size_t i = 0; i < sizeof errno_names / sizeof errno_names[0]; i++)
        if (errno_names[i].value == e)
            return errno_names[i].name;
    return NULL;
}

/* ------------------------------------------------------------------------ */
/* Options                                                                    */

struct path_rule {
    const char *opt;   /* "--ro", "--rw", "--rox" */
    const char *path;
    uint64_t access;
};

struct port_rule {
    const char *opt;   /* "--bind-tcp", "--connect-tcp" */
    unsigned port;
    uint64_t access;
};

struct fd_rule {
    int child;
    int parent;        /* -1: closed in the child */
};

enum seccomp_mode { SC_NONE, SC_DENY, SC_ALLOW };

static struct options {
    /* identity */
    bool have_uid;
    uint32_t uid;
    char *user;            /* set when --uid was a name */
    uint32_t user_gid;     /* that user's primary group */
    bool have_gid;
    uint32_t gid;
    bool gid_from_user;
    bool have_groups;
    u32vec groups;
    bool groups_from_user;
    bool have_ambient, have_inheritable, have_bounding;
    intvec ambient, inheritable, bounding;
    bool no_new_privs;
    const char *chroot_dir;
    const char *cwd;
    bool cwd_default;      /* "/" because of --chroot */
    /* landlock */
    VEC(struct path_rule) paths;
    VEC(struct port_rule) ports;
    bool have_scope;
    uint64_t scopes;
    bool strict;
    /* seccomp */
    enum seccomp_mode sc_mode;
    const char *sc_opt;
    strvec syscalls;
    bool have_sc_action;
    uint32_t sc_action;
    char sc_action_text[48];
    /* exec */
    int exec_fd;
    bool sealed;
    /* process */
    strvec env;
    bool clear_env;
    VEC(struct fd_rule) fds;
    bool have_timeout;
    double timeout_s;
    long long timeout_ms;
    bool search_path;
    bool explain;
    /* what to run */
    const char *program;
    char **argv;           /* PROGRAM ARGS..., NULL-terminated */
} o = {
    .exec_fd = -1,
};

static void usage(FILE *f)
{
    fputs(
"Usage: spx-run [OPTIONS] [--] PROGRAM [ARGS...]\n"
"Run PROGRAM with Linux security attributes set by libspx.\n"
"\n"
"Identity:\n"
"  --uid UID|NAME          run as this user (a NAME also sets its primary group\n"
"                          and supplementary groups unless --gid/--groups say)\n"
"  --gid GID|NAME          run with this group id\n"
"  --groups G1,G2|none     exactly these supplementary groups\n"
"  --ambient CAP,..        ambient capabilities kept across the uid change\n"
"  --inheritable CAP,..    inheritable capabilities (plus the ambient ones)\n"
"  --bounding CAP,..|none  reduce the bounding set to exactly these\n"
"  --no-new-privs          set no_new_privs\n"
"  --chroot DIR            chroot into DIR (PROGRAM and --cwd are inside it)\n"
"  --cwd DIR               working directory of the program\n"
"Landlock (any of these restricts the program to the listed paths/ports):\n"
"  --ro PATH               allow reading beneath PATH\n"
"  --rox PATH              allow reading and executing beneath PATH\n"
"  --rw PATH               allow everything beneath PATH\n"
"  --bind-tcp PORT,..      allow binding these TCP ports\n"
"  --connect-tcp PORT,..   allow connecting to these TCP ports\n"
"  --scope signal,abstract-unix  no signals / abstract sockets outside\n"
"  --best-effort           enforce what this kernel supports (default)\n"
"  --strict                fail unless everything is enforced\n"
"seccomp:\n"
"  --deny-syscalls NAME,.. these system calls get the action, others allowed\n"
"  --allow-syscalls NAME,.. only these allowed, others get the action\n"
"  --seccomp-action errno[:ERR]|kill|log|trap   (default errno:EPERM)\n"
"Exec:\n"
"  --exec-fd N             execute the open descriptor N (PROGRAM is argv[0])\n"
"  --sealed                copy PROGRAM into a sealed memfd and execute that\n"
"Process:\n"
"  --env K=V               set an environment variable (repeatable)\n"
"  --clear-env             start from an empty environment\n"
"  --fd CHILD=PARENT       give the program PARENT as descriptor CHILD\n"
"                          (PARENT '-' closes CHILD)\n"
"  --timeout SECONDS       SIGKILL the program after SECONDS, exit 124\n"
"  --search-path           look PROGRAM up in PATH\n"
"Output:\n"
"  --explain               print the plan on stderr, then run\n"
"  -h, --help              this help\n"
"  -V, --version           the library version\n"
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
    OPT_TIMEOUT, OPT_SEARCH_PATH, OPT_EXPLAIN,
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
    { "best-effort", no_argument, NULL, OPT_BEST_EFFORT },
    { "strict", no_argument, NULL, OPT_STRICT },
    { "deny-syscalls", required_argument, NULL, OPT_DENY },
    { "allow-syscalls", required_argument, NULL, OPT_ALLOW },
    { "seccomp-action", required_argument, NULL, OPT_SC_ACTION },
    { "exec-fd", required_argument, NULL, OPT_EXEC_FD },
    { "sealed", no_argument, NULL, OPT_SEALED },
    { "env", required_argument, NULL, OPT_ENV },
    { "clear-env", no_argument, NULL, OPT_CLEAR_ENV },
    { "fd", required_argument, NULL, OPT_FD },
    { "timeout", required_argument, NULL, OPT_TIMEOUT },
    { "search-path", no_argument, NULL, OPT_SEARCH_PATH },
    { "explain", no_argument, NULL, OPT_EXPLAIN },
    { "help", no_argument, NULL, 'h' },
    { "version", no_argument, NULL, 'V' },
    { NULL, 0, NULL, 0 },
};

static void push_unique_int(intvec *v, int x)
{
    for (size_t i = 0; i < v->n; i++)
        if (v->v[i] == x)
            return;
    VPUSH(*v, x);
}

static void push_unique_u32(u32vec *v, uint32_t x)
{
    for (size_t i = 0; i < v->n; i++)
        if (v->v[i] == x)
            return;
    VPUSH(*v, x);
}

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

static void parse_uid(const char *s)
{
    unsigned long long n;
    free(o.user);
    o.user = NULL;
    if (parse_ull(s, UINT32_MAX - 1, &n)) {
        o.uid = (uint32_t)n;
    } else {
        struct passwd *pw = getpwnam(s);
        if (!pw && (isdigit((unsigned char)s[0]) || s[0] == '-' || s[0] == '+'))
            die("--uid %s: not a valid user id (0-4294967294) nor a user name", s);
        if (!pw)
            die("--uid %s: no such user", s);
        o.uid = pw->pw_uid;
        o.user = xstrdup(pw->pw_name);
        o.user_gid = pw->pw_gid;
    }
    o.have_uid = true;
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

static void parse_ports(const char *opt, const char *s, uint64_t access)
{
    strvec items = split_list(opt, s);
    for (size_t i = 0; i < items.n; i++) {
        unsigned long long n;
        if (!parse_ull(items.v[i], 65535, &n))
            die("%s %s: not a TCP port (0-65535)", opt, items.v[i]);
        struct port_rule r = { opt, (unsigned)n, access };
        VPUSH(o.ports, r);
    }
    free_strvec(&items);
}

static void parse_scope(const char *s)
{
    o.have_scope = true;
    if (strcmp(s, "none") == 0) {
        o.scopes = 0;
        return;
    }
    strvec items = split_list("--scope", s);
    for (size_t i = 0; i < items.n; i++) {
        const char *it = items.v[i];
        if (strcmp(it, "signal") == 0)
            o.scopes |= SPX_LANDLOCK_SCOPE_SIGNAL;
        else if (strcmp(it, "abstract-unix") == 0 || strcmp(it, "abstract-unix-socket") == 0)
            o.scopes |= SPX_LANDLOCK_SCOPE_ABSTRACT_UNIX_SOCKET;
        else
            die("--scope: unknown scope '%s' (known: signal, abstract-unix)", it);
    }
    free_strvec(&items);
}

static void parse_syscalls(const char *opt, enum seccomp_mode mode, const char *s)
{
    if (o.sc_mode != SC_NONE && o.sc_mode != mode)
        die("--deny-syscalls and --allow-syscalls cannot be combined");
    o.sc_mode = mode;
    o.sc_opt = opt;
    strvec items = split_list(opt, s);
    for (size_t i = 0; i < items.n; i++) {
        bool dup = false;
        for (size_t j = 0; j < o.syscalls.n; j++)
            if (strcmp(o.syscalls.v[j], items.v[i]) == 0)
                dup = true;
        if (dup) {
            free(items.v[i]);
        } else {
            VPUSH(o.syscalls, items.v[i]);
        }
    }
    free(items.v);
}

static void parse_sc_action(const char *s)
{
    o.have_sc_action = true;
    if (strcmp(s, "kill") == 0) {
        o.sc_action = SPX_SECCOMP_KILL_PROCESS;
    } else if (strcmp(s, "log") == 0) {
        o.sc_action = SPX_SECCOMP_LOG;
    } else if (strcmp(s, "trap") == 0) {
        o.sc_action = SPX_SECCOMP_TRAP;
    } else if (strcmp(s, "errno") == 0) {
        o.sc_action = SPX_SECCOMP_ERRNO(EPERM);
        snprintf(o.sc_action_text, sizeof o.sc_action_text, "errno:EPERM");
        return;
    } else if (strncmp(s, "errno:", 6) == 0) {
        int e = errno_from_name(s + 6);
        if (e < 0)
            die("--seccomp-action %s: unknown errno (use a name like EPERM or a number 0-4095)", s);
        o.sc_action = SPX_SECCOMP_ERRNO(e);
        const char *name = errno_name(e);
        if (name)
            snprintf(o.sc_action_text, sizeof o.sc_action_text, "errno:%s", name);
        else
            snprintf(o.sc_action_text, sizeof o.sc_action_text, "errno:%d", e);
        return;
    } else {
        die("--seccomp-action %s: expected errno[:ERR], kill, log or trap", s);
    }
    snprintf(o.sc_action_text, sizeof o.sc_action_text, "%s", s);
}

static void parse_env(const char *s)
{
    const char *eq = strchr(s, '=');
    if (!eq || eq == s)
        die("--env %s: expected NAME=VALUE", s);
    /* A later --env for the same name replaces the earlier one. */
    size_t klen = (size_t)(eq - s) + 1;
    for (size_t i = 0; i < o.env.n; i++) {
        if (strncmp(o.env.v[i], s, klen) == 0) {
            free(o.env.v[i]);
            o.env.v[i] = xstrdup(s);
            return;
        }
    }
    VPUSH(o.env, xstrdup(s));
}

static bool fd_is_open(int fd)
{
    return fcntl(fd, F_GETFD) != -1;
}

static void parse_fd(const char *s)
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
    for (size_t i = 0; i < o.fds.n; i++) {
        if (o.fds.v[i].child == r.child) {
            o.fds.v[i] = r;
            return;
        }
    }
    VPUSH(o.fds, r);
}

static void parse_timeout(const char *s)
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
    o.have_timeout = v > 0;  /* 0 disables the limit, as timeout(1) does */
    o.timeout_s = v;
    double ms = v * 1000.0;
    long long m = (long long)ms;
    if ((double)m < ms)
        m++;
    if (v > 0 && m == 0)
        m = 1;
    o.timeout_ms = m;
}

static void parse_options(int argc, char **argv)
{
    opterr = 0;
    int c;
    while ((c = getopt_long(argc, argv, "+:hV", long_options, NULL)) != -1) {
        switch (c) {
        case OPT_UID: parse_uid(optarg); break;
        case OPT_GID:
            o.gid = parse_group("--gid", optarg);
            o.have_gid = true;
            break;
        case OPT_GROUPS:
            o.have_groups = true;
            if (strcmp(optarg, "none") == 0) {
                o.groups.n = 0;
            } else {
                strvec items = split_list("--groups", optarg);
                for (size_t i = 0; i < items.n; i++)
                    push_unique_u32(&o.groups, parse_group("--groups", items.v[i]));
                free_strvec(&items);
            }
            break;
        case OPT_AMBIENT: parse_caps("--ambient", optarg, &o.ambient, &o.have_ambient); break;
        case OPT_INHERITABLE:
            parse_caps("--inheritable", optarg, &o.inheritable, &o.have_inheritable);
            break;
        case OPT_BOUNDING: parse_caps("--bounding", optarg, &o.bounding, &o.have_bounding); break;
        case OPT_NNP: o.no_new_privs = true; break;
        case OPT_CHROOT:
            if (!*optarg)
                die("--chroot: empty directory name");
            o.chroot_dir = optarg;
            break;
        case OPT_CWD:
            if (!*optarg)
                die("--cwd: empty directory name");
            o.cwd = optarg;
            break;
        case OPT_RO:
        case OPT_RW:
        case OPT_ROX: {
            if (!*optarg)
                die("%s: empty path", c == OPT_RO ? "--ro" : c == OPT_RW ? "--rw" : "--rox");
            struct path_rule r = {
                c == OPT_RO ? "--ro" : c == OPT_RW ? "--rw" : "--rox",
                optarg,
                c == OPT_RO ? SPX_LANDLOCK_FS_RO : c == OPT_RW ? SPX_LANDLOCK_FS_RW : SPX_LANDLOCK_FS_ROX,
            };
            VPUSH(o.paths, r);
            break;
        }
        case OPT_BIND_TCP: parse_ports("--bind-tcp", optarg, SPX_LANDLOCK_NET_BIND_TCP); break;
        case OPT_CONNECT_TCP:
            parse_ports("--connect-tcp", optarg, SPX_LANDLOCK_NET_CONNECT_TCP);
            break;
        case OPT_SCOPE: parse_scope(optarg); break;
        case OPT_BEST_EFFORT: o.strict = false; break;
        case OPT_STRICT: o.strict = true; break;
        case OPT_DENY: parse_syscalls("--deny-syscalls", SC_DENY, optarg); break;
        case OPT_ALLOW: parse_syscalls("--allow-syscalls", SC_ALLOW, optarg); break;
        case OPT_SC_ACTION: parse_sc_action(optarg); break;
        case OPT_EXEC_FD: {
            unsigned long long n;
            if (!parse_ull(optarg, INT_MAX, &n))
                die("--exec-fd %s: not a descriptor number", optarg);
            o.exec_fd = (int)n;
            break;
        }
        case OPT_SEALED: o.sealed = true; break;
        case OPT_ENV: parse_env(optarg); break;
        case OPT_CLEAR_ENV: o.clear_env = true; break;
        case OPT_FD: parse_fd(optarg); break;
        case OPT_TIMEOUT: parse_timeout(optarg); break;
        case OPT_SEARCH_PATH: o.search_path = true; break;
        case OPT_EXPLAIN: o.explain = true; break;
        case 'h':
            usage(stdout);
            exit(fflush(stdout) == 0 ? 0 : EXIT_CANCELED);
        case 'V':
            printf("spx-run %s\n", spx_version());
            exit(fflush(stdout) == 0 ? 0 : EXIT_CANCELED);
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
    o.program = argv[optind];
    o.argv = &argv[optind];

    /* Cross-option checks: everything is refused before anything runs. */
    if (o.have_sc_action && o.sc_mode == SC_NONE)
        die("--seccomp-action needs --deny-syscalls or --allow-syscalls");
    if (!o.have_sc_action) {
        o.sc_action = SPX_SECCOMP_ERRNO(EPERM);
        snprintf(o.sc_action_text, sizeof o.sc_action_text, "errno:EPERM");
    }
    if (o.exec_fd >= 0 && o.sealed)
        die("--exec-fd and --sealed cannot be combined");
    if (o.exec_fd >= 0 && !fd_is_open(o.exec_fd))
        die("--exec-fd %d: descriptor is not open in spx-run", o.exec_fd);
    if (o.exec_fd >= 0 && o.search_path)
        die("--search-path has no meaning with --exec-fd");
    if (o.have_ambient && o.have_bounding) {
        for (size_t i = 0; i < o.ambient.n; i++) {
            bool kept = false;
            for (size_t j = 0; j < o.bounding.n; j++)
                if (o.bounding.v[j] == o.ambient.v[i])
                    kept = true;
            if (!kept) {
                const char *name = spx_cap_name(o.ambient.v[i]);
                die("--ambient %s: not in --bounding (an ambient capability must stay in the bounding set)",
                    name ? name : "?");
            }
        }
    }
    if (o.have_ambient) {
        for (size_t i = 0; i < o.ambient.n; i++) {
            if (prctl(PR_CAPBSET_READ, (unsigned long)o.ambient.v[i], 0UL, 0UL, 0UL) == 0) {
                const char *name = spx_cap_name(o.ambient.v[i]);
                if (name)
                    die("--ambient %s: not in spx-run's bounding set, it cannot be raised", name);
                die("--ambient %d: not in spx-run's bounding set, it cannot be raised", o.ambient.v[i]);
            }
        }
    }
    if (o.chroot_dir) {
        struct stat st;
        if (stat(o.chroot_dir, &st) != 0)
            die("--chroot %s: %s", o.chroot_dir, strerror(errno));
        if (!S_ISDIR(st.st_mode))
            die("--chroot %s: %s", o.chroot_dir, strerror(ENOTDIR));
    }

    /* A working directory outside the new root would let the program reach
     * the whole filesystem through relative paths: chroot(1) also does
     * chdir("/") unless told otherwise. */
    if (o.chroot_dir && !o.cwd) {
        o.cwd = "/";
        o.cwd_default = true;
    }

    /* --uid NAME: that user's primary group and groups, like su(1). */
    if (o.have_uid && o.user) {
        if (!o.have_gid) {
            o.gid = o.user_gid;
            o.have_gid = true;
            o.gid_from_user = true;
        }
        if (!o.have_groups) {
            int n = 32;
            gid_t *list = NULL;
            for (;;) {
                list = xrealloc(list, (size_t)n * sizeof *list);
                int want = n;
                if (getgrouplist(o.user, (gid_t)o.user_gid, list, &want) >= 0) {
                    n = want;
                    break;
                }
                if (want <= n) {
                    if (n > 65536)
                        die("--uid %s: cannot read its groups", o.user);
                    want = n * 2;
                }
                n = want;
            }
            for (int i = 0; i < n; i++)
                push_unique_u32(&o.groups, (uint32_t)list[i]);
            free(list);
            o.have_groups = true;
            o.groups_from_user = true;
        }
    }
}

/* ------------------------------------------------------------------------ */
/* --sealed: copy the program into a sealed memfd                              */

struct open_how_compat {
    uint64_t flags;
    uint64_t mode;
    uint64_t resolve;
};

/* Open a candidate program for reading; -errno on failure. Inside the chroot
 * directory when there is one. Something execve would refuse is -EACCES. */
static int open_program(const char *path, int rootfd)
{
    int fd = -1;
    if (rootfd >= 0) {
#ifdef SYS_openat2
        struct open_how_compat how = { O_RDONLY | O_CLOEXEC, 0, RESOLVE_IN_ROOT };
        fd = (int)syscall(SYS_openat2, rootfd, path, &how, sizeof how);
        if (fd < 0 && errno != ENOSYS)
            return -errno;
#endif
        if (fd < 0) {
            /* No openat2: a plain prefix (symbolic links may escape). */
            while (*path == '/')
                path++;
            fd = openat(rootfd, path, O_RDONLY | O_CLOEXEC);
            if (fd < 0)
                return -errno;
        }
    } else {
        fd = open(path, O_RDONLY | O_CLOEXEC);
        if (fd < 0)
            return -errno;
    }
    struct stat st;
    if (fstat(fd, &st) != 0) {
        int e = errno;
        close(fd);
        return -e;
    }
    if (!S_ISREG(st.st_mode) || !(st.st_mode & (S_IXUSR | S_IXGRP | S_IXOTH))) {
        close(fd);
        return -EACCES;
    }
    return fd;
}

/* execvp-like lookup for --sealed --search-path; the found path is stored. */
static int find_program(const char *prog, int rootfd, char **found)
{
    *found = xstrdup(prog);
    if (!o.search_path || strchr(prog, '/'))
        return open_program(prog, rootfd);
    const char *path = getenv("PATH");
    if (!path)
        path = "/usr/local/bin:/usr/bin:/bin";
    bool saw_eacces = false;
    const char *p = path;
    for (;;) {
        const char *colon = strchr(p, ':');
        size_t len = colon ? (size_t)(colon - p) : strlen(p);
        strbuf cand = { 0 };
        if (len == 0)
            sb_printf(&cand, "%s", prog);
        else
            sb_printf(&cand, "%.*s/%s", (int)len, p, prog);
        int fd = open_program(sb_str(&cand), rootfd);
        if (fd >= 0) {
            free(*found);
            *found = cand.s;
            return fd;
        }
        free(cand.s);
        if (fd == -EACCES)
            saw_eacces = true;
        if (!colon)
            break;
        p = colon + 1;
    }
    return saw_eacces ? -EACCES : -ENOENT;
}

/* Returns the sealed memfd; exits 126/127/125 on failure. */
static int make_sealed(char **resolved, size_t *size, bool *exec_sealed)
{
    int rootfd = -1;
    if (o.chroot_dir) {
        rootfd = open(o.chroot_dir, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
        if (rootfd < 0)
            die("--chroot %s: %s", o.chroot_dir, strerror(errno));
    }
    int src = find_program(o.program, rootfd, resolved);
    if (rootfd >= 0)
        close(rootfd);
    if (src < 0) {
        die_status(src == -ENOENT ? EXIT_ENOENT : EXIT_CANNOT_INVOKE,
                   "sealed: %s: %s", *resolved, strerror(-src));
    }

    const char *base = strrchr(o.program, '/');
    base = base ? base + 1 : o.program;
    char name[64];
    snprintf(name, sizeof name, "spx-run:%s", base);

    /* MFD_EXEC keeps the memfd executable where vm.memfd_noexec=1. */
    int mfd = (int)memfd_create(name, MFD_CLOEXEC | MFD_ALLOW_SEALING | MFD_EXEC);
    if (mfd < 0 && errno == EINVAL)
        mfd = (int)memfd_create(name, MFD_CLOEXEC | MFD_ALLOW_SEALING);
    if (mfd < 0)
        die("sealed: memfd_create: %s", strerror(errno));

    char buf[65536];
    size_t total = 0;
    for (;;) {
        ssize_t r = read(src, buf, sizeof buf);
        if (r < 0 && errno == EINTR)
            continue;
        if (r < 0)
            die_status(EXIT_CANNOT_INVOKE, "sealed: read %s: %s", *resolved, strerror(errno));
        if (r == 0)
            break;
        for (ssize_t off = 0; off < r;) {
            ssize_t w = write(mfd, buf + off, (size_t)(r - off));
            if (w < 0 && errno == EINTR)
                continue;
            if (w < 0)
                die("sealed: writing the memfd: %s", strerror(errno));
            off += w;
        }
        total += (size_t)r;
    }
    close(src);
    if (total == 0)
        die_status(EXIT_CANNOT_INVOKE, "sealed: %s: empty file", *resolved);

    int seals = F_SEAL_SHRINK | F_SEAL_GROW | F_SEAL_WRITE | F_SEAL_SEAL;
    *exec_sealed = true;
    if (fcntl(mfd, F_ADD_SEALS, seals | F_SEAL_EXEC) != 0) {
        *exec_sealed = false;
        if (fcntl(mfd, F_ADD_SEALS, seals) != 0)
            die("sealed: F_ADD_SEALS: %s", strerror(errno));
    }
    *size = total;
    return mfd;
}

/* ------------------------------------------------------------------------ */
/* Environment                                                                */

static char **build_env(void)
{
    if (!o.clear_env && o.env.n == 0)
        return NULL; /* inherit */
    strvec out = { 0 };
    if (!o.clear_env) {
        for (char **e = environ; e && *e; e++) {
            const char *eq = strchr(*e, '=');
            size_t klen = eq ? (size_t)(eq - *e) + 1 : strlen(*e);
            bool overridden = false;
            for (size_t i = 0; i < o.env.n; i++)
                if (strncmp(o.env.v[i], *e, klen) == 0 && eq)
                    overridden = true;
            if (!overridden)
                VPUSH(out, *e);
        }
    }
    for (size_t i = 0; i < o.env.n; i++)
        VPUSH(out, o.env.v[i]);
    VPUSH(out, NULL);
    return out.v;
}

/* ------------------------------------------------------------------------ */
/* --explain                                                                  */

static void explain(const char *stage, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
static void explain(const char *stage, const char *fmt, ...)
{
    va_list ap;
    fprintf(stderr, "spx-run: %-13s ", stage);
    va_start(ap, fmt);
    vfprintf(stderr, fmt, ap);
    va_end(ap);
    fputc('\n', stderr);
}

static void sb_caps(strbuf *b, const intvec *caps)
{
    if (caps->n == 0) {
        sb_printf(b, "none");
        return;
    }
    for (size_t i = 0; i < caps->n; i++) {
        const char *name = spx_cap_name(caps->v[i]);
        if (name)
            sb_printf(b, "%s%s", i ? "," : "", name);
        else
            sb_printf(b, "%s%d", i ? "," : "", caps->v[i]);
    }
}

static void sb_user(strbuf *b, uint32_t uid)
{
    struct passwd *pw = getpwuid((uid_t)uid);
    if (pw)
        sb_printf(b, "%u(%s)", uid, pw->pw_name);
    else
        sb_printf(b, "%u", uid);
}

static void sb_group(strbuf *b, uint32_t gid)
{
    struct group *gr = getgrgid((gid_t)gid);
    if (gr)
        sb_printf(b, "%u(%s)", gid, gr->gr_name);
    else
        sb_printf(b, "%u", gid);
}

static const char *landlock_status_text(int status)
{
    switch (status) {
    case SPX_LANDLOCK_FULLY_ENFORCED: return "fully enforced";
    case SPX_LANDLOCK_PARTIALLY_ENFORCED: return "partially enforced";
    case SPX_LANDLOCK_NOT_ENFORCED: return "not enforced";
    default: return "unknown";
    }
}

static const char *action_text(uint32_t action)
{
    if (action == SPX_SECCOMP_ALLOW)
        return "allow";
    return o.sc_action_text;
}

struct plan {
    const sigset_t *child_mask;
    bool landlock;
    int landlock_status;
    bool seccomp;
    size_t seccomp_len;
    size_t seccomp_ignored;
    const char *sealed_path;
    size_t sealed_size;
    bool sealed_exec_seal;
    char **envp;
};

static void print_plan(const struct plan *pl)
{
    strbuf b = { 0 };

    for (char **a = o.argv; *a; a++)
        sb_printf(&b, "%s%s", a == o.argv ? "" : " ", *a);
    fprintf(stderr, "spx-run: plan (libspx %s, kernel Landlock ABI %d): %s\n",
            spx_version(), spx_landlock_abi(), sb_str(&b));

    /* prepare */
    sb_reset(&b);
    if (o.exec_fd >= 0 || o.sealed)
        sb_printf(&b, "program from a descriptor, argv[0] %s", o.program);
    else if (o.search_path && !strchr(o.program, '/'))
        sb_printf(&b, "look %s up in PATH", o.program);
    else
        sb_printf(&b, "program %s", o.program);
    size_t argc = 0;
    while (o.argv[argc])
        argc++;
    sb_printf(&b, ", %zu argument%s", argc - 1, argc == 2 ? "" : "s");
    if (!pl->envp) {
        sb_printf(&b, ", environment inherited");
    } else {
        size_t n = 0;
        while (pl->envp[n])
            n++;
        sb_printf(&b, ", environment %s with %zu set (%zu variables)",
                  o.clear_env ? "cleared" : "inherited", o.env.n, n);
    }
    explain(spx_stage_name(SPX_STAGE_PREPARE), "%s", sb_str(&b));

    /* 1. signals */
    sb_reset(&b);
    sb_printf(&b, "caught signals reset to SIG_DFL; blocked at exec:");
    bool any = false;
    for (int s = 1; s <= 64 && s <= SIGRTMAX; s++) {
        if (sigismember(pl->child_mask, s) == 1) {
            sb_printf(&b, " %d", s);
            any = true;
        }
    }
    if (!any)
        sb_printf(&b, " none");
    explain(spx_stage_name(SPX_STAGE_SIGNALS), "%s", sb_str(&b));

    /* 2. chroot */
    if (o.chroot_dir)
        explain(spx_stage_name(SPX_STAGE_CHROOT), "%s", o.chroot_dir);

    /* 3. bounding */
    if (o.have_bounding) {
        sb_reset(&b);
        sb_printf(&b, "keep ");
        sb_caps(&b, &o.bounding);
        sb_printf(&b, ", drop the rest");
        explain(spx_stage_name(SPX_STAGE_BOUNDING), "%s", sb_str(&b));
    }

    bool caps = o.have_ambient || o.have_inheritable;
    /* 4. keep capabilities across the uid change */
    if (caps && o.have_uid)
        explain(spx_stage_name(SPX_STAGE_CAPS), "keep capabilities across the uid change (PR_SET_KEEPCAPS)");

    /* 5-7. setgroups, setgid, setuid */
    if (o.have_groups) {
        sb_reset(&b);
        if (o.groups.n == 0)
            sb_printf(&b, "none");
        for (size_t i = 0; i < o.groups.n; i++) {
            if (i)
                sb_printf(&b, ",");
            sb_group(&b, o.groups.v[i]);
        }
        if (o.groups_from_user)
            sb_printf(&b, " (groups of user %s)", o.user);
        explain(spx_stage_name(SPX_STAGE_SETGROUPS), "%s", sb_str(&b));
    }
    if (o.have_gid) {
        sb_reset(&b);
        sb_group(&b, o.gid);
        if (o.gid_from_user)
            sb_printf(&b, " (primary group of user %s)", o.user);
        explain(spx_stage_name(SPX_STAGE_SETGID), "%s", sb_str(&b));
    }
    if (o.have_uid) {
        sb_reset(&b);
        sb_user(&b, o.uid);
        explain(spx_stage_name(SPX_STAGE_SETUID), "%s", sb_str(&b));
    }

    /* 8. caps */
    if (caps) {
        intvec inh = { 0 };
        for (size_t i = 0; i < o.inheritable.n; i++)
            push_unique_int(&inh, o.inheritable.v[i]);
        for (size_t i = 0; i < o.ambient.n; i++)
            push_unique_int(&inh, o.ambient.v[i]);
        sb_reset(&b);
        sb_printf(&b, "inheritable ");
        sb_caps(&b, &inh);
        if (o.have_ambient) {
            sb_printf(&b, "; permitted and effective after exec: ");
            sb_caps(&b, &o.ambient);
        }
        explain(spx_stage_name(SPX_STAGE_CAPS), "%s", sb_str(&b));
        free(inh.v);
    }

    /* 9. ambient */
    if (o.have_ambient) {
        sb_reset(&b);
        if (o.ambient.n == 0) {
            sb_printf(&b, "clear");
        } else {
            sb_printf(&b, "raise ");
            sb_caps(&b, &o.ambient);
        }
        explain(spx_stage_name(SPX_STAGE_AMBIENT), "%s", sb_str(&b));
    }

    /* 10. chdir */
    if (o.cwd)
        explain(spx_stage_name(SPX_STAGE_CHDIR), "%s%s", o.cwd,
                o.cwd_default ? " (the default with --chroot)" : "");

    /* 11. fds */
    sb_reset(&b);
    for (int fd = 0; fd <= 2; fd++) {
        bool mapped = false;
        for (size_t i = 0; i < o.fds.n; i++)
            if (o.fds.v[i].child == fd)
                mapped = true;
        if (!mapped)
            sb_printf(&b, "%d inherited, ", fd);
    }
    for (size_t i = 0; i < o.fds.n; i++) {
        if (o.fds.v[i].parent < 0)
            sb_printf(&b, "%d closed, ", o.fds.v[i].child);
        else
            sb_printf(&b, "%d <- spx-run's %d, ", o.fds.v[i].child, o.fds.v[i].parent);
    }
    sb_printf(&b, "every other descriptor closed at exec");
    explain(spx_stage_name(SPX_STAGE_FDS), "%s", sb_str(&b));

    /* 12. no_new_privs */
    if (o.no_new_privs)
        explain(spx_stage_name(SPX_STAGE_NO_NEW_PRIVS), "set (--no-new-privs)");
    else if ((pl->landlock && pl->landlock_status != SPX_LANDLOCK_NOT_ENFORCED) || pl->seccomp)
        explain(spx_stage_name(SPX_STAGE_NO_NEW_PRIVS),
                "set for %s (unless the child keeps cap_sys_admin)",
                pl->landlock && pl->seccomp ? "landlock and seccomp" : pl->landlock ? "landlock" : "seccomp");

    /* 13. landlock */
    if (pl->landlock) {
        sb_reset(&b);
        sb_printf(&b, "%s, %s on this kernel (Landlock ABI %d)",
                  o.strict ? "strict" : "best effort",
                  landlock_status_text(pl->landlock_status), spx_landlock_abi());
        for (size_t i = 0; i < o.paths.n; i++)
            sb_printf(&b, "; %s %s", o.paths.v[i].opt + 2, o.paths.v[i].path);
        for (size_t i = 0; i < o.ports.n; i++)
            sb_printf(&b, "; %s %u", o.ports.v[i].opt + 2, o.ports.v[i].port);
        if (o.have_scope) {
            sb_printf(&b, "; scope");
            if (!o.scopes)
                sb_printf(&b, " none");
            if (o.scopes & SPX_LANDLOCK_SCOPE_SIGNAL)
                sb_printf(&b, " signal");
            if (o.scopes & SPX_LANDLOCK_SCOPE_ABSTRACT_UNIX_SOCKET)
                sb_printf(&b, " abstract-unix");
        }
        if (o.paths.n == 0)
            sb_printf(&b, "; no path rule: every filesystem access is denied");
        explain(spx_stage_name(SPX_STAGE_LANDLOCK), "%s", sb_str(&b));
    }

    /* 14. seccomp */
    if (pl->seccomp) {
        uint32_t def = o.sc_mode == SC_DENY ? SPX_SECCOMP_ALLOW : o.sc_action;
        uint32_t rule = o.sc_mode == SC_DENY ? o.sc_action : SPX_SECCOMP_ALLOW;
        sb_reset(&b);
        sb_printf(&b, "default %s; %s:", action_text(def), action_text(rule));
        for (size_t i = 0; i < o.syscalls.n; i++)
            sb_printf(&b, "%s%s", i ? "," : " ", o.syscalls.v[i]);
        sb_printf(&b, " (%zu rule%s", o.syscalls.n, o.syscalls.n == 1 ? "" : "s");
        if (pl->seccomp_ignored)
            sb_printf(&b, ", %zu absent on this architecture", pl->seccomp_ignored);
        sb_printf(&b, "), %zu BPF instructions", pl->seccomp_len);
        explain(spx_stage_name(SPX_STAGE_SECCOMP), "%s", sb_str(&b));
    }

    /* 15. exec */
    sb_reset(&b);
    if (o.exec_fd >= 0)
        sb_printf(&b, "execveat descriptor %d", o.exec_fd);
    else if (o.sealed)
        sb_printf(&b, "execveat a sealed memfd copy of %s (%zu bytes; seals seal,shrink,grow,write%s)",
                  pl->sealed_path, pl->sealed_size, pl->sealed_exec_seal ? ",exec" : "");
    else
        sb_printf(&b, "execve %s", o.program);
    explain(spx_stage_name(SPX_STAGE_EXEC), "%s", sb_str(&b));

    if (o.have_timeout)
        explain("wait", "up to %g s, then SIGKILL and exit 124", o.timeout_s);
    else
        explain("wait", "until the program ends");
    free(b.s);
    fflush(stderr);
}

/* ------------------------------------------------------------------------ */
/* Signals: forward what spx-run receives to the child                        */

static volatile sig_atomic_t g_child_pid = 0;
static volatile sig_atomic_t g_child_pidfd = -1;

static void forward_signal(int sig, siginfo_t *si, void *uctx)
{
    (void)uctx;
    /* Terminal signals (^C) already reach the child's process group. */
    if (si && si->si_code == SI_KERNEL)
        return;
    int saved = errno;
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

static void install_forwarding(sigset_t *blocked)
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

/* ------------------------------------------------------------------------ */

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

static void check(int rc, const char *what)
{
    if (rc == 0)
        return;
    if (rc == ENOTSUP)
        die("%s: not supported on this system (%s)", what, strerror(rc));
    die("%s: %s", what, strerror(rc));
}

int main(int argc, char **argv)
{
    parse_options(argc, argv);

    spx_attr *attr = spx_attr_new();
    if (!attr)
        die("out of memory");

    /* identity */
    char what[256];
    if (o.have_uid) {
        snprintf(what, sizeof what, "--uid %u", o.uid);
        check(spx_attr_set_uid(attr, o.uid), what);
    }
    if (o.have_gid) {
        snprintf(what, sizeof what, "--gid %u", o.gid);
        check(spx_attr_set_gid(attr, o.gid), what);
    }
    if (o.have_groups)
        check(spx_attr_set_groups(attr, o.groups.v, o.groups.n), "--groups");
    static const struct {
        const char *opt;
        int (*set)(spx_attr *, const int *, size_t);
    } capsets[] = {
        { "--ambient", spx_attr_set_ambient },
        { "--inheritable", spx_attr_set_inheritable },
        { "--bounding", spx_attr_set_bounding },
    };
    const intvec *capvals[] = { &o.ambient, &o.inheritable, &o.bounding };
    const bool capon[] = { o.have_ambient, o.have_inheritable, o.have_bounding };
    for (size_t i = 0; i < 3; i++) {
        if (!capon[i])
            continue;
        int rc = capsets[i].set(attr, capvals[i]->v, capvals[i]->n);
        if (rc == EINVAL)
            die("%s: a capability is not known to this kernel", capsets[i].opt);
        check(rc, capsets[i].opt);
    }
    if (o.no_new_privs)
        check(spx_attr_set_no_new_privs(attr, 1), "--no-new-privs");
    if (o.chroot_dir)
        check(spx_attr_set_chroot(attr, o.chroot_dir), "--chroot");
    if (o.cwd)
        check(spx_attr_set_cwd(attr, o.cwd), "--cwd");

    /* descriptors */
    for (size_t i = 0; i < o.fds.n; i++) {
        int rc = spx_attr_set_fd(attr, o.fds.v[i].child, o.fds.v[i].parent);
        if (rc) {
            snprintf(what, sizeof what, "--fd %d=%d", o.fds.v[i].child, o.fds.v[i].parent);
            check(rc, what);
        }
    }

    struct plan pl;
    memset(&pl, 0, sizeof pl);

    /* Landlock */
    spx_landlock *rs = NULL;
    pl.landlock = o.paths.n || o.ports.n || o.have_scope;
    if (pl.landlock) {
        int abi = spx_landlock_abi();
        int rc = spx_landlock_new(&rs, 0, o.strict ? 0u : SPX_LANDLOCK_BEST_EFFORT);
        check(rc, "landlock");
        for (size_t i = 0; i < o.paths.n; i++) {
            const struct path_rule *r = &o.paths.v[i];
            rc = spx_landlock_allow_path(rs, r->path, r->access);
            if (rc == ENOTSUP)
                die("%s %s: this kernel's Landlock (ABI %d) cannot enforce every right of the rule "
                    "(--strict)", r->opt, r->path, abi);
            if (rc)
                die("%s %s: %s%s", r->opt, r->path, strerror(rc),
                    o.strict ? "" : " (even with --best-effort every path must exist)");
        }
        for (size_t i = 0; i < o.ports.n; i++) {
            const struct port_rule *r = &o.ports.v[i];
            rc = spx_landlock_allow_port(rs, r->port, r->access);
            if (rc == ENOTSUP)
                die("%s %u: needs Landlock ABI 4, this kernel has %d (--strict)", r->opt, r->port, abi);
            if (rc)
                die("%s %u: %s", r->opt, r->port, strerror(rc));
        }
        if (o.have_scope) {
            rc = spx_landlock_set_scope(rs, o.scopes);
            if (rc == ENOTSUP)
                die("--scope: needs Landlock ABI 6, this kernel has %d (--strict)", abi);
            check(rc, "--scope");
        }
        pl.landlock_status = spx_landlock_status(rs);
        rc = spx_attr_set_landlock(attr, rs);
        if (rc == ENOTSUP && o.strict)
            die("landlock: this kernel (Landlock ABI %d) cannot enforce the whole ruleset of "
                "libspx %s (--strict)", abi, spx_version());
        check(rc, "landlock");
        if (pl.landlock_status == SPX_LANDLOCK_NOT_ENFORCED)
            warn("warning: Landlock is not available on this kernel; running without it (--best-effort)");
    }

    /* seccomp */
    spx_seccomp *filter = NULL;
    pl.seccomp = o.sc_mode != SC_NONE;
    if (pl.seccomp) {
        uint32_t def = o.sc_mode == SC_DENY ? SPX_SECCOMP_ALLOW : o.sc_action;
        uint32_t rule = o.sc_mode == SC_DENY ? o.sc_action : SPX_SECCOMP_ALLOW;
        check(spx_seccomp_new(&filter, def), "seccomp");
        for (size_t i = 0; i < o.syscalls.n; i++) {
            const char *name = o.syscalls.v[i];
            unsigned long long nr;
            int rc;
            if (parse_ull(name, INT_MAX, &nr))
                rc = spx_seccomp_add_nr(filter, (int)nr, rule);
            else
                rc = spx_seccomp_add(filter, name, rule);
            if (rc == EINVAL)
                die("%s: unknown system call '%s'", o.sc_opt, name);
            if (rc) {
                snprintf(what, sizeof what, "%s %s", o.sc_opt, name);
                check(rc, what);
            }
        }
        pl.seccomp_ignored = spx_seccomp_ignored(filter);
        check(spx_seccomp_length(filter, &pl.seccomp_len), "seccomp");
        check(spx_attr_set_seccomp(attr, filter), "seccomp");
    }

    /* exec */
    char *sealed_path = NULL;
    if (o.exec_fd >= 0) {
        snprintf(what, sizeof what, "--exec-fd %d", o.exec_fd);
        check(spx_attr_set_execfd(attr, o.exec_fd), what);
    } else if (o.sealed) {
        int mfd = make_sealed(&sealed_path, &pl.sealed_size, &pl.sealed_exec_seal);
        pl.sealed_path = sealed_path;
        int rc = spx_attr_set_execfd(attr, mfd);
        close(mfd);
        check(rc, "sealed");
    } else if (o.search_path) {
        check(spx_attr_set_search_path(attr, 1), "--search-path");
    }

    pl.envp = build_env();

    /* Signals: block the forwarded ones until the child's handle is known;
     * the child gets spx-run's original mask. */
    sigset_t fwd, old;
    install_forwarding(&fwd);
    sigprocmask(SIG_BLOCK, &fwd, &old);
    int mask[64];
    size_t nmask = 0;
    for (int s = 1; s <= 64 && s <= SIGRTMAX; s++)
        if (sigismember(&old, s) == 1)
            mask[nmask++] = s;
    check(spx_attr_set_sigmask(attr, mask, nmask), "signal mask");
    pl.child_mask = &old;

    if (o.explain)
        print_plan(&pl);

    spx_process *proc = NULL;
    spx_error err;
    memset(&err, 0, sizeof err);
    bool use_fd = o.exec_fd >= 0 || o.sealed;
    int rc = spx_spawn(&proc, attr, use_fd ? NULL : o.program, (const char *const *)o.argv,
                       (const char *const *)pl.envp, &err);
    spx_attr_free(attr);
    spx_landlock_free(rs);
    spx_seccomp_free(filter);
    free(pl.envp);
    free(sealed_path);
    if (rc != 0) {
        const char *hint = "";
        if (rc == EACCES && err.stage == SPX_STAGE_EXEC && pl.landlock &&
            pl.landlock_status != SPX_LANDLOCK_NOT_ENFORCED)
            hint = " (Landlock: the program, its interpreter and libraries need --rox)";
        if (err.message[0])
            fprintf(stderr, "spx-run: %s%s\n", err.message, hint);
        else
            fprintf(stderr, "spx-run: %s: %s%s\n", spx_stage_name(err.stage), strerror(rc), hint);
        return spawn_failure_status(&err, rc);
    }

    g_child_pid = (sig_atomic_t)spx_process_pid(proc);
    g_child_pidfd = spx_process_pidfd(proc);
    sigprocmask(SIG_SETMASK, &old, NULL);

    int code = -1, sig = 0;
    bool timed_out = false;
    if (o.have_timeout) {
        long long deadline = now_ms() + o.timeout_ms;
        for (;;) {
            long long left = deadline - now_ms();
            if (left <= 0) {
                timed_out = true;
                break;
            }
            rc = spx_process_wait_timeout(proc, left > INT_MAX ? INT_MAX : (int)left, &code, &sig);
            if (rc == 0)
                break;
            if (rc != ETIMEDOUT && rc != EINTR)
                die("wait: %s", strerror(rc));
        }
        if (timed_out) {
            rc = spx_process_kill(proc, SIGKILL);
            if (rc != 0 && rc != ESRCH)
                die("timeout: kill: %s", strerror(rc));
        }
    }
    if (!o.have_timeout || timed_out) {
        do
            rc = spx_process_wait(proc, &code, &sig);
        while (rc == EINTR);
        if (rc != 0)
            die("wait: %s", strerror(rc));
    }
    g_child_pidfd = -1;
    g_child_pid = 0;
    spx_process_free(proc);

    free(o.user);
    free(o.groups.v);
    free(o.ambient.v);
    free(o.inheritable.v);
    free(o.bounding.v);
    free(o.paths.v);
    free(o.ports.v);
    free_strvec(&o.syscalls);
    free_strvec(&o.env);
    free(o.fds.v);

    if (timed_out) {
        if (o.explain)
            fprintf(stderr, "spx-run: timeout: killed after %g s\n", o.timeout_s);
        return EXIT_TIMEDOUT;
    }
    if (sig > 0)
        return 128 + sig;
    return code & 0xff;
}
