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
}  // namespace spx::err
#else
#include <cerrno>

namespace spx::err {
inline constexpr int invalid = EINVAL;
inline constexpr int unsupported = ENOTSUP;
inline constexpr int no_memory = ENOMEM;
inline constexpr int bad_fd = EBADF;
inline constexpr int io = EIO;
}  // namespace spx::err
#endif
