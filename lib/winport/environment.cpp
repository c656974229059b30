// CreateProcessW copies the block as given; the child's GetEnvironmentVariable
// takes the first match and Windows documents the block as sorted, so the
// block is sorted by upper-cased name and keeps, of entries with the same
// name, only the caller's first.
#include "environment.hpp"

#include <algorithm>
#include <string_view>
#include <vector>

#include "utf.hpp"

namespace spx::winport {

namespace {

struct Entry {
    std::u16string text;  // NAME=VALUE
    std::u16string key;   // the name, upper-cased: what Windows compares
};

char16_t ascii_upper(char16_t c) { return c >= u'a' && c <= u'z' ? c - (u'a' - u'A') : c; }

}  // namespace

Error environment_block(const char *const envp[], std::u16string &out)
{
    if (envp == nullptr)
        return Error::invalid;

    std::vector<Entry> entries;
    for (std::size_t i = 0; envp[i] != nullptr; i++) {
        Entry e;
        if (!utf8_to_utf16(envp[i], e.text))
            return Error::invalid;
        // The name ends at the first '=' after its first unit: a leading '='
        // belongs to the name of a hidden per-drive entry ("=C:=C:\dir").
        std::size_t eq = e.text.find(u'=', 1);
        if (eq == std::u16string::npos || (eq == 1 && e.text[0] == u'='))
            return Error::invalid;
        e.key.resize(eq);
        std::transform(e.text.begin(), e.text.begin() + eq, e.key.begin(), ascii_upper);
        entries.push_back(std::move(e));
    }

    // A stable sort keeps entries with the same name in the caller's order,
    // so unique() keeps the caller's first one.
    std::stable_sort(entries.begin(), entries.end(),
                     [](const Entry &a, const Entry &b) { return a.key < b.key; });
    entries.erase(std::unique(entries.begin(), entries.end(),
                              [](const Entry &a, const Entry &b) { return a.key == b.key; }),
                  entries.end());

    std::u16string block;
    for (const Entry &e : entries) {
        block.append(e.text);
        block.push_back(u'\0');
    }
    if (entries.empty())
        block.push_back(u'\0');
    block.push_back(u'\0');
    out = std::move(block);
    return Error::ok;
}

}  // namespace spx::winport
