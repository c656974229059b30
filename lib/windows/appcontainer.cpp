// AppContainer profiles, SIDs and ACL grants. The userenv functions are
// resolved at run time from System32 (LoadLibraryExW + GetProcAddress), as
// Chromium does: a static import of a function this Windows (or wine) lacks
// would stop the whole process when first called, instead of failing one
// spawn with ERROR_NOT_SUPPORTED. The SIDs are derived by lib/winport, so no
// derivation API is needed at all.
#include "windows/appcontainer.hpp"

#include <aclapi.h>
#include <sddl.h>

#include "features.hpp"
#include "winport/sid.hpp"

namespace spx {

namespace win {

namespace {

// TOKEN_INFORMATION_CLASS 46, Windows 10 1809 and later; mingw-w64 10's
// winnt.h stops before it.
constexpr auto kTokenIsLessPrivilegedAppContainer = static_cast<TOKEN_INFORMATION_CLASS>(46);

using CreateProfileFn = HRESULT(WINAPI *)(PCWSTR, PCWSTR, PCWSTR, PSID_AND_ATTRIBUTES, DWORD, PSID *);
using DeleteProfileFn = HRESULT(WINAPI *)(PCWSTR);

// userenv.dll's function, or NULL when it has none. The module stays
// loaded for the life of the process (it is a system DLL). The cast goes
// through void (*)(), the generic function pointer type.
template <typename Fn>
Fn userenv_function(const char *name) {
    static HMODULE userenv = LoadLibraryExW(L"userenv.dll", nullptr, LOAD_LIBRARY_SEARCH_SYSTEM32);
    FARPROC f = userenv ? GetProcAddress(userenv, name) : nullptr;
    return reinterpret_cast<Fn>(reinterpret_cast<void (*)()>(f));
}

// A Win32 code from an HRESULT of userenv.
int from_hresult(HRESULT hr) {
    if (HRESULT_FACILITY(hr) == FACILITY_WIN32) return HRESULT_CODE(hr);
    return static_cast<int>(hr);
}

int string_to_sid(const std::string &s, LocalSid &out) {
    std::wstring w;
    if (!to_wide(s, w)) return ERROR_INVALID_PARAMETER;
    PSID sid = nullptr;
    if (!ConvertStringSidToSidW(w.c_str(), &sid)) return last_error();
    out.reset(sid);
    return 0;
}

int container_sid(const char *name, LocalSid &out) {
    std::string s;
    if (winport::appcontainer_sid(name, s) != winport::Error::ok) return ERROR_INVALID_PARAMETER;
    return string_to_sid(s, out);
}

int create_or_open_profile(const std::string &name, std::string &detail) {
    auto create = userenv_function<CreateProfileFn>("CreateAppContainerProfile");
    if (!create) {
        detail = "userenv.dll has no CreateAppContainerProfile";
        return ERROR_NOT_SUPPORTED;
    }
    std::wstring w;
    if (!to_wide(name, w)) return ERROR_INVALID_PARAMETER;
    PSID sid = nullptr;
    HRESULT hr = create(w.c_str(), w.c_str(), w.c_str(), nullptr, 0, &sid);
    if (SUCCEEDED(hr)) {
        FreeSid(sid);
        return 0;
    }
    if (hr == HRESULT_FROM_WIN32(ERROR_ALREADY_EXISTS)) return 0;  // opened: its SID is derived
    detail = "CreateAppContainerProfile " + name;
    return from_hresult(hr);
}

BOOL token_flag(HANDLE token, TOKEN_INFORMATION_CLASS what, DWORD *value) {
    DWORD len = 0;
    *value = 0;
    return GetTokenInformation(token, what, value, sizeof *value, &len);
}

}  // namespace

int prepare_confinement(const spx_attr &a, Confinement &c, std::string &detail) {
    const std::string &name = *a.appcontainer;
    if (!(a.appcontainer_flags & SPX_APPCONTAINER_NO_PROFILE))
        if (int rc = create_or_open_profile(name, detail)) return rc;
    if (int rc = container_sid(name.c_str(), c.container)) {
        detail = "AppContainer SID of " + name;
        return rc;
    }
    c.capabilities.reserve(a.capability_sids.size());
    c.capability_attrs.reserve(a.capability_sids.size());
    for (const std::string &s : a.capability_sids) {
        LocalSid sid;
        if (int rc = string_to_sid(s, sid)) {
            detail = "capability " + s;
            return rc;
        }
        c.capability_attrs.push_back(SID_AND_ATTRIBUTES{sid.get(), SE_GROUP_ENABLED});
        c.capabilities.push_back(std::move(sid));
    }
    c.security.AppContainerSid = c.container.get();
    c.security.Capabilities = c.capability_attrs.empty() ? nullptr : c.capability_attrs.data();
    c.security.CapabilityCount = static_cast<DWORD>(c.capability_attrs.size());
    c.lpac = a.appcontainer_flags & SPX_APPCONTAINER_LPAC;
    c.all_packages_policy = PROCESS_CREATION_ALL_APPLICATION_PACKAGES_OPT_OUT;
    return 0;
}

int verify_confined(HANDLE process, const Confinement &c, std::string &detail) {
    HANDLE raw;
    if (!OpenProcessToken(process, TOKEN_QUERY, &raw)) {
        int rc = last_error();
        detail = "cannot read the child's token";
        return rc;
    }
    UniqueHandle token(raw);
    DWORD is_container;
    if (!token_flag(token.get(), TokenIsAppContainer, &is_container) || !is_container) {
        detail = "the child's token is not an AppContainer token";
        return ERROR_NOT_SUPPORTED;
    }
    // The container is the one asked for.
    union {
        TOKEN_APPCONTAINER_INFORMATION info;
        BYTE bytes[sizeof(TOKEN_APPCONTAINER_INFORMATION) + SECURITY_MAX_SID_SIZE];
    } sid{};
    DWORD len = 0;
    if (!GetTokenInformation(token.get(), TokenAppContainerSid, &sid, sizeof sid, &len) ||
        !sid.info.TokenAppContainer || !EqualSid(sid.info.TokenAppContainer, c.container.get())) {
        detail = "the child's token is not of the asked AppContainer";
        return ERROR_NOT_SUPPORTED;
    }
    if (c.lpac) {
        DWORD is_lpac;
        if (!token_flag(token.get(), kTokenIsLessPrivilegedAppContainer, &is_lpac) || !is_lpac) {
            detail = "the child's token is not a less privileged AppContainer token";
            return ERROR_NOT_SUPPORTED;
        }
    }
    return 0;
}

}  // namespace win

namespace {

DWORD file_rights(unsigned access) {
    DWORD r = 0;
    if (access & SPX_ACCESS_READ) r |= FILE_GENERIC_READ;
    if (access & SPX_ACCESS_WRITE) r |= FILE_GENERIC_WRITE;
    if (access & SPX_ACCESS_EXECUTE) r |= FILE_GENERIC_EXECUTE;
    return r;
}

struct LocalMemory {
    void *p = nullptr;
    ~LocalMemory() { LocalFree(p); }
};

// Whether the DACL of path holds an allow ACE for sid (with all of rights).
int has_allow_ace(const std::wstring &path, PSID sid, DWORD rights, bool *found) {
    PACL dacl = nullptr;
    LocalMemory sd;
    DWORD rc = GetNamedSecurityInfoW(path.c_str(), SE_FILE_OBJECT, DACL_SECURITY_INFORMATION, nullptr, nullptr,
                                     &dacl, nullptr, reinterpret_cast<PSECURITY_DESCRIPTOR *>(&sd.p));
    if (rc != ERROR_SUCCESS) return static_cast<int>(rc);
    *found = false;
    for (DWORD i = 0; dacl && i < dacl->AceCount; i++) {
        void *ace;
        if (!GetAce(dacl, i, &ace)) continue;
        auto *allow = static_cast<ACCESS_ALLOWED_ACE *>(ace);
        if (allow->Header.AceType != ACCESS_ALLOWED_ACE_TYPE || allow->Header.AceFlags & INHERITED_ACE) continue;
        if (EqualSid(reinterpret_cast<PSID>(&allow->SidStart), sid) && (allow->Mask & rights) == rights)
            *found = true;
    }
    return 0;
}

// Grants (rights != 0) or revokes (rights == 0) the container's explicit
// ACEs on path, then reads the DACL back: a change the system accepted but
// did not keep (wine drops AppContainer ACEs) is ERROR_NOT_SUPPORTED.
int change_acl(const char *name, const char *path, DWORD rights) {
    win::LocalSid sid;
    if (int rc = win::container_sid(name, sid)) return rc;
    std::wstring wpath;
    if (!win::to_wide(path, wpath)) return ERROR_INVALID_PARAMETER;
    DWORD attrs = GetFileAttributesW(wpath.c_str());
    if (attrs == INVALID_FILE_ATTRIBUTES) return win::last_error();

    PACL dacl = nullptr;
    LocalMemory sd;
    DWORD rc = GetNamedSecurityInfoW(wpath.c_str(), SE_FILE_OBJECT, DACL_SECURITY_INFORMATION, nullptr, nullptr,
                                     &dacl, nullptr, reinterpret_cast<PSECURITY_DESCRIPTOR *>(&sd.p));
    if (rc != ERROR_SUCCESS) return static_cast<int>(rc);

    EXPLICIT_ACCESS_W ea{};
    ea.grfAccessPermissions = rights;
    ea.grfAccessMode = rights ? GRANT_ACCESS : REVOKE_ACCESS;
    ea.grfInheritance = (attrs & FILE_ATTRIBUTE_DIRECTORY) ? SUB_CONTAINERS_AND_OBJECTS_INHERIT : NO_INHERITANCE;
    ea.Trustee.TrusteeForm = TRUSTEE_IS_SID;
    ea.Trustee.TrusteeType = TRUSTEE_IS_WELL_KNOWN_GROUP;
    ea.Trustee.ptstrName = static_cast<LPWSTR>(sid.get());
    LocalMemory updated;
    rc = SetEntriesInAclW(1, &ea, dacl, reinterpret_cast<PACL *>(&updated.p));
    if (rc != ERROR_SUCCESS) return static_cast<int>(rc);
    rc = SetNamedSecurityInfoW(wpath.data(), SE_FILE_OBJECT, DACL_SECURITY_INFORMATION, nullptr, nullptr,
                               static_cast<PACL>(updated.p), nullptr);
    if (rc != ERROR_SUCCESS) return static_cast<int>(rc);

    bool found = false;
    if (int e = has_allow_ace(wpath, sid.get(), rights ? rights : 0, &found)) return e;
    if (found != (rights != 0)) return ERROR_NOT_SUPPORTED;
    return 0;
}

}  // namespace

int appcontainer_delete(const char *name) {
    auto del = win::userenv_function<win::DeleteProfileFn>("DeleteAppContainerProfile");
    if (!del) return ERROR_NOT_SUPPORTED;
    std::wstring w;
    if (!win::to_wide(name, w)) return ERROR_INVALID_PARAMETER;
    HRESULT hr = del(w.c_str());
    if (SUCCEEDED(hr) || hr == HRESULT_FROM_WIN32(ERROR_NOT_FOUND) || hr == HRESULT_FROM_WIN32(ERROR_FILE_NOT_FOUND))
        return 0;
    return win::from_hresult(hr);
}

int appcontainer_grant(const char *name, const char *path, unsigned access) {
    return change_acl(name, path, file_rights(access));
}

int appcontainer_revoke(const char *name, const char *path) { return change_acl(name, path, 0); }

}  // namespace spx
