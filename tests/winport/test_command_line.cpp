// argv -> command line: hard cases with their exact expected line, the
// limits and refusals, then random argvs round-tripped through a parser
// written here from Microsoft's documented rules ("Parsing C command-line
// arguments"), independent of the builder in lib/winport.
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <string>
#include <vector>

#ifdef _WIN32
#include <windows.h>
#include <shellapi.h>
#endif

#include "command_line.hpp"
#include "harness.h"
#include "utf.hpp"

using namespace spx::winport;

static std::string narrow(const std::u16string &s)
{
    std::string out;
    if (!utf16_to_utf8(s, out))
        return "<not UTF-16>";
    return out;
}

// Builds from a list, checks the outcome, and returns the line as UTF-8.
static std::string line_of(std::vector<const char *> args, Error want = Error::ok)
{
    args.push_back(nullptr);
    std::u16string out = u"untouched";
    Error e = command_line(args.data(), out);
    CHECKF(e == want, "command_line(%s ...) = %d, want %d", args[0] ? args[0] : "NULL", (int)e, (int)want);
    if (e != Error::ok)
        CHECK(out == u"untouched");
    return narrow(out);
}

#define CHECK_LINE(want, ...) CHECK_STR_EQ(line_of({__VA_ARGS__}).c_str(), want)

static void test_program_name(void)
{
    CHECK_LINE("prog", "prog");
    CHECK_LINE("\"C:\\Program Files\\x.exe\" a", "C:\\Program Files\\x.exe", "a");
    // argv[0] has no escapes: a trailing backslash before the closing quote
    // stays single.
    CHECK_LINE("\"C:\\dir with space\\\"", "C:\\dir with space\\");
    CHECK_LINE("C:\\dir\\", "C:\\dir\\");
    CHECK_LINE("\"\" x", "", "x");
    CHECK_LINE("\"tab\there\"", "tab\there");
    // No quote can be carried in argv[0].
    line_of({"a\"b"}, Error::invalid);
    line_of({"\""}, Error::invalid);
    line_of({"prog\"", "x"}, Error::invalid);
}

static void test_arguments(void)
{
    CHECK_LINE("p \"\"", "p", "");
    CHECK_LINE("p \"\" \"\"", "p", "", "");
    CHECK_LINE("p \"a b\"", "p", "a b");
    CHECK_LINE("p a\\b", "p", "a\\b");
    CHECK_LINE("p a\\\\", "p", "a\\\\");              // unquoted: backslashes literal
    CHECK_LINE("p \"a b\\\\\"", "p", "a b\\");        // quoted: doubled before the closing quote
    CHECK_LINE("p \"a\\\"b\"", "p", "a\"b");
    CHECK_LINE("p \"\\\"\"", "p", "\"");
    CHECK_LINE("p \"\\\\\\\"\"", "p", "\\\"");        // \" -> "\\\""
    CHECK_LINE("p \"\\\\\\\\\\\"x\"", "p", "\\\\\"x");  // \\"x -> "\\\\\"x"
    CHECK_LINE("p \"\\\\ \\\\\"", "p", "\\\\ \\");   // \\ \ : middle run literal, last doubled
    CHECK_LINE("p \"a\tb\"", "p", "a\tb");
    CHECK_LINE("p \"a\nb\"", "p", "a\nb");
    CHECK_LINE("p \"a\vb\"", "p", "a\vb");
    // cmd.exe's metacharacters mean nothing to the C runtime.
    CHECK_LINE("p &|^<>%PATH%!", "p", "&|^<>%PATH%!");
    CHECK_LINE("p caf\xc3\xa9 \xf0\x9f\x98\x80", "p", "caf\xc3\xa9", "\xf0\x9f\x98\x80");
    CHECK_LINE("p \"\xf0\x9f\x98\x80 \\\"\"", "p", "\xf0\x9f\x98\x80 \"");
}

static void test_refused(void)
{
    std::u16string out = u"untouched";
    CHECK(command_line(nullptr, out) == Error::invalid);
    const char *empty[] = {nullptr};
    CHECK(command_line(empty, out) == Error::invalid);
    CHECK(out == u"untouched");
    // Invalid UTF-8 anywhere is refused, never replaced.
    line_of({"p\xff"}, Error::invalid);
    line_of({"p", "ok", "\xc0\x80"}, Error::invalid);
    line_of({"p", "\xed\xa0\x80"}, Error::invalid);
    line_of({"p", "trunc\xe2\x82"}, Error::invalid);
}

// 32,767 units with the terminator: 32,766 characters fit, 32,767 do not.
static void test_length_limit(void)
{
    std::string arg(max_command_line - 1 - 2, 'a');  // "p " + arg
    std::string line = line_of({"p", arg.c_str()});
    CHECK_INT_EQ(line.size(), max_command_line - 1);
    arg.push_back('a');
    line_of({"p", arg.c_str()}, Error::too_long);

    // Units, not bytes or code points: U+1F600 is two units and four bytes.
    std::string emoji;
    for (size_t i = 0; i < (max_command_line - 1 - 2) / 2; i++)
        emoji += "\xf0\x9f\x98\x80";
    std::u16string out;
    const char *fits[] = {"p", emoji.c_str(), nullptr};
    CHECK(command_line(fits, out) == Error::ok);
    CHECK_INT_EQ(out.size(), max_command_line - 1);
    emoji += "\xf0\x9f\x98\x80";
    const char *over[] = {"p", emoji.c_str(), nullptr};
    CHECK(command_line(over, out) == Error::too_long);

    // Quoting counts: 16,382 quotes fit unquoted length but not escaped.
    std::string quotes((max_command_line - 1 - 2) / 2, '"');
    line_of({"p", quotes.c_str()}, Error::too_long);

    // A long argv is refused without building the whole line.
    std::string huge(4 << 20, 'x');
    std::vector<const char *> many(1000, huge.c_str());
    many[0] = "p";
    line_of(many, Error::too_long);
}

// ---- The independent parser ------------------------------------------------

static bool is_blank(char16_t c) { return c == u' ' || c == u'\t'; }

// Microsoft's documented rules for the C runtime's argument parser.
static std::vector<std::u16string> parse_command_line(const std::u16string &line)
{
    std::vector<std::u16string> argv;
    size_t i = 0, n = line.size();

    // argv[0]: quotes toggle, no escapes; ends at a blank outside quotes.
    std::u16string name;
    bool quoted = false;
    for (; i < n && (quoted || !is_blank(line[i])); i++) {
        if (line[i] == u'"')
            quoted = !quoted;
        else
            name.push_back(line[i]);
    }
    argv.push_back(name);

    for (;;) {
        while (i < n && is_blank(line[i]))
            i++;
        if (i == n)
            break;
        std::u16string arg;
        quoted = false;
        while (i < n && (quoted || !is_blank(line[i]))) {
            size_t slashes = 0;
            while (i < n && line[i] == u'\\') {
                slashes++;
                i++;
            }
            if (i < n && line[i] == u'"') {
                // 2k backslashes + quote: k backslashes and a delimiter;
                // 2k+1: k backslashes and a literal quote.
                arg.append(slashes / 2, u'\\');
                if (slashes % 2) {
                    arg.push_back(u'"');
                    i++;
                } else if (quoted && i + 1 < n && line[i + 1] == u'"') {
                    // "" inside a quoted block is a literal quote.
                    arg.push_back(u'"');
                    i += 2;
                } else {
                    quoted = !quoted;
                    i++;
                }
            } else {
                arg.append(slashes, u'\\');
                if (i < n && (quoted || !is_blank(line[i]))) {
                    arg.push_back(line[i]);
                    i++;
                }
            }
        }
        argv.push_back(arg);
    }
    return argv;
}

static void test_parser_reads_documented_examples(void)
{
    // The table in Microsoft's "Parsing C command-line arguments".
    struct { const char16_t *line; std::vector<std::u16string> argv; } cases[] = {
        {u"p \"a b c\" d e", {u"p", u"a b c", u"d", u"e"}},
        {u"p \"ab\\\"c\" \"\\\\\" d", {u"p", u"ab\"c", u"\\", u"d"}},
        {u"p a\\\\\\b d\"e f\"g h", {u"p", u"a\\\\\\b", u"de fg", u"h"}},
        {u"p a\\\\\\\"b c d", {u"p", u"a\\\"b", u"c", u"d"}},
        {u"p a\\\\\\\\\"b c\" d e", {u"p", u"a\\\\b c", u"d", u"e"}},
        {u"p a\"b\"\" c d", {u"p", u"ab\" c d"}},
        {u"\"C:\\a b\\\" x", {u"C:\\a b\\", u"x"}},
    };
    for (const auto &c : cases) {
        auto got = parse_command_line(c.line);
        CHECKF(got == c.argv, "parser disagrees with the documented example %s", narrow(c.line).c_str());
    }
}

// splitmix64: small, seedable, the same everywhere.
static uint64_t rng_state;
static uint64_t next_random(void)
{
    uint64_t z = (rng_state += 0x9E3779B97F4A7C15ull);
    z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9ull;
    z = (z ^ (z >> 27)) * 0x94D049BB133111EBull;
    return z ^ (z >> 31);
}
static size_t below(size_t n) { return (size_t)(next_random() % n); }

// Pieces weighted towards what quoting gets wrong: backslash runs, quotes,
// blanks, runs ending an argument, and multi-byte characters.
static std::string random_piece(bool program_name)
{
    static const char *pieces[] = {
        "a", "Z", "0", "\\", "\\\\", "\\\\\\", " ", "\t", "\n", "\v", "\"", "\\\"", "\"\"", "&", "^", "%x%",
        "\xc3\xa9", "\xe2\x82\xac", "\xf0\x9f\x98\x80", "\xef\xbf\xbf", "=", "'", "*",
    };
    const size_t count = sizeof pieces / sizeof pieces[0];
    for (;;) {
        const char *p = pieces[below(count)];
        if (!program_name || std::string_view(p).find('"') == std::string_view::npos)
            return p;
    }
}

static std::string random_argument(bool program_name)
{
    std::string s;
    size_t len = below(4) == 0 ? 0 : below(12);
    for (size_t k = 0; k < len; k++)
        s += random_piece(program_name);
    return s;
}

static uint64_t seed_from_environment(void)
{
    uint64_t seed = 18;
    if (const char *env = std::getenv("SPX_TEST_SEED"))
        seed = std::strtoull(env, nullptr, 0);
    std::printf("  seed %llu (set SPX_TEST_SEED to replay another)\n", (unsigned long long)seed);
    return seed;
}

// One random argv, as the UTF-8 strings and as the UTF-16 the child must see.
struct RandomArgv {
    std::vector<std::string> utf8;
    std::vector<const char *> argv;
    std::vector<std::u16string> want;
};

static void random_argv(RandomArgv &r)
{
    r.utf8.assign(1 + below(8), std::string());
    r.argv.clear();
    r.want.clear();
    for (size_t k = 0; k < r.utf8.size(); k++)
        r.utf8[k] = random_argument(k == 0);
    for (const auto &a : r.utf8) {
        r.argv.push_back(a.c_str());
        std::u16string w;
        utf8_to_utf16(a, w);
        r.want.push_back(w);
    }
    r.argv.push_back(nullptr);
}

static void report_mismatch(int round, const std::u16string &line, const std::vector<std::u16string> &got,
                            const std::vector<std::u16string> &want)
{
    harness_fail_(__FILE__, __LINE__, "round %d: [%s] parses to %d arguments, want %d", round, narrow(line).c_str(),
                  (int)got.size(), (int)want.size());
    for (size_t k = 0; k < want.size() || k < got.size(); k++)
        std::printf("    %d: got [%s] want [%s]\n", (int)k, k < got.size() ? narrow(got[k]).c_str() : "-",
                    k < want.size() ? narrow(want[k]).c_str() : "-");
}

static void test_random_round_trips(void)
{
    rng_state = seed_from_environment();
    int failures = 0;
    RandomArgv r;
    for (int round = 0; round < 5000 && failures < 5; round++) {
        random_argv(r);
        std::u16string line;
        Error e = command_line(r.argv.data(), line);
        if (e != Error::ok) {
            harness_fail_(__FILE__, __LINE__, "round %d: command_line = %d", round, (int)e);
            failures++;
            continue;
        }
        auto got = parse_command_line(line);
        if (got != r.want) {
            report_mismatch(round, line, got, r.want);
            failures++;
        }
    }
}

// The same through the system's own parser (shell32's CommandLineToArgvW,
// which follows the runtime's rules for everything the builder writes).
static void test_random_round_trips_through_windows(void)
{
#ifndef _WIN32
    SKIP("CommandLineToArgvW is Windows-only: this runs in the mingw build under wine (make check-windows)");
#else
    rng_state = seed_from_environment() + 1;
    int failures = 0;
    RandomArgv r;
    for (int round = 0; round < 2000 && failures < 5; round++) {
        random_argv(r);
        std::u16string line;
        REQUIRE(command_line(r.argv.data(), line) == Error::ok);
        std::wstring wide(line.begin(), line.end());
        int argc = 0;
        wchar_t **argv = CommandLineToArgvW(wide.c_str(), &argc);
        REQUIRE(argv != nullptr);
        std::vector<std::u16string> got;
        for (int k = 0; k < argc; k++) {
            std::wstring_view arg(argv[k]);
            got.emplace_back(arg.begin(), arg.end());
        }
        LocalFree(argv);
        if (got != r.want) {
            report_mismatch(round, line, got, r.want);
            failures++;
        }
    }
#endif
}

int main(void)
{
    RUN(test_program_name);
    RUN(test_arguments);
    RUN(test_refused);
    RUN(test_length_limit);
    RUN(test_parser_reads_documented_examples);
    RUN(test_random_round_trips);
    RUN(test_random_round_trips_through_windows);
    return harness_finish();
}
