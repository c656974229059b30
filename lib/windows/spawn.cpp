// spx_spawn on Windows. Everything that can be checked is checked in the
// caller first (PREPARE: program path, batch refusal, command line,
// environment block, handles; CHDIR; JOB; APPCONTAINER), then one
// CreateProcessW with an attribute list whose every entry was accepted, the
// child suspended until its token has been checked.
#include <memory>
#include <string>
#include <vector>

#include "attr.hpp"
#include "spawn.hpp"
#include "windows/appcontainer.hpp"
#include "windows/handles.hpp"
#include "windows/job.hpp"
#include "windows/process.hpp"
#include "windows/testing.hpp"
#include "windows/win.hpp"
#include "winport/batch.hpp"
#include "winport/command_line.hpp"
#include "winport/environment.hpp"

namespace spx {

namespace {

using win::UniqueHandle;

bool is_file(const std::wstring &path) {
    DWORD a = GetFileAttributesW(path.c_str());
    return a != INVALID_FILE_ATTRIBUTES && !(a & FILE_ATTRIBUTE_DIRECTORY);
}

int full_path(const std::wstring &path, std::wstring &out) {
    DWORD n = GetFullPathNameW(path.c_str(), 0, nullptr, nullptr);
    if (!n) return win::last_error();
    std::wstring buf(n, L'\0');
    n = GetFullPathNameW(path.c_str(), n, buf.data(), nullptr);
    if (!n || n >= buf.size()) return n ? ERROR_FILENAME_EXCED_RANGE : win::last_error();
    buf.resize(n);
    out = std::move(buf);
    return 0;
}

// "C:\\dir", "C:/dir" or a UNC "\\\\server\\share": not relative to the
// current directory (nor to a drive's, as "C:dir" is).
bool is_absolute_dir(const std::wstring &dir) {
    auto sep = [](wchar_t c) { return c == L'\\' || c == L'/'; };
    if (dir.size() >= 3 && dir[1] == L':' && sep(dir[2]))
        return (dir[0] >= L'A' && dir[0] <= L'Z') || (dir[0] >= L'a' && dir[0] <= L'z');
    return dir.size() >= 2 && sep(dir[0]) && sep(dir[1]);
}

// The program as CreateProcessW's lpApplicationName: always a full path, so
// Windows never searches (its own search starts with the current directory).
// With search, a bare name is looked up in the caller's PATH, ".exe" added
// when it has no extension.
int resolve_program(const char *path, bool search, std::wstring &out) {
    std::wstring name;
    if (!win::to_wide(path, name)) return ERROR_INVALID_PARAMETER;
    if (!search || name.find_first_of(L"\\/:") != std::wstring::npos) return full_path(name, out);
    if (name.find(L'.') == std::wstring::npos) name += L".exe";
    DWORD n = GetEnvironmentVariableW(L"PATH", nullptr, 0);
    std::wstring dirs(n, L'\0');
    if (n) dirs.resize(GetEnvironmentVariableW(L"PATH", dirs.data(), n));
    for (size_t start = 0; start <= dirs.size();) {
        size_t end = dirs.find(L';', start);
        if (end == std::wstring::npos) end = dirs.size();
        std::wstring dir = dirs.substr(start, end - start);
        start = end + 1;
        // Never the current directory: not by an empty entry, nor by a
        // relative one ("." or "bin"), which Windows would resolve against
        // it, so that a file planted there is never what runs.
        if (!is_absolute_dir(dir)) continue;
        std::wstring candidate = dir + L"\\" + name;
        if (is_file(candidate)) return full_path(candidate, out);
    }
    return ERROR_FILE_NOT_FOUND;
}

// STARTUPINFOEX's attribute list, deleted once.
class AttributeList {
public:
    int init(DWORD count) {
        SIZE_T size = 0;
        InitializeProcThreadAttributeList(nullptr, count, 0, &size);
        if (!size) return win::last_error();
        storage_.resize(size);
        auto list = reinterpret_cast<LPPROC_THREAD_ATTRIBUTE_LIST>(storage_.data());
        if (!InitializeProcThreadAttributeList(list, count, 0, &size)) return win::last_error();
        list_ = list;
        return 0;
    }
    // Every result is checked: wine, for one, refuses SECURITY_CAPABILITIES
    // (ERROR_NOT_SUPPORTED) yet would create the child without it.
    int add(DWORD_PTR attribute, void *value, SIZE_T size) {
        if (!UpdateProcThreadAttribute(list_, 0, attribute, value, size, nullptr, nullptr))
            return win::last_error();
        return 0;
    }
    LPPROC_THREAD_ATTRIBUTE_LIST get() const { return list_; }
    ~AttributeList() {
        if (list_) DeleteProcThreadAttributeList(list_);
    }

private:
    std::vector<char> storage_;
    LPPROC_THREAD_ATTRIBUTE_LIST list_ = nullptr;
};

// Ends a child that must never run (it is still suspended) and waits until
// it is gone, so nothing of it outlives the failed spawn.
void discard(HANDLE process) {
    TerminateProcess(process, ERROR_NOT_SUPPORTED);
    WaitForSingleObject(process, INFINITE);
}

}  // namespace

int spawn(spx_process **out, const spx_attr &attr, const char *path, const char *const argv[],
          const char *const envp[], Failure &f) {
    constexpr int prepare = SPX_STAGE_PREPARE;
    if (!path || !*path) return f.set(ERROR_INVALID_PARAMETER, prepare, "no program path");
    const char *const default_argv[] = {path, nullptr};
    if (!argv) argv = default_argv;
    if (!argv[0]) return f.set(ERROR_INVALID_PARAMETER, prepare, "empty argv");

    std::wstring program;
    if (int rc = resolve_program(path, attr.search_path, program)) return f.set(rc, prepare, path);
    if (winport::is_batch_file(win::to_u16(program)))
        return f.set(ERROR_NOT_SUPPORTED, prepare, "batch file (cmd.exe would re-parse the arguments)");
    std::u16string line;
    if (winport::Error e = winport::command_line(argv, line); e != winport::Error::ok)
        return f.set(e == winport::Error::too_long ? ERROR_FILENAME_EXCED_RANGE : ERROR_INVALID_PARAMETER, prepare,
                     e == winport::Error::too_long ? "command line longer than 32767 units"
                                                   : "argv (invalid UTF-8, or a quote in argv[0])");
    std::wstring command = win::to_wstring(line);
    std::wstring environment;
    if (envp) {
        std::u16string block;
        if (winport::environment_block(envp, block) != winport::Error::ok)
            return f.set(ERROR_INVALID_PARAMETER, prepare, "envp (invalid UTF-8, or an entry without NAME=)");
        environment = win::to_wstring(block);
    }
    std::wstring cwd;
    if (attr.cwd) {
        if (!win::to_wide(*attr.cwd, cwd)) return f.set(ERROR_INVALID_PARAMETER, prepare, "cwd (invalid UTF-8)");
        DWORD a = GetFileAttributesW(cwd.c_str());
        if (a == INVALID_FILE_ATTRIBUTES) return f.set(win::last_error(), SPX_STAGE_CHDIR, *attr.cwd);
        if (!(a & FILE_ATTRIBUTE_DIRECTORY)) return f.set(ERROR_DIRECTORY, SPX_STAGE_CHDIR, *attr.cwd);
    }
    win::InheritedHandles handles;
    if (int rc = win::prepare_handles(attr, handles)) return f.set(rc, prepare, "standard handles");
    auto proc = std::make_unique<spx_process>();

    UniqueHandle job;
    if (attr.job)
        if (int rc = win::create_job(*attr.job, job)) return f.set(rc, SPX_STAGE_JOB);
    std::unique_ptr<win::Confinement> confinement;
    if (attr.appcontainer) {
        confinement = std::make_unique<win::Confinement>();
        std::string detail;
        if (int rc = win::prepare_confinement(attr, *confinement, detail))
            return f.set(rc, SPX_STAGE_APPCONTAINER, detail);
    }

    unsigned dropped = win::testing::dropped_attributes();
    bool add_security = confinement && !(dropped & win::testing::drop_security_capabilities);
    bool add_job = job && !(dropped & win::testing::drop_job_list);
    DWORD count = !handles.list.empty() + (add_job ? 1 : 0) + (add_security ? 1 : 0) +
                  (confinement && confinement->lpac ? 1 : 0);
    AttributeList attributes;
    if (count)
        if (int rc = attributes.init(count)) return f.set(rc, prepare, "attribute list");
    if (!handles.list.empty())
        if (int rc = attributes.add(PROC_THREAD_ATTRIBUTE_HANDLE_LIST, handles.list.data(),
                                    handles.list.size() * sizeof(HANDLE)))
            return f.set(rc, prepare, "handle list");
    HANDLE jobs[1] = {job.get()};
    if (add_job)
        if (int rc = attributes.add(PROC_THREAD_ATTRIBUTE_JOB_LIST, jobs, sizeof jobs))
            return f.set(rc, SPX_STAGE_JOB, "job list");
    if (add_security)
        if (int rc = attributes.add(PROC_THREAD_ATTRIBUTE_SECURITY_CAPABILITIES, &confinement->security,
                                    sizeof confinement->security))
            return f.set(rc, SPX_STAGE_APPCONTAINER, "SECURITY_CAPABILITIES refused");
    if (confinement && confinement->lpac)
        if (int rc = attributes.add(PROC_THREAD_ATTRIBUTE_ALL_APPLICATION_PACKAGES_POLICY,
                                    &confinement->all_packages_policy, sizeof confinement->all_packages_policy))
            return f.set(rc, SPX_STAGE_APPCONTAINER, "less privileged AppContainer policy refused");

    STARTUPINFOEXW si{};
    si.StartupInfo.cb = count ? sizeof si : sizeof si.StartupInfo;
    si.StartupInfo.dwFlags = STARTF_USESTDHANDLES;
    si.StartupInfo.hStdInput = handles.stdio[0];
    si.StartupInfo.hStdOutput = handles.stdio[1];
    si.StartupInfo.hStdError = handles.stdio[2];
    si.lpAttributeList = attributes.get();
    DWORD flags = CREATE_SUSPENDED | CREATE_UNICODE_ENVIRONMENT | (count ? EXTENDED_STARTUPINFO_PRESENT : 0);
    PROCESS_INFORMATION pi{};
    if (!CreateProcessW(program.c_str(), command.data(), nullptr, nullptr, !handles.list.empty(), flags,
                        envp ? environment.data() : nullptr, attr.cwd ? cwd.c_str() : nullptr, &si.StartupInfo,
                        &pi))
        return f.set(win::last_error(), SPX_STAGE_CREATE_PROCESS, path);
    UniqueHandle process(pi.hProcess), thread(pi.hThread);

    // The job, too, is checked before the child runs: a Windows that
    // ignored the job list would leave it outside, where kill-on-close
    // and spx_process_kill cannot reach its children.
    if (job) {
        BOOL in_job = FALSE;
        BOOL asked = IsProcessInJob(process.get(), job.get(), &in_job);
        if (!asked || !in_job) {
            int rc = asked ? ERROR_NOT_SUPPORTED : win::last_error();
            discard(process.get());
            return f.set(rc, SPX_STAGE_JOB, "the child is not in its job");
        }
    }

    if (confinement) {
        std::string detail;
        if (int rc = win::verify_confined(process.get(), *confinement, detail)) {
            discard(process.get());
            return f.set(rc, SPX_STAGE_APPCONTAINER, detail);
        }
    }
    if (ResumeThread(thread.get()) == static_cast<DWORD>(-1)) {
        int rc = win::last_error();
        discard(process.get());
        return f.set(rc, SPX_STAGE_CREATE_PROCESS, "ResumeThread");
    }
    proc->process = std::move(process);
    proc->job = std::move(job);
    proc->pid = pi.dwProcessId;
    *out = proc.release();
    return 0;
}

}  // namespace spx
