// SHA-256 against published vectors, and the AppContainer / capability SID
// derivations against SIDs Microsoft and Chromium publish.
#include <cstdint>
#include <cstdio>
#include <string>
#include <vector>

#ifdef _WIN32
#include <windows.h>
#include <sddl.h>
#endif

#include "harness.h"
#include "sha256.hpp"
#include "sid.hpp"

using namespace spx::winport;

static std::string hex(const Sha256Digest &d)
{
    std::string s;
    char buf[3];
    for (auto b : d) {
        std::snprintf(buf, sizeof buf, "%02x", b);
        s += buf;
    }
    return s;
}

static std::string hash_of(const std::string &msg) { return hex(sha256(msg.data(), msg.size())); }

// FIPS 180-2 appendix B and the NIST CSRC example values.
static void test_sha256_published_vectors(void)
{
    CHECK_STR_EQ(hash_of("abc").c_str(), "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
    CHECK_STR_EQ(hash_of("").c_str(), "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855");
    CHECK_STR_EQ(hash_of("abcdbcdecdefdefgefghfghighijhijkijkljklmklmnlmnomnopnopq").c_str(),
                 "248d6a61d20638b8e5c026930c3e6039a33ce45964ff2167f6ecedd419db06c1");
    CHECK_STR_EQ(hash_of("abcdefghbcdefghicdefghijdefghijkefghijklfghijklmghijklmnhijklmnoijklmnopjklmnopqklmnopqr"
                         "lmnopqrsmnopqrstnopqrstu").c_str(),
                 "cf5b16a778af8380036ce59e7b0492370b249b11e8f07a51afac45037afee9d1");
    CHECK_STR_EQ(hash_of(std::string(1000000, 'a')).c_str(),
                 "cdc76e5c9914fb9281a1c7e284d73e67f1809a48a497200e046d39ccc7112cd0");
}

// Lengths around the padding boundaries (55/56 bytes: one or two final
// blocks; 64: exactly one block), checked against OpenSSL's SHA-256.
static void test_sha256_padding_boundaries(void)
{
    static const struct { size_t n; const char *digest; } cases[] = {
        {1, "ca978112ca1bbdcafac231b39a23dc4da786eff8147c4e72b9807785afee48bb"},
        {55, "9f4390f8d30c2dd92ec9f095b65e2b9ae9b0a925a5258e241c9f1e910f734318"},
        {56, "b35439a4ac6f0948b6d6f9e3c6af0f5f590ce20f1bde7090ef7970686ec6738a"},
        {63, "7d3e74a05d7db15bce4ad9ec0658ea98e3f06eeecf16b4c6fff2da457ddc2f34"},
        {64, "ffe054fe7ae0cb6dc65c3af9b61d5209f439851db43d0ba5997337df154668eb"},
        {65, "635361c48bb9eab14198e76ea8ab7f1a41685d6ad62aa9146d301d4f17eb0ae0"},
        {119, "31eba51c313a5c08226adf18d4a359cfdfd8d2e816b13f4af952f7ea6584dcfb"},
        {120, "2f3d335432c70b580af0e8e1b3674a7c020d683aa5f73aaaedfdc55af904c21c"},
        {128, "6836cf13bac400e9105071cd6af47084dfacad4e5e302c94bfed24e013afb73e"},
    };
    for (const auto &c : cases) {
        std::string got = hash_of(std::string(c.n, 'a'));
        CHECKF(got == c.digest, "sha256('a' x %d) = %s, want %s", (int)c.n, got.c_str(), c.digest);
    }
    // Every byte value, so that no sign extension hides in the message schedule.
    std::vector<unsigned char> all;
    for (int r = 0; r < 4; r++)
        for (int b = 0; b < 256; b++)
            all.push_back((unsigned char)b);
    CHECK_STR_EQ(hex(sha256(all.data(), all.size())).c_str(),
                 "785b0751fc2c53dc14a4ce3d800e69ef9ce1009eb327ccf458afe09c242c26c9");
}

static std::string appcontainer(const char *name, Error want = Error::ok)
{
    std::string sid = "untouched";
    Error e = appcontainer_sid(name, sid);
    CHECKF(e == want, "appcontainer_sid(\"%s\") = %d, want %d", name, (int)e, (int)want);
    return sid;
}

static std::string capability(std::string_view name, Error want = Error::ok)
{
    std::string sid = "untouched";
    Error e = capability_sid(name, sid);
    CHECKF(e == want, "capability_sid(\"%.*s\") = %d, want %d", (int)name.size(), name.data(), (int)e, (int)want);
    return sid;
}

// The published values in shared/notes/windows.md (Microsoft's
// documentation of the Edge package SID and of the LPAC capabilities).
static void test_appcontainer_sid_published(void)
{
    const char *edge = "S-1-15-2-3624051433-2125758914-1423191267-1740899205-1073925389-3782572162-737981194";
    CHECK_STR_EQ(appcontainer("Microsoft.MicrosoftEdge_8wekyb3d8bbwe").c_str(), edge);
    // Windows lower-cases the name before hashing: the SID ignores case.
    CHECK_STR_EQ(appcontainer("microsoft.microsoftedge_8wekyb3d8bbwe").c_str(), edge);
    CHECK_STR_EQ(appcontainer("MICROSOFT.MICROSOFTEDGE_8WEKYB3D8BBWE").c_str(), edge);
    // Two names differing in one character give unrelated SIDs.
    CHECK(appcontainer("spx.test") != appcontainer("spx.tesu"));
}

static void test_capability_sid_published(void)
{
    CHECK_STR_EQ(capability("lpacCom").c_str(),
                 "S-1-15-3-1024-2405443489-874036122-4286035555-1823921565-1746547431-2453885448-3625952902-991631256");
    CHECK_STR_EQ(capability("registryRead").c_str(),
                 "S-1-15-3-1024-1065365936-1281604716-3511738428-1654721687-432734479-3232135806-4053264122-3456934681");
    // chrome/browser/vr/README.md tells developers to grant these two.
    CHECK_STR_EQ(capability("chromeInstallFiles").c_str(),
                 "S-1-15-3-1024-3424233489-972189580-2057154623-747635277-1604371224-316187997-3786583170-1043257646");
    CHECK_STR_EQ(capability("lpacChromeInstallFiles").c_str(),
                 "S-1-15-3-1024-2302894289-466761758-1166120688-1039016420-2430351297-4240214049-4028510897-3317428798");
    // Upper-cased before hashing: the SID ignores case.
    CHECK_STR_EQ(capability("LPACCOM").c_str(), capability("lpaccom").c_str());
    CHECK_STR_EQ(capability("RegistryREAD").c_str(), capability("registryRead").c_str());
}

// SECURITY_CAPABILITY_INTERNET_CLIENT (1) ... SECURITY_CAPABILITY_CONTACTS (12).
static void test_capability_sid_fixed_names(void)
{
    static const char *names[] = {
        "internetClient", "internetClientServer", "privateNetworkClientServer", "picturesLibrary",
        "videosLibrary", "musicLibrary", "documentsLibrary", "enterpriseAuthentication",
        "sharedUserCertificates", "removableStorage", "appointments", "contacts",
    };
    for (int i = 0; i < 12; i++) {
        std::string want = "S-1-15-3-" + std::to_string(i + 1);
        CHECK_STR_EQ(capability(names[i]).c_str(), want.c_str());
        std::string upper(names[i]);
        for (char &c : upper)
            c = (char)(c >= 'a' && c <= 'z' ? c - 32 : c);
        CHECK_STR_EQ(capability(upper).c_str(), want.c_str());
    }
    // Near misses are ordinary names, hashed.
    CHECK(capability("internetClient2").rfind("S-1-15-3-1024-", 0) == 0);
    CHECK(capability("contact").rfind("S-1-15-3-1024-", 0) == 0);
}

static void test_capability_sid_strings(void)
{
    CHECK_STR_EQ(capability("S-1-15-3-1").c_str(), "S-1-15-3-1");
    CHECK_STR_EQ(capability("s-1-15-3-1024-1-2-3").c_str(), "S-1-15-3-1024-1-2-3");
    CHECK_STR_EQ(capability("S-1-015-03-0001").c_str(), "S-1-15-3-1");
    CHECK_STR_EQ(capability("S-1-0x00000000000F-3-4294967295").c_str(), "S-1-15-3-4294967295");
    const char *lpac = "S-1-15-3-1024-2405443489-874036122-4286035555-1823921565-1746547431-2453885448-3625952902-991631256";
    CHECK_STR_EQ(capability(lpac).c_str(), lpac);

    // Not capability SIDs: refused, never passed on as one.
    const char *refused[] = {
        "S-1-1-0",                 // Everyone
        "S-1-5-32-544",            // Administrators
        "S-1-15-2-1",              // ALL APPLICATION PACKAGES
        "S-1-15-3",                // no RID below the capability base
        "S-1-15-4-1",
        "S-2-15-3-1",              // revision 2
        "S-1-15-3-4294967296",     // RID above 2^32 - 1
        "S-1-15-3-1-",
        "S-1-15-3--1",
        "S-1-15-3-1 ",
        "S-1-15-3-+1",
        "S-1-15-3-0x1",
        "S-",
        "S-1",
        "s-1-15-3-1-2-3-4-5-6-7-8-9-10-11-12-13-14-15",  // 16 sub-authorities
    };
    for (const char *s : refused) {
        CHECK_STR_EQ(capability(s, Error::invalid).c_str(), "untouched");
    }
    // The longest capability SID: 15 sub-authorities.
    CHECK_STR_EQ(capability("S-1-15-3-2-3-4-5-6-7-8-9-10-11-12-13-14-15").c_str(),
                 "S-1-15-3-2-3-4-5-6-7-8-9-10-11-12-13-14-15");
}

static void test_capability_names_refused(void)
{
    CHECK_STR_EQ(capability("", Error::invalid).c_str(), "untouched");
    CHECK_STR_EQ(capability("internet Client", Error::invalid).c_str(), "untouched");
    CHECK_STR_EQ(capability("tab\there", Error::invalid).c_str(), "untouched");
    CHECK_STR_EQ(capability("del\x7f", Error::invalid).c_str(), "untouched");
    CHECK_STR_EQ(capability(std::string_view("nul\0x", 5), Error::invalid).c_str(), "untouched");
    // Windows upper-cases non-ASCII names with its own table: winport cannot
    // reproduce it, so it refuses rather than derive a SID that grants nothing.
    CHECK_STR_EQ(capability("caf\xc3\xa9", Error::not_supported).c_str(), "untouched");
    CHECK_STR_EQ(capability("\xff", Error::not_supported).c_str(), "untouched");
}

static void test_is_sid_string(void)
{
    static const char *good[] = {
        "S-1-5", "S-1-1-0", "S-1-5-32-544", "s-1-5-18", "S-1-0x000000000005-18", "S-1-0xFFFFFFFFFFFF-1",
        "S-1-4294967295-4294967295", "S-1-5-21-1478766094-322448298-344569854-500",
        "S-1-0-1-2-3-4-5-6-7-8-9-10-11-12-13-14",
    };
    static const char *bad[] = {
        "", "S", "S-", "S-1", "S-1-", "S-1-5-", "X-1-5", "S-2-5", "S-1-4294967296", "S-1-0x", "S-1-0x1000000000000",
        "S-1-0xG", "S-1--5", "S-1-5--1", " S-1-5", "S-1-5 ", "S-1-5-1-2-3-4-5-6-7-8-9-10-11-12-13-14-15-16",
        "S-1-5-99999999999999999999999",
    };
    for (const char *s : good)
        CHECKF(is_sid_string(s), "is_sid_string(\"%s\") should be true", s);
    for (const char *s : bad)
        CHECKF(!is_sid_string(s), "is_sid_string(\"%s\") should be false", s);

    std::string out = "untouched";
    CHECK(canonical_sid("s-1-0x000000000005-018", out));
    CHECK_STR_EQ(out.c_str(), "S-1-5-18");
    CHECK(canonical_sid("S-1-0x00ABCDEF0123-1", out));
    CHECK_STR_EQ(out.c_str(), "S-1-0x00ABCDEF0123-1");  // above 2^32: stays hex, 12 digits
    out = "untouched";
    CHECK(!canonical_sid("S-1-5-", out));
    CHECK_STR_EQ(out.c_str(), "untouched");

    // max_sid_string holds the longest canonical string.
    std::string longest;
    CHECK(canonical_sid("S-1-0xFFFFFFFFFFFF-4294967295-4294967295-4294967295-4294967295-4294967295-4294967295-"
                        "4294967295-4294967295-4294967295-4294967295-4294967295-4294967295-4294967295-4294967295-"
                        "4294967295", longest));
    CHECK_INT_EQ(longest.size(), max_sid_string);
}

// Random well-formed SIDs, written with the liberties the parser allows
// (lower-case s, leading zeros, hex authority): each is accepted and comes
// back in the one canonical spelling; a trailing '-' or a 16th
// sub-authority makes it malformed.
static void test_random_sid_strings(void)
{
    uint64_t state = 18;
    auto next = [&state]() {
        uint64_t z = (state += 0x9E3779B97F4A7C15ull);
        z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9ull;
        z = (z ^ (z >> 27)) * 0x94D049BB133111EBull;
        return z ^ (z >> 31);
    };
    int failures = 0;
    char buf[64];
    for (int round = 0; round < 5000 && failures < 5; round++) {
        uint64_t authority = next() % 3 == 0 ? next() & 0xFFFFFFFFFFFFull : next() % 100;
        int count = (int)(next() % 16);
        std::string written = next() % 2 ? "S-1-" : "s-1-";
        std::string canonical = "S-1-";
        if (authority > 0xFFFFFFFFull || next() % 4 == 0) {
            std::snprintf(buf, sizeof buf, next() % 2 ? "0x%llX" : "0x%012llx", (unsigned long long)authority);
            written += buf;
        } else {
            if (next() % 4 == 0) written += "00";
            written += std::to_string(authority);
        }
        if (authority > 0xFFFFFFFFull) {
            std::snprintf(buf, sizeof buf, "0x%012llX", (unsigned long long)authority);
            canonical += buf;
        } else {
            canonical += std::to_string(authority);
        }
        for (int i = 0; i < count; i++) {
            uint32_t rid = next() % 2 ? (uint32_t)next() : (uint32_t)(next() % 1000);
            // Appended piece by piece: GCC 12 at -O3 warns (-Wrestrict, a
            // false positive) on "literal" + std::string temporaries.
            written += next() % 8 == 0 ? "-0" : "-";
            written += std::to_string(rid);
            canonical += '-';
            canonical += std::to_string(rid);
        }
        std::string out;
        bool ok = canonical_sid(written, out);
        if (!ok || out != canonical || !is_sid_string(canonical)) {
            harness_fail_(__FILE__, __LINE__, "round %d: %s -> %s, want %s", round, written.c_str(),
                          ok ? out.c_str() : "refused", canonical.c_str());
            failures++;
        }
        if (is_sid_string(written + "-") || (count == 15 && is_sid_string(written + "-1"))) {
            harness_fail_(__FILE__, __LINE__, "round %d: malformed variant of %s accepted", round, written.c_str());
            failures++;
        }
    }
}

// AppContainer profile names: 1..64 of [-_. A-Za-z0-9].
static void test_container_names(void)
{
    CHECK(valid_container_name("a"));
    CHECK(valid_container_name("spx.test-1_ok name"));
    CHECK(valid_container_name(std::string(64, 'x')));
    CHECK(!valid_container_name(std::string(65, 'x')));
    CHECK(!valid_container_name(""));
    static const char *bad[] = {"a/b", "a\\b", "a:b", "caf\xc3\xa9", "tab\t", "a*", "a\"b", "S-1-15-2-1\n"};
    for (const char *name : bad) {
        CHECKF(!valid_container_name(name), "valid_container_name(\"%s\") should be false", name);
        CHECK_STR_EQ(appcontainer(name, Error::invalid).c_str(), "untouched");
    }
    CHECK(!valid_container_name(std::string_view("a\0b", 3)));
    CHECK_STR_EQ(appcontainer(std::string(65, 'x').c_str(), Error::invalid).c_str(), "untouched");
    // Every accepted name gives a 7-RID SID.
    std::string sid = appcontainer(std::string(64, 'x').c_str());
    int dashes = 0;
    for (char c : sid)
        dashes += c == '-';
    CHECK_INT_EQ(dashes, 3 + 7);
    CHECK(sid.rfind("S-1-15-2-", 0) == 0);
    CHECK(is_sid_string(sid));
}

#ifdef _WIN32
static std::wstring widen(const std::string &ascii) { return std::wstring(ascii.begin(), ascii.end()); }

static std::string sid_text(PSID sid)
{
    wchar_t *text = nullptr;
    if (!ConvertSidToStringSidW(sid, &text))
        return "<ConvertSidToStringSidW failed>";
    std::string out;
    for (const wchar_t *c = text; *c; c++)
        out.push_back((char)*c);
    LocalFree(text);
    return out;
}

// A function of a system DLL, or NULL where it does not exist (wine has
// neither of the derivation functions).
static FARPROC system_function(const wchar_t *dll, const char *name)
{
    HMODULE module = LoadLibraryExW(dll, nullptr, LOAD_LIBRARY_SEARCH_SYSTEM32);
    return module ? GetProcAddress(module, name) : nullptr;
}

static bool running_on_wine(void)
{
    HMODULE ntdll = GetModuleHandleW(L"ntdll.dll");
    return ntdll && GetProcAddress(ntdll, "wine_get_version");
}

static const char *derived_capabilities[] = {
    "lpacCom", "registryRead", "chromeInstallFiles", "lpacChromeInstallFiles", "internetClient", "contacts",
    "LPACCOM", "spx.test",
};
#endif

// Windows' own parser and printer agree with the canonical strings written
// here: each derived SID survives ConvertStringSidToSidW and comes back
// from ConvertSidToStringSidW unchanged.
static void test_sid_strings_as_windows_reads_them(void)
{
#ifndef _WIN32
    SKIP("ConvertStringSidToSidW is Windows-only: this runs in the mingw build under wine (make check-windows)");
#else
    std::vector<std::string> sids = {appcontainer("Microsoft.MicrosoftEdge_8wekyb3d8bbwe"), appcontainer("a"),
                                     "S-1-5-32-544"};
    // Windows writes an authority of 2^32 or more in hex; wine 8 prints it
    // as a negative number ("S-1--1-1"), so only Windows checks this one.
    if (!running_on_wine())
        sids.push_back("S-1-0xABCDEF012345-1");
    for (const char *name : derived_capabilities)
        sids.push_back(capability(name));
    for (const std::string &want : sids) {
        PSID sid = nullptr;
        CHECKF(ConvertStringSidToSidW(widen(want).c_str(), &sid), "ConvertStringSidToSidW(%s) failed: %lu",
               want.c_str(), GetLastError());
        if (!sid)
            continue;
        std::string back = sid_text(sid);
        LocalFree(sid);
        CHECK_STR_EQ(back.c_str(), want.c_str());
    }
#endif
}

// On a Windows that has them, the system's own derivations give the same
// SIDs. Wine has neither function: it skips, saying so.
static void test_derivations_match_windows(void)
{
#ifndef _WIN32
    SKIP("the derivation functions are Windows-only");
#else
    using DeriveContainer = HRESULT(WINAPI *)(PCWSTR, PSID *);
    using DeriveCapability = BOOL(WINAPI *)(LPCWSTR, PSID **, DWORD *, PSID **, DWORD *);
    auto derive_container = (DeriveContainer)(void *)system_function(L"userenv.dll", "DeriveAppContainerSidFromAppContainerName");
    auto derive_capability = (DeriveCapability)(void *)system_function(L"kernelbase.dll", "DeriveCapabilitySidsFromName");
    if (!derive_container && !derive_capability)
        SKIP("this Windows (wine?) has neither DeriveAppContainerSidFromAppContainerName nor DeriveCapabilitySidsFromName");
    if (derive_container) {
        for (const char *name : {"Microsoft.MicrosoftEdge_8wekyb3d8bbwe", "spx.test", "A b-c_d.e"}) {
            PSID sid = nullptr;
            HRESULT hr = derive_container(widen(name).c_str(), &sid);
            CHECKF(SUCCEEDED(hr), "DeriveAppContainerSidFromAppContainerName(%s) = 0x%lx", name, (unsigned long)hr);
            if (SUCCEEDED(hr)) {
                CHECK_STR_EQ(sid_text(sid).c_str(), appcontainer(name).c_str());
                FreeSid(sid);
            }
        }
    }
    if (derive_capability) {
        for (const char *name : derived_capabilities) {
            PSID *groups = nullptr, *caps = nullptr;
            DWORD ngroups = 0, ncaps = 0;
            BOOL ok = derive_capability(widen(name).c_str(), &groups, &ngroups, &caps, &ncaps);
            CHECKF(ok && ncaps == 1, "DeriveCapabilitySidsFromName(%s): %d, %lu SIDs", name, ok, (unsigned long)ncaps);
            if (ok && ncaps == 1)
                CHECK_STR_EQ(sid_text(caps[0]).c_str(), capability(name).c_str());
            for (DWORD i = 0; ok && i < ngroups; i++)
                LocalFree(groups[i]);
            for (DWORD i = 0; ok && i < ncaps; i++)
                LocalFree(caps[i]);
            if (ok) {
                LocalFree(groups);
                LocalFree(caps);
            }
        }
    }
    if (!derive_container || !derive_capability)
        SKIP("only one of the two derivation functions exists here; the other was compared");
#endif
}

int main(void)
{
    RUN(test_sha256_published_vectors);
    RUN(test_sha256_padding_boundaries);
    RUN(test_appcontainer_sid_published);
    RUN(test_capability_sid_published);
    RUN(test_capability_sid_fixed_names);
    RUN(test_capability_sid_strings);
    RUN(test_capability_names_refused);
    RUN(test_is_sid_string);
    RUN(test_random_sid_strings);
    RUN(test_container_names);
    RUN(test_sid_strings_as_windows_reads_them);
    RUN(test_derivations_match_windows);
    return harness_finish();
}
