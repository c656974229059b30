// The spawn plan: everything the child needs, computed in the parent before
// the clone. The child only reads it and runs its stages (child.cpp).
#pragma once

#include <linux/filter.h>
#include <sys/types.h>

#include <cstddef>
#include <cstdint>
#include <string>
#include <vector>

#include "attr.hpp"
#include "spawn.hpp"

namespace spx::os {

// One step of the descriptor stage, in order.
struct FdOp {
    enum Kind : uint8_t {
        Move,           // dup3(from, to, O_CLOEXEC): out of the way of a target
        Install,        // dup3(from, to, 0): the child's mapped descriptor
        KeepOpen,       // clear FD_CLOEXEC on from (it is already in place)
        Close,          // close(from)
        CloexecRange,   // mark [from, to] close-on-exec (close_range)
    } kind;
    int from;
    unsigned to;
};

// Details of a failure the child reports with its errno (ChildArgs::hint).
constexpr int32_t kHintNoExecveatNoProc = 1;  // fell back to /proc/self/fd and /proc is missing

struct Plan {
    // The cgroup directory: clone3 creates the child there, or, where it
    // cannot, the child writes itself into its cgroup.procs first thing
    // (ChildArgs::join_cgroup).
    int cgroup_fd = -1;

    // Signals. Handlers are reset by clone3 (CLONE_CLEAR_SIGHAND)
    // or, on the fallback path, by the child itself.
    uint64_t sigdefault = 0;  // bit n-1: signal n back to SIG_DFL
    uint64_t sigmask = 0;     // the mask installed just before seccomp

    // Limits and identity, in the order the child runs them.
    const char *chroot = nullptr;  // then chdir("/"): nothing outside it stays reachable
    const Rlimit *rlimits = nullptr;
    size_t n_rlimits = 0;
    bool drop_bounding = false;
    uint64_t bounding_keep = 0;
    int cap_last = -1;
    bool keep_caps = false;
    bool set_groups = false;
    const uint32_t *groups = nullptr;
    size_t ngroups = 0;
    bool set_gid = false;
    uint32_t gid = 0;
    bool set_uid = false;
    uint32_t uid = 0;
    bool clear_inheritable = false;  // a new identity keeps no inheritable cap unasked
    bool set_caps = false;
    uint64_t cap_effective = 0, cap_permitted = 0, cap_inheritable = 0;
    bool set_ambient = false;
    uint64_t ambient = 0;
    bool set_securebits = false;
    unsigned securebits = 0;
    // CAP_SETPCAP was kept in the sets above for the securebits stage only:
    // then these are the permitted and effective sets to leave.
    bool drop_after_securebits = false;
    uint64_t cap_final = 0;
    int pdeathsig = 0;
    int parent_pid = 0;  // the parent the child must still have once pdeathsig is armed
    int umask = -1;
    const char *cwd = nullptr;

    // Descriptors.
    const FdOp *fd_ops = nullptr;
    size_t n_fd_ops = 0;

    // Session stage (descriptor numbers as after the fd stage).
    bool setsid = false;
    int pgid = -1;  // -1: keep; 0: a new group; > 0: join
    int ctty = -1;
    int foreground = -1;

    // Sandboxes (descriptor numbers as after the fd stage).
    bool no_new_privs = false;
    int landlock_fd = -1;
    unsigned landlock_flags = 0;  // landlock_restrict_self(); alone (fd -1): LOG_SUBDOMAINS_OFF
    const sock_fprog *seccomp = nullptr;
    unsigned seccomp_flags = 0;  // SECCOMP_FILTER_FLAG_*

    // Exec.
    const char *path = nullptr;
    char *const *argv = nullptr;
    char *const *envp = nullptr;
    int exec_fd = -1;     // execveat(exec_fd, "", AT_EMPTY_PATH)
    int exec_dirfd = -1;  // execveat(exec_dirfd, path, at_flags)
    int exec_at_flags = 0;
    char proc_fd_path[32] = {};  // "/proc/self/fd/N": exec_fd without execveat
};

// A plan and the storage it points into. Built in place, never moved.
class PlanStorage {
public:
    PlanStorage() = default;
    PlanStorage(const PlanStorage &) = delete;
    PlanStorage &operator=(const PlanStorage &) = delete;

    // Fills the plan from attr. On failure returns the errno with failure
    // filled (stage prepare).
    int build(const spx_attr &attr, const char *path, const char *const argv[],
              const char *const envp[], Failure &failure);

    Plan plan;

private:
    int resolve_path(const spx_attr &attr, const char *path, Failure &failure);
    int plan_landlock_flags(const spx_attr &attr, Failure &failure);
    int plan_identity(const spx_attr &attr, bool sandboxed, Failure &failure);
    int plan_securebits(const spx_attr &attr, bool drops_root, uint64_t inheritable, uint64_t permitted,
                        Failure &failure);
    int plan_process(const spx_attr &attr, Failure &failure);
    void plan_fds(const spx_attr &attr);

    std::string resolved_path_;
    std::vector<const char *> default_argv_;
    std::vector<FdOp> fd_ops_;
    sock_fprog seccomp_{};
};

}  // namespace spx::os
