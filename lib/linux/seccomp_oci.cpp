// OCI runtime-spec seccomp profiles (stub until the reader lands).
#include <cerrno>

#include "features.hpp"

namespace spx {

int seccomp_from_oci(spx_seccomp **, const char *, size_t, const int *, size_t, char *, size_t) { return ENOTSUP; }

}  // namespace spx
