// Environment blocks (order, duplicates, hidden "=C:" entries, non-BMP
// text, refusals) and batch-file detection.
#include <algorithm>
#include <cctype>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <iterator>
#include <string>
#include <vector>

#ifdef _WIN32
#include <windows.h>
#endif

#include "batch.hpp"
#include "environment.hpp"
#include "harness.h"
#include "utf.hpp"

using namespace spx::winport;

// The block as its entries: split at each NUL up to the final empty one.
static std::vector<std::string> entries_of(const std::u16string &block)
{
    std::vector<std::string> entries;
    size_t start = 0;
    for (;;) {
        size_t end = block.find(u'\0', start);
        if (end == std::u16string::npos || end == start)
            break;
        std::string e;
        utf16_to_utf8(block.substr(start, end - start), e);
        entries.push_back(e);
        start = end + 1;
    }
    return entries;
}

static std::u16string block_of(std::vector<const char *> envp, Error want = Error::ok)
{
    envp.push_back(nullptr);
    std::u16string out = u"untouched";
    Error e = environment_block(envp.data(), out);
    CHECKF(e == want, "environment_block = %d, want %d", (int)e, (int)want);
    if (e != Error::ok)
        CHECK(out == u"untouched");
    return out;
}

static void check_entries(std::vector<const char *> envp, std::vector<std::string> want, int line)
{
    std::u16string block = block_of(envp);
    auto got = entries_of(block);
    if (got != want) {
        std::string g;
        for (auto &e : got)
            g += "[" + e + "]";
        harness_fail_(__FILE__, line, "block holds %s", g.c_str());
    }
    // Exactly the entries, each NUL-terminated, and one more NUL.
    size_t units = 1;
    for (auto &w : want) {
        std::u16string u;
        utf8_to_utf16(w, u);
        units += u.size() + 1;
    }
    if (want.empty())
        units = 2;
    CHECKF(block.size() == units, "block of %d units, want %d", (int)block.size(), (int)units);
    CHECK(block.size() >= 2 && block[block.size() - 1] == 0 && block[block.size() - 2] == 0);
}
#define CHECK_ENTRIES(envp, ...) check_entries(envp, __VA_ARGS__, __LINE__)
using Env = std::vector<const char *>;

static void test_empty_block(void)
{
    CHECK(block_of({}) == std::u16string(2, u'\0'));
    CHECK_ENTRIES(Env{}, {});
}

static void test_sorted_by_upper_cased_name(void)
{
    CHECK_ENTRIES(Env({"b=1", "A=2", "c=3"}), {"A=2", "b=1", "c=3"});
    // Upper-cased comparison: 'a' becomes 'A' (0x41), before '_' (0x5F);
    // a lower-cased or raw comparison would order them the other way.
    CHECK_ENTRIES(Env({"_X=1", "a=2"}), {"a=2", "_X=1"});
    // Names compare, not whole entries: "A" before "A0" although '=' > '0'.
    CHECK_ENTRIES(Env({"A0=x", "A=y"}), {"A=y", "A0=x"});
    // Values may hold '=' and be empty.
    CHECK_ENTRIES(Env({"B=b=c", "A="}), {"A=", "B=b=c"});
}

static void test_duplicates_first_wins(void)
{
    CHECK_ENTRIES(Env({"Path=1", "PATH=2", "path=3"}), {"Path=1"});
    CHECK_ENTRIES(Env({"x=1", "Y=2", "X=3", "y=4", "x=5"}), {"x=1", "Y=2"});
    CHECK_ENTRIES(Env({"=C:=C:\\a", "=c:=C:\\b"}), {"=C:=C:\\a"});
    // Only ASCII letters fold (environment.hpp): both stay.
    CHECK_ENTRIES(Env({"\xc3\xa9=1", "\xc3\x89=2"}), {"\xc3\x89=2", "\xc3\xa9=1"});
}

// Many entries, most of them spellings of a few names: whatever the sort
// does internally, the caller's first spelling of each name wins.
static void test_duplicates_first_wins_at_scale(void)
{
    std::vector<std::string> storage;
    const char *spellings[] = {"key", "KEY", "Key", "kEy", "keY"};
    for (int i = 0; i < 500; i++)
        storage.push_back(std::string(spellings[i % 5]) + (char)('a' + i % 7) + "=" + std::to_string(i));
    Env envp;
    for (auto &e : storage)
        envp.push_back(e.c_str());
    // The first entry of name "key" + letter c is entry number c - 'a'.
    std::vector<std::string> want;
    for (int c = 0; c < 7; c++)
        want.push_back(storage[c]);
    std::sort(want.begin(), want.end(), [](const std::string &a, const std::string &b) {
        return std::toupper((unsigned char)a[3]) < std::toupper((unsigned char)b[3]);
    });
    CHECK_ENTRIES(envp, want);
}

// splitmix64, seeded: the same sequence on every platform.
static uint64_t rng_state;
static uint64_t next_random(void)
{
    uint64_t z = (rng_state += 0x9E3779B97F4A7C15ull);
    z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9ull;
    z = (z ^ (z >> 27)) * 0x94D049BB133111EBull;
    return z ^ (z >> 31);
}

static std::string upper_ascii(std::string s)
{
    for (char &c : s)
        c = (char)std::toupper((unsigned char)c);
    return s;
}

// Random lists of entries drawn from few names in many spellings: the block
// holds, in ascending upper-cased order, exactly one entry per name, the
// caller's first.
static void test_random_blocks(void)
{
    uint64_t seed = 18;
    if (const char *env = std::getenv("SPX_TEST_SEED"))
        seed = std::strtoull(env, nullptr, 0);
    rng_state = seed;
    std::printf("  seed %llu (set SPX_TEST_SEED to replay another)\n", (unsigned long long)seed);
    static const char *names[] = {"path", "Path", "PATH", "a", "A", "_", "=C:", "=c:", "z0", "Z", "\xc3\xa9",
                                  "\xf0\x9f\x98\x80", "x.y", "[", "`"};
    static const char *values[] = {"", "v", "=", "\xf0\x9f\x98\x80", "a=b", " "};
    int failures = 0;
    for (int round = 0; round < 1000 && failures < 5; round++) {
        std::vector<std::string> storage(next_random() % 20);
        for (auto &e : storage)
            e = std::string(names[next_random() % std::size(names)]) + "=" + values[next_random() % std::size(values)];
        Env envp;
        for (auto &e : storage)
            envp.push_back(e.c_str());
        envp.push_back(nullptr);
        std::u16string block;
        if (environment_block(envp.data(), block) != Error::ok) {
            harness_fail_(__FILE__, __LINE__, "round %d: refused", round);
            failures++;
            continue;
        }
        // The expectation, computed the plain way: first spelling per name,
        // then ordered by upper-cased UTF-16 name.
        std::vector<std::pair<std::u16string, std::string>> want;
        for (auto &e : storage) {
            size_t eq = e.find('=', 1);
            std::u16string key;
            utf8_to_utf16(upper_ascii(e.substr(0, eq)), key);
            bool seen = false;
            for (auto &w : want)
                seen = seen || w.first == key;
            if (!seen)
                want.push_back({key, e});
        }
        std::sort(want.begin(), want.end());
        std::vector<std::string> want_entries;
        for (auto &w : want)
            want_entries.push_back(w.second);
        if (entries_of(block) != want_entries) {
            harness_fail_(__FILE__, __LINE__, "round %d: block differs", round);
            failures++;
        }
    }
}

static void test_hidden_drive_entries(void)
{
    CHECK_ENTRIES(Env({"A=1", "=D:=D:\\", "=C:=C:\\dir", "=ExitCode=00000000"}),
                  {"=C:=C:\\dir", "=D:=D:\\", "=ExitCode=00000000", "A=1"});
    // A leading '=' is part of the name, the next one ends it.
    CHECK_ENTRIES(Env({"=C:==x"}), {"=C:==x"});
}

static void test_non_bmp(void)
{
    // U+1F600 is the pair D83D DE00; U+FF21 (fullwidth A) is one unit. By
    // UTF-16 units (what Windows compares) the pair sorts first, although
    // its code point is the larger.
    CHECK_ENTRIES(Env({"\xef\xbc\xa1=w", "\xf0\x9f\x98\x80=\xf0\x9f\x98\x80"}),
                  {"\xf0\x9f\x98\x80=\xf0\x9f\x98\x80", "\xef\xbc\xa1=w"});
    std::u16string block = block_of({"E=\xf0\x9f\x98\x80"});
    CHECK(block == std::u16string({u'E', u'=', 0xD83D, 0xDE00, 0, 0}));
}

static void test_refused(void)
{
    std::u16string out = u"untouched";
    CHECK(environment_block(nullptr, out) == Error::invalid);
    CHECK(out == u"untouched");
    static const char *bad[] = {
        "NOEQUALS", "", "=", "==x", "=C:", "=nosep",
        "A=\xff", "\xc0\x80=1", "A=\xed\xa0\x80", "A=trunc\xe2\x82",
    };
    for (const char *e : bad) {
        block_of({"OK=1", e, "Z=2"}, Error::invalid);
        block_of({e}, Error::invalid);
    }
}

static const char16_t *const batch_paths[] = {
    u"C:\\x.bat", u"C:\\x.cmd", u"C:\\X.BAT", u"C:\\X.CmD", u"x.bat", u"C:\\x.bat.", u"C:\\x.bat. ",
    u"C:\\x.bat . .. ", u"C:\\x.cmd   ", u"\\\\server\\share\\run.Bat", u"C:/dir/x.bat", u"C:\\d.exe\\x.bat",
    u"\\\\?\\C:\\x.bat", u"C:\\x.bat::$DATA", u"C:\\x.cmd:stream", u"C:\\x.bat. :s", u"C:x.bat",
    u"C:\\.bat", u"X.CMD",
};
static const char16_t *const not_batch_paths[] = {
    u"C:\\a.bat.txt", u"C:\\x.exe", u"C:\\x.batx", u"C:\\xbat", u"C:\\x.ba", u"C:\\x.bat\\", u"C:\\x.bat\\y.exe",
    u"C:\\dir.bat\\x", u"", u".", u"C:\\", u"C:\\x.com", u"C:\\x.bat.exe", u"C:\\x.b\u0101t",
    u"C:\\x.exe:x.bat\\y", u"C:\\bat", u"C:\\cmd",
};

static void test_batch_files(void)
{
    for (const char16_t *p : batch_paths) {
        std::string s;
        utf16_to_utf8(p, s);
        CHECKF(is_batch_file(p), "is_batch_file(\"%s\") should be true", s.c_str());
    }
    for (const char16_t *p : not_batch_paths) {
        std::string s;
        utf16_to_utf8(p, s);
        CHECKF(!is_batch_file(p), "is_batch_file(\"%s\") should be false", s.c_str());
    }
}

// The trimming assumed above is what Windows does: GetFullPathNameW (the
// normalisation CreateProcessW applies to lpApplicationName) turns each
// "x.bat. " into a path that ends in ".bat" itself, and never changes the
// verdict.
static void test_batch_verdict_survives_windows_normalisation(void)
{
#ifndef _WIN32
    SKIP("GetFullPathNameW is Windows-only: this runs in the mingw build under wine (make check-windows)");
#else
    for (bool want : {true, false}) {
        for (const char16_t *p : want ? std::vector<const char16_t *>(std::begin(batch_paths), std::end(batch_paths))
                                      : std::vector<const char16_t *>(std::begin(not_batch_paths), std::end(not_batch_paths))) {
            std::u16string path(p);
            if (path.empty())
                continue;
            std::wstring in(path.begin(), path.end());
            wchar_t full[1024];
            DWORD n = GetFullPathNameW(in.c_str(), 1024, full, nullptr);
            std::string utf8;
            utf16_to_utf8(path, utf8);
            CHECKF(n > 0 && n < 1024, "GetFullPathNameW(%s) failed: %lu", utf8.c_str(), GetLastError());
            if (n == 0 || n >= 1024)
                continue;
            std::u16string normalised(full, full + n);
            std::string shown;
            utf16_to_utf8(normalised, shown);
            CHECKF(is_batch_file(normalised) == want, "%s normalises to %s, judged %d", utf8.c_str(), shown.c_str(),
                   !want);
            // Plain paths (no stream, no \\?\ prefix): Windows itself removed
            // the trailing dots and spaces.
            bool plain = path.rfind(u"\\\\?\\", 0) != 0 && path.find(u':', 2) == std::u16string::npos;
            if (want && plain) {
                std::u16string tail = normalised.substr(normalised.size() - 4);
                for (char16_t &c : tail)
                    c = c >= u'A' && c <= u'Z' ? c + 32 : c;
                CHECKF(tail == u".bat" || tail == u".cmd", "%s normalises to %s", utf8.c_str(), shown.c_str());
            }
        }
    }
#endif
}

int main(void)
{
    RUN(test_empty_block);
    RUN(test_sorted_by_upper_cased_name);
    RUN(test_duplicates_first_wins);
    RUN(test_duplicates_first_wins_at_scale);
    RUN(test_random_blocks);
    RUN(test_hidden_drive_entries);
    RUN(test_non_bmp);
    RUN(test_refused);
    RUN(test_batch_files);
    RUN(test_batch_verdict_survives_windows_normalisation);
    return harness_finish();
}
