/* test_iocp_handles.c: a completion port and the handles around it.
 *
 * Covers: a request pending before its handle was bound to a port posts its packet to
 * that port, with the key given at the binding, unless it has a completion routine, which
 * runs as before (ntdll test_file_io_completion); the binding and
 * the notification modes belong to the file object, so a duplicated handle shares them
 * and a second open of the same pipe instance does not; a read pending on a port whose
 * own handle is closed posts its packet (ERROR_BROKEN_PIPE, no bytes); the port's last
 * handle closed while a request on a bound handle is pending: the request still ends
 * through its OVERLAPPED and event, and the handle keeps working; BindIoCompletionCallback
 * refuses a handle without FILE_FLAG_OVERLAPPED, a second binding and a NULL function
 * (kernel32 sync.c test_iocp_callback). Also: an alertable GetQueuedCompletionStatusEx
 * with a packet queued and an APC pending takes the packet (Microsoft Learn: the wait is
 * alertable only "if ... there are no available entries"); CancelSynchronousIo finds
 * nothing (ERROR_NOT_FOUND) in a thread waiting on a port or with only asynchronous
 * requests (ntdll pipe.c test_cancelsynchronousio); a request on a port-bound handle
 * outlives the thread that issued it, one on an unbound handle is cancelled with it;
 * ReadFileEx: the OVERLAPPED shows the result before the routine runs, and the routine
 * gets Win32 errors (ERROR_OPERATION_ABORTED, ERROR_BROKEN_PIPE). */
#include "testlib.h"

#define WAIT_MS 5000
#define THIS_PROCESS ((HANDLE)(LONG_PTR)-1)

static int pipe_serial;

/* An overlapped message pipe: the server end and a connected overlapped client. */
static void make_pair(HANDLE *server, HANDLE *client)
{
    char name[128];
    wsprintfA(name, "\\\\.\\pipe\\iocp_handles_%lu_%d", GetCurrentProcessId(), pipe_serial++);
    *server = CreateNamedPipeA(name, PIPE_ACCESS_DUPLEX | FILE_FLAG_OVERLAPPED,
                               PIPE_TYPE_MESSAGE | PIPE_READMODE_MESSAGE | PIPE_WAIT, 4, 1024, 1024, 0, NULL);
    CHECK(*server != INVALID_HANDLE_VALUE);
    *client = CreateFileA(name, GENERIC_READ | GENERIC_WRITE, 0, NULL, OPEN_EXISTING, FILE_FLAG_OVERLAPPED, NULL);
    CHECK(*client != INVALID_HANDLE_VALUE);
}

static BOOL write_all(HANDLE pipe, const void *data, DWORD size)
{
    OVERLAPPED ov;
    DWORD done = 0;
    memset(&ov, 0, sizeof(ov));
    ov.hEvent = CreateEventA(NULL, TRUE, FALSE, NULL);
    BOOL ok = WriteFile(pipe, data, size, NULL, &ov) || GetLastError() == ERROR_IO_PENDING;
    if (ok) ok = GetOverlappedResult(pipe, &ov, &done, TRUE);
    CloseHandle(ov.hEvent);
    return ok && done == size;
}

static void test_bind_after_pending(void)
{
    TEST("a read pending before the binding posts its packet to the port, with the binding's key");
    HANDLE server, client;
    make_pair(&server, &client);
    HANDLE port = CreateIoCompletionPort(INVALID_HANDLE_VALUE, NULL, 0, 0);
    CHECK(port != NULL);
    OVERLAPPED ov;
    memset(&ov, 0, sizeof(ov));
    char buffer[16];
    SetLastError(0xdeadbeef);
    CHECK(!ReadFile(server, buffer, sizeof(buffer), NULL, &ov));
    CHECK_ERROR(ERROR_IO_PENDING);
    CHECK(CreateIoCompletionPort(server, port, 0x1234, 0) == port);
    DWORD bytes = 0;
    ULONG_PTR key = 0;
    OVERLAPPED *got = NULL;
    CHECK(!GetQueuedCompletionStatus(port, &bytes, &key, &got, 100));
    CHECK_ERROR(WAIT_TIMEOUT);
    CHECK(write_all(client, "abc", 3));
    CHECK(GetQueuedCompletionStatus(port, &bytes, &key, &got, WAIT_MS));
    CHECK(got == &ov);
    CHECK_EQ(key, 0x1234);
    CHECK_EQ(bytes, 3);
    CHECK(memcmp(buffer, "abc", 3) == 0);
    CHECK(!GetQueuedCompletionStatus(port, &bytes, &key, &got, 0));
    CHECK_ERROR(WAIT_TIMEOUT);
    CloseHandle(client);
    CloseHandle(server);
    CloseHandle(port);
}

static int bound_routine_calls;

static VOID CALLBACK on_bound_read(DWORD error, DWORD bytes, LPOVERLAPPED ov)
{
    (void)error;
    (void)bytes;
    (void)ov;
    bound_routine_calls++;
}

static void test_bind_after_pending_routine(void)
{
    TEST("a ReadFileEx pending before the binding: its routine runs, and the port gets nothing");
    HANDLE server, client;
    make_pair(&server, &client);
    HANDLE port = CreateIoCompletionPort(INVALID_HANDLE_VALUE, NULL, 0, 0);
    CHECK(port != NULL);
    OVERLAPPED ov;
    memset(&ov, 0, sizeof(ov));
    char buffer[16];
    bound_routine_calls = 0;
    CHECK(ReadFileEx(server, buffer, sizeof(buffer), &ov, on_bound_read));
    CHECK(CreateIoCompletionPort(server, port, 0x99, 0) == port);
    CHECK(write_all(client, "abc", 3));
    CHECK_EQ(bound_routine_calls, 0);
    CHECK_EQ(SleepEx(WAIT_MS, TRUE), WAIT_IO_COMPLETION);
    CHECK_EQ(bound_routine_calls, 1);
    DWORD bytes = 0;
    ULONG_PTR key = 0;
    OVERLAPPED *got = NULL;
    CHECK(!GetQueuedCompletionStatus(port, &bytes, &key, &got, 100));
    CHECK_ERROR(WAIT_TIMEOUT);
    /* Bound now: a new ReadFileEx is refused (NT: no APC routine on a file object with a
     * completion context). */
    WINE_DEVIATION("Wine accepts ReadFileEx on a handle bound to a completion port")
    {
        SetLastError(0xdeadbeef);
        CHECK(!ReadFileEx(server, buffer, sizeof(buffer), &ov, on_bound_read));
        CHECK_ERROR(ERROR_INVALID_PARAMETER);
    }
    CloseHandle(client);
    CloseHandle(server);
    CloseHandle(port);
}

static void test_duplicate_shares_binding(void)
{
    TEST("a duplicated handle shares the binding: its requests post there, it cannot be bound again");
    HANDLE server, client, dup = NULL;
    make_pair(&server, &client);
    HANDLE port = CreateIoCompletionPort(server, NULL, 7, 0);
    CHECK(port != NULL);
    CHECK(DuplicateHandle(THIS_PROCESS, server, THIS_PROCESS, &dup, 0, FALSE, DUPLICATE_SAME_ACCESS));
    HANDLE other = CreateIoCompletionPort(INVALID_HANDLE_VALUE, NULL, 0, 0);
    SetLastError(0xdeadbeef);
    CHECK(CreateIoCompletionPort(dup, other, 8, 0) == NULL);
    CHECK_ERROR(ERROR_INVALID_PARAMETER);
    OVERLAPPED ov;
    memset(&ov, 0, sizeof(ov));
    char buffer[16];
    SetLastError(0xdeadbeef);
    CHECK(!ReadFile(dup, buffer, sizeof(buffer), NULL, &ov));
    CHECK_ERROR(ERROR_IO_PENDING);
    CHECK(write_all(client, "xy", 2));
    DWORD bytes = 0;
    ULONG_PTR key = 0;
    OVERLAPPED *got = NULL;
    CHECK(GetQueuedCompletionStatus(port, &bytes, &key, &got, WAIT_MS));
    CHECK(got == &ov);
    CHECK_EQ(key, 7);
    CHECK_EQ(bytes, 2);

    TEST("the duplicate shares the notification modes too");
    CHECK(SetFileCompletionNotificationModes(dup, FILE_SKIP_COMPLETION_PORT_ON_SUCCESS));
    CHECK(write_all(client, "pq", 2));
    memset(&ov, 0, sizeof(ov));
    CHECK(ReadFile(server, buffer, sizeof(buffer), &bytes, &ov)); /* the message is there: at once */
    CHECK_EQ(bytes, 2);
    CHECK(!GetQueuedCompletionStatus(port, &bytes, &key, &got, 100));
    CHECK_ERROR(WAIT_TIMEOUT);

    TEST("CancelIoEx through the duplicate finds a request issued through the original");
    memset(&ov, 0, sizeof(ov));
    SetLastError(0xdeadbeef);
    CHECK(!ReadFile(server, buffer, sizeof(buffer), NULL, &ov));
    CHECK_ERROR(ERROR_IO_PENDING);
    CHECK(CancelIoEx(dup, &ov));
    got = NULL;
    SetLastError(0xdeadbeef);
    CHECK(!GetQueuedCompletionStatus(port, &bytes, &key, &got, WAIT_MS));
    CHECK_ERROR(ERROR_OPERATION_ABORTED);
    CHECK(got == &ov);
    CHECK_EQ(bytes, 0);
    CloseHandle(dup);
    CloseHandle(client);
    CloseHandle(server);
    CloseHandle(other);
    CloseHandle(port);
}

static void test_close_own_handle(void)
{
    TEST("a read pending on a port, its handle closed: a packet with ERROR_BROKEN_PIPE and no bytes");
    HANDLE server, client;
    make_pair(&server, &client);
    HANDLE port = CreateIoCompletionPort(server, NULL, 21, 0);
    CHECK(port != NULL);
    OVERLAPPED ov;
    memset(&ov, 0, sizeof(ov));
    char buffer[16];
    SetLastError(0xdeadbeef);
    CHECK(!ReadFile(server, buffer, sizeof(buffer), NULL, &ov));
    CHECK_ERROR(ERROR_IO_PENDING);
    CHECK(CloseHandle(server));
    DWORD bytes = 0xdead;
    ULONG_PTR key = 0;
    OVERLAPPED *got = NULL;
    SetLastError(0xdeadbeef);
    CHECK(!GetQueuedCompletionStatus(port, &bytes, &key, &got, WAIT_MS));
    CHECK(got == &ov);
    CHECK_EQ(key, 21);
    CHECK_EQ(bytes, 0);
    WINE_DEVIATION("Wine 8 ends a request pending at its handle's close with STATUS_HANDLES_CLOSED")
    {
        CHECK_ERROR(ERROR_BROKEN_PIPE);
    }
    CHECK(!GetQueuedCompletionStatus(port, &bytes, &key, &got, 0));
    CHECK_ERROR(WAIT_TIMEOUT);
    CloseHandle(client);
    CloseHandle(port);
}

static void test_close_port_with_pending(void)
{
    TEST("the port closed with a read pending on a bound handle: the read still ends, event and OVERLAPPED");
    HANDLE server, client;
    make_pair(&server, &client);
    HANDLE port = CreateIoCompletionPort(server, NULL, 3, 0);
    CHECK(port != NULL);
    OVERLAPPED ov;
    memset(&ov, 0, sizeof(ov));
    ov.hEvent = CreateEventA(NULL, TRUE, FALSE, NULL);
    char buffer[16];
    SetLastError(0xdeadbeef);
    CHECK(!ReadFile(server, buffer, sizeof(buffer), NULL, &ov));
    CHECK_ERROR(ERROR_IO_PENDING);
    CHECK(CloseHandle(port));
    CHECK(write_all(client, "hello", 5));
    CHECK_EQ(WaitForSingleObject(ov.hEvent, WAIT_MS), WAIT_OBJECT_0);
    DWORD bytes = 0;
    CHECK(GetOverlappedResult(server, &ov, &bytes, FALSE));
    CHECK_EQ(bytes, 5);
    CHECK(memcmp(buffer, "hello", 5) == 0);

    TEST("after the port's close the handle is still bound (no new binding) and its I/O works");
    HANDLE other = CreateIoCompletionPort(INVALID_HANDLE_VALUE, NULL, 0, 0);
    SetLastError(0xdeadbeef);
    CHECK(CreateIoCompletionPort(server, other, 4, 0) == NULL);
    CHECK_ERROR(ERROR_INVALID_PARAMETER);
    ResetEvent(ov.hEvent);
    SetLastError(0xdeadbeef);
    BOOL ok = ReadFile(server, buffer, sizeof(buffer), NULL, &ov);
    CHECK(!ok && GetLastError() == ERROR_IO_PENDING);
    CHECK(write_all(client, "again", 5));
    CHECK(GetOverlappedResult(server, &ov, &bytes, TRUE));
    CHECK_EQ(bytes, 5);
    DWORD b;
    ULONG_PTR key;
    OVERLAPPED *got;
    CHECK(!GetQueuedCompletionStatus(other, &b, &key, &got, 0));
    CHECK_ERROR(WAIT_TIMEOUT);
    CloseHandle(other);
    CloseHandle(ov.hEvent);
    CloseHandle(client);
    CloseHandle(server);
}

static volatile LONG callback_calls;

static VOID CALLBACK on_io(DWORD error, DWORD bytes, LPOVERLAPPED ov)
{
    (void)error;
    (void)bytes;
    (void)ov;
    InterlockedIncrement(&callback_calls);
}

static void test_bind_callback_refusals(void)
{
    char directory[MAX_PATH], path[MAX_PATH];
    GetTempPathA(sizeof(directory), directory);
    GetTempFileNameA(directory, "bic", 0, path);

    TEST("BindIoCompletionCallback: a handle without FILE_FLAG_OVERLAPPED: ERROR_INVALID_PARAMETER");
    HANDLE file = CreateFileA(path, GENERIC_READ | GENERIC_WRITE, 0, NULL, CREATE_ALWAYS, 0, NULL);
    CHECK(file != INVALID_HANDLE_VALUE);
    SetLastError(0xdeadbeef);
    CHECK(!BindIoCompletionCallback(file, on_io, 0));
    CHECK_ERROR(ERROR_INVALID_PARAMETER);
    CloseHandle(file);

    TEST("BindIoCompletionCallback: bound already, or a NULL function: ERROR_INVALID_PARAMETER");
    file = CreateFileA(path, GENERIC_READ | GENERIC_WRITE, 0, NULL, CREATE_ALWAYS,
                       FILE_FLAG_OVERLAPPED | FILE_FLAG_DELETE_ON_CLOSE, NULL);
    CHECK(file != INVALID_HANDLE_VALUE);
    CHECK(BindIoCompletionCallback(file, on_io, 0));
    OVERLAPPED ov;
    memset(&ov, 0, sizeof(ov));
    BOOL ok = WriteFile(file, "data", 4, NULL, &ov);
    CHECK(ok || GetLastError() == ERROR_IO_PENDING);
    for (int i = 0; i < 500 && tl_load(&callback_calls) == 0; ++i) Sleep(10);
    CHECK_EQ(tl_load(&callback_calls), 1);
    SetLastError(0xdeadbeef);
    CHECK(!BindIoCompletionCallback(file, on_io, 0));
    CHECK_ERROR(ERROR_INVALID_PARAMETER);
    SetLastError(0xdeadbeef);
    CHECK(!BindIoCompletionCallback(file, NULL, 0));
    CHECK_ERROR(ERROR_INVALID_PARAMETER);
    CloseHandle(file);

    TEST("BindIoCompletionCallback: a NULL handle fails (ERROR_INVALID_HANDLE or ERROR_INVALID_PARAMETER)");
    SetLastError(0xdeadbeef);
    CHECK(!BindIoCompletionCallback(NULL, on_io, 0));
    CHECK(GetLastError() == ERROR_INVALID_HANDLE || GetLastError() == ERROR_INVALID_PARAMETER);
    DeleteFileA(path);
}

static volatile LONG apc_runs;

static VOID CALLBACK count_apc(ULONG_PTR parameter)
{
    (void)parameter;
    InterlockedIncrement(&apc_runs);
}

static void test_alertable_ex_packet_first(void)
{
    TEST("alertable Ex with a packet queued and an APC pending: the packet; the APC stays queued");
    HANDLE port = CreateIoCompletionPort(INVALID_HANDLE_VALUE, NULL, 0, 0);
    CHECK(port != NULL);
    CHECK(PostQueuedCompletionStatus(port, 11, 12, NULL));
    apc_runs = 0;
    CHECK(QueueUserAPC(count_apc, GetCurrentThread(), 0));
    OVERLAPPED_ENTRY entries[4];
    ULONG removed = 0;
    CHECK(GetQueuedCompletionStatusEx(port, entries, 4, &removed, 1000, TRUE));
    CHECK_EQ(removed, 1);
    CHECK_EQ(entries[0].dwNumberOfBytesTransferred, 11);
    CHECK_EQ(entries[0].lpCompletionKey, 12);
    CHECK_EQ(tl_load(&apc_runs), 0);
    /* Now the port is empty: the next alertable call runs the APC. */
    SetLastError(0xdeadbeef);
    CHECK(!GetQueuedCompletionStatusEx(port, entries, 4, &removed, 1000, TRUE));
    CHECK_ERROR(WAIT_IO_COMPLETION);
    CHECK_EQ(tl_load(&apc_runs), 1);
    CloseHandle(port);
}

static volatile LONG port_waiting;

static DWORD WINAPI port_waiter(LPVOID port)
{
    DWORD bytes;
    ULONG_PTR key;
    OVERLAPPED *got;
    InterlockedExchange(&port_waiting, 1);
    return GetQueuedCompletionStatus((HANDLE)port, &bytes, &key, &got, WAIT_MS) ? 1 : GetLastError();
}

static DWORD WINAPI sync_reader(LPVOID pipe)
{
    char buffer[8];
    DWORD done;
    return ReadFile((HANDLE)pipe, buffer, sizeof(buffer), &done, NULL) ? 0 : GetLastError();
}

static void test_cancel_synchronous_not_found(void)
{
    TEST("CancelSynchronousIo: no synchronous request (itself, a thread waiting on a port): ERROR_NOT_FOUND");
    SetLastError(0xdeadbeef);
    CHECK(!CancelSynchronousIo(GetCurrentThread()));
    CHECK_ERROR(ERROR_NOT_FOUND);
    HANDLE port = CreateIoCompletionPort(INVALID_HANDLE_VALUE, NULL, 0, 0);
    port_waiting = 0;
    HANDLE thread = CreateThread(NULL, 0, port_waiter, port, 0, NULL);
    while (!tl_load(&port_waiting)) Sleep(1);
    Sleep(100);
    SetLastError(0xdeadbeef);
    CHECK(!CancelSynchronousIo(thread));
    CHECK_ERROR(ERROR_NOT_FOUND);
    CHECK_EQ(WaitForSingleObject(thread, 100), WAIT_TIMEOUT); /* still waiting */
    CHECK(PostQueuedCompletionStatus(port, 0, 0, NULL));
    CHECK_EQ(WaitForSingleObject(thread, WAIT_MS), WAIT_OBJECT_0);
    DWORD code = 0;
    CHECK(GetExitCodeThread(thread, &code));
    CHECK_EQ(code, 1);
    CloseHandle(thread);
    CloseHandle(port);

    TEST("CancelSynchronousIo leaves asynchronous requests alone, and ends a synchronous read");
    char name[128];
    wsprintfA(name, "\\\\.\\pipe\\iocp_handles_sync_%lu", GetCurrentProcessId());
    HANDLE server = CreateNamedPipeA(name, PIPE_ACCESS_DUPLEX | FILE_FLAG_OVERLAPPED, PIPE_TYPE_BYTE, 1, 64, 64, 0, NULL);
    CHECK(server != INVALID_HANDLE_VALUE);
    HANDLE client = CreateFileA(name, GENERIC_READ | GENERIC_WRITE, 0, NULL, OPEN_EXISTING, 0, NULL);
    CHECK(client != INVALID_HANDLE_VALUE);
    OVERLAPPED ov;
    memset(&ov, 0, sizeof(ov));
    ov.hEvent = CreateEventA(NULL, TRUE, FALSE, NULL);
    char buffer[8];
    SetLastError(0xdeadbeef);
    CHECK(!ReadFile(server, buffer, sizeof(buffer), NULL, &ov));
    CHECK_ERROR(ERROR_IO_PENDING);
    SetLastError(0xdeadbeef);
    CHECK(!CancelSynchronousIo(GetCurrentThread()));
    CHECK_ERROR(ERROR_NOT_FOUND);
    thread = CreateThread(NULL, 0, sync_reader, client, 0, NULL);
    CHECK_EQ(WaitForSingleObject(thread, 200), WAIT_TIMEOUT);
    CHECK(CancelSynchronousIo(thread));
    CHECK_EQ(WaitForSingleObject(thread, WAIT_MS), WAIT_OBJECT_0);
    CHECK(GetExitCodeThread(thread, &code));
    CHECK_EQ(code, ERROR_OPERATION_ABORTED);
    CloseHandle(thread);
    CHECK_EQ(WaitForSingleObject(ov.hEvent, 0), WAIT_TIMEOUT); /* the asynchronous read waits on */
    DWORD done = 0;
    CHECK(WriteFile(client, "hi", 2, &done, NULL));
    CHECK(GetOverlappedResult(server, &ov, &done, TRUE));
    CHECK_EQ(done, 2);
    CloseHandle(ov.hEvent);
    CloseHandle(client);
    CloseHandle(server);
}

struct issue {
    HANDLE pipe;
    OVERLAPPED *ov;
    char *buffer;
};

static DWORD WINAPI issue_and_exit(LPVOID arg)
{
    struct issue *it = arg;
    return ReadFile(it->pipe, it->buffer, 8, NULL, it->ov) || GetLastError() == ERROR_IO_PENDING;
}

static void test_issuer_exit(void)
{
    for (int bound = 0; bound < 2; ++bound) {
        TEST(bound ? "the issuing thread exits: a read on a port-bound handle goes on, and posts its packet"
                   : "the issuing thread exits: a read on an unbound handle is cancelled");
        HANDLE server, client, port = NULL;
        make_pair(&server, &client);
        if (bound) {
            port = CreateIoCompletionPort(server, NULL, 31, 0);
            CHECK(port != NULL);
        }
        OVERLAPPED ov;
        memset(&ov, 0, sizeof(ov));
        ov.hEvent = CreateEventA(NULL, TRUE, FALSE, NULL);
        char buffer[8];
        struct issue it = {server, &ov, buffer};
        HANDLE thread = CreateThread(NULL, 0, issue_and_exit, &it, 0, NULL);
        CHECK_EQ(WaitForSingleObject(thread, WAIT_MS), WAIT_OBJECT_0);
        DWORD code = 0, done = 0;
        CHECK(GetExitCodeThread(thread, &code));
        CHECK_EQ(code, 1);
        CloseHandle(thread);
        if (!bound) {
            CHECK_EQ(WaitForSingleObject(ov.hEvent, WAIT_MS), WAIT_OBJECT_0);
            SetLastError(0xdeadbeef);
            CHECK(!GetOverlappedResult(server, &ov, &done, FALSE));
            CHECK_ERROR(ERROR_OPERATION_ABORTED);
        } else {
            WINE_DEVIATION("Wine 8 cancels an exiting thread's requests on port-bound handles too")
            {
                CHECK_EQ(WaitForSingleObject(ov.hEvent, 100), WAIT_TIMEOUT);
                CHECK(write_all(client, "abc", 3));
                DWORD bytes = 0;
                ULONG_PTR key = 0;
                OVERLAPPED *got = NULL;
                CHECK(GetQueuedCompletionStatus(port, &bytes, &key, &got, WAIT_MS));
                CHECK(got == &ov);
                CHECK_EQ(key, 31);
                CHECK_EQ(bytes, 3);
                CHECK(memcmp(buffer, "abc", 3) == 0);
            }
        }
        CloseHandle(ov.hEvent);
        CloseHandle(client);
        CloseHandle(server);
        if (port != NULL) CloseHandle(port);
    }
}

static int routine_calls;
static DWORD routine_error, routine_bytes;

static VOID CALLBACK on_read(DWORD error, DWORD bytes, LPOVERLAPPED ov)
{
    (void)ov;
    routine_calls++;
    routine_error = error;
    routine_bytes = bytes;
}

static void test_read_file_ex_results(void)
{
    TEST("ReadFileEx done while its thread is not alertable: the OVERLAPPED has the result, hEvent untouched");
    HANDLE server, client;
    make_pair(&server, &client);
    OVERLAPPED ov;
    memset(&ov, 0, sizeof(ov));
    HANDLE event = CreateEventA(NULL, TRUE, FALSE, NULL);
    ov.hEvent = event; /* the program's to use: ReadFileEx does not set it */
    char buffer[16];
    routine_calls = 0;
    CHECK(ReadFileEx(server, buffer, sizeof(buffer), &ov, on_read));
    CHECK(!HasOverlappedIoCompleted(&ov));
    CHECK(write_all(client, "abcd", 4));
    DWORD start = GetTickCount();
    while (!HasOverlappedIoCompleted(&ov) && GetTickCount() - start < WAIT_MS) Sleep(1);
    CHECK(HasOverlappedIoCompleted(&ov));
    CHECK_EQ(ov.InternalHigh, 4);
    CHECK_EQ(routine_calls, 0);
    CHECK_EQ(WaitForSingleObject(event, 0), WAIT_TIMEOUT);
    DWORD done = 0;
    CHECK(GetOverlappedResult(server, &ov, &done, FALSE));
    CHECK_EQ(done, 4);
    CHECK_EQ(SleepEx(0, TRUE), WAIT_IO_COMPLETION);
    CHECK_EQ(routine_calls, 1);
    CHECK_EQ(routine_error, ERROR_SUCCESS);
    CHECK_EQ(routine_bytes, 4);

    TEST("ReadFileEx cancelled: the routine gets ERROR_OPERATION_ABORTED and 0 bytes");
    routine_calls = 0;
    memset(&ov, 0, sizeof(ov));
    CHECK(ReadFileEx(server, buffer, sizeof(buffer), &ov, on_read));
    CHECK(CancelIo(server));
    CHECK_EQ(SleepEx(WAIT_MS, TRUE), WAIT_IO_COMPLETION);
    CHECK_EQ(routine_calls, 1);
    CHECK_EQ(routine_error, ERROR_OPERATION_ABORTED);
    CHECK_EQ(routine_bytes, 0);

    TEST("ReadFileEx, the other end closed: the routine gets ERROR_BROKEN_PIPE");
    routine_calls = 0;
    memset(&ov, 0, sizeof(ov));
    CHECK(ReadFileEx(server, buffer, sizeof(buffer), &ov, on_read));
    CloseHandle(client);
    CHECK_EQ(SleepEx(WAIT_MS, TRUE), WAIT_IO_COMPLETION);
    CHECK_EQ(routine_calls, 1);
    CHECK_EQ(routine_error, ERROR_BROKEN_PIPE);
    CHECK_EQ(routine_bytes, 0);
    CloseHandle(event);
    CloseHandle(server);
}

int main(void)
{
    test_bind_after_pending();
    test_bind_after_pending_routine();
    test_duplicate_shares_binding();
    test_close_own_handle();
    test_close_port_with_pending();
    test_bind_callback_refusals();
    test_alertable_ex_packet_first();
    test_cancel_synchronous_not_found();
    test_issuer_exit();
    test_read_file_ex_results();
    return tl_finish();
}
