// CreateProcessW hands a program to cmd.exe when the image is no PE file
// and the last four characters of its normalised path are ".bat" or ".cmd"
// (compared case-insensitively). This file repeats that judgement on the
// path before normalisation, so it also does the normalisation's trimming.
#include "batch.hpp"

namespace spx::winport {

namespace {

// ASCII folding suffices: no other letter folds to one of b, a, t, c, m, d.
char16_t ascii_lower(char16_t c) { return c >= u'A' && c <= u'Z' ? c + (u'a' - u'A') : c; }

// Win32 path normalisation drops trailing dots and spaces from the final
// component, so "x.bat. " names x.bat.
std::u16string_view trim_dots_and_spaces(std::u16string_view s)
{
    while (!s.empty() && (s.back() == u'.' || s.back() == u' '))
        s.remove_suffix(1);
    return s;
}

bool has_batch_extension(std::u16string_view name)
{
    name = trim_dots_and_spaces(name);
    if (name.size() < 4 || name[name.size() - 4] != u'.')
        return false;
    char16_t ext[3];
    for (int k = 0; k < 3; k++)
        ext[k] = ascii_lower(name[name.size() - 3 + k]);
    return std::u16string_view(ext, 3) == u"bat" || std::u16string_view(ext, 3) == u"cmd";
}

}  // namespace

bool is_batch_file(std::u16string_view full_path)
{
    std::size_t sep = full_path.find_last_of(u"\\/");
    std::u16string_view name = sep == std::u16string_view::npos ? full_path : full_path.substr(sep + 1);
    if (has_batch_extension(name))
        return true;
    // "x.bat::$DATA" and "x.bat:stream" open the file x.bat (its default or
    // a named stream): judge the file's own name. Erring towards "batch"
    // only refuses a launch, never runs cmd.exe by surprise.
    std::size_t colon = name.find(u':');
    return colon != std::u16string_view::npos && has_batch_extension(name.substr(0, colon));
}

}  // namespace spx::winport
