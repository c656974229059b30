// Security identifiers of AppContainers and capabilities, derived from their
// names exactly as Windows derives them (DeriveAppContainerSidFromAppContainerName,
// DeriveCapabilitySidsFromName), with no Windows API: the SIDs are the same
// on every platform and can be computed, logged and tested anywhere.
#pragma once

#include <cstddef>
#include <string>
#include <string_view>

#include "error.hpp"

namespace spx::winport {

// An AppContainer profile name: 1 to 64 characters of [-_. A-Za-z0-9].
inline constexpr std::size_t max_container_name = 64;
bool valid_container_name(std::string_view name);

// "S-1-15-2-" and seven RIDs: the first 28 bytes of the SHA-256 of the
// lower-cased name in UTF-16LE, read as little-endian 32-bit words.
// invalid when the name is not a valid_container_name(); sid is only written
// on success.
Error appcontainer_sid(std::string_view name, std::string &sid);

// A capability SID from a capability name or a SID string.
//   - The twelve capabilities that predate Windows 10 have fixed SIDs
//     (internetClient S-1-15-3-1 ... contacts S-1-15-3-12).
//   - Any other name gives "S-1-15-3-1024-" and eight RIDs, from the SHA-256
//     of the upper-cased name in UTF-16LE.
//   - Input starting with "S-" (either case) is a SID string: it must be a
//     capability SID (S-1-15-3-...) and comes back in canonical form.
// Names compare case-insensitively (Windows upper-cases them before hashing)
// and must be printable ASCII without spaces; a non-ASCII name is
// not_supported, since its Windows upper-casing could not be reproduced here
// and a different SID would silently grant nothing. Malformed input is
// invalid; sid is only written on success.
Error capability_sid(std::string_view name_or_sid, std::string &sid);

// True for a well-formed SID string: "S-1-" (or "s-1-"), an identifier
// authority (decimal below 2^32, or "0x" and 1 to 12 hex digits, the form
// ConvertSidToStringSid writes for larger ones), then 0 to 15 decimal
// sub-authorities below 2^32. Leading zeros are accepted.
bool is_sid_string(std::string_view s);

// The canonical spelling of a well-formed SID string, as
// ConvertSidToStringSid writes it: capital S, no leading zeros, the authority
// in decimal below 2^32 and as "0x" and 12 upper-case hex digits above.
// Returns false (and leaves out unchanged) when !is_sid_string(s).
bool canonical_sid(std::string_view s, std::string &out);

// The longest SID string (15 sub-authorities, hex authority), without its
// terminator: a buffer of max_sid_string + 1 always holds a result.
inline constexpr std::size_t max_sid_string = 4 + 14 + 15 * 11;

}  // namespace spx::winport
