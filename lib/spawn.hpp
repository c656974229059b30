// The platform-neutral spawn and process interface. lib/linux/ and
// lib/windows/ each implement it; c_api.cpp is its only caller.
#pragma once

#include <cstdint>
#include <string>

#include "spx.h"

namespace spx {

// Why a spawn failed: the stage (SPX_STAGE_*), the error number, and an
// optional detail (a path, a capability name) for the message.
struct Failure {
    int code = 0;
    int stage = SPX_STAGE_NONE;
    std::string detail;

    int set(int c, int s, std::string d = {}) {
        code = c;
        stage = s;
        detail = std::move(d);
        return c;
    }
};

int spawn(spx_process **out, const spx_attr &attr, const char *path, const char *const argv[],
          const char *const envp[], Failure &failure);

int64_t process_pid(const spx_process &p);
int process_pidfd(const spx_process &p);
void *process_handle(const spx_process &p);  // Windows' HANDLE, else nullptr
// timeout_ms < 0 waits forever; ETIMEDOUT when still running.
int process_wait(spx_process &p, int timeout_ms, int *exit_code, int *term_signal);
int process_kill(spx_process &p, int sig);
int process_core_dumped(spx_process &p);
void process_free(spx_process *p) noexcept;

}  // namespace spx
