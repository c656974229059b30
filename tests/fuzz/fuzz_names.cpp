// Fuzz target: the name lookups. The input is one name: a capability
// (spx_cap_from_name), a resource (spx_rlimit_from_name), a system call
// (spx_seccomp_add), an errno (spx-run's --seccomp-action errno:NAME) and a
// signal list as spx-run parses it (--sigmask, --sigdefault).
#include <sanitizer/lsan_interface.h>
#include <strings.h>

#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <cstring>
#include <string>

#include "spx.h"
#include "spx_run_glue.h"

extern "C" int errno_from_name(const char *s);
extern "C" const char *errno_name(int e);

extern "C" int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
    if (size > 256) return -1;
    std::string name(reinterpret_cast<const char *>(data), size);
    const char *s = name.c_str();  // stops at the first NUL, as a C caller's would

    int cap = spx_cap_from_name(s);
    if (cap >= 0) {
        const char *back = spx_cap_name(cap);
        if (!back || spx_cap_from_name(back) != cap) abort();  // names round-trip
    } else if (cap != -1) {
        abort();
    }
    int n = 0;
    if (size >= sizeof n) memcpy(&n, data, sizeof n);
    if (const char *any = spx_cap_name(n)) {
        if (spx_cap_from_name(any) != n) abort();
    }
    (void)spx_stage_name(n);

    int res = spx_rlimit_from_name(s);
    if (res < -1) abort();

    int e = errno_from_name(s);
    if (e > 4095 || e < -1) abort();
    if (e >= 0) (void)errno_name(e);

    spx_seccomp *f = nullptr;
    if (spx_seccomp_new(&f, SPX_SECCOMP_ALLOW) == 0) {
        (void)spx_seccomp_add(f, s, SPX_SECCOMP_ERRNO(1));
        (void)spx_seccomp_add(f, s, SPX_SECCOMP_KILL_PROCESS);  // the same call twice
        spx_seccomp_free(f);
    }

    // Signal names, as spx-run reads them: parse only, nothing applied.
    std::string a0 = "spx-run", a1 = "--sigmask", a3 = "--sigdefault", prog = "true";
    std::string a2 = name.c_str(), a4 = name.c_str();
    char *argv[] = {a0.data(), a1.data(), a2.data(), a3.data(), a4.data(), prog.data(), nullptr};
    // A refused list unwinds past split_list()'s frees, as exit() would.
    __lsan_disable();
    (void)fuzz_spx_run(6, argv, 0, nullptr, nullptr);
    __lsan_enable();
    return 0;
}
