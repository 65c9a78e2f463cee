/* test_mailslot_process.c: mailslots between processes: a child (this program, started
 * with CreateProcessA) writes to its parent's mailslot; a child is the server and its
 * parent the client; a server killed with TerminateProcess frees its name. */
#include "testlib.h"

static char self_path[MAX_PATH];

static void name_of(char *out, size_t size, const char *what, DWORD pid)
{
    snprintf(out, size, "\\\\.\\mailslot\\overlapped_test\\proc_%s_%lu", what, (unsigned long)pid);
}

/* ---- The child's roles ------------------------------------------------------------- */

static int run_child(int argc, char **argv)
{
    const char *role = argv[2];
    DWORD done = 0;
    if (strcmp(role, "write") == 0 && argc >= 5) {
        /* Opens the parent's mailslot, writes argv[4] numbered messages. */
        HANDLE writer = CreateFileA(argv[3], GENERIC_WRITE, FILE_SHARE_READ | FILE_SHARE_WRITE, NULL, OPEN_EXISTING,
                                    0, NULL);
        if (writer == INVALID_HANDLE_VALUE) return (int)(100 + GetLastError());
        int count = atoi(argv[4]);
        for (int i = 0; i < count; i++) {
            char message[64];
            int length = snprintf(message, sizeof message, "message %d from the child", i);
            if (!WriteFile(writer, message, (DWORD)length, &done, NULL) || done != (DWORD)length) return 20;
        }
        CloseHandle(writer);
        return 0;
    }
    if (strcmp(role, "serve") == 0 && argc >= 5) {
        /* Creates argv[3], says so through the parent's mailslot argv[4], reads one message
         * (waiting at most 10 s) and exits with its length. */
        HANDLE slot = CreateMailslotA(argv[3], 0, 10000, NULL);
        if (slot == INVALID_HANDLE_VALUE) return (int)(100 + GetLastError());
        HANDLE ready = CreateFileA(argv[4], GENERIC_WRITE, FILE_SHARE_READ | FILE_SHARE_WRITE, NULL, OPEN_EXISTING,
                                   0, NULL);
        if (ready == INVALID_HANDLE_VALUE || !WriteFile(ready, "ready", 5, &done, NULL)) return 30;
        CloseHandle(ready);
        char buffer[256];
        if (!ReadFile(slot, buffer, sizeof buffer, &done, NULL)) return (int)(200 + GetLastError());
        return (int)done;
    }
    if (strcmp(role, "hold") == 0 && argc >= 5) {
        /* Creates argv[3], says so, then waits to be killed. */
        HANDLE slot = CreateMailslotA(argv[3], 0, 0, NULL);
        if (slot == INVALID_HANDLE_VALUE) return (int)(100 + GetLastError());
        HANDLE ready = CreateFileA(argv[4], GENERIC_WRITE, FILE_SHARE_READ | FILE_SHARE_WRITE, NULL, OPEN_EXISTING,
                                   0, NULL);
        if (ready == INVALID_HANDLE_VALUE || !WriteFile(ready, "ready", 5, &done, NULL)) return 30;
        Sleep(30000);
        return 40;
    }
    if (strcmp(role, "inherited") == 0 && argc >= 4) {
        /* Writes through a client handle inherited at argv[3]. */
        HANDLE writer = (HANDLE)(ULONG_PTR)strtoull(argv[3], NULL, 16);
        return WriteFile(writer, "through an inherited client", 27, &done, NULL) && done == 27 ? 0 : 50;
    }
    return 99;
}

/* ---- The parent's helpers ---------------------------------------------------------- */

static BOOL start_child_inheriting(const char *arguments, BOOL inherit, PROCESS_INFORMATION *info)
{
    char line[2048];
    STARTUPINFOA startup;
    memset(&startup, 0, sizeof startup);
    startup.cb = sizeof startup;
    snprintf(line, sizeof line, "\"%s\" child %s", self_path, arguments);
    memset(info, 0, sizeof *info);
    return CreateProcessA(NULL, line, NULL, NULL, inherit, 0, NULL, NULL, &startup, info);
}

static BOOL start_child(const char *arguments, PROCESS_INFORMATION *info)
{
    return start_child_inheriting(arguments, FALSE, info);
}

static DWORD finish_child(PROCESS_INFORMATION *info)
{
    DWORD code = 0xFFFFFFFF;
    if (WaitForSingleObject(info->hProcess, 20000) == WAIT_OBJECT_0)
        GetExitCodeProcess(info->hProcess, &code);
    else
        TerminateProcess(info->hProcess, 1);
    CloseHandle(info->hThread);
    CloseHandle(info->hProcess);
    return code;
}

static void child_writes(void)
{
    TEST("a child writes to its parent's mailslot");
    char name[128], arguments[256];
    name_of(name, sizeof name, "parent", GetCurrentProcessId());
    HANDLE slot = CreateMailslotA(name, 0, 10000, NULL);
    CHECK(slot != INVALID_HANDLE_VALUE);
    PROCESS_INFORMATION info;
    snprintf(arguments, sizeof arguments, "write %s 30", name);
    CHECK(start_child(arguments, &info));
    int in_order = 1;
    for (int i = 0; i < 30; i++) {
        char buffer[64] = {0}, expected[64];
        DWORD got = 0;
        int length = snprintf(expected, sizeof expected, "message %d from the child", i);
        if (!ReadFile(slot, buffer, sizeof buffer, &got, NULL) || got != (DWORD)length ||
            memcmp(buffer, expected, got) != 0)
            in_order = 0;
    }
    CHECK(in_order);
    CHECK_EQ(finish_child(&info), 0);
    DWORD count = 1;
    CHECK(GetMailslotInfo(slot, NULL, NULL, &count, NULL));
    CHECK_EQ(count, 0);
    CloseHandle(slot);
}

/* Waits (at most 10 s) for the child's "ready" on `ready`. */
static BOOL child_ready(HANDLE ready)
{
    char buffer[16];
    DWORD got = 0;
    return ReadFile(ready, buffer, sizeof buffer, &got, NULL) && got == 5;
}

static void child_serves(void)
{
    TEST("a child is the server");
    char name[128], ready_name[128], arguments[512];
    name_of(name, sizeof name, "child", GetCurrentProcessId());
    name_of(ready_name, sizeof ready_name, "ready", GetCurrentProcessId());
    HANDLE ready = CreateMailslotA(ready_name, 0, 10000, NULL);
    CHECK(ready != INVALID_HANDLE_VALUE);
    PROCESS_INFORMATION info;
    snprintf(arguments, sizeof arguments, "serve %s %s", name, ready_name);
    CHECK(start_child(arguments, &info));
    CHECK(child_ready(ready));
    HANDLE writer = CreateFileA(name, GENERIC_WRITE, FILE_SHARE_READ | FILE_SHARE_WRITE, NULL, OPEN_EXISTING, 0, NULL);
    CHECK(writer != INVALID_HANDLE_VALUE);
    DWORD got = 0;
    CHECK(WriteFile(writer, "seventeen bytes!!", 17, &got, NULL));
    CHECK_EQ(finish_child(&info), 17);
    CloseHandle(writer);
    CloseHandle(ready);
}

static void killed_server(void)
{
    TEST("a server killed with TerminateProcess frees its name");
    char name[128], ready_name[128], arguments[512];
    name_of(name, sizeof name, "killed", GetCurrentProcessId());
    name_of(ready_name, sizeof ready_name, "ready2", GetCurrentProcessId());
    HANDLE ready = CreateMailslotA(ready_name, 0, 10000, NULL);
    PROCESS_INFORMATION info;
    snprintf(arguments, sizeof arguments, "hold %s %s", name, ready_name);
    CHECK(start_child(arguments, &info));
    CHECK(child_ready(ready));
    HANDLE writer = CreateFileA(name, GENERIC_WRITE, FILE_SHARE_READ | FILE_SHARE_WRITE, NULL, OPEN_EXISTING, 0, NULL);
    CHECK(writer != INVALID_HANDLE_VALUE);
    /* Taken while the child lives. */
    SetLastError(0xdeadbeef);
    CHECK(CreateMailslotA(name, 0, 0, NULL) == INVALID_HANDLE_VALUE);
    CHECK_ERROR(ERROR_ALREADY_EXISTS);
    CHECK(TerminateProcess(info.hProcess, 9));
    CHECK_EQ(finish_child(&info), 9);
    /* Gone with it: our old client's writes fail; once that is closed too, no client
     * opens the name and it is free for a new server. */
    DWORD got = 0;
    WINE_DEVIATION("Wine 8 keeps a closed mailslot alive while a client is open") {
        SetLastError(0xdeadbeef);
        CHECK(!WriteFile(writer, "x", 1, &got, NULL));
        CHECK_ERROR(ERROR_HANDLE_EOF);
    }
    CloseHandle(writer);
    SetLastError(0xdeadbeef);
    CHECK(CreateFileA(name, GENERIC_WRITE, FILE_SHARE_READ | FILE_SHARE_WRITE, NULL, OPEN_EXISTING, 0, NULL) ==
          INVALID_HANDLE_VALUE);
    CHECK_ERROR(ERROR_FILE_NOT_FOUND);
    HANDLE slot = CreateMailslotA(name, 0, 0, NULL);
    CHECK(slot != INVALID_HANDLE_VALUE);
    CloseHandle(slot);
    CloseHandle(ready);
}

static void inherited_client(void)
{
    TEST("a client handle inherited by a child");
    char name[128], arguments[256];
    name_of(name, sizeof name, "inherit", GetCurrentProcessId());
    HANDLE slot = CreateMailslotA(name, 0, 10000, NULL);
    SECURITY_ATTRIBUTES inheritable = {sizeof inheritable, NULL, TRUE};
    HANDLE writer = CreateFileA(name, GENERIC_WRITE, FILE_SHARE_READ | FILE_SHARE_WRITE, &inheritable, OPEN_EXISTING,
                                0, NULL);
    CHECK(slot != INVALID_HANDLE_VALUE && writer != INVALID_HANDLE_VALUE);
    PROCESS_INFORMATION info;
    snprintf(arguments, sizeof arguments, "inherited %llx", (unsigned long long)(ULONG_PTR)writer);
    CHECK(start_child_inheriting(arguments, TRUE, &info));
    CHECK_EQ(finish_child(&info), 0);
    /* Our copy still works after the child's went. */
    DWORD got = 0;
    CHECK(WriteFile(writer, "parent", 6, &got, NULL));
    char buffer[64] = {0};
    CHECK(ReadFile(slot, buffer, sizeof buffer, &got, NULL));
    CHECK_EQ(got, 27);
    CHECK(memcmp(buffer, "through an inherited client", 27) == 0);
    CHECK(ReadFile(slot, buffer, sizeof buffer, &got, NULL));
    CHECK_EQ(got, 6);
    CloseHandle(writer);
    CloseHandle(slot);
}

int main(int argc, char **argv)
{
    if (argc >= 3 && strcmp(argv[1], "child") == 0) return run_child(argc, argv);
    DWORD length = GetModuleFileNameA(NULL, self_path, sizeof self_path);
    CHECK(length > 0 && length < sizeof self_path);
    child_writes();
    child_serves();
    killed_server();
    inherited_client();
    return tl_finish();
}
