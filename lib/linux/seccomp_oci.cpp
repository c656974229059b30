// OCI runtime-spec seccomp profiles (the JSON of Docker, Podman, containerd
// and Kubernetes) read into an spx_seccomp, in the parent, with json-c.
//
// The reader is strict where leniency would weaken the sandbox without a
// word: an unknown key, a conflicting pair of rules or an action spx cannot
// run is an error naming its JSON path. It is lenient only where profiles
// are meant to outlive their tools: unknown system call names are counted,
// not refused, like spx_seccomp_add()'s names absent on this architecture.
#include <json-c/json.h>
#include <seccomp.h>
#include <sys/utsname.h>

#include <cerrno>
#include <cstdarg>
#include <cstdio>
#include <cstring>
#include <map>
#include <memory>
#include <string>
#include <vector>

#include "features.hpp"
#include "seccomp.hpp"

namespace spx {

namespace {

constexpr size_t kMaxProfile = 4u << 20;  // Docker's default profile is about 20 KB
constexpr int kMaxDepth = 16;             // a profile nests 5 deep
constexpr uint64_t kMaxErrno = 4094;      // libseccomp refuses the kernel's MAX_ERRNO, 4095

// A failure: the errno value and the message for errbuf.
struct Error {
    int code;
    std::string msg;
};

[[gnu::format(printf, 3, 4)]] Error error(int code, const std::string &path, const char *fmt, ...) {
    char text[512];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(text, sizeof text, fmt, ap);
    va_end(ap);
    // Names from the profile are echoed: keep control bytes and broken
    // UTF-8 out of the caller's logs.
    for (char *c = text; *c; c++)
        if (static_cast<unsigned char>(*c) < 0x20 || static_cast<unsigned char>(*c) >= 0x7f) *c = '?';
    return Error{code, (path.empty() ? std::string("(root)") : path) + ": " + text};
}

const char *type_name(json_object *o) {
    switch (json_object_get_type(o)) {
    case json_type_null: return "null";
    case json_type_boolean: return "a boolean";
    case json_type_double: return "a non-integer number";
    case json_type_int: return "an integer";
    case json_type_object: return "an object";
    case json_type_array: return "an array";
    case json_type_string: return "a string";
    }
    return "?";
}

std::string at(const std::string &path, const char *key) { return path.empty() ? key : path + "." + key; }
std::string at(const std::string &path, size_t i) { return path + "[" + std::to_string(i) + "]"; }

struct JsonDeleter {
    void operator()(json_object *o) const { json_object_put(o); }
};
struct TokenerDeleter {
    void operator()(json_tokener *t) const { json_tokener_free(t); }
};
struct FilterDeleter {
    void operator()(spx_seccomp *f) const { seccomp_free(f); }
};

// The keys an object may have; anything else is refused.
bool check_keys(json_object *obj, const std::string &path, std::initializer_list<const char *> known, Error *e) {
    json_object_iterator it = json_object_iter_begin(obj), end = json_object_iter_end(obj);
    for (; !json_object_iter_equal(&it, &end); json_object_iter_next(&it)) {
        const char *key = json_object_iter_peek_name(&it);
        bool ok = false;
        for (const char *k : known) ok = ok || !strcmp(k, key);
        if (!ok) {
            *e = error(EINVAL, path, "unknown key \"%s\"", key);
            return false;
        }
    }
    return true;
}

// A member, or nullptr when absent or null (optional members).
json_object *member(json_object *obj, const char *key) {
    json_object *v = nullptr;
    if (!json_object_object_get_ex(obj, key, &v) || json_object_is_type(v, json_type_null)) return nullptr;
    return v;
}

bool expect(json_object *v, json_type type, const char *what, const std::string &path, Error *e) {
    if (!json_object_is_type(v, type)) {
        *e = error(EINVAL, path, "expected %s, got %s", what, type_name(v));
        return false;
    }
    // "mkdir\u0000x" would read as "mkdir" everywhere below.
    if (type == json_type_string &&
        strlen(json_object_get_string(v)) != static_cast<size_t>(json_object_get_string_len(v))) {
        *e = error(EINVAL, path, "a string with a NUL character");
        return false;
    }
    return true;
}

bool get_u64(json_object *v, const std::string &path, uint64_t max, uint64_t *out, Error *e) {
    if (!expect(v, json_type_int, "an unsigned integer", path, e)) return false;
    if (json_object_get_int64(v) < 0) {
        *e = error(EINVAL, path, "expected an unsigned integer, got %lld",
                   static_cast<long long>(json_object_get_int64(v)));
        return false;
    }
    uint64_t u = json_object_get_uint64(v);
    if (u > max) {
        *e = error(EINVAL, path, "%llu is over the maximum %llu", static_cast<unsigned long long>(u),
                   static_cast<unsigned long long>(max));
        return false;
    }
    *out = u;
    return true;
}

// Each string of an array, or an error for anything else.
template <typename F>
bool each_string(json_object *arr, const std::string &path, Error *e, F &&f) {
    if (!expect(arr, json_type_array, "an array of strings", path, e)) return false;
    for (size_t i = 0, n = json_object_array_length(arr); i < n; i++) {
        json_object *s = json_object_array_get_idx(arr, i);
        if (!expect(s, json_type_string, "a string", at(path, i), e)) return false;
        if (!f(json_object_get_string(s), at(path, i))) return false;
    }
    return true;
}

// libseccomp's architecture token for an OCI name (SCMP_ARCH_X86_64) or a
// Go/Docker one (amd64); 0 when unknown.
uint32_t arch_token(const char *name) {
    static const struct {
        const char *go, *scmp;
    } kGo[] = {
        {"amd64", "x86_64"}, {"386", "x86"},         {"arm64", "aarch64"},       {"loong64", "loongarch64"},
        {"mipsle", "mipsel"}, {"mips64le", "mipsel64"}, {"mips64p32", "mips64n32"}, {"mips64p32le", "mipsel64n32"},
    };
    std::string s = name;
    if (s.rfind("SCMP_ARCH_", 0) == 0) {
        s = s.substr(10);
        for (char &c : s) c = static_cast<char>(c >= 'A' && c <= 'Z' ? c - 'A' + 'a' : c);
    } else {
        for (const auto &g : kGo)
            if (s == g.go) s = g.scmp;
    }
    if (s.empty()) return 0;
    return seccomp_arch_resolve_name(s.c_str());
}

// "5.4" or "5.4.0" as one comparable number; false if malformed.
bool parse_version(const char *s, uint64_t *out, bool strict) {
    uint64_t parts[3] = {0, 0, 0};
    int n = 0;
    const char *p = s;
    while (n < 3) {
        if (*p < '0' || *p > '9') return false;
        uint64_t v = 0;
        while (*p >= '0' && *p <= '9' && v < 100000) v = v * 10 + static_cast<uint64_t>(*p++ - '0');
        parts[n++] = v;
        if (*p != '.') break;
        p++;
    }
    if (n < 2 || (strict && *p)) return false;  // uname's release may go on ("-amd64")
    *out = (parts[0] << 40) | (parts[1] << 20) | parts[2];
    return true;
}

struct Context {
    uint32_t native_arch;
    uint64_t kernel;  // parse_version of uname's release
    uint64_t caps;    // bit per capability the child holds
};

// Docker's includes/excludes: does the rule apply to this child?
bool filter_holds(json_object *obj, const std::string &path, const Context &cx, bool include, bool *holds,
                  Error *e) {
    if (!expect(obj, json_type_object, "an object", path, e)) return false;
    if (!check_keys(obj, path, {"arches", "caps", "minKernel"}, e)) return false;
    // includes: every listed condition must hold; excludes: the rule is
    // dropped when any listed condition holds.
    bool all = true, any = false;
    if (json_object *v = member(obj, "arches")) {
        bool native = false;
        bool ok = each_string(v, at(path, "arches"), e, [&](const char *s, const std::string &p) {
            uint32_t t = arch_token(s);
            if (!t) {
                *e = error(EINVAL, p, "unknown architecture \"%s\"", s);
                return false;
            }
            native = native || t == cx.native_arch;
            return true;
        });
        if (!ok) return false;
        if (json_object_array_length(v)) {
            all = all && native;
            any = any || native;
        }
    }
    if (json_object *v = member(obj, "caps")) {
        bool every = true, some = false;
        bool ok = each_string(v, at(path, "caps"), e, [&](const char *s, const std::string &p) {
            int cap = cap_from_name(s);
            if (cap < 0 || cap > 63) {
                *e = error(EINVAL, p, "unknown capability \"%s\"", s);
                return false;
            }
            bool held = cx.caps >> cap & 1;
            every = every && held;
            some = some || held;
            return true;
        });
        if (!ok) return false;
        if (json_object_array_length(v)) {
            all = all && every;
            any = any || some;
        }
    }
    if (json_object *v = member(obj, "minKernel")) {
        std::string p = at(path, "minKernel");
        if (!expect(v, json_type_string, "a string such as \"5.4\"", p, e)) return false;
        uint64_t want;
        if (!parse_version(json_object_get_string(v), &want, true)) {
            *e = error(EINVAL, p, "expected a kernel version such as \"5.4\", got \"%s\"", json_object_get_string(v));
            return false;
        }
        bool new_enough = cx.kernel >= want;
        all = all && new_enough;
        any = any || new_enough;
    }
    *holds = include ? all : any;
    return true;
}

// An OCI action name with its errno; ENOTSUP for those spx cannot run.
bool parse_action(json_object *v, const std::string &path, uint64_t errno_ret, uint32_t *out, Error *e) {
    if (!expect(v, json_type_string, "a string such as \"SCMP_ACT_ERRNO\"", path, e)) return false;
    const char *s = json_object_get_string(v);
    if (!strcmp(s, "SCMP_ACT_ALLOW")) *out = SPX_SECCOMP_ALLOW;
    else if (!strcmp(s, "SCMP_ACT_ERRNO")) *out = SPX_SECCOMP_ERRNO(errno_ret);
    else if (!strcmp(s, "SCMP_ACT_LOG")) *out = SPX_SECCOMP_LOG;
    else if (!strcmp(s, "SCMP_ACT_TRAP")) *out = SPX_SECCOMP_TRAP;
    // Killing one thread of a threaded program leaves the others running
    // on broken state: spx kills the process, which is never less.
    else if (!strcmp(s, "SCMP_ACT_KILL") || !strcmp(s, "SCMP_ACT_KILL_THREAD") || !strcmp(s, "SCMP_ACT_KILL_PROCESS"))
        *out = SPX_SECCOMP_KILL_PROCESS;
    else if (!strcmp(s, "SCMP_ACT_NOTIFY") || !strcmp(s, "SCMP_ACT_TRACE")) {
        *e = error(ENOTSUP, path, "%s needs a supervisor process (a %s), which spx does not run", s,
                   s[9] == 'N' ? "seccomp notification listener" : "ptrace tracer");
        return false;
    } else {
        *e = error(EINVAL, path, "unknown action \"%s\"", s);
        return false;
    }
    return true;
}

const char *kOps[] = {nullptr,           "SCMP_CMP_NE", "SCMP_CMP_LT", "SCMP_CMP_LE",
                      "SCMP_CMP_EQ",     "SCMP_CMP_GE", "SCMP_CMP_GT", "SCMP_CMP_MASKED_EQ"};

bool parse_arg(json_object *obj, const std::string &path, spx_seccomp_cond *c, Error *e) {
    if (!expect(obj, json_type_object, "an object", path, e)) return false;
    if (!check_keys(obj, path, {"index", "value", "valueTwo", "op"}, e)) return false;
    json_object *index = member(obj, "index"), *value = member(obj, "value"), *op = member(obj, "op");
    for (auto [v, key] : {std::pair{index, "index"}, {value, "value"}, {op, "op"}})
        if (!v) {
            *e = error(EINVAL, at(path, key), "missing");
            return false;
        }
    uint64_t arg;
    if (!get_u64(index, at(path, "index"), 5, &arg, e)) return false;
    c->arg = static_cast<unsigned>(arg);
    if (!get_u64(value, at(path, "value"), UINT64_MAX, &c->value, e)) return false;
    c->value2 = 0;
    if (json_object *two = member(obj, "valueTwo"))
        if (!get_u64(two, at(path, "valueTwo"), UINT64_MAX, &c->value2, e)) return false;
    if (!expect(op, json_type_string, "a string such as \"SCMP_CMP_EQ\"", at(path, "op"), e)) return false;
    const char *name = json_object_get_string(op);
    c->op = 0;
    for (int i = SPX_CMP_NE; i <= SPX_CMP_MASKED_EQ; i++)
        if (!strcmp(kOps[i], name)) c->op = i;
    if (!c->op) {
        *e = error(EINVAL, at(path, "op"), "unknown operator \"%s\"", name);
        return false;
    }
    return true;
}

// What was decided for one system call, to refuse ambiguous profiles.
struct Decided {
    size_t rule;  // index in syscalls[]
    uint32_t action;
    bool conditional;
};

class Reader {
public:
    Reader(spx_seccomp &f, const Context &cx) : f_(f), cx_(cx) {}

    // default_errno: SCMP_ACT_ERRNO without errnoRet (EPERM, as runc).
    bool syscall_rule(json_object *obj, const std::string &path, uint64_t default_errno, size_t index, Error *e) {
        if (!expect(obj, json_type_object, "an object", path, e)) return false;
        if (!check_keys(obj, path, {"names", "name", "action", "errnoRet", "args", "comment", "includes", "excludes"},
                        e))
            return false;
        bool applies = true;
        if (json_object *inc = member(obj, "includes")) {
            bool holds;
            if (!filter_holds(inc, at(path, "includes"), cx_, true, &holds, e)) return false;
            applies = applies && holds;
        }
        if (json_object *exc = member(obj, "excludes")) {
            bool holds;
            if (!filter_holds(exc, at(path, "excludes"), cx_, false, &holds, e)) return false;
            applies = applies && !holds;
        }

        json_object *action = member(obj, "action");
        if (!action) {
            *e = error(EINVAL, at(path, "action"), "missing");
            return false;
        }
        uint64_t err = default_errno;
        json_object *errno_ret = member(obj, "errnoRet");
        if (errno_ret && !get_u64(errno_ret, at(path, "errnoRet"), kMaxErrno, &err, e)) return false;
        uint32_t act;
        if (!parse_action(action, at(path, "action"), err, &act, e)) return false;
        if (errno_ret && (act & 0xffff0000u) != SPX_SECCOMP_ERRNO(0)) {
            *e = error(EINVAL, at(path, "errnoRet"), "only SCMP_ACT_ERRNO takes an errno");
            return false;
        }

        std::vector<spx_seccomp_cond> conds;
        unsigned seen = 0;
        bool repeated = false;  // an index listed twice: one rule per condition
        if (json_object *args = member(obj, "args")) {
            if (!expect(args, json_type_array, "an array", at(path, "args"), e)) return false;
            size_t n = json_object_array_length(args);
            if (n > 6) {
                *e = error(EINVAL, at(path, "args"), "%zu conditions, at most 6", n);
                return false;
            }
            for (size_t i = 0; i < n; i++) {
                spx_seccomp_cond c;
                if (!parse_arg(json_object_array_get_idx(args, i), at(at(path, "args"), i), &c, e)) return false;
                repeated = repeated || (seen >> c.arg & 1);
                seen |= 1u << c.arg;
                conds.push_back(c);
            }
        }

        std::vector<std::string> names;
        if (json_object *list = member(obj, "names"))
            if (!each_string(list, at(path, "names"), e, [&](const char *s, const std::string &) {
                    names.emplace_back(s);
                    return true;
                }))
                return false;
        if (json_object *one = member(obj, "name")) {  // Docker's older spelling
            if (!expect(one, json_type_string, "a string", at(path, "name"), e)) return false;
            names.emplace_back(json_object_get_string(one));
        }
        if (names.empty()) {
            *e = error(EINVAL, path, "no system call names");
            return false;
        }
        for (size_t i = 0; i < names.size(); i++)
            if (names[i].empty()) {
                *e = error(EINVAL, at(at(path, "names"), i), "empty system call name");
                return false;
            }
        if (!applies) return true;  // checked all the same: a bad rule is bad on every machine

        for (const std::string &name : names) {
            int nr = seccomp_syscall_resolve_name(name.c_str());
            if (nr < 0) {  // unknown to this libseccomp, or absent on this architecture
                f_.ignored++;
                continue;
            }
            if (!decide(nr, name, index, act, !conds.empty(), path, e)) return false;
            int rc = 0;
            if (repeated)
                for (const spx_seccomp_cond &c : conds) rc = rc ? rc : seccomp_rule(f_, nr, act, &c, 1);
            else
                rc = seccomp_rule(f_, nr, act, conds.data(), conds.size());
            if (rc) {
                *e = error(rc, path, "%s: cannot add the rule (%s)", name.c_str(), strerror(rc));
                return false;
            }
        }
        return true;
    }

private:
    bool decide(int nr, const std::string &name, size_t index, uint32_t act, bool conditional,
                const std::string &path, Error *e) {
        auto [it, fresh] = decided_.try_emplace(nr, Decided{index, act, conditional});
        if (fresh) return true;
        Decided &d = it->second;
        if (d.action != act && (!d.conditional || !conditional)) {
            *e = error(EINVAL, path, "\"%s\" also has a rule in syscalls[%zu] with another action, and %s",
                       name.c_str(), d.rule,
                       d.conditional || conditional ? "one of them has no conditions" : "neither has conditions");
            return false;
        }
        d.conditional = d.conditional && conditional;
        return true;
    }

    spx_seccomp &f_;
    const Context &cx_;
    std::map<int, Decided> decided_;
};

bool read_profile(json_object *root, const Context &cx, std::unique_ptr<spx_seccomp, FilterDeleter> *out, Error *e) {
    if (!expect(root, json_type_object, "an object", "", e)) return false;
    if (!check_keys(root, "",
                    {"defaultAction", "defaultErrnoRet", "architectures", "archMap", "flags", "listenerPath",
                     "listenerMetadata", "syscalls"},
                    e))
        return false;

    uint64_t default_errno = EPERM;
    json_object *der = member(root, "defaultErrnoRet");
    if (der && !get_u64(der, "defaultErrnoRet", kMaxErrno, &default_errno, e)) return false;
    json_object *da = member(root, "defaultAction");
    if (!da) {
        *e = error(EINVAL, "defaultAction", "missing");
        return false;
    }
    uint32_t default_action;
    if (!parse_action(da, "defaultAction", default_errno, &default_action, e)) return false;
    if (der && (default_action & 0xffff0000u) != SPX_SECCOMP_ERRNO(0)) {
        *e = error(EINVAL, "defaultErrnoRet", "only a defaultAction of SCMP_ACT_ERRNO takes an errno");
        return false;
    }

    // The architectures the profile was written for must include this one.
    bool listed = false, native = false;
    auto arch = [&](const char *s, const std::string &p) {
        uint32_t t = arch_token(s);
        if (!t) {
            *e = error(EINVAL, p, "unknown architecture \"%s\"", s);
            return false;
        }
        listed = true;
        native = native || t == cx.native_arch;
        return true;
    };
    if (json_object *v = member(root, "architectures"))
        if (!each_string(v, "architectures", e, arch)) return false;
    if (json_object *map = member(root, "archMap")) {  // Docker: [{architecture, subArchitectures}]
        if (!expect(map, json_type_array, "an array", "archMap", e)) return false;
        for (size_t i = 0, n = json_object_array_length(map); i < n; i++) {
            std::string p = at(std::string("archMap"), i);
            json_object *m = json_object_array_get_idx(map, i);
            if (!expect(m, json_type_object, "an object", p, e)) return false;
            if (!check_keys(m, p, {"architecture", "subArchitectures"}, e)) return false;
            json_object *a = member(m, "architecture");
            if (!a) {
                *e = error(EINVAL, at(p, "architecture"), "missing");
                return false;
            }
            if (!expect(a, json_type_string, "a string", at(p, "architecture"), e)) return false;
            if (!arch(json_object_get_string(a), at(p, "architecture"))) return false;
            if (json_object *subs = member(m, "subArchitectures"))
                if (!each_string(subs, at(p, "subArchitectures"), e, arch)) return false;
        }
    }
    if (listed && !native) {
        *e = error(ENOTSUP, "architectures", "the profile does not list this machine's architecture");
        return false;
    }

    unsigned flags = 0;
    if (json_object *v = member(root, "flags")) {
        bool ok = each_string(v, "flags", e, [&](const char *s, const std::string &p) {
            if (!strcmp(s, "SECCOMP_FILTER_FLAG_LOG")) flags |= SPX_SECCOMP_FLAG_LOG;
            // One thread at install time and no listener: nothing to do.
            else if (!strcmp(s, "SECCOMP_FILTER_FLAG_TSYNC") || !strcmp(s, "SECCOMP_FILTER_FLAG_WAIT_KILLABLE_RECV")) {
            } else if (!strcmp(s, "SECCOMP_FILTER_FLAG_SPEC_ALLOW")) {
                *e = error(ENOTSUP, p, "%s turns off a speculation mitigation; spx does not", s);
                return false;
            } else {
                *e = error(EINVAL, p, "unknown flag \"%s\"", s);
                return false;
            }
            return true;
        });
        if (!ok) return false;
    }
    for (const char *key : {"listenerPath", "listenerMetadata"})
        if (json_object *v = member(root, key))
            if (!expect(v, json_type_string, "a string", key, e)) return false;

    spx_seccomp *raw = nullptr;
    if (int rc = seccomp_new(&raw, default_action)) {
        *e = error(rc, "defaultAction", "refused (%s)", strerror(rc));
        return false;
    }
    std::unique_ptr<spx_seccomp, FilterDeleter> f(raw);
    seccomp_set_flags(*f, flags);

    if (json_object *calls = member(root, "syscalls")) {
        if (!expect(calls, json_type_array, "an array", "syscalls", e)) return false;
        Reader reader(*f, cx);
        for (size_t i = 0, n = json_object_array_length(calls); i < n; i++)
            if (!reader.syscall_rule(json_object_array_get_idx(calls, i), at(std::string("syscalls"), i),
                                     EPERM, i, e))
                return false;
    }
    *out = std::move(f);
    return true;
}

// json-c clamps an integer literal beyond 64 bits to the nearest limit:
// a condition's value would silently change. Find such a literal first
// (outside strings); the offset of its first digit, or len.
size_t overflowing_integer(const std::string &text) {
    size_t len = text.size();
    for (size_t i = 0; i < len; i++) {
        char c = text[i];
        if (c == '"') {  // skip the string, escapes included
            for (i++; i < len && text[i] != '"'; i++)
                if (text[i] == '\\') i++;
        } else if ((c >= '0' && c <= '9') || c == '-') {
            size_t start = i, digits = 0;
            if (c == '-') i++;
            while (i < len && text[i] == '0') i++;  // leading zeros carry no value
            uint64_t v = 0;
            bool over = false;
            for (; i < len && text[i] >= '0' && text[i] <= '9'; i++, digits++) {
                uint64_t d = static_cast<uint64_t>(text[i] - '0');
                over = over || v > (UINT64_MAX - d) / 10;
                v = v * 10 + d;
            }
            if (over || (c == '-' && v > uint64_t{1} << 63)) {
                // a fraction or an exponent makes it a double: refused later as such
                if (i < len && (text[i] == '.' || text[i] == 'e' || text[i] == 'E')) continue;
                return start;
            }
            if (i > start) i--;
        }
    }
    return len;
}

Error parse(const char *json, size_t len, std::unique_ptr<json_object, JsonDeleter> *out) {
    size_t start = 0;
    while (start < len && strchr(" \t\r\n", json[start]) && json[start]) start++;
    if (start == len) return Error{EINVAL, "(root): empty profile"};
    if (len > kMaxProfile)
        return Error{E2BIG, "(root): the profile is " + std::to_string(len) + " bytes, over the limit of " +
                                std::to_string(kMaxProfile)};
    std::unique_ptr<json_tokener, TokenerDeleter> tok(json_tokener_new_ex(kMaxDepth));
    if (!tok) return Error{ENOMEM, "(root): out of memory"};
    json_tokener_set_flags(tok.get(), JSON_TOKENER_STRICT);
    // json-c knows a top-level literal (null, 12) has ended only when it
    // sees the terminating NUL: parse a NUL-terminated copy, NUL included.
    std::string text(json, len);
    if (size_t at = overflowing_integer(text); at < len)
        return Error{EINVAL, "(root): bad JSON at byte " + std::to_string(at) + ": an integer beyond 64 bits"};
    out->reset(json_tokener_parse_ex(tok.get(), text.c_str(), static_cast<int>(len + 1)));
    size_t end = json_tokener_get_parse_end(tok.get());
    json_tokener_error jerr = json_tokener_get_error(tok.get());
    if (!*out && jerr == json_tokener_success) return Error{EINVAL, "(root): expected an object, got null"};
    if (!*out) {
        if (jerr == json_tokener_continue) return Error{EINVAL, "(root): bad JSON: unexpected end of the profile"};
        return Error{EINVAL, "(root): bad JSON at byte " + std::to_string(end) + ": " + json_tokener_error_desc(jerr)};
    }
    for (size_t i = end; i < len; i++)
        if (!strchr(" \t\r\n", json[i]) || !json[i])
            return Error{EINVAL, "(root): bad JSON at byte " + std::to_string(i) + ": more after the profile"};
    return Error{0, {}};
}

}  // namespace

int seccomp_from_oci(spx_seccomp **out, const char *json, size_t len, const int *caps, size_t ncaps, char *errbuf,
                     size_t errlen) {
    Context cx{seccomp_arch_native(), 0, 0};
    Error e{0, {}};
    for (size_t i = 0; i < ncaps && !e.code; i++)
        if (caps[i] < 0 || caps[i] > 63) e = error(EINVAL, "", "capability number %d is out of range", caps[i]);
        else cx.caps |= uint64_t{1} << caps[i];
    utsname u;
    if (!e.code && (uname(&u) || !parse_version(u.release, &cx.kernel, false)))
        e = Error{EIO, "(root): cannot read the running kernel's version"};

    std::unique_ptr<json_object, JsonDeleter> root;
    std::unique_ptr<spx_seccomp, FilterDeleter> f;
    if (!e.code) e = parse(json, len, &root);
    if (!e.code && !read_profile(root.get(), cx, &f, &e) && !e.code) e.code = EINVAL;
    if (e.code) {
        if (errbuf && errlen) snprintf(errbuf, errlen, "%s", e.msg.c_str());
        return e.code;
    }
    *out = f.release();
    return 0;
}

}  // namespace spx
