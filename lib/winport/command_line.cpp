// The quoting follows the documented Microsoft C runtime rules ("Parsing C
// command-line arguments"): it is the inverse of that parser, not of
// cmd.exe's, which is why batch files are refused elsewhere.
#include "command_line.hpp"

#include <string_view>

#include "utf.hpp"

namespace spx::winport {

namespace {

bool needs_quotes(std::string_view arg)
{
    return arg.empty() || arg.find_first_of(" \t\n\v\"") != std::string_view::npos;
}

// Appends one argument after argv[0]. Backslashes are literal unless a quote
// follows them, so a run of n backslashes is written as 2n when a quote (the
// escaped one, or the closing one) comes next, and as n otherwise.
void append_argument(std::u16string &line, std::u16string_view arg, bool quote)
{
    if (!quote) {
        line.append(arg);
        return;
    }
    line.push_back(u'"');
    std::size_t backslashes = 0;
    for (char16_t c : arg) {
        if (c == u'\\') {
            backslashes++;
            continue;
        }
        if (c == u'"') {
            line.append(2 * backslashes + 1, u'\\');
        } else {
            line.append(backslashes, u'\\');
        }
        backslashes = 0;
        line.push_back(c);
    }
    line.append(2 * backslashes, u'\\');
    line.push_back(u'"');
}

}  // namespace

Error command_line(const char *const argv[], std::u16string &out)
{
    if (argv == nullptr || argv[0] == nullptr)
        return Error::invalid;

    std::u16string line;
    std::u16string arg;
    for (std::size_t i = 0; argv[i] != nullptr; i++) {
        std::string_view utf8(argv[i]);
        if (!utf8_to_utf16(utf8, arg))
            return Error::invalid;
        if (i == 0) {
            // The runtime reads the program name verbatim up to the next
            // quote (or white space when unquoted): no escape can carry a
            // quote there, and backslashes need none.
            if (utf8.find('"') != std::string_view::npos)
                return Error::invalid;
            bool quote = needs_quotes(utf8);
            if (quote)
                line.push_back(u'"');
            line.append(arg);
            if (quote)
                line.push_back(u'"');
        } else {
            line.push_back(u' ');
            append_argument(line, arg, needs_quotes(utf8));
        }
        // Stop as soon as the limit is passed: a huge argv must not cost
        // a huge allocation before it is refused.
        if (line.size() + 1 > max_command_line)
            return Error::too_long;
    }
    out = std::move(line);
    return Error::ok;
}

}  // namespace spx::winport
