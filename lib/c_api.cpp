// The C ABI wall. Every exported symbol lives here: it checks handles,
// forwards to the C++ core and turns any exception into an error code (errno
// on Linux, a Win32 code on Windows: lib/errcode.hpp), so no
// C++ type or exception ever reaches a caller.
#include <cstring>
#include <new>
#include <string>
#include <system_error>

#include "attr_set.hpp"
#include "errcode.hpp"
#include "error.hpp"
#include "features.hpp"
#include "spawn.hpp"
#include "winport/sid.hpp"

// The only symbols that leave the library: on Windows an explicit export
// (with any dllexport present, the linker exports nothing else); elsewhere
// default visibility in a library built with hidden visibility.
#ifdef _WIN32
#define SPX_API extern "C" __declspec(dllexport)
#else
#define SPX_API extern "C" __attribute__((visibility("default")))
#endif

namespace {

namespace err = spx::err;

template <typename F>
int guard(F &&f) noexcept {
    try {
        return f();
    } catch (const std::bad_alloc &) {
        return err::no_memory;
    } catch (const std::system_error &e) {
        return e.code().value() ? e.code().value() : err::io;
    } catch (...) {
        return err::io;
    }
}

// A setter on an attribute object: an invalid-argument error for a NULL handle.
template <typename F>
int on_attr(spx_attr *attr, F &&f) noexcept {
    if (!attr) return err::invalid;
    return guard([&] { return f(*attr); });
}

// Copies a result string into the caller's buffer; "" and too_small when it
// does not fit.
int copy_out(const std::string &s, char *buf, size_t len) {
    if (s.size() >= len) {
        if (len) buf[0] = '\0';
        return err::too_small;
    }
    std::memcpy(buf, s.c_str(), s.size() + 1);
    return 0;
}

// A SID function: the derivation, then the copy; buf holds "" on any failure.
template <typename F>
int sid_out(const char *in, char *buf, size_t len, F &&derive) noexcept {
    if (!buf) return err::invalid;
    int rc = in ? guard([&] {
        std::string sid;
        if (int e = err::from(derive(in, sid))) return e;
        return copy_out(sid, buf, len);
    })
                : err::invalid;
    if (rc && len) buf[0] = '\0';
    return rc;
}

bool known_access(unsigned access) {
    return access && !(access & ~(SPX_ACCESS_READ | SPX_ACCESS_WRITE | SPX_ACCESS_EXECUTE));
}

}  // namespace

SPX_API const char *spx_version(void) { return "0.1.0"; }
SPX_API const char *spx_stage_name(int stage) { return spx::stage_name(stage); }

SPX_API spx_attr *spx_attr_new(void) { return new (std::nothrow) spx_attr(); }
SPX_API void spx_attr_free(spx_attr *attr) { delete attr; }

SPX_API int spx_attr_set_cwd(spx_attr *attr, const char *dir) {
    return on_attr(attr, [&](spx_attr &a) { return spx::attr_set_cwd(a, dir); });
}
SPX_API int spx_attr_set_fd(spx_attr *attr, int child_fd, int parent_fd) {
    return on_attr(attr, [&](spx_attr &a) { return spx::attr_set_fd(a, child_fd, parent_fd); });
}
SPX_API int spx_attr_set_search_path(spx_attr *attr, int on) {
    return on_attr(attr, [&](spx_attr &a) { return spx::attr_set_search_path(a, on); });
}
SPX_API int spx_attr_set_sigmask(spx_attr *attr, const int *signals, size_t n) {
    return on_attr(attr, [&](spx_attr &a) { return spx::attr_set_sigmask(a, signals, n); });
}
SPX_API int spx_attr_set_sigdefault(spx_attr *attr, const int *signals, size_t n) {
    return on_attr(attr, [&](spx_attr &a) { return spx::attr_set_sigdefault(a, signals, n); });
}

SPX_API int spx_attr_set_uid(spx_attr *attr, uint32_t uid) {
    return on_attr(attr, [&](spx_attr &a) { return spx::attr_set_id(a.uid, uid); });
}
SPX_API int spx_attr_set_gid(spx_attr *attr, uint32_t gid) {
    return on_attr(attr, [&](spx_attr &a) { return spx::attr_set_id(a.gid, gid); });
}
SPX_API int spx_attr_set_groups(spx_attr *attr, const uint32_t *groups, size_t n) {
    return on_attr(attr, [&](spx_attr &a) { return spx::attr_set_groups(a, groups, n); });
}
SPX_API int spx_attr_set_keep_groups(spx_attr *attr, int on) {
    return on_attr(attr, [&](spx_attr &a) { return spx::attr_set_keep_groups(a, on); });
}
SPX_API int spx_attr_set_ambient(spx_attr *attr, const int *caps, size_t n) {
    return on_attr(attr, [&](spx_attr &a) { return spx::attr_set_ambient(a, caps, n); });
}
SPX_API int spx_attr_set_inheritable(spx_attr *attr, const int *caps, size_t n) {
    return on_attr(attr, [&](spx_attr &a) { return spx::attr_set_inheritable(a, caps, n); });
}
SPX_API int spx_attr_set_bounding(spx_attr *attr, const int *keep, size_t n) {
    return on_attr(attr, [&](spx_attr &a) { return spx::attr_set_bounding(a, keep, n); });
}
SPX_API int spx_attr_set_no_new_privs(spx_attr *attr, int on) {
    return on_attr(attr, [&](spx_attr &a) { return spx::attr_set_no_new_privs(a, on); });
}
SPX_API int spx_attr_set_chroot(spx_attr *attr, const char *dir) {
    return on_attr(attr, [&](spx_attr &a) { return spx::attr_set_chroot(a, dir); });
}
SPX_API int spx_attr_set_rlimit(spx_attr *attr, int resource, uint64_t soft, uint64_t hard) {
    return on_attr(attr, [&](spx_attr &a) { return spx::attr_set_rlimit(a, resource, soft, hard); });
}
SPX_API int spx_rlimit_from_name(const char *name) { return name ? spx::rlimit_from_name(name) : -1; }
SPX_API int spx_attr_set_setsid(spx_attr *attr, int on) {
    return on_attr(attr, [&](spx_attr &a) { return spx::attr_set_setsid(a, on); });
}
SPX_API int spx_attr_set_pgroup(spx_attr *attr, int64_t pgid) {
    return on_attr(attr, [&](spx_attr &a) { return spx::attr_set_pgroup(a, pgid); });
}
SPX_API int spx_attr_set_ctty(spx_attr *attr, int child_fd) {
    return on_attr(attr, [&](spx_attr &a) { return spx::attr_set_child_fd(a.ctty, child_fd); });
}
SPX_API int spx_attr_set_foreground(spx_attr *attr, int child_fd) {
    return on_attr(attr, [&](spx_attr &a) { return spx::attr_set_child_fd(a.foreground, child_fd); });
}
SPX_API int spx_attr_set_cgroup_fd(spx_attr *attr, int cgroup_dirfd) {
    return on_attr(attr, [&](spx_attr &a) { return spx::attr_set_cgroup_fd(a, cgroup_dirfd); });
}
SPX_API int spx_attr_set_pdeathsig(spx_attr *attr, int sig) {
    return on_attr(attr, [&](spx_attr &a) { return spx::attr_set_pdeathsig(a, sig); });
}
SPX_API int spx_attr_set_umask(spx_attr *attr, int mask) {
    return on_attr(attr, [&](spx_attr &a) { return spx::attr_set_umask(a, mask); });
}
SPX_API int spx_attr_set_securebits(spx_attr *attr, unsigned bits) {
    return on_attr(attr, [&](spx_attr &a) { return spx::attr_set_securebits(a, bits); });
}

SPX_API int spx_cap_from_name(const char *name) { return name ? spx::cap_from_name(name) : -1; }
SPX_API const char *spx_cap_name(int cap) { return spx::cap_name(cap); }

SPX_API int spx_attr_set_execfd(spx_attr *attr, int fd) {
    return on_attr(attr, [&](spx_attr &a) { return spx::attr_set_execfd(a, fd); });
}
SPX_API int spx_attr_set_exec_dirfd(spx_attr *attr, int dirfd, int at_flags) {
    return on_attr(attr, [&](spx_attr &a) { return spx::attr_set_exec_dirfd(a, dirfd, at_flags); });
}

SPX_API int spx_attr_set_landlock_fd(spx_attr *attr, int ruleset_fd) {
    return on_attr(attr, [&](spx_attr &a) { return spx::attr_set_landlock_fd(a, ruleset_fd); });
}
SPX_API int spx_attr_set_landlock_flags(spx_attr *attr, unsigned flags) {
    return on_attr(attr, [&](spx_attr &a) { return spx::attr_set_landlock_flags(a, flags); });
}
SPX_API int spx_landlock_abi(void) { return spx::landlock_abi(); }
SPX_API int spx_landlock_errata(void) { return spx::landlock_errata(); }
SPX_API uint64_t spx_landlock_fs_rights(int abi) { return spx::landlock_rights(spx::LandlockFamily::Fs, abi); }
SPX_API uint64_t spx_landlock_net_rights(int abi) { return spx::landlock_rights(spx::LandlockFamily::Net, abi); }
SPX_API uint64_t spx_landlock_scopes(int abi) { return spx::landlock_rights(spx::LandlockFamily::Scope, abi); }
SPX_API int spx_landlock_new(spx_landlock **out, int abi, unsigned flags) {
    if (!out) return err::invalid;
    return guard([&] { return spx::landlock_new(out, abi, flags); });
}
SPX_API int spx_landlock_allow_path(spx_landlock *rs, const char *path, uint64_t access) {
    if (!rs || !path) return err::invalid;
    return guard([&] { return spx::landlock_allow_path(*rs, path, access, 0); });
}
SPX_API int spx_landlock_allow_path_flags(spx_landlock *rs, const char *path, uint64_t access, unsigned rule_flags) {
    if (!rs || !path) return err::invalid;
    return guard([&] { return spx::landlock_allow_path(*rs, path, access, rule_flags); });
}
SPX_API int spx_landlock_allow_port(spx_landlock *rs, uint64_t port, uint64_t access) {
    if (!rs) return err::invalid;
    return guard([&] { return spx::landlock_allow_port(*rs, port, access, 0); });
}
SPX_API int spx_landlock_allow_port_flags(spx_landlock *rs, uint64_t port, uint64_t access, unsigned rule_flags) {
    if (!rs) return err::invalid;
    return guard([&] { return spx::landlock_allow_port(*rs, port, access, rule_flags); });
}
SPX_API int spx_landlock_set_quiet(spx_landlock *rs, uint64_t fs_access, uint64_t net_access, uint64_t scopes) {
    if (!rs) return err::invalid;
    return guard([&] { return spx::landlock_set_quiet(*rs, fs_access, net_access, scopes); });
}
SPX_API int spx_landlock_set_scope(spx_landlock *rs, uint64_t scopes) {
    if (!rs) return err::invalid;
    return guard([&] { return spx::landlock_set_scope(*rs, scopes); });
}
SPX_API int spx_landlock_set_handled(spx_landlock *rs, uint64_t fs_access, uint64_t net_access) {
    if (!rs) return err::invalid;
    return guard([&] { return spx::landlock_set_handled(*rs, fs_access, net_access); });
}
SPX_API int spx_landlock_create_fd(const spx_landlock *rs, int *fd) {
    if (!rs || !fd) return err::invalid;
    return guard([&] { return spx::landlock_create_fd(*rs, fd); });
}
SPX_API int spx_attr_set_landlock(spx_attr *attr, const spx_landlock *rs) {
    return on_attr(attr, [&](spx_attr &a) {
        if (!rs) return spx::attr_set_landlock_fd(a, -1);
        int fd = -1;
        if (int rc = spx::landlock_create_fd(*rs, &fd)) return rc;
        spx::UniqueFd ruleset(fd);  // ours to close: the attr keeps its own copy
        // fd -1: best effort, nothing to enforce here.
        if (int rc = spx::attr_set_landlock_fd(a, ruleset.get())) return rc;
        a.landlock_best_effort = spx::landlock_best_effort(*rs);
        return 0;
    });
}
SPX_API int spx_landlock_status(const spx_landlock *rs) {
    if (!rs) return -err::invalid;
    return spx::landlock_status(*rs);
}
SPX_API void spx_landlock_free(spx_landlock *rs) { spx::landlock_free(rs); }

SPX_API int spx_seccomp_new(spx_seccomp **out, uint32_t default_action) {
    if (!out) return err::invalid;
    return guard([&] { return spx::seccomp_new(out, default_action); });
}
SPX_API int spx_seccomp_add(spx_seccomp *f, const char *name, uint32_t action) {
    if (!f || !name || !*name) return err::invalid;
    return guard([&] { return spx::seccomp_add(*f, name, action); });
}
SPX_API int spx_seccomp_add_nr(spx_seccomp *f, int nr, uint32_t action) {
    if (!f || nr < 0) return err::invalid;
    return guard([&] { return spx::seccomp_add_nr(*f, nr, action); });
}
SPX_API int spx_seccomp_add_cond(spx_seccomp *f, const char *name, uint32_t action, const spx_seccomp_cond *conds,
                                 size_t n) {
    if (!f || !name || !*name || (n && !conds)) return err::invalid;
    return guard([&] { return spx::seccomp_add_cond(*f, name, action, conds, n); });
}
SPX_API int spx_seccomp_set_flags(spx_seccomp *f, unsigned flags) {
    if (!f) return err::invalid;
    return guard([&] { return spx::seccomp_set_flags(*f, flags); });
}
SPX_API int spx_seccomp_from_oci_caps(spx_seccomp **out, const char *json, size_t len, const int *caps, size_t ncaps,
                                      char *errbuf, size_t errlen) {
    if (errbuf && errlen) errbuf[0] = '\0';
    if (!out || (!json && len) || (!caps && ncaps)) return err::invalid;
    return guard([&] { return spx::seccomp_from_oci(out, json, len, caps, ncaps, errbuf, errlen); });
}
SPX_API int spx_seccomp_from_oci(spx_seccomp **out, const char *json, size_t len, char *errbuf, size_t errlen) {
    return spx_seccomp_from_oci_caps(out, json, len, nullptr, 0, errbuf, errlen);
}
SPX_API size_t spx_seccomp_ignored(const spx_seccomp *f) { return f ? spx::seccomp_ignored(*f) : 0; }
SPX_API int spx_seccomp_length(const spx_seccomp *f, size_t *count) {
    if (!f || !count) return err::invalid;
    return guard([&] { return spx::seccomp_length(*f, count); });
}
SPX_API int spx_attr_set_seccomp(spx_attr *attr, const spx_seccomp *f) {
    return on_attr(attr, [&](spx_attr &a) {
        return f ? spx::seccomp_attach(a, *f) : spx::attr_set_seccomp_bpf(a, nullptr, 0);
    });
}
SPX_API int spx_attr_set_seccomp_bpf(spx_attr *attr, const void *insns, size_t count) {
    return on_attr(attr, [&](spx_attr &a) { return spx::attr_set_seccomp_bpf(a, insns, count); });
}
SPX_API void spx_seccomp_free(spx_seccomp *f) { spx::seccomp_free(f); }

SPX_API int spx_attr_set_appcontainer(spx_attr *attr, const char *name,
                                      const char *const *capability_sids, size_t n) {
    return on_attr(attr, [&](spx_attr &a) { return spx::attr_set_appcontainer(a, name, capability_sids, n); });
}

SPX_API int spx_attr_set_appcontainer_flags(spx_attr *attr, unsigned flags) {
    return on_attr(attr, [&](spx_attr &a) { return spx::attr_set_appcontainer_flags(a, flags); });
}
SPX_API int spx_appcontainer_sid(const char *name, char *buf, size_t len) {
    return sid_out(name, buf, len, [](const char *n, std::string &sid) { return spx::winport::appcontainer_sid(n, sid); });
}
SPX_API int spx_capability_sid(const char *capability, char *buf, size_t len) {
    return sid_out(capability, buf, len,
                   [](const char *c, std::string &sid) { return spx::winport::capability_sid(c, sid); });
}
SPX_API int spx_appcontainer_delete(const char *name) {
    if (!name || !spx::winport::valid_container_name(name)) return err::invalid;
    return guard([&] { return spx::appcontainer_delete(name); });
}
SPX_API int spx_appcontainer_grant(const char *name, const char *path, unsigned access) {
    if (!name || !spx::winport::valid_container_name(name) || !path || !*path || !known_access(access))
        return err::invalid;
    return guard([&] { return spx::appcontainer_grant(name, path, access); });
}
SPX_API int spx_appcontainer_revoke(const char *name, const char *path) {
    if (!name || !spx::winport::valid_container_name(name) || !path || !*path) return err::invalid;
    return guard([&] { return spx::appcontainer_revoke(name, path); });
}

SPX_API int spx_attr_set_stdio_handle(spx_attr *attr, int which, void *handle) {
    return on_attr(attr, [&](spx_attr &a) { return spx::attr_set_stdio_handle(a, which, handle); });
}
SPX_API int spx_attr_add_handle(spx_attr *attr, void *handle) {
    return on_attr(attr, [&](spx_attr &a) { return spx::attr_add_handle(a, handle); });
}
SPX_API int spx_attr_set_job(spx_attr *attr, unsigned flags) {
    return on_attr(attr, [&](spx_attr &a) { return spx::attr_set_job(a, flags); });
}

SPX_API int spx_spawn(spx_process **out, const spx_attr *attr, const char *path,
                      const char *const argv[], const char *const envp[], spx_error *err) {
    spx::Failure failure;
    int rc;
    if (!out) {
        rc = failure.set(err::invalid, SPX_STAGE_PREPARE, "no place for the process handle");
    } else {
        *out = nullptr;
        rc = guard([&] {
            spx_attr defaults;  // all empty: constructing it allocates nothing
            return spx::spawn(out, attr ? *attr : defaults, path, argv, envp, failure);
        });
        if (rc && !failure.code) failure.set(rc, SPX_STAGE_PREPARE);
    }
    spx::fill_error(err, failure);
    return rc;
}

SPX_API int64_t spx_process_pid(const spx_process *p) { return p ? spx::process_pid(*p) : -1; }
SPX_API int spx_process_pidfd(const spx_process *p) { return p ? spx::process_pidfd(*p) : -1; }
SPX_API void *spx_process_handle(const spx_process *p) { return p ? spx::process_handle(*p) : nullptr; }
SPX_API int spx_process_wait(spx_process *p, int *exit_code, int *term_signal) {
    if (!p) return err::invalid;
    return guard([&] { return spx::process_wait(*p, -1, exit_code, term_signal); });
}
SPX_API int spx_process_wait_timeout(spx_process *p, int timeout_ms, int *exit_code, int *term_signal) {
    if (!p) return err::invalid;
    return guard([&] { return spx::process_wait(*p, timeout_ms < 0 ? -1 : timeout_ms, exit_code, term_signal); });
}
SPX_API int spx_process_kill(spx_process *p, int sig) {
    if (!p) return err::invalid;
    return guard([&] { return spx::process_kill(*p, sig); });
}
SPX_API int spx_process_core_dumped(spx_process *p) { return p ? spx::process_core_dumped(*p) : 0; }
SPX_API void spx_process_free(spx_process *p) { spx::process_free(p); }
