/* The child of the Windows tests: it reports what it really got. Built with
 * -municode, so that wmain's argv is the C runtime's own parse of the
 * command line (the parse spx's quoting targets). Commands, in order:
 *   argv             print every argument as UTF-16 units in hex, then exit
 *   env              print every environment entry (hex UTF-16), in order
 *   stdio            for 0, 1, 2: "stdio N: none" or "stdio N: open"
 *   write H TEXT     write TEXT to the inherited handle value H (decimal)
 *   cwd              print the working directory (hex UTF-16)
 *   token            print whether the token is an AppContainer token
 *   touch PATH       create the file PATH
 *   sleep MS         sleep
 *   crash            write through a NULL pointer
 *   exit N           exit with N
 * Output goes to standard output, or to stderr when stdout is none. */
#define WIN32_LEAN_AND_MEAN
#include <windows.h>
#include <fcntl.h>
#include <io.h>
#include <stdio.h>
#include <stdlib.h>
#include <wchar.h>

static void print_hex(const wchar_t *s, size_t n)
{
    for (size_t i = 0; i < n; i++) printf("%s%04x", i ? " " : "", (unsigned)s[i]);
    printf("\n");
}

static int handle_open(HANDLE h)
{
    DWORD flags;
    return h && h != INVALID_HANDLE_VALUE && GetHandleInformation(h, &flags);
}

static LONG WINAPI end_on_exception(EXCEPTION_POINTERS *e)
{
    (void)e;
    return EXCEPTION_EXECUTE_HANDLER;
}

int wmain(int argc, wchar_t **argv)
{
    _setmode(_fileno(stdout), _O_BINARY);  /* "\n", not "\r\n" */
    setvbuf(stdout, NULL, _IONBF, 0);
    for (int i = 1; i < argc; i++) {
        const wchar_t *cmd = argv[i];
        if (!wcscmp(cmd, L"argv")) {
            printf("argc: %d\n", argc);
            for (int j = 0; j < argc; j++) {
                printf("arg %d:%s", j, argv[j][0] ? " " : "");
                print_hex(argv[j], wcslen(argv[j]));
            }
            return 0;
        } else if (!wcscmp(cmd, L"env")) {
            wchar_t *block = GetEnvironmentStringsW();
            for (wchar_t *e = block; *e; e += wcslen(e) + 1) {
                printf("env: ");
                print_hex(e, wcslen(e));
            }
            FreeEnvironmentStringsW(block);
        } else if (!wcscmp(cmd, L"stdio")) {
            static const DWORD ids[3] = {STD_INPUT_HANDLE, STD_OUTPUT_HANDLE, STD_ERROR_HANDLE};
            FILE *out = handle_open(GetStdHandle(STD_OUTPUT_HANDLE)) ? stdout : NULL;
            for (int s = 0; s < 3; s++) {
                char line[64];
                snprintf(line, sizeof line, "stdio %d: %s\n", s, handle_open(GetStdHandle(ids[s])) ? "open" : "none");
                if (out) fputs(line, out);
            }
        } else if (!wcscmp(cmd, L"write") && i + 2 < argc) {
            HANDLE h = (HANDLE)(ULONG_PTR)wcstoull(argv[i + 1], NULL, 10);
            char text[256];
            int n = WideCharToMultiByte(CP_UTF8, 0, argv[i + 2], -1, text, sizeof text, NULL, NULL);
            DWORD written = 0;
            BOOL ok = n > 1 && handle_open(h) && WriteFile(h, text, (DWORD)(n - 1), &written, NULL);
            printf("write %ls: %s\n", argv[i + 1], ok ? "ok" : "failed");
            i += 2;
        } else if (!wcscmp(cmd, L"cwd")) {
            wchar_t dir[MAX_PATH];
            DWORD n = GetCurrentDirectoryW(MAX_PATH, dir);
            printf("cwd: ");
            print_hex(dir, n);
        } else if (!wcscmp(cmd, L"token")) {
            HANDLE token;
            DWORD is_container = 0, len = 0;
            if (OpenProcessToken(GetCurrentProcess(), TOKEN_QUERY, &token)) {
                GetTokenInformation(token, TokenIsAppContainer, &is_container, sizeof is_container, &len);
                CloseHandle(token);
            }
            printf("appcontainer: %lu\n", (unsigned long)is_container);
        } else if (!wcscmp(cmd, L"touch") && i + 1 < argc) {
            HANDLE f = CreateFileW(argv[++i], GENERIC_WRITE, 0, NULL, CREATE_ALWAYS, FILE_ATTRIBUTE_NORMAL, NULL);
            printf("touch: %s\n", f != INVALID_HANDLE_VALUE ? "ok" : "failed");
            if (f != INVALID_HANDLE_VALUE) CloseHandle(f);
        } else if (!wcscmp(cmd, L"sleep") && i + 1 < argc) {
            Sleep((DWORD)wcstoul(argv[++i], NULL, 10));
        } else if (!wcscmp(cmd, L"crash")) {
            /* No debugger, no dialog: the process ends with the
             * exception's code as its exit code. */
            SetErrorMode(SEM_NOGPFAULTERRORBOX);
            SetUnhandledExceptionFilter(end_on_exception);
            *(volatile int *)(ULONG_PTR)argc /* not NULL to the compiler */ = 0;
        } else if (!wcscmp(cmd, L"exit") && i + 1 < argc) {
            return (int)wcstol(argv[++i], NULL, 10);
        } else {
            printf("unknown command %d\n", i);
            return 100;
        }
    }
    return 0;
}
