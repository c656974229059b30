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

constexpr int kCapSysAdmin = 21;

bool is_executable_file(const std::string &p) {
    struct stat st;
    return stat(p.c_str(), &st) == 0 && S_ISREG(st.st_mode) && access(p.c_str(), X_OK) == 0;
}

std::string first_cap_name(uint64_t set) {
    for (int c = 0; c < 64; c++)
        if (set & cap_bit(c)) {
            const char *n = cap_name(c);
            return n ? n : "cap_" + std::to_string(c);
        }
    return {};
}

}  // namespace

int PlanStorage::build(const spx_attr &attr, const char *path, const char *const argv[],
                       const char *const envp[], int report_fd, Failure &failure) {
    if (int rc = resolve_path(attr, path, failure)) return rc;
    if (argv) {
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
    bool sandboxed = attr.landlock || !attr.seccomp.empty();
    if (int rc = plan_identity(attr, sandboxed, failure)) return rc;
    plan.no_new_privs = attr.no_new_privs || (sandboxed && !(plan.cap_effective & cap_bit(kCapSysAdmin)));
    plan.sigdefault = attr.sigdefault;
    plan.cwd = attr.cwd ? attr.cwd->c_str() : nullptr;
    plan_fds(attr, report_fd);

    if (!attr.seccomp.empty()) {
        seccomp_.len = static_cast<unsigned short>(attr.seccomp.size());
        seccomp_.filter = reinterpret_cast<sock_filter *>(const_cast<BpfInsn *>(attr.seccomp.data()));
        plan.seccomp = &seccomp_;
    }
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

    // Like execvp, but in the parent and inside the chroot when there is one.
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
        if (is_executable_file(full)) {
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
    if (attr.groups) {
        plan.set_groups = true;
        plan.groups = attr.groups->data();
        plan.ngroups = attr.groups->size();
    }
    plan.set_gid = attr.gid.has_value();
    plan.gid = attr.gid.value_or(0);
    plan.set_uid = attr.uid.has_value();
    plan.uid = attr.uid.value_or(0);

    // The child starts with the calling thread's capability sets; they
    // matter when it keeps its uid and either sets capabilities or loads a
    // sandbox (which needs CAP_SYS_ADMIN or no_new_privs).
    bool drops_root = plan.set_uid && plan.uid != 0;
    if (!drops_root && (attr.ambient || attr.inheritable || sandboxed)) {
        CapSets now;
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
    plan.set_ambient = attr.ambient.has_value();
    plan.ambient = ambient;
    return 0;
}

void PlanStorage::plan_fds(const spx_attr &attr, int report_fd) {
    // Targets: the child's descriptor numbers the caller asked for. Any
    // descriptor we still need (a mapping's source, the error pipe, the
    // exec or Landlock descriptor) that sits on a target is first moved
    // above every number in play, so no dup3 can clobber it.
    std::vector<int> targets;
    int highest = std::max({report_fd, attr.execfd.get(), attr.exec_dirfd.get(), attr.landlock.get(), 2});
    for (const FdMapping &m : attr.fds) {
        targets.push_back(m.child);  // attr.fds is sorted by child
        highest = std::max({highest, m.child, m.parent.get()});
    }
    int next = highest + 1;
    auto is_target = [&](int fd) { return std::binary_search(targets.begin(), targets.end(), fd); };
    auto relocate = [&](int fd) {
        if (fd < 0 || !is_target(fd)) return fd;
        fd_ops_.push_back({FdOp::Move, fd, static_cast<unsigned>(next)});
        return next++;
    };

    plan.report_fd = report_fd;
    plan.report_fd_after_fds = relocate(report_fd);
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
