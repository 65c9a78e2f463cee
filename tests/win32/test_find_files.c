/* test_find_files.c: FindFirstFile(Ex)A/W, FindNextFile, FindClose. Windows' wildcard
 * rules (the DOS wildcards kernelbase makes of '*', '?' and '.'), "." and ".." in a
 * directory and not in a drive root, the errors (ERROR_FILE_NOT_FOUND,
 * ERROR_PATH_NOT_FOUND, ERROR_NO_MORE_FILES, ERROR_DIRECTORY), a pattern naming one file,
 * a trailing backslash, WIN32_FIND_DATA's fields, the Ex levels and flags, and what a
 * find handle is not (CloseHandle refuses it). Windows facts:
 * docs/research/windows-files-management.md. */
#include "testlib.h"

static char base[MAX_PATH];

static void path_of(char *out, const char *name) { wsprintfA(out, "%s\\%s", base, name); }

/* The test's paths are ASCII. */
static void widen(const char *text, WCHAR *out)
{
    while ((*out++ = (WCHAR)(unsigned char)*text++) != 0) {
    }
}

static void make_file(const char *name, const char *text)
{
    char path[MAX_PATH];
    DWORD written = 0;
    path_of(path, name);
    HANDLE file = CreateFileA(path, GENERIC_WRITE, 0, NULL, CREATE_ALWAYS, 0, NULL);
    CHECK(file != INVALID_HANDLE_VALUE);
    if (text != NULL) WriteFile(file, text, (DWORD)strlen(text), &written, NULL);
    CloseHandle(file);
}

/* The names a search returns, sorted and joined by blanks (so the order of the file
 * system does not matter), "." and ".." included; "" when nothing matched (the error is
 * left in *error). */
static int compare_names(const void *a, const void *b) { return lstrcmpiA(*(const char *const *)a, *(const char *const *)b); }

static void search(const char *pattern, char *out, DWORD *error)
{
    char path[MAX_PATH], names[32][MAX_PATH];
    const char *sorted[32];
    int count = 0;
    WIN32_FIND_DATAA data;
    path_of(path, pattern);
    out[0] = 0;
    *error = 0;
    HANDLE find = FindFirstFileA(path, &data);
    if (find == INVALID_HANDLE_VALUE) {
        *error = GetLastError();
        return;
    }
    do {
        if (count < 32) lstrcpyA(names[count++], data.cFileName);
    } while (FindNextFileA(find, &data));
    *error = GetLastError();
    FindClose(find);
    for (int i = 0; i < count; ++i) sorted[i] = names[i];
    qsort(sorted, (size_t)count, sizeof(sorted[0]), compare_names);
    for (int i = 0; i < count; ++i) {
        if (i > 0) lstrcatA(out, " ");
        lstrcatA(out, sorted[i]);
    }
}

#define EXPECT_MATCH(pattern, expected)                                                  \
    do {                                                                                 \
        char got_[1024];                                                                 \
        DWORD error_;                                                                    \
        search(pattern, got_, &error_);                                                  \
        if (lstrcmpA(got_, expected) != 0) printf("  pattern %s: got \"%s\"\n", pattern, got_); \
        CHECK(lstrcmpA(got_, expected) == 0);                                            \
        CHECK_EQ(error_, ERROR_NO_MORE_FILES);                                           \
    } while (0)

static void expect_failure(const char *pattern, DWORD error)
{
    char path[MAX_PATH];
    WIN32_FIND_DATAA data;
    path_of(path, pattern);
    SetLastError(0xdeadbeef);
    HANDLE find = FindFirstFileA(path, &data);
    CHECK(find == INVALID_HANDLE_VALUE);
    if (GetLastError() != error) printf("  pattern %s\n", pattern);
    CHECK_ERROR(error);
    if (find != INVALID_HANDLE_VALUE) FindClose(find);
}

static void test_wildcards(void)
{
    TEST("* and *.* match every name, with or without a dot, and . and ..");
    EXPECT_MATCH("*", ". .. a a.b a.b.c aa ab B.txt c.TXT dir1 noext");
    EXPECT_MATCH("*.*", ". .. a a.b a.b.c aa ab B.txt c.TXT dir1 noext");

    TEST("case-insensitive as on NTFS");
    EXPECT_MATCH("*.txt", "B.txt c.TXT");
    EXPECT_MATCH("*.TXT", "B.txt c.TXT");
    EXPECT_MATCH("A.B.C", "a.b.c");

    TEST("* and . in the middle");
    EXPECT_MATCH("a*", "a a.b a.b.c aa ab");
    EXPECT_MATCH("a.*", "a a.b a.b.c");
    EXPECT_MATCH("a*.*", "a a.b a.b.c aa ab");
    EXPECT_MATCH("*.b", "a.b");
    EXPECT_MATCH("a.b*", "a.b a.b.c");
    EXPECT_MATCH("*.*.*", ". .. a a.b a.b.c aa ab B.txt c.TXT dir1 noext");
    EXPECT_MATCH("*c", "a.b.c");

    TEST("? matches one character, or none at a dot or at the end (DOS_QM)");
    WINE_DEVIATION("Wine's ? always takes one character")
    {
        EXPECT_MATCH("a?", "a aa ab");
        EXPECT_MATCH("a??", "a aa ab");
        EXPECT_MATCH("a?.b", "a.b");
    }
    EXPECT_MATCH("?.b", "a.b");
    WINE_DEVIATION("Wine's ? always takes one character")
    {
        EXPECT_MATCH("a.?", "a a.b");
        EXPECT_MATCH("?????", "a aa ab dir1 noext");
    }

    TEST("a pattern ending in . asks for names without an extension");
    WINE_DEVIATION("Wine ignores a trailing . in a pattern")
    {
        char got[1024];
        DWORD error;
        search("*.", got, &error);
        /* "." and ".." aside (what NTFS does with them here is not recorded): the names
         * without a dot. */
        CHECK(strstr(got, "a.b") == NULL && strstr(got, "txt") == NULL && strstr(got, "TXT") == NULL);
        CHECK(strstr(got, "noext") != NULL && strstr(got, "dir1") != NULL && strstr(got, "aa") != NULL);
        EXPECT_MATCH("a*.", "a aa ab");
    }

    TEST("a plain name finds that one entry; its trailing dot is dropped");
    EXPECT_MATCH("a.b", "a.b");
    EXPECT_MATCH("noext.", "noext");
    EXPECT_MATCH("dir1", "dir1");

    TEST("nothing matches: ERROR_FILE_NOT_FOUND");
    expect_failure("nosuch*", ERROR_FILE_NOT_FOUND);
    expect_failure("nosuch", ERROR_FILE_NOT_FOUND);
    expect_failure("*.nosuch", ERROR_FILE_NOT_FOUND);
}

static void test_directories_and_errors(void)
{
    char path[MAX_PATH], got[1024];
    DWORD error;
    WIN32_FIND_DATAA data;

    TEST("a subdirectory's contents start with . and ..");
    make_file("dir1\\inner.txt", "x");
    path_of(path, "dir1\\*");
    HANDLE find = FindFirstFileA(path, &data);
    CHECK(find != INVALID_HANDLE_VALUE);
    CHECK(lstrcmpA(data.cFileName, ".") == 0);
    CHECK(data.dwFileAttributes & FILE_ATTRIBUTE_DIRECTORY);
    CHECK(FindNextFileA(find, &data));
    CHECK(lstrcmpA(data.cFileName, "..") == 0);
    CHECK(data.dwFileAttributes & FILE_ATTRIBUTE_DIRECTORY);
    CHECK(FindNextFileA(find, &data));
    CHECK(lstrcmpA(data.cFileName, "inner.txt") == 0);
    SetLastError(0xdeadbeef);
    CHECK(!FindNextFileA(find, &data));
    CHECK_ERROR(ERROR_NO_MORE_FILES);
    SetLastError(0xdeadbeef);
    CHECK(!FindNextFileA(find, &data));  /* and again */
    CHECK_ERROR(ERROR_NO_MORE_FILES);
    CHECK(FindClose(find));
    search("dir1\\*.txt", got, &error);
    CHECK(lstrcmpA(got, "inner.txt") == 0);

    TEST("a trailing backslash names no file");
    expect_failure("dir1\\", ERROR_FILE_NOT_FOUND);
    WINE_DEVIATION("Wine gives ERROR_FILE_NOT_FOUND for a missing directory with a trailing backslash")
    {
        expect_failure("nosuchdir\\", ERROR_PATH_NOT_FOUND);
    }

    TEST("a missing directory: ERROR_PATH_NOT_FOUND");
    expect_failure("nosuchdir\\*", ERROR_PATH_NOT_FOUND);
    expect_failure("nosuchdir\\*.*", ERROR_PATH_NOT_FOUND);
    expect_failure("nosuchdir\\bar.txt", ERROR_PATH_NOT_FOUND);
    expect_failure("nosuchdir\\deeper\\*", ERROR_PATH_NOT_FOUND);

    TEST("a file used as a directory: ERROR_DIRECTORY");
    WINE_DEVIATION("Wine gives ERROR_INVALID_NAME for a file used as a directory")
    {
        expect_failure("a.b\\*", ERROR_DIRECTORY);
    }

    TEST("a DOS device name is found in any existing directory, not in a missing one");
    path_of(path, "nul");
    find = FindFirstFileA(path, &data);
    CHECK(find != INVALID_HANDLE_VALUE);
    CHECK(lstrcmpiA(data.cFileName, "nul") == 0);
    CHECK_EQ(data.dwFileAttributes, FILE_ATTRIBUTE_ARCHIVE);
    CHECK_EQ(data.nFileSizeLow, 0);
    SetLastError(0xdeadbeef);
    CHECK(!FindNextFileA(find, &data));
    CHECK_ERROR(ERROR_NO_MORE_FILES);
    CHECK(FindClose(find));
    find = FindFirstFileA("lpt1", &data);
    CHECK(find != INVALID_HANDLE_VALUE);
    CHECK(lstrcmpiA(data.cFileName, "lpt1") == 0);
    FindClose(find);
    expect_failure("nosuchdir\\nul", ERROR_PATH_NOT_FOUND);
    expect_failure("nul\\*", ERROR_PATH_NOT_FOUND);
    expect_failure("nul*", ERROR_FILE_NOT_FOUND);

    TEST("a last component . or .. is taken away first: the directory itself is found by its name");
    {
        const char *base_name = base;
        for (const char *c = base; *c; ++c)
            if (*c == '\\' || *c == '/') base_name = c + 1;
        char current[MAX_PATH];
        path_of(path, "dir1\\.");
        find = FindFirstFileA(path, &data);
        CHECK(find != INVALID_HANDLE_VALUE);
        CHECK(lstrcmpA(data.cFileName, "dir1") == 0);
        CHECK(data.dwFileAttributes & FILE_ATTRIBUTE_DIRECTORY);
        SetLastError(0xdeadbeef);
        CHECK(!FindNextFileA(find, &data));
        CHECK_ERROR(ERROR_NO_MORE_FILES);
        FindClose(find);
        path_of(path, "dir1\\..");
        find = FindFirstFileA(path, &data);
        CHECK(find != INVALID_HANDLE_VALUE);
        CHECK(lstrcmpiA(data.cFileName, base_name) == 0);
        FindClose(find);
        path_of(path, "dir1\\nosuchdir\\.."); /* by the text: nosuchdir need not exist */
        find = FindFirstFileA(path, &data);
        CHECK(find != INVALID_HANDLE_VALUE);
        CHECK(lstrcmpA(data.cFileName, "dir1") == 0);
        FindClose(find);
        expect_failure("nosuchdir\\.", ERROR_FILE_NOT_FOUND);
        GetCurrentDirectoryA(MAX_PATH, current);
        path_of(path, "dir1");
        CHECK(SetCurrentDirectoryA(path));
        find = FindFirstFileA(".", &data);
        CHECK(find != INVALID_HANDLE_VALUE);
        CHECK(lstrcmpA(data.cFileName, "dir1") == 0);
        FindClose(find);
        find = FindFirstFileA("..", &data);
        CHECK(find != INVALID_HANDLE_VALUE);
        CHECK(lstrcmpiA(data.cFileName, base_name) == 0);
        FindClose(find);
        CHECK(SetCurrentDirectoryA(current));
        SetLastError(0xdeadbeef);
        find = FindFirstFileA("C:\\.", &data);
        CHECK(find == INVALID_HANDLE_VALUE);
        CHECK_ERROR(ERROR_FILE_NOT_FOUND);
    }

    TEST("the drive root has no . and .., and C:\\ alone names no file");
    SetLastError(0xdeadbeef);
    find = FindFirstFileA("C:\\", &data);
    CHECK(find == INVALID_HANDLE_VALUE);
    CHECK_ERROR(ERROR_FILE_NOT_FOUND);
    find = FindFirstFileA("C:\\*", &data);
    CHECK(find != INVALID_HANDLE_VALUE);
    if (find != INVALID_HANDLE_VALUE) {
        int dots = 0;
        do {
            if (lstrcmpA(data.cFileName, ".") == 0 || lstrcmpA(data.cFileName, "..") == 0) ++dots;
        } while (FindNextFileA(find, &data));
        CHECK_EQ(dots, 0);
        CHECK(FindClose(find));
    }
}

static void test_find_data(void)
{
    char path[MAX_PATH];
    WIN32_FIND_DATAA data;
    WIN32_FIND_DATAW wide;
    WCHAR wpath[MAX_PATH];

    TEST("WIN32_FIND_DATA of a file: attributes, size, times, no 8.3 name for an 8.3 name");
    path_of(path, "a.b");
    memset(&data, 0xcc, sizeof(data));
    HANDLE find = FindFirstFileA(path, &data);
    CHECK(find != INVALID_HANDLE_VALUE);
    CHECK_EQ(data.dwFileAttributes, FILE_ATTRIBUTE_ARCHIVE);
    CHECK_EQ(data.nFileSizeHigh, 0);
    CHECK_EQ(data.nFileSizeLow, 5);
    CHECK(data.ftLastWriteTime.dwHighDateTime != 0);
    CHECK(data.ftCreationTime.dwHighDateTime != 0);
    CHECK(data.ftLastAccessTime.dwHighDateTime != 0);
    CHECK_EQ(data.cAlternateFileName[0], 0);
    CHECK(lstrcmpA(data.cFileName, "a.b") == 0);
    SetLastError(0xdeadbeef);
    CHECK(!FindNextFileA(find, &data));
    CHECK_ERROR(ERROR_NO_MORE_FILES);
    CHECK(FindClose(find));

    TEST("the last write time is GetFileTime's");
    {
        FILETIME written;
        HANDLE file = CreateFileA(path, GENERIC_READ, FILE_SHARE_READ, NULL, OPEN_EXISTING, 0, NULL);
        BY_HANDLE_FILE_INFORMATION info;
        CHECK(GetFileInformationByHandle(file, &info));
        written = info.ftLastWriteTime;
        CloseHandle(file);
        find = FindFirstFileA(path, &data);
        CHECK(written.dwLowDateTime == data.ftLastWriteTime.dwLowDateTime &&
              written.dwHighDateTime == data.ftLastWriteTime.dwHighDateTime);
        FindClose(find);
    }

    TEST("a directory: FILE_ATTRIBUTE_DIRECTORY, size 0");
    path_of(path, "dir1");
    find = FindFirstFileA(path, &data);
    CHECK(find != INVALID_HANDLE_VALUE);
    CHECK_EQ(data.dwFileAttributes, FILE_ATTRIBUTE_DIRECTORY);
    CHECK_EQ(data.nFileSizeLow, 0);
    FindClose(find);

    TEST("a read-only file reports FILE_ATTRIBUTE_READONLY");
    path_of(path, "aa");
    CHECK(SetFileAttributesA(path, FILE_ATTRIBUTE_READONLY));
    find = FindFirstFileA(path, &data);
    CHECK(find != INVALID_HANDLE_VALUE);
    CHECK(data.dwFileAttributes & FILE_ATTRIBUTE_READONLY);
    FindClose(find);
    CHECK(SetFileAttributesA(path, FILE_ATTRIBUTE_NORMAL));

    TEST("FindFirstFileW: UTF-16 names");
    path_of(path, "*.b");
    widen(path, wpath);
    find = FindFirstFileW(wpath, &wide);
    CHECK(find != INVALID_HANDLE_VALUE);
    CHECK(lstrcmpW(wide.cFileName, L"a.b") == 0);
    CHECK_EQ(wide.nFileSizeLow, 5);
    SetLastError(0xdeadbeef);
    CHECK(!FindNextFileW(find, &wide));
    CHECK_ERROR(ERROR_NO_MORE_FILES);
    CHECK(FindClose(find));

    TEST("FindFirstFileExW: FindExInfoBasic with FIND_FIRST_EX_LARGE_FETCH");
    path_of(path, "a.b*");
    widen(path, wpath);
    memset(&wide, 0xcc, sizeof(wide));
    find = FindFirstFileExW(wpath, FindExInfoBasic, &wide, FindExSearchNameMatch, NULL, FIND_FIRST_EX_LARGE_FETCH);
    CHECK(find != INVALID_HANDLE_VALUE);
    CHECK(lstrcmpW(wide.cFileName, L"a.b") == 0 || lstrcmpW(wide.cFileName, L"a.b.c") == 0);
    CHECK_EQ(wide.cAlternateFileName[0], 0);
    CHECK(FindNextFileW(find, &wide));
    CHECK_EQ(wide.cAlternateFileName[0], 0);
    CHECK(!FindNextFileW(find, &wide));
    CHECK(FindClose(find));
}

static void test_ex_and_handles(void)
{
    char path[MAX_PATH];
    WIN32_FIND_DATAA data;
    int files = 0, entries = 0;


    TEST("FindExSearchLimitToDirectories is advisory: files come too");
    path_of(path, "*");
    HANDLE find = FindFirstFileExA(path, FindExInfoStandard, &data, FindExSearchLimitToDirectories, NULL, 0);
    CHECK(find != INVALID_HANDLE_VALUE);
    do {
        ++entries;
        if (!(data.dwFileAttributes & FILE_ATTRIBUTE_DIRECTORY)) ++files;
    } while (FindNextFileA(find, &data));
    CHECK(files > 0);
    CHECK_EQ(entries, 11);
    CHECK(FindClose(find));

    TEST("a search that succeeds leaves the last error alone; lpSearchFilter is ignored");
    SetLastError(0xdeadbeef);
    find = FindFirstFileA(path, &data);
    CHECK(find != INVALID_HANDLE_VALUE);
    CHECK_ERROR(0xdeadbeef);
    FindClose(find);
    SetLastError(0xdeadbeef);
    find = FindFirstFileExA(path, FindExInfoStandard, &data, FindExSearchNameMatch, (void *)"XXX", 0);
    CHECK(find != INVALID_HANDLE_VALUE);
    CHECK_ERROR(0xdeadbeef);
    if (find != INVALID_HANDLE_VALUE) FindClose(find);

    TEST("bad levels and search operations: ERROR_INVALID_PARAMETER");
    SetLastError(0xdeadbeef);
    find = FindFirstFileExA(path, FindExInfoMaxInfoLevel, &data, FindExSearchNameMatch, NULL, 0);
    CHECK(find == INVALID_HANDLE_VALUE);
    CHECK_ERROR(ERROR_INVALID_PARAMETER);
    SetLastError(0xdeadbeef);
    find = FindFirstFileExA(path, FindExInfoStandard, &data, FindExSearchMaxSearchOp, NULL, 0);
    CHECK(find == INVALID_HANDLE_VALUE);
    CHECK_ERROR(ERROR_INVALID_PARAMETER);

    TEST("a find handle is not a kernel handle: CloseHandle refuses it, FindClose frees it");
    find = FindFirstFileA(path, &data);
    CHECK(find != INVALID_HANDLE_VALUE);
    SetLastError(0xdeadbeef);
    CHECK(!CloseHandle(find));
    CHECK_ERROR(ERROR_INVALID_HANDLE);
    CHECK(FindNextFileA(find, &data));  /* still usable */
    CHECK(FindClose(find));

    TEST("FindClose and FindNextFile on invalid handles: ERROR_INVALID_HANDLE");
    SetLastError(0xdeadbeef);
    CHECK(!FindClose(INVALID_HANDLE_VALUE));
    CHECK_ERROR(ERROR_INVALID_HANDLE);
    SetLastError(0xdeadbeef);
    CHECK(!FindNextFileA(INVALID_HANDLE_VALUE, &data));
    CHECK_ERROR(ERROR_INVALID_HANDLE);
}

/* ---- threads: separate searches at once, and one search shared by two threads */

static volatile LONG shared_count, thread_failures;
static HANDLE shared_find;

static DWORD WINAPI enumerate_many(LPVOID arg)
{
    char path[MAX_PATH];
    WIN32_FIND_DATAA data;
    (void)arg;
    path_of(path, "*");
    for (int round = 0; round < 100; ++round) {
        int n = 0;
        HANDLE find = FindFirstFileA(path, &data);
        if (find == INVALID_HANDLE_VALUE) {
            InterlockedIncrement(&thread_failures);
            continue;
        }
        do ++n;
        while (FindNextFileA(find, &data));
        if (n != 11 || GetLastError() != ERROR_NO_MORE_FILES) InterlockedIncrement(&thread_failures);
        if (!FindClose(find)) InterlockedIncrement(&thread_failures);
    }
    return 0;
}

static DWORD WINAPI take_shared(LPVOID arg)
{
    WIN32_FIND_DATAA data;
    (void)arg;
    while (FindNextFileA(shared_find, &data)) InterlockedIncrement(&shared_count);
    if (GetLastError() != ERROR_NO_MORE_FILES) InterlockedIncrement(&thread_failures);
    return 0;
}

static void test_threads(void)
{
    char path[MAX_PATH];
    WIN32_FIND_DATAA data;
    HANDLE threads[4];

    TEST("searches in several threads at once");
    for (int i = 0; i < 4; ++i) threads[i] = CreateThread(NULL, 0, enumerate_many, NULL, 0, NULL);
    WaitForMultipleObjects(4, threads, TRUE, INFINITE);
    for (int i = 0; i < 4; ++i) CloseHandle(threads[i]);
    CHECK_EQ(tl_load(&thread_failures), 0);

    TEST("one search shared by two threads: every entry once");
    path_of(path, "*");
    shared_find = FindFirstFileA(path, &data);
    CHECK(shared_find != INVALID_HANDLE_VALUE);
    for (int i = 0; i < 2; ++i) threads[i] = CreateThread(NULL, 0, take_shared, NULL, 0, NULL);
    WaitForMultipleObjects(2, threads, TRUE, INFINITE);
    CloseHandle(threads[0]);
    CloseHandle(threads[1]);
    CHECK_EQ(tl_load(&shared_count), 10); /* the first came with FindFirstFile */
    CHECK_EQ(tl_load(&thread_failures), 0);
    CHECK(FindClose(shared_find));
}

static void remove_all(void)
{
    static const char *files[] = {"a", "a.b", "a.b.c", "aa", "ab", "B.txt", "c.TXT", "noext", "dir1\\inner.txt"};
    char path[MAX_PATH];
    for (unsigned i = 0; i < sizeof(files) / sizeof(files[0]); ++i) {
        path_of(path, files[i]);
        SetFileAttributesA(path, FILE_ATTRIBUTE_NORMAL);
        DeleteFileA(path);
    }
    path_of(path, "dir1");
    RemoveDirectoryA(path);
    RemoveDirectoryA(base);
}

int main(void)
{
    char temp[MAX_PATH];
    GetTempPathA(MAX_PATH, temp);
    wsprintfA(base, "%sovfind-%lu-%lu", temp, (unsigned long)GetCurrentProcessId(), (unsigned long)GetTickCount());
    remove_all();
    CHECK(CreateDirectoryA(base, NULL));
    make_file("a", NULL);
    make_file("a.b", "hello");
    make_file("a.b.c", NULL);
    make_file("aa", NULL);
    make_file("ab", NULL);
    make_file("B.txt", NULL);
    make_file("c.TXT", NULL);
    make_file("noext", NULL);
    {
        char path[MAX_PATH];
        path_of(path, "dir1");
        CHECK(CreateDirectoryA(path, NULL));
    }

    test_wildcards();
    test_find_data();
    test_directories_and_errors();
    test_ex_and_handles();
    test_threads();

    remove_all();
    return tl_finish();
}
