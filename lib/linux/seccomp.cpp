// seccomp filters: rules kept as (syscall, action, conditions), compiled to
// classic BPF by libseccomp in the parent. libseccomp's own loader
// allocates, so it never runs in the child: the child only makes the raw
// seccomp(2) call with the exported program and the flags.
#include "seccomp.hpp"

#include <linux/seccomp.h>
#include <seccomp.h>
#include <sys/mman.h>
#include <unistd.h>

#include <cerrno>
#include <memory>
#include <vector>

#include "attr.hpp"
#include "attr_set.hpp"
#include "features.hpp"
#include "unique_fd.hpp"

// spx.h promises libseccomp's operator values: they go through unchanged.
static_assert(SPX_CMP_NE == SCMP_CMP_NE && SPX_CMP_LT == SCMP_CMP_LT && SPX_CMP_LE == SCMP_CMP_LE &&
              SPX_CMP_EQ == SCMP_CMP_EQ && SPX_CMP_GE == SCMP_CMP_GE && SPX_CMP_GT == SCMP_CMP_GT &&
              SPX_CMP_MASKED_EQ == SCMP_CMP_MASKED_EQ);

namespace spx {

bool seccomp_valid_action(uint32_t a) {
    switch (a & 0xffff0000u) {
    case SPX_SECCOMP_ALLOW:
    case SPX_SECCOMP_KILL_PROCESS:
    case SPX_SECCOMP_LOG:
    case SPX_SECCOMP_TRAP: return (a & 0xffffu) == 0;
    case SPX_SECCOMP_ERRNO(0): return (a & 0xffffu) < 4095;  // libseccomp refuses MAX_ERRNO itself
    default: return false;
    }
}

namespace {

bool is_allow(uint32_t a) { return a == SPX_SECCOMP_ALLOW || a == SPX_SECCOMP_LOG; }

// What libseccomp itself refuses, refused here at add time instead of at
// attach time: arguments 0..5, its operators, one condition per argument.
bool valid_conds(const spx_seccomp_cond *conds, size_t n) {
    if (n > 6) return false;
    unsigned seen = 0;
    for (size_t i = 0; i < n; i++) {
        const spx_seccomp_cond &c = conds[i];
        if (c.arg > 5 || c.op < SPX_CMP_NE || c.op > SPX_CMP_MASKED_EQ) return false;
        if (seen & (1u << c.arg)) return false;
        seen |= 1u << c.arg;
    }
    return true;
}

bool same_conds(const std::vector<spx_seccomp_cond> &a, const spx_seccomp_cond *b, size_t n) {
    if (a.size() != n) return false;
    for (size_t i = 0; i < n; i++)
        if (a[i].arg != b[i].arg || a[i].op != b[i].op || a[i].value != b[i].value ||
            (a[i].op == SPX_CMP_MASKED_EQ && a[i].value2 != b[i].value2))
            return false;
    return true;
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
    for (const auto &[nr, list] : f.rules) {
        for (const SeccompRule &r : list) {
            if (r.action == f.default_action) continue;  // libseccomp refuses redundant rules
            scmp_arg_cmp cmp[6];
            for (size_t i = 0; i < r.conds.size(); i++) {
                const spx_seccomp_cond &c = r.conds[i];
                // value2 means something to MASKED_EQ only (spx.h): never pass
                // what the caller left in it otherwise.
                uint64_t two = c.op == SPX_CMP_MASKED_EQ ? c.value2 : 0;
                cmp[i] = {c.arg, static_cast<scmp_compare>(c.op), c.value, two};
            }
            int rc = seccomp_rule_add_array(ctx.get(), r.action, nr, static_cast<unsigned>(r.conds.size()), cmp);
            if (rc) return -rc;
        }
    }
    // The child has to exec: allow it unless the caller decided about it.
    if (f.default_action != SPX_SECCOMP_ALLOW)
        for (int nr : {SCMP_SYS(execve), SCMP_SYS(execveat)})
            if (!f.rules.count(nr))
                if (int rc = seccomp_rule_add(ctx.get(), SCMP_ACT_ALLOW, nr, 0)) return -rc;
    // An allow-list answers clone3 with ENOSYS unless the caller decided:
    // glibc (2.34+) then starts its threads with clone, whose flags the
    // filter can see; any other errno fails pthread_create.
    int clone3 = seccomp_syscall_resolve_name("clone3");
    uint32_t enosys = SPX_SECCOMP_ERRNO(ENOSYS);
    if (!is_allow(f.default_action) && clone3 >= 0 && !f.rules.count(clone3) && f.default_action != enosys)
        if (int rc = seccomp_rule_add(ctx.get(), enosys, clone3, 0)) return -rc;
    if (int rc = export_bpf(ctx.get(), out)) return rc;
    return out->empty() || out->size() > 4096 ? E2BIG : 0;
}

}  // namespace

int seccomp_new(spx_seccomp **out, uint32_t default_action) {
    if (!seccomp_valid_action(default_action)) return EINVAL;
    auto *f = new spx_seccomp();
    f->default_action = default_action;
    *out = f;
    return 0;
}

int seccomp_rule(spx_seccomp &f, int nr, uint32_t action, const spx_seccomp_cond *conds, size_t n) {
    if (!seccomp_valid_action(action) || !valid_conds(conds, n)) return EINVAL;
    auto it = f.rules.find(nr);
    if (n == 0 || it == f.rules.end()) {
        // Built before it replaces anything, so that a failed allocation
        // leaves the filter as it was.
        std::vector<SeccompRule> list{SeccompRule{action, {conds, conds + n}}};
        f.rules[nr].swap(list);
        return 0;
    }
    std::vector<SeccompRule> &list = it->second;
    if (list.size() == 1 && list[0].conds.empty())  // unconditional: this one could never apply
        return list[0].action == action ? 0 : EEXIST;
    for (SeccompRule &r : list)
        if (same_conds(r.conds, conds, n)) {
            r.action = action;  // the same conditions: last one wins
            return 0;
        }
    list.push_back(SeccompRule{action, {conds, conds + n}});
    return 0;
}

int seccomp_add_cond(spx_seccomp &f, const char *name, uint32_t action, const spx_seccomp_cond *conds, size_t n) {
    if (!seccomp_valid_action(action) || !valid_conds(conds, n)) return EINVAL;
    int nr = seccomp_syscall_resolve_name(name);
    if (nr == __NR_SCMP_ERROR) return EINVAL;
    if (nr < 0) {  // a pseudo number: the call exists, but not on this architecture
        f.ignored++;
        return 0;
    }
    return seccomp_rule(f, nr, action, conds, n);
}

int seccomp_add(spx_seccomp &f, const char *name, uint32_t action) {
    return seccomp_add_cond(f, name, action, nullptr, 0);
}

int seccomp_add_nr(spx_seccomp &f, int nr, uint32_t action) {
    if (!seccomp_valid_action(action)) return EINVAL;
    char *name = seccomp_syscall_resolve_num_arch(SCMP_ARCH_NATIVE, nr);
    if (!name) return EINVAL;
    free(name);
    return seccomp_rule(f, nr, action, nullptr, 0);
}

int seccomp_set_flags(spx_seccomp &f, unsigned flags) {
    if (flags & ~SPX_SECCOMP_FLAG_LOG) return EINVAL;
    f.flags = flags;
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
    if (int rc = attr_set_seccomp_bpf(attr, prog.data(), prog.size())) return rc;
    attr.seccomp_flags = (f.flags & SPX_SECCOMP_FLAG_LOG) ? SECCOMP_FILTER_FLAG_LOG : 0;
    return 0;
}

void seccomp_free(spx_seccomp *f) noexcept { delete f; }

}  // namespace spx
