// The Linux features with their own objects (Landlock rulesets, seccomp
// filters) and name tables (capabilities, resource limits) on Windows:
// nothing to look up, every constructor ERROR_NOT_SUPPORTED. No object of
// these types is ever created here, so the accessors are never reached with
// one; they answer as for an empty object.
#include <algorithm>
#include <cstring>

#include "features.hpp"
#include "windows/win.hpp"

namespace spx {

int cap_from_name(const char *) { return -1; }
const char *cap_name(int) { return nullptr; }
int rlimit_count() { return 0; }
int rlimit_from_name(const char *) { return -1; }

int landlock_abi() { return 0; }
int landlock_errata() { return 0; }
uint64_t landlock_rights(LandlockFamily, int) { return 0; }
int landlock_new(spx_landlock **out, int, unsigned) {
    *out = nullptr;
    return ERROR_NOT_SUPPORTED;
}
int landlock_allow_path(spx_landlock &, const char *, uint64_t, unsigned) { return ERROR_NOT_SUPPORTED; }
int landlock_allow_port(spx_landlock &, uint64_t, uint64_t, unsigned) { return ERROR_NOT_SUPPORTED; }
int landlock_set_scope(spx_landlock &, uint64_t) { return ERROR_NOT_SUPPORTED; }
int landlock_set_quiet(spx_landlock &, uint64_t, uint64_t, uint64_t) { return ERROR_NOT_SUPPORTED; }
bool landlock_best_effort(const spx_landlock &) { return false; }
int landlock_set_handled(spx_landlock &, uint64_t, uint64_t) { return ERROR_NOT_SUPPORTED; }
int landlock_create_fd(const spx_landlock &, int *) { return ERROR_NOT_SUPPORTED; }
int landlock_status(const spx_landlock &) { return SPX_LANDLOCK_NOT_ENFORCED; }
void landlock_free(spx_landlock *) noexcept {}

int seccomp_new(spx_seccomp **out, uint32_t) {
    *out = nullptr;
    return ERROR_NOT_SUPPORTED;
}
int seccomp_add(spx_seccomp &, const char *, uint32_t) { return ERROR_NOT_SUPPORTED; }
int seccomp_add_nr(spx_seccomp &, int, uint32_t) { return ERROR_NOT_SUPPORTED; }
int seccomp_add_cond(spx_seccomp &, const char *, uint32_t, const spx_seccomp_cond *, size_t) {
    return ERROR_NOT_SUPPORTED;
}
int seccomp_set_flags(spx_seccomp &, unsigned) { return ERROR_NOT_SUPPORTED; }
int seccomp_from_oci(spx_seccomp **, const char *, size_t, const int *, size_t, char *errbuf, size_t errlen) {
    if (errbuf && errlen) {
        static constexpr char kWhy[] = "seccomp profiles are a Linux feature";
        size_t n = std::min(errlen - 1, sizeof kWhy - 1);
        std::memcpy(errbuf, kWhy, n);
        errbuf[n] = '\0';
    }
    return ERROR_NOT_SUPPORTED;
}
size_t seccomp_ignored(const spx_seccomp &) { return 0; }
int seccomp_length(const spx_seccomp &, size_t *) { return ERROR_NOT_SUPPORTED; }
int seccomp_attach(spx_attr &, const spx_seccomp &) { return ERROR_NOT_SUPPORTED; }
void seccomp_free(spx_seccomp *) noexcept {}

}  // namespace spx
