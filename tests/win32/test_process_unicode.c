/* test_process_unicode.c: a program built with UNICODE, as Microsoft Learn's process
 * samples are when their TCHAR code is built for Unicode: the names without A or W
 * (STARTUPINFO, CreateProcess, GetModuleFileName, the environment functions, LPTCH) are
 * the W ones. The parent starts itself with its own environment block of UTF-16 strings
 * (CREATE_UNICODE_ENVIRONMENT), and the child answers with its exit code whether it sees
 * that block and not the parent's variables. */
#define UNICODE
#include "testlib.h"

static int run_child(void)
{
    TCHAR value[16];
    LPTCH strings = GetEnvironmentStrings();
    int found = 0;
    for (PTCH at = strings; at != NULL && *at; at += lstrlen(at) + 1)
        if (lstrcmp(at, TEXT("OvlSetting=A")) == 0) found = 1;
    FreeEnvironmentStrings(strings);
    if (!found) return 1;
    if (GetEnvironmentVariable(TEXT("OvlSetting"), value, 16) != 1 || lstrcmp(value, TEXT("A")) != 0) return 2;
    if (GetEnvironmentVariable(TEXT("OvlVersion"), value, 16) != 2 || lstrcmp(value, TEXT("\x00e9\x00e9")) != 0)
        return 3;
    /* The block replaces the parent's environment: what only the parent set is not there. */
    if (GetEnvironmentVariable(TEXT("OvlParentOnly"), value, 16) != 0 || GetLastError() != ERROR_ENVVAR_NOT_FOUND)
        return 4;
    return 0;
}

int main(int argc, char **argv)
{
    TCHAR self[MAX_PATH];
    TCHAR line[MAX_PATH + 16];
    TCHAR block[64];
    LPTSTR at = block;
    STARTUPINFO startup;
    LPSTARTUPINFO startup_pointer = &startup;
    PROCESS_INFORMATION info;
    DWORD code = 0xFFFFFFFF;

    if (argc >= 2 && strcmp(argv[1], "child") == 0) return run_child();

    TEST("UNICODE: the names without A or W are the W functions and structures");
    CHECK_EQ(sizeof(TCHAR), sizeof(WCHAR));
    CHECK_EQ(sizeof(STARTUPINFO), sizeof(STARTUPINFOW));
    ZeroMemory(&startup, sizeof startup);
    GetStartupInfo(startup_pointer);
    CHECK_EQ(startup.cb, sizeof(STARTUPINFOW));
    CHECK(SetEnvironmentVariable(TEXT("OvlParentOnly"), TEXT("x")));
    CHECK_EQ(GetEnvironmentVariable(TEXT("OvlParentOnly"), block, 64), 1);
    CHECK(GetCommandLine() != NULL && GetCommandLine()[0] != 0);

    TEST("UNICODE: CreateProcess with a UTF-16 environment block");
    DWORD length = GetModuleFileName(NULL, self, MAX_PATH);
    CHECK(length > 0 && length < MAX_PATH);
    lstrcpy(line, TEXT("\""));
    lstrcat(line, self);
    lstrcat(line, TEXT("\" child"));
    lstrcpy(at, TEXT("OvlSetting=A"));
    at += lstrlen(at) + 1;
    lstrcpy(at, TEXT("OvlVersion=\x00e9\x00e9"));
    at += lstrlen(at) + 1;
    *at = 0;
    ZeroMemory(&startup, sizeof startup);
    startup.cb = sizeof startup;
    ZeroMemory(&info, sizeof info);
    CHECK(CreateProcess(NULL, line, NULL, NULL, FALSE, CREATE_UNICODE_ENVIRONMENT, block, NULL, &startup, &info));
    if (info.hProcess != NULL) {
        CHECK_EQ(WaitForSingleObject(info.hProcess, 20000), WAIT_OBJECT_0);
        CHECK(GetExitCodeProcess(info.hProcess, &code));
        CHECK_EQ(code, 0);
        CloseHandle(info.hThread);
        CloseHandle(info.hProcess);
    }
    SetEnvironmentVariable(TEXT("OvlParentOnly"), NULL);
    return tl_finish();
}
