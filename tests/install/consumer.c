/* consumer.c: a Win32 program built against the INSTALLED package (pkg-config or CMake),
 * as C and as C++: events, a thread, a wait, a completion port, the last error. */
#include <windows.h>
#include <overlapped/overlapped.h>
#include <stdio.h>

static HANDLE port;

static DWORD WINAPI worker(LPVOID parameter)
{
    DWORD bytes = 0;
    ULONG_PTR key = 0;
    OVERLAPPED *overlapped = NULL;
    if (!GetQueuedCompletionStatus(port, &bytes, &key, &overlapped, 5000)) return 1;
    SetEvent((HANDLE)parameter);
    return bytes == 42 && key == 7 ? 0 : 2;
}

int main(void)
{
    HANDLE done = CreateEventA(NULL, TRUE, FALSE, NULL);
    port = CreateIoCompletionPort(INVALID_HANDLE_VALUE, NULL, 0, 0);
    HANDLE thread = CreateThread(NULL, 0, worker, done, 0, NULL);
    if (overlapped_open_handles() < 3) return 8; /* done, port and thread at least */
    if (done == NULL || port == NULL || thread == NULL) return 1;
    PostQueuedCompletionStatus(port, 42, 7, NULL);
    if (WaitForSingleObject(done, 5000) != WAIT_OBJECT_0) return 2;
    if (WaitForSingleObject(thread, 5000) != WAIT_OBJECT_0) return 3;
    DWORD code = 99;
    GetExitCodeThread(thread, &code);
    SetLastError(0);
    if (CloseHandle((HANDLE)(ULONG_PTR)0x7ffffffc) || GetLastError() != ERROR_INVALID_HANDLE) return 4;
    CloseHandle(thread);
    overlapped_port_statistics statistics;
    if (!overlapped_get_port_statistics(port, &statistics)) return 7;
    CloseHandle(port);
    CloseHandle(done);
    if (code != 0) return 5;
    /* Every library extension links from the installed package. */
    const char *engine = overlapped_engine();
    if (engine == NULL) return 6;
    printf("consumer ok (library %s, engine %s)\n", overlapped_version(), engine);
    return 0;
}
