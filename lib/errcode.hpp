// The error numbers the portable layer (attr.cpp, c_api.cpp) returns. Callers
// read them as the platform's own codes: errno values on Linux, Win32 error
// codes on Windows (what Go's syscall.Errno, Rust's io::Error and .NET's
// Win32Exception mean there). Platform directories use their native names.
#pragma once

#ifdef _WIN32
namespace spx::err {
inline constexpr int invalid = 87;        // ERROR_INVALID_PARAMETER
inline constexpr int unsupported = 50;    // ERROR_NOT_SUPPORTED
inline constexpr int no_memory = 8;       // ERROR_NOT_ENOUGH_MEMORY
inline constexpr int bad_fd = 6;          // ERROR_INVALID_HANDLE
inline constexpr int io = 1117;           // ERROR_IO_DEVICE
inline constexpr int too_small = 122;     // ERROR_INSUFFICIENT_BUFFER
inline constexpr int too_long = 206;      // ERROR_FILENAME_EXCED_RANGE
}  // namespace spx::err
#else
#include <cerrno>

namespace spx::err {
inline constexpr int invalid = EINVAL;
inline constexpr int unsupported = ENOTSUP;
inline constexpr int no_memory = ENOMEM;
inline constexpr int bad_fd = EBADF;
inline constexpr int io = EIO;
inline constexpr int too_small = ERANGE;
inline constexpr int too_long = E2BIG;
}  // namespace spx::err
#endif

#include "winport/error.hpp"

namespace spx::err {

// The caller's number for a winport outcome (0 for ok).
inline int from(winport::Error e) {
    switch (e) {
    case winport::Error::ok: return 0;
    case winport::Error::too_long: return too_long;
    case winport::Error::not_supported: return unsupported;
    case winport::Error::invalid: break;
    }
    return invalid;
}

}  // namespace spx::err
