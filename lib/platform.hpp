// What the portable layer (attr.cpp, c_api.cpp) asks of the platform. Each
// platform directory implements these; nothing here names an OS type.
#pragma once

#include <cstddef>

#include "unique_fd.hpp"

namespace spx::platform {

enum class Feature {
    Identity,      // uid/gid/groups/capabilities/securebits/no_new_privs/chroot
    Process,       // rlimits, session, process group, terminal, cgroup, pdeathsig, umask
    ExecFd,        // execfd, exec_dirfd
    Landlock,
    Seccomp,
    Signals,       // sigmask, sigdefault
    FdMap,         // spx_attr_set_fd
    AppContainer,
    Handles,       // stdio handles, the inherited handle list (Windows)
    Job,           // job objects (Windows)
};

bool supports(Feature f);

// Duplicates an open descriptor, close-on-exec and never onto 0..2.
// EBADF when fd is not open.
int dup_fd(int fd, UniqueFd *out);

// Checks a descriptor given to spx_attr_set_execfd and tells whether it
// holds a "#!" script (whose interpreter must reopen it by /dev/fd/N).
int inspect_execfd(int fd, bool *is_script);

// 0 when fd is an open directory, else EBADF / ENOTDIR.
int check_dirfd(int fd);

// How many descriptors a process may ever have (Linux: fs.nr_open): every
// descriptor number is below it.
int max_fds();

// The highest capability number of the running kernel, -1 if none.
int cap_last();

// Windows: 0 when h is an open handle (ERROR_INVALID_HANDLE otherwise); with
// inherit, also sets its HANDLE_FLAG_INHERIT. Not called elsewhere.
int check_handle(void *h, bool inherit);

// The platform's text for an error code (strerror_r, FormatMessageW in
// UTF-8), NUL-terminated in buf; never fails.
void describe_error(int code, char *buf, size_t len) noexcept;

}  // namespace spx::platform
