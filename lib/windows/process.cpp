// Waiting for and ending a child on Windows. The process handle keeps the
// process object (and so its exit code and id) alive until spx_process_free,
// so nothing here can reach another process that reused the id.
#include "windows/process.hpp"

#include "spawn.hpp"

namespace spx {

namespace {

constexpr int kSigKill = 9;   // what spx_process_kill accepts: the POSIX
constexpr int kSigTerm = 15;  // numbers, since mingw's <signal.h> lacks SIGKILL
constexpr UINT kKilledExitCode = 1;  // as Go's os.Process.Kill

bool has_ended(HANDLE h) { return WaitForSingleObject(h, 0) == WAIT_OBJECT_0; }

}  // namespace

int64_t process_pid(const spx_process &p) { return p.pid; }
int process_pidfd(const spx_process &) { return -1; }
void *process_handle(const spx_process &p) { return p.process.get(); }

int process_wait(spx_process &p, int timeout_ms, int *exit_code, int *term_signal) {
    DWORD wait = WaitForSingleObject(p.process.get(), timeout_ms < 0 ? INFINITE : static_cast<DWORD>(timeout_ms));
    if (wait == WAIT_TIMEOUT) return WAIT_TIMEOUT;
    if (wait != WAIT_OBJECT_0) return win::last_error();
    DWORD code;
    if (!GetExitCodeProcess(p.process.get(), &code)) return win::last_error();
    if (exit_code) *exit_code = static_cast<int>(code);  // an NTSTATUS crash reads negative
    if (term_signal) *term_signal = 0;
    return 0;
}

int process_kill(spx_process &p, int sig) {
    if (sig != kSigKill && sig != kSigTerm) return ERROR_INVALID_PARAMETER;
    BOOL ok = p.job ? TerminateJobObject(p.job.get(), kKilledExitCode)
                    : TerminateProcess(p.process.get(), kKilledExitCode);
    if (ok) return 0;
    int rc = win::last_error();
    // Terminating a process that has already ended is ERROR_ACCESS_DENIED:
    // the child is gone, which is what was asked.
    return has_ended(p.process.get()) ? 0 : rc;
}

int process_core_dumped(spx_process &) { return 0; }

void process_free(spx_process *p) noexcept { delete p; }

}  // namespace spx
