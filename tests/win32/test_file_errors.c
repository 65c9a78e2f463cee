/* test_file_errors.c: the last errors of the file functions on bad input (no name, an
 * empty one, a directory where a file is expected, trailing separators, wildcards), of
 * DeleteFile and MoveFile on open, read-only and mapped files, and the last error the
 * functions whose return value may be a real result leave on success. The facts are those
 * Wine's kernel32 file tests (test_CreateFileA/W, test_DeleteFileA/W, test_MoveFileA,
 * test_GetTempFileNameA) record for Windows. */
#define _WIN32_WINNT 0x0A00 /* CreateFile2 in mingw-w64's headers */
#include "testlib.h"

static char dir[2 * MAX_PATH];

static void path_of(char *out, const char *name)
{
    if ((size_t)snprintf(out, MAX_PATH, "%s%s", dir, name) >= MAX_PATH) out[0] = 0;
}

static HANDLE open_file(const char *path, DWORD access, DWORD share, DWORD disposition, DWORD flags)
{
    return CreateFileA(path, access, share, NULL, disposition, flags, NULL);
}

static void make_file(const char *path, const char *text)
{
    HANDLE file = open_file(path, GENERIC_WRITE, 0, CREATE_ALWAYS, 0);
    CHECK(file != INVALID_HANDLE_VALUE);
    DWORD written = 0;
    if (text != NULL) CHECK(WriteFile(file, text, (DWORD)strlen(text), &written, NULL));
    CloseHandle(file);
}

static void test_create_file_names(void)
{
    char path[MAX_PATH], sub[MAX_PATH];
    HANDLE file;
    static const WCHAR empty_w[] = {0};

    TEST("CreateFile: an empty name is ERROR_PATH_NOT_FOUND");
    SetLastError(0xdeadbeef);
    CHECK(open_file("", GENERIC_READ, 0, CREATE_NEW, 0) == INVALID_HANDLE_VALUE);
    CHECK_ERROR(ERROR_PATH_NOT_FOUND);
    SetLastError(0xdeadbeef);
    CHECK(CreateFileW(empty_w, GENERIC_READ, 0, NULL, CREATE_NEW, 0, NULL) == INVALID_HANDLE_VALUE);
    CHECK_ERROR(ERROR_PATH_NOT_FOUND);

    TEST("CreateFile: a missing name, with and without a trailing separator: ERROR_FILE_NOT_FOUND");
    path_of(path, "missing");
    SetLastError(0xdeadbeef);
    CHECK(open_file(path, GENERIC_READ | GENERIC_WRITE, FILE_SHARE_READ | FILE_SHARE_WRITE, OPEN_EXISTING, 0) ==
          INVALID_HANDLE_VALUE);
    CHECK_ERROR(ERROR_FILE_NOT_FOUND);
    path_of(path, "missing\\");
    SetLastError(0xdeadbeef);
    CHECK(open_file(path, GENERIC_READ | GENERIC_WRITE, FILE_SHARE_READ | FILE_SHARE_WRITE, OPEN_EXISTING, 0) ==
          INVALID_HANDLE_VALUE);
    CHECK_ERROR(ERROR_FILE_NOT_FOUND);

    TEST("CreateFile: a file to be made under a name ending in a separator: ERROR_INVALID_NAME, nothing made");
    static const DWORD creating[] = {CREATE_NEW, CREATE_ALWAYS, OPEN_ALWAYS};
    for (size_t i = 0; i < sizeof(creating) / sizeof(creating[0]); i++) {
        path_of(path, "new\\");
        SetLastError(0xdeadbeef);
        CHECK(open_file(path, GENERIC_READ | GENERIC_WRITE, FILE_SHARE_READ, creating[i], FILE_ATTRIBUTE_NORMAL) ==
              INVALID_HANDLE_VALUE);
        CHECK_ERROR(ERROR_INVALID_NAME);
        path_of(path, "new");
        CHECK_EQ(GetFileAttributesA(path), INVALID_FILE_ATTRIBUTES);
    }
    /* In a directory that is not there it is the path that is missing. */
    path_of(path, "nodir\\new\\");
    SetLastError(0xdeadbeef);
    CHECK(open_file(path, GENERIC_WRITE, 0, CREATE_NEW, 0) == INVALID_HANDLE_VALUE);
    CHECK_ERROR(ERROR_PATH_NOT_FOUND);

    TEST("CreateFile: a directory opened as a file is ERROR_ACCESS_DENIED; with BACKUP_SEMANTICS it opens");
    path_of(sub, "subdir");
    CHECK(CreateDirectoryA(sub, NULL));
    SetLastError(0xdeadbeef);
    CHECK(open_file(sub, GENERIC_READ | GENERIC_WRITE, FILE_SHARE_READ | FILE_SHARE_WRITE, OPEN_EXISTING, 0) ==
          INVALID_HANDLE_VALUE);
    CHECK_ERROR(ERROR_ACCESS_DENIED);
    path_of(path, "subdir\\");
    file = open_file(path, GENERIC_READ, FILE_SHARE_READ | FILE_SHARE_WRITE, OPEN_EXISTING, FILE_FLAG_BACKUP_SEMANTICS);
    CHECK(file != INVALID_HANDLE_VALUE);
    if (file != INVALID_HANDLE_VALUE) CloseHandle(file);

    TEST("CreateFile: a wildcard in the name is ERROR_INVALID_NAME");
    path_of(path, "*.*");
    SetLastError(0xdeadbeef);
    CHECK(open_file(path, GENERIC_READ, FILE_SHARE_READ, OPEN_EXISTING, 0) == INVALID_HANDLE_VALUE);
    CHECK_ERROR(ERROR_INVALID_NAME);

    TEST("CreateFile: OPEN_ALWAYS and CREATE_ALWAYS: ERROR_ALREADY_EXISTS when it was there, 0 when made");
    path_of(path, "always.txt");
    SetLastError(0xdeadbeef);
    file = open_file(path, GENERIC_READ, FILE_SHARE_READ, OPEN_ALWAYS, 0);
    CHECK(file != INVALID_HANDLE_VALUE);
    CHECK_ERROR(0);
    CloseHandle(file);
    SetLastError(0xdeadbeef);
    file = open_file(path, GENERIC_READ, FILE_SHARE_READ, OPEN_ALWAYS, 0);
    CHECK(file != INVALID_HANDLE_VALUE);
    CHECK_ERROR(ERROR_ALREADY_EXISTS);
    CloseHandle(file);
    SetLastError(0xdeadbeef);
    file = open_file(path, GENERIC_READ, FILE_SHARE_READ, CREATE_ALWAYS, 0);
    CHECK(file != INVALID_HANDLE_VALUE);
    CHECK_ERROR(ERROR_ALREADY_EXISTS);
    CloseHandle(file);
    CHECK(DeleteFileA(path));
    CHECK(RemoveDirectoryA(sub));
}

/* Wine's kernel32 test_CreateFile: every disposition on a directory, and the rights
 * TRUNCATE_EXISTING needs. */
static void test_dispositions_on_directory(void)
{
    char sub[MAX_PATH], path[MAX_PATH];
    path_of(sub, "disp-dir");
    CHECK(CreateDirectoryA(sub, NULL));

    TEST("CreateFile of a directory without BACKUP_SEMANTICS: ERROR_ACCESS_DENIED for every disposition");
    for (DWORD disposition = 0; disposition <= TRUNCATE_EXISTING; disposition++) {
        SetLastError(0xdeadbeef);
        CHECK(open_file(sub, GENERIC_READ, 0, disposition, 0) == INVALID_HANDLE_VALUE);
        if (disposition == 0) {
            CHECK_ERROR(ERROR_INVALID_PARAMETER);  /* checked before the name */
        } else if (disposition == TRUNCATE_EXISTING) {
            WINE_DEVIATION("Wine 8 answers ERROR_ACCESS_DENIED (todo_wine in test_CreateFile)")
            {
                CHECK_ERROR(ERROR_INVALID_PARAMETER);  /* without GENERIC_WRITE, before the name */
            }
        } else if (disposition == CREATE_NEW) {
            WINE_DEVIATION("Wine 8 answers ERROR_FILE_EXISTS (todo_wine in test_CreateFile)")
            {
                CHECK_ERROR(ERROR_ACCESS_DENIED);
            }
        } else {
            CHECK_ERROR(ERROR_ACCESS_DENIED);
        }
        SetLastError(0xdeadbeef);
        CHECK(open_file(sub, GENERIC_WRITE, 0, disposition, 0) == INVALID_HANDLE_VALUE);
        if (disposition == 0) {
            CHECK_ERROR(ERROR_INVALID_PARAMETER);
        } else if (disposition == CREATE_NEW) {
            WINE_DEVIATION("Wine 8 answers ERROR_FILE_EXISTS (todo_wine in test_CreateFile)")
            {
                CHECK_ERROR(ERROR_ACCESS_DENIED);
            }
        } else {
            CHECK_ERROR(ERROR_ACCESS_DENIED);
        }
    }
    CHECK(RemoveDirectoryA(sub));

    TEST("TRUNCATE_EXISTING needs GENERIC_WRITE itself: ERROR_INVALID_PARAMETER with FILE_WRITE_DATA");
    path_of(path, "truncate.txt");
    make_file(path, "data");
    static const DWORD refused[] = {0, GENERIC_READ, FILE_WRITE_DATA};
    for (size_t i = 0; i < sizeof(refused) / sizeof(refused[0]); i++) {
        SetLastError(0xdeadbeef);
        HANDLE file = open_file(path, refused[i], 0, TRUNCATE_EXISTING, 0);
        WINE_DEVIATION("Wine 8 truncates without GENERIC_WRITE (todo_wine in test_CreateFile)")
        {
            CHECK(file == INVALID_HANDLE_VALUE);
            CHECK_ERROR(ERROR_INVALID_PARAMETER);
        }
        if (file != INVALID_HANDLE_VALUE) CloseHandle(file);
    }
    HANDLE file = open_file(path, GENERIC_WRITE, 0, TRUNCATE_EXISTING, 0);
    CHECK(file != INVALID_HANDLE_VALUE);
    CHECK_EQ(GetFileSize(file, NULL), 0);
    CloseHandle(file);

    TEST("A handle opened with no access cannot write: ERROR_ACCESS_DENIED");
    CHECK(DeleteFileA(path));
    file = open_file(path, 0, 0, CREATE_NEW, 0);
    CHECK(file != INVALID_HANDLE_VALUE);
    DWORD written = 0xdeadbeef;
    SetLastError(0xdeadbeef);
    CHECK(!WriteFile(file, "x", 1, &written, NULL));
    CHECK_ERROR(ERROR_ACCESS_DENIED);
    CloseHandle(file);
    CHECK(DeleteFileA(path));
}

static void test_information_buffers(void)
{
    char path[MAX_PATH];
    path_of(path, "info.txt");
    make_file(path, "x");
    HANDLE file = open_file(path, GENERIC_READ | GENERIC_WRITE, 0, OPEN_EXISTING, 0);
    CHECK(file != INVALID_HANDLE_VALUE);

    TEST("SetFileInformationByHandle without a buffer for a length: ERROR_NOACCESS, as the query");
    CHECK_FAILS(SetFileInformationByHandle(file, FileBasicInfo, NULL, sizeof(FILE_BASIC_INFO)), ERROR_NOACCESS);
    FILE_BASIC_INFO basic;
    CHECK_FAILS(GetFileInformationByHandleEx(file, FileBasicInfo, NULL, sizeof(basic)), ERROR_NOACCESS);
    CloseHandle(file);
    CHECK(DeleteFileA(path));
}

static void test_delete_file(void)
{
    char path[MAX_PATH], sub[MAX_PATH];
    static const WCHAR empty_w[] = {0};

    TEST("DeleteFile: no name, an empty one: ERROR_PATH_NOT_FOUND; a missing one ERROR_FILE_NOT_FOUND");
    SetLastError(0xdeadbeef);
    CHECK(!DeleteFileW(NULL));
    CHECK_ERROR(ERROR_PATH_NOT_FOUND);
    SetLastError(0xdeadbeef);
    CHECK(!DeleteFileA(NULL));
    CHECK(GetLastError() == ERROR_PATH_NOT_FOUND || GetLastError() == ERROR_INVALID_PARAMETER);
    CHECK_FAILS(DeleteFileA(""), ERROR_PATH_NOT_FOUND);
    CHECK_FAILS(DeleteFileW(empty_w), ERROR_PATH_NOT_FOUND);
    path_of(path, "nonexist.txt");
    CHECK_FAILS(DeleteFileA(path), ERROR_FILE_NOT_FOUND);

    TEST("DeleteFile: a directory, empty or not, is ERROR_ACCESS_DENIED");
    path_of(sub, "deldir");
    CHECK(CreateDirectoryA(sub, NULL));
    CHECK_FAILS(DeleteFileA(sub), ERROR_ACCESS_DENIED);
    CHECK(RemoveDirectoryA(sub));

    TEST("DeleteFile: a read-only file is ERROR_ACCESS_DENIED");
    path_of(path, "readonly.txt");
    make_file(path, "x");
    CHECK(SetFileAttributesA(path, FILE_ATTRIBUTE_READONLY));
    CHECK_FAILS(DeleteFileA(path), ERROR_ACCESS_DENIED);
    CHECK(GetFileAttributesA(path) != INVALID_FILE_ATTRIBUTES);
    CHECK(SetFileAttributesA(path, FILE_ATTRIBUTE_NORMAL));
    CHECK(DeleteFileA(path));

    TEST("DeleteFile: a file open with FILE_SHARE_DELETE is deleted; gone after the last close");
    path_of(path, "shared.txt");
    make_file(path, "x");
    HANDLE file = open_file(path, GENERIC_READ, FILE_SHARE_READ | FILE_SHARE_DELETE, OPEN_EXISTING, 0);
    CHECK(file != INVALID_HANDLE_VALUE);
    CHECK(DeleteFileA(path));
    CloseHandle(file);
    CHECK_FAILS(DeleteFileA(path), ERROR_FILE_NOT_FOUND);

    TEST("DeleteFile: a file open without FILE_SHARE_DELETE is ERROR_SHARING_VIOLATION");
    path_of(path, "locked.txt");
    make_file(path, "x");
    file = open_file(path, GENERIC_READ, FILE_SHARE_READ | FILE_SHARE_WRITE, OPEN_EXISTING, 0);
    CHECK(file != INVALID_HANDLE_VALUE);
    CHECK_FAILS(DeleteFileA(path), ERROR_SHARING_VIOLATION);
    CloseHandle(file);
    CHECK(DeleteFileA(path));
}

static void test_move_file(void)
{
    char source[MAX_PATH], target[MAX_PATH], sub[MAX_PATH];

    TEST("MoveFile onto an existing file: ERROR_ALREADY_EXISTS");
    path_of(source, "move-src.txt");
    path_of(target, "move-dst.txt");
    make_file(source, "source");
    make_file(target, "target");
    CHECK_FAILS(MoveFileA(source, target), ERROR_ALREADY_EXISTS);

    TEST("MoveFileEx(MOVEFILE_REPLACE_EXISTING) onto a read-only file: ERROR_ACCESS_DENIED, both kept");
    CHECK(SetFileAttributesA(target, FILE_ATTRIBUTE_READONLY));
    WINE_DEVIATION("Wine run as root replaces a read-only file (root ignores Unix permission bits)")
    {
        CHECK_FAILS(MoveFileExA(source, target, MOVEFILE_REPLACE_EXISTING), ERROR_ACCESS_DENIED);
        CHECK(GetFileAttributesA(source) != INVALID_FILE_ATTRIBUTES);
    }
    CHECK(SetFileAttributesA(target, FILE_ATTRIBUTE_NORMAL));
    CHECK(DeleteFileA(target));

    TEST("MoveFileEx(MOVEFILE_REPLACE_EXISTING) onto a directory: ERROR_ACCESS_DENIED; without it ERROR_ALREADY_EXISTS");
    path_of(sub, "move-dir");
    CHECK(CreateDirectoryA(sub, NULL));
    CHECK_FAILS(MoveFileExA(source, sub, MOVEFILE_REPLACE_EXISTING), ERROR_ACCESS_DENIED);
    CHECK_FAILS(MoveFileExA(source, sub, 0), ERROR_ALREADY_EXISTS);

    TEST("MoveFile to a name with wildcards: ERROR_INVALID_NAME, nothing made");
    path_of(target, "move-dir\\wild?.*");
    CHECK_FAILS(MoveFileA(source, target), ERROR_INVALID_NAME);
    CHECK(GetFileAttributesA(source) != INVALID_FILE_ATTRIBUTES);
    CHECK(RemoveDirectoryA(sub));

    TEST("MoveFile of a file open without FILE_SHARE_DELETE and mapped: ERROR_SHARING_VIOLATION");
    HANDLE file = open_file(source, GENERIC_READ | GENERIC_WRITE, FILE_SHARE_READ | FILE_SHARE_WRITE, OPEN_EXISTING, 0);
    CHECK(file != INVALID_HANDLE_VALUE);
    HANDLE mapping = CreateFileMappingA(file, NULL, PAGE_READONLY, 0, 0, NULL);
    CHECK(mapping != NULL);
    path_of(target, "move-dst.txt");
    CHECK_FAILS(MoveFileA(source, target), ERROR_SHARING_VIOLATION);
    CHECK_EQ(GetFileAttributesA(target), INVALID_FILE_ATTRIBUTES);
    CloseHandle(mapping);
    CloseHandle(file);
    CHECK(MoveFileA(source, target));
    CHECK(DeleteFileA(target));
}

static void test_results_that_may_look_like_errors(void)
{
    char path[MAX_PATH];
    path_of(path, "pointer.txt");
    make_file(path, "0123456789");
    HANDLE file = open_file(path, GENERIC_READ | GENERIC_WRITE, 0, OPEN_EXISTING, 0);
    CHECK(file != INVALID_HANDLE_VALUE);

    TEST("SetFilePointer: success leaves the last error as it was (not INVALID_SET_FILE_POINTER)");
    SetLastError(0xdeadbeef);
    CHECK_EQ(SetFilePointer(file, 4, NULL, FILE_BEGIN), 4);
    CHECK_ERROR(0xdeadbeef);
    LONG high = 0;
    SetLastError(0xdeadbeef);
    CHECK_EQ(SetFilePointer(file, 2, &high, FILE_CURRENT), 6);
    CHECK_EQ(high, 0);
    CHECK_ERROR(0xdeadbeef);

    TEST("SetFilePointer: a low part of 0xFFFFFFFF clears the last error");
    high = 0;
    SetLastError(0xdeadbeef);
    CHECK_EQ(SetFilePointer(file, -1, &high, FILE_BEGIN), INVALID_SET_FILE_POINTER);
    CHECK_EQ(high, 0);
    CHECK_ERROR(NO_ERROR);

    TEST("SetFilePointer: before the start is ERROR_NEGATIVE_SEEK, the pointer kept");
    CHECK_EQ(SetFilePointer(file, 3, NULL, FILE_BEGIN), 3);
    SetLastError(0xdeadbeef);
    CHECK_EQ(SetFilePointer(file, -10, NULL, FILE_CURRENT), INVALID_SET_FILE_POINTER);
    CHECK_ERROR(ERROR_NEGATIVE_SEEK);
    CHECK_EQ(SetFilePointer(file, 0, NULL, FILE_CURRENT), 3);
    LARGE_INTEGER distance, position;
    distance.QuadPart = -1;
    SetLastError(0xdeadbeef);
    CHECK(!SetFilePointerEx(file, distance, &position, FILE_BEGIN));
    CHECK_ERROR(ERROR_NEGATIVE_SEEK);
    CHECK_EQ(SetFilePointer(file, 0, NULL, FILE_CURRENT), 3);

    TEST("SetFilePointer without a high part past 4 GiB: ERROR_INVALID_PARAMETER, the pointer kept");
    high = 0;
    CHECK_EQ(SetFilePointer(file, 0xFFFFFFF0, &high, FILE_BEGIN), 0xFFFFFFF0);
    WINE_DEVIATION("Wine 8's SetFilePointer returns the low part of any position (Microsoft Learn: it fails)")
    {
        SetLastError(0xdeadbeef);
        CHECK_EQ(SetFilePointer(file, 0x20, NULL, FILE_CURRENT), INVALID_SET_FILE_POINTER);
        CHECK_ERROR(ERROR_INVALID_PARAMETER);
        CHECK_EQ(SetFilePointer(file, 0, NULL, FILE_CURRENT), 0xFFFFFFF0);
        SetLastError(0xdeadbeef);
        CHECK_EQ(SetFilePointer(file, 0x7FFFFFFF, NULL, FILE_END), 0x7FFFFFFFu + 10u);
        CHECK_ERROR(0xdeadbeef);
        CHECK_EQ(SetFilePointer(file, 0x7FFFFFFF, NULL, FILE_CURRENT), INVALID_SET_FILE_POINTER);
        CHECK_ERROR(ERROR_INVALID_PARAMETER);
        CHECK_EQ(SetFilePointer(file, 0, NULL, FILE_CURRENT), 0x7FFFFFFFu + 10u);
    }
    CHECK_EQ(SetFilePointer(file, 0, NULL, FILE_BEGIN), 0);

    TEST("GetFileSize: success leaves the last error; a NULL high part is allowed");
    SetLastError(0xdeadbeef);
    CHECK_EQ(GetFileSize(file, NULL), 10);
    CHECK_ERROR(0xdeadbeef);
    DWORD size_high = 0xdeadbeef;
    CHECK_EQ(GetFileSize(file, &size_high), 10);
    CHECK_EQ(size_high, 0);

    TEST("LockFile, UnlockFile, LockFileEx, UnlockFileEx: success leaves the last error");
    SetLastError(0xdeadbeef);
    CHECK(LockFile(file, 0, 0, 2, 0));
    CHECK_ERROR(0xdeadbeef);
    CHECK(UnlockFile(file, 0, 0, 2, 0));
    CHECK_ERROR(0xdeadbeef);
    OVERLAPPED range;
    memset(&range, 0, sizeof(range));
    range.Offset = 4;
    CHECK(LockFileEx(file, LOCKFILE_FAIL_IMMEDIATELY, 0, 2, 0, &range));
    CHECK_ERROR(0xdeadbeef);
    CHECK(UnlockFileEx(file, 0, 2, 0, &range));
    CHECK_ERROR(0xdeadbeef);

    TEST("GetFileType of the STD_*_HANDLE values: the standard handles' types");
    CHECK_EQ(GetFileType((HANDLE)(ULONG_PTR)STD_OUTPUT_HANDLE), GetFileType(GetStdHandle(STD_OUTPUT_HANDLE)));
    CHECK_EQ(GetFileType((HANDLE)(ULONG_PTR)STD_ERROR_HANDLE), GetFileType(GetStdHandle(STD_ERROR_HANDLE)));
    CHECK_EQ(GetFileType((HANDLE)(ULONG_PTR)STD_INPUT_HANDLE), GetFileType(GetStdHandle(STD_INPUT_HANDLE)));
    CHECK(GetFileType((HANDLE)(ULONG_PTR)STD_OUTPUT_HANDLE) != FILE_TYPE_UNKNOWN);
    {
        HANDLE nul = CreateFileA("nul", GENERIC_READ | GENERIC_WRITE, 0, NULL, OPEN_EXISTING, 0, NULL);
        CHECK(nul != INVALID_HANDLE_VALUE);
        CHECK_EQ(GetFileType(nul), FILE_TYPE_CHAR);
        CloseHandle(nul);
    }

    TEST("GetFileType: success leaves the last error");
    SetLastError(0xdeadbeef);
    CHECK_EQ(GetFileType(file), FILE_TYPE_DISK);
    CHECK_ERROR(0xdeadbeef);
    CloseHandle(file);
    CHECK(DeleteFileA(path));
}

/* Wine's kernel32 test_read_write. */
static void test_read_write_last_error(void)
{
    char path[MAX_PATH], buffer[32];
    DWORD bytes;
    path_of(path, "read-write.txt");
    HANDLE file = open_file(path, GENERIC_READ | GENERIC_WRITE, 0, CREATE_ALWAYS, FILE_FLAG_RANDOM_ACCESS);
    CHECK(file != INVALID_HANDLE_VALUE);

    TEST("WriteFile/ReadFile of nothing from no buffer: TRUE, 0 bytes, the last error as it was");
    SetLastError(12345678);
    bytes = 12345678;
    CHECK(WriteFile(file, NULL, 0, &bytes, NULL));
    CHECK_ERROR(12345678);
    CHECK_EQ(bytes, 0);

    TEST("WriteFile of 10 bytes from no buffer: ERROR_INVALID_USER_BUFFER, 0 bytes");
    SetLastError(12345678);
    bytes = 12345678;
    CHECK(!WriteFile(file, NULL, 10, &bytes, NULL));
    CHECK_ERROR(ERROR_INVALID_USER_BUFFER);
    CHECK_EQ(bytes, 0);

    TEST("WriteFile and ReadFile that move data leave the last error as it was");
    SetLastError(12345678);
    CHECK(WriteFile(file, "this is the test data", 21, &bytes, NULL));
    CHECK_ERROR(12345678);
    CHECK_EQ(bytes, 21);
    CHECK_EQ(SetFilePointer(file, 0, NULL, FILE_BEGIN), 0);
    SetLastError(12345678);
    bytes = 12345678;
    CHECK(ReadFile(file, NULL, 0, &bytes, NULL));
    CHECK_ERROR(12345678);
    CHECK_EQ(bytes, 0);
    SetLastError(12345678);
    CHECK(ReadFile(file, buffer, 4, &bytes, NULL));
    CHECK_ERROR(12345678);
    CHECK_EQ(bytes, 4);

    TEST("ReadFile of 10 bytes into no buffer: ERROR_NOACCESS, 0 bytes");
    SetLastError(12345678);
    bytes = 12345678;
    CHECK(!ReadFile(file, NULL, 10, &bytes, NULL));
    CHECK_ERROR(ERROR_NOACCESS);
    CHECK_EQ(bytes, 0);

    CloseHandle(file);
    CHECK(DeleteFileA(path));
}

/* Wine's kernel32 test_file_sharing: a section outlives the handle it was made from and
 * takes part in later opens' share checks: a read-write mapping wants FILE_SHARE_WRITE
 * from every later opener, a read-only one nothing. */
static void test_mapping_sharing(void)
{
    char path[MAX_PATH];
    path_of(path, "mapped.bin");
    make_file(path, "mapped data");
    static const DWORD protections[] = {PAGE_READONLY, PAGE_READWRITE};
    static const DWORD accesses[] = {0, GENERIC_READ, GENERIC_WRITE, GENERIC_READ | GENERIC_WRITE};
    static const DWORD shares[] = {0, FILE_SHARE_READ, FILE_SHARE_WRITE, FILE_SHARE_READ | FILE_SHARE_WRITE,
                                   FILE_SHARE_READ | FILE_SHARE_WRITE | FILE_SHARE_DELETE};

    TEST("a mapping without its file handle: later opens need FILE_SHARE_WRITE for a read-write one");
    for (size_t p = 0; p < sizeof(protections) / sizeof(protections[0]); p++) {
        HANDLE file = open_file(path, GENERIC_READ | GENERIC_WRITE, 0, OPEN_EXISTING, 0);
        CHECK(file != INVALID_HANDLE_VALUE);
        HANDLE mapping = CreateFileMappingA(file, NULL, protections[p], 0, 0, NULL);
        CHECK(mapping != NULL);
        CloseHandle(file);
        for (size_t a = 0; a < sizeof(accesses) / sizeof(accesses[0]); a++) {
            for (size_t s = 0; s < sizeof(shares) / sizeof(shares[0]); s++) {
                BOOL compatible = protections[p] != PAGE_READWRITE || (shares[s] & FILE_SHARE_WRITE);
                SetLastError(0xdeadbeef);
                HANDLE other = open_file(path, accesses[a], shares[s], OPEN_EXISTING, 0);
                if (compatible) {
                    CHECK(other != INVALID_HANDLE_VALUE);
                } else {
                    CHECK(other == INVALID_HANDLE_VALUE);
                    CHECK_ERROR(ERROR_SHARING_VIOLATION);
                }
                if (other != INVALID_HANDLE_VALUE) CloseHandle(other);
            }
        }
        CloseHandle(mapping);
    }
    CHECK(DeleteFileA(path));
}

static void test_temp_file_name(void)
{
    char name[MAX_PATH], expected[3 * MAX_PATH];

    TEST("GetTempFileName with a number: <dir><prefix><hex>.tmp, nothing created");
    CHECK_EQ(GetTempFileNameA(dir, "abc", 2, name), 2);
    snprintf(expected, sizeof(expected), "%sabc2.tmp", dir);
    CHECK(lstrcmpiA(name, expected) == 0);
    CHECK(GetFileAttributesA(name) == INVALID_FILE_ATTRIBUTES);
    CHECK_EQ(GetTempFileNameA(dir, "abcdef", 0x1234, name), 0x1234);
    snprintf(expected, sizeof(expected), "%sabc1234.tmp", dir);
    CHECK(lstrcmpiA(name, expected) == 0);

    TEST("GetTempFileName with 0: a new, empty file under a number not taken");
    UINT first = GetTempFileNameA(dir, "tst", 0, name);
    CHECK(first != 0);
    char second_name[MAX_PATH];
    UINT second = GetTempFileNameA(dir, "tst", 0, second_name);
    CHECK(second != 0);
    CHECK(second != first);
    CHECK(lstrcmpiA(name, second_name) != 0);
    HANDLE file = open_file(name, GENERIC_READ, FILE_SHARE_READ, OPEN_EXISTING, 0);
    CHECK(file != INVALID_HANDLE_VALUE);
    CHECK_EQ(GetFileSize(file, NULL), 0);
    CloseHandle(file);
    CHECK(DeleteFileA(name));
    CHECK(DeleteFileA(second_name));
}

static void write_text(const char *path, const char *text, LONGLONG age_seconds)
{
    HANDLE file = open_file(path, GENERIC_WRITE, 0, CREATE_ALWAYS, 0);
    CHECK(file != INVALID_HANDLE_VALUE);
    DWORD written = 0;
    CHECK(WriteFile(file, text, (DWORD)strlen(text), &written, NULL));
    FILETIME time;
    CHECK(GetFileTime(file, NULL, NULL, &time));
    ULARGE_INTEGER value;
    value.LowPart = time.dwLowDateTime;
    value.HighPart = time.dwHighDateTime;
    value.QuadPart -= (ULONGLONG)age_seconds * 10000000;
    time.dwLowDateTime = value.LowPart;
    time.dwHighDateTime = value.HighPart;
    CHECK(SetFileTime(file, NULL, NULL, &time));
    CloseHandle(file);
}

static ULONGLONG write_time_of(const char *path)
{
    WIN32_FILE_ATTRIBUTE_DATA data;
    if (!GetFileAttributesExA(path, GetFileExInfoStandard, &data)) return 0;
    return ((ULONGLONG)data.ftLastWriteTime.dwHighDateTime << 32) | data.ftLastWriteTime.dwLowDateTime;
}

static int has_text(const char *path, const char *text)
{
    char buffer[64];
    DWORD done = 0;
    HANDLE file = open_file(path, GENERIC_READ, FILE_SHARE_READ, OPEN_EXISTING, 0);
    if (file == INVALID_HANDLE_VALUE) return 0;
    BOOL ok = ReadFile(file, buffer, sizeof(buffer), &done, NULL);
    CloseHandle(file);
    return ok && done == strlen(text) && memcmp(buffer, text, done) == 0;
}

/* Wine's kernel32 test_ReplaceFileA/W: the replaced file's data and last write time go to
 * the backup, the replacement's to the replaced name, and the replacement's name is gone. */
static void test_replace_file(void)
{
    char replaced[MAX_PATH], replacement[MAX_PATH], backup[MAX_PATH];
    path_of(replaced, "replaced.txt");
    path_of(replacement, "replacement.txt");
    path_of(backup, "backup.txt");

    TEST("ReplaceFile with a backup: the old file kept as the backup, the new one under its name");
    write_text(replaced, "file-to-replace", 60);
    write_text(replacement, "new-file", 0);
    write_text(backup, "backup-file", 120);
    ULONGLONG replaced_time = write_time_of(replaced), replacement_time = write_time_of(replacement);
    SetLastError(0xdeadbeef);
    CHECK(ReplaceFileA(replaced, replacement, backup, 0, NULL, NULL));
    CHECK(has_text(backup, "file-to-replace"));
    CHECK(has_text(replaced, "new-file"));
    CHECK_EQ(GetFileAttributesA(replacement), INVALID_FILE_ATTRIBUTES);
    CHECK_EQ(write_time_of(backup), replaced_time);
    CHECK_EQ(write_time_of(replaced), replacement_time);

    TEST("ReplaceFile without a backup, and with a backup name not yet there");
    write_text(replacement, "second", 0);
    CHECK(ReplaceFileA(replaced, replacement, NULL, 0, NULL, NULL));
    CHECK(has_text(replaced, "second"));
    CHECK_EQ(GetFileAttributesA(replacement), INVALID_FILE_ATTRIBUTES);
    CHECK(DeleteFileA(backup));
    write_text(replacement, "third", 0);
    CHECK(ReplaceFileA(replaced, replacement, backup, 0, NULL, NULL));
    CHECK(has_text(replaced, "third"));
    CHECK(has_text(backup, "second"));

    TEST("ReplaceFile onto a read-only file: ERROR_ACCESS_DENIED (it is opened for writing); all kept");
    write_text(replacement, "fourth", 0);
    CHECK(SetFileAttributesA(replaced, FILE_ATTRIBUTE_READONLY));
    CHECK_FAILS(ReplaceFileA(replaced, replacement, backup, 0, NULL, NULL), ERROR_ACCESS_DENIED);
    CHECK(has_text(replaced, "third"));
    CHECK(has_text(replacement, "fourth"));
    CHECK(has_text(backup, "second"));
    SetFileAttributesA(replaced, FILE_ATTRIBUTE_NORMAL);

    TEST("ReplaceFile: a replaced or replacement file that is not there: ERROR_FILE_NOT_FOUND");
    write_text(replacement, "fifth", 0);
    CHECK(DeleteFileA(replaced));
    CHECK_FAILS(ReplaceFileA(replaced, replacement, backup, 0, NULL, NULL), ERROR_FILE_NOT_FOUND);
    CHECK(has_text(replacement, "fifth"));
    CHECK(DeleteFileA(replacement));
    write_text(replaced, "sixth", 0);
    CHECK_FAILS(ReplaceFileA(replaced, replacement, NULL, 0, NULL, NULL), ERROR_FILE_NOT_FOUND);
    CHECK(has_text(replaced, "sixth"));

    TEST("ReplaceFileW");
    WCHAR wide_replaced[MAX_PATH], wide_replacement[MAX_PATH];
    write_text(replacement, "seventh", 0);
    CHECK(MultiByteToWideChar(CP_ACP, 0, replaced, -1, wide_replaced, MAX_PATH) > 0);
    CHECK(MultiByteToWideChar(CP_ACP, 0, replacement, -1, wide_replacement, MAX_PATH) > 0);
    CHECK(ReplaceFileW(wide_replaced, wide_replacement, NULL, 0, NULL, NULL));
    CHECK(has_text(replaced, "seventh"));
    CHECK_EQ(GetFileAttributesA(replacement), INVALID_FILE_ATTRIBUTES);

    CHECK(DeleteFileA(replaced));
    DeleteFileA(replacement);
    SetFileAttributesA(backup, FILE_ATTRIBUTE_NORMAL);
    CHECK(DeleteFileA(backup));
}

/* Wine's kernel32 test_hard_link. */
static void test_hard_link(void)
{
    char file1[MAX_PATH], file2[MAX_PATH], file3[MAX_PATH], dir1[MAX_PATH], dir2[MAX_PATH], missing[MAX_PATH];
    path_of(file1, "link-file1");
    path_of(file2, "link-file2");
    path_of(file3, "link-file3");
    path_of(dir1, "link-dir1");
    path_of(dir2, "link-dir2");
    path_of(missing, "link-missing");
    write_text(file1, "one", 0);
    write_text(file2, "two", 0);
    CHECK(CreateDirectoryA(dir1, NULL));
    CHECK(CreateDirectoryA(dir2, NULL));

    TEST("CreateHardLink: a second name for the file, with its data; both names deletable");
    CHECK(CreateHardLinkA(file3, file2, NULL));
    CHECK(has_text(file3, "two"));
    HANDLE file = open_file(file3, GENERIC_READ, FILE_SHARE_READ, OPEN_EXISTING, 0);
    BY_HANDLE_FILE_INFORMATION info;
    CHECK(GetFileInformationByHandle(file, &info));
    CHECK_EQ(info.nNumberOfLinks, 2);
    CloseHandle(file);

    TEST("CreateHardLink: an existing name is ERROR_ALREADY_EXISTS (a directory's: that or ERROR_ACCESS_DENIED)");
    CHECK_FAILS(CreateHardLinkA(file1, file2, NULL), ERROR_ALREADY_EXISTS);
    CHECK(has_text(file1, "one"));
    SetLastError(0xdeadbeef);
    CHECK(!CreateHardLinkA(dir1, file2, NULL));
    CHECK(GetLastError() == ERROR_ALREADY_EXISTS || GetLastError() == ERROR_ACCESS_DENIED);
    CHECK(GetFileAttributesA(dir1) & FILE_ATTRIBUTE_DIRECTORY);

    TEST("CreateHardLink: a directory cannot be linked: ERROR_ACCESS_DENIED");
    path_of(file1, "link-dir3");
    CHECK_FAILS(CreateHardLinkA(file1, dir2, NULL), ERROR_ACCESS_DENIED);
    CHECK_EQ(GetFileAttributesA(file1), INVALID_FILE_ATTRIBUTES);
    path_of(file1, "link-file1");

    TEST("CreateHardLink: empty names ERROR_PATH_NOT_FOUND, a missing file ERROR_FILE_NOT_FOUND");
    CHECK_FAILS(CreateHardLinkA("", file3, NULL), ERROR_PATH_NOT_FOUND);
    CHECK_FAILS(CreateHardLinkA(missing, "", NULL), ERROR_PATH_NOT_FOUND);
    CHECK_FAILS(CreateHardLinkA("", "", NULL), ERROR_PATH_NOT_FOUND);
    path_of(file1, "link-nothing");
    CHECK_FAILS(CreateHardLinkA(missing, file1, NULL), ERROR_FILE_NOT_FOUND);
    path_of(file1, "link-file1");

    TEST("CreateHardLinkW");
    WCHAR wide_name[MAX_PATH], wide_existing[MAX_PATH];
    CHECK(MultiByteToWideChar(CP_ACP, 0, missing, -1, wide_name, MAX_PATH) > 0);
    CHECK(MultiByteToWideChar(CP_ACP, 0, file1, -1, wide_existing, MAX_PATH) > 0);
    CHECK(CreateHardLinkW(wide_name, wide_existing, NULL));
    CHECK(has_text(missing, "one"));

    CHECK(DeleteFileA(missing));
    CHECK(DeleteFileA(file1));
    CHECK(DeleteFileA(file2));
    CHECK(has_text(file3, "two"));
    CHECK(DeleteFileA(file3));
    CHECK(RemoveDirectoryA(dir1));
    CHECK(RemoveDirectoryA(dir2));
}

/* Wine's kernel32 path tests, test_CheckNameLegalDOS8Dot3. */
static void test_legal_8dot3(void)
{
    static const struct {
        const char *name;
        BOOL legal, spaces;
    } cases[] = {
        {"C:\\a.txt", FALSE, FALSE},     {"b\\a.txt", FALSE, FALSE},  {"alongfilename.txt", FALSE, FALSE},
        {"test.est.txt", FALSE, FALSE},  {"test.txttxt", FALSE, FALSE}, {"", TRUE, FALSE},
        {"!#$%&'().-@^", TRUE, FALSE},   {"testtest.txt", TRUE, FALSE}, {"t", TRUE, FALSE},
        {"test est.txt", TRUE, TRUE},    {".", TRUE, FALSE},            {"..", TRUE, FALSE},
        {".abc", FALSE, FALSE},          {"abc.", FALSE, FALSE},        {" abc", FALSE, FALSE},
        {"abc .txt", FALSE, FALSE},      {"a*c", FALSE, FALSE},         {"a+b", FALSE, FALSE},
        {"abcdefghi", FALSE, FALSE},     {"abcdefgh", TRUE, FALSE},
    };
    BOOL legal, spaces;

    TEST("CheckNameLegalDOS8Dot3: no name or no result: FALSE");
    CHECK(!CheckNameLegalDOS8Dot3A(NULL, NULL, 0, NULL, &legal));
    CHECK(!CheckNameLegalDOS8Dot3W(NULL, NULL, 0, NULL, &legal));
    CHECK(!CheckNameLegalDOS8Dot3A("testtest.txt", NULL, 0, NULL, NULL));

    TEST("CheckNameLegalDOS8Dot3A/W: 8.3 names, one dot, no drive or path, spaces reported");
    for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
        WCHAR wide[64];
        legal = spaces = 2;
        CHECK(CheckNameLegalDOS8Dot3A(cases[i].name, NULL, 0, &spaces, &legal));
        if (legal != cases[i].legal) printf("  A: %s\n", cases[i].name);
        CHECK_EQ(legal, cases[i].legal);
        if (legal) CHECK_EQ(spaces, cases[i].spaces);
        CHECK(MultiByteToWideChar(CP_ACP, 0, cases[i].name, -1, wide, 64) > 0);
        legal = spaces = 2;
        CHECK(CheckNameLegalDOS8Dot3W(wide, NULL, 0, &spaces, &legal));
        CHECK_EQ(legal, cases[i].legal);
        if (legal) CHECK_EQ(spaces, cases[i].spaces);
    }

    TEST("CheckNameLegalDOS8Dot3: the OEM form is the name upper-cased");
    char oem[16];
    memset(oem, 0, sizeof(oem));
    CHECK(CheckNameLegalDOS8Dot3A("abc.txt", oem, sizeof(oem), NULL, &legal));
    CHECK(legal);
    CHECK(memcmp(oem, "ABC.TXT", 7) == 0);
}

/* Wine's kernel32 test_CreateFile2. */
static void test_create_file2(void)
{
    char path[MAX_PATH];
    WCHAR wide[MAX_PATH];
    static const WCHAR empty_w[] = {0};
    static const WCHAR bogus_w[] = {'\\', '\\', '.', '\\', 'B', 'O', 'G', 'U', 'S', 0};
    CREATEFILE2_EXTENDED_PARAMETERS params;
    memset(&params, 0, sizeof(params));
    params.dwSize = sizeof(params);
    params.dwFileAttributes = FILE_ATTRIBUTE_NORMAL;
    path_of(path, "create2.txt");
    CHECK(MultiByteToWideChar(CP_ACP, 0, path, -1, wide, MAX_PATH) > 0);

    TEST("CreateFile2: the dispositions' last errors, as CreateFile");
    SetLastError(0xdeadbeef);
    HANDLE file = CreateFile2(wide, GENERIC_READ, FILE_SHARE_READ, OPEN_ALWAYS, &params);
    CHECK(file != INVALID_HANDLE_VALUE);
    CHECK_ERROR(0);
    CloseHandle(file);
    SetLastError(0xdeadbeef);
    CHECK(CreateFile2(wide, GENERIC_READ, 0, CREATE_NEW, &params) == INVALID_HANDLE_VALUE);
    CHECK_ERROR(ERROR_FILE_EXISTS);
    SetLastError(0xdeadbeef);
    file = CreateFile2(wide, GENERIC_READ, FILE_SHARE_READ, CREATE_ALWAYS, &params);
    CHECK(file != INVALID_HANDLE_VALUE);
    CHECK_ERROR(ERROR_ALREADY_EXISTS);
    CloseHandle(file);
    SetLastError(0xdeadbeef);
    file = CreateFile2(wide, GENERIC_READ, FILE_SHARE_READ, OPEN_ALWAYS, &params);
    CHECK(file != INVALID_HANDLE_VALUE);
    CHECK_ERROR(ERROR_ALREADY_EXISTS);
    CloseHandle(file);
    file = CreateFile2(wide, GENERIC_READ, FILE_SHARE_READ, OPEN_EXISTING, NULL);  /* no parameters */
    CHECK(file != INVALID_HANDLE_VALUE);
    CloseHandle(file);
    CHECK(DeleteFileA(path));

    TEST("CreateFile2: an empty name ERROR_PATH_NOT_FOUND, an unknown device ERROR_FILE_NOT_FOUND");
    SetLastError(0xdeadbeef);
    CHECK(CreateFile2(empty_w, GENERIC_READ, 0, CREATE_NEW, &params) == INVALID_HANDLE_VALUE);
    CHECK_ERROR(ERROR_PATH_NOT_FOUND);
    SetLastError(0xdeadbeef);
    CHECK(CreateFile2(bogus_w, 0, FILE_SHARE_READ | FILE_SHARE_WRITE, OPEN_EXISTING, &params) ==
          INVALID_HANDLE_VALUE);
    CHECK_ERROR(ERROR_FILE_NOT_FOUND);

    TEST("CreateFile2: FILE_FLAG_BACKUP_SEMANTICS opens a directory from dwFileFlags, not from the attributes");
    CHECK(CreateDirectoryW(wide, NULL));
    params.dwFileAttributes = FILE_ATTRIBUTE_NORMAL | FILE_FLAG_BACKUP_SEMANTICS;
    file = CreateFile2(wide, GENERIC_READ | GENERIC_WRITE, 0, OPEN_ALWAYS, &params);
    CHECK(file == INVALID_HANDLE_VALUE);
    if (file != INVALID_HANDLE_VALUE) CloseHandle(file);
    params.dwFileAttributes = FILE_ATTRIBUTE_NORMAL;
    params.dwFileFlags = FILE_FLAG_BACKUP_SEMANTICS;
    file = CreateFile2(wide, GENERIC_READ, FILE_SHARE_READ | FILE_SHARE_WRITE, OPEN_EXISTING, &params);
    CHECK(file != INVALID_HANDLE_VALUE);
    if (file != INVALID_HANDLE_VALUE) CloseHandle(file);
    CHECK(RemoveDirectoryW(wide));
}

int main(void)
{
    char temp[MAX_PATH];
    CHECK(GetTempPathA(sizeof(temp), temp) > 0);
    snprintf(dir, sizeof(dir), "%sovl-file-errors-%lu\\", temp, (unsigned long)GetCurrentProcessId());
    CHECK(CreateDirectoryA(dir, NULL));

    test_create_file_names();
    test_dispositions_on_directory();
    test_information_buffers();
    test_delete_file();
    test_move_file();
    test_results_that_may_look_like_errors();
    test_read_write_last_error();
    test_mapping_sharing();
    test_temp_file_name();
    test_replace_file();
    test_hard_link();
    test_legal_8dot3();
    test_create_file2();

    CHECK(RemoveDirectoryA(dir));
    return tl_finish();
}
