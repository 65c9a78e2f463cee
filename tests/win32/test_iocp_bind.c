/* test_iocp_bind.c: binding devices to completion ports: a new port for a file in one
 * call, binding to an existing port (the same handle comes back), one port per file,
 * closing the port leaves the file usable, and the files themselves (dispositions,
 * synchronous read and write, delete). */
#include "testlib.h"

static const char *const first_name = "ovl_bind_first.tmp";
static const char *const second_name = "ovl_bind_second.tmp";

static HANDLE create(const char *name, DWORD disposition, DWORD flags)
{
    return CreateFileA(name, GENERIC_READ | GENERIC_WRITE, 0, NULL, disposition, flags, NULL);
}

static void dispositions(void)
{
    DeleteFileA(first_name);
    TEST("CREATE_NEW makes a file; again: ERROR_FILE_EXISTS");
    SetLastError(0xdeadbeef);
    HANDLE file = create(first_name, CREATE_NEW, FILE_ATTRIBUTE_NORMAL);
    CHECK(file != INVALID_HANDLE_VALUE);
    CHECK_ERROR(ERROR_SUCCESS);
    CloseHandle(file);
    SetLastError(0xdeadbeef);
    CHECK(create(first_name, CREATE_NEW, FILE_ATTRIBUTE_NORMAL) == INVALID_HANDLE_VALUE);
    CHECK_ERROR(ERROR_FILE_EXISTS);

    TEST("OPEN_ALWAYS and CREATE_ALWAYS on an existing file: ERROR_ALREADY_EXISTS");
    SetLastError(0xdeadbeef);
    file = create(first_name, OPEN_ALWAYS, FILE_ATTRIBUTE_NORMAL);
    CHECK(file != INVALID_HANDLE_VALUE);
    CHECK_ERROR(ERROR_ALREADY_EXISTS);
    CloseHandle(file);
    SetLastError(0xdeadbeef);
    file = create(first_name, CREATE_ALWAYS, FILE_ATTRIBUTE_NORMAL);
    CHECK(file != INVALID_HANDLE_VALUE);
    CHECK_ERROR(ERROR_ALREADY_EXISTS);

    TEST("synchronous WriteFile and ReadFile move the file pointer");
    DWORD done = 0xdeadbeef;
    CHECK(WriteFile(file, "hello, world", 12, &done, NULL));
    CHECK_EQ(done, 12);
    CloseHandle(file);
    file = create(first_name, OPEN_EXISTING, FILE_ATTRIBUTE_NORMAL);
    char buffer[32] = {0};
    CHECK(ReadFile(file, buffer, 5, &done, NULL));
    CHECK_EQ(done, 5);
    CHECK(memcmp(buffer, "hello", 5) == 0);
    CHECK(ReadFile(file, buffer, sizeof(buffer), &done, NULL));
    CHECK_EQ(done, 7);
    CHECK(memcmp(buffer, ", world", 7) == 0);
    TEST("a synchronous read at the end of the file: TRUE with 0 bytes");
    done = 0xdeadbeef;
    CHECK(ReadFile(file, buffer, sizeof(buffer), &done, NULL));
    CHECK_EQ(done, 0);
    CloseHandle(file);

    TEST("read without read access: ERROR_ACCESS_DENIED");
    file = CreateFileA(first_name, GENERIC_WRITE, 0, NULL, OPEN_EXISTING, 0, NULL);
    SetLastError(0xdeadbeef);
    CHECK(!ReadFile(file, buffer, 1, &done, NULL));
    CHECK_ERROR(ERROR_ACCESS_DENIED);
    CloseHandle(file);

    TEST("OPEN_EXISTING of a missing file, and in a missing directory");
    SetLastError(0xdeadbeef);
    CHECK(create("ovl_no_such_file.tmp", OPEN_EXISTING, 0) == INVALID_HANDLE_VALUE);
    CHECK_ERROR(ERROR_FILE_NOT_FOUND);
    SetLastError(0xdeadbeef);
    CHECK(create("ovl_no_such_dir\\file.tmp", OPEN_EXISTING, 0) == INVALID_HANDLE_VALUE);
    CHECK_ERROR(ERROR_PATH_NOT_FOUND);

    TEST("DeleteFile");
    CHECK(DeleteFileA(first_name));
    SetLastError(0xdeadbeef);
    CHECK(!DeleteFileA(first_name));
    CHECK_ERROR(ERROR_FILE_NOT_FOUND);
}

static void binding(void)
{
    HANDLE first = create(first_name, CREATE_ALWAYS, FILE_FLAG_OVERLAPPED);
    HANDLE second = create(second_name, CREATE_ALWAYS, FILE_FLAG_OVERLAPPED);
    CHECK(first != INVALID_HANDLE_VALUE);
    CHECK(second != INVALID_HANDLE_VALUE);

    TEST("binding a file with no existing port makes a new port");
    HANDLE port = CreateIoCompletionPort(first, NULL, 11, 0);
    CHECK(port != NULL);
    CHECK(port != first);
    CHECK(PostQueuedCompletionStatus(port, 1, 2, NULL)); /* it is a working port */
    DWORD bytes;
    ULONG_PTR key;
    OVERLAPPED *overlapped;
    CHECK(GetQueuedCompletionStatus(port, &bytes, &key, &overlapped, 0));
    CHECK_EQ(key, 2);

    TEST("binding a file to an existing port returns that port's handle");
    CHECK(CreateIoCompletionPort(second, port, 22, 0) == port);

    TEST("a file is bound to one port for its life");
    HANDLE other = CreateIoCompletionPort(INVALID_HANDLE_VALUE, NULL, 0, 0);
    SetLastError(0xdeadbeef);
    CHECK(CreateIoCompletionPort(first, other, 33, 0) == NULL);
    CHECK_ERROR(ERROR_INVALID_PARAMETER);
    SetLastError(0xdeadbeef);
    CHECK(CreateIoCompletionPort(second, port, 44, 0) == NULL);
    CHECK_ERROR(ERROR_INVALID_PARAMETER);
    CloseHandle(other);

    TEST("a handle opened without FILE_FLAG_OVERLAPPED cannot be bound");
    HANDLE synchronous = create("ovl_bind_sync.tmp", CREATE_ALWAYS, 0);
    other = CreateIoCompletionPort(INVALID_HANDLE_VALUE, NULL, 0, 0);
    SetLastError(0xdeadbeef);
    CHECK(CreateIoCompletionPort(synchronous, other, 1, 0) == NULL);
    CHECK_ERROR(ERROR_INVALID_PARAMETER);
    CloseHandle(other);
    CloseHandle(synchronous);
    DeleteFileA("ovl_bind_sync.tmp");

    TEST("binding to something that is not a port");
    HANDLE event = CreateEventA(NULL, FALSE, FALSE, NULL);
    HANDLE third = create("ovl_bind_third.tmp", CREATE_ALWAYS, FILE_FLAG_OVERLAPPED);
    SetLastError(0xdeadbeef);
    CHECK(CreateIoCompletionPort(third, event, 1, 0) == NULL);
    CHECK_ERROR(ERROR_INVALID_HANDLE);
    CloseHandle(third);
    DeleteFileA("ovl_bind_third.tmp");
    CloseHandle(event);

    TEST("closing the port leaves the bound file handles valid");
    CHECK(CloseHandle(port));
    HANDLE copy = NULL;
    CHECK(DuplicateHandle(GetCurrentProcess(), second, GetCurrentProcess(), &copy, 0, FALSE, DUPLICATE_SAME_ACCESS));
    CHECK(CloseHandle(copy));
    DWORD done = 0;

    TEST("a synchronous transfer on an overlapped handle needs an OVERLAPPED");
    SetLastError(0xdeadbeef);
    CHECK(!WriteFile(first, "abc", 3, &done, NULL));
    CHECK_ERROR(ERROR_INVALID_PARAMETER);

    CloseHandle(first);
    CloseHandle(second);
    CHECK(DeleteFileA(first_name));
    CHECK(DeleteFileA(second_name));
}

int main(void)
{
    dispositions();
    binding();
    return tl_finish();
}
