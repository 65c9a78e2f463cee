/* test_threadpool_io.c: thread-pool I/O (CreateThreadpoolIo, StartThreadpoolIo,
 * CancelThreadpoolIo, WaitForThreadpoolIoCallbacks, CloseThreadpoolIo) on overlapped
 * named pipes: callback arguments, errors as Win32 codes, requests that fail or finish
 * at once, skip-on-success mode, cancelling pending callbacks. */
#include "testlib.h"

static volatile LONG calls;
static volatile LONG last_result = -1;
static volatile LONG last_bytes = -1;
static PVOID volatile last_overlapped;
static PVOID volatile last_context;
static PVOID volatile last_io;
static HANDLE callback_done;

static VOID CALLBACK io_cb(PTP_CALLBACK_INSTANCE instance, PVOID context, PVOID overlapped, ULONG result,
                           ULONG_PTR bytes, PTP_IO io)
{
    (void)instance;
    tl_store(&last_result, (LONG)result);
    tl_store(&last_bytes, (LONG)bytes);
    InterlockedExchangePointer(&last_overlapped, overlapped);
    InterlockedExchangePointer(&last_context, context);
    InterlockedExchangePointer(&last_io, io);
    InterlockedIncrement(&calls);
    SetEvent(callback_done);
}

static int pipe_counter;

/* An overlapped named pipe pair: *server is the pipe end, *client the file end. */
static void make_pipe(HANDLE *server, HANDLE *client)
{
    char name[128];
    snprintf(name, sizeof(name), "\\\\.\\pipe\\overlapped-tpio-%lu-%d", (unsigned long)GetCurrentProcessId(),
             pipe_counter++);
    *server = CreateNamedPipeA(name, PIPE_ACCESS_DUPLEX | FILE_FLAG_OVERLAPPED, PIPE_TYPE_BYTE | PIPE_WAIT, 1, 4096,
                               4096, 0, NULL);
    CHECK(*server != INVALID_HANDLE_VALUE);
    *client = CreateFileA(name, GENERIC_READ | GENERIC_WRITE, 0, NULL, OPEN_EXISTING, FILE_FLAG_OVERLAPPED, NULL);
    CHECK(*client != INVALID_HANDLE_VALUE);
}

static DWORD write_client(HANDLE client, const char *data, DWORD length)
{
    OVERLAPPED overlapped;
    memset(&overlapped, 0, sizeof(overlapped));
    overlapped.hEvent = CreateEventA(NULL, TRUE, FALSE, NULL);
    DWORD written = 0;
    if (!WriteFile(client, data, length, NULL, &overlapped) && GetLastError() != ERROR_IO_PENDING) return 0;
    GetOverlappedResult(client, &overlapped, &written, TRUE);
    CloseHandle(overlapped.hEvent);
    return written;
}

static void completions(void)
{
    HANDLE server, client;
    make_pipe(&server, &client);
    callback_done = CreateEventA(NULL, FALSE, FALSE, NULL);

    TEST("a pending read's completion runs the callback with the overlapped, bytes, context and io");
    PTP_IO io = CreateThreadpoolIo(server, io_cb, (PVOID)0x42, NULL);
    CHECK(io != NULL);
    char buffer[256];
    OVERLAPPED overlapped;
    memset(&overlapped, 0, sizeof(overlapped));
    StartThreadpoolIo(io);
    CHECK(!ReadFile(server, buffer, sizeof(buffer), NULL, &overlapped));
    CHECK_ERROR(ERROR_IO_PENDING);
    CHECK_EQ(write_client(client, "hello", 5), 5);
    CHECK_EQ(WaitForSingleObject(callback_done, 5000), WAIT_OBJECT_0);
    WaitForThreadpoolIoCallbacks(io, FALSE);
    CHECK_EQ(tl_load(&calls), 1);
    CHECK_EQ(tl_load(&last_result), ERROR_SUCCESS);
    CHECK_EQ(tl_load(&last_bytes), 5);
    CHECK(tl_load_pointer(&last_overlapped) == (PVOID)&overlapped);
    CHECK(tl_load_pointer(&last_context) == (PVOID)0x42);
    CHECK(tl_load_pointer(&last_io) == (PVOID)io);
    CHECK(memcmp(buffer, "hello", 5) == 0);

    TEST("a request that finishes at once still calls back (no skip-on-success)");
    CHECK_EQ(write_client(client, "abc", 3), 3);
    memset(&overlapped, 0, sizeof(overlapped));
    StartThreadpoolIo(io);
    BOOL ok = ReadFile(server, buffer, sizeof(buffer), NULL, &overlapped);
    CHECK(ok || GetLastError() == ERROR_IO_PENDING);
    CHECK_EQ(WaitForSingleObject(callback_done, 5000), WAIT_OBJECT_0);
    CHECK_EQ(tl_load(&calls), 2);
    CHECK_EQ(tl_load(&last_bytes), 3);

    TEST("a cancelled read calls back with ERROR_OPERATION_ABORTED (a Win32 code)");
    memset(&overlapped, 0, sizeof(overlapped));
    StartThreadpoolIo(io);
    CHECK(!ReadFile(server, buffer, sizeof(buffer), NULL, &overlapped));
    CHECK_ERROR(ERROR_IO_PENDING);
    CHECK(CancelIoEx(server, &overlapped));
    CHECK_EQ(WaitForSingleObject(callback_done, 5000), WAIT_OBJECT_0);
    CHECK_EQ(tl_load(&last_result), ERROR_OPERATION_ABORTED);
    CHECK_EQ(tl_load(&calls), 3);

    TEST("a call that fails at once: CancelThreadpoolIo, then waiting does not hang");
    memset(&overlapped, 0, sizeof(overlapped));
    StartThreadpoolIo(io);
    SetLastError(0xdeadbeef);
    CHECK(!ReadFile((HANDLE)(ULONG_PTR)0xbad0, buffer, sizeof(buffer), NULL, &overlapped));
    CHECK_ERROR(ERROR_INVALID_HANDLE);
    CancelThreadpoolIo(io);
    WaitForThreadpoolIoCallbacks(io, FALSE);
    CHECK_EQ(tl_load(&calls), 3);

    TEST("skip-on-success: a read that finishes at once queues no callback");
    CHECK(SetFileCompletionNotificationModes(server, FILE_SKIP_COMPLETION_PORT_ON_SUCCESS));
    CHECK_EQ(write_client(client, "xyz", 3), 3);
    Sleep(50);
    memset(&overlapped, 0, sizeof(overlapped));
    StartThreadpoolIo(io);
    DWORD got = 0;
    ok = ReadFile(server, buffer, sizeof(buffer), &got, &overlapped);
    if (ok) {
        CancelThreadpoolIo(io);
        CHECK_EQ(got, 3);
        CHECK_EQ(WaitForSingleObject(callback_done, 200), WAIT_TIMEOUT);
        CHECK_EQ(tl_load(&calls), 3);
    } else {
        CHECK_ERROR(ERROR_IO_PENDING); /* (not at once after all: then it calls back) */
        CHECK_EQ(WaitForSingleObject(callback_done, 5000), WAIT_OBJECT_0);
    }
    WaitForThreadpoolIoCallbacks(io, FALSE);

    TEST("skip-on-success: a read that waits still calls back");
    LONG before = tl_load(&calls);
    memset(&overlapped, 0, sizeof(overlapped));
    StartThreadpoolIo(io);
    CHECK(!ReadFile(server, buffer, sizeof(buffer), NULL, &overlapped));
    CHECK_ERROR(ERROR_IO_PENDING);
    CHECK_EQ(write_client(client, "later", 5), 5);
    CHECK_EQ(WaitForSingleObject(callback_done, 5000), WAIT_OBJECT_0);
    CHECK_EQ(tl_load(&calls), before + 1);
    CHECK_EQ(tl_load(&last_bytes), 5);

    TEST("WaitForThreadpoolIoCallbacks(TRUE) drops the callback of a request still pending");
    before = tl_load(&calls);
    memset(&overlapped, 0, sizeof(overlapped));
    StartThreadpoolIo(io);
    CHECK(!ReadFile(server, buffer, sizeof(buffer), NULL, &overlapped));
    CHECK_ERROR(ERROR_IO_PENDING);
    WaitForThreadpoolIoCallbacks(io, TRUE);
    CHECK_EQ(write_client(client, "gone", 4), 4);
    DWORD transferred = 0;
    CHECK(GetOverlappedResult(server, &overlapped, &transferred, TRUE));
    CHECK_EQ(transferred, 4);
    CHECK_EQ(WaitForSingleObject(callback_done, 300), WAIT_TIMEOUT);
    CHECK_EQ(tl_load(&calls), before);

    TEST("CloseThreadpoolIo with nothing pending; the handle cannot be bound twice");
    CloseThreadpoolIo(io);
    SetLastError(0xdeadbeef);
    PTP_IO again = CreateThreadpoolIo(server, io_cb, NULL, NULL);
    CHECK(again == NULL);
    CHECK_ERROR(ERROR_INVALID_PARAMETER);

    TEST("CreateThreadpoolIo on a bad handle fails with ERROR_INVALID_HANDLE");
    SetLastError(0xdeadbeef);
    CHECK(CreateThreadpoolIo((HANDLE)(ULONG_PTR)0xbad0, io_cb, NULL, NULL) == NULL);
    CHECK_ERROR(ERROR_INVALID_HANDLE);

    CloseHandle(client);
    CloseHandle(server);
    CloseHandle(callback_done);
}

static volatile LONG echo_calls;
static HANDLE echo_done;

static VOID CALLBACK count_cb(PTP_CALLBACK_INSTANCE instance, PVOID context, PVOID overlapped, ULONG result,
                              ULONG_PTR bytes, PTP_IO io)
{
    (void)instance;
    (void)context;
    (void)overlapped;
    (void)bytes;
    (void)io;
    if (result == ERROR_SUCCESS && InterlockedIncrement(&echo_calls) == 200) SetEvent(echo_done);
}

static void many(void)
{
    TEST("200 writes on a private pool of two threads: 200 callbacks");
    PTP_POOL pool = CreateThreadpool(NULL);
    SetThreadpoolThreadMaximum(pool, 2);
    TP_CALLBACK_ENVIRON environment;
    InitializeThreadpoolEnvironment(&environment);
    SetThreadpoolCallbackPool(&environment, pool);
    HANDLE server, client;
    make_pipe(&server, &client);
    echo_done = CreateEventA(NULL, TRUE, FALSE, NULL);
    PTP_IO io = CreateThreadpoolIo(client, count_cb, NULL, &environment);
    CHECK(io != NULL);
    static OVERLAPPED requests[200];
    static char data[200][8];
    char sink[4096];
    for (int i = 0; i < 200; ++i) {
        memset(&requests[i], 0, sizeof(requests[i]));
        StartThreadpoolIo(io);
        if (!WriteFile(client, data[i], sizeof(data[i]), NULL, &requests[i]) && GetLastError() != ERROR_IO_PENDING) {
            CancelThreadpoolIo(io);
            CHECK(0);
        }
        if (i % 64 == 63) { /* keep the pipe's buffer from filling up */
            DWORD got;
            OVERLAPPED read;
            memset(&read, 0, sizeof(read));
            read.hEvent = CreateEventA(NULL, TRUE, FALSE, NULL);
            if (ReadFile(server, sink, sizeof(sink), NULL, &read) || GetLastError() == ERROR_IO_PENDING)
                GetOverlappedResult(server, &read, &got, TRUE);
            CloseHandle(read.hEvent);
        }
    }
    for (int i = 0; i < 100 && WaitForSingleObject(echo_done, 0) != WAIT_OBJECT_0; ++i) {
        DWORD got;
        OVERLAPPED read;
        memset(&read, 0, sizeof(read));
        read.hEvent = CreateEventA(NULL, TRUE, FALSE, NULL);
        if (ReadFile(server, sink, sizeof(sink), NULL, &read) || GetLastError() == ERROR_IO_PENDING) {
            if (WaitForSingleObject(read.hEvent, 100) != WAIT_OBJECT_0) CancelIoEx(server, &read);
            GetOverlappedResult(server, &read, &got, TRUE);
        }
        CloseHandle(read.hEvent);
    }
    CHECK_EQ(WaitForSingleObject(echo_done, 5000), WAIT_OBJECT_0);
    WaitForThreadpoolIoCallbacks(io, FALSE);
    CHECK_EQ(tl_load(&echo_calls), 200);
    CloseThreadpoolIo(io);
    CloseHandle(client);
    CloseHandle(server);
    CloseHandle(echo_done);
    DestroyThreadpoolEnvironment(&environment);
    CloseThreadpool(pool);
}

static DWORD WINAPI wait_io_thread(LPVOID parameter)
{
    WaitForThreadpoolIoCallbacks((PTP_IO)parameter, FALSE);
    return 0;
}

/* Facts of Wine's ntdll test_tp_io (TpStartAsyncIoOperation, TpWaitForIoCompletion are
 * StartThreadpoolIo's and WaitForThreadpoolIoCallbacks' bodies), which pass on Windows. */
static void started(void)
{
    HANDLE server, client;
    make_pipe(&server, &client);
    callback_done = CreateEventA(NULL, FALSE, FALSE, NULL);
    tl_store(&calls, 0);
    PTP_IO io = CreateThreadpoolIo(server, io_cb, NULL, NULL);
    CHECK(io != NULL);
    char buffer[16], buffer2[16];
    OVERLAPPED overlapped, overlapped2;

    TEST("waiting for a new I/O object's callbacks returns at once");
    WaitForThreadpoolIoCallbacks(io, FALSE);

    TEST("WaitForThreadpoolIoCallbacks(FALSE) waits for a started request's callback");
    StartThreadpoolIo(io);
    HANDLE thread = CreateThread(NULL, 0, wait_io_thread, io, 0, NULL);
    CHECK_EQ(WaitForSingleObject(thread, 100), WAIT_TIMEOUT);
    memset(&overlapped, 0, sizeof(overlapped));
    CHECK(!ReadFile(server, buffer, 1, NULL, &overlapped));
    CHECK_ERROR(ERROR_IO_PENDING);
    CHECK_EQ(write_client(client, "a", 1), 1);
    CHECK_EQ(WaitForSingleObject(thread, 5000), WAIT_OBJECT_0);
    CloseHandle(thread);
    CHECK_EQ(tl_load(&calls), 1);
    CHECK(tl_load_pointer(&last_overlapped) == (PVOID)&overlapped);

    TEST("two requests started and pending: two callbacks, then the wait returns");
    StartThreadpoolIo(io);
    StartThreadpoolIo(io);
    memset(&overlapped, 0, sizeof(overlapped));
    memset(&overlapped2, 0, sizeof(overlapped2));
    CHECK(!ReadFile(server, buffer, 1, NULL, &overlapped));
    CHECK_ERROR(ERROR_IO_PENDING);
    CHECK(!ReadFile(server, buffer2, 1, NULL, &overlapped2));
    CHECK_ERROR(ERROR_IO_PENDING);
    CHECK_EQ(write_client(client, "b", 1), 1);
    CHECK_EQ(write_client(client, "c", 1), 1);
    WaitForThreadpoolIoCallbacks(io, FALSE);
    CHECK_EQ(tl_load(&calls), 3);
    CHECK_EQ(tl_load(&last_bytes), 1);

    TEST("WaitForThreadpoolIoCallbacks(TRUE) with a request started, none issued: later requests call back");
    StartThreadpoolIo(io);
    WaitForThreadpoolIoCallbacks(io, TRUE);
    CHECK_EQ(tl_load(&calls), 3);
    StartThreadpoolIo(io);
    CHECK_EQ(write_client(client, "d", 1), 1);
    memset(&overlapped, 0, sizeof(overlapped));
    BOOL done = ReadFile(server, buffer, 1, NULL, &overlapped);
    CHECK(done || GetLastError() == ERROR_IO_PENDING);
    CHECK_EQ(WaitForSingleObject(callback_done, 5000), WAIT_OBJECT_0);
    WaitForThreadpoolIoCallbacks(io, FALSE);
    CHECK_EQ(tl_load(&calls), 4);
    CHECK(tl_load_pointer(&last_overlapped) == (PVOID)&overlapped);

    TEST("CancelThreadpoolIo before the request: its completion still comes, no callback");
    while (WaitForSingleObject(callback_done, 0) == WAIT_OBJECT_0) {
    }
    StartThreadpoolIo(io);
    CancelThreadpoolIo(io);
    memset(&overlapped, 0, sizeof(overlapped));
    overlapped.hEvent = CreateEventA(NULL, TRUE, FALSE, NULL);
    CHECK(!ReadFile(server, buffer, 1, NULL, &overlapped));
    CHECK_ERROR(ERROR_IO_PENDING);
    CHECK_EQ(write_client(client, "e", 1), 1);
    CHECK_EQ(WaitForSingleObject(overlapped.hEvent, 5000), WAIT_OBJECT_0);
    WaitForThreadpoolIoCallbacks(io, FALSE);
    CHECK_EQ(WaitForSingleObject(callback_done, 200), WAIT_TIMEOUT);
    CHECK_EQ(tl_load(&calls), 4);
    CloseHandle(overlapped.hEvent);

    CloseThreadpoolIo(io);
    CloseHandle(client);
    CloseHandle(server);
    CloseHandle(callback_done);
}

int main(void)
{
    completions();
    started();
    many();
    return tl_finish();
}
