// Capability names and the kernel's capability range.
#include <sys/prctl.h>
#include <unistd.h>

#include <cctype>
#include <cerrno>
#include <cstdio>
#include <cstring>

#include "features.hpp"
#include "linux/caps.hpp"
#include "platform.hpp"

namespace spx {

namespace {

// Index = capability number (linux/capability.h).
constexpr const char *kNames[] = {
#define SPX_CAP(n) "cap_" n
    SPX_CAP("chown"), SPX_CAP("dac_override"), SPX_CAP("dac_read_search"), SPX_CAP("fowner"),
    SPX_CAP("fsetid"), SPX_CAP("kill"), SPX_CAP("setgid"), SPX_CAP("setuid"), SPX_CAP("setpcap"),
    SPX_CAP("linux_immutable"), SPX_CAP("net_bind_service"), SPX_CAP("net_broadcast"),
    SPX_CAP("net_admin"), SPX_CAP("net_raw"), SPX_CAP("ipc_lock"), SPX_CAP("ipc_owner"),
    SPX_CAP("sys_module"), SPX_CAP("sys_rawio"), SPX_CAP("sys_chroot"), SPX_CAP("sys_ptrace"),
    SPX_CAP("sys_pacct"), SPX_CAP("sys_admin"), SPX_CAP("sys_boot"), SPX_CAP("sys_nice"),
    SPX_CAP("sys_resource"), SPX_CAP("sys_time"), SPX_CAP("sys_tty_config"), SPX_CAP("mknod"),
    SPX_CAP("lease"), SPX_CAP("audit_write"), SPX_CAP("audit_control"), SPX_CAP("setfcap"),
    SPX_CAP("mac_override"), SPX_CAP("mac_admin"), SPX_CAP("syslog"), SPX_CAP("wake_alarm"),
    SPX_CAP("block_suspend"), SPX_CAP("audit_read"), SPX_CAP("perfmon"), SPX_CAP("bpf"),
    SPX_CAP("checkpoint_restore"),
#undef SPX_CAP
};
constexpr int kKnown = sizeof kNames / sizeof kNames[0];

bool equal_nocase(const char *a, const char *b) {
    for (; *a && *b; a++, b++)
        if (std::tolower(static_cast<unsigned char>(*a)) != *b) return false;
    return *a == *b;
}

}  // namespace

int cap_from_name(const char *name) {
    if ((name[0] == 'c' || name[0] == 'C') && (name[1] == 'a' || name[1] == 'A') &&
        (name[2] == 'p' || name[2] == 'P') && name[3] == '_')
        name += 4;
    for (int i = 0; i < kKnown; i++)
        if (equal_nocase(name, kNames[i] + 4)) return i;  // past "cap_"
    return -1;
}

const char *cap_name(int cap) { return cap >= 0 && cap < kKnown ? kNames[cap] : nullptr; }

int platform::cap_last() {
    // The kernel publishes it; without /proc, probe the bounding set, which
    // answers EINVAL past the last capability.
    if (FILE *f = std::fopen("/proc/sys/kernel/cap_last_cap", "re")) {
        int last = -1;
        int n = std::fscanf(f, "%d", &last);
        std::fclose(f);
        if (n == 1 && last >= 0 && last < 64) return last;
    }
    int last = -1;
    while (last < 63 && prctl(PR_CAPBSET_READ, last + 1, 0, 0, 0) >= 0) last++;
    return last;
}

namespace os {

int read_caps(CapSets *out) {
    __user_cap_header_struct hdr{_LINUX_CAPABILITY_VERSION_3, 0};
    __user_cap_data_struct data[2]{};
    if (syscall(SYS_capget, &hdr, data) != 0) return errno;
    out->effective = data[0].effective | uint64_t{data[1].effective} << 32;
    out->permitted = data[0].permitted | uint64_t{data[1].permitted} << 32;
    out->inheritable = data[0].inheritable | uint64_t{data[1].inheritable} << 32;
    return 0;
}

}  // namespace os

}  // namespace spx
