/* test_ioctl_files.c: DeviceIoControl on regular files: FSCTL_SET_SPARSE,
 * FSCTL_SET_ZERO_DATA, FSCTL_QUERY_ALLOCATED_RANGES, FSCTL_GET_COMPRESSION,
 * FSCTL_GET_REPARSE_POINT on a file that is none, unknown codes, the output buffer
 * rules (ERROR_INSUFFICIENT_BUFFER, ERROR_MORE_DATA with a partial result), access, and
 * overlapped controls delivered through the event, the handle and a completion port.
 * Facts: Microsoft Learn's page of each control code and [MS-FSA] 2.1.5.9. */
#include "testlib.h"

#include <stdio.h>
#include <string.h>
#include <windows.h>
#include <winioctl.h>

static char path[2 * MAX_PATH];
static const DWORD kChunk = 65536;
static const LONGLONG kStride = 1024 * 1024;

static HANDLE open_file(DWORD access, DWORD flags)
{
    return CreateFileA(path, access, FILE_SHARE_READ | FILE_SHARE_WRITE | FILE_SHARE_DELETE, NULL, OPEN_EXISTING,
                       flags, NULL);
}

static void write_at(HANDLE file, LONGLONG offset, char fill)
{
    static char data[65536];
    memset(data, fill, sizeof(data));
    LARGE_INTEGER at;
    at.QuadPart = offset;
    SetFilePointerEx(file, at, NULL, FILE_BEGIN);
    DWORD written = 0;
    CHECK(WriteFile(file, data, kChunk, &written, NULL));
    CHECK_EQ(written, kChunk);
}

static char byte_at(HANDLE file, LONGLONG offset)
{
    char value = 'x';
    LARGE_INTEGER at;
    at.QuadPart = offset;
    SetFilePointerEx(file, at, NULL, FILE_BEGIN);
    DWORD read = 0;
    ReadFile(file, &value, 1, &read, NULL);
    return value;
}

static BOOL query_ranges(HANDLE file, LONGLONG offset, LONGLONG length, FILE_ALLOCATED_RANGE_BUFFER *out,
                         DWORD out_size, DWORD *returned)
{
    FILE_ALLOCATED_RANGE_BUFFER in;
    in.FileOffset.QuadPart = offset;
    in.Length.QuadPart = length;
    return DeviceIoControl(file, FSCTL_QUERY_ALLOCATED_RANGES, &in, sizeof(in), out, out_size, returned, NULL);
}

/* A file of three 64 KiB chunks, at 0, 1 MiB and 2 MiB; sparse if asked. */
static HANDLE make_file(BOOL sparse)
{
    DeleteFileA(path);
    HANDLE file = CreateFileA(path, GENERIC_READ | GENERIC_WRITE, FILE_SHARE_READ | FILE_SHARE_WRITE | FILE_SHARE_DELETE,
                              NULL, CREATE_ALWAYS, 0, NULL);
    CHECK(file != INVALID_HANDLE_VALUE);
    DWORD returned = 123;
    if (sparse) {
        CHECK(DeviceIoControl(file, FSCTL_SET_SPARSE, NULL, 0, NULL, 0, &returned, NULL));
        CHECK_EQ(returned, 0u);
    }
    write_at(file, 0, 'a');
    write_at(file, kStride, 'b');
    write_at(file, 2 * kStride, 'c');
    return file;
}

static void test_unknown_and_bad(void)
{
    TEST("unknown control codes and bad handles");
    HANDLE file = make_file(FALSE);
    DWORD returned = 7;
    char out[64];
    SetLastError(0);
    CHECK(!DeviceIoControl(file, CTL_CODE(FILE_DEVICE_FILE_SYSTEM, 0x7f0, METHOD_BUFFERED, FILE_ANY_ACCESS), NULL, 0,
                           out, sizeof(out), &returned, NULL));
    WINE_DEVIATION("Wine answers unknown file system controls with ERROR_NOT_SUPPORTED")
    CHECK_ERROR(ERROR_INVALID_FUNCTION);
    SetLastError(0);
    CHECK(!DeviceIoControl(INVALID_HANDLE_VALUE, FSCTL_GET_COMPRESSION, NULL, 0, out, sizeof(out), &returned, NULL));
    CHECK_ERROR(ERROR_INVALID_HANDLE);
    HANDLE event = CreateEventA(NULL, TRUE, FALSE, NULL);
    SetLastError(0);
    CHECK(!DeviceIoControl(event, FSCTL_GET_COMPRESSION, NULL, 0, out, sizeof(out), &returned, NULL));
    CHECK_ERROR(ERROR_INVALID_HANDLE);
    CloseHandle(event);
    CloseHandle(file);
}

static void test_compression(void)
{
    TEST("FSCTL_GET_COMPRESSION: COMPRESSION_FORMAT_NONE in a USHORT; a smaller buffer is a bad parameter");
    HANDLE file = make_file(FALSE);
    USHORT state = 0xFFFF;
    DWORD returned = 0;
    WINE_DEVIATION("Wine does not implement FSCTL_GET_COMPRESSION (ERROR_NOT_SUPPORTED)")
    {
    CHECK(DeviceIoControl(file, FSCTL_GET_COMPRESSION, NULL, 0, &state, sizeof(state), &returned, NULL));
    CHECK_EQ(state, COMPRESSION_FORMAT_NONE);
    CHECK_EQ(returned, (DWORD)sizeof(USHORT));
    SetLastError(0);
    CHECK(!DeviceIoControl(file, FSCTL_GET_COMPRESSION, NULL, 0, &state, 1, &returned, NULL));
    CHECK_ERROR(ERROR_INVALID_PARAMETER);
    }
    CloseHandle(file);
}

static void test_reparse_none(void)
{
    TEST("FSCTL_GET_REPARSE_POINT on an ordinary file: ERROR_NOT_A_REPARSE_POINT");
    HANDLE file = make_file(FALSE);
    char out[1024];
    DWORD returned = 5;
    SetLastError(0);
    CHECK(!DeviceIoControl(file, FSCTL_GET_REPARSE_POINT, NULL, 0, out, sizeof(out), &returned, NULL));
    CHECK_ERROR(ERROR_NOT_A_REPARSE_POINT);
    CloseHandle(file);
}

static void test_ranges_not_sparse(void)
{
    TEST("FSCTL_QUERY_ALLOCATED_RANGES on a file not marked sparse: one range, the whole file");
    HANDLE file = make_file(FALSE);
    FILE_ALLOCATED_RANGE_BUFFER out[4];
    DWORD returned = 0;
    CHECK(query_ranges(file, 0, 4 * kStride, out, sizeof(out), &returned));
    CHECK_EQ(returned, (DWORD)sizeof(FILE_ALLOCATED_RANGE_BUFFER));
    CHECK_EQ(out[0].FileOffset.QuadPart, 0);
    CHECK_EQ(out[0].Length.QuadPart, 2 * kStride + kChunk);
    TEST("FSCTL_QUERY_ALLOCATED_RANGES: a range past the end gives nothing; a length of 0 nothing");
    returned = 99;
    CHECK(query_ranges(file, 8 * kStride, kStride, out, sizeof(out), &returned));
    CHECK_EQ(returned, 0u);
    CHECK(query_ranges(file, 0, 0, out, sizeof(out), &returned));
    CHECK_EQ(returned, 0u);
    TEST("FSCTL_QUERY_ALLOCATED_RANGES: the input's size and values, the output's size");
    FILE_ALLOCATED_RANGE_BUFFER in = {{{0}}, {{0}}};
    in.Length.QuadPart = kStride;
    SetLastError(0);
    CHECK(!DeviceIoControl(file, FSCTL_QUERY_ALLOCATED_RANGES, &in, sizeof(in) - 1, out, sizeof(out), &returned, NULL));
    CHECK_ERROR(ERROR_INVALID_PARAMETER);
    SetLastError(0);
    CHECK(!query_ranges(file, -1, kStride, out, sizeof(out), &returned));
    CHECK_ERROR(ERROR_INVALID_PARAMETER);
    SetLastError(0);
    CHECK(!query_ranges(file, 0, -5, out, sizeof(out), &returned));
    CHECK_ERROR(ERROR_INVALID_PARAMETER);
    SetLastError(0);
    CHECK(!query_ranges(file, 0, kStride, out, sizeof(out[0]) - 1, &returned));
    CHECK_ERROR(ERROR_INSUFFICIENT_BUFFER);
    CHECK_EQ(returned, 0u);
    CloseHandle(file);
}

static void test_sparse_ranges(void)
{
    TEST("a sparse file: FSCTL_QUERY_ALLOCATED_RANGES reports its three chunks");
    HANDLE file = make_file(TRUE);
    FILE_ALLOCATED_RANGE_BUFFER out[8];
    DWORD returned = 0;
    CHECK(query_ranges(file, 0, 4 * kStride, out, sizeof(out), &returned));
    CHECK_EQ(returned, 3 * (DWORD)sizeof(FILE_ALLOCATED_RANGE_BUFFER));
    CHECK_EQ(out[0].FileOffset.QuadPart, 0);
    CHECK_EQ(out[0].Length.QuadPart, (LONGLONG)kChunk);
    CHECK_EQ(out[1].FileOffset.QuadPart, kStride);
    CHECK_EQ(out[1].Length.QuadPart, (LONGLONG)kChunk);
    CHECK_EQ(out[2].FileOffset.QuadPart, 2 * kStride);

    TEST("room for two ranges of three: ERROR_MORE_DATA, the two that fit and their size");
    memset(out, 0, sizeof(out));
    returned = 0;
    SetLastError(0);
    CHECK(!query_ranges(file, 0, 4 * kStride, out, 2 * sizeof(out[0]) + 8, &returned));
    CHECK_ERROR(ERROR_MORE_DATA);
    CHECK_EQ(returned, 2 * (DWORD)sizeof(FILE_ALLOCATED_RANGE_BUFFER));
    CHECK_EQ(out[1].FileOffset.QuadPart, kStride);

    TEST("a query inside a chunk is cut to the range asked");
    CHECK(query_ranges(file, kStride + 4096, 8192, out, sizeof(out), &returned));
    CHECK_EQ(returned, (DWORD)sizeof(FILE_ALLOCATED_RANGE_BUFFER));
    CHECK_EQ(out[0].FileOffset.QuadPart, kStride + 4096);
    CHECK_EQ(out[0].Length.QuadPart, 8192);

    TEST("FSCTL_SET_ZERO_DATA on a sparse file: the chunk becomes a hole of zeros, the size stays");
    FILE_ZERO_DATA_INFORMATION zero;
    zero.FileOffset.QuadPart = kStride;
    zero.BeyondFinalZero.QuadPart = kStride + kChunk;
    CHECK(DeviceIoControl(file, FSCTL_SET_ZERO_DATA, &zero, sizeof(zero), NULL, 0, &returned, NULL));
    CHECK_EQ(returned, 0u);
    CHECK(query_ranges(file, 0, 4 * kStride, out, sizeof(out), &returned));
    CHECK_EQ(returned, 2 * (DWORD)sizeof(FILE_ALLOCATED_RANGE_BUFFER));
    CHECK_EQ(out[1].FileOffset.QuadPart, 2 * kStride);
    CHECK_EQ(byte_at(file, kStride + 100), 0);
    CHECK_EQ(byte_at(file, 2 * kStride), 'c');
    LARGE_INTEGER size;
    CHECK(GetFileSizeEx(file, &size));
    CHECK_EQ(size.QuadPart, 2 * kStride + kChunk);

    TEST("FSCTL_SET_ZERO_DATA past the end does not grow the file");
    zero.FileOffset.QuadPart = 2 * kStride + 4096;
    zero.BeyondFinalZero.QuadPart = 16 * kStride;
    CHECK(DeviceIoControl(file, FSCTL_SET_ZERO_DATA, &zero, sizeof(zero), NULL, 0, &returned, NULL));
    CHECK(GetFileSizeEx(file, &size));
    CHECK_EQ(size.QuadPart, 2 * kStride + kChunk);
    CHECK_EQ(byte_at(file, 2 * kStride + 4095), 'c');
    CHECK_EQ(byte_at(file, 2 * kStride + 4096), 0);

    TEST("FSCTL_SET_ZERO_DATA's bad input: too small, reversed range");
    SetLastError(0);
    CHECK(!DeviceIoControl(file, FSCTL_SET_ZERO_DATA, &zero, sizeof(zero) - 1, NULL, 0, &returned, NULL));
    CHECK_ERROR(ERROR_INVALID_PARAMETER);
    zero.FileOffset.QuadPart = 2 * kStride;
    zero.BeyondFinalZero.QuadPart = kStride;
    SetLastError(0);
    CHECK(!DeviceIoControl(file, FSCTL_SET_ZERO_DATA, &zero, sizeof(zero), NULL, 0, &returned, NULL));
    CHECK_ERROR(ERROR_INVALID_PARAMETER);
    CloseHandle(file);

    TEST("FSCTL_SET_ZERO_DATA needs write access; FSCTL_QUERY_ALLOCATED_RANGES read access");
    HANDLE reader = open_file(GENERIC_READ, 0);
    CHECK(reader != INVALID_HANDLE_VALUE);
    zero.FileOffset.QuadPart = 0;
    zero.BeyondFinalZero.QuadPart = 4096;
    SetLastError(0);
    CHECK(!DeviceIoControl(reader, FSCTL_SET_ZERO_DATA, &zero, sizeof(zero), NULL, 0, &returned, NULL));
    CHECK_ERROR(ERROR_ACCESS_DENIED);
    CHECK_EQ(byte_at(reader, 0), 'a');
    CloseHandle(reader);
    HANDLE writer = open_file(GENERIC_WRITE, 0);
    CHECK(writer != INVALID_HANDLE_VALUE);
    SetLastError(0);
    CHECK(!query_ranges(writer, 0, kStride, out, sizeof(out), &returned));
    CHECK_ERROR(ERROR_ACCESS_DENIED);
    CloseHandle(writer);
}

static void test_zero_not_sparse(void)
{
    TEST("FSCTL_SET_ZERO_DATA on an ordinary file: zeros, still one allocated range");
    HANDLE file = make_file(FALSE);
    FILE_ZERO_DATA_INFORMATION zero;
    zero.FileOffset.QuadPart = 4096;
    zero.BeyondFinalZero.QuadPart = 8192;
    DWORD returned = 0;
    CHECK(DeviceIoControl(file, FSCTL_SET_ZERO_DATA, &zero, sizeof(zero), NULL, 0, &returned, NULL));
    CHECK_EQ(byte_at(file, 4095), 'a');
    CHECK_EQ(byte_at(file, 4096), 0);
    CHECK_EQ(byte_at(file, 8191), 0);
    CHECK_EQ(byte_at(file, 8192), 'a');
    FILE_ALLOCATED_RANGE_BUFFER out[4];
    CHECK(query_ranges(file, 0, 4 * kStride, out, sizeof(out), &returned));
    CHECK_EQ(returned, (DWORD)sizeof(FILE_ALLOCATED_RANGE_BUFFER));
    CloseHandle(file);
}

static void test_overlapped(void)
{
    HANDLE file = make_file(TRUE);
    CloseHandle(file);
    file = open_file(GENERIC_READ | GENERIC_WRITE, FILE_FLAG_OVERLAPPED);
    CHECK(file != INVALID_HANDLE_VALUE);
    FILE_ALLOCATED_RANGE_BUFFER in, out[4];
    in.FileOffset.QuadPart = 0;
    in.Length.QuadPart = 4 * kStride;
    DWORD returned = 0;

    TEST("overlapped, with an event: the result through GetOverlappedResult");
    OVERLAPPED ov;
    memset(&ov, 0, sizeof(ov));
    ov.hEvent = CreateEventA(NULL, TRUE, FALSE, NULL);
    BOOL done = DeviceIoControl(file, FSCTL_QUERY_ALLOCATED_RANGES, &in, sizeof(in), out, sizeof(out), &returned, &ov);
    CHECK(done || GetLastError() == ERROR_IO_PENDING);
    CHECK_EQ(WaitForSingleObject(ov.hEvent, 5000), WAIT_OBJECT_0);
    DWORD bytes = 0;
    CHECK(GetOverlappedResult(file, &ov, &bytes, TRUE));
    CHECK_EQ(bytes, 3 * (DWORD)sizeof(FILE_ALLOCATED_RANGE_BUFFER));
    CHECK_EQ(ov.Internal, 0u);
    CHECK_EQ(ov.InternalHigh, 3 * sizeof(FILE_ALLOCATED_RANGE_BUFFER));

    TEST("overlapped, a partial result: ERROR_MORE_DATA through GetOverlappedResult, with the count");
    ResetEvent(ov.hEvent);
    done = DeviceIoControl(file, FSCTL_QUERY_ALLOCATED_RANGES, &in, sizeof(in), out, sizeof(out[0]), &returned, &ov);
    CHECK(!done);
    CHECK(GetLastError() == ERROR_MORE_DATA || GetLastError() == ERROR_IO_PENDING);
    CHECK_EQ(WaitForSingleObject(ov.hEvent, 5000), WAIT_OBJECT_0);
    SetLastError(0);
    CHECK(!GetOverlappedResult(file, &ov, &bytes, TRUE));
    CHECK_ERROR(ERROR_MORE_DATA);
    CHECK_EQ(bytes, (DWORD)sizeof(FILE_ALLOCATED_RANGE_BUFFER));

    TEST("overlapped, an error found at once: FALSE with the error, the event not set");
    ResetEvent(ov.hEvent);
    SetLastError(0);
    CHECK(!DeviceIoControl(file, FSCTL_QUERY_ALLOCATED_RANGES, &in, 3, out, sizeof(out), &returned, &ov));
    CHECK_ERROR(ERROR_INVALID_PARAMETER);
    CHECK_EQ(WaitForSingleObject(ov.hEvent, 0), (DWORD)WAIT_TIMEOUT);

    TEST("overlapped, no event: the file handle is signalled");
    OVERLAPPED plain;
    memset(&plain, 0, sizeof(plain));
    USHORT state = 0xFFFF;
    done = DeviceIoControl(file, FSCTL_GET_COMPRESSION, NULL, 0, &state, sizeof(state), &returned, &plain);
    CHECK(done || GetLastError() == ERROR_IO_PENDING);
    CHECK_EQ(WaitForSingleObject(file, 5000), WAIT_OBJECT_0);
    CHECK(GetOverlappedResult(file, &plain, &bytes, FALSE));
    CHECK_EQ(bytes, (DWORD)sizeof(USHORT));
    CHECK_EQ(state, COMPRESSION_FORMAT_NONE);

    TEST("overlapped, through a completion port: the packet has the key, the count and the status");
    HANDLE port = CreateIoCompletionPort(file, NULL, 77, 1);
    CHECK(port != NULL);
    OVERLAPPED ported;
    memset(&ported, 0, sizeof(ported));
    done = DeviceIoControl(file, FSCTL_QUERY_ALLOCATED_RANGES, &in, sizeof(in), out, sizeof(out), &returned, &ported);
    CHECK(done || GetLastError() == ERROR_IO_PENDING);
    ULONG_PTR key = 0;
    OVERLAPPED *got = NULL;
    CHECK(GetQueuedCompletionStatus(port, &bytes, &key, &got, 5000));
    CHECK_EQ(key, (ULONG_PTR)77);
    CHECK(got == &ported);
    CHECK_EQ(bytes, 3 * (DWORD)sizeof(FILE_ALLOCATED_RANGE_BUFFER));
    done = DeviceIoControl(file, FSCTL_QUERY_ALLOCATED_RANGES, &in, sizeof(in), out, 2 * sizeof(out[0]), &returned,
                           &ported);
    CHECK(!done);
    SetLastError(0);
    CHECK(!GetQueuedCompletionStatus(port, &bytes, &key, &got, 5000));
    CHECK_ERROR(ERROR_MORE_DATA);
    CHECK(got == &ported);
    CHECK_EQ(bytes, 2 * (DWORD)sizeof(FILE_ALLOCATED_RANGE_BUFFER));

    TEST("overlapped FSCTL_SET_ZERO_DATA through the port");
    FILE_ZERO_DATA_INFORMATION zero;
    zero.FileOffset.QuadPart = 0;
    zero.BeyondFinalZero.QuadPart = kChunk;
    done = DeviceIoControl(file, FSCTL_SET_ZERO_DATA, &zero, sizeof(zero), NULL, 0, &returned, &ported);
    CHECK(done || GetLastError() == ERROR_IO_PENDING);
    CHECK(GetQueuedCompletionStatus(port, &bytes, &key, &got, 5000));
    CHECK_EQ(bytes, 0u);
    CHECK(DeviceIoControl(file, FSCTL_QUERY_ALLOCATED_RANGES, &in, sizeof(in), out, sizeof(out), &returned, &ported) ||
          GetLastError() == ERROR_IO_PENDING);
    CHECK(GetQueuedCompletionStatus(port, &bytes, &key, &got, 5000));
    CHECK_EQ(bytes, 2 * (DWORD)sizeof(FILE_ALLOCATED_RANGE_BUFFER));
    CloseHandle(port);
    CloseHandle(ov.hEvent);
    CloseHandle(file);
}

static void test_sync_handle_with_overlapped(void)
{
    TEST("a handle without FILE_FLAG_OVERLAPPED given an OVERLAPPED: done now, the event set");
    HANDLE file = make_file(FALSE);
    OVERLAPPED ov;
    memset(&ov, 0, sizeof(ov));
    ov.hEvent = CreateEventA(NULL, TRUE, FALSE, NULL);
    DWORD returned = 5;
    CHECK(DeviceIoControl(file, FSCTL_SET_SPARSE, NULL, 0, NULL, 0, &returned, &ov));
    CHECK_EQ(returned, 0u);
    WINE_DEVIATION("Wine handles FSCTL_SET_SPARSE in ntdll without setting the request's event")
    CHECK_EQ(WaitForSingleObject(ov.hEvent, 0), WAIT_OBJECT_0);
    CHECK_EQ(ov.Internal, 0u);
    CHECK_EQ(ov.InternalHigh, 0u);
    CloseHandle(ov.hEvent);
    CloseHandle(file);
}

int main(void)
{
    char dir[MAX_PATH];
    GetTempPathA(sizeof(dir), dir);
    snprintf(path, sizeof(path), "%sovl_ioctl_%lu.dat", dir, (unsigned long)GetCurrentProcessId());
    test_unknown_and_bad();
    test_compression();
    test_reparse_none();
    /* Wine (ntdll's NtFsControlFile) implements neither FSCTL_QUERY_ALLOCATED_RANGES nor
     * FSCTL_SET_ZERO_DATA: it answers ERROR_NOT_SUPPORTED (WINE_DEVIATIONS_volume.md). */
    WINE_DEVIATION("FSCTL_QUERY_ALLOCATED_RANGES and FSCTL_SET_ZERO_DATA are not implemented")
    {
        test_ranges_not_sparse();
        test_sparse_ranges();
        test_zero_not_sparse();
        test_overlapped();
    }
    test_sync_handle_with_overlapped();
    DeleteFileA(path);
    return tl_finish();
}
