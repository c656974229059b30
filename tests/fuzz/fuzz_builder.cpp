// Fuzz target: a sequence of builder calls decoded from the input. Every
// spx_attr, spx_landlock and spx_seccomp setter, with arbitrary values
// (descriptors mostly small, so that some are open), then the spawn plan
// built as spx_spawn() builds it, without spawning, then everything freed.
#include <fuzzer/FuzzedDataProvider.h>

#include <cstddef>
#include <cstdint>
#include <string>
#include <vector>

#include "fuzz_common.hpp"
#include "spx.h"

namespace {

int fd_value(FuzzedDataProvider &in) {
    if (in.ConsumeBool()) return in.ConsumeIntegral<int>();
    return in.ConsumeIntegralInRange<int>(-2, 12);
}

uint64_t u64_value(FuzzedDataProvider &in) {
    switch (in.ConsumeIntegralInRange<int>(0, 3)) {
    case 0: return 0;
    case 1: return UINT64_MAX;
    case 2: return in.ConsumeIntegralInRange<uint64_t>(0, 70);
    default: return in.ConsumeIntegral<uint64_t>();
    }
}

std::vector<int> int_list(FuzzedDataProvider &in) {
    std::vector<int> v(in.ConsumeIntegralInRange<size_t>(0, 8));
    for (int &x : v) x = in.ConsumeBool() ? in.ConsumeIntegralInRange<int>(-1, 70) : in.ConsumeIntegral<int>();
    return v;
}

// NULL for an empty list half the time: (NULL, 0) is the documented empty set.
template <class T>
const T *ptr(const std::vector<T> &v) {
    return v.empty() ? nullptr : v.data();
}

std::string str(FuzzedDataProvider &in) {
    if (in.ConsumeBool()) {  // a path that exists, often
        static const char *const known[] = {"/", "/tmp", "/usr/bin", "/bin/true", "/proc/self", "/dev/null", "",
                                            "true", "sh", "relative/dir"};
        return known[in.ConsumeIntegralInRange<size_t>(0, sizeof known / sizeof *known - 1)];
    }
    return in.ConsumeRandomLengthString(64);
}

void landlock_calls(FuzzedDataProvider &in, spx_attr *attr) {
    spx_landlock *rs = nullptr;
    int abi = in.ConsumeIntegralInRange<int>(-1, 11);
    unsigned flags = in.ConsumeIntegralInRange<unsigned>(0, 4);
    if (spx_landlock_new(&rs, abi, flags) != 0) return;
    int steps = in.ConsumeIntegralInRange<int>(0, 8);
    for (int i = 0; i < steps; i++) {
        switch (in.ConsumeIntegralInRange<int>(0, 8)) {
        case 0: {
            std::string p = str(in);
            (void)spx_landlock_allow_path(rs, in.ConsumeBool() ? p.c_str() : nullptr, u64_value(in));
            break;
        }
        case 1: (void)spx_landlock_allow_port(rs, u64_value(in), u64_value(in)); break;
        case 6: {
            std::string p = str(in);
            (void)spx_landlock_allow_path_flags(rs, in.ConsumeBool() ? p.c_str() : nullptr, u64_value(in),
                                                in.ConsumeIntegral<unsigned>());
            break;
        }
        case 7:
            (void)spx_landlock_allow_port_flags(rs, u64_value(in), u64_value(in), in.ConsumeIntegral<unsigned>());
            break;
        case 8: (void)spx_landlock_set_quiet(rs, u64_value(in), u64_value(in), u64_value(in)); break;
        case 2: (void)spx_landlock_set_scope(rs, u64_value(in)); break;
        case 3: (void)spx_landlock_set_handled(rs, u64_value(in), u64_value(in)); break;
        case 4: {
            int fd = -1;
            if (spx_landlock_create_fd(rs, &fd) == 0) close(fd);
            break;
        }
        default: (void)spx_landlock_status(rs); break;
        }
    }
    (void)spx_attr_set_landlock(attr, in.ConsumeBool() ? rs : nullptr);
    (void)spx_attr_set_landlock_flags(attr, in.ConsumeIntegralInRange<unsigned>(0, 9));
    spx_landlock_free(rs);
}

void seccomp_calls(FuzzedDataProvider &in, spx_attr *attr) {
    spx_seccomp *f = nullptr;
    uint32_t def = in.ConsumeBool() ? SPX_SECCOMP_ALLOW : in.ConsumeIntegral<uint32_t>();
    if (spx_seccomp_new(&f, def) != 0) return;
    int steps = in.ConsumeIntegralInRange<int>(0, 8);
    for (int i = 0; i < steps; i++) {
        uint32_t action = in.ConsumeBool() ? SPX_SECCOMP_ERRNO(in.ConsumeIntegral<uint16_t>())
                                           : in.ConsumeIntegral<uint32_t>();
        switch (in.ConsumeIntegralInRange<int>(0, 3)) {
        case 0: {
            static const char *const names[] = {"read", "write", "openat", "execve", "ptrace", "socket", "bogus"};
            std::string n = in.ConsumeBool() ? names[in.ConsumeIntegralInRange<size_t>(0, 6)]
                                             : in.ConsumeRandomLengthString(32);
            (void)spx_seccomp_add(f, n.c_str(), action);
            break;
        }
        case 1: (void)spx_seccomp_add_nr(f, in.ConsumeIntegralInRange<int>(-2, 600), action); break;
        case 2: (void)spx_seccomp_ignored(f); break;
        default: {
            size_t count = 0;
            (void)spx_seccomp_length(f, &count);
            break;
        }
        }
    }
    (void)spx_attr_set_seccomp(attr, in.ConsumeBool() ? f : nullptr);
    spx_seccomp_free(f);
}

void one_call(FuzzedDataProvider &in, spx_attr *attr) {
    switch (in.ConsumeIntegralInRange<int>(0, 30)) {
    case 0: {
        std::string d = str(in);
        (void)spx_attr_set_cwd(attr, in.ConsumeBool() ? d.c_str() : nullptr);
        break;
    }
    case 1: (void)spx_attr_set_fd(attr, fd_value(in), fd_value(in)); break;
    case 2: (void)spx_attr_set_search_path(attr, in.ConsumeIntegralInRange<int>(-1, 2)); break;
    case 3: {
        auto v = int_list(in);
        (void)spx_attr_set_sigmask(attr, ptr(v), v.size());
        break;
    }
    case 4: {
        auto v = int_list(in);
        (void)spx_attr_set_sigdefault(attr, ptr(v), v.size());
        break;
    }
    case 5: (void)spx_attr_set_uid(attr, in.ConsumeIntegral<uint32_t>()); break;
    case 6: (void)spx_attr_set_gid(attr, in.ConsumeIntegral<uint32_t>()); break;
    case 7: {
        std::vector<uint32_t> g(in.ConsumeIntegralInRange<size_t>(0, 8));
        for (auto &x : g) x = in.ConsumeIntegral<uint32_t>();
        (void)spx_attr_set_groups(attr, ptr(g), g.size());
        break;
    }
    case 8: (void)spx_attr_set_keep_groups(attr, in.ConsumeIntegralInRange<int>(-1, 2)); break;
    case 9: {
        auto v = int_list(in);
        (void)spx_attr_set_ambient(attr, ptr(v), v.size());
        break;
    }
    case 10: {
        auto v = int_list(in);
        (void)spx_attr_set_inheritable(attr, ptr(v), v.size());
        break;
    }
    case 11: {
        auto v = int_list(in);
        (void)spx_attr_set_bounding(attr, ptr(v), v.size());
        break;
    }
    case 12: (void)spx_attr_set_no_new_privs(attr, in.ConsumeIntegralInRange<int>(-1, 2)); break;
    case 13: {
        std::string d = str(in);
        (void)spx_attr_set_chroot(attr, in.ConsumeBool() ? d.c_str() : nullptr);
        break;
    }
    case 14:
        (void)spx_attr_set_rlimit(attr, in.ConsumeIntegralInRange<int>(-1, 17), u64_value(in), u64_value(in));
        break;
    case 15: (void)spx_attr_set_setsid(attr, in.ConsumeIntegralInRange<int>(-1, 2)); break;
    case 16: (void)spx_attr_set_pgroup(attr, in.ConsumeIntegral<int64_t>()); break;
    case 17: (void)spx_attr_set_ctty(attr, fd_value(in)); break;
    case 18: (void)spx_attr_set_foreground(attr, fd_value(in)); break;
    case 19: (void)spx_attr_set_cgroup_fd(attr, fd_value(in)); break;
    case 20: (void)spx_attr_set_pdeathsig(attr, in.ConsumeIntegralInRange<int>(-1, 70)); break;
    case 21: (void)spx_attr_set_umask(attr, in.ConsumeIntegral<int>()); break;
    case 22: (void)spx_attr_set_securebits(attr, in.ConsumeIntegral<unsigned>()); break;
    case 23: (void)spx_attr_set_execfd(attr, fd_value(in)); break;
    case 24: (void)spx_attr_set_exec_dirfd(attr, fd_value(in), in.ConsumeIntegral<int>()); break;
    case 25: landlock_calls(in, attr); break;
    case 26: (void)spx_attr_set_landlock_fd(attr, fd_value(in)); break;
    case 27: seccomp_calls(in, attr); break;
    case 28: {
        std::vector<uint8_t> insns = in.ConsumeBytes<uint8_t>(in.ConsumeIntegralInRange<size_t>(0, 8) * 8);
        size_t count = in.ConsumeBool() ? insns.size() / 8 : in.ConsumeIntegralInRange<size_t>(0, 70000);
        if (count > insns.size() / 8 && !insns.empty()) count = insns.size() / 8;  // the caller's promise
        (void)spx_attr_set_seccomp_bpf(attr, insns.empty() ? nullptr : insns.data(), insns.empty() ? 0 : count);
        break;
    }
    case 29: {
        std::string name = str(in), sid = str(in);
        const char *sids[] = {sid.c_str()};
        (void)spx_attr_set_appcontainer(attr, in.ConsumeBool() ? name.c_str() : nullptr, sids, in.ConsumeBool());
        break;
    }
    default: (void)spx_attr_set_fd(attr, in.ConsumeIntegralInRange<int>(0, 4), -1); break;
    }
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
    if (size > 8192) return -1;
    FuzzedDataProvider in(data, size);
    spx_attr *attr = spx_attr_new();
    if (!attr) return 0;
    int calls = in.ConsumeIntegralInRange<int>(0, 32);
    for (int i = 0; i < calls && in.remaining_bytes() > 0; i++) one_call(in, attr);

    std::string path = str(in);
    std::vector<std::string> args;
    int nargs = in.ConsumeIntegralInRange<int>(0, 3);
    for (int i = 0; i < nargs; i++) args.push_back(in.ConsumeRandomLengthString(16));
    std::vector<const char *> argv;
    for (auto &a : args) argv.push_back(a.c_str());
    argv.push_back(nullptr);
    const char *envp[] = {"PATH=/usr/bin:/bin", nullptr};
    fuzz::build_plan(*attr, in.ConsumeBool() ? path.c_str() : nullptr, nargs || in.ConsumeBool() ? argv.data() : nullptr,
                     in.ConsumeBool() ? envp : nullptr);
    spx_attr_free(attr);
    return 0;
}
