// Error texts on Windows: FormatMessageW's, in UTF-8 (the message of
// spx_error). The system's language is used; the code is always in the
// message too, since a text alone cannot be looked up.
#include <cstdio>

#include "platform.hpp"
#include "windows/win.hpp"

namespace spx::platform {

void describe_error(int code, char *buf, size_t len) noexcept {
    if (!len) return;
    buf[0] = '\0';
    wchar_t text[256];
    DWORD n = FormatMessageW(FORMAT_MESSAGE_FROM_SYSTEM | FORMAT_MESSAGE_IGNORE_INSERTS, nullptr,
                             static_cast<DWORD>(code), 0, text, sizeof text / sizeof text[0], nullptr);
    // Windows ends its texts with ".\r\n": the message goes on after it.
    while (n > 0 && (text[n - 1] == L'\n' || text[n - 1] == L'\r' || text[n - 1] == L'.' || text[n - 1] == L' '))
        n--;
    try {
        std::string utf8 = n ? win::to_utf8_lossy(std::wstring_view(text, n)) : std::string("unknown error");
        std::snprintf(buf, len, "%s (%d)", utf8.c_str(), code);
    } catch (...) {
        std::snprintf(buf, len, "error %d", code);
    }
}

}  // namespace spx::platform
