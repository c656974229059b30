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

/* "spx-run: ..." on stderr, then exit EXIT_CANCELED. */
void die(const char *fmt, ...) __attribute__((format(printf, 1, 2), noreturn));
/* Same, with another exit status (126, 127). */
void die_status(int status, const char *fmt, ...) __attribute__((format(printf, 2, 3), noreturn));
/* "spx-run: ..." on stderr, and go on. */
void warn(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
/* Dies with "WHAT: reason" unless rc (an errno value from libspx) is 0. */
void check(int rc, const char *what);

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

/* A name such as EPERM (any case) or a number 0-4095; -1 if neither. */
int errno_from_name(const char *s);
/* The name of an errno value, or NULL. */
const char *errno_name(int e);

/* ------------------------------------------------------------------------ */
/* The command line (options.c)                                              */

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
};

/* Fills o (which starts as OPTIONS_INIT) from the command line and checks the
 * options against each other, so that every mistake is refused before
 * anything runs. --help and --version exit here. */
#define OPTIONS_INIT { .exec_fd = -1 }
void parse_options(struct options *o, int argc, char **argv);
/* Frees what parse_options allocated. */
void free_options(struct options *o);

/* ------------------------------------------------------------------------ */
/* The program and its environment (program.c)                               */

/* --sealed: copies the program (looked up in PATH with --search-path, inside
 * --chroot) into a sealed memfd and returns it; *resolved is the file copied.
 * Exits 126/127/125 on failure. */
int make_sealed(const struct options *o, char **resolved, size_t *size, bool *exec_sealed);
/* The child's environment, or NULL to inherit spx-run's unchanged. The
 * strings are borrowed from environ and o: free only the array. */
char **build_env(const struct options *o);

/* ------------------------------------------------------------------------ */
/* What the spawn will do, beyond the options (filled by attr.c and main.c)  */

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
/* --exec-fd, --sealed or --search-path. Returns the path copied by --sealed
 * (the caller frees it after the spawn), or NULL. */
char *apply_exec(spx_attr *attr, const struct options *o, struct plan *pl);

/* ------------------------------------------------------------------------ */
/* Signal forwarding (signals.c)                                             */

/* Installs the forwarding handlers; *blocked gets the signals they catch. */
void install_forwarding(sigset_t *blocked);
/* From now on the handlers forward to this child. */
void forward_to_child(pid_t pid, int pidfd);
/* The child is reaped: nothing to forward to any more. */
void stop_forwarding(void);

#endif
