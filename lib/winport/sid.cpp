// AppContainer and capability SIDs from names. Windows hashes the name in
// UTF-16LE with SHA-256 and reads the digest as little-endian 32-bit RIDs;
// Chromium's sandbox (sandbox/win/src/sid.cc) derives them the same way.
#include "sid.hpp"

#include <cstdint>
#include <iterator>
#include <vector>

#include "sha256.hpp"

namespace spx::winport {

namespace {

// SECURITY_CAPABILITY_* in winnt.h: the capabilities that predate the
// hashed ones keep their own RIDs under S-1-15-3.
constexpr std::string_view fixed_capabilities[] = {
    "internetClient",           // 1
    "internetClientServer",     // 2
    "privateNetworkClientServer",  // 3
    "picturesLibrary",          // 4
    "videosLibrary",            // 5
    "musicLibrary",             // 6
    "documentsLibrary",         // 7
    "enterpriseAuthentication", // 8
    "sharedUserCertificates",   // 9
    "removableStorage",         // 10
    "appointments",             // 11
    "contacts",                 // 12
};

char ascii_lower(char c) { return c >= 'A' && c <= 'Z' ? static_cast<char>(c + ('a' - 'A')) : c; }
char ascii_upper(char c) { return c >= 'a' && c <= 'z' ? static_cast<char>(c - ('a' - 'A')) : c; }

bool iequal(std::string_view a, std::string_view b)
{
    if (a.size() != b.size())
        return false;
    for (std::size_t i = 0; i < a.size(); i++)
        if (ascii_lower(a[i]) != ascii_lower(b[i]))
            return false;
    return true;
}

// SHA-256 of an ASCII string in UTF-16LE (each character, then a zero byte),
// the string first mapped by fold: the callers only pass ASCII.
Sha256Digest hash_utf16le(std::string_view ascii, char (*fold)(char))
{
    std::vector<std::uint8_t> bytes;
    bytes.reserve(2 * ascii.size());
    for (char c : ascii) {
        bytes.push_back(static_cast<std::uint8_t>(fold(c)));
        bytes.push_back(0);
    }
    return sha256(bytes.data(), bytes.size());
}

// prefix, then the first n little-endian words of digest, each after a '-'.
std::string sid_from_digest(std::string_view prefix, const Sha256Digest &digest, int n)
{
    std::string sid(prefix);
    for (int i = 0; i < n; i++) {
        std::uint32_t rid = std::uint32_t(digest[4 * i]) | std::uint32_t(digest[4 * i + 1]) << 8 |
                            std::uint32_t(digest[4 * i + 2]) << 16 | std::uint32_t(digest[4 * i + 3]) << 24;
        sid += '-';
        sid += std::to_string(rid);
    }
    return sid;
}

// A SID string split into its numbers; parse() accepts what is_sid_string
// documents.
struct ParsedSid {
    std::uint64_t authority = 0;
    std::uint32_t sub[15] = {};
    int count = 0;
};

bool is_digit(char c) { return c >= '0' && c <= '9'; }

int hex_value(char c)
{
    if (is_digit(c))
        return c - '0';
    c = ascii_lower(c);
    return c >= 'a' && c <= 'f' ? c - 'a' + 10 : -1;
}

// Reads a decimal number at s[i..] up to the next '-' or the end, refusing
// an empty one and any value above max.
bool parse_decimal(std::string_view s, std::size_t &i, std::uint64_t max, std::uint64_t &value)
{
    std::size_t start = i;
    value = 0;
    for (; i < s.size() && s[i] != '-'; i++) {
        if (!is_digit(s[i]))
            return false;
        value = value * 10 + std::uint64_t(s[i] - '0');
        if (value > max)
            return false;
    }
    return i > start;
}

bool parse(std::string_view s, ParsedSid &sid)
{
    if (s.size() < 4 || (s[0] != 'S' && s[0] != 's') || s.substr(1, 3) != "-1-")
        return false;
    std::size_t i = 4;
    if (s.size() - i > 2 && s[i] == '0' && (s[i + 1] == 'x' || s[i + 1] == 'X')) {
        // A 48-bit authority in hex, as ConvertSidToStringSid writes those
        // above 2^32.
        i += 2;
        std::size_t start = i;
        for (; i < s.size() && s[i] != '-'; i++) {
            int v = hex_value(s[i]);
            if (v < 0 || i - start == 12)
                return false;
            sid.authority = sid.authority << 4 | std::uint64_t(v);
        }
        if (i == start)
            return false;
    } else if (!parse_decimal(s, i, UINT32_MAX, sid.authority)) {
        return false;
    }
    while (i < s.size()) {
        i++;  // the '-'
        std::uint64_t rid;
        if (sid.count == 15 || !parse_decimal(s, i, UINT32_MAX, rid))
            return false;
        sid.sub[sid.count++] = static_cast<std::uint32_t>(rid);
    }
    return true;
}

std::string format(const ParsedSid &sid)
{
    std::string s = "S-1-";
    if (sid.authority > UINT32_MAX) {
        static const char hex[] = "0123456789ABCDEF";
        s += "0x";
        for (int shift = 44; shift >= 0; shift -= 4)
            s += hex[(sid.authority >> shift) & 0xF];
    } else {
        s += std::to_string(sid.authority);
    }
    for (int i = 0; i < sid.count; i++) {
        s += '-';
        s += std::to_string(sid.sub[i]);
    }
    return s;
}

}  // namespace

bool valid_container_name(std::string_view name)
{
    if (name.empty() || name.size() > max_container_name)
        return false;
    for (char c : name) {
        bool ok = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || is_digit(c) || c == '-' ||
                  c == '_' || c == '.' || c == ' ';
        if (!ok)
            return false;
    }
    return true;
}

Error appcontainer_sid(std::string_view name, std::string &sid)
{
    if (!valid_container_name(name))
        return Error::invalid;
    sid = sid_from_digest("S-1-15-2", hash_utf16le(name, ascii_lower), 7);
    return Error::ok;
}

Error capability_sid(std::string_view name_or_sid, std::string &sid)
{
    std::string_view in = name_or_sid;
    if (in.size() >= 2 && (in[0] == 'S' || in[0] == 's') && in[1] == '-') {
        ParsedSid parsed;
        // S-1-15-3-<at least one RID>: SECURITY_APP_PACKAGE_AUTHORITY (15),
        // SECURITY_CAPABILITY_BASE_RID (3). Any other SID (a user, a group,
        // an AppContainer) is no capability and must not pass as one.
        if (!parse(in, parsed) || parsed.authority != 15 || parsed.count < 2 || parsed.sub[0] != 3)
            return Error::invalid;
        sid = format(parsed);
        return Error::ok;
    }
    if (in.empty())
        return Error::invalid;
    for (char c : in) {
        auto u = static_cast<unsigned char>(c);
        if (u >= 0x80)
            return Error::not_supported;
        if (u <= 0x20 || u == 0x7F)
            return Error::invalid;
    }
    for (std::size_t i = 0; i < std::size(fixed_capabilities); i++) {
        if (iequal(in, fixed_capabilities[i])) {
            sid = "S-1-15-3-" + std::to_string(i + 1);
            return Error::ok;
        }
    }
    // SECURITY_CAPABILITY_APP_RID (1024), then all 32 bytes of the digest.
    sid = sid_from_digest("S-1-15-3-1024", hash_utf16le(in, ascii_upper), 8);
    return Error::ok;
}

bool is_sid_string(std::string_view s)
{
    ParsedSid parsed;
    return parse(s, parsed);
}

bool canonical_sid(std::string_view s, std::string &out)
{
    ParsedSid parsed;
    if (!parse(s, parsed))
        return false;
    out = format(parsed);
    return true;
}

}  // namespace spx::winport
