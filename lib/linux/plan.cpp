// Building the plan (parent side): path lookup, identity and capability
// masks, the descriptor moves. Every allocation of a spawn happens here.
#include "linux/plan.hpp"

#include <fcntl.h>
#include <sys/prctl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <climits>
#include <cstdio>
#include <cstring>

#include "features.hpp"
#include "linux/caps.hpp"
#include "platform.hpp"

extern char **environ;

namespace spx::os {

namespace {

constexpr int kCapSetpcap = 8;
constexpr int kCapSysAdmin = 21;

// Could the child, with the identity it will have, execute this file? Like
// the kernel's check of the mode bits (ACLs and the directories' search
// bits aside): a PATH search must not pick a program only the caller can run.
bool child_can_execute(const spx_attr &attr, const std::string &p) {
    struct stat st;
    if (stat(p.c_str(), &st) != 0 || !S_ISREG(st.st_mode)) return false;
    if (!attr.uid && !attr.gid) return access(p.c_str(), X_OK) == 0;
    uid_t uid = attr.uid ? *attr.uid : geteuid();
    gid_t gid = attr.gid ? *attr.gid : getegid();
    if (uid == 0) return st.st_mode & (S_IXUSR | S_IXGRP | S_IXOTH);
    if (st.st_uid == uid) return st.st_mode & S_IXUSR;
    bool in_group = st.st_gid == gid;
    if (attr.groups) {
        in_group |= std::find(attr.groups->begin(), attr.groups->end(), st.st_gid) != attr.groups->end();
    } else if (attr.keep_groups) {
        std::vector<gid_t> mine(static_cast<size_t>(std::max(getgroups(0, nullptr), 0)));
        int n = getgroups(static_cast<int>(mine.size()), mine.data());
        in_group |= n > 0 && std::find(mine.begin(), mine.begin() + n, st.st_gid) != mine.begin() + n;
    }
    return st.st_mode & (in_group ? S_IXGRP : S_IXOTH);
}

std::string first_cap_name(uint64_t set) {
    for (int c = 0; c < 64; c++)
        if (set & cap_bit(c)) {
            const char *n = cap_name(c);
            return n ? n : "cap_" + std::to_string(c);
        }
    return {};
}

// Does the child get ids other than the caller's own (real, effective and
// saved alike)?
bool changes_identity(const spx_attr &attr) {
    uid_t ruid, euid, suid;
    gid_t rgid, egid, sgid;
    getresuid(&ruid, &euid, &suid);
    getresgid(&rgid, &egid, &sgid);
    auto differs = [](uint32_t want, uint32_t r, uint32_t e, uint32_t s) { return want != r || want != e || want != s; };
    return (attr.uid && differs(*attr.uid, ruid, euid, suid)) || (attr.gid && differs(*attr.gid, rgid, egid, sgid));
}

}  // namespace

int PlanStorage::build(const spx_attr &attr, const char *path, const char *const argv[],
                       const char *const envp[], Failure &failure) {
    if (int rc = resolve_path(attr, path, failure)) return rc;
    if (argv) {
        // argc 0: the kernel refuses it (5.18+) or invents an argv[0], and
        // programs that trust argv[0] misbehave: refuse it here.
        if (!argv[0]) return failure.set(EINVAL, SPX_STAGE_PREPARE, "argv is empty: it needs at least argv[0]");
        plan.argv = const_cast<char *const *>(argv);
    } else {
        if (!path) return failure.set(EINVAL, SPX_STAGE_PREPARE, "argv is needed when path is NULL");
        default_argv_ = {path, nullptr};
        plan.argv = const_cast<char *const *>(default_argv_.data());
    }
    plan.envp = const_cast<char *const *>(envp ? envp : environ);

    // Landlock and seccomp refuse to load without no_new_privs unless the
    // task holds CAP_SYS_ADMIN: set it for the caller when the child will
    // not have that capability at those stages.
    if (int rc = plan_landlock_flags(attr, failure)) return rc;
    bool sandboxed = attr.landlock || plan.landlock_flags || !attr.seccomp.empty();
    if (int rc = plan_identity(attr, sandboxed, failure)) return rc;
    plan.no_new_privs = attr.no_new_privs || (sandboxed && !(plan.cap_effective & cap_bit(kCapSysAdmin)));
    if (int rc = plan_process(attr, failure)) return rc;
    plan.sigdefault = attr.sigdefault;
    plan.cwd = attr.cwd ? attr.cwd->c_str() : nullptr;
    plan_fds(attr);

    if (!attr.seccomp.empty()) {
        seccomp_.len = static_cast<unsigned short>(attr.seccomp.size());
        seccomp_.filter = reinterpret_cast<sock_filter *>(const_cast<BpfInsn *>(attr.seccomp.data()));
        plan.seccomp = &seccomp_;
        plan.seccomp_flags = attr.seccomp_flags;
    }
    return 0;
}

// The landlock_restrict_self() flags. The logging flags describe the new
// domain, so without a ruleset only LOG_SUBDOMAINS_OFF means anything (and
// only it is accepted with no ruleset). All three came with ABI 7: an older
// kernel would answer EINVAL from the child, so say ENOTSUP here, or drop
// them for a best-effort ruleset.
int PlanStorage::plan_landlock_flags(const spx_attr &attr, Failure &failure) {
    unsigned flags = attr.landlock_flags;
    if (!attr.landlock) flags &= SPX_LANDLOCK_LOG_SUBDOMAINS_OFF;
    if (flags && landlock_abi() < 7) {
        if (!attr.landlock_best_effort)
            return failure.set(ENOTSUP, SPX_STAGE_LANDLOCK, "the kernel lacks the Landlock logging flags (ABI 7)");
        flags = 0;
    }
    plan.landlock_flags = flags;
    return 0;
}

int PlanStorage::resolve_path(const spx_attr &attr, const char *path, Failure &failure) {
    if (attr.execfd) {
        plan.path = path;  // only names argv[0]'s default
        return 0;
    }
    if (!path || !*path) return failure.set(EINVAL, SPX_STAGE_PREPARE, "no program path");
    if (attr.exec_dirfd) {
        plan.exec_dirfd = attr.exec_dirfd.get();  // renumbered in plan_fds
        plan.exec_at_flags = attr.exec_at_flags;
        plan.path = path;
        return 0;
    }
    plan.path = path;
    if (!attr.search_path || std::strchr(path, '/')) return 0;

    // Like execvp, but in the parent, for the child's identity, and inside
    // the chroot when there is one.
    const char *env = getenv("PATH");
    std::string dirs = env ? env : "/usr/local/bin:/usr/bin:/bin";
    std::string root = attr.chroot ? *attr.chroot : "";
    bool denied = false;
    for (size_t start = 0; start <= dirs.size();) {
        size_t end = dirs.find(':', start);
        if (end == std::string::npos) end = dirs.size();
        std::string dir = dirs.substr(start, end - start);
        start = end + 1;
        std::string candidate = (dir.empty() ? "." : dir) + "/" + path;
        std::string full = root.empty() ? candidate : root + "/" + candidate;
        if (child_can_execute(attr, full)) {
            resolved_path_ = std::move(candidate);
            plan.path = resolved_path_.c_str();
            return 0;
        }
        denied |= access(full.c_str(), F_OK) == 0;
    }
    return failure.set(denied ? EACCES : ENOENT, SPX_STAGE_PREPARE,
                       std::string(path) + " (searched PATH)");
}

int PlanStorage::plan_identity(const spx_attr &attr, bool sandboxed, Failure &failure) {
    plan.chroot = attr.chroot ? attr.chroot->c_str() : nullptr;
    // Keeping the caller's gid (often 0) after a uid change is never what
    // a privilege drop means: make the caller say which group.
    if (attr.uid && !attr.gid)
        return failure.set(EINVAL, SPX_STAGE_PREPARE, "a uid needs a gid: set one with spx_attr_set_gid()");
    plan.set_gid = attr.gid.has_value();
    plan.gid = attr.gid.value_or(0);
    plan.set_uid = attr.uid.has_value();
    plan.uid = attr.uid.value_or(0);

    // A new identity inherits nothing unasked: not the caller's
    // supplementary groups, and not its ambient or inheritable sets, which
    // setresuid keeps for a caller that is not root (a service with
    // AmbientCapabilities=) and exec would turn into the child's caps.
    bool new_identity = changes_identity(attr);
    if (attr.groups) {
        plan.set_groups = true;
        plan.groups = attr.groups->data();
        plan.ngroups = attr.groups->size();
    } else if (new_identity && !attr.keep_groups) {
        plan.set_groups = true;  // none
    }
    plan.clear_inheritable = new_identity && !attr.ambient && !attr.inheritable;

    // The child starts with the calling thread's capability sets; they
    // matter when it keeps its uid and either sets capabilities or loads a
    // sandbox (which needs CAP_SYS_ADMIN or no_new_privs).
    bool drops_root = plan.set_uid && plan.uid != 0;
    bool secure = attr.securebits.has_value();
    CapSets now{};
    if (secure || (!drops_root && (attr.ambient || attr.inheritable || sandboxed))) {
        if (int rc = read_caps(&now)) return failure.set(rc, SPX_STAGE_PREPARE, "capget");
        plan.cap_effective = now.effective;
        plan.cap_permitted = now.permitted;
    }

    uint64_t ambient = attr.ambient.value_or(0);
    uint64_t inheritable = attr.inheritable.value_or(0) | ambient;
    if (attr.bounding) {
        plan.drop_bounding = true;
        plan.bounding_keep = *attr.bounding;
        plan.cap_last = platform::cap_last();
        // capset refuses an inheritable cap outside the bounding set; say which.
        if (uint64_t outside = inheritable & ~*attr.bounding)
            return failure.set(EINVAL, SPX_STAGE_PREPARE,
                               first_cap_name(outside) + " is not in the bounding set");
    }
    if (attr.ambient || attr.inheritable) {
        // Nor can any task gain a cap its own bounding set lacks (a
        // container's, say): say so now rather than fail in the child.
        for (int cap = 0; cap < 64; cap++)
            if ((inheritable & cap_bit(cap)) && prctl(PR_CAPBSET_READ, cap, 0, 0, 0) != 1)
                return failure.set(EPERM, SPX_STAGE_PREPARE,
                                   first_cap_name(cap_bit(cap)) + " is not in this process's bounding set");
        plan.set_caps = true;
        plan.cap_inheritable = inheritable;
        if (drops_root) {
            // setuid() to a non-zero uid would clear the permitted set:
            // keep it across the change, then narrow it to the ambient set.
            plan.keep_caps = true;
            plan.cap_permitted = plan.cap_effective = ambient;
        }
    }
    plan.set_ambient = attr.ambient.has_value() || new_identity;
    plan.ambient = ambient;
    return plan_securebits(attr, drops_root, inheritable, now.permitted, failure);
}

// The securebits stage runs after the ambient raise and needs CAP_SETPCAP.
// A child that drops root loses it at setuid: keep it across the change
// (as the ambient set is kept) and drop it once the bits are set.
int PlanStorage::plan_securebits(const spx_attr &attr, bool drops_root, uint64_t inheritable, uint64_t permitted,
                                 Failure &failure) {
    if (!attr.securebits) return 0;
    if (!(permitted & cap_bit(kCapSetpcap)))
        return failure.set(EPERM, SPX_STAGE_PREPARE, "securebits need cap_setpcap, which this process lacks");
    plan.set_securebits = true;
    plan.securebits = *attr.securebits;
    if (!drops_root) return 0;  // root keeps CAP_SETPCAP through the stages
    uint64_t final_caps = attr.ambient.value_or(0);
    plan.keep_caps = true;
    plan.set_caps = true;
    plan.cap_inheritable = inheritable;
    plan.cap_permitted = plan.cap_effective = final_caps | cap_bit(kCapSetpcap);
    plan.drop_after_securebits = !(final_caps & cap_bit(kCapSetpcap));
    plan.cap_final = final_caps;
    return 0;
}

// Limits, session, parent death, umask, cgroup.
int PlanStorage::plan_process(const spx_attr &attr, Failure &failure) {
    plan.rlimits = attr.rlimits.data();
    plan.n_rlimits = attr.rlimits.size();
    plan.setsid = attr.setsid;
    plan.pgid = static_cast<int>(attr.pgroup);
    if (attr.setsid && attr.pgroup > 0)
        return failure.set(EINVAL, SPX_STAGE_PREPARE, "a new session cannot join another process group");
    if (attr.ctty >= 0 && !attr.setsid)
        return failure.set(EINVAL, SPX_STAGE_PREPARE, "a controlling terminal needs a new session (setsid)");
    plan.ctty = attr.ctty;
    plan.foreground = attr.foreground;
    plan.pdeathsig = attr.pdeathsig;
    plan.parent_pid = getpid();
    plan.umask = attr.umask;
    plan.cgroup_fd = attr.cgroup.get();
    return 0;
}

void PlanStorage::plan_fds(const spx_attr &attr) {
    // Targets: the child's descriptor numbers the caller asked for. Any
    // descriptor we still need (a mapping's source, the exec or Landlock
    // descriptor) that sits on a target is first moved above every number
    // in play, so no dup3 can clobber it. Every number is below fs.nr_open
    // (checked by spx_attr_set_fd), so these stay far from INT_MAX.
    std::vector<int> targets;
    int highest = std::max({attr.execfd.get(), attr.exec_dirfd.get(), attr.landlock.get(), 2});
    for (const FdMapping &m : attr.fds) {
        targets.push_back(m.child);  // attr.fds is sorted by child
        highest = std::max({highest, m.child, m.parent.get()});
    }
    unsigned next = static_cast<unsigned>(highest) + 1;
    auto is_target = [&](int fd) { return std::binary_search(targets.begin(), targets.end(), fd); };
    auto relocate = [&](int fd) {
        if (fd < 0 || !is_target(fd)) return fd;
        fd_ops_.push_back({FdOp::Move, fd, next});
        return static_cast<int>(next++);
    };

    plan.landlock_fd = relocate(attr.landlock.get());
    plan.exec_fd = relocate(attr.execfd.get());
    plan.exec_dirfd = relocate(plan.exec_dirfd);

    std::vector<int> sources;
    for (const FdMapping &m : attr.fds) {
        int src = m.parent.get();
        sources.push_back(src == m.child ? src : relocate(src));
    }
    std::vector<int> kept = {0, 1, 2};
    for (size_t i = 0; i < attr.fds.size(); i++) {
        int child = attr.fds[i].child;
        if (sources[i] < 0) {
            fd_ops_.push_back({FdOp::Close, child, 0});
            kept.erase(std::remove(kept.begin(), kept.end(), child), kept.end());
        } else {
            fd_ops_.push_back(sources[i] == child ? FdOp{FdOp::KeepOpen, child, 0}
                                                  : FdOp{FdOp::Install, sources[i], static_cast<unsigned>(child)});
            kept.push_back(child);
        }
    }
    // A "#!" script is reopened by its interpreter as /dev/fd/N: keep it.
    if (plan.exec_fd >= 0) {
        std::snprintf(plan.proc_fd_path, sizeof plan.proc_fd_path, "/proc/self/fd/%d", plan.exec_fd);
        if (attr.execfd_is_script) {
            fd_ops_.push_back({FdOp::KeepOpen, plan.exec_fd, 0});
            kept.push_back(plan.exec_fd);
        }
    }
    // Everything else closes at exec, including descriptors the caller
    // opened without O_CLOEXEC: mark the gaps between kept numbers.
    std::sort(kept.begin(), kept.end());
    kept.erase(std::unique(kept.begin(), kept.end()), kept.end());
    unsigned lo = 0;
    for (int k : kept) {
        if (static_cast<unsigned>(k) > lo) fd_ops_.push_back({FdOp::CloexecRange, static_cast<int>(lo), static_cast<unsigned>(k - 1)});
        lo = static_cast<unsigned>(k) + 1;
    }
    fd_ops_.push_back({FdOp::CloexecRange, static_cast<int>(lo), UINT_MAX});
    plan.fd_ops = fd_ops_.data();
    plan.n_fd_ops = fd_ops_.size();
}

}  // namespace spx::os
