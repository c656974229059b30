// argv to the single command line a Windows process receives, quoted so that
// the Microsoft C runtime's parser (CommandLineToArgvW and every msvcrt/ucrt
// main) gives the child back exactly the caller's argv.
#pragma once

#include <cstddef>
#include <string>

#include "error.hpp"

namespace spx::winport {

// CreateProcessW's limit on lpCommandLine, in UTF-16 units, terminator included.
inline constexpr std::size_t max_command_line = 32767;

// Builds the command line from a NULL-terminated argv of UTF-8 strings.
//   argv[0] is parsed by the runtime without escapes (up to the next quote
//   when it starts with one, else up to white space): it is quoted when it
//   is empty or holds white space, never escaped, and refused when it holds
//   a double quote, which no command line can carry there.
//   Every other argument is quoted when it is empty or holds a space, tab,
//   newline, vertical tab or double quote; inside quotes, backslashes that
//   precede a quote (or the closing quote) are doubled and each quote is
//   escaped with a backslash. Other backslashes stay as they are.
// Returns invalid for a NULL or empty argv, invalid UTF-8 or a quote in
// argv[0]; too_long when the line with its terminator would exceed
// max_command_line units. out (without a terminator; c_str() adds it) is
// only written on success.
//
// This quoting is NOT safe for cmd.exe, which re-parses a command line with
// its own rules: callers must refuse batch files first (batch.hpp).
Error command_line(const char *const argv[], std::u16string &out);

}  // namespace spx::winport
