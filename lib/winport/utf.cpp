// Strict UTF-8 <-> UTF-16 (Unicode 15, section 3.9, table 3-7: the
// well-formed byte sequences). Each conversion builds into a local string
// and only hands it over once the whole input has been accepted.
#include "utf.hpp"

#include <cstdint>

namespace spx::winport {

namespace {

bool is_continuation(unsigned char c) { return (c & 0xC0) == 0x80; }

void append_utf16(std::u16string &out, char32_t cp)
{
    if (cp < 0x10000) {
        out.push_back(static_cast<char16_t>(cp));
    } else {
        cp -= 0x10000;
        out.push_back(static_cast<char16_t>(0xD800 + (cp >> 10)));
        out.push_back(static_cast<char16_t>(0xDC00 + (cp & 0x3FF)));
    }
}

}  // namespace

bool utf8_to_utf16(std::string_view in, std::u16string &out)
{
    std::u16string result;
    result.reserve(in.size());
    std::size_t i = 0;
    while (i < in.size()) {
        auto b0 = static_cast<unsigned char>(in[i]);
        if (b0 < 0x80) {
            result.push_back(b0);
            i++;
            continue;
        }
        // The lead byte fixes the length and the range the second byte may
        // take: that range is what excludes overlong forms (E0, F0),
        // surrogates (ED) and code points above U+10FFFF (F4).
        std::size_t len;
        unsigned char lo = 0x80, hi = 0xBF;
        char32_t cp;
        if (b0 >= 0xC2 && b0 <= 0xDF) {
            len = 2;
            cp = b0 & 0x1F;
        } else if (b0 >= 0xE0 && b0 <= 0xEF) {
            len = 3;
            cp = b0 & 0x0F;
            if (b0 == 0xE0)
                lo = 0xA0;
            else if (b0 == 0xED)
                hi = 0x9F;
        } else if (b0 >= 0xF0 && b0 <= 0xF4) {
            len = 4;
            cp = b0 & 0x07;
            if (b0 == 0xF0)
                lo = 0x90;
            else if (b0 == 0xF4)
                hi = 0x8F;
        } else {
            return false;  // C0, C1 (overlong), F5..FF, or a stray continuation byte
        }
        if (in.size() - i < len)
            return false;
        auto b1 = static_cast<unsigned char>(in[i + 1]);
        if (b1 < lo || b1 > hi)
            return false;
        cp = (cp << 6) | (b1 & 0x3F);
        for (std::size_t k = 2; k < len; k++) {
            auto b = static_cast<unsigned char>(in[i + k]);
            if (!is_continuation(b))
                return false;
            cp = (cp << 6) | (b & 0x3F);
        }
        append_utf16(result, cp);
        i += len;
    }
    out = std::move(result);
    return true;
}

bool utf16_to_utf8(std::u16string_view in, std::string &out)
{
    std::string result;
    result.reserve(in.size());
    for (std::size_t i = 0; i < in.size(); i++) {
        char32_t cp = in[i];
        if (cp >= 0xD800 && cp <= 0xDBFF) {
            if (i + 1 == in.size() || in[i + 1] < 0xDC00 || in[i + 1] > 0xDFFF)
                return false;
            cp = 0x10000 + ((cp - 0xD800) << 10) + (in[i + 1] - 0xDC00);
            i++;
        } else if (cp >= 0xDC00 && cp <= 0xDFFF) {
            return false;
        }
        if (cp < 0x80) {
            result.push_back(static_cast<char>(cp));
        } else if (cp < 0x800) {
            result.push_back(static_cast<char>(0xC0 | (cp >> 6)));
            result.push_back(static_cast<char>(0x80 | (cp & 0x3F)));
        } else if (cp < 0x10000) {
            result.push_back(static_cast<char>(0xE0 | (cp >> 12)));
            result.push_back(static_cast<char>(0x80 | ((cp >> 6) & 0x3F)));
            result.push_back(static_cast<char>(0x80 | (cp & 0x3F)));
        } else {
            result.push_back(static_cast<char>(0xF0 | (cp >> 18)));
            result.push_back(static_cast<char>(0x80 | ((cp >> 12) & 0x3F)));
            result.push_back(static_cast<char>(0x80 | ((cp >> 6) & 0x3F)));
            result.push_back(static_cast<char>(0x80 | (cp & 0x3F)));
        }
    }
    out = std::move(result);
    return true;
}

}  // namespace spx::winport
