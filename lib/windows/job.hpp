// The job object of spx_attr_set_job(): created before the child, which
// CreateProcessW places in it (PROC_THREAD_ATTRIBUTE_JOB_LIST) before its
// first instruction, so neither it nor its children can run outside it.
#pragma once

#include "windows/win.hpp"

namespace spx::win {

// A new anonymous job with the SPX_JOB_* flags; a Win32 code on failure.
int create_job(unsigned flags, UniqueHandle &out);

}  // namespace spx::win
