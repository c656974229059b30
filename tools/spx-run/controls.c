/*
 * spx-run: the per-process controls: resource limits, session and process
 * group, controlling terminal and foreground group, cgroup, parent-death
 * signal, umask and securebits. Each is parsed and checked against the
 * other options here, so that a mistake is one line and status 125 before
 * anything runs.
 *
 * SPDX-License-Identifier: MIT
 */
#include <ctype.h>
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <linux/magic.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/vfs.h>
#include <termios.h>
#include <unistd.h>

#include "spx-run.h"

#ifndef CGROUP2_SUPER_MAGIC
#define CGROUP2_SUPER_MAGIC 0x63677270
#endif

/* ------------------------------------------------------------------------ */
/* --rlimit NAME=SOFT[:HARD]                                                 */

/* The names spx_rlimit_from_name() knows; the numbers come from it, since
 * they differ between architectures. */
static const char *const rlimit_names[] = {
    "as", "core", "cpu", "data", "fsize", "locks", "memlock", "msgqueue",
    "nice", "nofile", "nproc", "rss", "rtprio", "rttime", "sigpending", "stack",
};
#define N_RLIMIT_NAMES (sizeof rlimit_names / sizeof rlimit_names[0])

const char *rlimit_name(int resource)
{
    for (size_t i = 0; i < N_RLIMIT_NAMES; i++)
        if (spx_rlimit_from_name(rlimit_names[i]) == resource)
            return rlimit_names[i];
    return NULL;
}

/* A number, or unlimited (prlimit(1)) / infinity (systemd). */
static bool parse_limit(const char *s, uint64_t *out)
{
    unsigned long long n;
    if (strcmp(s, "unlimited") == 0 || strcmp(s, "infinity") == 0) {
        *out = SPX_RLIM_INFINITY;
        return true;
    }
    if (!parse_ull(s, UINT64_MAX - 1, &n))
        return false;
    *out = n;
    return true;
}

const char *limit_text(uint64_t v, char *buf, size_t len)
{
    if (v == SPX_RLIM_INFINITY)
        return "unlimited";
    snprintf(buf, len, "%llu", (unsigned long long)v);
    return buf;
}

/* spx-run's own limit, which the program inherits unless told otherwise. */
void own_limit(int resource, uint64_t *soft, uint64_t *hard)
{
    struct rlimit rl = { RLIM_INFINITY, RLIM_INFINITY };
    getrlimit(resource, &rl);
    *soft = rl.rlim_cur == RLIM_INFINITY ? SPX_RLIM_INFINITY : (uint64_t)rl.rlim_cur;
    *hard = rl.rlim_max == RLIM_INFINITY ? SPX_RLIM_INFINITY : (uint64_t)rl.rlim_max;
}

/* SOFT alone sets both limits, as prlimit(1) and systemd's LimitNOFILE= do;
 * SOFT: and :HARD keep the other one as spx-run has it. */
void parse_rlimit(struct options *o, const char *s)
{
    const char *eq = strchr(s, '=');
    if (!eq || eq == s || !eq[1])
        die("--rlimit %s: expected NAME=SOFT[:HARD] (e.g. nofile=1024:4096)", s);
    char *name = xstrdup(s);
    name[eq - s] = '\0';
    int res = spx_rlimit_from_name(name);
    if (res < 0) {
        strbuf known = { 0 };
        for (size_t i = 0; i < N_RLIMIT_NAMES; i++)
            sb_printf(&known, "%s%s", i ? ", " : "", rlimit_names[i]);
        die("--rlimit %s: unknown resource '%s' (known: %s)", s, name, sb_str(&known));
    }
    free(name);

    struct rlimit_rule r = { res, 0, 0 };
    uint64_t own_soft, own_hard;
    own_limit(res, &own_soft, &own_hard);
    char *val = xstrdup(eq + 1);
    char *colon = strchr(val, ':');
    const char *soft_s = val, *hard_s = val;
    if (colon) {
        *colon = '\0';
        hard_s = colon + 1;
        if (!*soft_s && !*hard_s)
            die("--rlimit %s: expected NAME=SOFT[:HARD] (e.g. nofile=1024:4096)", s);
    }
    bool kept = !*soft_s || !*hard_s;
    r.soft = own_soft;
    r.hard = own_hard;
    if (*soft_s && !parse_limit(soft_s, &r.soft))
        die("--rlimit %s: '%s' is not a limit (a number or unlimited)", s, soft_s);
    if (*hard_s && !parse_limit(hard_s, &r.hard))
        die("--rlimit %s: '%s' is not a limit (a number or unlimited)", s, hard_s);
    free(val);
    if (r.soft > r.hard) {
        char a[32], b[32];
        die("--rlimit %s: the soft limit %s is above the hard limit %s%s", s, limit_text(r.soft, a, sizeof a),
            limit_text(r.hard, b, sizeof b), kept ? " (spx-run's own)" : "");
    }
    /* The same resource again replaces it. */
    for (size_t i = 0; i < o->rlimits.n; i++) {
        if (o->rlimits.v[i].resource == res) {
            o->rlimits.v[i] = r;
            return;
        }
    }
    VPUSH(o->rlimits, r);
}

/* ------------------------------------------------------------------------ */
/* --pgroup new|PGID, --umask MODE                                           */

void parse_pgroup(struct options *o, const char *s)
{
    unsigned long long n;
    if (strcmp(s, "new") == 0 || strcmp(s, "0") == 0) {
        o->pgroup = 0;
    } else if (parse_ull(s, INT_MAX, &n)) {
        /* Say it now rather than as an EPERM of the session stage (kill(-1)
         * would mean every process: not a check). */
        if (n > 1 && kill(-(pid_t)n, 0) != 0 && errno == ESRCH)
            die("--pgroup %s: no such process group", s);
        o->pgroup = (int64_t)n;
    } else {
        die("--pgroup %s: expected new or the id of a process group to join", s);
    }
    o->have_pgroup = true;
    o->pgroup_auto = false;
}

void parse_umask(struct options *o, const char *s)
{
    size_t len = strlen(s);
    long v = len ? strtol(s, NULL, 8) : -1;
    if (len == 0 || len > 4 || strspn(s, "01234567") != len || v > 0777)
        die("--umask %s: not an octal mode from 0 to 0777 (e.g. 027)", s);
    o->umask = (int)v;
}

/* ------------------------------------------------------------------------ */
/* --securebits NAME,..                                                      */

static const struct {
    const char *name;
    unsigned bit;
} secbits[] = {
    { "noroot", SPX_SECBIT_NOROOT },
    { "noroot-locked", SPX_SECBIT_NOROOT_LOCKED },
    { "no-setuid-fixup", SPX_SECBIT_NO_SETUID_FIXUP },
    { "no-setuid-fixup-locked", SPX_SECBIT_NO_SETUID_FIXUP_LOCKED },
    { "keep-caps-locked", SPX_SECBIT_KEEP_CAPS_LOCKED },
    { "no-cap-ambient-raise", SPX_SECBIT_NO_CAP_AMBIENT_RAISE },
    { "no-cap-ambient-raise-locked", SPX_SECBIT_NO_CAP_AMBIENT_RAISE_LOCKED },
    { "exec-restrict-file", SPX_SECBIT_EXEC_RESTRICT_FILE },
    { "exec-restrict-file-locked", SPX_SECBIT_EXEC_RESTRICT_FILE_LOCKED },
    { "exec-deny-interactive", SPX_SECBIT_EXEC_DENY_INTERACTIVE },
    { "exec-deny-interactive-locked", SPX_SECBIT_EXEC_DENY_INTERACTIVE_LOCKED },
};
#define N_SECBITS (sizeof secbits / sizeof secbits[0])

void sb_securebits(strbuf *b, unsigned bits)
{
    if (!bits) {
        sb_printf(b, "none");
        return;
    }
    bool first = true;
    for (size_t i = 0; i < N_SECBITS; i++) {
        if (bits & secbits[i].bit) {
            sb_printf(b, "%s%s", first ? "" : ",", secbits[i].name);
            first = false;
        }
    }
}

/* NAME as the kernel spells it too: any case, '_' for '-', a SECBIT_ prefix. */
static unsigned secbit_from_name(const char *item)
{
    char *n = xstrdup(item);
    for (char *p = n; *p; p++)
        *p = *p == '_' ? '-' : (char)tolower((unsigned char)*p);
    const char *name = strncmp(n, "secbit-", 7) == 0 ? n + 7 : n;
    unsigned bit = 0;
    for (size_t i = 0; i < N_SECBITS; i++)
        if (strcmp(name, secbits[i].name) == 0)
            bit = secbits[i].bit;
    if (!bit && strcmp(name, "keep-caps") == 0)
        die("--securebits: keep-caps is spx's own (it keeps capabilities across the uid change, and exec "
            "clears it); keep-caps-locked is accepted");
    free(n);
    return bit;
}

/* "none" sets no bit (and clears the ones spx-run has) and stands alone;
 * lists add up, as for the other list options. */
void parse_securebits(struct options *o, const char *s)
{
    o->have_securebits = true;
    if (strcmp(s, "none") == 0) {
        o->securebits = 0;
        return;
    }
    strvec items = split_list("--securebits", s);
    for (size_t i = 0; i < items.n; i++) {
        unsigned bit = secbit_from_name(items.v[i]);
        if (!bit) {
            strbuf known = { 0 };
            for (size_t j = 0; j < N_SECBITS; j++)
                sb_printf(&known, "%s%s", j ? ", " : "", secbits[j].name);
            die("--securebits: unknown bit '%s' (known: %s)", items.v[i], sb_str(&known));
        }
        o->securebits |= bit;
    }
    free_strvec(&items);
}

/* ------------------------------------------------------------------------ */
/* Checks once every option is read                                          */

int parent_fd_of(const struct options *o, int child_fd)
{
    for (size_t i = 0; i < o->fds.n; i++)
        if (o->fds.v[i].child == child_fd)
            return o->fds.v[i].parent;
    /* 0, 1 and 2 are inherited; every other descriptor is closed. */
    if (child_fd <= 2 && fcntl(child_fd, F_GETFD) != -1)
        return child_fd;
    return -1;
}

/* The program's descriptor child_fd must be a terminal. */
static void check_terminal(const struct options *o, const char *opt, int child_fd)
{
    int pfd = parent_fd_of(o, child_fd);
    if (pfd < 0)
        die("%s: descriptor %d is closed in the program (give it a terminal with --fd %d=N)", opt, child_fd,
            child_fd);
    if (!isatty(pfd))
        die("%s: the program's descriptor %d is not a terminal", opt, child_fd);
}

void cgroup2_mount(char *buf, size_t len)
{
    buf[0] = '\0';
    FILE *f = fopen("/proc/self/mountinfo", "re");
    char line[4096];
    while (f && fgets(line, sizeof line, f)) {
        char mnt[2048], fstype[64];
        const char *dash = strstr(line, " - ");
        if (!dash || sscanf(dash + 3, "%63s", fstype) != 1 || strcmp(fstype, "cgroup2") != 0)
            continue;
        if (sscanf(line, "%*s %*s %*s %*s %2047s", mnt) == 1) {
            snprintf(buf, len, "%s", mnt);
            break;
        }
    }
    if (f)
        fclose(f);
}

/* Opened here, after every --fd check, so that the descriptor cannot take a
 * number a --fd PARENT was meant to find closed. */
static void open_cgroup(struct options *o)
{
    int fd = open(o->cgroup, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
    if (fd < 0)
        die("--cgroup %s: %s", o->cgroup, strerror(errno));
    struct statfs sf;
    if (fstatfs(fd, &sf) != 0)
        die("--cgroup %s: %s", o->cgroup, strerror(errno));
    if (sf.f_type != CGROUP2_SUPER_MAGIC) {
        char mnt[2048];
        cgroup2_mount(mnt, sizeof mnt);
        if (mnt[0])
            die("--cgroup %s: not a cgroup v2 directory (cgroup v2 is mounted at %s)", o->cgroup, mnt);
        die("--cgroup %s: not a cgroup v2 directory (no cgroup v2 hierarchy is mounted)", o->cgroup);
    }
    o->cgroup_fd = fd;
}

void check_controls(struct options *o)
{
    if (o->setsid && o->have_pgroup && o->pgroup > 0)
        die("--pgroup %lld cannot be combined with --setsid (a new session is a new process group)",
            (long long)o->pgroup);
    if (o->ctty >= 0) {
        if (!o->setsid)
            die("--ctty needs --setsid (only the leader of a new session can take a controlling terminal)");
        check_terminal(o, "--ctty", o->ctty);
        /* tcgetsid() answers only for spx-run's own controlling terminal,
         * which its session keeps: TIOCSCTTY would fail with EPERM. */
        if (tcgetsid(parent_fd_of(o, o->ctty)) > 0)
            die("--ctty %d: the terminal is spx-run's own controlling terminal, which a new session cannot "
                "take (give the program another one, such as a new pseudo-terminal)", o->ctty);
    }
    if (o->foreground) {
        if (o->setsid && o->ctty < 0)
            die("--foreground with --setsid needs --ctty (a new session has no terminal until it takes one)");
        o->foreground_fd = o->ctty >= 0 ? o->ctty : 0;
        check_terminal(o, "--foreground", o->foreground_fd);
    }
    /* --timeout kills the processes the program started too: they need a
     * group of their own (timeout(1) does the same), unless the program
     * must stay in the terminal's foreground group. */
    if (o->have_timeout && !o->foreground && !o->setsid && !o->have_pgroup) {
        o->have_pgroup = true;
        o->pgroup = 0;
        o->pgroup_auto = true;
    }
    if (o->cgroup)
        open_cgroup(o);
}

/* ------------------------------------------------------------------------ */
/* Into the attribute object                                                 */

void apply_controls(spx_attr *attr, const struct options *o)
{
    char what[64];
    for (size_t i = 0; i < o->rlimits.n; i++) {
        const struct rlimit_rule *r = &o->rlimits.v[i];
        snprintf(what, sizeof what, "--rlimit %s", rlimit_name(r->resource));
        check(spx_attr_set_rlimit(attr, r->resource, r->soft, r->hard), what);
    }
    if (o->setsid)
        check(spx_attr_set_setsid(attr, 1), "--setsid");
    if (o->have_pgroup)
        check(spx_attr_set_pgroup(attr, o->pgroup), o->pgroup_auto ? "--timeout's process group" : "--pgroup");
    if (o->ctty >= 0)
        check(spx_attr_set_ctty(attr, o->ctty), "--ctty");
    if (o->foreground)
        check(spx_attr_set_foreground(attr, o->foreground_fd), "--foreground");
    if (o->cgroup_fd >= 0)
        check(spx_attr_set_cgroup_fd(attr, o->cgroup_fd), "--cgroup");
    if (o->die_with_parent)
        check(spx_attr_set_pdeathsig(attr, SIGKILL), "--die-with-parent");
    if (o->umask >= 0)
        check(spx_attr_set_umask(attr, o->umask), "--umask");
    if (o->have_securebits)
        check(spx_attr_set_securebits(attr, o->securebits), "--securebits");
}
