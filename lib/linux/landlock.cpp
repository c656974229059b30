// Landlock rulesets built in the parent, enforced in the child only.
//
// The library carries its own ABI table, since distribution headers lag
// (values from the kernel's uapi linux/landlock.h as of Linux 7.2):
//   ABI 1 (5.13) base filesystem rights   ABI 2 (5.19) REFER
//   ABI 3 (6.2)  TRUNCATE                 ABI 4 (6.7)  TCP bind/connect
//   ABI 5 (6.10) IOCTL_DEV                ABI 6 (6.12) scopes (abstract UNIX sockets, signals)
//   ABI 7 (6.15) restrict_self logging flags (nothing new to handle)
//   ABI 8 (7.0)  restrict_self TSYNC (nothing new to handle; our child has one thread)
//   ABI 9 (7.1)  RESOLVE_UNIX            ABI 10 (7.2) UDP bind/connect-send, quiet denials
// Strict rulesets never enforce less than asked (ENOTSUP instead); best
// effort ones drop what the kernel lacks and spx_landlock_status() says so.
//
// REFER is special: the kernel denies cross-directory link/rename under any
// ruleset that handles a filesystem right, handled or not, unless a rule
// grants REFER. So a REFER grant can never be dropped without making the
// sandbox stricter than asked (ABI 1 cannot grant it at all), and a handled
// set without REFER needs REFER granted everywhere to mean what it says.
//
// Path rules keep no descriptor: a ruleset may hold thousands of them under
// a 1024 open-file limit. Each remembers the object it found (mount, device,
// inode) and the absolute path the kernel gave for it, and create_fd opens
// that path again and checks that it still names the same object on the
// same mount. Only when the kernel cannot name it (no /proc, a deleted or
// unreachable object) does a rule keep its descriptor.
#include <fcntl.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <sys/sysmacros.h>
#include <unistd.h>

#include <cerrno>
#include <cstdint>
#include <cstdio>
#include <map>
#include <string>
#include <utility>
#include <vector>

#include "features.hpp"
#include "unique_fd.hpp"

namespace {

constexpr int kNewestAbi = 10;
constexpr uint64_t kFileRights = SPX_LANDLOCK_FS_EXECUTE | SPX_LANDLOCK_FS_WRITE_FILE |
                                 SPX_LANDLOCK_FS_READ_FILE | SPX_LANDLOCK_FS_TRUNCATE |
                                 SPX_LANDLOCK_FS_IOCTL_DEV | SPX_LANDLOCK_FS_RESOLVE_UNIX;

uint64_t fs_rights(int abi) {
    uint64_t r = abi >= 1 ? (SPX_LANDLOCK_FS_MAKE_SYM << 1) - 1 : 0;
    if (abi >= 2) r |= SPX_LANDLOCK_FS_REFER;
    if (abi >= 3) r |= SPX_LANDLOCK_FS_TRUNCATE;
    if (abi >= 5) r |= SPX_LANDLOCK_FS_IOCTL_DEV;
    if (abi >= 9) r |= SPX_LANDLOCK_FS_RESOLVE_UNIX;
    return r;
}
uint64_t net_rights(int abi) {
    uint64_t r = abi >= 4 ? SPX_LANDLOCK_NET_BIND_TCP | SPX_LANDLOCK_NET_CONNECT_TCP : 0;
    if (abi >= 10) r |= SPX_LANDLOCK_NET_BIND_UDP | SPX_LANDLOCK_NET_CONNECT_SEND_UDP;
    return r;
}
uint64_t scope_rights(int abi) {
    return abi >= 6 ? SPX_LANDLOCK_SCOPE_ABSTRACT_UNIX_SOCKET | SPX_LANDLOCK_SCOPE_SIGNAL : 0;
}
// Quiet fields and rule flags (ABI 10): all or nothing.
uint64_t quiet_rights(int abi) { return abi >= 10 ? ~0ULL : 0; }

// The kernel's structures (linux/landlock.h), spelled out for old headers.
struct RulesetAttr {
    uint64_t handled_access_fs;
    uint64_t handled_access_net;
    uint64_t scoped;
    uint64_t quiet_access_fs;  // ABI 10
    uint64_t quiet_access_net;
    uint64_t quiet_scoped;
};
static_assert(sizeof(RulesetAttr) == 48, "the ABI 10 layout");
struct __attribute__((packed)) PathBeneathAttr {
    uint64_t allowed_access;
    int32_t parent_fd;
};
struct NetPortAttr {
    uint64_t allowed_access;
    uint64_t port;
};
constexpr int kRulePathBeneath = 1, kRuleNetPort = 2;
constexpr unsigned kCreateRulesetVersion = 1u << 0;
constexpr unsigned kCreateRulesetErrata = 1u << 1;
constexpr unsigned kAddRuleQuiet = 1u << 0;  // LANDLOCK_ADD_RULE_QUIET
static_assert(SPX_LANDLOCK_RULE_QUIET == kAddRuleQuiet, "passed through as is");

// The size of RulesetAttr to give the kernel: the smallest that holds every
// non-zero field (older kernels reject a larger one with non-zero tail
// fields, E2BIG; a newer one reads a shorter one as zero-extended).
size_t ruleset_attr_size(const RulesetAttr &a) {
    if (a.quiet_access_fs || a.quiet_access_net || a.quiet_scoped) return sizeof(RulesetAttr);
    if (a.scoped) return 3 * sizeof(uint64_t);
    if (a.handled_access_net) return 2 * sizeof(uint64_t);
    return sizeof(uint64_t);
}

// What a path rule's object is: the same inode seen through another mount
// is another Landlock rule (the kernel ties rules to mount and dentry).
struct Identity {
    uint64_t dev, ino, mnt;  // mnt 0: the kernel does not report mount ids
    bool operator<(const Identity &o) const {
        return dev != o.dev ? dev < o.dev : ino != o.ino ? ino < o.ino : mnt < o.mnt;
    }
    bool operator==(const Identity &o) const { return dev == o.dev && ino == o.ino && mnt == o.mnt; }
};

struct PathRule {
    std::string path;   // absolute, as the kernel named the object; or empty and
    spx::UniqueFd fd;   // the descriptor, when the kernel could not name it
    Identity id;
    uint64_t access;
    unsigned flags;
};
struct PortRule {
    uint64_t port;
    uint64_t access;
    unsigned flags;
};

}  // namespace

struct spx_landlock {
    int abi;
    bool best_effort;
    uint64_t handled_fs;   // what the ruleset restricts: every right of
    uint64_t handled_net;  // its ABI unless spx_landlock_set_handled()
    uint64_t scopes = 0;
    uint64_t quiet_fs = 0, quiet_net = 0, quiet_scopes = 0;
    std::vector<PathRule> paths;
    std::map<Identity, size_t> path_index;  // merges rules for one object
    std::vector<PortRule> ports;
    bool refer_free = false;  // spx_landlock_set_handled() left REFER out: reparenting stays allowed
};

namespace spx {

namespace {

// Strict mode refuses a right that the ruleset's ABI or the kernel lacks.
int check_strict(const spx_landlock &rs, uint64_t access, uint64_t (*rights)(int)) {
    if (rs.best_effort) return 0;
    if (access & ~rights(rs.abi)) return ENOTSUP;
    if (access & ~rights(landlock_abi())) return ENOTSUP;
    return 0;
}

int check_rule_flags(const spx_landlock &rs, unsigned flags) {
    if (flags & ~SPX_LANDLOCK_RULE_QUIET) return EINVAL;
    return check_strict(rs, flags, quiet_rights);
}

int identify(int fd, Identity *id, bool *is_dir) {
    struct statx stx;
    if (statx(fd, "", AT_EMPTY_PATH | AT_STATX_SYNC_AS_STAT, STATX_TYPE | STATX_INO | STATX_MNT_ID, &stx) == 0) {
        *id = {makedev(stx.stx_dev_major, stx.stx_dev_minor), stx.stx_ino,
               (stx.stx_mask & STATX_MNT_ID) ? stx.stx_mnt_id : 0};
        *is_dir = S_ISDIR(stx.stx_mode);
        return 0;
    }
    // No statx (before Linux 4.11, or refused by an old container filter):
    // no mount id either.
    if (errno != ENOSYS && errno != EPERM) return errno;
    struct stat st;
    if (fstat(fd, &st) != 0) return errno;
    *id = {st.st_dev, st.st_ino, 0};
    *is_dir = S_ISDIR(st.st_mode);
    return 0;
}

// The absolute path of an open descriptor, as the kernel names it now.
int fd_path(int fd, std::string *out) {
    char link[64];
    std::snprintf(link, sizeof link, "/proc/self/fd/%d", fd);
    std::string buf(256, '\0');
    for (;;) {
        ssize_t n = readlink(link, buf.data(), buf.size());
        if (n < 0) return errno;
        if (static_cast<size_t>(n) < buf.size()) {
            buf.resize(static_cast<size_t>(n));
            break;
        }
        buf.resize(buf.size() * 2);
    }
    // Not a reachable path: deleted, another root, a detached mount.
    if (buf.empty() || buf[0] != '/') return ENOENT;
    *out = std::move(buf);
    return 0;
}

// Opens a rule's object again; ESTALE when its path now names another one
// (or the same one through another mount).
int reopen(const std::string &path, const Identity &want, UniqueFd *out) {
    int fd = open(path.c_str(), O_PATH | O_CLOEXEC);
    if (fd < 0) return errno;
    UniqueFd owned(fd);
    Identity id;
    bool is_dir;
    if (int rc = identify(fd, &id, &is_dir)) return rc;
    if (!(id == want)) return ESTALE;
    *out = std::move(owned);
    return 0;
}

}  // namespace

int landlock_abi() {
    long v = syscall(SYS_landlock_create_ruleset, nullptr, 0, kCreateRulesetVersion);
    return v > 0 ? static_cast<int>(v) : 0;
}

int landlock_errata() {
    long v = syscall(SYS_landlock_create_ruleset, nullptr, 0, kCreateRulesetErrata);
    return v > 0 ? static_cast<int>(v) : 0;
}

uint64_t landlock_rights(LandlockFamily family, int abi) {
    if (abi < 0 || abi > kNewestAbi) return 0;
    if (!abi) abi = kNewestAbi;
    switch (family) {
    case LandlockFamily::Fs: return fs_rights(abi);
    case LandlockFamily::Net: return net_rights(abi);
    case LandlockFamily::Scope: return scope_rights(abi);
    }
    return 0;
}

int landlock_new(spx_landlock **out, int abi, unsigned flags) {
    if (abi < 0 || abi > kNewestAbi || (flags & ~SPX_LANDLOCK_BEST_EFFORT)) return EINVAL;
    if (!abi) abi = kNewestAbi;
    auto *rs = new spx_landlock{};
    rs->abi = abi;
    rs->best_effort = (flags & SPX_LANDLOCK_BEST_EFFORT) != 0;
    rs->handled_fs = fs_rights(abi);
    rs->handled_net = net_rights(abi);
    *out = rs;
    return 0;
}

int landlock_set_handled(spx_landlock &rs, uint64_t fs, uint64_t net) {
    if ((fs & ~fs_rights(kNewestAbi)) || (net & ~net_rights(kNewestAbi))) return EINVAL;
    if (int rc = check_strict(rs, fs, fs_rights)) return rc;
    if (int rc = check_strict(rs, net, net_rights)) return rc;
    // Strict: below ABI 2 the kernel denies the reparenting this set leaves free.
    bool refer_free = fs && !(fs & SPX_LANDLOCK_FS_REFER);
    if (!rs.best_effort && refer_free && landlock_abi() < 2) return ENOTSUP;
    rs.handled_fs = fs & fs_rights(rs.abi);
    rs.handled_net = net & net_rights(rs.abi);
    rs.refer_free = refer_free;
    return 0;
}

int landlock_allow_path(spx_landlock &rs, const char *path, uint64_t access, unsigned flags) {
    if (!*path || !access || (access & ~fs_rights(kNewestAbi))) return EINVAL;
    if (int rc = check_strict(rs, access, fs_rights)) return rc;
    if (int rc = check_rule_flags(rs, flags)) return rc;
    int fd = open(path, O_PATH | O_CLOEXEC);
    if (fd < 0) return errno;
    UniqueFd owned(fd);
    Identity id;
    bool is_dir;
    if (int rc = identify(fd, &id, &is_dir)) return rc;
    // Directory-only rights on a file make the kernel refuse the rule.
    if (!is_dir) access &= kFileRights;
    if (!access) return 0;  // nothing applies to this file: no rule
    if (auto it = rs.path_index.find(id); it != rs.path_index.end()) {
        rs.paths[it->second].access |= access;
        rs.paths[it->second].flags |= flags;
        return 0;
    }
    // Keep the path only if it leads back to this object now: a deleted
    // directory, for one, has a name ending in " (deleted)" that does not.
    std::string abs;
    UniqueFd again;
    if (fd_path(fd, &abs) == 0 && reopen(abs, id, &again) == 0)
        owned.reset();  // opened by path again at create time
    else
        abs.clear();
    rs.paths.reserve(rs.paths.size() + 1);
    rs.path_index.emplace(id, rs.paths.size());  // may throw: nothing changed yet
    rs.paths.push_back(PathRule{std::move(abs), std::move(owned), id, access, flags});
    return 0;
}

int landlock_allow_port(spx_landlock &rs, uint64_t port, uint64_t access, unsigned flags) {
    if (port > 65535 || !access || (access & ~net_rights(kNewestAbi))) return EINVAL;
    if (int rc = check_strict(rs, access, net_rights)) return rc;
    if (int rc = check_rule_flags(rs, flags)) return rc;
    rs.ports.push_back(PortRule{port, access, flags});
    return 0;
}

int landlock_set_scope(spx_landlock &rs, uint64_t scopes) {
    if (scopes & ~scope_rights(kNewestAbi)) return EINVAL;
    if (int rc = check_strict(rs, scopes, scope_rights)) return rc;
    rs.scopes = scopes;
    return 0;
}

int landlock_set_quiet(spx_landlock &rs, uint64_t fs, uint64_t net, uint64_t scopes) {
    if ((fs & ~fs_rights(kNewestAbi)) || (net & ~net_rights(kNewestAbi)) || (scopes & ~scope_rights(kNewestAbi)))
        return EINVAL;
    if (int rc = check_strict(rs, fs | net | scopes, quiet_rights)) return rc;
    rs.quiet_fs = fs;
    rs.quiet_net = net;
    rs.quiet_scopes = scopes;
    return 0;
}

namespace {

// Does the caller keep some reparenting allowed: a rule granting REFER, or a
// handled set without it? (Rules on files never carry REFER.)
bool wants_refer(const spx_landlock &rs) {
    if (rs.refer_free) return true;
    for (const PathRule &r : rs.paths)
        if (r.access & SPX_LANDLOCK_FS_REFER) return true;
    return false;
}

// A kernel without REFER (ABI 1) refuses every reparenting under a filesystem
// ruleset: with wants_refer, it cannot enforce the filesystem part as asked.
bool loses_refer(const spx_landlock &rs, int kernel) {
    return kernel < 2 && (rs.handled_fs & fs_rights(kernel)) && wants_refer(rs);
}

bool wants_quiet(const spx_landlock &rs) {
    if (rs.quiet_fs || rs.quiet_net || rs.quiet_scopes) return true;
    for (const PathRule &r : rs.paths)
        if (r.flags) return true;
    for (const PortRule &r : rs.ports)
        if (r.flags) return true;
    return false;
}

// What this kernel is asked to handle (the first three fields all zero:
// nothing to enforce).
RulesetAttr kernel_attr(const spx_landlock &rs, int kernel) {
    int abi = kernel < rs.abi ? kernel : rs.abi;
    RulesetAttr attr = {rs.handled_fs & fs_rights(abi), rs.handled_net & net_rights(abi),
                        rs.scopes & scope_rights(abi), 0, 0, 0};
    if (attr.handled_access_fs && wants_refer(rs)) {
        // Best effort on ABI 1 leaves the filesystem alone rather than forbid
        // what was granted, as the kernel's sample sandboxer does. From ABI 2
        // on, REFER is handled so that the grants reach the kernel, even for
        // an ABI 1 ruleset: handling it restricts nothing, the kernel denies
        // it anyway.
        if (kernel < 2)
            attr.handled_access_fs = 0;
        else
            attr.handled_access_fs |= SPX_LANDLOCK_FS_REFER;
    }
    // Only handled rights can be quiet.
    uint64_t quiet = quiet_rights(abi);
    attr.quiet_access_fs = rs.quiet_fs & attr.handled_access_fs & quiet;
    attr.quiet_access_net = rs.quiet_net & attr.handled_access_net & quiet;
    attr.quiet_scoped = rs.quiet_scopes & attr.scoped & quiet;
    return attr;
}

bool enforces_nothing(const RulesetAttr &a) { return !a.handled_access_fs && !a.handled_access_net && !a.scoped; }

// A handled set without REFER grants REFER beneath "/": the kernel still
// refuses a link or rename that would give the file more access where it
// lands, so this allows reparenting and nothing else. (A detached mount is
// not beneath "/": reparenting there stays denied.)
int allow_refer_everywhere(int ruleset) {
    int root = open("/", O_PATH | O_DIRECTORY | O_CLOEXEC);
    if (root < 0) return errno;
    UniqueFd owned(root);
    PathBeneathAttr pb = {SPX_LANDLOCK_FS_REFER, root};
    if (syscall(SYS_landlock_add_rule, ruleset, kRulePathBeneath, &pb, 0) != 0) return errno;
    return 0;
}

}  // namespace

// Would this kernel enforce less than the ruleset handles, or drop a quiet
// setting? (ABI 7, for instance, adds no right: a kernel with ABI 6 loses
// nothing of it.)
bool loses_rights(const spx_landlock &rs, int kernel) {
    return kernel == 0 || (rs.handled_fs & ~fs_rights(kernel)) || (rs.handled_net & ~net_rights(kernel)) ||
           (rs.scopes & ~scope_rights(kernel)) || loses_refer(rs, kernel) ||
           (kernel < 10 && wants_quiet(rs));
}

int landlock_create_fd(const spx_landlock &rs, int *out) {
    int kernel = landlock_abi();
    if (!rs.best_effort && loses_rights(rs, kernel)) return ENOTSUP;
    RulesetAttr attr = kernel_attr(rs, kernel);
    if (enforces_nothing(attr)) {  // best effort kept nothing
        *out = -1;
        return 0;
    }
    int abi = kernel < rs.abi ? kernel : rs.abi;
    unsigned rule_flags_kept = quiet_rights(abi) ? SPX_LANDLOCK_RULE_QUIET : 0;
    long fd = syscall(SYS_landlock_create_ruleset, &attr, ruleset_attr_size(attr), 0);
    if (fd < 0) return errno;
    UniqueFd ruleset(static_cast<int>(fd));
    if (rs.refer_free && (attr.handled_access_fs & SPX_LANDLOCK_FS_REFER))
        if (int rc = allow_refer_everywhere(ruleset.get())) return rc;
    for (const PathRule &r : rs.paths) {
        uint64_t access = r.access & attr.handled_access_fs;
        if (!access) continue;
        UniqueFd reopened;
        if (!r.fd)
            if (int rc = reopen(r.path, r.id, &reopened)) return rc;
        PathBeneathAttr pb = {access, r.fd ? r.fd.get() : reopened.get()};
        if (syscall(SYS_landlock_add_rule, ruleset.get(), kRulePathBeneath, &pb, r.flags & rule_flags_kept) != 0)
            return errno;
    }
    for (const PortRule &r : rs.ports) {
        NetPortAttr np = {r.access & attr.handled_access_net, r.port};
        if (!np.allowed_access) continue;
        if (syscall(SYS_landlock_add_rule, ruleset.get(), kRuleNetPort, &np, r.flags & rule_flags_kept) != 0)
            return errno;
    }
    *out = ruleset.release();
    return 0;
}

int landlock_status(const spx_landlock &rs) {
    int kernel = landlock_abi();
    if (enforces_nothing(kernel_attr(rs, kernel))) return SPX_LANDLOCK_NOT_ENFORCED;
    return loses_rights(rs, kernel) ? SPX_LANDLOCK_PARTIALLY_ENFORCED : SPX_LANDLOCK_FULLY_ENFORCED;
}

bool landlock_best_effort(const spx_landlock &rs) { return rs.best_effort; }

void landlock_free(spx_landlock *rs) noexcept { delete rs; }

}  // namespace spx
