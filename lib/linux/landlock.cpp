// Landlock rulesets built in the parent, enforced in the child only.
//
// The library carries its own ABI table, since distribution headers lag:
//   ABI 1 (5.13) base filesystem rights   ABI 2 (5.19) REFER
//   ABI 3 (6.2)  TRUNCATE                 ABI 4 (6.7)  TCP bind/connect
//   ABI 5 (6.10) IOCTL_DEV                ABI 6 (6.12) scopes (abstract UNIX sockets, signals)
//   ABI 7 (6.15) restrict_self logging flags (nothing new to handle)
// Strict rulesets never enforce less than asked (ENOTSUP instead); best
// effort ones drop what the kernel lacks and spx_landlock_status() says so.
//
// REFER is special: the kernel denies cross-directory link/rename under any
// ruleset that handles a filesystem right, handled or not, unless a rule
// grants REFER. So a REFER grant can never be dropped without making the
// sandbox stricter than asked (ABI 1 cannot grant it at all), and a handled
// set without REFER needs REFER granted everywhere to mean what it says.
#include <fcntl.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <unistd.h>

#include <cerrno>
#include <cstdint>
#include <vector>

#include "features.hpp"
#include "unique_fd.hpp"

namespace {

constexpr int kNewestAbi = 7;
constexpr uint64_t kFileRights = SPX_LANDLOCK_FS_EXECUTE | SPX_LANDLOCK_FS_WRITE_FILE |
                                 SPX_LANDLOCK_FS_READ_FILE | SPX_LANDLOCK_FS_TRUNCATE |
                                 SPX_LANDLOCK_FS_IOCTL_DEV;

uint64_t fs_rights(int abi) {
    uint64_t r = abi >= 1 ? (SPX_LANDLOCK_FS_MAKE_SYM << 1) - 1 : 0;
    if (abi >= 2) r |= SPX_LANDLOCK_FS_REFER;
    if (abi >= 3) r |= SPX_LANDLOCK_FS_TRUNCATE;
    if (abi >= 5) r |= SPX_LANDLOCK_FS_IOCTL_DEV;
    return r;
}
uint64_t net_rights(int abi) {
    return abi >= 4 ? SPX_LANDLOCK_NET_BIND_TCP | SPX_LANDLOCK_NET_CONNECT_TCP : 0;
}
uint64_t scope_rights(int abi) {
    return abi >= 6 ? SPX_LANDLOCK_SCOPE_ABSTRACT_UNIX_SOCKET | SPX_LANDLOCK_SCOPE_SIGNAL : 0;
}

// The kernel's structures (linux/landlock.h), spelled out for old headers.
struct RulesetAttr {
    uint64_t handled_access_fs;
    uint64_t handled_access_net;
    uint64_t scoped;
};
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

// The size of RulesetAttr an ABI understands (older kernels reject a larger
// one with non-zero tail fields, E2BIG).
size_t ruleset_attr_size(int abi) {
    return abi >= 6 ? sizeof(RulesetAttr) : abi >= 4 ? 2 * sizeof(uint64_t) : sizeof(uint64_t);
}

struct PathRule {
    spx::UniqueFd fd;
    uint64_t access;
};
struct PortRule {
    uint64_t port;
    uint64_t access;
};

}  // namespace

struct spx_landlock {
    int abi;
    bool best_effort;
    uint64_t handled_fs;   // what the ruleset restricts: every right of
    uint64_t handled_net;  // its ABI unless spx_landlock_set_handled()
    uint64_t scopes = 0;
    std::vector<PathRule> paths;
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

}  // namespace

int landlock_abi() {
    long v = syscall(SYS_landlock_create_ruleset, nullptr, 0, kCreateRulesetVersion);
    return v > 0 ? static_cast<int>(v) : 0;
}

int landlock_new(spx_landlock **out, int abi, unsigned flags) {
    if (abi < 0 || abi > kNewestAbi || (flags & ~SPX_LANDLOCK_BEST_EFFORT)) return EINVAL;
    if (!abi) abi = kNewestAbi;
    *out = new spx_landlock{abi, (flags & SPX_LANDLOCK_BEST_EFFORT) != 0, fs_rights(abi), net_rights(abi), 0, {}, {}};
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

int landlock_allow_path(spx_landlock &rs, const char *path, uint64_t access) {
    if (!*path || !access || (access & ~fs_rights(kNewestAbi))) return EINVAL;
    if (int rc = check_strict(rs, access, fs_rights)) return rc;
    int fd = open(path, O_PATH | O_CLOEXEC);
    if (fd < 0) return errno;
    UniqueFd owned(fd);
    struct stat st;
    if (fstat(fd, &st) != 0) return errno;
    // Directory-only rights on a file make the kernel refuse the rule.
    if (!S_ISDIR(st.st_mode)) access &= kFileRights;
    if (!access) return 0;  // nothing applies to this file: no rule
    rs.paths.reserve(rs.paths.size() + 1);
    rs.paths.push_back(PathRule{std::move(owned), access});
    return 0;
}

int landlock_allow_port(spx_landlock &rs, uint64_t port, uint64_t access) {
    if (port > 65535 || !access || (access & ~net_rights(kNewestAbi))) return EINVAL;
    if (int rc = check_strict(rs, access, net_rights)) return rc;
    rs.ports.push_back(PortRule{port, access});
    return 0;
}

int landlock_set_scope(spx_landlock &rs, uint64_t scopes) {
    if (scopes & ~scope_rights(kNewestAbi)) return EINVAL;
    if (int rc = check_strict(rs, scopes, scope_rights)) return rc;
    rs.scopes = scopes;
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

// What this kernel is asked to handle (all zero: nothing to enforce).
RulesetAttr kernel_attr(const spx_landlock &rs, int kernel) {
    int abi = kernel < rs.abi ? kernel : rs.abi;
    RulesetAttr attr = {rs.handled_fs & fs_rights(abi), rs.handled_net & net_rights(abi), rs.scopes & scope_rights(abi)};
    if (!attr.handled_access_fs || !wants_refer(rs)) return attr;
    // Best effort on ABI 1 leaves the filesystem alone rather than forbid
    // what was granted, as the kernel's sample sandboxer does. From ABI 2 on,
    // REFER is handled so that the grants reach the kernel, even for an ABI 1
    // ruleset: handling it restricts nothing, the kernel denies it anyway.
    if (kernel < 2)
        attr.handled_access_fs = 0;
    else
        attr.handled_access_fs |= SPX_LANDLOCK_FS_REFER;
    return attr;
}

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

// Would this kernel enforce less than the ruleset handles? (ABI 7, for
// instance, adds no right: a kernel with ABI 6 loses nothing of it.)
bool loses_rights(const spx_landlock &rs, int kernel) {
    return kernel == 0 || (rs.handled_fs & ~fs_rights(kernel)) || (rs.handled_net & ~net_rights(kernel)) ||
           (rs.scopes & ~scope_rights(kernel)) || loses_refer(rs, kernel);
}

int landlock_create_fd(const spx_landlock &rs, int *out) {
    int kernel = landlock_abi();
    if (!rs.best_effort && loses_rights(rs, kernel)) return ENOTSUP;
    RulesetAttr attr = kernel_attr(rs, kernel);
    if (!attr.handled_access_fs && !attr.handled_access_net && !attr.scoped) {  // best effort kept nothing
        *out = -1;
        return 0;
    }
    int abi = kernel < rs.abi ? kernel : rs.abi;
    long fd = syscall(SYS_landlock_create_ruleset, &attr, ruleset_attr_size(abi), 0);
    if (fd < 0) return errno;
    UniqueFd ruleset(static_cast<int>(fd));
    if (rs.refer_free && (attr.handled_access_fs & SPX_LANDLOCK_FS_REFER))
        if (int rc = allow_refer_everywhere(ruleset.get())) return rc;
    for (const PathRule &r : rs.paths) {
        PathBeneathAttr pb = {r.access & attr.handled_access_fs, r.fd.get()};
        if (!pb.allowed_access) continue;
        if (syscall(SYS_landlock_add_rule, ruleset.get(), kRulePathBeneath, &pb, 0) != 0) return errno;
    }
    for (const PortRule &r : rs.ports) {
        NetPortAttr np = {r.access & attr.handled_access_net, r.port};
        if (!np.allowed_access) continue;
        if (syscall(SYS_landlock_add_rule, ruleset.get(), kRuleNetPort, &np, 0) != 0) return errno;
    }
    *out = ruleset.release();
    return 0;
}

int landlock_status(const spx_landlock &rs) {
    int kernel = landlock_abi();
    RulesetAttr attr = kernel_attr(rs, kernel);
    if (!attr.handled_access_fs && !attr.handled_access_net && !attr.scoped) return SPX_LANDLOCK_NOT_ENFORCED;
    return loses_rights(rs, kernel) ? SPX_LANDLOCK_PARTIALLY_ENFORCED : SPX_LANDLOCK_FULLY_ENFORCED;
}

void landlock_free(spx_landlock *rs) noexcept { delete rs; }

}  // namespace spx
