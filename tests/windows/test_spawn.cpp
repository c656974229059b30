// spx.dll's engine through real children under wine (or Windows): argv and
// environment as the child's C runtime sees them, inherited handles, jobs,
// the stages and Win32 codes of every failure, batch refusal, and the
// AppContainer's fail-closed path. Linked with the library's objects (not
// the DLL) for the test hooks of lib/windows/testing.hpp.
//
// Each AppContainer test first asserts the exact outcome wine gives (wine
// has no AppContainer: the spawn must fail closed, with the code and stage
// named below), and only then reports SKIP with wine's reason; on Windows
// the same test asserts the confined run.
#include <atomic>
#include <string>
#include <thread>
#include <vector>

#include "harness.h"
#include "spx.h"
#include "windows/testing.hpp"
#include "windows/win.hpp"

namespace {

const char *wine_version() {
    HMODULE ntdll = GetModuleHandleW(L"ntdll.dll");
    if (!ntdll) return nullptr;
    auto f = reinterpret_cast<const char *(*)()>(
        reinterpret_cast<void (*)()>(GetProcAddress(ntdll, "wine_get_version")));
    return f ? f() : nullptr;
}

std::string utf8(const std::wstring &w) {
    int n = WideCharToMultiByte(CP_UTF8, 0, w.c_str(), static_cast<int>(w.size()), nullptr, 0, nullptr, nullptr);
    std::string s(n, '\0');
    WideCharToMultiByte(CP_UTF8, 0, w.c_str(), static_cast<int>(w.size()), s.data(), n, nullptr, nullptr);
    return s;
}

std::wstring wide(const std::string &s) {
    int n = MultiByteToWideChar(CP_UTF8, 0, s.c_str(), static_cast<int>(s.size()), nullptr, 0);
    std::wstring w(n, L'\0');
    MultiByteToWideChar(CP_UTF8, 0, s.c_str(), static_cast<int>(s.size()), w.data(), n);
    return w;
}

// The child's way of printing a string: its UTF-16 units in hex.
std::string hex(const std::string &s) {
    std::wstring w = wide(s);
    std::string out;
    char unit[8];
    for (size_t i = 0; i < w.size(); i++) {
        snprintf(unit, sizeof unit, "%s%04x", i ? " " : "", static_cast<unsigned>(w[i]));
        out += unit;
    }
    return out;
}

std::string this_dir() {
    wchar_t path[MAX_PATH];
    DWORD n = GetModuleFileNameW(nullptr, path, MAX_PATH);
    std::wstring p(path, n);
    return utf8(p.substr(0, p.find_last_of(L"\\/")));
}

std::string child() { return this_dir() + "\\spx-winchild.exe"; }

// A fresh, empty directory under the temporary directory, for files the
// tests make (emptied first: wine reuses process ids from run to run).
std::string temp_dir(const char *name) {
    wchar_t tmp[MAX_PATH];
    GetTempPathW(MAX_PATH, tmp);
    std::string dir = utf8(tmp) + "spx-test-" + name + "-" + std::to_string(GetCurrentProcessId());
    std::wstring w = wide(dir);
    WIN32_FIND_DATAW found;
    HANDLE list = FindFirstFileW((w + L"\\*").c_str(), &found);
    if (list != INVALID_HANDLE_VALUE) {
        do {
            if (!(found.dwFileAttributes & FILE_ATTRIBUTE_DIRECTORY)) DeleteFileW((w + L"\\" + found.cFileName).c_str());
        } while (FindNextFileW(list, &found));
        FindClose(list);
    }
    CreateDirectoryW(w.c_str(), nullptr);
    return dir;
}

bool exists(const std::string &path) { return GetFileAttributesW(wide(path).c_str()) != INVALID_FILE_ATTRIBUTES; }

void write_file(const std::string &path, const char *text) {
    HANDLE f = CreateFileW(wide(path).c_str(), GENERIC_WRITE, 0, nullptr, CREATE_ALWAYS, 0, nullptr);
    DWORD n;
    WriteFile(f, text, static_cast<DWORD>(strlen(text)), &n, nullptr);
    CloseHandle(f);
}

std::string read_file(const std::string &path) {
    HANDLE f = CreateFileW(wide(path).c_str(), GENERIC_READ, FILE_SHARE_READ | FILE_SHARE_WRITE, nullptr,
                           OPEN_EXISTING, 0, nullptr);
    if (f == INVALID_HANDLE_VALUE) return "<missing>";
    char buf[4096];
    DWORD n = 0;
    ReadFile(f, buf, sizeof buf, &n, nullptr);
    CloseHandle(f);
    return std::string(buf, n);
}

struct Result {
    int rc = -1;
    spx_error err{};
    int exit_code = -1;
    std::string out;

    bool has(const std::string &line) const { return out.find(line + "\n") != std::string::npos; }
};

// Spawns path with args (argv[0] included), its stdout a pipe we read to the
// end; waits for it. attr may be NULL (a fresh one is used).
Result run(spx_attr *attr, const std::string &path, const std::vector<std::string> &args,
           const std::vector<std::string> *env = nullptr) {
    Result r;
    spx_attr *own = attr ? nullptr : spx_attr_new();
    spx_attr *a = attr ? attr : own;
    HANDLE rd, wr;
    if (!CreatePipe(&rd, &wr, nullptr, 0)) return r;
    spx_attr_set_stdio_handle(a, 1, wr);
    std::vector<const char *> argv;
    for (const auto &s : args) argv.push_back(s.c_str());
    argv.push_back(nullptr);
    std::vector<const char *> envp;
    if (env) {
        for (const auto &s : *env) envp.push_back(s.c_str());
        envp.push_back(nullptr);
    }
    spx_process *p = nullptr;
    r.rc = spx_spawn(&p, a, path.c_str(), argv.data(), env ? envp.data() : nullptr, &r.err);
    CloseHandle(wr);
    spx_attr_set_stdio_handle(a, 1, nullptr);
    if (r.rc == 0) {
        char buf[4096];
        DWORD n;
        while (ReadFile(rd, buf, sizeof buf, &n, nullptr) && n) r.out.append(buf, n);
        spx_process_wait(p, &r.exit_code, nullptr);
        spx_process_free(p);
    } else {
        CHECK(p == nullptr);
    }
    CloseHandle(rd);
    spx_attr_free(own);
    return r;
}

// ---------------------------------------------------------------- argv, env

void test_argv_hard_cases() {
    const std::vector<std::string> hard = {
        "",
        "plain",
        "two words",
        "tab\there",
        "new\nline",
        "quote\"inside",
        "\"",
        "\"\"",
        "back\\slash",
        "trailing\\",
        "trailing space\\",
        "\\\\server\\share\\",
        "a\\\"b",
        "a\\\\\"b",
        "\\\\\"",
        "C:\\Program Files\\x\\",
        "%PATH% & | < > ^ ( ) !",
        "caf\xc3\xa9",
        "\xf0\x9f\x98\x80 non-BMP",
        "*?[]",
        " ",
        "end\\\\",
    };
    std::vector<std::string> args = {child(), "argv"};
    args.insert(args.end(), hard.begin(), hard.end());
    Result r = run(nullptr, child(), args);
    CHECK_INT_EQ(r.rc, 0);
    CHECK_INT_EQ(r.exit_code, 0);
    CHECKF(r.has("argc: " + std::to_string(args.size())), "argc: got %s", r.out.c_str());
    for (size_t i = 0; i < args.size(); i++) {
        std::string line = "arg " + std::to_string(i) + ":" + (args[i].empty() ? "" : " " + hex(args[i]));
        CHECKF(r.has(line), "argument %d (%s) not seen as such", static_cast<int>(i), args[i].c_str());
    }
}

// argv[0] with spaces is quoted, never escaped; a program path outside the
// BMP reaches CreateProcessW intact.
void test_argv0_with_space() {
    std::string dir = temp_dir("argv0 space caf\xc3\xa9 \xf0\x9f\x98\x80");
    std::string copy = dir + "\\child copy.exe";
    REQUIRE(CopyFileW(wide(child()).c_str(), wide(copy).c_str(), FALSE));
    Result r = run(nullptr, copy, {copy, "argv", "x y"});
    CHECK_INT_EQ(r.rc, 0);
    CHECK(r.has("arg 0: " + hex(copy)));
    CHECK(r.has("arg 2: " + hex("x y")));
    DeleteFileW(wide(copy).c_str());
    RemoveDirectoryW(wide(dir).c_str());
}

void test_environment_block() {
    const std::vector<std::string> env = {
        "ZED=last",
        "alpha=\xf0\x9f\x98\x80",   // non-BMP value
        "ALPHA=duplicate",          // same name, other case: the first wins
        "b=2",
        "\xf0\x9f\x98\x80=non-BMP name",
        "SystemRoot=C:\\windows",
        "=C:=C:\\",                 // a hidden per-drive entry
    };
    Result r = run(nullptr, child(), {child(), "env"}, &env);
    CHECK_INT_EQ(r.rc, 0);
    CHECK(r.has("env: " + hex("alpha=\xf0\x9f\x98\x80")));
    CHECK(!r.has("env: " + hex("ALPHA=duplicate")));
    CHECK(r.has("env: " + hex("ZED=last")));
    CHECK(r.has("env: " + hex("\xf0\x9f\x98\x80=non-BMP name")));
    // Sorted as Windows expects (upper-cased UTF-16 units): =C: first, then
    // alpha, b, ZED, and the name in surrogates last. (wine appends its own
    // WINE* variables and SystemRoot after the block: those are not ours.)
    size_t d = r.out.find("env: " + hex("=C:=C:\\")), a = r.out.find("env: " + hex("alpha=")),
           b = r.out.find("env: " + hex("b=2") + "\n"), z = r.out.find("env: " + hex("ZED=")),
           n = r.out.find("env: " + hex("\xf0\x9f\x98\x80="));
    CHECKF(d == 0 && d < a && a < b && b < z && z < n && n != std::string::npos, "order: %s", r.out.c_str());

    const std::vector<std::string> empty;
    r = run(nullptr, child(), {child(), "exit", "7"}, &empty);
    CHECK_INT_EQ(r.rc, 0);
    CHECK_INT_EQ(r.exit_code, 7);
}

// ------------------------------------------------------ stages and codes

void check_failure(const Result &r, int code, int stage) {
    CHECKF(r.rc == code, "rc %d, expected %d (%s)", r.rc, code, r.err.message);
    CHECKF(r.err.code == code, "err.code %d, expected %d", r.err.code, code);
    CHECKF(r.err.stage == stage, "stage %d, expected %d (%s)", r.err.stage, stage, r.err.message);
}

void test_prepare_failures() {
    check_failure(run(nullptr, child(), {child(), "arg\xff"}), ERROR_INVALID_PARAMETER, SPX_STAGE_PREPARE);
    check_failure(run(nullptr, child(), {child(), "\xed\xa0\x80"}), ERROR_INVALID_PARAMETER, SPX_STAGE_PREPARE);
    check_failure(run(nullptr, child(), {"quote\"in argv0"}), ERROR_INVALID_PARAMETER, SPX_STAGE_PREPARE);
    check_failure(run(nullptr, child(), {}), ERROR_INVALID_PARAMETER, SPX_STAGE_PREPARE);
    check_failure(run(nullptr, child(), {child(), std::string(40000, 'x')}), ERROR_FILENAME_EXCED_RANGE,
                  SPX_STAGE_PREPARE);
    std::vector<std::string> bad_env = {"NOEQUALS"};
    check_failure(run(nullptr, child(), {child()}, &bad_env), ERROR_INVALID_PARAMETER, SPX_STAGE_PREPARE);
    bad_env = {"A=\xc0\xaf"};
    check_failure(run(nullptr, child(), {child()}, &bad_env), ERROR_INVALID_PARAMETER, SPX_STAGE_PREPARE);
    spx_error err;
    spx_process *p = reinterpret_cast<spx_process *>(1);
    CHECK_INT_EQ(spx_spawn(&p, nullptr, nullptr, nullptr, nullptr, &err), ERROR_INVALID_PARAMETER);
    CHECK(p == nullptr);
    CHECK_INT_EQ(spx_spawn(nullptr, nullptr, child().c_str(), nullptr, nullptr, &err), ERROR_INVALID_PARAMETER);
    // The message is FormatMessageW's text, in UTF-8, with the code.
    Result r = run(nullptr, child(), {child(), "arg\xff"});
    // "prepare: <FormatMessageW's text> (87): argv ...": a text, not just the number.
    const char *text = r.err.message + 9, *code = strstr(r.err.message, " (87)");
    CHECKF(strncmp(r.err.message, "prepare: ", 9) == 0 && code && code - text > 3, "message: %s", r.err.message);
}

void test_create_process_and_chdir_failures() {
    std::string dir = temp_dir("stages");
    Result r = run(nullptr, dir + "\\missing.exe", {"missing"});
    check_failure(r, ERROR_FILE_NOT_FOUND, SPX_STAGE_CREATE_PROCESS);
    CHECKF(strstr(r.err.message, "create_process: ") == r.err.message && strstr(r.err.message, "(2)"),
           "message: %s", r.err.message);

    spx_attr *a = spx_attr_new();
    REQUIRE(spx_attr_set_cwd(a, (dir + "\\no such dir").c_str()) == 0);
    r = run(a, child(), {child()});
    CHECKF(r.err.stage == SPX_STAGE_CHDIR && (r.rc == ERROR_FILE_NOT_FOUND || r.rc == ERROR_PATH_NOT_FOUND),
           "missing cwd: %d at %d", r.rc, r.err.stage);
    std::string file = dir + "\\file";
    write_file(file, "x");
    REQUIRE(spx_attr_set_cwd(a, file.c_str()) == 0);
    check_failure(run(a, child(), {child()}), ERROR_DIRECTORY, SPX_STAGE_CHDIR);
    REQUIRE(spx_attr_set_cwd(a, dir.c_str()) == 0);
    r = run(a, child(), {child(), "cwd"});
    CHECK_INT_EQ(r.rc, 0);
    CHECKF(r.has("cwd: " + hex(dir)), "cwd: %s", r.out.c_str());
    spx_attr_free(a);
    DeleteFileW(wide(file).c_str());
    RemoveDirectoryW(wide(dir).c_str());
}

// .bat and .cmd never run: cmd.exe would re-parse the arguments (BatBadBut).
void test_batch_refused() {
    std::string dir = temp_dir("batch");
    std::string marker = dir + "\\marker";
    std::string bat = dir + "\\x.bat";
    write_file(bat, ("@echo off\r\necho ran> \"" + marker + "\"\r\n").c_str());
    write_file(dir + "\\y.CmD", "@echo off\r\n");
    for (std::string path : {bat, dir + "\\X.BAT", dir + "\\x.bat. ", dir + "\\x.bat...", dir + "\\x.bat . .",
                             dir + "\\y.CmD", dir + "\\y.cmd.", dir + "/x.bat", dir + "\\x.bat::$DATA"}) {
        Result r = run(nullptr, path, {"x", "&", "echo", "pwned"});
        CHECKF(r.rc == ERROR_NOT_SUPPORTED && r.err.stage == SPX_STAGE_PREPARE, "%s: %d at %d", path.c_str(), r.rc,
               r.err.stage);
    }
    // The same when the batch file is found by a PATH search.
    wchar_t old[32767];
    DWORD n = GetEnvironmentVariableW(L"PATH", old, 32767);
    REQUIRE(SetEnvironmentVariableW(L"PATH", (wide(dir) + L";" + std::wstring(old, n)).c_str()));
    spx_attr *a = spx_attr_new();
    REQUIRE(spx_attr_set_search_path(a, 1) == 0);
    check_failure(run(a, "x.bat", {"x.bat", "&", "echo"}), ERROR_NOT_SUPPORTED, SPX_STAGE_PREPARE);
    check_failure(run(a, "y.cmd", {"y"}), ERROR_NOT_SUPPORTED, SPX_STAGE_PREPARE);
    // A bare name is looked up as NAME.exe only, never NAME.bat (PATHEXT).
    check_failure(run(a, "x", {"x"}), ERROR_FILE_NOT_FOUND, SPX_STAGE_PREPARE);
    spx_attr_free(a);
    SetEnvironmentVariableW(L"PATH", std::wstring(old, n).c_str());
    CHECK(!exists(marker));
    DeleteFileW(wide(bat).c_str());
    DeleteFileW(wide(dir + "\\y.CmD").c_str());
    RemoveDirectoryW(wide(dir).c_str());
}

void test_search_path() {
    wchar_t old[32767];
    DWORD n = GetEnvironmentVariableW(L"PATH", old, 32767);
    std::wstring path = wide(this_dir()) + L";" + std::wstring(old, n);
    REQUIRE(SetEnvironmentVariableW(L"PATH", path.c_str()));
    spx_attr *a = spx_attr_new();
    REQUIRE(spx_attr_set_search_path(a, 1) == 0);
    Result r = run(a, "spx-winchild", {"spx-winchild", "exit", "3"});
    CHECK_INT_EQ(r.rc, 0);
    CHECK_INT_EQ(r.exit_code, 3);
    check_failure(run(a, "spx-no-such-program", {"x"}), ERROR_FILE_NOT_FOUND, SPX_STAGE_PREPARE);

    // Relative entries would name the current directory (or a folder in
    // it): a program planted there is never found.
    wchar_t cwd[MAX_PATH];
    DWORD m = GetCurrentDirectoryW(MAX_PATH, cwd);
    REQUIRE(m > 0 && m < MAX_PATH);
    REQUIRE(SetCurrentDirectoryW(wide(this_dir()).c_str()));
    for (const wchar_t *relative : {L".", L".\\", L"..\\windows", L"windows"}) {
        std::wstring dir = relative;
        if (dir == L"windows") {
            // this_dir() is .../tests/windows: "windows" from its parent.
            REQUIRE(SetCurrentDirectoryW((wide(this_dir()) + L"\\..").c_str()));
        }
        REQUIRE(SetEnvironmentVariableW(L"PATH", dir.c_str()));
        check_failure(run(a, "spx-winchild", {"spx-winchild", "exit", "3"}), ERROR_FILE_NOT_FOUND,
                      SPX_STAGE_PREPARE);
    }
    REQUIRE(SetCurrentDirectoryW(cwd));
    spx_attr_free(a);
    SetEnvironmentVariableW(L"PATH", std::wstring(old, n).c_str());
}

// ------------------------------------------------------------- handles

HANDLE inheritable_file(const std::string &path) {
    SECURITY_ATTRIBUTES sa{sizeof sa, nullptr, TRUE};
    return CreateFileW(wide(path).c_str(), GENERIC_WRITE, FILE_SHARE_READ | FILE_SHARE_WRITE, &sa, CREATE_ALWAYS,
                       0, nullptr);
}

void test_only_listed_handles() {
    std::string dir = temp_dir("handles");
    std::string listed_path = dir + "\\listed", other_path = dir + "\\other";
    HANDLE listed = inheritable_file(listed_path), other = inheritable_file(other_path);
    REQUIRE(listed != INVALID_HANDLE_VALUE && other != INVALID_HANDLE_VALUE);
    spx_attr *a = spx_attr_new();
    CHECK_INT_EQ(spx_attr_add_handle(a, listed), 0);
    CHECK_INT_EQ(spx_attr_add_handle(a, listed), 0);  // listed once
    auto value = [](HANDLE h) { return std::to_string(reinterpret_cast<ULONG_PTR>(h)); };
    Result r = run(a, child(), {child(), "write", value(listed), "to listed", "write", value(other), "to other"});
    CHECK_INT_EQ(r.rc, 0);
    CHECKF(r.has("write " + value(listed) + ": ok"), "listed: %s", r.out.c_str());
    CloseHandle(listed);
    CloseHandle(other);
    CHECK_STR_EQ(read_file(listed_path).c_str(), "to listed");
    CHECK_STR_EQ(read_file(other_path).c_str(), "");  // the inheritable but unlisted handle never reached the child
    spx_attr_free(a);
    DeleteFileW(wide(listed_path).c_str());
    DeleteFileW(wide(other_path).c_str());
    RemoveDirectoryW(wide(dir).c_str());
}

void test_stdio_handles() {
    std::string dir = temp_dir("stdio");
    std::string report = dir + "\\report";
    HANDLE file = CreateFileW(wide(report).c_str(), GENERIC_WRITE, FILE_SHARE_READ, nullptr, CREATE_ALWAYS, 0,
                              nullptr);
    REQUIRE(file != INVALID_HANDLE_VALUE);
    spx_attr *a = spx_attr_new();
    CHECK_INT_EQ(spx_attr_set_stdio_handle(a, 0, nullptr), 0);
    CHECK_INT_EQ(spx_attr_set_stdio_handle(a, 1, file), 0);
    CHECK_INT_EQ(spx_attr_set_stdio_handle(a, 2, nullptr), 0);
    spx_process *p = nullptr;
    std::string c = child();
    const char *argv[] = {c.c_str(), "stdio", nullptr};
    spx_error err;
    CHECK_INT_EQ(spx_spawn(&p, a, c.c_str(), argv, nullptr, &err), 0);
    if (p) {
        CHECK_INT_EQ(spx_process_wait(p, nullptr, nullptr), 0);
        spx_process_free(p);
    }
    CloseHandle(file);
    // The caller's handle was not made inheritable: a duplicate was passed.
    std::string got = read_file(report);
    CHECKF(got == "stdio 0: none\nstdio 1: open\nstdio 2: none\n", "report: %s", got.c_str());
    spx_attr_free(a);
    DeleteFileW(wide(report).c_str());
    RemoveDirectoryW(wide(dir).c_str());
}

// ------------------------------------------------------ processes, jobs

void test_wait_kill_exit_codes() {
    spx_attr *a = spx_attr_new();
    spx_process *p = nullptr;
    std::string c = child();
    const char *sleeping[] = {c.c_str(), "sleep", "60000", nullptr};
    REQUIRE(spx_spawn(&p, a, c.c_str(), sleeping, nullptr, nullptr) == 0);
    CHECK(spx_process_pid(p) > 0);
    CHECK(spx_process_pidfd(p) == -1);
    CHECK(spx_process_handle(p) != nullptr);
    int code = -5, sig = -5;
    CHECK_INT_EQ(spx_process_wait_timeout(p, 50, &code, &sig), WAIT_TIMEOUT);
    CHECK_INT_EQ(spx_process_kill(p, 2), ERROR_INVALID_PARAMETER);
    CHECK_INT_EQ(spx_process_kill(p, 15), 0);
    CHECK_INT_EQ(spx_process_wait(p, &code, &sig), 0);
    CHECK_INT_EQ(code, 1);
    CHECK_INT_EQ(sig, 0);
    code = -5;
    CHECK_INT_EQ(spx_process_wait(p, &code, nullptr), 0);  // again: the same status
    CHECK_INT_EQ(code, 1);
    CHECK_INT_EQ(spx_process_kill(p, 9), 0);  // already ended: not an error
    CHECK_INT_EQ(spx_process_core_dumped(p), 0);
    spx_process_free(p);

    Result r = run(a, c, {c, "exit", "42"});
    CHECK_INT_EQ(r.exit_code, 42);
    r = run(a, c, {c, "crash"});
    CHECK_INT_EQ(r.rc, 0);
    CHECKF(static_cast<DWORD>(r.exit_code) == 0xC0000005u, "crash exit code %#x", static_cast<unsigned>(r.exit_code));
    spx_attr_free(a);
}

void test_job_kill_on_close() {
    spx_attr *a = spx_attr_new();
    CHECK_INT_EQ(spx_attr_set_job(a, SPX_JOB_KILL_ON_CLOSE), 0);
    spx_process *p = nullptr;
    std::string c = child();
    const char *sleeping[] = {c.c_str(), "sleep", "60000", nullptr};
    spx_error err;
    REQUIRE(spx_spawn(&p, a, c.c_str(), sleeping, nullptr, &err) == 0);
    HANDLE mine;
    REQUIRE(DuplicateHandle(GetCurrentProcess(), static_cast<HANDLE>(spx_process_handle(p)), GetCurrentProcess(),
                            &mine, SYNCHRONIZE | PROCESS_QUERY_LIMITED_INFORMATION, FALSE, 0));
    // wine's IsProcessInJob does not know jobs: the kill below proves it.
    BOOL in_job = FALSE;
    if (!wine_version()) CHECK(IsProcessInJob(mine, nullptr, &in_job) && in_job);
    CHECK_INT_EQ(WaitForSingleObject(mine, 100), WAIT_TIMEOUT);
    spx_process_free(p);  // closes the job: kills
    CHECK_INT_EQ(WaitForSingleObject(mine, 10000), WAIT_OBJECT_0);
    CloseHandle(mine);

    // Without KILL_ON_CLOSE, free never kills; kill ends the job.
    CHECK_INT_EQ(spx_attr_set_job(a, 0), 0);
    REQUIRE(spx_spawn(&p, a, c.c_str(), sleeping, nullptr, &err) == 0);
    REQUIRE(DuplicateHandle(GetCurrentProcess(), static_cast<HANDLE>(spx_process_handle(p)), GetCurrentProcess(),
                            &mine, SYNCHRONIZE | PROCESS_TERMINATE | PROCESS_QUERY_LIMITED_INFORMATION, FALSE, 0));
    if (!wine_version()) CHECK(IsProcessInJob(mine, nullptr, &in_job) && in_job);
    spx_process_free(p);
    CHECK_INT_EQ(WaitForSingleObject(mine, 300), WAIT_TIMEOUT);
    TerminateProcess(mine, 0);
    WaitForSingleObject(mine, 10000);
    CloseHandle(mine);
    spx_attr_free(a);
}

// A job list the system ignored: the child, still suspended, is found
// outside its job and never runs.
void test_job_fail_closed_hook() {
    std::string dir = temp_dir("jobhook");
    std::string marker = dir + "\\marker";
    spx_attr *a = spx_attr_new();
    CHECK_INT_EQ(spx_attr_set_job(a, SPX_JOB_KILL_ON_CLOSE), 0);
    spx::win::testing::set_dropped_attributes(spx::win::testing::drop_job_list);
    Result r = run(a, child(), {child(), "touch", marker});
    spx::win::testing::set_dropped_attributes(0);
    check_failure(r, ERROR_NOT_SUPPORTED, SPX_STAGE_JOB);
    CHECKF(strstr(r.err.message, "not in its job"), "message: %s", r.err.message);
    Sleep(100);
    CHECK(!exists(marker));
    // Without the hook the same attributes run the child.
    r = run(a, child(), {child(), "touch", marker});
    CHECK_INT_EQ(r.rc, 0);
    CHECK(exists(marker));
    DeleteFileW(wide(marker).c_str());
    RemoveDirectoryW(wide(dir).c_str());
    spx_attr_free(a);
}

// Spawns from several threads at once, each child with its own pipe and
// argument: every child's output reaches its own caller only (the handle
// list keeps one spawn's pipe out of another's child).
void test_concurrent_spawns() {
    constexpr int kThreads = 4, kEach = 5;
    std::atomic<int> wrong{0};
    std::vector<std::thread> threads;
    for (int t = 0; t < kThreads; t++)
        threads.emplace_back([t, &wrong] {
            spx_attr *a = spx_attr_new();
            for (int i = 0; i < kEach; i++) {
                std::string tag = "t" + std::to_string(t) + "-" + std::to_string(i);
                Result r = run(a, child(), {child(), "argv", tag});
                if (r.rc != 0 || r.exit_code != 0 || !r.has("arg 2: " + hex(tag)) || r.out.find("arg 3") != std::string::npos)
                    wrong++;
            }
            spx_attr_free(a);
        });
    for (auto &th : threads) th.join();
    CHECK_INT_EQ(wrong.load(), 0);
}

// --------------------------------------------------------- argument checks

void test_setters() {
    spx_attr *a = spx_attr_new();
    int caps[] = {1};
    // Linux-only setters.
    CHECK_INT_EQ(spx_attr_set_uid(a, 1), ERROR_NOT_SUPPORTED);
    CHECK_INT_EQ(spx_attr_set_gid(a, 1), ERROR_NOT_SUPPORTED);
    CHECK_INT_EQ(spx_attr_set_ambient(a, caps, 1), ERROR_NOT_SUPPORTED);
    CHECK_INT_EQ(spx_attr_set_chroot(a, "C:\\"), ERROR_NOT_SUPPORTED);
    CHECK_INT_EQ(spx_attr_set_fd(a, 3, 1), ERROR_NOT_SUPPORTED);
    CHECK_INT_EQ(spx_attr_set_sigmask(a, caps, 1), ERROR_NOT_SUPPORTED);
    CHECK_INT_EQ(spx_attr_set_sigdefault(a, caps, 1), ERROR_NOT_SUPPORTED);
    CHECK_INT_EQ(spx_attr_set_rlimit(a, 0, 1, 1), ERROR_NOT_SUPPORTED);
    CHECK_INT_EQ(spx_attr_set_setsid(a, 1), ERROR_NOT_SUPPORTED);
    CHECK_INT_EQ(spx_attr_set_umask(a, 022), ERROR_NOT_SUPPORTED);
    CHECK_INT_EQ(spx_attr_set_execfd(a, 3), ERROR_NOT_SUPPORTED);
    CHECK_INT_EQ(spx_attr_set_landlock_fd(a, 3), ERROR_NOT_SUPPORTED);
    CHECK_INT_EQ(spx_attr_set_seccomp(a, nullptr), ERROR_NOT_SUPPORTED);
    CHECK_INT_EQ(spx_attr_set_securebits(a, 0), ERROR_NOT_SUPPORTED);
    CHECK_INT_EQ(spx_landlock_abi(), 0);
    spx_landlock *rs = reinterpret_cast<spx_landlock *>(1);
    CHECK_INT_EQ(spx_landlock_new(&rs, 1, 0), ERROR_NOT_SUPPORTED);
    CHECK(rs == nullptr);
    spx_seccomp *f = reinterpret_cast<spx_seccomp *>(1);
    CHECK_INT_EQ(spx_seccomp_new(&f, SPX_SECCOMP_ALLOW), ERROR_NOT_SUPPORTED);
    CHECK(f == nullptr);
    // The Landlock ABI 10 and seccomp second-round entry points too.
    CHECK_INT_EQ(spx_attr_set_landlock_flags(a, SPX_LANDLOCK_LOG_NEW_EXEC_ON), ERROR_NOT_SUPPORTED);
    CHECK_INT_EQ(spx_landlock_errata(), 0);
    CHECK(spx_landlock_fs_rights(7) == 0 && spx_landlock_net_rights(0) == 0 && spx_landlock_scopes(10) == 0);
    char why[128] = "unchanged";
    f = reinterpret_cast<spx_seccomp *>(1);
    static const char profile[] = "{\"defaultAction\": \"SCMP_ACT_ALLOW\"}";
    CHECK_INT_EQ(spx_seccomp_from_oci(&f, profile, sizeof profile - 1, why, sizeof why), ERROR_NOT_SUPPORTED);
    CHECK(f == reinterpret_cast<spx_seccomp *>(1));
    CHECK_STR_EQ(why, "seccomp profiles are a Linux feature");
    f = nullptr;
    CHECK_INT_EQ(spx_cap_from_name("chown"), -1);
    CHECK_INT_EQ(spx_rlimit_from_name("nofile"), -1);
    // Windows setters: bad arguments.
    CHECK_INT_EQ(spx_attr_set_stdio_handle(a, 3, nullptr), ERROR_INVALID_PARAMETER);
    CHECK_INT_EQ(spx_attr_set_stdio_handle(a, -1, nullptr), ERROR_INVALID_PARAMETER);
    CHECK_INT_EQ(spx_attr_set_stdio_handle(a, 1, reinterpret_cast<void *>(0x123450)), ERROR_INVALID_HANDLE);
    CHECK_INT_EQ(spx_attr_set_stdio_handle(a, 1, INVALID_HANDLE_VALUE), ERROR_INVALID_HANDLE);
    CHECK_INT_EQ(spx_attr_add_handle(a, nullptr), ERROR_INVALID_HANDLE);
    CHECK_INT_EQ(spx_attr_add_handle(a, reinterpret_cast<void *>(0x123450)), ERROR_INVALID_HANDLE);
    CHECK_INT_EQ(spx_attr_add_handle(nullptr, GetCurrentProcess()), ERROR_INVALID_PARAMETER);
    CHECK_INT_EQ(spx_attr_set_job(a, 2), ERROR_INVALID_PARAMETER);
    CHECK_INT_EQ(spx_attr_set_job(nullptr, 0), ERROR_INVALID_PARAMETER);
    const char *bad_caps[] = {"S-1-5-32-544"};
    const char *null_cap[] = {nullptr};
    CHECK_INT_EQ(spx_attr_set_appcontainer(a, "bad/name", nullptr, 0), ERROR_INVALID_PARAMETER);
    CHECK_INT_EQ(spx_attr_set_appcontainer(a, "", nullptr, 0), ERROR_INVALID_PARAMETER);
    CHECK_INT_EQ(spx_attr_set_appcontainer(a, "spx.test", bad_caps, 1), ERROR_INVALID_PARAMETER);
    CHECK_INT_EQ(spx_attr_set_appcontainer(a, "spx.test", null_cap, 1), ERROR_INVALID_PARAMETER);
    CHECK_INT_EQ(spx_attr_set_appcontainer(a, "spx.test", nullptr, 1), ERROR_INVALID_PARAMETER);
    CHECK_INT_EQ(spx_attr_set_appcontainer(a, nullptr, nullptr, 1), ERROR_INVALID_PARAMETER);
    CHECK_INT_EQ(spx_attr_set_appcontainer_flags(a, 4), ERROR_INVALID_PARAMETER);
    CHECK_INT_EQ(spx_appcontainer_grant("spx.test", "C:\\", 0), ERROR_INVALID_PARAMETER);
    CHECK_INT_EQ(spx_appcontainer_delete("bad\\name"), ERROR_INVALID_PARAMETER);
    char buf[8];
    CHECK_INT_EQ(spx_capability_sid("lpacCom", buf, sizeof buf), ERROR_INSUFFICIENT_BUFFER);
    char sid[SPX_SID_MAX];
    CHECK_INT_EQ(spx_capability_sid("internetClient", sid, sizeof sid), 0);
    CHECK_STR_EQ(sid, "S-1-15-3-1");
    // A rejected call changed nothing: the child still runs unconfined.
    Result r = run(a, child(), {child(), "exit", "5"});
    CHECK_INT_EQ(r.rc, 0);
    CHECK_INT_EQ(r.exit_code, 5);
    spx_attr_free(a);
}

// ----------------------------------------------------------- AppContainer

constexpr const char *kContainer = "spx.test.container";

// Spawns the child that would create marker, in the AppContainer. On
// Windows the container is first granted read and execute on the child's
// directory (a build tree grants AppContainers nothing), and that grant is
// revoked afterwards; under wine no grant can be kept, and none is needed,
// since the spawn fails before the program is opened.
Result run_confined(unsigned flags, const std::string &marker) {
    bool granted = !wine_version() &&
                   spx_appcontainer_grant(kContainer, this_dir().c_str(), SPX_ACCESS_READ | SPX_ACCESS_EXECUTE) == 0;
    spx_attr *a = spx_attr_new();
    const char *caps[] = {"internetClient", "lpacCom"};
    Result r;
    r.rc = spx_attr_set_appcontainer(a, kContainer, caps, 2);
    if (r.rc == 0) r.rc = spx_attr_set_appcontainer_flags(a, flags);
    if (r.rc == 0) r = run(a, child(), {child(), "token", "touch", marker});
    spx_attr_free(a);
    if (granted) spx_appcontainer_revoke(kContainer, this_dir().c_str());
    return r;
}

void test_appcontainer_fail_closed_hook() {
    // The hook leaves SECURITY_CAPABILITIES out of the attribute list, as a
    // Windows that dropped it silently would: the token check must stop
    // the suspended child before it runs anything.
    std::string dir = temp_dir("failclosed");
    std::string marker = dir + "\\marker";
    spx::win::testing::set_dropped_attributes(spx::win::testing::drop_security_capabilities);
    Result r = run_confined(SPX_APPCONTAINER_NO_PROFILE, marker);
    spx::win::testing::set_dropped_attributes(0);
    check_failure(r, ERROR_NOT_SUPPORTED, SPX_STAGE_APPCONTAINER);
    CHECKF(strstr(r.err.message, "not an AppContainer token"), "message: %s", r.err.message);
    Sleep(100);
    CHECK(!exists(marker));
    RemoveDirectoryW(wide(dir).c_str());
}

void test_appcontainer_spawn() {
    std::string dir = temp_dir("appcontainer");
    std::string marker = dir + "\\marker";
    Result r = run_confined(SPX_APPCONTAINER_NO_PROFILE, marker);
    const char *wine = wine_version();
    if (wine) {
        // wine refuses the attribute: the spawn fails, nothing ran.
        check_failure(r, ERROR_NOT_SUPPORTED, SPX_STAGE_APPCONTAINER);
        CHECKF(strstr(r.err.message, "SECURITY_CAPABILITIES refused"), "message: %s", r.err.message);
        CHECK(!exists(marker));
        RemoveDirectoryW(wide(dir).c_str());
        SKIP("wine %s has no AppContainer (UpdateProcThreadAttribute(SECURITY_CAPABILITIES): error 50)", wine);
    }
    CHECK_INT_EQ(r.rc, 0);
    CHECK(r.has("appcontainer: 1"));
    CHECK(r.has("touch: failed"));  // the temporary directory grants the container nothing
    CHECK(!exists(marker));
    RemoveDirectoryW(wide(dir).c_str());
}

void test_appcontainer_lpac() {
    std::string dir = temp_dir("lpac");
    std::string marker = dir + "\\marker";
    Result r = run_confined(SPX_APPCONTAINER_NO_PROFILE | SPX_APPCONTAINER_LPAC, marker);
    const char *wine = wine_version();
    if (wine) {
        check_failure(r, ERROR_NOT_SUPPORTED, SPX_STAGE_APPCONTAINER);
        CHECK(!exists(marker));
        RemoveDirectoryW(wide(dir).c_str());
        SKIP("wine %s has no AppContainer, so no LPAC (error 50)", wine);
    }
    // An LPAC child cannot even load from directories that grant only ALL
    // APPLICATION PACKAGES; the spawn itself must succeed and be confined.
    CHECK_INT_EQ(r.rc, 0);
    CHECK(!exists(marker));
    RemoveDirectoryW(wide(dir).c_str());
}

void test_appcontainer_profile() {
    std::string dir = temp_dir("profile");
    std::string marker = dir + "\\marker";
    Result r = run_confined(0, marker);
    int deleted = spx_appcontainer_delete(kContainer);
    const char *wine = wine_version();
    if (wine) {
        check_failure(r, ERROR_NOT_SUPPORTED, SPX_STAGE_APPCONTAINER);
        CHECKF(strstr(r.err.message, "no CreateAppContainerProfile"), "message: %s", r.err.message);
        CHECK_INT_EQ(deleted, ERROR_NOT_SUPPORTED);
        CHECK(!exists(marker));
        RemoveDirectoryW(wide(dir).c_str());
        SKIP("wine %s: userenv.dll lacks CreateAppContainerProfile and DeleteAppContainerProfile", wine);
    }
    CHECK_INT_EQ(r.rc, 0);
    CHECK(r.has("appcontainer: 1"));
    CHECK_INT_EQ(deleted, 0);
    CHECK_INT_EQ(spx_appcontainer_delete(kContainer), 0);  // already gone: still 0
    RemoveDirectoryW(wide(dir).c_str());
}

void test_appcontainer_grant() {
    std::string dir = temp_dir("grant");
    int granted = spx_appcontainer_grant(kContainer, dir.c_str(), SPX_ACCESS_READ | SPX_ACCESS_WRITE);
    const char *wine = wine_version();
    if (wine) {
        // wine accepts the ACE and drops it: the read-back tells.
        CHECK_INT_EQ(granted, ERROR_NOT_SUPPORTED);
        CHECK_INT_EQ(spx_appcontainer_revoke(kContainer, dir.c_str()), 0);  // nothing to remove, nothing kept
        CHECK_INT_EQ(spx_appcontainer_grant(kContainer, (dir + "\\missing").c_str(), SPX_ACCESS_READ),
                     ERROR_FILE_NOT_FOUND);
        RemoveDirectoryW(wide(dir).c_str());
        SKIP("wine %s keeps no ACE for an AppContainer SID (SetNamedSecurityInfoW succeeds, the ACE is gone)", wine);
    }
    CHECK_INT_EQ(granted, 0);
    std::string marker = dir + "\\marker";
    Result r = run_confined(SPX_APPCONTAINER_NO_PROFILE, marker);
    CHECK_INT_EQ(r.rc, 0);
    CHECK(r.has("touch: ok"));
    CHECK_INT_EQ(spx_appcontainer_revoke(kContainer, dir.c_str()), 0);
    DeleteFileW(wide(marker).c_str());
    RemoveDirectoryW(wide(dir).c_str());
}

void test_wine_detected() {
    const char *wine = wine_version();
    if (!wine) SKIP("not wine");
    printf("  wine %s\n", wine);
    CHECK(*wine != '\0');
}

}  // namespace

int main() {
    setvbuf(stdout, nullptr, _IONBF, 0);
    RUN(test_wine_detected);
    RUN(test_argv_hard_cases);
    RUN(test_argv0_with_space);
    RUN(test_environment_block);
    RUN(test_prepare_failures);
    RUN(test_create_process_and_chdir_failures);
    RUN(test_batch_refused);
    RUN(test_search_path);
    RUN(test_only_listed_handles);
    RUN(test_stdio_handles);
    RUN(test_wait_kill_exit_codes);
    RUN(test_job_kill_on_close);
    RUN(test_job_fail_closed_hook);
    RUN(test_concurrent_spawns);
    RUN(test_setters);
    RUN(test_appcontainer_fail_closed_hook);
    RUN(test_appcontainer_spawn);
    RUN(test_appcontainer_lpac);
    RUN(test_appcontainer_profile);
    RUN(test_appcontainer_grant);
    return harness_finish();
}
