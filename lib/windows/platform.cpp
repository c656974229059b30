// The platform interface (platform.hpp) on Windows: what exists here
// (AppContainer, handles, jobs) and handle checks. The descriptor-based
// features are Linux's: their setters answer ERROR_NOT_SUPPORTED before
// they reach the descriptor helpers below.
#include "platform.hpp"

#include "windows/win.hpp"

namespace spx::platform {

bool supports(Feature f) {
    switch (f) {
    case Feature::AppContainer:
    case Feature::Handles:
    case Feature::Job: return true;
    default: return false;
    }
}

void close_fd(int) noexcept {}  // no descriptor is ever held on Windows

int dup_fd(int, UniqueFd *) { return ERROR_NOT_SUPPORTED; }
int inspect_execfd(int, bool *) { return ERROR_NOT_SUPPORTED; }
int check_dirfd(int) { return ERROR_NOT_SUPPORTED; }
int max_fds() { return 0; }
int cap_last() { return -1; }

int check_handle(void *h, bool inherit) {
    DWORD flags;
    if (!h || h == INVALID_HANDLE_VALUE || !GetHandleInformation(h, &flags)) return ERROR_INVALID_HANDLE;
    if (inherit && !(flags & HANDLE_FLAG_INHERIT) && !SetHandleInformation(h, HANDLE_FLAG_INHERIT, HANDLE_FLAG_INHERIT))
        return win::last_error();
    return 0;
}

}  // namespace spx::platform
