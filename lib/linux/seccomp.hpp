// The filter object behind spx_seccomp, shared by the builder
// (seccomp.cpp) and the OCI profile reader (seccomp_oci.cpp).
#pragma once

#include <cstddef>
#include <cstdint>
#include <map>
#include <vector>

#include "spx.h"

namespace spx {

struct SeccompRule {
    uint32_t action;
    std::vector<spx_seccomp_cond> conds;  // all must hold; empty: always
};

}  // namespace spx

struct spx_seccomp {
    uint32_t default_action;
    unsigned flags = 0;  // SPX_SECCOMP_FLAG_*
    // Native system call number -> its rules: either one without
    // conditions or any number with (see spx_seccomp_add_cond()).
    std::map<int, std::vector<spx::SeccompRule>> rules;
    size_t ignored = 0;  // names absent on this architecture (or unknown, from a profile)
};

namespace spx {

bool seccomp_valid_action(uint32_t action);
// Adds a rule for a native number already resolved; checks the action and
// conditions; 0, EINVAL or EEXIST, and f unchanged on error.
int seccomp_rule(spx_seccomp &f, int nr, uint32_t action, const spx_seccomp_cond *conds, size_t n);

}  // namespace spx
