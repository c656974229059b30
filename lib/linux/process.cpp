// Waiting for and signalling a child: through its pidfd when there is one,
// so a recycled pid can never be hit; through its pid where the kernel or a
// seccomp profile refuses the pidfd call, which is as safe while the child
// is ours and unreaped: its pid cannot be recycled before we reap it.
#include "linux/process.hpp"

#include <poll.h>
#include <signal.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include <atomic>
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

// What the kernel, or the seccomp profile around us, turned out to refuse.
// Process-wide because the kernel's abilities are; relaxed because each flag
// only ever goes from false to true and both ways are correct at any time:
// a thread that has not seen the flag yet pays one failed system call.
std::atomic<bool> g_no_waitid_pidfd{false};  // waitid(P_PIDFD): EINVAL
std::atomic<bool> g_no_pidfd_signal{false};  // pidfd_send_signal: ENOSYS, filtered EPERM

// Whether to wait on the pidfd. CLONE_PIDFD came in 5.2 but P_PIDFD only in
// 5.4 (and poll(2) on a pidfd in 5.3): a 5.2 or 5.3 kernel hands out a pidfd
// it cannot wait on.
bool waits_on_pidfd(const spx_process &p) {
    return p.pidfd >= 0 && !g_no_waitid_pidfd.load(std::memory_order_relaxed);
}

int waitid_retrying(idtype_t type, id_t id, siginfo_t *si, int options) {
    int rc;
    do {
        rc = waitid(type, id, si, options);
    } while (rc < 0 && errno == EINTR);
    return rc < 0 ? errno : 0;
}

int waitid_child(const spx_process &p, siginfo_t *si, int options) {
    if (waits_on_pidfd(p)) {
        int rc = waitid_retrying(static_cast<idtype_t>(P_PIDFD), static_cast<id_t>(p.pidfd), si, options);
        // The options are always valid and the descriptor is a pidfd, so
        // EINVAL can only mean an idtype the kernel does not know.
        if (rc != EINVAL) return rc;
        g_no_waitid_pidfd.store(true, std::memory_order_relaxed);
    }
    return waitid_retrying(P_PID, static_cast<id_t>(p.pid), si, options);
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

// Sleeps until the child may have ended, at most left_ms. Without a pidfd to
// wait on, poll(2) may not work on it either (on 5.2 it reports the pidfd
// readable at once, a busy loop): sleep in short steps instead.
void pause_for_exit(const spx_process &p, int64_t left_ms) {
    if (waits_on_pidfd(p)) {
        struct pollfd pfd = {p.pidfd, POLLIN, 0};
        poll(&pfd, 1, static_cast<int>(left_ms));  // readable once it has exited
    } else {
        usleep(static_cast<useconds_t>(left_ms < 5 ? left_ms * 1000 : 5000));
    }
}

int signal_by_pid(const spx_process &p, int sig) { return kill(p.pid, sig) < 0 ? errno : 0; }

// The caller holds p.lock and has seen the child unreaped, so p.pid is still
// our child's and kill(2) on it is as safe as the pidfd. The fallback is for
// a missing or filtered pidfd_send_signal only: ENOSYS, or EPERM, which older
// container seccomp profiles answer for calls they do not know. A genuine
// EPERM (the child changed uid and we may not signal it) comes back from
// kill(2) too, so the answer stays right; ESRCH and EINVAL are about the
// child or the signal, which kill(2) would not change.
int send_signal(const spx_process &p, int sig) {
    if (p.pidfd < 0 || g_no_pidfd_signal.load(std::memory_order_relaxed)) return signal_by_pid(p, sig);
    int rc = syscall(SYS_pidfd_send_signal, p.pidfd, sig, nullptr, 0) < 0 ? errno : 0;
    if (rc != ENOSYS && rc != EPERM) return rc;
    int by_pid = signal_by_pid(p, sig);
    // Remember only what is proven: ENOSYS, or an EPERM that kill(2) did not
    // repeat (the same permission check, so it was a filter).
    if (rc == ENOSYS || by_pid == 0) g_no_pidfd_signal.store(true, std::memory_order_relaxed);
    return by_pid;
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
void *process_handle(const spx_process &) { return nullptr; }

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
            os::pause_for_exit(p, left);
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
    return os::send_signal(p, sig);
}

void process_free(spx_process *p) noexcept {
    if (!p) return;
    if (p->pidfd >= 0) close(p->pidfd);
    delete p;
}

}  // namespace spx
