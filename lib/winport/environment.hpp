// The UTF-16 environment block CreateProcessW takes with
// CREATE_UNICODE_ENVIRONMENT.
#pragma once

#include <string>

#include "error.hpp"

namespace spx::winport {

// Builds the block from a NULL-terminated list of UTF-8 "NAME=VALUE" entries:
// each entry followed by a NUL, then a final NUL (an empty list gives two
// NULs). The name ends at the first '=' after its first character, so the
// hidden per-drive entries of the form "=C:=C:\dir" are kept as they are.
//   - Duplicates: names compare case-insensitively (as Windows does); the
//     first entry wins, later ones are dropped, as a POSIX getenv would.
//   - Order: sorted by name, comparing upper-cased UTF-16 units, as Windows
//     expects a block to be. Only ASCII letters are case-folded: Windows'
//     own table also folds other scripts, so two names differing only in
//     the case of a non-ASCII letter are both kept.
// Returns invalid when envp is NULL, an entry is not valid UTF-8, or an entry
// has an empty name or no '=' ending its name. out is only written on success.
Error environment_block(const char *const envp[], std::u16string &out);

}  // namespace spx::winport
