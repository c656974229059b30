// SHA-256 (FIPS 180-4), the hash Windows uses to derive AppContainer and
// capability SIDs from their names. Portable, so that the derivations work
// and are tested on every platform.
#pragma once

#include <array>
#include <cstddef>
#include <cstdint>

namespace spx::winport {

using Sha256Digest = std::array<std::uint8_t, 32>;

Sha256Digest sha256(const void *data, std::size_t len);

}  // namespace spx::winport
