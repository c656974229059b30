// The outcome of a winport function that can fail for more than one reason.
// winport knows no platform: lib/windows (Win32 codes) and lib/c_api.cpp
// (errno on Linux) map these to the caller's numbers.
#pragma once

namespace spx::winport {

enum class Error {
    ok,
    invalid,        // the input is malformed: ERROR_INVALID_PARAMETER / EINVAL
    too_long,       // a Windows length limit is exceeded: ERROR_FILENAME_EXCED_RANGE (206)
    not_supported,  // well-formed, but winport cannot do it faithfully: ERROR_NOT_SUPPORTED / ENOTSUP
};

}  // namespace spx::winport
