// What the files of lib/windows share: <windows.h>, an owned HANDLE, and the
// strict UTF-8 <-> UTF-16 conversions of lib/winport in wchar_t form.
#pragma once

#ifndef WIN32_LEAN_AND_MEAN
#define WIN32_LEAN_AND_MEAN
#endif
#include <windows.h>

#include <string>
#include <string_view>
#include <utility>

namespace spx::win {

// A kernel handle closed once. Both NULL and INVALID_HANDLE_VALUE mean none.
class UniqueHandle {
public:
    UniqueHandle() = default;
    explicit UniqueHandle(HANDLE h) : h_(h) {}
    UniqueHandle(UniqueHandle &&o) noexcept : h_(std::exchange(o.h_, nullptr)) {}
    UniqueHandle &operator=(UniqueHandle &&o) noexcept {
        if (this != &o) reset(std::exchange(o.h_, nullptr));
        return *this;
    }
    UniqueHandle(const UniqueHandle &) = delete;
    UniqueHandle &operator=(const UniqueHandle &) = delete;
    ~UniqueHandle() { reset(); }

    HANDLE get() const { return h_; }
    explicit operator bool() const { return h_ && h_ != INVALID_HANDLE_VALUE; }
    HANDLE release() { return std::exchange(h_, nullptr); }
    void reset(HANDLE h = nullptr) noexcept {
        if (h_ && h_ != INVALID_HANDLE_VALUE) CloseHandle(h_);
        h_ = h;
    }

private:
    HANDLE h_ = nullptr;
};

// GetLastError() as the int the C API returns; never 0, so a call that
// failed without saying why still fails.
inline int last_error() {
    DWORD e = GetLastError();
    return e ? static_cast<int>(e) : ERROR_GEN_FAILURE;
}

// Strict UTF-8 to UTF-16 (invalid input is refused, never replaced).
bool to_wide(std::string_view utf8, std::wstring &out);
// UTF-16 to UTF-8; unpaired surrogates become U+FFFD: for messages only.
std::string to_utf8_lossy(std::wstring_view w);
std::wstring to_wstring(const std::u16string &s);
std::u16string to_u16(std::wstring_view s);

}  // namespace spx::win
