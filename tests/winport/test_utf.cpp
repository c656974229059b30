// Strict UTF-8 <-> UTF-16: named edge cases, then every 1-, 2- and 3-byte
// sequence and a sweep of 4-byte ones against an oracle written from the
// definition (lead byte's leading ones give the length; shortest form only;
// no surrogates; nothing above U+10FFFF), not from the Unicode table the
// library follows.
#include <cstdint>
#include <cstdio>
#include <iterator>
#include <string>

#include "harness.h"
#include "utf.hpp"

using namespace spx::winport;

static std::u16string to16(std::string_view s, bool want_ok = true)
{
    std::u16string out = u"untouched";
    bool ok = utf8_to_utf16(s, out);
    CHECKF(ok == want_ok, "utf8_to_utf16 of %d bytes: %d, want %d", (int)s.size(), ok, want_ok);
    return out;
}

static void test_utf8_boundaries(void)
{
    CHECK(to16("") == u"");
    CHECK(to16("plain ASCII") == u"plain ASCII");
    CHECK(to16(std::string_view("a\0b", 3)) == std::u16string(u"a\0b", 3));
    CHECK(to16("\x7f") == u"\u007f");
    CHECK(to16("\xc2\x80") == u"\u0080");
    CHECK(to16("\xdf\xbf") == u"\u07ff");
    CHECK(to16("\xe0\xa0\x80") == u"\u0800");
    CHECK(to16("\xed\x9f\xbf") == u"\ud7ff");
    CHECK(to16("\xee\x80\x80") == u"\ue000");
    CHECK(to16("\xef\xbf\xbf") == u"\uffff");
    CHECK(to16("\xf0\x90\x80\x80") == std::u16string({0xD800, 0xDC00}));
    CHECK(to16("\xf4\x8f\xbf\xbf") == std::u16string({0xDBFF, 0xDFFF}));
    CHECK(to16("\xf0\x9f\x98\x80") == std::u16string({0xD83D, 0xDE00}));  // U+1F600
    CHECK(to16("caf\xc3\xa9 \xe2\x82\xac") == u"caf\u00e9 \u20ac");
}

static void test_utf8_refused(void)
{
    static const char *bad[] = {
        "\xc0\x80",              // overlong NUL
        "\xc1\xbf",              // overlong U+007F
        "\xe0\x80\x80",          // overlong
        "\xe0\x9f\xbf",          // overlong U+07FF
        "\xf0\x80\x80\x80",      // overlong
        "\xf0\x8f\xbf\xbf",      // overlong U+FFFF
        "\xed\xa0\x80",          // U+D800
        "\xed\xbf\xbf",          // U+DFFF
        "\xed\xa0\xbd\xed\xb8\x80",  // CESU-8 pair for U+1F600
        "\xf4\x90\x80\x80",      // U+110000
        "\xf5\x80\x80\x80",
        "\xf8\x88\x80\x80\x80",  // 5-byte form
        "\xfe", "\xff",
        "\x80", "\xbf",          // stray continuation bytes
        "\xc2",                  // truncated
        "\xe0\xa0",
        "\xf0\x90\x80",
        "\xe0\xa0\x41",          // bad continuation
        "\xc2\xc2\x80",
        "ok\xc3",                // valid text, then truncated
        "\xc3\xa9\x80",          // valid, then stray
    };
    for (const char *s : bad) {
        std::u16string out = to16(s, false);
        CHECK(out == u"untouched");
    }
}

static std::string from16(std::u16string_view s, bool want_ok = true)
{
    std::string out = "untouched";
    bool ok = utf16_to_utf8(s, out);
    CHECKF(ok == want_ok, "utf16_to_utf8 of %d units: %d, want %d", (int)s.size(), ok, want_ok);
    return out;
}

static void test_utf16_to_utf8(void)
{
    CHECK(from16(u"") == "");
    CHECK(from16(u"caf\u00e9 \u20ac") == "caf\xc3\xa9 \xe2\x82\xac");
    CHECK(from16(std::u16string({0xD83D, 0xDE00})) == "\xf0\x9f\x98\x80");
    CHECK(from16(std::u16string({0xDBFF, 0xDFFF})) == "\xf4\x8f\xbf\xbf");
    CHECK(from16(std::u16string(u"a\0b", 3)) == std::string("a\0b", 3));
    static const std::u16string bad[] = {
        {0xD800},                  // lone high at the end
        {0xD800, u'a'},            // high, then no low
        {0xD800, 0xD800, 0xDC00},  // two highs
        {0xDC00},                  // lone low
        {0xDC00, 0xD800},          // reversed pair
        {u'a', 0xDFFF, u'b'},
    };
    for (const auto &s : bad)
        CHECK(from16(s, false) == "untouched");
}

// The oracle: decode by the definition of UTF-8.
static bool oracle_decode(std::string_view in, std::u16string &out)
{
    static const char32_t min_for_length[] = {0, 0, 0x80, 0x800, 0x10000};
    out.clear();
    for (size_t i = 0; i < in.size();) {
        unsigned char b = (unsigned char)in[i];
        int n = 0;
        while (n < 8 && (b & (0x80 >> n)))
            n++;
        if (n == 0) {
            out.push_back(b);
            i++;
            continue;
        }
        if (n == 1 || n > 4 || i + n > in.size())
            return false;
        char32_t cp = b & (0x7F >> n);
        for (int k = 1; k < n; k++) {
            unsigned char c = (unsigned char)in[i + k];
            if ((c >> 6) != 2)
                return false;
            cp = cp << 6 | (c & 0x3F);
        }
        if (cp < min_for_length[n] || (cp >= 0xD800 && cp < 0xE000) || cp > 0x10FFFF)
            return false;
        if (cp >= 0x10000) {
            out.push_back((char16_t)(0xD800 | ((cp - 0x10000) >> 10)));
            out.push_back((char16_t)(0xDC00 | ((cp - 0x10000) & 0x3FF)));
        } else {
            out.push_back((char16_t)cp);
        }
        i += n;
    }
    return true;
}

static int compare_with_oracle(const std::string &s)
{
    std::u16string want, got = u"untouched";
    bool want_ok = oracle_decode(s, want);
    bool ok = utf8_to_utf16(s, got);
    if (ok != want_ok || (ok && got != want) || (!ok && got != u"untouched")) {
        std::string bytes;
        char buf[4];
        for (unsigned char c : s) {
            std::snprintf(buf, sizeof buf, "%02x ", c);
            bytes += buf;
        }
        harness_fail_(__FILE__, __LINE__, "utf8_to_utf16(%s) = %d, oracle %d", bytes.c_str(), ok, want_ok);
        return 1;
    }
    return 0;
}

static void test_utf8_exhaustive_against_oracle(void)
{
    int failures = 0;
    std::string s;
    for (int a = 0; a < 256 && failures < 10; a++) {
        s.assign(1, (char)a);
        failures += compare_with_oracle(s);
        for (int b = 0; b < 256 && failures < 10; b++) {
            s.assign({(char)a, (char)b});
            failures += compare_with_oracle(s);
            // Three bytes: the whole space after the leads of 3- and 4-byte
            // forms (a 2-byte lead plus one byte is covered by the above).
            if (a < 0xE0)
                continue;
            for (int c = 0; c < 256 && failures < 10; c++) {
                s.assign({(char)a, (char)b, (char)c});
                failures += compare_with_oracle(s);
            }
        }
    }
    // Four bytes: every lead and second byte, and the edges of the other two.
    static const int edges[] = {0x00, 0x41, 0x7F, 0x80, 0x81, 0xBE, 0xBF, 0xC0, 0xC2, 0xFF};
    for (int a = 0xE0; a < 256 && failures < 10; a++)
        for (int b = 0; b < 256; b++)
            for (int c : edges)
                for (int d : edges) {
                    s.assign({(char)a, (char)b, (char)c, (char)d});
                    failures += compare_with_oracle(s);
                }
}

// Every scalar value through both directions.
static void test_every_code_point_round_trips(void)
{
    int failures = 0;
    for (char32_t cp = 0; cp <= 0x10FFFF && failures < 10; cp++) {
        if (cp >= 0xD800 && cp < 0xE000)
            continue;
        std::u16string u16;
        if (cp >= 0x10000) {
            u16.push_back((char16_t)(0xD800 | ((cp - 0x10000) >> 10)));
            u16.push_back((char16_t)(0xDC00 | ((cp - 0x10000) & 0x3FF)));
        } else {
            u16.push_back((char16_t)cp);
        }
        std::string u8;
        std::u16string back;
        if (!utf16_to_utf8(u16, u8) || !utf8_to_utf16(u8, back) || back != u16) {
            harness_fail_(__FILE__, __LINE__, "U+%04lX does not round-trip", (unsigned long)cp);
            failures++;
        }
    }
}

// Random UTF-16 unit strings, dense in surrogates, against a plain pairing
// rule: accepted exactly when every high surrogate is followed by a low one
// and every low one follows a high one; then UTF-8 decodes back to them.
static void test_random_utf16(void)
{
    uint64_t state = 18;
    auto next = [&state]() {
        uint64_t z = (state += 0x9E3779B97F4A7C15ull);
        z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9ull;
        z = (z ^ (z >> 27)) * 0x94D049BB133111EBull;
        return z ^ (z >> 31);
    };
    static const char16_t units[] = {u'a', 0x00E9, 0x20AC, 0xD7FF, 0xD800, 0xDBFF, 0xDC00, 0xDFFF, 0xE000, 0xFFFF, 0};
    int failures = 0;
    for (int round = 0; round < 20000 && failures < 5; round++) {
        std::u16string in(next() % 8, u'\0');
        for (char16_t &c : in)
            c = units[next() % std::size(units)];
        bool valid = true;
        for (size_t i = 0; i < in.size(); i++) {
            bool high = in[i] >= 0xD800 && in[i] <= 0xDBFF, low = in[i] >= 0xDC00 && in[i] <= 0xDFFF;
            if (high && i + 1 < in.size() && in[i + 1] >= 0xDC00 && in[i + 1] <= 0xDFFF)
                i++;
            else if (high || low)
                valid = false;
        }
        std::string out = "untouched";
        bool ok = utf16_to_utf8(in, out);
        std::u16string back;
        if (ok != valid || (!ok && out != "untouched") || (ok && (!utf8_to_utf16(out, back) || back != in))) {
            harness_fail_(__FILE__, __LINE__, "round %d: %d units, accepted %d, want %d", round, (int)in.size(), ok,
                          valid);
            failures++;
        }
    }
}

int main(void)
{
    RUN(test_utf8_boundaries);
    RUN(test_utf8_refused);
    RUN(test_utf16_to_utf8);
    RUN(test_utf8_exhaustive_against_oracle);
    RUN(test_every_code_point_round_trips);
    RUN(test_random_utf16);
    return harness_finish();
}
