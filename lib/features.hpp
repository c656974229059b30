// Platform features with their own handles (Landlock, seccomp) and the
// capability and resource limit name tables, AppContainer profiles. Each
// platform directory implements all of them, answering ERROR_NOT_SUPPORTED /
// ENOTSUP for the other platform's. Arguments reach here already checked
// for NULL by c_api.cpp.
#pragma once

#include <cstddef>
#include <cstdint>

#include "spx.h"

namespace spx {

int cap_from_name(const char *name);
const char *cap_name(int cap);

// RLIMIT_* numbers are 0 .. rlimit_count() - 1.
int rlimit_count();
int rlimit_from_name(const char *name);

enum class LandlockFamily { Fs, Net, Scope };

int landlock_abi();
int landlock_errata();
uint64_t landlock_rights(LandlockFamily family, int abi);  // 0 for an unknown ABI
int landlock_new(spx_landlock **out, int abi, unsigned flags);
int landlock_allow_path(spx_landlock &rs, const char *path, uint64_t access, unsigned flags);
int landlock_allow_port(spx_landlock &rs, uint64_t port, uint64_t access, unsigned flags);
int landlock_set_scope(spx_landlock &rs, uint64_t scopes);
int landlock_set_quiet(spx_landlock &rs, uint64_t fs, uint64_t net, uint64_t scopes);
bool landlock_best_effort(const spx_landlock &rs);
int landlock_set_handled(spx_landlock &rs, uint64_t fs, uint64_t net);
int landlock_create_fd(const spx_landlock &rs, int *fd);
int landlock_status(const spx_landlock &rs);
void landlock_free(spx_landlock *rs) noexcept;

int seccomp_new(spx_seccomp **out, uint32_t default_action);
int seccomp_add(spx_seccomp &f, const char *name, uint32_t action);
int seccomp_add_nr(spx_seccomp &f, int nr, uint32_t action);
int seccomp_add_cond(spx_seccomp &f, const char *name, uint32_t action, const spx_seccomp_cond *conds, size_t n);
int seccomp_set_flags(spx_seccomp &f, unsigned flags);
// errbuf is already "" (or NULL); on failure it gets the message.
int seccomp_from_oci(spx_seccomp **out, const char *json, size_t len, const int *caps, size_t ncaps, char *errbuf,
                     size_t errlen);
size_t seccomp_ignored(const spx_seccomp &f);
int seccomp_length(const spx_seccomp &f, size_t *count);
// Compiles f (plus the implicit exec allowance) and stores it in attr.
int seccomp_attach(spx_attr &attr, const spx_seccomp &f);
void seccomp_free(spx_seccomp *f) noexcept;

// AppContainer profiles and grants (Windows; ENOTSUP elsewhere). The name is
// a valid container name, path non-empty, access a non-empty SPX_ACCESS_* set.
int appcontainer_delete(const char *name);
int appcontainer_grant(const char *name, const char *path, unsigned access);
int appcontainer_revoke(const char *name, const char *path);

}  // namespace spx
