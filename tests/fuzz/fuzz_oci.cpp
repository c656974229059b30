// Fuzz target: spx_seccomp_from_oci, the OCI seccomp profile reader (JSON
// from the user, parsed in the parent). The input is the profile; its first
// byte, when there is one, also picks the capabilities given. Checked: an
// error leaves *out as it was and explains itself in a NUL-terminated,
// printable message; a success compiles (spx_seccomp_length).
#include <cerrno>
#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <cstring>

#include "spx.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
    if (size > 65536) return -1;  // the 4 MiB limit has its own test
    int caps[2] = {21 /* CAP_SYS_ADMIN */, 12 /* CAP_NET_ADMIN */};
    size_t ncaps = size ? data[0] % 3 : 0;

    spx_seccomp *sentinel = reinterpret_cast<spx_seccomp *>(&caps);
    spx_seccomp *f = sentinel;
    char err[256];
    memset(err, 0x5a, sizeof err);
    int rc = spx_seccomp_from_oci_caps(&f, reinterpret_cast<const char *>(data), size, caps, ncaps, err, sizeof err);
    const char *end = static_cast<const char *>(memchr(err, 0, sizeof err));
    if (!end) abort();  // always terminated
    if (rc) {
        if (f != sentinel || end == err) abort();  // untouched, and a message
        if (rc != EINVAL && rc != ENOTSUP && rc != E2BIG && rc != ENOMEM) abort();
        for (const char *c = err; c < end; c++)
            if (static_cast<unsigned char>(*c) < 0x20) abort();
        return 0;
    }
    if (!f || f == sentinel || end != err) abort();
    size_t n = 0;
    int lrc = spx_seccomp_length(f, &n);
    if (lrc == 0 && n == 0) abort();
    spx_seccomp_free(f);
    return 0;
}
