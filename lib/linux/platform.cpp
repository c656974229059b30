// Descriptor helpers behind the portable attribute setters (platform.hpp).
#include "platform.hpp"

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <cstdio>
#include <cstring>
#include <type_traits>

namespace spx::platform {

bool supports(Feature f) {
    switch (f) {
    case Feature::AppContainer:
    case Feature::Handles:
    case Feature::Job: return false;
    default: return true;
    }
}

int check_handle(void *, bool) { return ENOTSUP; }

// strerror() is not thread-safe; the GNU strerror_r returns a pointer that
// may or may not be buf, the XSI one an int: accept both.
void describe_error(int code, char *buf, size_t len) noexcept {
    buf[0] = '\0';
    auto r = strerror_r(code, buf, len);
    if constexpr (std::is_same_v<decltype(r), char *>) {
        if (r != buf) std::snprintf(buf, len, "%s", r);
    }
}

void close_fd(int fd) noexcept { ::close(fd); }

int max_fds() {
    // The kernel's own default when /proc is not mounted.
    int n = 1024 * 1024;
    if (FILE *f = std::fopen("/proc/sys/fs/nr_open", "re")) {
        if (std::fscanf(f, "%d", &n) != 1) n = 1024 * 1024;
        std::fclose(f);
    }
    return n;
}

int dup_fd(int fd, UniqueFd *out) {
    int copy = fcntl(fd, F_DUPFD_CLOEXEC, 3);
    if (copy < 0) return errno;
    out->reset(copy);
    return 0;
}

int inspect_execfd(int fd, bool *is_script) {
    struct stat st;
    if (fstat(fd, &st) != 0) return errno;
    *is_script = false;
    if (!S_ISREG(st.st_mode)) return 0;  // exec will refuse it with EACCES
    // An O_PATH descriptor cannot be read: look through a fresh read-only
    // open of the same file. Unreadable files cannot be scripts anyway.
    char head[2];
    ssize_t n = pread(fd, head, sizeof head, 0);
    if (n < 0 && errno == EBADF) {
        char proc[32];
        std::snprintf(proc, sizeof proc, "/proc/self/fd/%d", fd);
        int r = open(proc, O_RDONLY | O_CLOEXEC);
        if (r < 0) return 0;
        n = pread(r, head, sizeof head, 0);
        close(r);
    }
    *is_script = n == 2 && head[0] == '#' && head[1] == '!';
    return 0;
}

int check_dirfd(int fd) {
    struct stat st;
    if (fstat(fd, &st) != 0) return errno;
    return S_ISDIR(st.st_mode) ? 0 : ENOTDIR;
}

}  // namespace spx::platform
