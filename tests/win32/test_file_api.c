/* test_file_api.c: CreateFile's dispositions, access and share modes, flags; synchronous
 * ReadFile/WriteFile and the file pointer; sizes, types, information, attributes; files
 * and directories created and deleted, with the last errors Windows gives. */
#include "testlib.h"

static char dir[2 * MAX_PATH];

static void path_of(char *out, const char *name)
{
    if ((size_t)snprintf(out, MAX_PATH, "%s%s", dir, name) >= MAX_PATH) out[0] = 0;
}

/* The UTF-16 form of an ASCII path (WCHAR is 16-bit everywhere; wchar_t is not). */
static void wide(WCHAR *out, const char *in)
{
    while ((*out++ = (WCHAR)(unsigned char)*in++) != 0) {
    }
}

static HANDLE open_file(const char *path, DWORD access, DWORD share, DWORD disposition, DWORD flags)
{
    return CreateFileA(path, access, share, NULL, disposition, flags, NULL);
}

static LONGLONG size_of(HANDLE file)
{
    LARGE_INTEGER size;
    size.QuadPart = -1;
    if (!GetFileSizeEx(file, &size)) return -1;
    return size.QuadPart;
}

static void test_dispositions(void)
{
    TEST("dispositions");
    char path[MAX_PATH];
    path_of(path, "disp.dat");
    DeleteFileA(path);

    SetLastError(0xdead);
    HANDLE file = open_file(path, GENERIC_READ, 0, OPEN_EXISTING, 0);
    CHECK(file == INVALID_HANDLE_VALUE);
    CHECK_ERROR(ERROR_FILE_NOT_FOUND);
    file = open_file(path, GENERIC_WRITE, 0, TRUNCATE_EXISTING, 0);
    CHECK(file == INVALID_HANDLE_VALUE);
    CHECK_ERROR(ERROR_FILE_NOT_FOUND);

    SetLastError(0xdead);
    file = open_file(path, GENERIC_WRITE, 0, CREATE_NEW, 0);
    CHECK(file != INVALID_HANDLE_VALUE);
    DWORD written = 0;
    CHECK(WriteFile(file, "0123456789", 10, &written, NULL));
    CHECK_EQ(written, 10);
    CloseHandle(file);

    file = open_file(path, GENERIC_WRITE, 0, CREATE_NEW, 0);
    CHECK(file == INVALID_HANDLE_VALUE);
    CHECK_ERROR(ERROR_FILE_EXISTS);

    /* OPEN_ALWAYS and CREATE_ALWAYS succeed and say whether the file was there. */
    SetLastError(0xdead);
    file = open_file(path, GENERIC_READ, 0, OPEN_ALWAYS, 0);
    CHECK(file != INVALID_HANDLE_VALUE);
    CHECK_ERROR(ERROR_ALREADY_EXISTS);
    CHECK_EQ(size_of(file), 10);
    CloseHandle(file);

    SetLastError(0xdead);
    file = open_file(path, GENERIC_WRITE, 0, CREATE_ALWAYS, 0);
    CHECK(file != INVALID_HANDLE_VALUE);
    CHECK_ERROR(ERROR_ALREADY_EXISTS);
    CHECK_EQ(size_of(file), 0); /* truncated */
    CHECK(WriteFile(file, "abc", 3, &written, NULL));
    CloseHandle(file);

    file = open_file(path, GENERIC_WRITE, 0, TRUNCATE_EXISTING, 0);
    CHECK(file != INVALID_HANDLE_VALUE);
    CHECK_EQ(size_of(file), 0);
    CloseHandle(file);
    CHECK(DeleteFileA(path));

    SetLastError(0xdead);
    file = open_file(path, GENERIC_WRITE, 0, OPEN_ALWAYS, 0);
    CHECK(file != INVALID_HANDLE_VALUE);
    CHECK_ERROR(ERROR_SUCCESS);
    CloseHandle(file);
    CHECK(DeleteFileA(path));

    SetLastError(0xdead);
    file = open_file(path, GENERIC_WRITE, 0, CREATE_ALWAYS, 0);
    CHECK(file != INVALID_HANDLE_VALUE);
    CHECK_ERROR(ERROR_SUCCESS);
    CloseHandle(file);
    CHECK(DeleteFileA(path));

    /* A directory that does not exist on the way. */
    char missing[MAX_PATH];
    path_of(missing, "no-such-dir\\f.dat");
    file = open_file(missing, GENERIC_WRITE, 0, CREATE_ALWAYS, 0);
    CHECK(file == INVALID_HANDLE_VALUE);
    CHECK_ERROR(ERROR_PATH_NOT_FOUND);
}

static void test_access(void)
{
    TEST("access rights");
    char path[MAX_PATH];
    path_of(path, "access.dat");
    HANDLE file = open_file(path, GENERIC_WRITE, 0, CREATE_ALWAYS, 0);
    DWORD done = 0;
    char buffer[16];
    SetLastError(0xdead);
    CHECK(!ReadFile(file, buffer, sizeof(buffer), &done, NULL));
    CHECK_ERROR(ERROR_ACCESS_DENIED);
    CHECK(WriteFile(file, "data", 4, &done, NULL));
    CloseHandle(file);

    /* FILE_APPEND_DATA without FILE_WRITE_DATA: every write lands at the end. */
    file = open_file(path, FILE_APPEND_DATA, 0, OPEN_EXISTING, 0);
    CHECK(file != INVALID_HANDLE_VALUE);
    CHECK_EQ(SetFilePointer(file, 0, NULL, FILE_BEGIN), 0);
    CHECK(WriteFile(file, "++", 2, &done, NULL));
    CHECK_EQ(done, 2);
    CloseHandle(file);

    file = open_file(path, GENERIC_READ, 0, OPEN_EXISTING, 0);
    CHECK(ReadFile(file, buffer, sizeof(buffer), &done, NULL));
    CHECK_EQ(done, 6);
    CHECK(memcmp(buffer, "data++", 6) == 0);
    CHECK_EQ(SetFilePointer(file, 0, NULL, FILE_BEGIN), 0);
    SetLastError(0xdead);
    CHECK(!WriteFile(file, "x", 1, &done, NULL));
    CHECK_ERROR(ERROR_ACCESS_DENIED);
    CHECK(ReadFile(file, buffer, sizeof(buffer), &done, NULL));
    CHECK_EQ(done, 6);
    CloseHandle(file);
    CHECK(DeleteFileA(path));
}

static void test_share_modes(void)
{
    TEST("share modes");
    char path[MAX_PATH];
    path_of(path, "share.dat");
    HANDLE first = open_file(path, GENERIC_READ, FILE_SHARE_READ, CREATE_ALWAYS, 0);
    CHECK(first != INVALID_HANDLE_VALUE);

    /* The first handle does not share writing: a writer is refused, a reader is not. */
    HANDLE second = open_file(path, GENERIC_WRITE, FILE_SHARE_READ | FILE_SHARE_WRITE, OPEN_EXISTING, 0);
    CHECK(second == INVALID_HANDLE_VALUE);
    CHECK_ERROR(ERROR_SHARING_VIOLATION);
    second = open_file(path, GENERIC_READ, FILE_SHARE_READ, OPEN_EXISTING, 0);
    CHECK(second != INVALID_HANDLE_VALUE);
    CloseHandle(second);

    /* A new handle that does not share reading is refused while a reader is open. */
    second = open_file(path, GENERIC_READ, 0, OPEN_EXISTING, 0);
    CHECK(second == INVALID_HANDLE_VALUE);
    CHECK_ERROR(ERROR_SHARING_VIOLATION);

    /* Deleting needs FILE_SHARE_DELETE from every open handle; so does renaming. */
    CHECK(!DeleteFileA(path));
    CHECK_ERROR(ERROR_SHARING_VIOLATION);
    char moved[MAX_PATH];
    path_of(moved, "share-moved.dat");
    SetLastError(0xdeadbeef);
    CHECK(!MoveFileA(path, moved));
    CHECK_ERROR(ERROR_SHARING_VIOLATION);
    SetLastError(0xdeadbeef);
    CHECK(!MoveFileExA(path, moved, MOVEFILE_REPLACE_EXISTING));
    CHECK_ERROR(ERROR_SHARING_VIOLATION);
    CHECK_EQ(GetFileAttributesA(moved), INVALID_FILE_ATTRIBUTES);
    CHECK(GetFileAttributesA(path) != INVALID_FILE_ATTRIBUTES);
    CloseHandle(first);

    /* A handle that shares deleting lets the file be renamed under it. */
    first = open_file(path, GENERIC_READ, FILE_SHARE_READ | FILE_SHARE_DELETE, OPEN_EXISTING, 0);
    CHECK(first != INVALID_HANDLE_VALUE);
    CHECK(MoveFileA(path, moved));
    CHECK(MoveFileA(moved, path));
    CloseHandle(first);

    /* An open file is not replaced by a rename, whatever it shares (Wine's ntdll
     * test_file_rename_information, "Replace = TRUE, target file opened"). */
    HANDLE target = open_file(moved, GENERIC_READ, FILE_SHARE_READ | FILE_SHARE_WRITE | FILE_SHARE_DELETE,
                              CREATE_ALWAYS, 0);
    CHECK(target != INVALID_HANDLE_VALUE);
    SetLastError(0xdeadbeef);
    CHECK(!MoveFileExA(path, moved, MOVEFILE_REPLACE_EXISTING));
    CHECK_ERROR(ERROR_ACCESS_DENIED);
    CHECK(GetFileAttributesA(path) != INVALID_FILE_ATTRIBUTES);
    CloseHandle(target);
    CHECK(MoveFileExA(path, moved, MOVEFILE_REPLACE_EXISTING));
    CHECK(MoveFileA(moved, path));
    /* A file on the way to the target: ERROR_PATH_NOT_FOUND, as for CreateFile. */
    {
        char through[MAX_PATH];
        path_of(through, "share-moved.dat\\x");
        CloseHandle(open_file(moved, GENERIC_WRITE, 0, CREATE_ALWAYS, 0));
        SetLastError(0xdeadbeef);
        CHECK(!MoveFileExA(path, through, 0));
        CHECK_ERROR(ERROR_PATH_NOT_FOUND);
        SetLastError(0xdeadbeef);
        CHECK(!MoveFileExA(path, through, MOVEFILE_REPLACE_EXISTING));
        CHECK_ERROR(ERROR_PATH_NOT_FOUND);
        CHECK(GetFileAttributesA(path) != INVALID_FILE_ATTRIBUTES);
        CHECK(DeleteFileA(moved));
    }

    HANDLE writer = open_file(path, GENERIC_WRITE, FILE_SHARE_READ | FILE_SHARE_WRITE, OPEN_EXISTING, 0);
    CHECK(writer != INVALID_HANDLE_VALUE);
    /* The writer is open: a reader that does not share writing is refused. */
    second = open_file(path, GENERIC_READ, FILE_SHARE_READ, OPEN_EXISTING, 0);
    CHECK(second == INVALID_HANDLE_VALUE);
    CHECK_ERROR(ERROR_SHARING_VIOLATION);
    second = open_file(path, GENERIC_READ, FILE_SHARE_READ | FILE_SHARE_WRITE, OPEN_EXISTING, 0);
    CHECK(second != INVALID_HANDLE_VALUE);
    CloseHandle(second);
    CloseHandle(writer);

    HANDLE sharing = open_file(path, GENERIC_READ, FILE_SHARE_READ | FILE_SHARE_DELETE, OPEN_EXISTING, 0);
    CHECK(sharing != INVALID_HANDLE_VALUE);
    CHECK(DeleteFileA(path));
    CloseHandle(sharing);
    CHECK_EQ(GetFileAttributesA(path), INVALID_FILE_ATTRIBUTES);
    CHECK_ERROR(ERROR_FILE_NOT_FOUND);
}

static void test_delete_on_close(void)
{
    TEST("FILE_FLAG_DELETE_ON_CLOSE");
    char path[MAX_PATH];
    path_of(path, "doc.dat");
    HANDLE file = open_file(path, GENERIC_READ | GENERIC_WRITE, FILE_SHARE_DELETE, CREATE_ALWAYS,
                            FILE_FLAG_DELETE_ON_CLOSE);
    CHECK(file != INVALID_HANDLE_VALUE);
    CHECK(GetFileAttributesA(path) != INVALID_FILE_ATTRIBUTES);
    CloseHandle(file);
    CHECK_EQ(GetFileAttributesA(path), INVALID_FILE_ATTRIBUTES);
    CHECK_ERROR(ERROR_FILE_NOT_FOUND);
}

static void test_pointer(void)
{
    TEST("synchronous transfers and the file pointer");
    char path[MAX_PATH];
    path_of(path, "pointer.dat");
    HANDLE file = open_file(path, GENERIC_READ | GENERIC_WRITE, 0, CREATE_ALWAYS, 0);
    DWORD done = 0;
    CHECK(WriteFile(file, "0123456789", 10, &done, NULL));
    CHECK_EQ(SetFilePointer(file, 0, NULL, FILE_CURRENT), 10);
    CHECK_EQ(SetFilePointer(file, 2, NULL, FILE_BEGIN), 2);
    char buffer[32];
    memset(buffer, 0, sizeof(buffer));
    CHECK(ReadFile(file, buffer, sizeof(buffer), &done, NULL));
    CHECK_EQ(done, 8);
    CHECK(memcmp(buffer, "23456789", 8) == 0);
    /* At the end of the file a synchronous read succeeds with nothing. */
    done = 99;
    CHECK(ReadFile(file, buffer, sizeof(buffer), &done, NULL));
    CHECK_EQ(done, 0);

    LARGE_INTEGER move, position;
    move.QuadPart = -3;
    CHECK(SetFilePointerEx(file, move, &position, FILE_END));
    CHECK_EQ(position.QuadPart, 7);
    move.QuadPart = -100;
    CHECK(!SetFilePointerEx(file, move, &position, FILE_CURRENT));
    CHECK_ERROR(ERROR_NEGATIVE_SEEK);

    /* Past 4 GiB: the high half, a sparse extension, and the size in two halves. */
    LONG high = 1;
    CHECK_EQ(SetFilePointer(file, 0x1000, &high, FILE_BEGIN), 0x1000);
    CHECK_EQ(high, 1);
    CHECK(SetEndOfFile(file));
    CHECK_EQ(size_of(file), 0x100001000LL);
    DWORD size_high = 0;
    CHECK_EQ(GetFileSize(file, &size_high), 0x1000);
    CHECK_EQ(size_high, 1);
    CHECK(WriteFile(file, "tail", 4, &done, NULL));
    CHECK_EQ(size_of(file), 0x100001004LL);

    /* A buffer whose second page cannot be touched: the read is refused whole
     * (ERROR_NOACCESS), the write too (ERROR_INVALID_USER_BUFFER); nothing counts as
     * transferred and the file pointer stays (Wine's kernel32 test_read_write). */
    char *pages = VirtualAlloc(NULL, 2 * 4096, MEM_COMMIT | MEM_RESERVE, PAGE_READWRITE);
    DWORD old_protection;
    CHECK(VirtualProtect(pages + 4096, 4096, PAGE_NOACCESS, &old_protection));
    CHECK_EQ(SetFilePointer(file, 0, NULL, FILE_BEGIN), 0);
    for (int write = 0; write < 2; ++write) {
        done = 99;
        SetLastError(0xdead);
        BOOL ok = write ? WriteFile(file, pages + 4000, 200, &done, NULL)
                        : ReadFile(file, pages + 4000, 200, &done, NULL);
        CHECK(!ok);
        CHECK_ERROR(write ? ERROR_INVALID_USER_BUFFER : ERROR_NOACCESS);
        CHECK_EQ(done, 0);
        CHECK_EQ(SetFilePointer(file, 0, NULL, FILE_CURRENT), 0);
    }
    VirtualFree(pages, 0, MEM_RELEASE);

    /* Shrinking. */
    move.QuadPart = 5;
    CHECK(SetFilePointerEx(file, move, NULL, FILE_BEGIN));
    CHECK(SetEndOfFile(file));
    CHECK_EQ(size_of(file), 5);
    CHECK(FlushFileBuffers(file));
    CloseHandle(file);
    CHECK(DeleteFileA(path));
}

static void test_information(void)
{
    TEST("type, information, sizes, attributes");
    char path[MAX_PATH];
    path_of(path, "info.dat");
    HANDLE file = open_file(path, GENERIC_READ | GENERIC_WRITE, 0, CREATE_ALWAYS, 0);
    static char block[8192];
    memset(block, 'i', sizeof(block));
    DWORD done = 0;
    CHECK(WriteFile(file, block, sizeof(block), &done, NULL));
    CHECK(FlushFileBuffers(file));
    CHECK_EQ(GetFileType(file), FILE_TYPE_DISK);

    BY_HANDLE_FILE_INFORMATION info;
    memset(&info, 0, sizeof(info));
    CHECK(GetFileInformationByHandle(file, &info));
    CHECK_EQ(info.nFileSizeLow, sizeof(block));
    CHECK_EQ(info.nFileSizeHigh, 0);
    CHECK_EQ(info.nNumberOfLinks, 1);
    CHECK((info.dwFileAttributes & FILE_ATTRIBUTE_DIRECTORY) == 0);
    CHECK(info.ftLastWriteTime.dwLowDateTime != 0 || info.ftLastWriteTime.dwHighDateTime != 0);

    DWORD high = 0xdead;
    DWORD compressed = GetCompressedFileSizeA(path, &high);
    CHECK(compressed != INVALID_FILE_SIZE);
    CHECK_EQ(high, 0);
    CHECK(compressed >= sizeof(block) && compressed <= 1024 * 1024);
    CloseHandle(file);

    DWORD attributes = GetFileAttributesA(path);
    CHECK(attributes != INVALID_FILE_ATTRIBUTES && !(attributes & FILE_ATTRIBUTE_DIRECTORY));
    WCHAR wpath[MAX_PATH];
    wide(wpath, path);
    CHECK_EQ(GetFileAttributesW(wpath), attributes);
    high = 0xdead;
    CHECK_EQ(GetCompressedFileSizeW(wpath, &high), compressed);

    char missing[MAX_PATH];
    path_of(missing, "missing.dat");
    CHECK_EQ(GetFileAttributesA(missing), INVALID_FILE_ATTRIBUTES);
    CHECK_ERROR(ERROR_FILE_NOT_FOUND);
    CHECK(!DeleteFileA(missing));
    CHECK_ERROR(ERROR_FILE_NOT_FOUND);
    CHECK(DeleteFileA(path));
}

static void test_wide_and_separators(void)
{
    TEST("CreateFileW, DeleteFileW, forward slashes");
    char path[MAX_PATH];
    path_of(path, "wide.dat");
    WCHAR wpath[MAX_PATH];
    wide(wpath, path);
    HANDLE file = CreateFileW(wpath, GENERIC_WRITE, 0, NULL, CREATE_NEW, 0, NULL);
    CHECK(file != INVALID_HANDLE_VALUE);
    CloseHandle(file);

    /* The same file named with '/' separators. */
    char slashed[MAX_PATH];
    strcpy(slashed, path);
    for (char *c = slashed; *c; ++c)
        if (*c == '\\') *c = '/';
    file = open_file(slashed, GENERIC_READ, 0, OPEN_EXISTING, 0);
    CHECK(file != INVALID_HANDLE_VALUE);
    CloseHandle(file);
    CHECK(DeleteFileW(wpath));
    CHECK(!DeleteFileW(wpath));
    CHECK_ERROR(ERROR_FILE_NOT_FOUND);
}

/* Windows' path normalization drops the trailing dots and spaces of a name's last
 * component (Microsoft Learn, "File path formats on Windows systems", Trimming characters;
 * GetFullPathName does the same): "name." and "name " are "name". */
static void test_trailing_dots_and_spaces(void)
{
    TEST("trailing dots and spaces of the last component are dropped");
    char path[MAX_PATH], dotted[MAX_PATH], spaced[MAX_PATH], both[MAX_PATH];
    path_of(path, "trim.dat");
    path_of(dotted, "trim.dat.");
    path_of(spaced, "trim.dat  ");
    path_of(both, "trim.dat. .");
    HANDLE file = open_file(dotted, GENERIC_WRITE, 0, CREATE_NEW, 0);
    CHECK(file != INVALID_HANDLE_VALUE);
    DWORD written = 0;
    CHECK(WriteFile(file, "abc", 3, &written, NULL));
    CloseHandle(file);
    /* The file was made without the dot. */
    file = open_file(path, GENERIC_READ, FILE_SHARE_READ, OPEN_EXISTING, 0);
    CHECK(file != INVALID_HANDLE_VALUE);
    CHECK_EQ(size_of(file), 3);
    CloseHandle(file);
    file = open_file(spaced, GENERIC_READ, FILE_SHARE_READ, OPEN_EXISTING, 0);
    CHECK(file != INVALID_HANDLE_VALUE);
    CHECK_EQ(size_of(file), 3);
    CloseHandle(file);
    CHECK_EQ(GetFileAttributesA(both), FILE_ATTRIBUTE_ARCHIVE);
    SetLastError(0xdeadbeef);
    file = open_file(dotted, GENERIC_WRITE, 0, CREATE_NEW, 0);
    CHECK(file == INVALID_HANDLE_VALUE);
    CHECK_ERROR(ERROR_FILE_EXISTS);
    CHECK(DeleteFileA(spaced));
    CHECK_EQ(GetFileAttributesA(path), INVALID_FILE_ATTRIBUTES);
    CHECK_ERROR(ERROR_FILE_NOT_FOUND);

    /* Directories too; a last component "." or ".." keeps its meaning. */
    char sub[MAX_PATH], sub_dotted[MAX_PATH], sub_dot[MAX_PATH];
    path_of(sub, "trimdir");
    path_of(sub_dotted, "trimdir. ");
    path_of(sub_dot, "trimdir\\.");
    CHECK(CreateDirectoryA(sub_dotted, NULL));
    CHECK_EQ(GetFileAttributesA(sub), FILE_ATTRIBUTE_DIRECTORY);
    CHECK_EQ(GetFileAttributesA(sub_dot), FILE_ATTRIBUTE_DIRECTORY);
    CHECK(RemoveDirectoryA(sub_dotted));
    CHECK_EQ(GetFileAttributesA(sub), INVALID_FILE_ATTRIBUTES);

    /* A component before a separator loses the one period it ends in, not two, nor its
     * spaces ("File path formats on Windows systems": "If a segment ends in a single
     * period, that period is removed"; Wine's kernel32 directory.c test_CreateDirectoryA,
     * on Windows: "Me.\Me" is made inside "Me", "Me..\Me" and "Me \Me" are
     * ERROR_PATH_NOT_FOUND). */
    TEST("a component before a separator loses one trailing period, no more");
    char inner[MAX_PATH], through_dot[MAX_PATH], through_dots[MAX_PATH], through_space[MAX_PATH];
    char full[MAX_PATH], full_inner[MAX_PATH];
    path_of(inner, "trimdir\\inner");
    path_of(through_dot, "trimdir.\\inner");
    path_of(through_dots, "trimdir..\\inner");
    path_of(through_space, "trimdir \\inner");
    CHECK(CreateDirectoryA(sub, NULL));
    CHECK(CreateDirectoryA(through_dot, NULL));
    CHECK_EQ(GetFileAttributesA(inner), FILE_ATTRIBUTE_DIRECTORY);
    CHECK_FAILS(CreateDirectoryA(through_dots, NULL), ERROR_PATH_NOT_FOUND);
    CHECK_FAILS(CreateDirectoryA(through_space, NULL), ERROR_PATH_NOT_FOUND);
    CHECK(GetFullPathNameA(through_dot, MAX_PATH, full, NULL) > 0);
    CHECK(GetFullPathNameA(inner, MAX_PATH, full_inner, NULL) > 0);
    CHECK(strcmp(full, full_inner) == 0);
    CHECK(RemoveDirectoryA(through_dot));
    CHECK_EQ(GetFileAttributesA(inner), INVALID_FILE_ATTRIBUTES);
    CHECK(RemoveDirectoryA(sub));
}

/* "." and ".." are taken by the text before the name reaches the file system
 * (Microsoft Learn, "File path formats on Windows systems", Normalize separators and
 * Evaluate relative components; GetFullPathName does the same): a directory before ".."
 * need not exist, and a file before "." or ".." is not asked to be a directory. */
static void test_dot_components(void)
{
    TEST("\".\" and \"..\" inside a name are taken by the text, not the disk");
    char path[MAX_PATH], through_missing[MAX_PATH], through_file[MAX_PATH], file_dot[MAX_PATH], doubled[MAX_PATH];
    path_of(path, "dots.dat");
    path_of(through_missing, "no-such-dir\\..\\dots.dat");
    path_of(through_file, "dots.dat\\..\\dots.dat");
    path_of(file_dot, "dots.dat\\.");
    path_of(doubled, ".\\no-such-dir\\deeper\\..\\..\\.\\dots.dat");
    HANDLE file = open_file(through_missing, GENERIC_WRITE, 0, CREATE_NEW, 0);
    CHECK(file != INVALID_HANDLE_VALUE);
    DWORD written = 0;
    CHECK(WriteFile(file, "abcd", 4, &written, NULL));
    CloseHandle(file);
    /* Made as dots.dat, in the directory itself. */
    file = open_file(path, GENERIC_READ, FILE_SHARE_READ, OPEN_EXISTING, 0);
    CHECK(file != INVALID_HANDLE_VALUE);
    CHECK_EQ(size_of(file), 4);
    CloseHandle(file);
    file = open_file(through_file, GENERIC_READ, FILE_SHARE_READ, OPEN_EXISTING, 0);
    CHECK(file != INVALID_HANDLE_VALUE);
    CHECK_EQ(size_of(file), 4);
    CloseHandle(file);
    CHECK_EQ(GetFileAttributesA(file_dot), FILE_ATTRIBUTE_ARCHIVE);
    CHECK_EQ(GetFileAttributesA(doubled), FILE_ATTRIBUTE_ARCHIVE);
    CHECK(DeleteFileA(through_file));
    CHECK_EQ(GetFileAttributesA(path), INVALID_FILE_ATTRIBUTES);
    CHECK_ERROR(ERROR_FILE_NOT_FOUND);
}

static void test_temp_file_names(void)
{
    TEST("GetTempFileNameW and GetTempFileNameA with names beyond ASCII");
    char sub_a[MAX_PATH];
    path_of(sub_a, "tmp");
    WCHAR sub[MAX_PATH];
    wide(sub, sub_a);
    size_t length = 0;
    while (sub[length] != 0) ++length;
    /* "tmp-\u00e9\u4e2d" */
    sub[length++] = '-';
    sub[length++] = 0x00e9;
    sub[length++] = 0x4e2d;
    sub[length] = 0;
    CHECK(CreateDirectoryW(sub, NULL));
    static const WCHAR prefix[] = {0x00e9, 'a', 0x4e2d, 'z', 'z', 0};
    WCHAR name[MAX_PATH];
    UINT number = GetTempFileNameW(sub, prefix, 0, name);
    CHECK(number != 0);
    /* The directory, a separator, the prefix's first three characters, hex, ".TMP". */
    CHECK(memcmp(name, sub, length * sizeof(WCHAR)) == 0);
    CHECK(name[length] == '\\');
    CHECK(name[length + 1] == 0x00e9 && name[length + 2] == 'a' && name[length + 3] == 0x4e2d);
    CHECK(name[length + 4] != 'z');
    CHECK(GetFileAttributesW(name) != INVALID_FILE_ATTRIBUTES);  /* made, empty */
    CHECK(DeleteFileW(name));
    /* With a number given, only the name is made. */
    CHECK_EQ(GetTempFileNameW(sub, prefix, 0x1a2b, name), 0x1a2b);
    CHECK(GetFileAttributesW(name) == INVALID_FILE_ATTRIBUTES);
    size_t end = 0;
    while (name[end] != 0) ++end;
    /* The number in hexadecimal, then the extension; compared without case (NTFS's way). */
    static const char tail[] = "1A2B.TMP";
    int same = end >= 8;
    for (size_t i = 0; same && i < 8; ++i) {
        WCHAR c = name[end - 8 + i];
        if (c >= 'a' && c <= 'z') c = (WCHAR)(c - 'a' + 'A');
        same = c == (WCHAR)tail[i];
    }
    CHECK(same);
    CHECK(RemoveDirectoryW(sub));

    TEST("GetTempFileName: a directory that is not there is ERROR_DIRECTORY, whatever the number");
    char missing[MAX_PATH], made[MAX_PATH];
    path_of(missing, "no_such_directory");
    for (UINT unique = 0; unique < 3; ++unique) {
        SetLastError(0);
        CHECK_EQ(GetTempFileNameA(missing, "tfn", unique, made), 0);
        CHECK_ERROR(ERROR_DIRECTORY);
    }
    char file_name[MAX_PATH];
    path_of(file_name, "not_a_directory");
    HANDLE plain = CreateFileA(file_name, GENERIC_WRITE, 0, NULL, CREATE_ALWAYS, 0, NULL);
    CHECK(plain != INVALID_HANDLE_VALUE);
    CloseHandle(plain);
    SetLastError(0);
    CHECK_EQ(GetTempFileNameA(file_name, "tfn", 7, made), 0);
    CHECK_ERROR(ERROR_DIRECTORY);
    CHECK(DeleteFileA(file_name));
}

/* GetTempPath reads TMP (then TEMP) as Windows does, made a full name with a separator
 * after it; the wide form clears what it does not fill (Wine's kernel32 path tests,
 * test_GetTempPath, test_GetTempPathW). */
static void test_temp_path(void)
{
    TEST("GetTempPathA: the TMP variable, with a separator after it");
    char saved[MAX_PATH * 2];
    DWORD saved_length = GetEnvironmentVariableA("TMP", saved, sizeof(saved));
    CHECK(SetEnvironmentVariableA("TMP", "C:\\ovl_temp_probe"));
    char path[MAX_PATH];
    memset(path, 'a', sizeof(path));
    DWORD length = GetTempPathA(sizeof(path), path);
    CHECK_EQ(length, 18);
    CHECK(strcmp(path, "C:\\ovl_temp_probe\\") == 0);
    CHECK_EQ(path[19], 'a');  /* the rest of an A buffer is left alone */
    TEST("GetTempPathA: a buffer too small is left alone; the size needed with the terminator");
    memset(path, 'a', sizeof(path));
    CHECK_EQ(GetTempPathA(10, path), 19);
    CHECK_EQ(path[0], 'a');
    CHECK_EQ(GetTempPathA(0, NULL), 19);

    TEST("GetTempPathW: the rest of the buffer cleared; a buffer too small cleared whole");
    WCHAR wpath[MAX_PATH];
    for (int i = 0; i < MAX_PATH; ++i) wpath[i] = 'a';
    CHECK_EQ(GetTempPathW(MAX_PATH, wpath), 18);
    WCHAR wexpected[32];
    wide(wexpected, "C:\\ovl_temp_probe\\");
    CHECK(lstrcmpW(wpath, wexpected) == 0);
    int cleared = 1;
    for (int i = 19; i < MAX_PATH; ++i) cleared &= wpath[i] == 0;
    CHECK(cleared);
    for (int i = 0; i < MAX_PATH; ++i) wpath[i] = 'a';
    CHECK_EQ(GetTempPathW(10, wpath), 19);
    cleared = 1;
    for (int i = 0; i < 10; ++i) cleared &= wpath[i] == 0;
    CHECK(cleared);
    CHECK_EQ(wpath[10], 'a');

    /* GetTempPath2 (Microsoft's "Creating and Using a Temporary File" calls it through the
     * generic name): for a process that is not SYSTEM, GetTempPath's answer and rules. */
    TEST("GetTempPath2A/W: the same answer as GetTempPath");
    WINE_DEVIATION("Wine 8.0 has no GetTempPath2A/W")
    {
#ifdef __MINGW32__
        typedef DWORD(WINAPI * temp_path2a_fn)(DWORD, LPSTR);
        typedef DWORD(WINAPI * temp_path2w_fn)(DWORD, LPWSTR);
        HMODULE kernel32 = GetModuleHandleA("kernel32.dll");
        temp_path2a_fn temp_path2a = (temp_path2a_fn)(void (*)(void))GetProcAddress(kernel32, "GetTempPath2A");
        temp_path2w_fn temp_path2w = (temp_path2w_fn)(void (*)(void))GetProcAddress(kernel32, "GetTempPath2W");
#else
        DWORD(WINAPI * temp_path2a)(DWORD, LPSTR) = GetTempPath2;
        DWORD(WINAPI * temp_path2w)(DWORD, LPWSTR) = GetTempPath2W;
#endif
        CHECK(temp_path2a != NULL && temp_path2w != NULL);
        if (temp_path2a != NULL && temp_path2w != NULL) {
            memset(path, 'a', sizeof(path));
            CHECK_EQ(temp_path2a(sizeof(path), path), 18);
            CHECK(strcmp(path, "C:\\ovl_temp_probe\\") == 0);
            CHECK_EQ(temp_path2a(10, path), 19);
            for (int i = 0; i < MAX_PATH; ++i) wpath[i] = 'a';
            CHECK_EQ(temp_path2w(MAX_PATH, wpath), 18);
            CHECK(lstrcmpW(wpath, wexpected) == 0);
            CHECK_EQ(wpath[MAX_PATH - 1], 0);
        }
    }

    CHECK(SetEnvironmentVariableA("TMP", saved_length > 0 && saved_length < sizeof(saved) ? saved : NULL));
}

static void test_directories(void)
{
    TEST("directories");
    char sub[MAX_PATH], inner[MAX_PATH];
    path_of(sub, "subdir");
    path_of(inner, "subdir\\inner.dat");
    CHECK(CreateDirectoryA(sub, NULL));
    CHECK(!CreateDirectoryA(sub, NULL));
    CHECK_ERROR(ERROR_ALREADY_EXISTS);
    DWORD attributes = GetFileAttributesA(sub);
    CHECK(attributes != INVALID_FILE_ATTRIBUTES && (attributes & FILE_ATTRIBUTE_DIRECTORY));

    /* A directory opens only with FILE_FLAG_BACKUP_SEMANTICS. */
    HANDLE handle = open_file(sub, GENERIC_READ, FILE_SHARE_READ | FILE_SHARE_WRITE, OPEN_EXISTING, 0);
    CHECK(handle == INVALID_HANDLE_VALUE);
    CHECK_ERROR(ERROR_ACCESS_DENIED);
    handle = open_file(sub, GENERIC_READ, FILE_SHARE_READ | FILE_SHARE_WRITE | FILE_SHARE_DELETE, OPEN_EXISTING,
                       FILE_FLAG_BACKUP_SEMANTICS);
    CHECK(handle != INVALID_HANDLE_VALUE);
    BY_HANDLE_FILE_INFORMATION info;
    CHECK(GetFileInformationByHandle(handle, &info));
    CHECK(info.dwFileAttributes & FILE_ATTRIBUTE_DIRECTORY);
    /* A directory has no data: its size is 0 by handle as by name (FileStandardInfo's
     * EndOfFile, GetFileAttributesEx, FindFirstFile), not the Linux directory's size. */
    CHECK_EQ(info.nFileSizeLow, 0);
    CHECK_EQ(info.nFileSizeHigh, 0);
    DWORD high = 0xdeadbeef;
    CHECK_EQ(GetFileSize(handle, &high), 0);
    CHECK_EQ(high, 0);
    CHECK_EQ(size_of(handle), 0);
    CloseHandle(handle);

    /* An existing directory is only opened: OPEN_ALWAYS says it existed; creating it
     * anew or truncating it is a name collision (ERROR_FILE_EXISTS). CREATE_NEW without
     * FILE_FLAG_BACKUP_SEMANTICS finds a directory where a file is wanted:
     * ERROR_ACCESS_DENIED, as every other disposition (Wine's kernel32 test_CreateFile,
     * todo_wine there). */
    SetLastError(0xdeadbeef);
    handle = open_file(sub, GENERIC_READ | GENERIC_WRITE, FILE_SHARE_READ | FILE_SHARE_WRITE | FILE_SHARE_DELETE,
                       OPEN_ALWAYS, FILE_FLAG_BACKUP_SEMANTICS);
    CHECK(handle != INVALID_HANDLE_VALUE);
    CHECK_ERROR(ERROR_ALREADY_EXISTS);
    CloseHandle(handle);
    SetLastError(0xdeadbeef);
    handle = open_file(sub, GENERIC_READ, FILE_SHARE_READ | FILE_SHARE_WRITE, CREATE_NEW, 0);
    CHECK(handle == INVALID_HANDLE_VALUE);
    WINE_DEVIATION("Wine 8 answers ERROR_FILE_EXISTS (todo_wine in test_CreateFile)")
    {
        CHECK_ERROR(ERROR_ACCESS_DENIED);
    }
    SetLastError(0xdeadbeef);
    handle = open_file(sub, GENERIC_READ, FILE_SHARE_READ | FILE_SHARE_WRITE, CREATE_NEW, FILE_FLAG_BACKUP_SEMANTICS);
    CHECK(handle == INVALID_HANDLE_VALUE);
    CHECK_ERROR(ERROR_FILE_EXISTS);
    SetLastError(0xdeadbeef);
    handle = open_file(sub, GENERIC_WRITE, FILE_SHARE_READ | FILE_SHARE_WRITE, CREATE_ALWAYS, FILE_FLAG_BACKUP_SEMANTICS);
    CHECK(handle == INVALID_HANDLE_VALUE);
    CHECK_ERROR(ERROR_FILE_EXISTS);
    if (handle != INVALID_HANDLE_VALUE) CloseHandle(handle);
    SetLastError(0xdeadbeef);
    handle = open_file(sub, GENERIC_WRITE, FILE_SHARE_READ | FILE_SHARE_WRITE, TRUNCATE_EXISTING,
                       FILE_FLAG_BACKUP_SEMANTICS);
    CHECK(handle == INVALID_HANDLE_VALUE);
    CHECK_ERROR(ERROR_FILE_EXISTS);
    if (handle != INVALID_HANDLE_VALUE) CloseHandle(handle);
    SetLastError(0xdeadbeef);
    handle = open_file(sub, GENERIC_WRITE, FILE_SHARE_READ | FILE_SHARE_WRITE, CREATE_ALWAYS, 0);
    CHECK(handle == INVALID_HANDLE_VALUE);
    CHECK_ERROR(ERROR_ACCESS_DENIED);

    HANDLE file = open_file(inner, GENERIC_WRITE, 0, CREATE_NEW, 0);
    CHECK(file != INVALID_HANDLE_VALUE);
    CloseHandle(file);
    CHECK(!RemoveDirectoryA(sub));
    CHECK_ERROR(ERROR_DIR_NOT_EMPTY);
    CHECK(DeleteFileA(inner));

    /* Removing opens the directory for DELETE: a handle without FILE_SHARE_DELETE
     * refuses, and so does the current directory, which Windows keeps open that way
     * (Wine's kernel32 test_RemoveDirectoryA). Renaming it too. */
    char moved[MAX_PATH], current[MAX_PATH];
    path_of(moved, "subdir-moved");
    handle = open_file(sub, GENERIC_READ, FILE_SHARE_READ | FILE_SHARE_WRITE, OPEN_EXISTING, FILE_FLAG_BACKUP_SEMANTICS);
    CHECK(handle != INVALID_HANDLE_VALUE);
    SetLastError(0xdeadbeef);
    CHECK(!RemoveDirectoryA(sub));
    CHECK_ERROR(ERROR_SHARING_VIOLATION);
    CloseHandle(handle);
    CHECK(GetCurrentDirectory(sizeof(current), current) > 0); /* the generic names, as samples write them */
    CHECK(SetCurrentDirectory(sub));
    SetLastError(0xdeadbeef);
    CHECK(!RemoveDirectoryA(sub));
    CHECK_ERROR(ERROR_SHARING_VIOLATION);
    SetLastError(0xdeadbeef);
    CHECK(!MoveFileA(sub, moved));
    CHECK_ERROR(ERROR_SHARING_VIOLATION);
    CHECK(SetCurrentDirectoryA(current));
    CHECK_EQ(GetFileAttributesA(moved), INVALID_FILE_ATTRIBUTES);

    /* SetCurrentDirectory's errors: the last directory missing, one before it missing
     * (Wine's kernel32 test_SetCurrentDirectoryA). */
    char missing[MAX_PATH], deeper[MAX_PATH];
    path_of(missing, "no-such-dir");
    path_of(deeper, "no-such-dir\\sub");
    SetLastError(0xdeadbeef);
    CHECK(!SetCurrentDirectoryA(missing));
    CHECK_ERROR(ERROR_FILE_NOT_FOUND);
    SetLastError(0xdeadbeef);
    CHECK(!SetCurrentDirectoryA(deeper));
    CHECK_ERROR(ERROR_PATH_NOT_FOUND);
    /* A file named: ERROR_DIRECTORY; a file on the way: ERROR_PATH_NOT_FOUND. */
    {
        char plain[MAX_PATH], through[MAX_PATH];
        path_of(plain, "cwd-file.txt");
        path_of(through, "cwd-file.txt\\sub");
        CloseHandle(open_file(plain, GENERIC_WRITE, 0, CREATE_ALWAYS, 0));
        SetLastError(0xdeadbeef);
        CHECK(!SetCurrentDirectoryA(plain));
        CHECK_ERROR(ERROR_DIRECTORY);
        SetLastError(0xdeadbeef);
        CHECK(!SetCurrentDirectoryA(through));
        CHECK_ERROR(ERROR_PATH_NOT_FOUND);
        CHECK(DeleteFileA(plain));
    }
    /* SetCurrentDirectory opens the directory (traverse, sharing reading and writing, not
     * deleting): a handle with DELETE access refuses it, one that reads does not. */
    handle = open_file(sub, DELETE, FILE_SHARE_READ | FILE_SHARE_WRITE, OPEN_EXISTING, FILE_FLAG_BACKUP_SEMANTICS);
    CHECK(handle != INVALID_HANDLE_VALUE);
    SetLastError(0xdeadbeef);
    CHECK(!SetCurrentDirectoryA(sub));
    CHECK_ERROR(ERROR_SHARING_VIOLATION);
    CloseHandle(handle);
    handle = open_file(sub, GENERIC_READ, FILE_SHARE_READ | FILE_SHARE_WRITE | FILE_SHARE_DELETE, OPEN_EXISTING,
                       FILE_FLAG_BACKUP_SEMANTICS);
    CHECK(handle != INVALID_HANDLE_VALUE);
    CHECK(SetCurrentDirectoryA(sub));
    CHECK(SetCurrentDirectoryA(current));
    CloseHandle(handle);
    CHECK(RemoveDirectoryA(sub));
    CHECK_EQ(GetFileAttributesA(sub), INVALID_FILE_ATTRIBUTES);

    WCHAR wsub[MAX_PATH];
    wide(wsub, sub);
    CHECK(CreateDirectoryW(wsub, NULL));
    CHECK(RemoveDirectoryW(wsub));
    CHECK(!RemoveDirectoryW(wsub));
    CHECK_ERROR(ERROR_FILE_NOT_FOUND);
}

static void test_valid_data(void)
{
    TEST("SetFileValidData");
    char path[MAX_PATH];
    path_of(path, "valid.dat");
    HANDLE file = open_file(path, GENERIC_READ | GENERIC_WRITE, 0, CREATE_ALWAYS, 0);
    LARGE_INTEGER end;
    end.QuadPart = 1 << 20;
    CHECK(SetFilePointerEx(file, end, NULL, FILE_BEGIN));
    CHECK(SetEndOfFile(file));
    /* Needs SE_MANAGE_VOLUME_NAME on Windows: without it, ERROR_PRIVILEGE_NOT_HELD. */
    SetLastError(0xdead);
    if (SetFileValidData(file, 1 << 20)) {
        CHECK_EQ(size_of(file), 1 << 20);
    } else {
        DWORD error = GetLastError();
        CHECK(error == ERROR_PRIVILEGE_NOT_HELD || error == ERROR_CALL_NOT_IMPLEMENTED);
    }
    /* Beyond the end of the file it is refused in any case. */
    CHECK(!SetFileValidData(file, 2 << 20));
    CloseHandle(file);
    CHECK(DeleteFileA(path));
}

int main(void)
{
    char temp[MAX_PATH];
    CHECK(GetTempPathA(sizeof(temp), temp) > 0);
    snprintf(dir, sizeof(dir), "%sovl-file-api-%lu\\", temp, (unsigned long)GetCurrentProcessId());
    CHECK(CreateDirectoryA(dir, NULL));

    test_dispositions();
    test_access();
    test_share_modes();
    test_delete_on_close();
    test_pointer();
    test_information();
    test_wide_and_separators();
    test_trailing_dots_and_spaces();
    test_dot_components();
    test_temp_file_names();
    test_temp_path();
    test_directories();
    test_valid_data();

    CHECK(RemoveDirectoryA(dir));
    return tl_finish();
}
