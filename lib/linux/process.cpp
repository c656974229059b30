// Waiting for and signalling a child: through its pidfd when there is one,
// so a recycled pid can never be hit.
#include "linux/process.hpp"

#include <poll.h>
#include <signal.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include <cerrno>
#include <cstdint>
#include <mutex>

#include "spawn.hpp"

namespace spx {

namespace os {

namespace {

int64_t now_ms() {
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return int64_t{ts.tv_sec} * 1000 + ts.tv_nsec / 1000000;
}

int waitid_child(const spx_process &p, siginfo_t *si, int options) {
    int rc;
    do {
        rc = p.pidfd >= 0 ? waitid(static_cast<idtype_t>(P_PIDFD), static_cast<id_t>(p.pidfd), si, options)
                          : waitid(P_PID, static_cast<id_t>(p.pid), si, options);
    } while (rc < 0 && errno == EINTR);
    return rc < 0 ? errno : 0;
}

// Waits (or with WNOHANG, looks) for the child to end without reaping it,
// then reaps it under the handle's lock: a concurrent kill either runs
// before the reap or sees p.reaped. *done is false while it runs.
int wait_once(spx_process &p, int options, bool *done) {
    siginfo_t si{};
    *done = p.reaped;
    if (*done) return 0;
    if (int rc = waitid_child(p, &si, WEXITED | WNOWAIT | options)) {
        *done = p.reaped;  // ECHILD: a concurrent waiter reaped it meanwhile
        return *done ? 0 : rc;
    }
    if (si.si_pid == 0) return 0;  // WNOHANG: still running
    std::lock_guard<std::mutex> guard(p.lock);
    *done = true;
    if (p.reaped) return 0;  // another waiter got there first
    si = siginfo_t{};
    if (int rc = waitid_child(p, &si, WEXITED)) return rc;
    p.exit_code = si.si_code == CLD_EXITED ? si.si_status : -1;
    p.term_signal = si.si_code == CLD_EXITED ? 0 : si.si_status;
    p.core_dumped = si.si_code == CLD_DUMPED;
    p.reaped = true;
    return 0;
}

}  // namespace

int reap(spx_process &p) {
    bool done = false;
    return wait_once(p, 0, &done);
}

}  // namespace os

int64_t process_pid(const spx_process &p) { return p.pid; }
int process_core_dumped(spx_process &p) {
    std::lock_guard<std::mutex> guard(p.lock);
    return p.reaped && p.core_dumped;
}
int process_pidfd(const spx_process &p) { return p.pidfd; }

int process_wait(spx_process &p, int timeout_ms, int *exit_code, int *term_signal) {
    if (timeout_ms < 0) {
        if (int rc = os::reap(p)) return rc;
    } else {
        int64_t deadline = os::now_ms() + timeout_ms;
        bool done = false;
        for (;;) {
            if (int rc = os::wait_once(p, WNOHANG, &done)) return rc;
            if (done) break;
            int64_t left = deadline - os::now_ms();
            if (left <= 0) return ETIMEDOUT;
            if (p.pidfd >= 0) {
                struct pollfd pfd = {p.pidfd, POLLIN, 0};
                poll(&pfd, 1, static_cast<int>(left));  // readable once it has exited
            } else {
                usleep(static_cast<useconds_t>(left < 5 ? left * 1000 : 5000));
            }
        }
    }
    if (exit_code) *exit_code = p.exit_code;
    if (term_signal) *term_signal = p.term_signal;
    return 0;
}

int process_kill(spx_process &p, int sig) {
    if (sig < 0 || sig > 64) return EINVAL;
    std::lock_guard<std::mutex> guard(p.lock);
    if (p.reaped) return ESRCH;
    int rc = p.pidfd >= 0 ? static_cast<int>(syscall(SYS_pidfd_send_signal, p.pidfd, sig, nullptr, 0))
                          : kill(p.pid, sig);
    return rc < 0 ? errno : 0;
}

void process_free(spx_process *p) noexcept {
    if (!p) return;
    if (p->pidfd >= 0) close(p->pidfd);
    delete p;
}

}  // namespace spx
