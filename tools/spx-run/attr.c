/*
 * spx-run: the parsed options into an spx_attr, Landlock ruleset and seccomp
 * filter. Every refusal here happens before the spawn, naming the option the
 * library or this kernel cannot honour.
 *
 * SPDX-License-Identifier: MIT
 */
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "spx-run.h"

void apply_identity(spx_attr *attr, const struct options *o)
{
    char what[256];
    if (o->have_uid) {
        snprintf(what, sizeof what, "--uid %u", o->uid);
        check(spx_attr_set_uid(attr, o->uid), what);
    }
    if (o->have_gid) {
        snprintf(what, sizeof what, "--gid %u", o->gid);
        check(spx_attr_set_gid(attr, o->gid), what);
    }
    if (o->have_groups)
        check(spx_attr_set_groups(attr, o->groups.v, o->groups.n), "--groups");
    if (o->keep_groups)
        check(spx_attr_set_keep_groups(attr, 1), "--groups keep");
    static const struct {
        const char *opt;
        int (*set)(spx_attr *, const int *, size_t);
    } capsets[] = {
        { "--ambient", spx_attr_set_ambient },
        { "--inheritable", spx_attr_set_inheritable },
        { "--bounding", spx_attr_set_bounding },
    };
    const intvec *capvals[] = { &o->ambient, &o->inheritable, &o->bounding };
    const bool capon[] = { o->have_ambient, o->have_inheritable, o->have_bounding };
    for (size_t i = 0; i < 3; i++) {
        if (!capon[i])
            continue;
        int rc = capsets[i].set(attr, capvals[i]->v, capvals[i]->n);
        if (rc == EINVAL)
            die("%s: a capability is not known to this kernel", capsets[i].opt);
        check(rc, capsets[i].opt);
    }
    if (o->no_new_privs)
        check(spx_attr_set_no_new_privs(attr, 1), "--no-new-privs");
    if (o->chroot_dir)
        check(spx_attr_set_chroot(attr, o->chroot_dir), "--chroot");
    if (o->cwd)
        check(spx_attr_set_cwd(attr, o->cwd), "--cwd");
}

void apply_fds(spx_attr *attr, const struct options *o)
{
    char what[256];
    for (size_t i = 0; i < o->fds.n; i++) {
        int rc = spx_attr_set_fd(attr, o->fds.v[i].child, o->fds.v[i].parent);
        if (rc) {
            snprintf(what, sizeof what, "--fd %d=%d", o->fds.v[i].child, o->fds.v[i].parent);
            check(rc, what);
        }
    }
}

/*
 * spx-run pins the Landlock ABI its options were written for and handles
 * only the families the user named: a newer libspx or kernel never starts
 * denying what no option mentioned (ABI 9 would deny every pathname UNIX
 * socket, ABI 10 all UDP).
 */
#define LANDLOCK_ABI 10

/* The ABI that brought each right an option can name. */
static int abi_of_net(uint64_t access)
{
    return access & (SPX_LANDLOCK_NET_BIND_UDP | SPX_LANDLOCK_NET_CONNECT_SEND_UDP) ? 10 : 4;
}

/* A family this kernel cannot restrict: --strict refuses it, best effort
 * says (when warn_now) that it runs unrestricted. */
static void lacks(const struct options *o, bool warn_now, const char *opt, const char *what, int need, int abi)
{
    if (o->strict)
        die("%s: needs Landlock ABI %d, this kernel has %d (--strict)", opt, need, abi);
    if (warn_now)
        warn("warning: %s: needs Landlock ABI %d, this kernel has %d: %s not restricted (--best-effort)", opt,
             need, abi, what);
}

static const char *net_opt(uint64_t right);

/* Every named family this kernel (ABI abi, at least 1) lacks. */
static void check_families(const struct options *o, const struct plan *pl, int abi, bool warn_now)
{
    if ((pl->ll_fs & SPX_LANDLOCK_FS_RW) && (SPX_LANDLOCK_FS_RW & ~spx_landlock_fs_rights(abi)))
        lacks(o, warn_now, "--ro, --rox, --rw", "some filesystem rights (truncate, ioctl on devices) are", 5, abi);
    if ((pl->ll_fs & SPX_LANDLOCK_FS_RESOLVE_UNIX) && abi < 9)
        lacks(o, warn_now, "--unix", "pathname UNIX sockets are", 9, abi);
    for (uint64_t right = 1; right <= SPX_LANDLOCK_NET_CONNECT_SEND_UDP; right <<= 1)
        if ((pl->ll_net & right) && abi < abi_of_net(right))
            lacks(o, warn_now, net_opt(right), "that protocol and direction is", abi_of_net(right), abi);
    if (o->scopes && abi < 6)
        lacks(o, warn_now, "--scope", "signals and abstract UNIX sockets are", 6, abi);
    if (o->log_denials && abi < 7)
        lacks(o, warn_now, "--log-denials", "the program's denials are", 7, abi);
}

static const char *net_opt(uint64_t right)
{
    switch (right) {
    case SPX_LANDLOCK_NET_BIND_TCP: return "--bind-tcp";
    case SPX_LANDLOCK_NET_CONNECT_TCP: return "--connect-tcp";
    case SPX_LANDLOCK_NET_BIND_UDP: return "--bind-udp";
    default: return "--connect-udp";
    }
}

spx_landlock *apply_landlock(spx_attr *attr, const struct options *o, struct plan *pl)
{
    spx_landlock *rs = NULL;
    pl->ll_fs = pl->ll_net = pl->ll_scopes = 0;
    for (size_t i = 0; i < o->paths.n; i++)
        pl->ll_fs |= strcmp(o->paths.v[i].opt, "--unix") == 0 ? SPX_LANDLOCK_FS_RESOLVE_UNIX : SPX_LANDLOCK_FS_RW;
    pl->ll_net = o->net_named;
    pl->ll_scopes = o->scopes;
    pl->landlock = pl->ll_fs || pl->ll_net || o->have_scope;
    if (o->log_denials && !pl->landlock)
        die("--log-denials: no Landlock option, so no denial to log (add --ro, --rox, --rw, --unix, a port "
            "option or --scope)");
    if (!pl->landlock)
        return NULL;

    int abi = spx_landlock_abi();
    if (abi >= 1)  /* --strict refuses now; without Landlock at all, one message below */
        check_families(o, pl, abi, false);

    int rc = spx_landlock_new(&rs, LANDLOCK_ABI, o->strict ? 0u : SPX_LANDLOCK_BEST_EFFORT);
    check(rc, "landlock");
    rc = spx_landlock_set_handled(rs, pl->ll_fs, pl->ll_net);
    if (rc == ENOTSUP)
        die("landlock: this kernel (Landlock ABI %d) cannot restrict what the options name (--strict)", abi);
    check(rc, "landlock");
    /* Rules go to the library one by one; it keeps no descriptor per rule,
     * so any number of them fits under the open-file limit. */
    for (size_t i = 0; i < o->paths.n; i++) {
        const struct path_rule *r = &o->paths.v[i];
        uint64_t access = r->access;
        if (access == SPX_LANDLOCK_FS_RW)  /* "everything": pathname sockets too, when handled */
            access |= pl->ll_fs & SPX_LANDLOCK_FS_RESOLVE_UNIX;
        rc = spx_landlock_allow_path(rs, r->path, access);
        if (rc == ENOTSUP)
            die("%s %s: this kernel's Landlock (ABI %d) cannot enforce every right of the rule "
                "(--strict)", r->opt, r->path, abi);
        if (rc)
            die("%s %s: %s%s", r->opt, r->path, strerror(rc),
                o->strict ? "" : " (even with --best-effort every path must exist)");
    }
    for (size_t i = 0; i < o->ports.n; i++) {
        const struct port_rule *r = &o->ports.v[i];
        rc = spx_landlock_allow_port(rs, r->port, r->access);
        if (rc == ENOTSUP)
            die("%s %u: needs Landlock ABI %d, this kernel has %d (--strict)", r->opt, r->port,
                abi_of_net(r->access), abi);
        if (rc)
            die("%s %u: %s", r->opt, r->port, strerror(rc));
    }
    if (o->have_scope) {
        rc = spx_landlock_set_scope(rs, o->scopes);
        if (rc == ENOTSUP)
            die("--scope: needs Landlock ABI 6, this kernel has %d (--strict)", abi);
        check(rc, "--scope");
    }
    if (abi >= 1)  /* every rule accepted: now best effort's warnings */
        check_families(o, pl, abi, true);
    pl->landlock_status = spx_landlock_status(rs);
    rc = spx_attr_set_landlock(attr, rs);
    if (rc == ENOTSUP && o->strict)
        die("landlock: this kernel (Landlock ABI %d) cannot enforce the whole ruleset (--strict)", abi);
    check(rc, "landlock");
    /* The program's denials are logged after its exec; spx-run's own steps
     * between the restriction and the exec are not. */
    if (o->log_denials)
        check(spx_attr_set_landlock_flags(attr, SPX_LANDLOCK_LOG_SAME_EXEC_OFF | SPX_LANDLOCK_LOG_NEW_EXEC_ON),
              "--log-denials");
    if (pl->landlock_status == SPX_LANDLOCK_NOT_ENFORCED && abi >= 1)
        warn("warning: this kernel's Landlock (ABI %d) cannot enforce any of this ruleset as asked "
             "(ABI 1 cannot allow moving files between directories); running without it (--best-effort)", abi);
    else if (pl->landlock_status == SPX_LANDLOCK_NOT_ENFORCED)
        warn("warning: Landlock is not available on this kernel; running without it (--best-effort)");
    return rs;
}

/* The capabilities the program will hold, for a profile's includes and
 * excludes: all of them (less --bounding's drops) for a program left
 * root by a root spx-run, else the ambient ones it is given. */
static size_t child_caps(const struct options *o, int caps[64])
{
    size_t n = 0;
    bool root = geteuid() == 0 && (!o->have_uid || o->uid == 0);
    for (int c = 0; c < 64; c++) {
        bool held = false;
        if (root && spx_cap_name(c)) {
            held = true;
            if (o->have_bounding) {
                held = false;
                for (size_t i = 0; i < o->bounding.n; i++)
                    held = held || o->bounding.v[i] == c;
            }
        } else if (o->have_ambient) {
            for (size_t i = 0; i < o->ambient.n; i++)
                held = held || o->ambient.v[i] == c;
        }
        if (held)
            caps[n++] = c;
    }
    return n;
}

/* The profile file (or pipe), at most one byte over libspx's 4 MiB limit
 * (which then refuses it with its own message). Devices are refused: a
 * terminal would wait for input, /dev/zero never ends. */
static char *read_profile(const char *path, size_t *len)
{
    int fd = open(path, O_RDONLY | O_CLOEXEC | O_NOCTTY);
    if (fd < 0)
        die("--seccomp-profile %s: %s", path, strerror(errno));
    struct stat st;
    if (fstat(fd, &st) != 0)
        die("--seccomp-profile %s: %s", path, strerror(errno));
    if (!S_ISREG(st.st_mode) && !S_ISFIFO(st.st_mode))
        die("--seccomp-profile %s: not a file or a pipe", path);
    size_t cap = (4u << 20) + 1, n = 0;
    char *buf = xrealloc(NULL, cap);
    for (;;) {
        ssize_t r = read(fd, buf + n, cap - n);
        if (r < 0 && errno == EINTR)
            continue;
        if (r < 0)
            die("--seccomp-profile %s: %s", path, strerror(errno));
        if (r == 0 || (n += (size_t)r) == cap)
            break;
    }
    close(fd);
    *len = n;
    return buf;
}

static spx_seccomp *profile_filter(const struct options *o, struct plan *pl)
{
    size_t len;
    char *json = read_profile(o->sc_profile, &len);
    int caps[64];
    size_t ncaps = child_caps(o, caps);
    pl->seccomp_caps = ncaps;
    char err[512];
    spx_seccomp *filter = NULL;
    int rc = spx_seccomp_from_oci_caps(&filter, json, len, caps, ncaps, err, sizeof err);
    free(json);
    if (rc)
        die("--seccomp-profile %s: %s", o->sc_profile, err[0] ? err : strerror(rc));
    return filter;
}

spx_seccomp *apply_seccomp(spx_attr *attr, const struct options *o, struct plan *pl)
{
    char what[256];
    spx_seccomp *filter = NULL;
    pl->seccomp = o->sc_mode != SC_NONE || o->sc_profile || o->sc_rules.n;
    if (o->sc_profile)
        filter = profile_filter(o, pl);
    else if (o->sc_mode == SC_NONE && pl->seccomp)
        check(spx_seccomp_new(&filter, SPX_SECCOMP_ALLOW), "seccomp");
    if (o->sc_mode != SC_NONE) {
        uint32_t def = o->sc_mode == SC_DENY ? SPX_SECCOMP_ALLOW : o->sc_action;
        uint32_t rule = o->sc_mode == SC_DENY ? o->sc_action : SPX_SECCOMP_ALLOW;
        check(spx_seccomp_new(&filter, def), "seccomp");
        for (size_t i = 0; i < o->syscalls.n; i++) {
            const char *name = o->syscalls.v[i];
            unsigned long long nr;
            int rc;
            if (parse_ull(name, INT_MAX, &nr))
                rc = spx_seccomp_add_nr(filter, (int)nr, rule);
            else
                rc = spx_seccomp_add(filter, name, rule);
            if (rc == EINVAL)
                die("%s: unknown system call '%s'", o->sc_opt, name);
            if (rc) {
                snprintf(what, sizeof what, "%s %s", o->sc_opt, name);
                check(rc, what);
            }
        }
    }
    if (pl->seccomp) {
        for (size_t i = 0; i < o->sc_rules.n; i++) {
            const struct syscall_rule *r = &o->sc_rules.v[i];
            int rc = spx_seccomp_add_cond(filter, r->name, r->action, r->conds, r->n);
            if (rc == EINVAL)
                die("--syscall %s: unknown system call '%s'", r->spec, r->name);
            if (rc == EEXIST)
                die("--syscall %s: '%s' already has a rule without conditions and another action",
                    r->spec, r->name);
            snprintf(what, sizeof what, "--syscall %s", r->spec);
            check(rc, what);
        }
        if (o->sc_log)
            check(spx_seccomp_set_flags(filter, SPX_SECCOMP_FLAG_LOG), "--seccomp-log");
        pl->seccomp_ignored = spx_seccomp_ignored(filter);
        check(spx_seccomp_length(filter, &pl->seccomp_len), "seccomp");
        check(spx_attr_set_seccomp(attr, filter), "seccomp");
    }
    return filter;
}

char *apply_exec(spx_attr *attr, const struct options *o, struct plan *pl, const char *path)
{
    char what[256];
    char *sealed_path = NULL;
    if (o->exec_fd >= 0) {
        snprintf(what, sizeof what, "--exec-fd %d", o->exec_fd);
        check(spx_attr_set_execfd(attr, o->exec_fd), what);
    } else if (o->sealed) {
        int mfd = make_sealed(o, path, &sealed_path, &pl->sealed_size, &pl->sealed_exec_seal);
        pl->sealed_path = sealed_path;
        int rc = spx_attr_set_execfd(attr, mfd);
        close(mfd);
        check(rc, "sealed");
    }
    /* The PATH search is spx-run's (resolve.c): in the PATH the program
     * gets, not spx-run's. */
    return sealed_path;
}
