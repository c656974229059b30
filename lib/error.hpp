// Stage names and the spx_error message format.
#pragma once

#include "spawn.hpp"

namespace spx {

const char *stage_name(int stage);
// Fills err (which may be NULL) from a failure: "stage: reason[: detail]".
void fill_error(spx_error *err, const Failure &f) noexcept;

}  // namespace spx
