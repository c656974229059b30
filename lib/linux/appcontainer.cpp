// AppContainers are Windows'; on Linux the profile functions answer ENOTSUP.
// (The SID derivations are portable: lib/winport.)
#include <cerrno>

#include "features.hpp"

namespace spx {

int appcontainer_delete(const char *) { return ENOTSUP; }
int appcontainer_grant(const char *, const char *, unsigned) { return ENOTSUP; }
int appcontainer_revoke(const char *, const char *) { return ENOTSUP; }

}  // namespace spx
