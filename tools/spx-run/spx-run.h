/*
 * spx-run: what the tool's source files share. The options parsed from the
 * command line (struct options), what the spawn will do beyond them
 * (struct plan, for --explain), and the helpers every file uses.
 *
 * The tool includes only the public <spx.h>: it doubles as the proof that the
 * public API is complete enough to write a real launcher.
 *
 * SPDX-License-Identifier: MIT
 */
#ifndef SPX_RUN_H
#define SPX_RUN_H

#include <signal.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <sys/types.h>

#include <spx.h>

/* Exit statuses, as timeout(1), env(1), chroot(1) use them. */
enum {
    EXIT_TIMEDOUT = 124,  /* --timeout expired, the child was killed */
    EXIT_CANCELED = 125,  /* spx-run itself failed: bad option or a setup stage */
    EXIT_CANNOT_INVOKE = 126, /* the program exists but cannot be executed */
    EXIT_ENOENT = 127,    /* the program was not found */
};

/* ------------------------------------------------------------------------ */
/* Messages and allocation (util.c). Every failure before the spawn ends the
 * tool, so these exit instead of returning errors.                          */

/* exit(status), unless spx_run_exit_hook (NULL in spx-run; the fuzz targets
 * set it) unwinds first. Every exit before the spawn goes through here. */
extern void (*spx_run_exit_hook)(int status);
void tool_exit(int status) __attribute__((noreturn));
/* "spx-run: ..." on stderr, then exit EXIT_CANCELED. */
void die(const char *fmt, ...) __attribute__((format(printf, 1, 2), noreturn));
/* Same, with another exit status (126, 127). */
void die_status(int status, const char *fmt, ...) __attribute__((format(printf, 2, 3), noreturn));
/* "spx-run: ..." on stderr, and go on. */
void warn(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
/* Dies with "WHAT: reason" unless rc (an errno value from libspx) is 0. */
void check(int rc, const char *what);

/* s with control characters as \n, \t, \xHH: a message or --explain line
 * stays one line whatever an argument holds. */
#include <stdio.h>
void put_escaped(FILE *f, const char *s);

void *xrealloc(void *p, size_t n);
char *xstrdup(const char *s);

/* Growable arrays. */
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

/* Appends x unless it is already there. */
void push_unique_int(intvec *v, int x);
void push_unique_u32(u32vec *v, uint32_t x);

/* A growable string for --explain lines. */
typedef struct { char *s; size_t n, cap; } strbuf;

void sb_printf(strbuf *b, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
/* The text so far; "" before the first sb_printf. */
const char *sb_str(strbuf *b);
/* Empties the string, keeping its memory. */
void sb_reset(strbuf *b);

/* Decimal, no sign, no blank, no overflow, at most max. */
bool parse_ull(const char *s, unsigned long long max, unsigned long long *out);
/* Split a comma-separated list; an empty item is an error (named after opt). */
strvec split_list(const char *opt, const char *s);
/* Frees the strings and the array, and empties v. */
void free_strvec(strvec *v);

/* ------------------------------------------------------------------------ */
/* errno names, for --seccomp-action errno:NAME (errno_names.c)               */

/* A name such as EPERM (any case) or a number 0-4094; -1 if neither. */
int errno_from_name(const char *s);
/* The name of an errno value, or NULL. */
const char *errno_name(int e);

/* ------------------------------------------------------------------------ */
/* The command line (options.c)                                              */

struct path_rule {
    const char *opt;   /* "--ro", "--rw", "--rox", "--system-ro", "--unix" */
    const char *path;
    uint64_t access;
};

struct port_rule {
    const char *opt;   /* "--bind-tcp", "--connect-tcp", "--bind-udp", "--connect-udp" */
    unsigned port;
    uint64_t access;
};

struct fd_rule {
    int child;
    int parent;        /* -1: closed in the child */
};

enum seccomp_mode { SC_NONE, SC_DENY, SC_ALLOW };

/* --syscall NAME:ACTION[:COND...]: one rule with its conditions. */
struct syscall_rule {
    char *spec;        /* as given, for messages */
    char *name;
    uint32_t action;
    char action_text[48];
    size_t n;
    spx_seccomp_cond conds[6];
};

struct rlimit_rule {
    int resource;      /* RLIMIT_* number */
    uint64_t soft, hard; /* SPX_RLIM_INFINITY: unlimited */
};

struct options {
    /* identity */
    bool have_uid;
    uint32_t uid;
    char *user;            /* set when --uid was a name */
    uint32_t user_gid;     /* that user's primary group */
    bool have_gid;
    uint32_t gid;
    bool gid_from_user;
    bool have_groups;      /* exactly o->groups */
    u32vec groups;
    bool groups_from_user;
    bool keep_groups;      /* --groups keep: spx-run's own, no setgroups */
    bool have_ambient, have_inheritable, have_bounding;
    intvec ambient, inheritable, bounding;
    bool no_new_privs;
    const char *chroot_dir;
    const char *cwd;
    bool cwd_default;      /* "/" because of --chroot */
    /* landlock */
    VEC(struct path_rule) paths;
    VEC(struct port_rule) ports;
    uint64_t net_named;    /* SPX_LANDLOCK_NET_* of every port option given, "none" too */
    bool have_scope;
    uint64_t scopes;
    bool strict;
    bool log_denials;      /* --log-denials */
    /* seccomp */
    enum seccomp_mode sc_mode;
    const char *sc_opt;
    strvec syscalls;
    bool have_sc_action;
    uint32_t sc_action;
    char sc_action_text[48];
    const char *sc_profile;   /* --seccomp-profile FILE (OCI JSON) */
    VEC(struct syscall_rule) sc_rules;  /* --syscall */
    bool sc_log;              /* --seccomp-log */
    /* exec */
    int exec_fd;
    bool sealed;
    /* process */
    strvec env;
    strvec id_env;         /* HOME, USER, LOGNAME, SHELL of --uid (build_env) */
    bool clear_env;
    VEC(struct fd_rule) fds;
    bool have_timeout;
    double timeout_s;
    long long timeout_ms;
    bool search_path;      /* --search-path: the default, kept for scripts */
    bool no_search_path;   /* --no-search-path */
    bool system_ro;        /* --system-ro */
    bool have_sigmask;     /* --sigmask: exactly these blocked */
    intvec sigmask;
    intvec sigdefault;     /* --sigdefault */
    bool keep_sigpipe;     /* --keep-sigpipe */
    bool explain;
    /* process controls (controls.c) */
    VEC(struct rlimit_rule) rlimits;
    bool setsid;
    bool have_pgroup;
    int64_t pgroup;        /* 0: a new group led by the program; > 0: join it */
    bool pgroup_auto;      /* the new group --timeout gives the program */
    int ctty;              /* the program's descriptor, -1: none */
    bool foreground;
    int foreground_fd;     /* the program's descriptor of that terminal */
    const char *cgroup;
    int cgroup_fd;         /* opened by parse_options, -1: none */
    bool die_with_parent;
    int umask;             /* -1: inherited */
    bool have_securebits;
    unsigned securebits;
    /* what to run */
    const char *program;
    char **argv;           /* PROGRAM ARGS..., NULL-terminated */
};

/* Fills o (which starts as OPTIONS_INIT) from the command line and checks the
 * options against each other, so that every mistake is refused before
 * anything runs. --help and --version exit here. */
#define OPTIONS_INIT { .exec_fd = -1, .ctty = -1, .foreground_fd = -1, .cgroup_fd = -1, .umask = -1 }
void parse_options(struct options *o, int argc, char **argv);
/* Frees what parse_options allocated. */
void free_options(struct options *o);

/* ------------------------------------------------------------------------ */
/* Process controls: limits, session, cgroup, parent death, umask,
 * securebits (controls.c)                                                   */

/* --rlimit NAME=SOFT[:HARD], --pgroup new|PGID, --umask MODE,
 * --securebits NAME,..: each dies with a one-line message on bad input. */
void parse_rlimit(struct options *o, const char *s);
void parse_pgroup(struct options *o, const char *s);
void parse_umask(struct options *o, const char *s);
void parse_securebits(struct options *o, const char *s);
/* The checks between these options and the others, once all are read; opens
 * --cgroup (o->cgroup_fd). */
void check_controls(struct options *o);
/* "nofile" for RLIMIT_NOFILE, or NULL. */
const char *rlimit_name(int resource);
/* "unlimited" or the number, in buf. */
const char *limit_text(uint64_t v, char *buf, size_t len);
/* spx-run's own soft and hard limits of a resource. */
void own_limit(int resource, uint64_t *soft, uint64_t *hard);
/* "noroot,noroot-locked" style, or "none". */
void sb_securebits(strbuf *b, unsigned bits);
/* The descriptor of spx-run that becomes the program's child_fd, or -1 when
 * it is closed in the program. */
int parent_fd_of(const struct options *o, int child_fd);
/* The cgroup v2 mount point, from /proc/self/mountinfo, into buf ("" if
 * none). */
void cgroup2_mount(char *buf, size_t len);

/* ------------------------------------------------------------------------ */
/* The program and its environment (program.c)                               */

/* --sealed: copies the program (looked up in PATH with --search-path, inside
 * --chroot) into a sealed memfd and returns it; *resolved is the file copied.
 * Exits 126/127/125 on failure. */
int make_sealed(const struct options *o, const char *path, char **resolved, size_t *size, bool *exec_sealed);
/* The child's environment, or NULL to inherit spx-run's unchanged. The
 * strings are borrowed from environ and o: free only the array. */
char **build_env(struct options *o);

/* ------------------------------------------------------------------------ */
/* The program as the child sees it (resolve.c)                              */

struct plan;
/* The identity the program will have: uid, gid, supplementary groups. */
struct child_id {
    uid_t uid;
    gid_t gid;
    u32vec groups;
};
extern const char *const default_path;
/* A uid or gid other than spx-run's own (libspx's rule). */
bool new_identity(const struct options *o);
/* Fills id (free id->groups.v). */
void child_identity(const struct options *o, struct child_id *id);
/* The kernel's mode-bit check for that identity (root: any x bit). */
struct stat;
bool id_can_exec(const struct child_id *id, const struct stat *st);
/* path against --cwd (child's view, malloc'd); the same on the host, with
 * the --chroot directory in front. */
char *child_path(const struct options *o, const char *path);
char *host_path(const struct options *o, const char *path);
/* Opens path as the child would name it (inside --chroot, relative to
 * --cwd); -errno on failure. */
int open_child_view(const struct options *o, const char *path, int flags);
/* The PATH the program gets (NULL: none). */
const char *child_env_path(const struct options *o, char **envp);
/* The path to execute: PROGRAM itself if it holds a '/' (or with
 * --no-search-path), else the first entry of the program's PATH it can
 * execute; exits 127 or 126 naming the PATH searched. */
char *resolve_program(const struct options *o, char **envp);
/* After an exec failure (err) of path: the reason, appended to b. */
void diagnose_exec(const struct options *o, const struct plan *pl, const char *path, int err, strbuf *b);
/* Set-user-ID, set-group-ID or file capabilities. */
bool has_file_privileges(const struct options *o, const char *path);

/* ------------------------------------------------------------------------ */
/* What the spawn will do, beyond the options (filled by attr.c and main.c)  */

struct plan {
    const sigset_t *child_mask;
    intvec sigdefault;     /* reset to SIG_DFL (SIGPIPE unless --keep-sigpipe) */
    bool landlock;
    int landlock_status;
    uint64_t ll_fs;        /* the Landlock rights spx-run handles: only the families named */
    uint64_t ll_net;
    uint64_t ll_scopes;
    bool seccomp;
    size_t seccomp_len;
    size_t seccomp_ignored;
    size_t seccomp_caps;      /* capabilities given to the profile's includes/excludes */
    const char *sealed_path;
    const char *exec_path; /* the path given to execve (after the PATH search) */
    const char *path_searched; /* the PATH it was found in, or NULL */
    size_t sealed_size;
    bool sealed_exec_seal;
    char **envp;
    /* --timeout: what it kills (main.c fills these before --explain) */
    bool kill_cgroup;      /* write cgroup.kill of o->cgroup_fd */
    const char *no_cgroup_kill; /* why not, with --cgroup; NULL otherwise */
    bool kill_group;       /* kill(-pgid): the program's own or joined group */
};

/* --explain: prints the plan on stderr, stage by stage (explain.c). */
void print_plan(const struct options *o, const struct plan *pl);

/* ------------------------------------------------------------------------ */
/* Options into spx attributes (attr.c). In this order: a failure names the
 * first option that cannot be honoured.                                     */

/* uid, gid, groups, capabilities, no_new_privs, chroot, cwd */
void apply_identity(spx_attr *attr, const struct options *o);
/* --fd */
void apply_fds(spx_attr *attr, const struct options *o);
/* The Landlock ruleset (the caller frees it after the spawn), or NULL. */
spx_landlock *apply_landlock(spx_attr *attr, const struct options *o, struct plan *pl);
/* The seccomp filter (the caller frees it after the spawn), or NULL. */
spx_seccomp *apply_seccomp(spx_attr *attr, const struct options *o, struct plan *pl);
/* --rlimit, --setsid, --pgroup, --ctty, --foreground, --cgroup,
 * --die-with-parent, --umask, --securebits */
void apply_controls(spx_attr *attr, const struct options *o);
/* --exec-fd, --sealed or --search-path. Returns the path copied by --sealed
 * (the caller frees it after the spawn), or NULL. */
char *apply_exec(spx_attr *attr, const struct options *o, struct plan *pl, const char *path);

/* ------------------------------------------------------------------------ */
/* What --timeout kills (timeout.c)                                          */

/* The process group the program leads or joined, for a program of pid; 0
 * when it stays in spx-run's. */
pid_t program_group(const struct options *o, pid_t pid);
/* Fills pl's kill_* fields. */
void plan_timeout(const struct options *o, struct plan *pl);
/* SIGKILL to the cgroup, the group and the program, as planned; true if
 * the cgroup was killed. */
bool kill_on_timeout(spx_process *proc, const struct options *o, const struct plan *pl);
/* Waits (up to a second) until the cgroup is empty, so that nothing of it
 * still runs when spx-run exits. */
void wait_cgroup_empty(int cgfd);

/* ------------------------------------------------------------------------ */
/* Signal forwarding (signals.c)                                             */

/* Installs the forwarding handlers; *blocked gets the signals they catch. */
void install_forwarding(sigset_t *blocked);
/* From now on the handlers forward to this child, or to its process group
 * pgid when pgid > 0. other_group: the program is not in spx-run's process
 * group, so the signals spx-run gets from its terminal (^C) do not reach it
 * and are forwarded too. */
void forward_to_child(pid_t pid, int pidfd, pid_t pgid, bool other_group);
/* The child is reaped: nothing to forward to any more. */
void stop_forwarding(void);

#endif
