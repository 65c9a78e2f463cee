/* test_file_info.c: GetFullPathNameA/W (Windows' rules for ".", "..", separators,
 * trailing dots and separators, relative names, lpFilePart, the size needed), GetLongPathNameA/W
 * and GetShortPathNameA/W, SearchPathA/W, SetFileAttributes
 * and GetFileAttributesEx, GetFileInformationByHandleEx (FileBasicInfo, FileStandardInfo,
 * FileNameInfo, FileIdBothDirectoryInfo and its restart form) and SetFileInformationByHandle
 * (FileBasicInfo times, FileEndOfFileInfo, FileAllocationInfo, FileDispositionInfo,
 * FileRenameInfo), GetFileTime and SetFileTime, GetFinalPathNameByHandleA/W. Windows facts: docs/research/windows-files-management.md. */
#include "testlib.h"

static char base[MAX_PATH];

static void path_of(char *out, const char *name) { wsprintfA(out, "%s\\%s", base, name); }

static void widen(const char *text, WCHAR *out)
{
    while ((*out++ = (WCHAR)(unsigned char)*text++) != 0) {
    }
}

static HANDLE make_file(const char *name, const char *text, DWORD access)
{
    char path[MAX_PATH];
    DWORD written = 0;
    path_of(path, name);
    HANDLE file = CreateFileA(path, GENERIC_WRITE | access, FILE_SHARE_READ | FILE_SHARE_WRITE | FILE_SHARE_DELETE,
                              NULL, CREATE_ALWAYS, 0, NULL);
    CHECK(file != INVALID_HANDLE_VALUE);
    if (text != NULL) WriteFile(file, text, (DWORD)strlen(text), &written, NULL);
    return file;
}

static int exists(const char *name)
{
    char path[MAX_PATH];
    path_of(path, name);
    return GetFileAttributesA(path) != INVALID_FILE_ATTRIBUTES;
}

static LONGLONG size_of(const char *name)
{
    char path[MAX_PATH];
    WIN32_FILE_ATTRIBUTE_DATA data;
    path_of(path, name);
    if (!GetFileAttributesExA(path, GetFileExInfoStandard, &data)) return -1;
    return ((LONGLONG)data.nFileSizeHigh << 32) | data.nFileSizeLow;
}

#define EXPECT_FULL(input, expected, part)                                               \
    do {                                                                                 \
        char out_[MAX_PATH];                                                             \
        char *part_ = (char *)1;                                                         \
        DWORD n_;                                                                        \
        SetLastError(0xdeadbeef);                                                        \
        n_ = GetFullPathNameA(input, MAX_PATH, out_, &part_);                            \
        CHECK_EQ(GetLastError(), 0xdeadbeef); /* a success leaves the last error alone */ \
        if (lstrcmpA(out_, expected) != 0) printf("  %s -> %s\n", input, out_);          \
        CHECK(lstrcmpA(out_, expected) == 0);                                            \
        CHECK_EQ(n_, lstrlenA(expected));                                                \
        if ((part) == NULL) CHECK(part_ == NULL);                                        \
        else CHECK(part_ != NULL && part_ != (char *)1 && lstrcmpA(part_, (const char *)(part)) == 0); \
    } while (0)

static void test_full_path(void)
{
    char out[MAX_PATH], cwd[MAX_PATH], expected[MAX_PATH];
    char *part;
    DWORD n;

    TEST("GetFullPathName: . and .. resolved, separators made \\, never above the root");
    EXPECT_FULL("C:\\a\\b\\..\\c.txt", "C:\\a\\c.txt", "c.txt");
    EXPECT_FULL("C:\\a\\.\\b", "C:\\a\\b", "b");
    EXPECT_FULL("C:/a/b", "C:\\a\\b", "b");
    EXPECT_FULL("C:\\a\\\\b", "C:\\a\\b", "b");
    EXPECT_FULL("C:\\..\\..\\x", "C:\\x", "x");
    EXPECT_FULL("C:\\a\\..", "C:\\", NULL);
    EXPECT_FULL("\\\\server\\share\\a\\..\\b", "\\\\server\\share\\b", "b");

    TEST("a trailing separator stays (no file part); trailing dots and spaces go");
    EXPECT_FULL("C:\\a\\b\\", "C:\\a\\b\\", NULL);
    EXPECT_FULL("C:\\a\\b.", "C:\\a\\b", "b");
    EXPECT_FULL("C:\\a\\b. .", "C:\\a\\b", "b");

    TEST("a relative name is the current directory's");
    GetCurrentDirectoryA(MAX_PATH, cwd);
    n = GetFullPathNameA("rel.txt", MAX_PATH, out, &part);
    lstrcpyA(expected, cwd);
    if (expected[lstrlenA(expected) - 1] != '\\' && expected[lstrlenA(expected) - 1] != '/')
        lstrcatA(expected, strchr(cwd, '\\') != NULL ? "\\" : "/");
    lstrcatA(expected, "rel.txt");
    CHECK(lstrcmpA(out, expected) == 0);
    CHECK_EQ(n, lstrlenA(expected));
    CHECK(part != NULL && lstrcmpA(part, "rel.txt") == 0);
    n = GetFullPathNameA(".", MAX_PATH, out, &part);
    CHECK(lstrcmpA(out, cwd) == 0);

    TEST("a drive-relative name on the current directory's drive is the current directory's");
    {
        const char *leaf = base;
        char expected_end[MAX_PATH], leaf_dir[MAX_PATH];
        for (const char *c = base; *c; ++c)
            if (*c == '\\' || *c == '/') leaf = c + 1;
        CHECK(SetCurrentDirectoryA(base));
        n = GetFullPathNameA("C:rel.txt", MAX_PATH, out, &part);
        wsprintfA(expected_end, "\\%s\\rel.txt", leaf);
        CHECK(n > (DWORD)lstrlenA(expected_end));
        CHECK(out[0] == 'C' && out[1] == ':' && out[2] == '\\');
        CHECK(lstrcmpA(out + n - lstrlenA(expected_end), expected_end) == 0);
        CHECK(part != NULL && lstrcmpA(part, "rel.txt") == 0);
        /* "C:" alone: the current directory, with a separator after it (no file part). */
        n = GetFullPathNameA("C:", MAX_PATH, out, &part);
        wsprintfA(leaf_dir, "\\%s\\", leaf);
        CHECK(lstrcmpA(out + n - lstrlenA(leaf_dir), leaf_dir) == 0);
        CHECK(part == NULL);
        CHECK(SetCurrentDirectoryA(cwd));
    }

    TEST("drive-relative names open and change to what GetFullPathName says, not the root");
    {
        char here[MAX_PATH], now[MAX_PATH], made[MAX_PATH];
        HANDLE h;
        CHECK(SetCurrentDirectoryA(base));
        GetCurrentDirectoryA(MAX_PATH, here);
        /* "C:" is C's current directory: the current directory itself, not C:\ */
        CHECK(SetCurrentDirectoryA("C:"));
        GetCurrentDirectoryA(MAX_PATH, now);
        CHECK(lstrcmpA(now, here) == 0);
        CHECK(SetCurrentDirectoryA("C:."));
        GetCurrentDirectoryA(MAX_PATH, now);
        CHECK(lstrcmpA(now, here) == 0);
        /* "C:name" is made in the current directory */
        h = CreateFileA("C:drive_rel.txt", GENERIC_WRITE, 0, NULL, CREATE_ALWAYS, 0, NULL);
        CHECK(h != INVALID_HANDLE_VALUE);
        if (h != INVALID_HANDLE_VALUE) CloseHandle(h);
        path_of(made, "drive_rel.txt");
        CHECK(GetFileAttributesA(made) != INVALID_FILE_ATTRIBUTES);
        CHECK(GetFileAttributesA("C:drive_rel.txt") != INVALID_FILE_ATTRIBUTES);
        CHECK(DeleteFileA("C:drive_rel.txt"));
        CHECK_EQ(GetFileAttributesA(made), INVALID_FILE_ATTRIBUTES);
        /* "C:sub" changes to a directory of the current one */
        CHECK(CreateDirectoryA("C:drive_rel_dir", NULL));
        CHECK(SetCurrentDirectoryA("C:drive_rel_dir"));
        GetCurrentDirectoryA(MAX_PATH, now);
        CHECK_EQ(lstrlenA(now), lstrlenA(here) + 1 + lstrlenA("drive_rel_dir"));
        CHECK(strncmp(now, here, lstrlenA(here)) == 0 && lstrcmpA(now + lstrlenA(here) + 1, "drive_rel_dir") == 0);
        CHECK(SetCurrentDirectoryA("C:.."));
        GetCurrentDirectoryA(MAX_PATH, now);
        CHECK(lstrcmpA(now, here) == 0);
        CHECK(RemoveDirectoryA("C:drive_rel_dir"));
        CHECK(SetCurrentDirectoryA(cwd));
    }

    TEST("a buffer too small: the size needed with the terminator, nothing written");
    lstrcpyA(out, "untouched");
    n = GetFullPathNameA("C:\\a\\b", 4, out, &part);
    CHECK_EQ(n, 7);
    CHECK(lstrcmpA(out, "untouched") == 0);
    n = GetFullPathNameA("C:\\a\\b", 0, NULL, NULL);
    CHECK_EQ(n, 7);
    n = GetFullPathNameA("C:\\a\\b", 7, out, NULL);
    CHECK_EQ(n, 6);
    CHECK(lstrcmpA(out, "C:\\a\\b") == 0);

    TEST("GetFullPathNameW");
    {
        WCHAR wout[MAX_PATH];
        WCHAR *wpart = NULL;
        n = GetFullPathNameW(L"C:\\x\\..\\y\\z.bin", MAX_PATH, wout, &wpart);
        CHECK_EQ(n, 10);
        CHECK(lstrcmpW(wout, L"C:\\y\\z.bin") == 0);
        CHECK(wpart == wout + 5);
    }

    TEST("an empty name fails");
    CHECK_EQ(GetFullPathNameA("", MAX_PATH, out, &part), 0);

    TEST("no name fails as an empty one: ERROR_INVALID_NAME (Windows 7 on) or nothing set");
    lstrcpyA(out, "untouched");
    SetLastError(0xdeadbeef);
    CHECK_EQ(GetFullPathNameA(NULL, MAX_PATH, out, &part), 0);
    CHECK(GetLastError() == ERROR_INVALID_NAME || GetLastError() == 0xdeadbeef);
    CHECK(lstrcmpA(out, "untouched") == 0);
    SetLastError(0xdeadbeef);
    CHECK_EQ(GetFullPathNameW(NULL, 0, NULL, NULL), 0);
    CHECK(GetLastError() == ERROR_INVALID_NAME || GetLastError() == 0xdeadbeef);

    TEST("a drive letter keeps its case");
    EXPECT_FULL("c:/test/file", "c:\\test\\file", "file");
    EXPECT_FULL("c:\\", "c:\\", NULL);

    TEST("DOS device names: \\\\.\\NAME, no file part");
    EXPECT_FULL("NUL", "\\\\.\\NUL", NULL);
    EXPECT_FULL("nul.", "\\\\.\\nul", NULL);
    EXPECT_FULL("C:NUL", "\\\\.\\NUL", NULL);
    EXPECT_FULL("C:\\nonexistent\\nul", "\\\\.\\nul", NULL);
    EXPECT_FULL("AUX", "\\\\.\\AUX", NULL);
    EXPECT_FULL("com1", "\\\\.\\com1", NULL);
    EXPECT_FULL("LPT9", "\\\\.\\LPT9", NULL);

    TEST("device and UNC roots: //./ and //?/ are parsed, \\\\server alone stays");
    EXPECT_FULL("//./foo/bar", "\\\\.\\foo\\bar", "bar");
    EXPECT_FULL("//./foo/..", "\\\\.\\", NULL);
    EXPECT_FULL("//?/foo/bar", "\\\\?\\foo\\bar", "bar");
    EXPECT_FULL("//?/foo/..", "\\\\?\\", NULL);
    EXPECT_FULL("\\\\foo", "\\\\foo", NULL);
    EXPECT_FULL("//foo/", "\\\\foo\\", NULL);
}

/* GetLongPathName and GetShortPathName: no 8.3 names on Linux, so both give an existing
 * name back as it was written (Wine's kernel32 path tests; Microsoft Learn on
 * GetShortPathNameW for volumes without short names). */
static void test_long_short_paths(void)
{
    char cwd[MAX_PATH], out[MAX_PATH], full[MAX_PATH];
    GetCurrentDirectoryA(MAX_PATH, cwd);
    HANDLE file = make_file("Long File Name.txt", "x", 0);
    CloseHandle(file);
    CHECK(SetCurrentDirectoryA(base));

    TEST("GetLongPathNameA: an existing name as it was written, relative or not");
    CHECK_EQ(GetLongPathNameA("Long File Name.txt", out, MAX_PATH), 18);
    CHECK(strcmp(out, "Long File Name.txt") == 0);
    CHECK_EQ(GetLongPathNameA(".\\\\Long File Name.txt", out, MAX_PATH), 21);  /* double separators kept */
    CHECK(strcmp(out, ".\\\\Long File Name.txt") == 0);
    CHECK_EQ(GetLongPathNameA("..", out, MAX_PATH), 2);
    CHECK(strcmp(out, "..") == 0);
    path_of(full, "Long File Name.txt");
    lstrcpyA(out, full);
    CHECK_EQ(GetLongPathNameA(out, out, MAX_PATH), (DWORD)strlen(full));  /* the same buffer in and out */
    CHECK(strcmp(out, full) == 0);

    TEST("GetLongPathNameA: a buffer too small is left alone; the size with the terminator");
    lstrcpyA(out, "untouched");
    CHECK_EQ(GetLongPathNameA("Long File Name.txt", out, 18), 19);
    CHECK(strcmp(out, "untouched") == 0);
    CHECK_EQ(GetLongPathNameA("Long File Name.txt", NULL, 0), 19);

    /* A volume with 8.3 names gives "LONGFI~1.TXT", one without (as every Linux one) the
     * long name: either way no longer, and its long name is the file's. */
    TEST("GetShortPathNameA: a name no longer than the long one, whose long name is the file's");
    DWORD needed = GetShortPathNameA("Long File Name.txt", NULL, 0);
    CHECK(needed >= 2 && needed <= 19);
    lstrcpyA(out, "untouched");
    CHECK_EQ(GetShortPathNameA("Long File Name.txt", out, needed - 1), needed);
    CHECK(strcmp(out, "untouched") == 0);
    CHECK_EQ(GetShortPathNameA("Long File Name.txt", out, needed), needed - 1);
    char long_again[MAX_PATH];
    CHECK_EQ(GetLongPathNameA(out, long_again, MAX_PATH), 18);
    CHECK(strcmp(long_again, "Long File Name.txt") == 0);
    DWORD short_full = GetShortPathNameA(full, out, MAX_PATH);
    CHECK(short_full > 0 && short_full <= (DWORD)strlen(full));
    CHECK(GetLongPathNameA(out, long_again, MAX_PATH) > 0 && lstrcmpiA(long_again, full) == 0);

    TEST("GetLongPathNameA/W, GetShortPathNameA: missing names, wildcards, no name, an empty one");
    SetLastError(0);
    CHECK_EQ(GetLongPathNameA("missing.txt", out, MAX_PATH), 0);
    CHECK_ERROR(ERROR_FILE_NOT_FOUND);
    SetLastError(0);
    CHECK_EQ(GetShortPathNameA("missing.txt", out, MAX_PATH), 0);
    CHECK_ERROR(ERROR_FILE_NOT_FOUND);
    SetLastError(0);
    CHECK_EQ(GetLongPathNameA("nodir\\missing.txt", out, MAX_PATH), 0);
    CHECK(GetLastError() == ERROR_PATH_NOT_FOUND || GetLastError() == ERROR_FILE_NOT_FOUND);
    SetLastError(0);
    CHECK_EQ(GetLongPathNameA("*", out, MAX_PATH), 0);
    CHECK_ERROR(ERROR_INVALID_NAME);
    SetLastError(0);
    CHECK_EQ(GetShortPathNameA("Long*", out, MAX_PATH), 0);
    CHECK_ERROR(ERROR_INVALID_NAME);
    SetLastError(0);
    CHECK_EQ(GetLongPathNameW(NULL, NULL, 0), 0);
    CHECK_ERROR(ERROR_INVALID_PARAMETER);
    WCHAR empty[1] = {0};
    SetLastError(0);
    CHECK_EQ(GetLongPathNameW(empty, NULL, 0), 0);
    CHECK_ERROR(ERROR_PATH_NOT_FOUND);

    TEST("GetLongPathNameW: the same in UTF-16");
    WCHAR wide_name[32], wide_out[32];
    widen("Long File Name.txt", wide_name);
    CHECK_EQ(GetLongPathNameW(wide_name, wide_out, 32), 18);
    CHECK(lstrcmpW(wide_out, wide_name) == 0);
    CHECK_EQ(GetShortPathNameW(wide_name, NULL, 0), needed);

    CHECK(SetCurrentDirectoryA(cwd));
    CHECK(DeleteFileA(full));
}

/* SearchPath (Wine's kernel32 path tests, test_SearchPathA/W): a name in the directories
 * of lpPath, the extension added only to a name without one, GetFullPathName's buffer
 * rules. */
static void test_search_path(void)
{
    char out[MAX_PATH], full[MAX_PATH], cwd[MAX_PATH], both[MAX_PATH * 2];
    char *part = NULL;
    HANDLE file = make_file("testfile.ext.ext2", "x", 0);
    CloseHandle(file);
    char written[MAX_PATH];
    path_of(written, "testfile.ext.ext2");
    CHECK(GetFullPathNameA(written, MAX_PATH, full, NULL) > 0);  /* the name as SearchPath gives it */

    TEST("SearchPathA: no name or an empty one is ERROR_INVALID_PARAMETER");
    SetLastError(0);
    CHECK_EQ(SearchPathA(base, NULL, NULL, MAX_PATH, out, &part), 0);
    CHECK_ERROR(ERROR_INVALID_PARAMETER);
    SetLastError(0);
    CHECK_EQ(SearchPathA(base, "", NULL, MAX_PATH, out, &part), 0);
    CHECK_ERROR(ERROR_INVALID_PARAMETER);

    TEST("SearchPathA: found in lpPath, the full name and its file part");
    CHECK_EQ(SearchPathA(base, "testfile.ext.ext2", NULL, MAX_PATH, out, &part), (DWORD)strlen(full));
    CHECK(strcmp(out, full) == 0);
    CHECK(part != NULL && strcmp(part, "testfile.ext.ext2") == 0);
    wsprintfA(both, "%s\\nowhere;%s", base, base);
    CHECK_EQ(SearchPathA(both, "testfile.ext.ext2", NULL, MAX_PATH, out, NULL), (DWORD)strlen(full));
    CHECK(strcmp(out, full) == 0);

    TEST("SearchPathA: the extension only for a name without one");
    SetLastError(0);
    CHECK_EQ(SearchPathA(base, "testfile.ext", NULL, MAX_PATH, out, NULL), 0);
    CHECK_ERROR(ERROR_FILE_NOT_FOUND);
    CHECK_EQ(SearchPathA(base, "testfile.ext", ".ext2", MAX_PATH, out, NULL), 0);
    CHECK_EQ(SearchPathA(base, "testfile", ".ext.ext2", MAX_PATH, out, NULL), (DWORD)strlen(full));

    TEST("SearchPathA: a buffer too small gets nothing; the size with the terminator");
    lstrcpyA(out, "untouched");
    CHECK_EQ(SearchPathA(base, "testfile.ext.ext2", NULL, 5, out, NULL), (DWORD)strlen(full) + 1);
    CHECK(strcmp(out, "untouched") == 0);

    TEST("SearchPathA/W without lpPath: a full name as it is, the current directory");
    CHECK_EQ(SearchPathA(NULL, full, NULL, MAX_PATH, out, NULL), (DWORD)strlen(full));
    GetCurrentDirectoryA(MAX_PATH, cwd);
    CHECK(SetCurrentDirectoryA(base));
    CHECK(SearchPathA(NULL, "testfile.ext.ext2", NULL, MAX_PATH, out, &part) > 0);
    CHECK(part != NULL && strcmp(part, "testfile.ext.ext2") == 0);
    WCHAR wide_name[32], wide_out[MAX_PATH];
    WCHAR *wide_part = NULL;
    widen("testfile.ext.ext2", wide_name);
    CHECK(SearchPathW(NULL, wide_name, NULL, MAX_PATH, wide_out, &wide_part) > 0);
    CHECK(wide_part != NULL && lstrcmpW(wide_part, wide_name) == 0);
    CHECK(SetCurrentDirectoryA(cwd));
    CHECK(DeleteFileA(full));

    TEST("NeedCurrentDirectoryForExePath: TRUE unless NoDefaultCurrentDirectoryInExePath is set; always with a directory");
    {
        /* Wine's kernel32 path.c test_NeedCurrentDirectoryForExePathA/W (passes on Windows). */
        char saved[512];
        DWORD had = GetEnvironmentVariableA("NoDefaultCurrentDirectoryInExePath", saved, sizeof(saved));
        CHECK(SetEnvironmentVariableA("NoDefaultCurrentDirectoryInExePath", NULL));
        CHECK(NeedCurrentDirectoryForExePathA("."));
        CHECK(NeedCurrentDirectoryForExePathA("c:\\"));
        CHECK(NeedCurrentDirectoryForExePathA("cmd.exe"));
        CHECK(NeedCurrentDirectoryForExePathW(L"cmd.exe"));
        CHECK(SetEnvironmentVariableA("NoDefaultCurrentDirectoryInExePath", "nya"));
        CHECK(!NeedCurrentDirectoryForExePathA("."));
        CHECK(NeedCurrentDirectoryForExePathA("c:\\"));
        CHECK(NeedCurrentDirectoryForExePathA(".\\cmd.exe"));
        CHECK(!NeedCurrentDirectoryForExePathA("cmd.exe"));
        CHECK(!NeedCurrentDirectoryForExePathW(L"cmd.exe"));
        CHECK(NeedCurrentDirectoryForExePathW(L"c:\\"));
        CHECK(SetEnvironmentVariableA("NoDefaultCurrentDirectoryInExePath", had != 0 && had < sizeof(saved) ? saved : NULL));
    }
}

static void test_attributes(void)
{
    char path[MAX_PATH];
    WIN32_FILE_ATTRIBUTE_DATA data;
    HANDLE file = make_file("attr.txt", "12345", 0);
    CloseHandle(file);
    path_of(path, "attr.txt");

    TEST("GetFileAttributesEx: attributes, size, times");
    memset(&data, 0xcc, sizeof(data));
    CHECK(GetFileAttributesExA(path, GetFileExInfoStandard, &data));
    CHECK_EQ(data.dwFileAttributes, FILE_ATTRIBUTE_ARCHIVE);
    CHECK_EQ(data.nFileSizeLow, 5);
    CHECK_EQ(data.nFileSizeHigh, 0);
    CHECK(data.ftLastWriteTime.dwHighDateTime != 0);
    {
        WCHAR wpath[MAX_PATH];
        WIN32_FILE_ATTRIBUTE_DATA wdata;
        widen(path, wpath);
        CHECK(GetFileAttributesExW(wpath, GetFileExInfoStandard, &wdata));
        CHECK_EQ(wdata.nFileSizeLow, 5);
    }
    CHECK(GetFileAttributesExA(base, GetFileExInfoStandard, &data));
    CHECK_EQ(data.dwFileAttributes, FILE_ATTRIBUTE_DIRECTORY);

    TEST("GetFileAttributesEx errors");
    {
        char missing[MAX_PATH];
        path_of(missing, "nosuch.txt");
        SetLastError(0xdeadbeef);
        CHECK(!GetFileAttributesExA(missing, GetFileExInfoStandard, &data));
        CHECK_ERROR(ERROR_FILE_NOT_FOUND);
        path_of(missing, "nosuchdir\\x");
        SetLastError(0xdeadbeef);
        CHECK(!GetFileAttributesExA(missing, GetFileExInfoStandard, &data));
        CHECK_ERROR(ERROR_PATH_NOT_FOUND);
        SetLastError(0xdeadbeef);
        CHECK(!GetFileAttributesExA(path, GetFileExMaxInfoLevel, &data));
        CHECK_ERROR(ERROR_INVALID_PARAMETER);
    }

    TEST("GetFileAttributesEx, SetFileAttributes: a missing name with a separator after it; \\\\?\\ alone");
    {
        /* Wine's kernel32 file.c test_GetFileAttributesExW (passes on Windows): "\\?\" and
         * "\??\" are ERROR_INVALID_NAME, "\DosDevices\" (a missing directory in the root,
         * with a separator after it) ERROR_FILE_NOT_FOUND, as CreateFile's "a\"
         * (test_CreateFileA). */
        char missing[MAX_PATH];
        path_of(missing, "nosuchdir\\");
        CHECK_FAILS(GetFileAttributesExA(missing, GetFileExInfoStandard, &data), ERROR_FILE_NOT_FOUND);
        CHECK_FAILS(GetFileAttributesExA("\\nosuch-dffile4-dir\\", GetFileExInfoStandard, &data),
                    ERROR_FILE_NOT_FOUND);
        CHECK_FAILS(SetFileAttributesA(missing, FILE_ATTRIBUTE_NORMAL), ERROR_FILE_NOT_FOUND);
        CHECK_EQ(GetFileAttributesA(missing), INVALID_FILE_ATTRIBUTES);
        CHECK_ERROR(ERROR_FILE_NOT_FOUND);
        path_of(missing, "nosuchdir\\deeper\\");
        CHECK_FAILS(GetFileAttributesExA(missing, GetFileExInfoStandard, &data), ERROR_PATH_NOT_FOUND);
        CHECK_FAILS(GetFileAttributesExW(L"\\\\?\\", GetFileExInfoStandard, &data), ERROR_INVALID_NAME);
        CHECK_FAILS(GetFileAttributesExW(L"\\??\\", GetFileExInfoStandard, &data), ERROR_INVALID_NAME);
        SetLastError(0xdeadbeef);
        CHECK_EQ(GetFileAttributesA("\\\\?\\"), INVALID_FILE_ATTRIBUTES);
        CHECK_ERROR(ERROR_INVALID_NAME);
        SetLastError(0xdeadbeef);
        HANDLE nothing = CreateFileA("\\\\?\\", GENERIC_READ, FILE_SHARE_READ | FILE_SHARE_WRITE, NULL, OPEN_EXISTING,
                                     FILE_FLAG_BACKUP_SEMANTICS, NULL);
        CHECK(nothing == INVALID_HANDLE_VALUE);
        CHECK_ERROR(ERROR_INVALID_NAME);
        if (nothing != INVALID_HANDLE_VALUE) CloseHandle(nothing);
    }

    TEST("SetFileAttributes: FILE_ATTRIBUTE_READONLY on and off; writes refused while on");
    CHECK(SetFileAttributesA(path, FILE_ATTRIBUTE_READONLY));
    CHECK(GetFileAttributesA(path) & FILE_ATTRIBUTE_READONLY);
    WINE_DEVIATION("Wine run by root opens a read-only file for writing (root ignores the permission bits)")
    {
        SetLastError(0xdeadbeef);
        file = CreateFileA(path, GENERIC_WRITE, 0, NULL, OPEN_EXISTING, 0, NULL);
        CHECK(file == INVALID_HANDLE_VALUE);
        CHECK_ERROR(ERROR_ACCESS_DENIED);
        if (file != INVALID_HANDLE_VALUE) CloseHandle(file);
    }

    TEST("a read-only file opens for DELETE (it can be renamed), not with FILE_FLAG_DELETE_ON_CLOSE");
    file = CreateFileA(path, DELETE | FILE_READ_ATTRIBUTES, 0, NULL, OPEN_EXISTING, 0, NULL);
    CHECK(file != INVALID_HANDLE_VALUE);
    if (file != INVALID_HANDLE_VALUE) CloseHandle(file);
    file = CreateFileA(path, DELETE, FILE_SHARE_READ, NULL, OPEN_ALWAYS, 0, NULL);
    CHECK(file != INVALID_HANDLE_VALUE);
    CHECK_ERROR(ERROR_ALREADY_EXISTS);
    if (file != INVALID_HANDLE_VALUE) CloseHandle(file);
    SetLastError(0xdeadbeef);
    file = CreateFileA(path, DELETE, 0, NULL, OPEN_EXISTING, FILE_FLAG_DELETE_ON_CLOSE, NULL);
    CHECK(file == INVALID_HANDLE_VALUE);
    CHECK_ERROR(ERROR_ACCESS_DENIED);
    if (file != INVALID_HANDLE_VALUE) CloseHandle(file);
    CHECK(GetFileAttributesA(path) & FILE_ATTRIBUTE_READONLY);
    /* DeleteFile's open for DELETE meets the share modes before the read-only refusal. */
    file = CreateFileA(path, GENERIC_READ, FILE_SHARE_READ, NULL, OPEN_EXISTING, 0, NULL);
    CHECK(file != INVALID_HANDLE_VALUE);
    SetLastError(0xdeadbeef);
    CHECK(!DeleteFileA(path));
    CHECK_ERROR(ERROR_SHARING_VIOLATION);
    CloseHandle(file);
    SetLastError(0xdeadbeef);
    CHECK(!DeleteFileA(path));
    CHECK_ERROR(ERROR_ACCESS_DENIED);

    CHECK(SetFileAttributesA(path, FILE_ATTRIBUTE_NORMAL));
    CHECK(!(GetFileAttributesA(path) & FILE_ATTRIBUTE_READONLY));
    file = CreateFileA(path, GENERIC_WRITE, 0, NULL, OPEN_EXISTING, 0, NULL);
    CHECK(file != INVALID_HANDLE_VALUE);
    CloseHandle(file);
    {
        char missing[MAX_PATH];
        path_of(missing, "nosuch.txt");
        SetLastError(0xdeadbeef);
        CHECK(!SetFileAttributesA(missing, FILE_ATTRIBUTE_NORMAL));
        CHECK_ERROR(ERROR_FILE_NOT_FOUND);
    }
    CHECK(DeleteFileA(path));
}

static void test_by_handle(void)
{
    char path[MAX_PATH];
    char buffer[4096];
    FILE_BASIC_INFO basic;
    FILE_STANDARD_INFO standard;
    FILE_NAME_INFO *name = (FILE_NAME_INFO *)buffer;
    HANDLE file = make_file("info.txt", "hello", GENERIC_READ | DELETE);
    path_of(path, "info.txt");

    TEST("FileBasicInfo and FileStandardInfo");
    CHECK(GetFileInformationByHandleEx(file, FileBasicInfo, &basic, sizeof(basic)));
    CHECK_EQ(basic.FileAttributes, FILE_ATTRIBUTE_ARCHIVE);
    CHECK(basic.LastWriteTime.QuadPart > 0);
    CHECK(GetFileInformationByHandleEx(file, FileStandardInfo, &standard, sizeof(standard)));
    CHECK_EQ(standard.EndOfFile.QuadPart, 5);
    CHECK_EQ(standard.NumberOfLinks, 1);
    CHECK_EQ(standard.Directory, 0);
    CHECK_EQ(standard.DeletePending, 0);
    SetLastError(0xdeadbeef);
    CHECK(!GetFileInformationByHandleEx(file, FileBasicInfo, &basic, sizeof(basic) - 4));
    CHECK_ERROR(ERROR_BAD_LENGTH);
    SetLastError(0xdeadbeef);
    CHECK(!GetFileInformationByHandleEx(file, (FILE_INFO_BY_HANDLE_CLASS)0x7fff, &basic, sizeof(basic)));
    CHECK_ERROR(ERROR_INVALID_PARAMETER);

    TEST("GetFileInformationByHandleEx: classes that can only be set, no buffer");
    {
        static const FILE_INFO_BY_HANDLE_CLASS set_only[] = {FileRenameInfo, FileDispositionInfo, FileAllocationInfo,
                                                             FileEndOfFileInfo, FileIoPriorityHintInfo};
        for (int i = 0; i < (int)(sizeof(set_only) / sizeof(set_only[0])); ++i) {
            SetLastError(0xdeadbeef);
            CHECK(!GetFileInformationByHandleEx(file, set_only[i], buffer, sizeof(buffer)));
            CHECK_ERROR(ERROR_INVALID_PARAMETER);
        }
        SetLastError(0xdeadbeef);
        CHECK(!GetFileInformationByHandleEx(file, FileBasicInfo, NULL, 0));
        CHECK_ERROR(ERROR_BAD_LENGTH);
        SetLastError(0xdeadbeef);
        CHECK(!GetFileInformationByHandleEx(file, FileBasicInfo, NULL, sizeof(basic)));
        CHECK_ERROR(ERROR_NOACCESS);
    }

    TEST("SetFileInformationByHandle: a class that can only be read is ERROR_INVALID_PARAMETER");
    {
        /* Wine's kernel32 file.c test_SetFileInformationByHandle (passes on Windows). The
         * buffers are zeroed and as large as any of these structures. */
        static const FILE_INFO_BY_HANDLE_CLASS read_only[] = {FileStandardInfo, FileCompressionInfo,
                                                              FileAttributeTagInfo, FileRemoteProtocolInfo};
        char zeroes[256];
        memset(zeroes, 0, sizeof(zeroes));
        zeroes[0] = 1;   /* FILE_REMOTE_PROTOCOL_INFO: StructureVersion 1, */
        zeroes[2] = 116; /* StructureSize */
        for (int i = 0; i < (int)(sizeof(read_only) / sizeof(read_only[0])); ++i) {
            SetLastError(0xdeadbeef);
            CHECK(!SetFileInformationByHandle(file, read_only[i], zeroes, read_only[i] == FileRemoteProtocolInfo ? 116 : 64));
            CHECK_ERROR(ERROR_INVALID_PARAMETER);
        }
        SetLastError(0xdeadbeef);
        CHECK(!SetFileInformationByHandle(file, (FILE_INFO_BY_HANDLE_CLASS)0x7fff, zeroes, sizeof(zeroes)));
        CHECK_ERROR(ERROR_INVALID_PARAMETER);
        CHECK(GetFileInformationByHandleEx(file, FileStandardInfo, &standard, sizeof(standard)));
        CHECK_EQ(standard.EndOfFile.QuadPart, 5);
    }

    TEST("GetFileInformationByHandleEx: the length is checked before the handle");
    SetLastError(0xdeadbeef);
    CHECK(!GetFileInformationByHandleEx(INVALID_HANDLE_VALUE, FileStandardInfo, &standard, 0));
    CHECK_ERROR(ERROR_BAD_LENGTH);
    SetLastError(0xdeadbeef);
    CHECK(!GetFileInformationByHandleEx(INVALID_HANDLE_VALUE, FileIdBothDirectoryInfo, buffer, 8));
    CHECK_ERROR(ERROR_BAD_LENGTH);
    SetLastError(0xdeadbeef);
    CHECK(!GetFileInformationByHandleEx(file, FileIdBothDirectoryInfo, buffer, 8));
    CHECK_ERROR(ERROR_BAD_LENGTH);
    SetLastError(0xdeadbeef);
    CHECK(!GetFileInformationByHandleEx(INVALID_HANDLE_VALUE, FileStandardInfo, &standard, sizeof(standard)));
    CHECK_ERROR(ERROR_INVALID_HANDLE);

    TEST("A directory class on a file: ERROR_ACCESS_DENIED without FILE_LIST_DIRECTORY, else ERROR_INVALID_PARAMETER");
    {
        HANDLE attributes_only = CreateFileA(path, FILE_READ_ATTRIBUTES, FILE_SHARE_READ | FILE_SHARE_WRITE | FILE_SHARE_DELETE,
                                             NULL, OPEN_EXISTING, 0, NULL);
        CHECK(attributes_only != INVALID_HANDLE_VALUE);
        SetLastError(0xdeadbeef);
        CHECK(!GetFileInformationByHandleEx(attributes_only, FileIdBothDirectoryInfo, buffer, sizeof(buffer)));
        CHECK_ERROR(ERROR_ACCESS_DENIED);
        CloseHandle(attributes_only);
        SetLastError(0xdeadbeef);
        CHECK(!GetFileInformationByHandleEx(file, FileIdBothDirectoryInfo, buffer, sizeof(buffer)));
        CHECK_ERROR(ERROR_INVALID_PARAMETER);
    }

    TEST("FileNameInfo: the path on its volume, without the drive; too small: ERROR_MORE_DATA");
    memset(buffer, 0, sizeof(buffer));
    CHECK(GetFileInformationByHandleEx(file, FileNameInfo, name, sizeof(buffer)));
    {
        DWORD chars = name->FileNameLength / 2;
        CHECK(chars > 9);
        CHECK(name->FileName[0] == '\\');
        CHECK(chars > 9 && memcmp(name->FileName + chars - 9, L"\\info.txt", 18) == 0);
        SetLastError(0xdeadbeef);
        memset(buffer, 0, sizeof(buffer));
        CHECK(!GetFileInformationByHandleEx(file, FileNameInfo, name, sizeof(FILE_NAME_INFO) + 2));
        CHECK_ERROR(ERROR_MORE_DATA);
        CHECK_EQ(name->FileNameLength, chars * 2);
    }

    TEST("FileAttributeTagInfo, FileIdInfo, FileStreamInfo, FileAlignmentInfo");
    {
        FILE_ATTRIBUTE_TAG_INFO tag;
        FILE_ID_INFO id1, id2, id3;
        FILE_ALIGNMENT_INFO alignment;
        FILE_STREAM_INFO *stream = (FILE_STREAM_INFO *)buffer;
        FILE_COMPRESSION_INFO compression;
        memset(&compression, 0xcc, sizeof(compression));
        WINE_DEVIATION("Wine 8.0 does not implement FileCompressionInfo")
        {
            CHECK(GetFileInformationByHandleEx(file, FileCompressionInfo, &compression, sizeof(compression)));
            CHECK_EQ(compression.CompressionFormat, COMPRESSION_FORMAT_NONE);
            CHECK_EQ(compression.CompressedFileSize.QuadPart, 5); /* an uncompressed file: its size */
        }
        CHECK(GetFileInformationByHandleEx(file, FileAttributeTagInfo, &tag, sizeof(tag)));
        CHECK_EQ(tag.FileAttributes, FILE_ATTRIBUTE_ARCHIVE);
        CHECK_EQ(tag.ReparseTag, 0);
        HANDLE again = CreateFileA(path, GENERIC_READ, FILE_SHARE_READ | FILE_SHARE_WRITE | FILE_SHARE_DELETE, NULL,
                                   OPEN_EXISTING, 0, NULL);
        HANDLE other = make_file("id-other.txt", NULL, 0);
        memset(&id1, 0, sizeof(id1));
        memset(&id2, 0x55, sizeof(id2));
        memset(&id3, 0, sizeof(id3));
        CHECK(GetFileInformationByHandleEx(file, FileIdInfo, &id1, sizeof(id1)));
        CHECK(GetFileInformationByHandleEx(again, FileIdInfo, &id2, sizeof(id2)));
        CHECK(GetFileInformationByHandleEx(other, FileIdInfo, &id3, sizeof(id3)));
        CHECK(memcmp(&id1, &id2, sizeof(id1)) == 0);
        CHECK(memcmp(&id1.FileId, &id3.FileId, sizeof(id1.FileId)) != 0);
        CHECK(id1.VolumeSerialNumber == id3.VolumeSerialNumber);
        CloseHandle(again);
        CloseHandle(other);
        path_of(buffer, "id-other.txt");
        CHECK(DeleteFileA(buffer));
        WINE_DEVIATION("Wine 8.0 implements neither FileStreamInfo nor FileAlignmentInfo")
        {
            memset(buffer, 0, sizeof(buffer));
            CHECK(GetFileInformationByHandleEx(file, FileStreamInfo, stream, sizeof(buffer)));
            CHECK_EQ(stream->NextEntryOffset, 0);
            CHECK_EQ(stream->StreamNameLength, 14);
            CHECK(memcmp(stream->StreamName, L"::$DATA", 14) == 0);
            CHECK_EQ(stream->StreamSize.QuadPart, 5);
            CHECK(GetFileInformationByHandleEx(file, FileAlignmentInfo, &alignment, sizeof(alignment)));
        }
    }

    TEST("SetFileInformationByHandle: FileEndOfFileInfo and FileAllocationInfo");
    {
        FILE_END_OF_FILE_INFO end;
        FILE_ALLOCATION_INFO allocation;
        end.EndOfFile.QuadPart = 100;
        CHECK(SetFileInformationByHandle(file, FileEndOfFileInfo, &end, sizeof(end)));
        CHECK_EQ(size_of("info.txt"), 100);
        end.EndOfFile.QuadPart = 3;
        CHECK(SetFileInformationByHandle(file, FileEndOfFileInfo, &end, sizeof(end)));
        CHECK_EQ(size_of("info.txt"), 3);
        WINE_DEVIATION("Wine 8 does not implement FileAllocationInfo")
        {
            allocation.AllocationSize.QuadPart = 1 << 20;
            CHECK(SetFileInformationByHandle(file, FileAllocationInfo, &allocation, sizeof(allocation)));
            CHECK_EQ(size_of("info.txt"), 3);
            allocation.AllocationSize.QuadPart = 1;
            CHECK(SetFileInformationByHandle(file, FileAllocationInfo, &allocation, sizeof(allocation)));
            CHECK_EQ(size_of("info.txt"), 1);
        }
    }

    TEST("SetFileInformationByHandle: FileBasicInfo sets the last write time; 0 leaves a time");
    {
        WIN32_FILE_ATTRIBUTE_DATA data;
        FILE_BASIC_INFO set;
        memset(&set, 0, sizeof(set));
        set.LastWriteTime.QuadPart = 132223104000000000LL; /* 2020-01-01 */
        CHECK(SetFileInformationByHandle(file, FileBasicInfo, &set, sizeof(set)));
        CHECK(GetFileAttributesExA(path, GetFileExInfoStandard, &data));
        CHECK_EQ(((ULONGLONG)data.ftLastWriteTime.dwHighDateTime << 32) | data.ftLastWriteTime.dwLowDateTime,
                 132223104000000000ULL);
        HANDLE reader = CreateFileA(path, GENERIC_READ, FILE_SHARE_READ | FILE_SHARE_WRITE | FILE_SHARE_DELETE, NULL,
                                    OPEN_EXISTING, 0, NULL);
        WINE_DEVIATION("Wine 8 sets times through a handle without FILE_WRITE_ATTRIBUTES")
        {
            SetLastError(0xdeadbeef);
            CHECK(!SetFileInformationByHandle(reader, FileBasicInfo, &set, sizeof(set)));
            CHECK_ERROR(ERROR_ACCESS_DENIED);
        }
        CloseHandle(reader);
    }

    TEST("FileRenameInfo: the open file gets a new name");
    {
        char target[MAX_PATH];
        char storage[sizeof(FILE_RENAME_INFO) + MAX_PATH * 2];
        FILE_RENAME_INFO *rename = (FILE_RENAME_INFO *)storage;
        memset(storage, 0, sizeof(storage));
        path_of(target, "renamed.txt");
        widen(target, rename->FileName);
        rename->FileNameLength = (DWORD)lstrlenW(rename->FileName) * 2;
        rename->ReplaceIfExists = FALSE;
        CHECK(SetFileInformationByHandle(file, FileRenameInfo, rename, sizeof(storage)));
        CHECK(!exists("info.txt"));
        CHECK(exists("renamed.txt"));
        HANDLE other = make_file("other.txt", NULL, 0);
        CloseHandle(other);
        path_of(target, "other.txt");
        widen(target, rename->FileName);
        rename->FileNameLength = (DWORD)lstrlenW(rename->FileName) * 2;
        SetLastError(0xdeadbeef);
        CHECK(!SetFileInformationByHandle(file, FileRenameInfo, rename, sizeof(storage)));
        CHECK_ERROR(ERROR_ALREADY_EXISTS);
        rename->ReplaceIfExists = TRUE;
        CHECK(SetFileInformationByHandle(file, FileRenameInfo, rename, sizeof(storage)));
        CHECK(!exists("renamed.txt"));
        CHECK(exists("other.txt"));

        WINE_DEVIATION("Wine 8.0 fails a FileRenameInfo relative to RootDirectory")
        {
            /* relative to an open directory */
            HANDLE root = CreateFileA(base, GENERIC_READ, FILE_SHARE_READ | FILE_SHARE_WRITE | FILE_SHARE_DELETE, NULL,
                                      OPEN_EXISTING, FILE_FLAG_BACKUP_SEMANTICS, NULL);
            CHECK(root != INVALID_HANDLE_VALUE);
            rename->RootDirectory = root;
            widen("relative.txt", rename->FileName);
            rename->FileNameLength = 12 * 2;
            rename->ReplaceIfExists = FALSE;
            CHECK(SetFileInformationByHandle(file, FileRenameInfo, rename, sizeof(storage)));
            CHECK(exists("relative.txt"));
            CHECK(!exists("other.txt"));
            widen("other.txt", rename->FileName);
            rename->FileNameLength = 9 * 2;
            CHECK(SetFileInformationByHandle(file, FileRenameInfo, rename, sizeof(storage)));
            CHECK(exists("other.txt"));
            rename->RootDirectory = NULL;
            CloseHandle(root);
        }

        FILE_IO_PRIORITY_HINT_INFO hint;
        hint.PriorityHint = IoPriorityHintLow;
        CHECK(SetFileInformationByHandle(file, FileIoPriorityHintInfo, &hint, sizeof(hint)));
        hint.PriorityHint = MaximumIoPriorityHintType;
        SetLastError(0xdeadbeef);
        CHECK(!SetFileInformationByHandle(file, FileIoPriorityHintInfo, &hint, sizeof(hint)));
        CHECK_ERROR(ERROR_INVALID_PARAMETER);
    }

    TEST("FileDispositionInfo: deleted at the last close; undone by FALSE");
    {
        FILE_DISPOSITION_INFO disposition;
        disposition.DeleteFile = TRUE;
        CHECK(SetFileInformationByHandle(file, FileDispositionInfo, &disposition, sizeof(disposition)));
        CHECK(GetFileInformationByHandleEx(file, FileStandardInfo, &standard, sizeof(standard)));
        WINE_DEVIATION("Wine 8 reports no DeletePending") { CHECK_EQ(standard.DeletePending, 1); }
        disposition.DeleteFile = FALSE;
        CHECK(SetFileInformationByHandle(file, FileDispositionInfo, &disposition, sizeof(disposition)));
        CloseHandle(file);
        CHECK(exists("other.txt"));
        file = make_file("other.txt", NULL, DELETE);
        disposition.DeleteFile = TRUE;
        CHECK(SetFileInformationByHandle(file, FileDispositionInfo, &disposition, sizeof(disposition)));
        CloseHandle(file);
        CHECK(!exists("other.txt"));
        file = make_file("nodelete.txt", NULL, 0);
        SetLastError(0xdeadbeef);
        CHECK(!SetFileInformationByHandle(file, FileDispositionInfo, &disposition, sizeof(disposition)));
        CHECK_ERROR(ERROR_ACCESS_DENIED);
        CloseHandle(file);
        path_of(path, "nodelete.txt");
        CHECK(DeleteFileA(path));

        /* FILE_FLAG_DELETE_ON_CLOSE is the handle's: its close marks the file, so FALSE
         * given before then does not keep the file, even through a duplicate; FALSE
         * given after that close (through another open of the file) does. */
        HANDLE twin;
        path_of(path, "onclose.txt");
        file = CreateFileA(path, GENERIC_WRITE | DELETE, FILE_SHARE_READ | FILE_SHARE_WRITE | FILE_SHARE_DELETE, NULL,
                           CREATE_ALWAYS, FILE_FLAG_DELETE_ON_CLOSE, NULL);
        CHECK(file != INVALID_HANDLE_VALUE);
        CHECK(DuplicateHandle(GetCurrentProcess(), file, GetCurrentProcess(), &twin, 0, FALSE, DUPLICATE_SAME_ACCESS));
        CloseHandle(file);
        disposition.DeleteFile = FALSE;
        CHECK(SetFileInformationByHandle(twin, FileDispositionInfo, &disposition, sizeof(disposition)));
        CHECK(exists("onclose.txt"));
        CloseHandle(twin);
        CHECK(!exists("onclose.txt"));
        file = CreateFileA(path, GENERIC_WRITE | DELETE, FILE_SHARE_READ | FILE_SHARE_WRITE | FILE_SHARE_DELETE, NULL,
                           CREATE_ALWAYS, FILE_FLAG_DELETE_ON_CLOSE, NULL);
        CHECK(file != INVALID_HANDLE_VALUE);
        twin = CreateFileA(path, DELETE, FILE_SHARE_READ | FILE_SHARE_WRITE | FILE_SHARE_DELETE, NULL, OPEN_EXISTING,
                           0, NULL);
        CHECK(twin != INVALID_HANDLE_VALUE);
        CloseHandle(file);
        CHECK(SetFileInformationByHandle(twin, FileDispositionInfo, &disposition, sizeof(disposition)));
        CloseHandle(twin);
        WINE_DEVIATION("Wine 8.0 deletes at the last close a file opened with FILE_FLAG_DELETE_ON_CLOSE whatever "
                       "FileDispositionInfo said after that handle's close")
        {
            CHECK(exists("onclose.txt"));
        }
        DeleteFileA(path);
    }
}

static void test_directory_by_handle(void)
{
    char path[MAX_PATH];
    DWORD buffer[1024];
    int seen_dot = 0, seen_dotdot = 0, seen_one = 0, seen_two = 0, calls = 0;
    BOOL ok;
    HANDLE dir;
    FILE_STANDARD_INFO standard;

    path_of(path, "sub");
    CHECK(CreateDirectoryA(path, NULL));
    CloseHandle(make_file("sub\\one.txt", "1", 0));
    CloseHandle(make_file("sub\\two.txt", "22", 0));
    dir = CreateFileA(path, GENERIC_READ | DELETE, FILE_SHARE_READ | FILE_SHARE_WRITE | FILE_SHARE_DELETE, NULL,
                      OPEN_EXISTING, FILE_FLAG_BACKUP_SEMANTICS, NULL);
    CHECK(dir != INVALID_HANDLE_VALUE);

    TEST("FileStandardInfo of a directory: no size, no allocation, one link (as NTFS)");
    CHECK(GetFileInformationByHandleEx(dir, FileStandardInfo, &standard, sizeof(standard)));
    CHECK_EQ(standard.Directory, 1);
    CHECK_EQ(standard.EndOfFile.QuadPart, 0);
    CHECK_EQ(standard.AllocationSize.QuadPart, 0);
    CHECK_EQ(standard.NumberOfLinks, 1);
    {
        BY_HANDLE_FILE_INFORMATION by_handle;
        CHECK(GetFileInformationByHandle(dir, &by_handle));
        CHECK_EQ(by_handle.nNumberOfLinks, 1);
        CHECK_EQ(by_handle.nFileSizeLow, 0);
    }

    TEST("FileIdBothDirectoryInfo: every entry once, then ERROR_NO_MORE_FILES; restart starts again");
    /* A small buffer: several calls, entries never lost between them. */
    for (;;) {
        ok = GetFileInformationByHandleEx(dir, calls == 0 ? FileIdBothDirectoryRestartInfo : FileIdBothDirectoryInfo,
                                          buffer, 120);
        if (!ok) break;
        ++calls;
        FILE_ID_BOTH_DIR_INFO *info = (FILE_ID_BOTH_DIR_INFO *)buffer;
        for (;;) {
            DWORD chars = info->FileNameLength / 2;
            if (chars == 1 && info->FileName[0] == '.') {
                ++seen_dot;
                CHECK_EQ(info->AllocationSize.QuadPart, 0); /* a directory's entry */
                CHECK_EQ(info->EndOfFile.QuadPart, 0);
            }
            if (chars == 2 && info->FileName[0] == '.' && info->FileName[1] == '.') ++seen_dotdot;
            if (chars == 7 && memcmp(info->FileName, L"one.txt", 14) == 0) {
                ++seen_one;
                CHECK_EQ(info->EndOfFile.QuadPart, 1);
                CHECK(info->FileId.QuadPart != 0);
                CHECK_EQ(info->FileAttributes, FILE_ATTRIBUTE_ARCHIVE);
            }
            if (chars == 7 && memcmp(info->FileName, L"two.txt", 14) == 0) ++seen_two;
            if (info->NextEntryOffset == 0) break;
            CHECK((info->NextEntryOffset & 7) == 0);
            info = (FILE_ID_BOTH_DIR_INFO *)((char *)info + info->NextEntryOffset);
        }
        if (calls > 20) break;
    }
    CHECK_ERROR(ERROR_NO_MORE_FILES);
    CHECK(calls >= 2);
    CHECK_EQ(seen_dot, 1);
    CHECK_EQ(seen_dotdot, 1);
    CHECK_EQ(seen_one, 1);
    CHECK_EQ(seen_two, 1);
    CHECK(GetFileInformationByHandleEx(dir, FileIdBothDirectoryRestartInfo, buffer, sizeof(buffer)));
    SetLastError(0xdeadbeef);
    CHECK(!GetFileInformationByHandleEx(dir, FileIdBothDirectoryInfo, buffer, sizeof(buffer)));
    CHECK_ERROR(ERROR_NO_MORE_FILES);

    TEST("FileFullDirectoryInfo and FileIdExtdDirectoryInfo list the same entries");
    {
        int found = 0;
        CHECK(GetFileInformationByHandleEx(dir, FileFullDirectoryRestartInfo, buffer, sizeof(buffer)));
        FILE_FULL_DIR_INFO *full = (FILE_FULL_DIR_INFO *)buffer;
        for (;;) {
            if (full->FileNameLength == 14 && memcmp(full->FileName, L"two.txt", 14) == 0) {
                ++found;
                CHECK_EQ(full->EndOfFile.QuadPart, 2);
            }
            if (full->NextEntryOffset == 0) break;
            full = (FILE_FULL_DIR_INFO *)((char *)full + full->NextEntryOffset);
        }
        CHECK_EQ(found, 1);
        WINE_DEVIATION("Wine 8.0 implements neither FileIdExtdDirectoryInfo nor FileStreamInfo")
        {
            found = 0;
            CHECK(GetFileInformationByHandleEx(dir, FileIdExtdDirectoryRestartInfo, buffer, sizeof(buffer)));
            FILE_ID_EXTD_DIR_INFO *extd = (FILE_ID_EXTD_DIR_INFO *)buffer;
            for (;;) {
                if (extd->FileNameLength == 14 && memcmp(extd->FileName, L"one.txt", 14) == 0) {
                    static const FILE_ID_128 zero;
                    ++found;
                    CHECK_EQ(extd->EndOfFile.QuadPart, 1);
                    CHECK(memcmp(&extd->FileId, &zero, sizeof(zero)) != 0);
                }
                if (extd->NextEntryOffset == 0) break;
                extd = (FILE_ID_EXTD_DIR_INFO *)((char *)extd + extd->NextEntryOffset);
            }
            CHECK_EQ(found, 1);
            SetLastError(0xdeadbeef);
            CHECK(!GetFileInformationByHandleEx(dir, FileStreamInfo, buffer, sizeof(buffer)));
            CHECK_ERROR(ERROR_HANDLE_EOF);
        }
    }

    TEST("FileDispositionInfo on a directory: ERROR_DIR_NOT_EMPTY, then deleted when empty");
    {
        FILE_DISPOSITION_INFO disposition;
        disposition.DeleteFile = TRUE;
        SetLastError(0xdeadbeef);
        CHECK(!SetFileInformationByHandle(dir, FileDispositionInfo, &disposition, sizeof(disposition)));
        CHECK_ERROR(ERROR_DIR_NOT_EMPTY);
        path_of(path, "sub\\one.txt");
        CHECK(DeleteFileA(path));
        path_of(path, "sub\\two.txt");
        CHECK(DeleteFileA(path));
        CHECK(SetFileInformationByHandle(dir, FileDispositionInfo, &disposition, sizeof(disposition)));
        CloseHandle(dir);
        CHECK(!exists("sub"));
    }
}

/* GetFileTime and SetFileTime (Microsoft Learn: SetFileTime needs FILE_WRITE_ATTRIBUTES;
 * a NULL time, or 0, leaves that time as it is, as the FileBasicInfo it is made of). */
static void test_file_times(void)
{
    char path[MAX_PATH];
    FILETIME creation, access, write, set, got_access, got_write, zero;
    BY_HANDLE_FILE_INFORMATION info;
    HANDLE file = make_file("times.txt", "t", GENERIC_READ), reader, dir;

    TEST("GetFileTime / SetFileTime on a file and a directory");
    CHECK(GetFileTime(file, &creation, &access, &write));
    CHECK(GetFileInformationByHandle(file, &info));
    CHECK_EQ(write.dwLowDateTime, info.ftLastWriteTime.dwLowDateTime);
    CHECK_EQ(write.dwHighDateTime, info.ftLastWriteTime.dwHighDateTime);
    CHECK(GetFileTime(file, NULL, NULL, NULL));
    SetLastError(0xdeadbeef);
    CHECK(GetFileTime(file, NULL, &got_access, NULL));
    CHECK_EQ(GetLastError(), 0xdeadbeef); /* a success leaves the last error alone */
    /* 2001-02-03 04:05:06 UTC, in 100 ns ticks since 1601. */
    set.dwHighDateTime = 0x01C08D96;
    set.dwLowDateTime = 0x7DB50500;
    CHECK(SetFileTime(file, NULL, NULL, &set));
    CHECK(GetFileTime(file, NULL, &got_access, &got_write));
    CHECK_EQ(got_write.dwHighDateTime, set.dwHighDateTime);
    CHECK_EQ(got_write.dwLowDateTime, set.dwLowDateTime);
    CHECK(SetFileTime(file, NULL, &set, NULL));
    CHECK(GetFileTime(file, NULL, &got_access, NULL));
    CHECK_EQ(got_access.dwLowDateTime, set.dwLowDateTime);
    /* 0 leaves a time as it is. */
    zero.dwHighDateTime = zero.dwLowDateTime = 0;
    CHECK(SetFileTime(file, NULL, NULL, &zero));
    CHECK(GetFileTime(file, NULL, NULL, &got_write));
    CHECK_EQ(got_write.dwLowDateTime, set.dwLowDateTime);
    /* A handle without FILE_WRITE_ATTRIBUTES cannot set them. */
    path_of(path, "times.txt");
    reader = CreateFileA(path, FILE_READ_DATA | FILE_READ_ATTRIBUTES, FILE_SHARE_READ | FILE_SHARE_WRITE, NULL,
                         OPEN_EXISTING, 0, NULL);
    CHECK(reader != INVALID_HANDLE_VALUE);
    CHECK(GetFileTime(reader, NULL, NULL, &got_write));
    WINE_DEVIATION("Wine 8 sets file times through a handle without FILE_WRITE_ATTRIBUTES") {
        SetLastError(0xdeadbeef);
        CHECK(!SetFileTime(reader, NULL, NULL, &set));
        CHECK_ERROR(ERROR_ACCESS_DENIED);
    }
    CloseHandle(reader);
    SetLastError(0xdeadbeef);
    CHECK(!GetFileTime(INVALID_HANDLE_VALUE, NULL, NULL, &got_write));
    CHECK_ERROR(ERROR_INVALID_HANDLE);
    CloseHandle(file);
    CHECK(DeleteFileA(path));

    /* A directory, opened with FILE_FLAG_BACKUP_SEMANTICS. */
    path_of(path, "timesdir");
    CHECK(CreateDirectoryA(path, NULL));
    dir = CreateFileA(path, GENERIC_READ | FILE_WRITE_ATTRIBUTES, FILE_SHARE_READ | FILE_SHARE_WRITE, NULL,
                      OPEN_EXISTING, FILE_FLAG_BACKUP_SEMANTICS, NULL);
    CHECK(dir != INVALID_HANDLE_VALUE);
    CHECK(SetFileTime(dir, NULL, NULL, &set));
    CHECK(GetFileTime(dir, NULL, NULL, &got_write));
    CHECK_EQ(got_write.dwLowDateTime, set.dwLowDateTime);
    CloseHandle(dir);
    CHECK(RemoveDirectoryA(path));

    TEST("SetFileTime with -1: writes through that handle no longer move the last write time");
    {
        FILETIME minus_one;
        OVERLAPPED ov;
        DWORD done = 0;
        HANDLE other, async;
        minus_one.dwHighDateTime = minus_one.dwLowDateTime = 0xFFFFFFFF;
        path_of(path, "frozen.txt");
        file = make_file("frozen.txt", NULL, GENERIC_READ);
        CHECK(SetFileTime(file, NULL, NULL, &set));
        CHECK(SetFileTime(file, NULL, NULL, &minus_one));
        CHECK(GetFileTime(file, NULL, NULL, &got_write)); /* -1 itself changes nothing */
        CHECK_EQ(got_write.dwHighDateTime, set.dwHighDateTime);
        CHECK_EQ(got_write.dwLowDateTime, set.dwLowDateTime);
        CHECK(WriteFile(file, "abc", 3, &done, NULL));
        CHECK(SetEndOfFile(file));
        CHECK(GetFileTime(file, NULL, NULL, &got_write));
        WINE_DEVIATION("Wine 8.0 ignores -1 in SetFileTime: the write moves the time")
        {
            CHECK_EQ(got_write.dwHighDateTime, set.dwHighDateTime);
            CHECK_EQ(got_write.dwLowDateTime, set.dwLowDateTime);
        }
        /* An overlapped handle's writes, through the I/O manager. */
        async = CreateFileA(path, GENERIC_READ | GENERIC_WRITE, FILE_SHARE_READ | FILE_SHARE_WRITE, NULL,
                            OPEN_EXISTING, FILE_FLAG_OVERLAPPED, NULL);
        CHECK(async != INVALID_HANDLE_VALUE);
        CHECK(SetFileTime(async, NULL, NULL, &set));
        CHECK(SetFileTime(async, NULL, NULL, &minus_one));
        memset(&ov, 0, sizeof(ov));
        ov.hEvent = CreateEventA(NULL, TRUE, FALSE, NULL);
        ov.Offset = 3;
        if (!WriteFile(async, "defg", 4, NULL, &ov)) CHECK_ERROR(ERROR_IO_PENDING);
        CHECK(GetOverlappedResult(async, &ov, &done, TRUE));
        CHECK_EQ(done, 4);
        CHECK(GetFileTime(async, NULL, NULL, &got_write));
        WINE_DEVIATION("Wine 8.0 ignores -1 in SetFileTime: the write moves the time")
        {
            CHECK_EQ(got_write.dwHighDateTime, set.dwHighDateTime);
            CHECK_EQ(got_write.dwLowDateTime, set.dwLowDateTime);
        }
        CloseHandle(ov.hEvent);
        CloseHandle(async);
        /* Another handle's writes move it as usual. */
        other = CreateFileA(path, GENERIC_WRITE, FILE_SHARE_READ | FILE_SHARE_WRITE, NULL, OPEN_EXISTING, 0, NULL);
        CHECK(other != INVALID_HANDLE_VALUE);
        CHECK(WriteFile(other, "x", 1, &done, NULL));
        CloseHandle(other);
        CHECK(GetFileTime(file, NULL, NULL, &got_write));
        CHECK(got_write.dwHighDateTime != set.dwHighDateTime);
        CloseHandle(file);
        CHECK(DeleteFileA(path));
    }
}

/* GetFinalPathNameByHandle (Microsoft Learn): "\\?\" and the drive (VOLUME_NAME_DOS, the
 * default), the path on its volume (VOLUME_NAME_NONE); the length without the terminator,
 * or for a buffer too small the size needed. */
static void test_final_path(void)
{
    char path[MAX_PATH], got[MAX_PATH], none[MAX_PATH], small[4];
    WCHAR wide[MAX_PATH];
    DWORD n, m, i;
    HANDLE file = make_file("final.txt", "f", GENERIC_READ), dir;

    TEST("GetFinalPathNameByHandle");
    memset(got, 0, sizeof got);
    n = GetFinalPathNameByHandleA(file, got, sizeof got, FILE_NAME_NORMALIZED | VOLUME_NAME_DOS);
    CHECK(n > 14 && n < sizeof got);
    CHECK_EQ(n, lstrlenA(got));
    CHECK(memcmp(got, "\\\\?\\", 4) == 0 && got[5] == ':' && got[6] == '\\');
    CHECK(n > 10 && lstrcmpiA(got + n - 10, "\\final.txt") == 0);
    /* Too small: the size needed, without the terminator in the ANSI form (kernelbase,
     * as Wine's reproduces), with it in the wide form; the buffer is not written. */
    memset(small, 'x', sizeof small);
    CHECK_EQ(GetFinalPathNameByHandleA(file, small, sizeof small, 0), n);
    CHECK(small[0] == 'x');
    CHECK_EQ(GetFinalPathNameByHandleA(file, NULL, 0, 0), n);
    CHECK_EQ(GetFinalPathNameByHandleW(file, NULL, 0, 0), n + 1);
    /* The path on its volume: the DOS name without "\\?\X:". */
    m = GetFinalPathNameByHandleA(file, none, sizeof none, VOLUME_NAME_NONE);
    CHECK_EQ(m, n - 6);
    CHECK(lstrcmpA(none, got + 6) == 0);
    /* The wide form says the same. */
    CHECK_EQ(GetFinalPathNameByHandleW(file, wide, MAX_PATH, 0), n);
    for (i = 0; i < n && wide[i] == (WCHAR)(unsigned char)got[i]; ++i) {
    }
    CHECK_EQ(i, n);
    SetLastError(0xdeadbeef);
    CHECK_EQ(GetFinalPathNameByHandleA(file, got, sizeof got, 0x10), 0);
    CHECK_ERROR(ERROR_INVALID_PARAMETER);
    SetLastError(0xdeadbeef);
    CHECK_EQ(GetFinalPathNameByHandleA(INVALID_HANDLE_VALUE, got, sizeof got, 0), 0);
    CHECK_ERROR(ERROR_INVALID_HANDLE);
    CloseHandle(file);
    path_of(path, "final.txt");

    TEST("A deleted file still open keeps its name (GetFinalPathNameByHandle, FileNameInfo)");
    file = CreateFileA(path, GENERIC_READ, FILE_SHARE_READ | FILE_SHARE_WRITE | FILE_SHARE_DELETE, NULL, OPEN_EXISTING,
                       0, NULL);
    CHECK(file != INVALID_HANDLE_VALUE);
    CHECK(DeleteFileA(path));
    m = GetFinalPathNameByHandleA(file, none, sizeof none, VOLUME_NAME_NONE);
    CHECK(m > 10 && m < sizeof none && lstrcmpiA(none + m - 10, "\\final.txt") == 0);
    {
        char buffer[1024];
        FILE_NAME_INFO *name = (FILE_NAME_INFO *)buffer;
        DWORD chars;
        CHECK(GetFileInformationByHandleEx(file, FileNameInfo, name, sizeof buffer));
        chars = name->FileNameLength / 2;
        CHECK(chars > 10 && name->FileName[chars - 10] == '\\' && name->FileName[chars - 1] == 't' &&
              name->FileName[chars - 4] == '.');
    }
    CloseHandle(file);

    /* A directory. */
    path_of(path, "finaldir");
    CHECK(CreateDirectoryA(path, NULL));
    dir = CreateFileA(path, GENERIC_READ, FILE_SHARE_READ | FILE_SHARE_WRITE, NULL, OPEN_EXISTING,
                      FILE_FLAG_BACKUP_SEMANTICS, NULL);
    CHECK(dir != INVALID_HANDLE_VALUE);
    n = GetFinalPathNameByHandleA(dir, got, sizeof got, 0);
    CHECK(n > 9 && lstrcmpiA(got + n - 9, "\\finaldir") == 0);
    CloseHandle(dir);
    CHECK(RemoveDirectoryA(path));
}

int main(void)
{
    char temp[MAX_PATH];
    GetTempPathA(MAX_PATH, temp);
    wsprintfA(base, "%sovinfo-%lu-%lu", temp, (unsigned long)GetCurrentProcessId(), (unsigned long)GetTickCount());
    CHECK(CreateDirectoryA(base, NULL));

    test_full_path();
    test_long_short_paths();
    test_search_path();
    test_attributes();
    test_by_handle();
    test_directory_by_handle();
    test_file_times();
    test_final_path();

    CHECK(RemoveDirectoryA(base));
    return tl_finish();
}
