// Capability sets as 64-bit masks (bit n = capability n).
#pragma once

#include <linux/capability.h>
#include <sys/syscall.h>

#include <cstdint>

namespace spx::os {

struct CapSets {
    uint64_t effective = 0;
    uint64_t permitted = 0;
    uint64_t inheritable = 0;
};

// The calling thread's sets (capget), which a CLONE_VM child starts with.
int read_caps(CapSets *out);

constexpr uint64_t cap_bit(int cap) { return uint64_t{1} << cap; }

}  // namespace spx::os
