// A started child on Windows: its process handle and, with
// spx_attr_set_job(), the job it runs in.
#pragma once

#include <atomic>

#include "windows/win.hpp"

struct spx_process {
    spx::win::UniqueHandle process;
    spx::win::UniqueHandle job;  // closing it kills with SPX_JOB_KILL_ON_CLOSE
    DWORD pid = 0;
};
