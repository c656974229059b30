// The attribute setters behind the C API (see spx.h for their contracts).
// Each returns 0 or an errno value and changes nothing when it fails.
#pragma once

#include <cstddef>
#include <cstdint>
#include <optional>

#include "attr.hpp"

namespace spx {

int attr_set_cwd(spx_attr &a, const char *dir);
int attr_set_fd(spx_attr &a, int child_fd, int parent_fd);
int attr_set_search_path(spx_attr &a, int on);
int attr_set_sigmask(spx_attr &a, const int *signals, size_t n);
int attr_set_sigdefault(spx_attr &a, const int *signals, size_t n);
int attr_set_id(std::optional<uint32_t> &field, uint32_t id);
int attr_set_groups(spx_attr &a, const uint32_t *groups, size_t n);
int attr_set_keep_groups(spx_attr &a, int on);
int attr_set_ambient(spx_attr &a, const int *caps, size_t n);
int attr_set_inheritable(spx_attr &a, const int *caps, size_t n);
int attr_set_bounding(spx_attr &a, const int *keep, size_t n);
int attr_set_no_new_privs(spx_attr &a, int on);
int attr_set_chroot(spx_attr &a, const char *dir);
int attr_set_rlimit(spx_attr &a, int resource, uint64_t soft, uint64_t hard);
int attr_set_setsid(spx_attr &a, int on);
int attr_set_pgroup(spx_attr &a, int64_t pgid);
int attr_set_child_fd(int &field, int child_fd);  // ctty, foreground
int attr_set_cgroup_fd(spx_attr &a, int dirfd);
int attr_set_pdeathsig(spx_attr &a, int sig);
int attr_set_umask(spx_attr &a, int mask);
int attr_set_securebits(spx_attr &a, unsigned bits);
int attr_set_execfd(spx_attr &a, int fd);
int attr_set_exec_dirfd(spx_attr &a, int dirfd, int at_flags);
int attr_set_landlock_fd(spx_attr &a, int ruleset_fd);
int attr_set_landlock_flags(spx_attr &a, unsigned flags);
int attr_set_seccomp_bpf(spx_attr &a, const void *insns, size_t count);
int attr_set_appcontainer(spx_attr &a, const char *name, const char *const *sids, size_t n);
int attr_set_appcontainer_flags(spx_attr &a, unsigned flags);
int attr_set_stdio_handle(spx_attr &a, int which, void *handle);
int attr_add_handle(spx_attr &a, void *handle);
int attr_set_job(spx_attr &a, unsigned flags);

}  // namespace spx
