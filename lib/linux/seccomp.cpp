// seccomp filters: rules kept as (syscall, action) pairs, compiled to
// classic BPF by libseccomp in the parent. libseccomp's own loader
// allocates, so it never runs in the child: the child only makes the raw
// seccomp(2) call with the exported program.
#include <seccomp.h>
#include <sys/mman.h>
#include <unistd.h>

#include <cerrno>
#include <map>
#include <memory>
#include <vector>

#include "attr.hpp"
#include "attr_set.hpp"
#include "features.hpp"
#include "unique_fd.hpp"

struct spx_seccomp {
    uint32_t default_action;
    std::map<int, uint32_t> rules;  // native syscall number -> action; last one wins
    size_t ignored = 0;             // names absent on this architecture
};

namespace spx {

namespace {

bool valid_action(uint32_t a) {
    switch (a & 0xffff0000u) {
    case SPX_SECCOMP_ALLOW:
    case SPX_SECCOMP_KILL_PROCESS:
    case SPX_SECCOMP_LOG:
    case SPX_SECCOMP_TRAP: return (a & 0xffffu) == 0;
    case SPX_SECCOMP_ERRNO(0): return (a & 0xffffu) <= 4095;
    default: return false;
    }
}

struct CtxDeleter {
    void operator()(void *ctx) const { seccomp_release(ctx); }
};
using Ctx = std::unique_ptr<void, CtxDeleter>;

// libseccomp's BPF, read back into memory.
int export_bpf(scmp_filter_ctx ctx, std::vector<BpfInsn> *out) {
#ifdef SPX_HAVE_SECCOMP_EXPORT_BPF_MEM
    size_t len = 0;
    if (int rc = seccomp_export_bpf_mem(ctx, nullptr, &len)) return -rc;
    out->resize(len / sizeof(BpfInsn));
    if (int rc = seccomp_export_bpf_mem(ctx, out->data(), &len)) return -rc;
#else
    // libseccomp < 2.6 can only write to a descriptor: use an anonymous file.
    int fd = memfd_create("spx-seccomp", MFD_CLOEXEC);
    if (fd < 0) return errno;
    UniqueFd mem(fd);
    if (int rc = seccomp_export_bpf(ctx, fd)) return -rc;
    off_t len = lseek(fd, 0, SEEK_END);
    if (len < 0 || len % sizeof(BpfInsn)) return EIO;
    out->resize(static_cast<size_t>(len) / sizeof(BpfInsn));
    if (pread(fd, out->data(), static_cast<size_t>(len), 0) != len) return EIO;
#endif
    return 0;
}

int compile(const spx_seccomp &f, std::vector<BpfInsn> *out) {
    Ctx ctx(seccomp_init(f.default_action));
    if (!ctx) return ENOMEM;
    // Binary-tree dispatch keeps long lists short to evaluate (libseccomp
    // 2.5+; older ones ignore the request). Other architectures' calls (x32
    // on x86_64) get the bad-arch action, KILL, by default.
    seccomp_attr_set(ctx.get(), SCMP_FLTATR_CTL_OPTIMIZE, 2);
    for (auto [nr, action] : f.rules) {
        if (action == f.default_action) continue;  // libseccomp refuses redundant rules
        if (int rc = seccomp_rule_add(ctx.get(), action, nr, 0)) return -rc;
    }
    // The child has to exec: allow it unless the caller decided about it.
    if (f.default_action != SPX_SECCOMP_ALLOW)
        for (int nr : {SCMP_SYS(execve), SCMP_SYS(execveat)})
            if (!f.rules.count(nr))
                if (int rc = seccomp_rule_add(ctx.get(), SCMP_ACT_ALLOW, nr, 0)) return -rc;
    if (int rc = export_bpf(ctx.get(), out)) return rc;
    return out->empty() || out->size() > 4096 ? E2BIG : 0;
}

}  // namespace

int seccomp_new(spx_seccomp **out, uint32_t default_action) {
    if (!valid_action(default_action)) return EINVAL;
    *out = new spx_seccomp{default_action, {}, 0};
    return 0;
}

int seccomp_add(spx_seccomp &f, const char *name, uint32_t action) {
    if (!valid_action(action)) return EINVAL;
    int nr = seccomp_syscall_resolve_name(name);
    if (nr == __NR_SCMP_ERROR) return EINVAL;
    if (nr < 0) {  // a pseudo number: the call exists, but not on this architecture
        f.ignored++;
        return 0;
    }
    f.rules[nr] = action;
    return 0;
}

int seccomp_add_nr(spx_seccomp &f, int nr, uint32_t action) {
    if (!valid_action(action)) return EINVAL;
    char *name = seccomp_syscall_resolve_num_arch(SCMP_ARCH_NATIVE, nr);
    if (!name) return EINVAL;
    free(name);
    f.rules[nr] = action;
    return 0;
}

size_t seccomp_ignored(const spx_seccomp &f) { return f.ignored; }

int seccomp_length(const spx_seccomp &f, size_t *count) {
    std::vector<BpfInsn> prog;
    if (int rc = compile(f, &prog)) return rc;
    *count = prog.size();
    return 0;
}

int seccomp_attach(spx_attr &attr, const spx_seccomp &f) {
    std::vector<BpfInsn> prog;
    if (int rc = compile(f, &prog)) return rc;
    return attr_set_seccomp_bpf(attr, prog.data(), prog.size());
}

void seccomp_free(spx_seccomp *f) noexcept { delete f; }

}  // namespace spx
