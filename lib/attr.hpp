// Portable storage of spawn attributes. Setters here validate everything
// they can without the platform and never leave the object half-changed;
// the platform layer reads these fields when it builds a spawn plan.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "spx.h"
#include "unique_fd.hpp"

namespace spx {

// One entry of spx_attr_set_fd(): parent is -1 when the child's fd is closed.
struct FdMapping {
    int child;
    UniqueFd parent;
};

// One classic-BPF instruction, layout-compatible with struct sock_filter.
struct BpfInsn {
    uint16_t code;
    uint8_t jt;
    uint8_t jf;
    uint32_t k;
};
static_assert(sizeof(BpfInsn) == 8);

// One spx_attr_set_rlimit() entry.
struct Rlimit {
    int resource;
    uint64_t soft, hard;
};

// A set of capabilities or signals, one bit each (capability n or signal n+1).
using BitSet64 = uint64_t;

}  // namespace spx

struct spx_attr {
    std::optional<std::string> cwd;
    std::vector<spx::FdMapping> fds;  // sorted by child fd, unique
    bool search_path = false;
    std::optional<spx::BitSet64> sigmask;  // bit n-1 = signal n
    spx::BitSet64 sigdefault = 0;

    // Identity (Linux).
    std::optional<uint32_t> uid;
    std::optional<uint32_t> gid;
    // Unset: cleared when uid or gid changes; keep_groups: the caller's.
    std::optional<std::vector<uint32_t>> groups;
    bool keep_groups = false;
    std::optional<spx::BitSet64> ambient;
    std::optional<spx::BitSet64> inheritable;
    std::optional<spx::BitSet64> bounding;
    bool no_new_privs = false;
    std::optional<std::string> chroot;

    // Limits, session, cgroup, parent death, umask, securebits (Linux).
    std::vector<spx::Rlimit> rlimits;  // sorted by resource, unique
    bool setsid = false;
    int64_t pgroup = -1;      // -1 inherit, 0 new group, > 0 join
    int ctty = -1;            // child fd
    int foreground = -1;      // child fd
    spx::UniqueFd cgroup;
    int pdeathsig = 0;
    int umask = -1;
    std::optional<unsigned> securebits;

    // Exec (Linux).
    spx::UniqueFd execfd;
    bool execfd_is_script = false;  // "#!": the interpreter reopens /dev/fd/N
    spx::UniqueFd exec_dirfd;
    int exec_at_flags = 0;

    // Sandboxes (Linux).
    spx::UniqueFd landlock;
    unsigned landlock_flags = 0;        // SPX_LANDLOCK_LOG_*
    bool landlock_best_effort = false;  // from a best-effort spx_landlock: drop flags the kernel lacks
    std::vector<spx::BpfInsn> seccomp;
    unsigned seccomp_flags = 0;  // SECCOMP_FILTER_FLAG_* for seccomp(2)

    // AppContainer (Windows).
    std::optional<std::string> appcontainer;
    std::vector<std::string> capability_sids;  // canonical SID strings
    unsigned appcontainer_flags = 0;           // SPX_APPCONTAINER_*

    // Handles and job (Windows). Handles are the caller's, not copies.
    std::optional<void *> stdio[3];  // unset: the caller's; nullptr: none
    std::vector<void *> handles;     // inherited as they are, unique
    std::optional<unsigned> job;     // SPX_JOB_* flags of a new job
};

namespace spx {

// Converts a list of small numbers (caps 0..last, signals 1..64) into a
// bit set; EINVAL for any number outside [lo, hi].
int to_bitset(const int *values, size_t n, int lo, int hi, BitSet64 *out);

}  // namespace spx
