// Attribute setters: validate, build the new value aside, then commit with
// operations that cannot fail, so a rejected call leaves the object as it was.
#include "attr.hpp"

#include <algorithm>
#include <csignal>

#include "attr_set.hpp"
#include "errcode.hpp"
#include "features.hpp"
#include "platform.hpp"
#include "winport/sid.hpp"

namespace spx {

namespace {

constexpr int kMaxSignal = 64;
constexpr size_t kMaxGroups = 65536;  // the kernel's NGROUPS_MAX
constexpr size_t kMaxBpfInsns = 4096;  // the kernel's BPF_MAXINSNS

int set_optional_string(std::optional<std::string> &field, const char *s) {
    if (s && !*s) return err::invalid;
    if (s)
        field = std::string(s);
    else
        field.reset();
    return 0;
}

int set_caps(std::optional<BitSet64> &field, const int *caps, size_t n) {
    if (!platform::supports(platform::Feature::Identity)) return err::unsupported;
    BitSet64 set;
    if (int rc = to_bitset(caps, n, 0, platform::cap_last(), &set)) return rc;
    field = set;
    return 0;
}

int set_fd_field(UniqueFd &field, int fd) {
    if (fd < -1) return err::invalid;
    UniqueFd copy;
    if (fd >= 0)
        if (int rc = platform::dup_fd(fd, &copy)) return rc;
    field = std::move(copy);
    return 0;
}

}  // namespace

int to_bitset(const int *values, size_t n, int lo, int hi, BitSet64 *out) {
    if (n > 0 && !values) return err::invalid;
    BitSet64 set = 0;
    for (size_t i = 0; i < n; i++) {
        if (values[i] < lo || values[i] > hi) return err::invalid;
        set |= BitSet64{1} << (values[i] - lo);
    }
    *out = set;
    return 0;
}

int attr_set_cwd(spx_attr &a, const char *dir) { return set_optional_string(a.cwd, dir); }

int attr_set_fd(spx_attr &a, int child_fd, int parent_fd) {
    if (!platform::supports(platform::Feature::FdMap)) return err::unsupported;
    if (child_fd < 0 || parent_fd < -1) return err::invalid;
    if (child_fd >= platform::max_fds()) return err::bad_fd;  // dup3 could never install it
    UniqueFd copy;
    if (parent_fd >= 0)
        if (int rc = platform::dup_fd(parent_fd, &copy)) return rc;
    auto it = std::lower_bound(a.fds.begin(), a.fds.end(), child_fd,
                               [](const FdMapping &m, int c) { return m.child < c; });
    if (it != a.fds.end() && it->child == child_fd)
        it->parent = std::move(copy);
    else
        a.fds.insert(it, FdMapping{child_fd, std::move(copy)});
    return 0;
}

int attr_set_search_path(spx_attr &a, int on) {
    if (on != 0 && on != 1) return err::invalid;
    a.search_path = on;
    return 0;
}

int attr_set_sigmask(spx_attr &a, const int *signals, size_t n) {
    if (!platform::supports(platform::Feature::Signals)) return err::unsupported;
    BitSet64 set;
    if (int rc = to_bitset(signals, n, 1, kMaxSignal, &set)) return rc;
    a.sigmask = set;
    return 0;
}

int attr_set_sigdefault(spx_attr &a, const int *signals, size_t n) {
    if (!platform::supports(platform::Feature::Signals)) return err::unsupported;
    BitSet64 set;
    if (int rc = to_bitset(signals, n, 1, kMaxSignal, &set)) return rc;
#ifdef SIGKILL
    if (set & ((BitSet64{1} << (SIGKILL - 1)) | (BitSet64{1} << (SIGSTOP - 1)))) return err::invalid;
#endif
    a.sigdefault = set;
    return 0;
}

int attr_set_id(std::optional<uint32_t> &field, uint32_t id) {
    if (!platform::supports(platform::Feature::Identity)) return err::unsupported;
    if (id == UINT32_MAX) return err::invalid;  // -1 means "unchanged" to the kernel
    field = id;
    return 0;
}

int attr_set_groups(spx_attr &a, const uint32_t *groups, size_t n) {
    if (!platform::supports(platform::Feature::Identity)) return err::unsupported;
    if ((n > 0 && !groups) || n > kMaxGroups) return err::invalid;
    if (std::find(groups, groups + n, UINT32_MAX) != groups + n) return err::invalid;
    a.groups = std::vector<uint32_t>(groups, groups + n);
    a.keep_groups = false;
    return 0;
}

int attr_set_keep_groups(spx_attr &a, int on) {
    if (!platform::supports(platform::Feature::Identity)) return err::unsupported;
    if (on != 0 && on != 1) return err::invalid;
    a.keep_groups = on;
    if (on) a.groups.reset();
    return 0;
}

int attr_set_ambient(spx_attr &a, const int *caps, size_t n) { return set_caps(a.ambient, caps, n); }
int attr_set_inheritable(spx_attr &a, const int *caps, size_t n) { return set_caps(a.inheritable, caps, n); }
int attr_set_bounding(spx_attr &a, const int *keep, size_t n) { return set_caps(a.bounding, keep, n); }

int attr_set_no_new_privs(spx_attr &a, int on) {
    if (!platform::supports(platform::Feature::Identity)) return err::unsupported;
    if (on != 0 && on != 1) return err::invalid;
    a.no_new_privs = on;
    return 0;
}

int attr_set_chroot(spx_attr &a, const char *dir) {
    if (!platform::supports(platform::Feature::Identity)) return err::unsupported;
    return set_optional_string(a.chroot, dir);
}

int attr_set_rlimit(spx_attr &a, int resource, uint64_t soft, uint64_t hard) {
    if (!platform::supports(platform::Feature::Process)) return err::unsupported;
    if (resource < 0 || resource >= rlimit_count() || soft > hard) return err::invalid;
    auto it = std::lower_bound(a.rlimits.begin(), a.rlimits.end(), resource,
                               [](const Rlimit &r, int res) { return r.resource < res; });
    if (it != a.rlimits.end() && it->resource == resource)
        *it = Rlimit{resource, soft, hard};
    else
        a.rlimits.insert(it, Rlimit{resource, soft, hard});
    return 0;
}

int attr_set_setsid(spx_attr &a, int on) {
    if (!platform::supports(platform::Feature::Process)) return err::unsupported;
    if (on != 0 && on != 1) return err::invalid;
    a.setsid = on;
    return 0;
}

int attr_set_pgroup(spx_attr &a, int64_t pgid) {
    if (!platform::supports(platform::Feature::Process)) return err::unsupported;
    if (pgid < -1 || pgid > INT32_MAX) return err::invalid;  // a pid_t
    a.pgroup = pgid;
    return 0;
}

int attr_set_child_fd(int &field, int child_fd) {
    if (!platform::supports(platform::Feature::Process)) return err::unsupported;
    if (child_fd < -1) return err::invalid;
    if (child_fd >= platform::max_fds()) return err::bad_fd;
    field = child_fd;
    return 0;
}

int attr_set_cgroup_fd(spx_attr &a, int dirfd) {
    if (!platform::supports(platform::Feature::Process)) return err::unsupported;
    if (dirfd < -1) return err::invalid;
    if (dirfd >= 0)
        if (int rc = platform::check_dirfd(dirfd)) return rc;
    return set_fd_field(a.cgroup, dirfd);
}

int attr_set_pdeathsig(spx_attr &a, int sig) {
    if (!platform::supports(platform::Feature::Process)) return err::unsupported;
    if (sig < 0 || sig > kMaxSignal) return err::invalid;
    a.pdeathsig = sig;
    return 0;
}

int attr_set_umask(spx_attr &a, int mask) {
    if (!platform::supports(platform::Feature::Process)) return err::unsupported;
    if (mask < -1 || mask > 0777) return err::invalid;
    a.umask = mask;
    return 0;
}

int attr_set_securebits(spx_attr &a, unsigned bits) {
    if (!platform::supports(platform::Feature::Identity)) return err::unsupported;
    constexpr unsigned kKnown = SPX_SECBIT_NOROOT | SPX_SECBIT_NOROOT_LOCKED | SPX_SECBIT_NO_SETUID_FIXUP |
                                SPX_SECBIT_NO_SETUID_FIXUP_LOCKED | SPX_SECBIT_KEEP_CAPS_LOCKED |
                                SPX_SECBIT_NO_CAP_AMBIENT_RAISE | SPX_SECBIT_NO_CAP_AMBIENT_RAISE_LOCKED |
                                SPX_SECBIT_EXEC_RESTRICT_FILE | SPX_SECBIT_EXEC_RESTRICT_FILE_LOCKED |
                                SPX_SECBIT_EXEC_DENY_INTERACTIVE | SPX_SECBIT_EXEC_DENY_INTERACTIVE_LOCKED;
    if (bits & ~kKnown) return err::invalid;
    a.securebits = bits;
    return 0;
}

int attr_set_execfd(spx_attr &a, int fd) {
    if (!platform::supports(platform::Feature::ExecFd)) return err::unsupported;
    if (fd < -1) return err::invalid;
    bool script = false;
    if (fd >= 0)
        if (int rc = platform::inspect_execfd(fd, &script)) return rc;
    if (int rc = set_fd_field(a.execfd, fd)) return rc;
    a.execfd_is_script = script;
    return 0;
}

int attr_set_exec_dirfd(spx_attr &a, int dirfd, int at_flags) {
    if (!platform::supports(platform::Feature::ExecFd)) return err::unsupported;
    if (dirfd < -1 || (at_flags & ~SPX_AT_SYMLINK_NOFOLLOW)) return err::invalid;
    if (dirfd >= 0)
        if (int rc = platform::check_dirfd(dirfd)) return rc;
    if (int rc = set_fd_field(a.exec_dirfd, dirfd)) return rc;
    a.exec_at_flags = dirfd >= 0 ? at_flags : 0;
    return 0;
}

int attr_set_landlock_fd(spx_attr &a, int ruleset_fd) {
    if (!platform::supports(platform::Feature::Landlock)) return err::unsupported;
    if (int rc = set_fd_field(a.landlock, ruleset_fd)) return rc;
    a.landlock_best_effort = false;  // a bare descriptor: strict
    return 0;
}

int attr_set_landlock_flags(spx_attr &a, unsigned flags) {
    if (!platform::supports(platform::Feature::Landlock)) return err::unsupported;
    constexpr unsigned kKnown =
        SPX_LANDLOCK_LOG_SAME_EXEC_OFF | SPX_LANDLOCK_LOG_NEW_EXEC_ON | SPX_LANDLOCK_LOG_SUBDOMAINS_OFF;
    if (flags & ~kKnown) return err::invalid;
    a.landlock_flags = flags;
    return 0;
}

int attr_set_seccomp_bpf(spx_attr &a, const void *insns, size_t count) {
    if (!platform::supports(platform::Feature::Seccomp)) return err::unsupported;
    if (!insns && count == 0) {
        a.seccomp.clear();
        a.seccomp_flags = 0;
        return 0;
    }
    if (!insns || count == 0 || count > kMaxBpfInsns) return err::invalid;
    auto first = static_cast<const BpfInsn *>(insns);
    a.seccomp.assign(first, first + count);
    a.seccomp_flags = 0;
    return 0;
}

int attr_set_appcontainer(spx_attr &a, const char *name, const char *const *sids, size_t n) {
    if (!platform::supports(platform::Feature::AppContainer)) return err::unsupported;
    if (!name) {
        if (n) return err::invalid;
        a.appcontainer.reset();
        a.capability_sids.clear();
        a.appcontainer_flags = 0;
        return 0;
    }
    if (!winport::valid_container_name(name) || (n > 0 && !sids)) return err::invalid;
    std::vector<std::string> list;
    for (size_t i = 0; i < n; i++) {
        if (!sids[i]) return err::invalid;
        std::string sid;
        if (int rc = err::from(winport::capability_sid(sids[i], sid))) return rc;
        list.push_back(std::move(sid));
    }
    a.appcontainer = std::string(name);
    a.capability_sids = std::move(list);
    return 0;
}

int attr_set_appcontainer_flags(spx_attr &a, unsigned flags) {
    if (!platform::supports(platform::Feature::AppContainer)) return err::unsupported;
    if (flags & ~(SPX_APPCONTAINER_LPAC | SPX_APPCONTAINER_NO_PROFILE)) return err::invalid;
    a.appcontainer_flags = flags;
    return 0;
}

int attr_set_stdio_handle(spx_attr &a, int which, void *handle) {
    if (!platform::supports(platform::Feature::Handles)) return err::unsupported;
    if (which < 0 || which > 2) return err::invalid;
    if (handle)
        if (int rc = platform::check_handle(handle, false)) return rc;
    a.stdio[which] = handle;
    return 0;
}

int attr_add_handle(spx_attr &a, void *handle) {
    if (!platform::supports(platform::Feature::Handles)) return err::unsupported;
    if (!handle) return err::bad_fd;
    if (std::find(a.handles.begin(), a.handles.end(), handle) != a.handles.end()) return 0;
    a.handles.reserve(a.handles.size() + 1);  // the only step that can fail, first
    if (int rc = platform::check_handle(handle, true)) return rc;
    a.handles.push_back(handle);
    return 0;
}

int attr_set_job(spx_attr &a, unsigned flags) {
    if (!platform::supports(platform::Feature::Job)) return err::unsupported;
    if (flags & ~SPX_JOB_KILL_ON_CLOSE) return err::invalid;
    a.job = flags;
    return 0;
}

}  // namespace spx
