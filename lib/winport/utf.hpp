// Strict conversions between UTF-8 (what the C API takes) and UTF-16 (what
// Win32 takes). Strict means nothing is ever replaced: a string that has no
// exact counterpart is refused, so what the child sees is byte for byte what
// the caller passed.
#pragma once

#include <string>
#include <string_view>

namespace spx::winport {

// UTF-8 to UTF-16. Refuses overlong forms, encoded surrogates (U+D800..DFFF),
// code points above U+10FFFF, stray continuation bytes and truncated
// sequences. On failure returns false and leaves out unchanged.
bool utf8_to_utf16(std::string_view in, std::u16string &out);

// UTF-16 to UTF-8. Refuses unpaired surrogates. On failure returns false and
// leaves out unchanged.
bool utf16_to_utf8(std::u16string_view in, std::string &out);

}  // namespace spx::winport
