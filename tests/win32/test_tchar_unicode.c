/* test_tchar_unicode.c: a program built as Microsoft's samples are with UNICODE and
 * _UNICODE: its entry point is _tmain (wmain), which receives the arguments in UTF-16
 * (Windows' C run-time builds them from the command line; here the library's start-up
 * converts argv). The test starts itself with arguments holding blanks, quotes and
 * characters beyond ASCII and checks what the child's _tmain receives. TCHAR, TEXT, _T and
 * the generic names resolve to the W forms. */
#ifndef UNICODE /* mingw-w64's -municode defines both */
#define UNICODE
#endif
#ifndef _UNICODE
#define _UNICODE
#endif
#include "testlib.h"
#include <tchar.h>

/* "héllo wörld" and "日本" as UTF-16 code units, and a quoted one. */
static const WCHAR first[] = {'h', 0xe9, 'l', 'l', 'o', ' ', 'w', 0xf6, 'r', 'l', 'd', 0};
static const WCHAR second[] = {0x65e5, 0x672c, 0};
static const WCHAR third[] = {'a', '"', 'b', 0};

static int child(int argc, _TCHAR *argv[])
{
    /* Exit code: one bit per argument that is not what the parent passed. */
    int bad = 0;
    if (argc != 5) return 64;
    if (argv[argc] != NULL) bad |= 32;
    if (lstrcmpW(argv[2], first) != 0) bad |= 1;
    if (lstrcmpW(argv[3], second) != 0) bad |= 2;
    if (lstrcmpW(argv[4], third) != 0) bad |= 4;
    return bad;
}

int _tmain(int argc, _TCHAR *argv[])
{
    TCHAR self[MAX_PATH], line[2 * MAX_PATH];
    STARTUPINFO startup;
    PROCESS_INFORMATION process;
    DWORD code = 0xdead;
    size_t length;

    if (argc > 1 && lstrcmp(argv[1], TEXT("child")) == 0) return child(argc, argv);

    TEST("_tmain with _UNICODE: UTF-16 arguments, argv[argc] is NULL, argv[0] names the program");
    CHECK(argc >= 1);
    CHECK(argv[argc] == NULL);
    CHECK(_tcslen(argv[0]) > 0);
    CHECK_EQ(sizeof(TCHAR), 2);
    CHECK_EQ(sizeof(_TCHAR), 2);

    TEST("_tmain with _UNICODE: a child sees blanks, quotes and non-ASCII characters as passed");
    CHECK(GetModuleFileName(NULL, self, MAX_PATH) > 0);
    lstrcpy(line, TEXT("\""));
    lstrcat(line, self);
    lstrcat(line, _T("\" child \""));
    lstrcat(line, first);
    lstrcat(line, TEXT("\" "));
    lstrcat(line, second);
    lstrcat(line, TEXT(" a\\\"b"));
    length = _tcslen(line);
    CHECK(length < ARRAYSIZE(line));
    ZeroMemory(&startup, sizeof startup);
    startup.cb = sizeof startup;
    CHECK(CreateProcess(NULL, line, NULL, NULL, FALSE, 0, NULL, NULL, &startup, &process));
    CHECK_EQ(WaitForSingleObject(process.hProcess, 30000), WAIT_OBJECT_0);
    CHECK(GetExitCodeProcess(process.hProcess, &code));
    CHECK_EQ(code, 0);
    CloseHandle(process.hThread);
    CloseHandle(process.hProcess);
    return tl_finish();
}
