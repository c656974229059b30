// UTF-16 in wchar_t form: on Windows wchar_t is one UTF-16 unit, so the
// conversions of lib/winport (on char16_t) apply unit for unit.
#include "windows/win.hpp"

#include "winport/utf.hpp"

namespace spx::win {

static_assert(sizeof(wchar_t) == sizeof(char16_t));

std::wstring to_wstring(const std::u16string &s) { return std::wstring(s.begin(), s.end()); }
std::u16string to_u16(std::wstring_view s) { return std::u16string(s.begin(), s.end()); }

bool to_wide(std::string_view utf8, std::wstring &out) {
    std::u16string u;
    if (!winport::utf8_to_utf16(utf8, u)) return false;
    out = to_wstring(u);
    return true;
}

std::string to_utf8_lossy(std::wstring_view w) {
    std::u16string u = to_u16(w);
    std::string out;
    if (winport::utf16_to_utf8(u, out)) return out;
    for (char16_t &c : u)
        if (c >= 0xD800 && c <= 0xDFFF) c = 0xFFFD;  // then every unit is a scalar
    winport::utf16_to_utf8(u, out);
    return out;
}

}  // namespace spx::win
