/* test_copy_file.c: CopyFileA/W and CopyFileExA/W: contents, the last write time and the
 * read-only attribute copied, bFailIfExists / COPY_FILE_FAIL_IF_EXISTS (ERROR_FILE_EXISTS),
 * missing sources and directories, a read-only target, a copy onto itself, the progress
 * routine (CALLBACK_STREAM_SWITCH first, then CALLBACK_CHUNK_FINISHED with growing
 * counts; PROGRESS_CONTINUE, PROGRESS_QUIET, PROGRESS_CANCEL (target removed),
 * PROGRESS_STOP (target kept): ERROR_REQUEST_ABORTED), pbCancel; MoveFileWithProgress. Windows facts:
 * docs/research/windows-files-management.md. */
#include "testlib.h"

static char base[MAX_PATH];

static void path_of(char *out, const char *name) { wsprintfA(out, "%s\\%s", base, name); }

static char big[3 * 1024 * 1024 + 123];

static void write_file(const char *name, const char *data, DWORD length)
{
    char path[MAX_PATH];
    DWORD written = 0;
    path_of(path, name);
    HANDLE file = CreateFileA(path, GENERIC_WRITE, 0, NULL, CREATE_ALWAYS, 0, NULL);
    CHECK(file != INVALID_HANDLE_VALUE);
    CHECK(WriteFile(file, data, length, &written, NULL));
    CHECK_EQ(written, length);
    CloseHandle(file);
}

/* The file's contents equal data[0..length). */
static int same_contents(const char *name, const char *data, DWORD length)
{
    char path[MAX_PATH];
    static char got[sizeof(big) + 16];
    DWORD read = 0;
    path_of(path, name);
    HANDLE file = CreateFileA(path, GENERIC_READ, FILE_SHARE_READ, NULL, OPEN_EXISTING, 0, NULL);
    if (file == INVALID_HANDLE_VALUE) return 0;
    BOOL ok = ReadFile(file, got, sizeof(got), &read, NULL);
    CloseHandle(file);
    return ok && read == length && memcmp(got, data, length) == 0;
}

static int exists(const char *name)
{
    char path[MAX_PATH];
    path_of(path, name);
    return GetFileAttributesA(path) != INVALID_FILE_ATTRIBUTES;
}

static void test_copy(void)
{
    char from[MAX_PATH], to[MAX_PATH], other[MAX_PATH];
    WIN32_FILE_ATTRIBUTE_DATA a, b;

    TEST("CopyFile copies the contents and the last write time");
    write_file("src.txt", "hello world", 11);
    path_of(from, "src.txt");
    path_of(to, "dst.txt");
    Sleep(20);
    CHECK(CopyFileA(from, to, TRUE));
    CHECK(same_contents("dst.txt", "hello world", 11));
    CHECK(GetFileAttributesExA(from, GetFileExInfoStandard, &a));
    CHECK(GetFileAttributesExA(to, GetFileExInfoStandard, &b));
    CHECK(a.ftLastWriteTime.dwLowDateTime == b.ftLastWriteTime.dwLowDateTime &&
          a.ftLastWriteTime.dwHighDateTime == b.ftLastWriteTime.dwHighDateTime);
    CHECK_EQ(b.nFileSizeLow, 11);

    TEST("bFailIfExists: ERROR_FILE_EXISTS, the target untouched");
    write_file("src.txt", "changed", 7);
    SetLastError(0xdeadbeef);
    CHECK(!CopyFileA(from, to, TRUE));
    CHECK_ERROR(ERROR_FILE_EXISTS);
    CHECK(same_contents("dst.txt", "hello world", 11));
    SetLastError(0xdeadbeef);
    CHECK(!CopyFileExA(from, to, NULL, NULL, NULL, COPY_FILE_FAIL_IF_EXISTS));
    CHECK_ERROR(ERROR_FILE_EXISTS);

    TEST("without it the target is replaced (and shortened)");
    CHECK(CopyFileA(from, to, FALSE));
    CHECK(same_contents("dst.txt", "changed", 7));

    TEST("the read-only attribute is copied; a read-only target is ERROR_ACCESS_DENIED");
    CHECK(SetFileAttributesA(from, FILE_ATTRIBUTE_READONLY));
    path_of(other, "ro-copy.txt");
    CHECK(CopyFileA(from, other, TRUE));
    CHECK(GetFileAttributesA(other) & FILE_ATTRIBUTE_READONLY);
    CHECK(SetFileAttributesA(from, FILE_ATTRIBUTE_NORMAL));
    WINE_DEVIATION("Wine 8 replaces a read-only target")
    {
        SetLastError(0xdeadbeef);
        CHECK(!CopyFileA(from, other, FALSE));
        CHECK_ERROR(ERROR_ACCESS_DENIED);
    }
    CHECK(SetFileAttributesA(other, FILE_ATTRIBUTE_NORMAL));
    CHECK(DeleteFileA(other));

    TEST("a missing source: ERROR_FILE_NOT_FOUND, ERROR_PATH_NOT_FOUND; NULL names");
    path_of(other, "nosuch.txt");
    SetLastError(0xdeadbeef);
    CHECK(!CopyFileA(other, to, FALSE));
    CHECK_ERROR(ERROR_FILE_NOT_FOUND);
    path_of(other, "nosuchdir\\x.txt");
    SetLastError(0xdeadbeef);
    CHECK(!CopyFileA(other, to, FALSE));
    CHECK_ERROR(ERROR_PATH_NOT_FOUND);
    SetLastError(0xdeadbeef);
    CHECK(!CopyFileA(from, other, FALSE));  /* the target's directory is missing */
    CHECK_ERROR(ERROR_PATH_NOT_FOUND);
    SetLastError(0xdeadbeef);
    CHECK(!CopyFileExA(from, NULL, NULL, NULL, NULL, 0));
    CHECK_ERROR(ERROR_PATH_NOT_FOUND);
    SetLastError(0xdeadbeef);
    CHECK(!CopyFileExA(NULL, to, NULL, NULL, NULL, 0));
    CHECK_ERROR(ERROR_PATH_NOT_FOUND);

    TEST("a directory as the source or the target: ERROR_ACCESS_DENIED");
    path_of(other, "adir");
    CHECK(CreateDirectoryA(other, NULL));
    SetLastError(0xdeadbeef);
    CHECK(!CopyFileA(other, to, FALSE));
    CHECK_ERROR(ERROR_ACCESS_DENIED);
    SetLastError(0xdeadbeef);
    CHECK(!CopyFileA(from, other, FALSE));
    CHECK_ERROR(ERROR_ACCESS_DENIED);
    CHECK(RemoveDirectoryA(other));

    TEST("a file onto itself: ERROR_SHARING_VIOLATION, the file intact");
    SetLastError(0xdeadbeef);
    CHECK(!CopyFileA(from, from, FALSE));
    CHECK_ERROR(ERROR_SHARING_VIOLATION);
    CHECK(same_contents("src.txt", "changed", 7));
    /* With fail-if-exists the target's create meets the existing name first. */
    SetLastError(0xdeadbeef);
    CHECK(!CopyFileA(from, from, TRUE));
    CHECK_ERROR(ERROR_FILE_EXISTS);
    CHECK(same_contents("src.txt", "changed", 7));

    TEST("a source open without FILE_SHARE_READ: ERROR_SHARING_VIOLATION");
    {
        HANDLE locked = CreateFileA(from, GENERIC_READ, 0, NULL, OPEN_EXISTING, 0, NULL);
        CHECK(locked != INVALID_HANDLE_VALUE);
        SetLastError(0xdeadbeef);
        CHECK(!CopyFileA(from, to, FALSE));
        CHECK_ERROR(ERROR_SHARING_VIOLATION);
        CloseHandle(locked);
    }

    TEST("the target's other openers: write-locked fails, write-shared succeeds, delete-locked fails");
    {
        HANDLE h = CreateFileA(to, GENERIC_WRITE, FILE_SHARE_READ, NULL, OPEN_EXISTING, 0, NULL);
        CHECK(h != INVALID_HANDLE_VALUE);
        SetLastError(0xdeadbeef);
        CHECK(!CopyFileA(from, to, FALSE));
        CHECK_ERROR(ERROR_SHARING_VIOLATION);
        CloseHandle(h);
        h = CreateFileA(to, GENERIC_READ | GENERIC_WRITE, FILE_SHARE_WRITE, NULL, OPEN_EXISTING, 0, NULL);
        CHECK(h != INVALID_HANDLE_VALUE);
        CHECK(CopyFileA(from, to, FALSE));
        CloseHandle(h);
        h = CreateFileA(to, DELETE, FILE_SHARE_READ | FILE_SHARE_WRITE | FILE_SHARE_DELETE, NULL, OPEN_EXISTING, 0, NULL);
        CHECK(h != INVALID_HANDLE_VALUE);
        SetLastError(0xdeadbeef);
        CHECK(!CopyFileA(from, to, FALSE));
        CHECK_ERROR(ERROR_SHARING_VIOLATION);
        CloseHandle(h);
        CHECK(same_contents("dst.txt", "changed", 7));
    }

    TEST("CopyFileW");
    {
        WCHAR wfrom[MAX_PATH], wto[MAX_PATH];
        char to2[MAX_PATH];
        int i;
        path_of(to2, "wide.txt");
        for (i = 0; (wfrom[i] = (WCHAR)(unsigned char)from[i]) != 0; ++i) {
        }
        for (i = 0; (wto[i] = (WCHAR)(unsigned char)to2[i]) != 0; ++i) {
        }
        CHECK(CopyFileW(wfrom, wto, TRUE));
        CHECK(same_contents("wide.txt", "changed", 7));
        CHECK(DeleteFileA(to2));
    }
}

/* ---- the progress routine */

typedef struct {
    int calls, switches, chunks;
    DWORD answer_at_call[8]; /* what to answer at call n (0-based); PROGRESS_CONTINUE after */
    LONGLONG last_transferred, total;
    int decreasing, bad_handles, bad_stream;
    BOOL *cancel_flag; /* set at the second call */
} Progress;

static DWORD WINAPI on_progress(LARGE_INTEGER total_size, LARGE_INTEGER transferred, LARGE_INTEGER stream_size,
                                LARGE_INTEGER stream_transferred, DWORD stream, DWORD reason, HANDLE source,
                                HANDLE destination, LPVOID data)
{
    Progress *p = (Progress *)data;
    int n = p->calls++;
    if (reason == CALLBACK_STREAM_SWITCH) {
        p->switches++;
        if (transferred.QuadPart != 0) p->decreasing++;
    } else if (reason == CALLBACK_CHUNK_FINISHED) {
        p->chunks++;
        if (transferred.QuadPart <= p->last_transferred && transferred.QuadPart != total_size.QuadPart) p->decreasing++;
        p->last_transferred = transferred.QuadPart;
    }
    p->total = total_size.QuadPart;
    if (stream != 1 || stream_size.QuadPart != total_size.QuadPart ||
        stream_transferred.QuadPart != transferred.QuadPart)
        p->bad_stream++;
    if (source == NULL || source == INVALID_HANDLE_VALUE || destination == NULL || destination == INVALID_HANDLE_VALUE)
        p->bad_handles++;
    if (p->cancel_flag != NULL && n == 1) *p->cancel_flag = TRUE;
    return n < 8 ? p->answer_at_call[n] : PROGRESS_CONTINUE;
}

static void test_progress(void)
{
    char from[MAX_PATH], to[MAX_PATH];
    Progress p;
    BOOL cancel = FALSE;

    for (size_t i = 0; i < sizeof(big); ++i) big[i] = (char)(i * 7 + (i >> 12));
    write_file("big.bin", big, sizeof(big));
    path_of(from, "big.bin");
    path_of(to, "big-copy.bin");

    WINE_DEVIATION("Wine 8 calls no progress routine and ignores pbCancel")
    {
        TEST("CopyFileEx: a stream switch first, then chunks with growing counts up to the size");
        memset(&p, 0, sizeof(p));
        CHECK(CopyFileExA(from, to, on_progress, &p, &cancel, 0));
        CHECK(same_contents("big-copy.bin", big, sizeof(big)));
        CHECK_EQ(p.switches, 1);
        CHECK(p.chunks >= 1);
        CHECK_EQ(p.last_transferred, sizeof(big));
        CHECK_EQ(p.total, sizeof(big));
        CHECK_EQ(p.decreasing, 0);
        CHECK_EQ(p.bad_handles, 0);
        CHECK_EQ(p.bad_stream, 0);

        TEST("PROGRESS_QUIET: no more calls, the copy completes");
        memset(&p, 0, sizeof(p));
        p.answer_at_call[0] = PROGRESS_QUIET;
        CHECK(CopyFileExA(from, to, on_progress, &p, NULL, 0));
        CHECK_EQ(p.calls, 1);
        CHECK(same_contents("big-copy.bin", big, sizeof(big)));

        TEST("PROGRESS_CANCEL at the stream switch: ERROR_REQUEST_ABORTED, the target removed");
        CHECK(DeleteFileA(to));
        memset(&p, 0, sizeof(p));
        p.answer_at_call[0] = PROGRESS_CANCEL;
        SetLastError(0xdeadbeef);
        CHECK(!CopyFileExA(from, to, on_progress, &p, NULL, 0));
        CHECK_ERROR(ERROR_REQUEST_ABORTED);
        CHECK(!exists("big-copy.bin"));

        TEST("PROGRESS_CANCEL after a chunk: the target removed");
        memset(&p, 0, sizeof(p));
        p.answer_at_call[1] = PROGRESS_CANCEL;
        SetLastError(0xdeadbeef);
        CHECK(!CopyFileExA(from, to, on_progress, &p, NULL, 0));
        CHECK_ERROR(ERROR_REQUEST_ABORTED);
        CHECK_EQ(p.calls, 2);
        CHECK(!exists("big-copy.bin"));

        TEST("PROGRESS_STOP after a chunk: ERROR_REQUEST_ABORTED, the target kept");
        memset(&p, 0, sizeof(p));
        p.answer_at_call[1] = PROGRESS_STOP;
        SetLastError(0xdeadbeef);
        CHECK(!CopyFileExA(from, to, on_progress, &p, NULL, 0));
        CHECK_ERROR(ERROR_REQUEST_ABORTED);
        CHECK_EQ(p.calls, 2);
        CHECK(exists("big-copy.bin"));
        CHECK(DeleteFileA(to));

        TEST("pbCancel set during the copy: ERROR_REQUEST_ABORTED, the target removed");
        memset(&p, 0, sizeof(p));
        cancel = FALSE;
        p.cancel_flag = &cancel;
        SetLastError(0xdeadbeef);
        CHECK(!CopyFileExA(from, to, on_progress, &p, &cancel, 0));
        CHECK_ERROR(ERROR_REQUEST_ABORTED);
        CHECK(p.calls < 4);
        CHECK(!exists("big-copy.bin"));

        TEST("pbCancel already set: nothing copied");
        cancel = TRUE;
        SetLastError(0xdeadbeef);
        CHECK(!CopyFileExA(from, to, NULL, NULL, &cancel, 0));
        CHECK_ERROR(ERROR_REQUEST_ABORTED);
        CHECK(!exists("big-copy.bin"));

        TEST("an empty file: the stream switch is still reported");
        write_file("empty.bin", "", 0);
        path_of(from, "empty.bin");
        path_of(to, "empty-copy.bin");
        memset(&p, 0, sizeof(p));
        CHECK(CopyFileExA(from, to, on_progress, &p, NULL, 0));
        CHECK_EQ(p.switches, 1);
        CHECK(exists("empty-copy.bin"));
        CHECK(DeleteFileA(to));
        CHECK(DeleteFileA(from));
    }
    path_of(from, "big.bin");
    CHECK(DeleteFileA(from));
    path_of(to, "big-copy.bin");
    DeleteFileA(to);
}

/* MoveFileWithProgress: MoveFileEx with a routine that sees the copy of a file moved to
 * another volume (it is CopyFileEx's); a rename moves no data and calls nothing (Microsoft
 * Learn, MoveFileWithProgress: the routine is called "each time another portion of the file
 * has been moved"; MoveFileEx is MoveFileWithProgress without a routine, in kernelbase). */
static void test_move_with_progress(void)
{
    char from[MAX_PATH], to[MAX_PATH];
    Progress p;

    TEST("MoveFileWithProgress on one volume: a rename, the routine not called");
    write_file("move-src.bin", "moving", 6);
    path_of(from, "move-src.bin");
    path_of(to, "move-dst.bin");
    memset(&p, 0, sizeof(p));
    CHECK(MoveFileWithProgress(from, to, on_progress, &p, 0));
    CHECK_EQ(p.calls, 0);
    CHECK(!exists("move-src.bin"));
    CHECK(same_contents("move-dst.bin", "moving", 6));
    TEST("MoveFileWithProgress: MoveFileEx's errors");
    SetLastError(0xdeadbeef);
    CHECK(!MoveFileWithProgressA(from, to, on_progress, &p, 0)); /* the source is gone */
    CHECK_ERROR(ERROR_FILE_NOT_FOUND);
    write_file("move-src.bin", "second", 6);
    SetLastError(0xdeadbeef);
    CHECK(!MoveFileWithProgressA(from, to, NULL, NULL, 0));
    CHECK_ERROR(ERROR_ALREADY_EXISTS);
    CHECK(MoveFileWithProgressA(from, to, NULL, NULL, MOVEFILE_REPLACE_EXISTING));
    CHECK(same_contents("move-dst.bin", "second", 6));

#ifndef __MINGW32__
    /* On Linux, /dev/shm is usually a file system of its own (tmpfs): a move there with
     * MOVEFILE_COPY_ALLOWED is a copy that the routine sees, then the source's removal. */
    {
        char shm[MAX_PATH], here_volume[MAX_PATH], shm_volume[MAX_PATH];
        wsprintfA(shm, "/dev/shm/ovmove-%lu.bin", (unsigned long)GetCurrentProcessId());
        if (GetVolumePathNameA(to, here_volume, MAX_PATH) && GetVolumePathNameA(shm, shm_volume, MAX_PATH) &&
            strcmp(here_volume, shm_volume) != 0 &&
            GetFileAttributesA("/dev/shm") != INVALID_FILE_ATTRIBUTES) {
            TEST("MoveFileWithProgress to another volume: the copy reported, then the source removed");
            write_file("move-big.bin", big, sizeof(big));
            path_of(from, "move-big.bin");
            memset(&p, 0, sizeof(p));
            p.answer_at_call[1] = PROGRESS_CANCEL;
            SetLastError(0xdeadbeef);
            CHECK(!MoveFileWithProgressA(from, shm, on_progress, &p, MOVEFILE_COPY_ALLOWED));
            CHECK_ERROR(ERROR_REQUEST_ABORTED);
            CHECK(exists("move-big.bin"));
            CHECK_EQ(GetFileAttributesA(shm), INVALID_FILE_ATTRIBUTES);
            memset(&p, 0, sizeof(p));
            CHECK(MoveFileWithProgressA(from, shm, on_progress, &p, MOVEFILE_COPY_ALLOWED));
            CHECK_EQ(p.switches, 1);
            CHECK(p.chunks >= 1);
            CHECK_EQ(p.last_transferred, sizeof(big));
            CHECK(!exists("move-big.bin"));
            CHECK(DeleteFileA(shm));

            /* MoveFileEx without a routine makes the same copy: the last write time and
             * the read-only attribute go with the file, as CopyFile's do. */
            TEST("MoveFileEx to another volume: the last write time and read-only attribute kept");
            write_file("move-old.bin", "old times", 9);
            path_of(from, "move-old.bin");
            {
                FILETIME old_time, moved_time;
                HANDLE h = CreateFileA(from, FILE_WRITE_ATTRIBUTES, FILE_SHARE_READ, NULL, OPEN_EXISTING, 0, NULL);
                CHECK(h != INVALID_HANDLE_VALUE);
                old_time.dwLowDateTime = 0x12345600; /* 2001, far from the time of the copy */
                old_time.dwHighDateTime = 0x01c0a000;
                CHECK(SetFileTime(h, NULL, NULL, &old_time));
                CloseHandle(h);
                CHECK(SetFileAttributesA(from, FILE_ATTRIBUTE_READONLY));
                CHECK(MoveFileExA(from, shm, MOVEFILE_COPY_ALLOWED | MOVEFILE_WRITE_THROUGH));
                CHECK(!exists("move-old.bin"));
                CHECK_EQ(GetFileAttributesA(shm) & FILE_ATTRIBUTE_READONLY, FILE_ATTRIBUTE_READONLY);
                h = CreateFileA(shm, GENERIC_READ, FILE_SHARE_READ, NULL, OPEN_EXISTING, 0, NULL);
                CHECK(h != INVALID_HANDLE_VALUE);
                CHECK(GetFileTime(h, NULL, NULL, &moved_time));
                CloseHandle(h);
                CHECK_EQ(moved_time.dwHighDateTime, old_time.dwHighDateTime);
                CHECK_EQ(moved_time.dwLowDateTime, old_time.dwLowDateTime);
                TEST("MoveFileEx to another volume onto an existing file: ERROR_ALREADY_EXISTS");
                write_file("move-old.bin", "again", 5);
                SetLastError(0xdeadbeef);
                CHECK(!MoveFileExA(from, shm, MOVEFILE_COPY_ALLOWED));
                CHECK_ERROR(ERROR_ALREADY_EXISTS);
                CHECK(exists("move-old.bin"));
                CHECK(DeleteFileA(from));
                CHECK(SetFileAttributesA(shm, FILE_ATTRIBUTE_NORMAL));
                CHECK(DeleteFileA(shm));
            }
        }
    }
#endif
    CHECK(DeleteFileA(to));
}

#ifndef ERROR_REQUEST_PAUSED
#define ERROR_REQUEST_PAUSED 3050
#endif

static void wide_path_of(WCHAR *out, const char *name)
{
    char path[MAX_PATH];
    path_of(path, name);
    MultiByteToWideChar(CP_UTF8, 0, path, -1, out, MAX_PATH);
}

struct messages {
    int stream_started, chunk_started, chunk_finished, stream_finished, other;
    int in_order;               /* every message where it belongs */
    ULONGLONG last_transferred; /* the last chunk's total */
    COPYFILE2_MESSAGE_ACTION answer_at_first_chunk;
};

static COPYFILE2_MESSAGE_ACTION CALLBACK copy2_progress(const COPYFILE2_MESSAGE *message, PVOID context)
{
    struct messages *seen = context;
    switch (message->Type) {
    case COPYFILE2_CALLBACK_STREAM_STARTED:
        if (seen->stream_started || seen->chunk_started || message->Info.StreamStarted.dwStreamNumber != 1)
            seen->in_order = 0;
        seen->stream_started++;
        return COPYFILE2_PROGRESS_CONTINUE;
    case COPYFILE2_CALLBACK_CHUNK_STARTED:
        if (!seen->stream_started || seen->chunk_started != seen->chunk_finished ||
            message->Info.ChunkStarted.uliChunkNumber.QuadPart != (ULONGLONG)seen->chunk_finished)
            seen->in_order = 0;
        seen->chunk_started++;
        return COPYFILE2_PROGRESS_CONTINUE;
    case COPYFILE2_CALLBACK_CHUNK_FINISHED:
        if (seen->chunk_started != seen->chunk_finished + 1 ||
            message->Info.ChunkFinished.uliTotalBytesTransferred.QuadPart <= seen->last_transferred)
            seen->in_order = 0;
        seen->last_transferred = message->Info.ChunkFinished.uliTotalBytesTransferred.QuadPart;
        seen->chunk_finished++;
        return seen->chunk_finished == 1 ? seen->answer_at_first_chunk : COPYFILE2_PROGRESS_CONTINUE;
    case COPYFILE2_CALLBACK_STREAM_FINISHED:
        if (seen->chunk_started != seen->chunk_finished ||
            message->Info.StreamFinished.uliTotalBytesTransferred.QuadPart != message->Info.StreamFinished.uliTotalFileSize.QuadPart)
            seen->in_order = 0;
        seen->stream_finished++;
        return COPYFILE2_PROGRESS_CONTINUE;
    default:
        seen->other++;
        return COPYFILE2_PROGRESS_CONTINUE;
    }
}

/* CopyFile2: Wine's kernel32 file.c test_CopyFile2 (passes on Windows) for the errors,
 * the share rules and the copied time; Microsoft Learn (CopyFile2,
 * COPYFILE2_EXTENDED_PARAMETERS, COPYFILE2_MESSAGE) for the messages. */
static void test_copy_file2_checks(void)
{
    WCHAR source[MAX_PATH], target[MAX_PATH], missing[MAX_PATH];
    char source_a[MAX_PATH], target_a[MAX_PATH];
    COPYFILE2_EXTENDED_PARAMETERS params;
    HRESULT hr;
    wide_path_of(source, "src2.txt");
    wide_path_of(target, "dst2.txt");
    wide_path_of(missing, "no-such-file.txt");
    path_of(source_a, "src2.txt");
    path_of(target_a, "dst2.txt");
    write_file("src2.txt", "pfx", 4);
    write_file("dst2.txt", "old contents", 12);

    TEST("CopyFile2: COPY_FILE_FAIL_IF_EXISTS: the HRESULT and the last error ERROR_FILE_EXISTS");
    memset(&params, 0, sizeof(params));
    params.dwSize = sizeof(params);
    params.dwCopyFlags = COPY_FILE_FAIL_IF_EXISTS;
    SetLastError(0xdeadbeef);
    hr = CopyFile2(source, target, &params);
    CHECK_EQ(hr, HRESULT_FROM_WIN32(ERROR_FILE_EXISTS));
    CHECK_ERROR(ERROR_FILE_EXISTS);
    CHECK(same_contents("dst2.txt", "old contents", 12));

    TEST("CopyFile2: copied over the target, with the last write time; no parameters at all");
    {
        HANDLE file = CreateFileA(source_a, GENERIC_WRITE, 0, NULL, OPEN_EXISTING, 0, NULL);
        FILETIME written, copied;
        CHECK(GetFileTime(file, NULL, NULL, &written));
        written.dwLowDateTime -= 600000000; /* 60 s earlier */
        if (written.dwLowDateTime > 0xffffffffu - 600000000u) written.dwHighDateTime--;
        CHECK(SetFileTime(file, NULL, NULL, &written));
        CHECK(GetFileTime(file, NULL, NULL, &written));
        CloseHandle(file);
        params.dwCopyFlags = 0;
        CHECK_EQ(CopyFile2(source, target, &params), S_OK);
        CHECK(same_contents("dst2.txt", "pfx", 4));
        file = CreateFileA(target_a, GENERIC_READ, FILE_SHARE_READ, NULL, OPEN_EXISTING, 0, NULL);
        CHECK(GetFileTime(file, NULL, NULL, &copied));
        CloseHandle(file);
        CHECK(CompareFileTime(&written, &copied) == 0);
        write_file("dst2.txt", "x", 1);
        CHECK_EQ(CopyFile2(source, target, NULL), S_OK);
        CHECK(same_contents("dst2.txt", "pfx", 4));
    }

    TEST("CopyFile2: onto itself, a read-locked source, a missing one, a write-locked target");
    SetLastError(0xdeadbeef);
    CHECK_EQ(CopyFile2(source, source, &params), HRESULT_FROM_WIN32(ERROR_SHARING_VIOLATION));
    CHECK_ERROR(ERROR_SHARING_VIOLATION);
    {
        HANDLE file = CreateFileA(source_a, GENERIC_READ, FILE_SHARE_WRITE, NULL, OPEN_EXISTING, 0, NULL);
        SetLastError(0xdeadbeef);
        CHECK_EQ(CopyFile2(source, target, &params), HRESULT_FROM_WIN32(ERROR_SHARING_VIOLATION));
        CHECK_ERROR(ERROR_SHARING_VIOLATION);
        SetLastError(0xdeadbeef);
        CHECK_EQ(CopyFile2(missing, target, &params), HRESULT_FROM_WIN32(ERROR_FILE_NOT_FOUND));
        CHECK_ERROR(ERROR_FILE_NOT_FOUND);
        CloseHandle(file);
        file = CreateFileA(target_a, GENERIC_WRITE, FILE_SHARE_READ, NULL, OPEN_EXISTING, 0, NULL);
        SetLastError(0xdeadbeef);
        CHECK_EQ(CopyFile2(source, target, &params), HRESULT_FROM_WIN32(ERROR_SHARING_VIOLATION));
        CHECK_ERROR(ERROR_SHARING_VIOLATION);
        CloseHandle(file);
    }

    TEST("CopyFile2: a mapped target: ERROR_SHARING_VIOLATION, or ERROR_USER_MAPPED_FILE when shared for writing");
    {
        HANDLE file = CreateFileA(target_a, GENERIC_READ, FILE_SHARE_READ, NULL, OPEN_EXISTING, 0, NULL);
        HANDLE mapping = CreateFileMappingA(file, NULL, PAGE_READONLY, 0, 0, NULL);
        CHECK(mapping != NULL);
        SetLastError(0xdeadbeef);
        CHECK_EQ(CopyFile2(source, target, &params), HRESULT_FROM_WIN32(ERROR_SHARING_VIOLATION));
        CHECK_ERROR(ERROR_SHARING_VIOLATION);
        CloseHandle(mapping);
        CloseHandle(file);
        file = CreateFileA(target_a, GENERIC_READ, FILE_SHARE_READ | FILE_SHARE_WRITE, NULL, OPEN_EXISTING, 0, NULL);
        mapping = CreateFileMappingA(file, NULL, PAGE_READONLY, 0, 0, NULL);
        CHECK(mapping != NULL);
        SetLastError(0xdeadbeef);
        CHECK_EQ(CopyFile2(source, target, &params), HRESULT_FROM_WIN32(ERROR_USER_MAPPED_FILE));
        CHECK_ERROR(ERROR_USER_MAPPED_FILE);
        CloseHandle(mapping);
        CloseHandle(file);
    }

    TEST("CopyFile2: parameters smaller than the structure, an unknown flag: E_INVALIDARG, nothing copied");
    write_file("dst2.txt", "x", 1);
    params.dwSize = sizeof(params) - 4;
    CHECK_EQ(CopyFile2(source, target, &params), E_INVALIDARG);
    params.dwSize = sizeof(params);
    params.dwCopyFlags = 0x40000000;
    CHECK_EQ(CopyFile2(source, target, &params), E_INVALIDARG);
    params.dwCopyFlags = 0;
    CHECK(same_contents("dst2.txt", "x", 1));

    {
        struct messages seen;
        TEST("CopyFile2's routine: the stream's start, each chunk's start and end, the stream's end");
        write_file("src2.txt", big, sizeof(big));
        memset(&seen, 0, sizeof(seen));
        seen.in_order = 1;
        params.pProgressRoutine = copy2_progress;
        params.pvCallbackContext = &seen;
        CHECK_EQ(CopyFile2(source, target, &params), S_OK);
        CHECK(same_contents("dst2.txt", big, sizeof(big)));
        CHECK_EQ(seen.stream_started, 1);
        CHECK(seen.chunk_finished >= 1);
        CHECK_EQ(seen.chunk_started, seen.chunk_finished);
        CHECK_EQ(seen.stream_finished, 1);
        CHECK_EQ(seen.last_transferred, sizeof(big));
        CHECK(seen.in_order);

        TEST("CopyFile2's routine: COPYFILE2_PROGRESS_CANCEL removes the target, STOP and PAUSE keep it");
        memset(&seen, 0, sizeof(seen));
        seen.answer_at_first_chunk = COPYFILE2_PROGRESS_CANCEL;
        SetLastError(0xdeadbeef);
        CHECK_EQ(CopyFile2(source, target, &params), HRESULT_FROM_WIN32(ERROR_REQUEST_ABORTED));
        CHECK_ERROR(ERROR_REQUEST_ABORTED);
        CHECK_EQ(seen.stream_finished, 0);
        CHECK_EQ(GetFileAttributesA(target_a), INVALID_FILE_ATTRIBUTES);
        memset(&seen, 0, sizeof(seen));
        seen.answer_at_first_chunk = COPYFILE2_PROGRESS_STOP;
        CHECK_EQ(CopyFile2(source, target, &params), HRESULT_FROM_WIN32(ERROR_REQUEST_ABORTED));
        CHECK(GetFileAttributesA(target_a) != INVALID_FILE_ATTRIBUTES);
        memset(&seen, 0, sizeof(seen));
        seen.answer_at_first_chunk = COPYFILE2_PROGRESS_PAUSE;
        CHECK_EQ(CopyFile2(source, target, &params), HRESULT_FROM_WIN32(ERROR_REQUEST_PAUSED));
        CHECK_EQ(seen.stream_finished, 1); /* a pause ends the stream with its message */
        CHECK(GetFileAttributesA(target_a) != INVALID_FILE_ATTRIBUTES);
        memset(&seen, 0, sizeof(seen));
        seen.answer_at_first_chunk = COPYFILE2_PROGRESS_QUIET;
        params.dwCopyFlags = COPY_FILE_RESUME_FROM_PAUSE;
        CHECK_EQ(CopyFile2(source, target, &params), S_OK);
        CHECK_EQ(seen.chunk_finished, 1);
        CHECK_EQ(seen.stream_finished, 0);
        CHECK(same_contents("dst2.txt", big, sizeof(big)));
        params.pProgressRoutine = NULL;
        params.dwCopyFlags = 0;
    }

    TEST("CopyFile2: *pfCancel set: ERROR_REQUEST_ABORTED, no target");
    {
        BOOL cancel = TRUE;
        DeleteFileA(target_a);
        params.pfCancel = &cancel;
        CHECK_EQ(CopyFile2(source, target, &params), HRESULT_FROM_WIN32(ERROR_REQUEST_ABORTED));
        CHECK_EQ(GetFileAttributesA(target_a), INVALID_FILE_ATTRIBUTES);
        params.pfCancel = NULL;
    }
    DeleteFileA(source_a);
    DeleteFileA(target_a);
}

static void test_copy_file2(void)
{
    WINE_DEVIATION("Wine 8.0 has no CopyFile2 (its kernel32 export is a stub that aborts)")
    {
        test_copy_file2_checks();
    }
}

int main(void)
{
    char temp[MAX_PATH], path[MAX_PATH];
    GetTempPathA(MAX_PATH, temp);
    wsprintfA(base, "%sovcopy-%lu-%lu", temp, (unsigned long)GetCurrentProcessId(), (unsigned long)GetTickCount());
    CHECK(CreateDirectoryA(base, NULL));

    test_copy();
    test_progress();
    test_move_with_progress();
    test_copy_file2();

    path_of(path, "src.txt");
    SetFileAttributesA(path, FILE_ATTRIBUTE_NORMAL);
    DeleteFileA(path);
    path_of(path, "dst.txt");
    DeleteFileA(path);
    CHECK(RemoveDirectoryA(base));
    return tl_finish();
}
