/*
 * spx-run --explain: the plan, one line per libspx stage in the order the
 * child runs them, named as libspx names them in its errors. It is printed
 * before the spawn, so it shows even when a stage then fails.
 *
 * SPDX-License-Identifier: MIT
 */
#include <grp.h>
#include <pwd.h>
#include <signal.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/prctl.h>
#include <sys/stat.h>
#include <sys/utsname.h>
#include <unistd.h>

#include <seccomp.h>

#include "spx-run.h"

/* A system call as the user will recognise it: a number given to
 * --deny-syscalls or --allow-syscalls is shown with its name on this
 * architecture (libseccomp's table, the one the filter is built from). */
static void sb_syscall(strbuf *b, const char *s)
{
    char *end;
    long nr = s[0] >= '0' && s[0] <= '9' ? strtol(s, &end, 10) : -1;
    char *name = nr >= 0 && !*end && nr <= INT32_MAX ? seccomp_syscall_resolve_num_arch(SCMP_ARCH_NATIVE, (int)nr)
                                                     : NULL;
    if (name)
        sb_printf(b, "%s (%s)", name, s);
    else
        sb_printf(b, "%s", s);
    free(name);
}

static void explain(const char *stage, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
static void explain(const char *stage, const char *fmt, ...)
{
    va_list ap;
    char *line = NULL;
    fprintf(stderr, "spx-run: %-13s ", stage);
    va_start(ap, fmt);
    if (vasprintf(&line, fmt, ap) < 0)
        line = NULL;
    va_end(ap);
    /* Arguments and paths may hold control characters: a newline must not
     * forge a plan line. */
    put_escaped(stderr, line ? line : "?");
    free(line);
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

/* spx-run's own supplementary groups, as the program would keep them. */
static void sb_own_groups(strbuf *b)
{
    int n = getgroups(0, NULL);
    gid_t *list = n > 0 ? xrealloc(NULL, (size_t)n * sizeof *list) : NULL;
    if (n > 0)
        n = getgroups(n, list);
    if (n <= 0)
        sb_printf(b, "none");
    for (int i = 0; i < n; i++) {
        if (i)
            sb_printf(b, ",");
        sb_group(b, (uint32_t)list[i]);
    }
    free(list);
}

/* Whether the program runs as root (real and effective uid), whose exec
 * grants it capabilities unless SECBIT_NOROOT. */
static void child_root(const struct options *o, bool *real, bool *effective)
{
    if (o->have_uid) {
        *real = *effective = o->uid == 0;
        return;
    }
    *real = getuid() == 0;
    *effective = geteuid() == 0;
}

/* clone3's CLONE_INTO_CGROUP came in Linux 5.7. */
static bool clone_into_cgroup(void)
{
    struct utsname u;
    int major = 0, minor = 0;
    if (uname(&u) != 0 || sscanf(u.release, "%d.%d", &major, &minor) != 2)
        return true;
    return major > 5 || (major == 5 && minor >= 7);
}

static void explain_rlimits(strbuf *b, const struct options *o)
{
    sb_reset(b);
    for (size_t i = 0; i < o->rlimits.n; i++) {
        const struct rlimit_rule *r = &o->rlimits.v[i];
        uint64_t soft, hard;
        char x[32], y[32];
        own_limit(r->resource, &soft, &hard);
        sb_printf(b, "%s%s soft %s", i ? "; " : "", rlimit_name(r->resource), limit_text(r->soft, x, sizeof x));
        sb_printf(b, " hard %s", limit_text(r->hard, x, sizeof x));
        sb_printf(b, " (spx-run's %s", limit_text(soft, x, sizeof x));
        sb_printf(b, " %s%s)", limit_text(hard, y, sizeof y),
                  r->hard > hard ? ": raising the hard limit needs CAP_SYS_RESOURCE" : "");
    }
    sb_printf(b, "; the other limits inherited");
    explain(spx_stage_name(SPX_STAGE_RLIMIT), "%s", sb_str(b));
}

static void explain_session(strbuf *b, const struct options *o)
{
    sb_reset(b);
    const char *sep = "";
    if (o->setsid) {
        sb_printf(b, "a new session and process group led by the program");
        if (o->ctty >= 0) {
            const char *tty = ttyname(parent_fd_of(o, o->ctty));
            sb_printf(b, ", controlling terminal its descriptor %d (%s), whose foreground group it is", o->ctty,
                      tty ? tty : "a terminal");
        } else {
            sb_printf(b, ", without a controlling terminal");
        }
        sep = "; ";
    } else if (o->have_pgroup && o->pgroup == 0) {
        sb_printf(b, "a new process group led by the program");
        if (o->pgroup_auto)
            sb_printf(b, " (the default with --timeout, so that it kills what the program starts too; "
                         "--foreground keeps it in spx-run's, with the terminal)");
        sep = "; ";
    } else if (o->have_pgroup) {
        sb_printf(b, "join process group %lld", (long long)o->pgroup);
        sep = "; ";
    }
    if (o->foreground && !(o->setsid && o->ctty == o->foreground_fd)) {
        const char *tty = ttyname(parent_fd_of(o, o->foreground_fd));
        sb_printf(b, "%s%s becomes the foreground group of the terminal at its descriptor %d (%s)", sep,
                  o->have_pgroup || o->setsid ? "its group" : "spx-run's process group, which the program stays in,",
                  o->foreground_fd, tty ? tty : "a terminal");
    }
    explain(spx_stage_name(SPX_STAGE_SESSION), "%s", sb_str(b));
}

static void explain_wait(strbuf *b, const struct options *o, const struct plan *pl)
{
    sb_reset(b);
    if (!o->have_timeout) {
        explain("wait", "until the program ends");
        return;
    }
    sb_printf(b, "up to %g s, then SIGKILL to ", o->timeout_s);
    if (pl->kill_cgroup)
        sb_printf(b, "every process in cgroup %s (cgroup.kill), ", o->cgroup);
    if (pl->kill_group && (o->setsid || o->pgroup == 0))
        sb_printf(b, "the program's process group");
    else if (pl->kill_group)
        sb_printf(b, "process group %lld", (long long)o->pgroup);
    else
        sb_printf(b, "the program only, not the processes it starts (%s)",
                  o->foreground ? "--foreground keeps it in spx-run's process group" : "it is in spx-run's process group");
    if (pl->no_cgroup_kill)
        sb_printf(b, " (not cgroup %s: %s)", o->cgroup, pl->no_cgroup_kill);
    sb_printf(b, ", and exit 124");
    explain("wait", "%s", sb_str(b));
}

/* A capability set of /proc/self/status ("CapBnd"), as a mask. */
static uint64_t own_capset(const char *key)
{
    FILE *f = fopen("/proc/self/status", "re");
    char line[256];
    unsigned long long v = 0;
    size_t kl = strlen(key);
    while (f && fgets(line, sizeof line, f))
        if (strncmp(line, key, kl) == 0 && line[kl] == ':')
            v = strtoull(line + kl + 1, NULL, 16);
    if (f)
        fclose(f);
    return v;
}

static uint64_t capmask(const intvec *caps)
{
    uint64_t m = 0;
    for (size_t i = 0; i < caps->n; i++)
        m |= 1ULL << caps->v[i];
    return m;
}

static void sb_capmask(strbuf *b, uint64_t m, uint64_t bset)
{
    if (m == 0) {
        sb_printf(b, "none");
    } else if (m == bset && __builtin_popcountll(m) > 6) {
        sb_printf(b, "the whole bounding set (%d capabilities)", __builtin_popcountll(m));
    } else {
        const char *sep = "";
        for (int c = 0; c < 64; c++) {
            if (!(m & (1ULL << c)))
                continue;
            const char *name = spx_cap_name(c);
            if (name)
                sb_printf(b, "%s%s", sep, name);
            else
                sb_printf(b, "%s%d", sep, c);
            sep = ",";
        }
    }
    sb_printf(b, " (%016llx)", (unsigned long long)m);
}

/* What the program will be once exec'd: ids, groups, no_new_privs and
 * capabilities, as the kernel computes them (no file capabilities). */
static void explain_result(strbuf *b, const struct options *o, const struct plan *pl)
{
    struct child_id id;
    child_identity(o, &id);
    sb_reset(b);
    sb_printf(b, "uid ");
    sb_user(b, id.uid);
    sb_printf(b, " gid ");
    sb_group(b, id.gid);
    sb_printf(b, " groups ");
    if (!id.groups.n)
        sb_printf(b, "none");
    for (size_t i = 0; i < id.groups.n; i++) {
        if (i)
            sb_printf(b, ",");
        sb_group(b, id.groups.v[i]);
    }
    if (!o->have_groups && !(new_identity(o) && !o->keep_groups))
        sb_printf(b, " (spx-run's, inherited)");

    bool root_real, root_eff;
    child_root(o, &root_real, &root_eff);
    bool noroot = o->have_securebits && (o->securebits & SPX_SECBIT_NOROOT);
    uint64_t bset = o->have_bounding ? capmask(&o->bounding) : own_capset("CapBnd");
    uint64_t amb = o->have_ambient ? capmask(&o->ambient) : new_identity(o) ? 0 : own_capset("CapAmb");
    amb &= bset;
    uint64_t sysadmin = 1ULL << 21;
    uint64_t eff_before = root_eff ? own_capset("CapEff") | amb : amb;

    int own_nnp = prctl(PR_GET_NO_NEW_PRIVS, 0, 0, 0, 0) == 1;
    bool sandbox = (pl->landlock && pl->landlock_status != SPX_LANDLOCK_NOT_ENFORCED) || pl->seccomp;
    bool nnp = own_nnp || o->no_new_privs || (sandbox && !(eff_before & sysadmin));
    sb_printf(b, "; no_new_privs %d", nnp ? 1 : 0);
    if (own_nnp)
        sb_printf(b, " (spx-run's, inherited: it cannot be cleared)");
    else if (nnp && !o->no_new_privs)
        sb_printf(b, " (for %s)", pl->landlock && pl->seccomp ? "landlock and seccomp" : pl->landlock ? "landlock" : "seccomp");

    uint64_t prm, eff;
    if ((root_real || root_eff) && !noroot) {
        prm = bset | amb;
        eff = root_eff ? prm : amb;
    } else {
        prm = eff = amb;
    }
    sb_printf(b, "; after exec: permitted ");
    sb_capmask(b, prm, bset);
    sb_printf(b, ", effective ");
    sb_capmask(b, eff, bset);
    sb_printf(b, ", ambient ");
    sb_capmask(b, amb, bset);
    if ((root_real || root_eff) && !noroot && prm != amb)
        sb_printf(b, "; exec as root grants the bounding set (--securebits noroot,noroot-locked to keep only "
                     "the ambient ones)");
    const char *prog = pl->exec_path ? pl->exec_path : o->program;
    if (o->exec_fd < 0 && !o->sealed && has_file_privileges(o, prog))
        sb_printf(b, "; %s is set-user-ID, set-group-ID or has file capabilities: %s", prog,
                  nnp ? "no_new_privs makes exec ignore that" : "exec changes the ids and capabilities above");
    explain("identity", "%s", sb_str(b));
    free(id.groups.v);
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

static const char *action_text(const struct options *o, uint32_t action)
{
    if (action == SPX_SECCOMP_ALLOW)
        return "allow";
    return o->sc_action_text;
}

/* One family's rules: "allowed: bind 8080,8081" style lists of the port
 * options with this right, or "none". */
static void sb_ports(strbuf *b, const struct options *o, uint64_t right)
{
    bool any = false;
    for (size_t i = 0; i < o->ports.n; i++) {
        if (o->ports.v[i].access != right)
            continue;
        sb_printf(b, "%s%u", any ? "," : " ", o->ports.v[i].port);
        any = true;
    }
    if (!any)
        sb_printf(b, " none");
}

/* Is the family with these rights (brought by ABI need) enforced here? */
static bool enforced(const struct plan *pl, int need)
{
    return pl->landlock_status != SPX_LANDLOCK_NOT_ENFORCED && spx_landlock_abi() >= need;
}

static void sb_lacking(strbuf *b, const struct options *o, int need)
{
    sb_printf(b, "not restricted: needs Landlock ABI %d, this kernel has %d%s", need, spx_landlock_abi(),
              o->strict ? "" : " (--best-effort)");
}

/* One line per right family: restricted or not, and what is allowed. A
 * family no option named is never restricted, and a family this kernel
 * cannot restrict is said to be unrestricted: no denial is claimed that
 * will not happen. */
static void explain_landlock(strbuf *b, const struct options *o, const struct plan *pl)
{
    const char *stage = spx_stage_name(SPX_STAGE_LANDLOCK);
    sb_reset(b);
    sb_printf(b, "%s, %s on this kernel (Landlock ABI %d); rights of ABI 10 at most (spx-run's pinned ABI), "
                 "only for the families named",
              o->strict ? "strict" : "best effort", landlock_status_text(pl->landlock_status),
              spx_landlock_abi());
    explain(stage, "%s", sb_str(b));

    /* filesystem */
    sb_reset(b);
    sb_printf(b, "filesystem: ");
    if (!(pl->ll_fs & SPX_LANDLOCK_FS_RW)) {
        sb_printf(b, "not restricted (no --ro, --rox, --rw or --system-ro)");
    } else if (!enforced(pl, 1)) {
        sb_printf(b, "not restricted (Landlock not enforced on this kernel)");
    } else {
        sb_printf(b, "restricted; allowed:");
        if (o->system_ro) {
            static const char *const kinds[] = { "rox", "ro", "rw" };
            const uint64_t acc[] = { SPX_LANDLOCK_FS_ROX, SPX_LANDLOCK_FS_RO, SPX_LANDLOCK_FS_RW };
            sb_printf(b, " system-ro:");
            for (int k = 0; k < 3; k++) {
                bool first = true;
                for (size_t i = 0; i < o->paths.n; i++) {
                    if (strcmp(o->paths.v[i].opt, "--system-ro") != 0 || o->paths.v[i].access != acc[k])
                        continue;
                    if (first)
                        sb_printf(b, " %s %s", kinds[k], o->paths.v[i].path);
                    else
                        sb_printf(b, ",%s", o->paths.v[i].path);
                    first = false;
                }
            }
            sb_printf(b, ";");
        }
        for (size_t i = 0; i < o->paths.n; i++)
            if (strcmp(o->paths.v[i].opt, "--system-ro") != 0 && strcmp(o->paths.v[i].opt, "--unix") != 0)
                sb_printf(b, " %s %s;", o->paths.v[i].opt + 2, o->paths.v[i].path);
        sb_printf(b, " everything else denied");
        if (spx_landlock_abi() < 5)
            sb_printf(b, " (but truncate and device ioctl need Landlock ABI 3 and 5: this kernel has %d)",
                      spx_landlock_abi());
    }
    explain(stage, "%s", sb_str(b));

    /* pathname UNIX sockets */
    sb_reset(b);
    sb_printf(b, "unix sockets (pathname): ");
    if (!(pl->ll_fs & SPX_LANDLOCK_FS_RESOLVE_UNIX)) {
        sb_printf(b, "not restricted (no --unix)");
    } else if (!enforced(pl, 9)) {
        sb_lacking(b, o, 9);
    } else {
        sb_printf(b, "restricted; allowed beneath:");
        for (size_t i = 0; i < o->paths.n; i++)
            if (strcmp(o->paths.v[i].opt, "--unix") == 0 || o->paths.v[i].access == SPX_LANDLOCK_FS_RW)
                sb_printf(b, " %s;", o->paths.v[i].path);
        sb_printf(b, " others denied");
    }
    explain(stage, "%s", sb_str(b));

    /* TCP and UDP, each direction on its own */
    static const struct {
        const char *family, *opts;
        uint64_t first, second;
        const char *first_name, *second_name;
        int need;
    } nets[] = {
        { "tcp", "--bind-tcp or --connect-tcp", SPX_LANDLOCK_NET_BIND_TCP, SPX_LANDLOCK_NET_CONNECT_TCP, "bind",
          "connect", 4 },
        { "udp", "--bind-udp or --connect-udp", SPX_LANDLOCK_NET_BIND_UDP, SPX_LANDLOCK_NET_CONNECT_SEND_UDP,
          "bind", "connect/send", 10 },
    };
    for (size_t n = 0; n < 2; n++) {
        sb_reset(b);
        sb_printf(b, "%s: ", nets[n].family);
        uint64_t named = pl->ll_net & (nets[n].first | nets[n].second);
        if (!named) {
            sb_printf(b, "not restricted (no %s)", nets[n].opts);
        } else if (!enforced(pl, nets[n].need)) {
            sb_lacking(b, o, nets[n].need);
        } else {
            sb_printf(b, "restricted");
            const uint64_t rights[] = { nets[n].first, nets[n].second };
            const char *names[] = { nets[n].first_name, nets[n].second_name };
            for (int k = 0; k < 2; k++) {
                if (named & rights[k]) {
                    sb_printf(b, "; %s allowed to port", names[k]);
                    sb_ports(b, o, rights[k]);
                    sb_printf(b, ", others denied");
                } else {
                    sb_printf(b, "; %s not restricted", names[k]);
                }
            }
        }
        explain(stage, "%s", sb_str(b));
    }

    /* scopes */
    sb_reset(b);
    sb_printf(b, "scopes: ");
    if (!pl->ll_scopes) {
        sb_printf(b, "not restricted (%s)", o->have_scope ? "--scope none" : "no --scope");
    } else if (!enforced(pl, 6)) {
        sb_lacking(b, o, 6);
    } else {
        if (pl->ll_scopes & SPX_LANDLOCK_SCOPE_SIGNAL)
            sb_printf(b, "restricted; signal (no signals to processes outside the sandbox)%s",
                      pl->ll_scopes & SPX_LANDLOCK_SCOPE_ABSTRACT_UNIX_SOCKET ? ", " : "");
        if (pl->ll_scopes & SPX_LANDLOCK_SCOPE_ABSTRACT_UNIX_SOCKET)
            sb_printf(b, "%sabstract-unix (no connecting to abstract UNIX sockets outside the sandbox)",
                      pl->ll_scopes & SPX_LANDLOCK_SCOPE_SIGNAL ? "" : "restricted; ");
    }
    explain(stage, "%s", sb_str(b));

    /* denial logging */
    sb_reset(b);
    if (!o->log_denials)
        sb_printf(b, "denials: not logged for the program (the kernel logs a sandbox's denials only until "
                     "exec; --log-denials)");
    else if (!enforced(pl, 7))
        sb_printf(b, "denials: --log-denials needs Landlock ABI 7, this kernel has %d: not logged",
                  spx_landlock_abi());
    else
        sb_printf(b, "denials: the program's go to the kernel's audit log (record type 1423), spx-run's own "
                     "setup is not logged; nothing is recorded while audit is disabled");
    explain(stage, "%s", sb_str(b));
}

void print_plan(const struct options *o, const struct plan *pl)
{
    strbuf b = { 0 };

    for (char **a = o->argv; *a; a++)
        sb_printf(&b, "%s%s", a == o->argv ? "" : " ", *a);
    fprintf(stderr, "spx-run: plan (libspx %s, kernel Landlock ABI %d): ", spx_version(), spx_landlock_abi());
    put_escaped(stderr, sb_str(&b));
    fputc('\n', stderr);

    /* prepare */
    sb_reset(&b);
    if (o->exec_fd >= 0 || o->sealed)
        sb_printf(&b, "program from a descriptor, argv[0] %s", o->program);
    else if (pl->path_searched)
        sb_printf(&b, "program %s (%s found in PATH=%s as the program's uid %u can execute it)", pl->exec_path,
                  o->program, pl->path_searched, o->have_uid ? o->uid : (unsigned)geteuid());
    else
        sb_printf(&b, "program %s", o->program);
    size_t argc = 0;
    while (o->argv[argc])
        argc++;
    sb_printf(&b, ", %zu argument%s", argc - 1, argc == 2 ? "" : "s");
    if (!pl->envp) {
        sb_printf(&b, ", environment inherited");
    } else {
        size_t n = 0;
        while (pl->envp[n])
            n++;
        sb_printf(&b, ", environment %s with %zu set (%zu variables)",
                  o->clear_env ? "cleared" : "inherited", o->env.n, n);
        if (o->id_env.n) {
            sb_printf(&b, "; from the passwd entry of uid %u (as su):", o->uid);
            for (size_t i = 0; i < o->id_env.n; i++)
                sb_printf(&b, " %s", o->id_env.v[i]);
        }
    }
    explain(spx_stage_name(SPX_STAGE_PREPARE), "%s", sb_str(&b));

    /* 1. cgroup */
    if (o->cgroup)
        explain(spx_stage_name(SPX_STAGE_CGROUP), "the program starts in %s (%s)", o->cgroup,
                clone_into_cgroup() ? "clone3 CLONE_INTO_CGROUP: from its first instruction"
                                    : "no CLONE_INTO_CGROUP before Linux 5.7: the child joins it first");

    /* 2. signals */
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
    if (o->have_sigmask)
        sb_printf(&b, " (--sigmask)");
    sb_printf(&b, "; reset to SIG_DFL even if ignored:");
    for (size_t i = 0; i < pl->sigdefault.n; i++)
        sb_printf(&b, " %s", sigabbrev_np(pl->sigdefault.v[i]) ? sigabbrev_np(pl->sigdefault.v[i]) : "?");
    if (!pl->sigdefault.n)
        sb_printf(&b, " none");
    if (o->keep_sigpipe)
        sb_printf(&b, " (--keep-sigpipe: SIGPIPE as spx-run has it)");
    explain(spx_stage_name(SPX_STAGE_SIGNALS), "%s", sb_str(&b));

    /* 3. chroot */
    if (o->chroot_dir)
        explain(spx_stage_name(SPX_STAGE_CHROOT), "%s, then chdir /", o->chroot_dir);

    /* 4. rlimits */
    if (o->rlimits.n)
        explain_rlimits(&b, o);

    /* 5. bounding */
    if (o->have_bounding) {
        sb_reset(&b);
        sb_printf(&b, "keep ");
        sb_caps(&b, &o->bounding);
        sb_printf(&b, ", drop the rest");
        explain(spx_stage_name(SPX_STAGE_BOUNDING), "%s", sb_str(&b));
    }

    bool caps = o->have_ambient || o->have_inheritable;
    /* 6. keep capabilities across the uid change */
    if (caps && o->have_uid)
        explain(spx_stage_name(SPX_STAGE_CAPS), "keep capabilities across the uid change (PR_SET_KEEPCAPS)");

    /* 7-9. setgroups, setgid, setuid */
    bool changes = new_identity(o);
    if (o->have_groups) {
        sb_reset(&b);
        if (o->groups.n == 0)
            sb_printf(&b, "none");
        else
            sb_printf(&b, "exactly ");
        for (size_t i = 0; i < o->groups.n; i++) {
            if (i)
                sb_printf(&b, ",");
            sb_group(&b, o->groups.v[i]);
        }
        if (o->groups_from_user)
            sb_printf(&b, " (groups of user %s)", o->user);
        explain(spx_stage_name(SPX_STAGE_SETGROUPS), "%s", sb_str(&b));
    } else if (o->keep_groups || ((o->have_uid || o->have_gid) && !changes)) {
        sb_reset(&b);
        sb_printf(&b, "not called, spx-run's groups kept (%s): ",
                  o->keep_groups ? "--groups keep" : "the uid and gid are spx-run's own");
        sb_own_groups(&b);
        explain(spx_stage_name(SPX_STAGE_SETGROUPS), "%s", sb_str(&b));
    } else if (changes) {
        explain(spx_stage_name(SPX_STAGE_SETGROUPS),
                "none, spx-run's groups cleared for the new identity (--groups to set some, --groups keep)");
    }
    if (o->have_gid) {
        sb_reset(&b);
        sb_group(&b, o->gid);
        if (o->gid_from_user)
            sb_printf(&b, " (primary group of user %s)", o->user);
        explain(spx_stage_name(SPX_STAGE_SETGID), "%s", sb_str(&b));
    }
    if (o->have_uid) {
        sb_reset(&b);
        sb_user(&b, o->uid);
        explain(spx_stage_name(SPX_STAGE_SETUID), "%s", sb_str(&b));
    }

    /* 10. caps */
    bool root_real, root_eff;
    child_root(o, &root_real, &root_eff);
    bool noroot = o->have_securebits && (o->securebits & SPX_SECBIT_NOROOT);
    if (caps) {
        intvec inh = { 0 };
        for (size_t i = 0; i < o->inheritable.n; i++)
            push_unique_int(&inh, o->inheritable.v[i]);
        for (size_t i = 0; i < o->ambient.n; i++)
            push_unique_int(&inh, o->ambient.v[i]);
        sb_reset(&b);
        sb_printf(&b, "inheritable ");
        sb_caps(&b, &inh);
        if (o->have_ambient && (root_real || root_eff) && !noroot) {
            /* exec as root grants the bounding set: the ambient one is no limit */
            sb_printf(&b, "; %s after exec: every capability of the bounding set",
                      root_eff ? "permitted and effective" : "permitted");
            if (o->have_bounding) {
                sb_printf(&b, " (");
                sb_caps(&b, &o->bounding);
                sb_printf(&b, ")");
            }
            sb_printf(&b, ", not only the ambient ones, since the program runs as root "
                          "(--securebits noroot,noroot-locked for exactly ");
            sb_caps(&b, &o->ambient);
            sb_printf(&b, ")");
        } else if (o->have_ambient) {
            sb_printf(&b, "; permitted and effective after exec: ");
            sb_caps(&b, &o->ambient);
        }
        explain(spx_stage_name(SPX_STAGE_CAPS), "%s", sb_str(&b));
        free(inh.v);
    } else if (changes) {
        explain(spx_stage_name(SPX_STAGE_CAPS),
                "inheritable cleared for the new identity (--inheritable or --ambient to keep some)");
    }

    /* 11. ambient */
    if (o->have_ambient) {
        sb_reset(&b);
        if (o->ambient.n == 0) {
            sb_printf(&b, "clear");
        } else {
            sb_printf(&b, "raise ");
            sb_caps(&b, &o->ambient);
        }
        explain(spx_stage_name(SPX_STAGE_AMBIENT), "%s", sb_str(&b));
    } else if (changes) {
        explain(spx_stage_name(SPX_STAGE_AMBIENT), "clear for the new identity (--ambient to keep some)");
    }

    /* 12. securebits */
    if (o->have_securebits) {
        sb_reset(&b);
        sb_securebits(&b, o->securebits);
        sb_printf(&b, " (0x%x)", o->securebits);
        if (o->have_ambient)
            sb_printf(&b, ", set after the ambient raise");
        if (noroot && (root_real || root_eff)) {
            sb_printf(&b, "; exec as root grants no capability: the program gets ");
            if (o->have_ambient && o->ambient.n)
                sb_caps(&b, &o->ambient);
            else
                sb_printf(&b, "none");
        }
        if (o->securebits & ~(SPX_SECBIT_EXEC_RESTRICT_FILE - 1))
            sb_printf(&b, "; the exec-* bits need Linux 6.14");
        explain(spx_stage_name(SPX_STAGE_SECUREBITS), "%s", sb_str(&b));
    }

    /* 13. pdeathsig */
    if (o->die_with_parent)
        explain(spx_stage_name(SPX_STAGE_PDEATHSIG), "SIGKILL to the program if spx-run dies first "
                                                     "(--die-with-parent)");

    /* 14. umask */
    if (o->umask >= 0) {
        mode_t own = umask(022);
        umask(own);
        explain(spx_stage_name(SPX_STAGE_UMASK), "%04o (spx-run's %04o)", (unsigned)o->umask, (unsigned)own);
    }

    /* 15. chdir */
    if (o->cwd)
        explain(spx_stage_name(SPX_STAGE_CHDIR), "%s%s", o->cwd,
                o->cwd_default ? " (the default with --chroot)" : "");

    /* 16. fds */
    sb_reset(&b);
    for (int fd = 0; fd <= 2; fd++) {
        bool mapped = false;
        for (size_t i = 0; i < o->fds.n; i++)
            if (o->fds.v[i].child == fd)
                mapped = true;
        if (!mapped)
            sb_printf(&b, "%d inherited, ", fd);
    }
    for (size_t i = 0; i < o->fds.n; i++) {
        if (o->fds.v[i].parent < 0)
            sb_printf(&b, "%d closed, ", o->fds.v[i].child);
        else
            sb_printf(&b, "%d <- spx-run's %d, ", o->fds.v[i].child, o->fds.v[i].parent);
    }
    sb_printf(&b, "every other descriptor closed at exec");
    explain(spx_stage_name(SPX_STAGE_FDS), "%s", sb_str(&b));

    /* 17. session */
    if (o->setsid || o->have_pgroup || o->foreground)
        explain_session(&b, o);

    /* 18. no_new_privs */
    if (o->no_new_privs)
        explain(spx_stage_name(SPX_STAGE_NO_NEW_PRIVS), "set (--no-new-privs)");
    else if ((pl->landlock && pl->landlock_status != SPX_LANDLOCK_NOT_ENFORCED) || pl->seccomp)
        explain(spx_stage_name(SPX_STAGE_NO_NEW_PRIVS),
                "set for %s (unless the child keeps cap_sys_admin)",
                pl->landlock && pl->seccomp ? "landlock and seccomp" : pl->landlock ? "landlock" : "seccomp");

    /* 19. landlock */
    if (pl->landlock)
        explain_landlock(&b, o, pl);

    /* 21. seccomp (20, the signal mask, is in the signals line) */
    if (pl->seccomp) {
        sb_reset(&b);
        if (o->sc_profile) {
            sb_printf(&b, "OCI profile %s (its default and rules; includes/excludes for %zu capabilities)",
                      o->sc_profile, pl->seccomp_caps);
        } else if (o->sc_mode != SC_NONE) {
            uint32_t def = o->sc_mode == SC_DENY ? SPX_SECCOMP_ALLOW : o->sc_action;
            uint32_t rule = o->sc_mode == SC_DENY ? o->sc_action : SPX_SECCOMP_ALLOW;
            sb_printf(&b, "default %s; %s:", action_text(o, def), action_text(o, rule));
            for (size_t i = 0; i < o->syscalls.n; i++) {
                sb_printf(&b, "%s", i ? "," : " ");
                sb_syscall(&b, o->syscalls.v[i]);
            }
            sb_printf(&b, " (%zu rule%s)", o->syscalls.n, o->syscalls.n == 1 ? "" : "s");
        } else {
            sb_printf(&b, "default allow");
        }
        for (size_t i = 0; i < o->sc_rules.n; i++) {
            const struct syscall_rule *r = &o->sc_rules.v[i];
            sb_printf(&b, "; ");
            sb_syscall(&b, r->name);
            sb_printf(&b, " %s", r->action_text);
            for (size_t j = 0; j < r->n; j++) {
                static const char *const ops[] = { "?", "!=", "<", "<=", "==", ">=", ">", "==" };
                const spx_seccomp_cond *c = &r->conds[j];
                sb_printf(&b, " %s arg%u ", j ? "and" : "if", c->arg);
                if (c->op == SPX_CMP_MASKED_EQ)
                    sb_printf(&b, "& %#llx == %#llx", (unsigned long long)c->value, (unsigned long long)c->value2);
                else
                    sb_printf(&b, "%s %#llx", ops[c->op], (unsigned long long)c->value);
            }
            /* A denial keyed on a full-register == of a 32-bit value can be
             * sidestepped by a program that sets the upper half when the
             * kernel reads the argument as 32 bits (an fd, ioctl's request,
             * socket's family): say so where the rule is shown. */
            for (size_t j = 0; r->action != SPX_SECCOMP_ALLOW && j < r->n; j++) {
                const spx_seccomp_cond *c = &r->conds[j];
                if (c->op == SPX_CMP_EQ && c->value <= 0xffffffffu) {
                    sb_printf(&b, " (if the kernel reads arg%u as 32 bits, a program can set the upper half and"
                              " pass: %u&0xffffffff==%#llx compares the low half)",
                              c->arg, c->arg, (unsigned long long)c->value);
                    break;
                }
            }
        }
        if (o->sc_mode == SC_ALLOW || o->sc_profile)
            sb_printf(&b, "; %sclone3 gets ENOSYS unless a rule names it (glibc then uses clone)",
                      o->sc_profile ? "if the default is not to allow, " : "");
        if (pl->seccomp_ignored)
            sb_printf(&b, "; %zu name%s absent on this architecture or unknown, ignored", pl->seccomp_ignored,
                      pl->seccomp_ignored == 1 ? "" : "s");
        if (o->sc_log)
            sb_printf(&b, "; every action but allow logged");
        sb_printf(&b, "; %zu BPF instructions", pl->seccomp_len);
        explain(spx_stage_name(SPX_STAGE_SECCOMP), "%s", sb_str(&b));
    }

    /* 22. exec */
    sb_reset(&b);
    if (o->exec_fd >= 0)
        sb_printf(&b, "execveat descriptor %d", o->exec_fd);
    else if (o->sealed)
        sb_printf(&b, "execveat a sealed memfd copy of %s (%zu bytes; seals seal,shrink,grow,write%s)",
                  pl->sealed_path, pl->sealed_size, pl->sealed_exec_seal ? ",exec" : "");
    else
        sb_printf(&b, "execve %s", pl->exec_path ? pl->exec_path : o->program);
    explain(spx_stage_name(SPX_STAGE_EXEC), "%s", sb_str(&b));

    explain_result(&b, o, pl);

    explain_wait(&b, o, pl);
    free(b.s);
    fflush(stderr);
}
