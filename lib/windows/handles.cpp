#include "windows/handles.hpp"

#include <algorithm>

namespace spx::win {

namespace {

constexpr DWORD kStdIds[3] = {STD_INPUT_HANDLE, STD_OUTPUT_HANDLE, STD_ERROR_HANDLE};

bool is_handle(HANDLE h) { return h && h != INVALID_HANDLE_VALUE; }

}  // namespace

int prepare_handles(const spx_attr &a, InheritedHandles &out) {
    out.list.reserve(3 + a.handles.size());
    for (int i = 0; i < 3; i++) {
        HANDLE source = a.stdio[i] ? static_cast<HANDLE>(*a.stdio[i]) : GetStdHandle(kStdIds[i]);
        if (!is_handle(source)) continue;  // the child gets none
        // A duplicate rather than the caller's handle: the caller's stays
        // non-inheritable, and one handle can serve as several of the three.
        HANDLE copy;
        if (!DuplicateHandle(GetCurrentProcess(), source, GetCurrentProcess(), &copy, 0, TRUE,
                             DUPLICATE_SAME_ACCESS))
            return last_error();
        out.copies[i].reset(copy);
        out.stdio[i] = copy;
        out.list.push_back(copy);
    }
    for (void *h : a.handles)
        if (std::find(out.list.begin(), out.list.end(), h) == out.list.end()) out.list.push_back(h);
    return 0;
}

}  // namespace spx::win
