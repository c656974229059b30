// The AppContainer of spx_attr_set_appcontainer(): its profile, its SIDs,
// the SECURITY_CAPABILITIES of the attribute list, and the check of the
// suspended child's token that makes a spawn fail closed.
#pragma once

#include <memory>
#include <string>
#include <vector>

#include "attr.hpp"
#include "windows/win.hpp"

namespace spx::win {

// A SID from ConvertStringSidToSidW, released with LocalFree.
struct LocalFreer {
    void operator()(void *p) const noexcept { LocalFree(p); }
};
using LocalSid = std::unique_ptr<void, LocalFreer>;

// Everything SECURITY_CAPABILITIES points to, kept alive until the child
// exists.
struct Confinement {
    LocalSid container;
    std::vector<LocalSid> capabilities;
    std::vector<SID_AND_ATTRIBUTES> capability_attrs;
    SECURITY_CAPABILITIES security{};
    bool lpac = false;
    DWORD all_packages_policy = 0;  // PROCESS_CREATION_ALL_APPLICATION_PACKAGES_OPT_OUT for LPAC
};

// Creates the profile unless SPX_APPCONTAINER_NO_PROFILE (an existing one is
// used as it is), converts the SIDs and fills c. On failure a Win32 code and
// what failed in detail.
int prepare_confinement(const spx_attr &a, Confinement &c, std::string &detail);

// The check made while the child is suspended: its token must be an
// AppContainer token of the expected SID, and LPAC when asked. 0 when it
// is; ERROR_NOT_SUPPORTED when it is not (or the check itself failed).
int verify_confined(HANDLE process, const Confinement &c, std::string &detail);

}  // namespace spx::win
